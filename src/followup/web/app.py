"""The dashboard's app factory: routes per page, the security guard, error pages.

`followup serve` (cli/web.py) builds it with the port it bound and a fresh login token;
the tests build it the same way and drive it with FastAPI's TestClient.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from followup.app.errors import Conflict, FollowupError, InvalidInput, NotFound, StoreUnavailable
from followup.config import paths
from followup.web import pages
from followup.web.conversations import Busy, Conversations
from followup.web.deps import ContextPool, Forbidden, WebConfig, csrf_protect
from followup.web.feed import FEED_TOKEN_FILE, FeedToken
from followup.web.jobs import Jobs
from followup.web.limits import Limits, WebLimits
from followup.web.routes import (
    add,
    edit,
    history,
    interviews,
    mailcheck,
    pipeline,
    settings,
    stats,
    today,
)
from followup.web.security import Guard, Lock, Sessions, wants_json

if TYPE_CHECKING:
    from followup.web.server_mode import ServerMode

STATIC = Path(__file__).parent / "static"

_STATUS = {NotFound: 404, InvalidInput: 400, Conflict: 409, StoreUnavailable: 503, Busy: 503}
# The interview page's forms: a refusal re-renders the page with the message by its button
_ACTION = re.compile(
    r"/interviews/(\d{1,18})/(sent|replied|cancel|reopen|debrief|drafts|send|let-go)"
)


def create_app(
    config: WebConfig,
    sessions: Sessions,
    server: ServerMode | None = None,
    limits: WebLimits | None = None,
) -> FastAPI:
    """The dashboard; with `server` (server mode), accounts, coaches and admins too."""
    app = FastAPI(
        title="followup dashboard",
        summary="The same data as `followup … --json`, for the local dashboard.",
        version=_version(),
        docs_url=None,  # the docs UI loads its assets from a CDN: not here
        redoc_url=None,
        dependencies=[Depends(csrf_protect)],
    )
    app.state.config = config
    app.state.server = server
    # the calendar feed's token: the file's again once `followup open --new-feed` replaced it
    app.state.feed = FeedToken(
        config.feed_token if server is None else None,
        paths.resolve(config.home).home / FEED_TOKEN_FILE if config.feed_token else None,
    )
    limits = limits or WebLimits()
    # send, save to Drafts, check mail: in the background; in server mode each job holds
    # its seeker's mail turn, and there are as many threads as turns
    app.state.conversations = Conversations(server is not None, limits.mail_at_once)
    app.state.jobs = Jobs() if server is None else Jobs(limits.mail_at_once)
    if server is None:  # the laptop's SQLite file (server mode: each seeker's own, per request)
        app.state.contexts = ContextPool(config.home)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (today, pipeline, interviews, history, edit, add, stats, settings, mailcheck):
        app.include_router(module.router)
    if server is not None:
        from followup.web.routes import coach, login

        app.include_router(login.router)
        app.include_router(coach.router)
    _error_pages(app)
    # inside the guard: its refusals cost nothing, and its headers and log cover these too
    app.add_middleware(Limits, limits=limits, turns=server is None)
    app.add_middleware(
        Guard,
        lock=Lock(
            port=config.port,
            sessions=sessions,
            feed=app.state.feed,
            server=server,
        ),
    )
    return app


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("followup")
    except PackageNotFoundError:
        return "0"


def _error_pages(app: FastAPI) -> None:
    """What a user can cause is one clear line with the CLI's meaning; never a traceback."""

    @app.exception_handler(FollowupError)
    async def followup_error(request: Request, exc: FollowupError) -> Response:
        status = next((s for kind, s in _STATUS.items() if isinstance(exc, kind)), 500)
        action = _ACTION.fullmatch(request.url.path)
        if (
            action is not None
            and status in (400, 409)
            and request.method == "POST"
            and request.headers.get("hx-request") != "true"
        ):  # refused on the interview page: the page again, the message by the button
            form = await request.form()
            fields = {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}
            return await run_in_threadpool(
                interviews.refused_page,
                request,
                int(action.group(1)),
                action.group(2),
                str(exc),
                status,
                fields,
            )
        return _error(request, status, str(exc), int(exc.code))

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        return _error(request, 403, "Refused: the form is stale or not from this dashboard.", 0)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(part) for part in first.get("loc", ()) if part != "body")
        message = f"{where}: {first.get('msg', 'invalid')}" if where else "invalid request"
        status = 404 if first.get("loc", ("",))[0] == "path" else 400
        return _error(request, status, message, 4)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        messages = {404: "No such page.", 405: "That does not work here."}
        message = messages.get(exc.status_code, str(exc.detail))
        return _error(request, exc.status_code, message, 0, headers=exc.headers)


def _error(
    request: Request,
    status: int,
    message: str,
    code: int,
    headers: Mapping[str, str] | None = None,
) -> Response:
    if wants_json(request.url.path):
        body: dict[str, object] = {"error": message, "status": status}
        if code:
            body["exit_code"] = code
        return JSONResponse(body, status_code=status, headers=headers)
    response = pages.render(
        request, "error.html", status=status, status_code=status, message=message
    )
    if headers:
        response.headers.update(headers)
    return response
