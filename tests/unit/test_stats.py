"""The stats arithmetic: rates, buckets, median and p90, ISO weeks in the user's zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from followup.app.rows import Outcome
from followup.app.stats import (
    DAY_BUCKETS,
    Rate,
    days_bucket,
    delay,
    median,
    outcome_delays,
    percentile,
    rate,
    tally,
    tone_of,
    totals,
    week_bounds,
    week_label,
    week_starts,
)
from followup.cli.stats import bar, rate_cell
from followup.domain.model import Tone

H = timedelta(hours=1)
D = timedelta(days=1)
END = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


# --- rates --------------------------------------------------------------------------------


def test_a_rate_with_nothing_sent_is_none_not_zero() -> None:
    assert rate(0, 0) is None
    assert Rate(1, 0, 0).rate is None


def test_rates() -> None:
    assert rate(4, 10) == 0.4
    assert rate(0, 3) == 0.0
    assert rate(3, 3) == 1.0
    assert Rate("formal", 3, 2).rate == pytest.approx(2 / 3)


# --- days to the thank-you ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("elapsed", "bucket"),
    [
        (timedelta(0), "0-2"),
        (48 * H, "0-2"),  # the earliest the policy allows
        (3 * D - timedelta(seconds=1), "0-2"),  # 2 days 23:59:59 is 2 whole days
        (3 * D, "3-4"),
        (5 * D - timedelta(seconds=1), "3-4"),
        (5 * D, "5-7"),
        (8 * D - timedelta(seconds=1), "5-7"),
        (8 * D, "8+"),
        (400 * D, "8+"),
        (-H, "0-2"),  # sent before the end (an import): not a bucket of its own
    ],
)
def test_days_bucket_counts_whole_days(elapsed: timedelta, bucket: str) -> None:
    assert days_bucket(elapsed) == bucket


def test_buckets_cover_every_whole_day_once() -> None:
    keys = [key for key, _, _ in DAY_BUCKETS]
    for day in range(30):
        inside = [
            k for k, first, last in DAY_BUCKETS if first <= day and (last is None or day <= last)
        ]
        assert inside == [days_bucket(day * D)]
        assert inside[0] in keys


# --- median and p90 -----------------------------------------------------------------------


def test_median_of_small_lists() -> None:
    assert median([]) is None
    assert median([3.0]) == 3.0
    assert median([1.0, 3.0]) == 2.0
    assert median([4.0, 1.0, 3.0]) == 3.0  # unsorted input
    assert median([1.0, 2.0, 3.0, 10.0]) == 2.5


def test_p90_is_the_nearest_rank() -> None:
    assert percentile([], 90) is None
    assert percentile([7.0], 90) == 7.0
    assert percentile([1.0, 2.0], 90) == 2.0  # rank ceil(1.8) = 2
    tenths = [float(x) for x in range(10, 0, -1)]  # 10..1, unsorted
    assert percentile(tenths, 90) == 9.0  # rank ceil(9.0) = 9: exactly 90 % at or below
    assert percentile([*tenths, 11.0], 90) == 10.0  # rank ceil(9.9) = 10
    assert percentile([1.0, 2.0, 3.0], 100) == 3.0
    with pytest.raises(ValueError):
        percentile([1.0], 0)


@given(st.lists(st.floats(min_value=0, max_value=1e4, allow_nan=False), min_size=1))
def test_p90_is_a_value_with_at_least_90_percent_at_or_below(values: list[float]) -> None:
    p90 = percentile(values, 90)
    assert p90 in values
    assert sum(v <= p90 for v in values) >= 0.9 * len(values)
    assert sum(v < p90 for v in values) < 0.9 * len(values)
    m = median(values)
    assert m is not None and min(values) <= m <= p90


def test_delay_in_days() -> None:
    d = delay([D, 4 * D, 7 * D - H, 7 * D, 14 * D])
    assert d.n == 5
    assert d.median == pytest.approx(7 - 1 / 24)
    assert d.p90 == 14.0
    assert delay([]) == (0, None, None)


# --- tones and the tally ------------------------------------------------------------------


def test_tone_follows_the_culture_unless_overridden() -> None:
    assert tone_of("corporate", None) is Tone.FORMAL
    assert tone_of("startup", None) is Tone.CASUAL
    assert tone_of("other", None) is Tone.NEUTRAL
    assert tone_of("startup", "formal") is Tone.FORMAL


def outcome(
    step: int | None,
    *,
    culture: str = "corporate",
    tone: str | None = None,
    thanked: timedelta | None = 2 * D + H,
    replied: timedelta | None = None,
    status: str = "waiting",
) -> Outcome:
    return Outcome(
        status=status,
        last_step=step,
        culture=culture,
        tone=tone,
        ended_at=END,
        thanked_at=END + thanked if thanked is not None else None,
        replied_at=END + replied if replied is not None else None,
    )


def test_tally_zero_fills_every_step_tone_and_bucket() -> None:
    by_step, by_tone, by_days = tally([])
    assert by_step == (Rate(1, 0, 0), Rate(2, 0, 0), Rate(3, 0, 0))
    assert [r.key for r in by_tone] == ["formal", "casual", "neutral"]
    assert [r.key for r in by_days] == ["0-2", "3-4", "5-7", "8+"]
    assert all(r.sent == 0 and r.rate is None for r in (*by_tone, *by_days))


def test_tally_counts_each_sequence_once_per_table() -> None:
    by_step, by_tone, by_days = tally(
        [
            outcome(1, replied=4 * D),
            outcome(1, culture="other", thanked=4 * D),
            outcome(2, culture="startup", thanked=3 * D, replied=14 * D, status="replied"),
            outcome(3, thanked=8 * D, status="closed"),
            outcome(1, culture="startup", tone="formal", thanked=5 * D, replied=7 * D),
            outcome(2, thanked=None),  # a thank-you recorded before the interview: no bucket
        ]
    )
    assert by_step == (Rate(1, 3, 2), Rate(2, 2, 1), Rate(3, 1, 0))
    assert by_tone == (Rate("formal", 4, 2), Rate("casual", 1, 1), Rate("neutral", 1, 0))
    assert by_days == (Rate("0-2", 1, 1), Rate("3-4", 2, 1), Rate("5-7", 1, 1), Rate("8+", 1, 0))


def test_tally_leaves_out_what_did_not_run_its_course() -> None:
    by_step, by_tone, _ = tally(
        [
            outcome(None, replied=D, status="replied"),  # replied before any note
            outcome(1, status="cancelled"),
            outcome(2, status="advanced"),
            outcome(1, status="closed"),
        ]
    )
    assert by_step == (Rate(1, 1, 0), Rate(2, 0, 0), Rate(3, 0, 0))
    assert sum(r.sent for r in by_tone) == 1


def test_tally_keeps_a_step_the_policy_does_not_list() -> None:
    by_step, _, _ = tally([outcome(2)], steps=(1,))
    assert by_step == (Rate(1, 0, 0), Rate(2, 1, 0))


def test_totals_name_the_statuses() -> None:
    t = totals({"waiting": 2, "replied": 5, "closed": 1, "advanced": 1, "cancelled": 1}, 14)
    assert t == (10, 2, 5, 1, 1, 1, 14, 0, 0, 0)
    ended = totals({"rejected": 3, "role-closed": 2, "offer": 1, "waiting": 1}, 0)
    assert (ended.interviews, ended.rejected, ended.role_closed, ended.offer) == (7, 3, 2, 1)


def test_outcomes_count_each_end_and_the_days_to_it() -> None:
    end = datetime(2026, 11, 2, 12, tzinfo=UTC)
    times = [
        ("rejected", end, end + timedelta(days=3)),
        ("rejected", end, end + timedelta(days=9)),
        ("closed", end, end + timedelta(days=21)),
        ("offer", end, end + timedelta(days=6)),
        ("replied", end, end + timedelta(days=1)),  # not an outcome: left out
    ]
    found = {o.name: (o.delay.n, o.delay.median) for o in outcome_delays(times)}
    assert found == {
        "rejected": (2, 6.0),
        "role closed": (0, None),
        "offer": (1, 6.0),
        "ghosted": (1, 21.0),
    }
    assert totals({}, 0).interviews == 0


# --- weeks in the user's zone -------------------------------------------------------------


def test_twelve_weeks_end_with_the_current_local_week() -> None:
    mondays = week_starts(utc("2026-11-25T12:00:00Z"), "Europe/Berlin")
    assert len(mondays) == 12
    assert mondays[-1] == date(2026, 11, 23)
    assert mondays[0] == date(2026, 9, 7)
    assert [week_label(m) for m in (mondays[0], mondays[-1])] == ["2026-W37", "2026-W48"]
    assert all(b - a == timedelta(weeks=1) for a, b in pairwise(mondays))


def test_the_current_week_is_the_users_not_utcs() -> None:
    # Sunday 23:30 UTC is already Monday in Berlin, and still Sunday in New York
    sunday_night = utc("2026-11-29T23:30:00Z")
    assert week_starts(sunday_night, "Europe/Berlin", 1) == [date(2026, 11, 30)]
    assert week_starts(sunday_night, "America/New_York", 1) == [date(2026, 11, 23)]
    # Chatham (+13:45 in summer) is in Monday while UTC is still on Sunday morning
    assert week_starts(utc("2026-11-29T10:15:00Z"), "Pacific/Chatham", 1) == [date(2026, 11, 30)]


def test_iso_weeks_across_the_year_boundary() -> None:
    # 2026 has 53 ISO weeks; the week of 2027-01-01 (a Friday) is 2026-W53
    new_year = utc("2026-12-31T23:30:00Z")  # 00:30 on 1 January in Berlin
    mondays = week_starts(new_year, "Europe/Berlin", 3)
    assert mondays == [date(2026, 12, 14), date(2026, 12, 21), date(2026, 12, 28)]
    assert [week_label(m) for m in mondays] == ["2026-W51", "2026-W52", "2026-W53"]
    later = week_starts(utc("2027-01-05T12:00:00Z"), "Europe/Berlin", 2)
    assert [week_label(m) for m in later] == ["2026-W53", "2027-W01"]
    # and a Monday in December can open the next ISO year
    assert week_label(date(2025, 12, 29)) == "2026-W01"
    assert week_label(date(2024, 12, 30)) == "2025-W01"
    bounds = week_bounds(mondays, "Europe/Berlin")
    assert bounds[-2] <= new_year < bounds[-1]


def test_week_bounds_are_local_midnights_across_dst() -> None:
    mondays = [date(2026, 3, 23), date(2026, 3, 30)]  # Berlin springs forward on 29 March
    bounds = week_bounds(mondays, "Europe/Berlin")
    assert bounds == [
        utc("2026-03-22T23:00:00Z"),
        utc("2026-03-29T22:00:00Z"),
        utc("2026-04-05T22:00:00Z"),
    ]
    assert bounds[1] - bounds[0] == timedelta(hours=167)
    # a note at 00:30 on Monday (summer time) is in the new week, though 23:30 in winter time
    assert bounds[1] <= utc("2026-03-29T22:30:00Z") < bounds[2]
    assert bounds[0] <= utc("2026-03-29T21:30:00Z") < bounds[1]
    autumn = week_bounds([date(2026, 10, 19)], "Europe/Berlin")
    assert autumn[1] - autumn[0] == timedelta(hours=169)


def test_week_bounds_in_a_far_off_zone() -> None:
    # Chatham: +12:45 in winter, +13:45 from the last Sunday of September (27 Sep 2026)
    bounds = week_bounds([date(2026, 9, 21)], "Pacific/Chatham")
    assert bounds == [utc("2026-09-20T11:15:00Z"), utc("2026-09-27T10:15:00Z")]
    assert week_bounds([], "Pacific/Chatham") == []


# --- text bars (cli/stats.py) -------------------------------------------------------------


def test_bars() -> None:
    assert bar(0.4) == "████░░░░░░"
    assert bar(0.75) == "████████░░"  # halves round up
    assert bar(0.0) == "░" * 10
    assert bar(1.0) == "█" * 10
    assert bar(1.5) == "█" * 10
    assert rate_cell(Rate(1, 10, 4)) == "████░░░░░░   40% (4/10)"
    assert rate_cell(Rate(1, 0, 0)) == "░░░░░░░░░░    — (0/0)"
