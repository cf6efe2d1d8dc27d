"""Misbehaving mail servers on 127.0.0.1 for the tests of what a slow or silent server
costs (tarpits, servers that never answer): one serving loop, each connection talked to
in a thread of its own."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Served:
    host: str
    port: int
    accepted: list[socket.socket] = field(default_factory=list)  # the connections taken
    arrived: threading.Event = field(default_factory=threading.Event)  # the first one came


@contextmanager
def serving(talk: Callable[[socket.socket, threading.Event], object]) -> Iterator[Served]:
    """A server that runs `talk(conn, stop)` on each connection (`talk` returns when `stop`
    is set, at the end of the block)."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()
    served = Served("127.0.0.1", listener.getsockname()[1])

    def run(conn: socket.socket) -> None:
        try:
            talk(conn, stop)
        except OSError:
            pass
        finally:
            conn.close()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            served.accepted.append(conn)
            served.arrived.set()
            threading.Thread(target=run, args=(conn,), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield served
    finally:
        stop.set()
        listener.close()


def silent(conn: socket.socket, stop: threading.Event) -> None:
    """Take the connection and never say a word (not even hello; a TLS handshake never
    answered)."""
    stop.wait()
