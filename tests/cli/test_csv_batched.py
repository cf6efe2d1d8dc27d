"""The CSV import writes in bulk (issue #17) exactly what it wrote row by row before.

Each application's rows still go through the use-cases (`add_interview`, `expect`,
`mark_sent`, `mark_replied`, `cancel`, `conclude`), but in a store in this process's memory;
a batch of applications is then written with one `insert_records` per table and one
`add_events`. Every row of every table, the history included (each event's detail and the
rows undo would put back), must equal what the use-cases wrote straight into the database,
ids and all: the path before the batches, kept here as the reference.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from followup.adapters.store.sqlite import AGGREGATES
from followup.adapters.store.sqlstore import TABLES
from followup.app.context import Context
from followup.app.errors import FollowupError
from followup.app.portability import csv_format
from tests.cli.test_portability import ok, write_csv
from tests.conftest import NOW, Run

ROOT = Path(__file__).resolve().parents[2]


def row_by_row(
    ctx: Context,
    groups: Iterable[list[Any]],
    problems: dict[int, list[str]],
    created: Any,
) -> None:
    """The import's writes before issue #17's batches: every use-case on the real store."""
    written: list[tuple[Any, int]] = []
    for group in groups:
        application_id: int | None = None
        for row in group:
            try:
                interview_id = csv_format._write_row(ctx, row, application_id)
            except FollowupError as exc:
                problems.setdefault(row.line, []).append(str(exc))
                break
            interview = ctx.store.get_interview(interview_id)
            assert interview is not None
            application_id = interview.application_id
            written.append((row, interview_id))
            created.append(interview_id, row.line)
    for row, interview_id in written:
        mismatch = csv_format._status_mismatch(ctx, row, interview_id)
        if mismatch:
            problems.setdefault(row.line, []).append(mismatch)


def everything(home: Path) -> dict[str, list[Any]]:
    """Every row of every table, by id (the events' detail and rows before as the JSON text
    stored: a flag written as true where the database holds 1 is a difference)."""
    found: dict[str, list[Any]] = {}
    with sqlite3.connect(home / "followup.db") as db:
        for table in (*TABLES, "events", *sorted(AGGREGATES)):
            found[table] = db.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
    return found


HEADER = [
    "application_id", "company", "role", "start", "tz", "round", "status", "interviewers",
    "topics", "skill", "thank_you_sent_at", "follow_up_sent_at", "final_sent_at",
    "expect_by", "location", "primary_contact",
]  # fmt: skip
VARIED = [
    HEADER,
    # thanked, then a later round: the first moves on (advanced); the second's empty panel
    # and skill stay empty (the file has those columns)
    ["1", "Acme", "Dev", "2026-11-02T10:00:00Z", "Europe/Berlin", "1", "",
     "Ada <ada@acme.example>; Bob <bob@acme.example>", 'databases; "caching; tiers"', "SQL",
     "2026-11-03T09:00:00Z", "", "", "", "Room 1", "bob@acme.example"],
    ["1", "Acme", "Dev", "2026-11-20T10:00:00Z", "", "2", "", "", "", "", "", "", "", "", "",
     ""],
    ["2", "Beta", "Ops", "2026-11-10T15:00:00Z", "America/New_York", "1", "replied",
     "Cy <cy@beta.example>", "", "", "2026-11-11T14:00:00Z", "", "", "", "", ""],
    ["3", "Gamma", "QA", "2026-11-18T10:00:00Z", "Asia/Tokyo", "1", "waiting",
     "Dee <dee@gamma.example>", "testing", "", "", "", "", "2026-11-30", "", ""],
    ["4", "Delta", "PM", "2026-11-16T10:00:00Z", "", "1", "rejected", "Fay <fay@delta.example>",
     "", "", "2026-11-17T10:00:00Z", "", "", "", "", ""],
    ["5", "Eps", "SRE", "2026-11-17T10:00:00Z", "", "1", "cancelled", "", "", "", "", "", "",
     "", "", ""],
    ["6", "Zeta", "Dev", "2026-10-01T10:00:00Z", "", "1", "closed", "Eve <eve@zeta.example>",
     "", "", "2026-10-02T10:00:00Z", "2026-10-09T10:00:00Z", "2026-10-20T10:00:00Z", "", "",
     ""],
    # a later round while the first one's thank-you is still due: it keeps its thank-you
    ["7", "Eta", "Dev", "2026-11-24T09:00:00Z", "", "1", "", "Gus <gus@eta.example>", "", "",
     "", "", "", "", "", ""],
    ["7", "Eta", "Dev", "2026-11-27T09:00:00Z", "", "2", "", "Hal <hal@eta.example>", "", "",
     "", "", "", "", "", ""],
    ["8", "Theta", "Dev", "2026-11-19T10:00:00Z", "", "1", "offer", "Ivy <ivy@theta.example>",
     "", "", "2026-11-19T18:00:00Z", "", "", "", "", ""],
]  # fmt: skip
# VARIED's applications again (other ids and companies), their rounds far apart in the file:
# the rows wait in the store's stash until the file is read, then come back an application
# at a time in the order of their first rows.
INTERLEAVED = [
    HEADER,
    *(
        [f"{r[0]}0", f"{r[1]} Two", *r[2:]]
        for r in (VARIED[8], VARIED[1], *VARIED[3:8], VARIED[10], VARIED[9], VARIED[2])
    ),
]
# The times a reply and an end came (an export's replied_at and status_at): the use-cases
# record them then, not at the import's time.
TIMED = [
    ["company", "role", "start", "status", "thank_you_sent_at", "replied_at", "status_at"],
    ["Lambda", "Dev", "2026-11-02T10:00:00Z", "replied", "", "2026-11-05T09:00:00Z", ""],
    ["Mu", "Dev", "2026-11-03T10:00:00Z", "replied", "", "", "2026-11-06T09:00:00Z"],
    ["Nu", "Dev", "2026-11-04T10:00:00Z", "rejected", "2026-11-06T10:00:00Z",
     "2026-11-09T09:00:00Z", "2026-11-12T15:00:00Z"],
    ["Xi", "Dev", "2026-11-05T10:00:00Z", "offer", "", "", "2026-11-13T15:00:00Z"],
    ["Omicron", "Dev", "2026-11-20T10:00:00Z", "cancelled", "", "", "2026-11-19T15:00:00Z"],
    ["Pi", "Dev", "2026-11-06T10:00:00Z", "", "", "2026-11-10T09:00:00Z", ""],
    # no status_at: the outcome and the cancellation at the reply's time
    ["Rho", "Dev", "2026-11-06T10:00:00Z", "rejected", "", "2026-11-10T09:00:00Z", ""],
    ["Sigma", "Dev", "2026-11-06T10:00:00Z", "cancelled", "2026-11-08T10:00:00Z",
     "2026-11-11T09:00:00Z", ""],
]  # fmt: skip
# No skill or panel columns: a later round takes the previous one's (`NewInterview.inherit`).
INHERITING = [
    ["company", "role", "start", "interviewer_name", "interviewer_email", "topics"],
    ["Iota", "Dev", "2026-11-04T10:00:00Z", "Jo", "jo@iota.example", "graphs"],
    ["Iota", "Dev", "2026-11-12T10:00:00Z", "", "", ""],
    ["Kappa", "Lead", "2026-11-13T10:00:00Z", "Kim", "kim@kappa.example", ""],
]


def _generated(home: Path, run: Run, tmp_path: Path) -> Path:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import generate
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    generate.generate(home, 400, 5, datetime.fromisoformat(NOW), 200, quiet=True)
    exported = tmp_path / "generated.csv"
    ok(run("export", "--format", "csv", "-o", str(exported)))
    return exported


def test_the_batched_csv_import_writes_what_the_use_cases_wrote_row_by_row(
    run: Run, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = [
        write_csv(tmp_path / "varied.csv", VARIED),
        write_csv(tmp_path / "interleaved.csv", INTERLEAVED),
        write_csv(tmp_path / "inheriting.csv", INHERITING),
        write_csv(tmp_path / "timed.csv", TIMED),
        _generated(home, run, tmp_path),
    ]
    batched, reference = tmp_path / "batched", tmp_path / "reference"
    for path in files:
        ok(run("--home", str(batched), "import", str(path)))
    with monkeypatch.context() as patched:
        patched.setattr(csv_format, "_write_groups", row_by_row)
        for path in files:
            ok(run("--home", str(reference), "import", str(path)))
    made, wanted = everything(batched), everything(reference)
    assert len(made["interviews"]) == len(wanted["interviews"]) > 400
    with sqlite3.connect(reference / "followup.db") as db:
        kinds = {k for (k,) in db.execute("SELECT kind FROM events")}
    assert kinds >= {
        "added", "sent", "advanced", "edited", "replied", "cancelled", "rejected", "offer",
        "expected",
    }  # fmt: skip
    for table in wanted:
        assert made[table] == wanted[table], table
    # the interleaved file's applications, each whole, in the order of their first rows
    with sqlite3.connect(batched / "followup.db") as db:
        rounds = db.execute(
            "SELECT a.company, COUNT(*), MAX(i.round) FROM applications a"
            " JOIN interviews i ON i.application_id = a.id WHERE a.company LIKE '% Two'"
            " GROUP BY a.id ORDER BY a.id"
        ).fetchall()
    assert [c for c, _n, _r in rounds] == [
        "Eta Two", "Acme Two", "Beta Two", "Gamma Two", "Delta Two", "Eps Two", "Zeta Two",
        "Theta Two",
    ]  # fmt: skip
    assert {c: (n, r) for c, n, r in rounds if n > 1} == {"Eta Two": (2, 2), "Acme Two": (2, 2)}


def test_a_bad_row_found_while_writing_still_names_every_line(run: Run, tmp_path: Path) -> None:
    """Rows the use-cases refuse are all named, in any batch; nothing is written."""
    n = csv_format._BATCH + 5
    rows = [["company", "role", "start", "status"]]
    rows += [[f"C{k}", "Dev", "2026-11-18T10:00Z", ""] for k in range(n)]
    rows[3][3] = "closed"  # no sent times: cannot be closed (in the first batch)
    rows[n][3] = "closed"  # and in the second
    r = run("import", str(write_csv(tmp_path / "late.csv", rows)))
    assert r.code != 0
    assert "2 bad rows, nothing imported" in r.err
    assert "line 4: status is closed but the row makes it waiting" in r.err
    assert f"line {n + 1}: status is closed but the row makes it waiting" in r.err
    assert ok(run("list", "--json")).json == []
