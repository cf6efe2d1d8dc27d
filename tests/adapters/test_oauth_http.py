"""The OAuth2 endpoints over HTTP against an authorization server the tests start on
127.0.0.1 (tests/oauth_server.py): refresh with rotation, expiry, revocation, the
device-code flow, and the loopback redirect with PKCE. No network beyond loopback."""

from __future__ import annotations

import urllib.error
import urllib.request
from datetime import UTC, datetime

import pytest

from followup.adapters.mail.oauth_http import (
    HttpDeviceEndpoint,
    HttpTokenEndpoint,
    check_url,
    loopback_sign_in,
)
from followup.app.errors import InvalidInput
from followup.app.oauth import DeviceCode, OAuthError, SignInAgain, Tokens, device_sign_in, pkce
from tests.oauth_server import CLIENT_ID, AuthServer
from tests.unit.test_oauth import Store

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def endpoint(auth_server: AuthServer, client_id: str = CLIENT_ID) -> HttpTokenEndpoint:
    return HttpTokenEndpoint(f"{auth_server.url}/token", client_id, "mail", lambda: NOW)


def test_refresh_rotates_the_refresh_token_and_a_revoked_grant_is_sign_in_again(
    auth_server: AuthServer,
) -> None:
    store = Store({"grace": auth_server.grant()})
    tokens = Tokens("grace", endpoint(auth_server), store, lambda: NOW)
    first = tokens.access_token()
    assert auth_server.valid(first) == auth_server.user
    assert store["grace"] == auth_server.grants[0].refresh_token  # the rotated one, kept
    auth_server.expire_access_tokens()
    tokens.after_failure()  # the server refused the expired token
    second = tokens.access_token()
    assert second != first and auth_server.valid(second)
    auth_server.revoke()
    tokens.after_failure()
    with pytest.raises(SignInAgain) as caught:
        tokens.access_token()
    assert str(caught.value).endswith("sign in again: followup mail login")
    for secret in (first, second, store["grace"]):
        assert secret not in str(caught.value)


def test_a_wrong_client_is_sign_in_again_and_says_only_the_code(auth_server: AuthServer) -> None:
    wrong = endpoint(auth_server, "someone-else")
    tokens = Tokens("grace", wrong, Store({"grace": auth_server.grant()}), lambda: NOW)
    with pytest.raises(SignInAgain, match=r"\(invalid_client\)"):
        tokens.access_token()


def test_an_unreachable_endpoint_is_temporary() -> None:
    from tests.integration.dovecot import free_port

    down = HttpTokenEndpoint(f"http://127.0.0.1:{free_port()}/token", CLIENT_ID, "m", lambda: NOW)
    with pytest.raises(OAuthError) as caught:
        down.refresh("rt")
    assert caught.value.temporary and "could not reach 127.0.0.1" in str(caught.value)


@pytest.mark.parametrize("url", ["http://login.example/token", "ftp://127.0.0.1/x", "token"])
def test_an_endpoint_off_https_is_refused_unless_on_this_machine(url: str) -> None:
    with pytest.raises(OAuthError, match="https://"):
        check_url(url, "token endpoint")


def test_the_device_code_flow_polls_until_approved_and_keeps_the_refresh_token(
    auth_server: AuthServer,
) -> None:
    device = HttpDeviceEndpoint(f"{auth_server.url}/devicecode", endpoint(auth_server))
    store = Store()
    waits: list[float] = []

    def wait(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 3:
            auth_server.approve()

    shown: list[DeviceCode] = []
    got = device_sign_in(device, store, "grace", shown.append, wait)
    assert shown[0].verification_uri == f"{auth_server.url}/device" and shown[0].user_code
    assert waits == [1, 1, 6]  # the second poll said slow_down
    assert auth_server.valid(got.access_token) and store["grace"] == got.refresh_token
    assert [r["grant_type"] for r in auth_server.requests if r["path"] == "/token"] == [
        "urn:ietf:params:oauth:grant-type:device_code"
    ] * 3


def test_a_declined_device_sign_in_keeps_nothing(auth_server: AuthServer) -> None:
    device = HttpDeviceEndpoint(f"{auth_server.url}/devicecode", endpoint(auth_server))
    store = Store()
    with pytest.raises(InvalidInput, match="declined"):
        device_sign_in(device, store, "grace", lambda c: auth_server.deny(), lambda s: None)
    assert store == {}


def test_the_loopback_redirect_with_pkce(auth_server: AuthServer) -> None:
    made = pkce()

    def browser(url: str) -> None:
        """The user's browser: signs in at the server, follows its redirect home."""
        assert (
            url.startswith(f"{auth_server.url}/authorize?") and "code_challenge_method=S256" in url
        )
        urllib.request.urlopen(url, timeout=10).read()

    got = loopback_sign_in(
        f"{auth_server.url}/authorize",
        {"access_type": "offline"},
        endpoint(auth_server),
        made,
        browser,
    )
    assert auth_server.valid(got.access_token) and got.refresh_token


def test_a_redirect_with_another_state_is_not_taken(auth_server: AuthServer) -> None:
    made = pkce()

    refused: list[int] = []

    def forged(url: str) -> None:
        try:
            urllib.request.urlopen(url.replace(made.state, "forged"), timeout=10)
        except urllib.error.HTTPError as exc:  # the loopback listener said 400
            refused.append(exc.code)

    with pytest.raises(OAuthError, match="no sign-in came back in time"):
        loopback_sign_in(
            f"{auth_server.url}/authorize", {}, endpoint(auth_server), made, forged, timeout=1
        )
    assert refused == [400] and auth_server.codes  # the code was never traded
