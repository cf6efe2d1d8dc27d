"""Property tests for the planner: the cadence rules hold for any zone, instant and history.

`check_plan` states every rule a plan must satisfy; the properties feed it fresh sequences,
arbitrary note histories and, in `FollowUpMachine`, histories built the way a user builds
them: sending notes at random times after they are due, crashing mid-send, bouncing,
receiving a reply, letting the clock run.
"""

from __future__ import annotations

import os
import time as systime
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import event, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from followup.adapters.store.sqlite import SqliteStore
from followup.app import services
from followup.app.context import Context
from followup.app.rows import NewInterviewer
from followup.domain.model import (
    AgendaState,
    Application,
    Culture,
    Interview,
    Interviewer,
    Note,
    NoteState,
    Sequence,
    Status,
)
from followup.domain.planner import Plan, agenda_state, plan_next
from followup.domain.policy import ARTICLE_POLICY, PanelFollowUp, Policy
from followup.domain.workdays import IsHoliday, next_workday_opening, wall_to_utc

PROPERTY = settings(max_examples=200, deadline=None)

ZONES = (
    "UTC",
    "Europe/Berlin",
    "Europe/London",
    "Europe/Dublin",  # negative DST in tzdata's rules
    "Europe/Moscow",
    "Atlantic/Azores",
    "America/New_York",
    "America/Los_Angeles",
    "America/St_Johns",  # -03:30 / -02:30
    "America/Santiago",  # DST changes at midnight
    "America/Sao_Paulo",
    "America/Havana",  # DST changes at midnight
    "America/Asuncion",
    "America/Caracas",
    "Africa/Casablanca",  # DST suspended during Ramadan
    "Africa/Cairo",
    "Asia/Tokyo",
    "Asia/Kathmandu",  # +05:45
    "Asia/Kolkata",
    "Asia/Tehran",
    "Asia/Beirut",
    "Australia/Lord_Howe",  # 30-minute DST
    "Australia/Adelaide",
    "Australia/Eucla",  # +08:45
    "Pacific/Chatham",  # +12:45 / +13:45
    "Pacific/Kiritimati",  # +14
    "Pacific/Apia",
    "Pacific/Auckland",
    "Pacific/Marquesas",  # -09:30
    "Pacific/Pago_Pago",  # -11
    "Antarctica/Troll",  # a two-hour DST shift
)

_UNFINISHED = frozenset({NoteState.PENDING, NoteState.SENDING, NoteState.UNKNOWN})
_SETTLED = frozenset({NoteState.SENT, NoteState.SENDING, NoteState.UNKNOWN, NoteState.FAILED})
_REACHED = frozenset({NoteState.SENT, NoteState.SENDING, NoteState.UNKNOWN})
COUNTRY = "ZZ"


@dataclass(frozen=True)
class Holidays:
    """A date predicate that shows its dates when hypothesis prints a failing example."""

    days: frozenset[date] = frozenset()

    def __call__(self, day: date) -> bool:
        return day in self.days


@dataclass(frozen=True)
class Scenario:
    interview: Interview
    interviewers: tuple[Interviewer, ...]
    holidays: Holidays
    application: Application = field(
        default=Application(id=1, company="Acme", role="Engineer", country=COUNTRY)
    )

    def holidays_for(self, country: str | None) -> IsHoliday:
        assert country == COUNTRY  # the application's country, nothing else
        return self.holidays

    def sequence(self, notes: tuple[Note, ...] = (), status: Status | None = None) -> Sequence:
        interview = self.interview if status is None else self.interview._replace(status=status)
        return Sequence(interview, self.application, self.interviewers, notes)


# --- strategies -----------------------------------------------------------------------------

instants = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(UTC)
)


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    start = draw(instants)
    duration = timedelta(minutes=draw(st.integers(5, 8 * 60)))
    tz = draw(st.sampled_from(ZONES))
    end = start + duration
    expect_by = draw(st.none() | st.integers(-3, 25).map(lambda d: end.date() + timedelta(d)))
    defer_until = draw(
        st.none() | st.integers(0, 30 * 24 * 60).map(lambda m: end + timedelta(minutes=m))
    )
    interview = Interview(
        id=1,
        application_id=1,
        round=1,
        start=start,
        duration=duration,
        tz=tz,
        expect_by=expect_by,
        defer_until=defer_until,
    )
    zones = draw(st.lists(st.none() | st.sampled_from(ZONES), max_size=3))
    primary = draw(st.none() | st.integers(0, max(0, len(zones) - 1)))  # none marked: the first
    interviewers = tuple(
        Interviewer(
            id=10 + i,
            interview_id=1,
            name=f"P{i}",
            email=f"p{i}@acme.example",
            tz=z,
            primary=i == primary,
        )
        for i, z in enumerate(zones)
    )
    # Holidays near the interview (within ~10 weeks of its end), so that some are hit.
    offsets = draw(st.frozensets(st.integers(-1, 70), max_size=12))
    days = frozenset(end.date() + timedelta(days=o) for o in offsets)
    return Scenario(interview, interviewers, Holidays(days))


policies = st.just(ARTICLE_POLICY) | st.builds(
    lambda max_notes, h1, d2, d3, panel: ARTICLE_POLICY.with_overrides(
        max_notes=max_notes,
        delays={1: timedelta(hours=h1), 2: timedelta(days=d2), 3: timedelta(days=d3)},
        panel_follow_up=panel,
    ),
    st.integers(1, 3),
    st.integers(0, 120),
    st.integers(0, 14),
    st.integers(0, 28),
    st.sampled_from(PanelFollowUp),
)


@st.composite
def histories(draw: st.DrawFn, scenario: Scenario) -> tuple[Note, ...]:
    """Arbitrary notes (any state, any step, in any order): the planner must cope."""
    recipients: list[int | None] = [p.id for p in scenario.interviewers] or [None]
    notes: list[Note] = []
    clock = scenario.interview.end
    for step in range(1, draw(st.integers(1, 3)) + 1):
        for who in recipients:
            state = draw(st.none() | st.sampled_from(NoteState))
            if state is None:
                continue
            clock += timedelta(minutes=draw(st.integers(0, 20 * 24 * 60)))
            sent_at = clock if state is NoteState.SENT else None
            kind = ARTICLE_POLICY.step(step).kind
            notes.append(
                Note(len(notes) + 1, 1, who, step, kind, state, clock, clock, sent_at=sent_at)
            )
    return tuple(draw(st.permutations(notes)))


# --- the rules every plan obeys -------------------------------------------------------------


def assert_in_window(due: datetime, tz: str, policy: Policy, is_holiday: IsHoliday) -> None:
    local = due.astimezone(ZoneInfo(tz))
    assert local.weekday() in policy.window.weekdays, (local, tz)
    assert not is_holiday(local.date()), (local, tz)
    assert policy.window.start <= local.time() < policy.window.end, (local, tz)


def check_plan(seq: Sequence, plan: Plan, policy: Policy, is_holiday: IsHoliday) -> None:
    interview = seq.interview
    if not interview.status.is_open:  # replied, closed, advanced, cancelled: nothing more
        assert plan.status is interview.status
        assert plan.notes == ()
        return
    if plan.status is Status.CLOSED:  # only once every active step went out
        assert plan.notes == ()
        for step in policy.active_steps:
            assert any(n.step == step.number and n.state is NoteState.SENT for n in seq.notes)
            assert not any(n.step == step.number and n.state in _UNFINISHED for n in seq.notes)
        return
    assert plan.status is Status.WAITING

    assert len({p.step for p in plan.notes}) <= 1  # one step at a time
    recipients = [p.interviewer_id for p in plan.notes]
    assert len(set(recipients)) == len(recipients)  # one note per recipient
    by_id: dict[int | None, Interviewer | None] = {p.id: p for p in seq.interviewers} or {
        None: None
    }
    assert set(recipients) <= set(by_id)

    later = [p for p in plan.notes if p.step > 1]
    if later and seq.interviewers and policy.panel_follow_up is PanelFollowUp.PRIMARY:
        # A panel is one conversation: after the thank-yous, one note per step, to the
        # interviewer marked primary (else the first), or the next if theirs failed; none
        # once the step's note reached (or may have reached) anyone.
        step_notes = [n for n in seq.notes if n.step == later[0].step]
        assert not any(n.state in _REACHED for n in step_notes)
        failed = {n.interviewer_id for n in step_notes if n.state is NoteState.FAILED}
        marked = [p for p in seq.interviewers if p.primary]
        in_turn = marked + [p for p in seq.interviewers if not p.primary]
        assert [p.interviewer_id for p in later] == [
            next(p.id for p in in_turn if p.id not in failed)
        ]

    for p in plan.notes:
        step = policy.step(p.step)
        assert p.step <= policy.max_notes
        assert p.kind is step.kind
        for earlier in range(1, p.step):  # earlier steps went out and nothing is in flight
            done = [n for n in seq.notes if n.step == earlier]
            assert any(n.state is NoteState.SENT for n in done)
            assert not any(n.state in _UNFINISHED for n in done)
        assert not any(
            n.step == p.step and n.interviewer_id == p.interviewer_id and n.state in _SETTLED
            for n in seq.notes
        )
        if p.step == 1:
            anchor = interview.end
        else:
            anchor = max(n.sent_at for n in seq.notes if n.step == p.step - 1 and n.sent_at)
        assert p.earliest_at == anchor + step.delay
        if p.step == 1 and policy == ARTICLE_POLICY:
            assert p.earliest_at - interview.end == timedelta(hours=48)
        assert p.due_at >= p.earliest_at

        tz = seq.recipient_zone(by_id[p.interviewer_id])
        assert_in_window(p.due_at, tz, policy, is_holiday)
        not_before = p.earliest_at
        # a promised date holds back the notes after the first, never the thank-you
        if interview.expect_by is not None and p.step != policy.steps[0].number:
            assert p.due_at.astimezone(ZoneInfo(tz)).date() > interview.expect_by
            promised = next_workday_opening(interview.expect_by, tz, policy.window, is_holiday)
            not_before = max(not_before, promised)
        if interview.defer_until is not None:
            assert p.due_at >= interview.defer_until
            not_before = max(not_before, interview.defer_until)
        assert p.due_at >= not_before
        # Moved forward only as far as needed: left alone, or to a window opening.
        local_day = p.due_at.astimezone(ZoneInfo(tz)).date()
        assert p.due_at == not_before or p.due_at == wall_to_utc(local_day, policy.window.start, tz)


# --- stateless properties -------------------------------------------------------------------


@PROPERTY
@given(scenario=scenarios())
def test_a_new_interview_plans_one_thank_you_per_recipient_48_hours_on(scenario: Scenario) -> None:
    seq = scenario.sequence()

    plan = plan_next(seq, ARTICLE_POLICY, scenario.holidays_for)

    check_plan(seq, plan, ARTICLE_POLICY, scenario.holidays)
    assert plan.status is Status.WAITING
    assert [p.step for p in plan.notes] == [1] * max(1, len(scenario.interviewers))
    for p in plan.notes:
        assert p.earliest_at >= scenario.interview.end + timedelta(hours=48)
        assert p.due_at >= scenario.interview.end + timedelta(hours=48)


@PROPERTY
@given(data=st.data(), scenario=scenarios(), policy=policies)
def test_any_history_gives_a_plan_that_obeys_the_rules(
    data: st.DataObject, scenario: Scenario, policy: Policy
) -> None:
    seq = scenario.sequence(data.draw(histories(scenario)))

    plan = plan_next(seq, policy, scenario.holidays_for)

    check_plan(seq, plan, policy, scenario.holidays)


@PROPERTY
@given(
    data=st.data(),
    scenario=scenarios(),
    status=st.sampled_from([Status.REPLIED, Status.CLOSED, Status.ADVANCED, Status.CANCELLED]),
)
def test_a_sequence_that_is_not_waiting_plans_nothing(
    data: st.DataObject, scenario: Scenario, status: Status
) -> None:
    seq = scenario.sequence(data.draw(histories(scenario)), status=status)

    plan = plan_next(seq, ARTICLE_POLICY, scenario.holidays_for)

    assert plan.status is status
    assert plan.notes == ()


@PROPERTY
@given(data=st.data(), scenario=scenarios(), policy=policies)
def test_the_same_inputs_give_the_same_plan(
    data: st.DataObject, scenario: Scenario, policy: Policy
) -> None:
    notes = data.draw(histories(scenario))
    shuffled = data.draw(st.permutations(notes))

    first = plan_next(scenario.sequence(notes), policy, scenario.holidays_for)

    assert plan_next(scenario.sequence(notes), policy, scenario.holidays_for) == first
    assert plan_next(scenario.sequence(tuple(shuffled)), policy, scenario.holidays_for) == first


MACHINE_ZONES = ("Pacific/Chatham", "UTC", "America/St_Johns", "Asia/Kathmandu")


@settings(max_examples=50, deadline=None)
@given(data=st.data(), scenario=scenarios())
def test_the_plan_does_not_depend_on_the_machine_zone(
    data: st.DataObject, scenario: Scenario
) -> None:
    seq = scenario.sequence(data.draw(histories(scenario)))
    saved = os.environ.get("TZ")
    plans = []
    try:
        for machine_zone in MACHINE_ZONES:
            os.environ["TZ"] = machine_zone
            systime.tzset()
            plans.append(plan_next(seq, ARTICLE_POLICY, scenario.holidays_for))
    finally:
        if saved is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = saved
        systime.tzset()
    assert all(p == plans[0] for p in plans)


@PROPERTY
@given(due=instants, offset=st.timedeltas(timedelta(days=-10), timedelta(days=10)))
def test_agenda_state_follows_the_clock(due: datetime, offset: timedelta) -> None:
    state = agenda_state(due, due + offset, ARTICLE_POLICY)

    if offset < timedelta(0):
        assert state is AgendaState.UPCOMING
    elif offset < ARTICLE_POLICY.overdue_after:
        assert state is AgendaState.DUE
    else:
        assert state is AgendaState.OVERDUE


# --- stateful: a user working through a sequence --------------------------------------------


class MachineClock:
    """The machine's clock: whole seconds, as the system clock gives them."""

    def __init__(self, instant: datetime) -> None:
        self.instant = instant.replace(microsecond=0)

    def now(self) -> datetime:
        return self.instant


class FollowUpMachine(RuleBasedStateMachine):
    """Plan, send at a random time after the due time, crash, bounce, reply, wait.

    Plans are applied by the app itself: `services.replan` on a real (in-memory SQLite)
    store, which adds new notes as pending, reschedules moved ones, cancels stale pending
    ones and updates the status. Sends go through the store's claim and finish, as the
    sending use-case's do.
    """

    def __init__(self) -> None:
        super().__init__()
        self.attempted_at: dict[int, datetime] = {}
        self.replied_at: datetime | None = None

    @initialize(scenario=scenarios(), policy=policies)
    def begin(self, scenario: Scenario, policy: Policy) -> None:
        self.scenario = scenario
        self.policy = policy
        start = scenario.interview
        self.clock = MachineClock(start.end)
        self.store = store = SqliteStore(":memory:")
        self.ctx = Context(
            store=store,
            clock=self.clock,
            policy=policy,
            user_tz="UTC",
            holidays=scenario.holidays_for,
        )
        with store.transaction():
            app = store.add_application(
                company="Acme", role="Engineer", culture=Culture.OTHER, country=COUNTRY,
                domains=[], now=self.now,
            )  # fmt: skip
            self.iid = store.add_interview(
                application_id=app, start=start.start, duration=start.duration, tz=start.tz,
                now=self.now,
            )  # fmt: skip
            store.set_expect_by(self.iid, start.expect_by)
            store.set_defer_until(self.iid, start.defer_until)
            for person in scenario.interviewers:
                store.add_interviewer(
                    self.iid, NewInterviewer(person.name, person.email, person.tz, person.primary)
                )
        self.replan()

    # -- helpers --

    @property
    def now(self) -> datetime:
        return self.clock.instant

    @now.setter
    def now(self, instant: datetime) -> None:
        self.clock.instant = instant.replace(microsecond=0)

    @property
    def interview(self) -> Interview:
        return services.sequence(self.ctx, self.iid).interview

    @property
    def notes(self) -> dict[int, Note]:
        return {n.id: n for n in self.ctx.store.notes(self.iid)}

    def in_state(self, state: NoteState) -> list[Note]:
        return [n for _, n in sorted(self.notes.items()) if n.state is state]

    def replan(self) -> Plan:
        seq = services.sequence(self.ctx, self.iid)
        plan = services.replan(self.ctx, self.iid)
        check_plan(seq, plan, self.policy, self.scenario.holidays)
        # what is stored now is the plan: its status, its pending notes and their times
        assert self.interview.status is plan.status
        pending = {
            (n.step, n.interviewer_id, n.earliest_at, n.due_at)
            for n in self.in_state(NoteState.PENDING)
        }
        assert pending == {(p.step, p.interviewer_id, p.earliest_at, p.due_at) for p in plan.notes}
        return plan

    def finish(self, note: Note, outcome: NoteState, sent_at: datetime | None) -> None:
        with self.ctx.store.transaction():
            self.ctx.store.finish_note(note.id, outcome, self.now, sent_at=sent_at)

    # -- rules --

    @rule(wait=st.timedeltas(timedelta(0), timedelta(days=30)))
    def let_time_pass_and_replan(self, wait: timedelta) -> None:
        self.now += wait
        for n in self.in_state(NoteState.PENDING):
            state = agenda_state(n.due_at, self.now, self.policy)
            assert (state is AgendaState.UPCOMING) == (self.now < n.due_at)
        # The clock alone changes nothing: replanning is idempotent.
        before, status = self.notes, self.interview.status
        self.replan()
        assert self.notes == before
        assert self.interview.status is status

    def attempt(self, note: Note, late: timedelta, outcome: NoteState) -> None:
        self.now = max(self.now, note.due_at) + late  # only once it is due
        self.attempted_at[note.id] = self.now
        with self.ctx.store.transaction():
            assert self.ctx.store.claim_note(note.id, self.now, "machine")
        self.finish(note, outcome, self.now if outcome is NoteState.SENT else None)
        self.replan()

    @precondition(lambda self: bool(self.in_state(NoteState.PENDING)))
    @rule(data=st.data(), late=st.timedeltas(timedelta(0), timedelta(hours=30)))
    def send_when_due(self, data: st.DataObject, late: timedelta) -> None:
        note = data.draw(st.sampled_from(self.in_state(NoteState.PENDING)))
        self.attempt(note, late, NoteState.SENT)

    @precondition(lambda self: bool(self.in_state(NoteState.PENDING)))
    @rule(data=st.data())
    def send_the_whole_step(self, data: st.DataObject) -> None:
        """Every pending note goes out, each at its own time after it is due."""
        step = self.in_state(NoteState.PENDING)[0].step
        while pending := [n for n in self.in_state(NoteState.PENDING) if n.step == step]:
            late = data.draw(st.timedeltas(timedelta(0), timedelta(days=3)))
            self.attempt(pending[0], late, NoteState.SENT)

    @precondition(lambda self: bool(self.in_state(NoteState.PENDING)))
    @rule(
        data=st.data(),
        late=st.timedeltas(timedelta(0), timedelta(days=12)),
        outcome=st.sampled_from([NoteState.SENT, NoteState.FAILED, NoteState.UNKNOWN]),
    )
    def send_late_or_fail(self, data: st.DataObject, late: timedelta, outcome: NoteState) -> None:
        """Sent days late, or a permanent failure, or a crash mid-send (outcome unknown)."""
        note = data.draw(st.sampled_from(self.in_state(NoteState.PENDING)))
        self.attempt(note, late, outcome)

    @precondition(lambda self: bool(self.in_state(NoteState.UNKNOWN)))
    @rule(data=st.data(), found=st.booleans())
    def reconcile(self, data: st.DataObject, found: bool) -> None:
        """An unknown outcome: found in the Sent folder (sent then) or not (failed)."""
        note = data.draw(st.sampled_from(self.in_state(NoteState.UNKNOWN)))
        if found:
            self.finish(note, NoteState.SENT, self.attempted_at[note.id])
        else:
            self.finish(note, NoteState.FAILED, None)
        self.replan()

    @precondition(lambda self: self.interview.status is Status.WAITING)
    @rule(after=st.timedeltas(timedelta(0), timedelta(days=40)), replies=st.integers(0, 3))
    def maybe_a_reply(self, after: timedelta, replies: int) -> None:
        """The employer answers (one time in four, so that sequences also run their course)."""
        self.now += after
        if replies:
            return
        self.replied_at = self.now
        with self.ctx.store.transaction():
            self.ctx.store.set_status(self.iid, Status.REPLIED, self.now)
        plan = self.replan()  # cancels what was pending
        assert plan.status is Status.REPLIED
        assert plan.notes == ()

    @precondition(lambda self: len(self.scenario.interviewers) > 1)
    @rule(data=st.data())
    def change_the_primary(self, data: st.DataObject) -> None:
        """The user makes another panellist the contact: pending later notes move to them."""
        person = data.draw(st.sampled_from(self.scenario.interviewers))
        assert person.email is not None
        services.set_primary(self.ctx, self.iid, person.email)
        assert [p.id for p in self.ctx.store.interviewers(self.iid) if p.primary] == [
            self.interviewer_id(person)
        ]
        self.replan()

    def interviewer_id(self, person: Interviewer) -> int:
        return next(p.id for p in self.ctx.store.interviewers(self.iid) if p.name == person.name)

    # -- invariants --

    @invariant()
    def at_most_a_thank_you_each_then_one_note_a_step(self) -> None:
        """A panel of N gets at most N thank-yous and then (steps - 1) later notes, unless the
        policy's panel_follow_up is "all" (N notes a step)."""
        sent = self.in_state(NoteState.SENT)
        panel = max(1, len(self.scenario.interviewers))
        later = [n for n in sent if n.step > 1]
        assert len([n for n in sent if n.step == 1]) <= panel
        if self.policy.panel_follow_up is PanelFollowUp.PRIMARY:
            assert len(later) <= self.policy.max_notes - 1
            assert len({n.step for n in later}) == len(later)  # one note a step
        else:
            assert len(later) <= panel * (self.policy.max_notes - 1)

    def teardown(self) -> None:
        if hasattr(self, "ctx"):
            sent = [n.step for n in self.in_state(NoteState.SENT)]
            event(f"ended {self.interview.status.value}, last step sent {max(sent, default=0)}")
            self.store.close()

    @invariant()
    def at_most_max_notes_per_recipient(self) -> None:
        sent = self.in_state(NoteState.SENT)
        for who in {n.interviewer_id for n in sent}:
            steps = [n.step for n in sent if n.interviewer_id == who]
            assert len(steps) == len(set(steps))  # never the same step twice
            assert len(steps) <= self.policy.max_notes
        assert all(n.step <= self.policy.max_notes for n in self.notes.values())

    @invariant()
    def nothing_sent_before_its_time(self) -> None:
        end = self.interview.end
        for n in self.in_state(NoteState.SENT):
            assert n.sent_at is not None
            assert n.sent_at >= n.earliest_at
            if n.step == 1:
                assert n.sent_at >= end + self.policy.step(1).delay
            else:
                previous = [
                    m.sent_at
                    for m in self.in_state(NoteState.SENT)
                    if m.step == n.step - 1 and m.sent_at
                ]
                assert n.sent_at >= max(previous) + self.policy.step(n.step).delay

    @invariant()
    def nothing_after_a_reply_or_the_final(self) -> None:
        if self.interview.status is Status.WAITING:
            return
        assert not self.in_state(NoteState.PENDING)
        if self.interview.status is Status.REPLIED:
            assert self.replied_at is not None
            assert all(at <= self.replied_at for at in self.attempted_at.values())
        if self.interview.status is Status.CLOSED:
            last = max(n.step for n in self.in_state(NoteState.SENT))
            assert last == self.policy.max_notes

    @invariant()
    def pending_notes_belong_to_the_latest_step(self) -> None:
        pending = self.in_state(NoteState.PENDING)
        if pending:
            steps = {n.step for n in pending}
            assert len(steps) == 1
            latest = max(n.step for n in self.notes.values() if n.state is not NoteState.CANCELLED)
            assert steps == {latest}


FollowUpMachine.TestCase.settings = settings(
    max_examples=150, stateful_step_count=30, deadline=None
)
test_follow_up_sequences = FollowUpMachine.TestCase
