"""Scheduled sends: what `followup worker` does, one note at a time.

A worker never sends a note the user has not seen. `followup send ID --when-due` (`schedule`)
drafts the pending note, shows it, and records the user's approval with a digest of exactly
what was approved: recipient, subject and body. At the due time a worker claims the note
(`Store.claim_due`: one statement, so two workers never get the same note), drafts it again,
and sends it through the at-most-once state machine of app/sending.py — only if the draft is
still the approved one and passes the linter. Otherwise the claim is released, the approval
withdrawn and the reason kept as the note's last error: the note is not claimed again on
every tick, and the user sees why it did not go.

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
from followup.app.errors import Conflict, FollowupError
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


def schedule(ctx: Context, interview_id: int, email: str | None = None) -> list[Scheduled]:
    """Approve the interview's pending note(s) to go out when due, as drafted now.

    Idempotent: approving the same text again changes nothing; approving after an edit
    approves the new text. A draft with lint errors is refused (fix it first).
    """
    notes = sending.notes_for_interview(ctx, interview_id, email)
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
            if before is not None and before[1] == fingerprint:
                outcome = "unchanged"
            elif ctx.store.approve_note(note.id, now, fingerprint):
                outcome = "scheduled"
            else:
                raise Conflict(f"note {note.id} is no longer pending")
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
    note = ctx.store.claim_due(ctx.clock.now(), by, lease)
    if note is None:
        return None
    try:
        draft = sending.draft_for(ctx, note)
        to, fingerprint = _digest_of(draft)
        problem = _problem(ctx, note.id, draft, fingerprint)
        raw = b"" if problem else sending.message(ctx, outbox, draft)
    except FollowupError as exc:  # e.g. the interviewer's address is gone: nothing was sent
        to, problem, raw = "", str(exc), b""
    if problem:
        _refuse(ctx, note.id, problem)
        return Sent(note.id, note.interview_id, to, "refused", problem)
    return sending.send_claimed(ctx, outbox, note, to, raw, sleep)


def _problem(ctx: Context, note_id: int, draft: drafting.Draft, fingerprint: str) -> str | None:
    approval = ctx.store.approval(note_id)
    if approval is None:
        return "not approved to go out when due"
    if approval[1] != fingerprint:
        return (
            "the note changed after you approved it (recipient, subject or text):"
            " look at it again, then `followup send ID --when-due`"
        )
    if draft.message_id is None:
        return "the note has no Message-ID yet: approve it again"
    if draft.has_errors:
        rules = ", ".join(sorted({f.rule for f in draft.findings if f.severity == "error"}))
        return f"the draft has lint errors ({rules}): fix it, then approve it again"
    return None


def _refuse(ctx: Context, note_id: int, why: str) -> None:
    """Back to pending, not approved any more, with the reason kept: not claimed again."""
    now = ctx.clock.now()
    with ctx.store.transaction():
        ctx.store.finish_note(note_id, NoteState.PENDING, now, error=f"not sent: {why}")
        ctx.store.withdraw_approval(note_id, now)


def expire_leases(ctx: Context) -> list[int]:
    """Notes whose worker died mid-send (lease over) become `unknown`: reconcile them."""
    return ctx.store.expire_leases(ctx.clock.now(), EXPIRED)
