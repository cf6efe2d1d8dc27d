"""Reading the mailbox: a real reply stops the sequence; an out-of-office or a bounce does not.

Each folder is read from where the last sync stopped (UID + UIDVALIDITY), and each batch's
effects and the new sync point are committed together, so a message is processed once even
if the sync is interrupted. Only metadata of inbound mail is stored — never bodies.

The cost follows what concerns an interview, not the size of the mailbox: `fetch_new` gives
only the headers of the new messages, and a cheap look at a few of their fields picks the
candidates; only those are fetched in full (`fetch_full`), parsed and classified. A message
of the inbox is a candidate when

- its own In-Reply-To/References name one of our notes (one store query per batch);
- it comes from the hiring side, as `_matching` would find it: an interviewer or a company
  domain of an open or closed interview, or an interviewer of a rejected or role-closed one
  (a reply may overturn it; loaded once per sync: `Store.hiring_senders`), or
  an applicant-tracking relay (`MailIdentity.ats_domains`) whose subject or sender names
  the company of an open or closed interview — `_by_company_name` matches nothing else
  for a relay, so a job seeker's confirmations from other employers are not read;
- it may be a bounce or a delivery warning (`replies.may_be_bounces`, the header half of the
  classifier's bounce checks): a bounce names our note only inside the returned message;

and never when all its From addresses are the user's own. Together these are what the full
reading can act on, so skipping the rest changes no outcome. In the Sent folder only the
Message-ID matters: nothing there is fetched in full, the few notes found are parsed from
their headers.

The fields are read from a whole batch at once: the headers joined in one buffer, one
regular expression over it, each test over the batch's joined senders or subjects. That is
~12 µs a message, where `email.parser.BytesHeaderParser(policy=compat32)` alone takes
~120 µs (20,000 headers of ~1.3 kB), and it is done as each batch arrives (`fetch_new`'s
`each`), while the server reads the next one: on 20,000 messages the first sync costs
about what fetching their headers does (benchmarks/imap_sync.py, docs/benchmarks.md).
"""

from __future__ import annotations

import contextlib
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from itertools import accumulate
from typing import NamedTuple

from followup.app import events as history
from followup.app import receiving, services, wording
from followup.app.context import Context
from followup.app.mailports import FetchedMessage, Mailbox, SyncPoint
from followup.app.receiving import MailIdentity as MailIdentity  # where it was
from followup.domain.companies import registrable_domain
from followup.domain.model import NoteState, Status
from followup.domain.replies import Kind, MessageFacts, may_be_bounces

BATCH = 1000  # messages per transaction: progress survives an interruption
INBOX = "INBOX"  # the inbox's name on every IMAP server (RFC 3501)


class Event(NamedTuple):
    interview_id: int
    kind: str  # replied | deferred | bounced | sent-found | kept | unverified | Change kinds
    detail: str


class SyncReport(NamedTuple):
    read: int
    events: tuple[Event, ...]
    counts: dict[str, int]  # by classification, for matched messages


Progress = Callable[[int, int], None]  # (done, total)
Parse = Callable[[bytes], MessageFacts]
Handler = Callable[[Context, MailIdentity, MessageFacts], list[Event]]


def sync(
    ctx: Context,
    mailbox: Mailbox,
    me: MailIdentity,
    parse: Parse,
    progress: Progress | None = None,
) -> SyncReport:
    """One pass over the Sent folder (our own notes) and the inbox (their answers).

    `parse` reads a raw message into facts (adapters/mail/inbound.py in production).

    The inbox is read first and acted on last: its headers come first, its candidates are
    picked as they arrive and fetched in full while it is still the folder examined; then
    Sent is read and acted on, then the inbox. So a reply answers a note that was already
    in Sent when Sent was read, and Sent's news is applied before the answers to it. It is
    cheaper too: Dovecot keeps INBOX open from the login until a command opens or lists
    another folder, after which an EXAMINE of 20,000 messages costs ~20 ms instead of ~2.
    """
    events: list[Event] = []
    hiring = _Hiring.load(ctx, me)
    inbox, wanted = _read(
        ctx, mailbox, me, INBOX, lambda batch: _inbox_candidates(ctx, me, hiring, batch), progress
    )
    uids = [m.uid for m in wanted]
    full = {m.uid: m.raw for m in mailbox.fetch_full(INBOX, uids)} if uids else {}
    read = len(inbox[0])
    sent_folder = mailbox.folders().get("sent")
    if sent_folder:
        pick = partial(_sent_candidates, ctx)
        sent, ours = _read(ctx, mailbox, me, sent_folder, pick, progress)
        read += len(sent[0])
        found = {m.uid: m.raw for m in ours}  # the header: all `_found_in_sent` reads
        events += _apply(ctx, me, sent_folder, sent, found, parse, _found_in_sent)
    events += _apply(ctx, me, INBOX, inbox, full, parse, _inbound)
    counts = {k.value: 0 for k in Kind}
    for event in events:
        kind = _EVENT_KIND.get(event.kind)
        if kind:
            counts[kind] += 1
    return SyncReport(read, tuple(events), counts)


_EVENT_KIND = {
    "replied": "human",
    "deferred": "auto-reply",
    "auto-reply": "auto-reply",  # from a panellist no note is waiting for: nothing held
    "bounced": "bounce",
    "rejected": "rejection",
    "role-closed": "role-closed",
    "offer": "offer",
    "scheduling": "scheduling",
    "acknowledgement": "acknowledgement",
    "notification": "notification",
    # a calendar's cancellation or updated invitation (receiving._as_imported)
    "cancelled": "notification",
    "moved": "notification",
    "unchanged": "notification",
}


Pick = Callable[[Sequence[FetchedMessage]], list[FetchedMessage]]


def _read(
    ctx: Context,
    mailbox: Mailbox,
    me: MailIdentity,
    folder: str,
    pick: Pick,
    progress: Progress | None,
) -> tuple[tuple[list[FetchedMessage], SyncPoint], list[FetchedMessage]]:
    """The headers of what is new in `folder`, and those `pick` picks from each batch as
    it arrives (so that it costs little more than the wait for the next batch)."""
    picked: list[FetchedMessage] = []
    done = 0

    def each(batch: Sequence[FetchedMessage], total: int) -> None:
        nonlocal done
        picked.extend(pick(batch))
        done += len(batch)
        if progress:
            progress(done, total)

    stored = ctx.store.sync_point(me.account, folder)
    since = SyncPoint(*stored) if stored else None
    return mailbox.fetch_new(folder, since, each), picked


def _apply(
    ctx: Context,
    me: MailIdentity,
    folder: str,
    fetched: tuple[list[FetchedMessage], SyncPoint],
    candidates: dict[int, bytes],
    parse: Parse,
    handle: Handler,
) -> list[Event]:
    """Batch by batch, in one transaction each: act on the batch's candidates (uid -> what
    to parse) and save the sync point reached."""
    messages, point = fetched
    events: list[Event] = []
    for start in range(0, max(len(messages), 1), BATCH):
        chunk = messages[start : start + BATCH]
        found = [parse(candidates[m.uid]) for m in chunk if m.uid in candidates]
        with ctx.store.transaction():
            for facts in found:
                events += handle(ctx, me, facts)
            # the point reached so far, saved with the effects of the messages before it
            last = chunk[-1].uid if chunk else point.last_uid
            ctx.store.save_sync_point(
                me.account, folder, point.uidvalidity, max(last, 0), ctx.clock.now()
            )
    if messages:
        with ctx.store.transaction():
            ctx.store.save_sync_point(
                me.account, folder, point.uidvalidity, point.last_uid, ctx.clock.now()
            )
    return events


# --- the headers: a few fields of a whole batch, read at once --------------------------------

_SEPARATOR = b"\n\0:\n"  # before each header block in a batch's buffer (see read_heads)


def _fields(*names: str) -> re.Pattern[bytes]:
    """The header lines (folded ones whole) of these fields, and the separators.

    One group, so that findall gives bytes and no tuples: fewer objects for the collector.
    The look-ahead on the first letters saves a third of the time: most lines fail at once.
    """
    first = "".join(sorted({name[0] for name in names}))
    return re.compile(
        rf"\n(?=[\0{first}])((?:\0|{'|'.join(names)}):[^\n]*(?:\n[ \t][^\n]*)*)".encode(),
        re.IGNORECASE,
    )


_INBOX_FIELDS = _fields(
    "from", "subject", "in-reply-to", "references", "content-type", "x-failed-recipients"
)
_SENT_FIELDS = _fields("message-id")
_ID = re.compile(r"<[^<>\s]{1,996}>")
_BARE_ID = re.compile(rb"[^<>\s@]+@[^<>\s@]+")
_ADDRESS = re.compile(r"[^\s<>\"(),;:@\[\]]+@[^\s<>\"(),;:@\[\]]+")


class Heads(NamedTuple):
    """The fields of a batch of header blocks the pre-filter reads, one entry a message.

    Every From, In-Reply-To, References and Message-ID header counts where the classifier
    reads the first: a message may be picked more often, never less. The text is on one
    line, RFC 2047 encoded-words decoded; "" for a missing header.
    """

    senders: list[str]  # the From headers
    subjects: list[str]  # the first Subject
    content_types: list[str]
    failed_recipients: set[int]  # which have an X-Failed-Recipients header
    references: list[bytes]  # In-Reply-To and References, as written (ids are case-sensitive)
    message_ids: list[bytes]


def read_heads(headers: Sequence[bytes], *, message_ids: bool = False) -> Heads:
    """The fields of these header blocks (as `fetch_new` gives them); never raises.

    With `message_ids`, the Message-IDs alone (the rest empty): what Sent needs. A NUL in a
    header (no valid one has any) could pass for a separator: then it is read as a space.
    """
    fields = _SENT_FIELDS if message_ids else _INBOX_FIELDS
    try:
        return _read_heads(headers, fields)
    except _Misread:  # a header with "\n\0:" in it: read as if the NUL were a space
        return _read_heads([h.replace(b"\0", b" ") for h in headers], fields)


class _Misread(Exception):
    pass


def _read_heads(headers: Sequence[bytes], fields: re.Pattern[bytes]) -> Heads:
    count = len(headers)
    senders, references, message_ids, types = ([b""] * count for _ in range(4))
    subjects: list[bytes | None] = [None] * count
    failed: set[int] = set()
    i = -1  # the buffer starts with a separator
    try:
        for field in fields.findall(_SEPARATOR.join([b"", *headers])):
            colon = field.index(b":")
            name, value = field[:colon].lower(), field[colon + 1 :]
            if name == b"from":
                senders[i] += value
            elif name == b"\0":
                i += 1
            elif name == b"subject":
                if subjects[i] is None:
                    subjects[i] = value
            elif name == b"content-type":
                types[i] += value
            elif name == b"message-id":
                message_ids[i] += b" " + value
            elif name == b"x-failed-recipients":
                failed.add(i)
            else:
                references[i] += b" " + value
    except IndexError:
        raise _Misread from None
    if i != count - 1:
        raise _Misread
    return Heads(
        _texts(senders),
        _texts([v or b"" for v in subjects]),
        _texts(types),
        failed,
        references,
        message_ids,
    )


_FOLD = re.compile(r"\n(?=[ \t])")


def _texts(values: Sequence[bytes]) -> list[str]:
    """Raw header values as text, each on one line (unfolded); encoded-words decoded.

    All at once: one decode, one unfolding and one split for the batch.
    """
    joined = _unfolded(b"\0".join(values).decode("utf-8", "replace"))
    texts = joined.split("\0")
    if len(texts) != len(values):  # a NUL inside a value: one at a time
        texts = [_unfolded(v.decode("utf-8", "replace")).replace("\0", " ") for v in values]
    if "=?" in joined:
        texts = [_decoded_words(t) if "=?" in t else t for t in texts]
    return texts


def _unfolded(text: str) -> str:
    text = text.replace("\r", "")
    return _FOLD.sub("", text) if "\n" in text else text


def _decoded_words(text: str) -> str:
    """RFC 2047 encoded-words decoded (a broken one keeps its raw form: the phrases show)."""
    from email.header import decode_header, make_header

    with contextlib.suppress(Exception):
        return " ".join(str(make_header(decode_header(text))).split())
    return text


def _ids(values: Sequence[bytes]) -> list[str]:
    """Every bracketed id in these values."""
    return _ID.findall(b"\n".join(values).decode("utf-8", "replace"))


# --- the Sent folder: notes the user sent from their own mail client -----------------------

_UNSENT = (NoteState.PENDING, NoteState.UNKNOWN, NoteState.SENDING)


def _sent_candidates(ctx: Context, batch: Sequence[FetchedMessage]) -> list[FetchedMessage]:
    """The messages of Sent whose Message-ID is a note not yet known to be sent."""
    values = read_heads([m.raw for m in batch], message_ids=True).message_ids
    ids = [_message_ids(value) for value in values]
    asked = sorted({i for found in ids for i in found})
    if not asked:
        return []
    unsent = {n.message_id for n in ctx.store.notes_with_message_ids(asked) if n.state in _UNSENT}
    return [m for m, mine in zip(batch, ids, strict=True) if unsent & mine]


def _message_ids(value: bytes) -> set[str]:
    """As inbound.py reads a Message-ID: the bracketed ids, else a bare one bracketed."""
    ids = set(_ID.findall(value.decode("utf-8", "replace")))
    for bare in [] if ids else value.split():
        if _BARE_ID.fullmatch(bare):
            ids.add(f"<{bare.decode('utf-8', 'replace')}>")
    return ids


def _found_in_sent(ctx: Context, me: MailIdentity, facts: MessageFacts) -> list[Event]:
    if not facts.message_id:
        return []
    events = []
    for note in ctx.store.notes_with_message_ids([facts.message_id]):
        if note.state in _UNSENT:
            now = ctx.clock.now()
            sent_at = min(facts.date or now, now)
            prior = history.before_sending(ctx, note.interview_id, note.id)
            ctx.store.finish_note(note.id, NoteState.SENT, now, sent_at=sent_at)
            services.replan(ctx, note.interview_id)
            history.record(
                ctx,
                note.interview_id,
                history.MAILED,
                f"the {wording.kind_label(note.kind)} (note {note.id}) was found in your"
                " Sent folder",
                prior,
                {
                    "note": note.id,
                    "step": note.step,
                    "kind": note.kind,
                    "to": ", ".join(facts.to_addrs) or None,  # where it went, as Sent says
                },
                source="sync",
            )
            events.append(Event(note.interview_id, "sent-found", f"note {note.id} is in Sent"))
    return events


# --- the inbox ----------------------------------------------------------------------------


def _inbox_candidates(
    ctx: Context, me: MailIdentity, hiring: _Hiring, batch: Sequence[FetchedMessage]
) -> list[FetchedMessage]:
    """A batch's candidates (see the module's notes)."""
    heads = read_heads([m.raw for m in batch])
    picked = _answers(ctx, heads) | hiring.among(heads)
    picked |= may_be_bounces(
        heads.senders, heads.subjects, heads.content_types, heads.failed_recipients
    )
    own = me.own_addresses
    wanted = []
    for i in sorted(picked):
        addresses = _ADDRESS.findall(heads.senders[i].lower())
        if not (addresses and own.issuperset(addresses)):  # never the user's own mail
            wanted.append(batch[i])
    return wanted


def _answers(ctx: Context, heads: Heads) -> set[int]:
    """Which messages name one of our notes in their own In-Reply-To/References."""
    ids = _ids(heads.references)
    if not ids:
        return set()
    ours = {n.message_id for n in ctx.store.notes_with_message_ids(sorted(set(ids)))}
    if not ours:
        return set()
    return {i for i, value in enumerate(heads.references) if ours.intersection(_ids([value]))}


class _Hiring(NamedTuple):
    """Who writes for the hiring side, loaded once per sync: what `_matching` looks for in
    the store, as sets (lower-cased)."""

    addresses: frozenset[str]  # the interviewers of open and closed interviews
    domains: frozenset[str]  # their companies' domains
    relays: frozenset[str]  # applicant-tracking relay domains...
    relay_subdomains: tuple[str, ...]  # ...and their subdomains (".greenhouse.io")
    companies: tuple[str, ...]  # their companies' names, casefolded, without white space

    @classmethod
    def load(cls, ctx: Context, me: MailIdentity) -> _Hiring:
        addresses, domains = ctx.store.hiring_senders()
        # and the domains their people write from (`receiving.match`'s colleagues: an
        # application typed before its people's domains were kept)
        domains |= {
            registrable_domain(a.rpartition("@")[2])
            for a in addresses
            if receiving.at_a_company(ctx, me, a)
        }
        relays = frozenset(d.lower() for d in me.ats_domains if d)
        rows = ctx.store.list_interviews([Status.WAITING, Status.CLOSED, Status.REPLIED])
        names = {_squashed(row.application.company) for row in rows}
        return cls(
            frozenset(a.lower() for a in addresses),
            frozenset(d.lower() for d in domains),
            relays,
            tuple(f".{d}" for d in relays),
            tuple(name for name in names if name),
        )

    def among(self, heads: Heads) -> set[int]:
        """Which messages `_matching` could match to an interview by their sender."""
        text = "\n".join(heads.senders).lower()
        hits, relayed = set(), set()
        for address in set(_ADDRESS.findall(text)):
            domain = address.rpartition("@")[2]
            if (
                address in self.addresses
                or registrable_domain(domain) in self.domains
                or domain in self.domains
            ):
                hits.add(address)
            elif self.companies and (
                domain in self.relays or domain.endswith(self.relay_subdomains)
            ):
                relayed.add(address)
        if not (hits or relayed):
            return set()
        lines = text.split("\n")
        starts = [0, *accumulate(len(line) + 1 for line in lines)]
        found = {i for address in hits for i in _lines_with(text, address, starts)}
        for i in {i for address in relayed for i in _lines_with(text, address, starts)}:
            # `_by_company_name`: the company named in the subject or by the sender
            named = _squashed(f"{heads.subjects[i]} {heads.senders[i]}")
            if any(name in named for name in self.companies):
                found.add(i)
        return found


def _lines_with(text: str, needle: str, starts: Sequence[int]) -> Iterator[int]:
    """The indexes of the lines of `text` (starting at `starts`) that contain `needle`."""
    at = text.find(needle)
    while at >= 0:
        line = bisect_right(starts, at) - 1
        yield line
        at = text.find(needle, starts[line + 1])


def _squashed(text: str) -> str:
    """Casefolded, without white space: `_by_company_name`'s test, where spacing cannot differ."""
    return "".join(text.casefold().split())


def _inbound(ctx: Context, me: MailIdentity, facts: MessageFacts) -> list[Event]:
    """One message of the inbox: the effects are app/receiving.py's, as for `receive`."""
    done = receiving.receive(ctx, me, facts, source="imap")
    if done.kept is not None:  # a person wrote about an application that ended
        return [Event(done.kept, "kept", done.note)]
    if done.unverified:  # your server says it is not from its sender: said, nothing changed
        return [Event(done.matched[0], "unverified", done.note)]
    return [Event(c.interview_id, c.kind, c.detail) for c in done.changes]
