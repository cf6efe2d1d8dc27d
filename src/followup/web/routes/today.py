"""Today: the agenda, most at risk first, with one click to draft, mark sent or record a reply."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from followup.app import services, views
from followup.app.agenda import agenda
from followup.app.context import Context
from followup.app.parse import parse_datetime
from followup.domain.model import Status
from followup.domain.planner import Plan
from followup.web import pages
from followup.web.deps import Ctx, CurrentSession, fast_json, is_fragment, local_path
from followup.web.routes import IdPath

router = APIRouter()

PAGE = 50  # rows on the page, as `followup agenda`; the counts cover every open sequence


def today_values(ctx: Context, limit: int = PAGE) -> dict[str, Any]:
    now = ctx.clock.now()
    view = agenda(ctx, now, limit, with_ended=True)
    empty = not view.items and not view.ended and not services.list_interviews(ctx, limit=1)
    return {
        "items": view.items,
        "counts": view.counts,
        "total": view.total,
        "ended": view.ended,
        "now": now,
        "user_tz": ctx.user_tz,
        "limit": limit,
        "empty": empty,
    }


@router.get("/", include_in_schema=False)
def today(
    request: Request, ctx: Ctx, limit: Annotated[int, Query(ge=1, le=100_000)] = PAGE
) -> Response:
    return pages.render(request, "today.html", **today_values(ctx, limit))


@router.get(
    "/api/agenda",
    tags=["today"],
    summary="The agenda: `followup agenda --json`",
    response_model=list[dict[str, Any]],
)
def api_agenda(
    ctx: Ctx,
    as_of: Annotated[
        str | None, Query(description="See the agenda as it will be then (ISO-8601).")
    ] = None,
) -> Response:
    """The next note of every open sequence, most at risk first (fading, overdue, due, upcoming)."""
    now = ctx.clock.now()
    if as_of is not None:
        now, _ = parse_datetime(as_of, ctx.user_tz)
    return fast_json([views.agenda_item(i) for i in agenda(ctx, now, None).items])


# --- one-click actions --------------------------------------------------------------------


class SentIn(BaseModel):
    at: str | None = Field(default=None, description="When it went out (ISO-8601; default: now).")
    interviewer: str | None = Field(
        default=None, description="Only the note to this e-mail address."
    )


class RepliedIn(BaseModel):
    at: str | None = Field(default=None, description="When they replied (ISO-8601; default: now).")


def _instant(ctx: Context, text: str | None) -> tuple[Any, str | None]:
    if not text:
        return None, None
    return parse_datetime(text, ctx.user_tz)


def _say_next(ctx: Context, plan: Plan) -> str:
    if plan.status is Status.CLOSED:
        return "That was the final note. No more follow-ups: let it go."
    if not plan.notes:
        return f"Nothing more to send: {plan.reason}."
    first = min(plan.notes, key=lambda n: n.due_at)
    when = pages.local(first.due_at, ctx.user_tz)
    soon = pages.relative(first.due_at, ctx.clock.now())
    return f"Next: the {pages.KIND_LABEL[first.kind.value]}, due {when} ({soon})."


def _quiet(message: str) -> None:
    """The API's notices: the JSON says it all."""


def mark_sent(
    ctx: Context, say: Callable[[str], None], interview_id: int, at: str | None, email: str | None
) -> services.Marked:
    instant, warning = _instant(ctx, at)
    result = services.mark_sent(ctx, interview_id, instant, email or None)
    if warning:
        say(warning)
    if result.too_early_by:
        hours = result.too_early_by.total_seconds() / 3600
        say(f"That was {hours:.1f} h earlier than the etiquette allows (48 h after the interview).")
    plural = "s" if result.notes_marked > 1 else ""
    say(
        f"Interview {interview_id}: recorded the {pages.KIND_LABEL[result.kind.value]}"
        f" ({result.notes_marked} note{plural}) as sent. {_say_next(ctx, result.plan)}"
    )
    return result


def mark_replied(
    ctx: Context, say: Callable[[str], None], interview_id: int, at: str | None
) -> Status:
    instant, warning = _instant(ctx, at)
    status = services.mark_replied(ctx, interview_id, instant)
    if warning:
        say(warning)
    say(f"Interview {interview_id}: they replied. No more follow-ups for this round.")
    return status


def _after(request: Request, ctx: Context, back: str | None, default: str) -> Response:
    if is_fragment(request, "agenda"):
        return pages.render(request, "_agenda.html", **today_values(ctx))
    return RedirectResponse(local_path(back, default), status_code=303)


@router.post("/interviews/{interview_id}/sent", include_in_schema=False)
def sent_form(
    request: Request,
    interview_id: IdPath,
    ctx: Ctx,
    session: CurrentSession,
    interviewer: Annotated[str | None, Form()] = None,
    at: Annotated[str | None, Form()] = None,
    back: Annotated[str | None, Form()] = None,
) -> Response:
    mark_sent(ctx, session.flash, interview_id, at, interviewer)
    return _after(request, ctx, back, f"/interviews/{interview_id}")


@router.post("/interviews/{interview_id}/replied", include_in_schema=False)
def replied_form(
    request: Request,
    interview_id: IdPath,
    ctx: Ctx,
    session: CurrentSession,
    at: Annotated[str | None, Form()] = None,
    back: Annotated[str | None, Form()] = None,
) -> Response:
    mark_replied(ctx, session.flash, interview_id, at)
    return _after(request, ctx, back, f"/interviews/{interview_id}")


@router.post(
    "/api/interviews/{interview_id}/sent",
    tags=["today"],
    summary="Record the pending note as sent: `followup sent ID --json`",
)
def api_sent(interview_id: IdPath, ctx: Ctx, body: SentIn | None = None) -> dict[str, Any]:
    body = body or SentIn()
    return views.marked(mark_sent(ctx, _quiet, interview_id, body.at, body.interviewer))


@router.post(
    "/api/interviews/{interview_id}/replied",
    tags=["today"],
    summary="Record the employer's reply (the sequence stops): `followup replied ID --json`",
)
def api_replied(interview_id: IdPath, ctx: Ctx, body: RepliedIn | None = None) -> dict[str, Any]:
    status = mark_replied(ctx, _quiet, interview_id, (body or RepliedIn()).at)
    return views.replied(interview_id, status.value)
