"""Integration tests: real servers on loopback, started by the fixtures themselves.

The Dovecot fixtures (`dovecot`, session-scoped, and `imap_account`, a fresh user per test)
live in tests/integration/dovecot.py (PostgreSQL's, `postgres_server` and `postgres_url`, in
tests/integration/postgres.py), registered here as a plugin so that one server serves
this directory and the contract suite (tests/contract/test_mailbox_contract.py, which names
the same plugin) in a single run.
"""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.import_plugin("tests.integration.dovecot")
    config.pluginmanager.import_plugin("tests.integration.smtp_sink")
    config.pluginmanager.import_plugin("tests.integration.postgres")
