"""A real `followup serve` over raw sockets: what a client that stalls or floods can take
(web/limits.py). The limits are made short through their environment variables."""

from __future__ import annotations

import json
import os
import re
import resource
import select
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.web.test_serve import URL, read_line, wait_until_up

_CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


@dataclass
class Served:
    base: str
    port: int
    cookie: str
    csrf: str

    def connect(self) -> socket.socket:
        return socket.create_connection(("127.0.0.1", self.port), timeout=10)

    def head(self, method: str, path: str, extra: str) -> bytes:
        return (
            f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
            f"Cookie: {self.cookie}\r\nOrigin: {self.base}\r\nX-CSRF-Token: {self.csrf}\r\n"
            f"Content-Type: application/json\r\n{extra}\r\n"
        ).encode()


@contextmanager
def serve(tmp_path: Path, limits: dict[str, str], open_files: int = 0) -> Iterator[Served]:
    """`followup serve` with these FOLLOWUP_WEB_* limits (and a low soft limit on open files,
    as on many machines: 1024), signed in."""
    env = {**os.environ, "FOLLOWUP_HOME": str(tmp_path / "home"), "PYTHONUNBUFFERED": "1"}
    env.update(limits)
    lower: Callable[[], None] | None = None
    if open_files:
        hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]

        def lower() -> None:
            resource.setrlimit(resource.RLIMIT_NOFILE, (open_files, hard))

    exe = Path(sys.executable).with_name("followup")
    with open(tmp_path / "serve.log", "w") as log:
        proc = subprocess.Popen(
            [str(exe), "serve", "--port", "0", "--no-browser"],
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            env=env,
            preexec_fn=lower,  # only setrlimit, before exec
        )
    try:
        found = URL.search(read_line(proc))
        assert found
        base, port, token = found.group(1), int(found.group(2)), found.group(3)
        wait_until_up(base)
        login = httpx.get(f"{base}/?token={token}", follow_redirects=False)
        cookie = login.headers["set-cookie"].split(";")[0]
        page = httpx.get(base + "/", headers={"Cookie": cookie})
        csrf = _CSRF.search(page.text)
        assert csrf
        yield Served(base, port, cookie, csrf.group(1))
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        assert proc.stdout is not None
        proc.stdout.close()
    assert "Traceback" not in (tmp_path / "serve.log").read_text()


def closed_by_server(sock: socket.socket) -> bool | None:
    """True: the server closed it; False: still open; None: it answered something."""
    sock.setblocking(False)
    try:
        data = sock.recv(1, socket.MSG_PEEK)
    except BlockingIOError:
        return False
    except ConnectionResetError:
        return True
    finally:
        sock.setblocking(True)
    return True if data == b"" else None


def answer(sock: socket.socket, timeout: float = 15) -> str:
    """The response's head and its body (of the length it declares)."""
    sock.settimeout(timeout)
    data = b""
    with suppress(ConnectionResetError):
        while True:
            head, _, body = data.partition(b"\r\n\r\n")
            length = re.search(rb"(?i)content-length: (\d+)", head)
            if _ and (length is None or len(body) >= int(length.group(1))):
                break
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    return data.decode("latin-1")


def test_stalled_request_heads_are_closed_and_everyone_else_is_served(tmp_path: Path) -> None:
    """200 connections that send half a request line and stall: with uvicorn alone they
    were kept forever, and a soft limit of 128 open files let no one else in."""
    with serve(tmp_path, {"FOLLOWUP_WEB_HEADER_TIMEOUT": "5"}, open_files=128) as served:
        stalled = []
        for _ in range(200):
            sock = served.connect()
            sock.sendall(b"GET /static/app.css HT")
            stalled.append(sock)
        try:
            for _ in range(10):  # each on a connection of its own
                with httpx.Client(base_url=served.base, timeout=10) as client:
                    assert client.get("/static/app.css").status_code == 200
            assert [closed_by_server(s) for s in stalled] == [False] * 200
            deadline = time.monotonic() + 20
            for sock in stalled:
                sock.settimeout(max(deadline - time.monotonic(), 0.1))
                with suppress(ConnectionResetError):
                    assert sock.recv(1) == b""  # closed, nothing said
        finally:
            for sock in stalled:
                sock.close()
        with httpx.Client(base_url=served.base, timeout=10) as client:
            assert client.get("/static/app.css").status_code == 200


def test_beyond_the_connection_cap_a_new_connection_is_told_and_closed(tmp_path: Path) -> None:
    with serve(tmp_path, {"FOLLOWUP_WEB_MAX_CONNECTIONS": "20"}) as served:
        held = [served.connect() for _ in range(20)]
        try:
            extra = served.connect()
            extra.sendall(b"GET /static/app.css HTTP/1.1\r\nHost: x\r\n\r\n")
            told = answer(extra)
            assert told.startswith("HTTP/1.1 503"), told
            extra.close()
        finally:
            for sock in held:
                sock.close()
        deadline = time.monotonic() + 10
        while True:  # the server sees the held ones go as it reads their end
            status = httpx.get(served.base + "/static/app.css", timeout=10).status_code
            if status == 200 or time.monotonic() > deadline:
                break
        assert status == 200


def test_a_body_is_cut_at_the_cap_as_it_arrives(tmp_path: Path) -> None:
    with serve(tmp_path, {"FOLLOWUP_WEB_BODY_TIMEOUT": "2"}) as served:
        # declared too large: refused before a byte of it is sent
        sock = served.connect()
        sock.sendall(served.head("POST", "/api/interviews", "Content-Length: 10000000000\r\n"))
        told = answer(sock)
        assert told.startswith("HTTP/1.1 413"), told
        sock.close()

        # chunked, no length given: the answer comes while the client is still sending
        sock = served.connect()
        sock.sendall(served.head("POST", "/api/interviews", "Transfer-Encoding: chunked\r\n"))
        piece = b"A" * 65536
        sent = 0
        while sent < 16 * 1024 * 1024:
            sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
            sent += len(piece)
            if select.select([sock], [], [], 0)[0]:
                break
        told = answer(sock)
        assert told.startswith("HTTP/1.1 413"), (sent, told)
        assert sent < 16 * 1024 * 1024
        body = told.partition("\r\n\r\n")[2]
        assert json.loads(body)["error"] == "Too large: at most 1 MB here."
        sock.close()

        # a body that stops arriving: 408 once its deadline passes
        sock = served.connect()
        sock.sendall(served.head("POST", "/api/interviews", "Content-Length: 100\r\n") + b"{")
        told = answer(sock)
        assert told.startswith("HTTP/1.1 408"), told
        sock.close()
        rows = httpx.get(served.base + "/api/interviews", headers={"Cookie": served.cookie})
        assert rows.json() == []
