"""Settings: TOML under the home, every key checked, the policy follows them."""

from __future__ import annotations

from pathlib import Path

from followup.app.errors import ExitCode
from tests.conftest import Run


def test_set_then_show_then_policy_uses_it(run: Run, home: Path) -> None:
    assert run("config", "set", "policy.follow_up_after_days", "5").code == 0
    assert run("config", "set", "policy.window_start", "08:30").code == 0
    shown = run("config", "show", "--json").json
    assert shown["policy.follow_up_after_days"] == 5
    assert shown["file"] == str(home / "config.toml")
    policy = run("policy", "show", "--json").json
    assert policy["steps"][1]["delay_hours"] == 5 * 24
    assert policy["window"]["start"] == "08:30"
    assert "follow_up_after_days = 5" in (home / "config.toml").read_text()


def test_config_keeps_the_users_comments(run: Run, home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text('# my notes\ntimezone = "Europe/Paris"\n')
    assert run("config", "set", "timezone", "Asia/Tokyo").code == 0
    text = (home / "config.toml").read_text()
    assert "# my notes" in text and 'timezone = "Asia/Tokyo"' in text


def test_unknown_key_and_bad_values_are_refused_and_nothing_written(run: Run, home: Path) -> None:
    r = run("config", "set", "policy.thank_you_after", "48")
    assert r.code == ExitCode.INVALID and "unknown setting" in r.err
    assert "did you mean policy.thank_you_after_hours?" in r.err  # not fifty keys
    r = run("config", "set", "user.emial", "me@example.org")  # a cold trial's typo
    assert r.err == "followup: error: unknown setting 'user.emial': did you mean user.email?\n"
    r = run("config", "set", "colour", "blue")  # nothing near: the list to choose from
    assert "known settings: timezone, country, user.name" in r.err
    r = run("config", "set", "timezone", "Nowhere/Land")
    assert r.code == ExitCode.INVALID
    r = run("config", "set", "policy.window_end", "08:00")  # before the 09:00 start
    assert r.code == ExitCode.INVALID and "window" in r.err
    r = run("config", "set", "policy.max_notes", "7")
    assert r.code == ExitCode.INVALID
    assert not (home / "config.toml").exists()


def test_a_hand_edited_unknown_key_is_an_error(run: Run, home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text("[policy]\nfollowup_days = 3\n")
    r = run("agenda")
    assert r.code == ExitCode.INVALID
    assert "policy.followup_days" in r.err


def test_broken_toml_is_one_line(run: Run, home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text("timezone = \n")
    r = run("agenda")
    assert r.code == ExitCode.STORE
    assert r.err.count("\n") == 1


def test_max_notes_two_stops_after_the_follow_up(run: Run) -> None:
    run("config", "set", "policy.max_notes", "2")
    iid = run("add", "--company", "A", "--role", "B", "--at", "2026-11-02T10:00:00Z", "--json")
    i = str(iid.json["id"])
    run("sent", i, "--at", "2026-11-05T10:00:00Z")
    r = run("sent", i, "--at", "2026-11-12T10:00:00Z", "--json")
    assert r.json["plan"]["status"] == "closed"


def test_user_zone_reads_local_times(run: Run) -> None:
    run("config", "set", "timezone", "America/New_York")
    r = run("add", "--company", "A", "--role", "B", "--at", "2026-11-23T09:00", "--json")
    assert run("show", str(r.json["id"]), "--json").json["start"] == "2026-11-23T14:00:00Z"


def test_set_says_what_it_stored_in_json(run: Run) -> None:
    assert run("config", "set", "policy.follow_up_after_days", "5", "--json").json == {
        "key": "policy.follow_up_after_days",
        "value": 5,
    }
    assert run("config", "set", "policy.window_start", "08:30", "--json").json == {
        "key": "policy.window_start",
        "value": "08:30",
    }


def test_an_empty_value_clears_the_setting(run: Run, home: Path) -> None:
    """A cold trial: `config set user.name ""` exited 4 and left no way to clear it."""
    assert run("config", "set", "user.name", "Grace Hopper").code == 0
    r = run("config", "set", "user.name", "")
    assert r.code == 0, r.err
    assert r.out == "user.name cleared (default)\n"
    assert "Grace Hopper" not in (home / "config.toml").read_text()
    assert run("config", "show", "--json").json["user.name"] is None
    assert run("config", "set", "user.name", "  ", "--json").json == {
        "key": "user.name",
        "value": None,
    }
    r = run("config", "set", "no.such_key", "")
    assert r.code == ExitCode.INVALID and "unknown setting" in r.err
