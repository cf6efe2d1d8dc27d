"""The default store: one SQLite file, stdlib `sqlite3`, numbered SQL migrations.

WAL lets the dashboard read while the CLI writes; `busy_timeout` makes writers wait instead
of failing; writes take the lock up front (`BEGIN IMMEDIATE`) so a transaction never dies
half-way on a lock upgrade; `synchronous=FULL` because a committed state guards e-mail sends.
"""

from __future__ import annotations

import itertools
import os
import re
import sqlite3
import stat as _stat
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager, suppress
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from followup.adapters.store.sqlstore import TABLES, SqlStore
from followup.app.errors import InvalidInput, StoreUnavailable
from followup.app.files import check_target, put_in_place

if TYPE_CHECKING:
    from followup.adapters.store.memory import MemoryStore

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


def file_version(path: Path) -> int:
    """A database file's schema version, read only (0 when the file does not exist yet)."""
    if not path.exists():
        return 0
    try:
        with closing(sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)) as conn:
            return _schema_version(conn)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open the database {path}: {exc}") from None


def _is_ours(name: str) -> bool:
    """A migration SQLite runs: NNNN_name.sql, not another dialect's NNNN_name.postgres.sql."""
    return name.endswith(".sql") and not name.endswith(".postgres.sql")


class SqliteStore(SqlStore):
    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            _private_file(Path(self.path))
        try:
            # check_same_thread off: the dashboard lends a store to one request at a time, on
            # whichever worker thread runs it (web/deps.py); never to two threads at once.
            self._conn = sqlite3.connect(
                self.path,
                isolation_level=None,
                timeout=BUSY_TIMEOUT_MS / 1000,
                check_same_thread=False,
            )
            self._conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._conn.execute("PRAGMA foreign_keys = ON")
            self._conn.execute("PRAGMA synchronous = FULL")
            if self.path != ":memory:":
                self._conn.execute("PRAGMA journal_mode = WAL")
            self._depth = 0
            self._paused: list[tuple[str, str]] = []  # the aggregates' triggers, while paused
            self._defaults_null: dict[str, frozenset[str]] = {}  # (insert_records)
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
        with self._outermost("BEGIN IMMEDIATE"):
            yield

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """One consistent read that holds no writer back (an export): a deferred
        transaction, which in WAL mode reads one snapshot from its first query on. Nested
        uses join the outer one; inside another transaction it is that one."""
        if self._depth:
            with self.transaction():
                yield
            return
        with self._outermost("BEGIN DEFERRED"):
            yield

    @contextmanager
    def _outermost(self, begin: str) -> Iterator[None]:
        """The outermost transaction: `begin`, then COMMIT, or ROLLBACK on any exception."""
        self._conn.execute(begin)
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

    def _executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """`sql`, one row's INSERT, for each of `rows`: as statements of many rows each when
        there are many (Python's sqlite3 pays for each statement it steps: the rows of a
        batch 30-45 % faster in statements of ~90 rows). The same rows, in the same order;
        a row of another width is refused as executemany refuses it."""
        shape = _ONE_ROW.fullmatch(sql)
        width = shape[2].count("?") if shape else 0
        per = _MOST_PARAMETERS // width if width else 0
        if per < 2 or len(rows) < per or set(map(len, rows)) != {width}:
            self._conn.executemany(sql, rows)
            return
        whole = len(rows) - len(rows) % per
        chain = itertools.chain.from_iterable
        self._conn.executemany(
            f"{shape[1]}{', '.join([shape[2]] * per)}{shape[3]}",  # type: ignore[index]
            (list(chain(rows[at : at + per])) for at in range(0, whole, per)),
        )
        if whole < len(rows):
            self._conn.executemany(sql, rows[whole:])

    # --- the aggregates' triggers, paused for an import ---------------------------------

    def pause_stats(self) -> None:
        """SQLite cannot disable a trigger: the triggers that keep the aggregates — the
        stats' (migrations 0023, 0025) and the board's (every trigger that writes
        `board_latest`: 0027, 0029) — are dropped inside this write transaction and created
        again from their own SQL by `resume_stats`, before it commits. DDL is transactional
        here, so a rollback (a failed import, a crash) brings them back too, and no other
        connection ever sees them gone: the transaction holds the write lock, and readers
        read the last commit."""
        if not self._depth or not self._conn.in_transaction:
            raise RuntimeError("pause_stats outside a write transaction")
        if self._paused:
            return
        self._paused = self._all(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
            " AND (name LIKE 'stats!_%' ESCAPE '!' OR sql LIKE '%board!_latest%' ESCAPE '!')"
            " ORDER BY rowid"
        )
        for name, _sql in self._paused:
            self._execute(f'DROP TRIGGER "{name}"')

    def resume_stats(self, interview_ids: Sequence[int]) -> None:
        paused, self._paused = self._paused, []
        if not paused or not self._conn.in_transaction:
            return  # rolled back already: the triggers came back with it
        self._add_stats(interview_ids)
        self._add_board(interview_ids)
        for _name, sql in paused:
            self._execute(sql)

    # the import's scratch keyed by its primary key alone (one b-tree, not a table and an
    # index: half the work for each key an import remembers)
    _SCRATCH = SqlStore._SCRATCH + " WITHOUT ROWID"

    def _columns_null_by_default(self, table: str) -> list[str]:
        # (cid, name, type, notnull, dflt_value, pk)
        rows = self._all(f"PRAGMA table_info({table})")
        return [str(r[1]) for r in rows if not r[3] and r[4] is None and not r[5]]

    def _facts_sql(self) -> str:
        return _backfill_of_facts()

    def _board_sql(self) -> list[str]:
        return _board_backfills()

    def staging(self) -> MemoryStore:
        """A store in memory for an import to run the use-cases in (`PortabilityStore`)."""
        from followup.adapters.store.memory import MemoryStore

        return MemoryStore(staging=True)

    # --- schema -------------------------------------------------------------------------

    def schema_version(self) -> int:
        return _schema_version(self._conn)

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
        return _apply_migrations(self._conn, current)

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
        check_target(
            target, "the backup "
        )  # a symlink, fifo, device or directory is refused, not replaced
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
            put_in_place(tmp, target, "the backup ")
        except (OSError, sqlite3.Error) as exc:
            with suppress(OSError):
                tmp.unlink()
            raise InvalidInput(f"cannot write the backup {target}: {_reason(exc)}") from exc
        except BaseException:
            with suppress(OSError):
                tmp.unlink()
            raise

    def check_backup(self, source: Path) -> dict[str, int]:
        """Rows per table in a backup; one-line InvalidInput if it is not an intact followup db.

        A light check, for a file `backup` just wrote from this database: `restore` checks
        far more (every table against this version's schema, every value).
        """
        source = Path(source)
        self._check_source(source)
        try:
            src = sqlite3.connect(source.resolve().as_uri() + "?mode=ro", uri=True)
        except sqlite3.Error as exc:
            raise InvalidInput(f"cannot open {source}: {exc}") from exc
        with closing(src):
            try:
                _check_intact(src, source)
                _check_history(src, source)
                return _counts(src)
            except sqlite3.DatabaseError as exc:
                raise InvalidInput(f"{source} is damaged: {exc}") from exc
            except UnicodeDecodeError as exc:
                raise InvalidInput(f"{source} is damaged: {_not_utf8(exc)}") from exc

    def restore(
        self,
        source: Path,
        now: datetime,
        check_row: Callable[[str, dict[str, Any]], None],
        confirm: Callable[[dict[str, int]], None],
    ) -> tuple[Path, int, Path | None]:
        """Replace this database's content with a backup's, all or nothing.

        The backup is copied to a temporary file beside the database (SQLite never opens
        the original), with its -wal when that holds commits (a copy of a database in use), and
        checked there: integrity, migration history, every schema object whatever its name
        (table, index, trigger, view) against this version's schema (an older backup is
        migrated, then compared again), foreign keys, each value's type, `check_row` on every
        row. Then a fresh database is made by this version's migrations and the copy's rows
        are copied into it, table by table: only rows cross over, never a schema object, a
        header field or a free page of the file. Approvals are withdrawn there (an approved
        message is bytes a file could have crafted: the user approves again). `confirm` sees
        the counts and may raise to stop. Only then is the current database copied to a file
        kept beside it and the fresh one swapped in. Any failure before the swap leaves the
        live database untouched. Returns the kept file, how many approvals were withdrawn
        and the -wal read with the file (None if there was none).
        """
        source = Path(source)
        self._check_source(source)
        with self._scratch() as copy, self._scratch() as rebuilt:
            wal = _copy_source(source, copy)
            with (
                closing(_connect_private(copy)) as candidate,
                closing(_connect_private(rebuilt)) as fresh,
            ):
                try:
                    _prepare(candidate, source, check_row)
                    withdrawn = _rebuild(fresh, copy, self._page_size())
                    counts = _counts(fresh)
                except sqlite3.DatabaseError as exc:
                    raise InvalidInput(f"{source} is damaged: {_reason(exc)}") from exc
                except UnicodeDecodeError as exc:  # a TEXT value that is not UTF-8
                    raise InvalidInput(f"{source} is damaged: {_not_utf8(exc)}") from exc
                confirm(counts)
                keep = self._keep_path(now)
                self.backup(keep)
                # The swap goes through the backup API, not os.replace: it writes the
                # rebuilt pages into the live database as one transaction of its own
                # connection (through the WAL, so -wal/-shm stay consistent and other
                # processes, e.g. the dashboard, just see a new version; it rolls back
                # whole on failure). Renaming a file over a WAL database that is open
                # would leave its -wal/-shm describing the old file.
                try:
                    fresh.backup(self._conn)
                except sqlite3.Error as exc:
                    keep.unlink(missing_ok=True)
                    raise InvalidInput(f"cannot restore from {source}: {_reason(exc)}") from exc
        return keep, withdrawn, wal

    def _check_source(self, source: Path) -> None:
        try:
            with source.open("rb") as f:
                header = f.read(len(SQLITE_HEADER))
        except OSError as exc:
            raise InvalidInput(f"cannot read {source}: {_reason(exc)}") from exc
        if header != SQLITE_HEADER:
            # an export (JSON, CSV) is read by `import`: restore takes a backup
            export = header.lstrip()[:1] == b"{" or source.suffix.lower() in (".json", ".csv")
            hint = f" (an export? followup import {source})" if export else ""
            raise InvalidInput(f"{source} is not a SQLite database, so not a followup backup{hint}")
        if self._is_live(source):
            raise InvalidInput(f"{source} is the live database itself: nothing to restore")

    def _directory(self) -> Path:
        import tempfile

        return Path(tempfile.gettempdir()) if self.path == ":memory:" else Path(self.path).parent

    @contextmanager
    def _scratch(self) -> Iterator[Path]:
        """A new private (0600) file beside the database; removed afterwards, with any
        -journal, -wal or -shm SQLite made beside it."""
        import tempfile

        try:
            fd, name = tempfile.mkstemp(
                prefix=".followup-restore-", suffix=".db", dir=self._directory()
            )
        except OSError as exc:
            raise StoreUnavailable(f"cannot restore: {_reason(exc)}") from exc
        os.close(fd)
        try:
            yield Path(name)
        finally:
            for leftover in ("", "-journal", "-wal", "-shm"):
                with suppress(OSError):
                    os.unlink(f"{name}{leftover}")

    def _page_size(self) -> int:
        return int(self._conn.execute("PRAGMA page_size").fetchone()[0])

    def _keep_path(self, now: datetime) -> Path:
        """Where the data before a restore is kept: beside the database, never overwritten."""
        stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        base = self._directory() / f"followup-before-restore-{stamp}"
        path = base.with_suffix(".db")
        n = 1
        while path.exists():
            n += 1
            path = base.with_name(f"{base.name}-{n}.db")
        return path

    def _is_live(self, other: Path) -> bool:
        if self.path == ":memory:":
            return False
        try:
            return os.path.samefile(self.path, other)
        except OSError:
            return False


_FACTS_TAIL = " WHERE 1 = 1) AS r) AS f"


# One row's INSERT as the bulk writers give it (`INSERT INTO t (a, b) VALUES (?, ?)`, maybe
# ON CONFLICT DO NOTHING after), and the parameters a statement may take in any SQLite
# (999 before 3.32).
_ONE_ROW = re.compile(
    r"(INSERT INTO \w+ \([\w, ]+\) VALUES )(\(\?(?:, \?)*\))((?: ON CONFLICT DO NOTHING)?)"
)
_MOST_PARAMETERS = 999


@cache
def _backfill_of_facts() -> str:
    """Migration 0023's last statement (every interview's facts), without its last WHERE:
    the caller names the interviews. Read from the migration itself: one source."""
    sql = next(sql for version, _name, sql in migrations() if version == 23)
    statement = _statements(sql.split("-- The history so far.", 1)[1])[0].rstrip().rstrip(";")
    if not statement.endswith(_FACTS_TAIL):
        raise RuntimeError("migration 0023's backfill no longer ends as expected")
    return statement.removesuffix(_FACTS_TAIL)


@cache
def _board_backfills() -> list[str]:
    """The board's backfills as SQLite runs them (`board_backfills`)."""
    return board_backfills(migrations())


def board_backfills(found_in: Sequence[tuple[int, str, str]]) -> list[str]:
    """The statements with which the migrations fill `board_latest` for the history they
    find (after their "-- The history so far." line), in order, each narrowed to the
    applications `{ids}` names: an INSERT's selection of latest rounds gets `AND
    i.application_id IN (…)`, an UPDATE of every row a `WHERE`. Read from the migrations
    themselves (SQLite's or PostgreSQL's): one source; a backfill of another shape is
    refused here (a test runs it)."""
    found = []
    for version, _name, sql in found_in:
        if "-- The history so far." not in sql:
            continue
        for statement in _statements(sql.split("-- The history so far.", 1)[1]):
            statement = statement.rstrip().rstrip(";").rstrip()
            if "board_latest" not in statement:
                continue
            template = statement.replace("{", "{{").replace("}", "}}")
            if statement.startswith("INSERT INTO board_latest") and (
                "\nFROM interviews i WHERE " in statement
            ):
                found.append(f"{template} AND i.application_id IN ({{ids}})")
            elif statement.startswith("UPDATE board_latest SET"):
                found.append(f"{template} WHERE board_latest.application_id IN ({{ids}})")
            else:
                raise RuntimeError(f"migration {version:04}'s board backfill is not as expected")
    return found


SQLITE_HEADER = b"SQLite format 3\x00"
# Tables kept by triggers from the others (migrations 0023, 0025, 0027): a restore
# recomputes them.
AGGREGATES = frozenset(
    {
        "stats_sequences",
        "stats_totals",
        "stats_cells",
        "stats_delays",
        "stats_delay_hours",
        "stats_sent_hours",
        "board_latest",
    }
)


def _not_utf8(exc: UnicodeDecodeError) -> str:
    return f"a text value is not valid UTF-8 (byte {exc.object[exc.start]:#04x})"


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


APPROVAL_PREFIX = "approved_"  # notes.approved_at, _digest, _to, _message, … (any later one)
WITHDRAWN = "restored from a backup: approve it again (send ID --when-due) to send it when due"
IN_FLIGHT = (
    "was being sent when the backup was made: restored as unknown"
    " (followup send looks for it in your Sent folder first)"
)


def _schema_version(conn: sqlite3.Connection) -> int:
    row = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
    ).fetchone()
    if row is None:
        return 0
    return int(conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0] or 0)


def _apply_migrations(conn: sqlite3.Connection, current: int, upto: int | None = None) -> list[str]:
    """Run the bundled migrations after `current` (up to `upto`), each in a transaction.

    A migration may rebuild a table (SQLite's only way to drop a constraint): as SQLite's
    procedure requires, foreign keys are off while it runs (the pragma cannot change inside
    a transaction) and, where the connection enforces them, it may not commit a reference
    to a row that does not exist (one that was already there is left to `restore`'s checks).
    """
    enforced = bool(conn.execute("PRAGMA foreign_keys").fetchone()[0])
    applied = []
    for version, name, sql in migrations():
        if version <= current or (upto is not None and version > upto):
            continue
        conn.execute("PRAGMA foreign_keys = OFF")
        try:
            _apply_one(conn, version, name, sql, enforced)
        finally:
            if enforced:
                conn.execute("PRAGMA foreign_keys = ON")  # after the transaction: it counts
        applied.append(f"{version:04d}_{name}")
    return applied


def _apply_one(conn: sqlite3.Connection, version: int, name: str, sql: str, fks: bool) -> None:
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY,"
            " name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        dangling = set(conn.execute("PRAGMA foreign_key_check")) if fks else set()
        for statement in _statements(sql):
            conn.execute(statement)
        if fks and set(conn.execute("PRAGMA foreign_key_check")) - dangling:
            raise sqlite3.IntegrityError(
                f"migration {version:04d}_{name} would leave rows referring to rows that do"
                " not exist"
            )
        conn.execute(
            "INSERT INTO schema_migrations VALUES (?, ?, ?)",
            (version, name, datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")),
        )
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


# --- what a restore checks, in the copy ----------------------------------------------------


def _copy_source(source: Path, copy: Path) -> Path | None:
    """Copy `source` into `copy` (a private file), with `source`-wal as `copy`-wal when it
    holds commits: a file copied from a database in use has its last commits there, and
    SQLite reads them in the copy as it would in the file. Returns that -wal, or None.

    Both are read while nothing is written to them, or refused: a -wal that a checkpoint
    emptied between the two reads would describe another state of the file."""
    import shutil  # only for restores: it costs start-up time

    wal = Path(f"{source}-wal")
    pairs = [(source, copy)]
    with suppress(OSError):
        found = wal.stat()
        if _stat.S_ISREG(found.st_mode) and found.st_size > 0:
            pairs.append((wal, Path(f"{copy}-wal")))  # the name SQLite looks for
    before = [_identity(src) for src, _ in pairs]
    for src, dst in pairs:
        try:
            with src.open("rb") as reader, open(dst, "wb", opener=_private) as writer:
                shutil.copyfileobj(reader, writer)
        except OSError as exc:
            raise InvalidInput(f"cannot read {src}: {_reason(exc)}") from exc
    if [_identity(src) for src, _ in pairs] != before:
        raise InvalidInput(
            f"{source} changed while it was read (is a program using it?): try again when"
            " it is closed"
        )
    return wal if len(pairs) > 1 else None


def _private(path: str, flags: int) -> int:
    return os.open(path, flags, 0o600)


def _identity(path: Path) -> tuple[int, ...]:
    try:
        st = path.stat()
    except OSError:
        return ()
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def _connect_private(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    # A crafted file's schema could hold functions in defaults or checks.
    conn.execute("PRAGMA trusted_schema = OFF")
    return conn


def _check_intact(src: sqlite3.Connection, source: Path) -> None:
    problem = src.execute("PRAGMA integrity_check(1)").fetchone()[0]
    if problem != "ok":
        raise InvalidInput(f"{source} is damaged (integrity check: {problem})")


def _check_history(src: sqlite3.Connection, source: Path) -> int:
    """The backup's schema version, once its migration history is a prefix of ours."""
    names = {r[0] for r in src.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "schema_migrations" not in names or not set(TABLES) <= names:
        raise InvalidInput(f"{source} is a SQLite database but not a followup backup")
    try:
        rows = src.execute("SELECT version, name FROM schema_migrations ORDER BY version")
        history = [(int(v), str(n)) for v, n in rows]
    except (sqlite3.Error, TypeError, ValueError) as exc:
        raise InvalidInput(f"{source} is a SQLite database but not a followup backup") from exc
    known = [(v, n) for v, n, _sql in migrations()]
    if not history or history[0] != known[0]:
        raise InvalidInput(f"{source} is a SQLite database but not a followup backup")
    version = history[-1][0]
    if version > known[-1][0]:
        raise InvalidInput(
            f"{source} comes from a newer followup (schema {version}): upgrade followup first"
        )
    if history != known[: len(history)]:
        raise InvalidInput(f"{source} has a migration history this followup does not know")
    return version


def _prepare(
    conn: sqlite3.Connection, source: Path, check_row: Callable[[str, dict[str, Any]], None]
) -> None:
    """Check the copy, migrating it to this version; nothing in it is trusted after this
    but its rows (which `_rebuild` carries over)."""
    _check_intact(conn, source)
    encoding = conn.execute("PRAGMA encoding").fetchone()[0]
    if encoding != "UTF-8":  # followup never writes another; the rebuild could not read it
        raise InvalidInput(f"{source} is not a followup backup (its text is {encoding})")
    version = _check_history(conn, source)
    # Compare before migrating, against a database this followup makes at that version, so
    # that the migrations (which write) only ever run on a schema they were written for:
    # no trigger of the file's can fire while they do.
    _compare_schema(conn, _reference(version), source)
    conn.execute("PRAGMA journal_mode = DELETE")  # the copy: one file, whatever the source
    try:
        _apply_migrations(conn, version)
    except sqlite3.Error as exc:
        raise InvalidInput(f"{source} cannot be brought to this version: {exc}") from exc
    reference = _reference()
    _compare_schema(conn, reference, source)
    if conn.execute("PRAGMA foreign_key_check").fetchone() is not None:
        raise InvalidInput(f"{source} is damaged (rows refer to rows that do not exist)")
    # the tables kept by triggers are never read from the file (`_rebuild` recomputes
    # them): a bad value in them is the bad value of the row they were kept from
    tables = [t for t in _user_tables(reference) if t not in AGGREGATES]
    for table in tables:
        _check_types(conn, reference, table, source)
    for table in tables:
        cur = conn.execute(f'SELECT * FROM "{table}"')
        names = [d[0] for d in cur.description]
        for row in cur:
            check_row(table, dict(zip(names, row, strict=True)))


def _rebuild(fresh: sqlite3.Connection, checked: Path, page_size: int) -> int:
    """Fill `fresh`, an empty file, with this version's schema (its migrations) and the rows
    of the checked copy, column by column, and withdraw their approvals there. Whatever else
    the file held (an object SQLite's own checks let through, header fields, free pages)
    stays behind. Returns how many approvals were withdrawn."""
    # The live database's page size (the backup API cannot change a WAL database's), set
    # before the first write; withdrawn approvals overwritten, not left in free pages.
    fresh.execute(f"PRAGMA page_size = {int(page_size)}")
    fresh.execute("PRAGMA secure_delete = ON")
    fresh.execute("PRAGMA foreign_keys = OFF")  # the copy's were checked; any table order
    _apply_migrations(fresh, 0)
    # The stats' aggregates (migration 0023) are never read from the file: the triggers
    # compute them from the rows as they are copied in.
    tables = [t for t in _user_tables(fresh) if t not in AGGREGATES]
    fresh.execute("ATTACH DATABASE ? AS checked", (str(checked),))
    try:
        fresh.execute("BEGIN IMMEDIATE")
        try:
            for table in tables:
                columns = ", ".join(
                    f'"{r[1]}"' for r in fresh.execute(f'PRAGMA main.table_info("{table}")')
                )
                fresh.execute(f'DELETE FROM main."{table}"')  # the migrations' history rows
                fresh.execute(
                    f'INSERT INTO main."{table}" ({columns})'
                    f' SELECT {columns} FROM checked."{table}"'
                )
            withdrawn = _withdraw_approvals(fresh)
            # the rows an event kept are bytes the file wrote: undo never puts them back
            fresh.execute("UPDATE main.events SET prior_state = NULL")
        except BaseException:
            fresh.execute("ROLLBACK")
            raise
        fresh.execute("COMMIT")
    finally:
        fresh.execute("DETACH DATABASE checked")
    return withdrawn


def _reference(version: int | None = None) -> sqlite3.Connection:
    """An empty database made by this version's migrations (up to `version`): the one
    source of truth for what a backup must look like. In memory: nothing to clean up."""
    ref = sqlite3.connect(":memory:", isolation_level=None)
    _apply_migrations(ref, 0, version)
    return ref


# Tables SQLite makes itself (AUTOINCREMENT's counters, ANALYZE's statistics) with the SQL
# it gives them: a backup may hold them; the rebuild never carries them over. Any other
# object, whatever its name (`PRAGMA writable_schema` can write a trigger named sqlite_x),
# must be one this version's migrations make.
_SQLITES_OWN = {
    "sqlite_sequence": "CREATE TABLE sqlite_sequence(name,seq)",
    "sqlite_stat1": "CREATE TABLE sqlite_stat1(tbl,idx,stat)",
    "sqlite_stat2": "CREATE TABLE sqlite_stat2(tbl,idx,sampleno,sample)",
    "sqlite_stat3": "CREATE TABLE sqlite_stat3(tbl,idx,neq,nlt,ndlt,sample)",
    "sqlite_stat4": "CREATE TABLE sqlite_stat4(tbl,idx,neq,nlt,ndlt,sample)",
}

SchemaRow = tuple[str | None, str | None, str | None, str | None]  # type, name, table, sql


def _schema_rows(conn: sqlite3.Connection) -> list[SchemaRow]:
    """Every row of sqlite_master but SQLite's own tables, SQL normalised (comments,
    spacing). Auto-indexes (UNIQUE, PRIMARY KEY) stay: the reference has the same ones."""
    rows = conn.execute(
        "SELECT CAST(type AS TEXT), CAST(name AS TEXT), CAST(tbl_name AS TEXT),"
        " CAST(sql AS TEXT) FROM sqlite_master"
    )
    return [
        (kind, name, table, _normal(sql))
        for kind, name, table, sql in rows
        if not (
            kind == "table"
            and name in _SQLITES_OWN
            and table == name
            and _normal(sql) == _SQLITES_OWN[name]
        )
    ]


def _schema(conn: sqlite3.Connection) -> dict[tuple[str | None, str | None], SchemaRow]:
    return {(row[0], row[1]): row for row in _schema_rows(conn)}


def _normal(sql: str | None) -> str | None:
    if sql is None:
        return None
    return " ".join(" ".join(line.split("--", 1)[0] for line in sql.splitlines()).split())


def _compare_schema(conn: sqlite3.Connection, reference: sqlite3.Connection, source: Path) -> None:
    rows = _schema_rows(conn)
    have, want = {(r[0], r[1]): r for r in rows}, _schema(reference)
    if have == want and len(rows) == len(have):
        return
    tables_first = sorted(
        want.keys() | have.keys(), key=lambda k: (k[0] != "table", str(k[0]), str(k[1]))
    )
    for kind, name in tables_first:
        if (kind, name) not in have:
            raise InvalidInput(f"{source} lacks the {kind} {name} this followup expects")
        if (kind, name) not in want:
            raise InvalidInput(f"{source} has a {_kind(kind)} {name!r} this followup does not know")
        if have[kind, name] != want[kind, name]:
            raise InvalidInput(
                f"{source}: the {kind} {name} {_difference(conn, reference, kind, name)}"
            )
    kind, name = next(k for k in have if sum((r[0], r[1]) == k for r in rows) > 1)
    raise InvalidInput(f"{source} has the {_kind(kind)} {name!r} twice")


def _kind(kind: str | None) -> str:
    """A schema row's type as said in one line (a crafted one could hold anything)."""
    return kind if kind in ("table", "index", "view", "trigger") else f"object of type {kind!r}"


def _difference(
    conn: sqlite3.Connection, reference: sqlite3.Connection, kind: str | None, name: str | None
) -> str:
    if kind != "table":
        return "differs from this followup's"
    mine = [r[1] for r in reference.execute(f'PRAGMA table_xinfo("{name}")')]
    theirs = [r[1] for r in conn.execute(f'PRAGMA table_xinfo("{name}")')]
    missing = [c for c in mine if c not in theirs]
    extra = [c for c in theirs if c not in mine]
    if missing:
        return f"lacks the column{'s' * (len(missing) > 1)} {', '.join(missing)}"
    if extra:
        return f"has unknown column{'s' * (len(extra) > 1)} {', '.join(map(repr, extra))}"
    return "differs from this followup's (column types or constraints)"


def _user_tables(conn: sqlite3.Connection) -> list[str]:
    return sorted(str(name) for kind, name, _t, _s in _schema_rows(conn) if kind == "table")


# A value SQLite let into a column of another declared type (its tables are not STRICT).
_STORAGE = {"INTEGER": ("integer",), "TEXT": ("text",)}


def _check_types(
    conn: sqlite3.Connection, reference: sqlite3.Connection, table: str, source: Path
) -> None:
    for _cid, column, declared, *_rest in reference.execute(f'PRAGMA table_xinfo("{table}")'):
        allowed = _STORAGE.get(str(declared).upper())
        if allowed is None:
            continue
        marks = ", ".join(f"'{a}'" for a in (*allowed, "null"))
        bad = conn.execute(
            f'SELECT typeof("{column}") FROM "{table}" WHERE typeof("{column}") NOT IN ({marks})'
            " LIMIT 1"
        ).fetchone()
        if bad is not None:
            raise InvalidInput(
                f"{source}: {table}.{column} holds {bad[0]} where {declared.lower()} belongs"
            )


def _withdraw_approvals(conn: sqlite3.Connection) -> int:
    """Clear every approval column and every claim; a note `sending` becomes `unknown`."""
    columns = [r[1] for r in conn.execute("PRAGMA main.table_xinfo(notes)")]
    approvals = [c for c in columns if c.startswith(APPROVAL_PREFIX)]
    if not approvals:
        return 0
    cleared = ", ".join(f"{c} = NULL" for c in approvals)
    anything = " OR ".join(f"{c} IS NOT NULL" for c in approvals)
    cur = conn.execute(
        f"UPDATE main.notes SET {cleared}, last_error = CASE WHEN approved_at IS NOT NULL"
        f" THEN ? ELSE last_error END WHERE {anything}",
        (WITHDRAWN,),
    )
    # A worker's claim stays on the machine that made it, as in an import: a note in flight
    # comes back `unknown` (reconciled from the Sent folder, never resent) and no claim or
    # lease survives — one of 2099 never expired, and send/sent refused the note for good.
    conn.execute(
        "UPDATE main.notes SET state = 'unknown', last_error = ? WHERE state = 'sending'",
        (IN_FLIGHT,),
    )
    claims = [c for c in ("claimed_at", "claimed_by", "lease_until") if c in columns]
    if claims:
        conn.execute(f"UPDATE main.notes SET {', '.join(f'{c} = NULL' for c in claims)}")
    return int(cur.rowcount)


def _counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {t: int(conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]) for t in TABLES}


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    undecodable = _UNDECODABLE.match(str(exc))
    if undecodable:  # sqlite3's message goes on to print the bytes it could not decode
        return f"column {undecodable[1]}: a text value is not valid UTF-8"
    return str(exc)


_UNDECODABLE = re.compile(r"Could not decode to UTF-8 column '([^']*)'")


def _statements(sql: str) -> list[str]:
    """Split a migration file into statements (our migrations hold no ';' inside literals).

    A ';' inside a statement stays in it in two places: a PostgreSQL function's body
    between `$$` marks, and a SQLite trigger's between a line `BEGIN` and a line `END`."""
    lines = [line for line in sql.splitlines() if not line.lstrip().startswith("--")]
    out: list[str] = []
    held: list[str] = []
    for piece in "\n".join(lines).split(";"):
        held.append(piece)
        text = ";".join(held).strip()
        if "$$" in text:
            if text.count("$$") % 2:
                continue  # inside a function's body
        elif "\nBEGIN\n" in text and not text.endswith("\nEND"):
            continue  # inside a trigger's body
        if text:
            out.append(text)
        held = []
    return out
