"""Text that drives a terminal or reorders what is read never gets in (a cold trial, session
15): ESC in a company retitled the window and cleared the screen when `list` printed it, a
bidi override made "Bob elpmaxe.live" read "Bob evil.example", an invitation's CN written
as an encoded word greeted "Hello =?utf-8?q?…", and "mailto:happy%2Bhogan@…" was kept
percent-encoded (mail to it would bounce)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Run

AT = ("--at", "2026-11-20T10:00", "--tz", "UTC")
OSC = "\x1b]0;pwned\x07"


@pytest.mark.parametrize(
    ("flag", "value", "what"),
    [
        ("--company", f"Acme{OSC}", "company"),
        ("--role", "Dev\x1b[2J", "role"),
        ("--interviewer", "Bob \u202eelpmaxe.live\u202c <bob@acme.example>", "interviewer's name"),
        ("--topic", "the \x1b[31mbilling\x1b[0m rewrite", "topic"),
        ("--skill", "SQL\x07", "skill"),
    ],
)
def test_add_refuses_a_control_character_in_one_line(
    run: Run, flag: str, value: str, what: str
) -> None:
    args = {"--company": "Acme", "--role": "Dev", "--interviewer": "Ada <ada@acme.example>"}
    args[flag] = value
    r = run("add", *[a for kv in args.items() for a in kv], *AT)
    assert (r.code, r.out) == (4, "")
    assert r.err.startswith(f"followup: error: the {what} contains a control character (U+")
    assert r.err.count("\n") == 1 and "\x1b" not in r.err and "\u202e" not in r.err
    assert run("list", "--json").json == []  # nothing written


def test_a_json_import_with_terminal_codes_is_refused_whole(run: Run, tmp_path: Path) -> None:
    assert run("add", "--company", "Acme", "--role", "Dev", *AT).code == 0
    out = tmp_path / "export.json"
    assert run("export", "--format", "json", "-o", str(out)).code == 0
    doc = json.loads(out.read_text())
    doc["applications"][0]["company"] = f"Oscorp{OSC}\x1b[2J"
    out.write_text(json.dumps(doc))
    r = run("import", str(out))
    assert r.code == 4
    assert "company: the company contains a control character (U+001B)" in r.err
    assert "\x1b" not in r.err
    assert len(run("list", "--json").json) == 1  # nothing imported


def test_an_invitation_loses_its_escape_sequences_and_decodes_its_names(
    run: Run, tmp_path: Path
) -> None:
    path = tmp_path / "invite.ics"
    path.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\n"
        "UID:codes@initech.example\r\nDTSTAMP:20261118T100000Z\r\n"
        "DTSTART:20261120T140000Z\r\nDTEND:20261120T150000Z\r\n"
        f"SUMMARY:Interview: Backend Engineer at Initech{OSC}\x1b[8m\r\n"
        'ORGANIZER;CN="=?utf-8?q?Lovelace=2C_Ada?=":mailto:ada@initech.example\r\n'
        "ATTENDEE;CN=Happy Hogan:mailto:happy%2Bhogan@initech.example\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n",
        encoding="utf-8",
    )
    r = run("import", str(path), "--yes")
    assert r.code == 0, r.err
    shown = run("show", "1", "--json").json
    assert shown["company"] == "Initech"
    people = {p["email"]: p["name"] for p in shown["interviewers"]}
    assert people == {
        "ada@initech.example": "Lovelace, Ada",
        "happy+hogan@initech.example": "Happy Hogan",
    }
    draft = run("draft", "1", "--interviewer", "ada@initech.example").out
    assert "=?utf-8?" not in draft and "Ada" in draft
    assert "\x1b" not in run("list").out


def test_a_received_subject_and_a_files_history_lose_their_terminal_codes(
    run: Run, tmp_path: Path
) -> None:
    """A second round (session 15): a received Subject "=?utf-8?q?…=1B=5B2J…?=" and a JSON
    file's history summaries and inbound subjects printed ESC[2J and U+202E raw."""
    assert run("add", "--company", "Acme", "--role", "Dev", *AT,
               "--interviewer", "Ada <ada@acme.example>").code == 0  # fmt: skip
    mail = tmp_path / "r.eml"
    mail.write_text(
        "From: =?utf-8?q?Ada=1B=5B31m?= <ada@acme.example>\nTo: me@example.org\n"
        "Subject: =?utf-8?q?Re=3A_Thanks_=1B=5B2J=1B=5D0=3Bowned=07_=E2=80=AEtxt.exe?=\n"
        "Message-ID: <r1@acme.example>\nDate: Wed, 25 Nov 2026 10:00:00 +0000\n\n"
        "Thanks, we will be in touch.\n"
    )
    done = run("receive", str(mail))
    assert done.code == 0, done.err
    shown = run("show", "1").out
    assert "Re: Thanks" in shown and "txt.exe" in shown
    for text in (done.out, shown):
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    out = tmp_path / "export.json"
    assert run("export", "--format", "json", "-o", str(out)).code == 0
    doc = json.loads(out.read_text())
    interview = doc["applications"][0]["interviews"][0]
    interview["history"] = [
        {"at": "2026-11-24T10:00:00Z", "source": "cli", "kind": "sent",
         "summary": "thank-you sent \x1b[2J\x1b]8;;https://evil.example\x07x", "undone": False}
    ]  # fmt: skip
    interview["inbound"][0]["subject"] = "Re: \x1b[2Jhello\u202e"
    interview["inbound"][0]["message_id"] = "<r2@acme.example>"
    doc["applications"][0]["role"] += " (again)"
    out.write_text(json.dumps(doc))
    r = run("import", str(out), "--json")
    assert r.code == 0, r.err
    [imported] = [str(i["id"]) for i in r.json["interviews"]]
    for text in (run("history", imported).out, run("show", imported).out):
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert "thank-you sent" in run("history", imported).out
