"""ScheduleStore: approvals to send when due, and the worker's leased claims."""

from __future__ import annotations

from datetime import timedelta

from followup.app.ports import Store
from followup.domain.model import NoteState, Status
from tests.contract.stores import NOW, new_interview, planned


class TestScheduleStore:
    def test_claim_due_takes_only_approved_due_notes_of_waiting_interviews(
        self, store: Store
    ) -> None:
        lease = timedelta(minutes=5)
        with store.transaction():
            iid = new_interview(store)
            later = store.add_note(iid, planned(due=NOW - timedelta(hours=1)), NOW)
            first = store.add_note(iid, planned(due=NOW - timedelta(hours=2)), NOW)
            store.add_note(iid, planned(due=NOW - timedelta(hours=3)), NOW)  # not approved
            not_due = store.add_note(iid, planned(due=NOW + timedelta(hours=1)), NOW)
            replied = new_interview(store, "Replied")
            of_replied = store.add_note(replied, planned(due=NOW - timedelta(hours=4)), NOW)
            for note_id in (later, first, not_due, of_replied):
                assert store.approve_note(note_id, NOW, "digest")
            store.set_status(replied, Status.REPLIED, NOW)
        assert store.approved_due(NOW)  # what the worker asks before reading the inbox
        assert not store.approved_due(NOW - timedelta(hours=2, minutes=30))  # only the replied
        got = store.claim_due(NOW, "host:1", lease)
        assert got is not None and got.note.id == first and got.note.state is NoteState.SENDING
        again = store.claim_due(NOW, "host:2", lease)
        assert again is not None and again.note.id == later
        assert store.claim_due(NOW, "host:3", lease) is None
        assert not store.approved_due(NOW + timedelta(minutes=30))  # claimed or not yet due
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
            assert store.approve_note(note, NOW, "abc", "Ada <ada@x.example>", "Hi", "seal")
        assert store.approved_as(note) == (NOW, "abc", "Ada <ada@x.example>", "Hi", "seal")
        with store.transaction():
            assert store.withdraw_approval(note, NOW, "the draft changed")
            assert not store.withdraw_approval(note, NOW)
        assert store.approval(note) is None and store.approved_as(note) is None
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
            assert store.approve_note(
                note, NOW, "d2", "Ada <ada@x.example>", "Subject: Yo\r\n", "seal"
            )
        claim = store.claim_due(NOW, "w:1", timedelta(minutes=1))
        assert claim is not None
        assert (claim.note.id, claim.to, claim.message, claim.seal) == (
            note,
            "Ada <ada@x.example>",
            "Subject: Yo\r\n",
            "seal",
        )

    def test_an_approval_without_a_message_claims_with_empty_text(self, store: Store) -> None:
        with store.transaction():
            iid = new_interview(store)
            note = store.add_note(iid, planned(due=NOW - timedelta(hours=1)), NOW)
            store.approve_note(note, NOW, "d")
        claim = store.claim_due(NOW, "w:1", timedelta(minutes=1))
        assert claim is not None and (claim.to, claim.message, claim.seal) == ("", "", "")

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

    def test_a_lease_longer_than_any_worker_takes_is_capped(self, store: Store) -> None:
        """Issue #11: a lease of 2099 (from a file, a hand edit) never expired, and the note
        stayed `sending` for good; with `longest` it becomes `unknown` like a dead claim."""
        with store.transaction():
            iid = new_interview(store)
            a = store.add_note(iid, planned(due=NOW - timedelta(hours=2)), NOW)
            b = store.add_note(iid, planned(due=NOW - timedelta(hours=1)), NOW)
            store.approve_note(a, NOW, "d")
            store.approve_note(b, NOW, "d")
        assert store.claim_due(NOW, "w:1", timedelta(days=30000)) is not None  # to 2108
        assert store.claim_due(NOW, "w:2", timedelta(minutes=10)) is not None
        later = NOW + timedelta(minutes=1)
        assert store.expire_leases(later, "gone") == []  # without a cap: never
        assert store.expire_leases(later, "gone", longest=timedelta(minutes=20)) == [a]
        assert [n.id for n, _, _ in store.claims()] == [b]
