"""`followup`'s entry point: global options, the lazy service context, and error handling."""

from __future__ import annotations

import sys

import click

from followup.app.errors import ExitCode
from followup.cli.errors import ReaderGone, fail, guarded
from followup.cli.state import State


class _Commands(click.Group):
    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except BrokenPipeError as exc:  # click would exit 1 without a word; `guarded` exits 0
            raise ReaderGone from exc


@click.group(
    cls=_Commands,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--home",
    type=click.Path(file_okay=False),
    envvar="FOLLOWUP_HOME",
    help="Keep config and data in DIR (default: your platform's user dirs; env FOLLOWUP_HOME).",
)
@click.version_option(package_name="followup")
@click.pass_context
def cli(click_ctx: click.Context, home: str | None) -> None:
    """Know when to follow up after a job interview, what to write, and when to stop.

    Run with no command to see the agenda: the next note of every open sequence.
    """
    click_ctx.obj = State(home)
    if click_ctx.invoked_subcommand is None:
        from followup.cli.interviews import agenda

        click_ctx.invoke(agenda)


def _register() -> None:
    from followup.cli import (
        admin,
        caldav,
        db,
        history,
        interviews,
        lint,
        mail,
        mail_read,
        messages,
        portability,
        stats,
        users,
        web,
        worker,
    )

    for command in (
        *interviews.COMMANDS,
        *history.COMMANDS,
        *messages.COMMANDS,
        *lint.COMMANDS,
        *mail.COMMANDS,
        *mail_read.COMMANDS,
        *admin.COMMANDS,
        *portability.COMMANDS,
        *stats.COMMANDS,
        *web.COMMANDS,
        *caldav.COMMANDS,
        *db.COMMANDS,
        *worker.COMMANDS,
        *users.COMMANDS,
    ):
        cli.add_command(command)


_register()


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; every error a user can cause is one line on stderr and an exit code."""
    guarded(lambda: _click_main(argv))


def _click_main(argv: list[str] | None) -> None:
    try:
        cli.main(args=argv, prog_name="followup", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.Abort:
        fail("aborted", ExitCode.ERROR)
    except click.ClickException as exc:
        exc.show()
        sys.exit(ExitCode.USAGE if isinstance(exc, click.UsageError) else ExitCode.ERROR)
