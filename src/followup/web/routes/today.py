"""Today: the agenda, most at risk first, with one click to draft, mark sent or record a reply."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal
from urllib.parse import parse_qsl

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from followup.app import feedback, services, snoozing, views, wording
from followup.app.agenda import CLASSES, agenda, grouped
from followup.app.context import Context
from followup.app.parse import parse_datetime
from followup.app.rows import Marked
from followup.domain.model import Status
from followup.web import pages
from followup.web.deps import Ctx, CurrentSession, fast_json, home_of, is_fragment, local_path
from followup.web.routes import IdPath
from followup.web.undo import landing, last_change, offer_undo

STEP_MAX = 1_000  # a form's step: far past any policy's

router = APIRouter()

PAGE = 50  # rows on the page, as `followup agenda`; the counts cover every open sequence


Only = Literal["fading", "overdue", "due", "upcoming"]


def today_values(ctx: Context, limit: int = PAGE, only: str | None = None) -> dict[str, Any]:
    now = ctx.clock.now()
    view = agenda(ctx, now, limit, with_ended=True, only=only)
    empty = not view.items and not view.ended and not services.list_interviews(ctx, limit=1)
    return {
        "items": view.items,
        "groups": grouped(view.items, now),
        "counts": view.counts,
        "let_go": view.let_go,
        "fading_hints": wording.fading_hints(view.items, view.counts["fading"]),
        "total": view.total,
        "only": only or "",
        "shown_total": view.counts[only] if only else view.total,
        "back": f"/?only={only}" if only else "/",
        "ended": view.ended,
        "failed": [
            {"row": row, "reason": feedback.mail_problem(row.error).text if row.error else ""}
            for row in view.failed
        ],
        "bounced": view.bounced,
        "ended_text": {row.interview_id: wording.ended_text(row, web=True) for row in view.ended},
        "next_round_text": wording.NEXT_ROUND_PROPOSED,
        "now": now,
        "user_tz": ctx.user_tz,
        "limit": limit,
        "empty": empty,
        "custom": ctx.policy.custom,
    }


def _only(back: str | None) -> str | None:
    """The filter a row's form came from (its `back`, "/?only=due"), to answer with it."""
    _, _, query = (back or "").partition("?")
    wanted = dict(parse_qsl(query)).get("only")
    return wanted if wanted in CLASSES else None


@router.get("/", include_in_schema=False)
def today(
    request: Request,
    ctx: Ctx,
    limit: Annotated[int, Query(ge=1, le=100_000)] = PAGE,
    only: Only | None = None,
) -> Response:
    from followup.web.routes.mailcheck import sync_values

    values = today_values(ctx, limit, only)
    return pages.render(
        request, "today.html", **values, sync=sync_values(request, home_of(request))
    )


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
    force: bool = Field(
        default=False,
        description="Record it even before the cadence allows (`followup sent --force`).",
    )
    step: int | None = Field(
        default=None,
        ge=1,
        le=STEP_MAX,
        description="The step you mean (as listed): refused (409) once it is no longer the"
        " pending one, instead of recording the next note.",
    )


class RepliedIn(BaseModel):
    at: str | None = Field(default=None, description="When they replied (ISO-8601; default: now).")
    interviewer: str | None = Field(
        default=None, description="Who replied: one of the interviewers' addresses."
    )


def _instant(ctx: Context, text: str | None) -> tuple[Any, str | None]:
    if not text:
        return None, None
    return parse_datetime(text, ctx.user_tz)


def _quiet(message: str) -> None:
    """The API's notices: the JSON says it all."""


def mark_sent(
    ctx: Context,
    say: Callable[[str], None],
    interview_id: int,
    at: str | None,
    email: str | None,
    force: bool = False,
    step: int | None = None,
) -> Marked:
    instant, warning = _instant(ctx, at)
    result = services.mark_sent(ctx, interview_id, instant, email or None, force=force, step=step)
    if warning:
        say(warning)
    early = wording.too_early(result, ctx.policy)
    if early:
        say(f"{early[:1].upper()}{early[1:]}.")
    after = wording.next_note(result.plan, ctx.policy, ctx.user_tz, ctx.clock.now())
    say(f"Interview {interview_id}: recorded {wording.notes_recorded(result)} as sent. {after}")
    return result


def mark_replied(
    ctx: Context,
    say: Callable[[str], None],
    interview_id: int,
    at: str | None,
    email: str | None = None,
) -> Status:
    instant, warning = _instant(ctx, at)
    status = services.mark_replied(ctx, interview_id, instant, from_addr=email or None)
    if warning:
        say(warning)
    say(wording.replied(interview_id, services.later_rounds_waiting(ctx, interview_id)))
    return status


def _after(request: Request, ctx: Context, back: str | None, default: str) -> Response:
    if is_fragment(request, "agenda"):
        return pages.render(request, "_agenda.html", **today_values(ctx, only=_only(back)))
    return RedirectResponse(local_path(back, default), status_code=303)


@router.post("/interviews/{interview_id}/sent", include_in_schema=False)
def sent_form(
    request: Request,
    interview_id: IdPath,
    ctx: Ctx,
    session: CurrentSession,
    interviewer: Annotated[str | None, Form()] = None,
    at: Annotated[str | None, Form()] = None,
    force: Annotated[bool, Form()] = False,
    back: Annotated[str | None, Form()] = None,
    step: Annotated[int | None, Form(ge=1, le=STEP_MAX)] = None,
) -> Response:
    since = last_change(ctx, interview_id)
    mark_sent(ctx, session.flash, interview_id, at, interviewer, force, step)
    offer_undo(ctx, session, interview_id, since)
    return _after(request, ctx, back, landing(interview_id, "history"))


@router.post("/interviews/{interview_id}/replied", include_in_schema=False)
def replied_form(
    request: Request,
    interview_id: IdPath,
    ctx: Ctx,
    session: CurrentSession,
    at: Annotated[str | None, Form()] = None,
    interviewer: Annotated[str | None, Form()] = None,
    back: Annotated[str | None, Form()] = None,
) -> Response:
    since = last_change(ctx, interview_id)
    mark_replied(ctx, session.flash, interview_id, at, interviewer)
    offer_undo(ctx, session, interview_id, since)
    return _after(request, ctx, back, landing(interview_id, "history"))


@router.post("/interviews/{interview_id}/snooze", include_in_schema=False)
def snooze_form(
    request: Request,
    interview_id: IdPath,
    ctx: Ctx,
    session: CurrentSession,
    span: Annotated[str, Form()] = "",
    back: Annotated[str | None, Form()] = None,
) -> Response:
    since = last_change(ctx, interview_id)
    plan = snoozing.snooze(ctx, interview_id, span)
    session.flash(
        f"Interview {interview_id}: snoozed."
        f" {wording.next_note(plan, ctx.policy, ctx.user_tz, ctx.clock.now())}"
    )
    offer_undo(ctx, session, interview_id, since)
    return _after(request, ctx, back, "/")


@router.post("/interviews/{interview_id}/let-go", include_in_schema=False)
def let_go_form(
    request: Request,
    interview_id: IdPath,
    ctx: Ctx,
    session: CurrentSession,
    back: Annotated[str | None, Form()] = None,
) -> Response:
    """The agenda's "let it go", done (`followup dismiss ID`): with Undo."""
    since = last_change(ctx, interview_id)
    done = services.let_go(ctx, interview_id)
    ended = "moved on to the later round" if done.status is Status.ADVANCED else "closed"
    session.flash(f"Interview {interview_id}: let go, not sent; the sequence {ended}.")
    offer_undo(ctx, session, interview_id, since)
    return _after(request, ctx, back, "/")


@router.post(
    "/api/interviews/{interview_id}/let-go",
    tags=["today"],
    summary="Let go a thank-you the agenda says to let go: `followup dismiss ID --json`",
)
def api_let_go(interview_id: IdPath, ctx: Ctx) -> dict[str, Any]:
    done = services.let_go(ctx, interview_id)
    status = done.status.value if done.status else None
    return {"interview_id": interview_id, "dismissed": done.notes, "status": status}


class SnoozeIn(BaseModel):
    snooze: Literal["1d", "3d", "week"] = Field(
        description="How long: 1d, 3d, or week (Monday 00:00 in your zone)."
    )


@router.post(
    "/api/interviews/{interview_id}/snooze",
    tags=["today"],
    summary="Put the next note off: `followup snooze ID --for 1d --json`",
)
def api_snooze(interview_id: IdPath, ctx: Ctx, body: SnoozeIn) -> dict[str, Any]:
    plan = snoozing.snooze(ctx, interview_id, body.snooze)
    return {"interview_id": interview_id, "snooze": body.snooze, "plan": views.plan(plan)}


@router.post(
    "/api/interviews/{interview_id}/sent",
    tags=["today"],
    summary="Record the pending note as sent: `followup sent ID --json`",
)
def api_sent(interview_id: IdPath, ctx: Ctx, body: SentIn | None = None) -> dict[str, Any]:
    body = body or SentIn()
    marked = mark_sent(ctx, _quiet, interview_id, body.at, body.interviewer, body.force, body.step)
    return views.marked(marked)


@router.post(
    "/api/interviews/{interview_id}/replied",
    tags=["today"],
    summary="Record the employer's reply (the sequence stops): `followup replied ID --json`",
)
def api_replied(interview_id: IdPath, ctx: Ctx, body: RepliedIn | None = None) -> dict[str, Any]:
    body = body or RepliedIn()
    status = mark_replied(ctx, _quiet, interview_id, body.at, body.interviewer)
    return views.replied(interview_id, status.value)
