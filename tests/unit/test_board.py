"""The board of applications (issue #16): the stage rule, the next action, the moves."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from followup.adapters.clock import FixedClock
from followup.adapters.store.memory import MemoryStore
from followup.app import board, history, services
from followup.app.context import Context
from followup.app.errors import Conflict, InvalidInput
from followup.app.rows import BoardRow, NewInterviewer
from followup.domain.board import (
    KEYS,
    BoardKey,
    Move,
    Stage,
    drop_move,
    key_stage,
    keys_of,
    stage_of,
)
from followup.domain.model import Application, Interview, Status
from followup.domain.policy import ARTICLE_POLICY
from followup.domain.workdays import no_holidays

START = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)
NOW = START + timedelta(days=1)


# --- the stage rule (domain) ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "ahead", "proposed", "stage"),
    [
        (Status.WAITING, False, False, Stage.INTERVIEWING),
        (Status.WAITING, True, False, Stage.NEXT_ROUND),  # round 2 set, not yet taken place
        (Status.REPLIED, False, False, Stage.ANSWERED),
        (Status.REPLIED, False, True, Stage.NEXT_ROUND),  # they proposed a next round
        (Status.ADVANCED, False, False, Stage.NEXT_ROUND),
        (Status.OFFER, False, False, Stage.OFFER),
        (Status.REJECTED, False, False, Stage.REJECTED),
        (Status.ROLE_CLOSED, False, False, Stage.REJECTED),
        (Status.CLOSED, False, False, Stage.LET_GO),
        (Status.CANCELLED, True, True, Stage.CANCELLED),  # the flags matter only above
    ],
)
def test_the_stage_follows_the_latest_round(
    status: Status, ahead: bool, proposed: bool, stage: Stage
) -> None:
    assert stage_of(status, ahead, proposed) is stage


def test_every_kind_of_latest_round_is_in_exactly_one_column() -> None:
    for status in Status:
        for ahead in (False, True):
            for proposed in (False, True):
                stage = stage_of(status, ahead, proposed)
                matching = [
                    k
                    for k in KEYS
                    if k.status is status
                    and k.ahead in (None, ahead)
                    and k.proposed in (None, proposed)
                ]
                assert len(matching) == 1, (status, ahead, proposed)
                assert matching[0] in keys_of(stage) and key_stage(matching[0]) is stage
    assert keys_of(Stage.NEXT_ROUND) == (
        BoardKey(Status.WAITING, ahead=True),
        BoardKey(Status.REPLIED, proposed=True),
        BoardKey(Status.ADVANCED),
    )


def test_dropping_on_a_column_records_its_move_and_some_columns_take_none() -> None:
    assert drop_move(Stage.ANSWERED) is Move.REPLIED
    assert drop_move(Stage.REJECTED) is Move.REJECTED
    assert drop_move(Stage.INTERVIEWING) is Move.REOPEN
    assert drop_move(Stage.LET_GO) is None and drop_move(Stage.NEXT_ROUND) is None


# --- the next action (app) -----------------------------------------------------------------


def _row(
    status: Status = Status.WAITING,
    round_: int = 1,
    start: datetime = START,
    next_kind: str | None = None,
    due: datetime | None = None,
    proposed: bool = False,
) -> BoardRow:
    app = Application(7, "Acme", "Engineer")
    latest = Interview(
        id=42,
        application_id=7,
        round=round_,
        start=start,
        duration=timedelta(hours=1),
        tz="Europe/Berlin",
        status=status,
    )
    return BoardRow(app, latest, proposed, next_kind, due)


def test_the_next_action_names_the_note_its_recipients_and_when() -> None:
    due = NOW + timedelta(days=2)
    row = _row(next_kind="follow-up", due=due)
    action = board.next_action(Stage.INTERVIEWING, row, ["Ada Lovelace", "Bob Stone"])
    assert action == board.NextAction(
        "Send the follow-up to Ada Lovelace, Bob Stone", due, "/interviews/42"
    )
    nothing_pending = board.next_action(Stage.INTERVIEWING, _row(), [])
    assert nothing_pending == board.NextAction("Wait for their answer", None, "/interviews/42")


def test_a_next_round_is_prepared_for_or_added() -> None:
    later = NOW + timedelta(days=3)
    ahead = _row(round_=2, start=later)
    assert board.next_action(Stage.NEXT_ROUND, ahead, []) == board.NextAction(
        "Prepare for round 2", later, "/interviews/42"
    )
    proposed = _row(Status.REPLIED, proposed=True)
    assert board.next_action(Stage.NEXT_ROUND, proposed, []) == board.NextAction(
        "Add round 2 when it is set", None, "/add?application=7"
    )


def test_an_ended_application_has_no_next_action() -> None:
    for stage, status in (
        (Stage.REJECTED, Status.REJECTED),
        (Stage.LET_GO, Status.CLOSED),
        (Stage.CANCELLED, Status.CANCELLED),
    ):
        assert board.next_action(stage, _row(status), []) is None
    assert board.next_action(Stage.OFFER, _row(Status.OFFER), [])  # answer it


def test_a_card_offers_only_the_moves_its_use_cases_accept() -> None:
    assert board.moves(Status.WAITING) == (
        Move.REPLIED,
        Move.REJECTED,
        Move.ROLE_CLOSED,
        Move.OFFER,
        Move.CANCELLED,
    )
    assert board.moves(Status.REJECTED) == (Move.CANCELLED, Move.REOPEN)
    assert board.moves(Status.CANCELLED) == (Move.REOPEN,)
    assert Move.REPLIED not in board.moves(Status.REPLIED)


# --- the board and its moves over a store --------------------------------------------------


def _context() -> Context:
    return Context(
        store=MemoryStore(),
        clock=FixedClock(NOW),
        policy=ARTICLE_POLICY,
        user_tz="Europe/Berlin",
        holidays=lambda country: no_holidays,
    )


def _add(ctx: Context, company: str, people: tuple[str, ...] = ("Ada Lovelace",)) -> int:
    return services.add_interview(
        ctx,
        services.NewInterview(
            company=company,
            role="Engineer",
            start=START,
            tz="Europe/Berlin",
            interviewers=[
                NewInterviewer(p, f"{p.split()[0].lower()}@{company.lower()}.example")
                for p in people
            ],
        ),
    ).interview_id


def test_the_board_has_one_card_per_application_with_its_rounds_and_people() -> None:
    ctx = _context()
    first = _add(ctx, "Acme")
    app_id = services.find_interview(ctx, first).application_id
    services.add_interview(
        ctx,
        services.NewInterview(
            company="",
            role="",
            start=NOW + timedelta(days=2),
            tz="Europe/Berlin",
            application_id=app_id,
            interviewers=[NewInterviewer("Bob Stone", "bob@acme.example")],
        ),
    )
    _add(ctx, "Globex", ("Hank Scorpio",))
    shown = board.board(ctx, board.Query())
    cols = {c.stage: c for c in shown.columns}
    [acme] = cols[Stage.NEXT_ROUND].cards
    assert (acme.application.company, acme.rounds, acme.people) == (
        "Acme",
        2,
        ("Ada Lovelace", "Bob Stone"),
    )
    assert acme.action is not None and acme.action.text == "Prepare for round 2"
    [globex] = cols[Stage.INTERVIEWING].cards
    assert globex.action is not None
    assert globex.action.text == "Send the thank-you to Hank Scorpio"
    assert shown.total == 2
    only = board.board(ctx, board.parse_query(text="scorpio"))
    assert [c.application.company for col in only.columns for c in col.cards] == ["Globex"]


def test_a_column_shows_its_first_cards_and_the_keyset_for_more() -> None:
    ctx = _context()
    for n in range(board.COLUMN + 2):
        _add(ctx, f"Co{n}")
    first = {c.stage: c for c in board.board(ctx, board.Query()).columns}[Stage.INTERVIEWING]
    assert (first.size, len(first.cards)) == (board.COLUMN + 2, board.COLUMN)
    assert first.more_after == first.cards[-1].application.id
    query = board.parse_query([Stage.INTERVIEWING.value], after=first.more_after)
    [rest] = board.board(ctx, query).columns
    assert [c.application.company for c in rest.cards] == ["Co1", "Co0"]
    assert rest.more_after is None


@pytest.mark.parametrize("status", list(Status))
def test_the_menu_offers_they_replied_exactly_where_the_use_case_accepts_it(
    status: Status,
) -> None:
    ctx = _context()
    iid = _add(ctx, "Acme")
    ctx.store.set_status(iid, status, NOW)
    try:
        services.mark_replied(ctx, iid, NOW)
        accepted = True
    except Conflict:
        accepted = False
    assert (Move.REPLIED in board.moves(status)) is accepted


def test_moves_go_through_the_use_cases_and_undo_takes_them_back() -> None:
    ctx = _context()
    iid = _add(ctx, "Acme")
    board.move(ctx, iid, Move.REPLIED, NOW - timedelta(hours=1), "ada@acme.example")
    assert services.find_interview(ctx, iid).status is Status.REPLIED
    assert history.latest(ctx, iid).kind == "replied"  # type: ignore[union-attr]
    with pytest.raises(Conflict):  # the use-case's own check: reopen it first
        board.move(ctx, iid, Move.REPLIED)
    board.move(ctx, iid, Move.REJECTED)
    assert services.find_interview(ctx, iid).status is Status.REJECTED
    history.undo(ctx, iid)
    assert services.find_interview(ctx, iid).status is Status.REPLIED
    board.move(ctx, iid, Move.REOPEN)
    assert services.find_interview(ctx, iid).status is Status.WAITING
    board.move(ctx, iid, Move.OFFER)
    assert services.find_interview(ctx, iid).status is Status.OFFER
    with pytest.raises(InvalidInput):
        board.move(ctx, iid, Move.CANCELLED, at=NOW)


def test_a_query_refuses_what_it_does_not_know() -> None:
    for bad in (
        {"stages": ["bogus"]},
        {"due": "soon"},
        {"culture": "chaotic"},
        {"tone": "rude"},
        {"text": "x" * 201},
    ):
        with pytest.raises(InvalidInput):
            board.parse_query(**bad)  # type: ignore[arg-type]
    query = board.parse_query(["offer", "interviewing"], " acme ", "week", "startup")
    assert query == board.Query(
        (Stage.INTERVIEWING, Stage.OFFER), "acme", "week", board.Culture.STARTUP, None
    )
