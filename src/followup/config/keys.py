"""The install's approval key: what makes an approval impossible to forge from a file.

An approval is sealed with an HMAC over the very message approved, keyed by a secret that
lives beside the settings (0600) and never in the database. A database that came from
elsewhere (an imported export, a restored backup, a hand edit of the SQL) can hold an
approved message, but not a seal this install made: the worker refuses to send it.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

KEY_FILE = "approval.key"
_KEY_BYTES = 32


def approval_key(directory: Path) -> bytes:
    """The key in `directory`, made (0600, atomically: first writer wins) on first use."""
    path = directory / KEY_FILE
    key = _read(path)
    if key is not None:
        return key
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = path.with_name(f".{KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(secrets.token_hex(_KEY_BYTES) + "\n")
        f.flush()
        os.fsync(f.fileno())
    try:
        os.link(tmp, path)  # fails if another process made it first: then theirs is the key
    except FileExistsError:
        pass
    finally:
        tmp.unlink()
    key = _read(path)
    if key is None:
        raise OSError(f"{path} holds no usable key: remove it to make a new one")
    return key


def _read(path: Path) -> bytes | None:
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise OSError(f"cannot read {path}: {exc}") from exc
    try:
        key = bytes.fromhex(text)
    except ValueError:
        return None
    return key if len(key) == _KEY_BYTES else None
