"""Where followup's files live: platformdirs by default, or all under FOLLOWUP_HOME / --home.

And how they are made: followup's directories 0700, every file it writes 0600, whatever
the umask (they hold who you talk to, and the config names your mail servers). A home,
database or config left looser by an older followup is tightened when it is opened.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from followup.app import files

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


PRIVATE_DIR = 0o700
PRIVATE_FILE = files.PRIVATE_FILE

# The one writer of every file followup makes (and what kind of target it refuses), and
# the modes' tightening: app/files.py, so that adapters (backups, the holidays cache) use
# them too.
write_private = files.write_private
open_private = files.open_private
tighten = files.tighten


def private_dir(path: Path) -> Path:
    """`path` made (with any missing parents) or, if it exists, tightened to 0700.

    Only `path` itself is followup's: parents it creates (such as ~/.local/share) get the
    usual mode, and existing parents are left alone.
    """
    if path.is_dir():
        tighten(path, PRIVATE_DIR)
        return path
    path.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    os.chmod(path, PRIVATE_DIR)  # the umask may have taken bits mkdir asked for
    return path


def secure(where: Paths) -> None:
    """Fix the modes of followup's own home, config directory and config file at open
    (an upgrade from a version that made them 0755 and 0644); a stat each when right."""
    tighten(where.home, PRIVATE_DIR)
    tighten(where.config_file.parent, PRIVATE_DIR)
    tighten(where.config_file, PRIVATE_FILE)
