"""The stores' stats aggregates equal app/stats.py's arithmetic over one row per sequence.

The SQL stores compute the reply rates, the first reply's median and p90 and each outcome's
in the database (issue #17); the reference is what `stats` computed before: the in-memory
store's `reply_facts` and `outcome_times` (one row per interview, the rules written out in
Python) through `tally`, `delay` and `outcome_delays`. Random histories: cultures and tone
overrides, every status, notes sent before and after the end and the reply, sent without a
time, human and other replies before and after the end, delays on and around whole days.

The SQL stores answer from aggregates that triggers keep up to date with every write
(migration 0023): so each history is then changed at random, as the use-cases change one
(a note's state and time, a reply added, reclassified or removed, a note removed, a status,
a tone, a culture, a move to another day, an undo back to the rows before), and the
aggregates must still give the reference's answer.
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
from followup.adapters.store.sqlstore import to_db
from followup.app.ports import Store
from followup.app.stats import (
    DAYS_CAP,
    delay,
    delay_at,
    delay_ranks,
    outcome_delays,
    outcome_delays_at,
    tally,
    tally_rows,
)
from followup.domain.model import Culture, NoteState, Status, Tone
from followup.domain.policy import ARTICLE_POLICY
from tests.contract.stores import NOW, START, planned

DAY = 86_400
SINCE = START - timedelta(days=10)
KINDS = [s.kind for s in ARTICLE_POLICY.steps]  # the kinds the aggregates are kept for

# Seconds from the interview's end: anywhere in a month, on or beside whole days, and a few
# marks shared by notes, replies and ends so that ties (a note sent as the reply came) occur.
MARKS = [-DAY, 0, DAY, 3 * DAY, 8 * DAY]
offsets = st.one_of(
    st.sampled_from(MARKS),
    st.integers(-3 * DAY, 40 * DAY),
    st.builds(lambda d, e: d * DAY + e, st.integers(-2, 12), st.sampled_from([-1, 0, 1])),
)
TIE = {  # a thank-you sent the second the reply came: it counts as what the reply answered
    "culture": Culture.STARTUP,
    "tone": None,
    "status": Status.REPLIED,
    "status_at": DAY,
    "start": 0,
    "notes": [(1, "sent", DAY), (2, "sent", DAY + 1)],
    "inbound": [("human", DAY), ("human", -DAY)],
}
notes = st.lists(
    st.tuples(
        st.integers(1, 3),
        st.sampled_from(["sent", "sent", "pending", "cancelled", "sent-no-time"]),
        offsets,
    ),
    max_size=4,
)
inbound = st.lists(
    st.tuples(st.sampled_from(["human", "human", "auto-reply", "rejection"]), offsets),
    max_size=3,
)
interviews = st.lists(
    st.fixed_dictionaries(
        {
            "culture": st.sampled_from(list(Culture)),
            "tone": st.one_of(st.none(), st.sampled_from([t.value for t in Tone])),
            "status": st.sampled_from(list(Status)),
            "status_at": offsets,
            "start": st.integers(-30, 5),  # days from START: some before SINCE
            "notes": notes,
            "inbound": inbound,
        }
    ),
    max_size=14,
)
# Changes after the history was written: (what, which interview, then its arguments).
changes = st.lists(
    st.one_of(
        st.tuples(
            st.just("note"),
            st.integers(0, 20),
            st.integers(0, 5),
            st.sampled_from(["sent", "pending", "cancelled", "gone"]),
            offsets,
        ),
        st.tuples(
            st.just("inbound"),
            st.integers(0, 20),
            st.integers(0, 5),
            st.sampled_from(["human", "auto-reply", "gone"]),
            offsets,
        ),
        st.tuples(st.just("reply"), st.integers(0, 20), offsets),
        st.tuples(st.just("status"), st.integers(0, 20), st.sampled_from(list(Status)), offsets),
        st.tuples(
            st.just("tone"),
            st.integers(0, 20),
            st.one_of(st.none(), st.sampled_from([t.value for t in Tone])),
        ),
        st.tuples(st.just("culture"), st.integers(0, 20), st.sampled_from(list(Culture))),
        st.tuples(st.just("move"), st.integers(0, 20), st.integers(-20, 20)),
        st.tuples(st.just("undo"), st.integers(0, 20)),
    ),
    max_size=8,
)


def fill(store: Store, history: list[dict[str, Any]]) -> list[int]:
    """Write the history; the interviews' ids, in its order."""
    ids = []
    with store.transaction():
        for k, h in enumerate(history):
            app = store.add_application(
                company=f"C{k}",
                role="Engineer",
                culture=h["culture"],
                country=None,
                domains=(),
                now=NOW,
            )
            if h["tone"]:
                store.set_tone(app, h["tone"])
            start = START + timedelta(days=h["start"])
            end = start + timedelta(hours=1)
            iid = store.add_interview(
                application_id=app, start=start, duration=timedelta(hours=1), tz="UTC", now=NOW
            )
            ids.append(iid)
            for step, state, after in h["notes"]:
                note = store.add_note(iid, planned(step), NOW)
                if state == "sent":
                    at = end + timedelta(seconds=after)
                    store.set_note_state(note, NoteState.SENT, NOW, sent_at=at)
                elif state == "sent-no-time":
                    store.set_note_state(note, NoteState.SENT, NOW)
                elif state == "cancelled":
                    store.set_note_state(note, NoteState.CANCELLED, NOW)
            for kind, after in h["inbound"]:
                store.add_inbound(
                    interview_id=iid,
                    classification=kind,
                    received_at=end + timedelta(seconds=after),
                    now=NOW,
                )
            if h["status"] is not Status.WAITING:
                store.set_status(iid, h["status"], end + timedelta(seconds=h["status_at"]))
    return ids


def change(store: Store, ids: list[int], what: tuple[Any, ...], kept: dict[int, Any]) -> None:
    """One change to the interview `what[1]` (modulo how many there are), in a transaction
    of its own; `kept` holds each interview's rows as written (what an undo puts back)."""
    iid = ids[what[1] % len(ids)]
    interview = store.get_interview(iid)
    assert interview is not None
    end = interview.start + interview.duration
    with store.transaction():
        if what[0] in ("note", "inbound"):
            table = "notes" if what[0] == "note" else "inbound_messages"
            state = store.interview_state(iid)
            rows = state[table]
            if not rows:
                return
            row = rows[what[2] % len(rows)]
            at = to_db(end + timedelta(seconds=what[4]))
            if what[3] == "gone":
                rows.remove(row)
            elif table == "notes":
                row.update(state=what[3], sent_at=at if what[3] == "sent" else row["sent_at"])
            else:
                row.update(classification=what[3], received_at=at)
            store.put_interview_state(iid, state)
        elif what[0] == "reply":
            store.add_inbound(
                interview_id=iid,
                classification="human",
                received_at=end + timedelta(seconds=what[2]),
                now=NOW,
            )
        elif what[0] == "status":
            store.set_status(iid, what[2], end + timedelta(seconds=what[3]))
        elif what[0] == "tone":
            store.set_tone(interview.application_id, what[2])
        elif what[0] == "culture":
            app = store.get_application(interview.application_id)
            assert app is not None
            store.edit_application(
                app.id, company=app.company, role=app.role, culture=what[2], country=None
            )
        elif what[0] == "move":
            store.edit_interview(
                iid,
                start=interview.start + timedelta(days=what[2], seconds=what[2] * 3607),
                duration=interview.duration,
                tz="UTC",
                location=None,
            )
        else:
            store.put_interview_state(iid, kept[iid])


@pytest.fixture(
    params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.integration)]
)
def new_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], Store]]:
    """A fresh, empty store of one adapter per call (one per example)."""
    made: list[Any] = []

    def new() -> Store:
        if request.param == "memory":
            return MemoryStore()
        if request.param == "sqlite":
            from followup.adapters.store.sqlite import SqliteStore

            s = SqliteStore(tmp_path / f"{len(made)}.db")
            made.append(s)
            return s
        from followup.adapters.store.postgres import PostgresDatabase

        if not made:
            made.append(PostgresDatabase(request.getfixturevalue("postgres_url"), max_size=2))
        else:
            made.pop().close()  # the previous example's tenant gives its connection back
        tenant = made[0].tenant_store(100 + len(made) + next(tenants))
        made.append(tenant)
        return tenant  # type: ignore[no-any-return]

    tenants = itertools.count()
    yield new
    for thing in reversed(made):
        thing.close()


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(history=interviews, edits=changes)
@example(history=[TIE], edits=[])
@example(history=[TIE], edits=[("note", 0, 0, "gone", 0), ("undo", 0)])
def test_stats_aggregates_equal_the_python_computation(
    new_store: Callable[[], Store], history: list[dict[str, Any]], edits: list[tuple[Any, ...]]
) -> None:
    store, reference = new_store(), MemoryStore()
    ids, ref_ids = fill(store, history), fill(reference, history)
    kept = {iid: store.interview_state(iid) for iid in ids}
    ref_kept = {iid: reference.interview_state(iid) for iid in ref_ids}
    for what in edits if ids else []:
        change(store, ids, what, kept)
        change(reference, ref_ids, what, ref_kept)
    for since in (None, SINCE, SINCE + timedelta(hours=7)):
        assert store.status_counts(since) == reference.status_counts(since)
        for minutes in (0, 30):  # on whole UTC hours (stats_sent_hours) and not
            bounds = [
                START + timedelta(days=d, hours=5, minutes=minutes) for d in range(-30, 40, 7)
            ]
            assert store.sent_note_counts(bounds, since) == reference.sent_note_counts(
                bounds, since
            )
        facts = reference.reply_facts(since)
        assert tally_rows(store.reply_rates(since, DAYS_CAP)) == tally(facts)
        assert tally_rows(store.reply_rates(since, DAYS_CAP, KINDS)) == tally(
            reference.reply_facts(since, KINDS)
        )
        assert delay_at(*store.reply_quantiles(delay_ranks, since)) == delay(
            [o.replied_at - o.ended_at for o in facts if o.replied_at]
        )
        assert outcome_delays_at(store.outcome_quantiles(delay_ranks, since)) == outcome_delays(
            reference.outcome_times(since)
        )
