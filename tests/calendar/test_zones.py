"""Reading TZIDs: IANA, vendor-prefixed, Windows (CLDR), display names, VTIMEZONE offsets."""

from __future__ import annotations

import re
import warnings
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest

from followup.adapters.calendar import windows_zones
from followup.adapters.calendar.zones import (
    is_iana,
    name_to_zone,
    resolve_tzid,
    wall_to_instant,
    zones_matching,
)
from followup.app.errors import InvalidInput


def test_windows_table_is_cldr_as_icalendar_ships_it() -> None:
    """Regenerate windows_zones.py when this fails: icalendar brought a newer CLDR."""
    from icalendar.timezone import windows_to_olson as source

    assert source.version == windows_zones.CLDR_VERSION
    expected = {
        name: windows_zones.RENAMED.get(zone, zone)
        for name, zone in source.WINDOWS_TO_OLSON.items()
    }
    assert expected == windows_zones.WINDOWS_TO_IANA


def test_every_windows_zone_maps_to_a_zone_this_machine_knows() -> None:
    for name, zone in windows_zones.WINDOWS_TO_IANA.items():
        assert is_iana(zone), (name, zone)
    for old, new in windows_zones.RENAMED.items():  # links: the same rules both ways
        at = datetime(2026, 7, 1, tzinfo=UTC)
        assert at.astimezone(ZoneInfo(old)).utcoffset() == at.astimezone(ZoneInfo(new)).utcoffset()


@pytest.mark.parametrize(
    ("tzid", "zone"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ('"Europe/Berlin"', "Europe/Berlin"),
        ("Pacific Standard Time", "America/Los_Angeles"),
        ("pacific standard time", "America/Los_Angeles"),
        ("W. Europe Standard Time", "Europe/Berlin"),
        ("India Standard Time", "Asia/Kolkata"),  # CLDR's Asia/Calcutta, current name
        ("/mozilla.org/20070129_1/America/New_York", "America/New_York"),
        ("/freeassociation.sourceforge.net/Tzfile/Europe/Vienna", "Europe/Vienna"),
        ("posix/Europe/Vaduz", "Europe/Vaduz"),  # a system copy: the name behind it
        ("Nowhere/Land", None),
        ("(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna", None),
        ("../../etc/passwd", None),
        ("", None),
    ],
)
def test_names_alone(tzid: str, zone: str | None) -> None:
    assert name_to_zone(tzid) == zone


def test_display_name_without_definition_uses_its_zone_checked_against_its_offset() -> None:
    wall = datetime(2026, 12, 1, 9, 30)
    got = resolve_tzid("(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna", None, wall)
    assert got.zone == "Europe/Berlin" and got.warning  # CLDR's, not the first city named
    # a display name in another language: its cities
    got = resolve_tzid("(UTC+01:00) Brüssel, Kopenhagen, Madrid, Paris", None, wall)
    assert got.zone == "Europe/Madrid"
    # a city at another offset than the name says is not taken
    with pytest.raises(InvalidInput, match="not assumed to be UTC"):
        resolve_tzid("(UTC+05:00) Amsterdam", None, wall)
    with pytest.raises(InvalidInput, match="unknown time zone"):
        resolve_tzid("My Own Zone", None, wall)


def _vtimezone(text: str):  # type: ignore[no-untyped-def]
    calendar = icalendar.Calendar.from_ical(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n"
        + text.replace("\n", "\r\n")
        + "\r\nEND:VCALENDAR\r\n"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return next(iter(calendar.walk("VTIMEZONE"))).to_tz(lookup_tzid=False)


CET_RULES = """BEGIN:VTIMEZONE
TZID:Some Name
BEGIN:STANDARD
DTSTART:16010101T030000
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010101T020000
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3
END:DAYLIGHT
END:VTIMEZONE"""


def test_a_definition_matches_the_zones_with_its_rules_and_prefers_a_named_city() -> None:
    definition = _vtimezone(CET_RULES)
    wall = datetime(2026, 12, 1, 9, 30)
    matches = zones_matching(definition, wall)
    assert {"Europe/Berlin", "Europe/Paris", "Europe/Madrid"} <= set(matches)
    assert "Europe/London" not in matches and "Africa/Lagos" not in matches  # no DST there
    assert resolve_tzid(
        "(UTC+01:00) Brüssel, Kopenhagen, Madrid, Paris", definition, wall
    ).zone == ("Europe/Madrid")
    assert resolve_tzid("Western/Central Europe", definition, wall).zone == "Europe/Berlin"


def _outlook_vtimezone(tzid: str, standard: str, daylight: str | None, rules: str) -> str:
    """A VTIMEZONE as Outlook writes it for a display-name TZID: 1601 onsets, yearly rules."""
    if daylight is None:
        return (
            f"BEGIN:VTIMEZONE\nTZID:{tzid}\nBEGIN:STANDARD\nDTSTART:16010101T000000\n"
            f"TZOFFSETFROM:{standard}\nTZOFFSETTO:{standard}\nEND:STANDARD\nEND:VTIMEZONE"
        )
    back, forward = {"US": ("1SU;BYMONTH=11", "2SU;BYMONTH=3"),
                     "EU": ("-1SU;BYMONTH=10", "-1SU;BYMONTH=3")}[rules]  # fmt: skip
    return (
        f"BEGIN:VTIMEZONE\nTZID:{tzid}\n"
        f"BEGIN:STANDARD\nDTSTART:16010101T020000\nTZOFFSETFROM:{daylight}\n"
        f"TZOFFSETTO:{standard}\nRRULE:FREQ=YEARLY;BYDAY={back}\nEND:STANDARD\n"
        f"BEGIN:DAYLIGHT\nDTSTART:16010101T020000\nTZOFFSETFROM:{standard}\n"
        f"TZOFFSETTO:{daylight}\nRRULE:FREQ=YEARLY;BYDAY={forward}\nEND:DAYLIGHT\n"
        "END:VTIMEZONE"
    )


# Outlook's display names with the offsets Windows gives them, and CLDR's zone for each
# (windowsZones.xml: the comment above each Windows name). Several share their clocks with
# other zones (Eastern with Grand Turk, Nassau, Toronto): the name decides, not the alphabet.
DISPLAY_NAMES = [
    ("(UTC-05:00) Eastern Time (US & Canada)", "-0500", "-0400", "US", "America/New_York"),
    ("(UTC-05:00) Indiana (East)", "-0500", "-0400", "US", "America/Indiana/Indianapolis"),
    ("(UTC-06:00) Central Time (US & Canada)", "-0600", "-0500", "US", "America/Chicago"),
    ("(UTC-06:00) Central America", "-0600", None, "", "America/Guatemala"),
    ("(UTC-07:00) Arizona", "-0700", None, "", "America/Phoenix"),
    ("(UTC-08:00) Pacific Time (US & Canada)", "-0800", "-0700", "US", "America/Los_Angeles"),
    ("(UTC-04:00) Atlantic Time (Canada)", "-0400", "-0300", "US", "America/Halifax"),
    ("(UTC-03:00) Brasilia", "-0300", None, "", "America/Sao_Paulo"),
    ("(UTC-03:00) Brasília", "-0300", None, "", "America/Sao_Paulo"),
    ("(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna", "+0100", "+0200", "EU",
     "Europe/Berlin"),
    ("(UTC+01:00) Sarajevo, Skopje, Warsaw, Zagreb", "+0100", "+0200", "EU", "Europe/Warsaw"),
    ("(UTC+01:00) Brussels, Copenhagen, Madrid, Paris", "+0100", "+0200", "EU", "Europe/Paris"),
    ("(UTC+00:00) Dublin, Edinburgh, Lisbon, London", "+0000", "+0100", "EU", "Europe/London"),
    ("(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi", "+0530", None, "", "Asia/Kolkata"),
    ("(GMT-05:00) Eastern Time (US & Canada)", "-0500", "-0400", "US", "America/New_York"),
    ("(UTC-11:00) Coordinated Universal Time-11", "-1100", None, "", "Etc/GMT+11"),
    ("(UTC+12:00) Coordinated Universal Time+12", "+1200", None, "", "Etc/GMT-12"),
]  # fmt: skip


@pytest.mark.parametrize(("tzid", "standard", "daylight", "rules", "zone"), DISPLAY_NAMES)
def test_a_windows_display_name_is_the_zone_cldr_gives_it(
    tzid: str, standard: str, daylight: str | None, rules: str, zone: str
) -> None:
    wall = datetime(2027, 11, 23, 10, 0)
    definition = _vtimezone(_outlook_vtimezone(tzid, standard, daylight, rules))
    assert resolve_tzid(tzid, definition, wall).zone == zone
    assert resolve_tzid(tzid, None, wall).zone == zone  # no VTIMEZONE: its offset checked


def test_every_display_name_names_a_windows_zone_once() -> None:
    assert set(windows_zones.DISPLAY_NAMES.values()) == set(windows_zones.WINDOWS_TO_IANA)
    folded = [re.sub(r"[^a-z0-9+-]", "", t.lower()) for t in windows_zones.DISPLAY_NAMES]
    assert len(set(folded)) == len(folded)


def test_a_display_name_whose_zone_has_other_clocks_falls_back_to_the_definition() -> None:
    """Old Eastern rules (DST April to October, before 2007) match no zone around 2027:
    the file's definition tells the time, and the zone is still New York, not Grand Turk."""
    old_rules = (
        _outlook_vtimezone("(UTC-05:00) Eastern Time (US & Canada)", "-0500", "-0400", "US")
        .replace("1SU;BYMONTH=11", "-1SU;BYMONTH=10")
        .replace("2SU;BYMONTH=3", "1SU;BYMONTH=4")
    )
    got = resolve_tzid(
        "(UTC-05:00) Eastern Time (US & Canada)", _vtimezone(old_rules), datetime(2027, 6, 1, 9)
    )
    assert got.zone == "America/New_York" and got.warning and "old Windows rules" in got.warning


def test_a_fixed_offset_definition_is_an_etc_zone() -> None:
    definition = _vtimezone(
        "BEGIN:VTIMEZONE\nTZID:UTC+11\nBEGIN:STANDARD\nDTSTART:16010101T000000\n"
        "TZOFFSETFROM:+1100\nTZOFFSETTO:+1100\nEND:STANDARD\nEND:VTIMEZONE"
    )
    assert resolve_tzid("UTC+11", definition, datetime(2026, 2, 1, 9)).zone == "Etc/GMT-11"


def test_a_definition_no_zone_has_is_an_error() -> None:
    definition = _vtimezone(
        "BEGIN:VTIMEZONE\nTZID:Mars\nBEGIN:STANDARD\nDTSTART:16010101T000000\n"
        "TZOFFSETFROM:+0317\nTZOFFSETTO:+0317\nEND:STANDARD\nEND:VTIMEZONE"
    )
    with pytest.raises(InvalidInput, match="offsets no known zone has"):
        resolve_tzid("Mars", definition, datetime(2026, 2, 1, 9))


@pytest.mark.parametrize(
    ("wall", "zone", "utc", "warning"),
    [
        (datetime(2026, 11, 30, 10), "America/Los_Angeles", datetime(2026, 11, 30, 18), None),
        (datetime(2026, 11, 1, 1, 30), "America/New_York", datetime(2026, 11, 1, 5, 30), "twice"),
        (datetime(2027, 3, 14, 2, 30), "America/New_York", datetime(2027, 3, 14, 7, 30), "skip"),
        (datetime(2026, 3, 29, 2, 30), "Europe/Berlin", datetime(2026, 3, 29, 1, 30), "skip"),
        (datetime(2026, 10, 25, 2, 30), "Europe/Berlin", datetime(2026, 10, 25, 0, 30), "twice"),
        (datetime(2026, 4, 5, 3, 0), "Pacific/Chatham", datetime(2026, 4, 4, 13, 15), "twice"),
    ],
)
def test_wall_times_at_dst_changes(
    wall: datetime, zone: str, utc: datetime, warning: str | None
) -> None:
    instant, note = wall_to_instant(wall, ZoneInfo(zone), zone)
    assert instant == utc.replace(tzinfo=UTC)
    assert (note is None) if warning is None else (note is not None and warning in note)


OLD_SYDNEY_RULES = """BEGIN:VTIMEZONE
TZID:Canberra, Melbourne, Sydney
BEGIN:STANDARD
DTSTART:16010101T030000
TZOFFSETFROM:+1100
TZOFFSETTO:+1000
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010101T020000
TZOFFSETFROM:+1000
TZOFFSETTO:+1100
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10
END:DAYLIGHT
END:VTIMEZONE"""


def test_old_windows_rules_no_zone_has_take_the_city_the_name_mentions() -> None:
    """Outlook 2003's "Canberra, Melbourne, Sydney": DST from the last Sunday of October to
    the last of March, as before 2008. No zone has those dates; Sydney has the offsets."""
    definition = _vtimezone(OLD_SYDNEY_RULES)
    wall = datetime(2027, 4, 1, 10)
    assert zones_matching(definition, wall) == []
    got = resolve_tzid("Canberra, Melbourne, Sydney", definition, wall)
    # CLDR's zone for the region among the cities named (Canberra is only a link to it)
    assert got.zone == "Australia/Sydney"
    assert got.warning and "Australia/Sydney" in got.warning and "definition" in got.warning
    # a name with no city whose offsets agree is still refused, never guessed
    with pytest.raises(InvalidInput, match="offsets no known zone has"):
        resolve_tzid("Perth", definition, wall)  # a city at other offsets
    with pytest.raises(InvalidInput, match="offsets no known zone has"):
        resolve_tzid("AUS Eastern (old rules)", definition, wall)  # no city at all
