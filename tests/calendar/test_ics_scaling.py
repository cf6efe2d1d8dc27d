"""Importing an .ics file takes time linear in its events (issue #11: 10,000 events took
50 s, quadratic: every event looked its application up through a whole-table scan and read
every earlier round of it). Measured as a ratio: 10× the events, at most 25× the time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.unit.scaling import TENFOLD_BOUND, tenfold_ratio

SMALL = 100  # events; 10× that at the large end (~0.3 MB; each a whole add, ~2-9 ms)


def _event(i: int, start: datetime, summary: str, organizer: str) -> str:
    return (
        f"BEGIN:VEVENT\r\nUID:scale-{i}@example.com\r\nDTSTAMP:20261101T000000Z\r\n"
        f"DTSTART:{start:%Y%m%dT%H%M%S}Z\r\nDURATION:PT1H\r\nSUMMARY:{summary}\r\n"
        f"ORGANIZER;CN=Person {i}:mailto:{organizer}\r\nEND:VEVENT\r\n"
    )


def rounds_of_one_role(n: int) -> str:
    """One role's interviews in time order (a calendar export): each is the next round of
    the same application, which ends the waiting one before it."""
    first = datetime(2026, 1, 5, 9, tzinfo=UTC)
    events = [
        _event(i, first + timedelta(hours=2 * i), "Acme / Backend Engineer", f"p{i}@acme.example")
        for i in range(n)
    ]
    return _calendar(events)


def newest_first(n: int) -> str:
    """The same role's interviews newest first: each comes before the one already imported,
    so each is a new application of the same company and role (found by that lookup)."""
    last = datetime(2026, 12, 1, 9, tzinfo=UTC)
    events = [
        _event(i, last - timedelta(hours=2 * i), "Acme / Backend Engineer", f"p{i}@acme.example")
        for i in range(n)
    ]
    return _calendar(events)


def _calendar(events: list[str]) -> str:
    return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n" + "".join(events) + "END:VCALENDAR\r\n"


@pytest.mark.parametrize("make", [rounds_of_one_role, newest_first])
def test_import_time_grows_linearly_with_the_events(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make: Callable[[int], str]
) -> None:
    homes = iter(range(1_000))

    def importing(n: int) -> Callable[[], object]:
        path = tmp_path / f"{n}.ics"
        path.write_text(make(n))

        def work() -> None:
            monkeypatch.setenv("FOLLOWUP_HOME", str(tmp_path / f"home-{next(homes)}"))
            result = run("import", "--yes", str(path), "--json")
            assert result.code == 0, result.err
            assert len(result.json["interviews"]) == n

        return work

    ratio = tenfold_ratio(importing, SMALL)
    assert ratio < TENFOLD_BOUND, f"10x the events took {ratio:.0f}x the time"
