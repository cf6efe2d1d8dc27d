"""`followup db`: the database's schema migrations (SQLite's file, or PostgreSQL's schemas)."""

from __future__ import annotations

import sys
from typing import Any

import click

from followup.app.errors import ExitCode
from followup.cli.render import echo, emit_json
from followup.cli.state import State, json_option, pass_state


@click.group()
def db() -> None:
    """The database's schema: migrate it, or show its version.

    With FOLLOWUP_DATABASE_URL (server mode) this is the PostgreSQL database: the server's
    schema `followup` and each user's schema u<id>. Otherwise it is your SQLite file, which
    followup also migrates by itself whenever it opens it.
    """


@db.command(name="migrate")
@click.option(
    "--jobs",
    type=click.IntRange(1, 64),
    default=None,
    help="Server mode: how many user schemas to migrate at once, each on its own connection"
    " (default: the number of CPUs, at most 4).",
)
@json_option
@pass_state
def migrate(state: State, jobs: int | None, as_json: bool) -> None:
    """Apply the migrations the database lacks (safe to run twice, or from two places at once).

    Server mode: the server's schema first, then the user schemas, several at a time
    (--jobs). Each user schema is migrated in one transaction, so a run that is stopped
    leaves every schema migrated or untouched: run it again to finish the rest. A schema
    that fails is named on stderr, the others are still migrated, and the exit code is 6.
    """
    from followup.bootstrap import open_database, server_mode
    from followup.cli.progress import Bar

    if not server_mode():
        _sqlite_migrate(state, as_json)
        return
    database = open_database()
    server = database.migrate_server()
    with Bar("Migrating", unit="schemas") as bar:
        done = database.migrate_tenants(jobs, progress=bar.hook)
    tenants = [
        {"user_id": uid, "schema": f"u{uid}", "applied": applied}
        for uid, applied in sorted(done.applied.items())
    ]
    failed = [
        {"user_id": uid, "schema": f"u{uid}", "error": reason}
        for uid, reason in sorted(done.failed.items())
    ]
    if as_json:
        emit_json(
            {
                "backend": "postgresql",
                "database": database.where,
                "server": server,
                "tenants": tenants,
                "failed": failed,
            }
        )
    else:
        echo(f"PostgreSQL {database.where}")
        echo(_applied("server (followup)", server))
        if done.total:
            migrated = sum(1 for t in tenants if t["applied"])
            echo(
                f"user schemas: {done.total:,}: {migrated:,} migrated,"
                f" {len(tenants) - migrated:,} up to date, {len(failed):,} failed"
            )
        else:
            echo("no user schemas yet (each is made with its user)")
    if failed:
        for item in failed:
            sys.stderr.write(f"followup: error: schema {item['schema']}: {item['error']}\n")
        sys.exit(int(ExitCode.STORE))


@db.command(name="status")
@json_option
@pass_state
def status(state: State, as_json: bool) -> None:
    """Show the schema version of the database (server mode: the server's and each user's)."""
    from followup.bootstrap import open_database, server_mode

    if not server_mode():
        data = _sqlite_status(state)
        if as_json:
            emit_json(data)
            return
        echo(f"SQLite {data['database']}")
        echo(_version_line("schema", data))
        return
    found = open_database().status()
    if as_json:
        emit_json(found)
        return
    echo(f"PostgreSQL {found['database']}")
    echo(_version_line("server (followup)", found["server"]))
    latest = found["tenant_latest"]
    for tenant in found["tenants"]:
        echo(_version_line(tenant["schema"], {**tenant, "latest": latest}))
    if not found["tenants"]:
        echo("no user schemas yet")


def _applied(label: str, names: list[str]) -> str:
    return f"{label}: applied {', '.join(names)}" if names else f"{label}: up to date"


def _version_line(label: str, data: dict[str, Any]) -> str:
    pending = data["pending"]
    tail = "up to date" if not pending else f"{pending} pending: run `followup db migrate`"
    return f"{label}: version {data['version']} of {data['latest']}, {tail}"


# --- SQLite ---------------------------------------------------------------------------------


def _sqlite_status(state: State) -> dict[str, Any]:
    from followup.bootstrap import sqlite_versions

    path, version, latest = sqlite_versions(state.home)
    return {
        "backend": "sqlite",
        "database": str(path),
        "version": version,
        "latest": latest,
        "pending": max(latest - version, 0),
    }


def _sqlite_migrate(state: State, as_json: bool) -> None:
    from followup.bootstrap import migrate_sqlite

    path, after, applied = migrate_sqlite(state.home)
    if as_json:
        emit_json(
            {"backend": "sqlite", "database": str(path), "version": after, "applied": applied}
        )
        return
    echo(f"SQLite {path}")
    echo(_applied(f"schema (version {after})", applied))


COMMANDS = (db,)
