"""A real SMTP server on loopback (aiosmtpd), in-process, that can misbehave on demand."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.policy import default as default_policy
from functools import cached_property
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from tests.integration.dovecot import free_port


@dataclass
class Received:
    sender: str
    recipients: list[str]
    raw: bytes

    # Parsed once: aiosmtpd's SMTP() reads every attribute of its handler (inspect.getmembers)
    # on each new connection, `Sink.message_ids` included, so a re-parse made each connection
    # cost as much as everything received so far.
    @cached_property
    def message_id(self) -> str:
        return str(message_from_bytes(self.raw, policy=default_policy)["Message-ID"])


@dataclass
class Sink:
    """Records what it accepts; `script` says how to answer the next DATA commands."""

    host: str = "127.0.0.1"
    port: int = 0
    received: list[Received] = field(default_factory=list)
    script: list[str] = field(default_factory=list)  # "ok" | "451" | "550" | "drop" | "kill:PID"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        action = self.script.pop(0) if self.script else "ok"
        if action == "451":
            return "451 4.3.0 try again later"
        if action == "550":
            return "550 5.1.1 no such user"
        raw = bytes(envelope.original_content or envelope.content)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), raw))
        if action == "drop":  # took the message, then the line went dead before the reply
            server.transport.close()
            return "250 unreachable"
        if action.startswith("kill:"):  # the client dies while waiting for the reply
            os.kill(int(action.split(":", 1)[1]), signal.SIGKILL)
            return "250 too late"
        return "250 2.0.0 OK"

    @property
    def message_ids(self) -> list[str]:
        return [r.message_id for r in self.received]


@pytest.fixture
def smtp_sink() -> Iterator[Sink]:
    sink = Sink(port=free_port())
    controller = Controller(sink, hostname=sink.host, port=sink.port)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()
