"""Business hours, weekends, holidays and DST-safe wall-clock arithmetic.

Durations ("48 hours after") are added to UTC instants by the caller. Wall-clock rules
("at 09:00 in the recipient's zone") are computed here, in that zone:
- a wall time that falls in a DST gap moves forward by the gap (02:30 that does not exist
  becomes 03:30), which is what `fold=0` gives for a gap (PEP 495);
- a wall time that occurs twice (a fold) is its first occurrence, also `fold=0`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

from followup.domain.policy import SendWindow

IsHoliday = Callable[[date], bool]

# A send window with at least one weekday is found within a year even when every
# holiday of a country falls on a working day; anything longer means a broken calendar.
_MAX_DAYS_AHEAD = 400


def no_holidays(_: date) -> bool:
    return False


# `--country none`: the user wants no public holidays skipped (stored as the country)
NO_COUNTRY = "none"


class HolidayCountry(NamedTuple):
    """Whose public holidays an interview's notes skip, and why."""

    code: str | None  # ISO 3166-1 alpha-2; None: no holidays
    assumed_from: str | None = None  # the zone the country was taken from (none was given)
    off: bool = False  # the user said --country none
    yours: bool = False  # the zone lies in no country (UTC, Etc/GMT-1): the user's `country`

    @property
    def assumed(self) -> bool:
        return self.assumed_from is not None


# Zones that name one region of a country whose public holidays are not the whole
# country's (ISO 3166-2, as the `holidays` package knows them): Europe/London's bank
# holidays are England's (and Wales'), not the United Kingdom's few shared ones (no Easter
# Monday, no August bank holiday); Australia's and Canada's are each state's or province's.
# A zone spanning regions with different holidays (America/New_York) keeps the country's.
ZONE_REGIONS: Mapping[str, str] = {
    "Europe/London": "GB-ENG",
    "Australia/Sydney": "AU-NSW", "Australia/Lord_Howe": "AU-NSW",
    "Australia/Broken_Hill": "AU-NSW", "Australia/Canberra": "AU-ACT",
    "Australia/ACT": "AU-ACT", "Australia/Melbourne": "AU-VIC", "Australia/Brisbane": "AU-QLD",
    "Australia/Lindeman": "AU-QLD", "Australia/Adelaide": "AU-SA", "Australia/Perth": "AU-WA",
    "Australia/Eucla": "AU-WA", "Australia/Hobart": "AU-TAS", "Australia/Darwin": "AU-NT",
    "America/Toronto": "CA-ON", "America/Montreal": "CA-QC", "America/Vancouver": "CA-BC",
    "America/Edmonton": "CA-AB", "America/Winnipeg": "CA-MB", "America/Regina": "CA-SK",
    "America/Halifax": "CA-NS", "America/Glace_Bay": "CA-NS", "America/Moncton": "CA-NB",
    "America/St_Johns": "CA-NL", "America/Whitehorse": "CA-YT",
    "America/Yellowknife": "CA-NT", "America/Iqaluit": "CA-NU",
}  # fmt: skip


def holiday_country(
    given: str | None, tz: str, zone_countries: Mapping[str, str], yours: str | None = None
) -> HolidayCountry:
    """The country whose holidays count: the one the user gave; none if they said `none`;
    else the one the interview's zone lies in (`zone_countries`, tzdata's zone.tab, read by
    an adapter: a zone several countries share gives the first listed), if it is known;
    else, for a zone that lies in no country (UTC, UTC+1), the user's own (`yours`)."""
    if given == NO_COUNTRY:
        return HolidayCountry(None, off=True)
    if given:
        return HolidayCountry(given)
    found = ZONE_REGIONS.get(tz) or zone_countries.get(tz)
    if found is None and yours:
        return HolidayCountry(yours, assumed_from=tz, yours=True)
    return HolidayCountry(found, assumed_from=tz)


@lru_cache(maxsize=256)
def zone(name: str) -> ZoneInfo:
    """The IANA zone called `name` (raises `ZoneInfoNotFoundError` or `ValueError`)."""
    return ZoneInfo(name)


def wall_to_utc(day: date, at: time, tz: str) -> datetime:
    """UTC instant of wall time `at` on `day` in `tz`; gaps move forward, folds take the first."""
    # fold=0 on purpose, whatever the caller passed: that is what moves gaps forward
    return datetime.combine(day, at.replace(fold=0), tzinfo=zone(tz)).astimezone(UTC)


def wall_time_exists(local: datetime) -> bool:
    """False for a naive-then-zoned wall time that a DST gap skips."""
    return local.astimezone(UTC).astimezone(local.tzinfo).replace(tzinfo=None) == local.replace(
        tzinfo=None
    )


def wall_time_is_ambiguous(local: datetime) -> bool:
    """True for a wall time that a DST fold repeats; a gap's skipped time is not ambiguous."""
    if not wall_time_exists(local):
        return False  # in a gap the two folds also differ in offset, but the time never occurs
    return local.replace(fold=0).utcoffset() != local.replace(fold=1).utcoffset()


def is_workday(day: date, window: SendWindow, is_holiday: IsHoliday) -> bool:
    return day.weekday() in window.weekdays and not is_holiday(day)


def into_window(
    instant: datetime, tz: str, window: SendWindow, is_holiday: IsHoliday = no_holidays
) -> datetime:
    """The first instant at or after `instant` inside the send window of zone `tz`."""
    if instant.tzinfo is None:
        raise ValueError("into_window needs an aware instant")
    day = instant.astimezone(zone(tz)).date()
    for _ in range(_MAX_DAYS_AHEAD):
        if is_workday(day, window, is_holiday):
            opens = wall_to_utc(day, window.start, tz)
            closes = wall_to_utc(day, window.end, tz)
            # `opens < closes`: a window opening inside a DST gap moves forward and can pass
            # the closing time; such a day has no window time left.
            if instant < closes and opens < closes:
                return max(instant.astimezone(UTC), opens)
        day += timedelta(days=1)
    raise ValueError(f"no working time in the send window within {_MAX_DAYS_AHEAD} days")


def next_workday_opening(
    day: date, tz: str, window: SendWindow, is_holiday: IsHoliday = no_holidays
) -> datetime:
    """The window's opening on the first working day after `day` ("date + 1 working day")."""
    return into_window(wall_to_utc(day + timedelta(days=1), time(0), tz), tz, window, is_holiday)
