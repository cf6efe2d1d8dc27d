"""Shared fixtures: a followup CLI runner on a private home with a fixed clock."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

# The suite draws the same examples on every run, so that CI's verdict is about the change,
# not the dice; `FUZZ_EXAMPLES=5000 make unit` (or any FUZZ_EXAMPLES) hunts with new ones.
settings.register_profile("suite", derandomize=True)
settings.register_profile("hunt", derandomize=False)
settings.load_profile("hunt" if os.environ.get("FUZZ_EXAMPLES") else "suite")

# The tests' mail servers (Dovecot, aiosmtpd sinks) listen on loopback: the administrator
# of this shared "server" allows them (bootstrap.shared_server_refuses). The tests of that
# guard take the permission away (monkeypatch.delenv).
os.environ["FOLLOWUP_ALLOW_PRIVATE_MAIL_HOSTS"] = "1"

# The tests' OAuth2 authorization server and in-memory keyring (`auth_server`,
# `memory_keyring`): registered here so that its asserts are rewritten wherever it is used.
pytest_plugins = ["tests.oauth_server"]

NOW = "2026-11-25T12:00:00Z"  # a Wednesday


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--through-pgbouncer",
        action="store_true",
        help="reach the test PostgreSQL through PgBouncer in transaction mode, one server"
        " connection per database (tests/integration/postgres.py: `postgres_url`)",
    )


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def json(self) -> Any:
        return json.loads(self.out)


Run = Callable[..., Result]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private FOLLOWUP_HOME with the clock fixed at NOW and the user in Europe/Berlin: an
    empty directory (a home named but not there is refused by the read-only commands)."""
    path = tmp_path / "home"
    path.mkdir(mode=0o700)
    monkeypatch.setenv("FOLLOWUP_HOME", str(path))
    monkeypatch.setenv("FOLLOWUP_NOW", NOW)
    monkeypatch.setenv("TZ", "Europe/Berlin")
    monkeypatch.delenv("FOLLOWUP_DEBUG", raising=False)
    return path


@pytest.fixture
def run(home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    """Run `followup ARGS...` in-process through its real entry point (error handling included)."""
    from followup.cli.entry import main

    def _run(*args: str, now: str | None = None, stdin: str | None = None) -> Result:
        if now:
            monkeypatch.setenv("FOLLOWUP_NOW", now)
        if stdin is not None:
            import io

            monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        capsys.readouterr()
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        monkeypatch.setenv("FOLLOWUP_NOW", NOW)
        return Result(code, captured.out, captured.err)

    return _run
