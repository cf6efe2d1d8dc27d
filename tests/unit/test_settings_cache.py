"""config/settings.load in a long-lived process (the worker, the dashboard): a file read
before is parsed again only when its text changed, so a seeker's second visit costs a small
read, not a TOML parse and every key's check; any change is seen at once."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from followup.config import settings


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files settings.load parses (TOML and every key), in order."""
    seen: list[Path] = []
    real = settings._parse

    def counting(text: str, path: Path) -> dict[str, Any]:
        seen.append(path)
        return real(text, path)

    monkeypatch.setattr(settings, "_parse", counting)
    return seen


def test_a_file_read_before_is_not_parsed_again(tmp_path: Path, parses: list[Path]) -> None:
    path = tmp_path / "config.toml"
    path.write_text('timezone = "Europe/Berlin"\n[user]\nname = "Ada"\n')
    first = settings.load(path)
    second = settings.load(path)
    assert parses == [path]
    assert second == first and second.timezone == "Europe/Berlin"


def test_a_change_is_seen_at_the_next_load_even_in_the_same_clock_tick(
    tmp_path: Path, parses: list[Path]
) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[user]\nname = "Ada"\n')
    assert settings.load(path).sender_name == "Ada"
    stamp = path.stat()
    path.write_text('[user]\nname = "Bob"\n')  # in place: the same inode and size
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))  # and the same time
    assert settings.load(path).sender_name == "Bob"
    assert len(parses) == 2
    path.unlink()
    assert settings.load(path).sender_name == ""  # gone: no settings, as before


def test_each_caller_gets_its_own_values(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[user]\nname = "Ada"\n')
    settings.load(path).values["user.name"] = "changed by a caller"
    assert settings.load(path).sender_name == "Ada"


def test_a_file_that_became_invalid_is_refused_not_served_from_before(tmp_path: Path) -> None:
    from followup.app.errors import InvalidInput

    path = tmp_path / "config.toml"
    path.write_text("[policy]\noverdue_after_hours = 6\n")
    settings.load(path)
    path.write_text("[policy]\noverdue_after_hours = -6\n")
    with pytest.raises(InvalidInput, match="must not be negative"):
        settings.load(path)
