"""BoardStore: applications by their latest round, matched against the domain's keys."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from followup.app.ports import Store
from followup.app.rows import BoardFilter, BoardRow, NewInterviewer
from followup.domain.board import Stage, keys_of
from followup.domain.model import Culture, Status
from tests.contract.stores import NOW, START, new_interview, planned

EVERY = BoardFilter()


def _round(store: Store, first: int, start: object = START + timedelta(days=1)) -> int:
    """A later round of `first`'s application."""
    interview = store.get_interview(first)
    assert interview is not None
    return store.add_interview(
        application_id=interview.application_id,
        start=start,  # type: ignore[arg-type]
        duration=timedelta(hours=1),
        tz="Europe/Berlin",
        now=NOW,
    )


def _page(
    store: Store, stage: Stage, chosen: BoardFilter = EVERY, limit: int = 50, **kw: Any
) -> list[BoardRow]:
    """One column's page; asked for beside every other column, it is the same."""
    now, after = kw.get("now", NOW), kw.get("after")
    alone = store.board_columns([keys_of(stage)], chosen, now, limit, after)
    every = store.board_columns([keys_of(s) for s in Stage], chosen, now, limit, after)
    assert every[list(Stage).index(stage)] == alone[0]
    counts, pages = store.board_read([keys_of(s) for s in Stage], chosen, now, limit, after)
    assert pages == every  # read with the counts, in one statement: the same
    assert counts == store.board_counts([keys_of(s) for s in Stage], chosen, now)
    return alone[0]


def _column(store: Store, stage: Stage, chosen: BoardFilter = EVERY) -> list[str]:
    return [r.application.company for r in _page(store, stage, chosen)]


class TestBoardStore:
    def test_each_application_is_placed_by_its_latest_round(self, store: Store) -> None:
        with store.transaction():
            waiting = new_interview(store, "Waiting")
            store.set_next(waiting, 1, "thank-you", NOW + timedelta(hours=3))
            two = new_interview(store, "Two rounds")
            store.set_status(two, Status.ADVANCED, NOW)
            ahead = _round(store, two, NOW + timedelta(days=2))
            replied = new_interview(store, "Replied")
            store.set_status(replied, Status.REPLIED, NOW)
            proposed = new_interview(store, "Proposed")
            store.set_status(proposed, Status.REPLIED, NOW)
            for kind, at in (("human", NOW - timedelta(hours=2)), ("scheduling", NOW)):
                store.add_inbound(
                    interview_id=proposed,
                    classification=kind,
                    received_at=at,
                    now=NOW,
                    source="manual",
                )
            for company, status in (
                ("Offer", Status.OFFER),
                ("Rejected", Status.REJECTED),
                ("Closed role", Status.ROLE_CLOSED),
                ("Let go", Status.CLOSED),
                ("Cancelled", Status.CANCELLED),
            ):
                store.set_status(new_interview(store, company), status, NOW)
        assert _column(store, Stage.INTERVIEWING) == ["Waiting"]
        assert _column(store, Stage.NEXT_ROUND) == ["Proposed", "Two rounds"]
        assert _column(store, Stage.ANSWERED) == ["Replied"]
        assert _column(store, Stage.OFFER) == ["Offer"]
        assert _column(store, Stage.REJECTED) == ["Closed role", "Rejected"]
        assert _column(store, Stage.LET_GO) == ["Let go"]
        assert _column(store, Stage.CANCELLED) == ["Cancelled"]
        stages = list(Stage)
        assert store.board_counts([keys_of(s) for s in stages], EVERY, NOW) == [
            1, 1, 2, 1, 2, 1, 1,
        ]  # fmt: skip
        [row] = _page(store, Stage.INTERVIEWING, limit=5)
        assert (row.latest.id, row.next_kind, row.next_due_at, row.proposed) == (
            waiting,
            "thank-you",
            NOW + timedelta(hours=3),
            False,
        )
        two_rounds = _page(store, Stage.NEXT_ROUND, limit=5)[1]
        assert (two_rounds.latest.id, two_rounds.latest.round) == (ahead, 2)
        # once the later round has taken place, the application is interviewing again
        later = NOW + timedelta(days=3)
        shown = _page(store, Stage.INTERVIEWING, limit=5, now=later)
        assert [r.application.company for r in shown] == ["Two rounds", "Waiting"]

    def test_a_column_is_paged_by_application_newest_first(self, store: Store) -> None:
        with store.transaction():
            for company in "ABCDE":
                new_interview(store, company)
        first = _page(store, Stage.INTERVIEWING, limit=2)
        assert [r.application.company for r in first] == ["E", "D"]
        second = _page(store, Stage.INTERVIEWING, limit=2, after=first[-1].application.id)
        assert [r.application.company for r in second] == ["C", "B"]
        after_d = first[-1].application.id
        searched = _page(store, Stage.INTERVIEWING, BoardFilter("c"), 2, after=after_d)
        assert [r.application.company for r in searched] == ["C"]

    def test_search_finds_company_role_and_people_in_any_case(self, store: Store) -> None:
        with store.transaction():
            acme = new_interview(store, "Acme")
            store.add_interviewer(acme, NewInterviewer("Ada Lovelace", "ada@acme.example"))
            globex = new_interview(store, "Globex")
            store.add_interviewer(_round(store, globex), NewInterviewer("Hank Scorpio", None))
            new_interview(store, "100%_real")
        assert _column(store, Stage.INTERVIEWING, BoardFilter("acme")) == ["Acme"]
        assert _column(store, Stage.INTERVIEWING, BoardFilter("LOVELACE")) == ["Acme"]
        assert _column(store, Stage.INTERVIEWING, BoardFilter("ada@")) == ["Acme"]
        assert _column(store, Stage.INTERVIEWING, BoardFilter("scorpio")) == ["Globex"]
        assert _column(store, Stage.INTERVIEWING, BoardFilter("engineer")) == [
            "100%_real", "Globex", "Acme",
        ]  # fmt: skip
        # LIKE's wildcards are searched for literally
        assert _column(store, Stage.INTERVIEWING, BoardFilter("0%_")) == ["100%_real"]
        assert _column(store, Stage.INTERVIEWING, BoardFilter("a_m")) == []
        assert store.board_counts([keys_of(Stage.INTERVIEWING)], BoardFilter("acme"), NOW) == [1]

    def test_filters_by_culture_and_due_time(self, store: Store) -> None:
        with store.transaction():
            soon = new_interview(store, "Soon")
            store.set_next(soon, 1, "thank-you", NOW + timedelta(hours=1))
            later = new_interview(store, "Later")
            store.set_next(later, 2, "follow-up", NOW + timedelta(days=6))
            corporate = store.add_application(
                company="Initech",
                role="Engineer",
                culture=Culture.CORPORATE,
                country=None,
                domains=(),
                now=NOW,
            )
            store.add_interview(
                application_id=corporate,
                start=START,
                duration=timedelta(hours=1),
                tz="UTC",
                now=NOW,
            )
        assert _column(store, Stage.INTERVIEWING, BoardFilter(culture="corporate")) == ["Initech"]
        # the tone its notes take: the culture's (startup: casual), or the user's choice
        casual = BoardFilter(tone="casual", tone_cultures=("startup",))
        formal = BoardFilter(tone="formal", tone_cultures=("corporate",))
        assert _column(store, Stage.INTERVIEWING, casual) == ["Later", "Soon"]
        assert _column(store, Stage.INTERVIEWING, formal) == ["Initech"]
        with store.transaction():
            store.set_tone(corporate, "casual")
        assert _column(store, Stage.INTERVIEWING, casual) == ["Initech", "Later", "Soon"]
        assert _column(store, Stage.INTERVIEWING, formal) == []
        assert store.board_counts([keys_of(Stage.INTERVIEWING)], casual, NOW) == [3]
        due_now = BoardFilter(due_by=NOW + timedelta(hours=2))
        assert _column(store, Stage.INTERVIEWING, due_now) == ["Soon"]
        this_week = BoardFilter(due_by=NOW + timedelta(days=7))
        assert _column(store, Stage.INTERVIEWING, this_week) == ["Later", "Soon"]

    def test_people_and_the_next_steps_recipients(self, store: Store) -> None:
        with store.transaction():
            first = new_interview(store)
            ada = store.add_interviewer(first, NewInterviewer("Ada", "ada@acme.example"))
            second = _round(store, first)
            bob = store.add_interviewer(second, NewInterviewer("Bob", None))
            cy = store.add_interviewer(second, NewInterviewer("Cy", None))
            store.remove_interviewer(cy, NOW)
            store.add_note(second, planned(step=1, who=bob), NOW)
            store.add_note(second, planned(step=2, who=bob), NOW)
            store.set_next(second, 1, "thank-you", NOW)
        app_id = store.get_interview(first).application_id  # type: ignore[union-attr]
        people = store.board_people([app_id])
        assert [(p.interview_id, p.interviewer_id, p.name) for p in people] == [
            (first, ada, "Ada"),
            (second, bob, "Bob"),
        ]
        assert store.board_people([]) == []
        assert store.pending_recipients([first, second]) == {second: [bob]}

    def test_approved_next_is_the_rounds_whose_next_notes_are_all_approved(
        self, store: Store
    ) -> None:
        with store.transaction():
            one = new_interview(store)
            ada = store.add_interviewer(one, NewInterviewer("Ada", "ada@acme.example"))
            bob = store.add_interviewer(one, NewInterviewer("Bob", "bob@acme.example"))
            to_ada = store.add_note(one, planned(step=1, who=ada), NOW)
            to_bob = store.add_note(one, planned(step=1, who=bob), NOW)
            later = store.add_note(one, planned(step=2, who=ada), NOW)
            store.set_next(one, 1, "thank-you", NOW)
        assert store.approved_next([one]) == set()
        with store.transaction():
            store.approve_note(to_ada, NOW, "digest")
            store.approve_note(later, NOW, "digest")  # not the next step: no matter
        assert store.approved_next([one]) == set()  # Bob's is not approved yet
        with store.transaction():
            store.approve_note(to_bob, NOW, "digest")
        assert store.approved_next([one]) == {one}
        assert store.approved_next([]) == set()
