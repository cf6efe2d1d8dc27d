"""The agenda: the next note of every open sequence, most at risk first.

A read-only use-case on the hot path (`followup` alone runs it), so it imports only what
it needs: no write-side services, no dataclasses, no click.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

from followup.app.context import Context
from followup.app.rows import EndedRow
from followup.domain import planner
from followup.domain.planner import AgendaItem

if TYPE_CHECKING:
    from followup.app.ports import AgendaStore

# How far back the agenda looks for sequences that just ended, to say "let it go" once.
ENDED_LOOKBACK = timedelta(days=14)


class Agenda(NamedTuple):
    items: tuple[AgendaItem, ...]  # the page shown, most at risk first
    counts: dict[str, int]  # every open sequence by risk: fading, overdue, due, upcoming
    ended: tuple[EndedRow, ...] = ()  # sequences that ended lately: replied, closed, advanced

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def agenda(
    ctx: Context,
    as_of: datetime | None = None,
    limit: int | None = None,
    with_ended: bool = False,
) -> Agenda:
    """The next note of every open sequence (or the `limit` most at risk), most at risk first.

    Reads the planned next steps through an index: the cost follows what is open, never the
    whole history, and nothing is planned here.
    """
    now = as_of or ctx.clock.now()
    store: AgendaStore = ctx.store
    cutoffs = planner.risk_cutoffs(now, ctx.policy)
    items = tuple(
        AgendaItem(
            row.interview_id,
            row.application_id,
            row.company,
            row.role,
            row.step,
            row.kind,
            row.due_at,
            *planner.standing(row.step, row.due_at, row.interview_end, now, ctx.policy),
            recipients=row.recipients,
            interview_start=row.interview_start,
            tz=row.tz,
            scheduled=row.scheduled,
        )
        for row in store.agenda_page(cutoffs, limit)
    )
    if limit is None or len(items) < limit:
        counts = _count(items)
    else:
        fading, overdue, due, upcoming = store.agenda_counts(cutoffs)
        counts = {"fading": fading, "overdue": overdue, "due": due, "upcoming": upcoming}
    ended = tuple(store.recently_ended(now - ENDED_LOOKBACK, 10)) if with_ended else ()
    return Agenda(items, counts, ended)


def _count(items: Sequence[AgendaItem]) -> dict[str, int]:
    counts = {"fading": 0, "overdue": 0, "due": 0, "upcoming": 0}
    for item in items:
        counts["fading" if item.fading else item.state.value] += 1
    return counts
