"""`restore` checks a backup in a copy before it touches anything (issue #11, item 2).

Every bad file is refused with one line and exit 4, the live database stays byte-identical
and the file itself is never modified; a good file is swapped in with the data before kept
in a private file named in the output, and no approval survives.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import sqlite3
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from followup.adapters.store import sqlite as sqlite_store
from followup.app.errors import ExitCode
from tests.conftest import Result, Run


def ok(r: Result) -> Result:
    assert r.code == 0, r.err
    return r


def seed(run: Run) -> None:
    ok(run("add", "--company", "Acme", "--role", "Backend Engineer", "--at",
           "2026-11-16T14:00", "--tz", "Europe/Berlin",
           "--interviewer", "Ada Lovelace <ada@acme.example>"))  # fmt: skip
    ok(run("add", "--company", "Beta", "--role", "SRE", "--at", "2026-11-24T09:00Z",
           "--interviewer", "Bob <bob@beta.example>"))  # fmt: skip


def fingerprint(db: Path) -> tuple[str, ...]:
    """The database file and its WAL, byte for byte. An empty WAL holds nothing, like none:
    whether SQLite has removed it yet depends on when an earlier in-process command's
    connection was collected (the flake this once was)."""
    return tuple(
        hashlib.sha256(p.read_bytes()).hexdigest() if p.exists() and p.stat().st_size else "-"
        for p in (db, db.with_name(db.name + "-wal"))
    )


def settle(db: Path) -> None:
    """Fold the WAL into the file, so that a later change to either shows."""
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def leftovers(home: Path) -> list[str]:
    # the holiday calendars' cache (adapters/holidays.py) is no leftover of a restore
    ours = {"followup.db", "followup.db-wal", "followup.db-shm", "holidays-cache.json"}
    return sorted(set(os.listdir(home)) - ours)


def edit(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA ignore_check_constraints = ON")  # a crafted file ignores them too
    for statement in statements:
        conn.execute(statement)
    conn.close()


@pytest.fixture
def good(run: Run, tmp_path: Path) -> Path:
    seed(run)
    path = tmp_path / "good.db"
    ok(run("backup", str(path)))
    return path


def _same_names_other_columns(path: Path, good: Path) -> None:
    """The issue's reproduction: followup's table names, other columns, a plausible history."""
    conn = sqlite3.connect(path)
    for table in sqlite_store.TABLES:
        conn.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, x TEXT)")
    conn.execute(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
        " applied_at TEXT NOT NULL)"
    )
    rows = [(v, n, "2026-01-01T00:00:00Z") for v, n, _ in sqlite_store.migrations()]
    conn.executemany("INSERT INTO schema_migrations VALUES (?, ?, ?)", rows)
    conn.commit()
    conn.close()


def _copy_then(*statements: str) -> Callable[[Path, Path], None]:
    def make(path: Path, good: Path) -> None:
        shutil.copyfile(good, path)
        edit(path, *statements)

    return make


def _hidden(kind: str, name: str, table: str, sql: str) -> Callable[[Path, Path], None]:
    """A schema object written straight into sqlite_master (`PRAGMA writable_schema`), named
    like one of SQLite's own: it passes SQLite's integrity check and VACUUM."""

    def make(path: Path, good: Path) -> None:
        shutil.copyfile(good, path)
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute("INSERT INTO sqlite_master VALUES (?, ?, ?, 0, ?)", (kind, name, table, sql))
        conn.commit()
        conn.close()

    return make


# The security trial's: a reply undone (the sequence goes on), a recipient rewritten.
REPLY_UNDONE = _hidden(
    "trigger",
    "sqlite_a",
    "interviews",
    "CREATE TRIGGER sqlite_a AFTER UPDATE OF status ON interviews WHEN NEW.status = 'replied'"
    " BEGIN UPDATE interviews SET status = 'waiting', status_at = NULL WHERE id = NEW.id; END",
)
RECIPIENT_REWRITTEN = _hidden(
    "trigger",
    "sqlite_b",
    "interviewers",
    "CREATE TRIGGER sqlite_b AFTER INSERT ON interviewers BEGIN"
    " UPDATE interviewers SET email = 'mallory@evil.example' WHERE id = NEW.id; END",
)


def _utf16(path: Path, good: Path) -> None:
    """followup's schema and history, in a database whose text is UTF-16."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA encoding = 'UTF-16le'")
    sqlite_store._apply_migrations(conn, 0)
    conn.close()


def _truncated(path: Path, good: Path) -> None:
    data = good.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _written(data: bytes) -> Callable[[Path, Path], None]:
    return lambda path, good: path.write_bytes(data)


BAD = {
    "same-table-names-other-columns": (_same_names_other_columns, "the table applications"),
    "missing-column": (_copy_then("ALTER TABLE notes DROP COLUMN body"), "lacks the column body"),
    "extra-column": (_copy_then("ALTER TABLE notes ADD COLUMN bcc TEXT"), "unknown column"),
    "missing-index": (_copy_then("DROP INDEX notes_pending"), "lacks the index notes_pending"),
    "a-trigger": (
        _copy_then(
            "CREATE TRIGGER again AFTER UPDATE ON notes BEGIN"
            " UPDATE notes SET approved_to = 'evil@example.com'; END"
        ),
        "has a trigger 'again'",
    ),
    "a-view": (_copy_then("CREATE VIEW v AS SELECT 1"), "has a view 'v'"),
    "hidden-trigger-undoing-a-reply": (REPLY_UNDONE, "has a trigger 'sqlite_a'"),
    "hidden-trigger-rewriting-recipients": (RECIPIENT_REWRITTEN, "has a trigger 'sqlite_b'"),
    "hidden-view": (
        _hidden("view", "sqlite_x", "sqlite_x", "CREATE VIEW sqlite_x AS SELECT 1"),
        "has a view 'sqlite_x'",
    ),
    "sqlite-stat-table-of-other-columns": (
        _copy_then(
            "CREATE TABLE x (a)",
            "PRAGMA writable_schema = ON",
            "UPDATE sqlite_master SET name = 'sqlite_stat1', tbl_name = 'sqlite_stat1',"
            " sql = 'CREATE TABLE sqlite_stat1(a)' WHERE name = 'x'",
        ),
        "has a table 'sqlite_stat1'",
    ),
    "start-at-banana": (
        _copy_then("UPDATE interviews SET start_at = 'banana' WHERE id = 2"),
        "interviews row 2: start_at: 'banana' is not an ISO-8601 instant",
    ),
    "due-at-garbage": (_copy_then("UPDATE notes SET due_at = '2026-13-45T99:00:00Z'"), "due_at"),
    "earliest-at-naive": (
        _copy_then("UPDATE notes SET earliest_at = '2026-11-25T12:00:00'"),
        "earliest_at: '2026-11-25T12:00:00' has no UTC offset",
    ),
    "end-at-garbage": (_copy_then("UPDATE interviews SET end_at = 'later'"), "end_at"),
    "bad-note-state": (_copy_then("UPDATE notes SET state = 'approved'"), "CHECK constraint"),
    "bad-interview-status": (
        _copy_then("UPDATE interviews SET status = 'won'"),
        "CHECK constraint",
    ),
    # any policy may name a kind 'bribe' (kinds are the user's): this is no kind's name
    "bad-next-kind": (_copy_then("UPDATE interviews SET next_kind = 'Bribe!'"), "next_kind"),
    "bad-zone": (_copy_then("UPDATE interviews SET tz = 'Mars/Olympus'"), "tz"),
    "text-in-an-integer-column": (
        _copy_then("UPDATE interviews SET duration_min = 'long'"),
        "interviews.duration_min holds text where integer belongs",
    ),
    "blob-in-a-text-column": (
        _copy_then("UPDATE notes SET subject = x'00ff'"),
        "notes.subject holds blob where text belongs",
    ),
    # bytes that are not UTF-8, stored with the TEXT type (a mutated file, as the fuzzer made)
    "text-not-utf-8": (
        _copy_then("UPDATE applications SET company = CAST(x'41e4ff' AS TEXT) WHERE id = 1"),
        "a text value is not valid UTF-8",
    ),
    "schema-name-not-utf-8": (
        _copy_then(
            "CREATE VIEW v AS SELECT 1",
            "PRAGMA writable_schema = ON",
            "UPDATE sqlite_master SET name = CAST(x'76e4' AS TEXT) WHERE name = 'v'",
        ),
        "not valid UTF-8",
    ),
    "dangling-reference": (
        _copy_then("PRAGMA foreign_keys = OFF", "DELETE FROM applications WHERE id = 1"),
        "rows refer to rows that do not exist",
    ),
    "future-migration": (
        _copy_then("INSERT INTO schema_migrations VALUES (999, 'future', '2030-01-01T00:00:00Z')"),
        "comes from a newer followup (schema 999)",
    ),
    "unknown-migration-history": (
        _copy_then("UPDATE schema_migrations SET name = 'someone_elses' WHERE version = 2"),
        "migration history this followup does not know",
    ),
    "no-migrations-table": (_copy_then("DROP TABLE schema_migrations"), "not a followup backup"),
    "text-in-utf-16": (_utf16, "its text is UTF-16le"),
    "truncated": (_truncated, "damaged"),
    "plain-text": (_written(b"interviews,notes\n1,2\n"), "is not a SQLite database"),
    "empty": (_written(b""), "is not a SQLite database"),
    "sqlite-header-then-garbage": (
        _written(b"SQLite format 3\x00" + bytes(range(256)) * 64),
        "damaged",
    ),
}


@pytest.mark.parametrize("case", BAD)
def test_a_bad_backup_changes_nothing(
    run: Run, home: Path, good: Path, tmp_path: Path, case: str
) -> None:
    make, says = BAD[case]
    bad = tmp_path / "bad.db"
    make(bad, good)
    db = home / "followup.db"
    settle(db)
    before, file_before = fingerprint(db), hashlib.sha256(bad.read_bytes()).digest()
    listed = ok(run("list", "--json")).out

    r = run("restore", str(bad), "--yes")

    assert r.code == ExitCode.INVALID, r.err
    assert r.err.count("\n") == 1 and r.err.startswith("followup: error: "), r.err
    assert says in r.err
    assert fingerprint(db) == before  # byte-identical, WAL included
    assert hashlib.sha256(bad.read_bytes()).digest() == file_before
    assert leftovers(home) == []  # no copy, no kept file left behind
    assert ok(run("list", "--json")).out == listed  # and every command still works


def test_restore_keeps_the_data_before_in_a_private_file_named_in_the_output(
    run: Run, home: Path, good: Path
) -> None:
    ok(run("cancel", "2"))
    ok(run("add", "--company", "Later", "--role", "Dev", "--at", "2026-11-24T10:00Z"))
    before = ok(run("list", "--json")).json

    r = ok(run("restore", str(good), "--yes"))

    kept = home / "followup-before-restore-20261125T120000Z.db"
    assert r.out.splitlines()[1] == f"Your data before the restore is kept in {kept}."
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert len(ok(run("list", "--json")).json) == 2
    with sqlite3.connect(kept) as conn:  # the data before, complete
        assert conn.execute("SELECT COUNT(*) FROM interviews").fetchone() == (len(before),)
    conn.close()
    r = ok(run("restore", str(kept), "--yes", "--json"))  # and it restores
    assert r.json["previous"] == str(home / "followup-before-restore-20261125T120000Z-2.db")
    assert ok(run("list", "--json")).json == before


def test_no_approval_survives_a_restore(run: Run, home: Path, good: Path) -> None:
    edit(
        good,
        "UPDATE notes SET approved_at = '2026-11-20T10:00:00Z', approved_digest = 'abc',"
        " approved_to = 'attacker@example.com', lease_until = '2030-01-01T00:00:00Z',"
        " approved_message = 'From: boss@example.com' || char(13, 10) ||"
        " 'Bcc: everyone@example.com' || char(13, 10) || char(13, 10) ||"
        " replace(printf('%.*c', 2000, '.'), '.', 'pay me ')"  # past a page: overflow pages
        " WHERE id = 1",
    )
    r = ok(run("restore", str(good), "--yes", "--json"))
    assert r.json["approvals_withdrawn"] == 1

    conn = sqlite3.connect(home / "followup.db")
    conn.row_factory = sqlite3.Row
    note = conn.execute("SELECT * FROM notes WHERE id = 1").fetchone()
    conn.close()
    assert note["state"] == "pending"  # pending stays pending
    approvals = [c for c in note.keys() if c.startswith("approved_")]  # noqa: SIM118
    assert approvals and all(note[c] is None for c in approvals)
    assert note["lease_until"] is None
    assert "approve it again" in note["last_error"]
    for name in ("followup.db", "followup.db-wal"):  # not even in a free page
        assert b"pay me" not in (home / name).read_bytes()
    assert not any(row["scheduled"] for row in ok(run("agenda", "--json")).json)


def test_a_note_in_flight_in_the_backup_comes_back_unknown_without_its_claim(
    run: Run, home: Path, good: Path
) -> None:
    """Issue #11: a backup whose note was `sending`, claimed by a worker with a lease to
    2099, restored as such: the lease never expired and send/sent refused it for good."""
    edit(
        good,
        "UPDATE notes SET state = 'sending', claimed_at = '2026-11-20T10:00:00Z',"
        " claimed_by = 'worker:evil:1', lease_until = '2099-01-01T00:00:00Z' WHERE id = 1",
    )
    assert ok(run("restore", str(good), "--yes", "--json")).json["unknown"] == 1
    conn = sqlite3.connect(home / "followup.db")
    conn.row_factory = sqlite3.Row
    notes = conn.execute("SELECT * FROM notes").fetchall()
    conn.close()
    note = next(n for n in notes if n["id"] == 1)
    assert note["state"] == "unknown"  # reconciled from the Sent folder, never resent
    assert "was being sent when the backup was made" in note["last_error"]
    assert all(n["claimed_at"] is None and n["claimed_by"] is None for n in notes)
    assert all(n["lease_until"] is None for n in notes)
    assert all(n["state"] != "sending" for n in notes)


def test_an_older_backup_is_migrated_in_a_copy(run: Run, home: Path, tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    conn = sqlite3.connect(old, isolation_level=None)
    sqlite_store._apply_migrations(conn, 0, upto=5)
    conn.execute(
        "INSERT INTO applications (id, company, role, created_at)"
        " VALUES (1, 'Old Co', 'Dev', '2026-01-05T10:00:00Z')"
    )
    conn.execute(
        "INSERT INTO interviews (id, application_id, round, start_at, end_at, duration_min, tz,"
        " created_at) VALUES (1, 1, 1, '2026-01-06T10:00:00Z', '2026-01-06T11:00:00Z', 60,"
        " 'Europe/Berlin', '2026-01-05T10:00:00Z')"
    )
    conn.close()
    untouched = old.read_bytes()
    ok(run("list"))

    r = ok(run("restore", str(old), "--yes"))

    assert r.out.startswith(f"Restored 1 application, 1 interview from {old}.")
    assert old.read_bytes() == untouched  # migrated in the copy, not in the file
    assert [i["company"] for i in ok(run("list", "--json")).json] == ["Old Co"]
    conn = sqlite3.connect(home / "followup.db")
    assert conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone() == (
        sqlite_store.latest_version(),
    )
    conn.close()


def test_restore_while_another_connection_has_the_database_open(
    run: Run, home: Path, good: Path
) -> None:
    """What the dashboard sees: the new data, through its own open connection."""
    ok(run("cancel", "2"))
    ok(run("add", "--company", "Later", "--role", "Dev", "--at", "2026-11-24T10:00Z"))
    other = sqlite3.connect(home / "followup.db")
    assert other.execute("SELECT COUNT(*) FROM interviews").fetchone() == (3,)
    ok(run("restore", str(good), "--yes"))
    assert other.execute("SELECT COUNT(*) FROM interviews").fetchone() == (2,)
    assert other.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    other.close()


def test_a_backup_with_another_page_size_restores(run: Run, home: Path, good: Path) -> None:
    """A WAL database cannot take pages of another size through the backup API."""
    edit(good, "PRAGMA page_size = 512", "VACUUM")
    ok(run("cancel", "2"))
    ok(run("restore", str(good), "--yes"))
    assert [i["status"] for i in ok(run("list", "--json")).json] == ["waiting", "waiting"]


def test_declining_the_question_changes_nothing(
    run: Run, home: Path, good: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok(run("cancel", "2"))
    db = home / "followup.db"
    settle(db)
    before = fingerprint(db)
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    r = run("restore", str(good))
    assert r.code == ExitCode.ERROR and "aborted" in r.err
    assert "(2 applications, 2 interviews)?" in r.err
    assert fingerprint(db) == before
    assert leftovers(home) == []


def test_an_object_the_checks_let_through_never_reaches_the_live_database(
    run: Run, home: Path, good: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second wall: the live database is rebuilt from this version's migrations with
    the file's rows, so even an object the schema comparison missed stays behind."""
    evil = tmp_path / "evil.db"
    REPLY_UNDONE(evil, good)
    monkeypatch.setattr(sqlite_store, "_compare_schema", lambda *args: None)
    ok(run("restore", str(evil), "--yes"))

    triggers = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    ours = {r[0] for r in sqlite_store._reference().execute(triggers)}  # the stats' (0023)
    conn = sqlite3.connect(home / "followup.db")
    assert {r[0] for r in conn.execute(triggers)} == ours
    assert "sqlite_a" not in ours
    conn.close()
    ok(run("replied", "1"))
    assert [i["status"] for i in ok(run("list", "--json")).json if i["id"] == 1] == ["replied"]


def test_a_backup_sqlite_analyzed_restores(run: Run, home: Path, good: Path) -> None:
    """SQLite's own tables (ANALYZE's statistics) are no reason to refuse a file."""
    edit(good, "ANALYZE")
    ok(run("cancel", "2"))
    ok(run("restore", str(good), "--yes"))
    assert [i["status"] for i in ok(run("list", "--json")).json] == ["waiting", "waiting"]


def _in_use(good: Path, directory: Path) -> Path:
    """A copy of a database in use: its last commit is still in `-wal`, copied along."""
    live = directory / "in-use.db"
    shutil.copyfile(good, live)
    conn = sqlite3.connect(live, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA wal_autocheckpoint = 0")  # the commit stays in the -wal
    conn.execute(
        "INSERT INTO applications (company, role, created_at)"
        " VALUES ('Newest Co', 'Dev', '2026-11-25T11:00:00Z')"
    )
    copy = directory / "copied.db"
    shutil.copyfile(live, copy)
    shutil.copyfile(f"{live}-wal", f"{copy}-wal")
    conn.close()
    return copy


def test_a_copy_of_a_database_in_use_keeps_the_commits_in_its_wal(
    run: Run, home: Path, good: Path, tmp_path: Path
) -> None:
    copy = _in_use(good, tmp_path)
    wal = Path(f"{copy}-wal")
    assert wal.stat().st_size > 0
    untouched = copy.read_bytes(), wal.read_bytes()

    r = ok(run("restore", str(copy), "--yes"))

    assert r.out.splitlines()[0] == (
        f"Restored 3 applications, 2 interviews from {copy} (with the last commits in {wal})."
    )
    conn = sqlite3.connect(home / "followup.db")
    assert conn.execute("SELECT company FROM applications ORDER BY id DESC").fetchone() == (
        "Newest Co",
    )
    conn.close()
    assert (copy.read_bytes(), wal.read_bytes()) == untouched  # the file is never changed
    assert leftovers(home) == ["followup-before-restore-20261125T120000Z.db"]
    assert ok(run("restore", str(copy), "--yes", "--json")).json["wal"] == str(wal)


def test_a_file_written_while_it_is_read_is_refused(
    run: Run, home: Path, good: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its -wal and the file read at two moments could be two states that never were one."""
    copy = _in_use(good, tmp_path)
    db = home / "followup.db"
    settle(db)
    before = fingerprint(db)
    real_copy = shutil.copyfileobj

    def copy_then_commit(src: object, dst: object, *args: object) -> None:
        real_copy(src, dst, *args)  # type: ignore[arg-type]
        with open(f"{copy}-wal", "ab") as wal:  # a writer appends a frame meanwhile
            wal.write(b"\0" * 32)

    monkeypatch.setattr(shutil, "copyfileobj", copy_then_commit)
    r = run("restore", str(copy), "--yes")

    assert r.code == ExitCode.INVALID, r.err
    assert r.err.count("\n") == 1 and "changed while it was read" in r.err, r.err
    assert fingerprint(db) == before
    assert leftovers(home) == []


def test_history_survives_a_restore_but_undo_never_puts_back_rows_the_file_wrote(
    run: Run, home: Path, tmp_path: Path
) -> None:
    seed(run)
    ok(run("sent", "2", "--force"))
    path = tmp_path / "with-history.db"
    ok(run("backup", str(path)))
    # a crafted file: the event's kept rows would send the thank-you to someone else
    edit(
        path,
        "UPDATE events SET prior_state = replace(prior_state, 'bob@beta.example',"
        " 'mallory@evil.example') WHERE kind = 'sent'",
    )
    ok(run("restore", str(path), "--yes"))

    kinds = [e["kind"] for e in ok(run("history", "2", "--json")).json]
    assert kinds == ["added", "sent"]  # the history came back
    assert not any(e["undoable"] for e in ok(run("history", "2", "--json")).json)
    r = run("undo", "2")
    assert r.code == ExitCode.CONFLICT and "cannot be undone" in r.err
    emails = [p["email"] for p in ok(run("show", "2", "--json")).json["interviewers"]]
    assert emails == ["bob@beta.example"]
