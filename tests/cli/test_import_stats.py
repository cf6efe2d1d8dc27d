"""An import keeps the stats' aggregates and the board's latest rounds without their
triggers' per-row work (issue #17): paused while it writes, then brought up to date once
from the new interviews' rows; the aggregates equal a rebuild from scratch, and the
triggers are there after it, whether the import succeeded or failed."""

from __future__ import annotations

import json
import sqlite3
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from followup.adapters.store.sqlite import AGGREGATES, _backfill_of_facts, migrations
from followup.app.portability import json_format
from tests.cli.test_portability import ok
from tests.cli.test_streamed_import import application, document
from tests.conftest import NOW, Run

ROOT = Path(__file__).resolve().parents[2]
STATS = frozenset(t for t in AGGREGATES if t.startswith("stats_"))  # those of 0023, 0025


def aggregates(db: sqlite3.Connection) -> dict[str, list[Any]]:
    """Every aggregate table's rows, those at zero left out (a cell back at zero stays)."""
    found = {}
    for table in sorted(AGGREGATES):
        rows = db.execute(f"SELECT * FROM {table}").fetchall()
        names = [d[0] for d in db.execute(f"SELECT * FROM {table} LIMIT 0").description]
        if "n" in names:
            rows = [r for r in rows if r[names.index("n")] != 0]
        found[table] = sorted(rows, key=repr)
    return found


def rebuilt(path: Path) -> dict[str, list[Any]]:
    """The aggregates computed from scratch, in a copy: emptied, then migration 0023's and
    0025's backfills run with every trigger in place (the path a migration takes)."""
    copy = path.with_name("rebuilt.db")
    with sqlite3.connect(path) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    db = sqlite3.connect(copy, isolation_level=None)
    for table in ("stats_sequences", *sorted(STATS - {"stats_sequences"})):
        db.execute(f"DELETE FROM {table}")
    db.execute(_backfill_of_facts() + " WHERE 1 = 1) AS r) AS f")
    sent_hours = next(sql for v, _n, sql in migrations() if v == 25)
    db.execute(sent_hours.split("-- The history so far.", 1)[1])
    db.execute("DELETE FROM board_latest")  # then 0027's backfill, and 0029's if it is here
    for _v, name, sql in migrations():
        history = sql.split("-- The history so far.", 1)[1:]
        if name.startswith("board_") and history:
            db.executescript(history[0])
    found = aggregates(db)
    db.close()
    return found


def stats_triggers(path: Path) -> list[str]:
    """The triggers that keep the aggregates: the stats' and the board's."""
    with sqlite3.connect(path) as db:
        rows = db.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND (name LIKE 'stats%'"
            " OR sql LIKE '%board_latest%') ORDER BY name"
        )
        return [r[0] for r in rows]


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_aggregates_after_an_import_equal_a_rebuild(
    run: Run, home: Path, tmp_path: Path, fmt: str
) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import generate
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    generate.generate(home, 800, 3, datetime.fromisoformat(NOW), 400, quiet=True)
    exported = tmp_path / f"export.{fmt}"
    ok(run("export", "--format", fmt, "-o", str(exported)))
    fresh = tmp_path / "fresh"
    ok(run("--home", str(fresh), "add", "--company", "Before", "--role", "Engineer",
           "--at", "2026-11-20T10:00Z"))  # fmt: skip
    triggers = stats_triggers(fresh / "followup.db")
    assert sum("TRIGGER stats_" in t for t in triggers) == 15  # 12 of 0023, 3 of 0025
    assert sum("TRIGGER board_" in t for t in triggers) >= 7  # 0027's (and 0029's)
    ok(run("--home", str(fresh), "import", str(exported)))
    with sqlite3.connect(fresh / "followup.db") as db:
        after = aggregates(db)
    assert sum(n for *_k, n, _s in after["stats_totals"]) == 801
    assert len(after["board_latest"]) > 400  # every application's latest round
    assert after == rebuilt(fresh / "followup.db")
    assert stats_triggers(fresh / "followup.db") == triggers  # back, as they were


def test_a_failed_import_leaves_the_triggers_and_the_aggregates(
    run: Run, home: Path, tmp_path: Path
) -> None:
    ok(run("add", "--company", "Before", "--role", "Engineer", "--at", "2026-11-20T10:00Z"))
    db_path = home / "followup.db"
    triggers = stats_triggers(db_path)
    with sqlite3.connect(db_path) as db:
        before = aggregates(db)
    n = 2 * json_format._BATCH + 3
    apps: list[dict[str, Any]] = [application(k) for k in range(n)]
    apps[n - 1]["interviews"][0]["status"] = "lost"  # in the last batch: two written before
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document(apps)))
    r = run("import", str(path))
    assert r.code != 0 and "nothing imported" in r.err
    assert stats_triggers(db_path) == triggers
    with sqlite3.connect(db_path) as db:
        assert aggregates(db) == before
    # and they still count what comes next, row by row
    ok(run("add", "--company", "After", "--role", "Engineer", "--at", "2026-11-21T10:00Z"))
    with sqlite3.connect(db_path) as db:
        assert sum(r[-2] for r in db.execute("SELECT * FROM stats_totals")) == 2


def test_a_csv_round_trip_keeps_the_stats_reply_times_and_outcomes(
    run: Run, home: Path, tmp_path: Path
) -> None:
    """A cold trial's CSV import recorded every reply and outcome at the import's time:
    `stats`' time to the first reply went from a median of 8 days to 377. The export writes
    each interview's first reply (replied_at) and when it ended (status_at); the import
    records them then, and every figure of `stats --json` comes back the same."""
    from followup.adapters.clock import FixedClock
    from followup.app import services
    from followup.bootstrap import open_context
    from followup.domain.model import Status

    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import generate
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    generate.generate(home, 300, 7, datetime.fromisoformat(NOW), 300, quiet=True)
    # the generated history has replies, closed and advanced sequences: add the outcomes,
    # a cancellation, and a reply followed by an outcome, each days after its interview
    for company, day in (("Rho", 2), ("Sigma", 3), ("Tau", 4), ("Upsilon", 5), ("Phi", 6)):
        ok(run("add", "--company", company, "--role", "Dev", "--at", f"2026-11-0{day}T10:00Z",
               "--interviewer", f"Pat <pat@{company.lower()}.example>",
               now=f"2026-11-0{day}T08:00:00Z"))  # fmt: skip
    ids = {r["company"]: r["id"] for r in ok(run("list", "--json")).json}
    ok(run("sent", str(ids["Sigma"]), "--at", "2026-11-06T09:00Z", now="2026-11-06T09:30:00Z"))
    ok(run("replied", str(ids["Tau"]), "--at", "2026-11-09T16:00Z", now="2026-11-10T08:00:00Z"))
    ok(run("cancel", str(ids["Phi"]), now="2026-11-06T07:00:00Z"))  # before it took place
    ctx = open_context(home, clock=FixedClock(datetime.fromisoformat("2026-11-20T12:00:00Z")))
    for company, status, kind, on in (
        ("Rho", Status.REJECTED, "rejection", "2026-11-12T09:30:00Z"),
        ("Sigma", Status.OFFER, "offer", "2026-11-17T11:00:00Z"),
        ("Tau", Status.REJECTED, "rejection", "2026-11-14T13:00:00Z"),
        ("Upsilon", Status.ROLE_CLOSED, "role-closed", "2026-11-19T17:45:00Z"),
    ):
        message = services.Message(kind, datetime.fromisoformat(on), source="imap")
        services.conclude(ctx, ids[company], status, message)
    ctx.store.close()
    before = ok(run("stats", "--json")).json
    assert before["totals"]["rejected"] == 2 and before["totals"]["cancelled"] == 1
    assert before["time_to_first_reply_days"]["n"] > 50

    exported = tmp_path / "export.csv"
    ok(run("export", "--format", "csv", "-o", str(exported)))
    fresh = ("--home", str(tmp_path / "fresh"))
    ok(run(*fresh, "import", str(exported), now="2026-11-25T12:00:00Z"))
    after = ok(run(*fresh, "stats", "--json")).json
    assert after["time_to_first_reply_days"] == before["time_to_first_reply_days"]
    assert after["outcomes"] == before["outcomes"]
    assert after == before
    # the ended sequences' times, one by one
    rows = {r["company"]: r for r in ok(run(*fresh, "list", "--json")).json}
    added = ("Rho", "Sigma", "Tau", "Upsilon", "Phi")
    shown = {c: ok(run(*fresh, "show", str(rows[c]["id"]), "--json")).json for c in added}
    assert {c: (s["status"], s["status_at"]) for c, s in shown.items()} == {
        "Rho": ("rejected", "2026-11-12T09:30:00Z"),
        "Sigma": ("offer", "2026-11-17T11:00:00Z"),
        "Tau": ("rejected", "2026-11-14T13:00:00Z"),
        "Upsilon": ("role-closed", "2026-11-19T17:45:00Z"),
        "Phi": ("cancelled", "2026-11-06T07:00:00Z"),
    }
