"""Who an imported invitation's interviewers are: rooms, scheduling mailboxes, no-reply
addresses and non-participants are no panel, and the user is told whom a guess left out.

A cold trial (session 17) imported invitations as Exchange, Bookings, Greenhouse and HireVue
send them: a Teams room and the Bookings mailbox got thank-yous (the mailbox as the primary
contact), Greenhouse's NON-PARTICIPANT coordinator became an interviewer, one no-reply
attendee refused the whole file, and a panel of nobody was said by no one.
"""

from __future__ import annotations

from typing import Any

import pytest

from followup.domain.attendees import ROOM, SCHEDULER, guessed_not_a_person
from tests.calendar.helpers import fixture, ok, only
from tests.conftest import Run


def imported(run: Run, name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The import's JSON (one interview created) and `show`'s JSON of that interview."""
    ok(run("config", "set", "user.email", "grace@example.org"))
    doc = ok(run("import", fixture(name), "--json", "--yes")).json
    row = only(doc["interviews"])
    assert row["action"] == "created"
    return doc, ok(run("show", str(row["id"]), "--json")).json


def panel(detail: dict[str, Any]) -> list[tuple[str, str, bool]]:
    return [(p["name"], p["email"], p["primary"]) for p in detail["interviewers"]]


def thanked(detail: dict[str, Any]) -> set[str]:
    emails = {p["id"]: p["email"] for p in detail["interviewers"]}
    return {emails[n["interviewer_id"]] for n in detail["notes"] if n["kind"] == "thank-you"}


def test_a_teams_room_and_the_bookings_mailbox_get_no_thank_you(run: Run) -> None:
    doc, detail = imported(run, "synthesized_teams_room_and_bookings_mailbox.ics")
    # people whose names only look like a room or a booking are kept
    assert panel(detail) == [
        ("Aaron Bell", "aaron.bell@contosocloud.com", True),  # no longer the mailbox
        ("Sala Patel", "sala.patel@contosocloud.com", False),
        ("Roomi Khan", "roomi.khan@contosocloud.com", False),
    ]
    assert thanked(detail) == {
        "aaron.bell@contosocloud.com",
        "sala.patel@contosocloud.com",
        "roomi.khan@contosocloud.com",
    }
    # the one no-reply attendee no longer refuses the file; all three are said, with a way back
    warning = only(doc["warnings"])
    assert "not on the panel, no note to them" in warning
    assert (
        '"Microsoft Bookings" <interviewscheduling@contosocloud.onmicrosoft.com>'
        " (a scheduling system's mailbox)" in warning
    )
    assert '"SEA-B2-Rainier (12) Teams Room" <sea-b2-rainier@contosocloud.com>' in warning
    assert "<interviews-donotreply@contosocloud.com> (a no-reply address)" in warning
    interview = detail["id"]
    assert f'`followup edit {interview} --add-interviewer "Name <address>"`' in warning
    # a Microsoft 365 tenant is the company, not every tenant of onmicrosoft.com
    assert detail["application"]["domains"] == [
        "contosocloud.onmicrosoft.com",
        "contosocloud.com",
    ]


def test_a_room_without_cutype_is_no_interviewer(run: Run) -> None:
    doc, detail = imported(run, "synthesized_outlook_room_without_cutype.ics")
    assert [p[1] for p in panel(detail)] == [
        "katrin.schmidt@bauwerk-gruppe.de",
        "jonas.mueller@bauwerk-gruppe.de",
    ]
    # the CUTYPE=RESOURCE room goes silently (the file says so); the guessed one is said
    warning = only(doc["warnings"])
    assert '"Raum Isar" <raum.isar@bauwerk-gruppe.de> (a meeting room)' in warning
    assert "Konferenzraum" not in warning


def test_a_non_participant_is_never_an_interviewer(run: Run) -> None:
    doc, detail = imported(run, "synthesized_greenhouse_non_participant_coordinator.eml")
    assert panel(detail) == [
        ("Olivia Chen", "olivia.chen@vantagehealth.example", True),
        ("Derek Fu", "derek.fu@vantagehealth.example", False),
    ]
    assert "recruiting@vantagehealth.example" not in thanked(detail)
    assert doc["warnings"] == []  # ROLE=NON-PARTICIPANT and the relay: the file says so


def test_an_invitation_from_a_no_reply_relay_only_says_no_interviewer_was_found(
    run: Run,
) -> None:
    doc, detail = imported(run, "synthesized_noreply_only_organizer.ics")
    assert detail["interviewers"] == []
    warning = only(doc["warnings"])
    assert "no interviewer found in the invitation" in warning
    assert f"followup edit {detail['id']} --add-interviewer" in warning


def test_a_dry_run_names_no_interview_it_did_not_keep(run: Run) -> None:
    ok(run("config", "set", "user.email", "grace@example.org"))
    name = fixture("synthesized_outlook_room_without_cutype.ics")
    doc = ok(run("import", name, "--json", "--yes", "--dry-run")).json
    assert "`followup edit ID --add-interviewer" in only(doc["warnings"])


def test_an_attendee_line_that_cannot_be_read_is_said(run: Run) -> None:
    doc, detail = imported(run, "synthesized_attendee_cn_escaped_quotes.ics")
    assert [p[1] for p in panel(detail)] == ["peter@initech.example"]
    warning = only(doc["warnings"])
    assert "skipped an ATTENDEE line that cannot be read (bill@initech.example)" in warning


@pytest.mark.parametrize(
    ("name", "address", "why"),
    [
        ("Conference Room 4B", "cr-4b@acme.example", ROOM),
        ("Salle Voltaire", "salle.voltaire@acme.example", ROOM),
        ("Sala de reuniones 3", "madrid-3@acme.example", ROOM),
        ("Sala Roma (10)", "roma@acme.example", ROOM),
        ("MUC Besprechungsraum", "muc-br@acme.example", ROOM),
        ("Mötesrum Stockholm", "sthlm@acme.example", ROOM),
        ("", "room-sf4@acme.example", ROOM),
        ("Acme Hiring", "bookings@acme.example", SCHEDULER),
        ("Interview Coordinator", "recruiting+scheduling@acme.example", SCHEDULER),
        ("Sala Patel", "sala.patel@acme.example", None),
        ("Roomi Khan", "roomi.khan@acme.example", None),
        ("Jane Booker", "booker@acme.example", None),
        ("Jean de la Salle", "jean.delasalle@acme.example", None),
        ("Hans Zimmer", "hans.zimmer@acme.example", None),
        ("Initech Talent", "talent@acme.example", None),  # a team that reads its mail
    ],
)
def test_rooms_and_systems_by_name_or_address_but_never_a_person(
    name: str, address: str, why: str | None
) -> None:
    assert guessed_not_a_person(name, address) == why
