"""The dashboard's locks in server mode (FOLLOWUP_DATABASE_URL): accounts instead of a token.

What changes from the laptop's locks (web/security.py), and what stays:

- **Host**: the configured public names (`serve --allowed-host NAME`, with or without a
  port) besides the loopback names with our port; anything else is 403 (DNS rebinding).
- **Who**: a sign-in page (e-mail and password, checked with argon2) opens a session: a
  random token in an HttpOnly, SameSite=Strict cookie — `Secure` and named with the
  `__Host-` prefix when the site is served over TLS — of which the server keeps only the
  SHA-256 (followup.sessions), with the user, a CSRF secret and an expiry. No session: a page
  redirects to /login, an API call gets 401. Sign-in attempts are limited per e-mail address
  and per client address, counted in the database (app/accounts.py: sign_in).
- **Role**: /coach… and /api/coach… are for coaches, /admin… and /api/admin… for admins,
  everything else (the seeker's own pages and APIs) for seekers: any other role gets 403.
  A coach or admin opening / is sent to their own page.
- **Tenant**: every seeker request runs on the signed-in user's own schema: the user id is
  put in `SERVER_USER` (web/security.py: a context variable the request's code and its worker
  threads see) and web/deps.py opens that user's context; nothing takes a user id from the request.
- **TLS**: we never terminate it. The site is https when `--secure-cookies` says so, or when
  a proxy listed with `--trusted-proxy` says `X-Forwarded-Proto: https`; X-Forwarded-*
  from anyone else is ignored. The client address for the sign-in limits is the socket's,
  or, from a trusted proxy, the right-most X-Forwarded-For hop that is not itself a trusted
  proxy: the hops to its left are whatever the client chose to send.
- **Intent** (Origin / Sec-Fetch-Site, CSRF token) and the response headers: unchanged.
"""

from __future__ import annotations

import ipaddress
import secrets
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from followup.web.security import (
    PUBLIC_PREFIXES,
    SAFE_METHODS,
    ASGIApp,
    Flash,
    Scope,
    Session,
    _cookie,
    _refuse,
    wants_json,
)

if TYPE_CHECKING:
    from followup.app.accounts import Accounts
    from followup.app.rows import User

LOGIN_PATH = "/login"
LOGOUT_PATH = "/logout"
COACH_PREFIXES = ("/coach", "/api/coach")
ADMIN_PREFIXES = ("/admin", "/api/admin")
ANY_ROLE = frozenset({LOGOUT_PATH, "/openapi.json"})
HOME_OF = {"seeker": "/", "coach": "/coach", "admin": "/admin"}


def _under(path: str, prefixes: tuple[str, ...]) -> bool:
    return any(path == p or path.startswith(p + "/") for p in prefixes)


class FlashBox:
    """One-line notices per session until the next page shows them (this process only)."""

    def __init__(self, keys: int = 10_000) -> None:
        self._by_session: OrderedDict[str, list[Flash]] = OrderedDict()
        self._keys = keys

    def add(self, session_key: str, message: Flash) -> None:
        self._by_session.setdefault(session_key, []).append(message)
        self._by_session.move_to_end(session_key)
        while len(self._by_session) > self._keys:
            self._by_session.popitem(last=False)

    def take(self, session_key: str) -> list[Flash]:
        return self._by_session.pop(session_key, [])


@dataclass
class ServerSession(Session):
    """A signed-in user's session as the routes see it (`id` is the token's hash)."""

    user: Any = None  # app.rows.User
    box: FlashBox | None = None

    def flash(self, message: Flash) -> None:
        if self.box is not None:
            self.box.add(self.id, message)

    def take_flashes(self) -> list[Flash]:
        return self.box.take(self.id) if self.box is not None else []


@dataclass
class ServerMode:
    """Everything the guard and the routes need in server mode."""

    accounts: Accounts
    home: str | None  # the base FOLLOWUP_HOME (users' own homes are under users/<id>/)
    port: int
    allowed_hosts: frozenset[str] = frozenset()
    secure_cookies: bool = False
    trusted_proxies: frozenset[str] = frozenset()
    flashes: FlashBox = field(default_factory=FlashBox)

    # --- where the request comes from ----------------------------------------------------

    def host_ok(self, host: str | None) -> bool:
        """A loopback name with our port, or a configured name with any port or none."""
        if host is None:
            return False
        host = host.lower()
        if host in {f"{name}:{self.port}" for name in ("127.0.0.1", "localhost", "[::1]")}:
            return True
        name, colon, port = host.rpartition(":") if not host.endswith("]") else ("", "", "")
        if not colon:
            name = host
        elif not port.isdigit():
            return False
        return name in self.allowed_hosts

    def _trusted(self, address: str) -> bool:
        return _ip_text(address) in {_ip_text(p) for p in self.trusted_proxies}

    def _from_proxy(self, scope: Scope) -> bool:
        client = scope.get("client")
        return client is not None and self._trusted(str(client[0]))

    def https(self, scope: Scope, headers: dict[str, str]) -> bool:
        if self.secure_cookies:
            return True
        if self._from_proxy(scope):
            proto = headers.get("x-forwarded-proto", "").split(",")[-1].strip().lower()
            return proto == "https"
        return scope.get("scheme") == "https"

    def client_address(self, scope: Scope) -> str:
        """Who is signing in: the socket's peer, or behind a trusted proxy the right-most
        X-Forwarded-For hop that is not a trusted proxy. Every X-Forwarded-For line counts,
        in order: a proxy may append its own line after the one the client sent."""
        client = scope.get("client")
        address = str(client[0]) if client else "unknown"
        if not self._from_proxy(scope):
            return address
        hops = [
            hop.strip()
            for name, value in scope.get("headers", ())
            if name.lower() == b"x-forwarded-for"
            for hop in value.decode("latin-1").split(",")
        ]
        hops = [hop for hop in hops if hop]
        for hop in reversed(hops):
            if not self._trusted(hop):
                return _ip_text(hop)
        # every hop one of our proxies: the left-most is where the request began
        return _ip_text(hops[0]) if hops else address

    def origin_ok(
        self, scope: Scope, headers: dict[str, str], origin: str | None, host: str
    ) -> bool:
        if origin is not None and origin != "null":
            scheme = "https" if self.https(scope, headers) else "http"
            return origin.lower() == f"{scheme}://{host.lower()}"
        return headers.get("sec-fetch-site") == "same-origin"

    # --- cookies ---------------------------------------------------------------------------

    def cookie_name(self, https: bool, what: str = "session") -> str:
        # __Host-: the browser takes it only with Secure, Path=/ and no Domain (no subdomain
        # can plant or shadow it)
        return f"__Host-followup_{what}" if https else f"followup_{what}_{self.port}"

    def set_cookie(self, name: str, value: str, https: bool, max_age: int) -> str:
        secure = "; Secure" if https else ""
        return f"{name}={value}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age}{secure}"

    def session_token(self, scope: Scope, headers: dict[str, str]) -> str | None:
        return _cookie(headers, self.cookie_name(self.https(scope, headers)))

    # --- the check -------------------------------------------------------------------------

    def check(self, scope: Scope, headers: dict[str, str]) -> ASGIApp | None:
        """A response refusing the request, or None to let it through (with its session)."""
        from followup.app import accounts

        path: str = scope["path"]
        method = scope["method"]
        as_json = wants_json(path)
        host = headers.get("host")
        if not self.host_ok(host):
            return _refuse(403, "This server does not answer to that name.", as_json)
        assert host is not None
        if method not in SAFE_METHODS and not self.origin_ok(
            scope, headers, headers.get("origin"), host
        ):
            return _refuse(403, "Cross-site request refused.", as_json)
        if path.startswith(PUBLIC_PREFIXES):
            return None
        found = accounts.session(self.accounts, self.session_token(scope, headers))
        if found is not None:
            scope.setdefault("state", {})["session"] = self.web_session(found)
        if path == LOGIN_PATH:
            return None  # the sign-in page checks its own CSRF cookie
        if found is None:
            if method in SAFE_METHODS and not as_json:
                query = scope.get("query_string", b"").decode("latin-1")
                target = path + (f"?{query}" if query else "")
                return _redirect(f"{LOGIN_PATH}?next={quote(target, safe='/')}")
            return _refuse(401, "Sign in first.", as_json)
        return self._role_gate(found.user, path, method, as_json)

    def web_session(self, found: Any) -> ServerSession:
        return ServerSession(
            id=found.token_hash,
            csrf=found.csrf,
            created=0.0,
            user=found.user,
            box=self.flashes,
        )

    def _role_gate(self, user: User, path: str, method: str, as_json: bool) -> ASGIApp | None:
        if path in ANY_ROLE:
            return None
        if _under(path, COACH_PREFIXES):
            allowed = user.role == "coach"
        elif _under(path, ADMIN_PREFIXES):
            allowed = user.role == "admin"
        else:
            if user.role != "seeker" and path == "/" and method in SAFE_METHODS:
                return _redirect(HOME_OF[user.role])
            allowed = user.role == "seeker"
        if allowed:
            return None
        return _refuse(403, "Your account cannot open this page.", as_json)

    def user_of(self, scope: Scope) -> int | None:
        session = scope.get("state", {}).get("session")
        user = getattr(session, "user", None)
        return int(user.id) if user is not None and user.role == "seeker" else None


def _ip_text(address: str) -> str:
    """An address in one spelling (`::FFFF:1` and `::ffff:0:1` differ only in text)."""
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return address


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def _redirect(location: str) -> ASGIApp:
    async def respond(scope: Scope, receive: Any, send: Any) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": 303,
                "headers": [
                    (b"location", location.encode("latin-1")),
                    (b"content-length", b"0"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": b""})

    return respond
