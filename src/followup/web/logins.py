"""The laptop dashboard's sign-ins, kept beside the database so they outlive a restart.

`followup serve` prints a one-time link; its first use opens a session whose cookie lasts 30
days (HttpOnly, SameSite=Strict): closing the browser does not sign you out, restarting
the dashboard does not either. `followup open` asks the running dashboard's file for a fresh
one-time link (for a browser that lost its cookie, or another one); `followup open --revoke`
ends every session at once.

One small JSON file, `web-sessions` (mode 0600) in the home, shared by the server and the
CLI: the running dashboard's address and process, the one-time login tokens not used yet
(10 minutes each) and the sessions (30 days), each token and session id kept only as its
SHA-256 — the file never holds a secret that would sign anyone in. Writers take an
exclusive `flock` on `web-sessions.lock` and replace the file atomically; the server reads it
again only when its modification time changed (one `stat` per request).

Standard library only: the CLI's `open` imports it without FastAPI.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from followup.app.files import write_private

FILE = "web-sessions"
SESSION_DAYS = 30
SESSION_SECONDS = SESSION_DAYS * 24 * 3600
LOGIN_SECONDS = 10 * 60  # a link printed by `followup open` is good for ten minutes
MAX_SESSIONS = 64  # as security.MAX_SESSIONS: the oldest goes first


def digest(secret: str) -> str:
    """What the file keeps of a token or session id: its SHA-256, hex."""
    return hashlib.sha256(secret.encode("utf-8", "surrogateescape")).hexdigest()


class Dashboard(NamedTuple):
    base: str  # "http://127.0.0.1:8765"
    pid: int


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: not ours, but alive
        return True
    except OSError:
        return False
    return True


class SessionFile:
    """The sign-ins of one home (see the module's docstring)."""

    def __init__(self, home: Path, clock: Callable[[], float] = time.time) -> None:
        self.path = home / FILE
        self.lock_path = home / f"{FILE}.lock"
        self.clock = clock
        self._seen: tuple[int, int, int] | None = None  # the file's stat when `_cache` was read
        self._cache: dict[str, Any] = {}

    # --- reading ------------------------------------------------------------------------

    def _read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {"logins": {}, "sessions": {}}
        if not isinstance(data, dict):
            return {"logins": {}, "sessions": {}}
        for key in ("logins", "sessions"):
            if not isinstance(data.get(key), dict):
                data[key] = {}
        return data

    def _current(self) -> dict[str, Any]:
        """The file's content, read again only when it changed since the last look."""
        try:
            st = self.path.stat()
            # a write replaces the file: a new inode, even within one clock tick
            stamp: tuple[int, int, int] | None = (st.st_ino, st.st_mtime_ns, st.st_size)
        except OSError:
            stamp = None
        if stamp is None:
            self._seen, self._cache = None, {"logins": {}, "sessions": {}}
        elif stamp != self._seen:
            self._cache, self._seen = self._read(), stamp
        return self._cache

    def session_expires(self, session_id: str) -> float | None:
        """When the session ends (a Unix time), or None: unknown, revoked or expired."""
        found = self._current()["sessions"].get(digest(session_id))
        if not isinstance(found, (int, float)) or found <= self.clock():
            return None
        return float(found)

    def dashboard(self) -> Dashboard | None:
        """The dashboard running on this home, if its process is still there."""
        found = self._read().get("dashboard")
        if not isinstance(found, dict):
            return None
        base, pid = found.get("base"), found.get("pid")
        if not isinstance(base, str) or not isinstance(pid, int) or not _alive(pid):
            return None
        return Dashboard(base, pid)

    def session_count(self) -> int:
        now = self.clock()
        return sum(1 for t in self._read()["sessions"].values() if t > now)

    # --- writing ------------------------------------------------------------------------

    @contextlib.contextmanager
    def _change(self) -> Iterator[dict[str, Any]]:
        """Read, change and write back the file under an exclusive lock, atomically."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            _lock(fd)
            data = self._read()
            now = self.clock()
            for key in ("logins", "sessions"):  # forget what has expired
                data[key] = {k: t for k, t in data[key].items() if t > now}
            yield data
            sessions = sorted(data["sessions"].items(), key=lambda kv: kv[1])
            data["sessions"] = dict(sessions[-MAX_SESSIONS:])
            text = json.dumps(data, indent=1, sort_keys=True)
            write_private(self.path, text.encode("utf-8"))  # the one writer: atomic, 0600
        finally:
            os.close(fd)

    def add_session(self, session_id: str) -> float:
        """Keep a new session (its id's digest) for SESSION_DAYS; when it ends."""
        expires = self.clock() + SESSION_SECONDS
        with self._change() as data:
            data["sessions"][digest(session_id)] = expires
        return expires

    def new_login(self) -> str:
        """A fresh one-time login token (only its digest is kept), good for ten minutes."""
        token = secrets.token_urlsafe(32)
        with self._change() as data:
            data["logins"][digest(token)] = self.clock() + LOGIN_SECONDS
        return token

    def take_login(self, token: str) -> bool:
        """Spend a one-time token printed by `followup open`: True the first time only."""
        key = digest(token)
        if key not in self._current()["logins"]:  # the common refusal costs no lock
            return False
        with self._change() as data:
            return data["logins"].pop(key, None) is not None

    def revoke(self) -> int:
        """End every session and forget every unused link; how many sessions ended."""
        if not self.path.exists():  # nothing to end: create no home, no file
            return 0
        with self._change() as data:
            ended = len(data["sessions"])
            data["sessions"], data["logins"] = {}, {}
        return ended

    def set_dashboard(self, base: str) -> None:
        with self._change() as data:
            data["dashboard"] = {"base": base, "pid": os.getpid()}

    def clear_dashboard(self) -> None:
        """The dashboard stopped: `followup open` has nothing to link to (if it was ours)."""
        with self._change() as data:
            found = data.get("dashboard")
            if isinstance(found, dict) and found.get("pid") == os.getpid():
                del data["dashboard"]


def _lock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: the atomic replace still holds
        return
    fcntl.flock(fd, fcntl.LOCK_EX)
