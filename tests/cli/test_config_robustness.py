"""A broken or hostile config.toml: one line and exit 6 (unusable) or 4 (bad value), never 1."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from followup.app.errors import ExitCode
from tests.conftest import Result, Run


def one_line(r: Result, code: ExitCode) -> None:
    assert r.code == code, r.err
    assert r.err.count("\n") == 1 and r.err.startswith("followup: error: "), r.err
    assert "Traceback" not in r.err


def write_config(home: Path, data: bytes) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    path = home / "config.toml"
    path.write_bytes(data)
    return path


DEEP_ARRAY = b"a = " + b"[" * 10_000 + b"]" * 10_000 + b"\n"
DEEP_KEY = b"a" + b".a" * 10_000 + b" = 1\n"


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"\x00\x01\xff\xfe\x89PNG\r\n\x1a\n" + bytes(range(256)), id="binary"),
        pytest.param('timezone = "Europe/Paris"\n'.encode("utf-16"), id="utf-16"),
        pytest.param(DEEP_ARRAY, id="10000-deep-array"),
        pytest.param(DEEP_KEY, id="10000-deep-dotted-key"),
    ],
)
@pytest.mark.parametrize("command", [("agenda",), ("list",), ("config", "show")])
def test_an_unreadable_config_is_one_line_and_exit_6(
    run: Run, home: Path, data: bytes, command: tuple[str, ...]
) -> None:
    write_config(home, data)
    one_line(run(*command), ExitCode.STORE)


@pytest.mark.parametrize("data", [DEEP_ARRAY, DEEP_KEY, 'timezone = "x"\n'.encode("utf-16")])
def test_config_set_on_an_unreadable_config_changes_nothing(
    run: Run, home: Path, data: bytes
) -> None:
    path = write_config(home, data)
    one_line(run("config", "set", "user.name", "Ada"), ExitCode.STORE)
    assert path.read_bytes() == data
    assert os.listdir(home) == ["config.toml"]


@pytest.mark.parametrize(
    "number", ["1e308", "-1e308", "inf", "-inf", "nan", "1" + "0" * 400, "1e6"]
)
@pytest.mark.parametrize(
    "key",
    [
        "follow_up_after_days",
        "thank_you_after_hours",
        "final_after_days",
        "fading_after_days",
        "overdue_after_hours",
        "max_notes",
        "default_duration_minutes",
    ],
)
def test_absurd_numbers_in_the_policy_are_a_bad_value(
    run: Run, home: Path, key: str, number: str
) -> None:
    write_config(home, f"[policy]\n{key} = {number}\n".encode())
    r = run("agenda")
    one_line(r, ExitCode.INVALID)
    assert f"policy.{key}" in r.err


@pytest.mark.parametrize("number", ["1e308", "inf", "nan", "1" + "0" * 400])
def test_config_set_refuses_absurd_numbers(run: Run, home: Path, number: str) -> None:
    one_line(run("config", "set", "policy.follow_up_after_days", number), ExitCode.INVALID)
    one_line(run("config", "set", "mail.sync_minutes", number), ExitCode.INVALID)
    assert not (home / "config.toml").exists()


def test_the_largest_allowed_delays_still_plan(run: Run, home: Path) -> None:
    write_config(home, b"[policy]\nfollow_up_after_days = 364\nfinal_after_days = 364\n")
    assert run("add", "--company", "Acme", "--role", "Dev", "--at", "2026-11-20T10:00Z").code == 0
    assert run("sent", "1", "--at", "2026-11-21T10:00Z", "--force").code == 0
    assert run("agenda", "--all", "--json").code == 0
    # a step waits at most 52 weeks (domain/policy.py MAX_DELAY), whichever key sets it
    write_config(home, b"[policy]\nfollow_up_after_days = 100000\n")
    r = run("agenda")
    one_line(r, ExitCode.INVALID)
    assert "step 2: after 100000d is longer than a step may wait (at most 52w)" in r.err


@pytest.mark.parametrize("config", [b"user = 3\n", b'[[user]]\nname = "a"\n', b"user = [1]\n"])
def test_config_set_under_a_key_that_is_not_a_table(run: Run, home: Path, config: bytes) -> None:
    path = write_config(home, config)
    r = run("config", "set", "user.name", "X")
    one_line(r, ExitCode.STORE)
    assert "user" in r.err
    assert path.read_bytes() == config


def test_config_set_writes_a_private_file_and_leaves_no_temporary(run: Run, home: Path) -> None:
    assert run("config", "set", "user.name", "Ada").code == 0
    path = home / "config.toml"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.chmod(0o644)  # made readable by hand, or by an older followup
    assert run("config", "set", "timezone", "Asia/Tokyo").code == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert os.listdir(home) == ["config.toml"]


def test_config_set_that_cannot_write_keeps_the_old_file(
    run: Run, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_config(home, b'# mine\ntimezone = "Europe/Paris"\n')

    def full_disk(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full_disk)
    r = run("config", "set", "timezone", "Asia/Tokyo")
    one_line(r, ExitCode.STORE)
    assert "No space left on device" in r.err
    assert path.read_bytes() == b'# mine\ntimezone = "Europe/Paris"\n'
    assert os.listdir(home) == ["config.toml"]


@pytest.mark.parametrize("key", ["mail.daily_limit", "mail.max_batch", "mail.sync_minutes"])
def test_a_word_where_a_number_goes_is_said_plainly(run: Run, home: Path, key: str) -> None:
    r = run("config", "set", key, "lots")
    one_line(r, ExitCode.INVALID)
    assert r.err == f"followup: error: {key}: expected a number\n"  # not Python's words
    assert not (home / "config.toml").exists()


@pytest.mark.parametrize(
    "name",
    [
        "Eve \u202eelpmaxe.live",  # reads "Eve evil.example"
        "Eve\u2028Adams",  # a line break in a From header: every send failed after
        "Vic Tim <victim@example.edu>",  # another's address first in the From
        "victim@example.edu",
        "Eve\x1b[2J",
        "=?utf-8?q?Victim_Smith_=3Cvictim=40example.edu=3E?=",  # no send could write it
    ],
)
def test_your_name_takes_no_hidden_characters_nor_an_address(
    run: Run, home: Path, name: str
) -> None:
    """An attacker trial saved such names; each then signed or broke every note it sent."""
    one_line(run("config", "set", "user.name", name), ExitCode.INVALID)
    assert not (home / "config.toml").exists()


def test_a_real_persons_name_is_kept_as_typed(run: Run) -> None:
    for name in ("Zoë O’Brien-Łukasz", "José María de la Cruz y Peña", "山田 太郎", "Ngozi A."):
        assert run("config", "set", "user.name", name).code == 0
        assert run("config", "show", "--json").json["user.name"] == name


def test_logins_and_commands_keep_what_a_name_may_not(run: Run) -> None:
    """A login is often an address, a command may redirect: only user.name is a name."""
    assert run("config", "set", "mail.username", "grace@example.org").code == 0
    assert run("config", "set", "mail.password_command", "pass show mail < /dev/null").code == 0


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("mail.smtp_host", "\x1b]0;owned\x07\x1b[2JFAKE-HOST"),  # raw into the worker's log
        ("mail.imap_host", "mail\x0bexample.org"),
        ("mail.smtp_host", "smtp.example.org\u202e"),
        ("mail.username", "grace\x1b[1A\x1b[2K"),
        ("mail.ca_file", "/etc/ssl/ca.pem\u2028x"),
    ],
)
def test_settings_take_no_terminal_codes(run: Run, home: Path, key: str, value: str) -> None:
    """A second attacker trial's host went into the shared worker's log and `config show`
    as it was: a terminal code can erase an administrator's lines."""
    one_line(run("config", "set", key, value), ExitCode.INVALID)
    assert not (home / "config.toml").exists()
