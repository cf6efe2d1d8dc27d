"""Plain values that cross the ports (app/ports.py): rows the stores hand over and take.

Apart from the Protocols so the agenda's start-up imports only these NamedTuples (the
Protocols are needed by type checkers, not at run time), and apart from the use-case
modules so that the ports import no use-case (no import cycle).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from followup.domain.model import Application, Interview, Interviewer, Note, NoteState, Status

if TYPE_CHECKING:
    from followup.domain.planner import Plan


# The most rounds `rounds_between` returns: more than any day's loop or next round needs.
ROUNDS_BETWEEN = 50


def same_name(text: str) -> str:
    """A company's or role's name as two typings of it compare: case and runs of spaces
    aside ("Backend  engineer" is "Backend Engineer")."""
    return " ".join(text.split()).casefold()


class NewInterviewer(NamedTuple):
    name: str
    email: str | None
    tz: str | None = None
    primary: bool = False


class SequenceRows(NamedTuple):
    """What planning an interview reads (`Store.sequence_rows`): the interview, its
    application, people and notes, its application's latest round, and the people whose
    address bounced."""

    interview: Interview
    application: Application
    interviewers: list[Interviewer]
    notes: list[Note]
    latest_round: Interview | None
    bounced: set[int]


class Event(NamedTuple):
    """One change to an interview, as `followup history` lists it (app/history.py)."""

    id: int
    interview_id: int
    at: datetime
    source: str  # cli | web | sync | import | worker
    kind: str  # added, moved, sent, replied, undo, … (history.KINDS)
    summary: str  # one line for a person
    detail: dict[str, Any] | None  # what changed, for --json readers
    undoable: bool  # it kept the interview's rows as they were before it
    undone_by: int | None  # the undo event that reverted it


# An interview's rows as they were (an event's `prior_state`): table -> rows as dicts.
InterviewState = dict[str, list[dict[str, Any]]]


class Marked(NamedTuple):
    """A note recorded as sent (services.mark_sent)."""

    interview_id: int
    step: int
    kind: str
    notes_marked: int
    too_early_by: timedelta | None
    plan: Plan
    warnings: tuple[str, ...] = ()


class InterviewRow(NamedTuple):
    interview: Interview
    application: Application


class BoardFilter(NamedTuple):
    """Which applications the board shows (issue #16): all of these that are given."""

    text: str = ""  # in the company, the role, or a person's name or address (any case)
    culture: str | None = None  # the application's culture
    # the tone its notes take: the user's choice for the application (`tone`), else its
    # culture's — `tone_cultures`, the cultures whose notes take that tone (compose.py)
    tone: str | None = None
    tone_cultures: tuple[str, ...] = ()
    due_by: datetime | None = None  # the latest round's next note is due by then


class BoardRow(NamedTuple):
    """An application on the board with its latest round (the highest round number)."""

    application: Application
    latest: Interview
    proposed: bool  # the latest round's newest inbound message proposed a next round
    next_kind: str | None  # the latest round's next note (an open sequence's), and when
    next_due_at: datetime | None


class BoardPerson(NamedTuple):
    """Someone on one of an application's rounds (removed ones left out)."""

    application_id: int
    interview_id: int
    interviewer_id: int
    name: str
    email: str | None


class ApplicationRow(NamedTuple):
    """An application to pick for a later round: "Acme — Backend Engineer", its rounds."""

    application: Application
    rounds: int  # its highest round number (0: none yet)


class AgendaRow(NamedTuple):
    """One open sequence's next step, with what the agenda shows beside it."""

    interview_id: int
    application_id: int
    company: str
    role: str
    step: int
    kind: str
    due_at: datetime
    interview_start: datetime
    interview_end: datetime
    tz: str
    recipients: tuple[str, ...]
    scheduled: bool = False  # every pending note approved: a worker sends them when due
    round: int = 1  # the interview's round in its application
    emails: tuple[str, ...] = ()  # the recipients' addresses, in their order ("" for none)


class Approval(NamedTuple):
    """A note approved to go out when due, as approved: what `approve_note` was given."""

    at: datetime
    digest: str
    to: str
    message: str
    seal: str


class NoteText(NamedTuple):
    subject: str
    body: str
    edited: bool  # written or changed by the user: kept as is, never re-rendered


class EndedRow(NamedTuple):
    interview_id: int
    company: str
    role: str
    status: Status
    at: datetime
    proposed: bool = False  # replied with an invitation to a next round (scheduling)
    last_kind: str | None = None  # the kind of the last note sent (what "Ended lately" names)
    bounced: str | None = None  # cancelled because this address bounced: to be put right


class FailedRow(NamedTuple):
    """A note of an open sequence that its recipient's server refused (Today's "Now")."""

    interview_id: int
    company: str
    role: str
    kind: str
    name: str | None  # the interviewer it was for (None: no one in particular)
    email: str | None
    error: str  # the server's reason, as recorded
    at: datetime  # when it failed


class BouncedRow(NamedTuple):
    """A panellist of an open sequence whose address bounced: no note reaches them until
    the address is corrected (Today's "Now: not delivered")."""

    interview_id: int
    company: str
    role: str
    name: str
    email: str | None
    at: datetime  # when it bounced


class Claim(NamedTuple):
    """A note a worker claimed, with the message the user approved for it."""

    note: Note
    to: str  # "Name <address>", or "" when the approval kept none
    message: str  # the RFC 5322 text as approved, or ""
    seal: str = ""  # the HMAC this install made of (to, message) at approval, or ""


# --- statistics (StatsStore, app/stats.py) --------------------------------------------------


class Outcome(NamedTuple):
    """One interview that sent a note or got a human reply (store: `reply_facts`).

    Notes count only when sent at or before the first reply: what a reply answered.
    """

    status: str
    last_step: int | None  # the highest step sent (before the first reply); None: no note
    culture: str
    tone: str | None  # the application's tone override
    ended_at: datetime  # the interview's end
    thanked_at: datetime | None  # the first thank-you (step 1) sent (before the reply)
    replied_at: datetime | None  # the first human reply after the interview's end


class RateRow(NamedTuple):
    """Sequences alike for the reply rates (store: `reply_rates`), and how many of them
    got a human reply.

    Those that ran their course with a note sent (`app.stats.counts_for_rates`), grouped by
    the last step sent (before the first reply), the application's culture and tone
    override, and the whole days from the interview's end to the first thank-you (at least
    0, at most the cap the caller gave; None without a thank-you).
    """

    last_step: int
    culture: str
    tone: str | None
    days: int | None
    sent: int
    replied: int


# (how many values, {rank: value}): some order statistics of a set of whole seconds, each at
# a 1-based rank in ascending order, as asked by a `Ranks` function of the count.
Quantiles = tuple[int, dict[int, int]]
Ranks = Callable[[int], Sequence[int]]


# --- calendars (CalendarStore and CalendarCodec, app/calendar.py) ---------------------------


class FeedNote(NamedTuple):
    """A note the store hands `publish`, with what was last published of it (if anything)."""

    note_id: int
    interview_id: int
    step: int
    kind: str
    state: NoteState
    due_at: datetime
    sent_at: datetime | None
    interviewer_name: str | None
    interviewer_email: str | None
    company: str
    role: str
    interview_start: datetime
    interview_tz: str
    published_due: datetime | None = None
    published_status: str | None = None
    published_sequence: int | None = None
    published_at: datetime | None = None


class Attendee(NamedTuple):
    """An ORGANIZER or ATTENDEE as the file has it (the address is checked later)."""

    email: str  # the address after mailto:, as written
    name: str = ""  # the CN parameter
    organizer: bool = False
    kind: str = ""  # CUTYPE, upper case: INDIVIDUAL, ROOM, RESOURCE, GROUP ("" when absent)
    role: str = ""  # ROLE, upper case: REQ-PARTICIPANT, NON-PARTICIPANT, ... ("" when absent)
    # the sender of a forwarded invitation ("FW: …") that names no ORGANIZER: not on the
    # event, whoever they are (an agency's recruiter, a colleague, the user)
    forwarded: bool = False


class InviteEvent(NamedTuple):
    """One VEVENT, its time resolved: an aware UTC start and the IANA zone it is in."""

    uid: str
    sequence: int
    cancelled: bool  # METHOD:CANCEL, or STATUS:CANCELLED
    summary: str
    start: datetime  # aware, UTC
    tz: str  # IANA zone name
    duration: timedelta | None  # None: the file gives no usable end (the policy's default)
    location: str | None = None
    description: str | None = None
    people: tuple[Attendee, ...] = ()
    label: str = "the event"  # how messages name it, e.g. 'event 2 ("Acme interview")'
    modified: datetime | None = None  # its LAST-MODIFIED (UTC), when the file gives one


class Invitation(NamedTuple):
    format: str  # "ics" or "eml"
    method: str  # REQUEST, CANCEL, PUBLISH, or "" when the file has none
    events: tuple[InviteEvent, ...]
    warnings: tuple[str, ...] = ()


class FeedItem(NamedTuple):
    """One note as a calendar shows it: an event with an alarm, or a task."""

    uid: str
    sequence: int
    status: str  # "open" (to send), "done" (sent) or "cancelled"
    due: datetime  # aware, UTC
    summary: str
    description: str
    done_at: datetime | None = None  # when it was sent (a task's COMPLETED)


class Feed(NamedTuple):
    todo: bool  # VTODO tasks rather than VEVENTs with an alarm
    stamp: datetime  # DTSTAMP: when this feed was made
    items: tuple[FeedItem, ...]
    name: str = "followup"


# --- the lossless export (PortabilityStore, app/portability/json_format.py) ---------------
# One NamedTuple per table, its fields the table's columns in order, less those that never
# leave the machine (an approval, a worker's claim: json_format._NOT_PORTABLE). Values keep
# the export document's plain form: instants as "YYYY-MM-DDTHH:MM:SSZ", dates "YYYY-MM-DD".
# `id` is the exporting store's; a store given a record to write assigns a fresh one.


class ApplicationRecord(NamedTuple):
    id: int | None
    company: str
    role: str
    culture: str
    country: str | None
    domains: str  # space-separated, lower case
    tone: str | None
    created_at: str


class InterviewRecord(NamedTuple):
    id: int | None
    application_id: int
    round: int
    start_at: str
    end_at: str
    duration_min: int
    tz: str
    status: str
    status_at: str | None
    expect_by: str | None
    defer_until: str | None
    location: str | None
    description: str | None
    ics_uid: str | None
    ics_sequence: int | None
    next_step: int | None
    next_kind: str | None
    next_due_at: str | None
    created_at: str


class InterviewerRecord(NamedTuple):
    id: int | None
    interview_id: int
    name: str
    email: str | None
    tz: str | None
    bounced_at: str | None
    is_primary: bool
    greet_as: str | None
    removed_at: str | None = None  # taken off the panel (`edit --remove-interviewer`)


class NoteRecord(NamedTuple):
    id: int | None
    interview_id: int
    interviewer_id: int | None
    step: int
    kind: str
    state: str
    earliest_at: str
    due_at: str
    sent_at: str | None
    message_id: str | None
    subject: str | None
    body: str | None
    attempts: int
    last_error: str | None
    updated_at: str
    edited_at: str | None
    drafted_at: str | None


class InboundRecord(NamedTuple):
    id: int | None
    interview_id: int | None  # None: a reply or bounce that matched no interview
    message_id: str | None
    from_addr: str | None
    subject: str | None
    received_at: str
    classification: str
    source: str
    created_at: str
    reason: str | None = None  # the signal that decided the classification (issue #15)


class DebriefRecord(NamedTuple):
    id: int | None
    interview_id: int
    interviewer_id: int | None
    topic: str | None
    skill: str | None
    note: str | None
    promised_by: str | None
    created_at: str


class ExportRows(NamedTuple):
    """Every portable row of a store, each table (named as in the schema) in id order."""

    applications: list[ApplicationRecord]
    interviews: list[InterviewRecord]
    interviewers: list[InterviewerRecord]
    notes: list[NoteRecord]
    inbound_messages: list[InboundRecord]
    debriefs: list[DebriefRecord]


class ExportedEvent(NamedTuple):
    """An entry of the history as an export writes it: what happened, never what undo would
    put back. `at` is the instant's text in the export's form (`YYYY-MM-DDTHH:MM:SSZ`)."""

    interview_id: int
    at: str
    source: str
    kind: str
    summary: str
    undone: bool


class ExportStream(NamedTuple):
    """The same rows as `ExportRows`, read from cursors as they are consumed (constant
    memory), in the order the JSON export nests them: applications by id; interviews by
    application, then id; each child table (and the history) by its interview in that
    order, then id. `inbound_messages` holds the linked messages only; `unlinked_inbound`
    those that matched no interview, by id. Consume it inside the store's transaction."""

    applications: Iterator[ApplicationRecord]
    interviews: Iterator[InterviewRecord]
    interviewers: Iterator[InterviewerRecord]
    notes: Iterator[NoteRecord]
    inbound_messages: Iterator[InboundRecord]
    debriefs: Iterator[DebriefRecord]
    events: Iterator[ExportedEvent]
    unlinked_inbound: Iterator[InboundRecord]


# --- server accounts (AccountStore, app/accounts.py) ----------------------------------------


class User(NamedTuple):
    id: int
    email: str
    role: str
    created_at: datetime
    disabled: bool = False


class Credentials(NamedTuple):
    """What the store keeps to check a password: the user and their argon2 hash."""

    user: User
    password_hash: str


class Limit(NamedTuple):
    """The back-off for one kind of key (an account, a client address).

    The first `free` attempts go through; after that each attempt must wait 2, 4, 8, ...
    seconds (up to `cap`) after the one before. A key that saw no attempt for `forget` starts
    from zero again; a successful sign-in starts the account from zero at once."""

    free: int
    cap: timedelta
    forget: timedelta

    def remembered(self, failures: int, last_at: datetime, now: datetime) -> int:
        """The attempts that still count at `now`."""
        return failures if now < last_at + self.forget else 0

    def wait(self, failures: int, last_at: datetime, now: datetime) -> timedelta:
        """How long, from `now`, until the next attempt may be counted (zero: now)."""
        over = self.remembered(failures, last_at, now) - self.free
        if over < 0:
            return timedelta(0)
        lock = min(self.cap, timedelta(seconds=2 ** min(over + 1, 24)))
        return max(timedelta(0), last_at + lock - now)


class PolicyChange(NamedTuple):
    """What re-planning after config.toml's policy changed did (follow_policy_change)."""

    replanned: int  # open interviews whose pending notes or status changed
    withdrawn: int  # pending notes cancelled (a step the policy no longer sends)
    closed: int  # sequences closed: every step the policy still has was sent
    reopened: int  # sequences an earlier policy change had closed, open again
    at: datetime | None = None

    @property
    def anything(self) -> bool:
        return any((self.replanned, self.withdrawn, self.closed, self.reopened))

    def as_dict(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat().replace("+00:00", "Z") if self.at else None,
            "replanned": self.replanned,
            "withdrawn": self.withdrawn,
            "closed": self.closed,
            "reopened": self.reopened,
        }
