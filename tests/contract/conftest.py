"""The store ports' contract suites run against every adapter: memory, SQLite, PostgreSQL.

Each suite (one class per port, tests/contract/test_*_store.py) takes the `store` fixture,
which gives each adapter in turn; PostgreSQL's is tenant 1's schema of a fresh database,
marked `integration` (a real server, started by tests/integration/postgres.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from followup.app.ports import Store


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.import_plugin("tests.integration.postgres")  # `postgres_url`


@pytest.fixture(
    params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.integration)]
)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "memory":
        from followup.adapters.store.memory import MemoryStore

        yield MemoryStore()
    elif request.param == "sqlite":
        from followup.adapters.store.sqlite import SqliteStore

        s = SqliteStore(tmp_path / "followup.db")
        yield s
        s.close()
    else:
        from followup.adapters.store.postgres import PostgresDatabase

        db = PostgresDatabase(request.getfixturevalue("postgres_url"), max_size=2)
        tenant = db.tenant_store(1)
        yield tenant
        tenant.close()
        db.close()
