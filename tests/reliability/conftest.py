"""Reliability bars of server mode (issue 7): many workers, killed workers, one SQLite file.

Real servers only: PostgreSQL (tests/integration/postgres.py), the aiosmtpd sink, Dovecot.
The size is set by FOLLOWUP_RELIABILITY_NOTES (default 10,000, the issue's bar).
"""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.import_plugin("tests.integration.postgres")
    config.pluginmanager.import_plugin("tests.integration.dovecot")
    config.pluginmanager.import_plugin("tests.integration.smtp_sink")
