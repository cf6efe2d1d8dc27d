"""Where followup's files live: platformdirs by default, or all under FOLLOWUP_HOME / --home."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

APP = "followup"


class Paths(NamedTuple):
    config_file: Path
    database: Path

    @property
    def home(self) -> Path:
        return self.database.parent


def resolve(home: str | os.PathLike[str] | None = None) -> Paths:
    """`home` (the --home option) wins, then FOLLOWUP_HOME, then the platform's user dirs."""
    chosen = home or os.environ.get("FOLLOWUP_HOME")
    if chosen:
        base = Path(chosen).expanduser()
        return Paths(config_file=base / "config.toml", database=base / "followup.db")
    import platformdirs  # only when no home is given

    return Paths(
        config_file=platformdirs.user_config_path(APP) / "config.toml",
        database=platformdirs.user_data_path(APP) / "followup.db",
    )
