"""`followup mail setup` end to end against real servers on loopback: the servers an
autoconfig file names (a stub resolver hands it over: no network), then `mail test` logs in
to the real Dovecot over implicit TLS and to an SMTP server over implicit TLS."""

from __future__ import annotations

import ssl
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from tests.cli.test_mail_setup import SECRET
from tests.conftest import Run
from tests.integration.dovecot import Account, Dovecot, free_port
from tests.integration.smtp_sink import Sink
from tests.unit.test_mailsetup import StubResolver

pytestmark = pytest.mark.integration


@pytest.fixture
def tls_sink(dovecot: Dovecot) -> Iterator[Sink]:
    """An SMTP server with implicit TLS, on Dovecot's test certificate."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls = Path(dovecot.ca_file).parent
    context.load_cert_chain(tls / "cert.pem", tls / "key.pem")
    sink = Sink(port=free_port())
    controller = Controller(sink, hostname=sink.host, port=sink.port, ssl_context=context)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()


def test_setup_from_autoconfig_then_mail_test_logs_in_to_both(
    run: Run,
    home: Path,
    dovecot: Dovecot,
    imap_account: Account,
    tls_sink: Sink,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    address = f"{imap_account.username}@acme.example"
    autoconfig = f"""<clientConfig version="1.1"><emailProvider id="acme.example">
      <displayName>Acme Mail</displayName>
      <incomingServer type="imap"><hostname>{dovecot.host}</hostname>
        <port>{dovecot.ssl_port}</port><socketType>SSL</socketType>
        <username>%EMAILLOCALPART%</username></incomingServer>
      <outgoingServer type="smtp"><hostname>{tls_sink.host}</hostname>
        <port>{tls_sink.port}</port><socketType>SSL</socketType>
        <username>%EMAILLOCALPART%</username></outgoingServer>
    </emailProvider></clientConfig>""".encode()
    stub = StubResolver(autoconfig={"acme.example": autoconfig})
    monkeypatch.setattr("followup.bootstrap.mail_resolver", lambda: stub)
    monkeypatch.setenv("FOLLOWUP_MAIL_PASSWORD", imap_account.password)
    assert run("config", "set", "mail.ca_file", dovecot.ca_file).code == 0

    r = run("mail", "setup", "--address", address, "--yes")
    assert r.code == 0, r.out + r.err
    assert "Servers (recognised by the autoconfig file of Acme Mail)" in r.out
    assert "SMTP: SMTP 127.0.0.1" in r.out and "IMAP: IMAP 127.0.0.1" in r.out
    assert f"ok: logged in as {imap_account.username}" in r.out and "FAILED" not in r.out
    written = tomllib.loads((home / "config.toml").read_text())["mail"]
    assert written == {
        "ca_file": dovecot.ca_file,  # the user's own: kept
        "from_address": address,
        "username": imap_account.username,
        "imap_host": dovecot.host,
        "imap_port": dovecot.ssl_port,
        "smtp_host": tls_sink.host,
        "smtp_port": tls_sink.port,
    }
    assert imap_account.password not in r.out + r.err


def test_a_wrong_password_after_setup_is_one_line_per_server(
    run: Run,
    dovecot: Dovecot,
    imap_account: Account,
    tls_sink: Sink,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stub = StubResolver(
        srv={
            "_imaps._tcp.acme.example": [(dovecot.host, dovecot.ssl_port)],
            "_submissions._tcp.acme.example": [(tls_sink.host, tls_sink.port)],
        }
    )
    monkeypatch.setattr("followup.bootstrap.mail_resolver", lambda: stub)
    monkeypatch.setenv("FOLLOWUP_MAIL_PASSWORD", SECRET)
    assert run("config", "set", "mail.ca_file", dovecot.ca_file).code == 0
    r = run("mail", "setup", "--address", "x@acme.example", "--username",
            imap_account.username, "--yes", "--json")  # fmt: skip
    assert r.code == 5, r.err
    assert r.json["found_by"] == "the domain's SRV records (RFC 6186)"
    assert r.json["test"]["imap"].startswith("FAILED — IMAP login failed")
    assert SECRET not in r.out + r.err
