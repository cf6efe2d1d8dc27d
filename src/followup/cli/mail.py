"""Commands that talk to the mail servers: send (or save to Drafts), sync, watch, mail test."""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, Any

import click

from followup.app.errors import Conflict, ExitCode, FollowupError, InvalidInput
from followup.cli.render import echo, emit_json, tell, warn
from followup.cli.state import ID, State, json_option, pass_state

if TYPE_CHECKING:
    from followup.app.mailports import MailError


def _setup(state: State) -> Any:
    from followup.bootstrap import MailSetup

    return MailSetup(state.settings_home)


def _failure(exc: MailError) -> FollowupError:
    """A mail server's refusal as one line and a documented exit code, never exit 1: 4 when
    retrying cannot help (a refused login, a TLS failure: fix the settings, as `followup mail
    test` shows), 5 when it may (the server could not be reached, the connection dropped)."""
    return InvalidInput(str(exc)) if exc.permanent else Conflict(str(exc))


@click.command()
@click.argument("interview_id", type=ID, required=False)
@click.option("--interviewer", "email", metavar="EMAIL", help="Only the note to this person.")
@click.option("--due", is_flag=True, help="Every note that is due now.")
@click.option("--drafts", is_flag=True, help="Save to your Drafts folder instead of sending.")
@click.option("--yes", is_flag=True, help="Skip the safety brake (many notes, unread inbox).")
@click.option(
    "--force",
    is_flag=True,
    help="Send before the due time the cadence sets (a note with lint errors never goes).",
)
@click.option(
    "--resend-unknown",
    is_flag=True,
    help="You checked: the notes in doubt after a crash did not go out. Send them.",
)
@click.option(
    "--when-due",
    is_flag=True,
    help="Approve the note as drafted now: `followup worker` sends it at its due time.",
)
@click.option("--cancel-schedule", is_flag=True, help="Withdraw a --when-due approval.")
@json_option
@pass_state
def send(
    state: State,
    interview_id: int | None,
    email: str | None,
    due: bool,
    drafts: bool,
    yes: bool,
    force: bool,
    resend_unknown: bool,
    when_due: bool,
    cancel_schedule: bool,
    as_json: bool,
) -> None:
    """Send the due note of INTERVIEW_ID (or --due: all of them), at most once.

    Until you set `mail.mode = send`, notes go to your Drafts folder: you review and send
    them from your mail client, and `followup sync` sees them in Sent.

    With --when-due nothing is sent now: the note, exactly as drafted now, is approved to go
    out at its due time through `followup worker` (a changed note is not sent).
    """
    from followup.app import sending
    from followup.app.mailports import MailError

    if when_due or cancel_schedule:
        if when_due and cancel_schedule:
            raise click.UsageError("give --when-due or --cancel-schedule, not both")
        if interview_id is None or due or drafts or force or resend_unknown:
            raise click.UsageError(
                "--when-due and --cancel-schedule take an INTERVIEW_ID (and --interviewer) only"
            )
        _schedule(state, interview_id, email, cancel_schedule, as_json)
        return
    if due == (interview_id is not None):
        raise click.UsageError("give an INTERVIEW_ID or --due")
    ctx = state.ctx
    setup = _setup(state)
    try:
        to_drafts = drafts or setup.account.mode == "drafts"
        outbox = setup.outbox(ctx.sender_name)
        if interview_id is None:
            results = sending.send_due(
                ctx,
                outbox,
                read_inbox=setup.inbox_reader(ctx),
                max_batch=setup.account.max_batch,
                to_drafts=to_drafts,
                yes=yes,
                notice=warn,
            )
        else:
            results = sending.send_interview(
                ctx,
                outbox,
                interview_id,
                email,
                to_drafts=to_drafts,
                force=force,
                resend_unknown=resend_unknown,
                notice=warn,
                read_inbox=setup.inbox_reader(ctx),
                yes=yes,
            )
    except MailError as exc:  # reading Sent or the inbox first: delivery reports its own
        raise _failure(exc) from exc
    finally:
        setup.close()
    if due and not results:
        echo("Nothing is due.") if not as_json else emit_json([])
        return
    if as_json:
        emit_json([r._asdict() for r in results])
    else:
        for r in results:
            echo(f"{r.outcome:<11} note {r.note_id} (interview {r.interview_id}) to {r.to}"
                 + (f": {r.detail}" if r.detail else ""))  # fmt: skip
    _signed_out(results)
    if any(r.outcome in ("failed", "unknown") for r in results):
        sys.exit(ExitCode.CONFLICT)
    if due:
        return
    if any(sending.refused_by_lint(r) for r in results):
        sys.exit(ExitCode.LINT)  # as `lint` and `send --when-due` do
    if any(r.outcome in ("retry-later", "skipped", "held") for r in results):
        sys.exit(ExitCode.CONFLICT)


def _signed_out(results: Any) -> None:
    """A note held because the OAuth2 grant is gone: the error line says what to do (the
    result line said it on stdout, where a script reading stderr missed it)."""
    from followup.app.oauth import LOGIN_HINT

    for r in results:
        if r.outcome == "retry-later" and r.detail.endswith(LOGIN_HINT):
            raise Conflict(f"note {r.note_id} not sent: {r.detail}")


def _schedule(
    state: State, interview_id: int, email: str | None, cancel: bool, as_json: bool
) -> None:
    """send --when-due / --cancel-schedule: approve (or withdraw) a send for the worker."""
    from datetime import datetime

    from followup.app import dispatch
    from followup.app.wording import local

    ctx = state.ctx
    if cancel:
        results = dispatch.unschedule(ctx, interview_id, email)
    else:
        results = dispatch.schedule(
            ctx, lambda: _setup(state).outbox(ctx.sender_name), interview_id, email
        )
    if as_json:
        emit_json([r._asdict() for r in results])
    elif cancel and not results:
        echo(f"Nothing of interview {interview_id} was scheduled.")
    for r in [] if as_json else results:
        if r.outcome == "refused":
            echo(f"refused     note {r.note_id} (interview {r.interview_id}) to {r.to}: {r.detail}")
            continue
        when = datetime.fromisoformat(r.due_at)
        if cancel:
            what = "no longer goes out by itself"
        elif when <= ctx.clock.now():  # due already: "goes out Thu 17 Dec" would be the past
            what = f"due since {local(when, ctx.user_tz)}: goes out when a worker next runs"
        else:
            what = f"goes out {local(when, ctx.user_tz)}"
        subject = f" «{r.subject}»" if r.subject else ""
        echo(f"{r.outcome:<11} note {r.note_id} (interview {r.interview_id}) to {r.to}{subject}:"
             f" {what}")  # fmt: skip
        if r.body:  # what is approved is what the user sees, every word of it
            echo("".join(f"    {line}\n" for line in r.body.splitlines()).rstrip("\n"))
    if any(r.outcome == "refused" for r in results):
        sys.exit(ExitCode.LINT)


@click.command()
@json_option
@pass_state
def sync(state: State, as_json: bool) -> None:
    """Read new mail once: replies stop sequences, out-of-office defers, bounces flag."""
    from followup.app.mailports import MailError

    try:
        report = _sync_once(state, show_progress=not as_json)
    except MailError as exc:
        raise _failure(exc) from exc
    if as_json:
        emit_json(
            {
                "read": report.read,
                "counts": report.counts,
                "events": [e._asdict() for e in report.events],
            }
        )
        return
    _say(report)


def _sync_once(state: State, show_progress: bool) -> Any:
    from followup.app import sending, syncing
    from followup.bootstrap import message_facts

    ctx = state.ctx
    setup = _setup(state)
    try:
        mailbox = setup.mailbox()
        if mailbox is None:
            raise InvalidInput("reading mail needs IMAP: set mail.imap_host")
        sending.reconcile(ctx, mailbox)
        with _progress(show_progress) as progress:
            return syncing.sync(ctx, mailbox, setup.identity(), message_facts, progress)
    finally:
        setup.close()


class _progress:
    """A progress bar while a long first sync runs, in a terminal only."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.bar: Any = None

    def __enter__(self) -> Any:
        if not self.enabled:
            return None
        from rich.progress import Progress

        self.bar = Progress(transient=True)
        self.bar.start()
        task = self.bar.add_task("reading mail", total=None)

        def update(done: int, total: int) -> None:
            if total > 200:
                self.bar.update(task, completed=done, total=total)

        return update

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


def _say(report: Any) -> None:
    if not report.events:
        echo(f"Read {report.read} new messages: nothing changes.")
        return
    echo(f"Read {report.read} new messages.")
    for event in report.events:
        echo(f"  interview {event.interview_id}: {event.kind} — {event.detail}")


@click.command()
@click.option("--timeout", default=300, show_default=True, help="Seconds between checks.")
@pass_state
def watch(state: State, timeout: int) -> None:
    """Keep reading new mail as it arrives (IMAP IDLE), reconnecting as needed. Ctrl-C stops."""
    from followup.app.mailports import TOO_SLOW, MailError

    pause = 5.0
    try:
        while True:
            try:
                report = _sync_once(state, show_progress=True)
                for event in report.events:
                    echo(f"interview {event.interview_id}: {event.kind} — {event.detail}")
                setup = _setup(state)
                try:
                    mailbox = setup.mailbox()
                    assert mailbox is not None
                    inbox = mailbox.folders().get("inbox", "INBOX")
                    mailbox.wait_for_news(inbox, timeout)
                finally:
                    setup.close()
                pause = 5.0
            except MailError as exc:
                if exc.permanent and TOO_SLOW not in str(exc):  # a slow server: later
                    raise _failure(exc) from exc
                warn(f"{exc}; trying again in {pause:.0f} s")
                time.sleep(pause)
                pause = min(pause * 2, 300)
    except KeyboardInterrupt:
        echo("stopped")


@click.group(name="mail")
def mail_group() -> None:
    """The mail account."""


@mail_group.command(name="test")
@json_option
@pass_state
def mail_test(state: State, as_json: bool) -> None:
    """Check both connections and say exactly what is wrong (exit 5 if one fails)."""
    result = _setup(state).check()
    if as_json:
        emit_json(result)
    else:
        echo(f"SMTP: {result['smtp']}")
        echo(f"IMAP: {result['imap']}")
    if not result["ok"]:
        sys.exit(ExitCode.CONFLICT)


@mail_group.command(name="setup")
@click.option("--address", metavar="EMAIL", help="Your address (asked for when not given).")
@click.option("--username", metavar="LOGIN", help="The login, when it is not the address.")
@click.option("--yes", is_flag=True, help="Write without asking (needs --address).")
@json_option
@pass_state
def mail_setup(
    state: State, address: str | None, username: str | None, yes: bool, as_json: bool
) -> None:
    """Set up the mail account from your address: recognises the provider (a preset, or the
    domain's MX, SRV or autoconfig), writes only what differs from the preset, then runs
    `mail test` when a password is at hand."""
    from followup import bootstrap
    from followup.app import mailsetup
    from followup.config import paths, settings
    from followup.config.mail import configured_servers

    if (yes or as_json) and not address:
        raise click.UsageError("--yes and --json need --address")
    if not address:
        address = click.prompt("Your e-mail address").strip()
    where = paths.resolve(state.settings_home)
    current = settings.load(where.config_file)
    found = mailsetup.find(address, bootstrap.mail_resolver(), configured_servers(current))
    plan = mailsetup.plan(found, current.values, username)
    if not as_json:
        for line in mailsetup.describe(found):
            echo(line)
        echo(f"Writing to {where.config_file}:")
        for key, value in plan.set.items():
            echo(f"  {key} = {settings.toml_value(value)}")
        why = " (the preset gives it)" if found.preset and not found.kept else ""
        for key in plan.remove:
            echo(f"  {key} removed{why}")
    if not (yes or as_json) and not click.confirm("Write these settings?", default=True):
        echo("Nothing written.")
        return
    settings.update(where.config_file, plan.set, plan.remove)
    result = _after_setup(state, found, as_json)
    if as_json:
        emit_json(
            {
                "provider": found.preset.id if found.preset else None,
                "found_by": found.how,
                "imap": found.imap._asdict() if found.imap else None,
                "smtp": found.smtp._asdict() if found.smtp else None,
                "set": plan.set,
                "removed": list(plan.remove),
                "test": result,
            }
        )
    if result is not None and not result["ok"]:
        sys.exit(ExitCode.CONFLICT)


@mail_group.command(name="login")
@click.option(
    "--provider",
    type=click.Choice(["microsoft", "google", "generic"]),
    help="Whose sign-in (default: your mail.provider's, else generic from mail.oauth.*).",
)
@json_option
@pass_state
def mail_login(state: State, provider: str | None, as_json: bool) -> None:
    """Sign in with OAuth2 (Microsoft: a code to enter at an address; Google: your browser
    comes back to this machine); the refresh token goes to the OS keyring, never a file."""
    from followup import bootstrap
    from followup.app.oauth import OAuthError, device_sign_in, pkce
    from followup.config import paths, settings
    from followup.config.mail import oauth_client

    where = paths.resolve(state.settings_home)
    current = settings.load(where.config_file)
    client = oauth_client(current, provider)
    if client is None:
        raise InvalidInput(
            "OAuth2 needs the client id of the app you registered (docs/mail.md):"
            " followup config set mail.oauth.client_id ID"
        )
    setup = _setup(state)
    username = setup.account.username
    store, endpoint = bootstrap.oauth_sign_in(client, setup.account.ca_file)
    say = tell if as_json else echo  # the code is what to do, not a warning

    def show_code(code: Any) -> None:
        say(f"To sign in, open {code.verification_uri} and enter the code {code.user_code}")

    try:
        if client.flow == "device":
            device = bootstrap.device_endpoint(client, endpoint)
            device_sign_in(device, store, setup.token_name(client), show_code, time.sleep)
        else:
            from followup.app.oauth import keep

            params = {**dict(client.params), "login_hint": username}
            tokens = bootstrap.loopback_sign_in(
                client, endpoint, params, pkce(),
                lambda url: say(f"To sign in, open this address in your browser:\n{url}"),
            )  # fmt: skip
            keep(store, setup.token_name(client), tokens)
    except OAuthError as exc:
        raise (Conflict if exc.temporary else InvalidInput)(f"sign-in failed: {exc}") from exc
    values: dict[str, object] = {}
    if current.mail("auth") != "oauth2" and setup.account.auth != "oauth2":
        values["mail.auth"] = "oauth2"
    if provider and provider != current.mail("oauth.provider"):
        values["mail.oauth.provider"] = provider
    if values:
        settings.update(where.config_file, values)
    if as_json:
        emit_json({"signed_in": username, "provider": client.provider, "set": values})
    else:
        echo(
            f"Signed in as {username} ({client.provider}): followup mail test checks both servers."
        )


@mail_group.command(name="password")
@json_option
@pass_state
def mail_password(state: State, as_json: bool) -> None:
    """Keep the mail password (or app password) in the OS keyring: asked twice, never echoed,
    never written to a file. Refused where there is no keyring (docs/mail.md, "No keyring?")."""
    from followup.app import mailsetup
    from followup.bootstrap_settings import keep_mail_password

    account = _setup(state).account
    if not mailsetup.password_works(account.preset):
        raise InvalidInput(
            f"{account.preset.name if account.preset else 'this provider'} takes no password:"
            " sign in with followup mail login"
        )
    if not account.username:
        raise InvalidInput(
            "no mail login yet: followup mail setup (or followup config set mail.username LOGIN)"
        )
    secret = click.prompt(
        f"Mail password for {account.username}",
        hide_input=True,
        confirmation_prompt="Again, to be sure",
        default="",
        show_default=False,
    )
    if not secret or any(c in secret for c in "\r\n\0"):
        raise InvalidInput("no password given (or one with a line break): nothing kept")
    keep_mail_password(account.username, secret)
    if as_json:
        emit_json({"kept_for": account.username})
    else:
        echo(f"Kept in the OS keyring for {account.username}: followup mail test checks it.")


def _after_setup(state: State, found: Any, quiet: bool) -> dict[str, Any] | None:
    """`mail test` when a password is at hand; otherwise the line that says what is next."""
    from followup.app import mailsetup

    if not mailsetup.password_works(found.preset):
        warn(
            f"{found.preset.name} signs in with OAuth2 only: set the client id of the app you"
            " registered (followup config set mail.oauth.client_id ID), then followup mail login"
        )
        return None
    setup = _setup(state)
    if not setup.has_password():
        warn(
            "no password yet: keep it in the OS keyring with followup mail password (or the"
            " dashboard's Settings), or set FOLLOWUP_MAIL_PASSWORD or mail.password_command"
            " (e.g. 'pass show mail'); then run `followup mail test`"
        )
        return None
    result: dict[str, Any] = setup.check()
    if not quiet:
        echo(f"SMTP: {result['smtp']}")
        echo(f"IMAP: {result['imap']}")
    return result


COMMANDS = (send, sync, watch, mail_group)
