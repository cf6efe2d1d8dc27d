"""The dashboard's locks: localhost is not a trust boundary.

Any web page the user visits can send requests to 127.0.0.1, and a hostile DNS name can be
made to resolve there (DNS rebinding); other local users can reach the port too. So:

- **Host**: a request whose `Host` is not a loopback name with our port (127.0.0.1:PORT,
  localhost:PORT, [::1]:PORT) gets 403 before anything else — a rebinding page's requests
  carry its own name.
- **Who**: the printed URL carries a one-time token (`secrets.token_urlsafe(32)`). Its first
  use creates a session — a separate random id in an HttpOnly, SameSite=Strict cookie — and
  redirects to the same URL without the token, so it stays out of history; the token is
  then spent. On the laptop the session lasts 30 days (`Max-Age`), kept hashed in the home
  (web/logins.py): a restart keeps it, `followup open` prints a new one-time link for the
  running dashboard, `followup open --revoke` ends every session. Without a valid session:
  a 401 page saying how to get a new link. Static files (vendored libraries, our CSS/JS)
  are the only exception; `/calendar.ics` takes its own long-lived feed token instead.
- **Intent**: every state-changing request (anything but GET/HEAD) needs a same-origin
  `Origin` (or, when absent or `null`, `Sec-Fetch-Site: same-origin`) — checked here — and the
  session's CSRF token, in the `csrf_token` form field or the `X-CSRF-Token` header —
  checked by `csrf_protect`, a dependency every route carries. Otherwise 403.
- **Headers** on every response, errors included: a CSP without inline scripts
  (`default-src 'self'`), `X-Frame-Options: DENY`, `Referrer-Policy: no-referrer`,
  `X-Content-Type-Options: nosniff`, and `Cache-Control: no-store` for anything not static.
- **Logs**: uvicorn's access log is off; this middleware logs each request itself with any
  `token` query value redacted. An unexpected error is logged here with its traceback and
  answered with a plain 500 page: never a traceback to the browser.
"""

from __future__ import annotations

import html
import logging
import re
import secrets
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any, NamedTuple, Protocol
from urllib.parse import parse_qsl, quote, unquote, unquote_plus, urlencode

from followup.web.logins import SESSION_SECONDS, SessionFile

log = logging.getLogger("followup.web")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class AccountLock(Protocol):
    """What the guard asks of server mode's locks (web/server_mode.py's ServerMode, which
    builds on this module: the dependency runs one way)."""

    home: str | None  # the base FOLLOWUP_HOME (users' own homes are under users/<id>/)

    def check(self, scope: Scope, headers: dict[str, str]) -> ASGIApp | None: ...

    def user_of(self, scope: Scope) -> int | None: ...


# Server mode: (the signed-in user's base FOLLOWUP_HOME, their user id) for the request being
# served; the guard sets it, web/deps.py opens that user's context from it.
SERVER_USER: ContextVar[tuple[str | None, int] | None] = ContextVar("followup_user", default=None)

SAFE_METHODS = frozenset({"GET", "HEAD"})
TOKEN_PARAM = "token"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
MAX_SESSIONS = 64  # a person has a few browsers; more means something is minting sessions
PUBLIC_PREFIXES = ("/static/",)
FEED_PATH = "/calendar.ics"

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
SECURITY_HEADERS = (
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-content-type-options", b"nosniff"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
)


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Done(NamedTuple):
    """A notice that a change was made, shown with an Undo button (issue #14)."""

    interview_id: int
    event_id: int  # the change the button takes back (and only that one)
    summary: str
    # the change was a note that left by mail: Undo cannot take it back, so the notice offers
    # only to record it as not sent when it never arrived (history.undo's force)
    mailed: bool = False


class Refused(NamedTuple):
    """An Undo that was refused, said where the user lands (an error, not a notice)."""

    refusal: str


Flash = str | Done | Refused


@dataclass
class Session:
    id: str
    csrf: str
    created: float
    flashes: list[Flash] = field(default_factory=list)

    def flash(self, message: Flash) -> None:
        """A one-line notice for the next page this session sees (e.g. after a redirect)."""
        self.flashes.append(message)

    def take_flashes(self) -> list[Flash]:
        out, self.flashes = self.flashes, []
        return out


class Sessions:
    """The one-time login token and the sessions it opened.

    Without `kept` (server mode, tests) they live in memory: a restart logs out. With it (the
    laptop dashboard: web/logins.py), each session is also kept, hashed, in the home for 30
    days — a restart keeps it, `followup open --revoke` ends it — and the links `followup open`
    prints are one-time tokens too."""

    def __init__(self, token: str | None, kept: SessionFile | None = None) -> None:
        self._token = token
        self._by_id: OrderedDict[str, Session] = OrderedDict()
        self.kept = kept

    @property
    def max_age(self) -> int | None:
        """The cookie's Max-Age in seconds: None (a browser-session cookie) when not kept."""
        return SESSION_SECONDS if self.kept is not None else None

    def exchange(self, token: str) -> Session | None:
        """A login token, the first time it is shown, becomes a new session."""
        if self._token is not None and secrets.compare_digest(
            token.encode("utf-8", "surrogateescape"), self._token.encode()
        ):
            self._token = None
            return self.open()
        if self.kept is not None and self.kept.take_login(token):
            return self.open()
        return None

    def open(self) -> Session:
        session = Session(id=new_token(), csrf=new_token(), created=time.time())
        if self.kept is not None:
            self.kept.add_session(session.id)
        return self._remember(session)

    def _remember(self, session: Session) -> Session:
        self._by_id[session.id] = session
        while len(self._by_id) > MAX_SESSIONS:
            self._by_id.popitem(last=False)
        return session

    def get(self, session_id: str | None) -> Session | None:
        if not session_id:
            return None
        # dict lookup by a secret: compare the found key again in constant time
        found = self._by_id.get(session_id)
        if found is not None and not secrets.compare_digest(found.id, session_id):
            found = None
        if self.kept is None:
            return found
        if self.kept.session_expires(session_id) is None:  # expired, revoked, or never ours
            if found is not None:
                del self._by_id[session_id]
            return None
        if found is None:  # kept from before a restart: a new CSRF token, no notices
            found = self._remember(Session(id=session_id, csrf=new_token(), created=time.time()))
        return found


class FeedCheck(Protocol):
    """The calendar feed's token as it is now (web/feed.py's FeedToken)."""

    def current(self) -> str | None: ...


@dataclass(frozen=True)
class Lock:
    """What the guard checks against: our port, the sessions, the calendar feed's token."""

    port: int
    sessions: Sessions
    feed: FeedCheck | None = None
    server: AccountLock | None = None  # server mode: accounts instead of the one-time token

    @property
    def cookie_name(self) -> str:
        # cookies are not scoped by port: two dashboards on one host must not share one
        return f"followup_session_{self.port}"

    @property
    def hosts(self) -> frozenset[str]:
        return frozenset(f"{name}:{self.port}" for name in ("127.0.0.1", "localhost", "[::1]"))

    def host_ok(self, host: str | None) -> bool:
        return host is not None and host.lower() in self.hosts

    def origin_ok(self, origin: str | None, fetch_site: str | None, host: str) -> bool:
        """The request comes from one of our own pages.

        `Origin: null` is what a browser sends for a form post from a page whose
        Referrer-Policy is no-referrer (ours), and also from sandboxed or opaque pages: then,
        as when Origin is absent, only `Sec-Fetch-Site: same-origin` (which no page can
        forge) lets it through.
        """
        if origin is not None and origin != "null":
            return origin.lower() == f"http://{host.lower()}"
        return fetch_site == "same-origin"

    def feed_ok(self, token: str | None) -> bool:
        wanted = self.feed.current() if self.feed is not None else None
        return (
            wanted is not None
            and token is not None
            and secrets.compare_digest(token.encode("utf-8", "surrogateescape"), wanted.encode())
        )


# What a path may hold unescaped (RFC 3986 pchar and "/"); a query may also hold "?".
_PATH_SAFE = "/:@!$&'()*+,;=-._~"


def same_origin(target: str | None, default: str) -> str:
    """`target` (a path, maybe with a query, as a URL carries it) as a redirect that stays on
    this site, or `default`.

    Browsers read `//host/…` and `/\\host/…` as another site (backslashes count as
    slashes), so a target that starts with either — also once percent-escapes are undone —
    is refused. What remains is percent-encoded (non-ASCII, spaces, controls, backslashes), so
    the Location header is plain ASCII and a browser has nothing left to reinterpret.
    """
    if not target or not target.startswith("/"):
        return default
    rest, hash_, fragment = target.partition("#")
    path, mark, query = rest.partition("?")
    decoded, previous = path, ""
    while decoded != previous:  # %252F%252F is %2F%2F is //
        previous, decoded = decoded, unquote(decoded)
    if decoded.startswith("//") or "\\" in decoded or not decoded.isprintable():
        return default
    rest_safe = _PATH_SAFE + "%?"
    return (
        quote(path, safe=_PATH_SAFE + "%")
        + mark
        + quote(query, safe=rest_safe)
        + hash_
        + quote(fragment, safe=rest_safe)
    )


def redact(query: str) -> str:
    """A query string fit for a log: any token's value replaced."""
    parts = []
    for part in query.split("&"):
        key = unquote_plus(part.partition("=")[0])
        parts.append(f"{TOKEN_PARAM}=[redacted]" if key == TOKEN_PARAM else part)
    return "&".join(parts)


def printable(text: str) -> str:
    """A decoded path fit for one log line: no line breaks or other control characters."""
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)


def _headers(scope: Scope) -> dict[str, str]:
    out: dict[str, str] = {}
    for raw_name, raw_value in scope.get("headers", ()):
        name = raw_name.decode("latin-1").lower()
        if name not in out:  # the first of a repeated header; no merging tricks
            out[name] = raw_value.decode("latin-1")
    return out


def _cookie(headers: dict[str, str], name: str) -> str | None:
    raw = headers.get("cookie")
    if not raw:
        return None
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(raw)
    except Exception:  # a malformed Cookie header is no session
        return None
    morsel = jar.get(name)
    return morsel.value if morsel is not None else None


def wants_json(path: str) -> bool:
    return path.startswith("/api/") or path == "/openapi.json"


class Guard:
    """Pure ASGI middleware: Host, session, Origin, headers, request log, last-resort 500."""

    def __init__(self, app: ASGIApp, lock: Lock) -> None:
        self.app = app
        self.lock = lock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, receive, send)
            return
        if scope["type"] != "http":  # no websockets here
            return
        started = time.perf_counter()
        status = {"code": 0, "sent": False}
        static = scope["path"].startswith(PUBLIC_PREFIXES)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                status["sent"] = True
                headers = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if k.lower() not in {name for name, _ in SECURITY_HEADERS}
                ]
                headers += list(SECURITY_HEADERS)
                if not static and not any(k.lower() == b"cache-control" for k, _ in headers):
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        user = None
        try:
            if self.lock.server is not None:  # the session is in the database: off the loop
                from starlette.concurrency import run_in_threadpool

                refusal = await run_in_threadpool(self._check, scope)
            else:
                refusal = self._check(scope)
            if refusal is not None:
                await refusal(scope, receive, send_with_headers)
            else:
                if self.lock.server is not None:  # the signed-in seeker's own data, only
                    uid = self.lock.server.user_of(scope)
                    user = SERVER_USER.set((self.lock.server.home, uid) if uid else None)
                await self.app(scope, receive, send_with_headers)
        except Exception:
            log.exception(
                "unexpected error on %s %s", scope.get("method"), printable(scope.get("path", ""))
            )
            if not status["sent"]:
                await _plain(500, "Something went wrong on our side; the server log says what.")(
                    scope, receive, send_with_headers
                )
        finally:
            if user is not None:
                SERVER_USER.reset(user)
            took = (time.perf_counter() - started) * 1000
            query = redact(scope.get("query_string", b"").decode("latin-1"))
            log.info(
                "%s %s%s %s %.1fms",
                scope.get("method"),
                printable(scope.get("path", "")),
                f"?{query}" if query else "",
                status["code"],
                took,
            )

    def _check(self, scope: Scope) -> ASGIApp | None:
        """A response refusing the request, or None to let it through (with its session)."""
        headers = _headers(scope)
        if self.lock.server is not None:
            return self.lock.server.check(scope, headers)
        path: str = scope["path"]
        host = headers.get("host")
        as_json = wants_json(path)
        if not self.lock.host_ok(host):
            return _refuse(
                403, "This dashboard answers only to 127.0.0.1, localhost or [::1].", as_json
            )
        assert host is not None
        method = scope["method"]
        if method not in SAFE_METHODS and not self.lock.origin_ok(
            headers.get("origin"), headers.get("sec-fetch-site"), host
        ):
            return _refuse(403, "Cross-site request refused.", as_json)
        if path.startswith(PUBLIC_PREFIXES):
            return None
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        if path == FEED_PATH:
            if self.lock.feed_ok(query.get(TOKEN_PARAM)):
                return None
            return _refuse(401, "The calendar feed needs its token.", as_json)
        session = self.lock.sessions.get(_cookie(headers, self.lock.cookie_name))
        token = query.get(TOKEN_PARAM)
        if token is not None and method in SAFE_METHODS:
            if session is None:
                session = self.lock.sessions.exchange(token)
            if session is None:
                return _sign_in(
                    "This link was already used, has expired or is wrong.", as_json, scope["path"]
                )
            cookie = self.lock.cookie_name
            return _login_redirect(scope, query, cookie, session.id, self.lock.sessions.max_age)
        if session is None:
            return _sign_in(
                "This browser is not signed in to the dashboard.", as_json, scope["path"]
            )
        scope.setdefault("state", {})["session"] = session
        return None


NEW_LINK = "followup open"  # what prints a fresh one-time link for the running dashboard


# A page path the 401 page may put in the command to copy: plain characters only (it goes
# into a terminal), else the link goes to Today.
_COMMAND_PATH = re.compile(r"/[A-Za-z0-9/_.-]{1,200}")


def sign_in_command(path: str) -> str:
    """`followup open` with the page asked for, so that the new link lands back on it."""
    if path != "/" and _COMMAND_PATH.fullmatch(path) and "//" not in path:
        return f"{NEW_LINK} {path}"
    return NEW_LINK


def _sign_in(why: str, as_json: bool, path: str = "/") -> ASGIApp:
    """401: no valid session. A page that says how to get a new link, not a bare line."""
    command = sign_in_command(path)
    how = f"For a new sign-in link, run in a terminal: {command}"
    if as_json:
        return _refuse(401, f"{why} {how}", True)
    body = (
        "<!doctype html><html lang=en><meta charset=utf-8>"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>followup · Sign in</title>"
        '<link rel=stylesheet href="/static/app.css">'
        '<main class="refusal" data-testid="sign-in">'
        "<h1>Sign in to your dashboard</h1>"
        f'<p id="message">{html.escape(why)}</p>'
        "<p>For a new sign-in link, run this in a terminal on this computer:</p>"
        f'<pre data-testid="sign-in-command">{html.escape(command)}</pre>'
        "<p>It prints a link that works once (for ten minutes) and opens it in your browser."
        " Signed in, this browser stays signed in for 30 days, also after a restart;"
        f" <code>{NEW_LINK} --revoke</code> signs every browser out.</p>"
        "<p>Is the dashboard not running? Start it with <code>followup serve</code>.</p>"
        "</main>"
    ).encode()
    return _raw(401, body, b"text/html; charset=utf-8")


def _login_redirect(
    scope: Scope, query: dict[str, str], cookie: str, session_id: str, max_age: int | None
) -> ASGIApp:
    rest = urlencode([(k, v) for k, v in query.items() if k != TOKEN_PARAM])
    # the decoded path, escaped again ("%" too): a path that could name another site is /
    path = quote(scope["path"], safe=_PATH_SAFE)
    location = same_origin(path + (f"?{rest}" if rest else ""), "/")
    lasts = f"; Max-Age={max_age}" if max_age is not None else ""
    set_cookie = f"{cookie}={session_id}; HttpOnly; SameSite=Strict; Path=/{lasts}"

    async def respond(scope: Scope, receive: Receive, send: Send) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": 303,
                "headers": [
                    (b"location", location.encode("latin-1")),
                    (b"set-cookie", set_cookie.encode("latin-1")),
                    (b"content-length", b"0"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": b""})

    return respond


def _refuse(code: int, message: str, as_json: bool) -> ASGIApp:
    if as_json:
        import json

        body = json.dumps({"error": message, "status": code}).encode()
        return _raw(code, body, b"application/json")
    return _plain(code, message)


def _plain(code: int, message: str) -> ASGIApp:
    titles = {401: "Sign in", 403: "Forbidden", 500: "Error"}
    body = (
        "<!doctype html><html lang=en><meta charset=utf-8>"
        f"<title>followup · {titles.get(code, code)}</title>"
        '<link rel=stylesheet href="/static/app.css">'
        f'<main class="refusal"><h1>{code}</h1><p id="message">{html.escape(message)}</p></main>'
    ).encode()
    return _raw(code, body, b"text/html; charset=utf-8")


def _raw(code: int, body: bytes, content_type: bytes) -> ASGIApp:
    async def respond(scope: Scope, receive: Receive, send: Send) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": code,
                "headers": [
                    (b"content-type", content_type),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    return respond
