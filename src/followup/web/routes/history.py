"""Correcting the record from the interview page (issue #14): its history, Undo after every
action, Reopen, Cancel — over the CLI's use-cases (app/history.py, services.cancel)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from followup.app import history, services, views, wording
from followup.app.errors import Conflict
from followup.app.parse import whole_number
from followup.web.deps import Ctx, CurrentSession, local_path
from followup.web.routes import IdPath
from followup.web.security import Refused
from followup.web.undo import landing, last_change, offer_undo

router = APIRouter()


def _back(interview_id: int, back: str | None) -> str:
    return local_path(back, landing(interview_id, "history"))


@router.post("/interviews/{interview_id}/undo", include_in_schema=False)
def undo_form(
    request: Request,
    interview_id: IdPath,
    ctx: Ctx,
    session: CurrentSession,
    event: Annotated[str, Form()] = "",
    force: Annotated[str, Form()] = "",
    back: Annotated[str | None, Form()] = None,
) -> Response:
    try:
        done = history.undo(
            ctx,
            interview_id,
            force=force == "1",
            event_id=whole_number(event, "the change to undo"),
        )
    except Conflict as exc:  # refused: said where the Undo was, nothing changed (never a
        # page left on this POST's address): the notice's page, else the history section
        session.flash(Refused(str(exc)))
        return RedirectResponse(_back(interview_id, back), status_code=303)
    said = f"Undid: {done.event.summary}."
    if done.approvals_withdrawn:
        said += f" {done.approvals_withdrawn} approved note(s) need approving again."
    if done.status.is_open:
        said += " " + wording.next_note(done.plan, ctx.policy, ctx.user_tz, ctx.clock.now())
    else:
        said += f" The interview is {done.status.value}."
    session.flash(said)
    return RedirectResponse(_back(interview_id, back), status_code=303)


@router.post("/interviews/{interview_id}/reopen", include_in_schema=False)
def reopen_form(interview_id: IdPath, ctx: Ctx, session: CurrentSession) -> Response:
    since = last_change(ctx, interview_id)
    done = history.reopen(ctx, interview_id)
    offer_undo(ctx, session, interview_id, since)
    said = wording.next_note(done.plan, ctx.policy, ctx.user_tz, ctx.clock.now())
    caution = wording.reopened_after_no(done.was, interview_id, web=True)
    session.flash(f"{said} {caution}" if caution else said)
    return RedirectResponse(landing(interview_id, "history"), status_code=303)


@router.post("/interviews/{interview_id}/cancel", include_in_schema=False)
def cancel_form(interview_id: IdPath, ctx: Ctx, session: CurrentSession) -> Response:
    since = last_change(ctx, interview_id)
    services.cancel(ctx, interview_id)
    offer_undo(ctx, session, interview_id, since)
    behind = services.left_behind(ctx, interview_id)
    if behind:
        session.flash(behind)
    return RedirectResponse(landing(interview_id, "history"), status_code=303)


@router.post("/interviews/{interview_id}/retry", include_in_schema=False)
def retry_form(
    interview_id: IdPath,
    ctx: Ctx,
    session: CurrentSession,
    interviewer: Annotated[str, Form()] = "",
) -> Response:
    """Try again: the failed note is pending again; its draft (and Send) shows on the page."""
    since = last_change(ctx, interview_id)
    services.retry(ctx, interview_id, interviewer or None)
    offer_undo(ctx, session, interview_id, since)
    session.flash("The note is pending again: check the address, then press Send.")
    return RedirectResponse(landing(interview_id, "drafts"), status_code=303)


@router.post("/interviews/{interview_id}/dismiss-failed", include_in_schema=False)
def dismiss_failed_form(
    interview_id: IdPath,
    ctx: Ctx,
    session: CurrentSession,
    interviewer: Annotated[str, Form()] = "",
    back: Annotated[str | None, Form()] = None,
) -> Response:
    """Let a failed note go: off Today's "Now" and the board, with Undo (Try again stays on
    the interview page)."""
    since = last_change(ctx, interview_id)
    services.dismiss_failed(ctx, interview_id, interviewer or None)
    offer_undo(ctx, session, interview_id, since)
    return RedirectResponse(local_path(back, landing(interview_id, "drafts")), status_code=303)


# --- JSON twins ---------------------------------------------------------------------------


class UndoIn(BaseModel):
    force: bool = Field(
        default=False,
        description="Also take back a note that went out by mail (the record is wrong).",
    )
    event: int | None = Field(
        default=None, ge=1, description="Only if this is still the latest change (its id)."
    )


@router.get(
    "/api/interviews/{interview_id}/history",
    tags=["interviews"],
    summary="Every change to an interview, oldest first: `followup history ID --json`",
)
def api_history(interview_id: IdPath, ctx: Ctx) -> list[dict[str, Any]]:
    return [views.event(e) for e in history.history(ctx, interview_id)]


@router.post(
    "/api/interviews/{interview_id}/undo",
    tags=["interviews"],
    summary="Take back the latest change: `followup undo ID --json`",
)
def api_undo(interview_id: IdPath, ctx: Ctx, body: UndoIn | None = None) -> dict[str, Any]:
    given = body or UndoIn()
    done = history.undo(ctx, interview_id, force=given.force, event_id=given.event)
    return {
        "interview_id": interview_id,
        "undid": views.event(done.event),
        "status": done.status.value,
        "plan": views.plan(done.plan),
        "approvals_withdrawn": done.approvals_withdrawn,
    }


class RetryIn(BaseModel):
    interviewer: str | None = Field(default=None, description="Only the note to this address.")


@router.post(
    "/api/interviews/{interview_id}/retry",
    tags=["interviews"],
    summary="A failed note back to pending: `followup retry ID --json`",
)
def api_retry(interview_id: IdPath, ctx: Ctx, body: RetryIn | None = None) -> dict[str, Any]:
    plan = services.retry(ctx, interview_id, (body or RetryIn()).interviewer)
    return {"interview_id": interview_id, "plan": views.plan(plan)}


@router.post(
    "/api/interviews/{interview_id}/dismiss-failed",
    tags=["interviews"],
    summary="Let a failed note go: off Today's list and the board (undoable)",
)
def api_dismiss_failed(
    interview_id: IdPath, ctx: Ctx, body: RetryIn | None = None
) -> dict[str, Any]:
    count = services.dismiss_failed(ctx, interview_id, (body or RetryIn()).interviewer)
    return {"interview_id": interview_id, "dismissed": count}


@router.post(
    "/api/interviews/{interview_id}/reopen",
    tags=["interviews"],
    summary="Follow up again on an ended sequence: `followup reopen ID --json`",
)
def api_reopen(interview_id: IdPath, ctx: Ctx) -> dict[str, Any]:
    done = history.reopen(ctx, interview_id)
    return {
        "interview_id": interview_id,
        "was": done.was.value,
        "status": "waiting",
        "plan": views.plan(done.plan),
    }
