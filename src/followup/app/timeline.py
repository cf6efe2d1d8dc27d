"""An interview's story as events in time order: what happened, what is next, what follows.

The CLI prints it and the dashboard draws it; both read the same list.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any, NamedTuple

from followup.app import wording
from followup.app.parse import person_label
from followup.app.services import Detail
from followup.app.wording import NEXT_ROUND_PROPOSED
from followup.domain import limits, planner
from followup.domain.model import Note, NoteState, Status
from followup.domain.policy import Anchor, Policy


class Event(NamedTuple):
    at: datetime | None  # None: not yet known (depends on when an earlier note goes out)
    what: str
    done: bool
    who: str | None = None


_RECEIVED = {"human": "reply received", "auto-reply": "out-of-office reply received"}


def inbound_line(message: dict[str, Any]) -> str:
    """A received message as the timeline names it: what it was, its subject, and the
    phrase (the signal) that decided its kind."""
    kind = str(message["classification"])
    text = _RECEIVED.get(kind, f"{kind} received")
    if message.get("subject"):  # kept before subjects lost their controls (`without_controls`)
        text += f": “{limits.without_controls(message['subject'])}”"
    reason = limits.without_controls(message.get("reason") or "")
    if reason and kind != "human" and not _PROTOCOL.match(reason):
        text += f" — {reason}"
    return text


# A reason in mail-protocol words says nothing to a reader ("RFC 3834 Auto-Submitted:
# auto-replied", "DSN Action: failed for …"): the history says what it did
_PROTOCOL = re.compile(r"RFC \d|DSN\b|multipart/report|X-[\w-]+:|Precedence:|Auto-Submitted")


def timeline(detail: Detail, policy: Policy, now: datetime | None = None) -> list[Event]:
    """The interview's story: what happened, then what is planned; with `now`, a pending
    note says whether to send it now, as the agenda would (planner.standing)."""
    interview = detail.interview
    # a name that could pass for an address is shown with the real one
    people = {p.id: person_label(p.name, p.email) for p in detail.interviewers}
    addresses = {p.id: p.email or "" for p in detail.interviewers}
    held = now is None or interview.end <= now  # not ticked before it took place
    events = [
        Event(interview.start, f"interview (round {interview.round})", held),
    ]
    # the steps that have a note (planner.notes_by_step: a dropped step's note is none's)
    # a step whose notes were all withdrawn (re-planned later) is still to come
    steps_seen = {
        k
        for k, notes in planner.notes_by_step(detail.notes, policy).items()
        if any(n.state is not NoteState.CANCELLED for n in notes)
    }
    # the last note that went to each address that bounced: the one the bounce returned
    returned = {
        max((n for n in detail.notes if n.interviewer_id == p and n.sent_at), key=_sent_at).id
        for p in detail.bounced
        if any(n.interviewer_id == p and n.sent_at for n in detail.notes)
    }
    for note in detail.notes:
        who = people.get(note.interviewer_id) if note.interviewer_id else None
        if note.state is NoteState.SENT:
            what = f"{note.kind} sent" + (
                ", but the address bounced" if note.id in returned else ""
            )
            events.append(Event(note.sent_at, what, True, who))
        elif note.state is NoteState.PENDING:
            approved = note.approved_at is not None
            what = f"{note.kind} due" + (": approved, goes out by itself" if approved else "")
            if now is not None:
                to = [addresses[note.interviewer_id]] if note.interviewer_id in addresses else []
                risk = planner.standing(
                    note.step, note.due_at, interview.end, now, policy, detail.rounds_after, to
                )
                advice = wording.advice(risk)
                if approved and advice and risk.past:  # the worker hands it back: said so
                    what = f"{note.kind} due: approved, but {advice}"
                elif not approved:
                    what += f" — {advice}" if advice else ""
            events.append(Event(note.due_at, what, False, who))
        elif note.state is NoteState.FAILED and note.interviewer_id in detail.bounced:
            # failed by the bounce, whenever it was due: said then, not at a future due time
            at = _bounced_at(detail) or min(note.due_at, now or note.due_at)
            events.append(Event(at, f"{note.kind} not sent: the address bounced", True, who))
        elif note.state is not NoteState.CANCELLED:
            events.append(Event(note.due_at, f"{note.kind} {note.state.value}", False, who))
    for message in detail.inbound:
        received = datetime.fromisoformat(message["received_at"])
        events.append(Event(received, inbound_line(message), True, message.get("from_addr")))
    if interview.status is Status.WAITING:
        steps = policy.active_steps[:1] if detail.later_round else policy.active_steps
        for step in steps:
            if step.number in steps_seen:
                continue
            anchor = "the interview" if step.anchor is Anchor.INTERVIEW_END else "the previous note"
            after = wording.wait(step.delay)
            events.append(Event(None, f"{step.kind}: {after} after {anchor}", False))
        last = "then the next round" if detail.later_round else "then let it go: no more notes"
        events.append(Event(None, last, False))
    elif interview.status_at:
        events.append(Event(interview.status_at, f"sequence {interview.status.value}", True))
    if detail.next_round_proposed:
        events.append(Event(None, NEXT_ROUND_PROPOSED, False))
    known = sorted((e for e in events if e.at), key=lambda e: e.at or interview.start)
    return known + [e for e in events if e.at is None]


def _bounced_at(detail: Detail) -> datetime | None:
    """When the interview's latest bounce arrived, if one was received (not flagged by hand)."""
    times = [m["received_at"] for m in detail.inbound if m["classification"] == "bounce"]
    return datetime.fromisoformat(max(times)) if times else None


def _sent_at(note: Note) -> datetime:
    return note.sent_at or datetime.min.replace(tzinfo=UTC)
