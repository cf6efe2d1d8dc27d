"""`followup caldav push` against a real Radicale (from PyPI) on 127.0.0.1.

The server is started once per session by the `radicale` fixture, with a plain htpasswd
file and its storage in a temporary directory; it FAILS (never skips) when Radicale is
missing or does not answer. Each test takes a fresh user, so a fresh, empty calendar home.
"""

from __future__ import annotations

import itertools
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Result, Run

if find_spec("caldav") is None:  # `make test` runs this file in .venv-caldav, with the extra
    pytest.skip(
        "the caldav extra is not installed here: `make test` runs this file in .venv-caldav",
        allow_module_level=True,
    )

pytestmark = pytest.mark.integration

HOST = "127.0.0.1"
PASSWORD = "correct horse battery staple"


@dataclass
class Radicale:
    url: str
    htpasswd: Path
    users: Iterator[int]
    proc: subprocess.Popen[bytes]

    def add_user(self) -> str:
        name = f"user{next(self.users)}"
        with self.htpasswd.open("a") as f:
            f.write(f"{name}:{PASSWORD}\n")
        return name


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def radicale() -> Iterator[Radicale]:
    try:
        import radicale as _radicale  # noqa: F401
    except ImportError:
        pytest.fail("Radicale is not installed: pip install -e '.[dev,caldav]' (or `make test`)")
    root = Path(tempfile.mkdtemp(prefix="followup-radicale-"))
    htpasswd = root / "users"
    htpasswd.write_text("")
    (root / "config").write_text("")  # no /etc/radicale/config or ~/.config/radicale
    port = _free_port()
    log = (root / "radicale.log").open("wb")
    options = {
        "--config": str(root / "config"),
        "--server-hosts": f"{HOST}:{port}",
        "--storage-filesystem-folder": str(root / "collections"),
        "--auth-type": "htpasswd",
        "--auth-htpasswd-filename": str(htpasswd),
        "--auth-htpasswd-encryption": "plain",
        "--auth-delay": "0",
        "--rights-type": "owner_only",
        "--logging-level": "warning",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "radicale", "--no-auth-htpasswd-cache"]
        + [part for pair in options.items() for part in pair],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://{HOST}:{port}/"
    deadline = time.monotonic() + 20
    while True:
        if proc.poll() is not None:
            log.close()
            pytest.fail(
                f"Radicale exited with {proc.returncode}:\n"
                + (root / "radicale.log").read_text(errors="replace")[-2000:]
            )
        try:
            urllib.request.urlopen(url + ".web/", timeout=1).close()
            break
        except urllib.error.HTTPError:
            break  # it answers
        except OSError:
            if time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"Radicale did not answer on {url} within 20 s")
            time.sleep(0.1)
    try:
        yield Radicale(url, htpasswd, itertools.count(1), proc)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture
def account(radicale: Radicale, run: Run, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh Radicale user, and followup configured to push to it."""
    user = radicale.add_user()
    for key, value in (("caldav.url", radicale.url), ("caldav.username", user)):
        ok(run("config", "set", key, value))
    monkeypatch.setenv("FOLLOWUP_CALDAV_PASSWORD", PASSWORD)
    return user


def ok(result: Result) -> Result:
    assert result.code == 0, (result.code, result.err)
    return result


def push(run: Run, *args: str) -> dict[str, Any]:
    result = ok(run("caldav", "push", "--json", *args))
    counts: dict[str, Any] = result.json
    return counts


def counts(result: dict[str, Any]) -> tuple[int, int, int, int]:
    return result["created"], result["updated"], result["deleted"], result["unchanged"]


def server_events(radicale: Radicale, user: str, calendar: str = "followup") -> dict[str, Any]:
    """UID -> VEVENT, read back with the caldav client."""
    import caldav

    client = caldav.DAVClient(url=radicale.url, username=user, password=PASSWORD)
    found = [c for c in client.principal().calendars() if c.get_display_name() == calendar]
    assert len(found) == 1, [c.get_display_name() for c in client.principal().calendars()]
    events: dict[str, Any] = {}
    for obj in found[0].search(event=True):
        component = obj.icalendar_component
        events[str(component["UID"])] = component
    return events


def pending(run: Run) -> list[dict[str, Any]]:
    notes = []
    for row in ok(run("list", "--json")).json:
        detail = ok(run("show", str(row["id"]), "--json")).json
        notes += [n for n in detail["notes"] if n["state"] == "pending"]
    return notes


def add_two(run: Run) -> None:
    ok(run("add", "--company", "Acme", "--role", "Dev", "--at", "2026-11-24T10:00Z",
           "--interviewer", "Ada Lovelace <ada@acme.com>"))  # fmt: skip
    ok(run("add", "--company", "Beta", "--role", "SRE", "--at", "2026-11-23T09:00Z",
           "--interviewer", "Bob Byte <bob@beta.io>"))  # fmt: skip


def test_push_creates_updates_deletes_and_leaves_others_alone(
    radicale: Radicale, account: str, run: Run
) -> None:
    add_two(run)
    notes = pending(run)
    assert len(notes) == 2

    first = push(run)
    assert counts(first) == (2, 0, 0, 0)
    assert first["calendar_created"] is True
    events = server_events(radicale, account)
    assert len(events) == 2
    for uid, event in events.items():
        assert uid.startswith("followup-") and uid.endswith("@followup.invalid")
        start = event["DTSTART"].dt
        assert start.utcoffset().total_seconds() == 0  # UTC, never floating
    dues = sorted(e["DTSTART"].dt.astimezone(UTC) for e in events.values())
    assert dues == sorted(datetime.fromisoformat(n["due_at"]) for n in notes)
    summaries = sorted(str(e["SUMMARY"]) for e in events.values())
    assert summaries == [
        "Thank-you note to Ada Lovelace (Acme)",
        "Thank-you note to Bob Byte (Beta)",
    ]

    # Someone else's event in the same calendar is never touched.
    import caldav

    client = caldav.DAVClient(url=radicale.url, username=account, password=PASSWORD)
    calendar = next(c for c in client.principal().calendars() if c.get_display_name() == "followup")
    calendar.save_event(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//someone//else//EN\r\nBEGIN:VEVENT\r\n"
        "UID:dentist-42@example.org\r\nDTSTAMP:20261101T000000Z\r\n"
        "DTSTART:20261201T080000Z\r\nDTEND:20261201T090000Z\r\nSUMMARY:Dentist\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )

    assert counts(push(run)) == (0, 0, 0, 2)  # nothing changed: nothing written

    # The thank-you to Ada is sent: its event goes, her follow-up's comes.
    acme = next(r["id"] for r in ok(run("list", "--json")).json if r["company"] == "Acme")
    ok(run("sent", str(acme), "--force"))  # before the 48 h: this test is about the calendar
    before = set(events)
    result = push(run)
    assert counts(result) == (1, 0, 1, 1)
    events = server_events(radicale, account)
    assert "dentist-42@example.org" in events
    ours = {u: e for u, e in events.items() if u.startswith("followup-")}
    assert len(ours) == 2
    new = set(ours) - before
    assert len(new) == 1
    assert str(ours[new.pop()]["SUMMARY"]) == "Follow-up to Ada Lovelace (Acme)"

    # A reply ends Acme's sequence: its remaining event is removed.
    ok(run("replied", str(acme)))
    assert counts(push(run)) == (0, 0, 1, 1)
    events = server_events(radicale, account)
    assert sorted(str(e["SUMMARY"]) for e in events.values()) == [
        "Dentist",
        "Thank-you note to Bob Byte (Beta)",
    ]

    # The dentist survives even when followup has nothing left to show.
    beta = next(r["id"] for r in ok(run("list", "--json")).json if r["company"] == "Beta")
    ok(run("replied", str(beta)))
    assert counts(push(run)) == (0, 0, 1, 0)
    assert list(server_events(radicale, account)) == ["dentist-42@example.org"]


def test_an_event_edited_or_deleted_on_the_server_is_put_back(
    radicale: Radicale, account: str, run: Run
) -> None:
    add_two(run)
    push(run)
    import caldav

    client = caldav.DAVClient(url=radicale.url, username=account, password=PASSWORD)
    calendar = next(c for c in client.principal().calendars() if c.get_display_name() == "followup")
    objects = calendar.search(event=True)
    objects[0].delete()
    assert counts(push(run)) == (1, 0, 0, 1)
    assert len(server_events(radicale, account)) == 2


def test_tasks_with_todo(radicale: Radicale, account: str, run: Run) -> None:
    add_two(run)
    assert counts(push(run, "--todo")) == (2, 0, 0, 0)
    assert counts(push(run, "--todo")) == (0, 0, 0, 2)
    assert counts(push(run)) == (0, 2, 0, 0)  # tasks become events, same UIDs


def test_a_wrong_password_is_one_line(
    radicale: Radicale, account: str, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_two(run)
    monkeypatch.setenv("FOLLOWUP_CALDAV_PASSWORD", "wrong")
    result = run("caldav", "push")
    assert result.code == 4, result
    assert result.out == ""
    assert len(result.err.splitlines()) == 1, result.err
    assert "refused the login" in result.err and account in result.err
    assert "wrong" not in result.err.replace("wrong username", "")  # the password is not shown


def test_an_unreachable_server_is_one_line(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    ok(run("config", "set", "caldav.url", f"http://{HOST}:{_free_port()}/"))
    ok(run("config", "set", "caldav.username", "nobody"))
    monkeypatch.setenv("FOLLOWUP_CALDAV_PASSWORD", PASSWORD)
    result = run("caldav", "push")
    assert result.code == 1, result
    assert len(result.err.splitlines()) == 1, result.err
    assert "cannot reach the CalDAV server" in result.err


def test_without_the_extra_one_line_exit_4(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "caldav" else real(name, *a)
    )
    result = run("caldav", "push")
    assert result.code == 4
    assert result.err.splitlines() == [
        "followup: error: install the caldav extra: pip install 'followup[caldav]'"
    ]


def test_help_does_not_import_caldav(tmp_path: Path) -> None:
    probe = (
        "import sys\nfrom followup.cli.entry import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write(str('caldav' in sys.modules))\n"
    )
    env = {**os.environ, "FOLLOWUP_HOME": str(tmp_path)}
    for args in (["--help"], ["caldav", "--help"], ["caldav", "push", "--help"]):
        proc = subprocess.run(
            [sys.executable, "-c", probe, *args], capture_output=True, text=True, env=env
        )
        assert proc.stderr.strip().endswith("False"), (args, proc.stderr)
