"""Server mode under test: a real PostgreSQL (tests/integration/postgres.py), migrated, with
FOLLOWUP_DATABASE_URL set for the code under test and a private FOLLOWUP_HOME."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.server.web import browsers, server_app  # noqa: F401  (fixtures)


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.import_plugin("tests.integration.postgres")


@pytest.fixture
def server_url(postgres_url: str, home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A migrated server database, named by FOLLOWUP_DATABASE_URL."""
    from followup.adapters.store.postgres import PostgresDatabase
    from followup.bootstrap import close_databases

    with PostgresDatabase(postgres_url) as db:
        db.migrate()
    monkeypatch.setenv("FOLLOWUP_DATABASE_URL", postgres_url)
    yield postgres_url
    close_databases()  # the pools the code under test opened, before the database is dropped


@pytest.fixture
def database(server_url: str) -> Iterator[Any]:
    from followup.adapters.store.postgres import PostgresDatabase

    with PostgresDatabase(server_url) as db:
        yield db


def cheap_hasher() -> Any:
    """argon2id with small parameters: the tests hash many passwords."""
    from argon2 import PasswordHasher

    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture
def accounts(database: Any) -> Any:
    from followup.adapters.passwords import Argon2Passwords
    from followup.adapters.store.accounts import PostgresAccounts
    from followup.app.accounts import Accounts
    from followup.bootstrap import clock_from_env

    return Accounts(
        store=PostgresAccounts(database),
        passwords=Argon2Passwords(cheap_hasher()),
        tenants=database,
        clock=clock_from_env(),
    )
