"""A mail server that drips its answer (a tarpit: "220-" every few seconds, never done) is
cut off after a whole conversation's deadline, not waited on for ever: each read has its
own time-out, and the drip beats it. A worker then leaves that seeker for a while instead of
trying their next note (an attacker trial held a worker, and every seeker behind it, for
11 minutes)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from types import SimpleNamespace

import pytest

from followup.adapters.mail.smtp import SmtpMailer
from followup.app.mailports import TOO_SLOW, MailError
from tests.conftest import Run
from tests.integration import mail_servers
from tests.integration.mail_servers import Served, serving
from tests.integration.test_sending import configure, due_interview, notes

pytestmark = pytest.mark.integration


@pytest.fixture
def tarpit() -> Iterator[Served]:
    """An SMTP "server" that greets line after line and never ends its greeting."""

    def drip(conn: socket.socket, stop: threading.Event) -> None:
        while not stop.is_set():
            conn.sendall(b"220-still here\r\n")
            stop.wait(0.1)

    with serving(drip) as server:
        yield server


def test_a_dripping_greeting_is_cut_off_at_the_deadline(tarpit: Served) -> None:
    mailer = SmtpMailer(tarpit.host, tarpit.port, "none", timeout=0.5)  # reads: 0.5 s each
    started = time.monotonic()
    with pytest.raises(MailError) as caught:
        mailer.send(b"Subject: x\r\n\r\nhello\r\n", "grace@example.org", ["ada@acme.example"])
    took = time.monotonic() - started
    assert 0.9 <= took < 3  # the deadline (twice a read's time-out), not the drip's for ever
    assert TOO_SLOW in str(caught.value) and caught.value.permanent  # no retry at once
    assert not caught.value.unknown  # nothing was handed over
    with pytest.raises(MailError, match=TOO_SLOW):
        mailer.check()  # `mail test` too


def test_a_worker_leaves_a_seeker_whose_server_drips(
    run: Run, tarpit: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    from followup import bootstrap

    monkeypatch.setattr(bootstrap, "MAIL_TIMEOUT", 0.5)
    configure(run, SimpleNamespace(host=tarpit.host, port=tarpit.port))  # type: ignore[arg-type]
    first, second = due_interview(run), due_interview(run)
    for interview in (first, second):
        assert run("send", interview, "--when-due").code == 0
    started = time.monotonic()
    r = run("worker", "--once")
    assert time.monotonic() - started < 10
    assert r.code == 0, r.err
    assert "idle for 5 min" in r.err and TOO_SLOW in r.err
    assert len(tarpit.accepted) == 1  # one conversation: not one per note, nor three tries
    # nothing lost: both notes wait, approved, for the next try
    states = [notes(run, i)[0]["state"] for i in (first, second)]
    assert states == ["pending", "pending"]


@pytest.fixture
def silent() -> Iterator[Served]:
    """A server that takes connections and never says a word (a TLS handshake that never
    completes, for `ssl`)."""
    with serving(mail_servers.silent) as server:
        yield server


@pytest.fixture
def swallower() -> Iterator[Served]:
    """An SMTP server that takes the message and never confirms it."""

    def talk(conn: socket.socket, stop: threading.Event) -> None:
        reader = conn.makefile("rb")
        conn.sendall(b"220 ready\r\n")
        for line in reader:
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO", b"MAIL", b"RCPT", b"RSET", b"NOOP"):
                conn.sendall(b"250 ok\r\n")
            elif verb == b"DATA":
                conn.sendall(b"354 go on\r\n")
                for body in reader:
                    if body == b".\r\n":
                        break
                stop.wait(30)  # the message taken: no answer, ever
                return
            elif verb == b"QUIT":
                conn.sendall(b"221 bye\r\n")
                return

    with serving(talk) as server:
        yield server


def test_a_tls_handshake_never_finished_is_one_try_not_four(silent: Served) -> None:
    """A second attacker trial: `ssl` at a server that never answers the handshake cost 4
    tries of 30 s each (160 s) in the worker; a server reached that does not answer in time
    is too slow, as a dripping one is."""
    mailer = SmtpMailer(silent.host, silent.port, "ssl", timeout=0.5)
    started = time.monotonic()
    with pytest.raises(MailError) as caught:
        mailer.send(b"Subject: x\r\n\r\nhello\r\n", "grace@example.org", ["ada@acme.example"])
    assert time.monotonic() - started < 3
    assert TOO_SLOW in str(caught.value) and caught.value.permanent
    assert str(caught.value).startswith(f"cannot reach SMTP server 127.0.0.1:{silent.port}: ")


def test_a_message_taken_and_never_confirmed_is_unknown_and_the_worker_moves_on(
    run: Run, swallower: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same trial: a server taking DATA and never answering cost 30 s a note, note after
    note, while every other seeker's notes waited. The first is `unknown` (it may have been
    delivered: never resent blindly); the seeker's others wait their 5 minutes."""
    from followup import bootstrap

    monkeypatch.setattr(bootstrap, "MAIL_TIMEOUT", 0.5)
    configure(run, SimpleNamespace(host=swallower.host, port=swallower.port))  # type: ignore[arg-type]
    first, second = due_interview(run), due_interview(run)
    for interview in (first, second):
        assert run("send", interview, "--when-due").code == 0
    r = run("worker", "--once")
    assert r.code == 0, r.err
    assert "did not answer after the message was sent" in r.err and "idle for 5 min" in r.err
    states = sorted(notes(run, i)[0]["state"] for i in (first, second))
    assert states == ["pending", "unknown"]
    assert len(swallower.accepted) == 1
