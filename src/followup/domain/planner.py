"""Decide a sequence's next step, and how urgent a planned note is at a given moment.

Planning happens when something changes (an interview is added, a note is sent, a date is
promised), and its result is stored: the agenda then reads only what is pending, through an
index, and classifies it against `now` — it never re-plans every interview.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, time, timedelta
from typing import NamedTuple, Protocol, TypeVar

from followup.domain.model import (
    AgendaState,
    Interviewer,
    Note,
    NoteState,
    Sequence,
    Status,
)
from followup.domain.policy import Anchor, PanelFollowUp, Policy, Step
from followup.domain.workdays import (
    IsHoliday,
    into_window,
    next_workday_opening,
    no_holidays,
    wall_to_utc,
    zone,
)

# Notes whose step is still in flight: the next step cannot be planned yet.
_UNFINISHED = frozenset({NoteState.PENDING, NoteState.SENDING, NoteState.UNKNOWN})
# Notes that are not to be planned again for their recipient.
_SETTLED = frozenset({NoteState.SENT, NoteState.SENDING, NoteState.UNKNOWN, NoteState.FAILED})
# Notes that reached (or may have reached) their recipient: a panel's step to one contact
# that has one of these needs no other.
REACHED = frozenset({NoteState.SENT, NoteState.SENDING, NoteState.UNKNOWN})


class PlannedNote(NamedTuple):
    step: int
    kind: str
    interviewer_id: int | None
    earliest_at: datetime  # the policy's earliest instant
    due_at: datetime  # moved into the recipient's send window


class Plan(NamedTuple):
    """What the sequence should look like now: its status and the notes to keep pending."""

    status: Status
    notes: tuple[PlannedNote, ...]
    reason: str


class _Noted(Protocol):
    @property
    def step(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def interviewer_id(self) -> int | None: ...


_N = TypeVar("_N", bound=_Noted)


def pending_step(notes: Iterable[Note]) -> int | None:
    """The step whose notes are waiting to be sent (the lowest pending), if any: what "mark
    sent" records and a draft shows by default."""
    return min((n.step for n in notes if n.state is NoteState.PENDING), default=None)


def notes_by_step(notes: Iterable[_N], policy: Policy) -> dict[int, list[_N]]:
    """Which notes belong to each step the policy lists (step number -> its notes, in the
    order given); a note in none of them is history only (shown, never a step's).

    A note belongs to the step of its kind. A note of a kind the policy does not name belongs
    to the step at its number only if that step has no note of its own kind to the same
    recipient: a RENAMED step keeps its history (the thank-you sent before the step became
    "thanks" is still step 1's), while a DROPPED step's note never stands in for the step
    that took its number (with the follow-up dropped, the follow-up sent is not the final).
    The one rule for the planner, `recipients`, the exports, stats and wording."""
    notes = list(notes)
    number_of = {s.kind: s.number for s in policy.steps}
    kind_at = {s.number: s.kind for s in policy.steps}
    owned = {(n.kind, n.interviewer_id) for n in notes if n.kind in number_of}
    found: dict[int, list[_N]] = {s.number: [] for s in policy.steps}
    for note in notes:
        number = number_of.get(note.kind)
        renamed = note.step in kind_at and (kind_at[note.step], note.interviewer_id) not in owned
        if number is None and renamed:
            number = note.step
        if number is not None:
            found[number].append(note)
    return found


def plan_next(
    seq: Sequence,
    policy: Policy,
    holidays_for: Callable[[str | None], IsHoliday] = lambda _country: no_holidays,
) -> Plan:
    """The next step of `seq` under `policy`: pure, deterministic, no clock needed."""
    interview = seq.interview
    if not interview.status.is_open:
        return Plan(interview.status, (), f"sequence {interview.status.value}")

    if seq.thanked_later and seq.interviewers:
        # people on a later round of the same day's loop are thanked there, once (a
        # recruiter who organised every event of an onsite gets one thank-you, not four)
        people = tuple(p for p in seq.interviewers if not _thanked_later(p, seq))
        if not people and not _sent_any(seq.notes):
            return Plan(Status.ADVANCED, (), "its people are thanked for a later round")
        seq = seq._replace(interviewers=people)
    by_step = notes_by_step(seq.notes, policy)
    steps = policy.active_steps[:1] if seq.later_round else policy.active_steps
    for index, step in enumerate(steps):
        notes = by_step[step.number]
        who = seq  # whom this step's notes may go to
        if index == 0 and seq.thanked_before:
            # thanked already for an earlier conversation of the same day's loop: once
            who = seq._replace(
                interviewers=tuple(p for p in seq.interviewers if not _thanked_before(p, seq))
            )
            if seq.interviewers and not who.interviewers and not _sent_any(notes):
                continue  # everyone here was: the thank-you step is done
        if (
            any(n.state in _UNFINISHED for n in notes)
            or not any(n.state is NoteState.SENT for n in notes)
            or (index == 0 and _thanks_owed(who, step, notes, by_step, policy))
        ):
            later = [ns for number, ns in by_step.items() if number >= step.number]
            previous_sent = _sent_before(seq.notes, later)
            if previous_sent is None and index:
                previous_sent = seq.thanked_at  # their thank-you, sent for the loop's other round
            if previous_sent is None and (index or step.anchor is Anchor.PREVIOUS_SENT):
                return Plan(Status.WAITING, (), "waiting for the previous note to be sent")
            # a duration: added to a UTC instant; and never before the previous note went out
            # (a later step counting from the interview's end waits for it all the same)
            anchor = interview.end if step.anchor is Anchor.INTERVIEW_END else previous_sent
            assert anchor is not None
            earliest = anchor + step.delay
            if previous_sent is not None:
                earliest = max(earliest, previous_sent)
            settled = {n.interviewer_id for n in notes if n.state in _SETTLED}
            planned = (  # (nobody left to write to is no note "to someone not known yet")
                _schedule(who, step, earliest, settled, policy, holidays_for, notes)
                if who.interviewers or not seq.interviewers
                else ()
            )
            if planned or not _done_for_the_panel(notes):
                return Plan(Status.WAITING, planned, f"step {step.number} ({step.kind})")
            # the panel had this step's note and nobody else needs one (a policy that sent
            # it to everyone became "primary" after one went out): the next step follows
    if seq.later_round:
        return Plan(Status.ADVANCED, (), "a later round followed: this one moved on")
    return Plan(Status.CLOSED, (), "the last step's note was sent: let it go")


def _thanks_owed(
    seq: Sequence, step: Step, notes: list[Note], by_step: dict[int, list[Note]], policy: Policy
) -> bool:
    """Someone on the panel has had no thank-you while the others have (added after they
    went out: a panelist forgotten, an address corrected), and no later note has gone yet:
    their thank-you is planned, and the follow-up waits for it (it counts from the last)."""
    if step.number != policy.steps[0].number:
        return False
    if any(n.state in REACHED for k, ns in by_step.items() if k != step.number for n in ns):
        return False
    done = {n.interviewer_id for n in notes if n.state in _SETTLED}
    if None in done:  # a thank-you went to someone not recorded: it may have been anyone
        return False
    return any(p.id not in done for p in seq.interviewers)


def _thanked_later(person: Interviewer, seq: Sequence) -> bool:
    return person.email is not None and person.email.lower() in seq.thanked_later


def _thanked_before(person: Interviewer, seq: Sequence) -> bool:
    return person.email is not None and person.email.lower() in seq.thanked_before


def _sent_any(notes: Iterable[Note]) -> bool:
    return any(n.state in REACHED for n in notes)


def _sent_before(notes: Iterable[Note], later: list[list[Note]]) -> datetime | None:
    """The anchor of a "previous-sent" step: the latest send of any note that is not this
    step's or a later one's (a note of a step the policy dropped, history only, counts)."""
    skip = {id(n) for ns in later for n in ns}
    sent = [
        n.sent_at
        for n in notes
        if n.state is NoteState.SENT and n.sent_at is not None and id(n) not in skip
    ]
    return max(sent, default=None)


def _done_for_the_panel(notes: list[Note]) -> bool:
    """One of the step's notes went out and none is on its way: the pending ones left are
    not needed (re-planning cancels them), so the step counts as done."""
    return any(n.state is NoteState.SENT for n in notes) and not any(
        n.state in (NoteState.SENDING, NoteState.UNKNOWN) for n in notes
    )


def _schedule(
    seq: Sequence,
    step: Step,
    earliest: datetime,
    settled: set[int | None],
    policy: Policy,
    holidays_for: Callable[[str | None], IsHoliday],
    notes: list[Note],
) -> tuple[PlannedNote, ...]:
    """One note per recipient not already sent (or in flight, or failed) for this step."""
    is_holiday = holidays_for(seq.application.country)
    # "We'll decide by Friday" delays a chase, never the thank-you: that is a courtesy
    promise = seq.interview.expect_by if step.number != policy.steps[0].number else None
    planned = []
    for person in _recipients(seq.interviewers, step, policy, notes):
        if (person.id if person else None) in settled:
            continue
        tz = seq.recipient_zone(person)
        not_before = earliest
        if promise is not None:
            promised = next_workday_opening(promise, tz, policy.window, is_holiday)
            not_before = max(not_before, promised)
        if seq.interview.defer_until is not None:
            not_before = max(not_before, seq.interview.defer_until)
        due = into_window(not_before, tz, policy.window, is_holiday)
        planned.append(
            PlannedNote(step.number, step.kind, person.id if person else None, earliest, due)
        )
    return tuple(planned)


def recipients(seq: Sequence, step: Step, policy: Policy) -> tuple[Interviewer | None, ...]:
    """Who gets `step`'s note: every interviewer the first step's (a thank-you each); every
    later step's goes to the panel's one contact, unless the policy's `panel_follow_up` is
    "all". The contact is the interviewer marked primary, else the first; one whose note for
    this step failed hands it to the next. The caller leaves out interviewers whose address
    bounced (app/services.py), so the next one takes over from a bounced primary too."""
    notes = notes_by_step(seq.notes, policy).get(step.number, [])
    return _recipients(seq.interviewers, step, policy, notes)


def _recipients(
    people: tuple[Interviewer, ...], step: Step, policy: Policy, notes: list[Note]
) -> tuple[Interviewer | None, ...]:
    if not people:
        return (None,)  # a note with no known recipient yet
    if step.number == policy.steps[0].number or policy.panel_follow_up is PanelFollowUp.ALL:
        return people
    if any(n.state in REACHED for n in notes):
        return ()  # the panel has (or is getting) this step's note: nobody else needs one
    failed = {n.interviewer_id for n in notes if n.state is NoteState.FAILED}
    return next(((p,) for p in _in_turn(people) if p.id not in failed), ())


def writes_to(seq: Sequence, person: Interviewer, policy: Policy) -> bool:
    """Whether the interview still has a note for `person`: one not yet sent (or that
    failed) addressed to them, or a later step's when later steps go to everyone or to them
    as the panel's contact (`seq`'s people: those whose address did not bounce). An
    out-of-office from anyone else holds no note back."""
    if any(n.interviewer_id == person.id and may_go(n) for n in seq.notes):
        return True
    if person.removed:
        return False
    if policy.panel_follow_up is PanelFollowUp.ALL:
        return True
    return primary_contact(p for p in seq.interviewers if not p.removed) == person


def may_go(note: Note) -> bool:
    """A note still to send: pending, or failed (to try again)."""
    return note.state in _MAY_GO


_MAY_GO = frozenset({NoteState.PENDING, NoteState.FAILED})


def primary_contact(people: Iterable[Interviewer]) -> Interviewer | None:
    """The panel's contact for later notes: the one marked primary, else the first."""
    return next(iter(_in_turn(people)), None)


def _in_turn(people: Iterable[Interviewer]) -> list[Interviewer]:
    return sorted(people, key=lambda p: not p.primary)  # stable: the primary, then in order


class _Due(Protocol):
    @property
    def step(self) -> int: ...
    @property
    def due_at(self) -> datetime: ...


_D = TypeVar("_D", bound=_Due)


def next_due(notes: Iterable[_D]) -> _D | None:
    """The note that comes next, as the agenda, `show`, the exports and every "Next: …" tell
    it: the earliest due time; on a tie the lower step, then the first given (the planner
    gives a panel's notes in interviewer order). None for no notes."""
    return min(notes, key=lambda n: (n.due_at, n.step), default=None)


def may_send(due_at: datetime, now: datetime) -> bool:
    """Whether the cadence lets a note planned for `due_at` go at `now`: what `send` (without
    --force), `send --due` and the worker go by, and what splits upcoming from due."""
    return now >= due_at


def agenda_state(due_at: datetime, now: datetime, policy: Policy) -> AgendaState:
    if not may_send(due_at, now):
        return AgendaState.UPCOMING
    if now < due_at + policy.overdue_after:
        return AgendaState.DUE
    return AgendaState.OVERDUE


def is_fading(
    step: int, interview_end: datetime, due_at: datetime, now: datetime, policy: Policy
) -> bool:
    """The article: wait "a week or more" with the thank-you and you risk fading from memory.
    Only a note that may go now (due or overdue) is fading: "send now" never means "too
    early" (e.g. a thank-you held back by an out-of-office's return)."""
    return step == 1 and may_send(due_at, now) and now >= interview_end + _fades_after(policy)


# Rounds that follow each other within this gap are one day's loop: an onsite, or a panel
# split into back-to-back invitations (a lunch break between them included).
LOOP_GAP = timedelta(hours=6)


def same_loop(earlier_end: datetime, later_start: datetime) -> bool:
    """The later round is the next conversation of the same day's loop, not a next step the
    earlier one led to: its people are thanked for each round (once each: `thanked_later`)."""
    return later_start - earlier_end <= LOOP_GAP


def thanks_still_due(
    earlier_end: datetime,
    later_start: datetime,
    now: datetime,
    policy: Policy,
    unthanked: Iterable[Iterable[str]] = (),
    rounds_after: Iterable[RoundHeld] = (),
) -> bool:
    """A later round was added to a round not thanked yet: is its thank-you still worth
    sending? Not once it is past its moment (`is_past_its_moment`: the agenda says to let it
    go). Before that — late or not, as the agenda says "send now" — yes while the later
    round is ahead, or is the same day's loop (each of its people is thanked, however late
    the loop's invitations were imported), or someone still unthanked (`unthanked`: each
    unsent thank-you's addresses) was not met again in the later rounds held since
    (`rounds_after`, the added one among them: `overtaken`). Otherwise the earlier round
    moves on."""
    if now >= earlier_end + thanks_moment(policy):
        return False
    if now < later_start or same_loop(earlier_end, later_start):
        return True
    step, held = policy.steps[0].number, list(rounds_after)
    return any(not overtaken(step, earlier_end, held, now, policy, to) for to in unthanked)


def is_past_its_moment(
    step: int, interview_end: datetime, due_at: datetime, now: datetime, policy: Policy
) -> bool:
    """A fading thank-you left so long that "send now" is no longer the advice: past the
    time the whole cadence would have taken (every step's delay added up: 23 days under the
    article), and never sooner than twice the fading span. A thank-you 40 days late reads
    oddly; the user lets it go or writes a note of their own."""
    return is_fading(step, interview_end, due_at, now, policy) and (
        now >= interview_end + _past_after(policy)
    )


def thanks_moment(policy: Policy) -> timedelta:
    """How long after an interview its unsent thank-you is past its moment (the agenda's
    "let it go"): `is_past_its_moment`'s span."""
    return _past_after(policy)


def _past_after(policy: Policy) -> timedelta:
    total = sum((s.delay for s in policy.active_steps), timedelta(0))
    return max(total, 2 * _fades_after(policy))


class Standing(NamedTuple):
    """Where a pending note stands at a moment: what the agenda shows, what `send` allows and
    what the timeline says of it all come from this one answer (`standing`)."""

    state: AgendaState
    fading: bool
    past: bool = False  # a thank-you past its moment (`is_past_its_moment`, `overtaken`)
    overtaken: bool = False  # ...because a later round took its place (`overtaken`)

    @property
    def may_send(self) -> bool:
        """Whether the cadence lets the note go now (else `send` needs --force)."""
        return self.state is not AgendaState.UPCOMING


class RoundHeld(NamedTuple):
    """A round of an application that was held, or is to be (not cancelled)."""

    start: datetime
    people: frozenset[str]  # whom it meets: their addresses, lower-cased


def standing(
    step: int,
    due_at: datetime,
    interview_end: datetime,
    now: datetime,
    policy: Policy,
    rounds_after: Iterable[RoundHeld] = (),
    to: Iterable[str] = (),
) -> Standing:
    """`rounds_after`, `to`: the application's later rounds, and whom the note goes to
    (`overtaken`)."""
    later = overtaken(step, interview_end, rounds_after, now, policy, to)
    return Standing(
        agenda_state(due_at, now, policy),
        is_fading(step, interview_end, due_at, now, policy),
        later or is_past_its_moment(step, interview_end, due_at, now, policy),
        later,
    )


def overtaken(
    step: int,
    interview_end: datetime,
    rounds_after: Iterable[RoundHeld],
    now: datetime,
    policy: Policy,
    to: Iterable[str],
) -> bool:
    """A round's thank-you still unsent to people (`to`: their addresses) who have all met
    the user again since, in a later round of the application that has taken place (a
    cancelled one is none: added by mistake, or called off; its thank-you never comes): "thank
    you for Monday" after Wednesday's reads oddly, and that round's thank-you is the one to
    send. Someone not met again is still thanked (late, as the agenda says); a conversation
    of the same day's loop is not a next step (each of its people is thanked)."""
    if step != policy.steps[0].number:
        return False
    met_again: set[str] = set()
    for held in rounds_after:
        if held.start <= now and not same_loop(interview_end, held.start):
            met_again |= held.people
    people = [address.lower() for address in to]
    return bool(people) and all(address in met_again for address in people)


def _fades_after(policy: Policy) -> timedelta:
    """How long after the interview's end an unsent first note is fading: the policy's
    `fading_after`, but never before the note may be sent (its step's own delay; the first
    step always counts from the interview's end), so "send now" never means "too early"."""
    return max(policy.fading_after, policy.steps[0].delay)


class RiskCutoffs(NamedTuple):
    """The instants that split open sequences into fading, overdue, due and upcoming.

    A store can rank thousands of sequences with these in one query; `standing` gives the
    same answer for one.
    """

    now: datetime
    # a thank-you still pending for an interview ended by then, and due by `now`
    fading_if_ended_by: datetime
    overdue_if_due_by: datetime


def risk_cutoffs(now: datetime, policy: Policy) -> RiskCutoffs:
    return RiskCutoffs(now, now - _fades_after(policy), now - policy.overdue_after)


class AgendaItem(NamedTuple):
    interview_id: int
    application_id: int
    company: str
    role: str
    step: int
    kind: str
    due_at: datetime
    state: AgendaState
    fading: bool
    recipients: tuple[str, ...]
    interview_start: datetime
    tz: str
    scheduled: bool = False  # the user approved it: a worker sends it when due
    past: bool = False  # a thank-you past its moment: "send now" is not the advice
    round: int = 1  # the interview's round in its application (a later round says so)
    emails: tuple[str, ...] = ()  # the recipients' addresses, in their order ("" for none)
    overtaken: bool = False  # past, because the next round has taken place (`overtaken`)
    met_again: tuple[str, ...] = ()  # of a panel not all met again: those who were


# Snoozing a note from the agenda (the dashboard's Today): how far, in words.
SNOOZES = {"1d": "1 day", "3d": "3 days", "week": "next week"}


def snoozed_until(choice: str, due_at: datetime, now: datetime, tz: str) -> datetime:
    """The instant a snoozed note waits for: a day or three after it was due (or after now,
    for a note already due), or the Monday after, 00:00 in `tz` (the user's zone). This is
    only a floor ("no note before"): the planner still keeps the step's own rule and moves it
    into the recipient's send window (`_schedule`), so a snooze never brings a note forward."""
    base = max(due_at, now)
    if choice == "1d":
        return base + timedelta(days=1)
    if choice == "3d":
        return base + timedelta(days=3)
    if choice == "week":
        day = base.astimezone(zone(tz)).date()
        return wall_to_utc(day + timedelta(days=7 - day.weekday()), time(0, 0), tz)
    raise ValueError(f"unknown snooze {choice!r}")


def snooze_fades(step: int, interview_end: datetime, until: datetime, policy: Policy) -> bool:
    """A thank-you snoozed until it would be fading ("a week or more … risks fading from
    memory"): a snooze that hides the very lateness the agenda warns of (a coach trial: four
    weeks of snoozes, and the coach saw nothing late)."""
    return step == policy.steps[0].number and until >= interview_end + _fades_after(policy)


def too_early(sent_at: datetime, earliest_at: datetime) -> timedelta | None:
    """How much earlier than the policy allows a note was sent, if it was."""
    return earliest_at - sent_at if sent_at < earliest_at else None
