"""The board of applications (issue #16): one card per application, by stage, and moves.

Which column a card is in is domain/board.py's rule; here are what each card says (its
rounds, people and next action), the board's search and filters, its keyset pages, and the
moves a card can make — each one of the use-cases the interview page's buttons call, with
the same checks (a reply only ends an open sequence; reopen only an ended one; …).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import NamedTuple

from followup.app import history, services, wording
from followup.app.context import Context
from followup.app.errors import InvalidInput
from followup.app.parse import person_label
from followup.app.rows import BoardFilter, BoardPerson, BoardRow
from followup.domain.board import Move, Stage, keys_of, stage_of
from followup.domain.compose import choose_tone
from followup.domain.model import Application, Culture, Interview, Status, Tone

COLUMN = 10  # cards per column on the whole board: its size stays small on any home
ONE_COLUMN = 50  # cards when one column is chosen
WEEK = timedelta(days=7)
DUE = {"now": timedelta(0), "week": WEEK}  # ?due=…: the next note due by now, within 7 days


class Query(NamedTuple):
    """What the board shows: all of these that are given (the page's URL keeps them)."""

    stages: tuple[Stage, ...] = ()  # none: every column
    text: str = ""
    due: str | None = None  # a key of DUE
    culture: Culture | None = None
    after: int | None = None  # a keyset page: the applications after this one (by id)
    tone: Tone | None = None  # the tone its notes take (chosen, or its culture's)


class NextAction(NamedTuple):
    text: str  # "Send the follow-up to Ada Lovelace"
    due: datetime | None  # when (shown in the user's zone), if it has a time
    href: str  # where to do it


class Card(NamedTuple):
    application: Application
    latest: Interview  # the latest round: what the card's moves act on
    stage: Stage
    rounds: int
    people: tuple[str, ...]  # everyone on its rounds, once each, first met first
    action: NextAction | None
    moves: tuple[Move, ...]  # what it can be moved to (its "Move to…" menu)


class Column(NamedTuple):
    stage: Stage
    size: int  # how many applications match (all pages)
    cards: tuple[Card, ...]
    more_after: int | None  # an older page exists: the keyset for it (the last card's id)


class Board(NamedTuple):
    columns: tuple[Column, ...]
    total: int
    query: Query


SEARCH_MAX = 200  # characters in a search (the box says so when a paste is cut)


def parse_query(
    stages: Sequence[str] = (),
    text: str | None = None,
    due: str | None = None,
    culture: str | None = None,
    after: int | None = None,
    tone: str | None = None,
) -> Query:
    """The board's query from a form's values; a value it does not know is one clear line."""
    known = {s.value: s for s in Stage}
    chosen = []
    for value in dict.fromkeys(stages):
        if value not in known:
            raise InvalidInput(f"unknown stage {value!r}: choose from {', '.join(known)}")
        chosen.append(known[value])
    if due and due not in DUE:
        raise InvalidInput(f"unknown due {due!r}: choose from {', '.join(DUE)}")
    cultures = {c.value: c for c in Culture}
    if culture and culture not in cultures:
        raise InvalidInput(f"unknown culture {culture!r}: choose from {', '.join(cultures)}")
    tones = {t.value: t for t in Tone}
    if tone and tone not in tones:
        raise InvalidInput(f"unknown tone {tone!r}: choose from {', '.join(tones)}")
    text = (text or "").strip()
    if "\x00" in text:  # PostgreSQL's text refuses it: a 500 there (a trial)
        raise InvalidInput("the search contains a NUL character")
    if len(text) > SEARCH_MAX:
        raise InvalidInput(f"the search is too long: at most {SEARCH_MAX} characters")
    return Query(
        stages=tuple(s for s in Stage if s in chosen),
        text=text,
        due=due or None,
        culture=cultures[culture] if culture else None,
        after=after,
        tone=tones[tone] if tone else None,
    )


def board(ctx: Context, query: Query) -> Board:
    """The columns the query asks for, each with its first cards (or the page `after`)."""
    now = ctx.clock.now()
    shown = query.stages or tuple(Stage)
    chosen = BoardFilter(
        text=query.text,
        culture=query.culture.value if query.culture else None,
        due_by=now + DUE[query.due] if query.due else None,
        tone=query.tone.value if query.tone else None,
        tone_cultures=tuple(c.value for c in Culture if choose_tone(c)[0] is query.tone),
    )
    size = ONE_COLUMN if len(shown) == 1 else COLUMN
    with ctx.store.snapshot():  # one consistent read: counts and pages agree
        counts, read = ctx.store.board_read(
            [keys_of(s) for s in shown], chosen, now, size + 1, query.after
        )
        pages = dict(zip(shown, read, strict=True))
        rows = [r for page in pages.values() for r in page[:size]]
        people = ctx.store.board_people([r.application.id for r in rows])
        recipients = ctx.store.pending_recipients(
            [r.latest.id for r in rows if r.next_kind is not None]
        )
        approved = ctx.store.approved_next([r.latest.id for r in rows if r.next_kind is not None])
        failed = ctx.store.failed_recipients(
            [r.latest.id for r in rows if r.latest.status is Status.WAITING]
        )
    by_app: dict[int, list[BoardPerson]] = {}
    for p in people:
        by_app.setdefault(p.application_id, []).append(p)
    columns = []
    for stage, count in zip(shown, counts, strict=True):
        page = pages[stage]
        cards = tuple(
            card(
                r,
                by_app.get(r.application.id, []),
                recipients.get(r.latest.id, []),
                now,
                failed.get(r.latest.id, []),
                approved=r.latest.id in approved,
            )
            for r in page[:size]
        )
        more = cards[-1].application.id if len(page) > size else None
        columns.append(Column(stage, count, cards, more))
    return Board(tuple(columns), sum(counts), query)


def card(
    row: BoardRow,
    people: Sequence[BoardPerson],
    recipients: Sequence[int],
    now: datetime,
    failed: Sequence[tuple[str, int | None]] = (),
    *,
    approved: bool = False,
) -> Card:
    latest = row.latest
    ahead = latest.round > 1 and latest.start > now
    stage = stage_of(latest.status, ahead, row.proposed)
    names = tuple(dict.fromkeys(person_label(p.name, p.email) for p in people))
    to = [person_label(p.name, p.email) for p in people if p.interviewer_id in recipients]
    return Card(
        application=row.application,
        latest=latest,
        stage=stage,
        rounds=latest.round,
        people=names,
        action=_resend(stage, row, people, failed) or next_action(stage, row, to, approved),
        moves=moves(latest.status),
    )


def _resend(
    stage: Stage,
    row: BoardRow,
    people: Sequence[BoardPerson],
    failed: Sequence[tuple[str, int | None]],
) -> NextAction | None:
    """A note the recipient's server refused comes first: fix the address, then Try again
    on the interview page (where the reason is)."""
    if stage is not Stage.INTERVIEWING or not failed:
        return None
    kind, person_id = failed[0]
    names = {p.interviewer_id: person_label(p.name, p.email) for p in people}
    to = f" to {names[person_id]}" if person_id in names else ""
    return NextAction(
        f"Fix and resend the {wording.kind_label(kind)}{to}",
        None,
        f"/interviews/{row.latest.id}#drafts",
    )


def next_action(
    stage: Stage, row: BoardRow, recipients: Sequence[str], approved: bool = False
) -> NextAction | None:
    """What to do next about the application, and by when (None: nothing to do). A note
    approved with "Send when due" asks nothing of the user: it goes out by itself."""
    latest = row.latest
    page = f"/interviews/{latest.id}"
    if stage is Stage.INTERVIEWING:
        if row.next_kind is None:
            return NextAction("Wait for their answer", None, page)
        to = f" to {', '.join(recipients)}" if recipients else ""
        if approved:
            kind = wording.kind_label(row.next_kind)
            return NextAction(
                f"The {kind}{to} is approved: it goes out by itself",
                row.next_due_at,
                page,
            )
        return NextAction(
            f"Send the {wording.kind_label(row.next_kind)}{to}", row.next_due_at, page
        )
    if stage is Stage.NEXT_ROUND:
        if latest.status is Status.WAITING:  # a later round, still ahead
            return NextAction(f"Prepare for round {latest.round}", latest.start, page)
        add = f"/add?application={row.application.id}"
        return NextAction(f"Add round {latest.round + 1} when it is set", None, add)
    if stage is Stage.ANSWERED:
        return NextAction("Read their answer and reply", None, page)
    if stage is Stage.OFFER:
        return NextAction("Answer the offer", None, page)
    return None  # rejected, let go, cancelled: the application has ended


def moves(status: Status) -> tuple[Move, ...]:
    """What a card whose latest round has this status can be moved to: what the use-cases
    below accept from it (their own checks, so the menu offers nothing they refuse)."""
    can = {
        Move.REPLIED: status in services.REPLIABLE,
        Move.REJECTED: status in services.CONCLUDABLE,
        Move.ROLE_CLOSED: status in services.CONCLUDABLE,
        Move.OFFER: status in services.CONCLUDABLE,
        Move.CANCELLED: status is not Status.CANCELLED,
        Move.REOPEN: status in history.REOPENABLE,
    }
    return tuple(m for m in Move if can[m])


OUTCOMES = {Move.REJECTED: Status.REJECTED, Move.ROLE_CLOSED: Status.ROLE_CLOSED}


def move(
    ctx: Context,
    interview_id: int,
    to: Move,
    at: datetime | None = None,
    from_addr: str | None = None,
) -> None:
    """Record what happened to an application (a card dragged to a column, or its "Move
    to…" menu) through the use-case the interview page's button calls."""
    if to is not Move.REPLIED and (at is not None or from_addr):
        raise InvalidInput("only “They replied” takes a time and who answered")
    if to is Move.REPLIED:
        services.mark_replied(ctx, interview_id, at, from_addr=from_addr)
    elif to is Move.CANCELLED:
        services.cancel(ctx, interview_id)
    elif to is Move.REOPEN:
        history.reopen(ctx, interview_id)
    else:
        services.conclude(ctx, interview_id, OUTCOMES.get(to, Status.OFFER))


def parse_move(value: str) -> Move:
    known = {m.value: m for m in Move}
    if value not in known:
        raise InvalidInput(f"unknown move {value!r}: choose from {', '.join(known)}")
    return known[value]
