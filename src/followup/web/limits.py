"""What one request or one connection may cost everyone else (docs/deployment.md, "Limits").

One process serves every user from one event loop, so nothing a client sends may hold it:

- **Bodies**: at most 1 MB for a form or JSON, 5 MB for an invitation upload (`BODY_BYTES`,
  `UPLOAD_BYTES`), counted as the bytes arrive (a `Content-Length` over the cap is refused
  before reading; a chunked body is cut at the cap): 413. The whole body must arrive within
  `body_timeout` seconds: else 408.
- **Time budget**: a request whose work (its body's arrival not counted) runs longer than
  `budget` seconds (`mail_budget` for the routes that talk to a mail server, whose own
  timeouts are 30 s each; `upload_budget` for an invitation upload, whose thousands of
  events are written in one transaction) is answered 503; its thread runs on and its
  answer is dropped.
- **Connections** (`GuardedHttpTools`, uvicorn's HTTP protocol with two additions): a
  connection must complete each request head within `header_timeout` seconds of opening
  (or of its previous response) or it is closed; beyond `max_connections` open at once, a
  new connection gets a 503 and is closed at once. uvicorn's own keep-alive timeout closes
  a connection idle between requests (`idle_timeout`).

- **Turns** (laptop mode): requests run one at a time, each waiting at most `patience`
  seconds for its turn (`Turns`).
- **Mail at once** (server mode): one mail conversation per seeker, at most `mail_at_once`
  on the site, the others refused at once: web/conversations.py, where the seeker is known
  (a gate here counted requests, not seekers: one seeker's could fill it).

The routes themselves run in the thread pool (plain `def`): web/deps.py.
Every limit but the body caps can be changed with an environment variable (`ENV`), which
the tests use to make them short.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Awaitable
from dataclasses import dataclass, fields, replace
from typing import Any, ClassVar

from starlette.exceptions import HTTPException

from followup.app.errors import InvalidInput
from followup.web.security import ASGIApp, Message, Receive, Scope, Send, _refuse, wants_json

log = logging.getLogger("followup.web")

MB = 1024 * 1024
BODY_BYTES = 1 * MB
UPLOAD_BYTES = 5 * MB + 64 * 1024  # app/calendar.py's MAX_FILE_BYTES, and the form around it
UPLOAD_PATHS = frozenset({"/add/import", "/api/import"})
# Routes that talk to a mail server (SMTP and IMAP, 30 s timeout each).
MAIL_PATHS = ("/settings/mail-test", "/api/mail/test")
MAIL_SUFFIX = "/send"
FD_RESERVE = 128  # files the process needs besides its connections: database, logs, uploads


@dataclass(frozen=True)
class WebLimits:
    budget: float = 10.0  # seconds of work per request
    mail_budget: float = 120.0
    upload_budget: float = 120.0  # an invitation's thousands of events written in one go
    body_timeout: float = 60.0  # seconds for a whole request body to arrive
    header_timeout: float = 10.0  # seconds for a request head to arrive
    idle_timeout: int = 5  # seconds a kept-alive connection may wait for its next request
    max_connections: int = 1000
    patience: float = 0.1  # seconds a request waits for its turn (Turns; 0: no turns)
    # server mode: mail conversations at once on the site, one per seeker (each holds a
    # database connection while its server answers): web/conversations.py
    mail_at_once: int = 3
    body_bytes: int = BODY_BYTES
    upload_bytes: int = UPLOAD_BYTES

    ENV: ClassVar[dict[str, str]] = {
        "budget": "FOLLOWUP_WEB_TIME_BUDGET",
        "mail_budget": "FOLLOWUP_WEB_MAIL_TIME_BUDGET",
        "upload_budget": "FOLLOWUP_WEB_UPLOAD_TIME_BUDGET",
        "body_timeout": "FOLLOWUP_WEB_BODY_TIMEOUT",
        "header_timeout": "FOLLOWUP_WEB_HEADER_TIMEOUT",
        "idle_timeout": "FOLLOWUP_WEB_IDLE_TIMEOUT",
        "max_connections": "FOLLOWUP_WEB_MAX_CONNECTIONS",
        "patience": "FOLLOWUP_WEB_PATIENCE",
        "mail_at_once": "FOLLOWUP_WEB_MAIL_AT_ONCE",
    }

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> WebLimits:
        """The defaults, with any FOLLOWUP_WEB_* variable set (a bad value: InvalidInput)."""
        environ = dict(os.environ) if environ is None else environ
        given: dict[str, Any] = {}
        kinds = {f.name: f.type for f in fields(cls)}
        for name, variable in cls.ENV.items():
            text = environ.get(variable, "").strip()
            if not text:
                continue
            kind = int if kinds[name] in (int, "int") else float
            try:
                value = kind(text)
            except ValueError:
                value = 0
            if not 0 < value < 1e6:
                raise InvalidInput(f"{variable}={text}: give a positive number")
            given[name] = value
        return replace(cls(), **given)

    def cap(self, path: str) -> int:
        return self.upload_bytes if path in UPLOAD_PATHS else self.body_bytes

    def budget_for(self, path: str) -> float:
        if path in UPLOAD_PATHS:
            return self.upload_budget
        return self.mail_budget if talks_to_mail(path) else self.budget


def talks_to_mail(path: str) -> bool:
    """A route that talks to a mail server (send, Save to Drafts, mail test)."""
    return path in MAIL_PATHS or (path.startswith("/") and path.endswith(MAIL_SUFFIX))


def _megabytes(size: int) -> str:
    return f"{size // MB} MB"  # what a person can check against a file's size


class BodyTooLarge(HTTPException):
    """Raised from `receive` past the cap; an HTTPException, so FastAPI's body parsing lets
    it through to the error pages instead of calling it a malformed body (400)."""

    def __init__(self, cap: int) -> None:
        super().__init__(413, f"Too large: at most {_megabytes(cap)} here.")


class BodyTimeout(HTTPException):
    def __init__(self, seconds: float) -> None:
        super().__init__(408, f"The request's body did not arrive within {seconds:g} s.")


class Turns:
    """Requests take turns: one runs while the others wait, each at most `patience` seconds.

    One process has one GIL, so requests side by side only take turns at it anyway, and
    SQLite hands it back at every row it reads: each waited for the others at every row,
    and a page of 500 rows among four requests took 1.5 times its CPU alone (docs/
    benchmarks.md, "Taking turns"). A request whose turn has not come within `patience`
    runs beside the others, so a page stuck on a lock holds no one up for longer."""

    def __init__(self, patience: float) -> None:
        self.patience = patience
        self._lock: tuple[asyncio.AbstractEventLoop, asyncio.Lock] | None = None

    def _current(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        if self._lock is None or self._lock[0] is not loop:  # a lock belongs to one loop
            self._lock = (loop, asyncio.Lock())
        return self._lock[1]

    async def run(self, work: Awaitable[None]) -> None:
        lock = self._current()
        try:  # granted as the wait ends: wait_for returns it held (Python 3.11's wait_for)
            await asyncio.wait_for(lock.acquire(), self.patience)
        except TimeoutError:
            await work  # its turn did not come: beside the one running
            return
        try:
            await work
        finally:
            lock.release()


class Limits:
    """Pure ASGI middleware: the body cap and deadline, the time budget and the turns."""

    _detached: ClassVar[set[asyncio.Task[None]]] = set()  # abandoned work, until it ends

    def __init__(self, app: ASGIApp, limits: WebLimits, turns: bool = True) -> None:
        """`turns`: the laptop's SQLite in this process; in server mode pages wait on
        PostgreSQL, where the time one waits is another's to use."""
        self.app = app
        self.limits = limits
        self.turns = Turns(limits.patience) if turns and limits.patience > 0 else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        cap = self.limits.cap(path)
        declared = _content_length(scope)
        if declared is not None and declared > cap:  # refused before a byte is read
            await _refuse(413, BodyTooLarge(cap).detail, wants_json(path))(scope, receive, send)
            return
        body = _Body(receive, cap, self.limits.body_timeout)
        answered = {"started": False, "dropped": False}

        async def guarded_send(message: Message) -> None:
            if answered["dropped"]:
                return
            if message["type"] == "http.response.start":
                answered["started"] = True
            await send(message)

        started = time.monotonic()
        budget = self.limits.budget_for(path)
        request = self.app(scope, body.receive, guarded_send)
        if self.turns is not None and path not in UPLOAD_PATHS:  # parsed in another process
            request = self.turns.run(request)
        work = asyncio.ensure_future(request)
        try:
            while True:
                if answered["started"]:  # the answer is on its way: let it finish
                    await work
                    return
                # the time spent waiting for the body is the client's, not the work's
                left = started + budget + body.waited() - time.monotonic()
                if body.receiving:
                    left = max(left, 1.0)  # the body has its own deadline (408)
                elif left <= 0:
                    break
                done, _ = await asyncio.wait({work}, timeout=left)
                if done:
                    work.result()  # its exception, if any, for the guard to log
                    return
        except asyncio.CancelledError:
            work.cancel()
            raise
        answered["dropped"] = True
        self._detached.add(work)
        work.add_done_callback(self._forget)
        log.warning(
            "%s %s: over its %g s budget, answered 503 (the work runs on)",
            scope.get("method"),
            path,
            budget,
        )
        message = f"This took longer than {budget:g} s; it may still finish. Reload in a moment."
        await _refuse(503, message, wants_json(path))(scope, receive, send)

    @classmethod
    def _forget(cls, task: asyncio.Task[None]) -> None:
        cls._detached.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("abandoned request failed", exc_info=task.exception())


class _Body:
    """`receive` with the cap and the deadline, and how long the app waited on it."""

    def __init__(self, receive: Receive, cap: int, timeout: float) -> None:
        self._receive = receive
        self._cap = cap
        self._timeout = timeout
        self._deadline: float | None = None
        self._size = 0
        self._done = False
        self._waited = 0.0
        self._since: float | None = None

    @property
    def receiving(self) -> bool:
        return self._since is not None

    def waited(self) -> float:
        ongoing = time.monotonic() - self._since if self._since is not None else 0.0
        return self._waited + ongoing

    async def receive(self) -> Message:
        if self._done:  # the body is in: what follows is the wait for a disconnect
            return await self._receive()
        now = time.monotonic()
        if self._deadline is None:
            self._deadline = now + self._timeout
        self._since = now
        try:
            message = await asyncio.wait_for(self._receive(), max(self._deadline - now, 0.001))
        except TimeoutError:
            raise BodyTimeout(self._timeout) from None
        finally:
            self._waited += time.monotonic() - now
            self._since = None
        if message["type"] != "http.request":
            self._done = True
            return message
        self._size += len(message.get("body", b""))
        if self._size > self._cap:
            raise BodyTooLarge(self._cap)
        self._done = not message.get("more_body", False)
        return message


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None  # the HTTP parser has refused it already
    return None


# --- connections ----------------------------------------------------------------------------

BUSY = (
    b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain; charset=utf-8\r\n"
    b"content-length: 25\r\nconnection: close\r\n\r\nToo many connections now.\n"
)


def guarded_protocol(limits: WebLimits) -> type[asyncio.Protocol]:
    """uvicorn's httptools protocol with a request-head timeout and a connection cap.

    uvicorn times out a kept-alive connection that sends nothing, but a connection that
    sends half a request line and stalls is kept forever (each holds a file descriptor).
    """
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    class GuardedHttpTools(HttpToolsProtocol):
        _head_timer: asyncio.TimerHandle | None = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            if len(self.connections) > limits.max_connections:
                transport.write(BUSY)
                transport.close()
                return
            self._arm_head_timer()

        def on_headers_complete(self) -> None:
            self._cancel_head_timer()
            super().on_headers_complete()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            # uvicorn arms its keep-alive timer exactly when it waits for the next request
            if self.timeout_keep_alive_task is not None:
                self._arm_head_timer()

        def connection_lost(self, exc: Exception | None) -> None:
            self._cancel_head_timer()
            super().connection_lost(exc)

        def _arm_head_timer(self) -> None:
            self._cancel_head_timer()
            self._head_timer = self.loop.call_later(limits.header_timeout, self._head_too_slow)

        def _cancel_head_timer(self) -> None:
            if self._head_timer is not None:
                self._head_timer.cancel()
                self._head_timer = None

        def _head_too_slow(self) -> None:
            self._head_timer = None
            if not self.transport.is_closing():
                self.transport.close()

    return GuardedHttpTools


def raise_open_files_limit() -> int:
    """The soft limit on open files raised to the hard one (each connection is a file);
    returns the soft limit in force."""
    try:
        import resource
    except ImportError:  # not on Windows
        return 1 << 16
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = hard if hard != resource.RLIM_INFINITY else max(soft, 65536)
    if soft != resource.RLIM_INFINITY and soft < target:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):  # a platform with a lower ceiling: keep what we have
            pass
    return soft


def connection_cap(limits: WebLimits, open_files: int) -> WebLimits:
    """At most as many connections as the open-files limit leaves room for."""
    room = max(16, open_files - FD_RESERVE)
    return replace(limits, max_connections=min(limits.max_connections, room))
