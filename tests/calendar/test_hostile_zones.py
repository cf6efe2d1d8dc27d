"""A file's own VTIMEZONEs are bounded before anything follows their rules. Trial 18: a
644-byte invitation whose zone (`Custom/Zone0`, a name no one knows) changed its clocks
every second kept `followup import` — and the dashboard's shared reader, for every seeker
behind it — busy for minutes while its memory grew by gigabytes. Such a zone cannot tell
when the interview is: the file is refused in one line, as a zone no known zone matches is."""

from __future__ import annotations

import html
import time
from pathlib import Path

import pytest

from followup.adapters.calendar.ics import CODEC
from followup.app.errors import InvalidInput
from followup.bootstrap import web_calendar_codec
from tests.calendar.helpers import fixture, ok, one_error_line
from tests.conftest import Result, Run
from tests.web.conftest import ORIGIN, Web, app, client, web  # noqa: F401  (fixtures)

SECONDLY = "synthesized_vtimezone_secondly_custom_name.ics"
FIFTY = "synthesized_vtimezone_secondly_50_zones.ics"
LABEL = 'event 1 ("Interview: Role0 at Corp0")'
REFUSED = (
    f'cannot import {SECONDLY}: {LABEL}: DTSTART: the time zone "Custom/Zone0" is defined'
    " in the file with the rule FREQ=SECONDLY (a time zone's rules are yearly): cannot tell"
    " the time"
)


def zone(tzid: str, rule: str, *, offsets: tuple[str, str] = ("+0100", "+0200")) -> list[str]:
    std, dst = offsets
    return [
        "BEGIN:VTIMEZONE", f"TZID:{tzid}",
        "BEGIN:STANDARD", "DTSTART:16011028T030000", f"RRULE:{rule.replace('@', '10')}",
        f"TZOFFSETFROM:{dst}", f"TZOFFSETTO:{std}", "END:STANDARD",
        "BEGIN:DAYLIGHT", "DTSTART:16010325T020000", f"RRULE:{rule.replace('@', '3')}",
        f"TZOFFSETFROM:{std}", f"TZOFFSETTO:{dst}", "END:DAYLIGHT",
        "END:VTIMEZONE",
    ]  # fmt: skip


def invite(tzid: str, *zones: list[str], head: tuple[str, ...] = ()) -> bytes:
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//tests//hostile zones//EN",
        "METHOD:REQUEST", *head, *(line for z in zones for line in z),
        "BEGIN:VEVENT", "UID:zones@northwind.example", "DTSTAMP:20261120T090000Z",
        f"DTSTART;TZID={tzid}:20261201T100000", f"DTEND;TZID={tzid}:20261201T110000",
        "SUMMARY:Interview: Data Engineer at Northwind",
        "ORGANIZER;CN=Priya Nair:mailto:priya.nair@northwind.example", "END:VEVENT",
        "END:VCALENDAR", "",
    ]  # fmt: skip
    return "\r\n".join(lines).encode()


OUTLOOK_RULE = "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=@"


def timed(run: Run, *args: str) -> tuple[float, Result]:
    start = time.monotonic()
    result = run(*args)
    return time.monotonic() - start, result


def test_the_attack_file_is_one_line_at_once(run: Run) -> None:
    elapsed, result = timed(run, "import", "--yes", fixture(SECONDLY))
    assert one_error_line(result) == f"followup: error: {REFUSED}"
    assert elapsed < 5, elapsed  # was: minutes, and gigabytes
    assert ok(run("list", "--json")).json == []


def test_fifty_such_zones_are_more_than_are_read(run: Run) -> None:
    elapsed, result = timed(run, "import", "--yes", fixture(FIFTY))
    line = one_error_line(result)
    assert line == (
        f"followup: error: cannot import {FIFTY}: it defines 50 time zones (VTIMEZONE):"
        " at most 20 are read"
    )
    assert elapsed < 5, elapsed


@pytest.mark.parametrize(
    ("rule", "problem"),
    [
        # never occurs: dateutil would look for it up to year 9999 at every DTSTART
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "a rule that does not recur about once a year"),
        ("FREQ=YEARLY;BYDAY=SU", "a rule that does not recur about once a year"),  # weekly
        ("FREQ=MINUTELY;COUNT=100000000", "the rule FREQ=MINUTELY"),
        ("FREQ=YEARLY;INTERVAL=0;BYDAY=-1SU;BYMONTH=@", "a rule that skips years (INTERVAL)"),
        ("FREQ=YEARLY;BYMONTH=@;BYDAY=-1SU;BYHOUR=0,1,2,3", "more than one BYHOUR"),
    ],
)
def test_a_zone_no_calendar_writes_is_refused_fast(
    run: Run, tmp_path: Path, rule: str, problem: str
) -> None:
    path = tmp_path / "invite.ics"
    path.write_bytes(invite("Northwind Office Time", zone("Northwind Office Time", rule)))
    elapsed, result = timed(run, "import", "--yes", str(path))
    line = one_error_line(result)
    assert 'the time zone "Northwind Office Time" is defined in the file with' in line
    assert problem in line and line.endswith("cannot tell the time")
    assert elapsed < 5, elapsed


def test_outlooks_zone_under_its_own_name_still_reads() -> None:
    """The same shape with real rules (Outlook writes them from 1601): read by them."""
    data = invite("Northwind Office Time", zone("Northwind Office Time", OUTLOOK_RULE))
    event = CODEC.read_ics(data, name="invite.ics", user_tz="America/New_York").events[0]
    assert (event.start.isoformat(), event.tz) == ("2026-12-01T09:00:00+00:00", "Europe/Berlin")


def test_a_known_name_with_a_runaway_definition_is_read_by_its_name() -> None:
    """A Windows name (icalendar cannot look it up, so it built the file's zone): the name
    tells the zone, the definition is left aside with a warning."""
    tzid = "W. Europe Standard Time"
    data = invite(tzid, zone(tzid, "FREQ=SECONDLY"))
    read = CODEC.read_ics(data, name="invite.ics", user_tz="America/New_York")
    assert (read.events[0].start.isoformat(), read.events[0].tz) == (
        "2026-12-01T09:00:00+00:00",
        "Europe/Berlin",
    )
    assert read.warnings == (
        f'the file defines time zone "{tzid}" with the rule FREQ=SECONDLY (a time zone\'s'
        " rules are yearly): its definition is ignored, the zone read as Europe/Berlin",
    )


def test_with_x_wr_timezone_too() -> None:
    """x_wr_timezone asks every time's offset: it is not handed a file-built zone."""
    data = invite(
        "Custom/Zone0", zone("Custom/Zone0", "FREQ=SECONDLY"), head=("X-WR-TIMEZONE:Europe/Berlin",)
    )
    start = time.monotonic()
    with pytest.raises(InvalidInput, match="FREQ=SECONDLY"):
        CODEC.read_ics(data, name="invite.ics", user_tz="Europe/Berlin")
    assert time.monotonic() - start < 5


def test_each_file_is_read_by_its_own_definition() -> None:
    """icalendar keeps the first VTIMEZONE of a name for the whole process: in the shared
    reader, one seeker's file decided another's time (2 hours off here)."""
    east = invite("Office", zone("Office", OUTLOOK_RULE, offsets=("+0500", "+0500")))
    west = invite("Office", zone("Office", OUTLOOK_RULE, offsets=("+0300", "+0300")))
    first = CODEC.read_ics(east, name="a.ics", user_tz="Europe/Berlin").events[0]
    second = CODEC.read_ics(west, name="b.ics", user_tz="Europe/Berlin").events[0]
    assert (first.start.hour, first.tz) == (5, "Etc/GMT-5")
    assert (second.start.hour, second.tz) == (7, "Etc/GMT-3")


def test_the_dashboards_reader_answers_the_same_line() -> None:
    data = Path(fixture(SECONDLY)).read_bytes()
    start = time.monotonic()
    with pytest.raises(InvalidInput) as raised:
        web_calendar_codec().read_ics(data, name=SECONDLY, user_tz="Europe/Berlin")
    assert str(raised.value) == REFUSED
    assert time.monotonic() - start < 15  # a fresh reader process starts in ~0.4 s


def test_the_dashboard_answers_400_with_the_line(web: Web, run: Run) -> None:  # noqa: F811
    data = Path(fixture(SECONDLY)).read_bytes()
    response = web.client.post(
        "/add/import",
        data={"csrf_token": web.csrf},
        files={"invite": (SECONDLY, data, "text/calendar")},
        headers={"Origin": ORIGIN},
    )
    assert response.status_code == 400, response.text[:500]
    assert REFUSED in html.unescape(response.text)
    assert ok(run("list", "--json")).json == []
