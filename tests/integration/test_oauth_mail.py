"""OAuth2 end to end on loopback: `mail login` (device code) against the tests' authorization
server, then notes sent through an SMTP server that accepts AUTH XOAUTH2 only with a token
that server vouches for; the access token expires and is refreshed; the grant is revoked and
sending stops with one line while the note stays pending, never sent twice, never lost; the
worker leaves the account idle. No token appears in any output or file."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from followup.app.errors import ExitCode
from tests.conftest import Run
from tests.integration.dovecot import Dovecot, DovecotError, free_port
from tests.integration.smtp_sink import Sink
from tests.integration.test_sending import due_interview, notes
from tests.oauth_server import (
    CLIENT_ID,
    MAIL_SERVER_ID,
    MAIL_SERVER_SECRET,
    AuthServer,
    MemoryKeyring,
)

pytestmark = pytest.mark.integration


class OAuthSink(Sink):
    """An SMTP server that lets in only a bearer token the authorization server knows."""

    auth: AuthServer
    logins: list[str]

    def vouched(self, token: str, user: str) -> bool:
        """Ask the authorization server (RFC 7662 introspection, as Dovecot does)."""
        answer = self.auth.introspect(token)
        return answer.get("active") is True and answer.get("username") == user

    async def auth_XOAUTH2(self, server: Any, args: list[str]) -> AuthResult:
        if len(args) < 2:  # ["XOAUTH2", initial response]: followup always sends one
            return AuthResult(success=False, handled=False)
        fields = base64.b64decode(args[1]).decode().split("\x01")
        user = fields[0].removeprefix("user=")
        token = fields[1].removeprefix("auth=Bearer ")
        if not self.vouched(token, user):
            self.logins.append("refused")
            return AuthResult(success=False, handled=False)
        self.logins.append(user)
        return AuthResult(success=True, auth_data=user)

    async def auth_OAUTHBEARER(self, server: Any, args: list[str]) -> AuthResult:
        """RFC 7628: `n,a=USER,^Ahost=…^Aport=…^Aauth=Bearer TOKEN^A^A`."""
        if len(args) < 2:
            return AuthResult(success=False, handled=False)
        gs2, *fields = base64.b64decode(args[1]).decode().split("\x01")
        user = gs2.split(",")[1].removeprefix("a=")
        token = next((f for f in fields if f.startswith("auth=Bearer ")), "")[12:]
        if not token or not self.vouched(token, user):
            self.logins.append("refused")
            return AuthResult(success=False, handled=False)
        self.logins.append(user)
        return AuthResult(success=True, auth_data=user)


@pytest.fixture
def oauth_smtp(auth_server: AuthServer) -> Iterator[OAuthSink]:
    sink = OAuthSink(port=free_port())
    sink.auth, sink.logins = auth_server, []
    controller = Controller(
        sink,
        hostname=sink.host,
        port=sink.port,
        auth_require_tls=False,  # loopback only
        auth_exclude_mechanism=["LOGIN", "PLAIN"],
    )
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()


@pytest.fixture
def signed_in(
    run: Run,
    auth_server: AuthServer,
    oauth_smtp: OAuthSink,
    memory_keyring: MemoryKeyring,
) -> MemoryKeyring:
    for key, value in (
        ("user.name", "Grace Hopper"),
        ("user.email", auth_server.user),
        ("mail.smtp_host", oauth_smtp.host),
        ("mail.smtp_port", str(oauth_smtp.port)),
        ("mail.smtp_security", "none"),
        ("mail.mode", "send"),
        ("mail.oauth.provider", "generic"),
        ("mail.oauth.client_id", CLIENT_ID),
        ("mail.oauth.token_endpoint", f"{auth_server.url}/token"),
        ("mail.oauth.device_endpoint", f"{auth_server.url}/devicecode"),
        ("mail.oauth.scopes", "mail offline_access"),
    ):
        assert run("config", "set", key, value).code == 0
    auth_server.auto_approve = True
    r = run("mail", "login")
    assert r.code == 0, r.err
    assert f"open {auth_server.url}/device and enter the code" in r.out
    assert f"Signed in as {auth_server.user} (generic)" in r.out
    return memory_keyring


def secrets_of(auth: AuthServer, ring: MemoryKeyring) -> set[str]:
    found = {g.refresh_token for g in auth.grants} | set(ring.items.values())
    for request in auth.requests:
        found |= {request[k] for k in ("refresh_token", "device_code", "code") if k in request}
    return found | set(auth.access)


def test_login_send_expire_refresh_send_revoke_one_line(
    run: Run,
    home: Path,
    signed_in: MemoryKeyring,
    auth_server: AuthServer,
    oauth_smtp: OAuthSink,
) -> None:
    key = f"generic:{auth_server.user}"
    assert sorted(signed_in.items) == [("followup-oauth", key), ("followup-oauth", f"{key}#access")]
    config = (home / "config.toml").read_text()
    assert 'auth = "oauth2"' in config

    first = due_interview(run)
    r = run("send", first)
    assert r.code == 0, r.err
    assert len(oauth_smtp.received) == 1 and oauth_smtp.logins == [auth_server.user]

    auth_server.expire_access_tokens()  # the server forgets every access token it gave
    second = due_interview(run, "Alan Turing <alan@acme.example>")
    r = run("send", second)
    assert r.code == 0, r.err
    assert len(oauth_smtp.received) == 2
    refreshes = [q for q in auth_server.requests if q.get("grant_type") == "refresh_token"]
    assert len(refreshes) == 1  # the sign-in's token served the first send; refused, renewed

    auth_server.revoke()
    third = due_interview(run, "Ada Lovelace <ada@acme.example>")
    r = run("send", third)
    assert r.code == ExitCode.CONFLICT
    assert "sign in again: followup mail login" in r.out
    assert r.err.count("\n") == 1 and r.err.endswith("sign in again: followup mail login\n")
    assert len(oauth_smtp.received) == 2  # nothing sent
    assert next(n["state"] for n in notes(run, third)) == "pending"  # nothing lost
    tested = run("mail", "test")
    assert "SMTP: FAILED — the sign-in was refused (invalid_grant): sign in again:" in tested.out

    outputs = [r.out, r.err, tested.out, tested.err, (home / "config.toml").read_text()]
    for args in (("config", "show"), ("config", "show", "--json"), ("show", third, "--json")):
        shown = run(*args)
        outputs += [shown.out, shown.err]
    for secret in secrets_of(auth_server, signed_in):
        assert all(secret not in text for text in outputs), "a token was shown"


def test_two_commands_in_a_row_make_one_token_request(
    run: Run,
    signed_in: MemoryKeyring,
    auth_server: AuthServer,
    oauth_smtp: OAuthSink,
) -> None:
    """The access token is kept in the keyring beside the refresh token: the next command
    uses it while it is valid for a minute more, rather than asking the server again."""
    key = ("followup-oauth", f"generic:{auth_server.user}#access")
    signed_in.items.pop(key, None)  # signed in with nothing kept but the refresh token
    before = len(auth_server.token_requests())
    first, second = due_interview(run), due_interview(run, "Alan Turing <alan@acme.example>")
    assert run("send", first).code == 0
    assert run("send", second).code == 0
    assert len(oauth_smtp.received) == 2
    assert len(auth_server.token_requests()) - before == 1  # one refresh for both commands
    assert key in signed_in.items  # kept in the keyring, never in a file or the config
    when, token = signed_in.items[key].split(" ")
    assert auth_server.valid(token) and when.endswith("+00:00")


def test_a_revoked_grant_leaves_the_worker_idle_not_failing(
    run: Run,
    signed_in: MemoryKeyring,
    auth_server: AuthServer,
    oauth_smtp: OAuthSink,
) -> None:
    iid = due_interview(run)
    assert run("send", iid, "--when-due").code == 0
    auth_server.revoke()
    r = run("worker", "--once")
    assert r.code == 0, r.err
    assert "sign in again: followup mail login" in r.err
    assert "idle" in r.err
    assert oauth_smtp.received == []
    assert next(n["state"] for n in notes(run, iid)) == "pending"
    for secret in secrets_of(auth_server, signed_in):
        assert secret not in r.out + r.err


def test_a_kept_token_the_server_refuses_is_refreshed_once_and_the_send_goes(
    auth_server: AuthServer,
    oauth_smtp: OAuthSink,
) -> None:
    """The worker keeps its access token between visits: expired early (or revoked and
    granted again), the login is refused once, refreshed, and the message goes."""
    from datetime import UTC, datetime

    from followup.adapters.mail.oauth_http import HttpTokenEndpoint
    from followup.adapters.mail.smtp import SmtpMailer
    from followup.app.oauth import Tokens
    from tests.unit.test_oauth import Store

    now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    endpoint = HttpTokenEndpoint(f"{auth_server.url}/token", CLIENT_ID, "mail", lambda: now)
    tokens = Tokens("grace", endpoint, Store({"grace": auth_server.grant()}), lambda: now)
    mailer = SmtpMailer(oauth_smtp.host, oauth_smtp.port, "none", auth_server.user, oauth=tokens)
    raw = b"From: grace@example.org\r\nTo: ada@acme.example\r\nSubject: Hi\r\n\r\nHi\r\n"
    mailer.send(raw, auth_server.user, ["ada@acme.example"])
    auth_server.expire_access_tokens()
    mailer.send(raw, auth_server.user, ["ada@acme.example"])
    assert oauth_smtp.logins == [auth_server.user, "refused", auth_server.user]
    assert tokens.refreshes == 2 and len(oauth_smtp.received) == 2


# --- IMAP: a Dovecot whose oauth2 passdb asks the authorization server about each token ---


class OAuthDovecot(Dovecot):
    """Dovecot's oauth2 passdb introspecting each bearer token at the authorization server
    (RFC 7662, `introspection_mode = post`, as the mail-server client with its secret)."""

    AUTH_MECHANISMS = "xoauth2 oauthbearer"
    PASSDB = """\
passdb {{
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = {root}/oauth2.conf.ext
}}"""

    def __init__(self, auth_url: str) -> None:
        super().__init__()
        self.auth_url = auth_url

    def _write_extra(self) -> None:
        credentials = f"{MAIL_SERVER_ID}:{MAIL_SERVER_SECRET}@"
        introspect = self.auth_url.replace("http://", f"http://{credentials}") + "/introspect"
        (self.root / "oauth2.conf.ext").write_text(
            f"introspection_mode = post\n"
            f"introspection_url = {introspect}\n"
            f"client_id = {MAIL_SERVER_ID}\n"
            f"client_secret = {MAIL_SERVER_SECRET}\n"
            "active_attribute = active\n"
            "active_value = true\n"
            "username_attribute = username\n"
        )


@pytest.fixture
def oauth_dovecot(auth_server: AuthServer) -> Iterator[OAuthDovecot]:
    server = OAuthDovecot(auth_server.url)
    try:
        server.start()
    except DovecotError as exc:
        server.stop()
        pytest.fail(f"cannot start the OAuth2 Dovecot: {exc}", pytrace=False)
    yield server
    server.stop()


@pytest.mark.parametrize("mechanism", ["xoauth2", "oauthbearer"])
def test_imap_login_sync_expire_refresh_revoke_against_dovecot(
    run: Run,
    home: Path,
    auth_server: AuthServer,
    oauth_smtp: OAuthSink,
    oauth_dovecot: OAuthDovecot,
    memory_keyring: MemoryKeyring,
    mechanism: str,
) -> None:
    account = oauth_dovecot.add_user()
    auth_server.user = account.username
    for key, value in (
        ("user.name", "Grace Hopper"),
        ("user.email", "grace@example.org"),
        ("mail.username", account.username),
        ("mail.imap_host", oauth_dovecot.host),
        ("mail.imap_port", str(oauth_dovecot.port)),
        ("mail.imap_security", "none"),
        ("mail.smtp_host", oauth_smtp.host),
        ("mail.smtp_port", str(oauth_smtp.port)),
        ("mail.smtp_security", "none"),
        ("mail.oauth.provider", "generic"),
        ("mail.oauth.client_id", CLIENT_ID),
        ("mail.oauth.token_endpoint", f"{auth_server.url}/token"),
        ("mail.oauth.device_endpoint", f"{auth_server.url}/devicecode"),
        ("mail.oauth.mechanism", mechanism),
    ):
        assert run("config", "set", key, value).code == 0
    auth_server.auto_approve = True
    assert run("mail", "login").code == 0

    tested = run("mail", "test")
    assert tested.code == 0, tested.out + oauth_dovecot.log()
    assert f"ok: logged in as {account.username}" in tested.out
    assert f"method={mechanism.upper()}" in oauth_dovecot.log()
    oauth_dovecot.write_maildir(account, [b"From: a@acme.example\r\nSubject: x\r\n\r\nx\r\n"])
    synced = run("sync", "--json")
    assert synced.code == 0, synced.err
    assert synced.json["read"] >= 1

    iid = due_interview(run)
    drafted = run("send", iid)  # mail.mode drafts: saved to Drafts over the OAuth2 login
    assert drafted.code == 0 and "drafted" in drafted.out, drafted.out + drafted.err

    auth_server.expire_access_tokens()
    assert run("sync").code == 0  # a fresh token from the refresh token
    checks = [q for q in auth_server.requests if q["path"] == "/introspect"]
    assert len(checks) >= 3  # Dovecot asked about each token

    auth_server.revoke()
    refused = run("sync")
    assert refused.code == ExitCode.CONFLICT
    assert refused.err.count("\n") == 1
    assert refused.err.endswith("sign in again: followup mail login\n")
    for secret in secrets_of(auth_server, memory_keyring):
        assert secret not in tested.out + synced.out + refused.err
