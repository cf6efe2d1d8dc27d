"""Scheduled sends: what `followup worker` does, one note at a time.

A worker never sends a note the user has not seen. `followup send ID --when-due` (`schedule`)
drafts the pending note, refuses it if the linter finds errors, and records the user's
approval with the very message approved: recipient and RFC 5322 text, composed then (with a
digest of recipient, subject and body to tell an unchanged re-approval). At the due time a
worker claims the note (`Store.claim_due`: one statement, so two workers never get the same
note) and sends those bytes, restamped with the sending time, through the at-most-once state
machine of app/sending.py. Nothing is drafted or composed again at send time, which is what
lets a few workers send hundreds of notes a second; the approved text passes the lint gate
again only for what no context excuses (a placeholder, no signature). Editing the note after
approval withdraws the approval (drafting.keep_edit), so what goes is what the user saw. A
claimed note with no approved message (approved by an older version) is released, its
approval withdrawn and the reason kept as its last error: not claimed again on every tick.

A worker that dies mid-send leaves its note `sending` with a lease; once the lease ends the
note becomes `unknown` (`expire_leases`) and is reconciled through the Sent folder
(`sending.reconcile`), never resent blindly.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

from followup.app import drafting, events, pacing, sending, services, wording
from followup.app.context import Context
from followup.app.errors import Conflict, InvalidInput, StoreUnavailable
from followup.app.parse import format_mailbox
from followup.app.sending import Outbox, Sent
from followup.domain.model import Interview, Note, NoteState
from followup.domain.planner import PlannedNote
from followup.domain.workdays import into_window

if TYPE_CHECKING:
    from email.message import Message

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
    body: str = ""  # the text approved: shown to the user as they approve it


def seal(key: bytes, note_id: int, to: str, message: str) -> str:
    """The install's mark on the message approved for one note: only a holder of the key can
    make it, and it is good for that note only."""
    text = "\0".join((str(note_id), to, message)).encode("utf-8")
    return hmac.new(key, text, hashlib.sha256).hexdigest()


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
    if sender is not None and sender.mailer is None:  # "goes out by itself" would be untrue
        raise InvalidInput(
            "no outgoing mail server is set up, so nothing could send it when due: set one"
            " first (followup config set mail.smtp_host HOST, or Settings → Mail)"
        )
    if sender is not None and not sender.sends:
        raise InvalidInput(
            "mail.mode is drafts, so nothing sends a note by itself: to have it sent when due,"
            " followup config set mail.mode send (or save it to your Drafts now: followup"
            f" send {interview_id})"
        )
    key = _key(ctx) if notes else b""
    results = []
    for note in notes:
        draft = sending.draft_for(ctx, note)
        to, fingerprint = drafting.digest_of(draft)
        due = f"{note.due_at:%Y-%m-%dT%H:%M:%SZ}"
        refusal = sending.lint_refusal(interview_id, draft.findings, draft.interviewer)
        interview = ctx.store.get_interview(interview_id)
        now = ctx.clock.now()
        late = services.why_let_go(ctx, note, interview, now)
        if late is None and note.due_at > now:  # or by the time it goes: a round before it
            late = services.why_let_go(ctx, note, interview, note.due_at)
            if late is not None:
                late = f"by the time it is due ({wording.local(note.due_at, ctx.user_tz)}), {late}"
        if late is not None:  # a worker would hand it back: say so now, not "goes out"
            refusal = f"{late} ({sending.send_anyway(interview_id, draft.interviewer)})"
        if refusal is not None:
            results.append(
                Scheduled(note.id, interview_id, to, "refused", due, draft.subject, refusal)
            )
            continue
        with ctx.store.transaction():
            before = ctx.store.approval(note.id)
            assert sender is not None
            message = sending.message(ctx, sender, draft).decode("utf-8")
            sealed = seal(key, note.id, to, message)
            prior = events.before(ctx, interview_id)
            if not ctx.store.approve_note(note.id, now, fingerprint, to, message, sealed):
                raise Conflict(f"note {note.id} is no longer pending")
            outcome = (
                "unchanged" if before is not None and before[1] == fingerprint else "scheduled"
            )
            if outcome == "scheduled":
                events.record(
                    ctx,
                    interview_id,
                    "approved",
                    f"approved the {wording.kind_label(note.kind)} to {to or 'them'}, to go"
                    f" out when due ({wording.local(note.due_at, ctx.user_tz)})",
                    prior,
                    {"note": note.id, "due_at": due},
                )
        results.append(
            Scheduled(note.id, interview_id, to, outcome, due, draft.subject, body=draft.body)
        )
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
                to = format_mailbox(person.name, person.email) if person and person.email else ""
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
    """Claim the earliest approved due note, check it, send it; None when nothing is due,
    or nothing may go now (the provider's daily limit: `pacing.hold` says why and until when).
    """
    now = ctx.clock.now()
    if pacing.hold(ctx, now) is not None:
        return None
    claim = ctx.store.claim_due(now, by, lease)
    if claim is None:
        return None
    note, to, message, sealed = claim
    problem = _unsendable(ctx, outbox, note, to, message, sealed)
    if problem is not None or outbox.redate is None:
        problem = problem or "this outbox cannot send approved messages"
        _refuse(ctx, note, problem)
        return Sent(note.id, note.interview_id, to, "refused", problem)
    interview = ctx.store.get_interview(note.interview_id)  # looked up once, for both
    held = _next_working_hours(ctx, note, interview, now)
    # past its moment by the time it could go: handed back now, never promised for later
    late = services.why_let_go(ctx, note, interview, held[0] if held else now)
    if late is not None:
        _refuse(ctx, note, late)
        return Sent(note.id, note.interview_id, to, "refused", late)
    if held is not None:
        opens, tz = held
        _defer(ctx, note, opens)
        why = "found late, outside the recipient's working hours: it goes when they open"
        return Sent(note.id, note.interview_id, to, "held", f"{why}, {wording.local(opens, tz)}")
    raw = outbox.redate(message.encode("utf-8"), now)
    return sending.send_claimed(ctx, outbox, note, to, raw, sleep)


# A note found due this long after its due time was not sent by a running worker (which
# polls every few seconds): the machine was off or asleep. Sooner, it is on time.
CAUGHT_UP_AFTER = timedelta(hours=1)


def _next_working_hours(
    ctx: Context, note: Note, interview: Interview | None, now: datetime
) -> tuple[datetime, str] | None:
    """When a note the worker finds late (a laptop closed all weekend) may go, if not now,
    and the recipient's zone: the next opening of the send window there (their working days
    and public holidays), as the planner moved its due time there in the first place. A
    note on time goes as planned, even outside the window (a time the user chose)."""
    if now < note.due_at + CAUGHT_UP_AFTER:
        return None
    application = ctx.store.get_application(interview.application_id) if interview else None
    if interview is None or application is None:
        return None
    country = services.holiday_country(ctx, application, interview)
    opens = into_window(now, interview.tz, ctx.policy.window, services.holidays_of(ctx, country))
    return (opens, interview.tz) if opens > now else None


def _defer(ctx: Context, note: Note, until: datetime) -> None:
    """Back to pending, still approved, due at `until`."""
    now = ctx.clock.now()
    moved = PlannedNote(note.step, note.kind, note.interviewer_id, note.earliest_at, until)
    with ctx.store.transaction():
        ctx.store.finish_note(note.id, NoteState.PENDING, now)
        ctx.store.reschedule_note(note.id, moved, now)
        pending = [
            PlannedNote(n.step, n.kind, n.interviewer_id, n.earliest_at, n.due_at)
            for n in ctx.store.notes(note.interview_id)
            if n.state is NoteState.PENDING
        ]
        services.record_next(ctx, note.interview_id, pending)  # what the agenda reads


def _key(ctx: Context) -> bytes:
    if ctx.approval_key is None:
        raise StoreUnavailable("no approval key: this context cannot approve or send notes")
    return ctx.approval_key()


# What composing a note writes (adapters/mail/message.py): an approved message with any other
# header (a Bcc, a Cc, a Reply-To, a second To) was not made by this install.
_COMPOSED_HEADERS = frozenset(
    (
        "from",
        "to",
        "subject",
        "date",
        "message-id",
        "in-reply-to",
        "references",
        "mime-version",
        "content-type",
        "content-transfer-encoding",
    )
)


def _unsendable(
    ctx: Context, outbox: Outbox, note: Note, to: str, message: str, sealed: str
) -> str | None:
    """Why an approved message must not go out, or None: it must carry this install's seal,
    be addressed from the account sending it to the note's interviewer as they are now, and
    have only the headers composing writes. Checked at every send, so that bytes which came
    from a file are never sent, whatever the database says."""
    if not (to and message):
        return "no approved message on record: look at the note, then approve it again"
    if not sealed or not hmac.compare_digest(sealed, seal(_key(ctx), note.id, to, message)):
        return (
            "the approval was not made by this followup (it came from an imported or restored"
            " file, or was changed): look at the note, then approve it again"
        )
    from email.parser import HeaderParser

    from followup.app.headers import parse_single_mailbox

    head = HeaderParser().parsestr(message, headersonly=True)
    names = [name.lower() for name in head]
    extra = sorted(set(names) - _COMPOSED_HEADERS)
    if extra or len(names) != len(set(names)):
        return f"the approved message has unexpected headers ({', '.join(extra) or 'repeated'})"
    try:
        sender = parse_single_mailbox(str(head.get("From", "")))[1]
        recipient = parse_single_mailbox(str(head.get("To", "")))[1]
    except InvalidInput as exc:
        return f"the approved message's addresses do not parse: {exc}"
    refusal = _lint_again(note, head, message)
    if refusal is not None:
        return refusal
    if sender.lower() != outbox.sender_address.lower():
        return f"approved to go from {sender}, but this account sends as {outbox.sender_address}"
    people = {p.id: p for p in ctx.store.interviewers(note.interview_id)}
    person = people.get(note.interviewer_id) if note.interviewer_id is not None else None
    current = (person.email or "") if person else ""
    approved = sending.address_of(to)
    if recipient.lower() != approved.lower() or approved.lower() != current.lower():
        return (
            "the recipient changed since you approved it: look at the note, then approve it again"
        )
    return None


def _lint_again(note: Note, head: Message, message: str) -> str | None:
    """The gate again, on the approved text: approval linted it with everything known, so
    only what no context can excuse is checked (a placeholder, no signature) — what an
    approval recorded by an older version may still carry."""
    from email import message_from_string, policy
    from email.message import EmailMessage

    from followup.domain.lint import SELF_EVIDENT, NoteContext, lint

    parsed = message_from_string(message, policy=policy.default)
    part = parsed.get_body(preferencelist=("plain",)) if isinstance(parsed, EmailMessage) else None
    body = part.get_content() if part is not None else ""
    subject = str(head.get("Subject", ""))
    findings = lint(subject, body, NoteContext(kind=note.kind))
    return sending.lint_refusal(note.interview_id, [f for f in findings if f.rule in SELF_EVIDENT])


def _refuse(ctx: Context, note: Note, why: str) -> None:
    """Back to pending, not approved any more, with the reason kept: not claimed again.
    The history says so too: the user approved it, and it did not go."""
    now = ctx.clock.now()
    with ctx.store.transaction():
        ctx.store.finish_note(note.id, NoteState.PENDING, now, error=f"not sent: {why}")
        ctx.store.withdraw_approval(note.id, now)
        events.record(
            ctx,
            note.interview_id,
            events.NOTED,
            f"the approved {wording.kind_label(note.kind)} was not sent by itself: {why}",
            None,
            {"note": note.id},
        )


def expire_leases(ctx: Context) -> list[int]:
    """Notes whose worker died mid-send (lease over) become `unknown`: reconcile them. So
    does a lease longer than any worker takes (twice LEASE: room for clocks apart), from
    a file or a hand edit: capped, it cannot hold a note forever."""
    return ctx.store.expire_leases(ctx.clock.now(), EXPIRED, longest=2 * LEASE)
