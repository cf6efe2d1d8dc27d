"""Issue #11's cold trial: an interviewer's name that `add` refuses (it can never be a To
header's display name) came in through the JSON and .ics imports. Now one check
(services.check_interviewer_name) for every way in: JSON refuses the row; an invitation's
CN is not the user's typing, so its address is kept and the name dropped with a warning."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.conftest import Run

ENCODED_CRLF = "=?utf-8?b?RXZlDQpCY2M6IGVAZS5leGFtcGxl?="  # "Eve\r\nBcc: e@e.example"

INVITE = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Some Scheduler//EN\r
METHOD:REQUEST\r
BEGIN:VEVENT\r
UID:cn-test-1@scheduler.example\r
DTSTAMP:20261120T120000Z\r
DTSTART:20261207T150000Z\r
DURATION:PT45M\r
SUMMARY:Umbrella Corp - Data Engineer interview\r
ORGANIZER;CN="{cn}":mailto:eve@umbrella.example\r
END:VEVENT\r
END:VCALENDAR\r
"""


def _checksum(home: Path) -> str:
    path = home / "followup.db"
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""


@pytest.mark.parametrize(
    "cn", [ENCODED_CRLF, "Eve^nBcc: e@e.example", "Eve\u2028Bcc"], ids=["encoded", "caret", "u2028"]
)
def test_an_invitations_unusable_cn_keeps_the_address_and_drops_the_name(
    run: Run, tmp_path: Path, cn: str
) -> None:
    invite = tmp_path / "invite.ics"
    invite.write_text(INVITE.format(cn=cn), encoding="utf-8", newline="")
    r = run("import", str(invite), "--yes")
    assert r.code == 0, r.err
    assert "the name given for eve@umbrella.example is not usable: using the address" in (
        r.out + r.err
    )
    [row] = run("list", "--json").json
    shown = run("show", str(row["id"]), "--json").json
    assert [(p["name"], p["email"]) for p in shown["interviewers"]] == [
        ("eve", "eve@umbrella.example")
    ]


@pytest.mark.parametrize(
    "name", ["Eve\u2028Bcc", f"Eve {ENCODED_CRLF}", "Eve\x0bX"], ids=["u2028", "encoded", "vt"]
)
def test_add_and_csv_refuse_the_same_names(run: Run, home: Path, tmp_path: Path, name: str) -> None:
    base = ("add", "--company", "Acme", "--role", "Dev", "--at", "2026-11-23T14:00")
    for person in (name, f'"{name}" <eve@acme.example>'):
        r = run(*base, "--interviewer", person)
        assert r.code == 4, (person, r.err)
        assert "line break" in r.err and r.err.count("\n") == 1
    csv = tmp_path / "rows.csv"
    csv.write_text(
        "company,role,start,tz,interviewer_name,interviewer_email\n"
        f'Acme,Dev,2026-11-23T14:00,Europe/Berlin,"{name}",eve@acme.example\n',
        encoding="utf-8",
    )
    before = _checksum(home)
    r = run("import", str(csv))
    assert r.code == 4, r.err
    assert "line break" in r.err
    assert _checksum(home) == before


@pytest.mark.parametrize(
    ("given", "hint"),
    [
        ("bob at example dot com", "type the address itself (bob@example.com)"),
        ("Bob [at] example [dot] co [dot] uk", "(Bob@example.co.uk)"),
    ],
)
def test_an_address_written_out_as_a_name_is_refused_with_the_address(
    run: Run, given: str, hint: str
) -> None:
    """Issue #16's trial: "bob at example dot com" was kept as a name with no address, so
    every note to Bob had nowhere to go."""
    r = run("add", "--company", "Acme", "--role", "Eng", "--at", "2026-11-16T10:00",
            "--tz", "Europe/Berlin", "--interviewer", given)  # fmt: skip
    assert r.code == 4 and hint in r.err and "looks like an e-mail address" in r.err
    assert run("list", "--json").json == []  # nothing half-written


def test_a_name_with_at_or_dot_as_words_is_still_a_name(run: Run) -> None:
    for name in ("Ada at Acme", "Dot Cotton", "Bob Atkins"):
        r = run("add", "--company", name, "--role", "Eng", "--at", "2026-11-16T10:00",
                "--tz", "Europe/Berlin", "--interviewer", name, "--json")  # fmt: skip
        assert r.code == 0, r.err
