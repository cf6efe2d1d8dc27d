"""Pipeline: the board of applications (issue #16) — a column per stage, one card per
application, searchable and filterable, its cards moved to record what happened — and the
list of interviews by status (`followup list`)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import parse_qs, urlencode, urlsplit

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from followup.app import board, services, views
from followup.app.context import Context
from followup.app.errors import Conflict, InvalidInput
from followup.app.parse import parse_datetime
from followup.domain.board import Move, Stage, drop_move
from followup.domain.limits import ID_MAX
from followup.domain.model import Culture, Status, Tone
from followup.web import pages
from followup.web.deps import Ctx, CurrentSession, fast_json, is_fragment, local_path
from followup.web.routes import IdPath
from followup.web.undo import last_change, offer_undo

router = APIRouter()

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


StageQuery = Annotated[
    list[str],
    Query(description="Only these columns (repeatable): " + ", ".join(s.value for s in Stage)),
]
TextQuery = Annotated[
    str | None, Query(description="In the company, the role, or a person's name or address.")
]
DueQuery = Annotated[
    str | None,
    Query(description="Only those whose next note is due: `now`, or within a `week`."),
]
CultureQuery = Annotated[
    str | None, Query(description="Only this culture: corporate, startup or other.")
]
ToneQuery = Annotated[
    str | None,
    Query(description="Only those whose notes take this tone: " + ", ".join(Tone) + "."),
]
AfterQuery = Annotated[
    int | None,
    Query(ge=1, le=ID_MAX, description="The next cards: applications older than this one."),
]


@router.get("/pipeline", include_in_schema=False)
def pipeline(
    request: Request,
    ctx: Ctx,
    stage: StageQuery = [],  # noqa: B006
    q: TextQuery = None,
    due: DueQuery = None,
    culture: CultureQuery = None,
    after: AfterQuery = None,
    tone: ToneQuery = None,
) -> Response:
    """The board of applications: a column per stage, one card per application."""
    query = board.parse_query(stage, q, due, culture, after, tone)
    fragment = is_fragment(request, "board-results")
    if not fragment and any(v == "" for _, v in request.query_params.multi_items()):
        # the plain form sends its empty fields: the address keeps only what is set
        return RedirectResponse(_url(query), status_code=303)
    values = _board_values(ctx, query)
    if fragment:
        page = pages.render(request, "_board.html", **{**values, "fragment": True})
        page.headers["HX-Push-Url"] = values["here"]  # the address as a link would be
        return page
    return pages.render(request, "pipeline.html", **values)


def _board_values(ctx: Context, query: board.Query) -> dict[str, Any]:
    shown = board.board(ctx, query)
    here = _url(query)
    return {
        "board": shown,
        "query": query,
        "here": here,
        "stages": tuple(Stage),
        "cultures": tuple(Culture),
        "tones": tuple(Tone),
        "dues": tuple(DUES.items()),
        "drops": {s: drop_move(s) for s in Stage},
        "more": {
            c.stage: _url(query, stage=[c.stage.value], after=c.more_after)
            for c in shown.columns
            if c.more_after is not None
        },
        "user_tz": ctx.user_tz,
        "refused": None,
        "filters_on": _filters_on(query),
        "narrowed": query != board.Query(),
        "unfiltered": _url(board.Query(text=query.text)),  # the search kept, no filter
        "text_max": board.SEARCH_MAX,
        "fragment": False,  # htmx's answer: what sits outside the results comes with it
    }


DUES = {"now": "Due now", "week": "Due this week"}


def _filters_on(query: board.Query) -> list[str]:
    """The filters on, in words ("Interviewing", "Due now", "startup culture")."""
    return [
        *(s.label for s in query.stages),
        *([DUES[query.due]] if query.due else []),
        *([f"{query.culture.value} culture"] if query.culture else []),
        *([f"{query.tone.value} tone"] if query.tone else []),
    ]


def _query_of(back: str) -> board.Query:
    """The board's query from its address (a move's `back`): what the page showed."""
    given = parse_qs(urlsplit(back).query)

    def one(key: str) -> str | None:
        return given.get(key, [None])[0]

    try:
        after = int(one("after") or 0) or None
        return board.parse_query(
            given.get("stage", []), one("q"), one("due"), one("culture"), after, one("tone")
        )
    except (InvalidInput, ValueError):
        return board.Query()


def _url(query: board.Query, **change: Any) -> str:
    """The board's address for this query (what the URL keeps), `change` applied."""
    values = {
        "stage": [s.value for s in query.stages],
        "q": query.text or None,
        "due": query.due,
        "culture": query.culture.value if query.culture else None,
        "tone": query.tone.value if query.tone else None,
        "after": query.after,
        **change,
    }
    pairs = [
        (k, v)
        for k, given in values.items()
        for v in (given if isinstance(given, list) else [given])
        if v is not None
    ]
    return "/pipeline" + (f"?{urlencode(pairs)}" if pairs else "")


@router.post("/interviews/{interview_id}/move", include_in_schema=False)
def move_form(
    request: Request,
    interview_id: IdPath,
    ctx: Ctx,
    session: CurrentSession,
    to: Annotated[str, Form()] = "",
    at: Annotated[str | None, Form()] = None,
    interviewer: Annotated[str | None, Form()] = None,
    back: Annotated[str | None, Form()] = None,
    confirmed: Annotated[str, Form()] = "",
) -> Response:
    """A card moved (dragged to a column, or its "Move to…" menu): what happened, recorded
    through the interview page's use-case, then the board again with "Done: … — Undo".

    "They replied" is asked first, when and who, as the page's dialog asks with JavaScript
    (`confirmed`: it was). A refusal is said by the card: for htmx its line, swapped into
    the card, else (409/400) the board again with the line in the card."""
    board_url = local_path(back, "/pipeline")
    htmx = request.headers.get("hx-request") == "true"
    try:
        if not to:
            raise InvalidInput("choose where to move it (Move to…)")
        if board.parse_move(to) is Move.REPLIED and confirmed != "1":
            detail = services.show(ctx, interview_id)
            return pages.render(
                request,
                "move_confirm.html",
                interview_id=interview_id,
                card=f"{detail.application.company}, {detail.application.role}",
                back=board_url,
            )
        since = last_change(ctx, interview_id)
        _move(ctx, interview_id, MoveIn(to=to, at=at or None, interviewer=interviewer or None))
    except (InvalidInput, Conflict) as exc:
        status = 409 if isinstance(exc, Conflict) else 400
        if htmx:  # the line into the card (htmx swaps a 200 only: an error status is logged)
            return pages.render(request, "_move_error.html", message=str(exc))
        values = _board_values(ctx, _query_of(board_url))
        shown = any(
            c.latest.id == interview_id for col in values["board"].columns for c in col.cards
        )
        values["refused"] = {"interview": interview_id, "message": str(exc), "shown": shown}
        return pages.render(request, "pipeline.html", status=status, **values)
    offer_undo(ctx, session, interview_id, since)
    if htmx:  # the board again, as after a plain post: the notice with its Undo on it
        return Response(status_code=200, headers={"HX-Redirect": board_url})
    return RedirectResponse(board_url, status_code=303)


class MoveIn(BaseModel):
    to: str = Field(description="replied, rejected, role-closed, offer, cancelled or reopen.")
    at: str | None = Field(
        default=None, description="replied only: when they replied (default: now)."
    )
    interviewer: str | None = Field(
        default=None, description="replied only: the address of who replied."
    )


def _move(ctx: Context, interview_id: int, given: MoveIn) -> None:
    instant = parse_datetime(given.at, ctx.user_tz)[0] if given.at else None
    board.move(ctx, interview_id, board.parse_move(given.to), instant, given.interviewer)


@router.post(
    "/api/interviews/{interview_id}/move",
    tags=["pipeline"],
    summary="Record what happened to an application (the board's moves)",
)
def api_move(interview_id: IdPath, ctx: Ctx, body: MoveIn) -> dict[str, Any]:
    """`replied` is `followup replied`, `rejected`/`role-closed`/`offer` what `followup
    receive` records for such an answer, `cancelled` `followup cancel`, `reopen` `followup
    reopen`: the interview as `followup show ID --json` gives it after."""
    _move(ctx, interview_id, body)
    return views.detail(services.show(ctx, interview_id))


@router.get(
    "/api/board",
    tags=["pipeline"],
    summary="The board of applications: a column per stage, its first cards",
)
def api_board(
    ctx: Ctx,
    stage: StageQuery = [],  # noqa: B006
    q: TextQuery = None,
    due: DueQuery = None,
    culture: CultureQuery = None,
    after: AfterQuery = None,
    tone: ToneQuery = None,
) -> Response:
    """The same columns and cards as the Pipeline page (`after`: the next cards of the
    columns shown, after that application)."""
    shown = board.board(ctx, board.parse_query(stage, q, due, culture, after, tone))
    return fast_json(views.board(shown))


API_PAGE = 100  # interviews a page of /api/interviews by default
API_PAGE_MAX = 1_000


@router.get(
    "/api/interviews",
    tags=["pipeline"],
    summary="The interviews, a page at a time: `followup list --json --limit N --after ID`",
    response_model=list[dict[str, Any]],
)
def api_interviews(
    request: Request,
    ctx: Ctx,
    status: StatusQuery = [],  # noqa: B006
    limit: Annotated[
        int, Query(ge=1, le=API_PAGE_MAX, description="At most this many, newest first.")
    ] = API_PAGE,
    after: Annotated[
        int | None,
        Query(
            ge=1, le=ID_MAX, description="The next page: those listed after this interview's id."
        ),
    ] = None,
) -> Response:
    """Each interview with its sequence's status, newest first, optionally only some statuses,
    a page at a time: `X-Total-Count` says how many there are in all (the statuses asked),
    and while more follow, `Link: <…>; rel="next"` is the next page's address."""
    wanted = _statuses(status)
    rows = services.list_interviews(ctx, wanted, limit + 1, after)
    counts = services.status_counts(ctx)
    total = sum(counts[s] for s in wanted) if wanted else sum(counts.values())
    response = fast_json([views.interview_row(r) for r in rows[:limit]])
    response.headers["X-Total-Count"] = str(total)
    if len(rows) > limit:
        query = [("status", s.value) for s in wanted]
        query += [("limit", str(limit)), ("after", str(rows[limit - 1].interview.id))]
        response.headers["Link"] = f'<{request.url.path}?{urlencode(query)}>; rel="next"'
    return response
