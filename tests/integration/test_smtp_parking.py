"""A worker's SMTP connections between visits (adapters/mail/smtp.py, `SmtpMailer.share`):
the next visit that would make the same connection takes the parked one instead of a new
connection and QUIT per seeker; a connection signed in as someone is never lent to anyone
else, and none is kept past its time."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.integration.dovecot import free_port
from tests.integration.smtp_sink import Sink

pytestmark = pytest.mark.integration


@pytest.fixture
def login_sink() -> Iterator[Sink]:
    """A sink that asks for a login (PLAIN over loopback) and takes any password."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    sink = Sink(port=free_port())
    controller = Controller(
        sink,
        hostname=sink.host,
        port=sink.port,
        auth_require_tls=False,  # loopback only
        authenticator=lambda *_: AuthResult(success=True),
    )
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()


def _message(k: int) -> bytes:
    return f"From: a@example.org\r\nMessage-ID: <{k}@example.org>\r\n\r\nhi\r\n".encode()


@pytest.fixture
def mailer(smtp_sink: Sink, login_sink: Sink) -> Iterator[Any]:
    """A mailer of `share`'s; with a `username`, to the sink that asks for a login."""
    from followup.adapters.mail import smtp

    def make(share: str | None, username: str | None = None) -> smtp.SmtpMailer:
        sink = login_sink if username else smtp_sink
        m = smtp.SmtpMailer(
            sink.host,
            sink.port,
            "none",
            username,
            (lambda: "pw") if username else None,
            keep_alive=True,
        )
        m.share = share
        return m

    yield make
    smtp.hang_up_parked()


def _visit(m: Any, k: int) -> Any:
    """One visit's send; the connection it used, then parked (or closed)."""
    m.send(_message(k), "a@example.org", ["b@example.org"])
    used = m._kept
    m.close()
    return used


def test_the_next_seeker_on_the_same_relay_takes_the_parked_connection(
    mailer: Any, smtp_sink: Sink
) -> None:
    first = _visit(mailer("user 1"), 1)
    assert _visit(mailer("user 2"), 2) is first  # no sign-in on either: the same one
    assert _visit(mailer("user 3"), 3) is first
    assert smtp_sink.message_ids == ["<1@example.org>", "<2@example.org>", "<3@example.org>"]


def test_a_connection_with_a_login_is_lent_to_nobody_else(mailer: Any, login_sink: Sink) -> None:
    signed = _visit(mailer("user 1", "ada"), 1)
    assert _visit(mailer("user 2", "ada"), 2) is not signed  # another seeker, same login
    assert _visit(mailer("user 1", "bob"), 3) is not signed  # the same seeker, another login
    assert _visit(mailer("user 1", "ada"), 4) is signed  # the seeker's own next visit
    assert len(login_sink.message_ids) == 4


def test_a_login_for_a_relay_that_asks_none_shares_its_connection(
    mailer: Any, smtp_sink: Sink
) -> None:
    """A relay that offers no AUTH: a mailer with a login signs in nowhere, so its
    connection is the same as anyone's (an office's relay on its own network)."""
    from followup.adapters.mail import smtp

    m = smtp.SmtpMailer(smtp_sink.host, smtp_sink.port, "none", "ada", lambda: "pw")
    m.keep_alive, m.share = True, "user 1"
    first = _visit(m, 1)
    assert _visit(mailer("user 2"), 2) is first


def test_nothing_is_parked_without_an_owner_or_past_its_time(
    mailer: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from followup.adapters.mail import smtp

    first = _visit(mailer(None), 1)  # every command and the dashboard: QUIT at close
    assert first.sock is None and not smtp._parked
    parked = _visit(mailer("user 1"), 2)
    monkeypatch.setattr(smtp, "PARK_SECONDS", 0.0)
    assert _visit(mailer("user 2"), 3) is not parked
    assert parked.sock is None  # the one past its time was ended (QUIT)


def test_a_parked_connection_that_went_stale_is_replaced_before_anything_is_sent(
    mailer: Any, smtp_sink: Sink
) -> None:
    import socket

    parked = _visit(mailer("user 1"), 1)
    parked.sock.shutdown(socket.SHUT_RDWR)  # the server's idle time-out
    assert _visit(mailer("user 2"), 2) is not parked
    assert smtp_sink.message_ids == ["<1@example.org>", "<2@example.org>"]
