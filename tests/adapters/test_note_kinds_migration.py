"""Migration note_kinds: notes.kind stops being one of three (a policy names its own kinds).
SQLite rebuilds the table; every column, index, reference and row must come through."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest

from followup.adapters.store import sqlite as sqlite_mod
from followup.adapters.store.sqlite import SqliteStore
from followup.domain.model import NoteState
from followup.domain.planner import PlannedNote

pytest_plugins = ["tests.integration.postgres"]

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
VERSION = next(v for v, name, _ in sqlite_mod.migrations() if name == "note_kinds")
TABLES = ("applications", "interviews", "interviewers", "notes", "calendar_published", "debriefs")


def _before_note_kinds(db: Path) -> None:
    """A database one migration short of note_kinds, holding a bit of everything."""
    with closing(sqlite3.connect(db, isolation_level=None)) as conn:
        conn.execute("PRAGMA foreign_keys = ON")
        sqlite_mod._apply_migrations(conn, 0, VERSION - 1)
        conn.executescript(
            """
            INSERT INTO applications (id, company, role, created_at)
                VALUES (1, 'Acme', 'Dev', '2026-09-01T00:00:00Z');
            INSERT INTO interviews (id, application_id, round, start_at, end_at, duration_min,
                tz, next_step, next_kind, next_due_at, created_at)
                VALUES (1, 1, 1, '2026-09-01T10:00:00Z', '2026-09-01T11:00:00Z', 60,
                'Europe/London', 3, 'final', '2026-09-24T12:00:00Z', '2026-09-01T00:00:00Z');
            INSERT INTO interviewers (id, interview_id, name, email)
                VALUES (1, 1, 'Ada', 'ada@acme.example'), (2, 1, 'Bob', NULL);
            INSERT INTO notes (id, interview_id, interviewer_id, step, kind, state, earliest_at,
                due_at, sent_at, message_id, subject, body, attempts, updated_at, edited_at)
                VALUES
                (10, 1, 1, 1, 'thank-you', 'sent', '2026-09-03T11:00:00Z',
                 '2026-09-03T11:00:00Z', '2026-09-03T12:00:00Z', '<a@x>', 'Thanks', 'Body',
                 1, '2026-09-03T12:00:00Z', '2026-09-03T11:30:00Z'),
                (11, 1, 2, 1, 'thank-you', 'failed', '2026-09-03T11:00:00Z',
                 '2026-09-03T11:00:00Z', NULL, NULL, NULL, NULL, 3, '2026-09-03T12:00:00Z',
                 NULL),
                (12, 1, 1, 2, 'follow-up', 'sent', '2026-09-10T12:00:00Z',
                 '2026-09-10T12:00:00Z', '2026-09-10T12:00:00Z', '<b@x>', 'Re: Thanks', 'B2',
                 1, '2026-09-10T12:00:00Z', NULL),
                (13, 1, 1, 3, 'final', 'pending', '2026-09-24T12:00:00Z',
                 '2026-09-24T12:00:00Z', NULL, '<c@x>', NULL, NULL, 0, '2026-09-10T12:00:00Z',
                 NULL);
            UPDATE notes SET approved_at = '2026-09-11T00:00:00Z', approved_digest = 'd',
                approved_to = 'ada@acme.example', approved_message = 'M', approved_seal = 's',
                claimed_at = '2026-09-11T00:00:00Z', claimed_by = 'w', lease_until = 'l',
                drafted_at = '2026-09-11T00:00:00Z', last_error = 'e'
                WHERE id = 13;
            INSERT INTO calendar_published (note_id, due_at, status, sequence, published_at)
                VALUES (13, '2026-09-24T12:00:00Z', 'open', 2, '2026-09-10T12:00:00Z'),
                       (10, '2026-09-03T11:00:00Z', 'done', 1, '2026-09-03T12:00:00Z');
            INSERT INTO debriefs (interview_id, interviewer_id, topic, skill, created_at)
                VALUES (1, 1, 'the billing rewrite', 'Go', '2026-09-01T12:00:00Z');
            """
        )


def _columns(conn: sqlite3.Connection) -> dict[str, list[str]]:
    return {t: [r[1] for r in conn.execute(f"PRAGMA table_info({t})")] for t in TABLES}


def _snapshot(
    conn: sqlite3.Connection, columns: dict[str, list[str]] | None = None
) -> dict[str, object]:
    """The rows (of these columns: a later migration may add one), the notes' schema."""
    columns = columns or _columns(conn)
    return {
        "table_columns": columns,
        "rows": {
            t: conn.execute(f"SELECT {', '.join(columns[t])} FROM {t} ORDER BY rowid").fetchall()
            for t in TABLES
        },
        "columns": [r[1:] for r in conn.execute("PRAGMA table_xinfo(notes)")],
        "indexes": sorted(
            conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'notes'"
            )
        ),
        "references": sorted(r[2:] for r in conn.execute("PRAGMA foreign_key_list(notes)")),
        "referenced_by": conn.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'calendar_published'"
        ).fetchone(),
    }


@pytest.fixture
def migrated(tmp_path: Path) -> Iterator[tuple[SqliteStore, dict[str, object]]]:
    db = tmp_path / "f.db"
    _before_note_kinds(db)
    with closing(sqlite3.connect(db)) as conn:
        before = _snapshot(conn)
    store = SqliteStore(db)  # migrates, foreign keys on
    yield store, before
    store.close()


def test_every_row_column_index_and_reference_comes_through(
    migrated: tuple[SqliteStore, dict[str, object]],
) -> None:
    store, before = migrated
    assert store.schema_version() >= VERSION
    columns: dict[str, list[str]] = before["table_columns"]  # type: ignore[assignment]
    after_snapshot = _snapshot(store._conn, columns)
    indexes_before = set(before.pop("indexes"))  # type: ignore[arg-type]
    indexes_after = set(after_snapshot.pop("indexes"))  # type: ignore[arg-type]
    notes_before: list[object] = before.pop("columns")  # type: ignore[assignment]
    notes_after: list[object] = after_snapshot.pop("columns")  # type: ignore[assignment]
    assert notes_after[: len(notes_before)] == notes_before  # later migrations only append
    assert after_snapshot == before
    assert indexes_before <= indexes_after  # every index kept as it was; later ones only add
    after = _columns(store._conn)
    assert all(set(columns[t]) <= set(after[t]) for t in TABLES)  # later migrations only add
    conn = store._conn
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1  # on again after the rebuild
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    [notes_sql] = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'notes'").fetchone()
    assert "CHECK (kind" not in notes_sql and "CHECK (state IN" in notes_sql
    assert "notes_new" not in " ".join(
        str(r[0]) for r in conn.execute("SELECT sql FROM sqlite_master")
    )


def test_after_it_a_kind_of_the_users_policy_is_stored_and_the_rules_still_hold(
    migrated: tuple[SqliteStore, dict[str, object]],
) -> None:
    store, _ = migrated
    with store.transaction():
        note = store.add_note(1, PlannedNote(4, "check-in", 1, NOW, NOW), NOW)
    [stored] = [n for n in store.notes(1) if n.id == note]
    assert (stored.kind, stored.state) == ("check-in", NoteState.PENDING)
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"), store.transaction():
        store.add_note(99, PlannedNote(1, "thank-you", None, NOW, NOW), NOW)
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):  # the state's CHECK stays
        store._conn.execute("UPDATE notes SET state = 'approved' WHERE id = ?", (note,))
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):  # and the Message-ID's
        store._conn.execute("UPDATE notes SET message_id = '<a@x>' WHERE id = ?", (note,))


def test_a_fresh_database_and_a_migrated_one_have_the_same_schema(
    migrated: tuple[SqliteStore, dict[str, object]], tmp_path: Path
) -> None:
    store, _ = migrated
    fresh = SqliteStore(tmp_path / "fresh.db")
    try:
        assert sqlite_mod._schema(store._conn) == sqlite_mod._schema(fresh._conn)
    finally:
        fresh.close()


def test_a_reference_the_migration_would_break_stops_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The runner's check: had the rebuild lost a note, calendar_published would point at
    nothing; the migration is rolled back and the file left as it was."""
    db = tmp_path / "f.db"
    _before_note_kinds(db)
    broken = [
        (v, n, sql.replace("FROM notes;", "FROM notes WHERE id <> 13;") if v == VERSION else sql)
        for v, n, sql in sqlite_mod.migrations()
    ]
    monkeypatch.setattr(sqlite_mod, "migrations", lambda: broken)
    with closing(sqlite3.connect(db, isolation_level=None)) as conn:
        conn.execute("PRAGMA foreign_keys = ON")
        with pytest.raises(sqlite3.IntegrityError, match="note_kinds"):
            sqlite_mod._apply_migrations(conn, VERSION - 1)
        assert sqlite_mod._schema_version(conn) == VERSION - 1
        assert conn.execute("SELECT count(*) FROM notes").fetchone()[0] == 4
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


# --- PostgreSQL: the constraint is dropped by name ---------------------------------------------


@pytest.mark.integration
def test_on_postgres_the_kind_check_goes_and_the_rows_stay(postgres_url: str) -> None:
    import psycopg

    from followup.adapters.store.postgres import PostgresDatabase, _migrate, tenant_migrations

    database = PostgresDatabase(postgres_url, max_size=2)
    try:
        with database.connection() as conn:  # tenant 5, one migration short of note_kinds
            conn.execute("DROP SCHEMA IF EXISTS u5 CASCADE")
            _migrate(conn, "u5", 5, [m for m in tenant_migrations() if m[0] < VERSION])
            conn.execute(
                "INSERT INTO u5.applications (company, role, created_at)"
                " VALUES ('Acme', 'Dev', 'x') RETURNING id"
            )
            conn.execute(
                "INSERT INTO u5.interviews (application_id, round, start_at, end_at,"
                " duration_min, tz, created_at) SELECT id, 1, 's', 'e', 60, 'UTC', 'c'"
                " FROM u5.applications"
            )
            conn.execute(
                "INSERT INTO u5.notes (interview_id, step, kind, state, earliest_at, due_at,"
                " updated_at, approved_seal) SELECT id, s, k, 'sent', t, t, t, 'seal'"
                " FROM u5.interviews, (VALUES (1, 'thank-you'), (2, 'follow-up')) AS v(s, k),"
                " (VALUES (TEXT '2026-09-03T09:00:00Z')) AS c(t)"
            )
            with pytest.raises(psycopg.errors.CheckViolation), conn.transaction():
                conn.execute(
                    "INSERT INTO u5.notes (interview_id, step, kind, state, earliest_at,"
                    " due_at, updated_at) SELECT id, 4, 'check-in', 'pending', t, t, t"
                    " FROM u5.interviews, (VALUES (TEXT '2026-09-03T09:00:00Z')) AS c(t)"
                )
            read = conn.execute("SELECT * FROM u5.notes ORDER BY id")
            before = read.fetchall()
            columns = ", ".join(c.name for c in read.description or ())
        assert database.migrate_tenant(5) == [
            f"{v:04d}_{n}" for v, n, _ in tenant_migrations() if v >= VERSION
        ]
        with database.connection() as conn:  # later migrations may add columns: the old ones
            kept = conn.execute(f"SELECT {columns} FROM u5.notes ORDER BY id").fetchall()
            assert kept == before
            conn.execute(
                "INSERT INTO u5.notes (interview_id, step, kind, state, earliest_at, due_at,"
                " updated_at) SELECT id, 4, 'check-in', 'pending', t, t, t"
                " FROM u5.interviews, (VALUES (TEXT '2026-09-03T09:00:00Z')) AS c(t)"
            )
            checks = conn.execute(
                "SELECT conname FROM pg_constraint WHERE conrelid = 'u5.notes'::regclass"
                " AND contype = 'c'"
            ).fetchall()
            assert checks == [("notes_state_check",)]
            conn.execute("DROP SCHEMA u5 CASCADE")
    finally:
        database.close()
