"""Running the dashboard: bind loopback, print the one-time URL, run uvicorn until stopped.

Only `followup serve` imports this (and with it FastAPI and uvicorn).
"""

from __future__ import annotations

import logging.config
import os
import signal
import socket
import sys
import threading
import time
from types import FrameType
from typing import TextIO

from followup.app.errors import Conflict, InvalidInput
from followup.config import paths
from followup.web.security import Sessions, new_token

LOOPBACK = {"127.0.0.1": socket.AF_INET, "localhost": socket.AF_INET, "::1": socket.AF_INET6}
FEED_TOKEN_FILE = "web-feed-token"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "stream": "ext://sys.stderr",
        }
    },
    "loggers": {
        "uvicorn": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        # off: it would log each URL with its query string (the token). The guard logs instead.
        "uvicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
        "followup.web": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
    },
}


def check_host(host: str) -> tuple[str, socket.AddressFamily, str]:
    """(address to bind, its family, how the URL names it) for a loopback host; else an error."""
    if host not in LOOPBACK:
        raise InvalidInput(
            f"--host {host}: the dashboard binds to loopback only (127.0.0.1, localhost or ::1)."
            " Serving other machines needs accounts, which a later version brings."
        )
    family = LOOPBACK[host]
    address = "::1" if family is socket.AF_INET6 else "127.0.0.1"
    shown = "[::1]" if family is socket.AF_INET6 else "127.0.0.1"
    return address, family, shown


def bind(host: str, port: int) -> tuple[socket.socket, str]:
    """A bound socket on `host:port` (0: any free port) and the URL's `host:port`."""
    address, family, shown = check_host(host)
    # IPPROTO_TCP explicitly: asyncio turns Nagle off only then, and with Nagle on a
    # kept-alive response stalls ~40 ms on the client's delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((address, port))
    except OSError as exc:
        sock.close()
        raise Conflict(
            f"cannot listen on {shown}:{port}: {exc.strerror or exc}"
            " (try --port 0 for any free one)"
        ) from exc
    sock.set_inheritable(True)
    return sock, f"{shown}:{sock.getsockname()[1]}"


def feed_token(home: str | None) -> str:
    """The calendar feed's token: long-lived (a calendar app subscribes once), kept 0600."""
    path = paths.resolve(home).home / FEED_TOKEN_FILE
    try:
        existing = path.read_text(encoding="ascii").strip()
        if len(existing) >= 32:
            return existing
    except (OSError, UnicodeDecodeError):
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    token = new_token()
    tmp = path.with_name(f".{FEED_TOKEN_FILE}.{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(token + "\n")
    os.replace(tmp, path)
    return token


def serve(
    home: str | None,
    host: str = "127.0.0.1",
    port: int = 8765,
    open_browser: bool = True,
    out: TextIO | None = None,
) -> None:
    check_host(host)  # before anything heavy: a refusal is instant
    import uvicorn

    from followup.bootstrap import open_context
    from followup.web.app import create_app
    from followup.web.deps import WebConfig, close_context

    out = out or sys.stdout
    close_context(open_context(home))  # fail now, in one line, if the data cannot be used
    sock, where = bind(host, port)
    bound_port = int(where.rpartition(":")[2])
    login = new_token()
    app = create_app(
        WebConfig(home=home, port=bound_port, feed_token=feed_token(home)), Sessions(login)
    )
    url = f"http://{where}/?token={login}"
    logging.config.dictConfig(LOGGING)
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            log_config=None,
            access_log=False,
            proxy_headers=False,  # nothing in front of us: never trust X-Forwarded-*
            server_header=False,
            date_header=False,
            lifespan="off",
            timeout_graceful_shutdown=5,
        )
    )
    print(f"followup dashboard: {url}", file=out, flush=True)
    print("The link works once (it becomes a session in your browser). Ctrl-C stops.", file=out,
          flush=True)  # fmt: skip
    if open_browser:
        threading.Thread(target=_open_when_up, args=(server, url), daemon=True).start()
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        sock.close()
        print("followup dashboard: stopped", file=sys.stderr, flush=True)


def _stop(signum: int, frame: FrameType | None) -> None:
    """uvicorn re-raises the SIGTERM it handled once it has shut down: end quietly, code 0."""
    raise SystemExit(0)


def _open_when_up(server: object, url: str) -> None:
    import webbrowser

    deadline = time.monotonic() + 15
    while not getattr(server, "started", False):
        if time.monotonic() > deadline:
            return
        time.sleep(0.05)
    try:
        opened = webbrowser.open(url)
    except Exception:
        opened = False
    if not opened:
        print("followup: open the link above in your browser", file=sys.stderr, flush=True)
