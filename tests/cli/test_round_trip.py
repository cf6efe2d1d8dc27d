"""The JSON round trip is exact on a 50,000-interview home (issue #17's bar): export a home,
import the file into a fresh one, and the two databases hold the same rows — every table's,
every column, ids mapped — the same stats, board and agenda, and export the same document.
(Words a note not yet sent would carry — its text edited by hand, a debrief's note of an
interview still followed up — are not imported: the import drafts the note again, so words
from a file never go out unseen — tests/integration/test_approval_from_files.py. Here only
the notes that went out and the ended interviews' debriefs carry such words.)

The home is made fast: 2,500 interviews generated (benchmarks/generate.py), exported, and
written twenty times over into one document, each copy's ids and unique values made its own;
importing that document makes home A, every row through the product's import. The
generated home is first given values in the columns the generator leaves empty, and A's
first copy must export as the generated home did: a column the import drops is seen there
(it would be dropped on the way to A and to B alike).

No clock in it (the clock is fixed and only compared): the Makefile's pass under a far-off
time zone leaves this file out.
"""

from __future__ import annotations

import json
import re
import sqlite3
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from tests.cli.test_portability import ok
from tests.conftest import NOW, Run

ROOT = Path(__file__).resolve().parents[2]
GENERATED = 2_500  # interviews generated (~730/s)
COPIES = 20  # of them in the document imported: 50,000 interviews

# a column naming a row of another table -> that table (`id`: the row's own table)
REFERENCES = {
    "application_id": "applications",
    "interview_id": "interviews",
    "interviewer_id": "interviewers",
    "note_id": "notes",
}


# Values for the columns the generator leaves empty, in every other row, written into the
# generated home (its triggers keep its aggregates): each column the document holds is then
# compared; and a history to carry.
FILLED = """
UPDATE applications SET tone = CASE id % 3 WHEN 0 THEN 'formal' WHEN 1 THEN 'casual'
    ELSE 'neutral' END WHERE id % 2 = 1;
UPDATE interviews SET expect_by = substr(start_at, 1, 10), defer_until = start_at,
    description = 'Panel ' || id || ': the data model',
    ics_uid = 'i' || id || '@round-trip.example', ics_sequence = id % 4 WHERE id % 2 = 1;
UPDATE interviewers SET greet_as = substr(name, 1, instr(name, ' ') - 1),
    bounced_at = CASE id % 3 WHEN 0 THEN created END,
    removed_at = CASE id % 5 WHEN 0 THEN created END
    FROM (SELECT id AS iv, created_at AS created FROM interviews) WHERE iv = interview_id
    AND id % 2 = 1 AND instr(name, ' ') > 1;
UPDATE interviewers SET is_primary = 1 WHERE interview_id % 2 = 1
    AND id = (SELECT MIN(id) FROM interviewers p WHERE p.interview_id = interviewers.interview_id);
UPDATE notes SET subject = 'Thank you, ' || step, body = 'Thank you for the talk (' || id || ').',
    last_error = CASE id % 4 WHEN 1 THEN 'timed out' END,
    edited_at = CASE WHEN state IN ('sent', 'cancelled') THEN updated_at END,
    drafted_at = earliest_at, attempts = 1 + id % 3,
    message_id = CASE state WHEN 'sent' THEN '<n' || id || '@round-trip.example>' END
    WHERE id % 2 = 1;
UPDATE inbound_messages SET message_id = '<m' || id || '@round-trip.example>',
    from_addr = 'P ' || id || ' <p' || id || '@round-trip.example>',
    subject = 'Re: Thank you', reason = 'thanks for' WHERE id % 2 = 1;
UPDATE debriefs SET interviewer_id = (SELECT MIN(id) FROM interviewers p
    WHERE p.interview_id = debriefs.interview_id),
    note = CASE WHEN (SELECT status FROM interviews i WHERE i.id = debriefs.interview_id)
        <> 'waiting' THEN 'asked how we version the schema' END,
    promised_by = substr(created_at, 1, 10) WHERE id % 2 = 1;
INSERT INTO events (interview_id, happened_at, source, kind, summary)
    SELECT id, created_at, 'cli', 'added', 'added round ' || round FROM interviews
    WHERE id % 2 = 1 UNION ALL
    SELECT id, start_at, 'web', 'edited', 'moved' FROM interviews WHERE id % 3 = 1
    ORDER BY 1, 2;
"""


def replicate(source: Path, target: Path, copies: int) -> None:
    """`copies` copies of the export's applications in one document, each copy's ids and
    unique values (Message-IDs, calendar UIDs) made its own (the first's kept)."""
    doc = json.loads(source.read_text(encoding="utf-8"))

    def own(value: str | None, c: int) -> str | None:
        if value is None or c == 0:  # the first copy as it was
            return value
        return f"<c{c}.{value[1:]}" if value.startswith("<") else f"c{c}.{value}"

    def person(row: dict[str, Any], off: int) -> dict[str, Any]:
        who = row.get("interviewer_id")
        return {**row, "interviewer_id": None if who is None else who + off}

    with target.open("w", encoding="utf-8") as f:
        f.write('{"format": "followup-export", "version": 1, "applications": [\n')
        first = True
        for c in range(copies):
            off = c * 10_000_000
            for app in doc["applications"]:
                interviews = [
                    {
                        **iv,
                        "id": iv["id"] + off,
                        "ics_uid": own(iv.get("ics_uid"), c),
                        "interviewers": [{**p, "id": p["id"] + off} for p in iv["interviewers"]],
                        "notes": [
                            {**person(n, off), "message_id": own(n.get("message_id"), c)}
                            for n in iv["notes"]
                        ],
                        "debriefs": [person(d, off) for d in iv["debriefs"]],
                        "inbound": [
                            {**m, "message_id": own(m.get("message_id"), c)} for m in iv["inbound"]
                        ],
                    }
                    for iv in app["interviews"]
                ]
                copy = {**app, "id": app["id"] + off, "interviews": interviews}
                f.write(("" if first else ",\n") + json.dumps(copy, ensure_ascii=False))
                first = False
        f.write("\n], ")
        f.write(f'"unlinked_inbound": {json.dumps(doc["unlinked_inbound"])}}}\n')


def text(
    path: Path, drop: list[tuple[re.Pattern[bytes], bytes]], dropped: list[int], whole: bool = True
) -> Iterator[bytes]:
    """The document's text (`whole`, or up to the end of its last application), in pieces
    that end where an application does, with every id (its own and the interviewer a note
    or debrief names) left out, and `drop` (counted into `dropped`) removed."""
    with path.open("rb") as f:
        rest = b""
        while True:
            chunk = f.read(1 << 23)
            block = rest + chunk
            if not whole and (end := block.find(b'\n  ],\n  "unlinked_inbound"')) >= 0:
                block, chunk = block[:end], b""
            cut = block.rfind(b"\n    },\n") + 1 if chunk else len(block)
            piece, rest = _ID.sub(rb'"\1": _', block[:cut]), block[cut:]
            for pattern, by in drop:
                piece, n = pattern.subn(by, piece)
                dropped[0] += n
            yield piece
            if not chunk:
                return


_ID = re.compile(rb'"(id|interviewer_id)": \d+')


def same_documents(first: Path, second: Path, imported: str, whole: bool = True) -> int:
    """Compare two exports, the second the first imported and exported again, in bounded
    memory: the same text but for ids (the databases' comparison maps them) and the second's
    last history entry per interview, its import's (from `imported`: how many, returned).
    Not `whole`: the first's applications are the second's first ones."""
    summary = re.escape(json.dumps(f"imported from {imported}").encode())
    entry = (
        rb'\{\n {14}"at": "[^"\n]*",\n {14}"source": "[^"\n]*",\n {14}"kind": "imported",\n'
        rb' {14}"summary": ' + summary + rb',\n {14}"undone": false\n {12}\}'
    )
    drop = [  # the last entry of a history; its only one
        (re.compile(rb",\n {12}" + entry + rb"(?=\n {10}\])"), b""),
        (re.compile(rb"\[\n {12}" + entry + rb"\n {10}\]"), b"[]"),
    ]
    dropped = [0]
    ours, theirs = text(first, [], [0], whole), text(second, drop, dropped)
    a = b = b""
    at = 0  # where a starts, in the first's text as compared
    while True:
        if len(a) <= len(b):
            more = next(ours, None)
            if more is None:
                break
            a += more
        else:
            more = next(theirs, None)
            if more is None:
                break
            b += more
        n = min(len(a), len(b))
        if a[:n] != b[:n]:
            k = next(k for k in range(n) if a[k] != b[k])
            start = max(0, a.rfind(b"\n", 0, max(0, k - 200)))
            raise AssertionError(
                f"the documents differ at byte {at + k} (ids left out):\n"
                f"{a[start : k + 200].decode(errors='replace')}\n---\n"
                f"{b[start : k + 200].decode(errors='replace')}"
            )
        a, b, at = a[n:], b[n:], at + n
    if whole:
        assert a + b"".join(ours) == b + b"".join(theirs), "one document is longer"
    else:
        assert not a + b"".join(ours), "the second document is shorter"
    return dropped[0]


# Each table's rows in the order the export writes them (applications by id, interviews by
# application then id, the rest by their interview then id): the row at a place in the one
# database is the row at that place in the other. Events also without the import's own.
ORDER = {
    "applications": "t.id",
    "interviews": "t.application_id, t.id",
}
CHILD_ORDER = "i.application_id, t.interview_id, t.id"


def differences(a: Path, b: Path, imported: str) -> tuple[dict[str, Any], dict[int, int]]:
    """Each table whose rows differ between the two databases, ids mapped from a's to b's by
    where the rows are (b's history entries `imported` left out), with how many of a's rows
    b lacks and how many b has more ({} when none); and the map of interview ids."""
    db = sqlite3.connect(a)
    db.execute("ATTACH ? AS b", (str(b),))
    tables = [
        name
        for (name,) in db.execute(
            "SELECT name FROM main.sqlite_master WHERE type = 'table'"
            " AND name NOT LIKE 'sqlite%' ORDER BY name"
        )
    ]
    theirs_tables = db.execute(
        "SELECT name FROM b.sqlite_master WHERE type = 'table'"
        " AND name NOT LIKE 'sqlite%' ORDER BY name"
    ).fetchall()
    assert tables == [name for (name,) in theirs_tables]
    left_out = {"events": f"kind = 'imported' AND summary = '{imported}'"}
    mapped = (*ORDER, "interviewers", "notes", "inbound_messages", "debriefs", "events")
    for table in mapped:
        order = ORDER.get(table, CHILD_ORDER)
        ranked = []
        for schema in ("main", "b"):
            where = f" WHERE NOT ({left_out[table]})" if schema == "b" and table in left_out else ""
            join = f" LEFT JOIN {schema}.interviews i ON i.id = t.interview_id"
            ranked.append(
                f"SELECT t.id, ROW_NUMBER() OVER (ORDER BY {order}) AS k FROM {schema}.{table} t"
                f"{join if table not in ORDER else ''}{where}"
            )
        db.execute(f"CREATE TEMP TABLE map_{table} (a INTEGER PRIMARY KEY, b INTEGER)")
        db.execute(
            f"INSERT INTO temp.map_{table} SELECT x.id, y.id"
            f" FROM ({ranked[0]}) x JOIN ({ranked[1]}) y USING (k)"
        )
    found: dict[str, Any] = {}
    for table in tables:
        columns = [row[1] for row in db.execute(f"PRAGMA main.table_info({table})")]
        assert columns == [row[1] for row in db.execute(f"PRAGMA b.table_info({table})")]
        ours, theirs = [], []
        for c in columns:
            refers = table if c == "id" else "events" if c == "undone_by" else REFERENCES.get(c)
            if table == "schema_migrations" and c == "applied_at":
                continue  # when each home was made
            if refers in mapped:
                ours.append(f"(SELECT b FROM temp.map_{refers} WHERE a = t.{c})")
                theirs.append(f"t.{c}")
            elif c != "id":  # (a table whose rows the export does not hold: all but the id)
                ours.append(f"t.{c}")
                theirs.append(f"t.{c}")
        where = f" WHERE NOT ({left_out[table]})" if table in left_out else ""
        select_a = f"SELECT {', '.join(ours)} FROM main.{table} AS t"
        select_b = f"SELECT {', '.join(theirs)} FROM b.{table} AS t{where}"
        (lacks,) = db.execute(f"SELECT COUNT(*) FROM ({select_a} EXCEPT {select_b})").fetchone()
        (more,) = db.execute(f"SELECT COUNT(*) FROM ({select_b} EXCEPT {select_a})").fetchone()
        (n_a,) = db.execute(f"SELECT COUNT(*) FROM ({select_a})").fetchone()
        (n_b,) = db.execute(f"SELECT COUNT(*) FROM ({select_b})").fetchone()
        if lacks or more or n_a != n_b:
            found[table] = {"rows": (n_a, n_b), "b lacks": lacks, "b has more": more}
    interviews = dict(db.execute("SELECT a, b FROM temp.map_interviews").fetchall())
    db.close()
    return found, interviews


def test_fifty_thousand_interviews_round_trip_exactly(run: Run, home: Path, tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import generate
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    seed = tmp_path / "seed"
    generate.generate(seed, GENERATED, 1, datetime.fromisoformat(NOW), 1000, quiet=True)
    with sqlite3.connect(seed / "followup.db") as db:
        db.executescript(FILLED)
    ok(run("--home", str(seed), "export", "-o", str(tmp_path / "seed.json")))
    replicate(tmp_path / "seed.json", tmp_path / "copies.json", COPIES)
    r = ok(run("import", str(tmp_path / "copies.json"), "--json")).json  # home A
    assert len(r["interviews"]) == GENERATED * COPIES
    exported = tmp_path / "a.json"
    ok(run("export", "-o", str(exported)))
    # what was generated is what A holds (its first copy), column by column
    assert same_documents(tmp_path / "seed.json", exported, "copies.json", whole=False) > 0

    fresh = ("--home", str(tmp_path / "fresh"))  # home B
    ok(run(*fresh, "import", str(exported)))
    again = tmp_path / "b.json"
    ok(run(*fresh, "export", "-o", str(again)))
    assert same_documents(exported, again, exported.name) == GENERATED * COPIES
    b = tmp_path / "fresh" / "followup.db"
    found, interviews = differences(home / "followup.db", b, f"imported from {exported.name}")
    assert found == {}
    assert len(interviews) == GENERATED * COPIES
    assert ok(run(*fresh, "stats", "--json")).json == ok(run("stats", "--json")).json

    def agenda(*home: str, to: dict[int, int] | None = None) -> list[dict[str, Any]]:
        rows = ok(run(*home, "agenda", "--json")).json
        return [{**row, "interview_id": to[row["interview_id"]]} if to else row for row in rows]

    assert agenda(*fresh) == agenda(to=interviews)
