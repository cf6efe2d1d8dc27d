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

from followup.domain import limits
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
    fresh = ("--home", str(tmp_path / "fresh"))  # (in the exporting home: there already)
    r = ok(run(*fresh, "import", str(edited), "--json"))
    [new] = [i["id"] for i in r.json["interviews"]]
    shown = ok(run(*fresh, "show", str(new), "--json")).json
    assert [n["kind"] for n in shown["notes"]] == ["thank-you", "thank-you"]  # the panel
    assert any(item["interview_id"] == new for item in ok(run(*fresh, "agenda", "--json")).json)


# --- a cold trial's crafted files (issue #17's follow-up) -------------------------------

_AT = "2026-10-01T09:00:00Z"


def _person(k: int, **more: Any) -> dict[str, Any]:
    return {"id": k, "name": f"P {k}", "email": f"p{k}@firm.example", **more}


def _note(who: int | None, **more: Any) -> dict[str, Any]:
    return {"id": 1, "interviewer_id": who, "step": 1, "kind": "thank-you", "state": "sent",
            "earliest_at": _AT, "due_at": _AT, "sent_at": _AT, "updated_at": _AT,
            **more}  # fmt: skip


def _file(tmp_path: Path, people: list[dict[str, Any]], **more: Any) -> Path:
    interview = {"id": 1, "start_at": _AT, "tz": "UTC", "status": "closed",
                 "interviewers": people, **more}  # fmt: skip
    app = {"id": 1, "company": "Firm", "role": "Engineer", "interviews": [interview]}
    doc = {"format": "followup-export", "version": 1, "applications": [app]}
    path = tmp_path / "crafted.json"
    path.write_text(json.dumps(doc))
    return path


def _refused(run: Run, home: Path, path: Path, says: str) -> str:
    from followup.bootstrap import open_context

    open_context(str(home))
    before = _checksum(home)
    r = run("import", str(path))
    assert r.code == 4, r.err
    assert says in r.err and "internal error" not in r.err and "Traceback" not in r.err
    assert _checksum(home) == before
    return r.err


@pytest.mark.parametrize(
    ("current", "removed", "says"),
    [
        (limits.INTERVIEWERS + 1, 0, "interviews[0]: 11 interviewers: at most 10"),
        (2_000, 0, "interviews[0]: 2,000 interviewers: at most 10"),
        (
            10,
            limits.REMOVED_INTERVIEWERS + 1,
            "interviews[0]: 1,001 removed interviewers: at most 1,000",
        ),
    ],
)
def test_an_interview_with_more_interviewers_than_add_takes_is_refused(
    run: Run, home: Path, tmp_path: Path, current: int, removed: int, says: str
) -> None:
    """A crafted file's 2,000 took 290 s and 741 MB to draft (50,000 never ended)."""
    people = [_person(k) for k in range(1, current + 1)]
    people += [_person(current + k, removed_at=_AT) for k in range(1, removed + 1)]
    _refused(run, home, _file(tmp_path, people), says)


def test_an_interview_at_the_limits_is_imported(run: Run, tmp_path: Path) -> None:
    people = [_person(k) for k in range(1, limits.INTERVIEWERS + 1)]
    people += [_person(100 + k, removed_at=_AT) for k in range(limits.REMOVED_INTERVIEWERS)]
    r = ok(run("import", str(_file(tmp_path, people)), "--json"))
    [new] = [i["id"] for i in r.json["interviews"]]
    shown = ok(run("show", str(new), "--json")).json
    assert len([p for p in shown["interviewers"] if not p.get("removed")]) == limits.INTERVIEWERS


def test_a_csv_row_with_more_interviewers_than_add_takes_is_refused(
    run: Run, home: Path, tmp_path: Path
) -> None:
    """The CSV import goes through `add`'s use-case: the same limit, the same words."""
    panel = "; ".join(f"P {k} <p{k}@acme.example>" for k in range(limits.INTERVIEWERS + 1))
    path = tmp_path / "panel.csv"
    path.write_text(
        f'company,role,start,tz,interviewers\nAcme,Dev,2026-11-10T10:00Z,UTC,"{panel}"\n'
    )
    _refused(run, home, path, "line 2: 11 interviewers: at most 10")


@pytest.mark.parametrize("value", [10**30, limits.ID_MAX + 1, 0, -1])
@pytest.mark.parametrize(
    "where", ["application", "interview", "interviewer", "note", "note's interviewer"]
)
def test_an_id_outside_a_row_ids_range_is_refused_naming_where(
    run: Run, home: Path, tmp_path: Path, value: int, where: str
) -> None:
    """10**30 as an application's or interviewer's id was an internal error (OverflowError,
    exit 1); as a note's, taken silently."""
    path = _file(tmp_path, [_person(1)], notes=[_note(1)])
    doc = json.loads(path.read_text())
    app = doc["applications"][0]
    interview = app["interviews"][0]
    item, key, says = {
        "application": (app, "id", "applications[0]: id"),
        "interview": (interview, "id", "applications[0].interviews[0]: id"),
        "interviewer": (interview["interviewers"][0], "id", "interviewers[0]: id"),
        "note": (interview["notes"][0], "id", "notes[0]: id"),
        "note's interviewer": (interview["notes"][0], "interviewer_id", "notes[0]: interviewer_id"),
    }[where]
    item[key] = value
    path.write_text(json.dumps(doc))
    _refused(run, home, path, f"{says}: must be a whole number from 1 to {limits.ID_MAX}")


def test_a_number_of_more_than_4300_digits_is_said_in_our_words(
    run: Run, home: Path, tmp_path: Path
) -> None:
    path = _file(tmp_path, [_person(1)])
    path.write_text(
        path.read_text()
        .replace('"round"', '"x"')
        .replace('"id": 1,', '"id": ' + "9" * 5_000 + ",", 1)
    )
    err = _refused(run, home, path, "crafted.json: the value at line 1 column ")
    assert "more than 4,300 digits: not a number we read" in err
    assert "set_int_max_str_digits" not in err


@pytest.mark.parametrize("refused", ["interviewer", "interview"])
def test_a_note_naming_a_refused_interviewer_adds_no_misleading_line(
    run: Run, home: Path, tmp_path: Path, refused: str
) -> None:
    """Notes naming an interviewer who was refused were said to name "no interviewer in
    the file": only the refusal is said."""
    people = [_person(1), _person(3, tz="Mars/Olympus" if refused == "interviewer" else "UTC")]
    path = _file(tmp_path, people, notes=[_note(3)])
    doc = json.loads(path.read_text())
    first = doc["applications"][0]["interviews"][0]
    if refused == "interview":
        first["tz"] = "Mars/Olympus"
        # and a second round's note names the refused round's interviewer
        second = {**first, "id": 2, "tz": "UTC", "start_at": "2026-10-08T09:00:00Z",
                  "interviewers": [_person(4)], "notes": [_note(3)]}  # fmt: skip
        doc["applications"][0]["interviews"].append(second)
    path.write_text(json.dumps(doc))
    err = _refused(run, home, path, "1 bad item, nothing imported")
    assert "Mars/Olympus" in err
    assert "is no interviewer in the file" not in err


def test_a_pending_notes_message_id_is_left_out_of_an_export_and_dropped_with_a_warning(
    run: Run, tmp_path: Path
) -> None:
    """docs/security.md said so; a pending draft's Message-ID was exported, and dropped on
    import without a word."""
    ok(run("add", "--company", "Acme", "--role", "Dev", "--at", "2026-11-24T10:00Z",
           "--interviewer", "Ada Lovelace <ada@acme.example>"))  # fmt: skip
    ok(run("draft", "1"))
    shown = ok(run("show", "1", "--json")).json
    pending = [n for n in shown["notes"] if n["state"] == "pending"]
    assert pending and all(n["message_id"] for n in pending)  # drafted: it has one here
    out = tmp_path / "export.json"
    ok(run("export", "--format", "json", "-o", str(out)))
    doc = json.loads(out.read_text())
    notes = _interview(doc)["notes"]
    assert [n["message_id"] for n in notes if n["state"] == "pending"] == [None] * len(pending)
    # a file that has one anyway (an older export): dropped, and said
    notes[0].update(state="pending", message_id="<kept-elsewhere@acme.example>")
    out.write_text(json.dumps(doc))
    r = ok(run("--home", str(tmp_path / "other"), "import", str(out)))
    assert "notes[0]: not imported: message_id" in r.err


def test_a_note_sent_in_the_future_is_refused_as_sent_at_refuses_it(
    run: Run, home: Path, tmp_path: Path
) -> None:
    """`sent --at` refuses the future; a crafted file's note "sent" in 2099 was imported, its
    follow-up then due in 2100. A day's leeway is left for the exporting machine's clock."""
    future = _file(tmp_path, [_person(1)], notes=[_note(1, sent_at="2099-01-01T09:00:00Z")])
    _refused(run, home, future, "sent_at 2099-01-01T09:00:00Z: a note cannot have been sent")
    soon = "2026-11-26T09:00:00Z"  # NOW is 2026-11-25T12:00Z: within the day's leeway
    ok(run("import", str(_file(tmp_path, [_person(1)], notes=[_note(1, sent_at=soon)]))))
