"""What routes are handed: the service context, the session, the CSRF check.

One `open_context(home)` per request (SQLite in WAL mode: cheap, and each request sees the
committed state). The routes are `async def` and call the services directly: the store's
connection belongs to the thread that opened it, and a local SQLite read takes a
millisecond or two — about what a hop to a worker thread costs. What talks to the network
(mail) runs in a worker thread with a context of its own (`in_thread`).
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from followup.app.context import Context
from followup.bootstrap import open_context
from followup.web.security import CSRF_FIELD, CSRF_HEADER, SAFE_METHODS, Session

T = TypeVar("T")


@dataclass(frozen=True)
class WebConfig:
    home: str | None
    port: int
    feed_token: str | None = None


class Forbidden(Exception):
    """A state-changing request without the session's CSRF token."""


def web_config(request: Request) -> WebConfig:
    config: WebConfig = request.app.state.config
    return config


def session(request: Request) -> Session:
    found: Session | None = getattr(request.state, "session", None)
    if found is None:  # the guard lets no request through without one (static files aside)
        raise Forbidden("no session")
    return found


async def csrf_protect(request: Request) -> None:
    """Every state-changing request carries the session's CSRF token (field or header)."""
    if request.method in SAFE_METHODS:
        return
    current = session(request)
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        kind = request.headers.get("content-type", "")
        if kind.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get(CSRF_FIELD)
            sent = value if isinstance(value, str) else None
    if not sent or not secrets.compare_digest(sent.encode(), current.csrf.encode()):
        raise Forbidden("missing or wrong CSRF token")


async def context(request: Request) -> AsyncIterator[Context]:
    ctx = open_context(web_config(request).home)
    try:
        yield ctx
    finally:
        close_context(ctx)


def close_context(ctx: Context) -> None:
    """Close the store's connection (the Store port has no close; SQLite's adapter does)."""
    close: Callable[[], None] | None = getattr(ctx.store, "close", None)
    if close is not None:
        close()


async def in_thread(home: str | None, work: Callable[[Context], T]) -> T:
    """Run `work` in a worker thread with a context of its own (for network-bound use-cases)."""

    def run() -> T:
        ctx = open_context(home)
        try:
            return work(ctx)
        finally:
            close_context(ctx)

    return await run_in_threadpool(run)


def fast_json(data: Any) -> JSONResponse:
    """A big JSON list as is: the route declares its `response_model` for the schema, and
    skips FastAPI's per-item validation and re-encoding (3x the cost of the agenda itself)."""
    return JSONResponse(data)


def is_fragment(request: Request, prefix: str) -> bool:
    """An htmx request asking to swap the element whose id starts with `prefix`."""
    return request.headers.get("hx-request") == "true" and request.headers.get(
        "hx-target", ""
    ).startswith(prefix)


def local_path(candidate: str | None, default: str) -> str:
    """A redirect target that stays on this site (`/…`, never `//host` or `/\\host`)."""
    if candidate and candidate.startswith("/") and not candidate.startswith(("//", "/\\")):
        return candidate
    return default


Ctx = Annotated[Context, Depends(context)]
Config = Annotated[WebConfig, Depends(web_config)]
CurrentSession = Annotated[Session, Depends(session)]
