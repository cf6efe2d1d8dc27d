"""The CLI takes a zone as the dashboard's zone fields do (issue #16): an IANA name, or the
one zone a person surely means by "Berlin", "PST" or "UTC+1"; anything else is one line
naming the closest zones, exit 4, nothing written."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Run


def _add(run: Run, tz: str) -> tuple[int, str, str]:
    r = run("add", "--company", f"Acme {tz}", "--role", "Eng", "--at", "2026-12-10T10:00",
            "--tz", tz, "--json")  # fmt: skip
    if r.code != 0:
        return r.code, r.err, ""
    return r.code, r.err, str(run("show", str(r.json["id"]), "--json").json["tz"])


def test_add_takes_a_city_an_abbreviation_or_an_offset(run: Run) -> None:
    for typed, meant in (("Berlin", "Europe/Berlin"), ("PST", "America/Los_Angeles"),
                         ("UTC+1", "Etc/GMT-1"), ("Europe/Paris", "Europe/Paris")):  # fmt: skip
        code, err, tz = _add(run, typed)
        assert code == 0, err
        assert tz == meant, typed


def test_a_zone_nobody_can_be_sure_of_is_one_line_naming_the_closest(run: Run) -> None:
    code, err, _ = _add(run, "Indiana")
    assert code == 4
    assert len(err.strip().splitlines()) == 1
    assert "did you mean America/Indiana/Indianapolis" in err
    code, err, _ = _add(run, "Atlantis")
    assert code == 4 and "unknown time zone 'Atlantis': use a name like Europe/Berlin" in err
    assert run("list", "--json").json == []


def test_config_set_keeps_the_zone_meant(run: Run, home: Path) -> None:
    assert run("config", "set", "timezone", "PST").code == 0
    assert 'timezone = "America/Los_Angeles"' in (home / "config.toml").read_text()
    r = run("config", "set", "timezone", "Atlantis")
    assert r.code != 0 and "unknown time zone" in r.err
    assert 'timezone = "America/Los_Angeles"' in (home / "config.toml").read_text()


def test_edit_moves_an_interview_to_a_typed_zone(run: Run) -> None:
    code, err, _ = _add(run, "Berlin")
    assert code == 0, err
    assert run("edit", "1", "--tz", "UTC+1").code == 0
    assert run("show", "1", "--json").json["tz"] == "Etc/GMT-1"


def test_tzdata_files_that_are_no_place_are_refused_when_typed(
    run: Run, home: Path, tmp_path: Path
) -> None:
    """A cold trial typed "localtime" (whatever the machine is set to: the interview would
    move with the laptop), "posixrules" and "Factory"; right/ zones count leap seconds. Typed,
    they are refused; `config set timezone localtime` keeps this machine's own zone's name."""
    for name in ("localtime", "posixrules", "Factory", "right/Europe/Berlin", "posix/UTC"):
        code, err, _ = _add(run, name)
        assert code == 4 and f"{name!r} is no place's time zone" in err, (name, err)
    assert run("list", "--json").json == []
    assert run("config", "set", "timezone", "localtime").code == 0
    assert "localtime" not in (home / "config.toml").read_text()


def test_what_an_earlier_version_kept_still_opens_edits_and_moves(
    run: Run, home: Path, tmp_path: Path
) -> None:
    """A second trial: a config or an export with "localtime" (taken before the refusal)
    made every command, `edit` and the import fail. Kept zones are read as they are."""
    (home / "config.toml").write_text('timezone = "localtime"\n')
    assert run("list", "--json").code == 0
    ada = {"id": 1, "name": "Ada", "email": "ada@acme.example"}
    interview = {"start_at": "2026-12-10T10:00:00Z", "tz": "localtime", "status": "waiting",
                 "interviewers": [ada]}  # fmt: skip
    application = {"company": "Acme", "role": "Eng", "interviews": [interview]}
    document = {"format": "followup-export", "version": 1, "applications": [application]}
    (tmp_path / "old.json").write_text(json.dumps(document))
    imported = run("import", str(tmp_path / "old.json"), "--json")
    assert imported.code == 0, imported.err
    [iid] = [i["id"] for i in imported.json["interviews"]]
    edited = run("edit", str(iid), "--culture", "corporate")
    assert edited.code == 0, edited.err


def test_show_says_the_end_s_date_when_the_interview_ends_the_next_day(run: Run) -> None:
    """23:45 for an hour ends at 00:45 the next day there: `show` names that day, as it
    does not for an interview within one day."""
    late = run("add", "--company", "Late Co", "--role", "Eng", "--at", "2026-12-10T23:45",
               "--tz", "America/Los_Angeles", "--duration", "60", "--json")  # fmt: skip
    assert late.code == 0, late.err
    shown = run("show", str(late.json["id"])).out
    assert "When:   Thu 10 Dec 2026 23:45 PST – Fri 11 Dec 2026 00:45 PST" in shown, shown
    day = run("add", "--company", "Day Co", "--role", "Eng", "--at", "2026-12-10T10:00",
              "--tz", "America/Los_Angeles", "--duration", "60", "--json")  # fmt: skip
    assert "When:   Thu 10 Dec 2026 10:00 PST – 11:00 PST" in run("show", str(day.json["id"])).out


def test_show_lists_a_topic_typed_twice_once(run: Run) -> None:
    """A cold trial (session 11): a topic given to `add` and again to `debrief` was listed
    twice ("Topics: incident reviews; incident reviews")."""
    added = run("add", "--company", "Twice Co", "--role", "Eng", "--at", "2026-12-10T10:00",
                "--topic", "incident reviews", "--json")  # fmt: skip
    iid = str(added.json["id"])
    assert run("debrief", iid, "--topic", "Incident reviews", "--topic", "on-call").code == 0
    shown = run("show", iid).out
    assert "  Topics: incident reviews; on-call\n" in shown, shown
