"""AgendaStore: open sequences ranked by risk, counted, and what ended lately."""

from __future__ import annotations

from datetime import timedelta

from followup.app.ports import Store
from followup.app.rows import NewInterviewer
from followup.domain.model import NoteKind, NoteState, Status
from followup.domain.planner import risk_cutoffs
from followup.domain.policy import ARTICLE_POLICY
from tests.contract.stores import NOW, START, new_interview, planned


class TestAgendaStore:
    def test_agenda_ranks_open_sequences_by_risk(self, store: Store) -> None:
        with store.transaction():
            upcoming = new_interview(store, "Upcoming")
            store.set_next(upcoming, 1, "thank-you", NOW + timedelta(hours=5))
            due = new_interview(store, "Due")
            store.set_next(due, 2, "follow-up", NOW - timedelta(hours=1))
            overdue = new_interview(store, "Overdue")
            store.set_next(overdue, 2, "follow-up", NOW - timedelta(days=3))
            fading = new_interview(store, "Fading", start=NOW - timedelta(days=9))
            store.set_next(fading, 1, "thank-you", NOW - timedelta(days=1))
            replied = new_interview(store, "Replied")
            store.set_next(replied, 1, "thank-you", NOW - timedelta(days=5))
            store.set_status(replied, Status.REPLIED, NOW)
            done = new_interview(store, "Nothing next")
            store.set_next(done, None, None, None)
        cutoffs = risk_cutoffs(NOW, ARTICLE_POLICY)
        page = store.agenda_page(cutoffs, None)
        assert [r.company for r in page] == ["Fading", "Overdue", "Due", "Upcoming"]
        assert store.agenda_counts(cutoffs) == (1, 1, 1, 1)
        assert [r.company for r in store.agenda_page(cutoffs, 2)] == ["Fading", "Overdue"]
        row = page[2]
        assert (row.interview_id, row.step, row.kind, row.due_at) == (
            due,
            2,
            NoteKind.FOLLOW_UP,
            NOW - timedelta(hours=1),
        )
        assert (row.interview_start, row.interview_end, row.tz, row.role) == (
            START,
            START + timedelta(hours=1),
            "Europe/Berlin",
            "Engineer",
        )

    def test_agenda_page_of_one_class_only(self, store: Store) -> None:
        """Today's count chips filter the list: one class's rows, in their order, paged."""
        with store.transaction():
            upcoming = new_interview(store, "Upcoming")
            store.set_next(upcoming, 1, "thank-you", NOW + timedelta(hours=5))
            later = new_interview(store, "Later")
            store.set_next(later, 2, "follow-up", NOW + timedelta(days=9))
            due = new_interview(store, "Due")
            store.set_next(due, 2, "follow-up", NOW - timedelta(hours=1))
            fading = new_interview(store, "Fading", start=NOW - timedelta(days=9))
            store.set_next(fading, 1, "thank-you", NOW - timedelta(days=1))
        cutoffs = risk_cutoffs(NOW, ARTICLE_POLICY)
        names = [[r.company for r in store.agenda_page(cutoffs, None, k)] for k in range(4)]
        assert names == [["Fading"], [], ["Due"], ["Upcoming", "Later"]]
        assert [r.company for r in store.agenda_page(cutoffs, 1, 3)] == ["Upcoming"]

    def test_agenda_rows_carry_the_round(self, store: Store) -> None:
        with store.transaction():
            first = new_interview(store, "Acme")
            app_id = store.get_interview(first).application_id  # type: ignore[union-attr]
            second = store.add_interview(
                application_id=app_id,
                start=START + timedelta(days=3),
                duration=timedelta(hours=1),
                tz="Europe/Berlin",
                now=NOW,
            )
            store.set_next(first, 1, "thank-you", NOW + timedelta(hours=1))
            store.set_next(second, 1, "thank-you", NOW + timedelta(hours=2))
        rows = store.agenda_page(risk_cutoffs(NOW, ARTICLE_POLICY), None)
        assert [(r.interview_id, r.round) for r in rows] == [(first, 1), (second, 2)]

    def test_within_a_class_the_earliest_due_comes_first(self, store: Store) -> None:
        with store.transaction():
            later = new_interview(store, "Later")
            store.set_next(later, 2, "follow-up", NOW + timedelta(hours=9))
            sooner = new_interview(store, "Sooner")
            store.set_next(sooner, 2, "follow-up", NOW + timedelta(hours=2))
        page = store.agenda_page(risk_cutoffs(NOW, ARTICLE_POLICY), None)
        assert [r.company for r in page] == ["Sooner", "Later"]

    def test_agenda_names_the_pending_recipients_and_whether_all_are_approved(
        self, store: Store
    ) -> None:
        with store.transaction():
            iid = new_interview(store)
            a = store.add_interviewer(iid, NewInterviewer("Ada", "ada@acme.example"))
            b = store.add_interviewer(iid, NewInterviewer("Bob", "bob@acme.example"))
            pending = store.add_note(iid, planned(who=a), NOW)
            sent = store.add_note(iid, planned(who=b), NOW)
            store.set_note_state(sent, NoteState.SENT, NOW, sent_at=NOW)
            store.set_next(iid, 1, "thank-you", NOW)
        cutoffs = risk_cutoffs(NOW, ARTICLE_POLICY)
        [row] = store.agenda_page(cutoffs, 10)
        assert (row.recipients, row.scheduled) == (("Ada",), False)
        with store.transaction():
            store.approve_note(pending, NOW, "digest")
        [row] = store.agenda_page(cutoffs, 10)
        assert row.scheduled

    def test_recently_ended_is_newest_first_and_only_since(self, store: Store) -> None:
        with store.transaction():
            old, replied, closed, cancelled = (new_interview(store, c) for c in "ABCD")
            store.set_status(old, Status.REPLIED, NOW - timedelta(days=30))
            store.set_status(replied, Status.REPLIED, NOW - timedelta(days=2))
            store.set_status(closed, Status.CLOSED, NOW - timedelta(days=1))
            store.set_status(cancelled, Status.CANCELLED, NOW)
        ended = store.recently_ended(NOW - timedelta(days=14), 10)
        assert [(e.company, e.status, e.at) for e in ended] == [
            ("C", Status.CLOSED, NOW - timedelta(days=1)),
            ("B", Status.REPLIED, NOW - timedelta(days=2)),
        ]
        assert len(store.recently_ended(NOW - timedelta(days=14), 1)) == 1

    def test_failed_notes_of_open_sequences_latest_first(self, store: Store) -> None:
        """Today's "Now" lists them (a recipient refused: Try again); the board's card too."""
        with store.transaction():
            first, second, ended = (new_interview(store, c) for c in ("Acme", "Beta", "Gone"))
            a = store.add_interviewer(first, NewInterviewer("Alan", "alan@acme.example"))
            b = store.add_interviewer(second, NewInterviewer("Bea", "bea@beta.example"))
            older = store.add_note(first, planned(who=a), NOW)
            newer = store.add_note(second, planned(who=b), NOW)
            gone = store.add_note(ended, planned(), NOW)
            fine = store.add_note(first, planned(step=2, who=a), NOW)
            for note, at in ((older, NOW), (newer, NOW + timedelta(minutes=5)), (gone, NOW)):
                store.finish_note(note, NoteState.FAILED, at, error="550 no such user")
            store.set_status(ended, Status.CANCELLED, NOW)
        rows = store.failed_notes(10)
        assert [(r.company, r.name, r.email, r.kind, r.error) for r in rows] == [
            ("Beta", "Bea", "bea@beta.example", "thank-you", "550 no such user"),
            ("Acme", "Alan", "alan@acme.example", "thank-you", "550 no such user"),
        ]
        assert rows[0].at == NOW + timedelta(minutes=5)
        assert len(store.failed_notes(1)) == 1
        assert store.failed_recipients([first, second, 999]) == {
            first: [("thank-you", a)],
            second: [("thank-you", b)],
        }
        assert fine not in {older, newer}

    def test_a_note_failed_by_a_bounce_is_not_offered_again(self, store: Store) -> None:
        """A cold trial (session 16): Today said "not delivered … Try again" for the note to
        an address that bounced (the next panellist already had it); `retry` refused."""
        with store.transaction():
            iid = new_interview(store, "Acme")
            a = store.add_interviewer(iid, NewInterviewer("Alan", "alan@acme.example"))
            b = store.add_interviewer(iid, NewInterviewer("Bea", "bea@acme.example"))
            for who in (a, b):
                note = store.add_note(iid, planned(who=who), NOW)
                store.finish_note(note, NoteState.FAILED, NOW, error="550 no such user")
            store.flag_bounced(a, NOW)
        assert [r.name for r in store.failed_notes(10)] == ["Bea"]

    def test_bounced_panellists_of_open_sequences_latest_first(self, store: Store) -> None:
        """Today's "Now" names them: no note reaches them until the address is put right."""
        with store.transaction():
            first, second, ended = (new_interview(store, c) for c in ("Acme", "Beta", "Gone"))
            a = store.add_interviewer(first, NewInterviewer("Alan", "alan@acme.example"))
            store.add_interviewer(first, NewInterviewer("Amy", "amy@acme.example"))
            gone = store.add_interviewer(first, NewInterviewer("Abe", "abe@acme.example"))
            b = store.add_interviewer(second, NewInterviewer("Bea", "bea@beta.example"))
            c = store.add_interviewer(ended, NewInterviewer("Cy", "cy@gone.example"))
            store.flag_bounced(a, NOW)
            store.flag_bounced(b, NOW + timedelta(minutes=5))
            store.flag_bounced(c, NOW)
            store.flag_bounced(gone, NOW)
            store.remove_interviewer(gone, NOW)
            store.set_status(ended, Status.CANCELLED, NOW)
        rows = store.bounced_people(10)
        assert [(r.interview_id, r.company, r.name, r.email, r.at) for r in rows] == [
            (second, "Beta", "Bea", "bea@beta.example", NOW + timedelta(minutes=5)),
            (first, "Acme", "Alan", "alan@acme.example", NOW),
        ]
        assert [r.name for r in store.bounced_people(1)] == ["Bea"]

    def test_a_dismissed_failed_note_leaves_now_and_the_card_until_it_is_finished_again(
        self, store: Store
    ) -> None:
        """Let go from the page: still failed, off the lists; undo (the rows put back) or a
        new attempt (finish_note) brings it back."""
        with store.transaction():
            iid = new_interview(store, "Acme")
            a = store.add_interviewer(iid, NewInterviewer("Alan", "alan@acme.example"))
            note = store.add_note(iid, planned(who=a), NOW)
            store.finish_note(note, NoteState.FAILED, NOW, error="550 no such user")
            before = store.interview_state(iid)
            store.dismiss_notes([note], NOW)
        assert store.failed_notes(10) == [] and store.failed_recipients([iid]) == {}
        assert [n.state for n in store.notes(iid)] == [NoteState.FAILED]
        with store.transaction():
            store.put_interview_state(iid, before)  # what undo does
        assert [r.name for r in store.failed_notes(10)] == ["Alan"]
        with store.transaction():
            store.dismiss_notes([note], NOW)
            store.finish_note(note, NoteState.PENDING, NOW)
            store.finish_note(note, NoteState.FAILED, NOW, error="550 again")
        assert [r.error for r in store.failed_notes(10)] == ["550 again"]
