"""HistoryStore: each interview's events, and putting its rows back as they were."""

from __future__ import annotations

from datetime import timedelta

from followup.app.ports import Store
from followup.app.rows import NewInterviewer
from followup.domain.model import NoteState, Status
from tests.contract.stores import NOW, new_interview, planned


class TestHistoryStore:
    def test_events_come_back_oldest_first_with_what_they_said(self, store: Store) -> None:
        with store.transaction():
            iid = new_interview(store)
            other = new_interview(store, "Other")
            store.add_event(iid, NOW, "cli", "added", "added: Acme", {"round": 1}, None)
            prior = store.interview_state(iid)
            second = store.add_event(iid, NOW, "web", "sent", "recorded", None, prior)
            store.add_event(other, NOW, "sync", "replied", "they replied", None, None)
        got = store.events(iid)
        assert [(e.kind, e.source, e.summary, e.undoable) for e in got] == [
            ("added", "cli", "added: Acme", False),
            ("sent", "web", "recorded", True),
        ]
        assert got[0].detail == {"round": 1} and got[0].at == NOW
        assert store.prior_state(second) == prior

    def test_an_event_s_prior_state_can_be_replaced(self, store: Store) -> None:
        with store.transaction():
            iid = new_interview(store)
            event = store.add_event(iid, NOW, "cli", "replied", "r", None, {})
            now = store.interview_state(iid)
            store.set_prior_state(event, now)
        assert store.prior_state(event) == now and store.events(iid)[0].undoable

    def test_the_last_event_skips_undone_ones_and_undos(self, store: Store) -> None:
        with store.transaction():
            iid = new_interview(store)
            first = store.add_event(iid, NOW, "cli", "added", "a", None, None)
            second = store.add_event(iid, NOW, "cli", "expected", "b", None, {})
            undo = store.add_event(iid, NOW, "cli", "undo", "undid: b", None, None)
            store.set_undone(second, undo)
            store.add_event(iid, NOW, "cli", "noted", "company: A → B", None, None)
        last = store.last_event(iid, ("undo", "noted"))
        assert last is not None and last.id == first
        assert [e.undone_by for e in store.events(iid)] == [None, undo, None, None]

    def test_putting_a_state_back_restores_rows_and_removes_later_ones(self, store: Store) -> None:
        with store.transaction():
            iid = new_interview(store)
            ada = store.add_interviewer(iid, NewInterviewer("Ada", "ada@acme.example"))
            note = store.add_note(iid, planned(1, NOW, ada), NOW)
            store.add_debrief(
                interview_id=iid, interviewer_id=ada, topic="billing", skill=None, now=NOW
            )
            prior = store.interview_state(iid)
            # then: the note recorded as sent, a reply, a new person, a later step, a move
            store.set_note_state(note, NoteState.SENT, NOW, sent_at=NOW)
            store.add_note(iid, planned(2, NOW + timedelta(days=7), ada), NOW)
            bob = store.add_interviewer(iid, NewInterviewer("Bob", "bob@acme.example"))
            store.add_inbound(interview_id=iid, classification="human", received_at=NOW, now=NOW)
            store.set_status(iid, Status.REPLIED, NOW)
            store.set_expect_by(iid, NOW.date())
            store.put_interview_state(iid, prior)
        assert store.interview_state(iid) == prior
        assert [(n.id, n.state) for n in store.notes(iid)] == [(note, NoteState.PENDING)]
        assert [p.id for p in store.interviewers(iid)] == [ada]
        assert bob not in {p.id for p in store.interviewers(iid)}
        got = store.get_interview(iid)
        assert got is not None and (got.status, got.expect_by) == (Status.WAITING, None)
        assert store.inbound(iid) == []
        assert [d["topic"] for d in store.debriefs(iid)] == ["billing"]

    def test_a_state_put_back_never_brings_an_approval(self, store: Store) -> None:
        with store.transaction():
            iid = new_interview(store)
            note = store.add_note(iid, planned(1, NOW), NOW)
            store.approve_note(note, NOW, "digest", "Ada <ada@acme.example>", "message", "seal")
            prior = store.interview_state(iid)
            store.put_interview_state(iid, prior)
        assert store.approval(note) is None
        assert all("approved" not in k for row in prior["notes"] for k in row)

    def test_someone_removed_stays_as_history(self, store: Store) -> None:
        with store.transaction():
            iid = new_interview(store)
            ada = store.add_interviewer(iid, NewInterviewer("Ada", "ada@acme.example", None, True))
            typo = store.add_interviewer(iid, NewInterviewer("Bo", "bo@acme.example"))
            store.remove_interviewer(ada, NOW)
            store.delete_interviewer(typo)
        (person,) = store.interviewers(iid)
        assert (person.id, person.removed, person.primary) == (ada, True, False)


class TestApplicationsStore:
    def test_the_newest_applications_first_with_their_last_round(self, store: Store) -> None:
        with store.transaction():
            first = new_interview(store, "Acme")
            interview = store.get_interview(first)
            assert interview is not None
            store.add_interview(
                application_id=interview.application_id,
                start=NOW,
                duration=timedelta(hours=1),
                tz="UTC",
                now=NOW,
            )
            new_interview(store, "Globex")
            new_interview(store, "Initech")
        rows = store.applications(2)
        assert [(r.application.company, r.rounds) for r in rows] == [
            ("Initech", 1),
            ("Globex", 1),
        ]
        assert [(r.application.company, r.rounds) for r in store.applications(10)][-1] == (
            "Acme",
            2,
        )
