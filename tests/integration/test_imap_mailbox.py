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
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pytest

from followup.adapters.mail.imap import ImapMailbox
from followup.app.mailports import FetchedMessage, MailError
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
    """The server drops the user's connections (as on a restart or an idle timeout) — and
    has dropped them when this returns: `doveadm kick` only signals the imap processes, and
    a command sent before one exits is still answered (CI saw a fetch succeed after it)."""
    doveadm = ["doveadm", "-c", str(dovecot.root / "dovecot.conf")]
    subprocess.run([*doveadm, "kick", account.username], check=True, capture_output=True)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        who = subprocess.run([*doveadm, "who", account.username], capture_output=True, text=True)
        if account.username not in who.stdout:
            return
        time.sleep(0.05)
    raise AssertionError(f"{account.username} is still connected after doveadm kick")


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
        full = box.fetch_full("INBOX", [m.uid for m in got])
    assert [m.raw for m in got] == [raw[: raw.index(b"\r\n\r\n") + 4] for raw in raws]
    assert [m.raw for m in full] == raws
    assert point.last_uid == got[-1].uid


@pytest.mark.integration
def test_an_error_in_each_mid_pipeline_leaves_a_mailbox_that_works(
    dovecot: Dovecot, imap_account: Account
) -> None:
    """`each` raises while later UID FETCHes are still in flight: their answers must not be
    read as the answers to the next command."""
    raws = [RAW.replace(b"r.1@", f"r.{n}@".encode()) for n in range(9)]
    dovecot.append(imap_account, "INBOX", raws)
    calls = []

    def stop(batch: Sequence[FetchedMessage], total: int) -> None:
        calls.append((len(batch), total))
        raise RuntimeError("stop")

    with ImapMailbox(
        dovecot.host, dovecot.port, "none", imap_account.username, imap_account.password, batch=2
    ) as box:
        with pytest.raises(RuntimeError):
            box.fetch_new("INBOX", None, stop)  # five UID FETCHes, four sent at once
        assert len(calls) == 1 and calls[0][1] == 9
        got, _ = box.fetch_new("INBOX", None)
        full = box.fetch_full("INBOX", [m.uid for m in got])
    assert [m.raw for m in full] == raws


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


class ScriptedImap(imaplib.IMAP4):
    """imaplib itself, on a canned server: each command gets `reply` (or `reply(command)`),
    then its tagged line (none when `tagged` is None), in the order they were sent."""

    def __init__(
        self, reply: bytes | Callable[[bytes], bytes], tagged: bytes | None = b"OK done"
    ) -> None:
        self.reply, self.tagged = reply, tagged
        self.sent: list[bytes] = []
        self.in_flight = self.most_in_flight = 0
        super().__init__("scripted")  # reads the greeting through open()
        self.state = "SELECTED"

    def open(self, host: str = "", port: int = 0, timeout: float | None = None) -> None:
        self.buffer, self.at = b"* OK [CAPABILITY IMAP4rev1] ready\r\n", 0

    def send(self, data: Any) -> None:
        tag, command = bytes(data).split(b" ", 1)
        if command.startswith(b"CAPABILITY"):  # asked once, by imaplib's constructor
            self.buffer += b"* CAPABILITY IMAP4rev1\r\n" + tag + b" OK done\r\n"
            return
        self.sent.append(data)
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        self.buffer += self.reply(command) if callable(self.reply) else self.reply
        if self.tagged is not None:
            self.buffer += tag + b" " + self.tagged + b"\r\n"

    def readline(self) -> bytes:
        end = self.buffer.find(b"\n", self.at)
        end = len(self.buffer) if end < 0 else end + 1
        line, self.at = self.buffer[self.at : end], end
        if any(line.startswith(sent.split(b" ", 1)[0] + b" ") for sent in self.sent):
            self.in_flight -= 1
        return line

    def read(self, size: int) -> bytes:
        data, self.at = self.buffer[self.at : self.at + size], self.at + size
        return data

    def shutdown(self) -> None:
        pass


class Client:
    def __init__(self, imap: imaplib.IMAP4) -> None:
        self._imap = imap


QUERY = "(BODY.PEEK[HEADER] BODY.PEEK[TEXT]<0.16384>)"
SHAPES = [  # what a server may send, and the literals by UID
    (  # the usual shape, twice, with another client's flag change between them
        b"* 1 FETCH (UID 7 BODY[HEADER] {4}\r\nH1\r\n BODY[TEXT]<0> {2}\r\nT1)\r\n"
        b"* 2 FETCH (FLAGS (\\Seen))\r\n* 3 EXISTS\r\n"
        b"* 3 FETCH (UID 9 BODY[HEADER] {4}\r\nH3\r\n BODY[TEXT]<0> {0}\r\n)\r\n",
        {7: b"H1\r\nT1", 9: b"H3\r\n"},
    ),
    (b'* 1 FETCH (UID 7 BODY[HEADER] {4}\r\nH1\r\n BODY[TEXT]<0> "")\r\n', {7: b"H1\r\n"}),
    (b"* 1 FETCH (UID 7 BODY[HEADER] {4}\r\nH1\r\n BODY[TEXT]<0> NIL)\r\n", {7: b"H1\r\n"}),
    (  # the UID after the first literal
        b"* 1 FETCH (BODY[HEADER] {4}\r\nH1\r\n UID 7 BODY[TEXT]<0> {2}\r\nT1)\r\n",
        {7: b"H1\r\nT1"},
    ),
    (b"* 1 FETCH (UID 7 BODY[HEADER] {4}\r\nH1\r\n)\r\n", {7: b"H1\r\n"}),  # the header alone
    (b"", {}),  # none of the UIDs is there any more
    (  # the usual shape, then another one in the same response
        b"* 1 FETCH (UID 7 BODY[HEADER] {4}\r\nH1\r\n)\r\n"
        b"* 2 FETCH (UID 9 FLAGS (\\Seen) BODY[HEADER] {4}\r\nH3\r\n)\r\n",
        {7: b"H1\r\n", 9: b"H3\r\n"},
    ),
    (  # flags after the literals
        b"* 1 FETCH (UID 7 BODY[HEADER] {4}\r\nH1\r\n BODY[TEXT]<0> {2}\r\nT1 FLAGS ())\r\n",
        {7: b"H1\r\nT1"},
    ),
    (b"* 1 FETCH (UID 7 BODY[HEADER] {4}\r\nH1\r\n FLAGS ())\r\n", {7: b"H1\r\n"}),
]


@pytest.mark.parametrize(("wire", "literals"), SHAPES)
def test_the_lean_reader_reads_what_imaplib_and_imapclient_read(
    wire: bytes, literals: dict[int, bytes]
) -> None:
    from imapclient.response_parser import parse_fetch_response

    from followup.adapters.mail.imap import _joined, _uid_fetches

    typ, data = ScriptedImap(wire).uid("FETCH", "7,9", QUERY)
    assert typ == "OK"
    assert (_joined(parse_fetch_response(data, True, True)) if data != [None] else {}) == literals
    imap = ScriptedImap(wire)
    assert list(_uid_fetches(imap, ["7,9"], QUERY)) == [literals]
    [command] = imap.sent
    assert command.split(b" ", 1)[1] == b"UID FETCH 7,9 " + QUERY.encode() + b"\r\n"


@pytest.mark.parametrize(("wire", "literals"), SHAPES)
def test_every_shape_gives_the_literals_by_uid(wire: bytes, literals: dict[int, bytes]) -> None:
    from followup.adapters.mail.imap import _fetch_batches

    assert list(_fetch_batches(Client(ScriptedImap(wire)), [[7, 9]], QUERY)) == [literals]


def one_message(command: bytes) -> bytes:
    """A reply to `UID FETCH n ...`: message n, its header "Hn"."""
    uid = int(command.split()[2])
    return b"* %d FETCH (UID %d BODY[HEADER] {3}\r\nH%-2d)\r\n" % (uid, uid, uid)


def test_batches_are_fetched_a_few_commands_in_flight_at_once() -> None:
    from followup.adapters.mail.imap import PIPELINE, _fetch_batches

    imap = ScriptedImap(one_message)
    batches = _fetch_batches(Client(imap), [[uid] for uid in range(1, 11)], "(BODY.PEEK[HEADER])")
    assert list(batches) == [{uid: b"H%-2d" % uid} for uid in range(1, 11)]
    assert len(imap.sent) == 10 and 1 < imap.most_in_flight <= PIPELINE
    assert imap.in_flight == 0  # every command answered


def test_a_refused_batch_is_an_error_once_the_others_have_ended() -> None:
    from followup.adapters.mail.imap import _uid_fetches

    def refuse_the_second(command: bytes) -> bytes:
        return b"" if b" 2 " in command else one_message(command)

    imap = ScriptedImap(refuse_the_second, tagged=None)  # tagged lines by hand: NO for the second

    def send(data: bytes) -> None:
        ScriptedImap.send(imap, data)
        tag = data.split(b" ", 1)[0]
        imap.buffer += tag + (b" NO [SERVERBUG] oops\r\n" if b" 2 " in data else b" OK done\r\n")

    imap.send = send  # type: ignore[method-assign]
    got = []
    with pytest.raises(imaplib.IMAP4.error, match="SERVERBUG"):
        for data in _uid_fetches(imap, ["1", "2", "3", "4", "5", "6"], "(BODY.PEEK[HEADER])"):
            got.append(data)
    assert len(got) == 1  # the first batch, before the refusal
    assert imap.in_flight == 0 and len(imap.sent) < 6  # no new command after the refusal


def test_the_lean_reader_turns_a_bye_and_a_dropped_connection_into_aborts() -> None:
    from followup.adapters.mail.imap import _uid_fetches

    with pytest.raises(imaplib.IMAP4.abort, match="shutting down"):
        list(_uid_fetches(ScriptedImap(b"* BYE shutting down\r\n"), ["7"], QUERY))
    cut = ScriptedImap(b"* 1 FETCH (UID 7 BODY[HEADER] {40}\r\nH1", tagged=None)  # EOF inside
    with pytest.raises(imaplib.IMAP4.abort, match="EOF"):
        list(_uid_fetches(cut, ["7"], QUERY))


def test_a_client_without_imaplib_inside_uses_imapclients_fetch() -> None:
    from followup.adapters.mail.imap import _fetch_batches

    class Client:
        def fetch(self, uids: list[int], items: list[bytes]) -> dict[int, dict[bytes, bytes]]:
            assert items == [b"BODY.PEEK[HEADER]", b"BODY.PEEK[TEXT]<0.16384>"]
            return {uid: {b"BODY[HEADER]": b"H"} for uid in uids}

    query = "(BODY.PEEK[HEADER] BODY.PEEK[TEXT]<0.16384>)"
    assert list(_fetch_batches(Client(), [[3], [4]], query)) == [{3: b"H"}, {4: b"H"}]


def test_uid_sets_are_compact() -> None:
    from followup.adapters.mail.imap import _uid_set

    assert _uid_set([1, 2, 3, 7, 9, 10, 11, 20]) == "1:3,7,9:11,20"
    assert _uid_set([5]) == "5"
