"""Issue #14's quality bar: random sequences of add/edit/move/sent/replied/expect/cancel/
reopen/undo through the real use-cases (SQLite in memory), checked after every step:

- the stored state is what a fresh re-plan gives (re-planning changes nothing);
- `undo` right after any action (repeatedly: a stack) restores the state before it exactly;
- an action that fails changes nothing;
- no note is pending once the sequence ended, none is due before its rule (48 h after the
  interview for the thank-you), and there are never more steps than the policy's.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from followup.adapters.store.sqlite import SqliteStore
from followup.app import editing, history, services
from followup.app.context import Context
from followup.app.errors import FollowupError
from followup.app.rows import NewInterviewer
from followup.domain.model import NoteState, Status
from followup.domain.policy import ARTICLE_POLICY, PanelFollowUp
from followup.domain.workdays import no_holidays

START = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
PEOPLE = [
    NewInterviewer("Ada Lovelace", "ada@acme.example"),
    NewInterviewer("Bob Stone", "bob@acme.example"),
    NewInterviewer("Chidi Okafor", "chidi@acme.example"),
]


class Clock:
    def __init__(self, instant: datetime) -> None:
        self.instant = instant

    def now(self) -> datetime:
        return self.instant


class HistoryMachine(RuleBasedStateMachine):
    @initialize(panel=st.integers(1, 2))
    def begin(self, panel: int) -> None:
        self.clock = Clock(START + timedelta(hours=3))
        self.store = SqliteStore(":memory:")
        self.ctx = Context(
            store=self.store,
            clock=self.clock,
            policy=ARTICLE_POLICY,
            user_tz="UTC",
            holidays=lambda _country: no_holidays,
        )
        added = services.add_interview(
            self.ctx,
            services.NewInterview(
                company="Acme", role="SRE", start=START, tz="Europe/London",
                interviewers=PEOPLE[:panel],
            ),
        )  # fmt: skip
        self.iid = added.interview_id
        self.undoable: list[Any] = []  # the state before each action still undoable

    # -- helpers --

    def state(self) -> Any:
        return self.store.interview_state(self.iid)

    def act(self, action: Any) -> None:
        """Run an action; if it is refused, nothing may have changed."""
        before = self.state()
        try:
            action()
        except FollowupError:
            assert self.state() == before, "a refused action changed the data"
            return
        self.undoable.append(before)

    def interview(self) -> Any:
        return services.find_interview(self.ctx, self.iid)

    # -- rules --

    @rule(hours=st.integers(1, 24 * 20))
    def time_passes(self, hours: int) -> None:
        self.clock.instant += timedelta(hours=hours)

    @rule()
    def record_sent(self) -> None:
        pending = [n for n in self.store.notes(self.iid) if n.state is NoteState.PENDING]
        if pending and all(n.earliest_at <= self.clock.instant for n in pending):
            self.act(lambda: services.mark_sent(self.ctx, self.iid))

    @rule(who=st.sampled_from(PEOPLE))
    def record_sent_to_one(self, who: NewInterviewer) -> None:
        pending = [n for n in self.store.notes(self.iid) if n.state is NoteState.PENDING]
        if pending and all(n.earliest_at <= self.clock.instant for n in pending):
            self.act(lambda: services.mark_sent(self.ctx, self.iid, email=who.email))

    @rule()
    def replied(self) -> None:
        self.act(lambda: services.mark_replied(self.ctx, self.iid))

    @rule(days=st.integers(1, 30))
    def expect(self, days: int) -> None:
        by = (self.clock.instant + timedelta(days=days)).date()
        self.act(lambda: services.expect(self.ctx, self.iid, by))

    @rule()
    def cancel(self) -> None:
        self.act(lambda: services.cancel(self.ctx, self.iid))

    @rule()
    def reopen(self) -> None:
        self.act(lambda: history.reopen(self.ctx, self.iid))

    @rule(hours=st.integers(-48, 48))
    def move(self, hours: int) -> None:
        start = self.interview().start + timedelta(hours=hours)
        self.act(lambda: editing.edit(self.ctx, self.iid, editing.Changes(start=start)))

    @rule(who=st.sampled_from(PEOPLE))
    def add_person(self, who: NewInterviewer) -> None:
        self.act(lambda: editing.edit(self.ctx, self.iid, editing.Changes(add=[who])))

    @rule(who=st.sampled_from(PEOPLE))
    def remove_person(self, who: NewInterviewer) -> None:
        remove = [who.email or ""]
        self.act(lambda: editing.edit(self.ctx, self.iid, editing.Changes(remove=remove)))

    @rule(panel=st.sampled_from(list(PanelFollowUp)))
    def the_user_changes_the_panel_policy(self, panel: PanelFollowUp) -> None:
        """config.toml changed: every open interview is planned again (a new baseline, so
        what was undoable before is compared no more)."""
        self.ctx = self.ctx._replace(policy=self.ctx.policy._replace(panel_follow_up=panel))
        services.follow_policy_change(self.ctx)
        self.undoable.clear()

    @precondition(lambda self: bool(self.undoable))
    @rule()
    def undo(self) -> None:
        expected = self.undoable.pop()
        history.undo(self.ctx, self.iid)
        assert self.state() == expected, "undo did not restore the state before the action"

    # -- invariants --

    @invariant()
    def a_fresh_replan_changes_nothing(self) -> None:
        before = self.state()
        services.replan(self.ctx, self.iid)
        assert self.state() == before

    @invariant()
    def notes_follow_the_rules(self) -> None:
        interview = self.interview()
        notes = self.store.notes(self.iid)
        pending = [n for n in notes if n.state is NoteState.PENDING]
        if interview.status is not Status.WAITING:
            assert not pending
        for note in pending:
            assert note.due_at >= note.earliest_at
            if note.step == 1:
                assert note.earliest_at >= interview.end + timedelta(hours=48)
        assert max((n.step for n in notes), default=0) <= len(ARTICLE_POLICY.active_steps)
        live = [p.id for p in self.store.interviewers(self.iid) if not p.removed]
        assert all(n.interviewer_id in live for n in pending)

    def teardown(self) -> None:
        store = getattr(self, "store", None)
        if store is not None:
            store.close()


HistoryMachine.TestCase.settings = settings(max_examples=80, stateful_step_count=30, deadline=None)
test_history_machine = HistoryMachine.TestCase
