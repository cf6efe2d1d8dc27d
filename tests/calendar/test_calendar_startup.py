"""icalendar loads only when a calendar is read or written (GUIDE §2.6)."""

from __future__ import annotations

from pathlib import Path

from tests.calendar.helpers import fixture
from tests.cli.test_startup import loaded_by


def test_calendar_commands_load_icalendar_only_when_they_need_it(tmp_path: Path) -> None:
    for args in (["import", "--help"], ["export", "--help"], ["export", "--format", "csv"]):
        assert "icalendar" not in loaded_by(args, tmp_path), args
    csv = tmp_path / "x.csv"
    csv.write_text("company,role,start\nAcme,Dev,2026-11-20T10:00Z\n")
    assert "icalendar" not in loaded_by(["import", str(csv)], tmp_path)
    assert "icalendar" in loaded_by(["import", fixture("synthesized_two_events.ics")], tmp_path)
    assert "caldav" not in loaded_by(["export", "--ics", str(tmp_path / "a.ics")], tmp_path)
