"""Server mode through PgBouncer in transaction mode (tests/integration/pgbouncer.py: one
server connection shared by every client, so session state left by one client is met by
the next at once). docs/deployment.md, "PgBouncer", says what works and what does not."""

from __future__ import annotations

import pytest

from followup.adapters.store.postgres import PostgresDatabase, tenant_migrations
from tests.server.test_migrate import PENDING, old_tenants, versions

pytest_plugins = ["tests.integration.pgbouncer"]
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


@pytest.mark.xfail(
    strict=True,
    reason="a seeker's store sets search_path once per borrowed connection (a session SET):"
    " through transaction pooling another seeker's SET wins (docs/deployment.md, PgBouncer)",
)
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
