"""The dashboard's shared reader process (`adapters/calendar/isolated.py`): one file may not keep
it. Trial 18: a crafted invitation kept it busy (every seeker's upload behind it answered
503), and once the kernel killed it every later upload was a 500 `BrokenProcessPool` for
everyone until a restart."""

from __future__ import annotations

import os
import resource
import signal
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from followup.adapters.calendar.isolated import IsolatedCodec, _read
from followup.app.errors import FollowupError, InvalidInput
from followup.bootstrap import web_calendar_codec

if TYPE_CHECKING:
    from tests.web.conftest import Web

GOOD = Path(__file__).resolve().parents[1] / "fixtures" / "ics" / "synthesized_two_events.ics"


def _slow(what: str, data: bytes, name: str, user_tz: str) -> object:
    """A read that never ends (run in the reader process, imported there by name)."""
    time.sleep(600)
    return None


def _greedy(what: str, data: bytes, name: str, user_tz: str) -> object:
    """A read whose memory runs away."""
    return bytearray(4 * 2**30)


def _by_name(what: str, data: bytes, name: str, user_tz: str) -> object:
    """A stuck read for a file named slow*, a 2 s one for pause*, the real one for others."""
    if name.startswith("slow"):
        time.sleep(600)
    if name.startswith("pause"):
        time.sleep(2)
    return _read(what, data, name, user_tz)


def upload(name: str) -> int | str:
    """A seeker's upload of the good invitation as `name`: its events, or the line shown."""
    try:
        invitation = web_calendar_codec().read_ics(
            GOOD.read_bytes(), name=name, user_tz="Europe/Berlin"
        )
    except FollowupError as exc:
        return f"{type(exc).__name__}: {exc}"
    return len(invitation.events)


def until(condition: Callable[[], bool]) -> None:
    for _ in range(1000):
        if condition():
            return
        time.sleep(0.01)
    raise AssertionError("never happened")


def warm() -> None:
    """The process up, and `_by_name`'s module imported in it: that is not a read's time."""
    assert upload("warm.ics") == 2


def in_line() -> int:
    return len(IsolatedCodec._line)


TOOK_LONGER = (
    "InvalidInput: cannot import slow.ics: reading it took longer than {:g} s: it is not an"
    " invitation this can read"
)
BUSY = "cannot import {}: the invitation reader is busy with other files: try again in a minute"


def _pid() -> int:
    return int(IsolatedCodec._executor().submit(os.getpid).result(timeout=60))


def read_good() -> int:
    invitation = web_calendar_codec().read_ics(
        GOOD.read_bytes(), name=GOOD.name, user_tz="Europe/Berlin"
    )
    return len(invitation.events)


@pytest.fixture(autouse=True)
def fresh_reader() -> Iterator[None]:
    IsolatedCodec._close()
    yield
    IsolatedCodec._close()


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"  # not reaped yet


def test_a_killed_reader_is_replaced_at_the_next_upload() -> None:
    assert read_good() == 2
    pid = _pid()
    os.kill(pid, signal.SIGKILL)  # as the OOM killer does
    time.sleep(0.5)
    assert read_good() == 2  # was: BrokenProcessPool, a 500 for every upload after
    assert _pid() != pid


def test_a_read_past_its_time_is_one_line_and_the_next_gets_a_fresh_reader(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(IsolatedCodec, "timeout", 1.0)
    monkeypatch.setattr(IsolatedCodec, "_task", staticmethod(_slow))
    pid = _pid()
    start = time.monotonic()
    with pytest.raises(InvalidInput) as raised:
        web_calendar_codec().read_ics(b"BEGIN:VCALENDAR", name="slow.ics", user_tz="UTC")
    assert str(raised.value) == (
        "cannot import slow.ics: reading it took longer than 1 s: it is not an invitation"
        " this can read"
    )
    assert time.monotonic() - start < 10
    for _ in range(50):  # killed, not left running on
        if gone(pid):
            break
        time.sleep(0.1)
    assert gone(pid)
    monkeypatch.undo()
    assert read_good() == 2


def test_the_reader_has_a_memory_cap_and_a_runaway_read_is_one_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    limit = IsolatedCodec._executor().submit(resource.getrlimit, resource.RLIMIT_AS)
    assert limit.result(timeout=60)[0] == 2**30
    monkeypatch.setattr(IsolatedCodec, "_task", staticmethod(_greedy))
    with pytest.raises(InvalidInput) as raised:
        web_calendar_codec().read_ics(b"BEGIN:VCALENDAR", name="big.ics", user_tz="UTC")
    assert str(raised.value) == (
        "cannot import big.ics: reading it needs more memory than an invitation may use:"
        " it is not an invitation this can read"
    )
    monkeypatch.undo()
    assert read_good() == 2


def test_reads_waiting_behind_one_ended_for_its_time_are_sent_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Trial 18, round 2: 4 loops of a 1.8 MB .eml and a seeker's 350-byte .ics; when a stuck
    read's pool was ended, the reads queued behind it were cancelled, and the victim got a
    500 (CancelledError). The one handed on already (BrokenProcessPool) and the ones not yet
    (CancelledError) are sent again, and read."""
    monkeypatch.setattr(IsolatedCodec, "_task", staticmethod(_by_name))
    warm()  # at the default times
    monkeypatch.setattr(IsolatedCodec, "timeout", 4.0)
    with ThreadPoolExecutor(4) as seekers:
        slow = seekers.submit(upload, "slow.ics")
        until(lambda: in_line() == 1)
        behind = [seekers.submit(upload, "invite.ics")]
        until(lambda: in_line() == 2)
        behind += [seekers.submit(upload, f"invite{k}.ics") for k in (2, 3)]
        assert slow.result(timeout=60) == TOOK_LONGER.format(4)
        assert [b.result(timeout=60) for b in behind] == [2, 2, 2]


def test_a_read_that_waited_past_its_patience_is_busy_and_ends_no_ones_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On retry the victim got "took longer than 20 s: it is not an invitation this can read"
    for a good file: it had waited behind another's. Waiting is not reading: its uploader
    is told the reader is busy, the pool is left to the slow read, whose own uploader gets
    the "took longer" line."""
    monkeypatch.setattr(IsolatedCodec, "_task", staticmethod(_by_name))
    warm()  # at the default times
    monkeypatch.setattr(IsolatedCodec, "timeout", 3.0)
    monkeypatch.setattr(IsolatedCodec, "patience", 1.0)
    pid = _pid()
    pool = IsolatedCodec._pool
    with ThreadPoolExecutor(1) as seekers:
        slow = seekers.submit(upload, "slow.ics")
        until(lambda: in_line() == 1)
        start = time.monotonic()
        assert upload("invite.ics") == "Conflict: " + BUSY.format("invite.ics")
        assert 0.9 < time.monotonic() - start < 2.5
        assert IsolatedCodec._pool is pool and not gone(pid)  # the slow read still runs
        assert slow.result(timeout=60) == TOOK_LONGER.format(3)
    until(lambda: gone(pid))
    monkeypatch.undo()
    assert read_good() == 2


def test_a_stuck_read_whose_uploader_was_told_busy_is_ended_by_the_next_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A read handed on to the process cannot be called back: told "busy", its uploader no
    longer waits on it. Had it been stuck, every read after it would wait for ever; the
    next waiter ends it once it is past its time, and is read."""
    monkeypatch.setattr(IsolatedCodec, "_task", staticmethod(_by_name))
    warm()  # at the default times
    monkeypatch.setattr(IsolatedCodec, "timeout", 2.5)
    monkeypatch.setattr(IsolatedCodec, "patience", 1.5)
    with ThreadPoolExecutor(2) as seekers:
        pause = seekers.submit(upload, "pause.ics")  # 2 s at the process
        until(lambda: in_line() == 1)
        stuck = seekers.submit(upload, "slow.ics")
        assert stuck.result(timeout=60) == "Conflict: " + BUSY.format("slow.ics")
        assert pause.result(timeout=60) == 2
        until(lambda: in_line() == 1 and IsolatedCodec._line[0].started is not None)
        started = IsolatedCodec._line[0].started
        assert started is not None  # no one waits on it now
        time.sleep(max(0.0, started + 1.5 - time.monotonic()))  # patience ends after its time
        assert upload("invite.ics") == 2


def test_the_dashboard_says_the_reader_is_busy(web: Web, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(IsolatedCodec, "_task", staticmethod(_by_name))
    warm()  # at the default times
    monkeypatch.setattr(IsolatedCodec, "timeout", 3.0)
    monkeypatch.setattr(IsolatedCodec, "patience", 0.5)
    with ThreadPoolExecutor(1) as seekers:
        slow = seekers.submit(upload, "slow.ics")
        until(lambda: in_line() == 1)
        for path in ("/api/import", "/add/import"):
            response = web.client.post(
                path,
                data={"csrf_token": web.csrf},
                files={"invite": ("invite.ics", GOOD.read_bytes(), "text/calendar")},
                headers={"Origin": "http://127.0.0.1:8765", "X-CSRF-Token": web.csrf},
            )
            assert response.status_code == 409, (path, response.text)
            assert BUSY.format("invite.ics") in response.text
        assert slow.result(timeout=60) == TOOK_LONGER.format(3)
