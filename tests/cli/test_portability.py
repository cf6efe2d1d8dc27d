"""export, import, backup and restore through the real entry point, on real files."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from followup.app.errors import ExitCode
from tests.conftest import Run

# --- helpers -----------------------------------------------------------------------------


def ok(result: Any) -> Any:
    assert result.code == 0, result.err
    return result


def seed(run: Run) -> None:
    """A realistic history: a panel with a sent thank-you, a later round, a reply, a cancel."""
    ok(run(
        "add", "--company", "Acme", "--role", "Backend Engineer",
        "--at", "2026-11-16T14:00", "--tz", "Europe/Berlin", "--country", "DE",
        "--interviewer", "Ada Lovelace <ada@acme.example>", "--interviewer", "Bob",
        "--topic", "billing; the rewrite", "--topic", "on-call", "--skill", "PostgreSQL",
        "--culture", "corporate",
    ))  # fmt: skip
    ok(run("sent", "1", "--at", "2026-11-19T10:00"))
    ok(run("add", "--application", "1", "--at", "2026-11-30T10:00",
           "--interviewer", "Carol <carol@acme.example>"))  # fmt: skip
    ok(run("add", "--company", "Beta, Inc.", "--role", "SRE", "--at", "2026-11-10T09:00Z",
           "--tz", "America/New_York", "--culture", "startup"))  # fmt: skip
    ok(run("replied", "3", "--at", "2026-11-20T08:00:00Z"))
    ok(run("add", "--company", "Gamma", "--role", "Dev", "--at", "2026-11-20T09:00Z"))
    ok(run("cancel", "4"))
    ok(run("expect", "2", "--by", "2026-12-04"))


def interviews(run: Run, *home: str) -> list[dict[str, Any]]:
    return ok(run(*home, "list", "--json")).json  # type: ignore[no-any-return]


def normalized(doc: dict[str, Any]) -> dict[str, Any]:
    """The export without exported_at and with every id replaced by its position."""
    people: dict[int, str] = {}
    for a, app in enumerate(doc["applications"]):
        for i, interview in enumerate(app["interviews"]):
            for p, person in enumerate(interview["interviewers"]):
                people[person["id"]] = f"{a}.{i}.{p}"

    def strip(value: Any) -> Any:
        if isinstance(value, list):
            return [strip(v) for v in value]
        if isinstance(value, dict):
            out = {k: strip(v) for k, v in value.items() if k != "id"}
            if out.get("interviewer_id") is not None:
                out["interviewer_id"] = people[value["interviewer_id"]]
            return out
        return value

    return strip({k: v for k, v in doc.items() if k != "exported_at"})


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return path


# --- export ------------------------------------------------------------------------------


def test_json_export_nests_everything_under_its_application(run: Run) -> None:
    seed(run)
    doc = ok(run("export")).json
    assert (doc["format"], doc["version"], doc["exported_at"]) == (
        "followup-export",
        1,
        "2026-11-25T12:00:00Z",
    )
    acme = doc["applications"][0]
    assert (acme["company"], acme["country"], acme["culture"]) == ("Acme", "DE", "corporate")
    first, second = acme["interviews"]
    assert (first["round"], first["status"], second["round"]) == (1, "advanced", 2)
    assert [p["email"] for p in first["interviewers"]] == ["ada@acme.example", None]
    sent = [n for n in first["notes"] if n["state"] == "sent"]
    assert [(n["kind"], n["sent_at"]) for n in sent] == [("thank-you", "2026-11-19T09:00:00Z")] * 2
    assert {n["interviewer_id"] for n in sent} == {p["id"] for p in first["interviewers"]}
    assert [d["topic"] for d in first["debriefs"]] == ["billing; the rewrite", "on-call"]
    assert second["expect_by"] == "2026-12-04"
    beta = doc["applications"][1]["interviews"][0]
    assert [m["classification"] for m in beta["inbound"]] == ["human"]


def test_export_to_a_file_says_what_it_wrote(run: Run, tmp_path: Path) -> None:
    seed(run)
    target = tmp_path / "all.json"
    r = ok(run("export", "--output", str(target)))
    assert r.out == f"Exported 3 applications, 4 interviews to {target} (json).\n"
    assert json.loads(target.read_text())["format"] == "followup-export"
    info = ok(run("export", "-o", str(tmp_path / "all.csv"), "--json")).json
    assert info == {
        "file": str(tmp_path / "all.csv"),
        "format": "csv",
        "applications": 3,
        "interviews": 4,
    }
    assert (tmp_path / "all.csv").read_text().startswith("interview_id,application_id,company")
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["all.csv", "all.json"]


def test_csv_export_has_one_row_per_interview(run: Run) -> None:
    seed(run)
    rows = list(csv.DictReader(io.StringIO(ok(run("export", "--format", "csv")).out)))
    assert [r["company"] for r in rows] == ["Acme", "Acme", "Beta, Inc.", "Gamma"]
    first, second = rows[0], rows[1]
    assert first["interviewers"] == "Ada Lovelace <ada@acme.example>; Bob"
    assert first["topics"] == '"billing; the rewrite"; on-call'
    assert (first["start"], first["status"]) == ("2026-11-16T13:00:00Z", "advanced")
    assert first["thank_you_sent_at"] == "2026-11-19T09:00:00Z"
    assert (first["follow_up_sent_at"], first["next_step"]) == ("", "")
    assert (second["round"], second["status"], second["next_kind"]) == ("2", "waiting", "thank-you")
    agenda = ok(run("agenda", "--json")).json
    assert second["next_due_at"] == agenda[0]["due_at"]
    assert [r["status"] for r in rows[2:]] == ["replied", "cancelled"]


def test_csv_export_defuses_spreadsheet_formulas_and_import_restores_them(
    run: Run, tmp_path: Path
) -> None:
    ok(run("add", "--company", "=HYPERLINK(\"http://evil\")", "--role", "-Dev",
           "--at", "2026-11-20T10:00Z"))  # fmt: skip
    out = tmp_path / "x.csv"
    ok(run("export", "-o", str(out)))
    row = next(csv.DictReader(out.open(newline="")))
    assert row["company"] == '\'=HYPERLINK("http://evil")'
    assert row["role"] == "'-Dev"
    ok(run("--home", str(tmp_path / "other"), "import", str(out)))
    [imported] = interviews(run, "--home", str(tmp_path / "other"))
    assert (imported["company"], imported["role"]) == ('=HYPERLINK("http://evil")', "-Dev")


# --- round trips -------------------------------------------------------------------------


def test_json_round_trip_into_an_empty_home_reproduces_the_data(
    run: Run, home: Path, tmp_path: Path
) -> None:
    seed(run)
    # columns no command sets yet must survive too
    with sqlite3.connect(home / "followup.db") as db:
        db.execute(
            "UPDATE notes SET message_id = '<t1@x>', subject = 'Thanks', body = 'Hi Ada'"
            " WHERE id = 1"
        )
        db.execute("UPDATE applications SET tone = 'casual', domains = 'acme.example' WHERE id = 1")
        db.execute(
            "INSERT INTO inbound_messages (interview_id, message_id, from_addr, subject,"
            " received_at, classification, source, created_at) VALUES (NULL, '<z@y>',"
            " 'noreply@y.example', 'Out of office', '2026-11-21T08:00:00Z', 'auto-reply',"
            " 'imap', '2026-11-21T08:01:00Z')"
        )
        db.execute(
            "INSERT INTO debriefs (interview_id, interviewer_id, topic, skill, note,"
            " promised_by, created_at) VALUES (1, 1, 'system design', NULL, 'went well',"
            " '2026-12-01', '2026-11-16T16:00:00Z')"
        )
    exported = tmp_path / "export.json"
    ok(run("export", "-o", str(exported)))
    fresh = ("--home", str(tmp_path / "fresh"))
    r = ok(run(*fresh, "import", str(exported), "--json")).json
    assert [i["id"] for i in r["interviews"]] == [1, 2, 3, 4]
    again = ok(run(*fresh, "export")).json
    for app in again["applications"]:  # the history came along, and says it was imported
        for interview in app["interviews"]:
            assert interview["history"].pop()["summary"] == "imported from export.json"
    assert normalized(again) == normalized(json.loads(exported.read_text()))
    assert again["unlinked_inbound"][0]["subject"] == "Out of office"
    # the agenda (which reads the planner's stored next steps) is the same too
    assert ok(run(*fresh, "agenda", "--json")).json == ok(run("agenda", "--json")).json


def _export_as_one_document(db: Path) -> str:
    """The JSON export as it was made before it streamed: every table read into lists,
    grouped, and one json.dumps of the whole document (the reference the stream must match
    byte for byte)."""
    from followup.adapters.store.sqlite import SqliteStore
    from followup.app.views import iso

    store = SqliteStore(db)
    try:
        rows = store.export_rows()
        events = store.all_events()
    finally:
        store.close()
    tables = {t: [r._asdict() for r in records] for t, records in rows._asdict().items()}
    children = {"interviewers": "interviewers", "notes": "notes",
                "inbound_messages": "inbound", "debriefs": "debriefs"}  # fmt: skip

    def group(items: list[dict[str, Any]], key: str) -> dict[Any, list[dict[str, Any]]]:
        out: dict[Any, list[dict[str, Any]]] = {}
        for item in items:
            out.setdefault(item[key], []).append(item)
        return out

    def without(row: dict[str, Any], key: str) -> dict[str, Any]:
        return {k: v for k, v in row.items() if k != key}

    history = group([e._asdict() for e in events], "interview_id")
    by_interview = {t: group(tables[t], "interview_id") for t in children}
    by_application = group(tables["interviews"], "application_id")

    def interview_doc(row: dict[str, Any]) -> dict[str, Any]:
        doc = without(row, "application_id")
        for table, key in children.items():
            doc[key] = [without(r, "interview_id") for r in by_interview[table].get(row["id"], [])]
        doc["history"] = [
            {"at": iso(e["at"]), "source": e["source"], "kind": e["kind"],
             "summary": e["summary"], "undone": e["undone_by"] is not None}
            for e in history.get(row["id"], [])
        ]  # fmt: skip
        return doc

    doc = {
        "format": "followup-export",
        "version": 1,
        "exported_at": "2026-11-25T12:00:00Z",
        "applications": [
            {**a, "interviews": [interview_doc(i) for i in by_application.get(a["id"], [])]}
            for a in tables["applications"]
        ],
        "unlinked_inbound": [
            without(r, "interview_id")
            for r in tables["inbound_messages"]
            if r["interview_id"] is None
        ],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def varied_home(run: Run, home: Path) -> None:
    """`seed`, then 150 interviews with every kind of row, later rounds added after other
    applications (ids out of application order), strings JSON and CSV must escape."""
    seed(run)
    odd = 'Zoë "Q" \\ O\'Brien\n\ttab \u2028 \u0085 \x1f — 東京 🙂'
    typed = odd.replace("\u0085", "").replace("\x1f", "")  # controls: refused by `add` now
    for k in range(150):
        company = f"Odd {k}" if k % 7 == 0 else f"Firm {k}"  # (odd below: `add` refuses it)
        ok(run("add", "--company", company, "--role", f"Role {k}", "--at",
               f"2026-10-{1 + k % 28:02d}T{8 + k % 9:02d}:00Z", "--interviewer",
               f"Person {k} <p{k}@firm{k}.example>", "--interviewer", "Zoë Ünal",
               "--topic", f"topic {k}; {typed}", "--skill", "SQL"))  # fmt: skip
        if k % 3 == 0:
            ok(run("sent", str(5 + k), "--at",
                   "2026-11-20T10:00Z"))  # fmt: skip
    for app in (2, 1, 5, 9, 3):  # later rounds of earlier applications: ids out of order
        ok(run("add", "--application", str(app), "--at", "2026-11-26T10:00Z"))
    ok(run("undo", "4"))  # the cancel taken back: an undone entry in the history
    with sqlite3.connect(home / "followup.db") as db:
        # a company no Subject can carry, as kept before `add` refused it
        db.execute("UPDATE applications SET company = ? WHERE company LIKE 'Odd %'", (odd,))
        db.execute(
            "INSERT INTO inbound_messages (interview_id, message_id, from_addr, subject,"
            " received_at, classification, source, created_at) VALUES (NULL, '<u@x>',"
            " 'x@y.example', ?, '2026-11-21T08:00:00Z', 'bounce', 'imap',"
            " '2026-11-21T08:01:00Z')",
            (odd,),
        )
        db.execute(
            "INSERT INTO debriefs (interview_id, interviewer_id, topic, skill, note,"
            " promised_by, created_at) VALUES (3, NULL, ?, NULL, ?, NULL,"
            " '2026-11-16T16:00:00Z')",
            (odd, odd),
        )


def test_the_streamed_json_export_is_byte_for_byte_the_whole_document(
    run: Run, home: Path, tmp_path: Path
) -> None:
    """The export, now written row by row from cursors, is the text one json.dumps of the
    whole document gave."""
    varied_home(run, home)
    exported = tmp_path / "export.json"
    ok(run("export", "-o", str(exported)))
    expected = _export_as_one_document(home / "followup.db")
    assert exported.read_text(encoding="utf-8") == expected
    assert ok(run("export")).out == expected  # stdout too
    doc = json.loads(expected)
    assert sum(len(a["interviews"]) for a in doc["applications"]) == 159
    assert any(i["history"] for a in doc["applications"] for i in a["interviews"])
    history = [e for a in doc["applications"] for i in a["interviews"] for e in i["history"]]
    assert {e["undone"] for e in history} == {True, False}  # the undone entry says so
    later = [i["id"] for a in doc["applications"] for i in a["interviews"]]
    assert later != sorted(later)  # the nesting, not the id order, decides


def test_the_streamed_csv_export_agrees_with_the_json_one(run: Run, home: Path) -> None:
    """The CSV, now written from the same cursors as the JSON: one row per interview, by
    application and then round, each row's sent times, next note and people as the JSON
    export's rows say."""
    varied_home(run, home)
    doc = ok(run("export")).json
    rows = list(csv.DictReader(io.StringIO(ok(run("export", "--format", "csv")).out)))
    expected = []
    for app in doc["applications"]:
        for interview in sorted(app["interviews"], key=lambda i: i["round"]):
            notes = interview["notes"]
            pending = [n for n in notes if n["state"] == "pending"]
            upcoming = min(pending, key=lambda n: (n["due_at"], n["step"]), default=None)
            sent = {n["kind"]: n["sent_at"] for n in notes if n["state"] == "sent"}
            expected.append(
                {
                    "interview_id": str(interview["id"]),
                    "company": app["company"],
                    "interviewers": "; ".join(p["name"] for p in interview["interviewers"]),
                    "next_due_at": upcoming["due_at"] if upcoming else "",
                    "thank_you_sent_at": sent.get("thank-you", ""),
                    "skill": next((d["skill"] for d in interview["debriefs"] if d["skill"]), ""),
                }
            )
    got = [
        {
            "interview_id": r["interview_id"],
            "company": r["company"],
            "interviewers": "; ".join(
                re.sub(r" <[^>]*>$", "", item).strip('"')
                for item in r["interviewers"].split("; ")
                if item
            ),
            "next_due_at": r["next_due_at"],
            "thank_you_sent_at": r["thank_you_sent_at"],
            "skill": r["skill"],
        }
        for r in rows
    ]
    assert len(got) == 159
    assert got == expected
    assert [r["round"] for r in rows if r["application_id"] == "2"] == ["1", "2"]


def test_json_import_into_a_home_with_data_adds_fresh_ids(run: Run, tmp_path: Path) -> None:
    seed(run)
    exported = tmp_path / "export.json"
    ok(run("export", "-o", str(exported)))
    # another home's data: the same jobs, other times (the same ones: test_the_same_json_…)
    with sqlite3.connect(tmp_path / "home" / "followup.db") as db:
        db.execute("UPDATE interviews SET start_at = replace(start_at, '2026-11', '2026-10')")
    before = interviews(run)
    r = ok(run("import", str(exported)))
    assert r.out.splitlines() == [
        f"Imported 3 applications, 4 interviews from {exported}.",
        "New interview ids: 5–8",
    ]
    after = interviews(run)
    assert len(after) == 8
    assert [i for i in after if i["id"] <= 4] == before  # the old ones are untouched
    shown = ok(run("show", "6", "--json")).json
    assert (shown["company"], shown["round"], shown["application_id"]) == ("Acme", 2, 4)


def test_the_same_json_imported_twice_is_refused_naming_each_interview_again(
    run: Run, tmp_path: Path
) -> None:
    # a cold trial: only a few inbound Message-IDs refused it; without those interviews
    # every interview came in twice, and every due note twice in the agenda
    seed(run)
    exported = tmp_path / "export.json"
    ok(run("export", "-o", str(exported)))
    doc = json.loads(exported.read_text())
    for app in doc["applications"]:
        for interview in app["interviews"]:
            interview["inbound"] = []
    doc["applications"][1]["company"] = "  beta,  INC. "  # case and spaces aside
    exported.write_text(json.dumps(doc))
    agenda = ok(run("agenda", "--json")).out
    r = run("import", str(exported))
    assert r.code == ExitCode.INVALID
    assert r.err.splitlines()[1:] == [
        f"  applications[{a}].interviews[{i}]: interview {n} is this one already (same"
        f" company, role and start, {when}), from before this import: was this file"
        " imported before?"
        for a, i, n, when in (
            (0, 0, 1, "Mon 16 Nov 2026 14:00 CET"),
            (0, 1, 2, "Mon 30 Nov 2026 10:00 CET"),
            (1, 0, 3, "Tue 10 Nov 2026 04:00 EST"),
            (2, 0, 4, "Fri 20 Nov 2026 10:00 CET"),  # cancelled: still this one
        )
    ]
    assert len(interviews(run)) == 4
    assert ok(run("agenda", "--json")).out == agenda


def test_a_large_import_summarises_its_new_ids_and_json_lists_every_one(
    run: Run, tmp_path: Path
) -> None:
    # 50,000 ids were one line of 340 KB: runs of consecutive ids instead
    rows = [["company", "role", "start"]]
    rows += [[f"Co {k}", "Engineer", "2026-11-02T10:00:00Z"] for k in range(300)]
    path = write_csv(tmp_path / "many.csv", rows)
    r = ok(run("import", str(path)))
    assert r.out.splitlines() == [
        f"Imported 300 applications, 300 interviews from {path}.",
        "New interview ids: 1–300",
    ]
    one = write_csv(tmp_path / "one.csv", [rows[0], ["Solo", "Engineer", "2026-11-02T10:00:00Z"]])
    assert ok(run("import", str(one))).out.splitlines()[1] == "New interview id: 301"
    other = write_csv(tmp_path / "other.csv", [rows[0], *([c, "Lead", s] for c, _, s in rows[1:])])
    again = ok(run("import", str(other), "--json")).json
    assert [i["id"] for i in again["interviews"]] == list(range(302, 602))


def test_new_ids_are_shown_as_runs_then_counted() -> None:
    from followup.cli.portability import id_ranges

    assert id_ranges([1, 3, 5, 6, 7, 9]) == "1, 3, 5–7, 9"
    gaps = list(range(0, 40, 2)) + list(range(100, 200))
    assert id_ranges(gaps) == (
        "0, 2, 4, 6, 8, 10, 12, 14, 16, 18 and 110 more (--json lists every id)"
    )


def test_json_import_refuses_a_message_id_already_in_the_database(
    run: Run, home: Path, tmp_path: Path
) -> None:
    seed(run)
    with sqlite3.connect(home / "followup.db") as db:
        db.execute("UPDATE notes SET message_id = '<t1@x>' WHERE id = 1")
    exported = tmp_path / "export.json"
    ok(run("export", "-o", str(exported)))
    r = run("import", str(exported))
    assert r.code == ExitCode.INVALID
    assert "message_id '<t1@x>' is already in this database" in r.err
    assert len(interviews(run)) == 4


def test_csv_round_trip(run: Run, tmp_path: Path) -> None:
    seed(run)
    first = tmp_path / "a.csv"
    ok(run("export", "-o", str(first)))
    fresh = ("--home", str(tmp_path / "fresh"))
    ok(run(*fresh, "import", str(first)))
    second = tmp_path / "b.csv"
    ok(run(*fresh, "export", "-o", str(second)))
    assert second.read_text() == first.read_text()


def test_a_panel_thanked_in_part_keeps_the_others_thank_you_through_csv(
    run: Run, tmp_path: Path
) -> None:
    # a cold trial: both thank-yous came back sent; the other person was never thanked and
    # the follow-up was planned
    panel = ("--interviewer", "Ada <ada@acme.example>", "--interviewer", "Bob <bob@acme.example>")
    ok(run("add", "--company", "Acme", "--role", "Dev", "--at", "2026-11-16T14:00", *panel))
    ok(run("sent", "1", "--interviewer", "ada@acme.example", "--at", "2026-11-19T10:00"))
    sheet = tmp_path / "panel.csv"
    ok(run("export", "-o", str(sheet)))
    with sheet.open(newline="") as f:
        [row] = list(csv.DictReader(f))
    assert (row["thank_you_sent_at"], row["next_step_sent_to"]) == (
        "",  # not everyone's went
        "Ada <ada@acme.example> 2026-11-19T09:00:00Z",
    )
    fresh = ("--home", str(tmp_path / "fresh"))
    ok(run(*fresh, "import", str(sheet)))
    notes = ok(run(*fresh, "show", "1", "--json")).json["notes"]
    assert [(n["kind"], n["state"], n["sent_at"]) for n in notes] == [
        ("thank-you", "sent", "2026-11-19T09:00:00Z"),  # Ada's, once
        ("thank-you", "pending", None),  # Bob's, still owed
    ]
    [due] = ok(run(*fresh, "agenda", "--json")).json
    assert (due["kind"], due["recipients"]) == ("thank-you", ["Bob"])
    again = tmp_path / "again.csv"
    ok(run(*fresh, "export", "-o", str(again)))
    assert again.read_text() == sheet.read_text()
    # a person the row does not have, or a time before the interview, is said
    header = ["company", "role", "start", "interviewers", "next_step_sent_to"]
    cells = ["2026-11-16T13:00:00Z", "Ada <ada@x.example>; Bob"]
    bad = write_csv(tmp_path / "bad.csv", [
        header,
        ["X", "Y", *cells, "Cy <cy@x.example> 2026-11-19T09:00:00Z"],
        ["X", "Z", *cells, "Bob 2026-11-16T13:30:00Z"],
    ])  # fmt: skip
    r = run(*fresh, "import", str(bad))
    assert r.code == ExitCode.INVALID
    assert "line 2: next_step_sent_to: 'Cy <cy@x.example> 2026-11-19T09:00:00Z' is none of" in r.err
    assert "line 3: next_step_sent_to: Bob's 2026-11-16T13:30:00Z is before the interview" in r.err
    # one with no address, by their name
    good = write_csv(
        tmp_path / "good.csv", [header, ["X", "Y", *cells, "bob 2026-11-19T09:00:00Z"]]
    )
    [new] = ok(run(*fresh, "import", str(good), "--json")).json["interviews"]
    shown = ok(run(*fresh, "show", str(new["id"]), "--json")).json
    names = {p["id"]: p["name"] for p in shown["interviewers"]}
    assert [(names[n["interviewer_id"]], n["state"]) for n in shown["notes"]] == [
        ("Ada", "pending"),
        ("Bob", "sent"),
    ]


def test_a_snooze_survives_csv_as_its_next_due_at(run: Run, tmp_path: Path) -> None:
    # a cold trial: snoozed to Mon 23 Nov, the CSV said so, and after the import the
    # follow-up was due Mon 16 Nov, "overdue: send now"
    now = "2026-11-17T12:00:00Z"
    ok(run("add", "--company", "Acme", "--role", "Dev", "--at", "2026-11-05T14:00",
           "--interviewer", "Ada <ada@acme.example>"))  # fmt: skip
    ok(run("sent", "1", "--at", "2026-11-09T10:00", now=now))
    ok(run("snooze", "1", "--for", "week", now=now))
    sheet = tmp_path / "snoozed.csv"
    ok(run("export", "-o", str(sheet), now=now))
    with sheet.open(newline="") as f:
        [row] = list(csv.DictReader(f))
    assert (row["next_kind"], row["next_due_at"]) == ("follow-up", "2026-11-23T08:00:00Z")
    fresh = ("--home", str(tmp_path / "fresh"))
    ok(run(*fresh, "import", str(sheet), now=now))
    [due] = ok(run(*fresh, "agenda", "--json", now=now)).json
    assert (due["kind"], due["due_at"], due["state"]) == (
        "follow-up",
        "2026-11-23T08:00:00Z",
        "upcoming",
    )
    again = tmp_path / "again.csv"
    ok(run(*fresh, "export", "-o", str(again), now=now))
    assert again.read_text() == sheet.read_text()
    # a next_due_at sooner than the cadence allows changes nothing: the rules stay the floor
    rows = [list(row), [*row.values()]]
    rows[1][list(row).index("next_due_at")] = "2026-11-10T08:00:00Z"
    rows[1][list(row).index("role")] = "Ops"
    ok(run(*fresh, "import", str(write_csv(tmp_path / "soon.csv", rows)), now=now))
    dues = ok(run(*fresh, "agenda", "--json", now=now)).json
    assert sorted(d["due_at"] for d in dues) == ["2026-11-16T09:00:00Z", "2026-11-23T08:00:00Z"]


SAME = ["Acme", "Dev", "2026-11-02T10:00:00Z"]


def test_csv_rows_at_one_company_role_and_start_are_distinct_interviews(
    run: Run, tmp_path: Path
) -> None:
    # an export of a home whose old data holds such rows was refused, naming an interview
    # id ("interview 49665 is this one already") that the refused import never kept
    header = ["application_id", "company", "role", "start", "round"]
    path = write_csv(
        tmp_path / "same.csv",
        [header, ["1", *SAME, "1"], ["2", *SAME, "1"], ["2", *SAME, "2"], ["3", "Beta", *SAME[1:]]],
    )
    r = ok(run("import", str(path)))
    assert r.out.splitlines()[0] == f"Imported 3 applications, 4 interviews from {path}."
    rows = interviews(run)
    assert sorted((i["company"], i["round"]) for i in rows) == [
        ("Acme", 1),
        ("Acme", 1),
        ("Acme", 2),
        ("Beta", 1),
    ]
    # what was here before the import is another matter: the file imported twice
    again = run("import", str(path))
    assert again.code == ExitCode.INVALID
    named = re.search(
        r"line 2: interview (\d+) is this one already \(same company, role", again.err
    )
    assert named and int(named[1]) in {i["id"] for i in rows if i["company"] == "Acme"}
    assert "from before this import: was this file imported before?" in again.err
    assert len(interviews(run)) == 4


def test_a_csv_row_for_an_interview_since_cancelled_is_that_interview_again(
    run: Run, tmp_path: Path
) -> None:
    # a cold trial: `cancel 4`, then a CSV holding its row made a new waiting interview
    # and a fading thank-you; a closed or replied one already counted
    seed(run)
    ok(run("add", "--company", "Delta", "--role", "QA", "--at", "2026-11-21T09:00Z"))
    sheet = tmp_path / "before.csv"
    ok(run("export", "-o", str(sheet)))
    ok(run("cancel", "5"))
    with sheet.open(newline="") as f:
        header, *rows = list(csv.reader(f))
    delta = [r for r in rows if r[2] in ("Delta", "Gamma")]  # waiting then; cancelled now
    path = write_csv(tmp_path / "again.csv", [header, *delta])
    agenda = ok(run("agenda", "--json")).out
    r = run("import", str(path))
    assert r.code == ExitCode.INVALID
    assert re.findall(r"line \d: interview (\d+) is this one already", r.err) == ["4", "5"]
    assert len(interviews(run)) == 5
    assert ok(run("agenda", "--json")).out == agenda


def test_csv_export_import_export_of_a_generated_home_is_identical_ids_aside(
    run: Run, home: Path, tmp_path: Path
) -> None:
    from datetime import datetime

    from tests.conftest import NOW

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    try:
        import generate
    finally:
        sys.path.pop(0)
    generate.generate(home, 300, 1, datetime.fromisoformat(NOW), 1000, quiet=True)
    same = [["company", "role", "start"], SAME, SAME, SAME]  # old data: one moment thrice
    ok(run("import", str(write_csv(tmp_path / "same.csv", same))))
    first = tmp_path / "a.csv"
    ok(run("export", "--format", "csv", "-o", str(first)))
    fresh = ("--home", str(tmp_path / "fresh"))
    ok(run(*fresh, "import", str(first)))
    second = tmp_path / "b.csv"
    ok(run(*fresh, "export", "--format", "csv", "-o", str(second)))

    def rows(path: Path) -> list[dict[str, str]]:
        with path.open(newline="") as f:
            return [
                {k: v for k, v in row.items() if k not in ("interview_id", "application_id")}
                for row in csv.DictReader(f)
            ]

    before, after = rows(first), rows(second)
    assert len(before) == 303
    assert sum(r["company"] == "Acme" and r["start"] == SAME[2] for r in before) == 3
    # a later round's empty skill or panel stayed empty (it took the previous round's)
    assert sorted(map(str, after)) == sorted(map(str, before))


def test_csv_import_plans_notes_like_add_and_sent(run: Run, tmp_path: Path) -> None:
    """A row with a sent thank-you ends with the follow-up the planner gives by hand."""
    by_hand = ("--home", str(tmp_path / "by-hand"))
    ok(run(*by_hand, "add", "--company", "Acme", "--role", "Dev", "--tz", "Asia/Tokyo",
           "--at", "2026-11-16T10:00", "--interviewer", "Kenji <kenji@acme.example>"))  # fmt: skip
    ok(run(*by_hand, "sent", "1", "--at", "2026-11-18T11:00:00Z"))
    sheet = write_csv(tmp_path / "in.csv", [
        ["company", "role", "tz", "start", "interviewers", "thank_you_sent_at"],
        ["Acme", "Dev", "Asia/Tokyo", "2026-11-16T10:00", "Kenji <kenji@acme.example>",
         "2026-11-18T20:00"],  # Tokyo local = 11:00Z
    ])  # fmt: skip
    ok(run("import", str(sheet)))
    planned = ok(run("agenda", "--json")).json
    assert planned == ok(run(*by_hand, "agenda", "--json")).json
    assert (planned[0]["kind"], planned[0]["recipients"]) == ("follow-up", ["Kenji"])


def test_trackers_outcome_words_are_read(run: Run, tmp_path: Path) -> None:
    """A second cold trial's tracker sheet said "Offer Received": refused as no status."""
    sheet = write_csv(tmp_path / "tracker.csv", [
        ["Company", "Job Title", "Interview Date", "Status"],
        ["A", "Dev", "2026-11-16T10:00Z", "Offer Received"],
        ["B", "Dev", "2026-11-16T10:00Z", "Offer accepted"],
        ["C", "Dev", "2026-11-16T10:00Z", "Not moving forward"],
        ["D", "Dev", "2026-11-16T10:00Z", "Position Closed"],
    ])  # fmt: skip
    ok(run("import", str(sheet)))
    status = {i["company"]: i["status"] for i in interviews(run)}
    assert status == {"A": "offer", "B": "offer", "C": "rejected", "D": "role-closed"}


def test_csv_rows_end_in_their_status(run: Run, tmp_path: Path) -> None:
    sheet = write_csv(tmp_path / "s.csv", [
        ["Company", "Role", "Start", "Status", "Round", "Application ID"],
        ["A", "Dev", "2026-11-16T10:00Z", "Rejected", "", ""],
        ["B", "Dev", "2026-11-16T10:00Z", "cancelled", "", ""],
        ["C", "Dev", "2026-11-10T10:00Z", "advanced", "1", "7"],
        ["C", "Dev", "2026-11-20T10:00Z", "waiting", "2", "7"],
        ["D", "Dev", "2026-11-16T10:00Z", "Offer", "", ""],
        ["E", "Dev", "2026-11-16T10:00Z", "position filled", "", ""],
    ])  # fmt: skip
    ok(run("import", str(sheet)))
    status = {(i["company"], i["round"]): i["status"] for i in interviews(run)}
    assert status == {
        ("A", 1): "rejected",
        ("D", 1): "offer",
        ("E", 1): "role-closed",
        ("B", 1): "cancelled",
        ("C", 1): "advanced",
        ("C", 2): "waiting",
    }


# --- tracker CSVs ------------------------------------------------------------------------


def test_a_job_trackers_csv_imports_through_its_header_names(run: Run, tmp_path: Path) -> None:
    sheet = write_csv(tmp_path / "tracker.csv", [
        ["Company", "Job Title", "Interview Date", "Contact Email", "Salary"],
        ["Acme", "Platform Engineer", "2026-11-20 14:00", "Jane.Doe@Acme.example", "100k"],
        ["Initech", "Developer", "2026-11-23T09:30", "", ""],
    ])  # fmt: skip
    r = ok(run("import", str(sheet), "--json"))
    assert [i["line"] for i in r.json["interviews"]] == [2, 3]
    assert "ignored columns: 'Salary'" in r.err
    rows = {i["company"]: i for i in interviews(run)}
    assert rows["Acme"]["role"] == "Platform Engineer"
    assert rows["Acme"]["start"] == "2026-11-20T13:00:00Z"  # naive: read in the user's zone
    assert rows["Acme"]["tz"] == "Europe/Berlin"
    shown = ok(run("show", str(rows["Acme"]["id"]), "--json")).json
    assert [(p["name"], p["email"]) for p in shown["interviewers"]] == [
        ("jane.doe", "jane.doe@acme.example")
    ]
    assert shown["notes"][0]["kind"] == "thank-you"


def test_other_headers_and_separators(run: Run, tmp_path: Path) -> None:
    sheet = tmp_path / "eu.csv"
    sheet.write_text(
        "Employer;Position;Date;Interviewer;Interviewer Email;Time Zone\n"
        "Umbrella;Analyst;2026-11-19T15:00;Alice Smith;alice@umbrella.example;Europe/London\n",
        encoding="utf-8-sig",  # Excel's BOM
    )
    ok(run("import", str(sheet)))
    [row] = interviews(run)
    assert (row["company"], row["role"], row["start"], row["tz"]) == (
        "Umbrella",
        "Analyst",
        "2026-11-19T15:00:00Z",
        "Europe/London",
    )
    person = ok(run("show", str(row["id"]), "--json")).json["interviewers"][0]
    assert (person["name"], person["email"]) == ("Alice Smith", "alice@umbrella.example")


def test_map_names_columns_the_aliases_do_not_know(run: Run, tmp_path: Path) -> None:
    sheet = write_csv(tmp_path / "odd.csv", [
        ["Firm", "Gig", "When exactly", "Stage"],
        ["Hooli", "SWE", "2026-11-18T16:00:00Z", "Phone screen"],
    ])  # fmt: skip
    missing = run("import", str(sheet))
    assert missing.code == ExitCode.INVALID
    assert "no column for company" in missing.err and "--map" in missing.err
    assert interviews(run) == []
    ok(run("import", str(sheet), "--map", "firm=company", "--map", "GIG=role",
           "--map", "When exactly=start", "--map", "Stage="))  # fmt: skip
    [row] = interviews(run)
    assert (row["company"], row["role"], row["start"]) == ("Hooli", "SWE", "2026-11-18T16:00:00Z")


@pytest.mark.parametrize(
    ("mapping", "says"),
    [
        ("Firm", "expected CSVCOLUMN=FIELD"),
        ("Firm=employer", "unknown field 'employer'"),
        ("Nope=company", "no column 'Nope'"),
    ],
)
def test_bad_map_is_one_clear_error(run: Run, tmp_path: Path, mapping: str, says: str) -> None:
    sheet = write_csv(tmp_path / "a.csv", [["Firm", "Role", "Start"], ["X", "Y", "2026-11-18"]])
    r = run("import", str(sheet), "--map", mapping)
    assert r.code == ExitCode.INVALID
    assert r.err.count("\n") == 1 and says in r.err
    assert interviews(run) == []


# --- all or nothing ----------------------------------------------------------------------


def test_bad_rows_among_good_ones_write_nothing_and_are_all_named(run: Run, tmp_path: Path) -> None:
    ok(run("add", "--company", "Existing", "--role", "Dev", "--at", "2026-11-20T10:00Z"))
    before = interviews(run)
    sheet = write_csv(tmp_path / "mixed.csv", [
        ["company", "role", "start", "country", "interviewers"],
        ["Good One", "Dev", "2026-11-18T10:00Z", "", ""],
        ["Bad Date", "Dev", "2026-02-30T10:00", "", ""],
        ["Good Two", "Dev", "2026-11-19T10:00Z", "DE", "Eve <eve@example.org>"],
        ["Bad Many", "Dev", "2026-11-19T10:00Z", "Germany", "a@x.example, b@x.example"],
    ])  # fmt: skip
    r = run("import", str(sheet))
    assert r.code == ExitCode.INVALID
    lines = r.err.splitlines()
    assert lines[0] == "followup: error: cannot import mixed.csv: 2 bad rows, nothing imported"
    assert lines[1].startswith("  line 3: start:") and "2026-02-30" in lines[1]
    assert lines[2].startswith("  line 5: country:") and "two-letter" in lines[2]
    assert "interviewers:" in lines[2] and "exactly one" in lines[2]
    assert len(lines) == 3
    assert interviews(run) == before


def test_an_error_found_while_writing_rolls_back_the_rows_before_it(
    run: Run, tmp_path: Path
) -> None:
    sheet = write_csv(tmp_path / "late.csv", [
        ["company", "role", "start", "status"],
        ["First", "Dev", "2026-11-18T10:00Z", ""],
        ["Second", "Dev", "2026-11-18T10:00Z", "closed"],  # no sent times: cannot be closed
    ])  # fmt: skip
    r = run("import", str(sheet))
    assert r.code == ExitCode.INVALID
    assert "line 3: status is closed but the row makes it waiting" in r.err
    assert "line 2" not in r.err
    assert interviews(run) == []
    assert ok(run("agenda", "--json")).json == []


def test_sent_times_are_checked_against_the_interview_and_the_clock(
    run: Run, tmp_path: Path
) -> None:
    sheet = write_csv(tmp_path / "sent.csv", [
        ["company", "role", "start", "thank_you_sent_at", "follow_up_sent_at", "final_sent_at"],
        ["A", "Dev", "2026-11-18T10:00Z", "2026-11-18T10:30Z", "", ""],
        ["B", "Dev", "2026-11-18T10:00Z", "2026-11-26T10:00Z", "", ""],
        ["C", "Dev", "2026-11-02T10:00Z", "", "2026-11-12T10:00Z", ""],
    ])  # fmt: skip
    r = run("import", str(sheet))
    assert r.code == ExitCode.INVALID
    assert "line 2: thank_you_sent_at 2026-11-18T10:30:00Z is before the interview ended" in r.err
    assert "line 3: thank_you_sent_at 2026-11-26T10:00:00Z is in the future" in r.err
    assert "line 4: follow_up_sent_at is set but thank_you_sent_at is empty" in r.err
    assert interviews(run) == []


def test_reply_and_end_times_are_checked_against_the_interview_the_clock_and_the_status(
    run: Run, tmp_path: Path
) -> None:
    header = ["company", "role", "start", "status", "thank_you_sent_at", "replied_at", "status_at"]
    sheet = write_csv(tmp_path / "times.csv", [
        header,
        ["A", "Dev", "2026-11-18T10:00Z", "replied", "", "2026-11-18T10:30Z", ""],
        ["B", "Dev", "2026-11-18T10:00Z", "replied", "", "2026-11-26T10:00Z", ""],
        ["C", "Dev", "2026-11-18T10:00Z", "cancelled", "", "", "2026-11-26T10:00Z"],
        ["D", "Dev", "2026-11-02T10:00Z", "closed", "2026-11-05T10:00Z", "",
         "2026-11-04T10:00Z"],
        ["E", "Dev", "2026-11-02T10:00Z", "rejected", "", "2026-11-09T10:00Z",
         "2026-11-08T10:00Z"],
        ["F", "Dev", "2026-11-18T10:00Z", "replied", "", "", "2026-11-18T09:00Z"],
    ])  # fmt: skip
    r = run("import", str(sheet))
    assert r.code == ExitCode.INVALID
    assert r.err.splitlines()[1:] == [
        "  line 2: replied_at 2026-11-18T10:30:00Z is before the interview ended"
        " (2026-11-18T11:00:00Z)",
        "  line 3: replied_at 2026-11-26T10:00:00Z is in the future",
        "  line 4: status_at 2026-11-26T10:00:00Z is in the future",
        "  line 5: status_at 2026-11-04T10:00:00Z is before thank_you_sent_at"
        " (2026-11-05T10:00:00Z): a sequence closes when its last note goes out",
        "  line 7: status_at 2026-11-18T09:00:00Z is before the interview ended"
        " (2026-11-18T11:00:00Z)",
    ]
    assert interviews(run) == []


def test_an_end_s_time_is_taken_as_the_app_itself_records_it(run: Run, tmp_path: Path) -> None:
    """An end the app can record itself comes back from a CSV as it was: the board's Rejected
    on an interview still ahead, a rejection synced as received before a thank-you recorded
    later, a role closed before the interview. Refusing them (as first written, after a cold
    trial's offer dated before its interview) made a home's own export refused. Only the
    future is refused, as for every recorded time."""
    header = ["company", "role", "start", "status", "thank_you_sent_at", "replied_at", "status_at"]
    sheet = write_csv(tmp_path / "ends.csv", [
        header,
        ["A", "Dev", "2026-11-02T10:00Z", "offer", "", "", "2026-11-01T10:00Z"],
        ["B", "Dev", "2026-11-02T10:00Z", "rejected", "2026-11-05T10:00Z", "",
         "2026-11-04T10:00Z"],
        ["C", "Dev", "2026-11-02T10:00Z", "role-closed", "", "", "2026-11-01T10:00Z"],
        ["D", "Dev", "2026-11-20T10:00Z", "cancelled", "", "", "2026-11-19T10:00Z"],
        ["F", "Dev", "2026-11-02T10:00Z", "rejected", "", "2026-11-09T10:00Z",
         "2026-11-08T10:00Z"],
        ["E", "Dev", "2026-11-02T10:00Z", "rejected", "", "", "2026-11-26T10:00Z"],
    ])  # fmt: skip
    r = run("import", str(sheet))
    assert r.code == ExitCode.INVALID
    assert r.err.splitlines()[1:] == ["  line 7: status_at 2026-11-26T10:00:00Z is in the future"]
    assert interviews(run) == []
    lines = sheet.read_text().splitlines()
    (tmp_path / "past.csv").write_text("\n".join(lines[:-1]) + "\n")
    ok(run("import", str(tmp_path / "past.csv")))
    got = {i["company"]: i for i in interviews(run)}
    shown = {c: ok(run("show", str(got[c]["id"]), "--json")).json for c in "ABCDF"}
    assert {c: (s["status"], s["status_at"]) for c, s in shown.items()} == {
        "A": ("offer", "2026-11-01T10:00:00Z"),
        "B": ("rejected", "2026-11-04T10:00:00Z"),
        "C": ("role-closed", "2026-11-01T10:00:00Z"),
        "D": ("cancelled", "2026-11-19T10:00:00Z"),
        "F": ("rejected", "2026-11-08T10:00:00Z"),  # then a word from them, the day after
    }


def test_the_use_cases_refuse_a_given_end_time_in_the_future(run: Run, home: Path) -> None:
    """conclude and cancel with `at` refuse the future for every caller; without it they
    take now."""
    from datetime import datetime

    from followup.adapters.clock import FixedClock
    from followup.app import services
    from followup.app.errors import InvalidInput
    from followup.bootstrap import open_context
    from followup.domain.model import Status

    ok(run("add", "--company", "A", "--role", "Dev", "--at", "2026-11-02T10:00Z",
           "--interviewer", "Pat <pat@a.example>", now="2026-11-01T08:00:00Z"))  # fmt: skip
    ok(run("add", "--company", "B", "--role", "Dev", "--at", "2026-11-30T10:00Z",
           "--interviewer", "Pat <pat@b.example>"))  # fmt: skip
    ids = {r["company"]: r["id"] for r in ok(run("list", "--json")).json}
    ctx = open_context(home, clock=FixedClock(datetime.fromisoformat(NOW_AT)))
    try:
        for call, message in (
            (
                lambda: services.conclude(ctx, ids["A"], Status.OFFER, at=at("2026-11-26T09:00")),
                "offer at 2026-11-26T09:00:00Z is in the future",
            ),
            (
                lambda: services.cancel(ctx, ids["A"], at=at("2026-11-26T09:00")),
                "cancelled at 2026-11-26T09:00:00Z is in the future",
            ),
        ):
            with pytest.raises(InvalidInput) as refused:
                call()
            assert str(refused.value) == message
        services.cancel(ctx, ids["B"], at=at("2026-11-24T09:00"))  # called off before it
        services.conclude(ctx, ids["A"], Status.REJECTED)  # now
    finally:
        ctx.store.close()
    shown = {c: ok(run("show", str(ids[c]), "--json")).json for c in "AB"}
    assert (shown["A"]["status"], shown["A"]["status_at"]) == ("rejected", NOW_AT)
    assert (shown["B"]["status"], shown["B"]["status_at"]) == ("cancelled", "2026-11-24T09:00:00Z")


NOW_AT = "2026-11-25T12:00:00Z"  # tests.conftest.NOW


def at(text: str) -> Any:
    from datetime import datetime

    return datetime.fromisoformat(text + ":00+00:00")


def test_a_tracker_s_reply_date_is_when_they_replied(run: Run, tmp_path: Path) -> None:
    # no status column: a reply date makes the row replied, then; a time with a status that
    # goes on is not kept, and said
    sheet = write_csv(tmp_path / "tracker.csv", [
        ["Company", "Job Title", "Interview Date", "Status", "Reply Date", "Status Date"],
        ["A", "Dev", "2026-11-10T10:00Z", "", "2026-11-13T08:00Z", ""],
        ["B", "Dev", "2026-11-10T10:00Z", "waiting", "2026-11-13T08:00Z", ""],
        ["C", "Dev", "2026-11-10T10:00Z", "waiting", "", "2026-11-12T08:00Z"],
        ["D", "Dev", "2026-11-10T10:00Z", "rejected", "", "2026-11-20T08:00Z"],
    ])  # fmt: skip
    r = ok(run("import", str(sheet)))
    assert (
        "line 3: replied_at is not kept: a reply ends the sequence, and the status is"
        " waiting" in r.err
    )
    assert "line 4: status_at is not kept: the status is waiting, a sequence that goes on" in r.err
    got = {i["company"]: i for i in interviews(run)}
    assert {c: got[c]["status"] for c in "ABCD"} == {
        "A": "replied", "B": "waiting", "C": "waiting", "D": "rejected"
    }  # fmt: skip
    shown = {c: ok(run("show", str(got[c]["id"]), "--json")).json for c in "AD"}
    assert shown["A"]["status_at"] == "2026-11-13T08:00:00Z"
    assert shown["D"]["status_at"] == "2026-11-20T08:00:00Z"
    stats = ok(run("stats", "--json")).json
    assert stats["time_to_first_reply_days"]["n"] == 1
    assert stats["time_to_first_reply_days"]["median"] == round((3 * 24 - 3) / 24, 2)


def test_an_end_without_its_time_takes_the_best_time_the_row_gives(
    run: Run, tmp_path: Path
) -> None:
    """A cold trial's tracker row "Rejected" with a reply date and no status date was
    rejected at the import's time (`stats`: 22.9 days to the outcome, not 10.4; the agenda
    listed it under "Ended lately"), and a closed row ended at the import's time, not when
    its last note went out (ghosted 85 days, not 23). An outcome or a cancellation that came
    with a reply ends at the reply; a closed sequence when its last note went out."""
    sheet = write_csv(tmp_path / "tracker.csv", [
        ["Company", "Job Title", "Interview Date", "Status", "Reply Date", "Thank You Sent",
         "Follow Up Sent", "Final Sent"],
        ["A", "Dev", "2026-10-02T10:00Z", "Rejected", "2026-10-12T20:00Z", "", "", ""],
        ["B", "Dev", "2026-09-01T10:00Z", "closed", "", "2026-09-03T11:00Z",
         "2026-09-10T11:00Z", "2026-09-24T11:00Z"],
        ["C", "Dev", "2026-10-02T10:00Z", "cancelled", "2026-10-05T10:00Z", "", "", ""],
        ["D", "Dev", "2026-10-02T10:00Z", "offer", "", "", "", ""],
    ])  # fmt: skip
    ok(run("import", str(sheet)))
    got = {i["company"]: i for i in interviews(run)}
    shown = {c: ok(run("show", str(got[c]["id"]), "--json")).json for c in "ABCD"}
    assert {c: (s["status"], s["status_at"]) for c, s in shown.items()} == {
        "A": ("rejected", "2026-10-12T20:00:00Z"),
        "B": ("closed", "2026-09-24T11:00:00Z"),
        "C": ("cancelled", "2026-10-05T10:00:00Z"),
        "D": ("offer", NOW_AT),  # nothing to go by: the import's time, as before
    }
    outcomes = {o["outcome"]: o for o in ok(run("stats", "--json")).json["outcomes"]}
    assert outcomes["rejected"]["days_median"] == round((10 * 24 + 9) / 24, 2)
    assert outcomes["ghosted"]["days_median"] == 23.0
    agenda = ok(run("agenda")).out
    assert "Ended lately:" in agenda and "  D " in agenda
    assert not re.search(r"\b[ABC] ", agenda.split("Ended lately:")[1])


def test_dry_run_checks_and_writes_nothing(run: Run, tmp_path: Path) -> None:
    sheet = write_csv(
        tmp_path / "a.csv", [["Company", "Role", "Start"], ["X", "Y", "2026-11-18T10:00"]]
    )
    r = ok(run("import", str(sheet), "--dry-run"))
    assert "would import 1 application, 1 interview" in r.out
    assert interviews(run) == []


def test_bad_json_items_are_named_by_their_path(run: Run, tmp_path: Path) -> None:
    seed(run)
    exported = tmp_path / "e.json"
    ok(run("export", "-o", str(exported)))
    doc = json.loads(exported.read_text())
    doc["applications"][0]["interviews"][1]["status"] = "pondering"
    doc["applications"][2]["interviews"][0]["start_at"] = "2026-11-20T09:00"  # no offset
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(doc))
    fresh = ("--home", str(tmp_path / "fresh"))  # (here, each would be there already)
    r = run(*fresh, "import", str(broken))
    assert r.code == ExitCode.INVALID
    lines = r.err.splitlines()
    assert lines[0].endswith("2 bad items, nothing imported")
    assert lines[1].startswith("  applications[0].interviews[1]: status: 'pondering'")
    assert lines[2].startswith("  applications[2].interviews[0]: start_at:")
    assert interviews(run, *fresh) == []


def test_json_import_refuses_two_primary_contacts_in_one_interview(
    run: Run, tmp_path: Path
) -> None:
    ok(run("add", "--company", "Acme", "--role", "Dev", "--at", "2026-11-16T14:00Z",
           "--interviewer", "Ada <ada@acme.example>", "--interviewer", "Bob <bob@acme.example>",
           "--primary", "bob@acme.example"))  # fmt: skip
    exported = tmp_path / "e.json"
    ok(run("export", "-o", str(exported)))
    doc = json.loads(exported.read_text())
    for person in doc["applications"][0]["interviews"][0]["interviewers"]:
        person["is_primary"] = True
    broken = tmp_path / "two.json"
    broken.write_text(json.dumps(doc))
    fresh = ("--home", str(tmp_path / "fresh"))
    r = run(*fresh, "import", str(broken))
    assert r.code == ExitCode.INVALID
    assert r.err.startswith("followup: error: cannot import two.json: 1 bad item, nothing")
    [problem] = r.err.splitlines()[1:]
    assert problem.startswith(
        "  applications[0].interviews[0]: interviewers[0] and interviewers[1] are both"
        " is_primary: a panel has one primary contact"
    )
    assert interviews(run, *fresh) == []


def test_a_huge_cell_is_said_in_plain_words_with_the_line_its_row_starts_on(
    run: Run, tmp_path: Path
) -> None:
    # the csv module's "field larger than field limit (131072)", at the line it stopped on
    path = tmp_path / "huge.csv"
    cell = "x" * 1000 + "\n" + "y" * 150_000  # a quoted cell over two lines
    path.write_text(f'company,role,start\nAcme,Dev,2026-11-02T10:00Z\nBeta,"{cell}",2026-11-02\n')
    r = run("import", str(path))
    assert r.code == ExitCode.INVALID
    assert r.err.splitlines() == [
        "followup: error: huge.csv line 3: a cell is longer than 131,072 characters, more than"
        " any field of an interview holds (is a closing quote missing?)"
    ]
    assert interviews(run) == []


def test_a_line_past_the_limit_is_refused_without_reading_the_rest_of_it(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a cold trial's one-line 2 GB cell took 4.2 GB before its error: a line is read up to
    # limits.CSV_LINE_CHARS (here 200) and refused there, naming it
    from followup.app.portability import csv_format
    from followup.domain import limits

    monkeypatch.setattr(limits, "CSV_LINE_CHARS", 200)
    read: list[int] = []
    real = csv_format._lines

    def counted(path: Path, text: Any, most: int) -> Any:
        for chunk in real(path, text, most):
            read.append(len(chunk))
            yield chunk

    monkeypatch.setattr(csv_format, "_lines", counted)
    path = tmp_path / "long.csv"
    fine = "Acme," + "D" * 150 + ",2026-11-02T10:00Z\n"  # 173 characters: under the limit
    path.write_text("company,role,start\n" + fine + "Beta," + "x" * 5_000 + ",2026-11-02\n")
    r = run("import", str(path))
    assert r.code == ExitCode.INVALID
    assert r.err.splitlines() == [
        "followup: error: long.csv line 3 is longer than 200 characters, more than a row of"
        " interviews holds: is it a CSV file?"
    ]
    assert read == [19, len(fine)]  # the long line was never handed on
    assert interviews(run) == []
    # a line of exactly the limit (its end aside) is read
    exact = "Acme," + "D" * 177 + ",2026-11-02T10:00Z"
    path.write_text(f"company,role,start\r\n{exact}\r\nBeta,Ops,2026-11-03T10:00Z\r\n")
    assert len(exact) == 200
    done = ok(run("import", str(path), "--json")).json
    assert [i["line"] for i in done["interviews"]] == [2, 3]


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("a.json", '{"format": ', "not valid JSON"),
        ("a.json", '{"applications": []}', "not a followup export"),
        ("a.json", '{"format": "followup-export", "version": 9}', "upgrade followup"),
        ("a.csv", "", "empty"),
        ("a.csv", "company,role,start\n", "no rows"),
        ("a.xlsx", "PK", "unsupported file type '.xlsx'; supported: .csv, .json"),
        ("notes", "x", "unsupported file type (no extension)"),
    ],
)
def test_unusable_files_are_one_line(
    run: Run, tmp_path: Path, name: str, content: str, says: str
) -> None:
    path = tmp_path / name
    path.write_text(content)
    r = run("import", str(path))
    assert r.code == ExitCode.INVALID
    assert r.err.count("\n") == 1 and r.err.startswith("followup: error:")
    assert says in r.err


def test_import_through_the_installed_command(tmp_path: Path) -> None:
    """The real program: exit code and stderr as a script sees them."""
    exe = Path(sys.executable).with_name("followup")
    env = {
        **os.environ,
        "FOLLOWUP_HOME": str(tmp_path / "h"),
        "FOLLOWUP_NOW": "2026-11-25T12:00:00Z",
    }
    sheet = write_csv(tmp_path / "t.csv", [
        ["Company", "Title", "Date"], ["A", "B", "2026-11-20T10:00Z"], ["C", "", "soon"]
    ])  # fmt: skip
    proc = subprocess.run([exe, "import", str(sheet)], capture_output=True, text=True, env=env)
    assert proc.returncode == ExitCode.INVALID
    assert proc.stderr.splitlines() == [
        "followup: error: cannot import t.csv: 1 bad row, nothing imported",
        "  line 3: role is empty; start: cannot read 'soon' as a date and time: use ISO-8601,"
        " e.g. 2026-11-25T14:00 or 2026-11-25T14:00+01:00",
    ]
    listed = subprocess.run([exe, "list", "--json"], capture_output=True, text=True, env=env)
    assert json.loads(listed.stdout) == []


# --- backup and restore ------------------------------------------------------------------


def test_backup_then_change_then_restore_brings_the_old_data_back(run: Run, tmp_path: Path) -> None:
    seed(run)
    before = interviews(run)
    target = tmp_path / "backups" / "monday.db"
    target.parent.mkdir()
    r = ok(run("backup", str(target)))
    assert r.out == f"Backed up 3 applications, 4 interviews to {target}.\n"
    assert os.listdir(target.parent) == ["monday.db"]  # one self-contained file, no leftovers
    ok(run("add", "--company", "Later", "--role", "Dev", "--at", "2026-11-24T10:00Z"))
    ok(run("cancel", "2"))
    assert interviews(run) != before
    r = ok(run("restore", str(target), "--yes", "--json"))
    assert (r.json["applications"], r.json["interviews"]) == (3, 4)
    assert interviews(run) == before
    assert ok(run("agenda", "--json")).json[0]["interview_id"] == 2


def test_restore_asks_in_a_terminal(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(run)
    target = tmp_path / "b.db"
    ok(run("backup", str(target)))
    ok(run("cancel", "2"))
    changed = interviews(run)
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    r = run("restore", str(target))
    assert r.code == ExitCode.ERROR and "aborted" in r.err
    assert "with " + str(target) + " (3 applications, 4 interviews)?" in r.err
    assert interviews(run) == changed
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    ok(run("restore", str(target)))
    assert interviews(run) != changed


def test_restore_without_a_terminal_needs_yes(run: Run, tmp_path: Path) -> None:
    seed(run)
    target = tmp_path / "b.db"
    ok(run("backup", str(target)))
    ok(run("cancel", "2"))
    changed = interviews(run)
    r = run("restore", str(target), stdin="y\n")
    assert r.code == ExitCode.INVALID
    assert r.err == "followup: error: restore replaces all your data: pass --yes to confirm\n"
    assert interviews(run) == changed


def _not_followup(path: Path) -> None:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE applications (id INTEGER PRIMARY KEY, name TEXT)")


def _damaged(path: Path, good: Path) -> None:
    data = bytearray(good.read_bytes())
    for i in range(4096 * 2, len(data) - 64, 7):
        data[i] = 0xAB
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda p, good: p.write_text("just some text"), "is not a SQLite database"),
        (lambda p, good: p.write_bytes(b""), "is not a SQLite database"),
        (lambda p, good: _not_followup(p), "is a SQLite database but not a followup backup"),
        (_damaged, "is damaged"),
        (lambda p, good: None, "No such file"),
    ],
)
def test_restore_refuses_what_is_not_an_intact_followup_backup(
    run: Run, tmp_path: Path, make: Any, says: str
) -> None:
    seed(run)
    good = tmp_path / "good.db"
    ok(run("backup", str(good)))
    before = interviews(run)
    bad = tmp_path / "bad.db"
    make(bad, good)
    r = run("restore", str(bad), "--yes")
    assert r.code == ExitCode.INVALID
    assert r.err.count("\n") == 1 and r.err.startswith("followup: error:"), r.err
    assert says in r.err
    assert interviews(run) == before


def test_restore_of_an_export_says_to_import_it(run: Run, tmp_path: Path) -> None:
    seed(run)
    for name in ("ex.json", "ex.csv"):
        exported = tmp_path / name
        ok(run("export", "-o", str(exported)))
        r = run("restore", str(exported), "--yes")
        assert r.code == ExitCode.INVALID
        assert r.err == (
            f"followup: error: {exported} is not a SQLite database, so not a followup backup"
            f" (an export? followup import {exported})\n"
        )
    assert len(interviews(run)) == 4


def test_restore_refuses_a_backup_from_a_newer_followup(run: Run, tmp_path: Path) -> None:
    seed(run)
    newer = tmp_path / "newer.db"
    ok(run("backup", str(newer)))
    with sqlite3.connect(newer) as db:
        db.execute("INSERT INTO schema_migrations VALUES (999, 'future', '2030-01-01T00:00:00Z')")
    ok(run("cancel", "2"))
    before = interviews(run)
    r = run("restore", str(newer), "--yes")
    assert r.code == ExitCode.INVALID and "newer followup" in r.err
    assert interviews(run) == before


def test_backup_to_an_unwritable_place_fails_cleanly(run: Run, tmp_path: Path) -> None:
    seed(run)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    for target in (blocker / "backup.db", tmp_path / "missing-dir" / "backup.db", tmp_path):
        r = run("backup", str(target))
        assert r.code == ExitCode.INVALID, target
        assert r.err.count("\n") == 1 and "cannot write the backup" in r.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file", "home"]  # no partial file


def test_backup_over_an_existing_file_replaces_it_whole(run: Run, tmp_path: Path) -> None:
    seed(run)
    target = tmp_path / "b.db"
    target.write_text("an old, unrelated file")
    ok(run("backup", str(target)))
    with sqlite3.connect(target) as db:
        assert db.execute("SELECT COUNT(*) FROM interviews").fetchone() == (4,)
        assert db.execute("PRAGMA journal_mode").fetchone() == ("delete",)


def test_backup_refuses_to_overwrite_the_live_database(run: Run, home: Path) -> None:
    seed(run)
    r = run("backup", str(home / "followup.db"))
    assert r.code == ExitCode.INVALID and "live database" in r.err
    assert len(interviews(run)) == 4


def test_the_hiring_sides_outcomes_survive_export_and_import(
    run: Run, home: Path, tmp_path: Path
) -> None:
    """Issue #15: rejected/role-closed/offer and a received message's kind and reason go
    out and come back, in JSON and in CSV."""
    from followup.app import receiving
    from followup.bootstrap import open_context
    from followup.domain.replies import Classification, Kind, MessageFacts

    for company in ("Acme", "Beta", "Gamma"):
        ok(run("add", "--company", company, "--role", "Dev", "--at", "2026-11-16T10:00:00Z",
               "--interviewer", f"Ann <ann@{company.lower()}.example>"))  # fmt: skip
    ctx = open_context()
    me = receiving.MailIdentity("-", frozenset(), (), 7)
    for iid, (company, kind) in enumerate(
        (("acme", Kind.REJECTION), ("beta", Kind.ROLE_CLOSED), ("gamma", Kind.OFFER)), 1
    ):
        facts = MessageFacts(message_id=f"<{iid}@x>", from_addr=f"ann@{company}.example")
        receiving.receive(ctx, me, facts, verdict=Classification(kind, f"said {kind.value}"))
    statuses = {i["company"]: i["status"] for i in interviews(run)}
    assert statuses == {"Acme": "rejected", "Beta": "role-closed", "Gamma": "offer"}
    exported = tmp_path / "e.json"
    ok(run("export", "-o", str(exported)))
    fresh = ("--home", str(tmp_path / "fresh"))
    ok(run(*fresh, "import", str(exported)))
    assert {i["company"]: i["status"] for i in interviews(run, *fresh)} == statuses
    [message] = ok(run(*fresh, "show", "1", "--json")).json["inbound"]
    assert (message["classification"], message["reason"]) == ("rejection", "said rejection")
    sheet = tmp_path / "e.csv"
    ok(run("export", "-o", str(sheet)))
    other = ("--home", str(tmp_path / "other"))
    ok(run(*other, "import", str(sheet)))
    assert {i["company"]: i["status"] for i in interviews(run, *other)} == statuses


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_an_export_reports_its_progress_after_each_application(
    run: Run, home: Path, fmt: str
) -> None:
    """What the progress bar (stderr, in a terminal, after a second) is fed: interviews
    written so far out of all of them, rising to the total; in a pipe the CLI shows none."""
    import io as text_io

    from followup.app import portability
    from followup.bootstrap import open_context

    seed(run)
    calls: list[tuple[int, int]] = []

    def heard(done: int, total: int) -> None:
        calls.append((done, total))

    result = portability.export(open_context(home), fmt, text_io.StringIO(), heard)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert calls[-1] == (4, 4) and {total for _, total in calls} == {4}
    assert len(calls) == result.applications == 3
    assert ok(run("export", "--format", fmt, "-o", str(home / f"x.{fmt}"))).err == ""


def test_a_csv_round_that_moved_on_stays_moved_on_though_someone_was_not_met_again(
    run: Run, tmp_path: Path
) -> None:
    """A later round told after it took place keeps the earlier one open for whom it did
    not meet (session 14); a file that says the earlier round moved on is taken at its
    word, not refused with "advanced needs a later round" beside the later round."""
    sheet = write_csv(tmp_path / "rounds.csv", [
        ["company", "role", "start", "status", "interviewers"],
        ["Acme", "Eng", "2026-11-23T10:00Z", "advanced",
         "Dana <dana@acme.example>; Ada <ada@acme.example>"],
        ["Acme", "Eng", "2026-11-25T09:00Z", "", "Ada <ada@acme.example>"],
        ["Beta", "Eng", "2026-11-23T10:00Z", "advanced", "Olga <olga@beta.example>"],
    ])  # fmt: skip
    r = run("import", str(sheet))
    assert r.code == ExitCode.INVALID  # Beta has no later round: still refused, and why
    assert "line 4: status is advanced but the row makes it waiting" in r.err
    assert "line 2" not in r.err
    sheet.write_text("\n".join(sheet.read_text().splitlines()[:3]) + "\n")
    ok(run("import", str(sheet)))
    status = {i["round"]: i["status"] for i in interviews(run)}
    assert status == {1: "advanced", 2: "waiting"}
    assert [i["interview_id"] for i in ok(run("agenda", "--json")).json] == [2]
