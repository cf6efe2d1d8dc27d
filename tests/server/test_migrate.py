"""`followup db migrate` on many user schemas: several at a time, each schema in one
transaction (migrated or untouched, never half), resumable after a kill, a failing schema
named while the others are still migrated."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psycopg
import pytest

from followup.adapters.store.postgres import (
    MIGRATE_LOCK,
    PostgresDatabase,
    _migrate,
    schema_of,
    tenant_migrations,
)
from tests.conftest import Run

pytestmark = pytest.mark.integration

MAIN = "import sys\nfrom followup.cli.entry import main\nmain(sys.argv[1:])"
LATEST = tenant_migrations()[-1][0]
OLD = 20  # an older release's schemas: up to 0020; 0021 (index notes_failed) and later to do
PENDING = [f"{v:04d}_{n}" for v, n, _ in tenant_migrations() if v > OLD]


def old_tenants(database: PostgresDatabase, count: int) -> list[int]:
    """`count` user schemas made by an older release (the migrations after OLD missing)."""
    with database.connection() as conn:
        for uid in range(1, count + 1):
            _migrate(conn, schema_of(uid), uid, [m for m in tenant_migrations() if m[0] <= OLD])
    return list(range(1, count + 1))


def versions(database: PostgresDatabase) -> dict[int, int]:
    return {t["user_id"]: t["version"] for t in database.status()["tenants"]}


def has_latest_index(database: PostgresDatabase, uid: int) -> bool:
    """The first pending migration's own object (0021: index notes_failed) is there."""
    with database.connection() as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_indexes WHERE schemaname = %s AND indexname = 'notes_failed'",
            (schema_of(uid),),
        ).fetchone()
    return bool(row and row[0])


def waiting_for(conn: psycopg.Connection[Any], uids: list[int]) -> int:
    row = conn.execute(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
        " AND classid = %s AND objid = ANY(%s)",
        (MIGRATE_LOCK, uids),
    ).fetchone()
    return int(row[0]) if row else 0


def test_killed_mid_run_leaves_each_schema_whole_and_a_second_run_finishes(
    database: PostgresDatabase, server_url: str, postgres_direct_url: str, home: Path, run: Run
) -> None:
    users = old_tenants(database, 30)
    held = [10, 11]
    env = {**os.environ, "FOLLOWUP_DATABASE_URL": server_url, "FOLLOWUP_HOME": str(home)}
    # The jobs' connections go to PostgreSQL itself (the same URL unless the suite runs
    # through PgBouncer, whose one server connection could not have both jobs waiting).
    env["FOLLOWUP_DATABASE_DIRECT_URL"] = postgres_direct_url
    env["PYTHONPATH"] = os.pathsep.join(p for p in (os.environ.get("PYTHONPATH"), ".") if p)
    # a session advisory lock: on a connection of its own, never a pooler's shared session
    with psycopg.connect(postgres_direct_url, autocommit=True) as holder:
        # Two schemas locked as if another process were migrating them: both jobs of the
        # run below wait on them at once (so it does run two at a time), then it is killed.
        for uid in held:
            holder.execute("SELECT pg_advisory_lock(%s, %s)", (MIGRATE_LOCK, uid))
        proc = subprocess.Popen(
            [sys.executable, "-c", MAIN, "db", "migrate", "--jobs", "2"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            deadline = time.monotonic() + 60
            while waiting_for(holder, held) < 2:
                assert proc.poll() is None, proc.communicate()
                if time.monotonic() > deadline:
                    pytest.fail("the run never had both jobs waiting")
                time.sleep(0.02)
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
        for uid in held:
            holder.execute("SELECT pg_advisory_unlock(%s, %s)", (MIGRATE_LOCK, uid))

    after_kill = versions(database)
    assert set(after_kill.values()) <= {OLD, LATEST}  # never one migration of two
    assert [u for u in users if after_kill[u] == LATEST] == list(range(1, 10))
    for uid in users:  # the migrations' objects agree with the recorded version
        assert has_latest_index(database, uid) == (after_kill[uid] == LATEST)

    again = run("db", "migrate", "--json")
    assert again.code == 0, again.err
    applied = {t["user_id"]: t["applied"] for t in again.json["tenants"]}
    assert applied == {u: ([] if u < 10 else PENDING) for u in users}
    assert again.json["failed"] == []
    assert set(versions(database).values()) == {LATEST}


def test_a_failing_schema_is_named_and_the_others_are_migrated(
    database: PostgresDatabase, run: Run
) -> None:
    users = old_tenants(database, 6)
    with database.connection() as conn:  # u3 holds a name the last migration needs
        conn.execute("CREATE INDEX notes_failed ON u3.interviews (id)")

    done = run("db", "migrate", "--jobs", "3")
    assert done.code == 6
    assert done.err.count("\n") == 1, done.err
    assert done.err.startswith("followup: error: schema u3: ")
    assert "notes_failed" in done.err and "Traceback" not in done.err
    assert "user schemas: 6: 5 migrated, 0 up to date, 1 failed" in done.out
    found = versions(database)
    assert found == {u: (OLD if u == 3 else LATEST) for u in users}  # u3 untouched

    as_json = run("db", "migrate", "--json")
    assert as_json.code == 6
    assert [(f["user_id"], f["schema"]) for f in as_json.json["failed"]] == [(3, "u3")]
    assert {t["user_id"] for t in as_json.json["tenants"]} == {1, 2, 4, 5, 6}


def test_progress_counts_every_schema_once(database: PostgresDatabase) -> None:
    users = old_tenants(database, 7)
    seen: list[tuple[int, int]] = []
    done = database.migrate_tenants(jobs=4, progress=lambda n, total: seen.append((n, total)))
    assert seen == [(n, 7) for n in range(1, 8)]
    assert done.total == 7 and done.failed == {}
    assert done.applied == {u: PENDING for u in users}
    assert database.migrate_tenants(jobs=4).applied == {u: [] for u in users}


def test_jobs_must_be_a_positive_number(run: Run, server_url: str) -> None:
    refused = run("db", "migrate", "--jobs", "0")
    assert refused.code == 2
    assert "--jobs" in refused.err and "Traceback" not in refused.err


def test_a_schemas_version_is_one_query_outside_a_transaction(
    database: PostgresDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker's first visit to each seeker checks their schema's version: one round trip
    (the table read, its absence told by the error), where two were spent; inside a
    transaction, where an error would end it, the look-up first, as before."""
    from followup.adapters.store.postgres import _version

    old_tenants(database, 1)
    sent: list[str] = []
    execute = psycopg.Cursor.execute  # every statement's way (Connection.execute's too)

    def counted(self: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
        sent.append(str(query))
        return execute(self, query, *args, **kwargs)

    with database.connection() as conn:
        conn.execute("CREATE SCHEMA u7")  # a user's schema not made yet
        monkeypatch.setattr(psycopg.Cursor, "execute", counted)
        assert _version(conn, "u1") == OLD
        assert len(sent) == 1
        assert _version(conn, "u7") == _version(conn, "u8") == 0  # no table, no schema
        assert conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
        with conn.transaction():
            assert _version(conn, "u7") == 0 and _version(conn, "u1") == OLD
            assert conn.execute("SELECT 1").fetchone() == (1,)  # the transaction still usable
