"""OAuth2 for IMAP and SMTP: the SASL strings, keeping an access token fresh, the sign-in flows.

Stdlib only and no I/O of its own: the token endpoint, the keyring and the clock are ports
(the adapters are adapters/mail/oauth_http.py and adapters/secrets.py).

- SASL: XOAUTH2 (Google's and Microsoft's) and OAUTHBEARER (RFC 7628), the client's first
  message as the mechanism defines it, before base64 (the IMAP and SMTP libraries encode).
- `Tokens` hands out an access token: the one it has while it is valid for a minute more —
  kept in the keyring beside the refresh token, with its expiry, so that the next command
  uses it too instead of asking the server again — else a new one from the refresh token (a
  rotated refresh token is kept in its place); a login refused with it refreshes once and
  tries again (`with_token`) — a
  login refused twice is the server's answer, not a stale token. A refresh the
  server refuses with `invalid_grant` (revoked, expired, password changed) is
  `SignInAgain`: one line, "sign in again: followup mail login", and the worker leaves the
  account idle rather than trying again in a loop.
- The device-code flow (RFC 8628: Microsoft, and a generic provider) and PKCE (RFC 7636,
  S256: Google's loopback redirect flow) as functions over the ports.

No token is ever part of an error message, a log line or `--json`: errors name the endpoint
and the OAuth error code only.
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import secrets
import urllib.parse
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import NamedTuple, Protocol

from followup.app.errors import InvalidInput

LOGIN_HINT = "sign in again: followup mail login"
EARLY = timedelta(seconds=60)  # refresh this long before the access token expires


class SignInAgain(InvalidInput):
    """The grant is gone (revoked, expired, never made): only a new sign-in helps."""

    def __init__(self, why: str = "") -> None:
        super().__init__(f"{why}: {LOGIN_HINT}" if why else LOGIN_HINT)


class OAuthError(InvalidInput):
    """The authorization server said no, or could not be reached. `error` is the OAuth error
    code (`invalid_grant`, `authorization_pending`…) when it sent one; `temporary` when a
    retry may help (a network error, a 5xx). An InvalidInput: wherever it surfaces it is one
    line (exit 4), never an internal error."""

    def __init__(self, message: str, *, code: str = "", temporary: bool = False) -> None:
        super().__init__(message)
        self.error = code  # not `code`: that is the exit code (FollowupError)
        self.temporary = temporary


ENDPOINT_RULE = "an https:// URL (http:// only on this machine: localhost, 127.0.0.1, ::1)"


def endpoint_allowed(url: str) -> bool:
    """The one rule for an OAuth2 endpoint (config set and every request): https://, or
    plain http:// to this machine only (a test's authorization server)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return True
    return parts.scheme == "http" and _loopback(parts.hostname or "")


def _loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


# --- SASL ------------------------------------------------------------------------------


def xoauth2(user: str, token: str) -> str:
    """Google's and Microsoft's XOAUTH2 initial client response (before base64)."""
    _check(user, token)
    return f"user={user}\x01auth=Bearer {token}\x01\x01"


def oauthbearer(user: str, token: str, host: str = "", port: int = 0) -> str:
    """RFC 7628's OAUTHBEARER initial client response (before base64): the GS2 header
    with the authorization identity, then host, port and the bearer token."""
    _check(user, token)
    authzid = user.replace("=", "=3D").replace(",", "=2C")  # RFC 5801's saslname
    fields = [f"host={host}"] if host else []
    fields += [f"port={port}"] if port else []
    return (
        f"n,a={authzid},\x01" + "".join(f"{f}\x01" for f in fields) + f"auth=Bearer {token}\x01\x01"
    )


def responder(
    mechanism: str, user: str, token: str, host: str = "", port: int = 0
) -> Callable[..., str]:
    """The SASL exchange as imaplib and smtplib drive it: the initial response first; to the
    error challenge a server sends after refusing a token (a JSON status), the empty reply
    XOAUTH2 wants, or RFC 7628's %x01 for OAUTHBEARER, so the server can answer "no"."""
    if mechanism == "OAUTHBEARER":
        initial, abort = oauthbearer(user, token, host, port), "\x01"
    else:
        initial, abort = xoauth2(user, token), ""
    sent = False

    def respond(challenge: object = None) -> str:
        nonlocal sent
        if sent:
            return abort
        sent = True
        return initial

    return respond


def _check(user: str, token: str) -> None:
    for value in (user, token):
        if not value or any(c in value for c in "\x00\x01\r\n"):
            raise ValueError("a SASL field is empty or holds a control character")


# --- the providers -----------------------------------------------------------------------


class OAuthProvider(NamedTuple):
    id: str
    flow: str  # device (RFC 8628) | loopback (authorization code + PKCE, RFC 8252)
    authorization_endpoint: str
    token_endpoint: str
    device_endpoint: str
    scopes: str
    params: tuple[tuple[str, str], ...] = ()  # more for the authorization request


OAUTH_PROVIDERS = {
    p.id: p
    for p in (
        OAuthProvider(
            "microsoft",
            "device",
            "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize",
            "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token",
            "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/devicecode",
            "https://outlook.office.com/IMAP.AccessAsUser.All"
            " https://outlook.office.com/SMTP.Send offline_access",
        ),
        OAuthProvider(
            "google",
            "loopback",
            "https://accounts.google.com/o/oauth2/v2/auth",
            "https://oauth2.googleapis.com/token",
            "",  # Google's device flow does not grant the mail scope
            "https://mail.google.com/",
            (("access_type", "offline"), ("prompt", "consent")),
        ),
    )
}
# The preset (app/mailsetup.py) whose sign-in is each provider's
PROVIDER_OF_PRESET = {"microsoft": "microsoft", "gmail": "google"}


class OAuthClient(NamedTuple):
    """One account's OAuth2 settings, endpoints filled in (nothing secret)."""

    provider: str  # microsoft | google | generic
    flow: str
    client_id: str
    authorization_endpoint: str
    token_endpoint: str
    device_endpoint: str
    scopes: str
    params: tuple[tuple[str, str], ...]
    mechanism: str  # XOAUTH2 | OAUTHBEARER

    def key(self, username: str) -> str:
        """The refresh token's name in the keyring."""
        return f"{self.provider}:{username}"


# --- the ports -------------------------------------------------------------------------


class TokenSet(NamedTuple):
    access_token: str
    expires_at: datetime
    refresh_token: str | None  # a new one when the server rotates it


class TokenEndpoint(Protocol):
    def refresh(self, refresh_token: str) -> TokenSet:
        """Trade the refresh token for a fresh access token; OAuthError when refused."""
        ...


class SecretStore(Protocol):
    """Where the refresh token lives: the OS keyring, never a file in clear."""

    def get(self, name: str) -> str | None: ...

    def put(self, name: str, secret: str) -> None: ...

    def delete(self, name: str) -> None: ...


# --- keeping an access token fresh -----------------------------------------------------


def access_key(name: str) -> str:
    """The keyring entry of the access token kept beside the refresh token `name`."""
    return f"{name}#access"


def kept_access(store: SecretStore, name: str) -> TokenSet | None:
    """The access token a command before this one kept, None when none (or unreadable)."""
    kept = store.get(access_key(name))
    when, _, token = (kept or "").partition(" ")
    try:
        expires_at = datetime.fromisoformat(when)
    except ValueError:
        return None
    if not token or expires_at.tzinfo is None:
        return None
    return TokenSet(token, expires_at, None)


def keep_access(store: SecretStore, name: str, tokens: TokenSet) -> None:
    """Keep the access token with its expiry (UTC) in the keyring: never a file, never config."""
    store.put(
        access_key(name), f"{tokens.expires_at.astimezone(UTC).isoformat()} {tokens.access_token}"
    )


class Tokens:
    """The access token for one account (`name`: the keyring entry), refreshed as needed."""

    def __init__(
        self,
        name: str,
        endpoint: TokenEndpoint,
        store: SecretStore,
        now: Callable[[], datetime],
        *,
        one_try: bool = False,
    ) -> None:
        """`one_try`: a refresh that failed is not tried again by this object (the dashboard
        makes one per request: a token endpoint that does not answer costs one wait, not one
        per connection checked)."""
        self.name = name
        self._endpoint = endpoint
        self._store = store
        self._now = now
        self._current: TokenSet | None = None
        self._refused = False  # a server refused the kept token: do not read it again
        self._one_try = one_try
        self._failed: OAuthError | None = None
        self.refreshes = 0

    def access_token(self) -> str:
        current = self._current
        if current is None and not self._refused:
            current = kept_access(self._store, self.name)
        if current is None or current.expires_at - EARLY <= self._now():
            current = self._refresh()
        self._current = current
        return current.access_token

    def after_failure(self) -> None:
        """The server refused the token: drop it (here and in the keyring), so that the next
        call refreshes."""
        self._current = None
        self._refused = True
        self._store.delete(access_key(self.name))

    def _refresh(self) -> TokenSet:
        refresh_token = self._store.get(self.name)
        if not refresh_token:
            raise SignInAgain("not signed in")
        if self._failed is not None:
            raise self._failed
        try:
            tokens = self._endpoint.refresh(refresh_token)
        except OAuthError as exc:
            if exc.error == "invalid_grant":
                rotated = self._rotated(refresh_token)
                if rotated is not None:
                    return rotated
            if self._one_try:
                self._failed = exc
            if exc.error in ("invalid_grant", "unauthorized_client", "invalid_client"):
                self._store.delete(access_key(self.name))
                raise SignInAgain(f"the sign-in was refused ({exc.error})") from exc
            raise
        if tokens.refresh_token and tokens.refresh_token != refresh_token:
            self._store.put(self.name, tokens.refresh_token)
        keep_access(self._store, self.name, tokens)
        self.refreshes += 1
        return tokens

    def _rotated(self, used: str) -> TokenSet | None:
        """Refused a refresh token that another process (a worker, the dashboard) had just
        traded for a new one (a rotating server): take that process's access token while it
        is valid, else try the new refresh token once. None: it was not that."""
        stored = self._store.get(self.name)
        if not stored or stored == used:
            return None
        kept = kept_access(self._store, self.name)
        if kept is not None and kept.expires_at - EARLY > self._now():
            return kept
        try:
            tokens = self._endpoint.refresh(stored)
        except OAuthError:
            return None  # the first refusal stands
        if tokens.refresh_token and tokens.refresh_token != stored:
            self._store.put(self.name, tokens.refresh_token)
        keep_access(self._store, self.name, tokens)
        self.refreshes += 1
        return tokens


def with_token(tokens: Tokens, login: Callable[[str], None], refused: type[Exception]) -> None:
    """Log in with the access token; when the server refuses it, refresh once and try again
    (a token revoked or expired early). A second refusal is raised as it came."""
    try:
        login(tokens.access_token())
    except refused:
        tokens.after_failure()
        login(tokens.access_token())


# --- signing in ------------------------------------------------------------------------


class DeviceCode(NamedTuple):
    device_code: str
    user_code: str
    verification_uri: str
    interval: float
    expires_in: float


class DeviceEndpoint(Protocol):
    def start(self) -> DeviceCode:
        """Ask for a device code (RFC 8628 §3.1)."""
        ...

    def poll(self, device_code: str) -> TokenSet:
        """One token request (§3.4); OAuthError `authorization_pending`, `slow_down`,
        `access_denied` or `expired_token` until the user is done."""
        ...


def device_sign_in(
    endpoint: DeviceEndpoint,
    store: SecretStore,
    name: str,
    show: Callable[[DeviceCode], None],
    sleep: Callable[[float], None],
) -> TokenSet:
    """RFC 8628: show the code and the address, poll at the interval the server asks (5 s
    more after each `slow_down`) until the user has signed in; keep the refresh token."""
    code = endpoint.start()
    show(code)
    interval = max(code.interval, 1.0)
    waited = 0.0
    while waited < code.expires_in:
        sleep(interval)
        waited += interval
        try:
            tokens = endpoint.poll(code.device_code)
        except OAuthError as exc:
            if exc.error == "authorization_pending":
                continue
            if exc.error == "slow_down":
                interval += 5
                continue
            if exc.error == "access_denied":
                raise InvalidInput("the sign-in was declined") from exc
            if exc.error == "expired_token":
                break
            raise
        return keep(store, name, tokens)
    raise InvalidInput(
        "the code expired before the sign-in was done: run followup mail login again"
    )


def keep(store: SecretStore, name: str, tokens: TokenSet) -> TokenSet:
    if not tokens.refresh_token:
        raise InvalidInput(
            "the server gave no refresh token: add the offline_access scope"
            " (Microsoft) or access_type=offline (Google)"
        )
    store.put(name, tokens.refresh_token)
    keep_access(store, name, tokens)  # the first command after signing in asks for none
    return tokens


class Pkce(NamedTuple):
    verifier: str
    challenge: str
    state: str


def pkce() -> Pkce:
    """RFC 7636 S256: a 43-character verifier, its SHA-256 challenge, and a state value."""
    verifier = secrets.token_urlsafe(32)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    return Pkce(verifier, challenge, secrets.token_urlsafe(16))


def expires(now: datetime, expires_in: object) -> datetime:
    """When a token given `expires_in` seconds now expires (an hour when not said)."""
    try:
        seconds = float(expires_in)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        seconds = 3600.0
    return now + timedelta(seconds=max(0.0, min(seconds, 86400.0 * 365)))
