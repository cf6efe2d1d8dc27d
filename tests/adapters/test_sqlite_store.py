"""SQLite specifics: migrations recorded, WAL, durable writes, refusing a newer schema."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from followup.adapters.store.sqlite import SqliteStore, StoreError, latest_version
from followup.domain.model import Culture, Status

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def test_migrations_are_recorded_and_applied_once(tmp_path: Path) -> None:
    db = tmp_path / "f.db"
    SqliteStore(db).close()
    again = SqliteStore(db)
    assert again.migrate() == []
    rows = sqlite3.connect(db).execute("SELECT version, name FROM schema_migrations").fetchall()
    assert rows == [
        (1, "initial"),
        (2, "drafts"),
        (3, "mail"),
        (4, "agenda_indexes"),
        (5, "calendar"),
        (6, "scheduled_sends"),
        (7, "pipeline_index"),
        (8, "approved_message"),
        (9, "approval_seal"),
        (10, "import_lookups"),
        (11, "note_kinds"),
        (12, "planned_policy"),
        (13, "panel_primary"),
        (14, "greetings"),
        (15, "history"),
        (16, "hiring_outcomes"),
        (17, "stats_indexes"),
        (18, "board_index"),
        (19, "policy_replans"),
        (20, "sent_index"),
        (21, "failed_notes"),
        (22, "coach_figures"),
        (23, "stats_aggregates"),
        (24, "dismissed_failed_notes"),
        (25, "stats_sent_hours"),
        (26, "work_queue"),  # server mode only: nothing in a SQLite file
        (27, "board_latest"),
        (28, "stats_pause"),  # server mode only: SQLite drops the triggers instead
        (29, "board_search"),
        (30, "stats_sent_only"),  # server mode only: SQLite keeps 0023's triggers
        (31, "board_pause"),  # server mode only: SQLite drops the board's triggers instead
        (32, "rounds_by_start"),
        (33, "ics_organizer"),
        (34, "cancelled_index"),
        (35, "bounced_index"),
    ]
    assert latest_version() == 35


def test_an_older_database_is_migrated_forward(tmp_path: Path) -> None:
    from followup.adapters.store import sqlite as sqlite_mod

    db = tmp_path / "f.db"
    conn = sqlite3.connect(db)
    version, name, sql = sqlite_mod.migrations()[0]
    conn.executescript(sql)
    conn.execute(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
        " applied_at TEXT NOT NULL)"
    )
    conn.execute(
        "INSERT INTO schema_migrations VALUES (?, ?, '2026-01-01T00:00:00Z')", (version, name)
    )
    conn.commit()
    conn.close()
    store = SqliteStore(db)
    assert store.schema_version() == latest_version()
    columns = [r[1] for r in store._conn.execute("PRAGMA table_info(notes)")]
    assert "edited_at" in columns


def test_pragmas_for_a_shared_file(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "f.db")
    conn = store._conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_agenda_reads_only_open_sequences_through_an_index(tmp_path: Path) -> None:
    from followup.domain.planner import risk_cutoffs
    from followup.domain.policy import ARTICLE_POLICY

    store = SqliteStore(tmp_path / "f.db")
    with store.transaction():
        app = store.add_application(
            company="A", role="R", culture=Culture.OTHER, country=None, domains=[], now=NOW
        )
        iid = store.add_interview(
            application_id=app, start=NOW, duration=timedelta(hours=1), tz="UTC", now=NOW
        )
        store.set_next(iid, 1, "thank-you", NOW)
    traced: list[str] = []  # each statement as run, parameters filled in
    store._conn.set_trace_callback(traced.append)

    store.agenda_page(risk_cutoffs(NOW, ARTICLE_POLICY), 50)
    store.agenda_counts(risk_cutoffs(NOW, ARTICLE_POLICY))
    for sql in traced:
        steps = " | ".join(
            str(r[3]) for r in store._conn.execute("EXPLAIN QUERY PLAN " + sql).fetchall()
        )
        assert "SCAN i" not in steps and "SCAN n" not in steps, (sql, steps)
        assert any(
            index in steps for index in ("interviews_open", "interviews_fading", "notes_interview")
        ), (sql, steps)
    assert len(traced) == 3  # the page, its recipients, the counts


def test_what_ended_lately_is_read_through_indexes(tmp_path: Path) -> None:
    """ "Ended lately" (the agenda's and Today's) reads what ended since a cut-off, the
    interviews every address of bounced included, through partial indexes: a first version
    of the bounced ones scanned every interview (8.8 ms on a 10,000-interview home, 0.09 ms
    indexed)."""
    store = SqliteStore(tmp_path / "f.db")
    traced: list[str] = []
    store._conn.set_trace_callback(traced.append)
    store.recently_ended(NOW, 10)
    store._conn.set_trace_callback(None)
    assert len(traced) == 2
    for sql in traced:
        steps = " | ".join(str(r[3]) for r in store._conn.execute("EXPLAIN QUERY PLAN " + sql))
        assert "SCAN i" not in steps, (sql, steps)
        assert "interviews_ended" in steps or "interviews_cancelled" in steps, (sql, steps)


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "f.db"
    SqliteStore(db).close()
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO schema_migrations VALUES (99, 'future', '2030-01-01T00:00:00Z')")
    with pytest.raises(StoreError, match="newer"):
        SqliteStore(db)


def test_not_a_database_is_a_store_error(tmp_path: Path) -> None:
    bogus = tmp_path / "f.db"
    bogus.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError):
        SqliteStore(bogus)


def test_two_writers_wait_for_each_other_instead_of_failing(tmp_path: Path) -> None:
    db = tmp_path / "f.db"
    SqliteStore(db).close()
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        store = SqliteStore(db)
        try:
            for i in range(40):
                with store.transaction():
                    store.add_application(
                        company=f"C{n}-{i}",
                        role="R",
                        culture=Culture.OTHER,
                        country=None,
                        domains=[],
                        now=NOW + timedelta(seconds=i),
                    )
        except BaseException as exc:  # pragma: no cover - the failure we test against
            errors.append(exc)
        finally:
            store.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    count = sqlite3.connect(db).execute("SELECT COUNT(*) FROM applications").fetchone()[0]
    assert count == 120


def test_a_pipeline_column_reads_its_newest_cards_through_an_index(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "f.db")
    with store.transaction():
        app = store.add_application(
            company="A", role="R", culture=Culture.OTHER, country=None, domains=[], now=NOW
        )
        for day in range(5):
            store.add_interview(
                application_id=app,
                start=NOW + timedelta(days=day),
                duration=timedelta(hours=1),
                tz="UTC",
                now=NOW,
            )
    traced: list[str] = []
    store._conn.set_trace_callback(traced.append)

    rows = store.list_interviews([Status.WAITING], limit=2)

    assert [r.interview.start for r in rows] == [NOW + timedelta(days=4), NOW + timedelta(days=3)]
    (sql,) = traced
    steps = " | ".join(str(r[3]) for r in store._conn.execute("EXPLAIN QUERY PLAN " + sql))
    assert "interviews_by_start" in steps and "TEMP B-TREE" not in steps, steps

    # the next page seeks to where the last one ended (a scan from the newest down to it
    # each time made `list --json` of a million interviews quadratic)
    traced.clear()
    rows = store.list_interviews([Status.WAITING], limit=2, after=rows[-1].interview.id)
    assert [r.interview.start for r in rows] == [NOW + timedelta(days=2), NOW + timedelta(days=1)]
    (sql,) = traced
    steps = " | ".join(str(r[3]) for r in store._conn.execute("EXPLAIN QUERY PLAN " + sql))
    assert "SEARCH i USING INDEX interviews_by_start (start_at<?)" in steps, steps


def _three_applications(tmp_path: Path) -> SqliteStore:
    """A store with applications A0, A1, A2 (in that order), one round each, starting NOW."""
    store = SqliteStore(tmp_path / "f.db")
    with store.transaction():
        for n in range(3):
            app = store.add_application(
                company=f"A{n}", role="R", culture=Culture.OTHER, country=None, domains=[], now=NOW
            )
            store.add_interview(
                application_id=app, start=NOW, duration=timedelta(hours=1), tz="UTC", now=NOW
            )
    return store


def test_a_board_column_reads_its_newest_applications_through_an_index(tmp_path: Path) -> None:
    """Each kind of latest round is walked newest application first and cut at the page
    (issue #16): no scan of the interviews, no sort of a column's every row."""
    from followup.app.rows import BoardFilter
    from followup.domain.board import Stage, keys_of

    store = _three_applications(tmp_path)
    traced: list[str] = []
    store._conn.set_trace_callback(traced.append)

    [rows] = store.board_columns([keys_of(Stage.INTERVIEWING)], BoardFilter(), NOW, 2)

    assert [r.application.company for r in rows] == ["A2", "A1"]
    (sql,) = traced
    plan = list(store._conn.execute("EXPLAIN QUERY PLAN " + sql))
    steps = " | ".join(str(r[3]) for r in plan)
    assert "board_latest_column" in steps and "SCAN" not in steps, steps
    top = [str(r[3]) for r in plan if r[1] == 0]  # not the subqueries' own steps
    assert not any("TEMP B-TREE" in step for step in top), steps


def test_a_search_counts_from_one_index_holding_the_text(tmp_path: Path) -> None:
    """A search's counts are one pass over `board_latest_search`, the text in the index
    (migration 0029): no look-up of each application's row, no pass over the people."""
    from followup.app.rows import BoardFilter
    from followup.domain.board import Stage, keys_of

    store = _three_applications(tmp_path)
    traced: list[str] = []
    store._conn.set_trace_callback(traced.append)

    counts = store.board_counts([keys_of(s) for s in Stage], BoardFilter(text="a1"), NOW)

    assert sum(counts) == 1
    (sql,) = traced
    steps = " | ".join(str(r[3]) for r in store._conn.execute("EXPLAIN QUERY PLAN " + sql))
    assert "COVERING INDEX board_latest_search" in steps, steps
    assert "interviewers" not in steps and "applications" not in steps, steps


def test_the_applications_to_pick_a_later_round_from_are_read_through_indexes(
    tmp_path: Path,
) -> None:
    store = SqliteStore(tmp_path / "f.db")
    with store.transaction():
        for n in range(3):
            app = store.add_application(
                company=f"C{n}", role="R", culture=Culture.OTHER, country=None, domains=[], now=NOW
            )
            store.add_interview(
                application_id=app, start=NOW, duration=timedelta(hours=1), tz="UTC", now=NOW
            )
    traced: list[str] = []
    store._conn.set_trace_callback(traced.append)

    rows = store.applications(2)

    assert [r.application.company for r in rows] == ["C2", "C1"]
    (sql,) = traced
    steps = " | ".join(str(r[3]) for r in store._conn.execute("EXPLAIN QUERY PLAN " + sql))
    assert "SCAN i" not in steps and "TEMP B-TREE" not in steps, steps


def test_the_daily_limit_reads_a_days_sends_through_an_index(tmp_path: Path) -> None:
    """app/pacing.py asks before each send and on the agenda: never a scan of the history."""
    store = SqliteStore(tmp_path / "f.db")
    traced: list[str] = []
    store._conn.set_trace_callback(traced.append)

    assert store.sent_since(NOW - timedelta(hours=24)) == []

    (sql,) = traced
    steps = " | ".join(str(r[3]) for r in store._conn.execute("EXPLAIN QUERY PLAN " + sql))
    assert "USING INDEX notes_sent_at" in steps and "TEMP B-TREE" not in steps, steps


def test_todays_failed_notes_are_read_through_an_index(tmp_path: Path) -> None:
    """Today's "Now" asks on every page load: the failed notes, never a scan of the notes."""
    store = SqliteStore(tmp_path / "f.db")
    steps = _plan(store, lambda: store.failed_notes(20))
    assert "USING INDEX notes_failed" in steps and "TEMP B-TREE" not in steps, steps


def test_todays_bounced_panellists_are_read_through_an_index(tmp_path: Path) -> None:
    """Today's "Now" asks on every page load: the bounced ones, never a scan of everyone."""
    store = SqliteStore(tmp_path / "f.db")
    steps = _plan(store, lambda: store.bounced_people(20))
    assert "USING INDEX interviewers_bounced" in steps and "TEMP B-TREE" not in steps, steps


def _plan(store: SqliteStore, read: Callable[[], object]) -> str:
    """The query plan of the one statement `read` runs (on an empty store: it finds none)."""
    traced: list[str] = []
    store._conn.set_trace_callback(traced.append)
    assert not read()
    (sql,) = traced
    return " | ".join(str(r[3]) for r in store._conn.execute("EXPLAIN QUERY PLAN " + sql))


def test_a_restore_recomputes_the_boards_latest_rounds_from_the_rows(tmp_path: Path) -> None:
    """board_latest (migration 0027) is kept by triggers: a backup's own copy of it is never
    read, even when it disagrees with the rows (a file edited by hand, or crafted)."""
    from followup.adapters.store.sqlstore import to_db
    from tests.contract.test_board_property import KEPT, RECOMPUTED

    store = SqliteStore(tmp_path / "f.db")
    with store.transaction():
        app = store.add_application(
            company="A", role="R", culture=Culture.OTHER, country=None, domains=[], now=NOW
        )
        for n in range(2):
            store.add_interview(
                application_id=app,
                start=NOW + timedelta(days=n),
                duration=timedelta(hours=1),
                tz="UTC",
                now=NOW,
            )
    store.backup(tmp_path / "b.db")
    edited = sqlite3.connect(tmp_path / "b.db")
    edited.execute("UPDATE board_latest SET interview_id = 1, round = 1, status = 'offer'")
    edited.commit()
    edited.close()

    store.restore(tmp_path / "b.db", NOW, lambda table, row: None, lambda counts: None)

    assert (
        store._all(KEPT)
        == store._all(RECOMPUTED)
        == [(1, 2, "waiting", 2, to_db(NOW + timedelta(days=1)), 0)]
    )


@pytest.mark.parametrize("count", [0, 1, 332, 333, 334, 999, 1000, 1001])
def test_rows_written_in_statements_of_many_are_the_rows_given(tmp_path: Path, count: int) -> None:
    """A bulk INSERT runs as statements of many rows (at most 999 parameters each) with the
    rest one by one: the rows come back the same and in order, ON CONFLICT keeps the first
    of a key given twice in one statement, and a row of another width is refused before
    anything of it is written, as executemany refuses it."""
    store = SqliteStore(tmp_path / "f.db")
    rows = [(k % 400, k, f"r{k}") for k in range(count)]  # keys from 400 on: given before
    with store.transaction():
        store._execute("CREATE TEMP TABLE t (k INTEGER PRIMARY KEY, v INTEGER, s TEXT)")
        store._executemany("INSERT INTO t (k, v, s) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", rows)
        got = store._all("SELECT k, v, s FROM t ORDER BY k")
        first = {}
        for k, v, s in rows:
            first.setdefault(k, (k, v, s))
        assert [tuple(r) for r in got] == sorted(first.values())
        store._execute("CREATE TEMP TABLE u (n INTEGER, s TEXT)")
        store._executemany("INSERT INTO u (n, s) VALUES (?, ?)", [r[1:] for r in rows])
        assert [tuple(r) for r in store._all("SELECT n, s FROM u ORDER BY rowid")] == [
            r[1:] for r in rows
        ]
        short_and_long = [(1,), (2, "b", "c")]  # together as many values as two rows
        with pytest.raises(sqlite3.ProgrammingError):
            store._executemany(
                "INSERT INTO u (n, s) VALUES (?, ?)", short_and_long + [(3, "d")] * 600
            )
    store.close()
