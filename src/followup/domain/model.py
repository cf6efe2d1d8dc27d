"""What followup knows about: applications, interviews (rounds), interviewers and notes.

All instants are aware UTC datetimes; each person keeps an IANA zone name beside them.
Value types are NamedTuples rather than frozen dataclasses: they sit on the agenda's
start-up path, where defining a dataclass costs about 1 ms and a NamedTuple a fifth of that.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import NamedTuple


class Culture(StrEnum):
    CORPORATE = "corporate"
    STARTUP = "startup"
    OTHER = "other"


class Status(StrEnum):
    """Where an interview's follow-up sequence stands."""

    WAITING = "waiting"  # open: a note is pending or will be
    REPLIED = "replied"  # the employer answered: stop
    CLOSED = "closed"  # the final note went out: let it go
    ADVANCED = "advanced"  # a later round was scheduled: this round's sequence ends
    CANCELLED = "cancelled"  # the user (or the invite) cancelled it
    REJECTED = "rejected"  # the hiring side said no (issue #15): the application ends
    ROLE_CLOSED = "role-closed"  # the role was filled, cancelled or put on hold
    OFFER = "offer"  # the hiring side made an offer

    @property
    def is_outcome(self) -> bool:
        """An answer about the application itself, not about this round's notes."""
        return self in (Status.REJECTED, Status.ROLE_CLOSED, Status.OFFER)

    @property
    def is_open(self) -> bool:
        return self is Status.WAITING


class NoteKind(StrEnum):
    """The article's kinds of note, built in. A note's kind is a plain string the policy names
    (domain/policy.py): a user's policy may add its own, e.g. "check-in"."""

    THANK_YOU = "thank-you"
    FOLLOW_UP = "follow-up"
    FINAL = "final"


class NoteState(StrEnum):
    PENDING = "pending"  # planned, not yet sent
    SENDING = "sending"  # claimed by a sender; the outcome is not yet known
    SENT = "sent"
    UNKNOWN = "unknown"  # found `sending` after a crash: to reconcile, never to resend blindly
    FAILED = "failed"  # permanent failure (e.g. a 5xx or a hard bounce)
    CANCELLED = "cancelled"  # the sequence ended before this note went out


class Tone(StrEnum):
    """How a note sounds: the article's "formal for corporate, casual for a startup"."""

    FORMAL = "formal"
    CASUAL = "casual"
    NEUTRAL = "neutral"


class AgendaState(StrEnum):
    UPCOMING = "upcoming"  # not due yet
    DUE = "due"  # due now: inside its grace period
    OVERDUE = "overdue"  # past its grace period and still unsent


class Application(NamedTuple):
    id: int
    company: str
    role: str
    culture: Culture = Culture.OTHER
    country: str | None = None  # ISO 3166-1 alpha-2, for public holidays
    domains: tuple[str, ...] = ()
    tone: str | None = None  # the user's override of the culture's tone


class Interviewer(NamedTuple):
    id: int
    interview_id: int
    name: str
    email: str | None
    tz: str | None = None  # None: the interview's zone
    primary: bool = False  # the panel's contact for every note after the first (policy.py)
    greet_as: str | None = None  # the user's form of address ("Ms. Chen"); None: from the name
    removed: bool = False  # taken off the panel (`edit --remove-interviewer`): no more notes


class Interview(NamedTuple):
    id: int
    application_id: int
    round: int
    start: datetime  # aware, UTC
    duration: timedelta
    tz: str
    status: Status = Status.WAITING
    expect_by: date | None = None  # "we'll decide by Friday"
    defer_until: datetime | None = None  # e.g. an out-of-office's return
    status_at: datetime | None = None  # when the status last changed
    location: str | None = None

    @property
    def end(self) -> datetime:
        return self.start + self.duration


class Note(NamedTuple):
    id: int
    interview_id: int
    interviewer_id: int | None  # None: a note with no known recipient yet
    step: int
    kind: str  # the policy's name for the step: a NoteKind or one of the user's
    state: NoteState
    earliest_at: datetime  # the policy's earliest instant, before the send window
    due_at: datetime  # earliest_at moved into the recipient's send window
    sent_at: datetime | None = None
    message_id: str | None = None
    approved_at: datetime | None = None  # the user approved it to go out when due (worker)


class Sequence(NamedTuple):
    """One interview with everything the planner needs to decide its next step."""

    interview: Interview
    application: Application
    interviewers: tuple[Interviewer, ...] = ()
    notes: tuple[Note, ...] = ()
    # a later round of the application exists (added before this one took place): this one
    # gets its thank-you, then moves on (`advanced`) — the next round is the conversation now
    later_round: bool = False
    # the addresses (lower case) of people on a later round of the same day's loop
    # (planner.same_loop): thanked for that round, not for this one too
    thanked_later: frozenset[str] = frozenset()
    # ... and of people whose thank-you went for an earlier round of it (a round of the
    # loop added after that thank-you went), with when the latest of those went
    thanked_before: frozenset[str] = frozenset()
    thanked_at: datetime | None = None

    def recipient_zone(self, interviewer: Interviewer | None) -> str:
        if interviewer is not None and interviewer.tz:
            return interviewer.tz
        return self.interview.tz
