"""A lean SMTP sink for the throughput benchmark: asyncio streams, no framework.

aiosmtpd (the test suite's sink) costs ~2 ms of CPU per message here — as much as a worker
spends sending it — on the same two cores the workers and PostgreSQL use, so the benchmark
would mostly measure its own sink. This one speaks just enough ESMTP for smtplib (EHLO/HELO,
MAIL, RCPT, DATA with dot-unstuffing, RSET, NOOP, QUIT), answers 250 to every message, and
keeps each message's Message-ID and arrival time so that the benchmark can check that every
note arrived exactly once.
"""

from __future__ import annotations

import asyncio
import re
import threading
import time
from dataclasses import dataclass, field

MESSAGE_ID = re.compile(rb"^Message-ID:[ \t]*(<[^>\r\n]*>)", re.IGNORECASE | re.MULTILINE)


@dataclass
class LeanSink:
    host: str = "127.0.0.1"
    port: int = 0
    message_ids: list[str] = field(default_factory=list)
    times: list[float] = field(default_factory=list)

    def start(self) -> None:
        ready = threading.Event()

        def serve() -> None:
            self._loop = asyncio.new_event_loop()
            self._server = self._loop.run_until_complete(
                asyncio.start_server(self._session, self.host, self.port)
            )
            self.port = self._server.sockets[0].getsockname()[1]
            ready.set()
            self._loop.run_forever()

        self._thread = threading.Thread(target=serve, daemon=True)
        self._thread.start()
        ready.wait(10)

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"220 sink ESMTP\r\n")
        try:
            while line := await reader.readline():
                verb = line[:4].upper()
                if verb == b"EHLO":
                    writer.write(b"250-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
                elif verb == b"DATA":
                    writer.write(b"354 go ahead\r\n")
                    data = await reader.readuntil(b"\r\n.\r\n")
                    head = data.split(b"\r\n\r\n", 1)[0]
                    found = MESSAGE_ID.search(head)
                    self.message_ids.append(found.group(1).decode() if found else "")
                    self.times.append(time.monotonic())
                    writer.write(b"250 2.0.0 OK\r\n")
                elif verb == b"QUIT":
                    writer.write(b"221 bye\r\n")
                    await writer.drain()
                    break
                else:  # HELO, MAIL, RCPT, RSET, NOOP
                    writer.write(b"250 OK\r\n")
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()
