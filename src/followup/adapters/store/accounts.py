"""The SQL of accounts: followup.users, coach_clients, sessions and sign_in_attempts.

PostgreSQL only (server mode), through the PostgresDatabase's connection pool (autocommit):
each method borrows a connection for one statement, or one short transaction. Instants are
TEXT "YYYY-MM-DDTHH:MM:SSZ", as in the tenant stores. Schema: migrations/server/.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime, timedelta
from typing import Any, Protocol

from followup.adapters.store.sqlstore import from_db, to_db
from followup.app.errors import Conflict, StoreUnavailable
from followup.app.rows import Credentials, Limit, User

_USER = "u.id, u.email, u.role, u.created_at, u.disabled"


class Pool(Protocol):
    """What we use of PostgresDatabase: a pooled connection (autocommit)."""

    def connection(self) -> AbstractContextManager[Any]: ...


@contextmanager
def _connection(pool: Pool) -> Iterator[Any]:
    from psycopg.errors import UndefinedTable

    try:
        with pool.connection() as conn:
            yield conn
    except UndefinedTable:
        raise StoreUnavailable(
            "the accounts tables are missing: run `followup db migrate` first"
        ) from None


def _user(r: Sequence[Any]) -> User:
    return User(id=int(r[0]), email=r[1], role=r[2], created_at=from_db(r[3]), disabled=r[4])


class PostgresAccounts:
    """The AccountStore port over a pool of connections to the server's database."""

    def __init__(self, pool: Pool) -> None:
        self._pool = pool

    def _one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        with _connection(self._pool) as conn:
            return conn.execute(sql, params).fetchone()

    def _all(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        with _connection(self._pool) as conn:
            return list(conn.execute(sql, params).fetchall())

    def _run(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run a statement; the number of rows it touched."""
        with _connection(self._pool) as conn:
            return int(conn.execute(sql, params).rowcount)

    # --- users --------------------------------------------------------------------------

    def add_user(self, email: str, role: str, password_hash: str, now: datetime) -> User:
        from psycopg.errors import UniqueViolation

        try:
            row = self._one(
                "INSERT INTO followup.users AS u (email, role, password_hash, created_at)"
                f" VALUES (%s, %s, %s, %s) RETURNING {_USER}",
                (email, role, password_hash, to_db(now)),
            )
        except UniqueViolation as exc:  # a concurrent `users add` of the same address
            raise Conflict(f"{email} already has an account") from exc
        return _user(row)

    def delete_user(self, user_id: int) -> None:
        with _connection(self._pool) as conn, conn.transaction():
            conn.execute(
                "DELETE FROM followup.coach_clients WHERE coach_id = %s OR client_id = %s",
                (user_id, user_id),
            )
            conn.execute("DELETE FROM followup.users WHERE id = %s", (user_id,))

    def user_by_email(self, email: str) -> Credentials | None:
        row = self._one(
            f"SELECT {_USER}, u.password_hash FROM followup.users u WHERE u.email = %s", (email,)
        )
        return Credentials(_user(row), row[5]) if row else None

    def users(self) -> list[User]:
        return [_user(r) for r in self._all(f"SELECT {_USER} FROM followup.users u ORDER BY u.id")]

    def set_password_hash(self, user_id: int, password_hash: str) -> None:
        self._run(
            "UPDATE followup.users SET password_hash = %s WHERE id = %s", (password_hash, user_id)
        )

    def set_disabled(self, user_id: int, disabled: bool) -> None:
        self._run("UPDATE followup.users SET disabled = %s WHERE id = %s", (disabled, user_id))

    # --- coaches ------------------------------------------------------------------------

    def link(self, coach_id: int, client_id: int) -> bool:
        return (
            self._run(
                "INSERT INTO followup.coach_clients (coach_id, client_id) VALUES (%s, %s)"
                " ON CONFLICT DO NOTHING",
                (coach_id, client_id),
            )
            == 1
        )

    def unlink(self, coach_id: int, client_id: int) -> bool:
        return (
            self._run(
                "DELETE FROM followup.coach_clients WHERE coach_id = %s AND client_id = %s",
                (coach_id, client_id),
            )
            == 1
        )

    def links(self) -> dict[int, list[int]]:
        out: dict[int, list[int]] = {}
        for coach_id, client_id in self._all(
            "SELECT coach_id, client_id FROM followup.coach_clients ORDER BY coach_id, client_id"
        ):
            out.setdefault(int(coach_id), []).append(int(client_id))
        return out

    def clients_of(self, coach_id: int) -> list[User]:
        return [
            _user(r)
            for r in self._all(
                f"SELECT {_USER} FROM followup.coach_clients c"
                " JOIN followup.users u ON u.id = c.client_id"
                " WHERE c.coach_id = %s ORDER BY u.email",
                (coach_id,),
            )
        ]

    # --- sessions -----------------------------------------------------------------------

    def add_session(
        self, token_hash: str, user_id: int, csrf: str, now: datetime, expires_at: datetime
    ) -> None:
        self._run(
            "INSERT INTO followup.sessions (token_hash, user_id, csrf, created_at, expires_at)"
            " VALUES (%s, %s, %s, %s, %s)",
            (token_hash, user_id, csrf, to_db(now), to_db(expires_at)),
        )

    def session(self, token_hash: str) -> tuple[User, str, datetime] | None:
        row = self._one(
            f"SELECT {_USER}, s.csrf, s.expires_at FROM followup.sessions s"
            " JOIN followup.users u ON u.id = s.user_id WHERE s.token_hash = %s",
            (token_hash,),
        )
        return (_user(row), row[5], from_db(row[6])) if row else None

    def delete_session(self, token_hash: str) -> None:
        self._run("DELETE FROM followup.sessions WHERE token_hash = %s", (token_hash,))

    def delete_sessions_of(self, user_id: int) -> None:
        self._run("DELETE FROM followup.sessions WHERE user_id = %s", (user_id,))

    def purge_sessions(self, now: datetime) -> None:
        self._run("DELETE FROM followup.sessions WHERE expires_at <= %s", (to_db(now),))

    # --- sign-in attempts ---------------------------------------------------------------

    def count_attempt(self, keys: Sequence[tuple[str, Limit]], now: datetime) -> timedelta:
        limits = dict(keys)
        with _connection(self._pool) as conn:
            # rows past forget_at count for nothing: sweep a few (never waiting for a lock)
            conn.execute(
                "DELETE FROM followup.sign_in_attempts WHERE key IN (SELECT key FROM"
                " followup.sign_in_attempts WHERE forget_at <= %s ORDER BY forget_at"
                " LIMIT 100 FOR UPDATE SKIP LOCKED)",
                (now,),
            )
            with conn.transaction():
                # One statement makes the missing rows and locks them all, in key order (no
                # deadlock between two attempts): the next attempt on any of these keys, from
                # any web process, waits here until this one is counted.
                rows = conn.execute(
                    "INSERT INTO followup.sign_in_attempts AS a (key, last_at, forget_at)"
                    " SELECT k, %s, %s FROM unnest(%s::text[]) AS k ORDER BY k"
                    " ON CONFLICT (key) DO UPDATE SET failures = a.failures"
                    " RETURNING key, failures, last_at",
                    (now, now, sorted(limits)),
                ).fetchall()
                wait = max(limits[k].wait(n, last, now) for k, n, last in rows)
                if wait > timedelta(0):
                    return wait  # refused: not counted, so it does not lengthen the wait
                for key, failures, last_at in rows:
                    limit = limits[key]
                    counted = limit.remembered(failures, last_at, now) + 1
                    conn.execute(
                        "UPDATE followup.sign_in_attempts SET failures = %s, last_at = %s,"
                        " forget_at = %s WHERE key = %s",
                        (counted, now, now + limit.forget, key),
                    )
        return timedelta(0)

    def attempt_succeeded(self, account_key: str, client_key: str | None) -> None:
        with _connection(self._pool) as conn:
            conn.execute(
                "DELETE FROM followup.sign_in_attempts WHERE key = %s OR left(key, %s) = %s",
                (account_key, len(account_key) + 1, f"{account_key}|"),
            )
            if client_key is not None:
                conn.execute(
                    "UPDATE followup.sign_in_attempts SET failures = greatest(failures - 1, 0)"
                    " WHERE key = %s",
                    (client_key,),
                )
