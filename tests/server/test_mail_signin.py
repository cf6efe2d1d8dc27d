"""Server mode: one OS keyring serves every seeker, so a mail sign-in (OAuth2) is kept under
the seeker's own name, not only under the mail login they typed — else a seeker who set
another's login would send with the other's sign-in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from followup.app import accounts as acc_mod
from followup.app.oauth import SignInAgain
from tests.conftest import Run
from tests.oauth_server import CLIENT_ID, AuthServer, MemoryKeyring

pytestmark = pytest.mark.integration

PASSWORD = "correct horse battery staple"


def _oauth_settings(run: Run, auth: AuthServer, email: str) -> None:
    for key, value in (
        ("user.email", email),
        ("mail.username", auth.user),  # the mail login: the same typed by both seekers
        ("mail.auth", "oauth2"),
        ("mail.oauth.provider", "generic"),
        ("mail.oauth.client_id", CLIENT_ID),
        ("mail.oauth.token_endpoint", f"{auth.url}/token"),
        ("mail.oauth.device_endpoint", f"{auth.url}/devicecode"),
    ):
        r = run("config", "set", key, value)
        assert r.code == 0, r.err


def test_a_seeker_typing_anothers_mail_login_gets_no_sign_in_of_theirs(
    run: Run,
    server_url: str,
    accounts: Any,
    home: Path,
    auth_server: AuthServer,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from followup.bootstrap import MailSetup, user_home

    ada = acc_mod.add_user(accounts, "ada@example.org", "seeker", PASSWORD)
    bob = acc_mod.add_user(accounts, "bob@example.org", "seeker", PASSWORD)
    monkeypatch.setenv("FOLLOWUP_USER", "ada@example.org")
    _oauth_settings(run, auth_server, "ada@example.org")
    auth_server.auto_approve = True
    r = run("mail", "login")
    assert r.code == 0, r.err
    kept = {name for _service, name in memory_keyring.items}
    ada_home = user_home(home, int(ada.id))
    assert kept and all(str(ada_home) in name for name in kept)  # under Ada's own name

    monkeypatch.setenv("FOLLOWUP_USER", "bob@example.org")
    _oauth_settings(run, auth_server, "bob@example.org")  # Ada's mail login, typed by Bob
    bobs = MailSetup(user_home(home, int(bob.id))).tokens()
    assert bobs is not None
    with pytest.raises(SignInAgain, match="not signed in"):
        bobs.access_token()  # Ada's token is not Bob's, whatever login he typed
    adas = MailSetup(ada_home).tokens()
    assert adas is not None and adas.access_token()  # Ada's own still works
    refreshes = [q for q in auth_server.requests if q.get("grant_type") == "refresh_token"]
    assert refreshes == []  # the access token kept at sign-in served


def test_notes_go_only_from_the_address_the_seeker_signs_in_with(
    run: Run, server_url: str, accounts: Any, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A relay that asks no login carries whatever From it is given: on a shared server a
    seeker's notes go from their own sign-in address, never another seeker's."""
    from followup.app.errors import InvalidInput
    from followup.bootstrap import MailSetup, user_home
    from followup.cli.worker import Tenant

    bob = acc_mod.add_user(accounts, "bob@example.org", "seeker", PASSWORD)
    acc_mod.add_user(accounts, "ada@example.org", "seeker", PASSWORD)
    monkeypatch.setenv("FOLLOWUP_USER", "bob@example.org")
    refused = run("config", "set", "user.email", "ada@example.org")  # another seeker's
    assert refused.code == 4 and refused.err.count("\n") == 1
    assert "notes go from the address you sign in with, bob@example.org" in refused.err
    assert run("config", "set", "mail.from_address", "ada@example.org").code == 4
    for key, value in (
        ("user.email", "bob@example.org"),
        ("mail.smtp_host", "127.0.0.1"),
        ("mail.smtp_port", "9"),
        ("mail.smtp_security", "none"),
        ("mail.mode", "send"),
    ):
        assert run("config", "set", key, value).code == 0
    own = user_home(home, int(bob.id))
    config = own / "config.toml"  # edited by hand past the rule: refused where it sends
    config.write_text(config.read_text().replace("bob@example.org", "ada@example.org"))
    with pytest.raises(InvalidInput, match="notes go from the address you sign in with"):
        MailSetup(own).outbox("Bob")
    tenant = Tenant("bob", lambda: None, own)  # the worker idles, saying why
    assert tenant.outbox is None
    assert "ada@example.org is not it" in tenant.why_idle

    assert run("config", "set", "user.email", "bob@example.org").code == 0
    box = MailSetup(own).outbox("Bob")
    assert box.sender_address == "bob@example.org"
    assert Tenant("bob", lambda: None, own).outbox is not None


def test_the_profile_form_refuses_another_seekers_address(
    server_app: Any, accounts: Any, home: Path
) -> None:
    from tests.server.web import Browser

    acc_mod.add_user(accounts, "bob@example.org", "seeker", PASSWORD)
    acc_mod.add_user(accounts, "ada@example.org", "seeker", PASSWORD)
    bob = Browser(server_app)
    bob.login("bob@example.org", PASSWORD)
    r = bob.post("/settings/profile", {"name": "Bob", "email": "ada@example.org"})
    assert r.status_code == 400 and 'data-testid="error-email"' in r.text
    assert "the address you sign in with, bob@example.org" in r.text
    assert (
        bob.post("/settings/profile", {"name": "Bob", "email": "bob@example.org"}).status_code
        == 303
    )
