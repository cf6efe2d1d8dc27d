"""`followup users …`: accounts in server mode (FOLLOWUP_DATABASE_URL), see docs/deployment.md.

A password never comes from the command line (it would sit in the shell's history and in
`ps`): it is asked for twice in a terminal, or read from the first line of standard input
with `--password-stdin`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TypeVar

import click

from followup.app.errors import InvalidInput
from followup.cli.render import echo, emit_json, table
from followup.cli.state import json_option

if TYPE_CHECKING:
    from followup.app.accounts import Accounts
    from followup.app.rows import User

T = TypeVar("T")


@contextmanager
def _accounts() -> Iterator[Accounts]:
    from followup.bootstrap_accounts import accounts_on, open_database

    yield accounts_on(open_database())  # the process's pool, closed at exit


def _with_accounts(work: Callable[[Accounts], T]) -> T:
    with _accounts() as acc:
        return work(acc)


def _user_json(user: User, clients: list[str] | None = None) -> dict[str, object]:
    from followup.app.views import iso

    out: dict[str, object] = {
        "id": user.id,
        "email": user.email,
        "role": user.role,
        "created_at": iso(user.created_at),
        "disabled": user.disabled,
    }
    if clients is not None:
        out["clients"] = clients
    return out


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        return line.removesuffix("\n").removesuffix("\r")
    try:
        return str(click.prompt("Password", hide_input=True, confirmation_prompt=True, err=True))
    except click.Abort:  # nothing to read (a script's empty input): not a bare "Aborted!"
        raise InvalidInput(
            "no password given: type it when asked, or give it on standard input with"
            " --password-stdin"
        ) from None


@click.group()
def users() -> None:
    """Accounts in server mode: seekers, coaches, admins (needs FOLLOWUP_DATABASE_URL)."""


@users.command(name="add")
@click.argument("email")
@click.option(
    "--role",
    required=True,
    metavar="seeker|coach|admin",
    help="seeker: has follow-ups; coach: sees linked seekers' adherence; admin: manages users.",
)
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input (else: asked twice).",
)
@json_option
def users_add(email: str, role: str, password_stdin: bool, as_json: bool) -> None:
    """Create the account EMAIL (a seeker gets their own data schema with it)."""
    from followup.app import accounts
    from followup.bootstrap_accounts import require_server_mode

    require_server_mode()
    accounts.normal_email(email)  # say what is wrong before asking for a password
    accounts.check_role(role)
    password = accounts.check_password(_read_password(password_stdin))
    user = _with_accounts(lambda acc: accounts.add_user(acc, email, role, password))
    if as_json:
        emit_json(_user_json(user))
    else:
        echo(f"added {user.role} {user.email} (id {user.id})")


@users.command(name="list")
@json_option
def users_list(as_json: bool) -> None:
    """Every account: id, address, role, whether disabled, a coach's clients."""
    from followup.app import accounts

    found = _with_accounts(accounts.list_users)
    if as_json:
        emit_json([_user_json(u, clients) for u, clients in found])
        return
    if not found:
        echo("no accounts yet: followup users add EMAIL --role admin")
        return
    table(
        ["Id", "E-mail", "Role", "State", "Clients"],
        [
            [
                str(u.id),
                u.email,
                u.role,
                "disabled" if u.disabled else "active",
                ", ".join(clients) if u.role == "coach" else "",
            ]
            for u, clients in found
        ],
    )


@users.command(name="link")
@click.argument("coach")
@click.argument("client")
@json_option
def users_link(coach: str, client: str, as_json: bool) -> None:
    """Let COACH see CLIENT's follow-up adherence (counts only, never the notes)."""
    from followup.app import accounts

    c, s = _with_accounts(lambda acc: accounts.link(acc, coach, client))
    if as_json:
        emit_json({"coach": c.email, "client": s.email, "linked": True})
    else:
        echo(f"{s.email} is now a client of {c.email}")


@users.command(name="unlink")
@click.argument("coach")
@click.argument("client")
@json_option
def users_unlink(coach: str, client: str, as_json: bool) -> None:
    """End COACH's view of CLIENT."""
    from followup.app import accounts

    c, s = _with_accounts(lambda acc: accounts.unlink(acc, coach, client))
    if as_json:
        emit_json({"coach": c.email, "client": s.email, "linked": False})
    else:
        echo(f"{s.email} is no longer a client of {c.email}")


@users.command(name="disable")
@click.argument("email")
@json_option
def users_disable(email: str, as_json: bool) -> None:
    """Stop EMAIL from signing in and end their sessions now (their data stays)."""
    from followup.app import accounts

    user = _with_accounts(lambda acc: accounts.disable(acc, email))
    if as_json:
        emit_json(_user_json(user))
    else:
        echo(f"disabled {user.email}; their sessions ended")


@users.command(name="enable")
@click.argument("email")
@json_option
def users_enable(email: str, as_json: bool) -> None:
    """Let a disabled EMAIL sign in again."""
    from followup.app import accounts

    user = _with_accounts(lambda acc: accounts.enable(acc, email))
    if as_json:
        emit_json(_user_json(user))
    else:
        echo(f"enabled {user.email}")


@users.command(name="passwd")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the new password from stdin.")
@json_option
def users_passwd(email: str, password_stdin: bool, as_json: bool) -> None:
    """Set EMAIL's password (their sessions end)."""
    from followup.app import accounts
    from followup.bootstrap_accounts import require_server_mode

    require_server_mode()
    password = accounts.check_password(_read_password(password_stdin))
    user = _with_accounts(lambda acc: accounts.set_password(acc, email, password))
    if as_json:
        emit_json(_user_json(user))
    else:
        echo(f"new password set for {user.email}; their sessions ended")


COMMANDS = (users,)
