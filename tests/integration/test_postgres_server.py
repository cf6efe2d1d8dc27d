"""The PostgreSQL fixture itself: a real server that the suite's server-mode tests rely on."""

from __future__ import annotations

import pytest

from tests.integration.postgres import PostgresServer

pytestmark = pytest.mark.integration


def test_each_test_gets_its_own_empty_database(
    postgres_server: PostgresServer, postgres_url: str
) -> None:
    name = postgres_url.rsplit("/", 1)[1]
    out = postgres_server.psql(
        "CREATE TABLE t (x int); INSERT INTO t VALUES (41); SELECT x + 1 FROM t", name
    )
    assert out.strip() == "42"
    assert (
        postgres_server.psql("SELECT count(*) FROM pg_tables WHERE tablename = 't'").strip() == "0"
    )
