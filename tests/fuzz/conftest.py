"""A small real home, built once per session through the CLI; each case copies it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fuzz.harness import build_template


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_template(tmp_path_factory.mktemp("fuzz"))
