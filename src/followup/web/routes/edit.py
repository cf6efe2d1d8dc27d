"""The interview page's edit form (issue #14): `followup edit ID …` as a form, over the same
use-case (app/editing.py). The form shows every value as it is; what the user changed is
what is passed on, as the CLI's options would be."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from followup.app import editing, services, views, zones
from followup.app.context import Context
from followup.app.errors import Conflict, FollowupError, InvalidInput, NotFound
from followup.app.parse import (
    duration_minutes,
    format_mailbox,
    parse_country,
    parse_datetime,
    parse_interviewer,
    whole_number,
)
from followup.app.rows import NewInterviewer
from followup.domain.model import Culture
from followup.web import pages
from followup.web.deps import Config, Ctx, CurrentSession
from followup.web.editform import CULTURES, current
from followup.web.jobs import jobs_of
from followup.web.routes import IdPath
from followup.web.routes.interviews import interview_values
from followup.web.undo import landing, last_change, offer_undo

router = APIRouter()


class EditIn(BaseModel):
    """`followup edit ID`'s options, as text: None (or empty) leaves it as it is."""

    at: str | None = Field(default=None, description="The new start (ISO-8601; local in tz).")
    tz: str | None = Field(default=None, description="The interview's IANA zone.")
    duration: int | None = Field(default=None, ge=1, description="Minutes.")
    company: str | None = None
    role: str | None = None
    culture: str | None = Field(default=None, description=f"One of {', '.join(CULTURES)}.")
    country: str | None = Field(default=None, description='ISO code for holidays ("none").')
    location: str | None = Field(default=None, description='Where ("" for none).')
    add_interviewers: list[str] = Field(default_factory=list, description='"Name <email>".')
    remove_interviewers: list[str] = Field(default_factory=list, description="E-mails.")
    primary: str | None = Field(default=None, description="The panel's contact (e-mail).")
    interviewer: str | None = Field(
        default=None, description="Whose name or e-mail `name`/`email` put right."
    )
    name: str | None = Field(default=None, description="The interviewer's name, spelt right.")
    email: str | None = Field(default=None, description="Their e-mail, spelt right.")


def edit(ctx: Context, interview_id: int, given: EditIn) -> tuple[editing.Edited, str | None]:
    """Read the options as `followup edit` does and make the change (one event)."""
    # what Settings takes ("Berlin", "PST", "UTC+1"), resolved the same way (app/zones.py)
    zone_name = zones.typed(given.tz) if given.tz and given.tz.strip() else None
    start, warning = None, None
    if given.at is not None and given.at.strip():
        zone_for_at = zone_name or services.find_interview(ctx, interview_id).tz
        start, warning = parse_datetime(given.at, zone_for_at)
    for what, value in (("company", given.company), ("role", given.role)):
        if value is not None and not value.strip():
            raise InvalidInput(f"the {what} cannot be empty")
    if given.culture is not None and given.culture not in CULTURES:
        raise InvalidInput(f"culture must be one of {', '.join(CULTURES)}")
    country = given.country
    if country is not None:
        no_country = not country.strip() or country.strip().lower() == "none"
        country = "" if no_country else parse_country(country)
    result = editing.edit(
        ctx,
        interview_id,
        editing.Changes(
            start=start,
            tz=zone_name,
            duration=duration_minutes(given.duration),
            company=given.company,
            role=given.role,
            culture=Culture(given.culture) if given.culture else None,
            country=country,
            location=given.location.strip() if given.location is not None else None,
            add=[NewInterviewer(*parse_interviewer(t)) for t in given.add_interviewers],
            remove=given.remove_interviewers,
            primary=given.primary,
            person=given.interviewer,
            name=given.name,
            email=given.email,
        ),
    )
    return result, warning


# --- the form -----------------------------------------------------------------------------


def _changed(was: dict[str, Any], form: dict[str, str | None], remove: str) -> EditIn:
    """Only what the user changed, as the CLI's options would say it."""

    def new(key: str) -> str | None:
        """The field as typed, if it differs (a field not sent: unchanged)."""
        value = (form[key] or "").strip()
        return None if form[key] is None or value == was[key] else value

    tz = new("tz")
    at = (form["at"] or "").strip() if (new("at") is not None or tz is not None) else None
    added = []
    name, email = (form["add_name"] or "").strip(), (form["add_email"] or "").strip()
    if email:
        added.append(format_mailbox(name, email))
    elif name:
        added.append(name)
    primary = new("primary")
    return EditIn(
        at=at,
        tz=tz,
        duration=whole_number(form["duration"] or "", "the duration") if new("duration") else None,
        company=new("company"),
        role=new("role"),
        culture=new("culture"),
        country=None if new("country") is None else new("country") or "none",
        location=new("location"),
        add_interviewers=added,
        remove_interviewers=[remove] if remove else [],
        primary=primary if primary and primary != remove else None,
    )


# The hidden `was` holds a few short fields; a forged one of 100,000 "[" made json.loads
# raise RecursionError (a 500 page). It is refused unread over this size, and nesting is
# not followed: any value that is not a string is dropped anyway.
_WAS_CHARS = 16 * 1024


class _BadWas(InvalidInput):
    """A hidden `was` no page of ours makes: said, and not shown back."""


def _shown(was: str, now: dict[str, Any]) -> dict[str, Any]:
    """The values the form was shown with (its hidden `was`), else the interview's now.
    A `was` no page of ours makes (too long, nested too deeply) is InvalidInput."""
    import json

    if len(was) > _WAS_CHARS:
        raise _BadWas("the form's hidden values are too long: reload the page and edit again")
    try:
        shown = json.loads(was) if was else None
    except RecursionError:
        raise _BadWas(
            "the form's hidden values are nested too deeply: reload the page and edit again"
        ) from None
    except ValueError:
        shown = None
    if not isinstance(shown, dict) or set(shown) != set(now):
        return now
    return {k: v if isinstance(v, str) else now[k] for k, v in shown.items()}


@router.post("/interviews/{interview_id}/edit", include_in_schema=False)
def edit_form(
    request: Request,
    interview_id: IdPath,
    ctx: Ctx,
    config: Config,
    session: CurrentSession,
    at: Annotated[str | None, Form()] = None,
    tz: Annotated[str | None, Form()] = None,
    duration: Annotated[str | None, Form()] = None,
    company: Annotated[str | None, Form()] = None,
    role: Annotated[str | None, Form()] = None,
    culture: Annotated[str | None, Form()] = None,
    country: Annotated[str | None, Form()] = None,
    location: Annotated[str | None, Form()] = None,
    add_name: Annotated[str | None, Form()] = None,
    add_email: Annotated[str | None, Form()] = None,
    primary: Annotated[str | None, Form()] = None,
    remove: Annotated[str, Form()] = "",
    was: Annotated[str, Form()] = "",
    correct_who: Annotated[str, Form()] = "",
    correct_name: Annotated[str | None, Form()] = None,
    correct_email: Annotated[str | None, Form()] = None,
) -> Response:
    form = {
        "at": at,
        "tz": tz,
        "duration": duration,
        "company": company,
        "role": role,
        "culture": culture,
        "country": country,
        "location": location,
        "add_name": add_name,
        "add_email": add_email,
        "primary": primary,
    }
    if was:  # the page's form sends every field: one left empty comes in as None
        for key in ("at", "tz", "duration", "company", "role", "culture", "country", "location"):
            form[key] = form[key] if form[key] is not None else ""
    detail = services.show(ctx, interview_id)  # NotFound: the 404 page
    try:
        shown = _shown(was, current(detail))
        given = _changed(shown, form, remove.strip())
        if correct_who.strip():  # one person's "Correct" form: their name and address
            given = EditIn(interviewer=correct_who, name=correct_name, email=correct_email)
        if given == EditIn():
            session.flash("Nothing changed.")
            return RedirectResponse(landing(interview_id, "edit"), status_code=303)
        since = last_change(ctx, interview_id)
        result, warning = edit(ctx, interview_id, given)
    except FollowupError as exc:  # one line next to the form, the input kept
        values = interview_values(ctx, config.home, interview_id, jobs=jobs_of(request))
        typed = {k: v for k, v in form.items() if v is not None}
        values["edit_form"] = {**values["edit_form"], **typed}
        if was and not isinstance(exc, _BadWas):
            values["edit_was"] = was  # still what the user first saw
        if isinstance(exc, zones.UnknownZone):  # under the zone field, naming the candidates
            values["zone_error"] = str(exc)
        else:
            values["edit_error"] = str(exc)
        status = 404 if isinstance(exc, NotFound) else 409 if isinstance(exc, Conflict) else 400
        return pages.render(request, "interview.html", status=status, **values)
    if warning:
        session.flash(warning)
    said = f"Interview {interview_id}: {'; '.join(result.changed)}."
    if result.approvals_withdrawn:
        said += f" {result.approvals_withdrawn} approved note(s) need approving again."
    session.flash(said)
    offer_undo(ctx, session, interview_id, since)
    return RedirectResponse(landing(interview_id, "edit"), status_code=303)


@router.post(
    "/api/interviews/{interview_id}/edit",
    tags=["interviews"],
    summary="Correct an interview; pending notes are re-planned: `followup edit ID … --json`",
)
def api_edit(interview_id: IdPath, ctx: Ctx, body: EditIn) -> dict[str, Any]:
    result, _ = edit(ctx, interview_id, body)
    return {
        "interview_id": interview_id,
        "changed": list(result.changed),
        "plan": views.plan(result.plan),
        "approvals_withdrawn": result.approvals_withdrawn,
    }
