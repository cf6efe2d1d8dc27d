"""`followup db`: the database's schema migrations (SQLite's file, or PostgreSQL's schemas)."""

from __future__ import annotations

from typing import Any

import click

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
@json_option
@pass_state
def migrate(state: State, as_json: bool) -> None:
    """Apply the migrations the database lacks (safe to run twice, or from two places at once)."""
    from followup.bootstrap import open_database, server_mode

    if not server_mode():
        _sqlite_migrate(state, as_json)
        return
    database = open_database()
    done = database.migrate()
    tenants = [
        {"user_id": uid, "schema": f"u{uid}", "applied": applied}
        for uid, applied in sorted(done["tenants"].items())
    ]
    if as_json:
        emit_json(
            {
                "backend": "postgresql",
                "database": database.where,
                "server": done["server"],
                "tenants": tenants,
            }
        )
        return
    echo(f"PostgreSQL {database.where}")
    echo(_applied("server (followup)", done["server"]))
    for tenant in tenants:
        echo(_applied(tenant["schema"], tenant["applied"]))
    if not tenants:
        echo("no user schemas yet (each is made with its user)")


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
