"""The composition root of accounts (server mode): the PostgreSQL database, argon2, the clock.

Beside bootstrap.py, which opens one user's service context; this opens the server-wide
accounts (followup.users, coach_clients, sessions) that decide *which* user that is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from followup.app.errors import ExitCode, FollowupError
from followup.bootstrap import DATABASE_URL_ENV as DATABASE_URL
from followup.bootstrap import server_mode

if TYPE_CHECKING:
    from followup.adapters.store.postgres import PostgresDatabase
    from followup.app.accounts import Accounts


class NotServerMode(FollowupError):
    """An accounts feature asked for without FOLLOWUP_DATABASE_URL."""

    code = ExitCode.USAGE


def require_server_mode() -> None:
    """One clear line (exit 2) unless FOLLOWUP_DATABASE_URL is set."""
    if not server_mode():
        raise NotServerMode(
            f"accounts are a server-mode feature: set {DATABASE_URL}=postgresql://... (see"
            " docs/deployment.md)"
        )


def accounts_on(db: PostgresDatabase) -> Accounts:
    """The account use-cases' ports over an open database."""
    from followup.adapters.passwords import Argon2Passwords
    from followup.adapters.store.accounts import PostgresAccounts
    from followup.app.accounts import Accounts
    from followup.bootstrap import clock_from_env

    return Accounts(
        store=PostgresAccounts(db),
        passwords=Argon2Passwords(),
        tenants=db,
        clock=clock_from_env(),
    )


def open_database() -> PostgresDatabase:
    """The server's database: the process's one pool (bootstrap.open_database), after saying
    in one line that accounts need server mode when FOLLOWUP_DATABASE_URL is not set."""
    from followup import bootstrap

    require_server_mode()
    return bootstrap.open_database()
