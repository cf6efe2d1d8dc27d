"""The files followup reads and writes by name: what kind of file it accepts, and the one
writer every file goes through.

- A file written (an export, a calendar, a `.eml`, a backup, followup's own caches and
  keys) replaces its target atomically with a new 0600 file; the target must be absent or
  a regular file. A symlink, fifo, device, socket or directory is refused with one line
  and nothing is written: renaming over it would swap a link someone made (to
  /proc/self/fd/1, say) or, as root, a device such as /dev/null for a regular file, and
  report success (issue #11). Standard output stays the way to stream (`-o -`).
- A file read (an import, a message to classify, a backup to restore) must be a regular
  file (symlinks to one are followed): a fifo would block the command forever, a device
  would never end. Standard input (`-`) stays where a command takes it.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO

from followup.app.errors import InvalidInput

PRIVATE_FILE = 0o600
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def kind(mode: int) -> str:
    """What a non-regular file is, in a few words ("a fifo", "a directory")."""
    for test, name in (
        (stat.S_ISLNK, "a symlink"),
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a fifo"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def check_target(path: Path | str, what: str = "") -> None:
    """InvalidInput (one line) unless `path` is absent or a regular file (not followed);
    `what` names it in the message ("the backup ")."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise InvalidInput(f"cannot write {what}{path}: {exc.strerror or exc}") from exc
    if not stat.S_ISREG(mode):
        raise InvalidInput(
            f"cannot write {what}{path}: it is {kind(mode)}, not a regular file (nothing written)"
        )


def check_source(path: Path | str, stdin: bool = False) -> None:
    """InvalidInput (one line) unless `path` is a regular file (a symlink to one is fine);
    a missing file is left to the reader's own message. `stdin`: the command reads `-`."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return  # the reader says it (no such file, permission denied) in its own words
    if not stat.S_ISREG(mode):
        also = " (or - for standard input)" if stdin else ""
        raise InvalidInput(f"cannot read {path}: it is {kind(mode)}; give a regular file{also}")


def tighten(path: Path | str, most: int) -> None:
    """Drop the permission bits of `path` beyond `most` (0644 -> 0600); nothing if missing.

    Best effort: a file someone else owns keeps its mode (chmod would fail); the user's
    own stricter choice (0400) is kept.
    """
    with suppress(OSError):
        mode = stat.S_IMODE(os.stat(path).st_mode)
        if mode & ~most:
            os.chmod(path, mode & most)


def write_private(path: Path, data: bytes) -> None:
    """Replace `path` with `data` atomically: a 0600 temp file beside it (whatever the
    umask), written and fsynced, then renamed over it. The result is 0600 also when `path`
    existed with a looser mode: an export lists who you talk to, and a file shared once
    must not stay readable by everyone after it is overwritten (issue #11).

    InvalidInput if `path` is not absent or a regular file (`check_target`); OSError
    otherwise. The temp file never outlives a failure.
    """
    with open_private(path) as f:
        f.write(data)


@contextmanager
def open_private(path: Path, *, follow: bool = False) -> Iterator[BinaryIO]:
    """`write_private` for data written piece by piece (an export streamed from the
    store): the file to write; `path` is replaced when the block ends, and untouched (the
    temp file gone) if it raises. `follow`: a symlink to a regular file is written through
    (the file it names is replaced, the link stays) — for followup's own config.toml, which
    a dotfiles set-up links from elsewhere; never for a path a command line names."""
    path = Path(path)
    if follow and path.is_symlink():
        path = Path(os.path.realpath(path))
    check_target(path)
    # A fresh name, never an existing file or a planted symlink (exports may go to /tmp)
    tmp = path.with_name(f".{path.name}.{os.urandom(6).hex()}.partial")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, PRIVATE_FILE)
    try:
        with os.fdopen(fd, "wb") as f:
            os.fchmod(f.fileno(), PRIVATE_FILE)  # the umask may have taken bits os.open asked for
            yield f
            f.flush()
            os.fsync(f.fileno())  # whole on disk before the rename makes it the file
        put_in_place(tmp, path)
    except BaseException:
        with suppress(OSError):
            tmp.unlink()
        raise


def put_in_place(tmp: Path, path: Path, what: str = "") -> None:
    """Rename the finished private file `tmp` over `path`, durably: the one rename of every
    file followup writes (also a backup, which SQLite writes itself), so each target is
    checked the same way (`check_target`, again here: something may have been put there
    while the file was written). The caller removes `tmp` on failure."""
    check_target(path, what)
    os.replace(tmp, path)
    sync_dir(path.parent)


def sync_dir(directory: Path) -> None:
    """Make a rename in `directory` durable; best effort (not every system can)."""
    with suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
