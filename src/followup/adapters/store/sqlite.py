"""The default store: one SQLite file, stdlib `sqlite3`, numbered SQL migrations.

WAL lets the dashboard read while the CLI writes; `busy_timeout` makes writers wait instead
of failing; writes take the lock up front (`BEGIN IMMEDIATE`) so a transaction never dies
half-way on a lock upgrade; `synchronous=FULL` because a committed state guards e-mail sends.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing, contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from followup.adapters.store.sqlstore import TABLES, SqlStore
from followup.app.errors import InvalidInput

BUSY_TIMEOUT_MS = 10_000
MIGRATIONS = Path(__file__).parent / "migrations"  # shipped as package data


class StoreError(Exception):
    """The database file is not usable (corrupt, not ours, or from a newer followup)."""


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) for every bundled migration, in order."""
    found = []
    for entry in MIGRATIONS.iterdir():
        if _is_ours(entry.name):
            number, _, rest = entry.name.partition("_")
            found.append((int(number), rest.removesuffix(".sql"), entry.read_text("utf-8")))
    return sorted(found)


def latest_version() -> int:
    """The newest bundled migration's number, read from the file names alone (cheap)."""
    return max(int(name.partition("_")[0]) for name in os.listdir(MIGRATIONS) if _is_ours(name))


def _is_ours(name: str) -> bool:
    """A migration SQLite runs: NNNN_name.sql, not another dialect's NNNN_name.postgres.sql."""
    return name.endswith(".sql") and not name.endswith(".postgres.sql")


class SqliteStore(SqlStore):
    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            _private_file(Path(self.path))
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
        current = self.schema_version()
        latest = latest_version()
        if current == latest:
            return []  # the common case: no migration file is read
        if current > latest:
            raise StoreError(
                f"the database {self.path} is at schema version {current}, newer than this"
                f" followup ({latest}): upgrade followup"
            )
        known = migrations()
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
        """A consistent copy through SQLite's backup API (never a file copy of a live WAL db).

        The copy goes to a temporary file beside `target` and is renamed over it only once
        complete and on disk, so a failed backup never leaves a half-written file. The copy
        uses a rollback journal, not WAL: one self-contained file, readable without -wal/-shm.
        """
        target = Path(target)
        if self._is_live(target):
            raise InvalidInput(f"{target} is the live database itself: back up to another file")
        if target.is_dir():
            raise InvalidInput(f"cannot write the backup {target}: it is a directory")
        import tempfile  # only for backups: it costs start-up time

        try:
            fd, tmp_name = tempfile.mkstemp(
                prefix=f".{target.name}.", suffix=".partial", dir=target.parent
            )
        except OSError as exc:
            raise InvalidInput(f"cannot write the backup {target}: {_reason(exc)}") from exc
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            with closing(sqlite3.connect(tmp)) as dst:
                self._conn.backup(dst)
                dst.execute("PRAGMA journal_mode = DELETE")
            tmp.replace(target)
            _sync_dir(target.parent)
        except (OSError, sqlite3.Error) as exc:
            with suppress(OSError):
                tmp.unlink()
            raise InvalidInput(f"cannot write the backup {target}: {_reason(exc)}") from exc
        except BaseException:
            with suppress(OSError):
                tmp.unlink()
            raise

    def check_backup(self, source: Path) -> dict[str, int]:
        """Rows per table in a backup; one-line InvalidInput if it is not an intact followup db."""
        with self._open_backup(Path(source)) as (src, counts):
            del src
            return counts

    def restore(self, source: Path) -> None:
        """Replace this database's content with a backup's, all or nothing.

        The backup is checked first (a SQLite file, intact, with followup's tables, not from a
        newer followup); the copy is one step of the backup API, so a failure changes nothing.
        An older backup is then migrated to the current schema.
        """
        source = Path(source)
        with self._open_backup(source) as (src, _counts):
            try:
                src.backup(self._conn)
            except sqlite3.Error as exc:
                raise InvalidInput(f"cannot restore from {source}: {exc}") from exc
        self.migrate()

    @contextmanager
    def _open_backup(self, source: Path) -> Iterator[tuple[sqlite3.Connection, dict[str, int]]]:
        try:
            with source.open("rb") as f:
                header = f.read(len(SQLITE_HEADER))
        except OSError as exc:
            raise InvalidInput(f"cannot read {source}: {_reason(exc)}") from exc
        if header != SQLITE_HEADER:
            raise InvalidInput(f"{source} is not a SQLite database, so not a followup backup")
        if self._is_live(source):
            raise InvalidInput(f"{source} is the live database itself: nothing to restore")
        try:
            src = sqlite3.connect(source.resolve().as_uri() + "?mode=ro", uri=True)
        except sqlite3.Error as exc:
            raise InvalidInput(f"cannot open {source}: {exc}") from exc
        with closing(src):
            try:
                counts = self._check_backup(src, source)
            except sqlite3.DatabaseError as exc:
                raise InvalidInput(f"{source} is damaged: {exc}") from exc
            yield src, counts

    def _check_backup(self, src: sqlite3.Connection, source: Path) -> dict[str, int]:
        problem = src.execute("PRAGMA integrity_check(1)").fetchone()[0]
        if problem != "ok":
            raise InvalidInput(f"{source} is damaged (integrity check: {problem})")
        names = {r[0] for r in src.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        known = migrations()
        first: tuple[str] | None = None
        if "schema_migrations" in names:
            first = src.execute("SELECT name FROM schema_migrations WHERE version = 1").fetchone()
        if not set(TABLES) <= names or first is None or first[0] != known[0][1]:
            raise InvalidInput(f"{source} is a SQLite database but not a followup backup")
        version = int(src.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0])
        if version > known[-1][0]:
            raise InvalidInput(
                f"{source} comes from a newer followup (schema {version}): upgrade followup first"
            )
        if src.execute("PRAGMA foreign_key_check").fetchone() is not None:
            raise InvalidInput(f"{source} is damaged (rows refer to rows that do not exist)")
        return {t: int(src.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]) for t in TABLES}

    def _is_live(self, other: Path) -> bool:
        if self.path == ":memory:":
            return False
        try:
            return os.path.samefile(self.path, other)
        except OSError:
            return False


SQLITE_HEADER = b"SQLite format 3\x00"


def _private_file(path: Path) -> None:
    """The database file made 0600 (its directory 0700) before SQLite opens it, whatever the
    umask: SQLite gives the -wal and -shm files the database file's mode. A file an older
    followup made 0644 is tightened, with its -wal and -shm (best effort: not ours, no)."""
    if not path.parent.is_dir():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(path.parent, 0o700)  # the umask may have taken bits mkdir asked for
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for name in (path, f"{path}-wal", f"{path}-shm"):
            with suppress(OSError):
                mode = os.stat(name).st_mode & 0o777
                if mode & 0o177:
                    os.chmod(name, mode & 0o600)
        return
    try:
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc)


def _sync_dir(directory: Path) -> None:
    """Make a rename durable (POSIX); harmless where directories cannot be opened."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _statements(sql: str) -> list[str]:
    """Split a migration file into statements (our migrations hold no ';' inside literals)."""
    lines = [line for line in sql.splitlines() if not line.lstrip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
