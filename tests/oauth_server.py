"""An OAuth2 authorization server for the tests, on 127.0.0.1 (stdlib http.server).

It serves what followup's sign-in and refresh use: the device authorization endpoint (RFC
8628), the authorization endpoint that redirects with a code (checked against its PKCE S256
challenge), and the token endpoint (authorization_code, device_code, refresh_token grants,
refresh tokens rotated on use). Tests can approve or deny a device code, make tokens expire,
revoke a grant, and ask whether an access token is valid (what the mail servers of the tests
check). Every request is recorded (without its secrets' values being printed anywhere).
"""

from __future__ import annotations

import base64
import hashlib
import http.server
import json
import secrets
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import keyring
import keyring.backend
import pytest

CLIENT_ID = "test-client-id"


@dataclass
class Grant:
    user: str
    refresh_token: str
    revoked: bool = False


@dataclass
class AuthServer:
    lifetime: int = 3600  # seconds an access token is valid for (as expires_in says)
    grants: list[Grant] = field(default_factory=list)
    access: dict[str, str] = field(default_factory=dict)  # valid access token -> user
    devices: dict[str, dict[str, Any]] = field(default_factory=dict)
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    requests: list[dict[str, str]] = field(default_factory=list)
    user: str = "grace@example.org"
    port: int = 0
    auto_approve: bool = False  # the user signs in as soon as the code is shown

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # --- what a test does -------------------------------------------------------------

    def approve(self, user_code: str | None = None) -> None:
        for device in self.devices.values():
            if user_code in (None, device["user_code"]):
                device["state"] = "approved"

    def deny(self) -> None:
        for device in self.devices.values():
            device["state"] = "denied"

    def expire_access_tokens(self) -> None:
        self.access.clear()

    def revoke(self) -> None:
        for grant in self.grants:
            grant.revoked = True
        self.access.clear()

    def valid(self, token: str) -> str | None:
        """The user whose access token this is, None if it is not (any more) valid."""
        return self.access.get(token)

    def grant(self, user: str | None = None) -> str:
        """A refresh token issued as if the user had signed in (for refresh tests)."""
        token = "rt-" + secrets.token_urlsafe(12)
        self.grants.append(Grant(user or self.user, token))
        return token

    # --- the endpoints ----------------------------------------------------------------

    def _tokens(self, user: str, rotate_from: Grant | None = None) -> dict[str, Any]:
        access = "at-" + secrets.token_urlsafe(12)
        self.access[access] = user
        refresh = "rt-" + secrets.token_urlsafe(12)
        if rotate_from:
            rotate_from.refresh_token = refresh
        else:
            self.grants.append(Grant(user, refresh))
        return {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": self.lifetime,
            "refresh_token": refresh,
        }

    def token(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        if form.get("client_id") != CLIENT_ID:
            return 401, {"error": "invalid_client"}
        grant_type = form.get("grant_type")
        if grant_type == "refresh_token":
            grant = next(
                (g for g in self.grants if g.refresh_token == form.get("refresh_token")), None
            )
            if grant is None or grant.revoked:
                return 400, {"error": "invalid_grant"}
            return 200, self._tokens(grant.user, rotate_from=grant)
        if grant_type == "urn:ietf:params:oauth:grant-type:device_code":
            device = self.devices.get(form.get("device_code", ""))
            if device is None:
                return 400, {"error": "invalid_grant"}
            device["polls"] += 1
            if device["state"] == "pending" and self.auto_approve:
                device["state"] = "approved"
            if device["state"] == "pending":
                return 400, {"error": "slow_down" if device["polls"] == 2 else
                             "authorization_pending"}  # fmt: skip
            if device["state"] == "denied":
                return 400, {"error": "access_denied"}
            if device["state"] == "used":
                return 400, {"error": "invalid_grant"}
            device["state"] = "used"
            return 200, self._tokens(self.user)
        if grant_type == "authorization_code":
            issued = self.codes.pop(form.get("code", ""), None)
            if issued is None or issued["redirect_uri"] != form.get("redirect_uri"):
                return 400, {"error": "invalid_grant"}
            verifier = form.get("code_verifier", "")
            digest = hashlib.sha256(verifier.encode()).digest()
            if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != issued["challenge"]:
                return 400, {"error": "invalid_grant"}
            return 200, self._tokens(self.user)
        return 400, {"error": "unsupported_grant_type"}

    def device(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        if form.get("client_id") != CLIENT_ID:
            return 401, {"error": "invalid_client"}
        code = secrets.token_urlsafe(16)
        user_code = secrets.token_hex(4).upper()
        self.devices[code] = {"user_code": user_code, "state": "pending", "polls": 0}
        return 200, {
            "device_code": code,
            "user_code": user_code,
            "verification_uri": f"{self.url}/device",
            "interval": 1,
            "expires_in": 60,
        }

    def authorize(self, query: dict[str, str]) -> str:
        """The redirect a signed-in user's browser follows: the URL with the code."""
        if query.get("client_id") != CLIENT_ID or query.get("code_challenge_method") != "S256":
            state = query.get("state", "")
            return f"{query.get('redirect_uri', '')}?error=invalid_request&state={state}"
        code = secrets.token_urlsafe(12)
        self.codes[code] = {
            "challenge": query["code_challenge"],
            "redirect_uri": query["redirect_uri"],
        }
        params = urllib.parse.urlencode({"code": code, "state": query.get("state", "")})
        return f"{query['redirect_uri']}?{params}"


def start(server: AuthServer) -> http.server.HTTPServer:
    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
            server.requests.append({"path": self.path, **form})
            if self.path == "/token":
                self._answer(*server.token(form))
            elif self.path == "/devicecode":
                self._answer(*server.device(form))
            else:
                self._answer(404, {"error": "not_found"})

        def do_GET(self) -> None:
            parts = urllib.parse.urlsplit(self.path)
            if parts.path == "/tokeninfo":  # what Dovecot's oauth2 passdb asks
                query = dict(urllib.parse.parse_qsl(parts.query))
                server.requests.append({"path": "/tokeninfo"})
                user = server.valid(query.get("access_token", ""))
                if user is None:
                    self._answer(401, {"error": "invalid_token"})
                else:
                    self._answer(200, {"username": user, "active": True})
            elif parts.path == "/authorize":
                self.send_response(302)
                self.send_header(
                    "Location", server.authorize(dict(urllib.parse.parse_qsl(parts.query)))
                )
                self.end_headers()
            else:
                self._answer(404, {"error": "not_found"})

        def log_message(self, format: str, *args: Any) -> None:
            return

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.port = int(httpd.server_address[1])
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


@pytest.fixture
def auth_server() -> Iterator[AuthServer]:
    """An authorization server on 127.0.0.1 for one test."""
    server = AuthServer()
    httpd = start(server)
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring for the tests: a dict (what a desktop's Secret Service would hold)."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[service, username] = password

    def delete_password(self, service: str, username: str) -> None:
        self.items.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    """The OS keyring, as a dict, for one test."""
    before = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    try:
        yield ring
    finally:
        keyring.set_keyring(before)
