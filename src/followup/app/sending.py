"""Sending notes at most once, or saving them to the user's Drafts folder.

The state machine (GUIDE convention 10): the Message-ID is fixed when the note is drafted;
the note is committed `sending` (durably: synchronous=FULL) before SMTP DATA and `sent`
after the server's 250; a reply is re-checked inside that claim. A note found `sending`
whose process died becomes `unknown` and is reconciled by looking for its Message-ID in the
Sent folder — never resent blindly. A 4xx is retried with back-off; a 5xx fails for good.
"""

from __future__ import annotations

import os
import re
import socket
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import NamedTuple

from followup.app import drafting, events, pacing, services, wording
from followup.app.context import Context
from followup.app.errors import Conflict, InvalidInput
from followup.app.mailports import (
    TOO_SLOW,
    Composer,
    Mailbox,
    Mailer,
    MailError,
    SignInNeeded,
    fails_the_note,
)
from followup.app.parse import format_mailbox, shown_mailbox
from followup.domain import planner
from followup.domain.lint import Finding, Severity
from followup.domain.model import Interviewer, Note, NoteState, Status

# A claim older than this belongs to a process that is gone (the CLI never takes this long).
LEASE = timedelta(minutes=10)
BACKOFF = (2.0, 8.0, 30.0)  # seconds between attempts after a 4xx or a dropped connection


class Sent(NamedTuple):
    note_id: int
    interview_id: int
    to: str
    outcome: str  # sent | drafted | failed | unknown | retry-later | skipped | held | let-go
    detail: str = ""


class Outbox(NamedTuple):
    """Where notes go: the SMTP server, the IMAP mailbox, and who sends them."""

    sender: str  # "Name <address>" for From
    sender_address: str  # the envelope sender
    compose: Composer
    mailer: Mailer | None
    mailbox: Mailbox | None
    redate: Callable[[bytes, datetime], bytes] | None = None  # a composed message, sent now
    # File a copy of each sent note in Sent: the provider's SMTP keeps none (app/mailsetup.py)
    copy_to_sent: bool = False
    # mail.mode "send": a note may go by mail; "drafts": it is only ever saved to Drafts
    sends: bool = True


def _me() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def failpoint(name: str) -> None:
    """Crash here if FOLLOWUP_FAILPOINT names this point: how the crash tests kill a send."""
    if os.environ.get("FOLLOWUP_FAILPOINT") == name:
        import signal

        os.kill(os.getpid(), signal.SIGKILL)


# --- the gate: what may leave ----------------------------------------------------------------


LINT_REFUSED = "lint errors — "  # how lint_refusal's line starts: see refused_by_lint


def lint_refusal(
    interview_id: int, findings: Sequence[Finding], person: Interviewer | None = None
) -> str | None:
    """Why a note with these lint findings must not leave, naming each error with its fix;
    None when it may. The one gate: `send`, `send --due`, `send --when-due`, the worker and
    the dashboard refuse on it, and `draft --eml`/`--mailto` print it as a warning. Nothing
    overrides it (`--force` only sends before the due time)."""
    errors = [f for f in findings if f.severity is Severity.ERROR]
    if not errors:
        return None
    each = "; ".join(f"{f.rule}: {f.message}" for f in errors)
    who = f" --interviewer {person.email}" if person is not None and person.email else ""
    return f"{LINT_REFUSED}{each} (edit it with `followup draft {interview_id}{who} --edit`)"


def refused_by_lint(result: Sent) -> bool:
    """The gate kept this note back (the CLI exits 7, ExitCode.LINT, as `lint` does)."""
    return result.outcome == "skipped" and result.detail.startswith(LINT_REFUSED)


# --- choosing what to send ----------------------------------------------------------------


def notes_for_interview(ctx: Context, interview_id: int, email: str | None = None) -> list[Note]:
    seq = services.sequence(ctx, interview_id)
    if not seq.interview.status.is_open:
        raise Conflict(f"interview {interview_id} is {seq.interview.status.value}: nothing to send")
    pending = [n for n in seq.notes if n.state is NoteState.PENDING]
    if not pending:
        raise Conflict(f"interview {interview_id} has no note pending")
    step = min(n.step for n in pending)
    chosen = [n for n in pending if n.step == step]
    if email:
        ids = {p.id for p in seq.interviewers if p.email == email.strip().lower()}
        chosen = [n for n in chosen if n.interviewer_id in ids]
        if not chosen:
            raise Conflict(f"no pending note for {email} in interview {interview_id}")
    return chosen


# --- what the CLI and the dashboard ask for -------------------------------------------------

Notice = Callable[[str], None]  # a line for the user while the work goes on (the CLI warns)


def _ignore(_line: str) -> None:
    """The default notice: the results say what happened."""


def send_interview(
    ctx: Context,
    outbox: Outbox,
    interview_id: int,
    email: str | None = None,
    *,
    to_drafts: bool,
    force: bool = False,
    resend_unknown: bool = False,
    notice: Notice = _ignore,
    read_inbox: Callable[[], object] | None = None,
    yes: bool = False,
    backoff: Sequence[float] = BACKOFF,
) -> list[Sent]:
    """`send ID`: the interview's pending note(s) of its current step (or one interviewer's),
    sent — or saved to Drafts — at most once, after any interrupted send is reconciled.
    `resend_unknown`: the user checked that the notes in doubt did not go out. New mail is
    read first, as for `send --due`: a rejection that arrived since ends the sequence and
    nothing goes (an unreadable inbox stops a send unless `yes` or `to_drafts`).
    `backoff`: the pauses between attempts after a 4xx or a failed connection (the
    dashboard gives none: the user sees the failure at once and presses Send again)."""
    _recover(ctx, outbox, notice)
    inbox_read = read_first(read_inbox, notice)
    if resend_unknown:
        release_unknown(ctx, interview_id)
    notes = notes_for_interview(ctx, interview_id, email)
    if read_inbox is not None and not inbox_read and not (yes or to_drafts):
        raise Conflict(_UNREAD)
    left: list[Sent] = []
    if email is None:  # the notes still worth sending go; one named is the user's choice
        notes, left = _without_let_go(ctx, notes)
    sent = deliver(ctx, outbox, notes, to_drafts=to_drafts, force=force, backoff=backoff)
    return sent + _let_go_since(ctx, left)  # what went first, then what was left and why


def _without_let_go(ctx: Context, notes: Sequence[Note]) -> tuple[list[Note], list[Sent]]:
    """The notes to send, and those the agenda says to let go (`services.why_let_go`), left
    with why and the command that sends one all the same: naming its person, as the
    dashboard's card does (`send ID` alone never sends one)."""
    now = ctx.clock.now()
    kept: list[Note] = []
    left: list[Sent] = []
    for note in notes:
        interview = ctx.store.get_interview(note.interview_id)
        why = services.why_let_go(ctx, note, interview, now)
        if why is None:
            kept.append(note)
            continue
        draft = _draft_for(ctx, note)
        left.append(Sent(note.id, note.interview_id, recipient(draft), "skipped", why))
    return kept, left


def send_anyway(interview_id: int, person: Interviewer | None) -> str:
    """How to send a note the agenda says to let go all the same: by naming its person."""
    who = f" --interviewer {person.email}" if person is not None and person.email else ""
    return f"to send it all the same: followup send {interview_id}{who}"


_NO_INBOX = (
    "no inbox is set up (IMAP), so a reply that came in would not stop these notes: check"
    " your mail for answers first, then add --yes (or set up IMAP: docs/mail.md)"
)
_UNREAD = (
    "your inbox could not be read in this run, so a reply might be missed:"
    " fix `followup mail test`, or add --yes"
)


def read_first(read_inbox: Callable[[], object] | None, notice: Notice) -> bool:
    """Read new mail before anything goes (issue #15: a rejection that arrived an hour ago
    stops the note); False when there is an inbox and it could not be read."""
    if read_inbox is None:
        return False
    try:
        read_inbox()
    except Exception as exc:  # any failure to read: the caller's brake decides
        notice(f"could not read your inbox first: {exc}")
        return False
    return True


def send_due(
    ctx: Context,
    outbox: Outbox,
    *,
    read_inbox: Callable[[], object] | None,
    max_batch: int,
    to_drafts: bool,
    yes: bool = False,
    notice: Notice = _ignore,
) -> list[Sent]:
    """`send --due`: every note due now, behind the bulk-send brake. New mail is read first
    (`read_inbox`; None: no IMAP), so a reply stops its sequence before anything goes. Unless
    the user said `yes`, nothing is sent when more than `max_batch` notes are due at once (a
    wrong clock or an import gone astray), nor when the inbox could not be read (a reply
    might be missed; saving to Drafts is safe). An empty list: nothing is due."""
    _recover(ctx, outbox, notice)
    inbox_read = read_first(read_inbox, notice)
    # what the agenda says to let go is never sent in bulk
    notes, left = _without_let_go(ctx, ctx.store.due_notes(ctx.clock.now(), max_batch + 1))
    if notes and not yes:
        if len(notes) > max_batch:
            raise Conflict(
                f"more than {max_batch} notes are due at once: check"
                " `followup agenda`, then add --yes (or raise mail.max_batch)"
            )
        if not inbox_read and not to_drafts:
            raise Conflict(_UNREAD if read_inbox is not None else _NO_INBOX)
    sent = deliver(ctx, outbox, notes, to_drafts=to_drafts)
    if not to_drafts:  # a round left only thank-yous to people met again since moves on
        for interview_id in dict.fromkeys(item.interview_id for item in left):
            services.moves_on_once_thanked(ctx, interview_id)
    return sent + _let_go_since(ctx, left)  # what went first, then what was left and why


def _let_go_since(ctx: Context, left: list[Sent]) -> list[Sent]:
    """The notes left, each as it stands after the others went: one whose round moved on
    meanwhile (`services.moves_on_once_thanked`: nothing else left in it) is let go, and
    undo is how to take it back — not the command that would send it."""
    out = []
    for item in left:
        note = ctx.store.get_note(item.note_id)
        if note is not None and note.state is NoteState.CANCELLED:
            moved = f"interview {item.interview_id} moved on (followup undo {item.interview_id}"
            said = f"{item.detail}; {moved} takes it back)"
            out.append(item._replace(outcome="let-go", detail=said))
            continue
        people = ctx.store.interviewers(item.interview_id)
        person = next((p for p in people if note and p.id == note.interviewer_id), None)
        how = send_anyway(item.interview_id, person)
        out.append(item._replace(detail=f"{item.detail} ({how})"))
    return out


def _recover(ctx: Context, outbox: Outbox, notice: Notice) -> None:
    for line in reconcile(ctx, outbox.mailbox):
        if line.outcome == "sent":
            notice(f"note {line.note_id}: found in Sent after an interrupted send: recorded")


class Eml(NamedTuple):
    name: str  # <interview>-<step>-<address>.eml, safe as a file name
    data: bytes  # the RFC 5322 message
    warning: str | None = None  # lint_refusal's line: what the user must fix before sending


_FILENAME_UNSAFE = re.compile(r"[^A-Za-z0-9@._-]")


def draft_as_eml(ctx: Context, compose: Composer, drafts: Sequence[drafting.Draft]) -> list[Eml]:
    """Each draft as the message it would be sent as, from the user (user.name, user.email),
    to write to a file or download; every draft is checked before any is composed. A draft
    with lint errors is still written (the user sends it by hand): its Eml carries the
    gate's refusal as a warning to show."""
    if not ctx.sender_email:
        raise InvalidInput("set your address first: followup config set user.email you@example.org")
    for d in drafts:
        if d.message_id is None and d.sent_at is not None:
            raise InvalidInput(
                f"the {wording.kind_label(d.kind)} to {recipient(d)} was recorded as sent"
                f" ({wording.local(d.sent_at, ctx.user_tz)}): nothing to write as .eml"
            )
        if d.message_id is None:
            raise InvalidInput(f"step {d.step} is not planned yet: nothing to write as .eml")
        recipient(d)
    sender = format_mailbox(ctx.sender_name, ctx.sender_email)
    files = []
    for d in drafts:
        assert d.interviewer is not None  # checked above
        data = _composed(ctx, compose, sender, d)
        name = f"{d.interview_id}-{d.step}-{d.interviewer.email}.eml"
        warning = lint_refusal(d.interview_id, d.findings, d.interviewer)
        files.append(Eml(_FILENAME_UNSAFE.sub("_", name), data, warning))
    return files


recipient = drafting.recipient  # the draft's To: drafting's, so a draft needs no mail code


# --- sending ------------------------------------------------------------------------------


def deliver(
    ctx: Context,
    outbox: Outbox,
    notes: Sequence[Note],
    *,
    to_drafts: bool,
    force: bool = False,
    sleep: Callable[[float], None] | None = None,
    backoff: Sequence[float] = BACKOFF,
) -> list[Sent]:
    """Send each note (or save it to Drafts); every outcome is recorded before returning."""
    results = []
    for note in notes:
        current = ctx.store.get_note(note.id)
        if current is None or current.state is not NoteState.PENDING:
            state = current.state.value if current else "gone"
            results.append(
                Sent(note.id, note.interview_id, "", "skipped", f"no longer pending ({state})")
            )
            continue
        draft = _draft_for(ctx, note)
        to = recipient(draft)
        problem = _refusal(ctx, note, draft, force)
        if problem:
            results.append(Sent(note.id, note.interview_id, to, "skipped", problem))
            continue
        held = None if to_drafts else pacing.hold(ctx)
        if held is not None:  # the provider's daily limit: not even --force goes over it
            results.append(
                Sent(note.id, note.interview_id, to, "held", pacing.why(held, ctx.user_tz))
            )
            continue
        raw = message(ctx, outbox, draft)
        if to_drafts:
            results.append(_save_draft(ctx, outbox, note, to, raw))
        else:
            results.append(_send(ctx, outbox, note, to, raw, sleep or time.sleep, backoff))
    return results


def draft_for(ctx: Context, note: Note) -> drafting.Draft:
    """The note's draft as it would go out now (rendered, linted, with its Message-ID)."""
    return _draft_for(ctx, note)


def _draft_for(ctx: Context, note: Note) -> drafting.Draft:
    people = {p.id: p for p in ctx.store.interviewers(note.interview_id)}
    person = people.get(note.interviewer_id) if note.interviewer_id else None
    email = person.email if person else None
    for draft in drafting.drafts(ctx, note.interview_id, note.step, email):
        if draft.note_id == note.id:
            return draft
    raise Conflict(f"note {note.id} has no draft")


def _refusal(ctx: Context, note: Note, draft: drafting.Draft, force: bool) -> str | None:
    """Why the note cannot go now: lint errors (never overridden), or not due yet (--force)."""
    problem = lint_refusal(note.interview_id, draft.findings, draft.interviewer)
    if problem is None and not force and not planner.may_send(note.due_at, ctx.clock.now()):
        return wording.not_due(note, ctx.policy, ctx.user_tz)
    return problem


def message(ctx: Context, outbox: Outbox, draft: drafting.Draft) -> bytes:
    """The RFC 5322 bytes of a drafted note, from the outbox's sender."""
    return _composed(ctx, outbox.compose, outbox.sender, draft)


def _composed(ctx: Context, compose: Composer, sender: str, draft: drafting.Draft) -> bytes:
    """The one way a draft becomes a message: to its recipient, threaded, dated now."""
    assert draft.message_id is not None  # a planned note always has one
    try:
        return compose(
            sender=sender,
            to=[recipient(draft)],
            subject=draft.subject,
            body=draft.body,
            message_id=draft.message_id,
            date=ctx.clock.now(),
            in_reply_to=draft.in_reply_to,
            references=list(draft.references),
        )
    except InvalidInput as exc:  # a company or role kept from before it was checked
        fix = services.heading_fix(ctx, draft.interview_id)
        if fix is None:
            raise
        raise InvalidInput(f"{exc}; {fix}") from None


def _save_draft(ctx: Context, outbox: Outbox, note: Note, to: str, raw: bytes) -> Sent:
    if outbox.mailbox is None:
        raise InvalidInput(
            "saving to Drafts needs IMAP: set mail.imap_host (or, to send by SMTP alone:"
            " followup config set mail.mode send)"
        )
    if ctx.store.drafted_at(note.id):
        return Sent(note.id, note.interview_id, to, "skipped", "already in your Drafts folder")
    try:
        outbox.mailbox.append_draft(raw)
    except MailError as exc:
        return Sent(note.id, note.interview_id, to, "retry-later", str(exc))
    with ctx.store.transaction():
        ctx.store.mark_drafted(note.id, ctx.clock.now())
    return Sent(note.id, note.interview_id, to, "drafted", "saved to your Drafts folder")


def _send(
    ctx: Context,
    outbox: Outbox,
    note: Note,
    to: str,
    raw: bytes,
    sleep: Callable[[float], None],
    backoff: Sequence[float],
) -> Sent:
    if outbox.mailer is None:
        raise InvalidInput("sending needs SMTP: set mail.smtp_host")
    if not _claim(ctx, note):
        return Sent(note.id, note.interview_id, to, "skipped", "already sent, replied or claimed")
    return send_claimed(ctx, outbox, note, to, raw, sleep, backoff)


def send_claimed(
    ctx: Context,
    outbox: Outbox,
    note: Note,
    to: str,
    raw: bytes,
    sleep: Callable[[float], None],
    backoff: Sequence[float] = BACKOFF,
) -> Sent:
    """Send a note this process holds `sending` (its claim is committed): every outcome —
    sent, failed, unknown, or pending again after repeated 4xx — is recorded before returning.
    """
    if outbox.mailer is None:
        raise InvalidInput("sending needs SMTP: set mail.smtp_host")
    recipient = address_of(to)
    failpoint("claimed")
    for attempt, pause in enumerate((*backoff, None), start=1):
        try:
            outbox.mailer.send(raw, outbox.sender_address, [recipient])
        except MailError as exc:
            if exc.unknown:
                _finish(ctx, note, NoteState.UNKNOWN, str(exc))
                return Sent(note.id, note.interview_id, to, "unknown", str(exc))
            if fails_the_note(exc):  # the recipient refused for good: the one rule
                _finish(ctx, note, NoteState.FAILED, str(exc))
                return Sent(note.id, note.interview_id, to, "failed", str(exc))
            if exc.permanent or isinstance(exc, SignInNeeded):  # the account's or the
                # connection's: nothing was sent and no pause can help; the note stays pending
                _finish(ctx, note, NoteState.PENDING, str(exc))
                return Sent(note.id, note.interview_id, to, "retry-later", str(exc))
            if pause is None:
                _finish(ctx, note, NoteState.PENDING, str(exc))
                return Sent(
                    note.id,
                    note.interview_id,
                    to,
                    "retry-later",
                    f"{exc} ({attempt} {'try' if attempt == 1 else 'tries'})",
                )
            sleep(pause)
            continue
        failpoint("accepted")
        _finish(ctx, note, NoteState.SENT, None)
        return Sent(note.id, note.interview_id, to, "sent", _copy_to_sent(outbox, raw))
    raise AssertionError("unreachable")


def _copy_to_sent(outbox: Outbox, raw: bytes) -> str:
    """File the copy a provider's SMTP does not (Gmail's and Microsoft's do: never a second).
    The note is sent whatever happens here: a failure is said, never retried as a send."""
    if not outbox.copy_to_sent or outbox.mailbox is None:
        return ""
    try:
        outbox.mailbox.append_sent(raw)
    except MailError as exc:
        return f"no copy filed in your Sent folder: {exc}"
    return ""


def address_of(to: str) -> str:
    """The addr-spec of a recipient written "Name <address>" (or a bare address)."""
    return to.rpartition("<")[2].rstrip(">")


def _claim(ctx: Context, note: Note) -> bool:
    """pending -> sending, in one write transaction that also re-checks for a reply."""
    now = ctx.clock.now()
    with ctx.store.transaction():
        interview = ctx.store.get_interview(note.interview_id)
        if interview is None or interview.status is not Status.WAITING:
            return False  # a reply (or a cancel) landed since the note was chosen
        return ctx.store.claim_note(note.id, now, _me())


def _finish(
    ctx: Context, note: Note, state: NoteState, error: str | None, how: str = "sent by mail"
) -> None:
    now = ctx.clock.now()
    with ctx.store.transaction():
        sent_at = now if state is NoteState.SENT else None
        prior = events.before_sending(ctx, note.interview_id, note.id)
        ctx.store.finish_note(note.id, state, now, sent_at=sent_at, error=error)
        if state is NoteState.SENT:
            services.replan(ctx, note.interview_id)
            # the recipient from the rows just read for the history (a send changes no one)
            person = next(
                (p for p in prior["interviewers"] if p["id"] == note.interviewer_id), None
            )
            to = f" to {shown_mailbox(person['name'], person['email'])}" if person else ""
            address = person["email"] if person else None  # where it went, kept in its record
            events.record(
                ctx,
                note.interview_id,
                events.MAILED,
                f"the {wording.kind_label(note.kind)}{to} was {how}",
                prior,
                {"note": note.id, "step": note.step, "kind": note.kind, "to": address},
            )
            services.moves_on_once_thanked(ctx, note.interview_id)


# --- after a crash ------------------------------------------------------------------------


def reconcile(ctx: Context, mailbox: Mailbox | None) -> list[Sent]:
    """Claims whose process died become `unknown`; an `unknown` found in Sent becomes `sent`."""
    now = ctx.clock.now()
    host = socket.gethostname()
    with ctx.store.transaction():
        for note, claimed_at, claimed_by in ctx.store.claims():
            by_host, _, pid = claimed_by.partition(":")
            dead_here = by_host == host and pid.isdigit() and not _alive(int(pid))
            if dead_here or claimed_at < now - LEASE:
                ctx.store.finish_note(
                    note.id, NoteState.UNKNOWN, now, error="the sending process stopped mid-way"
                )
    results = []
    slow = ""  # a server too slow to answer one search is as slow for the next: not asked
    for note in ctx.store.notes_in_state(NoteState.UNKNOWN):
        if mailbox is None or note.message_id is None:
            results.append(Sent(note.id, note.interview_id, "", "unknown", "cannot check Sent"))
            continue
        if slow:
            results.append(Sent(note.id, note.interview_id, "", "unknown", slow))
            continue
        try:
            found = mailbox.sent_contains(note.message_id)
        except MailError as exc:
            slow = str(exc) if TOO_SLOW in str(exc) else ""
            results.append(Sent(note.id, note.interview_id, "", "unknown", str(exc)))
            continue
        if found:
            _finish(ctx, note, NoteState.SENT, None, "found in your Sent folder")
            results.append(Sent(note.id, note.interview_id, "", "sent", "found in Sent"))
        else:
            results.append(
                Sent(
                    note.id,
                    note.interview_id,
                    "",
                    "unknown",
                    "not in Sent: check, then"
                    " `followup sent ID` or `followup send ID --resend-unknown`",
                )
            )
    return results


def release_unknown(ctx: Context, interview_id: int) -> int:
    """The user checked: the unknown notes of this interview were not delivered. Pending again."""
    now = ctx.clock.now()
    count = 0
    with ctx.store.transaction():
        for note in ctx.store.notes(interview_id):
            if note.state is NoteState.UNKNOWN:
                ctx.store.finish_note(note.id, NoteState.PENDING, now)
                count += 1
    return count


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
