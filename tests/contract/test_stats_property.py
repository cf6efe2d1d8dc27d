"""The stores' stats aggregates equal app/stats.py's arithmetic over one row per sequence.

The SQL stores compute the reply rates, the first reply's median and p90 and each outcome's
in the database (issue #17); the reference is what `stats` computed before: the in-memory
store's `reply_facts` and `outcome_times` (one row per interview, the rules written out in
Python) through `tally`, `delay` and `outcome_delays`. Random histories: cultures and tone
overrides, every status, notes sent before and after the end and the reply, sent without a
time, human and other replies before and after the end, delays on and around whole days.
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
from tests.contract.stores import NOW, START, planned

DAY = 86_400
SINCE = START - timedelta(days=10)

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


def fill(store: Store, history: list[dict[str, Any]]) -> None:
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
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(history=interviews)
@example(history=[TIE])
def test_stats_aggregates_equal_the_python_computation(
    new_store: Callable[[], Store], history: list[dict[str, Any]]
) -> None:
    store, reference = new_store(), MemoryStore()
    fill(store, history)
    fill(reference, history)
    for since in (None, SINCE):
        facts = reference.reply_facts(since)
        assert tally_rows(store.reply_rates(since, DAYS_CAP)) == tally(facts)
        assert delay_at(*store.reply_quantiles(delay_ranks, since)) == delay(
            [o.replied_at - o.ended_at for o in facts if o.replied_at]
        )
        assert outcome_delays_at(store.outcome_quantiles(delay_ranks, since)) == outcome_delays(
            reference.outcome_times(since)
        )
