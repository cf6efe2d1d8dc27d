"""A display name cannot pose as another address: wherever a person is shown, a name that
looks like "Name <address>" (or holds a comma) is quoted as a header would quote it, and the
real address is the one in <> beside it. Plain names stay as they are."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

import pytest

from tests.conftest import Run

POSING = '"Ada <ada@acme.example>" <mallory@evil.example>'  # as a header writes it


@pytest.fixture
def imported(run: Run, tmp_path: Path) -> int:
    """The trial's case: a CSV whose interviewer's display name is itself 'Name <address>'."""
    csv = tmp_path / "tracker.csv"
    csv.write_text(
        "company,role,start,interviewers\n"
        'Acme,Dev,2026-11-23T14:00,"""Ada <ada@acme.example>"" <mallory@evil.example>;'
        ' ""Lovelace, Ada"" <lovelace@acme.example>; Bob <bob@acme.example>"\n'
    )
    result = run("import", str(csv), "--json")
    assert result.code == 0, result.err
    return int(result.json["interviews"][0]["id"])


def test_the_agenda_shows_the_real_address_of_a_name_that_looks_like_one(
    run: Run, imported: int
) -> None:
    out = run("agenda").out
    row = next(line for line in out.splitlines() if line.startswith(str(imported)))
    # "Lovelace, Ada" in natural order: no comma left to split the list, no address needed
    assert f"{POSING}, Ada Lovelace, Bob " in row
    recipients = run("agenda", "--json").json[0]["recipients"]
    assert recipients == [POSING, "Ada Lovelace", "Bob"]


def test_show_writes_each_person_as_a_header_would(run: Run, imported: int) -> None:
    out = run("show", str(imported)).out
    with_lines = [line for line in out.splitlines() if line.startswith("  With:")]
    assert with_lines == [
        f"  With:   {POSING} (primary contact)",  # the first: no one is marked
        '  With:   "Lovelace, Ada" <lovelace@acme.example>',
        "  With:   Bob <bob@acme.example>",
    ]
    # the timeline names the person of each note the same way
    assert f"thank-you due ({POSING})" in out
    assert "thank-you due (Bob)" in out
    assert "Ada <ada@acme.example> <mallory" not in out


@pytest.mark.parametrize(
    ("name", "email", "shown"),
    [
        ("Ada Lovelace", "ada@acme.example", "Ada Lovelace"),
        ("Dr. Amara Okafor", "amara@acme.example", "Dr. Amara Okafor"),
        ("", "ada@acme.example", "ada@acme.example"),
        ("ada@acme.example", "m@evil.example", '"ada@acme.example" <m@evil.example>'),
        ("ada＠acme.example", "m@evil.example", '"ada＠acme.example" <m@evil.example>'),  # NFKC
        ("Ada <ada@acme.example>", None, '"Ada <ada@acme.example>" (no address)'),
        # "Last, First" (a cold trial saw the full address in the timeline): natural order
        ("Okafor, Chidi", "chidi@acme.example", "Chidi Okafor"),
        ("Okafor, Chidi", None, "Chidi Okafor"),
        ("Ada, <ada@acme.example>", None, '"Ada, <ada@acme.example>" (no address)'),
    ],
)
def test_a_name_in_a_list_cannot_pass_for_an_address(
    name: str, email: str | None, shown: str
) -> None:
    from followup.app.parse import person_label

    assert person_label(name, email) == shown


def test_an_invitations_people_are_confirmed_as_a_header_writes_them(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("followup.cli.portability._tty", lambda: True)
    invite = tmp_path / "invite.ics"
    invite.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\n"
        "UID:posing-1\r\nDTSTAMP:20261120T120000Z\r\nDTSTART:20261210T150000Z\r\n"
        "DTEND:20261210T160000Z\r\nSUMMARY:Interview: Backend Engineer at Acme\r\n"
        "ORGANIZER;CN=Rita:mailto:rita@acme.example\r\n"
        'ATTENDEE;CN="Ada <ada@acme.example>":mailto:mallory@evil.example\r\n'
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    result = run("import", str(invite), stdin="Acme\nBackend Engineer\n")
    assert result.code == 0, result.err
    people = next(line for line in result.err.splitlines() if "interviewers:" in line)
    assert people == f"  interviewers: Rita <rita@acme.example>, {POSING}"


def test_an_unquoted_last_first_name_is_refused_with_how_to_quote_it(run: Run) -> None:
    r = run("add", "--company", "Acme", "--role", "Dev", "--at", "2026-11-23T14:00",
            "--interviewer", "Okafor, Chidi <chidi@acme.example>")  # fmt: skip
    assert r.code == 4
    assert 'quote a name with a comma, as "Okafor, Chidi" <…>' in r.err


def test_a_recipient_with_no_real_name_is_written_as_the_bare_address(
    run: Run, tmp_path: Path
) -> None:
    """'mei.lin' is the address's own local part, not a name: no invented display name."""
    r = run("add", "--company", "Acme", "--role", "Dev", "--at", "2026-11-20T14:00",
            "--interviewer", "mei.lin@acme.example", "--topic", "the ledger", "--json")  # fmt: skip
    assert r.code == 0, r.err
    run("config", "set", "user.email", "grace@example.org")
    out = tmp_path / "note.eml"
    run("draft", str(r.json["id"]), "--eml", str(out))  # warns (lint), still writes
    message = email.message_from_bytes(out.read_bytes(), policy=email.policy.default)
    [to] = message["To"].addresses
    assert (to.display_name, to.addr_spec) == ("", "mei.lin@acme.example")
