"""Server mode's store: PostgreSQL through psycopg 3, one schema per seeker.

Tenancy: seeker 42's tables live in schema `u42`, made by the same numbered migrations as
the SQLite file (a sibling `NNNN_name.postgres.sql` replaces `NNNN_name.sql` where
PostgreSQL needs other SQL), each schema with its own `schema_migrations`. A tenant's store
runs every statement in a transaction whose first statement is
`SET LOCAL search_path TO u42` (a read outside a transaction: in the same message, see
`PostgresStore._execute`), so the shared SQL of `SqlStore` (which never names a schema)
reads and writes that seeker's rows only. The schema is never set on the connection's
session: a pooled connection serves many tenants, and behind a pooler in transaction mode
(PgBouncer) consecutive transactions of one client may run on different server sessions.
For the same reason nothing else outlives a transaction on the server: no prepared
statements (`prepare_threshold=None`), only transaction-scoped advisory locks, no session
`SET`, temporary table or `LISTEN` on the pooled connections (docs/deployment.md,
PgBouncer). Server-wide tables (users, coach_clients, sessions) live in schema `followup`,
made by migrations/server/, and their queries name it.

Isolation is the application's: every connection logs in as the same database role, so SQL
that names another schema (`u2.notes`) would reach it. All of our SQL is fixed text with
bound parameters and never names a schema; per-tenant roles would be the next step.

Writes: SQLite runs every write transaction under one lock taken up front (BEGIN
IMMEDIATE), and the use-cases rely on it: the send claim re-reads the interview's status
before marking the note `sending`, a new round is numbered MAX(round) + 1, replanning reads
then rewrites the notes. Here each write transaction starts with a transaction-scoped
advisory lock on its tenant (`pg_advisory_xact_lock`), at READ COMMITTED: writers of one
seeker take turns exactly as on SQLite, and every statement after the lock sees what the
previous writer committed. Chosen over SERIALIZABLE with retries because `transaction()` is
a `with` block whose body (which may talk to an SMTP server) cannot be re-run from here;
over SELECT ... FOR UPDATE at chosen places because every read-then-write of the use-cases
would need one. Different seekers never wait for each other; readers never wait.
REPEATABLE READ would be wrong here: its snapshot would be taken before the lock is granted.

Instants stay TEXT in the SQLite format, so the row mappers of `SqlStore` work unchanged.
"""

from __future__ import annotations

import os
import queue
import threading
import time
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import psycopg
from psycopg import pq
from psycopg.conninfo import conninfo_to_dict
from psycopg_pool import ConnectionPool

from followup.adapters.store.sqlite import _statements, board_backfills
from followup.adapters.store.sqlstore import SqlStore
from followup.app.errors import StoreUnavailable

if TYPE_CHECKING:
    from followup.adapters.store.memory import MemoryStore

MIGRATIONS = Path(__file__).parent / "migrations"
SERVER_MIGRATIONS = MIGRATIONS / "server"
SERVER_SCHEMA = "followup"

# First keys of the two-key advisory locks ("FU" and a number); the second is the user id,
# 0 for the server schema (user ids start at 1).
MIGRATE_LOCK = 0x46550001  # one migration of one schema at a time
WRITE_LOCK = 0x46550002  # one write transaction of one tenant at a time

_MIGRATIONS_TABLE = (
    "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY,"
    " name text NOT NULL, applied_at text NOT NULL)"
)
Migration = tuple[int, str, str]  # (version, name, sql)

# a claim holds the seeker's ready queue rows with it, up to this many (a worker's visit
# sends at most 50: cli/worker.py BATCH); the rest stay for other workers
HELD_ROWS = 100
WAKE_CHANNEL = "followup_work"  # the queue's triggers NOTIFY it (server migration 0004)


# --- migration files --------------------------------------------------------------------


def _read(directory: Path, dialect: str | None) -> list[Migration]:
    """(version, name, sql) in order; a `NNNN_name.<dialect>.sql` sibling wins over the plain."""
    chosen: dict[int, tuple[str, Path, bool]] = {}
    for entry in directory.iterdir():
        if not entry.name.endswith(".sql"):
            continue
        stem = entry.name.removesuffix(".sql")
        specific = dialect is not None and stem.endswith(f".{dialect}")
        if specific:
            stem = stem.removesuffix(f".{dialect}")
        elif "." in stem:
            continue  # another dialect's file
        number, _, name = stem.partition("_")
        version = int(number)
        if version in chosen and chosen[version][0] != name:
            raise RuntimeError(f"two migrations numbered {version}: {name}, {chosen[version][0]}")
        if specific or version not in chosen:
            chosen[version] = (name, entry, specific)
    return [(v, name, path.read_text("utf-8")) for v, (name, path, _) in sorted(chosen.items())]


@cache
def tenant_migrations() -> list[Migration]:
    """The tenant migrations as PostgreSQL runs them (read once per process)."""
    return _read(MIGRATIONS, "postgres")


@cache
def server_migrations() -> list[Migration]:
    return _read(SERVER_MIGRATIONS, None)


_FACTS_TAIL = " WHERE true) AS r) AS f"


@cache
def _backfill_of_facts() -> str:
    """Migration 0023's last statement in PostgreSQL (every interview's facts), without its
    last WHERE: the caller names the interviews. Read from the migration itself."""
    sql = next(sql for version, _name, sql in tenant_migrations() if version == 23)
    statement = _statements(sql.split("-- The history so far.", 1)[1])[0].rstrip().rstrip(";")
    if not statement.endswith(_FACTS_TAIL):
        raise RuntimeError("migration 0023's backfill no longer ends as expected")
    return statement.removesuffix(_FACTS_TAIL)


@cache
def _board_backfills() -> list[str]:
    """The board's backfills as PostgreSQL runs them (0027's and 0029's, narrowed)."""
    return board_backfills(tenant_migrations())


def schema_of(user_id: int) -> str:
    """The tenant schema's name; refuses anything but a positive int (it is spliced into SQL)."""
    if isinstance(user_id, bool) or not isinstance(user_id, int) or not 0 < user_id < 2**31:
        raise ValueError(f"not a user id: {user_id!r}")
    return f"u{user_id}"


# --- placeholders -----------------------------------------------------------------------


@lru_cache(maxsize=2048)
def to_pyformat(sql: str) -> str:
    """SqlStore's `?` placeholders as psycopg's `%s` (and a literal `%` as `%%`).

    A `?` inside a quoted literal stays (our SQL has none, but the rule costs nothing)."""
    out = []
    quoted = False
    for ch in sql:
        if ch == "'":
            quoted = not quoted
        if ch == "?" and not quoted:
            out.append("%s")
        elif ch == "%":
            out.append("%%")
        else:
            out.append(ch)
    return "".join(out)


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _reason(exc: BaseException) -> str:
    """The first line of a driver error (libpq's messages go on with hints and detail)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def describe(url: str) -> str:
    """host:port/dbname of a connection URL: what error messages name (never the password)."""
    info = conninfo_to_dict(url)
    host = str(info.get("host") or info.get("hostaddr") or "localhost")
    port = f":{info['port']}" if info.get("port") else ""
    return f"{host}{port}/{info.get('dbname') or info.get('user') or ''}"


# --- the database -----------------------------------------------------------------------


class PostgresDatabase:
    """One PostgreSQL database in server mode: its pool, migrations and tenants."""

    def __init__(
        self,
        url: str,
        *,
        direct_url: str | None = None,
        max_size: int = 10,
        connect_timeout: int = 10,
    ) -> None:
        """`url` may go through a pooler in transaction mode (PgBouncer); `direct_url`, if
        given, reaches PostgreSQL itself: what `direct()` connects to (db migrate's jobs,
        and anything that must keep a server session, such as LISTEN)."""
        try:
            self.where = describe(url)
        except psycopg.Error as exc:
            raise StoreUnavailable(
                f"FOLLOWUP_DATABASE_URL is not a PostgreSQL URL ({_reason(exc)})"
            ) from None
        try:
            self.direct_where = describe(direct_url) if direct_url else self.where
        except psycopg.Error as exc:
            raise StoreUnavailable(
                f"FOLLOWUP_DATABASE_DIRECT_URL is not a PostgreSQL URL ({_reason(exc)})"
            ) from None
        self.direct_url = direct_url or url  # LISTEN's and db migrate's (no pooler)
        # One connection first, to fail at once with libpq's reason (a pool would retry in
        # the background and report only a timeout).
        try:
            psycopg.connect(url, connect_timeout=connect_timeout, autocommit=True).close()
        except psycopg.Error as exc:
            raise StoreUnavailable(
                f"cannot connect to PostgreSQL at {self.where}: {_reason(exc)}"
            ) from None
        self._url = url
        self._connect_timeout = connect_timeout
        self._pool: ConnectionPool[psycopg.Connection[Any]] = ConnectionPool(
            url,
            min_size=1,
            max_size=max_size,
            # No prepared statements: they live on the server's session, which a pooler in
            # transaction mode shares between clients (docs/deployment.md, PgBouncer).
            kwargs={
                "autocommit": True,
                "connect_timeout": connect_timeout,
                "prepare_threshold": None,
            },
            name="followup",
            open=False,
        )
        self._pool.open()
        self._ready: set[int] = set()  # tenants seen at the latest schema by this process
        self._ready_lock = threading.Lock()
        self._server_ready = False  # the server schema seen at its latest by this process

    def close(self) -> None:
        self._pool.close()

    def __enter__(self) -> PostgresDatabase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def connection(self) -> Iterator[psycopg.Connection[Any]]:
        """A pooled connection (autocommit; name schemas explicitly: its search_path is any)."""
        try:
            conn = self._pool.getconn()
        except psycopg.OperationalError as exc:  # the pool's timeout too
            raise StoreUnavailable(f"PostgreSQL at {self.where}: {_reason(exc)}") from None
        try:
            yield conn
        except psycopg.OperationalError as exc:
            if conn.broken:
                raise StoreUnavailable(f"lost PostgreSQL at {self.where}: {_reason(exc)}") from None
            raise
        finally:
            self._pool.putconn(conn)  # rolled back by the pool if a transaction was left open

    def direct(self) -> psycopg.Connection[Any]:
        """A new connection of its own (autocommit, never pooled) to PostgreSQL itself
        (`direct_url`; the pooled URL when none was given): for work that must keep one
        server session across transactions, such as LISTEN, which a pooler in transaction
        mode cannot give. The caller closes it (a `with` block does)."""
        try:
            return self._connect_direct()
        except psycopg.Error as exc:
            raise StoreUnavailable(
                f"cannot connect to PostgreSQL at {self.direct_where}: {_reason(exc)}"
            ) from None

    def _connect_direct(self) -> psycopg.Connection[Any]:
        return psycopg.connect(
            self.direct_url,
            autocommit=True,
            connect_timeout=self._connect_timeout,
            prepare_threshold=None,
        )

    # --- migrations -------------------------------------------------------------------

    def migrate(self) -> dict[str, Any]:
        """Server migrations, then every tenant's: {"server": [...], "tenants": {id: [...]}}.

        A tenant whose migration fails is named in the StoreUnavailable raised at the end
        (after every other tenant was migrated); `migrate_tenants` reports each instead."""
        server = self.migrate_server()
        done = self.migrate_tenants()
        if done.failed:
            uid, reason = next(iter(sorted(done.failed.items())))
            more = f" (and {len(done.failed) - 1} more)" if len(done.failed) > 1 else ""
            raise StoreUnavailable(f"schema {schema_of(uid)}: {reason}{more}")
        return {"server": server, "tenants": dict(sorted(done.applied.items()))}

    def migrate_tenants(
        self,
        jobs: int | None = None,
        progress: Callable[[int, int], None] | None = None,
        known: list[Migration] | None = None,
    ) -> TenantsMigrated:
        """Bring every tenant's schema up to date, `jobs` schemas at a time.

        Each job has a connection of its own (`direct()`: not the pool's, and not through a
        pooler when a direct URL was given) and takes the next schema from
        a shared queue; each schema is migrated in one transaction (see `_migrate`), so a run
        stopped half-way leaves every schema either migrated or untouched, and the next run
        finishes the rest. A schema whose migration fails is recorded with the reason and
        the others go on. `progress(done, total)` is called from this thread (the caller's)
        after each schema. Losing the database stops the run: StoreUnavailable, saying how
        many schemas were done.
        """
        jobs = default_jobs() if jobs is None else jobs
        if jobs < 1:
            raise ValueError(f"jobs must be at least 1, not {jobs}")
        migrations = tenant_migrations() if known is None else known
        self._server_first()
        users = self.tenants()
        total = len(users)
        result = TenantsMigrated(total=total)
        if not users:
            return result
        todo: queue.SimpleQueue[int] = queue.SimpleQueue()
        for uid in users:
            todo.put(uid)
        outcomes: queue.SimpleQueue[tuple[str, int, list[str], str]] = queue.SimpleQueue()
        stop = threading.Event()

        def job() -> None:
            try:
                conn = self._connect_direct()
            except psycopg.Error as exc:
                outcomes.put(("lost", 0, [], _reason(exc)))
                return
            try:
                while not stop.is_set():
                    try:
                        uid = todo.get_nowait()
                    except queue.Empty:
                        break
                    try:
                        applied = _migrate(conn, schema_of(uid), uid, migrations)
                    except StoreUnavailable as exc:
                        outcomes.put(("failed", uid, [], str(exc)))
                    except psycopg.Error as exc:
                        if conn.broken:
                            outcomes.put(("lost", uid, [], _reason(exc)))
                            return
                        outcomes.put(("failed", uid, [], _reason(exc)))
                    else:
                        outcomes.put(("ok", uid, applied, ""))
            finally:
                with suppress(Exception):
                    conn.close()
                outcomes.put(("end", 0, [], ""))

        threads = [
            threading.Thread(target=job, name=f"migrate-{n}", daemon=True)
            for n in range(min(jobs, total))
        ]
        for thread in threads:
            thread.start()
        running, done, lost = len(threads), 0, ""
        try:
            while running:
                try:
                    kind, uid, applied, reason = outcomes.get(timeout=0.5)
                except queue.Empty:
                    continue
                if kind == "end":
                    running -= 1
                    continue
                if kind == "lost":
                    lost = lost or reason
                    stop.set()
                    continue
                done += 1
                if kind == "ok":
                    result.applied[uid] = applied
                    with self._ready_lock:
                        self._ready.add(uid)
                else:
                    result.failed[uid] = reason
                if progress is not None:
                    progress(done, total)
        finally:
            stop.set()  # Ctrl-C: each job stops after its schema (the daemon threads die at
            # exit; a transaction in flight is rolled back by the server)
        if lost:
            raise StoreUnavailable(
                f"lost PostgreSQL at {self.direct_where}: {lost} ({done:,} of {total:,} user"
                " schemas were done; run `followup db migrate` again to finish)"
            )
        return result

    def migrate_server(self) -> list[str]:
        with self.connection() as conn:
            applied = _migrate(conn, SERVER_SCHEMA, 0, server_migrations())
        self._server_ready = True
        return applied

    def _server_first(self) -> None:
        """The server schema before any tenant's: the tenants' triggers call its functions
        (the coach view's figures, migrations 0022 and server/0003; the work queue, 0026 and
        server/0004)."""
        if not self._server_ready:
            self.migrate_server()

    def create_tenant(self, user_id: int) -> None:
        """Make the schema of this user's data (the Tenants port); nothing if it exists."""
        self.migrate_tenant(user_id)

    def migrate_tenant(self, user_id: int) -> list[str]:
        """Make, or bring up to date, the schema of this user's data; what was applied."""
        schema = schema_of(user_id)
        self._server_first()
        with self.connection() as conn:
            applied = _migrate(conn, schema, user_id, tenant_migrations())
        with self._ready_lock:
            self._ready.add(user_id)
        return applied

    def tenants(self) -> list[int]:
        """The users that have a data schema, in id order."""
        with self.connection() as conn:
            rows = conn.execute(
                "SELECT nspname FROM pg_namespace WHERE nspname ~ '^u[1-9][0-9]*$'"
            ).fetchall()
        return sorted(int(r[0][1:]) for r in rows)

    def status(self) -> dict[str, Any]:
        """Schema versions: the server's, and each tenant's, with what is pending."""
        server_latest = server_migrations()[-1][0]
        tenant_latest = tenant_migrations()[-1][0]
        with self.connection() as conn:
            server = _version(conn, SERVER_SCHEMA)
            tenants = [
                {
                    "user_id": uid,
                    "schema": schema_of(uid),
                    "version": (v := _version(conn, schema_of(uid))),
                    "pending": max(tenant_latest - v, 0),
                }
                for uid in self.tenants()
            ]
        return {
            "backend": "postgresql",
            "database": self.where,
            "server": {
                "version": server,
                "latest": server_latest,
                "pending": max(server_latest - server, 0),
            },
            "tenant_latest": tenant_latest,
            "tenants": tenants,
        }

    # --- the work queue (server migration 0004; the worker's side) -----------------------
    # Each claim is one statement, whatever the number of seekers: it takes the row ready
    # earliest that no other worker is taking (FOR UPDATE SKIP LOCKED) and holds it for
    # `hold` (ready_at moves on: a worker that dies holding it lets it go by itself). The
    # exactly-once guarantee stays the tenant's claim (Store.claim_due): this only says
    # which seeker's schema to work in. `now` is the worker's clock, never the database's.

    def claim_note_tenant(self, by: str, now: datetime, hold: timedelta) -> int | None:
        """The seeker of `claim_notes`: who has a queued note ready earliest."""
        held = self.claim_notes(by, now, hold)
        return held.tenant if held is not None else None

    def claim_notes(self, by: str, now: datetime, hold: timedelta) -> HeldNotes | None:
        """The seeker whose queued note is ready earliest (due, or its lease over), held
        for `hold` by `by`, and what this worker now holds of theirs; None when nothing is
        ready.

        With it go that seeker's other ready rows (up to HELD_ROWS, those no other worker
        is taking): when many notes fall due at once, the next worker's claim finds the
        next seeker instead of another row of this one, so workers spread over seekers
        rather than queue behind one seeker's claim (its notes' row locks). How many of
        them are approved notes due and how many leases that ran out tells the visit what
        to do without asking the seeker's schema (cli/worker.py)."""
        with self.connection() as conn:
            rows = conn.execute(
                "WITH c AS (SELECT tenant, note_id FROM followup.note_queue"
                " WHERE ready_at <= %(now)s ORDER BY ready_at LIMIT 1 FOR UPDATE SKIP LOCKED),"
                " r AS (SELECT q.tenant, q.note_id FROM followup.note_queue q"
                " JOIN c ON q.tenant = c.tenant AND q.note_id <> c.note_id"
                " WHERE q.ready_at <= %(now)s ORDER BY q.ready_at LIMIT %(more)s"
                " FOR UPDATE OF q SKIP LOCKED)"
                " UPDATE followup.note_queue q SET ready_at = %(until)s, held_by = %(by)s"
                " WHERE (q.tenant, q.note_id) IN"
                " (SELECT tenant, note_id FROM c UNION ALL SELECT tenant, note_id FROM r)"
                " RETURNING q.tenant, q.lease_until IS NOT NULL",
                {"now": now, "until": now + hold, "by": by, "more": HELD_ROWS - 1},
            ).fetchall()
        if not rows:
            return None
        leases = sum(1 for _, lease in rows if lease)
        return HeldNotes(int(rows[0][0]), len(rows) - leases, leases)

    def release_notes(self, by: str, tenant: int, now: datetime, back_off: timedelta) -> None:
        """After a visit: the rows `by` still holds in that seeker's queue. The visit stopped
        early (its batch was full: `back_off` zero), they are ready again now; else they are
        notes the seeker's store would not hand out (their worker's clock is behind, say):
        looked at again after `back_off`."""
        with self.connection() as conn:
            conn.execute(
                "UPDATE followup.note_queue SET held_by = NULL,"
                " ready_at = GREATEST(COALESCE(lease_until, due_at), %s)"
                " WHERE tenant = %s AND held_by = %s",
                (now + back_off, tenant, by),
            )

    def defer_notes(self, tenant: int, until: datetime) -> None:
        """Nothing of this seeker's can go before `until` (their daily limit, no way to send
        or to read their inbox): their approved notes are not looked at until then."""
        with self.connection() as conn:
            conn.execute(
                "UPDATE followup.note_queue SET ready_at = GREATEST(ready_at, %s), held_by = NULL"
                " WHERE tenant = %s AND lease_until IS NULL",
                (until, tenant),
            )

    def claim_mailbox(self, by: str, now: datetime, hold: timedelta) -> tuple[int, datetime] | None:
        """(seeker, when their sync was due) of the mailbox due earliest, held for `hold`."""
        with self.connection() as conn:
            row = conn.execute(
                "UPDATE followup.mailbox_queue q SET next_sync_at = %s, held_by = %s"
                " FROM (SELECT tenant, next_sync_at FROM followup.mailbox_queue"
                " WHERE next_sync_at <= %s ORDER BY next_sync_at LIMIT 1"
                " FOR UPDATE SKIP LOCKED) AS c"
                " WHERE q.tenant = c.tenant RETURNING q.tenant, c.next_sync_at",
                (now + hold, by, now),
            ).fetchone()
        return (int(row[0]), row[1]) if row else None

    def next_sync(self, tenant: int, at: datetime) -> None:
        """When this seeker's mailbox is read next (now: at once)."""
        with self.connection() as conn:
            conn.execute(
                "INSERT INTO followup.mailbox_queue (tenant, next_sync_at) VALUES (%s, %s)"
                " ON CONFLICT (tenant) DO UPDATE SET next_sync_at = EXCLUDED.next_sync_at,"
                " held_by = NULL",
                (tenant, at),
            )

    def forget_tenant(self, tenant: int) -> None:
        """A seeker with no schema any more: their rows go."""
        with self.connection() as conn, conn.transaction():
            conn.execute("DELETE FROM followup.note_queue WHERE tenant = %s", (tenant,))
            conn.execute("DELETE FROM followup.mailbox_queue WHERE tenant = %s", (tenant,))

    def next_ready(self) -> datetime | None:
        """The earliest time anything in the queue is ready (None: the queue is empty)."""
        with self.connection() as conn:
            row = conn.execute(
                "SELECT LEAST((SELECT MIN(ready_at) FROM followup.note_queue),"
                " (SELECT MIN(next_sync_at) FROM followup.mailbox_queue))"
            ).fetchone()
        return row[0] if row and row[0] is not None else None

    def waker(self) -> Waker:
        """A LISTEN on the queue's channel, on a direct connection of its own."""
        return Waker(self.direct_url, self._connect_timeout)

    # --- users ------------------------------------------------------------------------

    def user_email(self, user_id: int) -> str | None:
        """The address user `user_id` signs in with, if there is such a user."""
        with self.connection() as conn:
            row = conn.execute(
                "SELECT email FROM followup.users WHERE id = %s", (user_id,)
            ).fetchone()
        return str(row[0]) if row else None

    def user_by_email(self, email: str) -> tuple[int, bool] | None:
        """(id, disabled) of the user with this e-mail address (any case), if any."""
        try:
            with self.connection() as conn:
                row = conn.execute(
                    "SELECT id, disabled FROM followup.users WHERE email = %s",
                    (email.strip().lower(),),
                ).fetchone()
        except psycopg.errors.UndefinedTable:
            raise StoreUnavailable(
                f"the PostgreSQL database {self.where} is not set up: run `followup db migrate`"
            ) from None
        return (int(row[0]), bool(row[1])) if row else None

    def user_disabled(self, user_id: int) -> bool:
        """Whether the account of this seeker is disabled (no such account: not)."""
        with self.connection() as conn:
            row = conn.execute(
                "SELECT disabled FROM followup.users WHERE id = %s", (user_id,)
            ).fetchone()
        return bool(row and row[0])

    # --- tenants' stores --------------------------------------------------------------

    def tenant_store(self, user_id: int) -> PostgresStore:
        """The Store of one seeker; their schema is made or migrated on first use here."""
        schema_of(user_id)
        if user_id not in self._ready:
            self.migrate_tenant(user_id)
        try:
            return PostgresStore(self._pool, user_id)
        except psycopg.OperationalError as exc:
            raise StoreUnavailable(f"PostgreSQL at {self.where}: {_reason(exc)}") from None


class HeldNotes(NamedTuple):
    """What a worker's claim on the queue holds of one seeker's (`claim_notes`)."""

    tenant: int
    due: int  # approved notes due: at most this many to send on the visit
    leases: int  # notes `sending` whose worker's lease ran out: to expire and reconcile


class Waker:
    """Wait for the queue's NOTIFY (an earlier due time arrived) or a time-out.

    Its own connection, straight to PostgreSQL (`FOLLOWUP_DATABASE_DIRECT_URL` when the
    pool goes through PgBouncer in transaction mode, where a LISTEN does not hold). A lost
    connection is opened again at the next wait: meanwhile the wait is a plain sleep, and
    the worker's bounded sleep keeps it looking at the queue."""

    def __init__(self, url: str, connect_timeout: int) -> None:
        self._url = url
        self._connect_timeout = connect_timeout
        self._conn: psycopg.Connection[Any] | None = None

    def _listen(self) -> psycopg.Connection[Any] | None:
        if self._conn is not None and not self._conn.closed:
            return self._conn
        try:
            conn = psycopg.connect(
                self._url,
                autocommit=True,
                connect_timeout=self._connect_timeout,
                prepare_threshold=None,
            )
            conn.execute(f"LISTEN {WAKE_CHANNEL}")
        except psycopg.Error:
            return None
        self._conn = conn
        return conn

    def wait(self, seconds: float, stop: threading.Event) -> bool:
        """True when woken by a NOTIFY, False after `seconds` (or when `stop` is set: the
        wait is cut into slices of at most half a second to notice it)."""
        deadline = time.monotonic() + max(seconds, 0.0)
        while not stop.is_set():
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            conn = self._listen()
            if conn is None:
                stop.wait(min(left, 0.5))
                continue
            try:
                # the generator holds the connection until it ends: no other call inside
                woken = list(conn.notifies(timeout=min(left, 0.5), stop_after=1))
            except psycopg.Error:
                self.close()
                continue
            if woken:
                self._drain(conn)
                return True
        return False

    def _drain(self, conn: psycopg.Connection[Any]) -> None:
        """Notifications that came together wake once (a time-out of 0 would mean none)."""
        with suppress(psycopg.Error):
            list(conn.notifies(timeout=0.01, stop_after=1000))

    def close(self) -> None:
        if self._conn is not None:
            with suppress(Exception):
                self._conn.close()
            self._conn = None


def default_jobs() -> int:
    """How many schemas `migrate_tenants` migrates at once unless told: min(4, CPUs)."""
    return min(4, os.cpu_count() or 1)


@dataclass
class TenantsMigrated:
    """What `migrate_tenants` did: per user id, the migrations applied (an empty list: it
    was up to date) or why it failed (that schema left as it was)."""

    total: int
    applied: dict[int, list[str]] = field(default_factory=dict)
    failed: dict[int, str] = field(default_factory=dict)


def _version(conn: psycopg.Connection[Any], schema: str) -> int:
    """The schema's migration version (0 if it has none yet).

    Outside a transaction, one query: the table is read, and a schema without it is told by
    the error (a worker's first visit to each seeker checks their version: one round trip,
    not two; the server logs that error once per schema made, when it is made). Inside
    one, where an error would end the transaction, it is looked up first."""
    if conn.info.transaction_status == pq.TransactionStatus.IDLE:
        try:
            row = conn.execute(f"SELECT COALESCE(MAX(version), 0) FROM {schema}.schema_migrations")
        except (psycopg.errors.UndefinedTable, psycopg.errors.InvalidSchemaName):
            return 0
        return int(row.fetchone()[0])  # type: ignore[index]
    exists = conn.execute("SELECT to_regclass(%s)", (f"{schema}.schema_migrations",)).fetchone()
    if exists is None or exists[0] is None:
        return 0
    row = conn.execute(f"SELECT COALESCE(MAX(version), 0) FROM {schema}.schema_migrations")
    return int(row.fetchone()[0])  # type: ignore[index]


def _migrate(
    conn: psycopg.Connection[Any], schema: str, key: int, known: list[Migration]
) -> list[str]:
    """Apply what `schema` lacks, all of it in one transaction, under an advisory lock.

    A schema is either brought to the latest version or left as it was: a process killed
    half-way (or a migration that fails) leaves nothing half-applied, and the next run
    starts that schema from where it was. Two processes starting at once: the second waits
    for the lock, then finds the versions recorded and applies nothing. The common case
    (up to date) costs two queries and no lock.
    """
    latest = known[-1][0]
    current = _version(conn, schema)
    _refuse_newer(schema, current, latest)
    if current == latest:
        return []
    applied: list[str] = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s, %s)", (MIGRATE_LOCK, key))
        conn.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
        conn.execute(f"SET LOCAL search_path TO {schema}")
        conn.execute(_MIGRATIONS_TABLE)
        row = conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").fetchone()
        current = int(row[0]) if row else 0  # another process may have migrated meanwhile
        _refuse_newer(schema, current, latest)
        for version, name, sql in known:
            if version <= current:
                continue
            for statement in _statements(sql):
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (%s, %s, %s)",
                (version, name, _now()),
            )
            applied.append(f"{version:04d}_{name}")
    return applied


def _refuse_newer(schema: str, current: int, latest: int) -> None:
    if current > latest:
        raise StoreUnavailable(
            f"schema {schema} is at version {current}, newer than this followup ({latest}):"
            " upgrade followup"
        )


# --- one tenant's store -----------------------------------------------------------------


def _give_back(
    pool: ConnectionPool[psycopg.Connection[Any]], conn: psycopg.Connection[Any]
) -> None:
    """Return a store's connection (rolled back by the pool if a transaction was left open)."""
    with suppress(Exception):  # at interpreter exit the pool may be gone already
        pool.putconn(conn)


class PostgresStore(SqlStore):
    """The Store port over one seeker's schema, on a connection borrowed from the pool for
    the store's lifetime (give it back with `close()`)."""

    skip_locked = "FOR UPDATE SKIP LOCKED"

    def _seconds(self, later: str, earlier: str) -> str:
        """The stored instants (fixed ISO-8601 UTC text) read as timestamptz."""
        return (
            f"CAST(EXTRACT(EPOCH FROM CAST({later} AS timestamptz)"
            f" - CAST({earlier} AS timestamptz)) AS bigint)"
        )

    _LIKE = "ILIKE"  # the board's search ignores case in every script

    def __init__(self, pool: ConnectionPool[psycopg.Connection[Any]], user_id: int) -> None:
        self.user_id = user_id
        self.schema = schema_of(user_id)
        self._pool = pool
        self._depth = 0
        self._cursors = 0  # named (server-side) cursors opened, for fresh names
        self._stats_paused = False
        self._defaults_null: dict[str, frozenset[str]] = {}  # (insert_records)
        self._scope = f"SET LOCAL search_path TO {self.schema}; "  # a statement's prefix
        # The schema is set per transaction, never on the connection's session (see
        # `_scoped`): the pooled connection may have served another tenant before, and
        # behind a pooler in transaction mode each transaction may meet another server
        # session.
        conn = pool.getconn()
        self._conn: psycopg.Connection[Any] | None = conn
        # A store dropped without close() (the CLI exits without closing its context; a
        # long-lived process may forget) still gives its connection back when collected.
        self._give_back = weakref.finalize(self, _give_back, pool, conn)

    # --- the stats' triggers, paused for an import ---------------------------------------

    def pause_stats(self) -> None:
        """The stats' trigger functions, and the board's that an import's rows fire, do
        nothing while this transaction's own setting `followup.stats_paused` is on
        (migrations 0028, 0031): gone with the transaction, whatever ends it; no lock
        taken, no superuser needed."""
        if not self._depth:
            raise RuntimeError("pause_stats outside a write transaction")
        self._execute("SET LOCAL followup.stats_paused = 'on'")
        self._stats_paused = True

    def resume_stats(self, interview_ids: Sequence[int]) -> None:
        if not self._stats_paused:
            return
        self._stats_paused = False
        if not interview_ids:  # a failed import: its rollback clears the setting anyway
            with suppress(psycopg.Error):
                self._execute("SET LOCAL followup.stats_paused = 'off'")
            return
        # The planner's figures for the tables just written (a fresh tenant's are empty ones:
        # the refreshes below then walked every row once per application, ~1 ms each)
        self._execute("ANALYZE applications, interviews, interviewers, notes, inbound_messages")
        self._add_stats(interview_ids)
        self._add_board(interview_ids)
        self._execute("SET LOCAL followup.stats_paused = 'off'")

    def _columns_null_by_default(self, table: str) -> list[str]:
        rows = self._all(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = ?"
            " AND table_name = ? AND is_nullable = 'YES' AND column_default IS NULL"
            " AND is_identity = 'NO' AND is_generated = 'NEVER'",
            (self.schema, table),
        )
        return [str(r[0]) for r in rows]

    def _facts_sql(self) -> str:
        return _backfill_of_facts()

    def _board_sql(self) -> list[str]:
        return _board_backfills()

    def staging(self) -> MemoryStore:
        """A store in memory for an import to run the use-cases in (`PortabilityStore`)."""
        from followup.adapters.store.memory import MemoryStore

        return MemoryStore(staging=True)

    def close(self) -> None:
        self._conn = None
        self._give_back()  # once: later calls, and the finalizer, do nothing

    @property
    def conn(self) -> psycopg.Connection[Any]:
        if self._conn is None:
            raise StoreUnavailable("the store was closed")
        return self._conn

    # --- plumbing -----------------------------------------------------------------------

    def _lost(self, exc: psycopg.OperationalError) -> StoreUnavailable | None:
        if self._conn is not None and self._conn.broken:
            return StoreUnavailable(f"lost the PostgreSQL connection: {_reason(exc)}")
        return None

    @contextmanager
    def _scoped(self, begin: str) -> Iterator[None]:
        """One transaction on this tenant's schema, at depth 1 while its body runs.

        `begin` is one message of fixed text: BEGIN (with its isolation level), then
        `SET LOCAL search_path` to this tenant's schema (and, for a write, the write lock):
        one round trip. Nothing outlives the transaction on the server's session, so a
        pooler in transaction mode may give each transaction another session
        (docs/deployment.md, PgBouncer)."""
        conn = self.conn
        try:
            try:
                conn.execute(begin)
                self._depth = 1
                try:
                    yield
                finally:
                    self._depth = 0
            except BaseException:
                if not conn.broken and conn.info.transaction_status != pq.TransactionStatus.IDLE:
                    with suppress(psycopg.Error):
                        conn.rollback()
                raise
            conn.commit()
        except psycopg.OperationalError as exc:
            if lost := self._lost(exc):
                raise lost from None
            raise

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction, this tenant's writers taking turns (see the module doc);
        nested uses join the outer one."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        with self._scoped(
            f"BEGIN; SET LOCAL search_path TO {self.schema};"
            f" SELECT pg_advisory_xact_lock({WRITE_LOCK}, {self.user_id})"
        ):
            yield

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """One consistent read that holds no writer back (an export): a REPEATABLE READ,
        READ ONLY transaction, without the tenant's write lock. Nested uses join the outer
        one; inside another transaction it is that one."""
        if self._depth:
            with self.transaction():
                yield
            return
        with self._scoped(
            "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY;"
            f" SET LOCAL search_path TO {self.schema}"
        ):
            yield

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Run one statement (its rows are all on the client when this returns).

        Inside a transaction, as it is. Outside one, in one message after
        `SET LOCAL search_path TO u<id>`: PostgreSQL runs a message of several statements
        as one implicit transaction, so the schema holds for this statement only, at the
        cost of no extra round trip. Such a message cannot bind parameters on the server,
        so psycopg binds them on the client (ClientCursor: quoted by libpq, never
        prepared)."""
        conn = self.conn
        try:
            if self._depth:
                return conn.execute(to_pyformat(sql), tuple(params))
            cur = psycopg.ClientCursor(conn)
            cur.execute(self._scope + to_pyformat(sql), tuple(params))
            cur.nextset()  # the statement's result, after the SET's
            return cur
        except psycopg.OperationalError as exc:
            if lost := self._lost(exc):
                raise lost from None
            raise

    def _reads(
        self, queries: Sequence[tuple[str, Sequence[Any]]]
    ) -> list[tuple[list[str], list[Any]]]:
        """Several reads in one message, bound on the client as `_execute` binds a read
        outside a transaction: one round trip instead of one a read (a worker's send reads
        an interview's six tables for its history: each wait for the server is a wait for
        a core on a busy machine)."""
        conn = self.conn
        sql = "; ".join(to_pyformat(q) for q, _ in queries)
        params = tuple(p for _, ps in queries for p in ps)
        try:
            cur = psycopg.ClientCursor(conn)
            cur.execute(sql if self._depth else self._scope + sql, params)
            if not self._depth:
                cur.nextset()  # past the SET's result
            out = []
            for n in range(len(queries)):
                if n:
                    cur.nextset()
                out.append(([d[0] for d in cur.description or ()], cur.fetchall()))
            return out
        except psycopg.OperationalError as exc:
            if lost := self._lost(exc):
                raise lost from None
            raise

    def _executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        conn = self.conn
        try:
            with conn.cursor() as cur:  # psycopg pipelines the statements
                cur.executemany(to_pyformat(sql), rows)
        except psycopg.OperationalError as exc:
            if conn.broken:
                raise StoreUnavailable(f"lost the PostgreSQL connection: {_reason(exc)}") from None
            raise

    _SCRATCH = SqlStore._SCRATCH + " ON COMMIT DROP"  # (never outlives the import)
    _STASH = SqlStore._STASH.replace("BLOB", "bytea") + " ON COMMIT DROP"

    def _fresh_ids(self, table: str, n: int) -> list[int]:
        """`n` values of the table's identity sequence (other writers may take some between:
        not necessarily consecutive)."""
        rows = self._all(
            f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, ?)",
            (n,),
        )
        return [int(r[0]) for r in rows]

    def _stream(self, sql: str, params: Sequence[Any] = ()) -> Iterator[Any]:
        """A server-side cursor: the rows come 1,000 at a time, never the whole result
        (inside the transaction that reads them, as a named cursor must be)."""
        conn = self.conn
        self._cursors += 1
        with conn.cursor(name=f"followup_stream_{self._cursors}") as cur:
            cur.execute(to_pyformat(sql), tuple(params))
            while batch := cur.fetchmany(1000):
                yield from batch

    def schema_version(self) -> int:
        return _version(self.conn, self.schema)
