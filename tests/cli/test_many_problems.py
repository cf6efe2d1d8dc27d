"""Issue #11's cold trial: a CSV of 50,000 bad rows printed 50,000 lines (18 s). The first
20 problems say what is wrong; the rest is a count. Still exit 4, nothing written."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from tests.cli.test_portability import ok, seed
from tests.conftest import Run

ROWS = 50_000


def _checksum(home: Path) -> str:
    return hashlib.sha256((home / "followup.db").read_bytes()).hexdigest()


def test_fifty_thousand_bad_csv_rows_show_twenty_and_a_count(
    run: Run, home: Path, tmp_path: Path
) -> None:
    seed(run)
    bad = tmp_path / "bad.csv"
    rows = "".join(f"Acme,Dev,not a date {i},Europe/Berlin\n" for i in range(ROWS))
    bad.write_text("company,role,start,tz\n" + rows)
    before = _checksum(home)
    r = run("import", str(bad))
    assert r.code == 4, r.err[:500]
    lines = r.err.splitlines()
    assert (
        lines[0] == f"followup: error: cannot import bad.csv: {ROWS:,} bad rows, nothing imported"
    )
    assert len(lines) == 1 + 20 + 1
    assert lines[1].startswith("  line 2: ") and lines[20].startswith("  line 21: ")
    assert lines[-1] == f"  … and {ROWS - 20:,} more rows with problems"
    assert _checksum(home) == before


def test_many_bad_json_items_are_counted_too(run: Run, home: Path, tmp_path: Path) -> None:
    seed(run)
    out = tmp_path / "export.json"
    ok(run("export", "-o", str(out)))
    doc = json.loads(out.read_text())
    app = doc["applications"][0]
    doc["applications"] = [{**app, "company": ""} for _ in range(30)]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc))
    before = _checksum(home)
    r = run("import", str(bad))
    assert r.code == 4, r.err[:500]
    lines = r.err.splitlines()
    assert "bad items, nothing imported" in lines[0]
    assert len(lines) == 1 + 20 + 1
    assert lines[-1].startswith("  … and ") and lines[-1].endswith(" more items with problems")
    assert _checksum(home) == before
