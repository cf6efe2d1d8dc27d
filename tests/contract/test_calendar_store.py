"""CalendarStore: invitations found again by UID, moved, and notes published as reminders."""

from __future__ import annotations

from datetime import timedelta

from followup.app.ports import Store
from followup.app.rows import NewInterviewer
from followup.domain.model import Culture, NoteKind, NoteState, Status
from tests.contract.stores import NOW, START, new_interview, planned


class TestCalendarStore:
    def test_an_invitation_finds_its_interview_again_by_uid(self, store: Store) -> None:
        with store.transaction():
            iid = new_interview(store)
            new_interview(store, "Other")
            store.set_ics(iid, "uid-1@cal.example", 0)
        assert store.interview_by_ics_uid("uid-1@cal.example") == (iid, 0)
        assert store.interview_by_ics_uid("uid-2@cal.example") is None
        with store.transaction():
            store.set_ics(iid, "uid-1@cal.example", 3)
        assert store.interview_by_ics_uid("uid-1@cal.example") == (iid, 3)

    def test_a_moved_interview_has_its_new_time_and_place(self, store: Store) -> None:
        with store.transaction():
            iid = new_interview(store)
            store.move_interview(
                iid,
                start=START + timedelta(days=1),
                duration=timedelta(minutes=45),
                tz="Asia/Tokyo",
                location="Room 2",
                description=None,
            )
        got = store.get_interview(iid)
        assert got is not None
        assert (got.start, got.duration, got.tz, got.location, got.round) == (
            START + timedelta(days=1),
            timedelta(minutes=45),
            "Asia/Tokyo",
            "Room 2",
            1,
        )

    def test_an_application_is_found_by_company_and_role_ignoring_case(self, store: Store) -> None:
        with store.transaction():
            first = store.add_application(
                company="Acme", role="Engineer", culture=Culture.OTHER, country=None,
                domains=(), now=NOW,
            )  # fmt: skip
            newer = store.add_application(
                company="ACME", role="engineer", culture=Culture.OTHER, country=None,
                domains=(), now=NOW,
            )  # fmt: skip
            store.add_application(
                company="Acme", role="Manager", culture=Culture.OTHER, country=None,
                domains=(), now=NOW,
            )  # fmt: skip
        found = store.find_application("acme", "ENGINEER")
        assert found is not None and found.id == newer != first
        assert store.find_application("Acme", "Designer") is None

    def test_every_application_of_a_job_is_found_newest_first(self, store: Store) -> None:
        ids = []
        with store.transaction():
            for company, role in (("Acme", "Backend Engineer"), ("ACME", "backend  engineer"),
                                  ("Acme", "Manager")):  # fmt: skip
                ids.append(store.add_application(
                    company=company, role=role, culture=Culture.OTHER, country=None,
                    domains=(), now=NOW,
                ))  # fmt: skip
        found = store.find_applications("acme", " Backend Engineer ")
        assert [a.id for a in found] == [ids[1], ids[0]]
        assert store.find_applications("Acme", "Designer") == []

    def test_an_applications_rounds_between_two_instants_in_time_order(self, store: Store) -> None:
        with store.transaction():
            first = new_interview(store)
            app = store.get_interview(first).application_id  # type: ignore[union-attr]
            ids = {}
            for hours in (5, 2, 9):  # added out of time order
                ids[hours] = store.add_interview(
                    application_id=app, start=START + timedelta(hours=hours),
                    duration=timedelta(hours=1), tz="UTC", now=NOW,
                )  # fmt: skip
            store.set_status(ids[9], Status.CANCELLED, NOW)
        got = store.rounds_between(app, START, START + timedelta(hours=9))
        assert [r.id for r in got] == [ids[2], ids[5]]  # not the start itself, not cancelled
        assert [r.id for r in store.rounds_between(app, START - timedelta(1), START)] == [first]

    def test_the_rounds_held_say_whom_each_met_by_address(self, store: Store) -> None:
        """planner.overtaken's facts: someone with no address (CSV: "Bob") or taken off the
        panel meets nobody again; a cancelled round is none (the memory store, the CSV
        import's staging, failed on the first)."""
        with store.transaction():
            first = new_interview(store)
            app = store.get_interview(first).application_id  # type: ignore[union-attr]
            store.add_interviewer(first, NewInterviewer("Ada", "Ada@Acme.example"))
            store.add_interviewer(first, NewInterviewer("Bob", None))
            gone = store.add_interviewer(first, NewInterviewer("Cy", "cy@acme.example"))
            store.remove_interviewer(gone, NOW)
            later = store.add_interview(
                application_id=app, start=START + timedelta(days=2),
                duration=timedelta(hours=1), tz="UTC", now=NOW,
            )  # fmt: skip
            store.add_interviewer(later, NewInterviewer("Dee", "dee@acme.example"))
            store.set_status(later, Status.CANCELLED, NOW)
        held = store.rounds_held([app])[app]
        assert [(r.start, r.people) for r in held] == [(START, frozenset({"ada@acme.example"}))]

    def test_domains_are_added_once_in_lower_case(self, store: Store) -> None:
        with store.transaction():
            iid = new_interview(store)
            app_id = store.get_interview(iid).application_id  # type: ignore[union-attr]
            store.add_domains(app_id, ["Acme.Example", "jobs.acme.example"])
            store.add_domains(app_id, ["jobs.acme.example"])
        app = store.get_application(app_id)
        assert app is not None and app.domains == ("acme.example", "jobs.acme.example")

    def test_the_install_id_is_made_once(self, store: Store) -> None:
        with store.transaction():
            assert store.calendar_install_id("first", NOW) == "first"
        with store.transaction():
            assert store.calendar_install_id("second", NOW) == "first"

    def test_the_feed_shows_open_notes_and_every_note_once_published(self, store: Store) -> None:
        with store.transaction():
            iid = new_interview(store)
            ada = store.add_interviewer(iid, NewInterviewer("Ada", "ada@acme.example"))
            shown = store.add_note(iid, planned(1, due=NOW - timedelta(hours=1), who=ada), NOW)
            pending = store.add_note(iid, planned(2, due=NOW + timedelta(days=7)), NOW)
            hidden = store.add_note(iid, planned(3, due=NOW), NOW)
            store.set_note_state(hidden, NoteState.CANCELLED, NOW)  # never published
            store.record_published(shown, NOW - timedelta(hours=1), "open", 0, NOW)
            store.set_note_state(shown, NoteState.SENT, NOW, sent_at=NOW)
        with store.transaction():  # read from a cursor: inside the transaction that uses it
            first, second = store.feed_notes()
        assert (first.note_id, second.note_id) == (shown, pending)
        assert first == first._replace(
            interview_id=iid,
            step=1,
            kind=NoteKind.THANK_YOU,
            state=NoteState.SENT,
            due_at=NOW - timedelta(hours=1),
            sent_at=NOW,
            interviewer_name="Ada",
            interviewer_email="ada@acme.example",
            company="Acme",
            role="Engineer",
            interview_start=START,
            interview_tz="Europe/Berlin",
            published_due=NOW - timedelta(hours=1),
            published_status="open",
            published_sequence=0,
            published_at=NOW,
        )
        assert (second.interviewer_name, second.published_status) == (None, None)
        with store.transaction():
            store.record_published(shown, NOW, "done", 1, NOW + timedelta(hours=1))
        with store.transaction():
            first = next(iter(store.feed_notes()))
        assert (first.published_status, first.published_sequence, first.published_at) == (
            "done",
            1,
            NOW + timedelta(hours=1),
        )
