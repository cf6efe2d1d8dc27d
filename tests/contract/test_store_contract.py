"""The Store port's behaviours, run against every adapter: SQLite, and PostgreSQL (one tenant).

Each adapter gets the same class through its own factory fixture.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from followup.app.ports import Store
from followup.app.rows import NewInterviewer
from followup.domain.model import Culture, NoteKind, NoteState, Status
from followup.domain.planner import PlannedNote, risk_cutoffs
from followup.domain.policy import ARTICLE_POLICY

pytest_plugins = ["tests.integration.postgres"]  # `postgres_url`: a fresh database per test

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
START = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)


def new_interview(store: Store, company: str = "Acme", start: datetime = START) -> int:
    app_id = store.add_application(
        company=company,
        role="Engineer",
        culture=Culture.STARTUP,
        country="DE",
        domains=["acme.example"],
        now=NOW,
    )
    return store.add_interview(
        application_id=app_id, start=start, duration=timedelta(hours=1), tz="Europe/Berlin", now=NOW
    )


def planned(step: int = 1, due: datetime = NOW, who: int | None = None) -> PlannedNote:
    kind = (NoteKind.THANK_YOU, NoteKind.FOLLOW_UP, NoteKind.FINAL)[step - 1]
    return PlannedNote(step, kind, who, due - timedelta(hours=1), due)


class StoreContract:
    """Behaviours every Store must have. Subclasses provide the `store` fixture."""

    def test_round_trip_of_an_interview_keeps_utc_instants_and_zone(self, store: Store) -> None:
        with store.transaction():
            iid = new_interview(store)
        got = store.get_interview(iid)
        assert got is not None
        assert got.start == START and got.start.utcoffset() == timedelta(0)
        assert got.end == START + timedelta(hours=1)
        assert (got.tz, got.round, got.status) == ("Europe/Berlin", 1, Status.WAITING)
        app = store.get_application(got.application_id)
        assert app is not None
        assert (app.company, app.culture, app.country, app.domains) == (
            "Acme",
            Culture.STARTUP,
            "DE",
            ("acme.example",),
        )

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
            )
        assert [i.round for i in store.interviews_of_application(app_id)] == [1, 2]
        assert store.get_interview(second).round == 2  # type: ignore[union-attr]

    def test_a_failed_transaction_leaves_nothing(self, store: Store) -> None:
        with pytest.raises(RuntimeError), store.transaction():
            new_interview(store)
            raise RuntimeError("boom")
        assert store.list_interviews() == []

    def test_notes_move_through_their_states(self, store: Store) -> None:
        with store.transaction():
            iid = new_interview(store)
            ada = store.add_interviewer(
                iid, NewInterviewer("Ada", "ada@acme.example", "Asia/Tokyo")
            )
            note_id = store.add_note(iid, planned(who=ada), NOW)
        [note] = store.notes(iid)
        assert (note.id, note.state, note.interviewer_id) == (note_id, NoteState.PENDING, ada)
        later = planned(due=NOW + timedelta(days=1), who=ada)
        with store.transaction():
            store.reschedule_note(note_id, later, NOW)
            store.set_note_state(note_id, NoteState.SENT, NOW, sent_at=NOW)
        [note] = store.notes(iid)
        assert (note.state, note.sent_at, note.due_at) == (NoteState.SENT, NOW, later.due_at)
        [person] = store.interviewers(iid)
        assert (person.name, person.email, person.tz) == ("Ada", "ada@acme.example", "Asia/Tokyo")

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

    def test_agenda_names_the_pending_recipients(self, store: Store) -> None:
        with store.transaction():
            iid = new_interview(store)
            a = store.add_interviewer(iid, NewInterviewer("Ada", "ada@acme.example"))
            b = store.add_interviewer(iid, NewInterviewer("Bob", "bob@acme.example"))
            store.add_note(iid, planned(who=a), NOW)
            sent = store.add_note(iid, planned(who=b), NOW)
            store.set_note_state(sent, NoteState.SENT, NOW, sent_at=NOW)
            store.set_next(iid, 1, "thank-you", NOW)
        [row] = store.agenda_page(risk_cutoffs(NOW, ARTICLE_POLICY), 10)
        assert row.recipients == ("Ada",)

    def test_promised_and_deferred_dates_are_kept(self, store: Store) -> None:
        with store.transaction():
            iid = new_interview(store)
            store.set_expect_by(iid, date(2026, 12, 4))
            store.set_defer_until(iid, NOW + timedelta(days=3))
        got = store.get_interview(iid)
        assert got is not None
        assert (got.expect_by, got.defer_until) == (date(2026, 12, 4), NOW + timedelta(days=3))

    def test_list_filters_by_status(self, store: Store) -> None:
        with store.transaction():
            a = new_interview(store, "A")
            new_interview(store, "B")
            store.set_status(a, Status.CLOSED, NOW)
        assert [r.application.company for r in store.list_interviews([Status.CLOSED])] == ["A"]
        assert len(store.list_interviews()) == 2

    def test_inbound_keeps_metadata_only(self, store: Store) -> None:
        with store.transaction():
            iid = new_interview(store)
            store.add_inbound(
                interview_id=iid,
                classification="human",
                received_at=NOW,
                now=NOW,
                source="imap",
                message_id="<m1@acme.example>",
                from_addr="ada@acme.example",
                subject="Re: Thank you",
            )
        [msg] = store.inbound(iid)
        assert msg["classification"] == "human" and msg["subject"] == "Re: Thank you"
        assert "body" not in msg

    def test_recently_ended_is_newest_first_and_only_since(self, store: Store) -> None:
        with store.transaction():
            old, replied, closed, cancelled = (new_interview(store, c) for c in "ABCD")
            store.set_status(old, Status.REPLIED, NOW - timedelta(days=30))
            store.set_status(replied, Status.REPLIED, NOW - timedelta(days=2))
            store.set_status(closed, Status.CLOSED, NOW - timedelta(days=1))
            store.set_status(cancelled, Status.CANCELLED, NOW)
        ended = store.recently_ended(NOW - timedelta(days=14), 10)
        assert [(e.company, e.status) for e in ended] == [
            ("C", Status.CLOSED),
            ("B", Status.REPLIED),
        ]

    # --- scheduled sends (followup worker) -----------------------------------------------

    def test_claim_due_takes_only_approved_due_notes_of_waiting_interviews(
        self, store: Store
    ) -> None:
        lease = timedelta(minutes=5)
        with store.transaction():
            iid = new_interview(store)
            later = store.add_note(iid, planned(due=NOW - timedelta(hours=1)), NOW)
            first = store.add_note(iid, planned(due=NOW - timedelta(hours=2)), NOW)
            unapproved = store.add_note(iid, planned(due=NOW - timedelta(hours=3)), NOW)
            not_due = store.add_note(iid, planned(due=NOW + timedelta(hours=1)), NOW)
            replied = new_interview(store, "Replied")
            of_replied = store.add_note(replied, planned(due=NOW - timedelta(hours=4)), NOW)
            for note_id in (later, first, not_due, of_replied):
                assert store.approve_note(note_id, NOW, "digest")
            store.set_status(replied, Status.REPLIED, NOW)
        del unapproved
        got = store.claim_due(NOW, "host:1", lease)
        assert got is not None and got.note.id == first and got.note.state is NoteState.SENDING
        again = store.claim_due(NOW, "host:2", lease)
        assert again is not None and again.note.id == later
        assert store.claim_due(NOW, "host:3", lease) is None
        claims = {note.id: (at, by) for note, at, by in store.claims()}
        assert claims == {first: (NOW, "host:1"), later: (NOW, "host:2")}

    def test_an_approval_is_kept_with_its_digest_and_withdrawn_with_a_reason(
        self, store: Store
    ) -> None:
        with store.transaction():
            iid = new_interview(store)
            note = store.add_note(iid, planned(), NOW)
            assert store.approval(note) is None
            assert store.approve_note(note, NOW, "abc")
        assert store.approval(note) == (NOW, "abc")
        with store.transaction():
            assert store.withdraw_approval(note, NOW, "the draft changed")
            assert not store.withdraw_approval(note, NOW)
        assert store.approval(note) is None
        assert store.last_error(note) == "the draft changed"
        assert store.claim_due(NOW, "host:1", timedelta(minutes=5)) is None
        with store.transaction():
            store.set_note_state(note, NoteState.SENT, NOW, sent_at=NOW)
            assert not store.approve_note(note, NOW, "abc")  # only a pending note

    def test_a_claim_carries_the_message_approved_and_withdrawing_forgets_it(
        self, store: Store
    ) -> None:
        with store.transaction():
            iid = new_interview(store)
            note = store.add_note(iid, planned(due=NOW - timedelta(hours=1)), NOW)
            assert store.approve_note(note, NOW, "d", "Ada <ada@x.example>", "Subject: Hi\r\n")
            assert store.withdraw_approval(note, NOW)
            assert store.approve_note(note, NOW, "d2", "Ada <ada@x.example>", "Subject: Yo\r\n")
        claim = store.claim_due(NOW, "w:1", timedelta(minutes=1))
        assert claim is not None
        assert (claim.note.id, claim.to, claim.message) == (
            note,
            "Ada <ada@x.example>",
            "Subject: Yo\r\n",
        )

    def test_a_claimed_note_is_not_moved_on_by_hand(self, store: Store) -> None:
        with store.transaction():
            iid = new_interview(store)
            note = store.add_note(iid, planned(due=NOW - timedelta(hours=1)), NOW)
            store.approve_note(note, NOW, "d", "Ada <ada@x.example>", "m")
        assert store.claim_due(NOW, "w:1", timedelta(minutes=1)) is not None
        with store.transaction():  # a reply's cancel, or "sent" by hand, read it as pending
            store.set_note_state(note, NoteState.CANCELLED, NOW)
        assert [n.state for n in store.notes(iid)] == [NoteState.SENDING]

    def test_an_expired_lease_makes_the_note_unknown(self, store: Store) -> None:
        with store.transaction():
            iid = new_interview(store)
            a = store.add_note(iid, planned(due=NOW - timedelta(hours=2)), NOW)
            b = store.add_note(iid, planned(due=NOW - timedelta(hours=1)), NOW)
            store.approve_note(a, NOW, "d")
            store.approve_note(b, NOW, "d")
        assert store.claim_due(NOW, "w:1", timedelta(minutes=1)) is not None
        assert store.claim_due(NOW + timedelta(minutes=5), "w:2", timedelta(minutes=10))
        assert store.expire_leases(NOW + timedelta(seconds=30), "gone") == []
        assert store.expire_leases(NOW + timedelta(minutes=2), "gone") == [a]
        assert [n.id for n in store.notes_in_state(NoteState.UNKNOWN)] == [a]
        assert store.last_error(a) == "gone"
        assert [n.id for n, _, _ in store.claims()] == [b]


class TestSqliteStore(StoreContract):
    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[Store]:
        from followup.adapters.store.sqlite import SqliteStore

        s = SqliteStore(tmp_path / "followup.db")
        yield s
        s.close()


@pytest.mark.integration
class TestPostgresStore(StoreContract):
    """The same behaviours on PostgreSQL: tenant 1's schema of a fresh database per test."""

    @pytest.fixture
    def store(self, postgres_url: str) -> Iterator[Store]:
        from followup.adapters.store.postgres import PostgresDatabase

        db = PostgresDatabase(postgres_url, max_size=2)
        s = db.tenant_store(1)
        yield s
        s.close()
        db.close()
