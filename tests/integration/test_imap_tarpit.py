"""An IMAP server that drips its answers (a tarpit: a byte every few seconds, never done) is
cut off at a deadline, not waited on for ever: each read has its own time-out, the drip
beats it, and imaplib reads a line of up to 1 MB. Connecting (greeting, STARTTLS, TLS,
login) has twice the read time-out; each later operation as long, each FETCH batch that and
its size's time. A worker then leaves that seeker for a while: the worker reads a seeker's
inbox before sending their notes, and in its mailbox threads (an attacker trial held a
worker, and every seeker behind it, for 11 minutes with an SMTP tarpit)."""

from __future__ import annotations

import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from followup.adapters.mail.imap import ImapMailbox
from followup.app.mailports import TOO_SLOW, MailError
from tests.conftest import NOW, Run
from tests.integration.smtp_sink import Sink
from tests.integration.test_sending import configure, due_interview, notes

pytestmark = pytest.mark.integration


DRIP_FOR = 20.0  # then it hangs up: a client without a deadline fails these tests, not hangs


class Tarpit:
    """An IMAP "server" on 127.0.0.1 that answers like one until `drip_at`, then drips a
    byte every 0.1 s (for DRIP_FOR s): "greeting" (its first line), "tls greeting" (the same over
    implicit TLS), "starttls" (the CAPABILITY answer right after STARTTLS, over TLS),
    "fetch" (a UID FETCH's literal, after EXAMINE and UID SEARCH found one message)."""

    def __init__(self, drip_at: str, tls: ssl.SSLContext | None = None) -> None:
        self.drip_at, self.tls = drip_at, tls
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.host, self.port = "127.0.0.1", self.listener.getsockname()[1]
        self.stop = threading.Event()
        self.commands: list[str] = []
        self.connections = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._talk, args=(conn,), daemon=True).start()

    def _drip(self, conn: socket.socket, first: bytes) -> None:
        conn.sendall(first)
        end = time.monotonic() + DRIP_FOR
        while not self.stop.wait(0.1) and time.monotonic() < end:
            conn.sendall(b"x")

    def _talk(self, conn: socket.socket) -> None:
        try:
            if self.drip_at == "tls greeting":
                assert self.tls is not None
                conn = self.tls.wrap_socket(conn, server_side=True)
            if self.drip_at.endswith("greeting"):
                return self._drip(conn, b"* OK [CAPABILITY IMAP4rev1] ")
            conn.sendall(b"* OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN] ready\r\n")
            lines = conn.makefile("rb")
            while line := lines.readline():
                tag, _, command = line.decode().rstrip("\r\n").partition(" ")
                self.commands.append(command)
                if command.upper() == "STARTTLS" and self.tls is not None:
                    conn.sendall(f"{tag} OK begin TLS\r\n".encode())
                    conn = self.tls.wrap_socket(conn, server_side=True)
                    lines = conn.makefile("rb")
                elif self._answer(conn, tag, command.upper()):
                    return None
        except OSError:
            pass
        finally:
            conn.close()
        return None

    def _answer(self, conn: socket.socket, tag: str, command: str) -> bool:
        """True once it drips (the conversation is over)."""
        ok = f"{tag} OK done\r\n".encode()
        if command == "CAPABILITY" and isinstance(conn, ssl.SSLSocket):  # after STARTTLS
            self._drip(conn, b"* CAPABILITY IMAP4rev1 ")
            return True
        if command == "CAPABILITY":
            conn.sendall(b"* CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN\r\n" + ok)
        elif command.startswith("EXAMINE"):
            conn.sendall(
                b"* 1 EXISTS\r\n* 0 RECENT\r\n* OK [UIDVALIDITY 7] UIDs valid\r\n"
                b"* OK [UIDNEXT 2] next\r\n" + f"{tag} OK [READ-ONLY] done\r\n".encode()
            )
        elif command.startswith("UID SEARCH"):
            conn.sendall(b"* SEARCH 1\r\n" + ok)
        elif command.startswith("UID FETCH"):
            self._drip(conn, b"* 1 FETCH (UID 1 BODY[HEADER] {4000}\r\nFrom: ada@acme.example\r\n")
            return True
        elif command.startswith("LOGOUT"):
            conn.sendall(b"* BYE bye\r\n" + ok)
            return True
        else:  # LOGIN, NOOP...
            conn.sendall(ok)
        return False

    def close(self) -> None:
        self.stop.set()
        self.listener.close()


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key."""
    where = tmp_path_factory.mktemp("tarpit-tls")
    cert, key = where / "cert.pem", where / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture
def tarpit(certificate: tuple[Path, Path]) -> Iterator[Callable[[str], Tarpit]]:
    made: list[Tarpit] = []
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(*certificate)

    def make(drip_at: str) -> Tarpit:
        made.append(Tarpit(drip_at, tls))
        return made[-1]

    yield make
    for pit in made:
        pit.close()


def _cut_off(call: Callable[[], Any]) -> tuple[MailError, float]:
    started = time.monotonic()
    with pytest.raises(MailError) as caught:
        call()
    return caught.value, time.monotonic() - started


@pytest.mark.parametrize(
    ("drip_at", "security"),
    [("greeting", "none"), ("tls greeting", "ssl"), ("starttls", "starttls")],
)
def test_a_greeting_dripped_is_cut_off_at_connecting_s_deadline(
    tarpit: Callable[[str], Tarpit],
    certificate: tuple[Path, Path],
    drip_at: str,
    security: str,
) -> None:
    pit = tarpit(drip_at)
    ca = str(certificate[0])
    box = ImapMailbox(pit.host, pit.port, security, "grace", "pw", ca, timeout=0.5)  # reads 0.5 s
    error, took = _cut_off(lambda: box.fetch_new("INBOX", None))
    assert 0.9 <= took < 3  # connecting's deadline (twice a read's time-out), not for ever
    assert TOO_SLOW in str(error) and error.permanent  # not tried again at once
    assert "reading INBOX" in str(error)
    assert box._client is None  # dropped: made anew next time
    error, _ = _cut_off(box.check)  # `mail test` too
    assert TOO_SLOW in str(error)
    assert pit.connections == 2


def test_a_fetch_answered_drop_by_drop_is_cut_off(tarpit: Callable[[str], Tarpit]) -> None:
    pit = tarpit("fetch")
    box = ImapMailbox(pit.host, pit.port, "none", "grace", "pw", timeout=0.5)
    seen: list[int] = []
    error, took = _cut_off(lambda: box.fetch_new("INBOX", None, lambda b, _n: seen.append(len(b))))
    # a batch: the operation's deadline and its one header's time at SLOW_LINK (0.06 s)
    assert 1.0 <= took < 3
    assert TOO_SLOW in str(error) and error.permanent
    assert seen == [] and box._client is None
    assert [c.split(" ")[0] for c in pit.commands] == [
        "CAPABILITY",
        "LOGIN",
        "EXAMINE",
        "UID",
        "UID",
    ]
    box.close()  # nothing left to hang up: returns at once


def test_a_worker_leaves_a_seeker_whose_imap_server_drips_and_loses_nothing(
    run: Run,
    home: Path,
    smtp_sink: Sink,
    tarpit: Callable[[str], Tarpit],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from followup import bootstrap

    pit = tarpit("fetch")
    monkeypatch.setattr(bootstrap, "MAIL_TIMEOUT", 0.5)
    monkeypatch.setenv("FOLLOWUP_MAIL_PASSWORD", "pw")
    imap = [("mail.imap_host", pit.host), ("mail.imap_port", str(pit.port))]
    configure(run, smtp_sink, *imap, ("mail.imap_security", "none"), ("mail.username", "grace"))
    first, second = due_interview(run), due_interview(run)
    for interview in (first, second):
        assert run("send", interview, "--when-due").code == 0
    started = time.monotonic()
    r = run("worker", "--once")
    assert time.monotonic() - started < 10  # the inbox read before sending: cut off
    assert r.code == 0, r.err
    said = [line for line in r.err.splitlines() if "local:" in line]
    assert len(said) == 1 and "idle for 5 min" in said[0] and TOO_SLOW in said[0], r.err
    assert pit.connections == 1  # one try: not one per note, nor a second read
    # nothing sent, nothing lost: both notes wait, approved; the sync point has not moved
    assert smtp_sink.received == []
    assert [notes(run, i)[0]["state"] for i in (first, second)] == ["pending", "pending"]
    ctx = bootstrap.open_context(home)
    try:
        account = bootstrap.MailSetup(home).identity().account
        assert ctx.store.sync_point(account, "INBOX") is None
    finally:
        ctx.store.close()


class Queue:
    """What QueueWorker asks of schema `followup` for a mailbox read."""

    def __init__(self) -> None:
        self.next_syncs: list[datetime] = []
        self.deferred: list[datetime] = []

    def next_sync(self, tenant: int, at: datetime) -> None:
        self.next_syncs.append(at)

    def defer_notes(self, tenant: int, until: datetime) -> None:
        self.deferred.append(until)


def test_a_mailbox_thread_leaves_a_seeker_whose_imap_server_drips(
    run: Run,
    home: Path,
    smtp_sink: Sink,
    tarpit: Callable[[str], Tarpit],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Server mode: a thread of `--imap-connections` reads the seeker's inbox; cut off, the
    seeker's next read and their notes (whose visit would read first) wait SLOW_PAUSE."""
    from followup import bootstrap
    from followup.cli.worker import QueueWorker, Tenant

    pit = tarpit("greeting")
    monkeypatch.setattr(bootstrap, "MAIL_TIMEOUT", 0.5)
    monkeypatch.setenv("FOLLOWUP_MAIL_PASSWORD", "pw")
    imap = [("mail.imap_host", pit.host), ("mail.imap_port", str(pit.port))]
    configure(run, smtp_sink, *imap, ("mail.imap_security", "none"), ("mail.username", "grace"))
    queue = Queue()
    worker = QueueWorker(
        queue,
        lambda user: Tenant(f"user {user}", lambda: bootstrap.open_context(home), home),
        bootstrap.clock_from_env(),
        poll=1,
        lease=timedelta(minutes=10),
        once=True,
        stop=threading.Event(),
        imap_connections=1,
    )
    capsys.readouterr()
    started = time.monotonic()
    worker._mailbox(7, datetime.fromisoformat(NOW))
    assert time.monotonic() - started < 5
    later = datetime.fromisoformat(NOW) + timedelta(minutes=5)
    assert queue.next_syncs == [later] and queue.deferred == [later]
    [said] = capsys.readouterr().err.splitlines()
    assert said.endswith(
        f"user 7: idle for 5 min: IMAP server 127.0.0.1 {TOO_SLOW} while reading INBOX: stopped"
    )


def test_notes_in_doubt_ask_a_dripping_server_once(
    run: Run, home: Path, smtp_sink: Sink, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reconciling: a Sent folder too slow to search for one note in doubt is not searched
    for the next (each search would wait as long)."""
    from followup import bootstrap
    from followup.app import sending
    from followup.domain.model import NoteState

    configure(run, smtp_sink)
    interviews = [due_interview(run), due_interview(run)]
    for iid in interviews:  # approved: each has its Message-ID
        assert run("send", iid, "--when-due").code == 0
    ctx = bootstrap.open_context(home)
    asked: list[str] = []

    class Slow:
        def sent_contains(self, message_id: str) -> bool:
            asked.append(message_id)
            raise MailError(f"IMAP server imap.example.org {TOO_SLOW}", permanent=True)

    try:
        for iid in interviews:
            note = ctx.store.notes(int(iid))[0]
            with ctx.store.transaction():
                ctx.store.claim_note(note.id, datetime.fromisoformat(NOW), "elsewhere:1")
                ctx.store.finish_note(note.id, NoteState.UNKNOWN, datetime.fromisoformat(NOW))
        lines = sending.reconcile(ctx, Slow())  # type: ignore[arg-type]
    finally:
        ctx.store.close()
    assert len(asked) == 1
    assert [(x.outcome, TOO_SLOW in x.detail) for x in lines] == [("unknown", True)] * 2


def test_watch_waits_out_a_dripping_server_rather_than_stopping(
    run: Run,
    smtp_sink: Sink,
    tarpit: Callable[[str], Tarpit],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`followup watch` runs for hours: a server too slow once is tried again later, as a
    dropped connection is, never the end of the watch."""
    from followup import bootstrap
    from followup.cli import mail as mail_cli

    pit = tarpit("greeting")
    monkeypatch.setattr(bootstrap, "MAIL_TIMEOUT", 0.5)
    monkeypatch.setenv("FOLLOWUP_MAIL_PASSWORD", "pw")
    imap = [("mail.imap_host", pit.host), ("mail.imap_port", str(pit.port))]
    configure(run, smtp_sink, *imap, ("mail.imap_security", "none"), ("mail.username", "grace"))

    def pressed_ctrl_c(seconds: float) -> None:
        raise KeyboardInterrupt  # the user stops it at the first pause

    monkeypatch.setattr(mail_cli.time, "sleep", pressed_ctrl_c)
    r = run("watch")
    assert r.code == 0, r.err
    assert TOO_SLOW in r.err and "trying again in 5 s" in r.err
    assert r.out.strip().endswith("stopped")
