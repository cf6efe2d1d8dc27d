"""PortabilityStore: the lossless export's typed rows, written back with fresh ids."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from followup.adapters.store.memory import MemoryStore
from followup.app.ports import Store
from followup.app.rows import (
    ApplicationRecord,
    DebriefRecord,
    InboundRecord,
    InterviewerRecord,
    InterviewRecord,
    NewInterviewer,
    NoteRecord,
)
from followup.domain.model import NoteState
from tests.contract.stores import NOW, new_interview, planned

T = "2026-11-25T12:00:00Z"


def _second_connection(store: Store, tmp_path: Path, request: pytest.FixtureRequest) -> Store:
    """Another connection to the same data (another process, as far as locks go)."""
    from followup.adapters.store.sqlite import SqliteStore

    if isinstance(store, SqliteStore):
        other = SqliteStore(store.path)
        request.addfinalizer(other.close)
        return other
    from followup.adapters.store.postgres import PostgresDatabase

    db = PostgresDatabase(request.getfixturevalue("postgres_url"), max_size=2)
    tenant = db.tenant_store(1)
    request.addfinalizer(db.close)
    request.addfinalizer(tenant.close)
    return tenant


def write_one_of_each(store: Store) -> tuple[int, int]:
    """An application with one interview and a row of each child table; (app, interview)."""
    app_id = store.insert_application(
        ApplicationRecord(None, "Acme", "Dev", "startup", "DE", "acme.example", "warm", T)
    )
    interview = store.insert_interview(
        InterviewRecord(
            id=None,
            application_id=app_id,
            round=2,
            start_at=T,
            end_at="2026-11-25T13:00:00Z",
            duration_min=60,
            tz="Asia/Tokyo",
            status="closed",
            status_at=T,
            expect_by="2026-12-04",
            defer_until=None,
            location="Room 1",
            description="Panel",
            ics_uid="uid@cal.example",
            ics_sequence=3,
            next_step=None,
            next_kind=None,
            next_due_at=None,
            created_at=T,
        )
    )
    person = store.insert_interviewer(
        InterviewerRecord(
            None, interview, "Ada", "ada@acme.example", "Asia/Tokyo", T, True, "Dr. Ada"
        )
    )
    store.insert_note(
        NoteRecord(
            id=None,
            interview_id=interview,
            interviewer_id=person,
            step=1,
            kind="thank-you",
            state="sent",
            earliest_at=T,
            due_at=T,
            sent_at=T,
            message_id="<m@x.example>",
            subject="Thanks",
            body="Hi Ada",
            attempts=1,
            last_error=None,
            updated_at=T,
            edited_at=T,
            drafted_at=None,
        )
    )
    store.insert_debrief(DebriefRecord(None, interview, person, "SQL", None, "ok", None, T))
    reply = InboundRecord(
        None, interview, "<r@acme.example>", "ada@acme.example", "Re", T, "human", "imap", T
    )
    store.insert_inbound(reply)
    store.insert_inbound(InboundRecord(None, None, None, None, None, T, "bounce", "manual", T))
    return app_id, interview


class TestPortabilityStore:
    def test_records_written_come_back_as_written_with_fresh_ids(self, store: Store) -> None:
        with store.transaction():
            new_interview(store, "Before")  # ids are the store's, never the file's
            app_id, interview = write_one_of_each(store)
        assert (app_id, interview) == (2, 2)
        rows = store.export_rows()
        assert [a.company for a in rows.applications] == ["Before", "Acme"]
        assert rows.applications[1] == ApplicationRecord(
            2, "Acme", "Dev", "startup", "DE", "acme.example", "warm", T
        )
        got = rows.interviews[1]
        assert (got.id, got.application_id, got.round, got.ics_uid, got.ics_sequence) == (
            2,
            2,
            2,
            "uid@cal.example",
            3,
        )
        assert (got.expect_by, got.end_at, got.tz, got.status) == (
            "2026-12-04",
            "2026-11-25T13:00:00Z",
            "Asia/Tokyo",
            "closed",
        )
        [person] = rows.interviewers
        [note] = rows.notes
        assert (note.interview_id, note.interviewer_id, note.message_id, note.body) == (
            2,
            person.id,
            "<m@x.example>",
            "Hi Ada",
        )
        [debrief] = rows.debriefs
        assert (debrief.interviewer_id, debrief.topic) == (person.id, "SQL")
        assert [(m.interview_id, m.classification) for m in rows.inbound_messages] == [
            (2, "human"),
            (None, "bounce"),
        ]
        assert store.counts() == {
            "applications": 2,
            "interviews": 2,
            "interviewers": 1,
            "notes": 1,
            "inbound_messages": 2,
            "debriefs": 1,
        }
        # what the store's own use-cases read of it
        found = store.get_interview(interview)
        assert found is not None and found.end == found.start + timedelta(hours=1)
        assert store.interview_by_ics_uid("uid@cal.example") == (interview, 3)

    def test_records_written_many_at_once_come_back_in_order_with_fresh_ids(
        self, store: Store
    ) -> None:
        """An import's batch: one call per table, the ids given back in the records' order
        (the children's references), after whatever the store held; events for the record."""
        with store.transaction():
            new_interview(store, "Before")
            apps = store.insert_records(
                "applications",
                [
                    ApplicationRecord(99, name, "Dev", "startup", None, "", None, T)
                    for name in ("Acme", "Globex", "Initech")
                ],
            )
            interviews = store.insert_records(
                "interviews",
                [
                    InterviewRecord(
                        7, app, 1, T, "2026-11-25T13:00:00Z", 60, "UTC", "closed",
                        None, None, None, None, None, f"uid-{app}", None, None, None, None, T,
                    )
                    for app in reversed(apps)
                ],
            )  # fmt: skip
            people = store.insert_records(
                "interviewers",
                [
                    InterviewerRecord(
                        None, iid, f"P{k}", f"p{k}@x.example", None, None, k == 0, None
                    )
                    for k, iid in enumerate(interviews)
                ],
            )
            notes = store.insert_records(
                "notes",
                [
                    NoteRecord(
                        None, iid, who, 1, "thank-you", "sent", T, T, T, f"<{who}@x.example>",
                        "Thanks", "Hi", 1, None, T, None, None,
                    )
                    for iid, who in zip(interviews, people, strict=True)
                ],
            )  # fmt: skip
            store.add_history(
                [(iid, T, "import", "imported", "imported from f.json") for iid in interviews]
            )
            assert store.insert_records("debriefs", []) == []
        assert apps == [2, 3, 4] and interviews == [2, 3, 4]
        assert len(set(people)) == 3 and len(set(notes)) == 3
        rows = store.export_rows()
        assert [a.company for a in rows.applications] == ["Before", "Acme", "Globex", "Initech"]
        assert [(i.id, i.application_id, i.ics_uid) for i in rows.interviews[1:]] == [
            (2, 4, "uid-4"),
            (3, 3, "uid-3"),
            (4, 2, "uid-2"),
        ]
        assert [(p.id, p.interview_id, p.is_primary) for p in rows.interviewers] == [
            (people[0], 2, True),
            (people[1], 3, False),
            (people[2], 4, False),
        ]
        assert [(n.interviewer_id, n.message_id) for n in rows.notes] == [
            (who, f"<{who}@x.example>") for who in people
        ]
        assert [(e.kind, e.source, e.summary, e.undoable) for e in store.events(3)] == [
            ("imported", "import", "imported from f.json", False)
        ]
        with pytest.raises(ValueError, match="not a followup table"):
            store.insert_records("accounts", [(None,)])

    def test_a_batch_comes_back_as_given_whichever_columns_it_leaves_null(
        self, store: Store
    ) -> None:
        """A batch's records read back exactly as written, whether a nullable column is null
        in every record of the batch (left out of the statement), in some, or in none; a
        column with a default keeps the value given; a record of the wrong length is
        refused before anything is written."""
        with store.transaction():
            [app] = store.insert_records(
                "applications", [ApplicationRecord(None, "Acme", "Dev", "other", None, "", None, T)]
            )
            interview = InterviewRecord(
                None, app, 1, T, "2026-11-25T13:00:00Z", 60, "UTC", "waiting",
                None, None, None, None, None, None, None, None, None, None, T,
            )  # fmt: skip
            ids = store.insert_records(
                "interviews",
                [interview._replace(round=k, location="Room 4" if k == 2 else None)
                 for k in (1, 2, 3)],
            )  # fmt: skip
            all_null = [
                NoteRecord(
                    None, ids[0], None, k, "thank-you", "pending", T, T, None, None, None, None,
                    0, None, T, None, None,
                )
                for k in (1, 2)
            ]  # fmt: skip
            mixed = [
                all_null[0]._replace(interview_id=ids[1], sent_at=T, state="sent", attempts=2),
                all_null[1]._replace(interview_id=ids[1], body="Hi", last_error="550"),
            ]
            none_null = [
                all_null[0]._replace(
                    interview_id=ids[2], interviewer_id=None, sent_at=T, message_id="<m@x>",
                    subject="Thanks", body="Hi", last_error="e", edited_at=T, drafted_at=T,
                    state="sent",
                )
            ]  # fmt: skip
            written = []
            for batch in (all_null, mixed, none_null):
                new = store.insert_records("notes", batch)
                written += [r._replace(id=n) for r, n in zip(batch, new, strict=True)]
            people = [
                InterviewerRecord(None, ids[0], "Ada", None, None, None, False, None, None),
                InterviewerRecord(None, ids[0], "Bo", "bo@x.example", "UTC", None, True, None, T),
            ]
            new = store.insert_records("interviewers", people)
            people = [r._replace(id=n) for r, n in zip(people, new, strict=True)]
            with pytest.raises(ValueError, match="record has 17 fields"):
                store.insert_records("notes", [all_null[0], tuple(all_null[0])[:-1]])
        rows = store.export_rows()
        assert rows.notes == written
        assert rows.interviewers == people
        assert [i.location for i in rows.interviews] == [None, "Room 4", None]
        assert store.counts()["notes"] == 5

    def test_an_imports_scratch_space_keeps_the_first_value_of_each_key(self, store: Store) -> None:
        """What an import has seen (old ids, 64-bit digests) kept by the store, not in the
        process: per space, a key's first value stays; a new scratch starts empty."""
        big, small = 2**63 - 1, -(2**63)
        with store.transaction():
            store.scratch()
            store.remember("where", [(7, 1), (big, 2), (small, 3)])
            store.remember("where", [(7, 99), (8, 4)])
            store.remember("new", [(7, 5)])
            assert store.recall("where", [7, 8, 9, big, small]) == {
                7: 1,
                8: 4,
                big: 2,
                small: 3,
            }
            assert store.recall("new", [7, 8]) == {7: 5}
            many = [(k, k) for k in range(1200)]  # more than one query's worth
            store.remember("many", many)
            assert store.recall("many", range(-5, 1300)) == dict(many)
            store.scratch()
            assert store.recall("where", [7, 8]) == {}

    def test_the_export_holds_what_the_use_cases_wrote_but_no_approval(self, store: Store) -> None:
        with store.transaction():
            iid = new_interview(store)
            ada = store.add_interviewer(iid, NewInterviewer("Ada", "ada@acme.example"))
            note = store.add_note(iid, planned(who=ada), NOW)
            store.approve_note(note, NOW, "digest", "Ada <ada@acme.example>", "approved bytes")
            store.set_next(iid, 1, "thank-you", NOW)
        rows = store.export_rows()
        [exported] = rows.notes
        assert (exported.state, exported.interviewer_id, exported.attempts) == ("pending", ada, 0)
        assert "approved bytes" not in repr(rows) and "digest" not in repr(rows)
        [interview] = rows.interviews
        assert (interview.next_step, interview.next_kind, interview.next_due_at) == (
            1,
            "thank-you",
            T,
        )

    def test_taken_ids_are_the_ones_already_stored(self, store: Store) -> None:
        with store.transaction():
            write_one_of_each(store)
        assert store.taken_message_ids(["<m@x.example>", "<new@x.example>"]) == {"<m@x.example>"}
        assert store.taken_ics_uids(["uid@cal.example", "other"]) == {"uid@cal.example"}
        with store.transaction():
            store.add_inbound(interview_id=None, classification="bounce", received_at=NOW,
                              now=NOW, message_id="<in@x.example>")  # fmt: skip
        assert store.taken_inbound_ids(["<in@x.example>", "<m@x.example>"]) == {"<in@x.example>"}
        assert store.taken_message_ids([]) == set()
        many = [f"<{k}@x.example>" for k in range(1200)]  # more than one query's worth
        assert store.taken_message_ids([*many, "<m@x.example>"]) == {"<m@x.example>"}

    def test_rounds_starting_are_every_interview_at_those_instants(self, store: Store) -> None:
        with store.transaction():
            _, interview = write_one_of_each(store)  # closed: an ended one counts too
        found = store.rounds_starting([T, "2026-11-26T12:00:00Z"])
        assert found == [(interview, "Acme", "Dev", T, "Asia/Tokyo")]
        assert store.rounds_starting(["2026-11-26T12:00:00Z"]) == []
        many = [f"2026-01-01T00:{k // 60:02}:{k % 60:02}Z" for k in range(1200)]
        assert store.rounds_starting([*many, T]) == found  # more than one query's worth

    def test_an_import_that_fails_writes_nothing(self, store: Store) -> None:
        with pytest.raises(RuntimeError), store.transaction():
            write_one_of_each(store)
            raise RuntimeError("a bad row further on")
        assert set(store.counts().values()) == {0}
        assert store.export_rows() == ([], [], [], [], [], [])

    def test_a_note_imported_as_sent_stays_sent(self, store: Store) -> None:
        with store.transaction():
            write_one_of_each(store)
        [note] = store.notes_in_state(NoteState.SENT)
        assert (note.sent_at, note.message_id) == (NOW, "<m@x.example>")

    def test_the_export_stream_nests_rows_under_their_interview_in_application_order(
        self, store: Store
    ) -> None:
        """The streamed export reads each table once, sorted so that a row follows its
        interview, and an interview its application, also when a later round of an earlier
        application got a higher id than another application's interviews."""
        with store.transaction():
            first = new_interview(store, "First")  # application 1, interview 1
            other = new_interview(store, "Other")  # application 2, interview 2
            later = store.add_interview(  # application 1's next round: interview 3
                application_id=1, start=NOW, duration=timedelta(hours=1), tz="UTC", now=NOW
            )
            for interview in (later, other, first):
                who = store.add_interviewer(interview, NewInterviewer(f"P{interview}", None))
                store.add_note(interview, planned(who=who), NOW)
                store.add_debrief(
                    interview_id=interview, interviewer_id=who, topic="t", skill=None, now=NOW
                )
                store.add_inbound(
                    interview_id=interview, classification="human", received_at=NOW, now=NOW
                )
                store.add_event(interview, NOW, "cli", "added", f"e{interview}", None, None)
            store.add_event(first, NOW, "cli", "sent", "e1 again", None, None)
            store.add_inbound(interview_id=None, classification="bounce", received_at=NOW, now=NOW)
        with store.transaction():
            stream = store.export_stream()
            got = {
                table: [(r.interview_id, r.id) for r in getattr(stream, table)]
                for table in ("interviewers", "notes", "debriefs", "inbound_messages")
            }
            history = [(e.interview_id, e.summary, e.at, e.undone) for e in stream.events]
            applications = [a.company for a in stream.applications]
            interviews = [(i.application_id, i.id) for i in stream.interviews]
            unlinked = [(m.interview_id, m.classification) for m in stream.unlinked_inbound]
        assert applications == ["First", "Other"]
        assert interviews == [(1, 1), (1, 3), (2, 2)]
        for table in ("interviewers", "notes", "debriefs", "inbound_messages"):
            assert [i for i, _ in got[table]] == [1, 3, 2], table
        at = "2026-11-25T12:00:00Z"  # NOW, as the export writes an instant
        assert history == [  # an interview's history in the order it happened
            (1, "e1", at, False),
            (1, "e1 again", at, False),
            (3, "e3", at, False),
            (2, "e2", at, False),
        ]
        assert unlinked == [(None, "bounce")]

    def test_an_export_snapshot_holds_no_writer_back_and_reads_one_moment(
        self, store: Store, tmp_path: Path, request: pytest.FixtureRequest
    ) -> None:
        """While an export reads (a snapshot), another connection can still write — a
        note can be marked sent — and the export goes on seeing the data as it was."""
        if isinstance(store, MemoryStore):
            pytest.skip("one process, one connection: nothing else can write meanwhile")
        with store.transaction():
            new_interview(store, "Before")
        other = _second_connection(store, tmp_path, request)
        with store.snapshot():
            assert [a.company for a in store.export_stream().applications] == ["Before"]
            with other.transaction():  # not blocked: SQLite would wait, then fail busy
                new_interview(other, "During")
            stream = store.export_stream()
            assert [a.company for a in stream.applications] == ["Before"]
            assert store.counts()["applications"] == 1
        assert store.counts()["applications"] == 2
