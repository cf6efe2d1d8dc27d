"""InboxStore: replies and bounces, who may write to us, where each folder's reading stopped."""

from __future__ import annotations

from datetime import timedelta

from followup.app.ports import Store
from followup.app.rows import NewInterviewer
from followup.domain.model import NoteState, Status
from tests.contract.stores import NOW, START, new_interview, planned


class TestInboxStore:
    def test_inbound_keeps_metadata_only_oldest_first(self, store: Store) -> None:
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
                reason="a person wrote it",
            )
            store.add_inbound(
                interview_id=iid,
                classification="auto-reply",
                received_at=NOW - timedelta(hours=1),
                now=NOW,
            )
            store.add_inbound(interview_id=None, classification="bounce", received_at=NOW, now=NOW)
        first, second = store.inbound(iid)
        assert (first["classification"], first["source"], first["from_addr"]) == (
            "auto-reply",
            "manual",
            None,
        )
        assert second == {
            "received_at": "2026-11-25T12:00:00Z",
            "classification": "human",
            "source": "imap",
            "from_addr": "ada@acme.example",
            "subject": "Re: Thank you",
            "message_id": "<m1@acme.example>",
            "reason": "a person wrote it",
        }
        assert store.inbound_seen("<m1@acme.example>")
        assert not store.inbound_seen("<m2@acme.example>")
        assert store.inbound_by_message_id("<m1@acme.example>") == {
            "interview_id": iid,
            "received_at": "2026-11-25T12:00:00Z",
            "classification": "human",
            "source": "imap",
            "from_addr": "ada@acme.example",
            "subject": "Re: Thank you",
        }
        assert store.inbound_by_message_id("<m2@acme.example>") is None

    def test_the_hiring_sides_kinds_and_outcomes_are_stored(self, store: Store) -> None:
        """Migration 0016: every kind of inbound message, every outcome of an interview,
        and the ended ones listed as recently ended (on every backend)."""
        kinds = ("rejection", "role-closed", "acknowledgement", "notification", "scheduling")
        with store.transaction():
            ids = [new_interview(store, company=f"Co{k}") for k in range(3)]
            for k, kind in enumerate((*kinds, "offer")):
                store.add_inbound(
                    interview_id=ids[0],
                    classification=kind,
                    received_at=NOW,
                    now=NOW,
                    message_id=f"<k{k}@x.example>",
                )
            for iid, status in zip(
                ids, (Status.REJECTED, Status.ROLE_CLOSED, Status.OFFER), strict=True
            ):
                store.set_status(iid, status, NOW)
        assert [m["classification"] for m in store.inbound(ids[0])] == [*kinds, "offer"]
        assert {r.interview_id: r.status for r in store.recently_ended(NOW, 10)} == {
            ids[0]: Status.REJECTED,
            ids[1]: Status.ROLE_CLOSED,
            ids[2]: Status.OFFER,
        }
        assert store.status_counts() == {"rejected": 1, "role-closed": 1, "offer": 1}

    def test_notes_are_found_by_their_message_ids(self, store: Store) -> None:
        with store.transaction():
            iid = new_interview(store)
            a = store.add_note(iid, planned(1), NOW)
            b = store.add_note(iid, planned(2), NOW)
            store.add_note(iid, planned(3), NOW)
            store.assign_message_id(a, "<a@x.example>")
            store.assign_message_id(b, "<b@x.example>")
        found = store.notes_with_message_ids(["<b@x.example>", "<a@x.example>", "<z@x.example>"])
        assert sorted(n.id for n in found) == [a, b]
        assert store.notes_with_message_ids([]) == []

    def test_a_sender_matches_by_address_or_company_domain_newest_first(self, store: Store) -> None:
        with store.transaction():
            old = new_interview(store, "Acme", start=START - timedelta(days=7))
            new = new_interview(store, "Acme again", start=START)
            store.add_interviewer(old, NewInterviewer("Ada", "ada@gmail.example"))
            other = new_interview(store, "Beta", domains=("beta.example",))
            store.add_interviewer(other, NewInterviewer("Bob", None))
            cancelled = new_interview(store, "Gone", domains=("gone.example",))
            store.set_status(cancelled, Status.CANCELLED, NOW)
            closed = new_interview(store, "Closed", domains=("closed.example",))
            store.set_status(closed, Status.CLOSED, NOW)
        assert store.open_interviews_for_sender("hr@acme.example", "acme.example") == [new, old]
        assert store.open_interviews_for_sender("ada@gmail.example", "gmail.example") == [old]
        assert store.open_interviews_for_sender("x@gone.example", "gone.example") == []
        assert store.open_interviews_for_sender("x@closed.example", "closed.example") == [closed]
        assert store.open_interviews_for_sender("x@acmeXexample", "acme_example") == []
        assert store.hiring_senders() == (
            {"ada@gmail.example"},
            {"acme.example", "beta.example", "closed.example"},
        )

    def test_colleagues_match_by_their_peoples_address_domain(self, store: Store) -> None:
        with store.transaction():
            typed = new_interview(store, "Acme", domains=())
            store.add_interviewer(typed, NewInterviewer("Ada", "ada@acme.example"))
            other = new_interview(store, "Beta", domains=())
            store.add_interviewer(other, NewInterviewer("Bo", "bo@acmexexample"))
        find = store.open_interviews_for_sender
        assert find("talent@acme.example", "acme.example") == []  # only when asked
        assert find("talent@acme.example", "acme.example", colleagues=True) == [typed]
        assert find("x@acme_example", "acme_example", colleagues=True) == []  # no LIKE wildcard

    def test_a_bounce_flags_the_address_once(self, store: Store) -> None:
        with store.transaction():
            iid = new_interview(store)
            ada = store.add_interviewer(iid, NewInterviewer("Ada", "ada@acme.example"))
            store.add_interviewer(iid, NewInterviewer("Bob", "bob@acme.example"))
            store.flag_bounced(ada, NOW)
            store.flag_bounced(ada, NOW + timedelta(days=1))
        assert store.bounced_interviewers(iid) == {ada}

    def test_an_address_put_right_is_no_longer_bounced_a_name_alone_keeps_it(
        self, store: Store
    ) -> None:
        with store.transaction():
            iid = new_interview(store)
            ada = store.add_interviewer(iid, NewInterviewer("Ada", "ada@acme.exmaple"))
            store.flag_bounced(ada, NOW)
            store.correct_interviewer(ada, "Ada Lovelace", "ada@acme.exmaple")
        assert store.bounced_interviewers(iid) == {ada}  # the same address: still bounces
        with store.transaction():
            store.correct_interviewer(ada, "Ada Lovelace", "ada@acme.example")
        assert store.bounced_interviewers(iid) == set()
        [person] = store.interviewers(iid)
        assert (person.id, person.name, person.email) == (ada, "Ada Lovelace", "ada@acme.example")

    def test_a_note_that_never_arrived_is_pending_again_with_no_sent_time(
        self, store: Store
    ) -> None:
        with store.transaction():
            iid = new_interview(store)
            ada = store.add_interviewer(iid, NewInterviewer("Ada", "ada@acme.exmaple"))
            note = store.add_note(iid, planned(who=ada), NOW)
            store.finish_note(note, NoteState.SENT, NOW, sent_at=NOW)
            store.never_arrived(note, NOW)
        [again] = store.notes(iid)
        assert (again.id, again.state, again.sent_at) == (note, NoteState.PENDING, None)

    def test_a_folder_remembers_where_its_reading_stopped(self, store: Store) -> None:
        assert store.sync_point("me", "INBOX") is None
        with store.transaction():
            store.save_sync_point("me", "INBOX", 7, 41, NOW)
            store.save_sync_point("me", "Sent", 3, 2, NOW)
            store.save_sync_point("me", "INBOX", 8, 5, NOW)
        assert store.sync_point("me", "INBOX") == (8, 5)
        assert store.sync_point("me", "Sent") == (3, 2)
        assert store.sync_point("other", "INBOX") is None
