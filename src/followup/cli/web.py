"""`followup serve`: the local dashboard (FastAPI and uvicorn load only here)."""

from __future__ import annotations

import click

from followup.cli.state import State, pass_state


@click.command()
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8765,
    show_default=True,
    help="The port to listen on (0: any free one).",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Loopback (127.0.0.1, localhost or ::1); any address only in server mode.",
)
@click.option("--no-browser", is_flag=True, help="Print the link; do not open a browser.")
@click.option(
    "--allowed-host",
    "allowed_hosts",
    multiple=True,
    metavar="NAME",
    help="Server mode: a public host name the site answers to (repeatable).",
)
@click.option(
    "--secure-cookies",
    is_flag=True,
    help="Server mode: the site is served over TLS (by a proxy): Secure, __Host- cookies.",
)
@click.option(
    "--trusted-proxy",
    "trusted_proxies",
    multiple=True,
    metavar="ADDRESS",
    help="Server mode: believe X-Forwarded-Proto/-For from this proxy address (repeatable).",
)
@pass_state
def serve(
    state: State,
    port: int,
    host: str,
    no_browser: bool,
    allowed_hosts: tuple[str, ...],
    secure_cookies: bool,
    trusted_proxies: tuple[str, ...],
) -> None:
    """Start the dashboard on this machine and open it in your browser.

    Prints a link with a one-time token: its first use signs your browser in (a session
    cookie) and the token is spent. Answers only to 127.0.0.1, localhost and [::1]; every
    change needs the page's CSRF token. Ctrl-C (or SIGTERM) stops it. See docs/dashboard.md.

    In server mode (FOLLOWUP_DATABASE_URL set) people sign in with their accounts instead,
    and it may listen on any address behind a TLS proxy: see docs/deployment.md.
    """
    from followup.web.server import serve as run

    run(
        state.home,
        host=host,
        port=port,
        open_browser=not no_browser,
        allowed_hosts=allowed_hosts,
        secure_cookies=secure_cookies,
        trusted_proxies=trusted_proxies,
    )


COMMANDS = (serve,)
