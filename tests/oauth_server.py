"""An OAuth2 authorization server for the tests, on 127.0.0.1, built on Authlib's server side.

Authlib (a test dependency only) does the protocol: its `AuthorizationServer` with the
authorization code grant and PKCE (RFC 6749 §4.1, RFC 7636, S256 only), the device
authorization endpoint and device code grant (RFC 8628), the refresh token grant (rotating
the refresh token on use), revocation (RFC 7009) and introspection (RFC 7662, what the
tests' Dovecot asks about each bearer token, as `introspection_mode = post`). What is ours
is the storage (dicts), the consent (a test approves or denies a device code; the
authorization endpoint signs the user in at once) and the transport (stdlib http.server,
as Authlib ships no server of its own outside Flask and Django).

Access tokens expire after `lifetime` seconds, or at once with `expire_access_tokens()`;
`revoke()` revokes each grant through the revocation endpoint. Every request is recorded
(`requests`: the path and the form) so that tests can count token requests.
"""

from __future__ import annotations

import base64
import http.server
import json
import secrets
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import keyring
import keyring.backend
import pytest
from authlib.oauth2 import AuthorizationServer, OAuth2Request
from authlib.oauth2.rfc6749 import ClientMixin, grants
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oauth2.rfc7662 import IntrospectionEndpoint
from authlib.oauth2.rfc8628 import (
    DeviceAuthorizationEndpoint,
    DeviceCodeGrant,
    DeviceCredentialDict,
)

CLIENT_ID = "test-client-id"  # followup: a public client (no secret), as an installed app is
MAIL_SERVER_ID = "mail-server"  # the tests' Dovecot: a confidential client that introspects
MAIL_SERVER_SECRET = "mail-server-secret"


# --- the models Authlib asks for -----------------------------------------------------------


@dataclass
class Client(ClientMixin):  # type: ignore[misc]
    client_id: str
    secret: str = ""
    grant_types: tuple[str, ...] = (
        "authorization_code",
        "refresh_token",
        DeviceCodeGrant.GRANT_TYPE,
    )

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str:
        return ""

    def get_allowed_scope(self, scope: str | None) -> str:
        return scope or ""

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        # RFC 8252 §7.3: any port on the loopback interface
        parts = urllib.parse.urlsplit(redirect_uri)
        return parts.scheme == "http" and parts.hostname == "127.0.0.1"

    def check_client_secret(self, client_secret: str) -> bool:
        return bool(self.secret) and secrets.compare_digest(client_secret, self.secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method == "none" if not self.secret else method != "none"

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code" and not self.secret

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in self.grant_types and not self.secret


@dataclass
class Grant:
    """What a user granted a client: its current refresh token (rotated on each use)."""

    user: str
    client_id: str
    scope: str
    refresh_token: str
    revoked: bool = False

    # TokenMixin, for the refresh token grant and the revocation endpoint
    def check_client(self, client: Client) -> bool:
        return client.client_id == self.client_id

    def get_scope(self) -> str:
        return self.scope

    def get_expires_in(self) -> int:
        return 0

    def is_expired(self) -> bool:
        return False

    def is_revoked(self) -> bool:
        return self.revoked


@dataclass
class AccessToken:
    token: str
    grant: Grant
    expires_at: float
    expired: bool = False  # made to expire early by a test

    def check_client(self, client: Client) -> bool:
        return self.grant.check_client(client)

    def get_scope(self) -> str:
        return self.grant.scope

    def get_expires_in(self) -> int:
        return int(self.expires_at - time.time())

    def is_expired(self) -> bool:
        return self.expired or time.time() >= self.expires_at

    def is_revoked(self) -> bool:
        return self.grant.revoked


@dataclass
class Code:
    """An authorization code, with its PKCE challenge."""

    code: str
    client_id: str
    redirect_uri: str
    scope: str
    user: str
    code_challenge: str
    code_challenge_method: str

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope


# --- the state a test sees and drives ------------------------------------------------------


@dataclass
class AuthServer:
    lifetime: int = 3600  # seconds an access token is valid for (as expires_in says)
    grants: list[Grant] = field(default_factory=list)
    tokens: dict[str, AccessToken] = field(default_factory=dict)
    devices: dict[str, DeviceCredentialDict] = field(default_factory=dict)  # by device_code
    codes: dict[str, Code] = field(default_factory=dict)
    requests: list[dict[str, str]] = field(default_factory=list)
    user: str = "grace@example.org"
    port: int = 0
    auto_approve: bool = False  # the user signs in as soon as the code is shown
    decisions: dict[str, bool] = field(default_factory=dict)  # user_code -> approved?
    clients: dict[str, Client] = field(
        default_factory=lambda: {
            CLIENT_ID: Client(CLIENT_ID),
            MAIL_SERVER_ID: Client(MAIL_SERVER_ID, MAIL_SERVER_SECRET),
        }
    )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def access(self) -> dict[str, str]:
        """The access tokens valid now, each with its user."""
        return {
            t.token: t.grant.user
            for t in list(self.tokens.values())
            if not t.is_expired() and not t.is_revoked()
        }

    def token_requests(self) -> list[dict[str, str]]:
        return [r for r in self.requests if r["path"] == "/token"]

    # --- what a test does -------------------------------------------------------------

    def approve(self, user_code: str | None = None) -> None:
        for device in self.devices.values():
            if user_code in (None, device["user_code"]):
                self.decisions[device["user_code"]] = True

    def deny(self) -> None:
        for device in self.devices.values():
            self.decisions[device["user_code"]] = False

    def expire_access_tokens(self) -> None:
        for token in self.tokens.values():
            token.expired = True

    def revoke(self) -> None:
        """The user removes the app's access: each grant revoked at the RFC 7009 endpoint."""
        for grant in self.grants:
            if not grant.revoked:
                body = urllib.parse.urlencode(
                    {
                        "token": grant.refresh_token,
                        "token_type_hint": "refresh_token",
                        "client_id": grant.client_id,
                    }
                ).encode()
                with urllib.request.urlopen(f"{self.url}/revoke", body, timeout=10) as answer:
                    assert answer.status == 200
        assert all(g.revoked for g in self.grants)

    def valid(self, token: str) -> str | None:
        """The user whose access token this is, None if it is not (any more) valid."""
        found = self.tokens.get(token)
        if found is None or found.is_expired() or found.is_revoked():
            return None
        return found.grant.user

    def grant(self, user: str | None = None) -> str:
        """A refresh token issued as if the user had signed in (for refresh tests)."""
        token = secrets.token_urlsafe(36)
        self.grants.append(Grant(user or self.user, CLIENT_ID, "mail offline_access", token))
        return token

    def introspect(self, token: str) -> dict[str, Any]:
        """Ask the RFC 7662 endpoint as the mail server does (what the SMTP sink uses)."""
        request = urllib.request.Request(
            f"{self.url}/introspect",
            urllib.parse.urlencode({"token": token}).encode(),
            {"Authorization": "Basic " + base64.b64encode(
                f"{MAIL_SERVER_ID}:{MAIL_SERVER_SECRET}".encode()).decode()},
        )  # fmt: skip
        with urllib.request.urlopen(request, timeout=10) as answer:
            result: dict[str, Any] = json.loads(answer.read())
        return result


# --- Authlib's server, wired to the dicts above ---------------------------------------------


class _Request(OAuth2Request):  # type: ignore[misc]
    def __init__(self, method: str, uri: str, headers: Any, data: dict[str, str]) -> None:
        super().__init__(method, uri, headers=headers)
        self.payload = BasicOAuth2Payload(data)
        self._data = data

    @property
    def args(self) -> dict[str, str]:
        return self._data

    @property
    def form(self) -> dict[str, str]:
        return self._data


class _Server(AuthorizationServer):  # type: ignore[misc]
    def __init__(self, state: AuthServer) -> None:
        super().__init__()
        self.state = state
        self.register_token_generator(
            "default",
            BearerTokenGenerator(
                lambda **_: secrets.token_urlsafe(32),
                lambda **_: secrets.token_urlsafe(36),
                lambda client, grant_type: state.lifetime,
            ),
        )

    def query_client(self, client_id: str) -> Client | None:
        return self.state.clients.get(client_id)

    def save_token(self, token: dict[str, Any], request: OAuth2Request) -> None:
        state = self.state
        grant = request.refresh_token  # a refresh: the same grant, its token rotated
        if isinstance(grant, Grant):
            grant.refresh_token = token["refresh_token"]
        else:
            grant = Grant(
                request.user, request.client.client_id, token.get("scope", ""),
                token["refresh_token"],
            )  # fmt: skip
            state.grants.append(grant)
        state.tokens[token["access_token"]] = AccessToken(
            token["access_token"], grant, time.time() + token.get("expires_in", state.lifetime)
        )

    def create_oauth2_request(self, request: OAuth2Request) -> OAuth2Request:
        return request

    def handle_response(
        self, status: int, body: Any, headers: list[tuple[str, str]]
    ) -> tuple[int, Any, list[tuple[str, str]]]:
        return status, body, headers

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        return


class _CodeGrant(grants.AuthorizationCodeGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = ("none", "client_secret_post", "client_secret_basic")

    def save_authorization_code(self, code: str, request: OAuth2Request) -> None:
        data = request.payload.data
        self.server.state.codes[code] = Code(
            code, request.client.client_id, data["redirect_uri"], request.scope or "",
            request.user, data["code_challenge"], data["code_challenge_method"],
        )  # fmt: skip

    def query_authorization_code(self, code: str, client: Client) -> Code | None:
        found: Code | None = self.server.state.codes.get(code)
        return found if found and found.client_id == client.client_id else None

    def delete_authorization_code(self, authorization_code: Code) -> None:
        self.server.state.codes.pop(authorization_code.code, None)

    def authenticate_user(self, authorization_code: Code) -> str:
        return authorization_code.user


class _S256(CodeChallenge):  # type: ignore[misc]
    SUPPORTED_CODE_CHALLENGE_METHOD = ("S256",)  # RFC 7636 §7.2: no "plain" for us


class _RefreshGrant(grants.RefreshTokenGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = ("none", "client_secret_post", "client_secret_basic")
    INCLUDE_NEW_REFRESH_TOKEN = True  # rotate, as Microsoft and many servers do

    def authenticate_refresh_token(self, refresh_token: str) -> Grant | None:
        state: AuthServer = self.server.state
        grant = next((g for g in state.grants if g.refresh_token == refresh_token), None)
        return grant if grant is not None and not grant.revoked else None

    def authenticate_user(self, refresh_token: Grant) -> str:
        return refresh_token.user

    def revoke_old_credential(self, refresh_token: Grant) -> None:
        return  # save_token already replaced it in the grant


class _DeviceGrant(DeviceCodeGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = ("none", "client_secret_post", "client_secret_basic")

    def query_device_credential(self, device_code: str) -> DeviceCredentialDict | None:
        found: DeviceCredentialDict | None = self.server.state.devices.get(device_code)
        return found

    def query_user_grant(self, user_code: str) -> tuple[str, bool] | None:
        state: AuthServer = self.server.state
        if user_code not in state.decisions and state.auto_approve:
            state.decisions[user_code] = True
        if user_code not in state.decisions:
            return None
        return state.user, state.decisions[user_code]

    def should_slow_down(self, credential: DeviceCredentialDict) -> bool:
        credential["polls"] += 1
        return bool(credential["polls"] == 2)  # the second poll: the client must slow down

    def create_token_response(self) -> Any:
        answer = super().create_token_response()
        self.server.state.devices.pop(self.request.payload.data["device_code"], None)
        return answer


class _DeviceEndpoint(DeviceAuthorizationEndpoint):  # type: ignore[misc]
    INTERVAL = 1
    EXPIRES_IN = 60
    CLIENT_AUTH_METHODS = ("none", "client_secret_post", "client_secret_basic")

    def get_verification_uri(self) -> str:
        return f"{self.server.state.url}/device"

    def save_device_credential(self, client_id: str, scope: str, data: dict[str, Any]) -> None:
        self.server.state.devices[data["device_code"]] = DeviceCredentialDict(
            client_id=client_id,
            scope=scope,
            expires_at=time.time() + data["expires_in"],
            polls=0,
            **data,
        )


def _find_token(state: AuthServer, token: str, hint: str | None) -> Grant | AccessToken | None:
    if hint != "refresh_token" and token in state.tokens:
        return state.tokens[token]
    return next((g for g in state.grants if g.refresh_token == token), None)


class _Revocation(RevocationEndpoint):  # type: ignore[misc]
    CLIENT_AUTH_METHODS = ("none", "client_secret_post", "client_secret_basic")

    def query_token(self, token_string: str, token_type_hint: str | None) -> Any:
        return _find_token(self.server.state, token_string, token_type_hint)

    def revoke_token(self, token: Grant | AccessToken, request: OAuth2Request) -> None:
        (token.grant if isinstance(token, AccessToken) else token).revoked = True


class _Introspection(IntrospectionEndpoint):  # type: ignore[misc]
    CLIENT_AUTH_METHODS = ("client_secret_basic", "client_secret_post")

    def query_token(self, token_string: str, token_type_hint: str | None) -> Any:
        return _find_token(self.server.state, token_string, token_type_hint)

    def check_permission(self, token: Any, client: Client, request: OAuth2Request) -> bool:
        return client.client_id == MAIL_SERVER_ID  # only the mail server asks

    def introspect_token(self, token: Grant | AccessToken) -> dict[str, Any]:
        grant = token.grant if isinstance(token, AccessToken) else token
        answer = {
            "active": True,
            "client_id": grant.client_id,
            "username": grant.user,
            "scope": grant.scope,
            "token_type": "Bearer" if isinstance(token, AccessToken) else "refresh_token",
        }
        if isinstance(token, AccessToken):
            answer["exp"] = int(token.expires_at)
        return answer


def authorization_server(state: AuthServer) -> _Server:
    server = _Server(state)
    server.register_grant(_CodeGrant, [_S256(required=True)])
    server.register_grant(_RefreshGrant)
    server.register_grant(_DeviceGrant)
    server.register_endpoint(_DeviceEndpoint)
    server.register_endpoint(_Revocation)
    server.register_endpoint(_Introspection)
    return server


# --- the transport ---------------------------------------------------------------------------


def start(state: AuthServer) -> http.server.HTTPServer:
    server = authorization_server(state)
    lock = threading.Lock()  # one request at a time through the dicts

    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self, status: int, body: Any, headers: list[tuple[str, str]]) -> None:
            data = (json.dumps(body) if isinstance(body, dict) else str(body or "")).encode()
            self.send_response(status)
            for name, value in headers:
                if name.lower() != "content-length":
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _request(self, data: dict[str, str]) -> _Request:
            return _Request(self.command, state.url + self.path, self.headers, data)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
            path = urllib.parse.urlsplit(self.path).path
            state.requests.append({"path": path, **form})
            endpoints = {
                "/devicecode": "device_authorization",
                "/revoke": "revocation",
                "/introspect": "introspection",
            }
            with lock:
                if path == "/token":
                    self._answer(*server.create_token_response(self._request(form)))
                elif path in endpoints:
                    self._answer(
                        *server.create_endpoint_response(endpoints[path], self._request(form))
                    )
                else:
                    self._answer(404, {"error": "not_found"}, [])

        def do_GET(self) -> None:
            parts = urllib.parse.urlsplit(self.path)
            if parts.path != "/authorize":
                self._answer(404, {"error": "not_found"}, [])
                return
            query = dict(urllib.parse.parse_qsl(parts.query))
            state.requests.append({"path": "/authorize", **query})
            with lock:  # the user is signed in already and consents at once
                request = self._request(query)
                try:
                    grant = server.get_consent_grant(request, end_user=state.user)
                except Exception as error:  # an OAuth2Error: redirected when the URI is safe
                    self._answer(*server.handle_error_response(request, error))
                    return
                self._answer(*server.create_authorization_response(request, state.user, grant))

        def log_message(self, format: str, *args: Any) -> None:
            return

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.port = int(httpd.server_address[1])
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
