"""The default store: one SQLite file, stdlib `sqlite3`, numbered SQL migrations.

WAL lets the dashboard read while the CLI writes; `busy_timeout` makes writers wait instead
of failing; writes take the lock up front (`BEGIN IMMEDIATE`) so a transaction never dies
half-way on a lock upgrade; `synchronous=FULL` because a committed state guards e-mail sends.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from followup.adapters.store.sqlstore import TABLES, SqlStore

BUSY_TIMEOUT_MS = 10_000


class StoreError(Exception):
    """The database file is not usable (corrupt, not ours, or from a newer followup)."""


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) for every bundled migration, in order."""
    found = []
    for entry in resources.files("followup.adapters.store.migrations").iterdir():
        if entry.name.endswith(".sql"):
            number, _, rest = entry.name.partition("_")
            found.append((int(number), rest.removesuffix(".sql"), entry.read_text("utf-8")))
    return sorted(found)


class SqliteStore(SqlStore):
    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self._conn = sqlite3.connect(
                self.path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000
            )
            self._conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._conn.execute("PRAGMA foreign_keys = ON")
            self._conn.execute("PRAGMA synchronous = FULL")
            if self.path != ":memory:":
                self._conn.execute("PRAGMA journal_mode = WAL")
            self._depth = 0
            self.migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open the database {self.path}: {exc}") from exc

    def close(self) -> None:
        self._conn.close()

    # --- plumbing -----------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction; nested uses join the outer one."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        else:
            self._conn.execute("COMMIT")
        finally:
            self._depth = 0

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._conn.execute(sql, params)

    def _executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self._conn.executemany(sql, rows)

    # --- schema -------------------------------------------------------------------------

    def schema_version(self) -> int:
        row = self._conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
        ).fetchone()
        if row is None:
            return 0
        return int(self._conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0])

    def migrate(self) -> list[str]:
        """Apply the bundled migrations this database lacks, each in its own transaction."""
        known = migrations()
        current = self.schema_version()
        if current > known[-1][0]:
            raise StoreError(
                f"the database {self.path} is at schema version {current}, newer than this"
                f" followup ({known[-1][0]}): upgrade followup"
            )
        applied = []
        for version, name, sql in known:
            if version <= current:
                continue
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                self._conn.execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY,"
                    " name TEXT NOT NULL, applied_at TEXT NOT NULL)"
                )
                for statement in _statements(sql):
                    self._conn.execute(statement)
                self._conn.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                    (version, name, datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")),
                )
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")
            applied.append(f"{version:04d}_{name}")
        return applied

    # --- backup and restore -------------------------------------------------------------

    def backup(self, target: Path) -> None:
        """A consistent copy through SQLite's backup API (never a file copy of a live WAL db)."""
        tmp = target.with_name(target.name + ".partial")
        tmp.unlink(missing_ok=True)
        with closing(sqlite3.connect(tmp)) as dst:
            self._conn.backup(dst)
        tmp.replace(target)  # atomic: a failed backup never leaves a half-written file

    def restore(self, source: Path) -> None:
        """Replace this database's content with a backup's, all or nothing."""
        try:
            with closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as src:
                if src.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                    raise StoreError(f"{source} is damaged (integrity check failed)")
                names = {r[0] for r in src.execute("SELECT name FROM sqlite_master")}
                if not {"schema_migrations", *TABLES} <= names:
                    raise StoreError(f"{source} is not a followup backup")
                version = src.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0]
                if version > migrations()[-1][0]:
                    raise StoreError(f"{source} comes from a newer followup: upgrade first")
                src.backup(self._conn)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{source} is not a SQLite database: {exc}") from exc
        self.migrate()


def _statements(sql: str) -> list[str]:
    """Split a migration file into statements (our migrations hold no ';' inside literals)."""
    lines = [line for line in sql.splitlines() if not line.lstrip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
