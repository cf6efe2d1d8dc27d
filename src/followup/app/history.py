"""An interview's history, and taking back its latest change (issue #14).

`undo` puts back the rows the latest event kept (app/events.py), re-plans, and records
itself as an event: repeatable, one change further back each time. It refuses what cannot
be taken back: an interview's creation (cancel it instead) and a note that really left by
mail (unless the user says the record is wrong: --force).
"""

from __future__ import annotations

from typing import NamedTuple

from followup.app import events, services, wording
from followup.app.context import Context
from followup.app.errors import Conflict
from followup.app.rows import Event, InterviewState
from followup.domain.model import Interview, NoteState, Status
from followup.domain.planner import Plan


class Undone(NamedTuple):
    interview_id: int
    event: Event  # the change taken back
    status: Status  # the sequence's status now
    plan: Plan
    approvals_withdrawn: int  # approved notes that need approving again


class Reopened(NamedTuple):
    interview_id: int
    was: Status
    plan: Plan


history = events.history  # every change to the interview, oldest first


def latest(ctx: Context, interview_id: int) -> Event | None:
    """The change `undo` would take back now (None: nothing left to take back); it may be
    one `undo` refuses (`Event.undoable` False, or a note that left by mail)."""
    services.find_interview(ctx, interview_id)
    return ctx.store.last_event(interview_id, events.PASSED_OVER)


def offered(event: Event | None) -> bool:
    """Whether a plain Undo takes `event` back: the pages offer the button only then (a note
    that left by mail is offered only as "record it as not sent", i.e. `force`)."""
    return event is not None and event.undoable and event.kind != events.MAILED


def mailed(event: Event | None) -> bool:
    """A note that really left by mail: only `undo --force` (it never arrived) records it as
    not sent."""
    return event is not None and event.undoable and event.kind == events.MAILED


def undo(
    ctx: Context, interview_id: int, *, force: bool = False, event_id: int | None = None
) -> Undone:
    """Take back the interview's latest change that is not undone yet; with `event_id`, only
    if that is still the latest one (a page's Undo button names the change it showed)."""
    with ctx.store.transaction():
        services.find_interview(ctx, interview_id)
        event = ctx.store.last_event(interview_id, events.PASSED_OVER)
        if event is None:
            raise Conflict(f"interview {interview_id} has nothing to undo")
        if event_id is not None and event.id != event_id:
            raise Conflict(
                f"interview {interview_id} changed since: the latest change is now"
                f" '{event.summary}' (reload to undo that)"
            )
        if not event.undoable:
            raise Conflict(_why_not(interview_id, event))
        if event.kind == events.MAILED and not force:
            raise Conflict(
                f"interview {interview_id}: {event.summary} — a message that left cannot be"
                f" unsent; if the record is wrong (it never arrived), `followup undo"
                f" {interview_id} --force` records it as not sent"
            )
        notes = ctx.store.notes(interview_id)
        if any(n.state is NoteState.SENDING for n in notes):
            raise Conflict(
                f"a note of interview {interview_id} is being sent right now: try again in a minute"
            )
        kept = {n.id: ctx.store.approved_as(n.id) for n in notes if n.approved_at is not None}
        prior = ctx.store.prior_state(event.id)
        assert prior is not None  # undoable
        prior = _application_kept(ctx, interview_id, event, prior)
        ctx.store.put_interview_state(interview_id, prior)
        plan = services.replan(ctx, interview_id)
        if event.kind == "advanced" and plan.status is Status.ADVANCED:
            # a trial (session 17): "Undid", and nothing changed but a spent undo
            raise Conflict(
                f"interview {interview_id} would move on again at once: a later round still"
                " follows it and its thank-you went out, so there is nothing more to send"
                " for it (a later round's notes follow the application up)"
            )
        if event.kind == "approved" and event.detail:  # undoing an approval takes it back
            kept.pop(int(event.detail.get("note", 0)), None)
        # only a note waiting to go needs approving again (an approved one that went out
        # and stays sent does not: "1 approved note needs approving again" misled)
        waiting = {n.id for n in ctx.store.notes(interview_id) if n.state is NoteState.PENDING}
        kept = {k: a for k, a in kept.items() if k in waiting}
        approved = len(kept)
        if kept:  # a note whose text the undo left as approved stays approved
            from followup.app import drafting  # the drafts' code: only with an approval

            approved -= drafting.approve_unchanged(
                ctx, interview_id, {k: a for k, a in kept.items() if a is not None}
            )
        # a day's loop: whom the other rounds thank depends on this one's people and status
        services.replan_other_rounds(ctx, services.find_interview(ctx, interview_id))
        undo_id = events.record(
            ctx, interview_id, "undo", f"undid: {event.summary}", None, {"undid": event.id}
        )
        ctx.store.set_undone(event.id, undo_id)
        status = services.find_interview(ctx, interview_id).status
    return Undone(interview_id, event, status, plan, approved)


# The application's columns an edit names in its words ("company: Acme → Acme Inc").
_SHARED = ("company", "role", "culture", "country")


def _application_kept(
    ctx: Context, interview_id: int, event: Event, prior: InterviewState
) -> InterviewState:
    """`prior` with the application's row as it is now, but for the fields `event` itself
    changed: the application is every round's, and undoing a draft's edit on round 1 must
    not take back the company corrected since on round 2. A field `event` changed and
    another round changed since is refused: undone there first, in order."""
    mine = _application_fields(event)
    since = [
        e
        for e in ctx.store.events(interview_id)
        if e.id > event.id and e.kind == events.NOTED and e.detail and "on" in e.detail
    ]
    for later in since:
        if _taken_back(ctx, later):
            continue
        clash = mine & _changed_fields(later.detail.get("changes") if later.detail else None)
        if clash:
            other = later.detail["on"] if later.detail else "?"
            raise Conflict(
                f"interview {interview_id}: the {' and '.join(sorted(clash))} changed since on"
                f" interview {other} ({later.summary}): undo that first (followup undo {other})"
            )
    now = ctx.store.interview_state(interview_id)["applications"]
    if not now or not prior.get("applications"):
        return prior
    before = prior["applications"][0]
    row = {k: (before[k] if k in mine and k in before else v) for k, v in now[0].items()}
    return {**prior, "applications": [row]}


def _taken_back(ctx: Context, told: Event) -> bool:
    """The other round's change `told` of has been undone there since."""
    assert told.detail is not None
    origin = told.detail.get("event")
    return origin is not None and any(
        e.id == origin and e.undone_by is not None for e in ctx.store.events(int(told.detail["on"]))
    )


def _application_fields(event: Event) -> set[str]:
    """The application's columns `event` changed, from what it recorded."""
    if event.kind == "debriefed" and "tone:" in event.summary:
        return {"tone"}
    if event.kind != "edited" or not event.detail:
        return set()
    said = event.detail.get("changes") or []
    fields = _changed_fields(said)
    if any(str(x).startswith("added ") for x in said):
        fields.add("domains")  # an interviewer's company domain joined the application's
    return fields


def _changed_fields(said: object) -> set[str]:
    if not isinstance(said, list):
        return set()
    return {f for f in _SHARED for x in said if str(x).startswith(f"{f}: ")}


def _why_not(interview_id: int, event: Event) -> str:
    if event.kind == "added":
        return (
            f"interview {interview_id} was just added: nothing before it to go back to"
            f" (to stop following it up: followup cancel {interview_id}; a round added by"
            " mistake: cancel it, then followup reopen the round before it)"
        )
    if event.kind == "imported":
        return (
            f"interview {interview_id} came in by an import ({event.summary}): what was before"
            " it is in the file it came from, not here"
        )
    return (
        f"interview {interview_id}: '{event.summary}' cannot be undone: a backup was restored"
        " since, and a restored history keeps no earlier state to go back to"
    )


# A rejection or a closed role can be overturned too ("please ignore the automated email").
REOPENABLE = (Status.CLOSED, Status.REPLIED, Status.CANCELLED, Status.REJECTED, Status.ROLE_CLOSED)


def reopen(ctx: Context, interview_id: int) -> Reopened:
    """Follow up again on a sequence that ended (closed, replied, cancelled, or rejected
    or role-closed by mistake)."""
    now = ctx.clock.now()
    with ctx.store.transaction():
        interview = services.find_interview(ctx, interview_id)
        # a round that moved on to one since cancelled (added by mistake, called off) too
        called_off = interview.status is Status.ADVANCED and not services.has_later_round(
            ctx, interview
        )
        if interview.status not in REOPENABLE and not called_off:
            raise Conflict(
                f"interview {interview_id} is {interview.status.value}: only a closed, replied,"
                " cancelled, rejected or role-closed sequence can be reopened (or one that"
                " moved on to a round since cancelled)"
                + (
                    f"; to take back its latest change (a let-go, a move on):"
                    f" followup undo {interview_id}"
                    if interview.status is Status.ADVANCED
                    else ""
                )
            )
        prior = events.before(ctx, interview_id)
        ctx.store.set_status(interview_id, Status.WAITING, now)
        plan = services.replan(ctx, interview_id)
        if _chase_counts_from_their_message(ctx, interview, plan):
            plan = services.replan(ctx, interview_id)
        if plan.status is not Status.WAITING:
            raise Conflict(  # the transaction rolls back: nothing changes
                f"interview {interview_id} has had every note ({wording.last_note(ctx.policy)}"
                f" included): nothing is left to send — let it go (to take back the last"
                f" one: followup undo {interview_id})"
            )
        services.replan_other_rounds(ctx, interview)  # a day's loop thanks each person once
        events.record(
            ctx,
            interview_id,
            "reopened",
            f"reopened (was {interview.status.value}): following up again",
            prior,
            {"was": interview.status.value},
        )
    return Reopened(interview_id, interview.status, plan)


# The sequence ended on their message: a reply, a rejection, a role closed.
_THEIR_WORD = (Status.REPLIED, Status.REJECTED, Status.ROLE_CLOSED)


def _chase_counts_from_their_message(ctx: Context, interview: Interview, plan: Plan) -> bool:
    """A chase after their reply waits its step's delay from that reply, as it would from a
    note ("one week later, if there was no reply"): reopened the day after "we'll decide
    next week", the follow-up is not due tomorrow because the thank-you went a week ago.
    The floor is the interview's "no note before" (the one a snooze sets). A thank-you
    still owed is not held back: it counts from the interview."""
    if interview.status not in _THEIR_WORD or interview.status_at is None:
        return False
    first = ctx.policy.steps[0].number
    chases = [n for n in plan.notes if n.step != first]
    if not chases:
        return False
    floor = interview.status_at + ctx.policy.step(chases[0].step).delay
    if floor <= min(n.earliest_at for n in chases):
        return False
    if interview.defer_until is not None and floor <= interview.defer_until:
        return False
    ctx.store.set_defer_until(interview.id, floor)
    return True
