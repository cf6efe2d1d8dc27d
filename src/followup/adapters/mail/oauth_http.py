"""The OAuth2 endpoints over HTTPS (stdlib urllib): refresh, the device-code flow, and the
authorization-code flow with PKCE through a one-shot loopback redirect (RFC 8252).

Plain HTTP only to this machine (a test's authorization server). Errors are OAuthError with
the OAuth error code and the endpoint's host, never a token or the server's whole answer.
Imported only by the mail commands that use OAuth2.
"""

from __future__ import annotations

import contextlib
import http.client
import http.server
import json
import socket
import threading
import urllib.parse
from collections.abc import Callable
from datetime import datetime
from typing import Any

from followup.adapters.mail.net import tls_context
from followup.app.oauth import (
    ENDPOINT_RULE,
    DeviceCode,
    OAuthError,
    Pkce,
    TokenSet,
    endpoint_allowed,
    expires,
)

TIMEOUT = 20.0
MAX_ANSWER = 64 * 1024


def _host(url: str) -> str:
    return urllib.parse.urlsplit(url).hostname or url


def check_url(url: str, what: str) -> str:
    if endpoint_allowed(url):
        return url
    raise OAuthError(f"the {what} must be {ENDPOINT_RULE}")


def post_form(
    url: str, form: dict[str, str], ca_file: str | None = None, timeout: float = TIMEOUT
) -> dict[str, Any]:
    """POST `form`; the JSON answer. OAuthError with the server's `error` code on a 4xx.

    `timeout` bounds the whole exchange, not each read: a server that sends a byte every few
    seconds is cut off at the deadline (a timer shuts the socket down). A redirect is an
    error, never followed: it could lead off https:// (or off this machine)."""
    parts = urllib.parse.urlsplit(url)
    host = _host(url)
    data = urllib.parse.urlencode(form).encode("ascii")
    if parts.scheme == "https":
        connection: http.client.HTTPConnection = http.client.HTTPSConnection(
            parts.hostname or "", parts.port, timeout=timeout, context=tls_context(ca_file)
        )
    else:
        connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=timeout)
    expired = threading.Event()

    def cut() -> None:
        expired.set()
        sock = connection.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    timer = threading.Timer(timeout, cut)
    timer.daemon = True
    timer.start()
    try:
        connection.request(
            "POST",
            (parts.path or "/") + (f"?{parts.query}" if parts.query else ""),
            body=data,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
            },
        )
        response = connection.getresponse()
        status, location = response.status, response.getheader("Location") or ""
        body = response.read(MAX_ANSWER)
    except (OSError, http.client.HTTPException, ValueError) as exc:
        # the socket's own timeout and the deadline's timer end together: either one is the
        # endpoint not answering in time (which came first was a race under load)
        if expired.is_set() or isinstance(exc, TimeoutError):
            raise OAuthError(f"{host} did not answer within {timeout:g} s", temporary=True) from exc
        raise OAuthError(f"could not reach {host}: {_reason(exc)}", temporary=True) from exc
    finally:
        timer.cancel()
        connection.close()
    if expired.is_set():
        raise OAuthError(f"{host} did not answer within {timeout:g} s", temporary=True)
    if 300 <= status < 400:
        target = urllib.parse.urlsplit(location).hostname or host if location else ""
        raise OAuthError(
            f"{host} answered with a redirect (HTTP {status}"
            + (f" to {target}" if target else "")
            + "): not followed; check the endpoint's URL"
        )
    if status >= 400:
        code = _error_code(body)
        if status >= 500 or (not code and status == 429):
            raise OAuthError(f"{host} is unavailable now (HTTP {status})", temporary=True)
        raise OAuthError(f"{host} refused: {_shown(body, status)}", code=code)
    try:
        answer = json.loads(body)
    except ValueError as exc:
        raise OAuthError(f"{host} answered something that is not JSON") from exc
    if not isinstance(answer, dict):
        raise OAuthError(f"{host} answered something that is not a JSON object")
    return answer


def _reason(exc: BaseException) -> str:
    text = str(getattr(exc, "reason", "") or exc or type(exc).__name__)
    return " ".join(text.split())[:200]


# The error codes a server may send (RFC 6749 §4.1.2.1 and §5.2, RFC 8628 §3.5, OpenID
# Connect's): only these are shown; any other text is the server's, not ours to echo.
KNOWN_ERRORS = frozenset(
    {
        "invalid_request",
        "invalid_client",
        "invalid_grant",
        "unauthorized_client",
        "unsupported_grant_type",
        "invalid_scope",
        "access_denied",
        "unsupported_response_type",
        "server_error",
        "temporarily_unavailable",
        "authorization_pending",
        "slow_down",
        "expired_token",
        "interaction_required",
        "login_required",
        "consent_required",
        "account_selection_required",
    }
)


def _raw_error(body: bytes) -> object:
    try:
        answer = json.loads(body)
    except ValueError:
        return None
    return answer.get("error") if isinstance(answer, dict) else None


def _error_code(body: bytes) -> str:
    """The answer's OAuth error code when it is a known one, else ""."""
    code = _raw_error(body)
    return code if isinstance(code, str) and code in KNOWN_ERRORS else ""


def _shown(body: bytes, status: int) -> str:
    """What a refusal shows: a known code, "(unknown error code)", or the HTTP status."""
    if _error_code(body):
        return _error_code(body)
    return "(unknown error code)" if _raw_error(body) is not None else f"HTTP {status}"


def _tokens(answer: dict[str, Any], now: datetime, url: str) -> TokenSet:
    """The tokens of an answer, each checked here, where it arrives: a token outside RFC 6749
    appendix A's VSCHAR (%x20-7E) is refused and nothing of the answer is kept."""
    access = answer.get("access_token")
    if not isinstance(access, str) or not access:
        raise OAuthError(f"{_host(url)} gave no access token")
    refresh = answer.get("refresh_token")
    for what, value in (("access", access), ("refresh", refresh)):
        if isinstance(value, str) and not _vschars(value):
            raise OAuthError(
                f"{_host(url)} gave an unusable {what} token (a character outside RFC 6749's"
                " printable ASCII): nothing was kept"
            )
    return TokenSet(
        access,
        expires(now, answer.get("expires_in")),
        refresh if isinstance(refresh, str) and refresh else None,
    )


def _vschars(token: str) -> bool:
    return all(" " <= c <= "~" for c in token)


class HttpTokenEndpoint:
    """The token endpoint of one client (id, optional secret, scopes)."""

    def __init__(
        self,
        token_url: str,
        client_id: str,
        scopes: str,
        now: Callable[[], datetime],
        client_secret: str | None = None,
        ca_file: str | None = None,
        timeout: float = TIMEOUT,
    ) -> None:
        """`timeout`: seconds each exchange may take in all (the dashboard gives 5)."""
        self.token_url = check_url(token_url, "token endpoint")
        self.client_id, self.scopes, self._now = client_id, scopes, now
        self._secret, self.ca_file, self.timeout = client_secret, ca_file, timeout

    def _form(self, **fields: str) -> dict[str, str]:
        form = {"client_id": self.client_id, **fields}
        if self._secret:
            form["client_secret"] = self._secret
        return form

    def refresh(self, refresh_token: str) -> TokenSet:
        answer = post_form(
            self.token_url,
            self._form(grant_type="refresh_token", refresh_token=refresh_token),
            self.ca_file,
            self.timeout,
        )
        return _tokens(answer, self._now(), self.token_url)

    def exchange(self, code: str, verifier: str, redirect_uri: str) -> TokenSet:
        answer = post_form(
            self.token_url,
            self._form(
                grant_type="authorization_code",
                code=code,
                code_verifier=verifier,
                redirect_uri=redirect_uri,
            ),
            self.ca_file,
            self.timeout,
        )
        return _tokens(answer, self._now(), self.token_url)


class HttpDeviceEndpoint:
    """RFC 8628 against a device authorization endpoint and the token endpoint."""

    GRANT = "urn:ietf:params:oauth:grant-type:device_code"

    def __init__(self, device_url: str, tokens: HttpTokenEndpoint) -> None:
        self.device_url = check_url(device_url, "device authorization endpoint")
        self._tokens = tokens

    def start(self) -> DeviceCode:
        answer = post_form(
            self.device_url,
            {"client_id": self._tokens.client_id, "scope": self._tokens.scopes},
            self._tokens.ca_file,
            self._tokens.timeout,
        )
        try:
            return DeviceCode(
                device_code=str(answer["device_code"]),
                user_code=str(answer["user_code"]),
                # Microsoft and RFC 8628 say verification_uri; Google verification_url
                verification_uri=str(answer.get("verification_uri") or answer["verification_url"]),
                interval=float(answer.get("interval", 5)),
                expires_in=float(answer.get("expires_in", 900)),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise OAuthError(f"{_host(self.device_url)} gave no usable device code") from exc

    def poll(self, device_code: str) -> TokenSet:
        endpoint = self._tokens
        answer = post_form(
            endpoint.token_url,
            endpoint._form(grant_type=self.GRANT, device_code=device_code),
            endpoint.ca_file,
            endpoint.timeout,
        )
        return _tokens(answer, endpoint._now(), endpoint.token_url)


def loopback_sign_in(
    authorization_url: str,
    params: dict[str, str],
    endpoint: HttpTokenEndpoint,
    pkce: Pkce,
    show: Callable[[str], None],
    timeout: float = 300.0,
) -> TokenSet:
    """RFC 8252 §7.3 with PKCE: listen on 127.0.0.1 (a port the system picks), show the
    authorization address, take the one redirect that carries our `state`, then trade the
    code for tokens. The browser is the user's: nothing here opens one."""
    check_url(authorization_url, "authorization endpoint")
    got: dict[str, str] = {}
    done = threading.Event()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query))
            if query.get("state") != pkce.state:
                self.send_response(400)
                self.end_headers()
                self.wfile.write(b"This is not the sign-in followup is waiting for.\n")
                return
            got.update(query)
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.end_headers()
            self.wfile.write(b"Signed in: you can close this tab and go back to followup.\n")
            done.set()

        def log_message(self, format: str, *args: Any) -> None:  # the code is in the URL
            return

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    redirect_uri = f"http://127.0.0.1:{server.server_address[1]}/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        query = {
            **params,
            "response_type": "code",
            "client_id": endpoint.client_id,
            "redirect_uri": redirect_uri,
            "scope": endpoint.scopes,
            "state": pkce.state,
            "code_challenge": pkce.challenge,
            "code_challenge_method": "S256",
        }
        separator = "&" if "?" in authorization_url else "?"
        show(authorization_url + separator + urllib.parse.urlencode(query))
        if not done.wait(timeout):
            raise OAuthError("no sign-in came back in time: run followup mail login again")
    finally:
        server.shutdown()
        server.server_close()
    if "error" in got:
        answer = json.dumps(got).encode()
        raise OAuthError(
            f"the sign-in was refused: {_shown(answer, 400)}", code=_error_code(answer)
        )
    code = got.get("code")
    if not code:
        raise OAuthError("the sign-in came back without a code")
    return endpoint.exchange(code, pkce.verifier, redirect_uri)
