"""SendStore: at-most-once sending, pending -> sending -> sent | failed | unknown."""

from __future__ import annotations

from datetime import timedelta

from followup.app.ports import Store
from followup.domain.model import NoteState, Status
from tests.contract.stores import NOW, new_interview, planned


class TestSendStore:
    def test_due_notes_are_the_pending_ones_of_waiting_interviews_earliest_first(
        self, store: Store
    ) -> None:
        with store.transaction():
            iid = new_interview(store)
            later = store.add_note(iid, planned(due=NOW - timedelta(hours=1)), NOW)
            first = store.add_note(iid, planned(due=NOW - timedelta(hours=2)), NOW)
            store.add_note(iid, planned(due=NOW + timedelta(hours=1)), NOW)  # not yet
            done = store.add_note(iid, planned(due=NOW - timedelta(hours=3)), NOW)
            store.set_note_state(done, NoteState.SENT, NOW, sent_at=NOW)
            replied = new_interview(store, "Replied")
            store.add_note(replied, planned(due=NOW - timedelta(hours=4)), NOW)
            store.set_status(replied, Status.REPLIED, NOW)
        assert [n.id for n in store.due_notes(NOW, 10)] == [first, later]
        assert [n.id for n in store.due_notes(NOW, 1)] == [first]

    def test_sent_since_lists_the_sends_of_the_window_oldest_first(self, store: Store) -> None:
        """What the daily limit counts (app/pacing.py): sent notes only, by when they went."""
        with store.transaction():
            iid = new_interview(store)
            times = [NOW - timedelta(hours=h) for h in (30, 20, 1, 5)]
            for at in times:
                note = store.add_note(iid, planned(due=at), NOW)
                store.set_note_state(note, NoteState.SENT, NOW, sent_at=at)
            store.add_note(iid, planned(due=NOW - timedelta(hours=2)), NOW)  # pending
            failed = store.add_note(iid, planned(due=NOW - timedelta(hours=3)), NOW)
            store.set_note_state(failed, NoteState.FAILED, NOW)
        since = NOW - timedelta(hours=24)
        assert store.sent_since(since) == sorted(t for t in times if t > since)
        assert store.sent_since(NOW - timedelta(hours=1)) == []  # the one of then has left

    def test_a_note_is_claimed_once(self, store: Store) -> None:
        with store.transaction():
            iid = new_interview(store)
            note = store.add_note(iid, planned(), NOW)
        assert store.claim_note(note, NOW, "host:1")
        assert not store.claim_note(note, NOW, "host:2")
        [(claimed, at, by)] = store.claims()
        assert (claimed.id, claimed.state, at, by) == (note, NoteState.SENDING, NOW, "host:1")
        assert [n.id for n in store.notes_in_state(NoteState.SENDING)] == [note]

    def test_finishing_records_the_outcome_and_spends_the_approval(self, store: Store) -> None:
        with store.transaction():
            iid = new_interview(store)
            sent = store.add_note(iid, planned(due=NOW - timedelta(hours=2)), NOW)
            failed = store.add_note(iid, planned(due=NOW - timedelta(hours=1)), NOW)
            store.approve_note(sent, NOW, "d", "Ada <ada@x.example>", "m", "s")
            store.approve_note(failed, NOW, "d", "Ada <ada@x.example>", "m", "s")
        assert store.claim_due(NOW, "w:1", timedelta(minutes=5)) is not None
        assert store.claim_due(NOW, "w:1", timedelta(minutes=5)) is not None
        later = NOW + timedelta(minutes=1)
        with store.transaction():
            store.finish_note(sent, NoteState.SENT, later, sent_at=later)
            store.finish_note(failed, NoteState.FAILED, later, error="550 no such user")
        assert store.claims() == []
        got = store.get_note(sent)
        assert got is not None and (got.state, got.sent_at) == (NoteState.SENT, later)
        assert store.last_error(failed) == "550 no such user"
        assert store.last_error(sent) is None
        assert [n.id for n in store.notes_in_state(NoteState.FAILED)] == [failed]

    def test_a_claim_given_back_is_pending_again(self, store: Store) -> None:
        with store.transaction():
            iid = new_interview(store)
            note = store.add_note(iid, planned(), NOW)
        assert store.claim_note(note, NOW, "host:1")
        with store.transaction():
            store.finish_note(note, NoteState.PENDING, NOW, error="not sent: offline")
        assert store.claims() == []
        assert store.last_error(note) == "not sent: offline"
        assert store.claim_note(note, NOW, "host:2")

    def test_a_note_saved_to_drafts_says_when(self, store: Store) -> None:
        with store.transaction():
            iid = new_interview(store)
            note = store.add_note(iid, planned(), NOW)
        assert store.drafted_at(note) is None
        with store.transaction():
            store.mark_drafted(note, NOW)
        assert store.drafted_at(note) == NOW
        assert store.last_error(note + 1) is None
