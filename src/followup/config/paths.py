"""Where followup's files live: platformdirs by default, or all under FOLLOWUP_HOME / --home.

And how they are made: followup's directories 0700, every file it writes 0600, whatever
the umask (they hold who you talk to, and the config names your mail servers). A home,
database or config left looser by an older followup is tightened when it is opened.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO, NamedTuple

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
PRIVATE_FILE = 0o600
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


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


def tighten(path: Path | str, most: int) -> None:
    """Drop the permission bits of `path` beyond `most` (0644 -> 0600); nothing if missing.

    Best effort: a file someone else owns keeps its mode (chmod would fail); the user's
    own stricter choice (0400) is kept.
    """
    with suppress(OSError):
        mode = stat.S_IMODE(os.stat(path).st_mode)
        if mode & ~most:
            os.chmod(path, mode & most)


def secure(where: Paths) -> None:
    """Fix the modes of followup's own home, config directory and config file at open
    (an upgrade from a version that made them 0755 and 0644); a stat each when right."""
    tighten(where.home, PRIVATE_DIR)
    tighten(where.config_file.parent, PRIVATE_DIR)
    tighten(where.config_file, PRIVATE_FILE)


def write_private(path: Path, data: bytes) -> None:
    """Replace `path` with `data` atomically: a 0600 temp file beside it (whatever the
    umask), written and fsynced, then renamed over it. The result is 0600 also when `path`
    existed with a looser mode: an export lists who you talk to, and a file shared once
    must not stay readable by everyone after it is overwritten (issue #11).

    Raises OSError; the temp file never outlives a failure.
    """
    with open_private(path) as f:
        f.write(data)


@contextmanager
def open_private(path: Path) -> Iterator[BinaryIO]:
    """`write_private` for data written piece by piece (an export streamed from the
    store): the file to write; `path` is replaced when the block ends, and untouched (the
    temp file gone) if it raises."""
    # A fresh name, never an existing file or a planted symlink (exports may go to /tmp)
    tmp = path.with_name(f".{path.name}.{os.urandom(6).hex()}.partial")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, PRIVATE_FILE)
    try:
        with os.fdopen(fd, "wb") as f:
            os.fchmod(f.fileno(), PRIVATE_FILE)  # the umask may have taken bits os.open asked for
            yield f
            f.flush()
            os.fsync(f.fileno())  # whole on disk before the rename makes it the file
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):
            tmp.unlink()
        raise
    _sync_dir(path.parent)


def _sync_dir(directory: Path) -> None:
    """Make a rename in `directory` durable; best effort (not every system can)."""
    with suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
