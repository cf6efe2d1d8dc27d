"""SequenceStore: applications, interviews, their people and planned notes."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from followup.app.ports import Store
from followup.app.rows import NewInterviewer
from followup.domain.model import Culture, NoteState, Status
from tests.contract.stores import NOW, START, new_interview, planned


class TestSequenceStore:
    def test_round_trip_of_an_interview_keeps_utc_instants_and_zone(self, store: Store) -> None:
        with store.transaction():
            iid = new_interview(store)
        got = store.get_interview(iid)
        assert got is not None
        assert got.start == START and got.start.utcoffset() == timedelta(0)
        assert got.end == START + timedelta(hours=1)
        assert (got.tz, got.round, got.status, got.status_at) == (
            "Europe/Berlin",
            1,
            Status.WAITING,
            NOW,
        )
        app = store.get_application(got.application_id)
        assert app is not None
        assert (app.company, app.culture, app.country, app.domains, app.tone) == (
            "Acme",
            Culture.STARTUP,
            "DE",
            ("acme.example",),
            None,
        )

    def test_what_is_not_there_is_none(self, store: Store) -> None:
        assert store.get_application(1) is None
        assert store.get_interview(1) is None
        assert store.get_note(1) is None
        assert store.list_interviews() == []

    def test_rounds_number_themselves_per_application(self, store: Store) -> None:
        with store.transaction():
            first = new_interview(store)
            app_id = store.get_interview(first).application_id  # type: ignore[union-attr]
            second = store.add_interview(
                application_id=app_id,
                start=START + timedelta(days=7),
                duration=timedelta(minutes=30),
                tz="UTC",
                now=NOW,
                location="Room 4",
            )
            new_interview(store, "Other")
        assert [i.round for i in store.interviews_of_application(app_id)] == [1, 2]
        got = store.get_interview(second)
        assert got is not None and (got.round, got.location) == (2, "Room 4")

    def test_the_latest_round_is_the_highest_numbered(self, store: Store) -> None:
        with store.transaction():
            first = new_interview(store)
            app_id = store.get_interview(first).application_id  # type: ignore[union-attr]
            rounds = [
                store.add_interview(
                    application_id=app_id,
                    start=START + timedelta(days=k),
                    duration=timedelta(hours=1),
                    tz="UTC",
                    now=NOW,
                )
                for k in (1, 2, 5)
            ]
            store.set_status(rounds[0], Status.ADVANCED, NOW)
        latest = store.latest_round(app_id)
        assert latest is not None and (latest.id, latest.round) == (rounds[2], 4)

    def test_what_planning_reads_comes_in_one_read(self, store: Store) -> None:
        """`sequence_rows` (one round trip in PostgreSQL) gives what the single reads give:
        the interview, its application, people and notes, the latest round, the bounced."""
        with store.transaction():
            first = new_interview(store)
            app_id = store.get_interview(first).application_id  # type: ignore[union-attr]
            ada = store.add_interviewer(first, NewInterviewer("Ada", "ada@acme.example"))
            store.add_interviewer(first, NewInterviewer("Bob", "bob@acme.example"))
            store.add_note(first, planned(1, who=ada), NOW)
            store.add_note(first, planned(2, NOW + timedelta(days=3), who=ada), NOW)
            store.flag_bounced(ada, NOW)
            later = store.add_interview(
                application_id=app_id,
                start=START + timedelta(days=2),
                duration=timedelta(hours=1),
                tz="UTC",
                now=NOW,
            )
            new_interview(store, "Other")
        rows = store.sequence_rows(first)
        assert rows is not None
        assert rows.interview == store.get_interview(first)
        assert rows.application == store.get_application(app_id)
        assert rows.interviewers == store.interviewers(first)
        assert [p.name for p in rows.interviewers] == ["Ada", "Bob"]
        assert rows.notes == store.notes(first) and len(rows.notes) == 2
        assert rows.latest_round == store.latest_round(app_id)
        assert rows.latest_round is not None and rows.latest_round.id == later
        assert rows.bounced == {ada}
        assert store.sequence_rows(later + 100) is None

    def test_rounds_at_finds_the_applications_rounds_at_that_start_only(self, store: Store) -> None:
        with store.transaction():
            first = new_interview(store)
            app_id = store.get_interview(first).application_id  # type: ignore[union-attr]
            other = new_interview(store, "Other")  # another application, the same start
            later = store.add_interview(
                application_id=app_id,
                start=START + timedelta(days=3),
                duration=timedelta(hours=1),
                tz="UTC",
                now=NOW,
            )
        assert [i.id for i in store.rounds_at(app_id, START)] == [first]
        assert [i.id for i in store.rounds_at(app_id, START + timedelta(days=3))] == [later]
        assert store.rounds_at(app_id, START + timedelta(minutes=1)) == []
        other_app = store.get_interview(other).application_id  # type: ignore[union-attr]
        assert [i.id for i in store.rounds_at(other_app, START)] == [other]

    def test_a_failed_transaction_leaves_nothing(self, store: Store) -> None:
        with store.transaction():
            kept = new_interview(store, "Kept")
        with pytest.raises(RuntimeError), store.transaction():
            new_interview(store)
            with store.transaction():  # a nested one joins the outer one
                store.set_status(kept, Status.CLOSED, NOW)
            raise RuntimeError("boom")
        [row] = store.list_interviews()
        assert (row.application.company, row.interview.status) == ("Kept", Status.WAITING)

    def test_notes_move_through_their_states(self, store: Store) -> None:
        with store.transaction():
            iid = new_interview(store)
            ada = store.add_interviewer(
                iid, NewInterviewer("Ada", "ada@acme.example", "Asia/Tokyo")
            )
            note_id = store.add_note(iid, planned(who=ada), NOW)
        [note] = store.notes(iid)
        assert (note.id, note.state, note.interviewer_id) == (note_id, NoteState.PENDING, ada)
        assert store.get_note(note_id) == note
        later = planned(due=NOW + timedelta(days=1), who=ada)
        with store.transaction():
            store.reschedule_note(note_id, later, NOW)
            store.set_note_state(note_id, NoteState.SENT, NOW, sent_at=NOW)
        [note] = store.notes(iid)
        assert (note.state, note.sent_at, note.due_at) == (NoteState.SENT, NOW, later.due_at)
        [person] = store.interviewers(iid)
        assert (person.name, person.email, person.tz) == ("Ada", "ada@acme.example", "Asia/Tokyo")

    def test_an_interviewers_greeting_is_kept_and_cleared(self, store: Store) -> None:
        with store.transaction():
            iid = new_interview(store)
            chen = store.add_interviewer(iid, NewInterviewer("Margaret Chen", "mc@acme.example"))
            ada = store.add_interviewer(iid, NewInterviewer("Ada", "ada@acme.example"))
        assert [p.greet_as for p in store.interviewers(iid)] == [None, None]
        with store.transaction():
            store.set_greeting(chen, "Ms. Chen")
        assert [(p.id, p.greet_as) for p in store.interviewers(iid)] == [
            (chen, "Ms. Chen"),
            (ada, None),
        ]
        with store.transaction():
            store.set_greeting(chen, None)
        assert [p.greet_as for p in store.interviewers(iid)] == [None, None]

    def test_a_rescheduled_note_takes_its_new_step_and_kind(self, store: Store) -> None:
        """Re-planning after a step was dropped renumbers a pending note to its step."""
        with store.transaction():
            iid = new_interview(store)
            note_id = store.add_note(iid, planned(step=3), NOW)
            store.reschedule_note(note_id, planned(step=2)._replace(kind="final"), NOW)
        note = store.get_note(note_id)
        assert note is not None
        assert (note.step, note.kind, note.state) == (2, "final", NoteState.PENDING)

    def test_only_a_pending_note_is_moved_or_rescheduled(self, store: Store) -> None:
        with store.transaction():
            iid = new_interview(store)
            note_id = store.add_note(iid, planned(), NOW)
            store.set_note_state(note_id, NoteState.CANCELLED, NOW)
            store.set_note_state(note_id, NoteState.SENT, NOW, sent_at=NOW)
            store.reschedule_note(note_id, planned(due=NOW + timedelta(days=3)), NOW)
        note = store.get_note(note_id)
        assert note is not None
        assert (note.state, note.sent_at, note.due_at) == (NoteState.CANCELLED, None, NOW)

    def test_notes_come_in_step_order(self, store: Store) -> None:
        with store.transaction():
            iid = new_interview(store)
            third = store.add_note(iid, planned(3), NOW)
            first = store.add_note(iid, planned(1), NOW)
            second = store.add_note(iid, planned(2), NOW)
        assert [n.id for n in store.notes(iid)] == [first, second, third]

    def test_promised_and_deferred_dates_are_kept_and_cleared(self, store: Store) -> None:
        with store.transaction():
            iid = new_interview(store)
            store.set_expect_by(iid, date(2026, 12, 4))
            store.set_defer_until(iid, NOW + timedelta(days=3))
        got = store.get_interview(iid)
        assert got is not None
        assert (got.expect_by, got.defer_until) == (date(2026, 12, 4), NOW + timedelta(days=3))
        with store.transaction():
            store.set_expect_by(iid, None)
            store.set_defer_until(iid, None)
        got = store.get_interview(iid)
        assert got is not None and (got.expect_by, got.defer_until) == (None, None)

    def test_list_filters_by_status_newest_first(self, store: Store) -> None:
        with store.transaction():
            a = new_interview(store, "A", start=START)
            new_interview(store, "B", start=START + timedelta(days=1))
            new_interview(store, "C", start=START - timedelta(days=1))
            store.set_status(a, Status.CLOSED, NOW)
        assert [r.application.company for r in store.list_interviews([Status.CLOSED])] == ["A"]
        assert [r.application.company for r in store.list_interviews()] == ["B", "A", "C"]
        assert [r.application.company for r in store.list_interviews(limit=2)] == ["B", "A"]
        both = store.list_interviews([Status.WAITING, Status.CLOSED])
        assert [r.application.company for r in both] == ["B", "A", "C"]

    def test_list_pages_after_an_interview_in_the_same_order(self, store: Store) -> None:
        with store.transaction():
            a = new_interview(store, "A", start=START)
            b = new_interview(store, "B", start=START + timedelta(days=1))
            a2 = new_interview(store, "A2", start=START)  # the same start as A: id decides
            new_interview(store, "C", start=START - timedelta(days=1))
            store.set_status(a, Status.CLOSED, NOW)

        def page(**kw: Any) -> list[str]:
            return [r.application.company for r in store.list_interviews(**kw)]

        assert page() == ["B", "A2", "A", "C"]
        assert page(after=b, limit=2) == ["A2", "A"]
        assert page(after=a2) == ["A", "C"]
        assert page(after=a2, statuses=[Status.WAITING]) == ["C"]
        assert page(after=a) == ["C"]
