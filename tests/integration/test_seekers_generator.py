"""The benchmarks' fast generator of seekers (benchmarks/seekers.py, issue 17) makes what the
real code makes: a schema cloned from a migrated one's DDL equals a schema the migrations
made, and a seeker's rows copied with the triggers off, with what the triggers would have
written copied beside them, equal the same seeker's rows copied with every trigger firing.
Without these, the lateness measured on 10,000 generated seekers would be measured on
something the product never makes."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.integration.postgres import PostgresServer

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def seekers() -> Iterator[Any]:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import seekers as module

        yield module
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))


@pytest.fixture
def direct_url(
    postgres_server: PostgresServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """A database of its own, reached directly (pg_dump and session_replication_role need
    a session, not PgBouncer's transaction pooling)."""
    name = postgres_server.create_database()
    url = postgres_server.url(name)
    monkeypatch.setenv("FOLLOWUP_DATABASE_URL", url)
    monkeypatch.setenv("FOLLOWUP_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("FOLLOWUP_NOW", raising=False)
    monkeypatch.delenv("FOLLOWUP_DATABASE_DIRECT_URL", raising=False)
    yield url
    from followup import bootstrap

    bootstrap.close_databases()
    postgres_server.drop_database(name)


def _named(text: Any, schema: str) -> Any:
    """The schema's name as S (a clone and its original differ only by it)."""
    if not isinstance(text, str):
        return text
    return re.sub(rf"(?<![\w$]){schema}(?![\w$])", "S", text)


def _shape(conn: Any, schema: str) -> dict[str, list[Any]]:
    """What the migrations made in `schema`: every catalog object, and its rows."""

    def rows(sql: str) -> list[Any]:
        found = conn.execute(sql, {"s": schema}).fetchall()
        return sorted(tuple(_named(v, schema) for v in row) for row in found)

    ns = "(SELECT oid FROM pg_namespace WHERE nspname = %(s)s)"
    shape = {
        "columns": rows(
            "SELECT table_name, column_name, ordinal_position, data_type, is_nullable,"
            " column_default, is_identity, identity_generation"
            " FROM information_schema.columns WHERE table_schema = %(s)s"
        ),
        "indexes": rows("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = %(s)s"),
        "constraints": rows(
            "SELECT c.conname, r.relname, pg_get_constraintdef(c.oid) FROM pg_constraint c"
            f" JOIN pg_class r ON r.oid = c.conrelid WHERE c.connamespace = {ns}"
        ),
        # a WHEN read back from pg_dump's text gains parentheses: compared without them
        "triggers": rows(
            "SELECT t.tgname, translate(pg_get_triggerdef(t.oid), '()', '') FROM pg_trigger t"
            f" JOIN pg_class r ON r.oid = t.tgrelid WHERE r.relnamespace = {ns}"
            " AND NOT t.tgisinternal"
        ),
        "functions": rows(
            f"SELECT proname, pg_get_functiondef(oid) FROM pg_proc WHERE pronamespace = {ns}"
        ),
        "sequences": rows(
            "SELECT sequencename, data_type, start_value, increment_by, last_value"
            " FROM pg_sequences WHERE schemaname = %(s)s"
        ),
        "relations": rows(
            f"SELECT relname, relkind, relpersistence FROM pg_class WHERE relnamespace = {ns}"
            " AND relkind <> 'i'"
        ),
        "migrations": rows(f"SELECT version, name FROM {schema}.schema_migrations"),
    }
    for (table,) in conn.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = %(s)s"
        " AND table_name <> 'schema_migrations'",
        {"s": schema},
    ).fetchall():
        shape[f"rows of {table}"] = rows(f"SELECT * FROM {schema}.{table}")
    return shape


def _server_rows(conn: Any, user_id: int) -> dict[str, list[Any]]:
    """The seeker's rows in schema `followup` (the mailbox's next read is random)."""
    out = {}
    for table, who in (
        ("coach_summary", "user_id"),
        ("coach_statuses", "user_id"),
        ("coach_open", "user_id"),
        ("note_queue", "tenant"),
    ):
        found = conn.execute(f"SELECT * FROM followup.{table} WHERE {who} = %s", (user_id,))
        out[table] = sorted(found.fetchall())
    out["mailbox_queue"] = conn.execute(
        "SELECT tenant, held_by FROM followup.mailbox_queue WHERE tenant = %s", (user_id,)
    ).fetchall()
    return out


def test_a_cloned_schema_equals_one_the_migrations_made(seekers: Any, direct_url: str) -> None:
    import psycopg

    from followup.adapters.store.postgres import PostgresDatabase

    with PostgresDatabase(direct_url) as database:
        database.migrate_tenant(2)  # the template
        database.migrate_tenant(3)  # made as the product makes it
    with psycopg.connect(direct_url, autocommit=True) as conn:
        clone = seekers.clone_sql(conn, direct_url, 2)
        with conn.transaction():  # two at once, as the generator batches them
            conn.execute(";\n".join(seekers._fill(clone, k) for k in (4, 5)))
        migrated, cloned = _shape(conn, "u3"), _shape(conn, "u4")
        assert migrated["migrations"] and migrated["triggers"] and migrated["functions"]
        assert migrated["rows of stats_kinds"]  # a migration's rows, copied
        for part in migrated:
            assert cloned[part] == migrated[part], part
        assert cloned == migrated
        assert _server_rows(conn, 4) == {
            table: [tuple(4 if v == 3 else v for v in row) for row in found]
            for table, found in _server_rows(conn, 3).items()
        }
        assert _server_rows(conn, 4)["mailbox_queue"]  # read on the mailbox queue too
    with PostgresDatabase(direct_url) as database:
        status = {t["user_id"]: t["pending"] for t in database.status()["tenants"]}
        assert status[4] == status[5] == 0  # nothing left for `db migrate` to do


def test_rows_copied_with_the_triggers_off_equal_the_triggers_work(
    seekers: Any, direct_url: str, tmp_path: Path
) -> None:
    import psycopg

    from followup.adapters.store.postgres import PostgresDatabase

    home = tmp_path / "home"
    seekers.generate(
        direct_url,
        home,
        2,
        3,
        ("127.0.0.1", 9),
        jobs=1,
        say=lambda *_: None,
        schemas="migrate",
        fill="triggers",
    )
    with psycopg.connect(direct_url, autocommit=True) as conn:
        by_triggers = _shape(conn, "u2"), _server_rows(conn, 2)
        assert by_triggers[1]["note_queue"] and by_triggers[1]["coach_open"]
        assert by_triggers[0]["rows of stats_sequences"] and by_triggers[0]["rows of board_latest"]
        # the same seeker again, from an empty schema, copied with the triggers off
        conn.execute("DROP SCHEMA u2 CASCADE")
        for table, who in (
            ("coach_summary", "user_id"),
            ("coach_statuses", "user_id"),
            ("coach_open", "user_id"),
            ("note_queue", "tenant"),
            ("mailbox_queue", "tenant"),
        ):
            conn.execute(f"DELETE FROM followup.{table} WHERE {who} = 2")
    with PostgresDatabase(direct_url) as database:
        database.migrate_tenant(2)
    key = bytes.fromhex((home / "users" / "1" / "approval.key").read_text().strip())
    with psycopg.connect(direct_url, autocommit=True) as conn:
        sql = seekers._copy_all_sql(conn, key)
        seekers._in_parallel(direct_url, sql, [2], 1, print, "filled")
        by_copy = _shape(conn, "u2"), _server_rows(conn, 2)
    for part in by_triggers[0]:
        assert by_copy[0][part] == by_triggers[0][part], part
    assert by_copy[1] == by_triggers[1]
