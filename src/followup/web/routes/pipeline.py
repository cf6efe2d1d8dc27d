"""Pipeline: every interview by the state of its sequence, filterable by status."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from followup.app import services, views
from followup.app.errors import InvalidInput
from followup.domain.model import Status
from followup.web import pages
from followup.web.deps import Ctx, fast_json

router = APIRouter()

COLUMN = 100  # cards per column unless ?all=1: a long search stays a readable page
ORDER = tuple(Status)  # waiting, replied, closed, advanced, cancelled, then the outcomes
StatusQuery = Annotated[
    list[str],
    Query(description="Only these statuses (repeatable): " + ", ".join(s.value for s in ORDER)),
]


def _statuses(values: list[str]) -> list[Status]:
    known = {s.value: s for s in Status}
    unknown = [v for v in values if v not in known]
    if unknown:
        choices = ", ".join(known)
        raise InvalidInput(f"unknown status {unknown[0]!r}: choose from {choices}")
    return [known[v] for v in dict.fromkeys(values)]


@router.get("/pipeline", include_in_schema=False)
def pipeline(
    request: Request,
    ctx: Ctx,
    status: StatusQuery = [],  # noqa: B006
    show_all: Annotated[
        bool, Query(alias="all", description="Every card, not the newest of each column.")
    ] = False,
    after: Annotated[
        int | None,
        Query(ge=1, description="The next, older cards: those after this interview's."),
    ] = None,
) -> Response:
    chosen = _statuses(status)
    shown = [s for s in ORDER if not chosen or s in chosen]
    counts = services.status_counts(ctx)
    # Each column reads only its newest cards (an index in that order), or the next ones
    # after a card (a keyset): the page costs the same with 100 interviews or 100,000.
    limit = None if show_all else COLUMN + 1  # one more says whether there are older ones
    groups = {
        s: services.list_interviews(ctx, [s], limit, after) if s in shown else [] for s in ORDER
    }
    more = {s: limit is not None and len(rows) > COLUMN for s, rows in groups.items()}
    groups = {s: rows[:COLUMN] if limit is not None else rows for s, rows in groups.items()}
    sizes = {s: counts[s] if s in shown else 0 for s in ORDER}
    return pages.render(
        request,
        "pipeline.html",
        groups=groups,
        more=more,
        after=after,
        sizes=sizes,
        chosen={s.value for s in chosen},
        statuses=ORDER,
        total=sum(sizes.values()),
        user_tz=ctx.user_tz,
    )


@router.get(
    "/api/interviews",
    tags=["pipeline"],
    summary="Every interview: `followup list --json`",
    response_model=list[dict[str, Any]],
)
def api_interviews(
    ctx: Ctx,
    status: StatusQuery = [],  # noqa: B006
    limit: Annotated[
        int | None, Query(ge=1, description="At most this many, newest first (default: all).")
    ] = None,
    after: Annotated[
        int | None,
        Query(ge=1, description="The next page: those listed after this interview's id."),
    ] = None,
) -> Response:
    """Each interview with its sequence's status, newest first, optionally only some statuses;
    a page at a time with `limit` and `after` (`followup list --limit N --after ID --json`)."""
    rows = services.list_interviews(ctx, _statuses(status), limit, after)
    return fast_json([views.interview_row(r) for r in rows])
