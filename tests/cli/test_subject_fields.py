"""A company or role goes into each note's Subject (cold trial, item 3): one whose
encoded-word decodes to a line break (`=?utf-8?q?Dev=0D=0ABcc:_v@evil.example?=`), or with a
raw one, is refused where it comes in — `add`, `edit`, an invitation's SUMMARY, a JSON import
— in one line, nothing written; one kept from before is named by the send gate's error with
the `edit` that fixes it."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from followup.app.errors import ExitCode
from tests.conftest import Run

EVIL = "=?utf-8?q?Dev=0D=0ABcc:_v@evil.example?="
AT = ("--at", "2026-11-20T10:00:00Z")
ADA = ("--interviewer", "Ada <ada@acme.example>")


def _one_line(result: object) -> str:
    code, err = result.code, result.err  # type: ignore[attr-defined]
    assert code == ExitCode.INVALID, err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("followup: error: "), err
    return str(lines[0])


@pytest.mark.parametrize(
    ("option", "text"),
    [("--role", EVIL), ("--company", EVIL), ("--role", "Dev\nBcc: v@evil.example")],
)
def test_add_refuses_what_cannot_be_in_a_subject(run: Run, option: str, text: str) -> None:
    given = {"--company": "Acme", "--role": "Dev", option: text}
    line = _one_line(run("add", *[a for kv in given.items() for a in kv], *AT, *ADA))
    what = option.removeprefix("--")
    assert line.startswith(f"followup: error: the {what} contains a line break or NUL")
    assert "Subject" in line
    assert run("list", "--json").json == []


def test_a_plain_role_with_an_equals_sign_or_a_question_mark_is_fine(run: Run) -> None:
    done = run("add", "--company", "Acme", "--role", "C++ Dev = ? (Q&A)", *AT)
    assert done.code == 0, done.err


def test_edit_refuses_it_and_fixes_a_role_kept_from_before(
    run: Run, home: Path, tmp_path: Path
) -> None:
    assert run("config", "set", "user.email", "grace@example.org").code == 0
    assert run("add", "--company", "Acme", "--role", "Dev", *AT, *ADA).code == 0
    assert "the role contains a line break" in _one_line(run("edit", "1", "--role", EVIL))
    with sqlite3.connect(home / "followup.db") as db:  # as `add` kept it before the check
        db.execute("UPDATE applications SET role = ?", (EVIL,))
    line = _one_line(run("draft", "1", "--eml", str(tmp_path / "n.eml")))
    assert line.endswith("the role cannot be in a Subject: fix it (followup edit 1 --role …)")
    moved = run("edit", "1", "--location", "Room 4")  # what is kept does not block a change
    assert moved.code == 0, moved.err
    fixed = run("edit", "1", "--role", "Dev")
    assert fixed.code == 0, fixed.err
    written = run("draft", "1", "--eml", str(tmp_path / "n.eml"))
    assert written.code == 0, written.err


def test_an_invitations_summary_is_refused(run: Run, tmp_path: Path) -> None:
    event = (
        "BEGIN:VEVENT\r\nUID:evil@acme.example\r\nDTSTAMP:20261101T000000Z\r\n"
        "DTSTART:20261120T100000Z\r\nDURATION:PT45M\r\n"
        f"SUMMARY:Acme / {EVIL}\r\n"
        "ATTENDEE;CN=Ada:mailto:ada@acme.example\r\nEND:VEVENT\r\n"
    )
    path = tmp_path / "invite.ics"
    path.write_text(f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n{event}END:VCALENDAR\r\n")
    line = _one_line(run("import", str(path), "--yes"))
    assert "cannot import invite.ics" in line and "contains a line break" in line
    assert run("list", "--json").json == []


def test_a_json_import_is_refused_naming_the_item(run: Run, tmp_path: Path) -> None:
    assert run("add", "--company", "Acme", "--role", "Dev", *AT, *ADA).code == 0
    path = tmp_path / "export.json"
    assert run("export", "-o", str(path)).code == 0
    doc = json.loads(path.read_text())
    doc["applications"][0]["role"] = EVIL
    path.write_text(json.dumps(doc))
    done = run("import", str(path))
    assert done.code == ExitCode.INVALID, done.err
    assert "applications[0]: role: the role contains a line break" in done.err
    assert len(run("list", "--json").json) == 1
