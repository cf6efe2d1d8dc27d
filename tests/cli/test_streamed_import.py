"""A JSON import streams (issue #17): read one application at a time, written in batches
inside one transaction, every bad item still named, nothing kept when one is bad."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from followup.app.portability import json_format, jsonstream
from followup.domain import limits
from tests.cli.test_portability import ok
from tests.conftest import NOW, Run


def application(k: int, **interview: Any) -> dict[str, Any]:
    return {
        "company": f"Firm {k}",
        "role": "Engineer",
        "interviews": [
            {
                "start_at": "2026-10-01T09:00:00Z",
                "tz": "UTC",
                "status": "closed",
                "interviewers": [{"id": k + 1, "name": f"P {k}", "email": f"p{k}@firm.example"}],
                **interview,
            }
        ],
    }


def document(apps: list[dict[str, Any]]) -> dict[str, Any]:
    return {"format": "followup-export", "version": 1, "applications": apps}


def count(home: Path, table: str) -> int:
    with sqlite3.connect(home / "followup.db") as db:
        return int(db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def test_bad_items_in_early_and_late_batches_are_all_named_and_nothing_is_kept(
    run: Run, home: Path, tmp_path: Path
) -> None:
    ok(run("add", "--company", "Before", "--role", "Engineer", "--at", "2026-11-20T10:00Z"))
    n = 3 * json_format._BATCH + 10
    apps = [application(k) for k in range(n)]
    apps[3]["interviews"][0]["tz"] = "Mars/Olympus"
    apps[n - 2]["interviews"][0]["status"] = "lost"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document(apps)))
    r = run("import", str(path))
    assert r.code != 0 and "Traceback" not in r.err
    assert "2 bad items, nothing imported" in r.err
    assert "applications[3].interviews[0]: tz" in r.err
    assert f"applications[{n - 2}].interviews[0]: status" in r.err
    assert count(home, "applications") == 1  # the batches written before were rolled back


def test_a_note_may_name_someone_of_a_later_batch(run: Run, home: Path, tmp_path: Path) -> None:
    n = 2 * json_format._BATCH + 5
    apps = [application(k) for k in range(n)]
    apps[0]["interviews"][0]["debriefs"] = [
        {"interviewer_id": n, "topic": "the data model", "created_at": NOW}
    ]
    path = tmp_path / "ahead.json"
    path.write_text(json.dumps(document(apps)))
    ok(run("import", str(path)))
    with sqlite3.connect(home / "followup.db") as db:
        (name,) = db.execute(
            "SELECT p.name FROM debriefs d JOIN interviewers p ON p.id = d.interviewer_id"
        ).fetchone()
    assert name == f"P {n - 1}"


def test_a_duplicate_across_batches_names_the_first(run: Run, tmp_path: Path) -> None:
    n = json_format._BATCH + 5
    apps = [application(k) for k in range(n)]
    apps[n - 1]["interviews"][0]["interviewers"][0]["id"] = 3
    path = tmp_path / "twice.json"
    path.write_text(json.dumps(document(apps)))
    r = run("import", str(path))
    assert r.code != 0
    assert (
        f"applications[{n - 1}].interviews[0].interviewers[0]: interviewer id 3 is also"
        " applications[2].interviews[0].interviewers[0]'s"
    ) in r.err


def test_an_application_copied_whole_is_named_as_the_application(
    run: Run, home: Path, tmp_path: Path
) -> None:
    # it was reported as a duplicate interviewer id only: the application was not named
    apps = [{**application(k), "id": 10 + k} for k in range(3)]
    apps.append(json.loads(json.dumps(apps[1])))
    path = tmp_path / "copied.json"
    path.write_text(json.dumps(document(apps)))
    r = run("import", str(path))
    assert r.code != 0 and "Traceback" not in r.err
    lines = r.err.splitlines()
    assert (
        lines[1].strip().startswith("applications[3]: application id 11 is also applications[1]'s")
    )
    assert "applications[3].interviews[0].interviewers[0]: interviewer id 2 is also" in r.err
    assert count(home, "applications") == 0


def test_an_interview_id_twice_is_refused_naming_both(run: Run, home: Path, tmp_path: Path) -> None:
    # it was imported without a word; across batches too
    n = json_format._BATCH + 5
    apps = [application(k) for k in range(n)]
    for k, app in enumerate(apps):
        app["interviews"][0]["id"] = 100 + k
    apps[n - 1]["interviews"][0]["id"] = 102
    path = tmp_path / "twice.json"
    path.write_text(json.dumps(document(apps)))
    r = run("import", str(path))
    assert r.code != 0
    assert (
        f"applications[{n - 1}].interviews[0]: interview id 102 is also"
        " applications[2].interviews[0]'s"
    ) in r.err
    assert count(home, "interviews") == 0


def test_one_json_item_has_a_size_cap(
    run: Run, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "many.json"
    path.write_text(json.dumps(document([application(k) for k in range(50)]), indent=2))
    ok(run("import", str(path)))
    assert count(home, "interviews") == 50
    monkeypatch.setattr(limits, "IMPORT_ITEM_CHARS", 2000)
    monkeypatch.setattr(jsonstream, "CHUNK", 500)  # read in small pieces: one is too big
    big = application(99, description="x" * 5000)
    path.write_text(json.dumps(document([big, application(100)])))
    r = run("--home", str(tmp_path / "other"), "import", str(path))
    assert r.code != 0 and "one item at line 1 column" in r.err and "too big" in r.err


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('{"format": "followup-export", "version": 1, "applications": [{"company": ]}',
         "is not valid JSON: Expecting value at line 1 column 74"),
        ('{"applications": [], "format": "other"}', "is not a followup export"),
        ('[1, 2]', "is not a followup export"),
        ('{"format": "followup-export", "version": 1, "applications": {}}',
         '"applications" must be a list'),
        ('{"format": "followup-export", "version": 1}\n{}', "Extra data at line 2 column 1"),
    ],
)  # fmt: skip
def test_a_broken_document_is_one_clear_line(
    run: Run, tmp_path: Path, text: str, says: str
) -> None:
    path = tmp_path / "broken.json"
    path.write_text(text)
    r = run("import", str(path))
    assert r.code != 0 and "Traceback" not in r.err
    assert says in r.err


@pytest.mark.parametrize("at", [1, json_format._BATCH + 3])  # in the batch, and after it
def test_a_message_id_given_twice_names_the_first(run: Run, tmp_path: Path, at: int) -> None:
    apps = [application(k) for k in range(json_format._BATCH + 5)]
    for k in (0, at):
        apps[k]["interviews"][0]["notes"] = [
            {"step": 1, "kind": "thank-you", "state": "sent", "due_at": NOW, "sent_at": NOW,
             "message_id": "<same@firm.example>", "earliest_at": NOW, "updated_at": NOW}
        ]  # fmt: skip
    path = tmp_path / "twice.json"
    path.write_text(json.dumps(document(apps)))
    r = run("import", str(path))
    assert r.code != 0 and "1 bad item" in r.err
    assert (
        f"applications[{at}].interviews[0].notes[0]: message_id '<same@firm.example>' is also"
        " applications[0].interviews[0].notes[0]'s"
    ) in r.err


@pytest.mark.parametrize("at", [3, 70_000, 140_001])  # in the first, second and third 64 KB
def test_a_csv_is_read_as_it_goes_and_a_bad_byte_is_said_with_its_offset(
    run: Run, home: Path, tmp_path: Path, at: int
) -> None:
    """The CSV import reads the file as a stream (no cap on its size, no copy of it in
    memory); a byte that is not UTF-8 is found before any row is read, at its offset."""
    rows = "".join(
        f"Acme {k},Dev,2026-11-{k % 20 + 1:02}T10:00:00Z,UTC,ada{k}@acme.example\n"
        for k in range(4000)
    )
    data = ("company,role,start,tz,interviewers\n" + rows).encode()
    path = tmp_path / "tracker.csv"
    path.write_bytes(data[:at] + b"\xff" + data[at:])
    r = run("import", str(path))
    assert (r.code, r.err) == (
        4,
        f"followup: error: tracker.csv is not UTF-8 text (bad byte at offset {at}):"
        " save it as UTF-8\n",
    )
    assert count(home, "interviews") == 0
