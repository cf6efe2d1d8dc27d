"""`followup serve`: the local dashboard (FastAPI and uvicorn load only here)."""

from __future__ import annotations

import click

from followup.app.errors import ExitCode, FollowupError, InvalidInput
from followup.cli.state import State, json_option, pass_state


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
    "--no-send-due",
    is_flag=True,
    help="Do not send approved notes when due from here (then only a running `followup"
    " worker` sends them; the pages say so).",
)
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
    no_send_due: bool,
    allowed_hosts: tuple[str, ...],
    secure_cookies: bool,
    trusted_proxies: tuple[str, ...],
) -> None:
    """Start the dashboard on this machine and open it in your browser.

    Prints a link with a one-time token: its first use signs your browser in (a session
    cookie) and the token is spent. While it runs it also sends the notes you approved with
    "Send when due" at their due time, as `followup worker` does (--no-send-due: not).
    Answers only to 127.0.0.1, localhost and [::1]; every change needs the page's CSRF
    token. Ctrl-C (or SIGTERM) stops it. See docs/dashboard.md.

    In server mode (FOLLOWUP_DATABASE_URL set) people sign in with their accounts instead,
    it may listen on any address behind a TLS proxy, and it sends nothing: `followup
    worker` does. See docs/deployment.md.
    """
    from followup.bootstrap import server_mode
    from followup.web.server import serve as run

    sender = None
    if not no_send_due and not server_mode():  # server mode: the site runs its workers
        from followup.cli.worker import BackgroundSender

        sender = BackgroundSender(state)
    run(
        state.home,
        host=host,
        port=port,
        open_browser=not no_browser,
        allowed_hosts=allowed_hosts,
        secure_cookies=secure_cookies,
        trusted_proxies=trusted_proxies,
        sender=sender,
    )


class AccountsOnly(FollowupError):
    code = ExitCode.USAGE


@click.command("open")
@click.option(
    "--revoke",
    is_flag=True,
    help="Sign every browser out: end all sessions and unused links (prints no new link).",
)
@click.option(
    "--new-feed",
    is_flag=True,
    help="Give the calendar feed (/calendar.ics) a new address: the old one stops working"
    " (subscribe again from Settings).",
)
@click.option("--no-browser", is_flag=True, help="Print the link; do not open a browser.")
@click.argument("page", required=False, metavar="[PATH]")
@json_option
@pass_state
def open_dashboard(
    state: State,
    revoke: bool,
    new_feed: bool,
    no_browser: bool,
    page: str | None,
    as_json: bool,
) -> None:
    """Print a fresh one-time sign-in link for the running dashboard and open it.

    For a browser that lost its session (or another browser): the link works once, within
    10 minutes, and signs that browser in for 30 days. With --revoke, every session and
    unused link of this home's dashboard ends at once; with --new-feed, the calendar feed's
    address changes (a leaked one stops working). Laptop mode only (server mode has
    accounts). PATH (e.g. /pipeline): the page the link lands on, as the sign-in page says.
    See docs/dashboard.md.
    """
    import json

    from followup.app.errors import Conflict
    from followup.bootstrap import server_mode
    from followup.config import paths
    from followup.web.logins import SESSION_DAYS, SessionFile

    if server_mode():
        raise AccountsOnly("server mode: people sign in with their accounts on the site")
    kept = SessionFile(paths.resolve(state.home).home)
    if new_feed:
        from followup.web.feed import new_feed_token

        new_feed_token(state.home)
        if as_json:
            click.echo(json.dumps({"feed_replaced": True}))
            return
        click.echo(
            "The calendar feed has a new address: the old one no longer works. Subscribe"
            " again with the address on the dashboard's Settings page."
        )
        return
    if revoke:
        ended = kept.revoke()
        if as_json:
            click.echo(json.dumps({"sessions_ended": ended}))
            return
        plural = "" if ended == 1 else "s"
        click.echo(
            f"Signed out: {ended} session{plural} ended; every browser needs a new link"
            " (followup open)."
        )
        return
    running = kept.dashboard()
    if running is None:
        raise Conflict("no dashboard is running for this home: start it with followup serve")
    path = page or "/"
    if not path.startswith("/") or path.startswith("//") or not path.isprintable() or "\\" in path:
        raise InvalidInput(
            f"{page!r} is not a page of the dashboard: give a path such as /pipeline"
        )
    path = path.partition("#")[0]
    url = f"{running.base}{path}{'&' if '?' in path else '?'}token={kept.new_login()}"
    if as_json:  # for a script that opens it itself: no browser from here
        click.echo(json.dumps({"url": url, "valid_minutes": 10, "session_days": SESSION_DAYS}))
        return
    click.echo(f"followup dashboard: {url}")
    click.echo(
        f"The link works once, within 10 minutes: it signs a browser in for {SESSION_DAYS} days."
    )
    if not no_browser:
        import webbrowser

        try:
            opened = webbrowser.open(url)
        except Exception:
            opened = False
        if not opened:
            click.echo("followup: open the link above in your browser", err=True)


COMMANDS = (serve, open_dashboard)
