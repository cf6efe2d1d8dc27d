"""A JSON import stores no more than `add` would: the same limits (domain/limits.py)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_portability import ok, seed
from tests.conftest import Run


def _exported(run: Run, tmp_path: Path) -> dict[str, Any]:
    seed(run)
    out = tmp_path / "export.json"
    ok(run("export", "--format", "json", "-o", str(out)))
    return json.loads(out.read_text())  # type: ignore[no-any-return]


def _app(doc: dict[str, Any]) -> dict[str, Any]:
    return doc["applications"][0]  # type: ignore[no-any-return]


def _interview(doc: dict[str, Any]) -> dict[str, Any]:
    return _app(doc)["interviews"][0]  # type: ignore[no-any-return]


EDITS: dict[str, tuple[Callable[[dict[str, Any]], None], str]] = {
    "huge company": (lambda d: _app(d).update(company="A" * 2_000_000), "at most 200"),
    "long topic": (
        lambda d: _interview(d)["debriefs"][0].update(topic="t" * 501),
        "at most 500",
    ),
    "year 1": (lambda d: _interview(d).update(start_at="0001-01-01T00:00:00Z"), "between 1970"),
    "year 9999 date": (lambda d: _interview(d).update(expect_by="9999-12-31"), "between 1970"),
    "a year-long interview": (
        lambda d: _interview(d).update(duration_min=525_600),
        "at most 1440",
    ),
    "an unknown country": (lambda d: _app(d).update(country="QQ"), "country 'QQ'"),
    "a line break in a subject": (
        lambda d: _interview(d)["notes"][0].update(subject="Hi\r\nBcc: all@acme.example"),
        "Subject",
    ),
    # issue #11: add and CSV refused these names, the JSON import stored them
    "a U+2028 in an interviewer's name": (
        lambda d: _interview(d)["interviewers"][0].update(name="Eve\u2028Bcc: e@e.example"),
        "interviewers[0]",
    ),
    "an encoded line break in an interviewer's name": (
        lambda d: _interview(d)["interviewers"][0].update(
            name="Eve =?utf-8?b?DQpCY2M6IGVAZS5leGFtcGxl?="
        ),
        "the interviewer's name contains a line break or NUL once its encoded-words are decoded",
    ),
    "too many domains": (
        lambda d: _app(d).update(domains=[f"d{i}.example" for i in range(21)]),
        "at most 20",
    ),
}


@pytest.mark.parametrize("case", list(EDITS))
def test_an_import_over_a_limit_is_refused_and_writes_nothing(
    run: Run, tmp_path: Path, home: Path, case: str
) -> None:
    doc = _exported(run, tmp_path)
    edit, says = EDITS[case]
    edit(doc)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc))
    before = _checksum(home)
    r = run("import", str(bad))
    assert r.code == 4, r.err
    assert says in r.err and "Traceback" not in r.err
    assert _checksum(home) == before


def _checksum(home: Path) -> str:
    """What the database holds (its SQL dump): unchanged by a checkpoint of the log."""
    with closing(sqlite3.connect(home / "followup.db")) as db:
        return hashlib.sha256("\n".join(db.iterdump()).encode()).hexdigest()


@pytest.mark.parametrize(
    ("command", "name"),
    [("import", "zeros.json"), ("import", "zeros.csv"), ("lint", "zeros.txt")],
)
def test_an_endless_file_is_refused_without_reading_it_all(
    run: Run, tmp_path: Path, home: Path, command: str, name: str
) -> None:
    """A symlink to /dev/zero (or a 3 GB file) used to be read into memory until killed."""
    from followup.bootstrap import open_context

    open_context(str(home))  # the database exists (list no longer creates it)
    endless = tmp_path / name
    endless.symlink_to("/dev/zero")
    before = _checksum(home)
    r = run(command, str(endless))
    assert r.code == 4, r.err
    assert "too big" in r.err or "not a note" in r.err or "it is a device" in r.err
    assert _checksum(home) == before


def test_an_open_interview_without_notes_in_the_file_is_planned(run: Run, tmp_path: Path) -> None:
    """It used to be imported with no thank-you planned, and `show` then crashed."""
    doc = _exported(run, tmp_path)
    interview = _interview(doc)
    interview.update(status="waiting", status_at=None)
    del interview["notes"]
    doc["applications"] = [_app(doc) | {"interviews": [interview]}]
    doc["unlinked_inbound"] = []
    edited = tmp_path / "no-notes.json"
    edited.write_text(json.dumps(doc))
    r = ok(run("import", str(edited), "--json"))
    [new] = [i["id"] for i in r.json["interviews"]]
    shown = ok(run("show", str(new), "--json")).json
    assert [n["kind"] for n in shown["notes"]] == ["thank-you", "thank-you"]  # the panel
    assert any(item["interview_id"] == new for item in ok(run("agenda", "--json")).json)
