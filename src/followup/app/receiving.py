"""What an inbound message does: the one use-case for `sync`, the worker's sync and
`followup receive FILE.eml` (issue #15).

`receive` classifies the message (or takes the kind it is given: `reclassify`), matches it
to an application and applies the kind's effect, each change recorded as an event that
`followup undo` takes back:

- matching, most precise first: the message's own In-Reply-To/References naming one of our
  notes; then the sender, an interviewer or a company domain of an interview still
  followed up (waiting, closed) or answered (replied) — an agency's domain beside the
  company's own only for a message that names the company or role (`_the_companys`); then,
  for an applicant-tracking sender only, the company's name in the display name, the
  subject or the body — never the relay's domain alone. A bounce that names no note of ours
  (one recorded sent by hand has no Message-ID of ours) matches by its failed recipient:
  the one interview still followed up that has that address as an interviewer. Several
  applications matched by domain or name are narrowed by the role named in the subject or
  body; an outcome that still names more than one application changes nothing (it says
  so): a rejection ends ONE application, never every application at a company;
- `rejection` → the application's latest round becomes `rejected`, `role-closed` →
  `role-closed`, `offer` → `offer`: every pending note is withdrawn (approved ones too) and
  nothing more is planned (services.conclude);
- `scheduling` → the sequence stops as `replied` and the interview says "next round
  proposed: add it"; adding that round ends this one as `advanced`. `receive FILE.eml`
  imports an invitation the message carries as that round (`import_next_round`); `sync`
  keeps no message, so there the user imports it (`followup import INVITE.eml`);
- `acknowledgement`, `notification` → kept in the history, no effect;
- `human`, `auto-reply`, `bounce` → as before: replied, deferred, no more notes to the
  address; for every interview matched, only those still followed up (waiting, closed).
- a calendar's own message — a cancellation (METHOD:CANCEL), or an updated invitation
  (METHOD:REQUEST) of an event already imported — is matched by the event's UID and applied
  by app/calendar.py's rules, as `followup import` applies it (only the organizer on
  record; a cancellation sent after the interview took place changes nothing, with a
  warning): never as a reply (`_as_imported`). A decision in its text (rejection, closed
  role, offer) wins over it; an invitation imported here attached again unchanged, or
  changed by another than its organizer, is no update: its text is judged alone.

A message matched to an interview whose receiving server says it is not from its From
domain (the topmost Authentication-Results header: domain/replies/auth.py) changes nothing
and says it looks forged.

Only metadata is kept (sender, subject, date, Message-ID and the reason that decided the
kind), never the body.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from followup.app import events as events_mod
from followup.app import services
from followup.app.context import Context
from followup.app.errors import Conflict, InvalidInput, NotFound
from followup.domain import limits, planner
from followup.domain.companies import company_domains, registrable_domain
from followup.domain.model import Application, Interview, NoteState, Status
from followup.domain.replies import Classification, Kind, MessageFacts, classify
from followup.domain.replies.auth import forged
from followup.domain.workdays import next_workday_opening

if TYPE_CHECKING:
    from followup.app.calendar import InviteOptions, InvitesImported
    from followup.app.ports import CalendarCodec
    from followup.app.rows import Invitation

# The kinds that decide the application's fate: they act on one application only.
OUTCOMES = {
    Kind.REJECTION: Status.REJECTED,
    Kind.ROLE_CLOSED: Status.ROLE_CLOSED,
    Kind.OFFER: Status.OFFER,
}
_ONE_APPLICATION = (*OUTCOMES, Kind.SCHEDULING, Kind.ACKNOWLEDGEMENT, Kind.NOTIFICATION)
_FOLLOWED = (Status.WAITING, Status.CLOSED)  # what a reply, an out-of-office or a bounce acts on


class MailIdentity(NamedTuple):
    """Who the user is on this account, and what counts as the hiring side."""

    account: str  # key for the sync points
    own_addresses: frozenset[str]
    ats_domains: tuple[str, ...]
    ooo_default_days: int
    # reads a message's calendar part (a cancellation, an updated invitation); None: such a
    # message is only kept in the history
    calendar: Callable[[], CalendarCodec] | None = None


class Change(NamedTuple):
    """One change a message made to one interview."""

    interview_id: int
    kind: str  # replied | deferred | bounced | rejected | role-closed | offer | scheduling
    # | acknowledgement | notification
    detail: str
    status: str  # the interview's status after it


class Received(NamedTuple):
    """What `receive` did with one message (`followup receive --json` prints it)."""

    message_id: str | None
    from_addr: str | None
    subject: str
    kind: Kind
    reason: str
    matched: tuple[int, ...]  # the interviews it is about
    matched_by: str | None  # thread | sender | domain | company; None: nothing matched
    changes: tuple[Change, ...]
    note: str  # one line: what happened, or why nothing did
    # an outcome or an invitation matched but not tied to one application (several, or
    # another role named): `receive` exits 5 with the note
    undecided: bool = False
    # the ended interview a person's reply was kept on (`sync` reports it: reopen it?)
    kept: int | None = None
    # why the receiving server's Authentication-Results say it is not from its From
    # domain (domain/replies/auth.py): nothing changed
    unverified: str | None = None


def receive(
    ctx: Context,
    me: MailIdentity,
    facts: MessageFacts,
    *,
    source: str = "file",
    verdict: Classification | None = None,
) -> Received:
    """Classify `facts` (unless `verdict` is given), match and apply, in one transaction."""
    now = ctx.clock.now()
    received = min(facts.date or now, now)
    if verdict is None:
        verdict = for_ats(me, facts, classify(facts, received.date()))

    def result(
        matched: Sequence[int],
        by: str | None,
        changes: list[Change],
        note: str,
        undecided: bool = False,
        kept: int | None = None,
        unverified: str = "",
    ) -> Received:
        assert verdict is not None  # set above (a calendar's update may read it anew)
        return Received(
            facts.message_id,
            facts.from_addr,
            facts.subject,
            verdict.kind,
            verdict.reason,
            tuple(matched),
            by,
            tuple(changes),
            note,
            undecided,
            kept,
            unverified or None,
        )

    if facts.message_id and ctx.store.inbound_seen(facts.message_id):
        return result((), None, [], "already received: nothing changed")
    sender = (facts.from_addr or "").lower()
    if sender and sender in me.own_addresses:
        return result((), None, [], "your own mail: nothing changed")
    if facts.calendar and me.calendar is not None and facts.calendar_method in _CALENDAR:
        invitation = _calendar_of(ctx, me, facts)
        known = _imported(ctx, invitation)
        if facts.calendar_method == "request" and known and verdict.kind not in OUTCOMES:
            if _updates(ctx, invitation):  # an update, not a next round
                verdict = Classification(
                    Kind.NOTIFICATION,
                    f"an updated invitation (METHOD:REQUEST) of interview"
                    f" {', '.join(map(str, known))}: not a reply",
                )
            else:  # the invitation imported here, attached again: the text alone is judged
                facts = facts._replace(calendar_method="", calendar="")
                verdict = for_ats(me, facts, classify(facts, received.date()))
        if verdict.kind is Kind.NOTIFICATION and invitation and facts.calendar_method:
            if not known:
                return result(
                    (),
                    None,
                    [],
                    "it cancels an event that was never imported: nothing changed (if it was"
                    " one of your interviews: `followup cancel ID`)",
                )
            if why := forged(facts.headers, facts.from_addr):
                note = f"looks forged: {why}; nothing changed"
                return result(known, "uid", [], note, unverified=why)
            try:
                changes = _as_imported(ctx, me, invitation, received)
            except InvalidInput as exc:  # another organizer: refused, nothing changed
                return result(known, "uid", [], str(exc), undecided=True)
            return result(known, "uid", changes, "; ".join(c.detail for c in changes))
    if verdict.kind is Kind.UNRELATED:
        return result((), None, [], "unrelated to any interview: nothing changed")
    with ctx.store.transaction():
        matched, by = match(ctx, me, facts, verdict)
        if not matched:
            return result((), None, [], _unmatched(ctx, verdict, facts))
        if why := forged(facts.headers, facts.from_addr):
            return result(matched, by, [], f"looks forged: {why}; nothing changed", unverified=why)
        effect = verdict
        if by == "recipient":  # only the addresses of the interview it matched bounced here
            (addresses,) = failed_recipients_of(ctx, verdict).values()
            effect = verdict._replace(failed_recipients=tuple(addresses))
        if verdict.kind in _ONE_APPLICATION:
            target, why = _one_application(ctx, matched, facts, verdict, by)
            if target is None:
                undecided = verdict.kind in (*OUTCOMES, Kind.SCHEDULING) and why.startswith("it ")
                return result(matched, by, [], why, undecided)
            changes = _apply(ctx, me, target, verdict, facts, received, source)
        else:
            changes = []
            if verdict.kind is Kind.HUMAN and (
                ended := _overturned(ctx, matched, facts, received, source)
            ):
                return result(matched, by, [], ended, kept=matched[0])
            for interview_id in matched:
                interview = ctx.store.get_interview(interview_id)
                if interview is not None and interview.status in _FOLLOWED:
                    # one message, several interviews (an interviewer on two): its
                    # Message-ID is kept once, its effect applied to each
                    once = facts
                    if facts.message_id and ctx.store.inbound_seen(facts.message_id):
                        once = facts._replace(message_id=None)
                    changes += _apply(ctx, me, interview, effect, once, received, source)
    note = "; ".join(c.detail for c in changes) or "matched, but nothing was left to change"
    return result(matched, by, changes, note)


# --- a calendar's message: a cancellation, an updated invitation -----------------------------

_CALENDAR = ("cancel", "request")


def _calendar_of(ctx: Context, me: MailIdentity, facts: MessageFacts) -> Invitation | None:
    """The message's calendar part read as `followup import` reads one; None when unreadable
    (it is then read as its kind says)."""
    assert me.calendar is not None
    try:
        return me.calendar().read_ics(
            facts.calendar.encode("utf-8", "replace"), name=_LABEL, user_tz=ctx.user_tz
        )
    except InvalidInput:
        return None


_LABEL = "the message's invitation"


def _imported(ctx: Context, invitation: Invitation | None) -> list[int]:
    """The interviews imported from the invitation's events (by UID)."""
    found = set()
    for event in invitation.events if invitation is not None else ():
        if (known := ctx.store.interview_by_ics_uid(event.uid)) is not None:
            found.add(known[0])
    return sorted(found)


def _updates(ctx: Context, invitation: Invitation | None) -> bool:
    """Whether an invitation (METHOD:REQUEST) would change an interview imported here: a
    newer version (a higher SEQUENCE) of one of its events, from the organizer on record (or
    from anyone, when none is on record). The same version attached again — a reply that
    keeps the invitation, an attendee forwarding it — or another's changes nothing."""
    from followup.app import calendar

    for event in invitation.events if invitation is not None else ():
        found = ctx.store.interview_by_ics_uid(event.uid)
        if found is None or event.sequence <= found[1]:
            continue
        on_record = ctx.store.ics_organizer(found[0])
        if on_record is None or calendar.organizer_of(event) == on_record:
            return True
    return False


def _as_imported(
    ctx: Context, me: MailIdentity, invitation: Invitation, sent: datetime
) -> list[Change]:
    """Apply a cancellation or an updated invitation by app/calendar.py's rules, as
    `followup import` would: only the organizer on record may change or cancel; a
    cancellation sent after the interview took place (`sent`: the message's Date when not
    after now) changes nothing, with a warning. A message never creates an interview this
    way (most_new=0); InvalidInput when refused."""
    from followup.app import calendar

    assert me.calendar is not None
    options = calendar.InviteOptions(
        codec=me.calendar(),
        own_addresses=tuple(sorted(me.own_addresses)),
        ats_domains=me.ats_domains,
        most_new=0,
        as_of=sent,
    )
    done = calendar.apply_invitation(ctx, invitation, options, Path(_LABEL))
    said = [w for w in done.warnings if w not in invitation.warnings]
    changes = []
    for outcome in done.outcomes:
        if outcome.interview_id is None:
            continue
        kind = {"cancelled": "cancelled", "updated": "moved"}.get(outcome.action, "unchanged")
        detail = " — ".join([outcome.message, *said])
        changes.append(
            Change(outcome.interview_id, kind, detail, _status(ctx, outcome.interview_id))
        )
    return changes


def _overturned(
    ctx: Context, matched: Sequence[int], facts: MessageFacts, received: datetime, source: str
) -> str:
    """A person's reply about an application that ended (rejected, role closed) and none
    still open: kept in that interview's history, and the user asked whether to reopen it
    ("please ignore the automated email, you're still in the process"). "" otherwise."""
    interviews = [i for i in map(ctx.store.get_interview, matched) if i is not None]
    if not interviews or any(i.status not in _ENDED for i in interviews):
        return ""
    ended = interviews[0]
    message = services.Message(
        Kind.HUMAN.value,
        received,
        source,
        facts.message_id,
        facts.from_addr,
        facts.subject[: limits.SUBJECT],
        "a person wrote about an application that had ended",
    )
    services.noted(
        ctx._replace(source="sync" if source == "imap" else ctx.source), ended.id, message
    )
    who = facts.from_name or facts.from_addr or "someone"
    about = f" “{facts.subject}”" if facts.subject else ""
    return (
        f"interview {ended.id} is {ended.status.value}; {who} wrote{about}: kept in its"
        f" history — if it is still on, `followup reopen {ended.id}`"
    )


def for_ats(me: MailIdentity, facts: MessageFacts, verdict: Classification) -> Classification:
    """Applicant-tracking systems write for the employer from no-reply addresses: that is
    the employer answering, not a notification — unless it is list mail."""
    is_list = any(name in ("list-id", "list-unsubscribe") for name, _ in facts.headers)
    if verdict.kind is Kind.UNRELATED and is_ats(me, facts.from_addr or "") and not is_list:
        return Classification(Kind.HUMAN, "sent for the employer by an applicant-tracking system")
    return verdict


def is_ats(me: MailIdentity, address: str) -> bool:
    domain = address.rpartition("@")[2].lower()
    return any(domain == d or domain.endswith("." + d) for d in me.ats_domains)


# --- matching -------------------------------------------------------------------------------


def match(
    ctx: Context, me: MailIdentity, facts: MessageFacts, verdict: Classification
) -> tuple[list[int], str | None]:
    """The interviews a message is about, and how they were found."""
    # A bounce carries our note inside the returned message; anything else must reference
    # it in its own headers (an attached copy of our note proves nothing).
    ids = list(facts.references)
    if verdict.kind is Kind.BOUNCE:
        ids += list(facts.attached_ids)
    by_thread = {n.interview_id for n in ctx.store.notes_with_message_ids(ids)} if ids else set()
    if by_thread:
        theirs = [] if verdict.kind is Kind.BOUNCE else _own_elsewhere(ctx, facts, by_thread)
        return (theirs, "sender") if theirs else (sorted(by_thread), "thread")
    if verdict.kind is Kind.BOUNCE:
        by_recipient = failed_recipients_of(ctx, verdict)
        return (sorted(by_recipient), "recipient") if len(by_recipient) == 1 else ([], None)
    sender = (facts.from_addr or "").lower()
    if not sender or "@" not in sender:
        return [], None
    # the part a company registers: a rejection from careers.acme.example is acme.example's
    domain = registrable_domain(sender.rpartition("@")[2])
    # a company's domain (never free mail): also the applications whose people write from
    # it, typed before their domains were kept (services.add_company_domains)
    found = ctx.store.open_interviews_for_sender(sender, domain, at_a_company(ctx, me, sender))
    people = {i for i in found if any(p.email == sender for p in ctx.store.interviewers(i))}
    if people:
        return sorted(people), "sender"
    if verdict.kind is Kind.HUMAN:  # a person of an application that ended: tell the user
        ended = _ended_with(ctx, sender)
        if ended:
            return ended, "sender"
    found = _the_companys(ctx, me, found, domain, facts)
    if found:
        return found, "domain"
    if is_ats(me, sender):
        named = by_company_name(ctx, facts)
        return (named, "company") if named else ([], None)
    return [], None


def _own_elsewhere(ctx: Context, facts: MessageFacts, thread: set[int]) -> list[int]:
    """A reply in another company's thread — an interviewer of one application answering a
    note of another's (forwarded to them, or sent to the wrong person) — is about the
    sender's own interviews: neither on that thread's panel nor writing from its company,
    and on another open interview's panel. [] otherwise (a colleague or a recruiter of the
    thread's company answers for it)."""
    sender = (facts.from_addr or "").lower()
    if "@" not in sender:
        return []
    domain = registrable_domain(sender.rpartition("@")[2])
    for interview_id in thread:
        if any(p.email == sender for p in ctx.store.interviewers(interview_id)):
            return []
        interview = ctx.store.get_interview(interview_id)
        application = ctx.store.get_application(interview.application_id) if interview else None
        if application is None or domain in application.domains:
            return []
    own = [
        i
        for i in ctx.store.open_interviews_for_sender(sender, domain)
        if i not in thread and any(p.email == sender for p in ctx.store.interviewers(i))
    ]
    return sorted(own)


def failed_recipients_of(ctx: Context, verdict: Classification) -> dict[int, list[str]]:
    """The interviews still followed up (waiting, closed) that have an address a bounce
    names as failed as one of their interviewers, with those addresses: a bounce of a note
    that carries no Message-ID of ours (recorded sent by hand) is about the one interview
    there is, and never about an address nobody on a panel has — nor about one no note was
    recorded sent to (an old bounce of your own mail to them, from before the interview)."""
    found: dict[int, list[str]] = {}
    for address in dict.fromkeys(a.lower() for a in verdict.failed_recipients):
        domain = registrable_domain(address.rpartition("@")[2])
        for interview_id in ctx.store.open_interviews_for_sender(address, domain):
            interview = ctx.store.get_interview(interview_id)
            if interview is None or interview.status not in _FOLLOWED:
                continue
            people = {
                p.id
                for p in ctx.store.interviewers(interview_id)
                if p.email and p.email.lower() == address and not p.removed
            }
            if any(
                n.interviewer_id in people and n.state in _WENT
                for n in ctx.store.notes(interview_id)
            ):
                found.setdefault(interview_id, []).append(address)
    return found


_WENT = frozenset((NoteState.SENT, NoteState.UNKNOWN))  # a note that may have gone out


def _unmatched(ctx: Context, verdict: Classification, facts: MessageFacts) -> str:
    """Why a message matched nothing: for a bounce whose failed address is an interviewer's
    of several interviews, which ones, and how to stop the notes to it by hand; for the
    hiring side's decision sent from elsewhere (an agency recruiter) that names one of your
    companies, which interview and what to do — it is never applied by the name alone:
    anyone can write a company's name."""
    sender = (facts.from_addr or "").lower()
    if verdict.kind in OUTCOMES or verdict.kind is Kind.SCHEDULING:
        named = by_company_name(ctx, facts) if "@" in sender else []
        if named:
            domain = registrable_domain(sender.rpartition("@")[2])
            ids = ", ".join(str(i) for i in named[:3])
            return (
                f"it names a company of interview {ids}, but {domain} is not one of its"
                f" domains: nothing changed — if a recruiter wrote for them, `followup config"
                f" set mail.ats_domains {domain}` and receive it again (or act yourself:"
                f" `followup cancel {named[0]}`)"
            )
    if verdict.kind is Kind.BOUNCE:
        several = failed_recipients_of(ctx, verdict)
        if len(several) > 1:
            ids = ", ".join(str(i) for i in sorted(several))
            addresses = ", ".join(dict.fromkeys(a for found in several.values() for a in found))
            return (
                f"{addresses} is an interviewer of interviews {ids} and the bounce names no"
                f" note of ours: nothing changed — `followup edit ID --remove-interviewer"
                f" {addresses.partition(',')[0]}` stops the notes to it"
            )
    return "matched no interview: nothing changed"


def _the_companys(
    ctx: Context, me: MailIdentity, found: Sequence[int], domain: str, facts: MessageFacts
) -> list[int]:
    """Of the interviews a sender's domain matched, those whose company it surely speaks for.
    A recruiting agency's domain (hays.example, kept from its recruiter on an Initech panel
    beside ivy@initech.example) writes about every client: its "Contoso decided not to move
    forward" must not end the Initech application. So a domain speaks for the application
    when it is the application's only company domain (att.example for AT&T, google.example
    for Alphabet), or bears the company's name or initials (acme.example for "Acme Corp",
    pg.example for "Procter & Gamble"), or the message names the company or the role."""
    label = domain.partition(".")[0]
    text = " ".join(f"{facts.subject} {facts.from_name} {facts.body_text[:4000]}".split())
    kept = []
    for interview_id in found:
        interview = ctx.store.get_interview(interview_id)
        application = ctx.store.get_application(interview.application_id) if interview else None
        if application is None or interview is None:
            continue
        theirs = set(application.domains) | {
            registrable_domain(p.email.rpartition("@")[2])
            for p in ctx.store.interviewers(interview.id)
            if p.email and at_a_company(ctx, me, p.email)
        }
        if (
            theirs <= {domain}
            or _bears(application.company, label)
            or _names(text, application.company)
            or _names(text, application.role)
        ):
            kept.append(interview_id)
    return kept


def _bears(company: str, label: str) -> bool:
    """Whether a domain's first label is the company's: its name run together ("att" for
    AT&T), one of its words of three letters or more, or its initials ("pg", "db")."""
    words = _WORD.findall(company.casefold())
    if not words or not label:
        return False
    return (
        "".join(words) in label
        or any(len(w) >= 3 and w in label for w in words)
        or (len(words) > 1 and label == "".join(w[0] for w in words))
    )


def _names(text: str, name: str) -> bool:
    """Whether `text` names `name` as words ("Intel" is not in "Business Intelligence")."""
    words = name.casefold().split()
    if not words:
        return False
    pattern = r"\s+".join(re.escape(w) for w in words)
    return re.search(rf"(?<![^\W_]){pattern}(?![^\W_])", text.casefold()) is not None


_WORD = re.compile(r"[^\W_]+")


def at_a_company(ctx: Context, me: MailIdentity, address: str) -> bool:
    """Whether `address` is at an employer's domain: not free mail, not a relay, not the
    user's own (domain/companies.py)."""
    own = (*me.own_addresses, ctx.sender_email)
    return bool(company_domains([address], own=own, ats=me.ats_domains))


_ENDED = (Status.REJECTED, Status.ROLE_CLOSED)  # what a person's reply may overturn


def _ended_with(ctx: Context, sender: str) -> list[int]:
    """The rejected or closed interviews `sender` is an interviewer of (a person writing
    that the rejection was a mistake), newest first."""
    return [
        row.interview.id
        for row in ctx.store.list_interviews(_ENDED)
        if any(
            p.email and p.email.lower() == sender for p in ctx.store.interviewers(row.interview.id)
        )
    ]


def by_company_name(ctx: Context, facts: MessageFacts) -> list[int]:
    """Mail relayed by an applicant-tracking system names the company in its sender's
    display name, its subject or its body (the relay's domain alone says nothing)."""
    text = _squashed(f"{facts.subject} {facts.from_name} {facts.body_text[:4000]}")
    return [
        row.interview.id
        for row in ctx.store.list_interviews([Status.WAITING, Status.CLOSED, Status.REPLIED])
        if (name := _squashed(row.application.company)) and name in text
    ]


def _words(text: str) -> str:
    """Casefolded words, one space apart, " " at both ends; "Sr." and "Jr." spelt out."""
    words = re.findall(r"\w+", text.casefold())
    return " " + " ".join(_SPELT_OUT.get(w, w) for w in words) + " "


_SPELT_OUT = {
    "sr": "senior", "snr": "senior", "jr": "junior", "jnr": "junior",
    "ii": "2", "iii": "3", "iv": "4",  # "Data Engineer II" is Workday's "Data Engineer 2"
}  # fmt: skip
_GRADES = frozenset(("1", "2", "3", "4", "5"))  # after a title: another job of it
# Words that make another job of a title: "Staff Data Engineer" is not "Data Engineer".
_LEVELS = frozenset(
    ("senior", "junior", "staff", "principal", "lead", "head", "chief", "associate", "intern")
)


def _names_role(said: str, role: str) -> bool:
    """Whether text (`_words`) names `role` as the title it is: not only inside a longer one
    made of a level and the role ("Senior Data Engineer" names no "Data Engineer")."""
    wanted = _words(role)
    if wanted == "  ":
        return False
    at = said.find(wanted)
    while at >= 0:
        before = said[:at].split()[-1:] or [""]
        after = said[at + len(wanted) :].split()[:1] or [""]
        levelled = before[0] in _LEVELS and wanted.split()[0] not in _LEVELS
        graded = after[0] in _GRADES and wanted.split()[-1] not in _GRADES
        if not levelled and not graded:
            return True
        at = said.find(wanted, at + 1)
    return False


def _longer_title(said: str, role: str) -> str | None:
    """The longer title `role` is named inside, as "Staff Data Engineer"; None if none."""
    wanted = _words(role)
    at = said.find(wanted)
    if wanted == "  " or at < 0:
        return None
    level = (said[:at].split()[-1:] or [""])[0]
    grade = (said[at + len(wanted) :].split()[:1] or [""])[0]
    title = wanted.strip().title()
    if level in _LEVELS:
        title = f"{level.title()} {title}"
    return f"{title} {grade}" if grade in _GRADES else title


def _squashed(text: str) -> str:
    """Casefolded, without white space: spacing and case cannot differ."""
    return "".join(text.casefold().split())


def _one_application(
    ctx: Context,
    matched: Sequence[int],
    facts: MessageFacts,
    verdict: Classification,
    by: str | None = None,
) -> tuple[Interview | None, str]:
    """The latest round of the one application these interviews belong to, narrowed by the
    role the message names (in its subject or body, or as the classifier read it) when they
    belong to several; None and why when it stays open, or when the message (not in our
    thread) names another role than the application's: a rejection for a role the user
    never added must not end the one application at that company."""
    rounds: dict[int, Interview] = {}
    for interview_id in matched:
        interview = ctx.store.get_interview(interview_id)
        if interview is not None:
            rounds.setdefault(interview.application_id, interview)
    if len(rounds) > 1:
        own = _words(f"{facts.subject} {facts.body_text[:4000]}")
        roles = {a: ctx.store.get_application(a) for a in rounds}
        # a role named as the title it is ("Senior Data Engineer" names no "Data Engineer");
        # the classifier's reading of it only when the text names none of them
        named = {a: rounds[a] for a, app in roles.items() if app and _names_role(own, app.role)}
        if not named and verdict.role:
            said = _words(verdict.role)
            named = {
                a: rounds[a] for a, app in roles.items() if app and _names_role(said, app.role)
            }
        if len(named) != 1:
            ids = ", ".join(str(i) for i in sorted(i.id for i in rounds.values()))
            if not named and verdict.role:
                return None, (
                    f"it names the role {verdict.role}, none of your {len(rounds)} applications"
                    f" there (interviews {ids}): nothing changed"
                )
            return None, (
                f"it could be about {len(rounds)} applications (interviews {ids}) and names"
                f" none of their roles apart: nothing changed — {_stop_by_hand(verdict.kind)}"
            )
        rounds = named
    (application_id,) = rounds
    application = ctx.store.get_application(application_id)
    if by != "thread" and application:
        own = _words(f"{facts.subject} {facts.body_text[:4000]}")
        as_is = _names_role(own, application.role)
        # "Staff Data Engineer" for a "Data Engineer": the role only inside a longer title
        title = None if as_is else _longer_title(own, application.role)
        mine, said = _squashed(application.role), _squashed(verdict.role or "")
        if not as_is and not title and said and said not in mine and mine not in said:
            title = verdict.role
        if title:
            (interview,) = rounds.values()
            return None, (
                f"it names the role {title}, not {application.role} (interview"
                f" {interview.id}): nothing changed"
            )
    if by != "thread" and application and verdict.kind in _ENDS:
        said = _words(f"{facts.subject} {facts.body_text[:4000]} {verdict.role or ''}")
        if not _names_role(said, application.role) and (ended := _ended_lately(ctx, application)):
            return None, (
                f"it names no role, and {ended}: it may be about that one again — nothing"
                f" changed; {_stop_by_hand(verdict.kind)}"
            )
    latest = ctx.store.latest_round(application_id)
    if latest is None:  # a foreign key guarantees one
        return None, "matched no interview: nothing changed"
    if latest.status not in services.CONCLUDABLE:
        return None, f"interview {latest.id} is already {latest.status.value}: nothing changed"
    return latest, ""


def _stop_by_hand(kind: Kind) -> str:
    """How to act by hand on a message that named no application apart."""
    if kind in _ENDS:
        return "`followup cancel ID` stops the notes of the one it is about"
    return "`followup replied ID` stops the notes of the one it answers"


def _ended_lately(ctx: Context, application: Application) -> str:
    """Another application at the same company rejected or closed in the last
    limits.ENDED_LATELY_DAYS, said in a few words ("" when none): a rejection naming no role
    may be that one's again (an applicant-tracking system's second mail), not this one's."""
    since = ctx.clock.now() - timedelta(days=limits.ENDED_LATELY_DAYS)
    for other in ctx.store.find_applications(application.company, None):
        latest = ctx.store.latest_round(other.id) if other.id != application.id else None
        if latest and latest.status in _ENDED and latest.status_at and latest.status_at >= since:
            verb = "was rejected" if latest.status is Status.REJECTED else "was closed"
            return (
                f"the {other.role} application (interview {latest.id}) {verb} on"
                f" {latest.status_at:%Y-%m-%d}"
            )
    return ""


_ENDS = (Kind.REJECTION, Kind.ROLE_CLOSED)


# --- effects ------------------------------------------------------------------------------


def _apply(
    ctx: Context,
    me: MailIdentity,
    interview: Interview,
    verdict: Classification,
    facts: MessageFacts,
    received: datetime,
    source: str,
) -> list[Change]:
    ctx = ctx._replace(source="sync" if source == "imap" else ctx.source)
    message = services.Message(
        verdict.kind.value,
        received,
        source,
        facts.message_id,
        facts.from_addr,
        facts.subject[: limits.SUBJECT],
        verdict.reason[: limits.SUBJECT],
    )
    iid, kind = interview.id, verdict.kind
    try:
        if kind in OUTCOMES:
            status = OUTCOMES[kind]
            withdrawn = services.conclude(ctx, iid, status, message)
            gone = f", {withdrawn} pending note(s) withdrawn" if withdrawn else ""
            detail = f"{message.said()}: now {status.value}{gone}"
            return [Change(iid, status.value, detail, status.value)]
        if kind in (Kind.HUMAN, Kind.SCHEDULING):
            if interview.status not in _FOLLOWED:
                raise Conflict(f"interview {iid} is {interview.status.value}")
            services.mark_replied(
                ctx,
                iid,
                received,
                source=source,
                message_id=message.message_id,
                from_addr=message.from_addr,
                subject=message.subject,
                classification=message.kind,
                reason=message.reason,
            )
            if kind is Kind.SCHEDULING:
                said = (
                    f"next round proposed: add it (followup add --application"
                    f" {interview.application_id} --at …)"
                )
                return [Change(iid, "scheduling", said, Status.REPLIED.value)]
            return [Change(iid, "replied", f"{facts.from_addr} replied", Status.REPLIED.value)]
        if kind in (Kind.ACKNOWLEDGEMENT, Kind.NOTIFICATION):
            services.noted(ctx, iid, message)
            said = f"{message.said()}: kept in the history, no change"
            return [Change(iid, kind.value, said, interview.status.value)]
        if kind is Kind.AUTO_REPLY:
            elsewhere = _nothing_held(ctx, iid, facts.from_addr)
            if elsewhere:  # a thank-you, or a panellist away: nobody else's note is held
                services.noted(ctx, iid, message)
                detail = f"auto-reply: {verdict.reason}; {elsewhere}: no note held back"
                return [Change(iid, "auto-reply", detail, interview.status.value)]
            try:
                until, ignored = _back_at(ctx, interview.tz, verdict, received, me.ooo_default_days)
                services.defer(ctx, iid, until, message.cause())
            finally:  # kept (and seen) even when the sequence had already ended
                _keep(ctx, iid, message)
            held = ctx.store.get_interview(iid)
            if held is not None and held.defer_until is not None and held.defer_until > until:
                # an earlier out-of-office already holds the notes longer: nothing moved
                ignored += f"the notes already wait until {held.defer_until:%Y-%m-%d}; "
                until = held.defer_until
            detail = f"auto-reply: {verdict.reason}; {ignored}next note after {until:%Y-%m-%d}"
            return [Change(iid, "deferred", detail, _status(ctx, iid))]
        if kind is Kind.BOUNCE:
            failed = verdict.failed_recipients or _addressees(ctx, facts.attached_ids)
            status = services.bounced(ctx, iid, failed, received, message.cause())
            _keep(ctx, iid, message)
            detail = f"{', '.join(failed)} bounced ({status.value})"
            return [Change(iid, "bounced", detail, status.value)]
    except Conflict:
        return []  # the sequence already ended: nothing to change
    return []


def _nothing_held(ctx: Context, interview_id: int, sender: str | None) -> str:
    """For an out-of-office that must hold no note back: why, in a few words. A thank-you
    is never held (it waits in their inbox; held to their return it would be late, and the
    follow-up that would reach them away brings their auto-reply again, which holds it).
    On a panel, one person's absence never makes another's note late: nothing is held for
    someone who gets no more notes (taken off the panel, their address bounced), or none
    is still for (their thank-you went; the follow-ups go to the contact), or while others'
    notes wait. "" when it holds the notes."""
    if not sender:
        return ""
    seq, bounced = services.sequence_and_bounced(ctx, interview_id)
    wanted = sender.casefold()
    away = next((p for p in seq.interviewers if p.email and p.email.casefold() == wanted), None)
    if away is None:
        return ""
    if away.removed or away.id in bounced:
        return f"{away.name} gets no more notes"
    theirs = [n for n in seq.notes if n.interviewer_id == away.id and planner.may_go(n)]
    if theirs and all(n.step == ctx.policy.steps[0].number for n in theirs):
        return f"the thank-you to {away.name} goes as planned (it waits in their inbox)"
    people = tuple(p for p in seq.interviewers if p.id not in bounced)
    if len(people) < 2:
        return ""
    if not planner.writes_to(seq._replace(interviewers=people), away, ctx.policy):
        contact = planner.primary_contact(p for p in people if not p.removed)
        name = contact.name if contact else "the panel's contact"
        return f"no note is waiting for {away.name}; the next ones go to {name}"
    others = sorted(
        {
            p.name
            for n in seq.notes
            if planner.may_go(n) and n.interviewer_id != away.id
            for p in people
            if p.id == n.interviewer_id
        }
    )
    if not others:
        return ""
    from followup.domain.compose import join_phrases  # "Ada, Bob and Cy"

    return f"the notes to {join_phrases(others)} go as planned"


def _keep(ctx: Context, interview_id: int, message: services.Message) -> None:
    ctx.store.add_inbound(
        interview_id=interview_id,
        classification=message.kind,
        received_at=message.received_at,
        now=ctx.clock.now(),
        source=message.source,
        message_id=message.message_id,
        from_addr=message.from_addr,
        subject=message.subject,
        reason=message.reason,
    )


def _status(ctx: Context, interview_id: int) -> str:
    interview = ctx.store.get_interview(interview_id)
    return interview.status.value if interview else ""


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
) -> tuple[datetime, str]:
    """An out-of-office: the window's opening on the working day after the return date,
    and "" — or, for a return date more than limits.OOO_RETURN_DAYS after the message, the
    default delay and why the date was ignored ("…; ")."""
    default = received + timedelta(days=default_days)
    back = verdict.return_date
    if back is None:
        return default, ""
    if back > received.date() + timedelta(days=limits.OOO_RETURN_DAYS):
        return default, (
            f"its return date {back:%Y-%m-%d} is more than {limits.OOO_RETURN_DAYS} days"
            f" away: ignored, "
        )
    return next_workday_opening(back, tz, ctx.policy.window), ""


# --- an invitation that came with the answer ----------------------------------------------


def import_next_round(
    ctx: Context, done: Received, path: Path, options: InviteOptions
) -> InvitesImported | None:
    """A `scheduling` answer that carries an invitation (a text/calendar REQUEST, in a saved
    .eml): its event is imported as the next round of the application the answer was about
    — the company and role are that application's, never guessed — which ends the answered
    round as `advanced` (services.add_interview). None when there is nothing to import."""
    from followup.app import calendar

    proposed = [c.interview_id for c in done.changes if c.kind == "scheduling"]
    if done.kind is not Kind.SCHEDULING or not proposed:
        return None
    interview = services.find_interview(ctx, proposed[0])
    application = ctx.store.get_application(interview.application_id)
    assert application is not None  # a foreign key guarantees it
    pinned = dataclasses.replace(
        options, company=application.company, role=application.role, confirm=None
    )
    return calendar.import_invite(ctx, path, pinned)


# --- a wrong call corrected ---------------------------------------------------------------


class Reclassified(NamedTuple):
    interview_id: int
    was: str
    now: Kind
    undone: str | None  # the change taken back first (its summary), if any
    changes: tuple[Change, ...]
    note: str = ""  # why nothing changed, when nothing did


# Later changes that do not stand in the way of reading an earlier message again: notices
# kept in the history, which changed nothing but their own row.
_HARMLESS = (Kind.ACKNOWLEDGEMENT.value, Kind.NOTIFICATION.value)


def reclassify(ctx: Context, me: MailIdentity, message_id: str, kind: Kind) -> Reclassified:
    """Read a received message as `kind`: take back what its first reading changed (the
    event it recorded, which must be the interview's latest change but for notices kept
    since) and apply `kind`'s effect to the same interview, as one change: `followup undo`
    takes the new reading back to the first one, the message kept."""
    wanted = message_id.strip()
    if not wanted.startswith("<"):
        wanted = f"<{wanted}>"
    with ctx.store.transaction():
        row = ctx.store.inbound_by_message_id(wanted)
        if row is None:
            raise NotFound(
                f"no received message {wanted} (`followup show ID --json` lists them under"
                f' "inbound")'
            )
        interview_id = int(row["interview_id"])
        was = str(row["classification"])
        if was == kind.value:
            said = f"{wanted} is already read as {kind.value}: nothing changed"
            return Reclassified(interview_id, was, kind, None, (), said)
        services.find_interview(ctx, interview_id)
        first = None
        for event in reversed(ctx.store.events(interview_id)):
            if event.undone_by is not None or event.kind in events_mod.PASSED_OVER:
                continue
            if (event.detail or {}).get("message_id") == wanted:
                first = event
            if first is not None or event.kind not in _HARMLESS:
                break
        if first is None:
            raise Conflict(
                f"interview {interview_id} changed after {wanted} arrived: undo those changes"
                f" first (`followup history {interview_id}`)"
            )
        before_first = ctx.store.prior_state(first.id)
        if before_first is None:  # a restored history keeps no earlier state
            raise Conflict(f"{wanted} cannot be taken back: its change cannot be undone")
        reading = events_mod.before(ctx, interview_id)  # what undo goes back to
        # the rows before the first reading, with the notices kept since
        since = [r for r in reading.get("inbound_messages", []) if r.get("message_id") != wanted]
        ctx.store.put_interview_state(interview_id, {**before_first, "inbound_messages": since})
        services.replan(ctx, interview_id)
        interview = services.find_interview(ctx, interview_id)
        facts = MessageFacts(
            message_id=wanted,
            from_addr=row["from_addr"],
            subject=row["subject"] or "",
            date=datetime.fromisoformat(str(row["received_at"]).replace("Z", "+00:00")),
        )
        verdict = Classification(kind, f"reclassified by you (was {was})")
        target = interview
        if kind in _ONE_APPLICATION:
            latest = ctx.store.latest_round(interview.application_id)
            target = latest or interview
        received = facts.date or ctx.clock.now()
        changes = _apply(ctx, me, target, verdict, facts, received, str(row["source"]))
        newest = ctx.store.last_event(interview_id, events_mod.PASSED_OVER)
        if not changes or newest is None or newest.id <= first.id:
            # nothing to change (unrelated, a reply to a round that ended): kept as an
            # event all the same, so that it can be read again or undone
            services.noted(
                ctx,
                interview_id,
                services.Message(
                    kind.value,
                    received,
                    str(row["source"]),
                    wanted,
                    row["from_addr"],
                    row["subject"],
                    verdict.reason,
                ),
            )
            newest = ctx.store.last_event(interview_id, events_mod.PASSED_OVER)
        assert newest is not None
        ctx.store.set_prior_state(newest.id, reading)
    return Reclassified(interview_id, was, kind, first.summary, tuple(changes))
