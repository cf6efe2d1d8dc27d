"""An invitation joins an application the user has only with someone it knows: one of its
rounds' people, or someone on one of its domains. One whose people are all strangers makes
nothing and says so; strangers beside a known person are added and said (cold trial: a
"second interview" invitation from evil.example became round 2, its sender the primary
contact, evil.example one of the application's domains)."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path
from typing import Any

from tests.calendar.helpers import ok, one_error_line, only
from tests.conftest import Run


def invite(tmp_path: Path, *people: str, organizer: str = "ada@evil.example") -> Path:
    attendees = "".join(f"ATTENDEE;CN={p.split('@')[0]}:mailto:{p}\r\n" for p in people)
    path = tmp_path / "second.ics"
    path.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\n"
        "UID:second@evil.example\r\nSEQUENCE:0\r\nDTSTAMP:20261125T080000Z\r\n"
        "DTSTART:20261202T100000Z\r\nDTEND:20261202T110000Z\r\n"
        "SUMMARY:Acme second interview\r\n"
        f"ORGANIZER;CN=Ada Lovelace:mailto:{organizer}\r\n"
        f"ATTENDEE;CN=Grace:mailto:grace@example.org\r\n{attendees}END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    return path


def first_round(run: Run) -> dict[str, Any]:
    ok(run("config", "set", "user.email", "grace@example.org"))
    ada = ("--interviewer", "Ada <ada@acme.example>")
    done = ok(run("add", "--company", "Acme", "--role", "Engineer", "--at",
                  "2026-11-20T10:00:00Z", *ada, "--json"))  # fmt: skip
    return ok(run("show", str(done.json["id"]), "--json")).json  # type: ignore[no-any-return]


def test_an_invitation_from_strangers_joins_no_application(run: Run, tmp_path: Path) -> None:
    before = first_round(run)
    path = invite(tmp_path, "mallory@evil.example")
    line = one_error_line(
        run("import", str(path), "--yes", "--company", "Acme", "--role", "Engineer")
    )
    assert "names nobody Acme's application 1 knows" in line
    assert "ada@evil.example, mallory@evil.example are on none of its domains (acme.example)" in (
        line
    )
    assert "followup add --application 1" in line
    assert [r["id"] for r in ok(run("list", "--json")).json] == [before["id"]]
    after = ok(run("show", str(before["id"]), "--json")).json
    assert after["application"]["domains"] == ["acme.example"]
    assert after["status"] == "waiting"


def test_strangers_beside_someone_it_knows_are_added_and_said(run: Run, tmp_path: Path) -> None:
    first_round(run)
    path = invite(tmp_path, "bob@acme.example", organizer="rita@agency.example")
    done = ok(run("import", str(path), "--yes", "--company", "Acme", "--role", "Engineer",
                  "--json"))  # fmt: skip
    row = only(done.json["interviews"])
    assert (row["action"], row["application_id"]) == ("created", 1)
    assert any(
        "rita@agency.example is on none of Acme's domains (acme.example)" in w
        for w in done.json["warnings"]
    ), done.json["warnings"]


def test_a_reply_carrying_a_strangers_invitation_stands_but_imports_nothing(
    run: Run, tmp_path: Path
) -> None:
    before = first_round(run)
    m = EmailMessage()
    m["From"], m["To"] = "Ada Lovelace <ada@acme.example>", "grace@example.org"
    m["Subject"], m["Message-ID"] = "Invitation: second interview", "<inv@acme.example>"
    m["Date"] = "Wed, 25 Nov 2026 09:00:00 +0000"
    m.set_content("Hi Grace, we would like to invite you to a second interview.")
    m.add_alternative(
        invite(tmp_path, "mallory@evil.example").read_text(),
        subtype="calendar",
        params={"method": "REQUEST"},
    )
    path = tmp_path / "invite.eml"
    path.write_bytes(bytes(m))
    done = run("receive", str(path))
    assert done.code == 5, done.err
    assert done.err.startswith("followup: error: next round not imported: cannot import")
    assert "names nobody Acme's application 1 knows" in done.err
    after = ok(run("show", str(before["id"]), "--json")).json
    assert after["status"] == "replied"  # they did answer: the thank-you sequence stops
    assert after["application"]["domains"] == ["acme.example"]
    assert [r["id"] for r in ok(run("list", "--json")).json] == [before["id"]]
