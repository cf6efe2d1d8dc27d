"""The board of applications (issue #16): where an application stands, from its latest round.

One card per application (company + role), its rounds inside. Its column — its stage — is
decided here and only here, from three facts about its latest round: the round's status,
whether it is a later round still ahead (scheduled, not yet taken place), and whether its
last answer proposed a next round (a `scheduling` message). The stores do not know the rule:
they are handed the `BoardKey`s of a stage (`keys_of`) and match rows against them, so that
paging a column, counting it and placing one card can never disagree.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

from followup.domain.model import Status


class Stage(StrEnum):
    INTERVIEWING = "interviewing"  # the latest round's follow-up sequence is running
    ANSWERED = "answered"  # they replied to the latest round
    NEXT_ROUND = "next-round"  # a later round is scheduled, or they proposed one
    OFFER = "offer"
    REJECTED = "rejected"  # rejected, or the role closed
    LET_GO = "let-go"  # the final note went out without an answer: let it go
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return LABELS[self]


LABELS = {
    Stage.INTERVIEWING: "Interviewing",
    Stage.ANSWERED: "Answered",
    Stage.NEXT_ROUND: "Next round",
    Stage.OFFER: "Offer",
    Stage.REJECTED: "Rejected / role closed",
    Stage.LET_GO: "Let go",
    Stage.CANCELLED: "Cancelled",
}


class BoardKey(NamedTuple):
    """A kind of latest round: its status and, where they matter, the two facts beside it
    (None: either). `ahead`: a round after the first whose start is still to come;
    `proposed`: its newest inbound message proposed a next round."""

    status: Status
    ahead: bool | None = None
    proposed: bool | None = None


def stage_of(status: Status, ahead: bool, proposed: bool) -> Stage:
    """The application's stage, from its latest round."""
    if status is Status.WAITING:
        return Stage.NEXT_ROUND if ahead else Stage.INTERVIEWING
    if status is Status.REPLIED:
        return Stage.NEXT_ROUND if proposed else Stage.ANSWERED
    return _BY_STATUS[status]


_BY_STATUS = {
    Status.ADVANCED: Stage.NEXT_ROUND,  # the round after it is not recorded (yet)
    Status.CLOSED: Stage.LET_GO,
    Status.CANCELLED: Stage.CANCELLED,
    Status.REJECTED: Stage.REJECTED,
    Status.ROLE_CLOSED: Stage.REJECTED,
    Status.OFFER: Stage.OFFER,
}

# Every kind of latest round, the flags spelt out only where `stage_of` reads them.
KEYS = (
    BoardKey(Status.WAITING, ahead=False),
    BoardKey(Status.WAITING, ahead=True),
    BoardKey(Status.REPLIED, proposed=False),
    BoardKey(Status.REPLIED, proposed=True),
    *(BoardKey(s) for s in _BY_STATUS),
)


def key_stage(key: BoardKey) -> Stage:
    return stage_of(key.status, bool(key.ahead), bool(key.proposed))


def keys_of(stage: Stage) -> tuple[BoardKey, ...]:
    """The kinds of latest round that put an application in this column."""
    return tuple(k for k in KEYS if key_stage(k) is stage)


class Move(StrEnum):
    """What a card can be moved to (a drag onto a column, or its "Move to…" menu): each is
    one of the use-cases the interview page's buttons call."""

    REPLIED = "replied"  # "They replied"
    REJECTED = "rejected"
    ROLE_CLOSED = "role-closed"
    OFFER = "offer"
    CANCELLED = "cancelled"
    REOPEN = "reopen"

    @property
    def label(self) -> str:
        return MOVE_LABELS[self]

    @property
    def stage(self) -> Stage:
        """The column a card lands in."""
        return MOVE_STAGES[self]


MOVE_LABELS = {
    Move.REPLIED: "They replied",
    Move.REJECTED: "Rejected",
    Move.ROLE_CLOSED: "Role closed",
    Move.OFFER: "Offer",
    Move.CANCELLED: "Cancelled",
    Move.REOPEN: "Reopen (interviewing)",
}
MOVE_STAGES = {
    Move.REPLIED: Stage.ANSWERED,
    Move.REJECTED: Stage.REJECTED,
    Move.ROLE_CLOSED: Stage.REJECTED,
    Move.OFFER: Stage.OFFER,
    Move.CANCELLED: Stage.CANCELLED,
    Move.REOPEN: Stage.INTERVIEWING,
}


def drop_move(stage: Stage) -> Move | None:
    """What dropping a card on this column records (None: not a place to drop one)."""
    return next((m for m in Move if MOVE_STAGES[m] is stage), None)
