"""The calendar feed's token (`GET /calendar.ics?token=…`): a calendar app subscribes once,
so the token lasts across restarts, kept 0600 in `web-feed-token` beside the database.
`followup open --new-feed` replaces it (a leaked address stops working); a running
dashboard reads the file again when it changes, so the old address stops at once."""

from __future__ import annotations

from pathlib import Path

from followup.config import paths
from followup.web.security import new_token

FEED_TOKEN_FILE = "web-feed-token"


def feed_token(home: str | None) -> str:
    """The home's feed token, made on first use."""
    path = paths.resolve(home).home / FEED_TOKEN_FILE
    existing = _read(path)
    return existing if existing is not None else new_feed_token(home)


def new_feed_token(home: str | None) -> str:
    """A fresh token in place of the home's: the old feed address no longer works."""
    path = paths.resolve(home).home / FEED_TOKEN_FILE
    paths.private_dir(path.parent)
    token = new_token()
    paths.write_private(path, (token + "\n").encode("ascii"))
    return token


def _read(path: Path) -> str | None:
    try:
        existing = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return existing if len(existing) >= 32 else None


class FeedToken:
    """The token the dashboard checks: `token` as it started, then the file's whenever the
    file changes (one stat a feed request: calendar apps poll hourly)."""

    def __init__(self, token: str | None, path: Path | None = None) -> None:
        self._token = token
        self._path = path
        self._seen: tuple[int, int] | None = None

    def current(self) -> str | None:
        if self._token is None or self._path is None:
            return self._token
        try:
            stat = self._path.stat()
        except OSError:
            return self._token
        seen = (stat.st_mtime_ns, stat.st_ino)
        if seen != self._seen:
            self._token = _read(self._path) or self._token
            self._seen = seen
        return self._token
