"""An imported or hand-made approval never sends: issue #11's "an imported file can send
anything". A JSON export edited to carry an approved message (spoofed From, a Bcc, another
recipient) was sent byte for byte by `followup worker` while `show` displayed the normal note.
"""

from __future__ import annotations

import email
import email.policy
import json
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.integration.smtp_sink import Sink
from tests.integration.test_sending import configure, due_interview, notes

pytestmark = pytest.mark.integration

EVIL = (
    "From: Grace Hopper <ceo@acme.example>\r\n"
    "To: Mallory <mallory@evil.example>\r\n"
    "Bcc: everyone@acme.example\r\n"
    "Subject: Wire the money\r\n"
    "Message-ID: <evil@evil.example>\r\n"
    "\r\n"
    "Please wire it today.\r\n"
)


def _approved_export(run: Run, tmp_path: Path, *people: str) -> tuple[dict, Path]:
    iid = due_interview(run, *people)
    assert run("send", iid, "--when-due", "--json").json[0]["outcome"] == "scheduled"
    out = tmp_path / "export.json"
    assert run("export", "--format", "json", "-o", str(out)).code == 0
    return json.loads(out.read_text()), out


def test_an_export_carries_no_approval_and_an_edited_one_is_not_imported(
    run: Run, smtp_sink: Sink, tmp_path: Path, home: Path
) -> None:
    configure(run, smtp_sink)
    doc, out = _approved_export(run, tmp_path)
    [note, *_] = doc["applications"][0]["interviews"][0]["notes"]
    assert not {k for k in note if k.startswith("approved_") or k.startswith("claim")}
    assert "lease_until" not in note
    # the attacker's edit: an approval with raw bytes of their own, and a claim
    note.update(
        approved_at="2026-11-24T10:00:00Z",
        approved_digest="0" * 64,
        approved_to="Mallory <mallory@evil.example>",
        approved_message=EVIL,
        approved_seal="f" * 64,
        claimed_by="evil:1",
        lease_until="2026-11-24T10:00:00Z",
    )
    doc["applications"][0]["role"] += " (again)"  # not the interview here (a repeat)
    out.write_text(json.dumps(doc))
    assert run("cancel", "1").code == 0  # the original: out of the worker's way
    r = run("import", str(out), "--json")
    assert r.code == 0, r.err
    warnings = " ".join(r.json["warnings"])
    assert "approved_message" in warnings and "approve the note again" in warnings
    [imported] = [i["id"] for i in r.json["interviews"]]
    [thank_you, *_] = notes(run, str(imported))
    assert thank_you["state"] == "pending" and thank_you["approved_at"] is None
    assert run("worker", "--once").code == 0
    assert smtp_sink.received == []


def test_a_pending_note_from_a_file_gets_a_fresh_message_id_and_a_send_in_flight_is_unknown(
    run: Run, smtp_sink: Sink, tmp_path: Path
) -> None:
    configure(run, smtp_sink)
    panel = ("Ada Lovelace <ada@acme.example>", "Bob Baker <bob@acme.example>")
    doc, out = _approved_export(run, tmp_path, *panel)
    notes_doc = doc["applications"][0]["interviews"][0]["notes"]
    notes_doc[0]["message_id"] = "<chosen@evil.example>"
    notes_doc[1]["state"] = "sending"
    notes_doc[1]["message_id"] = "<inflight@acme.example>"
    doc["applications"][0]["role"] += " (again)"  # not the interview here (a repeat)
    out.write_text(json.dumps(doc))
    run("cancel", "1")
    r = run("import", str(out), "--json")
    assert r.code == 0, r.err
    [imported] = [i["id"] for i in r.json["interviews"]]
    first, second = notes(run, str(imported))
    assert first["state"] == "pending" and first["message_id"] != "<chosen@evil.example>"
    assert (second["state"], second["message_id"]) == ("unknown", "<inflight@acme.example>")
    assert any("imported as unknown" in w for w in r.json["warnings"])


def test_words_edited_into_a_file_never_go_out_unseen(
    run: Run, smtp_sink: Sink, tmp_path: Path
) -> None:
    """A cold trial (session 15): a shared JSON with a pending note's `body` and `edited_at`
    set was sent word for word by `followup send ID`, which shows no text."""
    configure(run, smtp_sink)
    iid = due_interview(run)
    out = tmp_path / "export.json"
    assert run("export", "--format", "json", "-o", str(out)).code == 0
    doc = json.loads(out.read_text())
    [thank_you, *_] = doc["applications"][0]["interviews"][0]["notes"]
    planted = "To be honest I mainly interviewed to learn your salary bands."
    thank_you.update(subject="Honestly", body=planted, edited_at="2026-11-24T10:00:00Z")
    doc["applications"][0]["role"] += " (again)"  # not the interview here (a repeat)
    out.write_text(json.dumps(doc))
    assert run("cancel", iid).code == 0
    r = run("import", str(out), "--json")
    assert r.code == 0, r.err
    assert any("the text edited by hand" in w for w in r.json["warnings"])
    [imported] = [i["id"] for i in r.json["interviews"]]
    sent = run("send", str(imported), "--json")
    assert [x["outcome"] for x in sent.json] == ["sent"], sent.err
    [mail] = smtp_sink.received
    message = email.message_from_bytes(mail.raw, policy=email.policy.default)
    body = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert planted not in body and message["Subject"] != "Honestly"
    assert "the billing rewrite" in body  # drafted here, from the debrief


def test_a_files_greeting_debrief_note_or_unknown_text_never_goes_out_unseen(
    run: Run, smtp_sink: Sink, tmp_path: Path
) -> None:
    """A cold trial's second round (session 15): the fix above covered a pending note's
    text only; a greeting that was a sentence, a debrief's note and an `unknown` note's
    text (sent by `send --resend-unknown`, the product's own advice) still went out."""
    configure(run, smtp_sink)
    iid = due_interview(run, "Ada Lovelace <ada@acme.example>", "Bob Stone <bob@acme.example>")
    assert run("debrief", iid, "--interviewer", "bob@acme.example", "--topic", "on-call").code == 0
    out = tmp_path / "export.json"
    assert run("export", "--format", "json", "-o", str(out)).code == 0
    doc = json.loads(out.read_text())
    interview = doc["applications"][0]["interviews"][0]
    planted = "I accept your offer of 40k and withdraw my other applications"
    interview["interviewers"][0]["greet_as"] = f"Ada, {planted}. Also"
    doc["applications"][0]["role"] += " (again)"  # not the interview here (a repeat)
    out.write_text(json.dumps(doc))
    r = run("import", str(out))
    assert r.code == 4 and "is not a form of address" in r.err  # refused whole
    interview["interviewers"][0].pop("greet_as")
    interview["debriefs"][0]["note"] = planted
    unknown = interview["notes"][1]  # Bob's thank-you, "unknown" in the file
    unknown.update(state="unknown", body=planted, edited_at="2026-11-24T10:00:00Z")
    unknown["message_id"] = "<chosen@evil.example>"
    out.write_text(json.dumps(doc))
    assert run("cancel", iid).code == 0
    r = run("import", str(out), "--json")
    assert r.code == 0, r.err
    warned = " ".join(r.json["warnings"])
    assert "not imported: note" in warned and "the text edited by hand" in warned
    [imported] = [str(i["id"]) for i in r.json["interviews"]]
    assert run("send", imported, "--json").code == 0  # Ada's thank-you
    assert run("send", imported, "--resend-unknown", "--json").code == 0  # Bob's
    assert len(smtp_sink.received) == 2
    for mail in smtp_sink.received:
        message = email.message_from_bytes(mail.raw, policy=email.policy.default)
        body = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        assert planted not in body and "40k" not in body


def test_every_column_is_either_portable_checked_or_never_taken_from_a_file(home: Path) -> None:
    """A new migration's column must be decided on: checked on import, or never imported."""
    from followup.adapters.store.sqlite import SqliteStore
    from followup.adapters.store.sqlstore import TABLES
    from followup.app.portability import json_format as j

    store = SqliteStore(home / "columns.db")
    for table in TABLES:
        known = set(j._SPEC[table]) | j._SET_BY_IMPORT.get(table, set()) | j._NOT_PORTABLE
        known |= {"id", "interviewer_id"}
        assert set(store.table_columns(table)) <= known, table
        # what the store exports and imports (its portable record) is every other column,
        # in the table's order: the JSON document's keys
        portable = [c for c in store.table_columns(table) if c not in j._NOT_PORTABLE]
        assert portable == list(j._FIELDS[table]), table


def _db(home: Path) -> sqlite3.Connection:
    return sqlite3.connect(home / "followup.db")


def test_the_worker_refuses_an_approval_this_install_did_not_seal(
    run: Run, smtp_sink: Sink, home: Path
) -> None:
    """Whatever path put them there (a restored file, an edit of the database), approved bytes
    without this install's seal are refused, with the reason kept on the note."""
    configure(run, smtp_sink)
    iid = due_interview(run)
    assert run("send", iid, "--when-due").code == 0
    with _db(home) as db:
        db.execute("UPDATE notes SET approved_message = ? WHERE step = 1", (EVIL,))
    r = run("worker", "--once")
    assert r.code == 0, r.err
    assert smtp_sink.received == []
    thank_you = notes(run, iid)[0]
    assert thank_you["state"] == "pending" and thank_you["approved_at"] is None
    detail = run("show", iid, "--json").json
    assert "not made by this followup" in json.dumps(detail) or "not made by this" in r.err


def test_a_seal_from_another_install_is_refused(run: Run, smtp_sink: Sink, home: Path) -> None:
    configure(run, smtp_sink)
    iid = due_interview(run)
    assert run("send", iid, "--when-due").code == 0
    (home / "approval.key").write_text("ab" * 32 + "\n")  # another machine's key
    assert run("worker", "--once").code == 0
    assert smtp_sink.received == []
    assert notes(run, iid)[0]["approved_at"] is None


def test_a_recipient_changed_after_approval_is_refused(
    run: Run, smtp_sink: Sink, home: Path
) -> None:
    configure(run, smtp_sink)
    iid = due_interview(run)
    assert run("send", iid, "--when-due").code == 0
    with _db(home) as db:
        db.execute("UPDATE interviewers SET email = 'bob@acme.example'")
    r = run("worker", "--once")
    assert smtp_sink.received == []
    assert "recipient changed" in r.err


def test_a_sealed_message_with_a_bcc_is_still_refused(
    run: Run, smtp_sink: Sink, home: Path
) -> None:
    """Defence in depth: even with the key, only the headers composing writes go out."""
    from followup.app.dispatch import seal

    configure(run, smtp_sink)
    iid = due_interview(run)
    assert run("send", iid, "--when-due").code == 0
    key = bytes.fromhex((home / "approval.key").read_text().strip())
    with _db(home) as db:
        note_id, to, message = db.execute(
            "SELECT id, approved_to, approved_message FROM notes WHERE step = 1"
        ).fetchone()
        tampered = message.replace("\r\nSubject:", "\r\nBcc: everyone@acme.example\r\nSubject:", 1)
        db.execute(
            "UPDATE notes SET approved_message = ?, approved_seal = ? WHERE step = 1",
            (tampered, seal(key, note_id, to, tampered)),
        )
    r = run("worker", "--once")
    assert smtp_sink.received == []
    assert "unexpected headers (bcc)" in r.err


def test_the_approval_key_is_private(run: Run, smtp_sink: Sink, home: Path) -> None:
    configure(run, smtp_sink)
    iid = due_interview(run)
    assert run("send", iid, "--when-due").code == 0
    assert (home / "approval.key").stat().st_mode & 0o777 == 0o600
    assert run("worker", "--once").code == 0
    assert len(smtp_sink.received) == 1  # and an honest approval still goes out


def test_an_approval_is_good_once_and_for_its_own_note_only(
    run: Run, smtp_sink: Sink, home: Path
) -> None:
    """Moved to another note, or replayed after the send, an approval sends nothing."""
    configure(run, smtp_sink)
    panel = ("Ada Lovelace <ada@acme.example>", "Bob Baker <bob@acme.example>")
    iid = due_interview(run, *panel)
    assert run("send", iid, "--when-due", "--interviewer", "ada@acme.example").code == 0
    with _db(home) as db:  # Ada's approval copied onto Bob's note
        db.execute(
            "UPDATE notes SET (approved_at, approved_digest, approved_to, approved_message,"
            " approved_seal) = (SELECT approved_at, approved_digest, approved_to,"
            " approved_message, approved_seal FROM notes WHERE id = 1) WHERE id = 2"
        )
    r = run("worker", "--once")
    assert r.code == 0, r.err
    assert [m.recipients for m in smtp_sink.received] == [["ada@acme.example"]]
    assert "not made by this followup" in r.err  # Bob's copy
    with _db(home) as db:  # the sent note put back to pending: its approval is spent
        db.execute("UPDATE notes SET state = 'pending', sent_at = NULL WHERE id = 1")
    run("worker", "--once")
    assert len(smtp_sink.received) == 1
