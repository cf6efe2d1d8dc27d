"""The agenda's risk classes are decided twice: in SQL, to rank thousands of open sequences
through an index (adapters/store/sqlstore.py: agenda_page, agenda_counts, from
planner.risk_cutoffs), and by `planner.standing` for each row shown. They
must agree at every boundary — the due time, the grace before overdue, the fading time —
and a hair either side of it, on a real SQLite store (instants stored to the second), and on
the memory store, which ranks the same classes in Python (adapters/store/memory.py)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from followup.adapters.store.memory import MemoryStore
from followup.adapters.store.sqlite import SqliteStore
from followup.app.ports import Store
from followup.domain.model import Culture, NoteKind
from followup.domain.planner import risk_cutoffs, standing
from followup.domain.policy import ARTICLE_POLICY, Policy

KINDS = (NoteKind.THANK_YOU, NoteKind.FOLLOW_UP, NoteKind.FINAL)
RANK = {"fading": 0, "overdue": 1, "due": 2, "upcoming": 3}
DURATION = timedelta(hours=1)

nows = st.datetimes(
    min_value=datetime(2001, 1, 1), max_value=datetime(2090, 1, 1), timezones=st.just(UTC)
)
spans = st.timedeltas(min_value=timedelta(seconds=1), max_value=timedelta(days=40))
# how far from a boundary: on it, a microsecond or a second either side, or anywhere near
NUDGES = (timedelta(0), timedelta(microseconds=1), timedelta(seconds=1))
nudges = st.sampled_from([*NUDGES, *(-n for n in NUDGES[1:])]) | st.timedeltas(
    min_value=-timedelta(days=3), max_value=timedelta(days=3)
)


@st.composite
def cases(draw: st.DrawFn) -> tuple[datetime, Policy, list[tuple[int, datetime, datetime]]]:
    """`now`, a policy, and open sequences as (next step, its due time, the interview's end),
    each due time near `now` or the overdue line, each end near a fading line."""
    now = draw(nows)
    # the first step's delay: sooner or later than fading_after (a late thank-you fades
    # only once it may be sent)
    first = ARTICLE_POLICY.steps[0]._replace(delay=draw(spans))
    policy = ARTICLE_POLICY._replace(
        steps=(first, *ARTICLE_POLICY.steps[1:]),
        overdue_after=draw(spans),
        fading_after=draw(spans),
        custom=True,
    )
    due_lines = (now, now - policy.overdue_after)
    fading_lines = (now - policy.fading_after, now - first.delay)
    rows = draw(
        st.lists(
            st.tuples(
                st.integers(1, 3),
                st.sampled_from(due_lines).flatmap(lambda line: nudges.map(lambda d: line + d)),
                st.sampled_from(fading_lines).flatmap(lambda line: nudges.map(lambda d: line + d)),
            ),
            min_size=1,
            max_size=8,
        )
    )
    return now, policy, rows


def class_of(step: int, due: datetime, end: datetime, now: datetime, policy: Policy) -> str:
    """The planner's answer, as the agenda use-case puts it together."""
    risk = standing(step, due, end, now, policy)
    return "fading" if risk.fading else risk.state.value


def new_store(adapter: str) -> Store:
    return SqliteStore(":memory:") if adapter == "sqlite" else MemoryStore()


@pytest.mark.parametrize("adapter", ["sqlite", "memory"])
@settings(max_examples=300, deadline=None)
@given(cases())
def test_sql_classes_agree_with_the_planner(
    adapter: str, case: tuple[datetime, Policy, list[tuple[int, datetime, datetime]]]
) -> None:
    now, policy, rows = case
    store = new_store(adapter)
    try:
        with store.transaction():
            app = store.add_application(
                company="Acme", role="Engineer", culture=Culture.OTHER, country=None,
                domains=[], now=now,
            )  # fmt: skip
            ids = []
            for step, due, end in rows:
                iid = store.add_interview(
                    application_id=app, start=end - DURATION, duration=DURATION, tz="UTC",
                    now=now,
                )  # fmt: skip
                store.set_next(iid, step, KINDS[step - 1].value, due)
                ids.append(iid)
        cutoffs = risk_cutoffs(now, policy)
        page = store.agenda_page(cutoffs, None)
        # Judged on the instants as stored and read back, as app/agenda.py judges them.
        classes = [class_of(r.step, r.due_at, r.interview_end, now, policy) for r in page]
        assert sorted(r.interview_id for r in page) == ids
        assert [RANK[c] for c in classes] == sorted(RANK[c] for c in classes), (
            "SQL ranked a row into another class than the planner's",
            list(zip(classes, page, strict=True)),
        )
        expected = Counter(classes)
        assert store.agenda_counts(cutoffs) == tuple(expected[c] for c in RANK)
        for limit in range(1, len(page)):  # each class's own LIMIT keeps the same order
            assert store.agenda_page(cutoffs, limit) == page[:limit]
    finally:
        if isinstance(store, SqliteStore):
            store.close()
