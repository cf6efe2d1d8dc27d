"""Running the dashboard: bind loopback, print the one-time URL, run uvicorn until stopped.

In server mode (FOLLOWUP_DATABASE_URL) there is no token: people sign in with their accounts,
the dashboard may bind any address, and it answers to the names given with --allowed-host
(docs/deployment.md). Only `followup serve` imports this (and with it FastAPI and uvicorn).
"""

from __future__ import annotations

import logging.config
import signal
import socket
import sys
import threading
import time
from types import FrameType
from typing import TYPE_CHECKING, Protocol, TextIO

from followup.app.errors import Conflict, ExitCode, FollowupError
from followup.config import paths
from followup.web.feed import feed_token
from followup.web.logins import SessionFile
from followup.web.security import Sessions, new_token

if TYPE_CHECKING:
    from fastapi import FastAPI

    from followup.web.limits import WebLimits

LOOPBACK = {"127.0.0.1": socket.AF_INET, "localhost": socket.AF_INET, "::1": socket.AF_INET6}
SWITCH_INTERVAL = 0.0005  # seconds (Python's default: 0.005)
# Python collects its young objects after 700 new ones: several times inside one page, each
# time promoting what the page holds, so that every few dozen pages (every ten of Add) a
# full collection walked all ~100,000 objects of FastAPI, pydantic and Jinja2 with every
# request waiting (20-70 ms, the tail under load). Serving: those are frozen once warm (the
# collector never walks them again; refcounting still frees them), and a page's own objects
# mostly die before a collection of 10,000 comes round.
GC_YOUNG = 10_000

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


class Sender(Protocol):
    """What sends approved notes when due beside the dashboard (cli/worker.BackgroundSender)."""

    def start(self) -> None: ...
    def stop(self) -> None: ...


class NeedsServerMode(FollowupError):
    code = ExitCode.USAGE


def check_host(host: str, server: bool = False) -> tuple[str, socket.AddressFamily, str]:
    """(address to bind, its family, how the URL names it): loopback, or in server mode any."""
    if host not in LOOPBACK:
        if not server:
            raise NeedsServerMode(
                f"--host {host}: without accounts the dashboard binds to loopback only"
                " (127.0.0.1, localhost or ::1); serving other machines needs server mode"
                " (FOLLOWUP_DATABASE_URL, see docs/deployment.md)"
            )
        try:
            info = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)[0]
        except (OSError, UnicodeError) as exc:
            raise NeedsServerMode(f"--host {host}: not an address to listen on ({exc})") from None
        address = str(info[4][0])
        shown = f"[{address}]" if info[0] is socket.AF_INET6 else address
        return address, info[0], shown
    family = LOOPBACK[host]
    address = "::1" if family is socket.AF_INET6 else "127.0.0.1"
    shown = "[::1]" if family is socket.AF_INET6 else "127.0.0.1"
    return address, family, shown


def bind(host: str, port: int, server: bool = False) -> tuple[socket.socket, str]:
    """A bound socket on `host:port` (0: any free port) and the URL's `host:port`."""
    address, family, shown = check_host(host, server)
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


def serve(
    home: str | None,
    host: str = "127.0.0.1",
    port: int = 8765,
    open_browser: bool = True,
    out: TextIO | None = None,
    *,
    allowed_hosts: tuple[str, ...] = (),
    secure_cookies: bool = False,
    trusted_proxies: tuple[str, ...] = (),
    sender: Sender | None = None,
) -> None:
    """`sender` (laptop mode): started with the server, stopped after it (the note in flight
    finished); without one the pages say that nothing here sends approved notes."""
    from followup.bootstrap import server_mode

    server_on = server_mode()
    check_host(host, server_on)  # before anything heavy: a refusal is instant
    if not server_on and (allowed_hosts or secure_cookies or trusted_proxies):
        raise NeedsServerMode(
            "--allowed-host, --secure-cookies and --trusted-proxy are for server mode"
            " (FOLLOWUP_DATABASE_URL)"
        )
    if server_on and host not in LOOPBACK and not allowed_hosts:
        raise NeedsServerMode(
            f"--host {host}: name the public host(s) people will use with --allowed-host NAME"
        )
    import uvicorn

    from followup.bootstrap import open_context
    from followup.web.app import create_app
    from followup.web.deps import WebConfig, close_context
    from followup.web.limits import (
        WebLimits,
        connection_cap,
        guarded_protocol,
        raise_open_files_limit,
    )

    out = out or sys.stdout
    kept: SessionFile | None = None
    limits = connection_cap(WebLimits.from_env(), raise_open_files_limit())
    if server_on:
        mode_args = (allowed_hosts, secure_cookies, trusted_proxies)
        app, sock, url = _server_app(home, host, port, mode_args, limits)
        open_browser = open_browser and host in LOOPBACK
    else:
        close_context(open_context(home))  # fail now, in one line, if the data cannot be used
        sock, where = bind(host, port)
        bound_port = int(where.rpartition(":")[2])
        login = new_token()
        kept = SessionFile(paths.resolve(home).home)
        app = create_app(
            WebConfig(
                home=home,
                port=bound_port,
                feed_token=feed_token(home),
                sender="here" if sender is not None else "off",
            ),
            Sessions(login, kept),
            limits=limits,
        )
        url = f"http://{where}/?token={login}"
        kept.set_dashboard(f"http://{where}")  # where `followup open` sends the next link
    logging.config.dictConfig(LOGGING)
    # A request's thread parsing a big upload holds the GIL until another thread has waited
    # a switch interval for it; a Today page needs it some twenty times (the loop, its
    # thread, each database answer): at the default 5 ms that added ~100 ms under load.
    sys.setswitchinterval(SWITCH_INTERVAL)
    settle()
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            log_config=None,
            access_log=False,
            proxy_headers=False,  # never trusted here (server mode: ServerMode.trusted_proxies)
            server_header=False,
            date_header=False,
            lifespan="off",
            timeout_graceful_shutdown=5,
            # uvicorn's protocol plus a request-head timeout and the connection cap. Not
            # uvicorn's limit_concurrency: once that many connections are open it answers
            # 503 to every request, also on the connections of people already in.
            http=guarded_protocol(limits),
            timeout_keep_alive=limits.idle_timeout,
        )
    )
    print(f"followup dashboard: {url}", file=out, flush=True)
    if server_on:
        bound = sock.getsockname()
        print(f"Server mode: listening on {bound[0]}:{bound[1]}; people sign in with their"
              " accounts. Ctrl-C stops.", file=out, flush=True)  # fmt: skip
    else:
        print("The link works once: it signs your browser in for 30 days (another link:"
              " followup open). Ctrl-C stops.", file=out, flush=True)  # fmt: skip
    if open_browser:
        threading.Thread(target=_open_when_up, args=(server, url), daemon=True).start()
    previous = signal.signal(signal.SIGTERM, _stop)
    if sender is not None and not server_on:
        sender.start()
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        if sender is not None and not server_on:
            sender.stop()
        sock.close()
        if kept is not None:
            kept.clear_dashboard()
        print("followup dashboard: stopped", file=sys.stderr, flush=True)


def settle() -> None:
    """Load what the pages share (every template compiled, the zones and the countries),
    then take everything loaded so far out of the garbage collector's walks (GC_YOUNG)."""
    import gc

    from followup.app.zones import all_zones
    from followup.bootstrap import holiday_countries
    from followup.web import pages

    pages.compile_all()
    all_zones()
    holiday_countries()
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_YOUNG, *gc.get_threshold()[1:])


def _server_app(
    home: str | None,
    host: str,
    port: int,
    mode_args: tuple[tuple[str, ...], bool, tuple[str, ...]],
    limits: WebLimits,
) -> tuple[FastAPI, socket.socket, str]:
    """The server-mode app, its bound socket, and the URL to print."""
    from followup.app import accounts
    from followup.bootstrap import open_database
    from followup.bootstrap_accounts import accounts_on
    from followup.web.app import create_app
    from followup.web.deps import WebConfig
    from followup.web.server_mode import ServerMode

    allowed_hosts, secure_cookies, trusted_proxies = mode_args
    acc = accounts_on(open_database())
    accounts.list_users(acc)  # fail now, in one line, if the accounts cannot be read
    sock, where = bind(host, port, server=True)
    bound_port = int(where.rpartition(":")[2])
    mode = ServerMode(
        accounts=acc,
        home=home,
        port=bound_port,
        allowed_hosts=frozenset(h.strip().lower() for h in allowed_hosts),
        secure_cookies=secure_cookies,
        trusted_proxies=frozenset(trusted_proxies),
    )
    app = create_app(
        WebConfig(home=home, port=bound_port, sender="elsewhere"),
        Sessions(None),
        server=mode,
        limits=limits,
    )
    if not allowed_hosts:
        return app, sock, f"http://{where}/"
    scheme = "https" if secure_cookies or trusted_proxies else "http"
    return app, sock, f"{scheme}://{allowed_hosts[0]}/"


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
