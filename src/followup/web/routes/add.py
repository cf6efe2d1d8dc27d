"""Add: an interview by form (the same checks as `followup add`), or an invitation (.ics/.eml)."""

from __future__ import annotations

import contextlib
import re
import tempfile
from pathlib import Path
from typing import Annotated, Any, BinaryIO

from fastapi import APIRouter, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from followup.app import services, views, zones
from followup.app.context import Context
from followup.app.errors import Conflict, FollowupError, InvalidInput
from followup.app.parse import (
    duration_minutes,
    parse_country,
    parse_datetime,
    parse_interviewer,
    whole_number,
)
from followup.app.rows import ApplicationRow, NewInterviewer
from followup.domain import limits
from followup.domain.model import Culture
from followup.web import pages
from followup.web.deps import Config, Ctx, CurrentSession

router = APIRouter()

CULTURES = tuple(c.value for c in Culture)


class AddIn(BaseModel):
    """`followup add`'s options, as text: checked by the same parsers."""

    company: str | None = None
    role: str | None = None
    at: str = Field(description="When it started (ISO-8601; a local time is read in `tz`).")
    tz: str | None = Field(default=None, description="The interview's IANA zone (default: yours).")
    duration: int | None = Field(default=None, ge=1, description="Minutes (default 60).")
    interviewers: list[str] = Field(default_factory=list, description='"Name <email>" each.')
    primary: str | None = Field(
        default=None,
        description="The e-mail of the panel's contact for the notes after the thank-you"
        " (default: the first interviewer).",
    )
    culture: str = "other"
    country: str | None = None
    topics: list[str] = Field(default_factory=list)
    skill: str | None = None
    application: int | None = Field(
        default=None, ge=1, le=limits.ID_MAX, description="A later round of this application."
    )
    location: str | None = None
    end_unsent: bool = Field(
        default=True,
        description="A later round that ends an earlier round's unsent notes: add it anyway"
        " (false: refused with 409 and the sentence saying what would end, as the form asks).",
    )


def add_interview(ctx: Context, given: AddIn) -> tuple[services.Added, str | None]:
    """Check everything first (nothing is written on an error), then add: as `followup add`."""
    company = (given.company or "").strip()
    role = (given.role or "").strip()
    if given.application is None:
        if not company:
            raise InvalidInput("missing the company")
        if not role:
            raise InvalidInput("missing the role")
    elif company or role:  # a later round is the application's: never a silent other company
        application = services.find_application(ctx, given.application)
        if any(
            typed and typed.casefold() != known.casefold()
            for typed, known in ((company, application.company), (role, application.role))
        ):
            raise InvalidInput(
                f"a later round of {application.company} — {application.role} keeps its"
                " company and role: leave them empty, or add it as a new application"
            )
    if not given.at.strip():
        raise InvalidInput("missing the interview's start (e.g. 2026-11-25T14:00)")
    if given.culture not in CULTURES:
        raise InvalidInput(f"culture must be one of {', '.join(CULTURES)}")
    # what Settings takes ("Berlin", "PST", "UTC+1"), resolved the same way (app/zones.py)
    typed_zone = zones.typed(given.tz) if given.tz and given.tz.strip() else None
    # a later round without a zone: the previous round's, as `followup add --application`
    zone_name = services.zone_of_new(ctx, typed_zone, given.application)
    people = services.with_primary(
        [NewInterviewer(*parse_interviewer(t)) for t in given.interviewers if t.strip()],
        given.primary if given.primary and given.primary.strip() else None,
    )
    start, warning = parse_datetime(given.at, zone_name)
    added = services.add_interview(
        ctx,
        services.NewInterview(
            company=company,
            role=role,
            start=start,
            tz=zone_name,
            duration=duration_minutes(given.duration),
            interviewers=people,
            culture=Culture(given.culture),
            country=parse_country(given.country),
            topics=[t.strip() for t in given.topics if t.strip()],
            skill=given.skill.strip() if given.skill and given.skill.strip() else None,
            application_id=given.application,
            location=given.location.strip() if given.location and given.location.strip() else None,
            end_unsent=given.end_unsent,
        ),
    )
    return added, warning


# --- pages --------------------------------------------------------------------------------


def _add_page(ctx: Context, request: Request, status: int = 200, **extra: Any) -> Response:
    from followup.bootstrap import holiday_countries  # the holidays package: the forms only

    values: dict[str, Any] = {
        "form": {},
        "error": "",
        "import_error": "",
        "confirm_unsent": "",
        "cultures": CULTURES,
        "user_tz": ctx.user_tz,
        "zones": zones.all_zones(),
        "zone_error": "",
        "countries": holiday_countries(),
        "applications": _choices(ctx, extra.get("form", {}).get("application", "")),
    }
    return pages.render(request, "add.html", status=status, **{**values, **extra})


def _choices(ctx: Context, chosen: str) -> list[ApplicationRow]:
    """The applications to pick a later round from; the chosen one among them even when it
    is older than the newest listed."""
    rows = services.applications(ctx)
    wanted = int(chosen) if re.fullmatch(r"[0-9]{1,19}", chosen) else None
    if wanted is not None and all(r.application.id != wanted for r in rows):
        with contextlib.suppress(FollowupError):  # not (or no longer) there: not listed
            rows.append(ApplicationRow(services.find_application(ctx, wanted), 0))
    return rows


@router.get("/add", include_in_schema=False)
def add_page(
    request: Request,
    ctx: Ctx,
    application: Annotated[
        int | None, Query(ge=1, le=limits.ID_MAX, description="A later round of this one.")
    ] = None,
) -> Response:
    if application is None:
        return _add_page(ctx, request)
    services.find_application(ctx, application)  # NotFound (another user's too): the 404 page
    return _add_page(ctx, request, form={"application": str(application)})


@router.post("/add", include_in_schema=False)
def add_form(
    request: Request,
    ctx: Ctx,
    session: CurrentSession,
    company: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "",
    at: Annotated[str, Form()] = "",
    tz: Annotated[str, Form()] = "",
    duration: Annotated[str, Form()] = "",
    interviewers: Annotated[str, Form()] = "",
    primary: Annotated[str, Form()] = "",
    culture: Annotated[str, Form()] = "other",
    country: Annotated[str, Form()] = "",
    topics: Annotated[str, Form()] = "",
    skill: Annotated[str, Form()] = "",
    application: Annotated[str, Form()] = "",
    location: Annotated[str, Form()] = "",
    end_unsent: Annotated[str, Form()] = "",
) -> Response:
    form = {
        "company": company,
        "role": role,
        "at": at,
        "tz": tz,
        "duration": duration,
        "interviewers": interviewers,
        "primary": primary,
        "culture": culture,
        "country": country,
        "topics": topics,
        "skill": skill,
        "application": application,
        "location": location,
    }
    try:
        given = AddIn(
            company=company,
            role=role,
            at=at,
            tz=tz,
            duration=whole_number(duration, "the duration"),
            interviewers=interviewers.splitlines(),
            primary=primary,
            culture=culture,
            country=country,
            topics=topics.splitlines(),
            skill=skill,
            application=whole_number(application, "the application id"),
            location=location,
            end_unsent=end_unsent == "1",  # the form asks first (services.ends_unsent)
        )
        added, warning = add_interview(ctx, given)
    except services.EndsUnsentNotes as exc:  # asked before it happens, the input kept
        return _add_page(ctx, request, status=409, form=form, confirm_unsent=str(exc))
    except zones.UnknownZone as exc:  # said under the zone field, naming the candidates
        return _add_page(ctx, request, status=400, form=form, zone_error=str(exc))
    except FollowupError as exc:  # bad input, or an unknown application id
        return _add_page(ctx, request, status=_status(exc), form=form, error=str(exc))
    if warning:
        session.flash(warning)
    session.flash(f"Added interview {added.interview_id} (round {added.round}).")
    if added.unsent:
        session.flash(added.unsent)
    if added.same_job:
        session.flash(added.same_job[0].upper() + added.same_job[1:] + ".")
    for line in added.topics_said:  # as the debrief form says it
        session.flash(f"Note: {line}.")
    if added.far_off:
        session.flash(added.far_off[0].upper() + added.far_off[1:])
    if topics.strip():
        people = [
            NewInterviewer(*parse_interviewer(t)) for t in interviewers.splitlines() if t.strip()
        ]
        whose = services.whose_topics(services.with_primary(people, primary.strip() or None))
        if whose:
            session.flash(whose)
    for earlier in added.advanced:
        session.flash(f"Interview {earlier} moved on to this round: its sequence ended.")
    return RedirectResponse(f"/interviews/{added.interview_id}", status_code=303)


def _status(exc: FollowupError) -> int:
    from followup.app.errors import NotFound

    return 404 if isinstance(exc, NotFound) else 400


@router.post(
    "/api/interviews",
    tags=["add"],
    summary="Record an interview and plan its notes: `followup add … --json`",
)
def api_add(ctx: Ctx, body: AddIn) -> dict[str, Any]:
    added, _ = add_interview(ctx, body)
    return views.added(added)


# --- invitations --------------------------------------------------------------------------

_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")


def import_invitation(
    ctx: Context,
    home: str | None,
    filename: str,
    upload: BinaryIO,
    company: str | None,
    role: str | None,
) -> Any:
    """`followup import FILE --yes [--company C] [--role R]` for an uploaded invitation (the
    upload already in a temporary file: Starlette spools a big one to disk)."""
    from followup.app import portability
    from followup.app.calendar import MAX_FILE_BYTES, InviteOptions
    from followup.bootstrap import web_calendar_codec
    from followup.config import paths
    from followup.config import settings as settings_mod
    from followup.config.mail import DEFAULT_ATS_DOMAINS

    suffix = Path(filename).suffix.lower()
    if suffix not in portability.INVITE_SUFFIXES:
        raise InvalidInput("choose an invitation: an .ics file, or an .eml e-mail with one")
    values = settings_mod.load(paths.resolve(home).config_file).values
    own = [
        values.get("user.email"),
        values.get("mail.from_address"),
        *values.get("mail.aliases", ()),
    ]
    options = InviteOptions(
        codec=web_calendar_codec(),
        own_addresses=tuple(a for a in own if a),
        own_names=(str(values["user.name"]),) if values.get("user.name") else (),
        ats_domains=(*DEFAULT_ATS_DOMAINS, *values.get("mail.ats_domains", ())),
        company=company.strip() if company and company.strip() else None,
        role=role.strip() if role and role.strip() else None,
        most_new=limits.INVITE_INTERVIEWS,
    )
    name = _SAFE_NAME.sub("_", Path(filename).name)[-100:] or f"invite{suffix}"
    with tempfile.TemporaryDirectory(prefix="followup-upload-") as folder:
        path = Path(folder) / name
        with open(path, "wb") as out:
            copied = 0
            while chunk := upload.read(256 * 1024):
                copied += len(chunk)
                if copied > MAX_FILE_BYTES:
                    raise InvalidInput(
                        "that file is too large for an invitation"
                        f" (at most {MAX_FILE_BYTES // 2**20} MB)"
                    )
                out.write(chunk)
        return portability.import_file(ctx, path, (), False, invite=options)


@router.post("/add/import", include_in_schema=False)
def import_form(
    request: Request,
    ctx: Ctx,
    config: Config,
    session: CurrentSession,
    invite: UploadFile,
    company: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "",
) -> Response:
    try:
        result = import_invitation(
            ctx, config.home, invite.filename or "invite.ics", invite.file, company, role
        )
    except FollowupError as exc:
        form = {"import_company": company, "import_role": role}
        # the shared reader busy with others' files (Conflict): 409, as /api/import says
        status = 409 if isinstance(exc, Conflict) else _status(exc)
        return _add_page(ctx, request, status, form=form, import_error=str(exc))
    for warning in result.warnings:
        session.flash(warning)
    for outcome in result.outcomes:
        session.flash(outcome.message)
    if not result.outcomes:
        session.flash("Nothing imported from that file.")
    ids = [o.interview_id for o in result.outcomes if o.interview_id is not None]
    return RedirectResponse(f"/interviews/{ids[0]}" if ids else "/", status_code=303)


@router.post(
    "/api/import",
    tags=["add"],
    summary="Import an invitation (.ics or .eml): `followup import FILE --yes --json`",
)
def api_import(
    ctx: Ctx,
    config: Config,
    invite: UploadFile,
    company: Annotated[str | None, Form()] = None,
    role: Annotated[str | None, Form()] = None,
) -> dict[str, Any]:
    name = invite.filename or "invite.ics"
    result = import_invitation(ctx, config.home, name, invite.file, company, role)
    out: dict[str, Any] = result.as_dict()
    out["file"] = Path(name).name  # the upload's name, not our temporary copy's path
    return out
