"""The IMAP adapter's own behaviours beyond the contract: security, errors, reconnecting.

The contract (tests/contract/test_mailbox_contract.py) covers what every Mailbox does; this
covers what only a real connection can get wrong, against the session's Dovecot.
"""

from __future__ import annotations

import imaplib
import socket
import subprocess
import threading
import time
from collections.abc import Iterator

import pytest

from followup.adapters.mail.imap import ImapMailbox
from followup.app.mailports import MailError
from tests.integration.dovecot import Account, Dovecot, DovecotError, free_port

RAW = (
    b"From: ada@acme.example\r\nSubject: Re: Thank you\r\n"
    b"Message-ID: <r.1@acme.example>\r\n\r\nHi\r\n"
)


@pytest.fixture
def plain(dovecot: Dovecot, imap_account: Account) -> Iterator[ImapMailbox]:
    box = ImapMailbox(
        dovecot.host, dovecot.port, "none", imap_account.username, imap_account.password
    )
    yield box
    box.close()


def kick(dovecot: Dovecot, account: Account) -> None:
    """The server drops the user's connections (as on a restart or an idle timeout)."""
    subprocess.run(
        ["doveadm", "-c", str(dovecot.root / "dovecot.conf"), "kick", account.username],
        check=True,
        capture_output=True,
    )


# --- security ----------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["mail.example.com", "192.0.2.10", "10.0.0.1", "[2001:db8::1]"])
def test_no_tls_to_another_host_is_refused_before_connecting(
    host: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("connected")

    monkeypatch.setattr(socket, "create_connection", no_network)
    with pytest.raises(MailError) as caught:
        ImapMailbox(host, 143, "none", "me", "secret")
    assert caught.value.permanent
    assert "without TLS" in str(caught.value) and "secret" not in str(caught.value)


@pytest.mark.parametrize("host", ["127.0.0.1", "127.1.2.3", "::1", "localhost"])
def test_no_tls_is_allowed_on_loopback(host: str) -> None:
    ImapMailbox(host, 143, "none", "me", "secret").close()  # no error, no connection yet


def test_an_unknown_security_mode_is_refused() -> None:
    with pytest.raises(MailError, match="unknown IMAP security"):
        ImapMailbox("127.0.0.1", 143, "tls", "me", "secret")


@pytest.mark.integration
def test_the_password_is_asked_for_only_when_connecting(
    dovecot: Dovecot, imap_account: Account
) -> None:
    asked = []

    def password() -> str:
        asked.append(1)
        return imap_account.password

    with ImapMailbox(dovecot.host, dovecot.port, "none", imap_account.username, password) as box:
        assert asked == []
        box.fetch_new("INBOX", None)
        box.fetch_new("INBOX", None)
    assert asked == [1]


# --- errors, one line each -------------------------------------------------------------


@pytest.mark.integration
def test_a_wrong_password_is_one_permanent_line(dovecot: Dovecot, imap_account: Account) -> None:
    box = ImapMailbox(dovecot.host, dovecot.port, "none", imap_account.username, "wrong pw")
    with pytest.raises(MailError) as caught:
        box.fetch_new("INBOX", None)
    message = str(caught.value)
    assert caught.value.permanent
    assert message.startswith(f"IMAP login failed for {imap_account.username} at 127.0.0.1")
    assert "\n" not in message and "wrong pw" not in message and "b'" not in message


@pytest.mark.integration
def test_a_closed_port_is_not_permanent() -> None:
    box = ImapMailbox("127.0.0.1", free_port(), "none", "me", "secret", timeout=5)
    with pytest.raises(MailError) as caught:
        box.folders()
    assert not caught.value.permanent
    assert str(caught.value).startswith("cannot reach IMAP server 127.0.0.1:")
    assert "\n" not in str(caught.value)


@pytest.mark.integration
def test_an_untrusted_certificate_is_a_permanent_tls_failure(
    dovecot: Dovecot, imap_account: Account
) -> None:
    box = ImapMailbox("localhost", dovecot.ssl_port, "ssl", imap_account.username, "pw")
    with pytest.raises(MailError) as caught:
        box.folders()
    assert caught.value.permanent
    assert "TLS with localhost" in str(caught.value)
    assert "certificate verify failed" in str(caught.value)


@pytest.mark.integration
def test_starttls_with_an_untrusted_certificate_is_refused_before_login(
    dovecot: Dovecot, imap_account: Account
) -> None:
    box = ImapMailbox("localhost", dovecot.port, "starttls", imap_account.username, "pw")
    with pytest.raises(MailError) as caught:
        box.folders()
    assert caught.value.permanent and "certificate verify failed" in str(caught.value)


@pytest.mark.integration
def test_tls_to_the_plain_port_is_a_tls_failure(dovecot: Dovecot, imap_account: Account) -> None:
    box = ImapMailbox(
        "localhost", dovecot.port, "ssl", imap_account.username, "pw", dovecot.ca_file, 5
    )
    with pytest.raises(MailError) as caught:
        box.folders()
    assert caught.value.permanent and "TLS with localhost" in str(caught.value)


# --- a dropped connection ------------------------------------------------------------------


@pytest.mark.integration
def test_a_dropped_connection_is_not_permanent_and_the_next_call_reconnects(
    dovecot: Dovecot, imap_account: Account, plain: ImapMailbox
) -> None:
    dovecot.append(imap_account, "INBOX", [RAW])
    _, point = plain.fetch_new("INBOX", None)
    kick(dovecot, imap_account)
    with pytest.raises(MailError) as caught:
        plain.fetch_new("INBOX", point)
    assert not caught.value.permanent and "lost the connection" in str(caught.value)
    dovecot.append(imap_account, "INBOX", [RAW.replace(b"r.1@", b"r.2@")])
    got, _ = plain.fetch_new("INBOX", point)
    assert [m.raw.count(b"r.2@") for m in got] == [1]


@pytest.mark.integration
def test_a_connection_dropped_during_idle_is_not_permanent(
    dovecot: Dovecot, imap_account: Account, plain: ImapMailbox
) -> None:
    plain.fetch_new("INBOX", None)
    threading.Timer(0.5, kick, (dovecot, imap_account)).start()
    started = time.monotonic()
    with pytest.raises(MailError) as caught:
        plain.wait_for_news("INBOX", 30)
    assert not caught.value.permanent
    assert time.monotonic() - started < 10  # noticed at once, not at the timeout
    assert plain.wait_for_news("INBOX", 0.2) is False  # and it connects again


# --- the rest -----------------------------------------------------------------------------


@pytest.mark.integration
def test_without_idle_it_polls(
    dovecot: Dovecot, plain: ImapMailbox, imap_account: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    import imapclient

    from followup.adapters.mail import imap

    real = imapclient.IMAPClient.has_capability
    monkeypatch.setattr(
        imapclient.IMAPClient,
        "has_capability",
        lambda self, name: name.upper() != "IDLE" and real(self, name),
    )
    monkeypatch.setattr(imap, "POLL_INTERVAL", 0.2)
    plain.fetch_new("INBOX", None)
    assert plain.wait_for_news("INBOX", 0.5) is False
    threading.Timer(0.3, dovecot.append, (imap_account, "INBOX", [RAW])).start()
    assert plain.wait_for_news("INBOX", 10) is True


@pytest.mark.integration
def test_fetching_in_small_batches_gets_everything_once(
    dovecot: Dovecot, imap_account: Account
) -> None:
    raws = [RAW.replace(b"r.1@", f"r.{n}@".encode()) for n in range(7)]
    dovecot.append(imap_account, "INBOX", raws)
    with ImapMailbox(
        dovecot.host, dovecot.port, "none", imap_account.username, imap_account.password, batch=2
    ) as box:
        got, point = box.fetch_new("INBOX", None)
    assert [m.raw for m in got] == raws
    assert point.last_uid == got[-1].uid


@pytest.mark.integration
def test_uids_left_by_expunged_mail_are_skipped(dovecot: Dovecot, imap_account: Account) -> None:
    dovecot.append(imap_account, "INBOX", [RAW, RAW.replace(b"r.1@", b"r.2@")])
    with dovecot.connect(imap_account) as other:
        other.select("INBOX")
        other.uid("STORE", "2", "+FLAGS", "(\\Deleted)")
        other.expunge()
    with ImapMailbox(
        dovecot.host, dovecot.port, "none", imap_account.username, imap_account.password
    ) as box:
        got, point = box.fetch_new("INBOX", None)
        assert [m.uid for m in got] == [1] and point.last_uid == 2
        assert box.wait_for_news("INBOX", 0.3) is False  # the expunged UID is not news


@pytest.mark.integration
def test_check_says_what_it_found(dovecot: Dovecot, imap_account: Account) -> None:
    with ImapMailbox(
        "localhost",
        dovecot.ssl_port,
        "ssl",
        imap_account.username,
        imap_account.password,
        dovecot.ca_file,
    ) as box:
        line = box.check()
    assert line.startswith(f"IMAP localhost:{dovecot.ssl_port} (ssl, TLSv1.")
    assert "drafts = Drafts" in line and "sent = Sent" in line and "\n" not in line


def test_a_missing_dovecot_fails_with_what_to_install() -> None:
    with pytest.raises(DovecotError, match="dovecot-imapd"):
        Dovecot(binary="/nonexistent/dovecot").start()


# --- the fast FETCH parser, on response shapes other servers send -----------------------


def test_the_fast_parser_reads_imaplib_literals_and_skips_unsolicited_flags() -> None:
    from followup.adapters.mail.imap import _parse_fetch

    data = [
        (b"1 (UID 7 BODY[HEADER] {4}", b"H1\r\n"),
        (b" BODY[TEXT]<0> {2}", b"T1"),
        b")",
        b"2 (FLAGS (\\Seen))",  # another client changed a flag meanwhile
        (b"3 (BODY[HEADER] {4}", b"H3\r\n"),  # UID after the literals: not this parser's job
        (b" UID 9 BODY[TEXT]<0> {2}", b"T3"),
        b")",
    ]
    assert _parse_fetch(data[:4]) == {7: b"H1\r\nT1"}
    assert _parse_fetch(data) is None  # so imapclient's parser takes it


@pytest.mark.parametrize(
    "data",
    [
        [(b"1 (UID 7 BODY[HEADER] {4}", b"H1\r\n"), b' BODY[TEXT]<0> "")'],
        [(b"1 (UID 7 BODY[HEADER] {4}", b"H1\r\n"), b" BODY[TEXT]<0> NIL)"],
        [(b"1 (BODY[HEADER] {4}", b"H1\r\n"), (b" UID 7 BODY[TEXT]<0> {2}", b"T1"), b")"],
    ],
)
def test_other_shapes_go_to_imapclients_parser(data: list[object]) -> None:
    from followup.adapters.mail.imap import _fetch_batch, _parse_fetch

    class Imap(imaplib.IMAP4):
        def __init__(self) -> None:
            self.debug = 0

        def uid(self, command: str, *args: str) -> tuple[str, list[object]]:
            return "OK", data

    class Client:
        _imap = Imap()

    assert _parse_fetch(data) is None
    got = _fetch_batch(Client(), [7], "(BODY.PEEK[HEADER] BODY.PEEK[TEXT]<0.16384>)")
    assert got[7] in (b"H1\r\n", b"H1\r\nT1")


def test_a_client_without_imaplib_inside_uses_imapclients_fetch() -> None:
    from followup.adapters.mail.imap import _fetch_batch

    class Client:
        def fetch(self, uids: list[int], items: list[bytes]) -> dict[int, dict[bytes, bytes]]:
            assert items == [b"BODY.PEEK[HEADER]", b"BODY.PEEK[TEXT]<0.16384>"]
            return {uid: {b"BODY[HEADER]": b"H"} for uid in uids}

    query = "(BODY.PEEK[HEADER] BODY.PEEK[TEXT]<0.16384>)"
    assert _fetch_batch(Client(), [3, 4], query) == {3: b"H", 4: b"H"}


def test_uid_sets_are_compact() -> None:
    from followup.adapters.mail.imap import _uid_set

    assert _uid_set([1, 2, 3, 7, 9, 10, 11, 20]) == "1:3,7,9:11,20"
    assert _uid_set([5]) == "5"
