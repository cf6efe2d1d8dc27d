"""Issue #18's cold trial of OAuth2 mail accounts: each finding as a test (one line, exit 4,
nothing kept, the worker never dies)."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from followup.app.errors import ExitCode
from tests.conftest import Run
from tests.oauth_server import CLIENT_ID, MemoryKeyring

USER = "ada@example.org"
KEY = ("followup-oauth", f"generic:{USER}")


class Canned(http.server.ThreadingHTTPServer):
    """A token endpoint on 127.0.0.1 that answers every POST with `body` (status `status`)."""

    daemon_threads = True
    body: bytes = b"{}"
    status = 200
    posts = 0
    location = ""


class _Handler(http.server.BaseHTTPRequestHandler):
    server: Canned

    def do_POST(self) -> None:
        self.server.posts += 1
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(self.server.status)
        self.send_header("Content-Type", "application/json")
        if self.server.location:
            self.send_header("Location", self.server.location)
        self.send_header("Content-Length", str(len(self.server.body)))
        self.end_headers()
        self.wfile.write(self.server.body)

    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture
def canned() -> Iterator[Canned]:
    server = Canned(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def configure(run: Run, token_url: str, **more: str) -> None:
    for key, value in (
        ("user.email", USER),
        ("mail.auth", "oauth2"),
        ("mail.oauth.provider", "generic"),
        ("mail.oauth.client_id", CLIENT_ID),
        ("mail.oauth.token_endpoint", token_url),
        ("mail.oauth.device_endpoint", token_url.replace("/token", "/devicecode")),
        ("mail.imap_host", "127.0.0.1"),
        ("mail.imap_port", "1"),
        ("mail.imap_security", "none"),
        ("mail.smtp_host", "127.0.0.1"),
        ("mail.smtp_port", "1"),
        ("mail.smtp_security", "none"),
        *more.items(),
    ):
        r = run("config", "set", key, value)
        assert r.code == 0, (key, r.err)


def one_line(err: str) -> bool:
    return err.count("\n") == 1 and "Traceback" not in err and "internal error" not in err


# --- 1: an http:// token endpoint off this machine ---------------------------------------


@pytest.mark.parametrize("key", ["token_endpoint", "device_endpoint", "authorization_endpoint"])
def test_config_set_refuses_a_plain_http_endpoint_off_this_machine(
    run: Run, home: Path, key: str
) -> None:
    r = run("config", "set", f"mail.oauth.{key}", "http://10.0.0.5/token")
    assert r.code == ExitCode.INVALID and one_line(r.err), r.err
    assert "https://" in r.err
    assert (
        "10.0.0.5" not in (home / "config.toml").read_text()
        if (home / "config.toml").exists()
        else True
    )
    assert run("config", "set", f"mail.oauth.{key}", "http://127.0.0.1:9/token").code == 0
    assert run("config", "set", f"mail.oauth.{key}", "https://login.example/token").code == 0


def hand_edited(run: Run, home: Path) -> None:
    """The config file edited by hand past `config set`'s rule."""
    configure(run, "http://127.0.0.1:9/token")
    path = home / "config.toml"
    path.write_text(path.read_text().replace("http://127.0.0.1:9/", "http://10.0.0.5/"))


def test_a_hand_edited_http_endpoint_is_one_line_everywhere(
    run: Run, home: Path, memory_keyring: MemoryKeyring
) -> None:
    hand_edited(run, home)
    for args in (("sync",), ("mail", "login")):
        r = run(*args)
        assert r.code == ExitCode.INVALID and one_line(r.err), (args, r.err)
        assert "https://" in r.err
    r = run("mail", "test")
    assert "internal error" not in r.err and "Traceback" not in r.err
    assert "https://" in r.out + r.err
    r = run("worker", "--once")
    assert r.code == 0, r.err
    assert "internal error" not in r.err and "https://" in r.err


# --- 2: control characters in a token answer ----------------------------------------------


def test_a_token_with_control_characters_is_refused_and_nothing_kept(canned: Canned) -> None:
    from datetime import UTC, datetime

    from followup.adapters.mail.oauth_http import HttpTokenEndpoint
    from followup.app.oauth import OAuthError, Tokens

    class Store(dict[str, str]):
        def put(self, name: str, secret: str) -> None:
            self[name] = secret

        def delete(self, name: str) -> None:
            self.pop(name, None)

    canned.body = json.dumps(
        {"access_token": "tok\r\nX", "refresh_token": "r\x01x", "expires_in": 3600}
    ).encode()
    url = f"http://127.0.0.1:{canned.server_address[1]}/token"
    now = lambda: datetime(2026, 3, 2, tzinfo=UTC)  # noqa: E731
    store = Store({"k": "good-refresh"})
    tokens = Tokens("k", HttpTokenEndpoint(url, CLIENT_ID, "s", now), store, now)
    with pytest.raises(OAuthError) as caught:
        tokens.access_token()
    assert "\r" not in str(caught.value) and "\x01" not in str(caught.value)
    assert store == {"k": "good-refresh"}  # the bad refresh token is not kept, nor the access
    canned.body = json.dumps({"access_token": "fine-token~ ok", "expires_in": 3600}).encode()
    assert tokens.access_token() == "fine-token~ ok"


def test_the_worker_survives_any_error_of_an_account(
    run: Run, home: Path, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    from followup.app import sending

    configure(run, "http://127.0.0.1:9/token")

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("a SASL field is empty or holds a control character")

    monkeypatch.setattr(sending, "reconcile", broken)
    r = run("worker", "--once")
    assert r.code == 0, r.err
    assert "internal error" not in r.err and "Traceback" not in r.err
    assert "local: unexpected ValueError: idle" in r.err


# --- 3: a token endpoint that drips one byte at a time ------------------------------------


@pytest.fixture
def drip() -> Iterator[tuple[str, list[bool]]]:
    """An endpoint on 127.0.0.1 that answers a byte every 0.2 s, for ever (until closed)."""
    import socket
    import time

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    done: list[bool] = []

    def serve() -> None:
        conn, _ = listener.accept()
        conn.recv(65536)
        try:
            for byte in b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" * 1000:
                conn.send(bytes([byte]))
                time.sleep(0.2)
        except OSError:
            done.append(True)  # the client hung up
        finally:
            conn.close()

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/token", done
    finally:
        listener.close()


def test_a_slow_drip_endpoint_is_cut_off_at_the_deadline(drip: tuple[str, list[bool]]) -> None:
    import time

    from followup.adapters.mail.oauth_http import post_form
    from followup.app.oauth import OAuthError

    url, _ = drip
    started = time.monotonic()
    with pytest.raises(OAuthError, match=r"did not answer within 1\.5 s") as caught:
        post_form(url, {"grant_type": "refresh_token"}, timeout=1.5)
    assert time.monotonic() - started < 10  # each byte came within the socket's timeout
    assert caught.value.temporary


# --- 6: redirects and the server's own error text -----------------------------------------


def test_a_redirect_is_never_followed(canned: Canned) -> None:
    from followup.adapters.mail.oauth_http import post_form
    from followup.app.oauth import OAuthError

    canned.status, canned.location = 302, "http://10.9.9.9/token"
    with pytest.raises(OAuthError, match=r"redirect.*10\.9\.9\.9.*not followed"):
        post_form(f"http://127.0.0.1:{canned.server_address[1]}/token", {"a": "b"}, timeout=5)
    assert canned.posts == 1


def test_an_unknown_error_code_is_not_echoed(canned: Canned) -> None:
    from followup.adapters.mail.oauth_http import post_form
    from followup.app.oauth import OAuthError

    url = f"http://127.0.0.1:{canned.server_address[1]}/token"
    canned.status, canned.body = 400, b'{"error": "invalid_grantRT_SECRET_4f9a2c"}'
    with pytest.raises(OAuthError) as caught:
        post_form(url, {"a": "b"})
    assert "RT_SECRET" not in str(caught.value)
    assert str(caught.value).endswith("refused: (unknown error code)")
    assert caught.value.error == ""
    canned.body = b'{"error": "invalid_grant"}'
    with pytest.raises(OAuthError, match=r"refused: invalid_grant$") as caught:
        post_form(url, {"a": "b"})
    assert caught.value.error == "invalid_grant"


# --- 4: the dashboard's budget holds for the token endpoint too -----------------------------


@pytest.fixture
def silent() -> Iterator[str]:
    """A token endpoint that takes the connection and never answers (nobody accepts it)."""
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/token"
    finally:
        listener.close()


def test_the_dashboards_mail_calls_wait_once_and_briefly_for_the_token_endpoint(
    run: Run, home: Path, memory_keyring: MemoryKeyring, silent: str
) -> None:
    import time

    from followup.app.oauth import OAuthError
    from followup.bootstrap import MailSetup

    configure(run, silent)
    memory_keyring.items[KEY] = "a-refresh-token"
    setup = MailSetup(home, connect_timeout=1.0)  # as the dashboard's routes make it
    tokens = setup.tokens()
    assert tokens is not None
    waits = []
    for _ in ("smtp", "imap"):  # each connection the Test button checks asks for a token
        started = time.monotonic()
        with pytest.raises(OAuthError, match=r"did not answer within 1 s"):
            tokens.access_token()
        waits.append(time.monotonic() - started)
    assert waits[0] < 10  # the short budget, not 20 s (loose: a loaded machine is slow)
    assert waits[1] < 0.5  # the endpoint is not asked again in the same request


# --- 7: `mail password`, and the lines that point to it ---------------------------------


def test_mail_password_keeps_it_in_the_keyring(run: Run, memory_keyring: MemoryKeyring) -> None:
    assert run("config", "set", "user.email", USER).code == 0
    assert run("config", "set", "mail.smtp_host", "smtp.example.org").code == 0
    r = run("mail", "password", stdin="s3cret pass\ns3cret pass\n")
    assert r.code == 0, r.err
    assert memory_keyring.items[("followup", USER)] == "s3cret pass"
    assert "s3cret" not in r.out + r.err


def test_mail_password_without_a_keyring_is_one_line_naming_the_docs_section(
    run: Run, home: Path
) -> None:
    import keyring
    from keyring.backends import fail

    assert run("config", "set", "user.email", USER).code == 0
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    try:
        r = run("mail", "password", stdin="x\nx\n")
    finally:
        keyring.set_keyring(before)
    assert r.code == ExitCode.INVALID and r.err.splitlines()[-1].count("No keyring?") == 1
    section = "### No keyring?"
    assert section in (Path(__file__).parents[2] / "docs" / "mail.md").read_text()


def test_no_password_names_the_keyring_way(run: Run, home: Path) -> None:
    from followup.app.errors import InvalidInput
    from followup.bootstrap import MailSetup

    assert run("config", "set", "user.email", USER).code == 0
    account = MailSetup(home).account
    import keyring
    from keyring.backends import fail

    from followup.config.mail import password

    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    try:
        with pytest.raises(InvalidInput, match="followup mail password"):
            password(account)
    finally:
        keyring.set_keyring(before)


def test_mail_login_json_does_not_call_the_code_a_warning(
    run: Run, memory_keyring: MemoryKeyring, auth_server: Any
) -> None:
    from tests.cli.test_mail_login import configure as configure_login

    configure_login(run, auth_server)
    threading.Timer(0.3, auth_server.deny).start()
    r = run("mail", "login", "--json")
    assert "followup: To sign in, open " in r.err
    assert "warning" not in r.err


# --- 7: Proton Mail Bridge ---------------------------------------------------------------


def test_a_missing_ca_file_is_refused_at_config_set(run: Run, home: Path, tmp_path: Path) -> None:
    r = run("config", "set", "mail.ca_file", str(tmp_path / "bridge.pem"))
    assert r.code == ExitCode.INVALID and one_line(r.err), r.err
    assert "bridge.pem" in r.err
    (tmp_path / "bridge.pem").write_text("-----BEGIN CERTIFICATE-----\n")
    assert run("config", "set", "mail.ca_file", str(tmp_path / "bridge.pem")).code == 0


def test_a_refused_connection_to_proton_bridge_asks_whether_it_runs(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed = str(probe.getsockname()[1])
    for key, value in (
        ("user.email", "ada@proton.me"),
        ("mail.provider", "proton"),
        ("mail.imap_port", closed),
        ("mail.smtp_port", closed),
    ):
        assert run("config", "set", key, value).code == 0
    monkeypatch.setenv("FOLLOWUP_MAIL_PASSWORD", "bridge-password")
    r = run("mail", "test")
    assert r.code != 0
    lines = [line for line in r.out.splitlines() if "FAILED" in line]
    assert len(lines) == 2 and all("is Proton Mail Bridge running?" in line for line in lines)
