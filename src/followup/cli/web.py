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
    help="Loopback only: 127.0.0.1, localhost or ::1.",
)
@click.option("--no-browser", is_flag=True, help="Print the link; do not open a browser.")
@pass_state
def serve(state: State, port: int, host: str, no_browser: bool) -> None:
    """Start the dashboard on this machine and open it in your browser.

    Prints a link with a one-time token: its first use signs your browser in (a session
    cookie) and the token is spent. Answers only to 127.0.0.1, localhost and [::1]; every
    change needs the page's CSRF token. Ctrl-C (or SIGTERM) stops it. See docs/dashboard.md.
    """
    from followup.web.server import serve as run

    run(state.home, host=host, port=port, open_browser=not no_browser)


COMMANDS = (serve,)
