"""OAuth2's pure parts: the SASL strings as the mechanisms define them, keeping a token
fresh (before expiry, once after a refused login, a revoked grant in one line), the
device-code polling and PKCE."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from followup.app.errors import InvalidInput
from followup.app.oauth import (
    DeviceCode,
    OAuthError,
    SignInAgain,
    Tokens,
    TokenSet,
    device_sign_in,
    oauthbearer,
    pkce,
    with_token,
    xoauth2,
)

T0 = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def test_xoauth2_is_googles_documented_string() -> None:
    # developers.google.com/gmail/imap/xoauth2-protocol: the example, before base64
    sasl = xoauth2("someuser@example.com", "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg")
    assert sasl == (
        "user=someuser@example.com\x01auth=Bearer ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg"
        "\x01\x01"
    )
    assert base64.b64encode(sasl.encode()).decode() == (
        "dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52YjNSbGNrQmhk"
        "SFJoZG1semRHRXVZMjl0Q2cBAQ=="
    )


def test_oauthbearer_is_rfc_7628s_example() -> None:
    # RFC 7628 §4.1: n,a=user@example.com,^Ahost=server.example.com^Aport=143^A
    # auth=Bearer vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==^A^A
    sasl = oauthbearer(
        "user@example.com", "vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==", "server.example.com", 143
    )
    assert sasl == (
        "n,a=user@example.com,\x01host=server.example.com\x01port=143\x01"
        "auth=Bearer vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==\x01\x01"
    )
    assert oauthbearer("a,b=c@x.org", "t").startswith("n,a=a=2Cb=3Dc@x.org,\x01auth=")


@pytest.mark.parametrize(("user", "token"), [("", "t"), ("u", ""), ("u\x01x", "t"), ("u", "t\r\n")])
def test_a_sasl_field_with_a_control_character_is_refused(user: str, token: str) -> None:
    with pytest.raises(ValueError):
        xoauth2(user, token)


class Store(dict[str, str]):
    def get(self, name: str) -> str | None:  # type: ignore[override]
        return super().get(name)

    def put(self, name: str, secret: str) -> None:
        self[name] = secret

    def delete(self, name: str) -> None:
        self.pop(name, None)


class Endpoint:
    def __init__(self, clock: list[datetime], lifetime: int = 3600) -> None:
        self.clock, self.lifetime = clock, lifetime
        self.calls: list[str] = []
        self.revoked = False

    def refresh(self, refresh_token: str) -> TokenSet:
        self.calls.append(refresh_token)
        if self.revoked:
            raise OAuthError("login.example refused: invalid_grant", code="invalid_grant")
        n = len(self.calls)
        return TokenSet(f"at-{n}", self.clock[0] + timedelta(seconds=self.lifetime), f"rt-{n}")


def tokens(lifetime: int = 3600) -> tuple[Tokens, Endpoint, Store, list[datetime]]:
    clock = [T0]
    endpoint = Endpoint(clock, lifetime)
    store = Store({"grace": "rt-0"})
    return Tokens("grace", endpoint, store, lambda: clock[0]), endpoint, store, clock


def test_a_token_is_kept_until_a_minute_before_it_expires_and_rotations_are_kept() -> None:
    t, endpoint, store, clock = tokens()
    assert t.access_token() == "at-1" and store["grace"] == "rt-1"
    clock[0] = T0 + timedelta(minutes=58, seconds=59)
    assert t.access_token() == "at-1"
    clock[0] = T0 + timedelta(minutes=59)
    assert t.access_token() == "at-2"
    assert endpoint.calls == ["rt-0", "rt-1"] and store["grace"] == "rt-2"


def test_the_access_token_is_kept_for_the_next_command_until_a_minute_before_expiry() -> None:
    t, endpoint, store, clock = tokens()
    assert t.access_token() == "at-1"
    assert store["grace#access"] == "2026-11-25T13:00:00+00:00 at-1"  # the keyring, with expiry
    clock[0] = T0 + timedelta(minutes=30)
    after = Tokens("grace", endpoint, store, lambda: clock[0])  # the next command
    assert after.access_token() == "at-1" and endpoint.calls == ["rt-0"]
    clock[0] = T0 + timedelta(minutes=59)
    later = Tokens("grace", endpoint, store, lambda: clock[0])
    assert later.access_token() == "at-2" and endpoint.calls == ["rt-0", "rt-1"]
    assert store["grace#access"].endswith(" at-2")


@pytest.mark.parametrize("kept", ["", "garbage", "2026-11-25T13:00:00 at-x", "2026-11-25T13:00Z"])
def test_an_unreadable_kept_access_token_is_refreshed(kept: str) -> None:
    t, endpoint, store, _clock = tokens()
    store["grace#access"] = kept
    assert t.access_token() == "at-1" and endpoint.calls == ["rt-0"]


def test_a_kept_access_token_the_server_refuses_is_dropped_and_refreshed_once() -> None:
    t, endpoint, store, _clock = tokens()
    store["grace#access"] = "2026-11-25T13:00:00+00:00 at-stale"
    tried: list[str] = []

    def refuses_stale(token: str) -> None:
        tried.append(token)
        if token == "at-stale":
            raise PermissionError("AUTHENTICATIONFAILED")

    with_token(t, refuses_stale, PermissionError)
    assert tried == ["at-stale", "at-1"] and endpoint.calls == ["rt-0"]
    assert store["grace#access"].endswith(" at-1")


def test_a_revoked_grant_forgets_the_kept_access_token() -> None:
    t, endpoint, store, _clock = tokens()
    t.access_token()
    t.after_failure()
    endpoint.revoked = True
    with pytest.raises(SignInAgain):
        t.access_token()
    assert "grace#access" not in store and store["grace"] == "rt-1"


def test_a_refused_login_refreshes_once_then_the_refusal_stands() -> None:
    t, endpoint, _store, _clock = tokens()
    tried: list[str] = []

    def refuses_first(token: str) -> None:
        tried.append(token)
        if len(tried) == 1:
            raise PermissionError("AUTHENTICATIONFAILED")

    with_token(t, refuses_first, PermissionError)
    assert tried == ["at-1", "at-2"]

    def refuses(token: str) -> None:
        tried.append(token)
        raise PermissionError("AUTHENTICATIONFAILED")

    with pytest.raises(PermissionError):
        with_token(t, refuses, PermissionError)
    assert tried[2:] == ["at-2", "at-3"]  # once more, not in a loop
    assert len(endpoint.calls) == 3


class Rotating(Endpoint):
    """A rotating server, and another process that refreshes first: the refresh token this
    process read is spent by the time its own request arrives."""

    def __init__(self, clock: list[datetime], store: Store, other_keeps_access: bool) -> None:
        super().__init__(clock)
        self.store, self.other_keeps_access = store, other_keeps_access
        self.spent: set[str] = set()

    def refresh(self, refresh_token: str) -> TokenSet:
        if not self.calls and refresh_token == "rt-0":  # the other process, just before us
            self.spent.add("rt-0")
            self.store["grace"] = "rt-other"
            if self.other_keeps_access:
                self.store["grace#access"] = "2026-11-25T13:00:00+00:00 at-other"
        if refresh_token in self.spent:
            self.calls.append(refresh_token)
            raise OAuthError("login.example refused: invalid_grant", code="invalid_grant")
        return super().refresh(refresh_token)


@pytest.mark.parametrize("other_keeps_access", [True, False])
def test_a_refresh_token_another_process_just_rotated_is_not_a_lost_sign_in(
    other_keeps_access: bool,
) -> None:
    clock = [T0]
    store = Store({"grace": "rt-0"})
    endpoint = Rotating(clock, store, other_keeps_access)
    t = Tokens("grace", endpoint, store, lambda: clock[0])
    if other_keeps_access:  # its access token is still good: no second request
        assert t.access_token() == "at-other" and endpoint.calls == ["rt-0"]
        assert store["grace"] == "rt-other"
    else:  # once more, with the refresh token it kept
        assert t.access_token() == "at-2" and endpoint.calls == ["rt-0", "rt-other"]
        assert store["grace"] == "rt-2" and store["grace#access"].endswith(" at-2")


def test_invalid_grant_with_the_refresh_token_unchanged_is_sign_in_again() -> None:
    t, endpoint, _store, _clock = tokens()
    endpoint.revoked = True
    with pytest.raises(SignInAgain):
        t.access_token()
    assert endpoint.calls == ["rt-0"]  # not tried again: nobody rotated it


def test_a_revoked_grant_is_one_line_naming_mail_login() -> None:
    t, endpoint, _store, _clock = tokens()
    endpoint.revoked = True
    with pytest.raises(SignInAgain) as caught:
        t.access_token()
    assert str(caught.value) == (
        "the sign-in was refused (invalid_grant): sign in again: followup mail login"
    )
    assert isinstance(caught.value, InvalidInput)


def test_no_refresh_token_kept_is_sign_in_again() -> None:
    t, _endpoint, store, _clock = tokens()
    store.clear()
    with pytest.raises(SignInAgain, match="not signed in: sign in again: followup mail login"):
        t.access_token()


def test_a_network_error_is_not_a_lost_sign_in() -> None:
    t, endpoint, store, _clock = tokens()

    def down(refresh_token: str) -> TokenSet:
        raise OAuthError("could not reach login.example", temporary=True)

    endpoint.refresh = down  # type: ignore[method-assign]
    with pytest.raises(OAuthError) as caught:
        t.access_token()
    assert caught.value.temporary and store["grace"] == "rt-0"


class Device:
    def __init__(self, answers: list[str]) -> None:
        self.answers = answers

    def start(self) -> DeviceCode:
        return DeviceCode("dc", "ABCD-1234", "https://login.example/device", 5, 60)

    def poll(self, device_code: str) -> TokenSet:
        answer = self.answers.pop(0)
        if answer == "ok":
            return TokenSet("at", T0, "rt-device")
        raise OAuthError(answer, code=answer)


def test_device_sign_in_waits_as_asked_and_keeps_the_refresh_token() -> None:
    store = Store()
    waits: list[float] = []
    shown: list[DeviceCode] = []
    device = Device(["authorization_pending", "slow_down", "authorization_pending", "ok"])
    device_sign_in(device, store, "grace", shown.append, waits.append)
    assert [c.user_code for c in shown] == ["ABCD-1234"]
    assert waits == [5, 5, 10, 10]  # slow_down: 5 s more from then on
    assert store == {"grace": "rt-device", "grace#access": f"{T0.isoformat()} at"}


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        (["access_denied"], "the sign-in was declined"),
        (["expired_token"], "the code expired"),
        (["authorization_pending"] * 20, "the code expired"),
    ],
)
def test_device_sign_in_that_fails_says_why_and_keeps_nothing(
    answers: list[str], message: str
) -> None:
    store = Store()
    with pytest.raises(InvalidInput, match=message):
        device_sign_in(Device(answers), store, "grace", lambda c: None, lambda s: None)
    assert store == {}


def test_pkce_challenge_is_the_s256_of_the_verifier() -> None:
    made = pkce()
    assert 43 <= len(made.verifier) <= 128
    digest = hashlib.sha256(made.verifier.encode()).digest()
    assert made.challenge == base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    assert pkce().verifier != made.verifier
