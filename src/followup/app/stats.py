"""How the follow-ups went: reply rates, time to a reply, notes sent per week (docs/stats.md).

A read-only use-case. The store aggregates in SQL, one query or two per figure, and hands
over only aggregates, never a row per interview (issue #17): counts per status and per
week, the reply rates' sequences grouped by step, culture, tone and days (`RateRow`), and
for the median and p90 of a delay its count and then the few values at the ranks asked
(`delay_ranks`). The arithmetic — rates, buckets, which ranks, ISO weeks in the user's zone —
is in the small pure functions below, each unit-tested; `tally` and `delay` over whole
lists are the reference the stores' aggregates are checked against
(tests/contract/test_stats_store.py). Light on purpose: `followup stats` and the
dashboard's Stats page import it, nothing heavier than the domain.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, NamedTuple

from followup.app.rows import Outcome, Quantiles, RateRow
from followup.domain.compose import choose_tone
from followup.domain.model import Culture, Tone
from followup.domain.workdays import wall_to_utc, zone

if TYPE_CHECKING:
    from followup.app.context import Context
    from followup.app.ports import StatsStore

WEEKS = 12  # the weekly series: the current ISO week and the 11 before it
DAY = timedelta(days=1)

# Whole days from the interview's end to the thank-you: (id, first day, last day or None).
DAY_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0-2", 0, 2),
    ("3-4", 3, 4),
    ("5-7", 5, 7),
    ("8+", 8, None),
)
DAYS_CAP = DAY_BUCKETS[-1][1]  # whole days at or past the last bucket's first are all one


# --- what stats() returns -----------------------------------------------------------------


class Rate(NamedTuple):
    """Of `sent` sequences, `replied` got a human reply; `key` is a step, tone or bucket."""

    key: int | str
    sent: int
    replied: int

    @property
    def rate(self) -> float | None:
        return rate(self.replied, self.sent)


class Delay(NamedTuple):
    """Days from the interview's end to the first human reply, over `n` interviews."""

    n: int
    median: float | None
    p90: float | None


class Week(NamedTuple):
    start: date  # the Monday, in the user's zone
    label: str  # ISO 8601 week, e.g. 2026-W47
    sent: int


class Totals(NamedTuple):
    interviews: int
    open: int
    replied: int
    closed: int
    advanced: int
    cancelled: int
    notes_sent: int
    rejected: int = 0
    role_closed: int = 0
    offer: int = 0


# How applications ended (issue #15): the hiring side's answers, and `ghosted` — closed,
# the last note sent with no answer. The status each is read from.
OUTCOMES = (
    ("rejected", "rejected"),
    ("role-closed", "role closed"),
    ("offer", "offer"),
    ("closed", "ghosted"),
)


class OutcomeDelay(NamedTuple):
    """How many interviews ended so, and the days from the interview's end to that end."""

    name: str  # rejected | role closed | offer | ghosted
    delay: Delay


class Stats(NamedTuple):
    as_of: datetime
    since: datetime | None
    tz: str
    totals: Totals
    by_step: tuple[Rate, ...]  # key: the step number (1 thank-you, 2 follow-up, 3 final)
    by_tone: tuple[Rate, ...]  # key: a Tone's value
    by_days_to_send: tuple[Rate, ...]  # key: a DAY_BUCKETS id
    first_reply: Delay
    per_week: tuple[Week, ...]  # oldest first, the current week last
    step_kinds: dict[int, str]  # the policy's kind of each step: {1: "thank-you", ...}
    outcomes: tuple[OutcomeDelay, ...] = ()  # in OUTCOMES' order

    @property
    def empty(self) -> bool:
        return self.totals.interviews == 0


# --- the use-case -------------------------------------------------------------------------


def stats(ctx: Context, since: datetime | None = None) -> Stats:
    """Everything the Stats page and `followup stats` show, for interviews since `since`."""
    now = ctx.clock.now()
    store: StatsStore = ctx.store
    mondays = week_starts(now, ctx.user_tz, WEEKS)
    # Reads only: no transaction, which in SQLite would take the write lock (BEGIN IMMEDIATE).
    statuses = store.status_counts(since)
    notes_sent, per_week = store.sent_note_counts(week_bounds(mondays, ctx.user_tz), since)
    kinds = {s.number: s.kind for s in ctx.policy.steps}
    # each sequence's last step by the policy's kinds (planner.notes_by_step, in SQL)
    rows = store.reply_rates(since, DAYS_CAP, [s.kind for s in ctx.policy.steps])
    by_step, by_tone, by_days = tally_rows(rows, steps=sorted(kinds))
    return Stats(
        as_of=now,
        since=since,
        tz=ctx.user_tz,
        totals=totals(statuses, notes_sent),
        by_step=by_step,
        by_tone=by_tone,
        by_days_to_send=by_days,
        first_reply=delay_at(*store.reply_quantiles(delay_ranks, since)),
        per_week=tuple(Week(m, week_label(m), n) for m, n in zip(mondays, per_week, strict=True)),
        step_kinds=kinds,
        outcomes=outcome_delays_at(store.outcome_quantiles(delay_ranks, since)),
    )


# --- the arithmetic (pure) ----------------------------------------------------------------


def rate(replied: int, sent: int) -> float | None:
    """replied / sent; None when nothing was sent (no rate, rather than a made-up 0 %)."""
    return replied / sent if sent else None


def days_bucket(elapsed: timedelta) -> str:
    """The DAY_BUCKETS id for a delay, counted in whole days (2 days 23 h is 2 days)."""
    days = max(0, elapsed // DAY)
    for key, _, last in DAY_BUCKETS:
        if last is None or days <= last:
            return key
    raise AssertionError("the last bucket has no upper bound")


def tone_of(culture: str, override: str | None) -> Tone:
    """The tone an application's notes are written in (compose.choose_tone)."""
    return choose_tone(Culture(culture), override)[0]


def counts_for_rates(o: Outcome) -> bool:
    """A sequence in the reply rates: it sent a note (before any reply) and ran its course.

    Cancelled ones were stopped by the user; advanced ones moved on to a later round, an
    answer that is not recorded as a message (no time, no note to credit). Open ones count,
    as not (yet) replied.
    """
    return o.last_step is not None and o.status not in ("cancelled", "advanced")


def rate_rows(outcomes: Iterable[Outcome], days_cap: int = DAYS_CAP) -> list[RateRow]:
    """The sequences that count for the rates, grouped as a store's `reply_rates` groups
    them (what the in-memory store returns; the SQL stores compute the same in a query)."""
    cells: dict[tuple[int, str, str | None, int | None], list[int]] = {}
    for o in outcomes:
        if o.last_step is None or not counts_for_rates(o):
            continue
        days = None
        if o.thanked_at is not None:
            days = min(max(0, (o.thanked_at - o.ended_at) // DAY), days_cap)
        cell = cells.setdefault((o.last_step, o.culture, o.tone, days), [0, 0])
        cell[0] += 1
        cell[1] += o.replied_at is not None
    return [RateRow(*key, *cell) for key, cell in cells.items()]


def tally_rows(
    rows: Iterable[RateRow], steps: Sequence[int] = (1, 2, 3)
) -> tuple[tuple[Rate, ...], tuple[Rate, ...], tuple[Rate, ...]]:
    """Reply rates by last step, by tone and by days to the thank-you, zero-filled."""
    by_step: dict[int, list[int]] = {s: [0, 0] for s in steps}
    by_tone: dict[str, list[int]] = {t.value: [0, 0] for t in Tone}
    by_days: dict[str, list[int]] = {key: [0, 0] for key, _, _ in DAY_BUCKETS}
    tones: dict[tuple[str, str | None], str] = {}  # a few (culture, override) pairs in all
    for r in rows:
        tone = tones.get((r.culture, r.tone))
        if tone is None:
            tone = tones[r.culture, r.tone] = tone_of(r.culture, r.tone).value
        cells = [by_step.setdefault(r.last_step, [0, 0]), by_tone[tone]]
        if r.days is not None:
            cells.append(by_days[days_bucket(r.days * DAY)])
        for cell in cells:
            cell[0] += r.sent
            cell[1] += r.replied
    return (
        tuple(Rate(k, *by_step[k]) for k in sorted(by_step)),
        tuple(Rate(k, *v) for k, v in by_tone.items()),
        tuple(Rate(k, *v) for k, v in by_days.items()),
    )


def tally(
    outcomes: Iterable[Outcome], steps: Sequence[int] = (1, 2, 3)
) -> tuple[tuple[Rate, ...], tuple[Rate, ...], tuple[Rate, ...]]:
    """The same rates from one outcome per sequence (the reference for the stores)."""
    return tally_rows(rate_rows(outcomes), steps)


def median(values: Sequence[float]) -> float | None:
    """The middle of the sorted values (the mean of the two middle ones for an even count)."""
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def nearest_rank(n: int, p: float) -> int:
    """The 1-based rank of the p-th percentile of n values: ceil(n * p / 100), at least 1."""
    if not 0 < p <= 100:
        raise ValueError("a percentile is in (0, 100]")
    return max(1, int(-(-n * p // 100)))  # exact for whole p


def percentile(values: Sequence[float], p: float) -> float | None:
    """The nearest-rank percentile: the smallest value with at least p % of them at or below."""
    if not values:
        return None
    return sorted(values)[nearest_rank(len(values), p) - 1]


def delay(elapsed: Sequence[timedelta]) -> Delay:
    """Median and p90 of some delays, in days."""
    days = [e / DAY for e in elapsed]
    return Delay(len(days), median(days), percentile(days, 90))


def delay_ranks(n: int) -> list[int]:
    """The ranks (1-based, ascending) `delay_at` needs of n sorted values: the middle one or
    two, and the p90's."""
    if n <= 0:
        return []
    middle = [n // 2 + 1] if n % 2 else [n // 2, n // 2 + 1]
    return sorted({*middle, nearest_rank(n, 90)})


def delay_at(n: int, seconds: Mapping[int, int]) -> Delay:
    """`delay` from the count and the values (whole seconds) at `delay_ranks(n)`: the same
    median and p90, without the other values."""
    if n <= 0:
        return Delay(0, None, None)
    days = {rank: s / 86_400 for rank, s in seconds.items()}  # as exact as `e / DAY`
    mid = n // 2
    middle = days[mid + 1] if n % 2 else (days[mid] + days[mid + 1]) / 2
    return Delay(n, middle, days[nearest_rank(n, 90)])


def quantiles(ordered: Sequence[int], ranks: Callable[[int], Sequence[int]]) -> Quantiles:
    """(count, {rank: value}) of values already sorted: what a store's `*_quantiles` give."""
    return len(ordered), {r: ordered[r - 1] for r in ranks(len(ordered))}


def outcome_delays(times: Iterable[tuple[str, datetime, datetime]]) -> tuple[OutcomeDelay, ...]:
    """Each outcome's count and time to it (from the interview's end), zero-filled."""
    elapsed: dict[str, list[timedelta]] = {status: [] for status, _ in OUTCOMES}
    for status, ended, reached in times:
        if status in elapsed:
            elapsed[status].append(max(reached - ended, timedelta(0)))
    return tuple(OutcomeDelay(name, delay(elapsed[status])) for status, name in OUTCOMES)


def outcome_delays_at(found: Mapping[str, Quantiles]) -> tuple[OutcomeDelay, ...]:
    """`outcome_delays` from a store's `outcome_quantiles`."""
    return tuple(
        OutcomeDelay(name, delay_at(*found.get(status, (0, {})))) for status, name in OUTCOMES
    )


def totals(statuses: dict[str, int], notes_sent: int) -> Totals:
    return Totals(
        interviews=sum(statuses.values()),
        open=statuses.get("waiting", 0),
        replied=statuses.get("replied", 0),
        closed=statuses.get("closed", 0),
        advanced=statuses.get("advanced", 0),
        cancelled=statuses.get("cancelled", 0),
        notes_sent=notes_sent,
        rejected=statuses.get("rejected", 0),
        role_closed=statuses.get("role-closed", 0),
        offer=statuses.get("offer", 0),
    )


def week_starts(now: datetime, tz: str, weeks: int = WEEKS) -> list[date]:
    """The Mondays of the `weeks` ISO weeks ending with the one `now` is in, in zone `tz`."""
    today = now.astimezone(zone(tz)).date()
    monday = today - timedelta(days=today.weekday())
    return [monday - timedelta(weeks=k) for k in range(weeks - 1, -1, -1)]


def week_bounds(mondays: Sequence[date], tz: str) -> list[datetime]:
    """The UTC instants where those weeks begin, and where the last one ends (one more).

    Local midnight in `tz`: a week that holds a DST change is 167 or 169 hours long. A
    midnight that a DST gap skips moves forward to the first instant that exists.
    """
    if not mondays:
        return []
    days = [*mondays, mondays[-1] + timedelta(weeks=1)]
    return [wall_to_utc(d, time(0), tz) for d in days]


def week_label(monday: date) -> str:
    """The ISO 8601 week, e.g. 2026-W53 for 2026-12-28 and 2026-W01 for 2025-12-29."""
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"
