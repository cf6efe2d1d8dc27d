"""Settings: the policy in force, the note templates in use, the mail account and its test,
and the calendar feed of planned notes (`/calendar.ics`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from followup.app import wording, zones
from followup.app.context import Context
from followup.app.errors import FollowupError, InvalidInput
from followup.app.parse import tone_names
from followup.config import paths
from followup.config import settings as settings_mod
from followup.web import pages
from followup.web.conversations import conversations_of
from followup.web.deps import Config, Ctx, CurrentSession, WebConfig, server_user

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
        "auth": account.auth,
        "servers": {"smtp": account.smtp, "imap": account.imap},  # the placeholders
    }


def _page(
    request: Request,
    ctx: Context,
    config: WebConfig,
    *,
    status: int = 200,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    done: str = "",
    test: dict[str, Any] | None = None,
    recognised: Any = None,
    flash_at: str = "",
) -> Response:
    from followup.bootstrap import holiday_countries, zone_country
    from followup.bootstrap_settings import sign_in_of
    from followup.config import changes

    host = request.headers.get("host", f"127.0.0.1:{config.port}")
    token = request.app.state.feed.current()
    feed = f"http://{host}/calendar.ics?token={token}" if token else None
    current = config_data(config.home)
    return pages.render(
        request,
        "settings.html",
        status=status,
        policy=ctx.policy,
        policy_data=ctx.policy.as_dict(),
        panel=wording.panel_follow_up(ctx.policy.panel_follow_up, key=False),
        offset_signs=zones.OFFSET_SIGNS,
        templates=templates_in_use(ctx),
        config=current,
        mail=mail_account(config.home),
        user_tz=ctx.user_tz,
        feed=feed,
        errors=errors or {},
        form=form or {},
        done=done,
        test=test,
        recognised=recognised,
        steps=changes.cadence_steps(ctx.policy),
        zones=zones.all_zones(),
        countries=holiday_countries(),
        zone_country=zone_country(ctx.user_tz),
        sign_in=sign_in_of(config.home),
        flash_at=flash_at,
    )


SECTIONS = ("profile", "policy", "mail")  # where a save's "Saved: …" shows (?at=)


@router.get("/settings", include_in_schema=False)
def settings_page(
    request: Request, ctx: Ctx, config: Config, at: Annotated[str, Query(max_length=20)] = ""
) -> Response:
    """`?at=profile|policy|mail` (after a save): its notice in that section, by the form
    that was saved, not above the page's first one."""
    return _page(request, ctx, config, flash_at=at if at in SECTIONS else "")


@router.get("/settings/zones", include_in_schema=False)
def zone_options(
    request: Request,
    timezone: Annotated[str, Query(max_length=100)] = "",
    tz: Annotated[str, Query(max_length=100)] = "",  # Add's and the edit form's field
) -> Response:
    """The zone field's suggestions as `<option>`s (htmx swaps them into its datalist as the
    field's text changes): "Berlin", "PST", "UTC+1", "New York"."""
    timezone = timezone or tz
    found = zones.search(timezone, limit=30) if timezone.strip() else list(zones.all_zones())
    return pages.render(request, "_zone_options.html", zones=found)


def _refused(
    request: Request, ctx: Context, config: WebConfig, exc: InvalidInput, form: dict[str, str],
    field: str,
) -> Response:  # fmt: skip
    from followup.config.changes import FieldErrors

    errors = exc.errors if isinstance(exc, FieldErrors) else {field: str(exc)}
    return _page(request, ctx, config, status=400, errors=errors, form=form)


@router.post("/settings/profile", include_in_schema=False)
def change_profile(
    request: Request,
    ctx: Ctx,
    config: Config,
    session: CurrentSession,
    name: Annotated[str, Form(max_length=10_000)] = "",  # longer than 200: said by the field
    email: Annotated[str, Form(max_length=320)] = "",
    timezone: Annotated[str, Form(max_length=100)] = "",
    country: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Your name, address, zone and country: `config set user.name …`, `user.email`,
    `timezone`, `country`."""
    from followup.app import services
    from followup.bootstrap import sender_problem
    from followup.config import changes

    class WithHolidays:  # a country or a region (GB-SCT) the holiday calendar knows
        def __contains__(self, code: object) -> bool:
            try:
                services.is_holiday_check(ctx, str(code))
            except InvalidInput:
                return False
            return True

    form = {"name": name, "email": email, "timezone": timezone, "country": country}
    try:
        not_yours = sender_problem(config.home, email) if email.strip() else None
        if not_yours:  # refused here, not only at the first send (server mode)
            raise changes.FieldErrors({"email": not_yours})
        changes.change_profile(paths.resolve(config.home).config_file, form, WithHolidays())
    except InvalidInput as exc:
        return _refused(request, ctx, config, exc, form, "name")
    session.flash("Saved: your name, address, time zone and country.")
    return RedirectResponse("/settings?at=profile#profile", status_code=303)


@router.post("/settings/cadence", include_in_schema=False)
async def change_cadence(request: Request, ctx: Ctx, config: Config) -> Response:
    """Each step's wait (`[[policy.steps]]`), within the article's floors."""
    fields = await request.form()  # the steps are as many as the policy has: read them all
    afters = {}
    for key, value in fields.items():
        if key.startswith("after_") and key[6:].isdigit() and isinstance(value, str):
            afters[int(key[6:])] = value[:40]
    return await run_in_threadpool(_save_cadence, request, ctx, config, afters)


def _save_cadence(
    request: Request, ctx: Context, config: WebConfig, afters: dict[int, str]
) -> Response:
    from followup.config import changes

    try:
        changes.change_cadence(paths.resolve(config.home).config_file, afters)
    except InvalidInput as exc:
        form = {f"after_{n}": v for n, v in afters.items()}
        return _refused(request, ctx, config, exc, form, "after_1")
    request.state.session.flash("Saved: the cadence.")
    return RedirectResponse("/settings?at=policy#policy", status_code=303)


@router.post("/settings/mail", include_in_schema=False)
def change_mail(
    request: Request,
    ctx: Ctx,
    config: Config,
    session: CurrentSession,
    address: Annotated[str, Form(max_length=320)] = "",
    username: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    """`mail setup` from the form: the provider recognised from the address, only what
    differs from its preset written; the password (if given) kept in the OS keyring."""
    from followup.bootstrap_settings import set_up_account

    form = {"address": address, "username": username}  # never the password
    try:
        account = set_up_account(config.home, address, username, password)
    except InvalidInput as exc:
        from followup.config.changes import FieldErrors

        errors = exc.errors if isinstance(exc, FieldErrors) else {"address": str(exc)}
        if password and "password" not in errors:  # a trial: dropped without a word
            again = "the password was not kept: type it again then"
            exc = FieldErrors({k: f"{v} — {again}" for k, v in errors.items()})
        return _refused(request, ctx, config, exc, form, "address")
    return _page(request, ctx, config, done="Saved: the mail account.", recognised=account)


@router.post("/settings/mail-servers", include_in_schema=False)
def change_mail_servers(
    request: Request,
    ctx: Ctx,
    config: Config,
    session: CurrentSession,
    smtp_host: Annotated[str, Form(max_length=255)] = "",
    smtp_port: Annotated[str, Form(max_length=10)] = "",
    smtp_security: Annotated[str, Form(max_length=10)] = "",
    imap_host: Annotated[str, Form(max_length=255)] = "",
    imap_port: Annotated[str, Form(max_length=10)] = "",
    imap_security: Annotated[str, Form(max_length=10)] = "",
    mode: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """The servers' host, port and security, and where notes go: `config set mail.…`."""
    from followup.config import changes

    form = {
        "smtp_host": smtp_host,
        "smtp_port": smtp_port,
        "smtp_security": smtp_security,
        "imap_host": imap_host,
        "imap_port": imap_port,
        "imap_security": imap_security,
        "mode": mode,
    }
    try:
        changes.change_mail_servers(paths.resolve(config.home).config_file, form)
    except InvalidInput as exc:
        return _refused(request, ctx, config, exc, form, "smtp_host")
    session.flash("Saved: the mail servers.")
    return RedirectResponse("/settings?at=mail#mail-servers", status_code=303)


@router.post("/settings/mail-test", include_in_schema=False)
def mail_test_form(request: Request, ctx: Ctx, config: Config) -> Response:
    """`mail test`'s checks; the result next to the button (the fragment for htmx)."""
    from followup.bootstrap_settings import test_account

    try:  # server mode: the seeker's one mail turn (web/conversations.py)
        with conversations_of(request).held(server_user()):
            result = test_account(config.home)
    except FollowupError as exc:
        result = {"smtp": "", "imap": "", "ok": False, "problem": str(exc)}
    if request.headers.get("hx-request") == "true":
        return pages.render(request, "_mail_test.html", test=result)
    return _page(request, ctx, config, test=result)


@router.post("/settings/mail/sign-in", include_in_schema=False)
def start_sign_in(request: Request, ctx: Ctx, config: Config) -> Response:
    """`mail login`'s device code: started here, shown on the page, polled until done."""
    from followup.bootstrap_settings import refused_sign_in
    from followup.bootstrap_settings import start_sign_in as start

    htmx = request.headers.get("hx-request") == "true"
    try:
        sign_in = start(config.home)
    except InvalidInput as exc:
        if htmx:  # beside the button, where the sign-in's state shows (htmx swaps a 200 only)
            return pages.render(request, "_sign_in.html", sign_in=refused_sign_in(str(exc)))
        return _refused(request, ctx, config, exc, {}, "sign_in")
    sign_in.wait_for_code(5.0)  # the code comes back from the provider in well under that
    if htmx:
        return pages.render(request, "_sign_in.html", sign_in=sign_in)
    return RedirectResponse("/settings?at=mail#sign-in", status_code=303)


@router.get("/settings/mail/sign-in", include_in_schema=False)
def sign_in_state(request: Request, config: Config) -> Response:
    """The sign-in's state, for the page to poll (htmx) while the user enters the code."""
    from followup.bootstrap_settings import sign_in_of

    return pages.render(request, "_sign_in.html", sign_in=sign_in_of(config.home))


@router.get("/api/policy", tags=["settings"], summary="The cadence: `followup policy show --json`")
def api_policy(ctx: Ctx) -> dict[str, object]:
    from followup.app import services

    return services.policy_data(ctx.policy, services.last_replan(ctx))


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
def api_mail_test(request: Request, config: Config) -> dict[str, Any]:
    """Server mode: one send or mail check per seeker at a time, a second refused (409)."""
    from followup.bootstrap_settings import test_account

    with conversations_of(request).held(server_user()):
        return test_account(config.home)


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
