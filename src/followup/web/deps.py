"""What routes are handed: the service context, the session, the CSRF check.

One context per process, opened on first use and reused by every request (SQLite in WAL
mode and autocommit: each statement sees the committed state, whoever wrote it); opening one
per request cost ~1.6 ms of a ~10 ms page. It is opened anew when the settings file or the
database file changes (`followup config set`, a restore), so the dashboard never serves a
stale policy or time zone. The routes are `async def` and call the services directly on the
event loop's thread, which owns that connection: a local SQLite read takes a millisecond or
two — about what a hop to a worker thread costs. What talks to the network (mail) runs in a
worker thread with a context of its own (`in_thread`).

Server mode (web/server_mode.py): the guard puts the signed-in seeker's id in `SERVER_USER`;
each request opens that user's context (their PostgreSQL schema, from the process's one
pool, and their home `<FOLLOWUP_HOME>/users/<id>/`) and closes it after, and `Config.home`
is that user's home. No route takes a user id from the request.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, replace
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from followup.app.context import Context
from followup.bootstrap import open_context
from followup.config import paths
from followup.web.security import CSRF_FIELD, CSRF_HEADER, SAFE_METHODS, Session, same_origin
from followup.web.server_mode import SERVER_USER

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
    user = server_user()
    if user is not None:  # server mode: the signed-in seeker's own settings and templates
        from followup.bootstrap import user_home

        return replace(config, home=str(user_home(user[0], user[1])))
    return config


def server_user() -> tuple[str | None, int] | None:
    """(base FOLLOWUP_HOME, user id) of the seeker signed in (server mode), else None."""
    return SERVER_USER.get()


def _server(request: Request) -> bool:
    return getattr(request.app.state, "server", None) is not None


def _open_own(home: str | None) -> Context:
    """The laptop's context, or in server mode the signed-in seeker's (never anyone else's)."""
    user = server_user()
    if user is not None:
        return open_context(user[0], user_id=user[1])
    return open_context(home)


def session(request: Request) -> Session:
    found: Session | None = getattr(request.state, "session", None)
    if found is None:  # the guard lets no request through without one (static files aside)
        raise Forbidden("no session")
    return found


async def csrf_protect(request: Request) -> None:
    """Every state-changing request carries the session's CSRF token (field or header)."""
    if request.method in SAFE_METHODS:
        return
    if request.url.path == "/login" and _server(request):
        return  # no session yet: the sign-in form checks its own CSRF cookie (routes/login.py)
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


class SharedContext:
    """The process's context for the event loop's thread, reopened when its files change."""

    def __init__(self, home: str | None) -> None:
        where = paths.resolve(home)
        self._watched = (where.config_file, where.database)
        self._key: tuple[tuple[int, int, int], ...] | None = None
        self._ctx: Context | None = None

    def _stamp(self) -> tuple[tuple[int, int, int], ...]:
        stamps = []
        for path in self._watched:
            try:
                st = os.stat(path)
            except FileNotFoundError:
                stamps.append((0, 0, 0))
            else:
                stamps.append(
                    (st.st_dev, st.st_ino, st.st_mtime_ns if path.suffix == ".toml" else 0)
                )
        return tuple(stamps)

    def get(self, home: str | None) -> Context:
        key = self._stamp()
        if self._ctx is None or key != self._key:
            self.close()
            self._ctx = open_context(home)
            self._key = self._stamp()  # the database file exists once the store opened it
        return self._ctx

    def close(self) -> None:
        if self._ctx is not None:
            close_context(self._ctx)
            self._ctx = None


async def context(request: Request) -> AsyncIterator[Context]:
    if _server(request):
        if server_user() is None:  # the guard lets only seekers reach these routes
            raise Forbidden("no seeker signed in")
        ctx = _open_own(None)
        try:
            yield ctx
        finally:
            close_context(ctx)
        return
    home = web_config(request).home
    shared: SharedContext | None = getattr(request.app.state, "shared_context", None)
    if shared is None:
        shared = request.app.state.shared_context = SharedContext(home)
    yield shared.get(home)


def close_context(ctx: Context) -> None:
    """Close the store's connection (the Store port has no close; SQLite's adapter does)."""
    close: Callable[[], None] | None = getattr(ctx.store, "close", None)
    if close is not None:
        close()


async def in_thread(home: str | None, work: Callable[[Context], T]) -> T:
    """Run `work` in a worker thread with a context of its own (for network-bound use-cases)."""

    def run() -> T:
        ctx = _open_own(home)
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
    """A redirect target that stays on this site (security.same_origin)."""
    return same_origin(candidate, default)


Ctx = Annotated[Context, Depends(context)]
Config = Annotated[WebConfig, Depends(web_config)]
CurrentSession = Annotated[Session, Depends(session)]
