"""Reading the mailbox: a real reply stops the sequence; an out-of-office or a bounce does not.

Each folder is read from where the last sync stopped (UID + UIDVALIDITY), and each message's
effects and the new sync point are committed together, so a message is processed once even
if the sync is interrupted. Only metadata of inbound mail is stored — never bodies.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import NamedTuple

from followup.app import services
from followup.app.context import Context
from followup.app.errors import Conflict
from followup.app.mailports import FetchedMessage, Mailbox, SyncPoint
from followup.domain.model import NoteState, Status
from followup.domain.replies import Classification, Kind, MessageFacts, classify
from followup.domain.workdays import next_workday_opening

BATCH = 200  # messages per transaction: progress survives an interruption


class MailIdentity(NamedTuple):
    """Who the user is on this account, and what counts as the hiring side."""

    account: str  # key for the sync points
    own_addresses: frozenset[str]
    ats_domains: tuple[str, ...]
    ooo_default_days: int


class Event(NamedTuple):
    interview_id: int
    kind: str  # replied | deferred | bounced | sent-found
    detail: str


class SyncReport(NamedTuple):
    read: int
    events: tuple[Event, ...]
    counts: dict[str, int]  # by classification, for matched messages


Progress = Callable[[int, int], None]  # (done, total)


def sync(
    ctx: Context,
    mailbox: Mailbox,
    me: MailIdentity,
    parse: Callable[[bytes], MessageFacts],
    progress: Progress | None = None,
) -> SyncReport:
    """One pass over the Sent folder (our own notes) and the inbox (their answers).

    `parse` reads a raw message into facts (adapters/mail/inbound.py in production).
    """
    folders = mailbox.folders()
    events: list[Event] = []
    counts = {k.value: 0 for k in Kind}
    read = 0
    sent_folder = folders.get("sent")
    if sent_folder:
        batch = _fetch(ctx, mailbox, me, sent_folder)
        read += len(batch[0])
        events += _apply(ctx, me, sent_folder, batch, parse, _found_in_sent, progress)
    inbox = folders.get("inbox", "INBOX")
    batch = _fetch(ctx, mailbox, me, inbox)
    read += len(batch[0])
    events += _apply(ctx, me, inbox, batch, parse, _inbound, progress)
    for event in events:
        kind = _EVENT_KIND.get(event.kind)
        if kind:
            counts[kind] += 1
    return SyncReport(read, tuple(events), counts)


_EVENT_KIND = {"replied": "human", "deferred": "auto-reply", "bounced": "bounce"}


def _fetch(
    ctx: Context, mailbox: Mailbox, me: MailIdentity, folder: str
) -> tuple[list[FetchedMessage], SyncPoint]:
    stored = ctx.store.sync_point(me.account, folder)
    since = SyncPoint(*stored) if stored else None
    return mailbox.fetch_new(folder, since)


Handler = Callable[[Context, MailIdentity, MessageFacts], list[Event]]


def _apply(
    ctx: Context,
    me: MailIdentity,
    folder: str,
    fetched: tuple[list[FetchedMessage], SyncPoint],
    parse: Callable[[bytes], MessageFacts],
    handle: Handler,
    progress: Progress | None,
) -> list[Event]:
    messages, point = fetched
    events: list[Event] = []
    done = 0
    for start in range(0, max(len(messages), 1), BATCH):
        chunk = messages[start : start + BATCH]
        with ctx.store.transaction():
            for message in chunk:
                events += handle(ctx, me, parse(message.raw))
            # the point reached so far, saved with the effects of the messages before it
            last = chunk[-1].uid if chunk else point.last_uid
            ctx.store.save_sync_point(
                me.account, folder, point.uidvalidity, max(last, 0), ctx.clock.now()
            )
        done += len(chunk)
        if progress:
            progress(done, len(messages))
    if messages:
        with ctx.store.transaction():
            ctx.store.save_sync_point(
                me.account, folder, point.uidvalidity, point.last_uid, ctx.clock.now()
            )
    return events


# --- the Sent folder: notes the user sent from their own mail client -----------------------


def _found_in_sent(ctx: Context, me: MailIdentity, facts: MessageFacts) -> list[Event]:
    if not facts.message_id:
        return []
    events = []
    for note in ctx.store.notes_with_message_ids([facts.message_id]):
        if note.state in (NoteState.PENDING, NoteState.UNKNOWN, NoteState.SENDING):
            now = ctx.clock.now()
            sent_at = min(facts.date or now, now)
            ctx.store.finish_note(note.id, NoteState.SENT, now, sent_at=sent_at)
            services.replan(ctx, note.interview_id)
            events.append(Event(note.interview_id, "sent-found", f"note {note.id} is in Sent"))
    return events


# --- the inbox ----------------------------------------------------------------------------


def _inbound(ctx: Context, me: MailIdentity, facts: MessageFacts) -> list[Event]:
    if facts.message_id and ctx.store.inbound_seen(facts.message_id):
        return []
    sender = (facts.from_addr or "").lower()
    if sender in me.own_addresses:
        return []  # the user's own mail is never a reply
    now = ctx.clock.now()
    received = min(facts.date or now, now)
    verdict = _for_ats(me, facts, classify(facts, received.date()))
    interviews = _matching(ctx, me, facts, verdict)
    events: list[Event] = []
    for interview_id in interviews:
        interview = ctx.store.get_interview(interview_id)
        if interview is None:
            continue
        events += _effect(ctx, me, interview_id, interview.tz, verdict, facts, received)
        if verdict.kind is not Kind.HUMAN:  # a human reply records itself in mark_replied
            ctx.store.add_inbound(
                interview_id=interview_id,
                classification=verdict.kind.value,
                received_at=received,
                now=now,
                source="imap",
                message_id=facts.message_id,
                from_addr=facts.from_addr,
                subject=facts.subject[:200],
            )
    return events


def _is_ats(me: MailIdentity, address: str) -> bool:
    domain = address.rpartition("@")[2].lower()
    return any(domain == d or domain.endswith("." + d) for d in me.ats_domains)


def _for_ats(me: MailIdentity, facts: MessageFacts, verdict: Classification) -> Classification:
    """Applicant-tracking systems write for the employer from no-reply addresses: that is
    the employer answering, not a notification — unless it is list mail."""
    is_list = any(name in ("list-id", "list-unsubscribe") for name, _ in facts.headers)
    if verdict.kind is Kind.UNRELATED and _is_ats(me, facts.from_addr or "") and not is_list:
        return Classification(Kind.HUMAN, "sent for the employer by an applicant-tracking system")
    return verdict


def _matching(
    ctx: Context, me: MailIdentity, facts: MessageFacts, verdict: Classification
) -> list[int]:
    """The interviews a message is about: it answers one of our notes, or comes from them."""
    # A bounce carries our note inside the returned message; anything else must reference
    # it in its own headers (an attached copy of our note proves nothing).
    ids = list(facts.references)
    if verdict.kind is Kind.BOUNCE:
        ids += list(facts.attached_ids)
    by_thread = {n.interview_id for n in ctx.store.notes_with_message_ids(ids)} if ids else set()
    if by_thread:
        return sorted(by_thread)
    sender = (facts.from_addr or "").lower()
    if not sender or "@" not in sender or verdict.kind is Kind.BOUNCE:
        return []
    domain = sender.rpartition("@")[2]
    found = ctx.store.open_interviews_for_sender(sender, domain)
    if found:
        return found
    if _is_ats(me, sender):
        return _by_company_name(ctx, facts)
    return []


def _by_company_name(ctx: Context, facts: MessageFacts) -> list[int]:
    """Mail relayed by an applicant-tracking system names the company in its subject or sender."""
    text = f"{facts.subject} {facts.from_name}".casefold()
    return [
        row.interview.id
        for row in ctx.store.list_interviews([Status.WAITING])
        if row.application.company.casefold() in text
    ]


def _effect(
    ctx: Context,
    me: MailIdentity,
    interview_id: int,
    tz: str,
    verdict: Classification,
    facts: MessageFacts,
    received: datetime,
) -> list[Event]:
    try:
        if verdict.kind is Kind.HUMAN:
            services.mark_replied(
                ctx,
                interview_id,
                received,
                source="imap",
                message_id=facts.message_id,
                from_addr=facts.from_addr,
                subject=facts.subject[:200],
            )
            return [Event(interview_id, "replied", f"{facts.from_addr} replied")]
        if verdict.kind is Kind.AUTO_REPLY:
            until = _back_at(ctx, tz, verdict, received, me.ooo_default_days)
            services.defer(ctx, interview_id, until)
            why = verdict.reason
            return [
                Event(
                    interview_id, "deferred", f"auto-reply: {why}; next note after {until:%Y-%m-%d}"
                )
            ]
        if verdict.kind is Kind.BOUNCE:
            failed = verdict.failed_recipients or _addressees(ctx, facts.attached_ids)
            status = services.bounced(ctx, interview_id, failed, received)
            return [Event(interview_id, "bounced", f"{', '.join(failed)} bounced ({status.value})")]
    except Conflict:
        return []  # the sequence already ended: nothing to change
    return []


def _addressees(ctx: Context, message_ids: Sequence[str]) -> tuple[str, ...]:
    """Whom our returned notes were addressed to: for a bounce that names no failed address."""
    found = []
    for note in ctx.store.notes_with_message_ids(list(message_ids)):
        emails = {p.id: p.email for p in ctx.store.interviewers(note.interview_id)}
        email = emails.get(note.interviewer_id) if note.interviewer_id else None
        if email:
            found.append(email)
    return tuple(dict.fromkeys(found))


def _back_at(
    ctx: Context, tz: str, verdict: Classification, received: datetime, default_days: int
) -> datetime:
    """An out-of-office: the window's opening on the working day after the return date."""
    if verdict.return_date is not None:
        return next_workday_opening(verdict.return_date, tz, ctx.policy.window)
    return received + timedelta(days=default_days)
