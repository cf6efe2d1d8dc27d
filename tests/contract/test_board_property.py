"""The board's kept latest rounds (migration 0027) equal a recomputation after any writes.

The SQL stores read the board from `board_latest`, one row per application that triggers
keep up to date with every write (its latest round's id, status, round and start, and
whether its newest message proposed a next round). A random walk over what users and the
import do — applications with one to three rounds, replies of every kind (ties in time
included, told apart by id), later rounds added, statuses changed, a round moved to the
past or the future, messages reclassified, moved in time or removed, an undo back to the
rows before, a bulk import (`insert_records`, the JSON import's path), an interview deleted
— must leave the table equal to the same facts recomputed from the rows, and the board
(every column's cards and every count) equal to the in-memory store's, which computes it
from the rows each time in Python.

The search (migration 0029) is kept in the same row: the company, role and every current
interviewer's name and address. People added, taken off the panel, renamed or moved, a
company or role edited, must leave it equal to those rows, and every search's board equal
to the in-memory store's.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from followup.adapters.store.memory import MemoryStore
from followup.adapters.store.sqlstore import SqlStore, to_db
from followup.app.ports import Store
from followup.app.rows import BoardFilter, NewInterviewer
from followup.domain.board import Stage, keys_of
from followup.domain.model import Culture, Status
from tests.contract.stores import NOW, START

KINDS = ["human", "scheduling", "scheduling", "auto-reply", "rejection"]
PEOPLE = [
    ("Ada Lovelace", "ada@acme.example"),
    ("José O\u2019Brien", None),  # a phone's apostrophe
    ("Ünal Öztürk", "u_z@x.example"),
]
# words in any order; SQLite's LIKE ignores the case of ASCII letters only, PostgreSQL's ILIKE
# of all: searches beyond ASCII are in the names' own case
SEARCHES = ["", "ada", "ACME", "Öz", "lovelace ada", "o\u2019brien", "u_z", "%"]
PROPOSED = {  # answered, and the newest message proposed a next round
    "culture": Culture.OTHER,
    "rounds": [
        {"status": Status.REPLIED, "start": 0, "inbound": [("human", 0), ("scheduling", 0)]}
    ],
}
offsets = st.one_of(st.sampled_from([0, 3600]), st.integers(-5 * 86_400, 20 * 86_400))
rounds = st.fixed_dictionaries(
    {
        "status": st.sampled_from(list(Status)),
        "start": st.integers(-20, 6),  # days from START: some still ahead of NOW
        "inbound": st.lists(st.tuples(st.sampled_from(KINDS), offsets), max_size=3),
        "people": st.lists(st.integers(0, len(PEOPLE) - 1), max_size=2),
    }
)
applications = st.lists(
    st.fixed_dictionaries(
        {
            "culture": st.sampled_from(list(Culture)),
            "rounds": st.lists(rounds, min_size=1, max_size=3),
        }
    ),
    max_size=8,
)
changes = st.lists(
    st.one_of(
        st.tuples(st.just("round"), st.integers(0, 30), st.integers(-3, 6)),
        st.tuples(st.just("reply"), st.integers(0, 30), st.sampled_from(KINDS), offsets),
        st.tuples(st.just("status"), st.integers(0, 30), st.sampled_from(list(Status))),
        st.tuples(st.just("move"), st.integers(0, 30), st.integers(-10, 10)),
        st.tuples(
            st.just("message"),
            st.integers(0, 30),
            st.integers(0, 5),
            st.sampled_from([*KINDS, "gone"]),
            offsets,
        ),
        st.tuples(st.just("undo"), st.integers(0, 30)),
        st.tuples(st.just("person"), st.integers(0, 30), st.integers(0, len(PEOPLE) - 1)),
        st.tuples(st.just("unperson"), st.integers(0, 30), st.integers(0, 3)),
        st.tuples(
            st.just("rename"), st.integers(0, 30), st.integers(0, 3), st.text("aZü _%", max_size=4)
        ),
        st.tuples(st.just("company"), st.integers(0, 30), st.sampled_from(["Acme", "C1", "Öl"])),
    ),
    max_size=10,
)

# The kept facts, recomputed from the rows: what the board read before migration 0027.
RECOMPUTED = (
    "SELECT i.application_id, i.id, i.status, i.round, i.start_at,"
    " COALESCE((SELECT CASE WHEN m.classification = 'scheduling' THEN 1 ELSE 0 END"
    " FROM inbound_messages m WHERE m.interview_id = i.id"
    " ORDER BY m.received_at DESC, m.id DESC LIMIT 1), 0)"
    " FROM interviews i WHERE NOT EXISTS (SELECT 1 FROM interviews r"
    " WHERE r.application_id = i.application_id AND r.round > i.round)"
    " ORDER BY i.application_id"
)
KEPT = (
    "SELECT application_id, interview_id, status, round, start_at, proposed"
    " FROM board_latest ORDER BY application_id"
)


def assert_kept(store: Store) -> None:
    if isinstance(store, SqlStore):
        kept = [tuple(r) for r in store._all(KEPT, ())]
        assert kept == [tuple(r) for r in store._all(RECOMPUTED, ())]
        assert_search_kept(store)


def assert_search_kept(store: SqlStore) -> None:
    """Each row's search: company, role, then each current interviewer's name and address
    (in any order), joined by newlines."""
    people: dict[int, list[tuple[str, str]]] = {}
    for aid, name, email in store._all(
        "SELECT j.application_id, p.name, p.email FROM interviewers p"
        " JOIN interviews j ON j.id = p.interview_id WHERE p.removed_at IS NULL",
        (),
    ):
        people.setdefault(aid, []).append((name, email or ""))
    for aid, company, role, search in store._all(
        "SELECT b.application_id, a.company, a.role, b.search FROM board_latest b"
        " JOIN applications a ON a.id = b.application_id",
        (),
    ):
        lines = search.split("\n")
        assert lines[:2] == [company, role], (aid, search)
        said = list(zip(lines[2::2], lines[3::2], strict=True))
        assert sorted(said) == sorted(people.get(aid, [])), (aid, search)


def fill(store: Store, history: list[dict[str, Any]]) -> list[int]:
    """Write the history; its interviews' ids, in its order."""
    ids = []
    with store.transaction():
        for k, h in enumerate(history):
            app = store.add_application(
                company=f"C{k}", role="R", culture=h["culture"], country=None, domains=(), now=NOW
            )
            for r in h["rounds"]:
                start = START + timedelta(days=r["start"])
                iid = store.add_interview(
                    application_id=app, start=start, duration=timedelta(hours=1), tz="UTC", now=NOW
                )
                ids.append(iid)
                for n in r.get("people", ()):
                    store.add_interviewer(iid, NewInterviewer(*PEOPLE[n]))
                for kind, after in r["inbound"]:
                    at = START + timedelta(seconds=after)
                    store.add_inbound(
                        interview_id=iid, classification=kind, received_at=at, now=NOW
                    )
                if r["status"] is not Status.WAITING:
                    store.set_status(iid, r["status"], NOW)
    return ids


def change(store: Store, ids: list[int], what: tuple[Any, ...], kept: dict[int, Any]) -> None:
    """One change to the interview `what[1]` (modulo how many there are), in a transaction
    of its own; `kept` holds each interview's rows as first written (what an undo puts back)."""
    iid = ids[what[1] % len(ids)]
    interview = store.get_interview(iid)
    assert interview is not None
    with store.transaction():
        if what[0] == "round":
            new = store.add_interview(
                application_id=interview.application_id,
                start=START + timedelta(days=what[2]),
                duration=timedelta(hours=1),
                tz="UTC",
                now=NOW,
            )
            ids.append(new)
            kept[new] = store.interview_state(new)
        elif what[0] == "reply":
            at = START + timedelta(seconds=what[3])
            store.add_inbound(interview_id=iid, classification=what[2], received_at=at, now=NOW)
        elif what[0] == "status":
            store.set_status(iid, what[2], NOW)
        elif what[0] == "move":
            store.edit_interview(
                iid,
                start=interview.start + timedelta(days=what[2]),
                duration=interview.duration,
                tz="UTC",
                location=None,
            )
        elif what[0] == "message":
            state = store.interview_state(iid)
            rows = state["inbound_messages"]
            if not rows:
                return
            row = rows[what[2] % len(rows)]
            if what[3] == "gone":
                rows.remove(row)
            else:
                at = START + timedelta(seconds=what[4])
                row.update(classification=what[3], received_at=to_db(at))
            store.put_interview_state(iid, state)
        elif what[0] == "person":
            store.add_interviewer(iid, NewInterviewer(*PEOPLE[what[2]]))
        elif what[0] in ("unperson", "rename"):
            people = store.interviewers(iid)
            if not people:
                return
            person = people[what[2] % len(people)]
            if what[0] == "unperson" and person.removed:  # put back, as `edit` does now
                store.restore_interviewer(
                    person.id, NewInterviewer(f"{person.name}+", person.email)
                )
            elif what[0] == "unperson":
                store.remove_interviewer(person.id, NOW)
            else:  # as an undo of an edit writes it: the row's state put back
                state = store.interview_state(iid)
                for row in state["interviewers"]:
                    if row["id"] == person.id:
                        row.update(name=f"{row['name']}{what[3]}", email=what[3] or None)
                store.put_interview_state(iid, state)
        elif what[0] == "company":
            app = store.get_application(interview.application_id)
            assert app is not None
            store.edit_application(
                app.id, company=what[2], role=app.role, culture=app.culture, country=app.country
            )
        else:
            store.put_interview_state(iid, kept[iid])


def board(store: Store, text: str = "") -> tuple[list[int], list[list[Any]]]:
    columns = [keys_of(s) for s in Stage]
    counts, pages = store.board_read(columns, BoardFilter(text=text), NOW, 1000)
    return counts, [[(r.application.company, r.latest.round, r.proposed) for r in p] for p in pages]


def searches(store: Store) -> dict[str, Any]:
    """Every search's board."""
    return {text: board(store, text) for text in SEARCHES}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.integration)])
def new_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], Store]]:
    """A fresh, empty store of one adapter per call (one per example)."""
    made: list[Any] = []

    def new() -> Store:
        if request.param == "sqlite":
            from followup.adapters.store.sqlite import SqliteStore

            s = SqliteStore(tmp_path / f"{len(made)}.db")
            made.append(s)
            return s
        from followup.adapters.store.postgres import PostgresDatabase

        if not made:
            made.append(PostgresDatabase(request.getfixturevalue("postgres_url"), max_size=2))
        elif (
            len(made) == 3
        ):  # an example's two stores at most: the oldest gives its connection back
            made.pop(1).close()
        tenant = made[0].tenant_store(300 + len(made) + next(tenants))
        made.append(tenant)
        return tenant  # type: ignore[no-any-return]

    tenants = itertools.count()
    yield new
    for thing in reversed(made):
        thing.close()


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(history=applications, edits=changes)
@example(history=[PROPOSED], edits=[("message", 0, 1, "human", 0)])
@example(history=[PROPOSED], edits=[("message", 0, 1, "gone", 0), ("undo", 0)])
@example(history=[PROPOSED], edits=[("message", 0, 0, "human", 7200)])  # now the newest
@example(history=[PROPOSED], edits=[("round", 0, 3), ("move", 1, -9), ("status", 1, Status.OFFER)])
def test_the_kept_latest_rounds_equal_a_recomputation(
    new_store: Callable[[], Store], history: list[dict[str, Any]], edits: list[tuple[Any, ...]]
) -> None:
    store, reference = new_store(), MemoryStore()
    ids, ref_ids = fill(store, history), fill(reference, history)
    assert_kept(store)
    kept = {iid: store.interview_state(iid) for iid in ids}
    ref_kept = {iid: reference.interview_state(iid) for iid in ref_ids}
    for what in edits if ids else []:
        change(store, ids, what, kept)
        change(reference, ref_ids, what, ref_kept)
        assert_kept(store)
    assert searches(store) == searches(reference)

    # The JSON import's path: every table in bulk, parents first, into a fresh store, the
    # aggregates' and the board's triggers paused and brought up to date once.
    rows, copy = store.export_rows(), new_store()
    with copy.transaction():
        copy.pause_stats()
        apps = dict(
            zip(
                [a.id for a in rows.applications],
                copy.insert_records("applications", rows.applications),
                strict=True,
            )
        )
        interviews = [r._replace(application_id=apps[r.application_id]) for r in rows.interviews]
        new_ids = dict(
            zip(
                [r.id for r in rows.interviews],
                copy.insert_records("interviews", interviews),
                strict=True,
            )
        )
        copy.insert_records(
            "inbound_messages",
            [r._replace(interview_id=new_ids[r.interview_id]) for r in rows.inbound_messages],
        )
        copy.insert_records(
            "interviewers",
            [r._replace(interview_id=new_ids[r.interview_id]) for r in rows.interviewers],
        )
        if isinstance(copy, SqlStore):  # paused for real (PostgreSQL: migration 0031)
            assert copy._all("SELECT application_id FROM board_latest", ()) == []
        copy.resume_stats(list(new_ids.values()))
    assert_kept(copy)
    assert [counts for counts, _ in searches(copy).values()] == [
        counts for counts, _ in searches(store).values()
    ]

    # An interview deleted (no use-case does; a cascade or a hand's SQL might).
    if ids and isinstance(copy, SqlStore):
        with copy.transaction():
            gone = next(iter(new_ids.values()))
            copy._execute("DELETE FROM inbound_messages WHERE interview_id = ?", (gone,))
            copy._execute("DELETE FROM interviewers WHERE interview_id = ?", (gone,))
            copy._execute("DELETE FROM interviews WHERE id = ?", (gone,))
        assert_kept(copy)
