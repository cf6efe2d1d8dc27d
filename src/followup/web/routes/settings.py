"""Settings: the policy in force, the note templates in use, the mail account and its test,
and the calendar feed of planned notes (`/calendar.ics`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from followup.app import wording
from followup.app.context import Context
from followup.app.errors import FollowupError, InvalidInput
from followup.app.parse import tone_names
from followup.config import paths
from followup.config import settings as settings_mod
from followup.web import pages
from followup.web.deps import Config, Ctx, CurrentSession

router = APIRouter()


def templates_in_use(ctx: Context) -> list[dict[str, str]]:
    """Which file each kind of the policy × tone renders from: yours (config dir) or the
    built-in."""
    from followup.bootstrap import template_file

    rows = []
    for kind in (step.kind for step in ctx.policy.steps):
        for tone in tone_names(auto=False):
            try:
                found = template_file(ctx.templates, kind, tone)
            except InvalidInput as exc:
                found = ("error", str(exc))
            if found is None:  # not file templates: nothing to show
                return []
            source, origin = found
            rows.append({"kind": kind, "tone": tone, "source": source, "file": origin})
    return rows


def config_data(home: str | None) -> dict[str, Any]:
    """`followup config show --json`."""
    where = paths.resolve(home)
    current = settings_mod.load(where.config_file)
    values = {key: current.values.get(key) for key in settings_mod.KEYS}
    return {"file": str(where.config_file), "database": str(where.database), **values}


def mail_account(home: str | None) -> dict[str, Any]:
    """The account as configured (never a password): what the test button will try."""
    from followup.bootstrap import MailSetup

    try:
        account = MailSetup(home).account
    except FollowupError as exc:
        return {"configured": False, "problem": str(exc)}
    return {
        "configured": account.smtp is not None or account.imap is not None,
        "problem": "",
        "from": account.from_address,
        "username": account.username,
        "smtp": f"{account.smtp.host}:{account.smtp.port} ({account.smtp.security})"
        if account.smtp
        else None,
        "imap": f"{account.imap.host}:{account.imap.port} ({account.imap.security})"
        if account.imap
        else None,
        "mode": account.mode,
    }


def mail_test(home: str | None) -> dict[str, Any]:
    """The same checks as `followup mail test`: each connection, and exactly what is wrong."""
    from followup.bootstrap import MailSetup

    return MailSetup(home).check()


@router.get("/settings", include_in_schema=False)
def settings_page(request: Request, ctx: Ctx, config: Config) -> Response:
    host = request.headers.get("host", f"127.0.0.1:{config.port}")
    feed = None
    if config.feed_token:
        feed = f"http://{host}/calendar.ics?token={config.feed_token}"
    return pages.render(
        request,
        "settings.html",
        policy=ctx.policy,
        policy_data=ctx.policy.as_dict(),
        panel=wording.panel_follow_up(ctx.policy.panel_follow_up),
        templates=templates_in_use(ctx),
        config=config_data(config.home),
        mail=mail_account(config.home),
        user_tz=ctx.user_tz,
        feed=feed,
    )


@router.post("/settings/mail-test", include_in_schema=False)
def mail_test_form(config: Config, session: CurrentSession) -> Response:
    try:
        result = mail_test(config.home)
    except FollowupError as exc:
        session.flash(f"Mail test: {exc}")
    else:
        session.flash(f"SMTP: {result['smtp']}")
        session.flash(f"IMAP: {result['imap']}")
    return RedirectResponse("/settings#mail", status_code=303)


@router.get("/api/policy", tags=["settings"], summary="The cadence: `followup policy show --json`")
def api_policy(ctx: Ctx) -> dict[str, object]:
    return ctx.policy.as_dict()


@router.get(
    "/api/config", tags=["settings"], summary="Every setting: `followup config show --json`"
)
def api_config(config: Config) -> dict[str, Any]:
    return config_data(config.home)


@router.get(
    "/api/templates", tags=["settings"], summary="Which template file each step × tone uses"
)
def api_templates(ctx: Ctx) -> list[dict[str, str]]:
    return templates_in_use(ctx)


@router.post(
    "/api/mail/test",
    tags=["settings"],
    summary="Check the SMTP and IMAP connections (`followup mail test`)",
)
def api_mail_test(config: Config) -> dict[str, Any]:
    return mail_test(config.home)


@router.get(
    "/calendar.ics",
    tags=["settings"],
    summary="Your planned notes as a calendar feed (needs the feed's own token)",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}}},
)
def calendar_feed(
    ctx: Ctx,
    todo: Annotated[bool, Query(description="Tasks (VTODO) instead of events.")] = False,
) -> Response:
    """`followup export --ics -`: the calendar app subscribes; each note keeps its UID."""
    from followup.app import calendar
    from followup.bootstrap import calendar_codec

    return Response(
        calendar.feed(ctx, calendar_codec(), todo), media_type="text/calendar; charset=utf-8"
    )
