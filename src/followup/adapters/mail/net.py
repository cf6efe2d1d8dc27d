"""What SMTP and IMAP share: which hosts are loopback, the TLS context, a conversation's
deadline."""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import ssl
import threading
from types import TracebackType


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 or localhost: the only hosts we talk to without TLS."""
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def tls_context(ca_file: str | None = None) -> ssl.SSLContext:
    """Verify certificates and host names; trust `ca_file` too (e.g. a test server's CA)."""
    context = ssl.create_default_context()
    if ca_file:
        context.load_verify_locations(cafile=ca_file)
    return context


class Deadline:
    """A whole conversation's time limit. Each read has its own time-out, but a server that
    drips a line every few seconds ("220-" for ever: a tarpit) would hold the connection,
    and a worker serving every seeker, for ever; past `seconds` the sockets watched are shut
    down from a timer thread, so the read blocked on them ends at once (`expired` says why).
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self.reached = False  # the server was reached (TCP): its slowness is its own now
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = self._timer_of(seconds)

    def _timer_of(self, seconds: float) -> threading.Timer:
        timer = threading.Timer(seconds, self._cut)
        timer.daemon = True
        return timer

    def renew(self, seconds: float | None = None) -> None:
        """From now, `seconds` (else the first `seconds`) instead of what was left: each
        step of a longer conversation has its own time (an IMAP mailbox: connecting, then
        the command; each batch of a big fetch). Once expired, it stays so."""
        with self._lock:
            if self.expired:
                return
            self._timer.cancel()
            self._timer = self._timer_of(self.seconds if seconds is None else seconds)
            self._timer.start()

    def watch(self, sock: socket.socket | None) -> None:
        """Shut `sock` down too when the time is up (a TLS layer wraps a socket anew)."""
        if sock is None:
            return
        with self._lock:
            self._sockets.append(sock)
            cut = self.expired
        if cut:
            _shut(sock)

    def _cut(self) -> None:
        with self._lock:
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)

    def __enter__(self) -> Deadline:
        self._timer.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        with self._lock:
            self._timer.cancel()


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # closed, or detached by a TLS wrap: nothing to cut
        sock.shutdown(socket.SHUT_RDWR)
