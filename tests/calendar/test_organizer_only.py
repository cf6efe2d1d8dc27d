"""Only an invitation's organizer changes or cancels it (RFC 5546): a later file with the
same UID and another ORGANIZER (or none) is refused whole, one line naming the organizer on
record (cold trial: a forged METHOD:CANCEL cancelled the interview; a forged REQUEST with a
higher SEQUENCE moved it and added the sender to the panel)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.calendar.helpers import FIXTURES, fixture, ok, one_error_line, only
from tests.conftest import Run

RITA = "ORGANIZER;CN=Rita Recruiter:mailto:rita.recruiter@acme.example"


def forged(tmp_path: Path, name: str, organizer: str) -> str:
    text = (FIXTURES / name).read_text()
    assert RITA in text
    path = tmp_path / f"forged-{name}"
    extra = "ATTENDEE;CN=Mallory:mailto:mallory@evil.example\n"
    path.write_text(text.replace(RITA + "\n", f"{organizer}\n{extra}" if organizer else extra))
    return str(path)


@pytest.fixture
def iid(run: Run) -> int:
    ok(run("config", "set", "user.email", "grace@example.org"))
    done = ok(run("import", fixture("outlook_windows_tzid.ics"), "--yes", "--json"))
    return int(only(done.json["interviews"])["id"])


@pytest.mark.parametrize("name", ["synthesized_cancel.ics", "synthesized_sequence_bump.ics"])
@pytest.mark.parametrize("organizer", ["ORGANIZER;CN=Rita Recruiter:mailto:rita@evil.example", ""])
def test_another_organizer_changes_nothing(
    run: Run, tmp_path: Path, iid: int, name: str, organizer: str
) -> None:
    before = ok(run("show", str(iid), "--json")).json
    line = one_error_line(run("import", forged(tmp_path, name, organizer), "--yes"))
    who = "is organized by rita@evil.example" if organizer else "names no organizer"
    assert who in line
    assert f"interview {iid} but" in line
    assert "its invitation came from rita.recruiter@acme.example" in line
    assert line.endswith("only the organizer may change or cancel it: nothing changed")
    after = ok(run("show", str(iid), "--json")).json
    assert (after["status"], after["start"]) == (before["status"], before["start"])
    assert after["interviewers"] == before["interviewers"]


def test_the_organizer_on_record_still_changes_and_cancels_it(
    run: Run, tmp_path: Path, iid: int
) -> None:
    shouting = "ORGANIZER;CN=Rita Recruiter:mailto:RITA.Recruiter@Acme.example"
    moved = ok(run("import", forged(tmp_path, "synthesized_sequence_bump.ics", shouting),
                   "--json"))  # fmt: skip
    assert only(moved.json["interviews"])["action"] == "updated"
    gone = ok(run("import", fixture("synthesized_cancel.ics"), "--json"))
    assert only(gone.json["interviews"])["action"] == "cancelled"
