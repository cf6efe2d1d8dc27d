"""The dashboard's shared reader process (`adapters/calendar/isolated.py`): one file may not keep
it. Trial 18: a crafted invitation kept it busy (every seeker's upload behind it answered
503), and once the kernel killed it every later upload was a 500 `BrokenProcessPool` for
everyone until a restart."""

from __future__ import annotations

import os
import resource
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from followup.adapters.calendar.isolated import IsolatedCodec
from followup.app.errors import InvalidInput
from followup.bootstrap import web_calendar_codec

GOOD = Path(__file__).resolve().parents[1] / "fixtures" / "ics" / "synthesized_two_events.ics"


def _slow(what: str, data: bytes, name: str, user_tz: str) -> object:
    """A read that never ends (run in the reader process, imported there by name)."""
    time.sleep(600)
    return None


def _greedy(what: str, data: bytes, name: str, user_tz: str) -> object:
    """A read whose memory runs away."""
    return bytearray(4 * 2**30)


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
