"""Shared helpers for the calendar tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import Result

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ics"


def fixture(name: str) -> str:
    path = FIXTURES / name
    assert path.is_file(), path
    return str(path)


def ok(result: Result) -> Result:
    assert result.code == 0, result.err
    return result


def one_error_line(result: Result) -> str:
    """The error of a refused import: exit 4, nothing on stdout, exactly one stderr line."""
    assert result.code == 4, (result.code, result.out, result.err)
    assert result.out == ""
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("followup: error: "), lines[0]
    return lines[0]


def only(items: list[Any]) -> Any:
    assert len(items) == 1, items
    return items[0]
