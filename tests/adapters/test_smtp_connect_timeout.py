"""The dashboard reaches an SMTP server within 5 s, then still waits 30 s for a slow reply
(issue #16: a refused or unreachable server is said within seconds)."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from followup.adapters.mail.net import Deadline
from followup.adapters.mail.smtp import SmtpMailer
from tests.integration.smtp_sink import Sink, smtp_sink  # noqa: F401  (the fixture)

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("connect_timeout", [5.0, None])
def test_connecting_has_its_own_timeout_and_talking_the_longer_one(
    monkeypatch: pytest.MonkeyPatch,
    smtp_sink: Sink,  # noqa: F811
    connect_timeout: float | None,
) -> None:
    seen: dict[str, Any] = {}
    real = socket.create_connection

    def spy(address: Any, timeout: Any = None, *args: Any, **kw: Any) -> socket.socket:
        sock = real(address, timeout, *args, **kw)
        seen["connect"], seen["sock"] = timeout, sock
        return sock

    monkeypatch.setattr(socket, "create_connection", spy)
    mailer = SmtpMailer(
        smtp_sink.host, smtp_sink.port, "none", timeout=30, connect_timeout=connect_timeout
    )
    with Deadline(60) as limit:
        smtp = mailer._connect(limit)
    try:
        assert seen["connect"] == (connect_timeout or 30)
        assert seen["sock"].gettimeout() == 30  # the greeting, DATA, QUIT: the long one
        assert smtp.noop()[0] == 250
    finally:
        smtp.quit()
