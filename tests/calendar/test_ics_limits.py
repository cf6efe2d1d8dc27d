"""Out-of-range times in an .ics file: one line naming the event, exit 4 (a 400 in the
dashboard), nothing written. Issue #11: `DTSTART:00010101T000000Z` with a zone and
`DURATION:P99999999W` on a re-import ended in exit 1 "internal error" (a 500 page)."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pytest

from tests.calendar.helpers import ok, one_error_line, only
from tests.conftest import Run
from tests.web.conftest import ORIGIN, Web, app, client, web  # noqa: F401  (fixtures)

SUMMARY = "Interview: Backend Engineer at Acme"
LABEL = f'event 1 ("{SUMMARY}")'


def calendar(*lines: str, sequence: int = 0, head: tuple[str, ...] = ()) -> str:
    return "\r\n".join(
        [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//tests//limits//EN", *head,
            "BEGIN:VEVENT", "UID:limits@acme.example", f"SEQUENCE:{sequence}",
            "DTSTAMP:20261101T000000Z", *lines, f"SUMMARY:{SUMMARY}",
            "ORGANIZER;CN=Ada Lovelace:mailto:ada@acme.example", "END:VEVENT",
            "END:VCALENDAR", "",
        ]
    )  # fmt: skip


GOOD = ("DTSTART;TZID=Europe/Berlin:20261201T100000", "DURATION:PT1H")
# (what the file says, what the error line says)
OUT_OF_RANGE: dict[str, tuple[tuple[str, ...], str]] = {
    "year 1 in UTC": (("DTSTART:00010101T000000Z", "DURATION:PT1H"), "between 1970 and 2100"),
    "year 1 in a zone east of UTC": (
        ("DTSTART;TZID=Europe/Berlin:00010101T000000", "DURATION:PT1H"),
        "between 1970 and 2100",
    ),
    "year 1 in a Windows zone": (
        ("DTSTART;TZID=Pacific Standard Time:00010101T000000", "DURATION:PT1H"),
        "between 1970 and 2100",
    ),
    "year 9999 west of UTC, plus a duration": (
        ("DTSTART;TZID=America/Los_Angeles:99991231T230000", "DURATION:PT2H"),
        "between 1970 and 2100",
    ),
    "year 9999 in UTC, an end after it": (
        ("DTSTART:99991231T230000Z", "DTEND:99991231T235900Z"),
        "between 1970 and 2100",
    ),
    "1960": (("DTSTART:19601201T100000Z", "DURATION:PT1H"), "between 1970 and 2100"),
    "DTEND in year 9999": (
        ("DTSTART:20261201T100000Z", "DTEND;TZID=America/Los_Angeles:99991231T230000"),
        "DTEND 9999-12-31 23:00 is out of range",
    ),
    "DURATION:P99999999W": (
        ("DTSTART:20261201T100000Z", "DURATION:P99999999W"),
        "duration must be between 1 minute and 24 hours",
    ),
    "two days": (
        ("DTSTART:20261201T100000Z", "DURATION:P2D"),
        "duration must be between 1 minute and 24 hours",
    ),
    "ten seconds": (
        ("DTSTART:20261201T100000Z", "DURATION:PT10S"),
        "duration must be between 1 minute and 24 hours",
    ),
    "a negative duration": (
        ("DTSTART:20261201T100000Z", "DURATION:-PT1H"),
        "it ends before it starts",
    ),
    "an end before the start": (
        ("DTSTART:20261201T100000Z", "DTEND:20261201T090000Z"),
        "it ends before it starts",
    ),
    "an end in year 1": (
        ("DTSTART:20261201T100000Z", "DTEND:00010101T000000Z"),
        "DTEND 0001-01-01 00:00 is out of range",
    ),
    "beyond datetime's range": (
        ("DTSTART:20261201T100000Z", "DURATION:PT99999999999999S"),
        "is not a duration",
    ),
}


def listed(run: Run) -> list[dict[str, Any]]:
    return ok(run("list", "--json")).json  # type: ignore[no-any-return]


@pytest.mark.parametrize("case", list(OUT_OF_RANGE))
def test_an_out_of_range_time_is_one_line_naming_the_event(
    run: Run, tmp_path: Path, case: str
) -> None:
    lines, problem = OUT_OF_RANGE[case]
    path = tmp_path / "x.ics"
    path.write_text(calendar(*lines))
    line = one_error_line(run("import", "--yes", str(path)))
    assert f"cannot import x.ics: {LABEL}: " in line
    assert problem in line
    assert listed(run) == []


def test_floating_year_1_in_a_google_export(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "x.ics"
    path.write_text(
        calendar("DTSTART:00010101T000000", "DURATION:PT1H", head=("X-WR-TIMEZONE:Europe/Berlin",))
    )
    line = one_error_line(run("import", "--yes", str(path)))
    assert LABEL in line and "between 1970 and 2100" in line


@pytest.mark.parametrize(
    "case", ["DURATION:P99999999W", "1960", "year 1 in a zone east of UTC", "two days"]
)
def test_an_update_out_of_range_is_refused_and_changes_nothing(
    run: Run, tmp_path: Path, case: str
) -> None:
    """A higher SEQUENCE moves an imported interview: the same limits hold."""
    first = tmp_path / "invite.ics"
    first.write_text(calendar(*GOOD))
    created = only(ok(run("import", "--yes", str(first), "--json")).json["interviews"])
    before = ok(run("show", str(created["id"]), "--json")).json

    update = tmp_path / "update.ics"
    update.write_text(calendar(*OUT_OF_RANGE[case][0], sequence=1))
    line = one_error_line(run("import", "--yes", str(update)))
    assert LABEL in line and OUT_OF_RANGE[case][1] in line
    assert ok(run("show", str(created["id"]), "--json")).json == before


@pytest.mark.parametrize("path", ["/add/import", "/api/import"])
@pytest.mark.parametrize("case", ["year 1 in a zone east of UTC", "DURATION:P99999999W"])
def test_the_dashboard_answers_400_with_the_line(
    web: Web,  # noqa: F811  (the fixture imported above)
    run: Run,
    path: str,
    case: str,
) -> None:
    data = calendar(*OUT_OF_RANGE[case][0]).encode()
    headers = {"Origin": ORIGIN}
    if path.startswith("/api/"):
        headers["X-CSRF-Token"] = web.csrf
    response = web.client.post(
        path,
        data={"csrf_token": web.csrf},
        files={"invite": ("x.ics", data, "text/calendar")},
        headers=headers,
    )
    assert response.status_code == 400, response.text[:500]
    if path.startswith("/api/"):
        error = response.json()
        assert (error["status"], error["exit_code"]) == (400, 4)
        assert error["error"].startswith(f"cannot import x.ics: {LABEL}: ")
    else:
        assert 'data-testid="import-error"' in response.text
        assert f"cannot import x.ics: {LABEL}: " in html.unescape(response.text)
    assert listed(run) == []
