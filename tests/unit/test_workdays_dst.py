"""DST-safe arithmetic: durations in UTC, wall-clock rules in the recipient's zone.

Gaps (clocks jump forward) move a wall time forward by the gap; folds (clocks go back) take
the first occurrence. Checked on ordinary zones and on odd ones: Pacific/Chatham (+12:45 /
+13:45) and Australia/Lord_Howe (a 30-minute DST shift).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from followup.domain.model import Application, Interview, Sequence
from followup.domain.planner import plan_next
from followup.domain.policy import ARTICLE_POLICY, SendWindow
from followup.domain.workdays import (
    into_window,
    is_workday,
    next_workday_opening,
    no_holidays,
    wall_time_exists,
    wall_time_is_ambiguous,
    wall_to_utc,
)

BERLIN = "Europe/Berlin"
NEW_YORK = "America/New_York"
CHATHAM = "Pacific/Chatham"
LORD_HOWE = "Australia/Lord_Howe"
WINDOW = ARTICLE_POLICY.window
EVERY_DAY = frozenset(range(7))


def zoned(tz: str, y: int, mo: int, d: int, h: int = 0, mi: int = 0, fold: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=ZoneInfo(tz), fold=fold)


def thank_you_for(end_utc: datetime, tz: str) -> tuple[datetime, datetime]:
    """(earliest_at, due_at) of the thank-you for an interview ending at `end_utc` in `tz`."""
    interview = Interview(
        id=1,
        application_id=1,
        round=1,
        start=end_utc - timedelta(hours=1),
        duration=timedelta(hours=1),
        tz=tz,
    )
    seq = Sequence(interview, Application(id=1, company="Acme", role="Engineer"))
    (planned,) = plan_next(seq, ARTICLE_POLICY).notes
    return planned.earliest_at, planned.due_at


def wall_hours(a: datetime, b: datetime, tz: str) -> timedelta:
    """What a wall clock in `tz` shows between two instants."""
    zone = ZoneInfo(tz)
    return b.astimezone(zone).replace(tzinfo=None) - a.astimezone(zone).replace(tzinfo=None)


# --- 48 hours is a duration, whatever the clocks do -----------------------------------------


def test_48_hours_across_berlin_fall_back_is_48_real_hours_and_47_on_the_wall() -> None:
    # Friday 2026-10-23 15:00 CEST; the clocks go back on Sunday 2026-10-25 at 03:00.
    end = zoned(BERLIN, 2026, 10, 23, 15).astimezone(UTC)

    earliest, due = thank_you_for(end, BERLIN)

    assert (earliest - end).total_seconds() == 172800
    assert wall_hours(end, earliest, BERLIN) == timedelta(hours=47)
    assert earliest.astimezone(ZoneInfo(BERLIN)).replace(tzinfo=None) == datetime(
        2026, 10, 25, 14, 0
    )
    assert earliest.astimezone(ZoneInfo(BERLIN)).utcoffset() == timedelta(hours=1)  # CET
    assert due == zoned(BERLIN, 2026, 10, 26, 9).astimezone(UTC)  # Monday 09:00 CET


def test_48_hours_across_berlin_spring_forward_is_49_on_the_wall() -> None:
    # Friday 2026-03-27 15:00 CET; the clocks jump forward on Sunday 2026-03-29 at 02:00.
    end = zoned(BERLIN, 2026, 3, 27, 15).astimezone(UTC)

    earliest, _ = thank_you_for(end, BERLIN)

    assert earliest - end == timedelta(hours=48)
    assert wall_hours(end, earliest, BERLIN) == timedelta(hours=49)


def test_48_hours_across_lord_howe_half_hour_shift_is_47_and_a_half_on_the_wall() -> None:
    # Friday 2026-10-02 15:00 +10:30; Sunday 2026-10-04 02:00 becomes 02:30 (+11:00).
    end = zoned(LORD_HOWE, 2026, 10, 2, 15).astimezone(UTC)

    earliest, due = thank_you_for(end, LORD_HOWE)

    assert earliest - end == timedelta(hours=48)
    assert wall_hours(end, earliest, LORD_HOWE) == timedelta(hours=48, minutes=30)
    assert due.astimezone(ZoneInfo(LORD_HOWE)).replace(tzinfo=None) == datetime(2026, 10, 5, 9, 0)
    assert due.astimezone(ZoneInfo(LORD_HOWE)).utcoffset() == timedelta(hours=11)


def test_48_hours_across_chatham_fall_back() -> None:
    # Friday 2026-04-03 15:00 +13:45; Sunday 2026-04-05 03:45 becomes 02:45 (+12:45).
    end = zoned(CHATHAM, 2026, 4, 3, 15).astimezone(UTC)

    earliest, due = thank_you_for(end, CHATHAM)

    assert earliest - end == timedelta(hours=48)
    assert wall_hours(end, earliest, CHATHAM) == timedelta(hours=47)
    local_due = due.astimezone(ZoneInfo(CHATHAM))
    assert local_due.replace(tzinfo=None) == datetime(2026, 4, 6, 9, 0)
    assert local_due.utcoffset() == timedelta(hours=12, minutes=45)


@pytest.mark.parametrize(
    ("day", "offset", "utc"),
    [
        # Chatham opens at 09:00 local: 19:15 UTC the day before in summer (+13:45) ...
        (date(2026, 1, 14), timedelta(hours=13, minutes=45), datetime(2026, 1, 13, 19, 15)),
        # ... and 20:15 UTC in winter (+12:45).
        (date(2026, 7, 15), timedelta(hours=12, minutes=45), datetime(2026, 7, 14, 20, 15)),
    ],
)
def test_chatham_window_opens_at_local_nine(day: date, offset: timedelta, utc: datetime) -> None:
    opens = into_window(wall_to_utc(day, time(0), CHATHAM), CHATHAM, WINDOW)

    assert opens == utc.replace(tzinfo=UTC)
    assert opens.astimezone(ZoneInfo(CHATHAM)).utcoffset() == offset
    assert opens.astimezone(ZoneInfo(CHATHAM)).time() == time(9, 0)


# --- gaps move forward, folds take the first occurrence -------------------------------------


def test_new_york_spring_forward_gap_moves_forward() -> None:
    # 2026-03-08: 02:00 EST jumps to 03:00 EDT; 02:30 does not exist.
    resolved = wall_to_utc(date(2026, 3, 8), time(2, 30), NEW_YORK)

    assert resolved == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)
    local = resolved.astimezone(ZoneInfo(NEW_YORK))
    assert local.replace(tzinfo=None) == datetime(2026, 3, 8, 3, 30)
    assert local.utcoffset() == timedelta(hours=-4)  # EDT


def test_window_opening_inside_the_spring_forward_gap_resolves_to_0330_edt() -> None:
    early_window = SendWindow(EVERY_DAY, time(2, 30), time(17, 0))
    midnight = zoned(NEW_YORK, 2026, 3, 8).astimezone(UTC)

    due = into_window(midnight, NEW_YORK, early_window)

    assert due == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)
    assert due.astimezone(ZoneInfo(NEW_YORK)).replace(tzinfo=None) == datetime(2026, 3, 8, 3, 30)


def test_new_york_fall_back_fold_takes_the_first_occurrence() -> None:
    # 2026-11-01: 02:00 EDT goes back to 01:00 EST; 01:30 happens twice.
    resolved = wall_to_utc(date(2026, 11, 1), time(1, 30), NEW_YORK)

    assert resolved == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT, not 06:30 (EST)
    assert resolved.astimezone(ZoneInfo(NEW_YORK)).utcoffset() == timedelta(hours=-4)


def test_window_opening_inside_the_fold_is_its_first_occurrence() -> None:
    fold_window = SendWindow(EVERY_DAY, time(1, 30), time(17, 0))
    midnight = zoned(NEW_YORK, 2026, 11, 1).astimezone(UTC)

    assert into_window(midnight, NEW_YORK, fold_window) == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("tz", "day", "start", "end"),
    [
        # Opens at 02:30 (-> 03:30 EDT, moved by the gap) but closes at 03:00 EDT.
        (NEW_YORK, date(2026, 3, 8), time(2, 30), time(3, 0)),
        # Troll jumps two hours, 01:00 -> 03:00: 02:30 -> 04:30, but 03:30 exists.
        ("Antarctica/Troll", date(2026, 3, 29), time(2, 30), time(3, 30)),
    ],
)
def test_a_window_emptied_by_a_dst_gap_is_skipped_not_overrun(
    tz: str, day: date, start: time, end: time
) -> None:
    window = SendWindow(EVERY_DAY, start, end)
    midnight = wall_to_utc(day, time(0), tz)

    due = into_window(midnight, tz, window)

    # Resolved forward, that day's opening falls after its closing: no window time that day.
    assert wall_to_utc(day, start, tz) >= wall_to_utc(day, end, tz)
    due_day = due.astimezone(ZoneInfo(tz)).date()
    assert due_day == day + timedelta(days=1)
    assert wall_to_utc(due_day, start, tz) <= due < wall_to_utc(due_day, end, tz)


@pytest.mark.parametrize(
    ("tz", "day", "at", "expected_local", "expected_offset"),
    [
        # Chatham: 2026-09-27 02:45 +12:45 jumps to 03:45 +13:45.
        (CHATHAM, date(2026, 9, 27), time(3, 0), datetime(2026, 9, 27, 4, 0), (13, 45)),
        # Lord Howe: 2026-10-04 02:00 +10:30 jumps to 02:30 +11:00.
        (LORD_HOWE, date(2026, 10, 4), time(2, 15), datetime(2026, 10, 4, 2, 45), (11, 0)),
    ],
)
def test_gaps_in_odd_zones_move_forward_by_the_gap(
    tz: str, day: date, at: time, expected_local: datetime, expected_offset: tuple[int, int]
) -> None:
    resolved = wall_to_utc(day, at, tz).astimezone(ZoneInfo(tz))

    assert resolved.replace(tzinfo=None) == expected_local
    assert resolved.utcoffset() == timedelta(hours=expected_offset[0], minutes=expected_offset[1])


@pytest.mark.parametrize(
    ("tz", "day", "at", "first_offset", "second_offset"),
    [
        # Chatham: 2026-04-05 03:45 +13:45 goes back to 02:45 +12:45.
        (CHATHAM, date(2026, 4, 5), time(3, 0), (13, 45), (12, 45)),
        # Lord Howe: 2026-04-05 02:00 +11:00 goes back to 01:30 +10:30.
        (LORD_HOWE, date(2026, 4, 5), time(1, 45), (11, 0), (10, 30)),
        (NEW_YORK, date(2026, 11, 1), time(1, 30), (-4, 0), (-5, 0)),
    ],
)
def test_folds_in_odd_zones_take_the_first_occurrence(
    tz: str,
    day: date,
    at: time,
    first_offset: tuple[int, int],
    second_offset: tuple[int, int],
) -> None:
    def offset(hm: tuple[int, int]) -> timedelta:
        sign = -1 if hm[0] < 0 else 1
        return sign * timedelta(hours=abs(hm[0]), minutes=hm[1])

    resolved = wall_to_utc(day, at, tz)
    second = datetime.combine(day, at, tzinfo=ZoneInfo(tz)).replace(fold=1).astimezone(UTC)

    assert resolved.astimezone(ZoneInfo(tz)).utcoffset() == offset(first_offset)
    assert second.astimezone(ZoneInfo(tz)).utcoffset() == offset(second_offset)
    assert resolved < second
    assert resolved.astimezone(ZoneInfo(tz)).time() == at


# --- wall_time_exists / wall_time_is_ambiguous ----------------------------------------------


@pytest.mark.parametrize(
    ("local", "exists", "ambiguous"),
    [
        (zoned(NEW_YORK, 2026, 3, 8, 12), True, False),  # an ordinary time
        (zoned(NEW_YORK, 2026, 3, 8, 2, 30), False, False),  # in the gap: skipped, not twice
        (zoned(NEW_YORK, 2026, 11, 1, 1, 30), True, True),  # in the fold
        (zoned(LORD_HOWE, 2026, 10, 4, 2, 15), False, False),
        (zoned(LORD_HOWE, 2026, 4, 5, 1, 45), True, True),
        (zoned(CHATHAM, 2026, 9, 27, 3, 0), False, False),
        (zoned(CHATHAM, 2026, 4, 5, 3, 0), True, True),
        (zoned("Asia/Kathmandu", 2026, 4, 5, 3, 0), True, False),  # no DST at all
    ],
)
def test_wall_time_exists_and_is_ambiguous(local: datetime, exists: bool, ambiguous: bool) -> None:
    assert wall_time_exists(local) is exists
    assert wall_time_is_ambiguous(local) is ambiguous


# --- into_window and next_workday_opening ---------------------------------------------------


def test_into_window_leaves_an_instant_inside_the_window_alone() -> None:
    inside = zoned(BERLIN, 2026, 11, 25, 10, 17).astimezone(UTC)

    assert into_window(inside, BERLIN, WINDOW) == inside


def test_into_window_accepts_an_instant_in_any_zone_and_returns_utc() -> None:
    in_tokyo = zoned("Asia/Tokyo", 2026, 11, 25, 18, 0)  # = 10:00 Berlin

    result = into_window(in_tokyo, BERLIN, WINDOW)

    assert result == in_tokyo
    assert result.utcoffset() == timedelta(0)


def test_into_window_rejects_a_naive_instant() -> None:
    with pytest.raises(ValueError, match="aware"):
        into_window(datetime(2026, 11, 25, 10, 0), BERLIN, WINDOW)


def test_into_window_gives_up_on_a_calendar_where_every_day_is_a_holiday() -> None:
    with pytest.raises(ValueError, match="no working time"):
        into_window(datetime(2026, 11, 25, tzinfo=UTC), BERLIN, WINDOW, lambda _day: True)


def test_next_workday_opening_is_the_first_working_day_after_the_date() -> None:
    # Wednesday -> Thursday 09:00; Friday -> Monday 09:00; Friday + Monday holiday -> Tuesday.
    def opening(day: date, holiday: date | None = None) -> datetime:
        is_holiday = (lambda d: d == holiday) if holiday else no_holidays
        result = next_workday_opening(day, NEW_YORK, WINDOW, is_holiday)
        return result.astimezone(ZoneInfo(NEW_YORK)).replace(tzinfo=None)

    assert opening(date(2026, 11, 25)) == datetime(2026, 11, 26, 9, 0)
    assert opening(date(2026, 11, 27)) == datetime(2026, 11, 30, 9, 0)
    assert opening(date(2027, 5, 28), holiday=date(2027, 5, 31)) == datetime(2027, 6, 1, 9, 0)


def test_next_workday_opening_over_a_midnight_dst_gap() -> None:
    # America/Santiago jumps from 24:00 to 01:00: Saturday 2026-09-05 has no midnight after it.
    result = next_workday_opening(date(2026, 9, 4), "America/Santiago", WINDOW, no_holidays)

    local = result.astimezone(ZoneInfo("America/Santiago"))
    assert local.replace(tzinfo=None) == datetime(2026, 9, 7, 9, 0)


# --- properties of into_window over many zones ----------------------------------------------

ZONES = (
    "UTC",
    BERLIN,
    NEW_YORK,
    CHATHAM,
    LORD_HOWE,
    "Asia/Kathmandu",
    "America/St_Johns",
    "Pacific/Kiritimati",
    "America/Santiago",
    "Africa/Casablanca",
    "America/Havana",
    "Asia/Beirut",
    "Europe/Dublin",
    "Asia/Tehran",
    "Pacific/Apia",
    "Pacific/Marquesas",
    "Antarctica/Troll",
)

instants = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(UTC)
)
half_hours = st.integers(min_value=0, max_value=47).map(lambda n: time(n // 2, 30 * (n % 2)))


@st.composite
def windows(draw: st.DrawFn) -> SendWindow:
    days = draw(st.frozensets(st.integers(0, 6), min_size=1))
    start, end = sorted(draw(st.lists(half_hours, min_size=2, max_size=2, unique=True)))
    return SendWindow(days, start, end)


@st.composite
def holiday_sets(draw: st.DrawFn) -> frozenset[date]:
    """A handful of holidays within a few weeks of 2020-2035 instants (checked by date)."""
    return draw(st.frozensets(st.dates(date(2020, 1, 1), date(2036, 2, 1)), max_size=5))


def bounds(day: date, tz: str, window: SendWindow) -> tuple[datetime, datetime]:
    return wall_to_utc(day, window.start, tz), wall_to_utc(day, window.end, tz)


@settings(max_examples=200, deadline=None)
@given(instant=instants, tz=st.sampled_from(ZONES), window=windows(), extra=holiday_sets())
def test_into_window_moves_forward_to_the_first_working_instant(
    instant: datetime, tz: str, window: SendWindow, extra: frozenset[date]
) -> None:
    # Holidays near the instant, so that some are actually hit.
    start_day = instant.astimezone(ZoneInfo(tz)).date()
    near = {start_day + timedelta(days=(d.toordinal() % 10)) for d in extra}

    def is_holiday(day: date) -> bool:
        return day in near

    due = into_window(instant, tz, window, is_holiday)

    assert due >= instant  # never earlier
    assert due.utcoffset() == timedelta(0)
    day = due.astimezone(ZoneInfo(tz)).date()
    assert is_workday(day, window, is_holiday)
    opens, closes = bounds(day, tz, window)
    assert opens <= due < closes
    # The first such instant: no working day in between had any window time left.
    probe = start_day
    while probe < day:
        if is_workday(probe, window, is_holiday):
            opens_then, closes_then = bounds(probe, tz, window)
            # a window swallowed by a DST gap (both ends moved to the same instant) is empty
            assert closes_then <= instant or opens_then >= closes_then
        probe += timedelta(days=1)
    if due > instant:
        assert due == opens


@settings(max_examples=200, deadline=None)
@given(instant=instants, tz=st.sampled_from(ZONES))
def test_into_window_default_window_is_weekday_nine_to_five_on_the_wall(
    instant: datetime, tz: str
) -> None:
    due = into_window(instant, tz, WINDOW)

    local = due.astimezone(ZoneInfo(tz))
    assert due >= instant
    assert local.weekday() < 5
    assert time(9, 0) <= local.time() < time(17, 0)
    assert due - instant < timedelta(days=4)  # at worst Friday 17:00 -> Monday 09:00 (+DST)


@settings(max_examples=200, deadline=None)
@given(instant=instants, tz=st.sampled_from(ZONES))
def test_into_window_is_idempotent(instant: datetime, tz: str) -> None:
    once = into_window(instant, tz, WINDOW)

    assert into_window(once, tz, WINDOW) == once


@settings(max_examples=200, deadline=None)
@given(
    day=st.dates(date(2020, 1, 1), date(2035, 12, 31)),
    tz=st.sampled_from(ZONES),
    at=st.times(),
)
def test_wall_to_utc_never_goes_backwards_and_round_trips_when_the_time_exists(
    day: date, tz: str, at: time
) -> None:
    resolved = wall_to_utc(day, at, tz)
    local = datetime.combine(day, at, tzinfo=ZoneInfo(tz))

    back = resolved.astimezone(ZoneInfo(tz)).replace(tzinfo=None)
    if wall_time_exists(local):
        assert back == datetime.combine(day, at)  # the wall time itself (first occurrence)
        # compared in UTC: an aware time in a fold never compares equal across zones (PEP 495)
        first = local.replace(fold=0).astimezone(UTC)
        assert not wall_time_is_ambiguous(local) or resolved == first
    else:
        assert back > datetime.combine(day, at)  # a gap moves forward
        assert back - datetime.combine(day, at) <= timedelta(hours=2)


def test_wall_to_utc_takes_the_first_of_a_repeated_hour() -> None:
    """Havana falls back at 01:00 to 00:00 (2024-11-03): 00:30 happens twice; the first is
    04:30Z (hypothesis found this; the comparison must be made in UTC)."""
    resolved = wall_to_utc(date(2024, 11, 3), time(0, 30), "America/Havana")
    assert resolved == datetime(2024, 11, 3, 4, 30, tzinfo=UTC)
