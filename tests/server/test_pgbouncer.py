"""Server mode through PgBouncer in transaction mode (tests/integration/pgbouncer.py: one
server connection shared by every client, so session state left by one client is met by
the next at once). docs/deployment.md, "PgBouncer", says what works and what does not."""

from __future__ import annotations

import pytest

from followup.adapters.store.postgres import PostgresDatabase, tenant_migrations
from followup.app.errors import StoreUnavailable
from tests.server.test_migrate import PENDING, old_tenants, versions

pytestmark = pytest.mark.integration


def test_db_migrate_runs_through_transaction_pooling(
    database: PostgresDatabase, pgbouncer_url: str
) -> None:
    users = old_tenants(database, 12)
    with PostgresDatabase(pgbouncer_url, max_size=1) as pooled:
        done = pooled.migrate_tenants(jobs=3)
    assert done.failed == {}
    assert done.applied == {u: PENDING for u in users}
    assert set(versions(database).values()) == {tenant_migrations()[-1][0]}


def test_each_seekers_store_reads_its_own_schema_through_transaction_pooling(
    database: PostgresDatabase, pgbouncer_url: str
) -> None:
    database.create_tenant(1)
    database.create_tenant(2)
    with database.connection() as conn:  # a mark in u1 only
        conn.execute("INSERT INTO u1.schema_migrations VALUES (0, 'mark', 'x')")
    with PostgresDatabase(pgbouncer_url, max_size=2) as pooled:
        one, two = pooled.tenant_store(1), pooled.tenant_store(2)
        try:
            # schema_migrations exists in both schemas: which one answers is the question
            mine = one._one("SELECT MIN(version) FROM schema_migrations")
            theirs = two._one("SELECT MIN(version) FROM schema_migrations")
        finally:
            one.close()
            two.close()
    assert (mine, theirs) == ((0,), (1,))


def test_seekers_alternating_reads_and_writes_through_transaction_pooling(
    database: PostgresDatabase, pgbouncer_url: str
) -> None:
    """Two seekers' stores take turns on the one server session, each query more often than
    psycopg's prepare threshold: every write lands in its own schema, every read sees it."""
    database.create_tenant(1)
    database.create_tenant(2)
    with PostgresDatabase(pgbouncer_url, max_size=2) as pooled:
        stores = {1: pooled.tenant_store(1), 2: pooled.tenant_store(2)}
        try:
            for n in range(8):
                for uid, store in stores.items():
                    with store.transaction():
                        store._execute(
                            "INSERT INTO schema_migrations VALUES (?, ?, 'x')",
                            (1000 + n, f"u{uid}-{n}"),
                        )
                    mine = store._all("SELECT name FROM schema_migrations WHERE version >= 1000")
                    assert {name for (name,) in mine} == {f"u{uid}-{k}" for k in range(n + 1)}
        finally:
            for store in stores.values():
                store.close()
    with database.connection() as conn:
        for uid in (1, 2):
            rows = conn.execute(f"SELECT name FROM u{uid}.schema_migrations WHERE version >= 1000")
            assert sorted(r[0] for r in rows) == sorted(f"u{uid}-{n}" for n in range(8))


def test_listen_on_the_direct_connection_hears_a_notify_sent_through_the_pooler(
    database: PostgresDatabase, pgbouncer_url: str, postgres_direct_url: str
) -> None:
    """What a worker waiting for work needs (LISTEN keeps a server session, which
    transaction pooling cannot give): `direct()` reaches PostgreSQL itself."""
    pooled = PostgresDatabase(pgbouncer_url, direct_url=postgres_direct_url, max_size=2)
    with pooled, pooled.direct() as listener:
        listener.execute("LISTEN followup_test")
        with pooled.connection() as conn:  # through PgBouncer
            conn.execute("SELECT pg_notify('followup_test', 'wake')")
        heard = [n.payload for n in listener.notifies(timeout=5, stop_after=1)]
    assert heard == ["wake"]


def test_a_direct_url_that_is_not_one_is_a_clear_error(pgbouncer_url: str) -> None:
    with pytest.raises(
        StoreUnavailable, match=r"^FOLLOWUP_DATABASE_DIRECT_URL is not a PostgreSQL URL \("
    ):
        PostgresDatabase(pgbouncer_url, direct_url="mysql: //nope")
