"""What routes are handed: the service context, the session, the CSRF check.

Routes that touch the database, parse a file or talk to a mail server are plain `def`:
FastAPI runs them in its thread pool, so a slow one (a big invitation, the stats, an SMTP
server taking its time) never holds the event loop that every other user's request needs.
A form or an upload is read on the loop first, as it arrives (capped: web/limits.py); the
work on it then runs in the pool.

The laptop: a small pool of open contexts (`ContextPool`), each lent to one request at a
time — opening one per request cost ~1.6 ms of a ~10 ms page. SQLite in WAL mode and
autocommit: each statement sees the committed state, whoever wrote it. A context is
reopened when the settings file or the database file changes (`followup config set`, a
restore), so the dashboard never serves a stale policy or time zone.

Server mode (web/server_mode.py): the guard puts the signed-in seeker's id in `SERVER_USER`;
each request opens that user's context (their PostgreSQL schema, from the process's one
pool, and their home `<FOLLOWUP_HOME>/users/<id>/`) and closes it after, and `Config.home`
is that user's home. No route takes a user id from the request.
"""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import JSONResponse

from followup.app.context import Context
from followup.bootstrap import open_context
from followup.config import paths
from followup.web.security import (
    CSRF_FIELD,
    CSRF_HEADER,
    SAFE_METHODS,
    SERVER_USER,
    Session,
    same_origin,
)

Stamp = tuple[tuple[int, int, int], ...]


@dataclass(frozen=True)
class WebConfig:
    home: str | None
    port: int
    feed_token: str | None = None
    # who sends approved notes when due (app/feedback.Sender): "here" (serve's own sender),
    # "off" (nothing started here), "elsewhere" (server mode: the site's workers)
    sender: str = "off"


class Forbidden(Exception):
    """A state-changing request without the session's CSRF token."""


async def web_config(request: Request) -> WebConfig:  # async: nothing to wait for
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
    return open_as(home, server_user())


def open_as(home: str | None, user: tuple[str | None, int] | None) -> Context:
    """`_open_own` for a thread outside the request (web/jobs.py): `user` is the request's
    `server_user()`, taken while it ran. Closed with `close_context`."""
    if user is not None:
        return open_context(user[0], user_id=user[1])._replace(source="web")
    return open_context(home)._replace(source="web")


def _session_of(request: Request) -> Session:
    found: Session | None = getattr(request.state, "session", None)
    if found is None:  # the guard lets no request through without one (static files aside)
        raise Forbidden("no session")
    return found


async def session(request: Request) -> Session:  # async: no hop to the thread pool for this
    return _session_of(request)


async def csrf_protect(request: Request) -> None:
    """Every state-changing request carries the session's CSRF token (field or header)."""
    if request.method in SAFE_METHODS:
        return
    if request.url.path == "/login" and _server(request):
        return  # no session yet: the sign-in form checks its own CSRF cookie (routes/login.py)
    current = _session_of(request)
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        kind = request.headers.get("content-type", "")
        if kind.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get(CSRF_FIELD)
            sent = value if isinstance(value, str) else None
    if not sent or not secrets.compare_digest(sent.encode(), current.csrf.encode()):
        raise Forbidden("missing or wrong CSRF token")


class ContextPool:
    """The laptop's open contexts, each lent to one request at a time (on whichever worker
    thread runs it), reopened when the settings or the database file change."""

    KEEP = 8  # idle contexts kept open; more are opened when more requests run at once

    def __init__(self, home: str | None) -> None:
        where = paths.resolve(home)
        self._home = home
        self._watched = (where.config_file, where.database)
        self._lock = threading.Lock()
        self._idle: list[tuple[Stamp, Context]] = []

    def _stamp(self) -> Stamp:
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

    @contextmanager
    def lend(self) -> Iterator[Context]:
        current = self._stamp()
        found: tuple[Stamp, Context] | None = None
        stale: list[Context] = []
        with self._lock:
            while self._idle and found is None:
                entry = self._idle.pop()
                if entry[0] == current:
                    found = entry
                else:
                    stale.append(entry[1])
        for ctx in stale:
            close_context(ctx)
        lent: Context | None = None
        if found is None:
            ctx = open_context(self._home)
            lent = ctx  # what it re-planned is told to this request only, not to later ones
            found = (self._stamp(), ctx._replace(policy_change=None))  # the file exists now
        try:
            yield lent or found[1]
        finally:
            with self._lock:
                keep = len(self._idle) < self.KEEP
                if keep:
                    self._idle.append(found)
            if not keep:
                close_context(found[1])

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for _, ctx in idle:
            close_context(ctx)


def context(request: Request) -> Iterator[Context]:
    """A plain `def` dependency: opening a context reads files and the database."""
    if _server(request):
        if server_user() is None:  # the guard lets only seekers reach these routes
            raise Forbidden("no seeker signed in")
        ctx = _open_own(None)
        _announce(request, ctx)
        try:
            yield ctx._replace(source="web")  # the history says the dashboard did it
        finally:
            close_context(ctx)
        return
    pool: ContextPool = request.app.state.contexts
    with pool.lend() as ctx:
        _announce(request, ctx)
        yield ctx._replace(source="web", policy_change=None)


def _announce(request: Request, ctx: Context) -> None:
    """Flash, once, what opening `ctx` re-planned because config.toml's policy changed."""
    found: Session | None = getattr(request.state, "session", None)
    if ctx.policy_change is not None and found is not None:
        from followup.app.wording import policy_change

        found.flash(policy_change(ctx.policy_change, plain=True))


def close_context(ctx: Context) -> None:
    """Close the store's connection (the Store port has no close; SQLite's adapter does)."""
    close: Callable[[], None] | None = getattr(ctx.store, "close", None)
    if close is not None:
        close()


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


borrowed_context = contextmanager(context)  # the same, outside a route (an error handler)


def home_of(request: Request) -> str | None:
    """`Config.home` outside a route: the laptop's home, or the signed-in seeker's."""
    config: WebConfig = request.app.state.config
    user = server_user()
    if user is not None:
        from followup.bootstrap import user_home

        return str(user_home(user[0], user[1]))
    return config.home


Ctx = Annotated[Context, Depends(context)]
Config = Annotated[WebConfig, Depends(web_config)]
CurrentSession = Annotated[Session, Depends(session)]
