"""Scheduled sends: what `followup worker` does, one note at a time.

A worker never sends a note the user has not seen. `followup send ID --when-due` (`schedule`)
drafts the pending note, refuses it if the linter finds errors, and records the user's
approval with the very message approved: recipient and RFC 5322 text, composed then (with a
digest of recipient, subject and body to tell an unchanged re-approval). At the due time a
worker claims the note (`Store.claim_due`: one statement, so two workers never get the same
note) and sends those bytes, restamped with the sending time, through the at-most-once state
machine of app/sending.py. Nothing is drafted, linted or composed again at send time, which
is what lets a few workers send hundreds of notes a second; editing the note after approval
withdraws the approval (drafting.keep_edit), so what goes is always what the user saw. A
claimed note with no approved message (approved by an older version) is released, its
approval withdrawn and the reason kept as its last error: not claimed again on every tick.

A worker that dies mid-send leaves its note `sending` with a lease; once the lease ends the
note becomes `unknown` (`expire_leases`) and is reconciled through the Sent folder
(`sending.reconcile`), never resent blindly.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta
from typing import NamedTuple

from followup.app import drafting, sending, services
from followup.app.context import Context
from followup.app.errors import Conflict
from followup.app.sending import Outbox, Sent
from followup.domain.model import NoteState

LEASE = sending.LEASE  # a worker's claim; a send (3 tries, 30 s time-outs, back-off) fits in it
EXPIRED = "the worker sending it stopped mid-way (its lease ran out): check your Sent folder"


class Scheduled(NamedTuple):
    note_id: int
    interview_id: int
    to: str
    outcome: str  # scheduled | unchanged | refused | withdrawn
    due_at: str  # ISO-8601 UTC
    subject: str
    detail: str = ""


def digest(to: str, subject: str, body: str) -> str:
    """What the user approved, as one value: any change to the note changes it."""
    text = "\0".join((to, subject, body)).encode("utf-8")
    return hashlib.sha256(text).hexdigest()


def _digest_of(draft: drafting.Draft) -> tuple[str, str]:
    to = sending.drafting_address(draft)
    return to, digest(to, draft.subject, draft.body)


# --- the user's side: approve (or withdraw) ------------------------------------------------


def schedule(
    ctx: Context, outbox: Callable[[], Outbox], interview_id: int, email: str | None = None
) -> list[Scheduled]:
    """Approve the interview's pending note(s) to go out when due, as drafted now.

    Idempotent: approving the same text again changes nothing; approving after an edit
    approves the new text. A draft with lint errors is refused (fix it first). The mail
    account (`outbox`, for the From of the approved message) is asked for only once there is
    a note to approve, so an unknown interview says so first.
    """
    notes = sending.notes_for_interview(ctx, interview_id, email)
    sender = outbox() if notes else None
    results = []
    for note in notes:
        draft = sending.draft_for(ctx, note)
        to, fingerprint = _digest_of(draft)
        due = f"{note.due_at:%Y-%m-%dT%H:%M:%SZ}"
        if draft.has_errors:
            rules = ", ".join(sorted({f.rule for f in draft.findings if f.severity == "error"}))
            results.append(
                Scheduled(
                    note.id,
                    interview_id,
                    to,
                    "refused",
                    due,
                    draft.subject,
                    f"the draft has lint errors ({rules}): fix it (draft --edit) first",
                )
            )
            continue
        now = ctx.clock.now()
        with ctx.store.transaction():
            before = ctx.store.approval(note.id)
            assert sender is not None
            message = sending.message(ctx, sender, draft).decode("utf-8")
            if not ctx.store.approve_note(note.id, now, fingerprint, to, message):
                raise Conflict(f"note {note.id} is no longer pending")
            outcome = (
                "unchanged" if before is not None and before[1] == fingerprint else "scheduled"
            )
        results.append(Scheduled(note.id, interview_id, to, outcome, due, draft.subject))
    return results


def unschedule(ctx: Context, interview_id: int, email: str | None = None) -> list[Scheduled]:
    """Withdraw the approval of the interview's pending notes (idempotent)."""
    seq = services.sequence(ctx, interview_id)
    wanted = None
    if email:
        wanted = {p.id for p in seq.interviewers if p.email == email.strip().lower()}
    people = {p.id: p for p in seq.interviewers}
    results = []
    now = ctx.clock.now()
    with ctx.store.transaction():
        for note in seq.notes:
            if note.state is not NoteState.PENDING:
                continue
            if wanted is not None and note.interviewer_id not in wanted:
                continue
            if ctx.store.withdraw_approval(note.id, now):
                person = people.get(note.interviewer_id) if note.interviewer_id else None
                to = f"{person.name} <{person.email}>" if person and person.email else ""
                due = f"{note.due_at:%Y-%m-%dT%H:%M:%SZ}"
                results.append(Scheduled(note.id, interview_id, to, "withdrawn", due, ""))
    return results


# --- the worker's side ---------------------------------------------------------------------


def dispatch_one(
    ctx: Context,
    outbox: Outbox,
    *,
    by: str,
    lease: timedelta = LEASE,
    sleep: Callable[[float], None],
) -> Sent | None:
    """Claim the earliest approved due note, check it, send it; None when nothing is due."""
    now = ctx.clock.now()
    claim = ctx.store.claim_due(now, by, lease)
    if claim is None:
        return None
    note, to, message = claim
    if not (to and message) or outbox.redate is None:
        problem = "no approved message on record: look at the note, then approve it again"
        _refuse(ctx, note.id, problem)
        return Sent(note.id, note.interview_id, "", "refused", problem)
    raw = outbox.redate(message.encode("utf-8"), now)
    return sending.send_claimed(ctx, outbox, note, to, raw, sleep)


def _refuse(ctx: Context, note_id: int, why: str) -> None:
    """Back to pending, not approved any more, with the reason kept: not claimed again."""
    now = ctx.clock.now()
    with ctx.store.transaction():
        ctx.store.finish_note(note_id, NoteState.PENDING, now, error=f"not sent: {why}")
        ctx.store.withdraw_approval(note_id, now)


def expire_leases(ctx: Context) -> list[int]:
    """Notes whose worker died mid-send (lease over) become `unknown`: reconcile them."""
    return ctx.store.expire_leases(ctx.clock.now(), EXPIRED)
