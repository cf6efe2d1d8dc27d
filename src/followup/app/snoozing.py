"""Snooze: put an agenda row's next note off (the dashboard's Today: 1 day, 3 days, next week).

A snooze is a "no note before" on the interview (`defer_until`, the same floor an
out-of-office's return sets) that the planner keeps beside the step's own rule
(`planner._schedule`), so the note moves later and never sooner than the cadence allows;
`planner.snoozed_until` decides the instant. One change, recorded in the history and undone
like any other.
"""

from __future__ import annotations

from datetime import datetime

from followup.app import events, services, wording
from followup.app.context import Context
from followup.app.errors import Conflict, InvalidInput
from followup.app.views import iso
from followup.domain import planner
from followup.domain.model import Interview, NoteState
from followup.domain.planner import Plan


def snooze(ctx: Context, interview_id: int, choice: str) -> Plan:
    """Snooze the interview's next note by `choice` (a key of planner.SNOOZES)."""
    if choice not in planner.SNOOZES:
        raise InvalidInput(f"snooze for {choice!r}? Choose 1 day, 3 days or next week")
    now = ctx.clock.now()
    with ctx.store.transaction():
        interview = services.find_interview(ctx, interview_id)
        if not interview.status.is_open:
            raise Conflict(
                f"interview {interview_id} is {interview.status.value}: nothing to snooze"
            )
        pending = [n for n in ctx.store.notes(interview_id) if n.state is NoteState.PENDING]
        first = planner.next_due(pending)
        if first is None:
            raise Conflict(f"interview {interview_id} has no note waiting: nothing to snooze")
        until = planner.snoozed_until(choice, first.due_at, now, ctx.user_tz)
        if planner.snooze_fades(first.step, interview.end, until, ctx.policy):
            days = (until - interview.end).days
            raise Conflict(
                f"the thank-you would wait until {days} days after the interview: by then it"
                " risks fading from memory — send it now, or a shorter snooze; if it is too"
                f" late for one, let it go (followup dismiss {interview_id})"
            )
        return _hold(ctx, interview, until, planner.SNOOZES[choice], {"snooze": choice})


def keep_due(ctx: Context, interview_id: int, due_at: datetime) -> Plan | None:
    """An imported row's next note was due at `due_at` (a CSV's next_due_at): when that is
    later than the plan made now, it was put off (a snooze, an out-of-office's return) and
    stays so — a "no note before" at it, as `snooze` sets one, recorded in the history;
    else nothing changes (the cadence stays the floor). The new plan, or None."""
    with ctx.store.transaction():
        interview = services.find_interview(ctx, interview_id)
        if not interview.status.is_open:
            return None
        pending = [n for n in ctx.store.notes(interview_id) if n.state is NoteState.PENDING]
        first = planner.next_due(pending)
        if first is None or due_at <= first.due_at:
            return None
        return _hold(ctx, interview, due_at, "the file's next_due_at")


def _hold(
    ctx: Context,
    interview: Interview,
    until: datetime,
    why: str,
    detail: dict[str, str] | None = None,
) -> Plan:
    """No note before `until` (nor before a later floor already set), re-planned and recorded:
    one change, undone like any other. Inside the caller's transaction."""
    if interview.defer_until is not None:
        until = max(until, interview.defer_until)
    prior = events.before(ctx, interview.id)
    ctx.store.set_defer_until(interview.id, until)
    plan = services.replan(ctx, interview.id)  # joins this transaction
    events.record(
        ctx,
        interview.id,
        "snoozed",
        f"{wording.snoozed(until, ctx.user_tz)} ({why})",
        prior,
        {"until": iso(until), **(detail or {})},
    )
    return plan
