"""`followup mail login`'s refusals: each one line, nothing kept anywhere."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from followup.app.errors import ExitCode
from tests.conftest import Run
from tests.oauth_server import CLIENT_ID, AuthServer, MemoryKeyring


@pytest.fixture
def no_keyring() -> Iterator[None]:
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    try:
        yield
    finally:
        keyring.set_keyring(before)


def configure(run: Run, auth: AuthServer) -> None:
    for key, value in (
        ("user.email", auth.user),
        ("mail.oauth.provider", "generic"),
        ("mail.oauth.client_id", CLIENT_ID),
        ("mail.oauth.token_endpoint", f"{auth.url}/token"),
        ("mail.oauth.device_endpoint", f"{auth.url}/devicecode"),
    ):
        assert run("config", "set", key, value).code == 0


def test_no_keyring_refuses_before_any_sign_in(
    run: Run, home: Path, auth_server: AuthServer, no_keyring: None
) -> None:
    configure(run, auth_server)
    before = (home / "config.toml").read_text()
    r = run("mail", "login")
    assert r.code == ExitCode.INVALID
    assert r.err.count("\n") == 1 and "no OS keyring" in r.err
    assert auth_server.requests == []  # no code asked for: nothing to keep it in
    assert (home / "config.toml").read_text() == before
    assert not list(home.rglob("*token*"))


def test_no_client_id_says_which_setting(run: Run, memory_keyring: MemoryKeyring) -> None:
    run("config", "set", "user.email", "grace@outlook.com")
    r = run("mail", "login", "--provider", "microsoft")
    assert r.code == ExitCode.INVALID
    assert "followup config set mail.oauth.client_id" in r.err and r.err.count("\n") == 1


def test_a_declined_sign_in_is_one_line_and_keeps_nothing(
    run: Run, home: Path, auth_server: AuthServer, memory_keyring: MemoryKeyring
) -> None:
    configure(run, auth_server)
    import threading

    threading.Timer(0.3, auth_server.deny).start()  # the user says no on the sign-in page
    r = run("mail", "login", "--json")
    assert r.code == ExitCode.INVALID, r.err
    assert r.err.endswith("followup: error: the sign-in was declined\n")
    assert memory_keyring.items == {}
    assert "oauth2" not in (home / "config.toml").read_text()


def test_microsofts_endpoints_and_scopes_are_the_documented_ones(run: Run) -> None:
    from followup.config.mail import oauth_client
    from followup.config.settings import Settings

    client = oauth_client(
        Settings(
            {
                "mail.provider": "microsoft",
                "mail.oauth.client_id": "abc",
                "mail.oauth.tenant": "contoso.onmicrosoft.com",
            }
        )
    )
    assert client is not None and client.flow == "device"
    assert client.device_endpoint == (
        "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/devicecode"
    )
    assert client.scopes.split() == [
        "https://outlook.office.com/IMAP.AccessAsUser.All",
        "https://outlook.office.com/SMTP.Send",
        "offline_access",
    ]
    google = oauth_client(Settings({"mail.provider": "gmail", "mail.oauth.client_id": "abc"}))
    assert google is not None and google.flow == "loopback"
    assert google.scopes == "https://mail.google.com/"


def test_on_a_laptop_the_sign_in_keeps_its_name(run: Run, home: Path) -> None:
    """A laptop's sign-ins made before stay found: the name is the provider and the login."""
    from followup.bootstrap import MailSetup
    from followup.config.mail import oauth_client
    from followup.config.settings import Settings

    run("config", "set", "user.email", "grace@example.org")
    client = oauth_client(
        Settings({"mail.oauth.provider": "generic", "mail.oauth.client_id": "x",
                  "mail.oauth.token_endpoint": "https://id.example/token",
                  "mail.oauth.device_endpoint": "https://id.example/device"})
    )  # fmt: skip
    assert client is not None
    assert MailSetup(home).token_name(client) == "generic:grace@example.org"
