"""The agenda: the next note of every open sequence, most at risk first.

A read-only use-case on the hot path (`followup` alone runs it), so it imports only what
it needs: no write-side services, no dataclasses, no click.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

from followup.app.context import Context
from followup.app.rows import AgendaRow, BouncedRow, EndedRow, FailedRow
from followup.domain import planner
from followup.domain.model import AgendaState
from followup.domain.planner import AgendaItem, RoundHeld

if TYPE_CHECKING:
    from followup.app.ports import AgendaStore

# How far back the agenda looks for sequences that just ended, to say "let it go" once.
ENDED_LOOKBACK = timedelta(days=14)


# Failed notes Today lists at most (each waits for Try again or a correction).
FAILED_SHOWN = 20

# The risk classes, most at risk first: the counts' keys, and what `only` may name.
CLASSES = ("fading", "overdue", "due", "upcoming")

# Today's groups (the dashboard): what may go now, what comes within a week, the rest.
WEEK = timedelta(days=7)
GROUPS = (("now", "Now"), ("week", "This week"), ("later", "Later"))


class Agenda(NamedTuple):
    items: tuple[AgendaItem, ...]  # the page shown, most at risk first
    counts: dict[str, int]  # every open sequence by risk: fading, overdue, due, upcoming
    ended: tuple[EndedRow, ...] = ()  # sequences that ended lately: replied, closed, advanced
    waits: str = ""  # why due notes are not sent now (the provider's daily limit), if so
    # notes of open sequences the recipient's server refused: Today's "Now" (Try again)
    failed: tuple[FailedRow, ...] = ()
    # rows shown whose note the agenda says to let go: out of their risk's count, which
    # would call them overdue or fading (a whole page: every such sequence)
    let_go: int = 0
    # panellists of open sequences whose address bounced: no note reaches them (Now)
    bounced: tuple[BouncedRow, ...] = ()

    @property
    def total(self) -> int:
        return sum(self.counts.values()) + self.let_go


def agenda(
    ctx: Context,
    as_of: datetime | None = None,
    limit: int | None = None,
    with_ended: bool = False,
    only: str | None = None,
) -> Agenda:
    """The next note of every open sequence (or the `limit` most at risk), most at risk first;
    `only`: those of one class (one of CLASSES; the counts still cover every class).

    Reads the planned next steps through an index: the cost follows what is open, never the
    whole history, and nothing is planned here.
    """
    now = as_of or ctx.clock.now()
    store: AgendaStore = ctx.store
    cutoffs = planner.risk_cutoffs(now, ctx.policy)
    which = None if only is None else CLASSES.index(only)
    rows = store.agenda_page(cutoffs, limit, which)
    first = ctx.policy.steps[0].number  # a thank-you the next round may have overtaken
    held = store.rounds_held([r.application_id for r in rows if r.step == first])
    items = tuple(_item(row, now, ctx, held.get(row.application_id, ())) for row in rows)
    if which is None and (limit is None or len(items) < limit):
        counts = _count(items)
    else:
        fading, overdue, due, upcoming = store.agenda_counts(cutoffs)
        counts = {"fading": fading, "overdue": overdue, "due": due, "upcoming": upcoming}
    let_go = 0
    if which is None:  # (one risk's page keeps its count: the rows it lists)
        for item in items:
            if item.past:
                counts["fading" if item.fading else item.state.value] -= 1
                let_go += 1
    ended = tuple(store.recently_ended(now - ENDED_LOOKBACK, 10)) if with_ended else ()
    failed = tuple(store.failed_notes(FAILED_SHOWN)) if with_ended else ()
    bounced = tuple(store.bounced_people(FAILED_SHOWN)) if with_ended else ()
    waits = ""
    if ctx.daily_limit is not None:
        from followup.app import pacing  # an account with a daily limit only

        due = any(item.due_at <= now for item in items)
        waits = pacing.waits(ctx, due, now).replace("this note waits", "due notes wait")
    return Agenda(items, counts, ended, waits, failed, let_go, bounced)


def _item(row: AgendaRow, now: datetime, ctx: Context, held: Sequence[RoundHeld]) -> AgendaItem:
    after = [r for r in held if r.start > row.interview_start]
    to = row.emails if all(row.emails) else ()  # someone not known: never overtaken
    risk = planner.standing(row.step, row.due_at, row.interview_end, now, ctx.policy, after, to)
    met_again: tuple[str, ...] = ()
    if after and not risk.overtaken and len(row.emails) > 1:  # some of a panel met again
        met_again = tuple(
            who
            for who, email in zip(row.recipients, row.emails, strict=False)
            if email
            and planner.overtaken(row.step, row.interview_end, after, now, ctx.policy, [email])
        )
    return AgendaItem(
        row.interview_id,
        row.application_id,
        row.company,
        row.role,
        row.step,
        row.kind,
        row.due_at,
        risk.state,
        risk.fading,
        recipients=row.recipients,
        interview_start=row.interview_start,
        tz=row.tz,
        scheduled=row.scheduled,
        past=risk.past,
        round=row.round,
        emails=row.emails,
        overtaken=risk.overtaken,
        met_again=met_again,
    )


def grouped(items: Sequence[AgendaItem], now: datetime) -> list[tuple[str, str, list[AgendaItem]]]:
    """Today as a to-do list: (key, title, items) for "Now" (fading, overdue or due: it may
    go now), "This week" (due within seven days) and "Later", each kept in the agenda's
    order; a group with nothing in it is left out."""
    groups: dict[str, list[AgendaItem]] = {key: [] for key, _ in GROUPS}
    for item in items:
        if item.state is not AgendaState.UPCOMING:
            groups["now"].append(item)
        elif item.due_at < now + WEEK:
            groups["week"].append(item)
        else:
            groups["later"].append(item)
    return [(key, title, groups[key]) for key, title in GROUPS if groups[key]]


def _count(items: Sequence[AgendaItem]) -> dict[str, int]:
    counts = {"fading": 0, "overdue": 0, "due": 0, "upcoming": 0}
    for item in items:
        counts["fading" if item.fading else item.state.value] += 1
    return counts
