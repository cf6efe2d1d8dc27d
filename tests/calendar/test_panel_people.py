"""Who an imported invitation's interviewers are: rooms, scheduling mailboxes, no-reply
addresses and non-participants are no panel, and the user is told whom a guess left out.

A cold trial (session 17) imported invitations as Exchange, Bookings, Greenhouse and HireVue
send them: a Teams room and the Bookings mailbox got thank-yous (the mailbox as the primary
contact), Greenhouse's NON-PARTICIPANT coordinator became an interviewer, one no-reply
attendee refused the whole file, and a panel of nobody was said by no one. A second trial
found rooms named without a room word ("Conf Rm 4B - Everest", "Phone Booth 3", "Sala
Roma") thanked, people with a room's or a system's word in their name ("Kathrin Raum",
"Priya Raman – Interview Scheduling", dana.wu+calendar@) dropped, and a team's mailbox
("Northwind Talent Team" <talent@…>) made the contact every follow-up went to. A third
kept non-people who would each get a thank-you: a conferencing service ("Google Meet"
<meet@…>, "Conference Call Bridge"), rooms with no English room word ("Aula Magna",
"LON-3-Big Ben", "Lobby Kiosk") and team mailboxes of other words (eng-team@, hrteam@).
A fourth had the user thanking themselves (noor.haddad+jobs@, "Haddad, Noor"
<noorhaddad@googlemail.com>, "Candidate - Noor Haddad"), meeting-note bots, front desks,
"Interview Panel" and "Hiring Manager" mailboxes kept, an agency's forward making its
recruiter the contact, and the application's domains taken from all of them.
"""

from __future__ import annotations

from typing import Any

import pytest

from followup.domain.attendees import (
    BOT,
    CALL,
    DESK,
    NO_REPLY,
    ROOM,
    SCHEDULER,
    TEAM,
    guessed_not_a_person,
)
from followup.domain.identity import own_address, own_name
from followup.domain.replies.text import forwarded
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
    # the domains are the panel's: the Bookings mailbox left out gives none (a fourth trial:
    # northwindbookings.onmicrosoft.com, a room's and a bot's domains became the company's)
    assert detail["application"]["domains"] == ["contosocloud.com"]


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


def test_a_team_mailbox_is_never_the_contact_beside_people(run: Run) -> None:
    doc, detail = imported(run, "synthesized_team_mailbox_organizer_and_unworded_rooms.ics")
    # the organizer talent@ is off the panel: the first person is the contact
    assert [(email, primary) for _, email, primary in panel(detail)] == [
        ("jordan.lee@northwind.example", True),
        ("priya.raman@northwind.example", False),
        ("kathrin.raum@northwind.example", False),
        ("dana.wu+calendar@northwind.example", False),
    ]
    assert "talent@northwind.example" not in thanked(detail)
    warning = only(doc["warnings"])
    for said in (
        '"Conf Rm 4B - Everest" <conf-rm-4b@northwind.example> (a meeting room)',
        '"Sala Roma" <sala.roma@northwind.example> (a meeting room)',
        '"Phone Booth 3" <phonebooth3@northwind.example> (a meeting room)',
        '"Microsoft Teams Meeting" <teams@northwind.example> (a conferencing service)',
        '"Northwind Talent Team" <talent@northwind.example> (a team\'s shared mailbox)',
        '"Hiring Team" <hiring.team@northwind.example> (a team\'s shared mailbox)',
    ):
        assert said in warning
    assert "Raum <" not in warning and "Priya" not in warning and "Dana" not in warning


def test_a_team_mailbox_alone_is_kept_and_said(run: Run) -> None:
    doc, detail = imported(run, "synthesized_team_mailbox_only.ics")
    assert panel(detail) == [("Careers at Northwind", "careers@northwind.example", True)]
    assert thanked(detail) == {"careers@northwind.example"}
    room, team = doc["warnings"]
    assert '"Huddle Space - Lisbon" <huddle.lisbon@northwind.example> (a meeting room)' in room
    assert (
        'no person named in the invitation, so its notes go to "Careers at Northwind"'
        " <careers@northwind.example> (a team's shared mailbox) — if you met someone, add them"
        f' with `followup edit {detail["id"]} --add-interviewer "Name <address>"`'
    ) in team


def test_a_conferencing_service_lecture_halls_and_team_mailboxes_get_no_thank_you(
    run: Run,
) -> None:
    doc, detail = imported(run, "synthesized_calls_lecture_halls_and_team_mailboxes.ics")
    # people whose names are the new words are kept; the staffing@ organizer is not the contact
    assert panel(detail) == [
        ("Marco Sala", "marco.sala@fabrikam.example", True),
        ("Elina Aula", "elina.aula@fabrikam.example", False),
        ("Meet Shah", "meet.shah@fabrikam.example", False),
    ]
    assert thanked(detail) == {
        "marco.sala@fabrikam.example",
        "elina.aula@fabrikam.example",
        "meet.shah@fabrikam.example",
    }
    warning = only(doc["warnings"])
    for said in (
        '"Google Meet" <meet@fabrikam.example> (a conferencing service)',
        '"Conference Call Bridge" <bridge@fabrikam.example> (a conferencing service)',
        '"Aula Magna" <aula.magna@fabrikam.example> (a meeting room)',
        '"LON-3-Big Ben" <lon-3-bigben@fabrikam.example> (a meeting room)',
        '"Lobby Kiosk" <lobby.kiosk@fabrikam.example> (a meeting room)',
        '"Fabrikam Staffing" <staffing@fabrikam.example> (a team\'s shared mailbox)',
        '"Eng Team" <eng-team@fabrikam.example> (a team\'s shared mailbox)',
        '"HR Team" <hrteam@fabrikam.example> (a team\'s shared mailbox)',
        '"Fabrikam HR" <hr-team@fabrikam.example> (a team\'s shared mailbox)',
        '"Talent Acquisition" <talent-acquisition@fabrikam.example> (a team\'s shared mailbox)',
        '"Fabrikam TA" <ta@fabrikam.example> (a team\'s shared mailbox)',
    ):
        assert said in warning
    assert "Sala <" not in warning and "Aula <" not in warning and "Shah" not in warning


def test_a_recruiter_writing_from_jobs_is_left_out_and_told_how_to_keep(run: Run) -> None:
    doc, detail = imported(run, "synthesized_recruiter_writes_from_jobs_mailbox.ics")
    assert panel(detail) == [("Nadia Ortiz", "nadia@smallco.example", True)]
    add = f'`followup edit {detail["id"]} --add-interviewer "Name <address>"`'
    assert only(doc["warnings"]).endswith(
        ': not on the panel, no note to them: "Smallco Jobs" <jobs@smallco.example>'
        f" (a team's shared mailbox) — if one is a person you met, add them with {add}"
        " (a recruiter who writes from jobs@smallco.example: their name and that address)"
    )
    # done as told, the recruiter is on the panel with a thank-you of their own
    ok(run("edit", str(detail["id"]), "--add-interviewer", "Sam Lee <jobs@smallco.example>"))
    after = ok(run("show", str(detail["id"]), "--json")).json
    assert thanked(after) == {"nadia@smallco.example", "jobs@smallco.example"}


def test_a_panel_of_only_team_mailboxes_thanks_one(run: Run) -> None:
    doc, detail = imported(run, "synthesized_two_team_mailboxes_only.ics")
    # the organizer's mailbox, once: not a thank-you per mailbox of the same team
    assert panel(detail) == [("Fabrikam Staffing", "staffing@fabrikam.example", True)]
    assert thanked(detail) == {"staffing@fabrikam.example"}
    left, team = doc["warnings"]
    assert '"Zoom" <zoom@fabrikam.example> (a conferencing service)' in left
    assert (
        '"Talent Acquisition" <talent-acquisition@fabrikam.example> (a team\'s shared mailbox)'
        in left
    )
    assert 'its notes go to "Fabrikam Staffing" <staffing@fabrikam.example>' in team


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
        # rooms named without a room word (the second trial)
        ("Conf Rm 4B - Everest", "conf-rm-4b@acme.example", ROOM),
        ("Sala Roma", "sala.roma@acme.example", ROOM),
        ("Phone Booth 3", "phonebooth3@acme.example", ROOM),
        ("Huddle Space - Lisbon", "huddle.lisbon@acme.example", ROOM),
        ("LON Focus Pod 2", "lon.focuspod2@acme.example", ROOM),
        ("Auditorium A", "auditorium.a@acme.example", ROOM),
        ("Meeting Space Lisbon", "lisbon.meetingspace@acme.example", ROOM),
        ("Microsoft Teams Meeting", "teams@acme.example", CALL),
        ("Zoom Room Atlas", "zoomroom-atlas@acme.example", ROOM),
        ("Everest Meeting Room", "everest@acme.example", ROOM),
        ("Grand Canyon", "room.grandcanyon@acme.example", ROOM),  # a person's name, a room's box
        ("Salle 4 (Oslo)", "oslo@acme.example", ROOM),
        ("NYC-12-Hudson (8)", "nyc-12-hudson@acme.example", ROOM),
        # a person's name, a system's address
        ("Dana Wu", "scheduling.lead@acme.example", SCHEDULER),
        ("Recruitment Calendar", "recruitment@acme.example", SCHEDULER),
        # people whose surname is a room's or a system's word, or who carry a role or a number
        ("Tom Room", "tom.room@acme.example", None),
        ("Paul Rooms", "paul.rooms@acme.example", None),
        ("Kathrin Raum", "kathrin.raum@acme.example", None),
        ("Anne-Marie Raum", "anne-marie.raum@acme.example", None),
        ("Jonas Raum", "jr@acme.example", None),
        ("Marie Salle", "marie.salle@acme.example", None),
        ("Jules Salle", "j-salle@acme.example", None),
        ("Ana Booking", "ana.booking@acme.example", None),
        ("Mateo Booking", "mbooking@acme.example", None),
        ("Mira Calendar", "mira.calendar@acme.example", None),
        ("Chris Invite", "chris.invite@acme.example", None),
        ("Ravi Resource", "ravi.resource@acme.example", None),
        ("Priya Nair (Scheduling Lead)", "priya.nair@acme.example", None),
        ("Priya Raman – Interview Scheduling", "priya.raman@acme.example", None),
        ("Dana Wu", "dana.wu+calendar@acme.example", None),  # +calendar: her filter's tag
        ("Kwame Boateng", "kwame+invites@acme.example", None),
        ("Sam Patel (2)", "sam.patel2@acme.example", None),
        ("Wei Zhang (10)", "wei.zhang@acme.example", None),
        ("Sala Patel (Panel 2)", "sala.patel@acme.example", None),
        ("Rúben Sala 2nd", "ruben@acme.example", None),
        ("Sala Mendes 3rd", "sala.m@acme.example", None),
        ("Lina Schmidt (Raum für Fragen)", "lina@acme.example", None),
        ("Dr. Amara Obi, PhD", "amara.obi@acme.example", None),
        ("Lee, Dana", "dana.lee@acme.example", None),
        # a team's shared mailbox, whatever its name (left out only beside a person)
        ("Initech Talent", "talent@acme.example", TEAM),
        ("Northwind Talent Team", "talent@acme.example", TEAM),
        ("Hiring Team", "hiring.team@acme.example", TEAM),
        ("Northwind Jobs", "jobs@acme.example", TEAM),
        ("Recruiting", "recruiting@acme.example", TEAM),
        ("Careers at Acme", "careers@acme.example", TEAM),
        ("Acme People Ops", "people@acme.example", TEAM),
        ("Interviews Acme", "interviews@acme.example", TEAM),
        ("Interview Coordinator", "coordinator@acme.example", TEAM),
        ("Human Resources", "human.resources@acme.example", TEAM),
        ("Acme Careers", "careers.acme@acme.example", TEAM),
        ("Olu Adeyemi", "oadeyemi+interviews@acme.example", None),  # a tag, not a team
        # a third trial: "Last, First" as Exchange lists people, and Google's address only
        ("Booth, William", "william.booth@acme.example", None),
        ("Booth, William (Engineering)", "wbooth@acme.example", None),
        ("Room, Alex", "alex.room@acme.example", None),
        ("Salle, Julien", "julien.salle@acme.example", None),
        ("Raum, Kathrin", "kraum@acme.example", None),
        ("", "tom.room@acme.example", None),
        ("kathrin.raum@acme.example", "kathrin.raum@acme.example", None),
        ("", "julien.salle@acme.example", None),
        ("", "conf.room@acme.example", ROOM),
        ("", "hiring.team@acme.example", TEAM),
        # a third trial: conferencing services, their names and mailboxes
        ("Google Meet", "meet@acme.example", CALL),
        ("", "meet@acme.example", CALL),
        ("Conference Call Bridge", "bridge@acme.example", CALL),
        ("Zoom", "zoom@acme.example", CALL),
        ("Zoom Meeting", "zoommeeting@acme.example", CALL),
        ("Webex", "webex.events@acme.example", CALL),
        ("Dial-in", "dialin@acme.example", CALL),
        ("Microsoft Teams", "teams@acme.example", CALL),
        ("Zoom Room Atlas", "atlas@acme.example", ROOM),  # a Zoom *room* is a room
        ("Microsoft Teams Room Oslo", "oslo.mtr@acme.example", ROOM),
        # ... rooms: lecture halls, site codes, room words in more languages
        ("Aula Magna", "aula.magna@acme.example", ROOM),
        ("Aula 3", "aula3@acme.example", ROOM),
        ("Hörsaal 1", "hs1@acme.example", ROOM),
        ("LON-3-Big Ben", "lon-3-bigben@acme.example", ROOM),
        ("BER-04-Spree", "spree@acme.example", ROOM),
        ("", "lon-3-bigben@acme.example", ROOM),
        ("Lobby Kiosk", "lobby.kiosk@acme.example", ROOM),
        ("Kiosk", "kiosk@acme.example", ROOM),
        ("Sala Riunioni 2", "riunioni2@acme.example", ROOM),
        ("Sala riunioni Leonardo", "leonardo@acme.example", ROOM),
        ("Salle de réunion Monet", "monet@acme.example", ROOM),
        ("Raum Elbe", "elbe@acme.example", ROOM),
        ("Vergaderruimte Amstel", "amstel@acme.example", ROOM),
        ("Mötesrummet Oden", "oden@acme.example", ROOM),
        ("会議室 A", "kaigi-a@acme.example", ROOM),
        # ... team mailboxes of other words
        ("Eng Team", "eng-team@acme.example", TEAM),
        ("HR Team", "hrteam@acme.example", TEAM),
        ("Acme HR", "hr-team@acme.example", TEAM),
        ("Talent Acquisition", "talent-acquisition@acme.example", TEAM),
        ("Acme TA", "ta@acme.example", TEAM),
        ("Acme Staffing", "staffing@acme.example", TEAM),
        ("", "tech.recruiting@acme.example", TEAM),
        # ... and people whose name is one of those words
        ("Meet Shah", "meet.shah@acme.example", None),
        ("Meet Shah", "meet@acme.example", None),  # his own first name as the address
        ("", "meet.shah@acme.example", None),
        ("Sam Bridge", "sam.bridge@acme.example", None),
        ("Lin Zoom", "lin.zoom@acme.example", None),
        ("Chime Dorje", "chime.dorje@acme.example", None),
        ("Elina Aula", "elina.aula@acme.example", None),
        ("Aula Rossi", "aula.rossi@acme.example", None),
        ("Marco Sala", "marco.sala@acme.example", None),
        ("Giulia Sala", "gsala@acme.example", None),
        ("Léa Salle", "lea.salle@acme.example", None),
        ("Jonas Raum", "jonas.raum@acme.example", None),
        ("Anna Kiosk", "anna.kiosk@acme.example", None),
        ("Tom Lobby", "tom.lobby@acme.example", None),
        ("Ben Big", "ben.big@acme.example", None),
        ("Li Na", "li-3-na@acme.example", None),
        ("Eng Lim", "eng.lim@acme.example", None),
        ("Ta Minh", "ta.minh@acme.example", None),
        ("Dev Patel", "dev.patel@acme.example", None),
        ("Steve Jobs", "sjobs@acme.example", None),
        ("Ana Team", "ana.team@acme.example", None),
        ("", "ana.team@acme.example", None),
        # a fourth trial: meeting-note bots, by their name or their service's domain ...
        ("Otter.ai", "otter@otter.ai", BOT),
        ("Fireflies.ai Notetaker", "fred@fireflies.ai", BOT),
        ("", "fred@fireflies.ai", BOT),
        ("Read AI", "executiveassistant@read.ai", BOT),
        ("tl;dv", "bot@tldv.io", BOT),
        ("Fathom Notetaker", "notetaker@fathom.video", BOT),
        ("AI Notetaker", "notes@acme.example", BOT),
        # ... but people at those companies, and names that only look so, are kept
        ("Sam Lee", "sam.lee@otter.ai", None),
        ("", "ana.cruz@fireflies.ai", None),
        ("Ai Tanaka", "ai.tanaka@acme.example", None),
        ("Fred Fields", "fred@acme.example", None),
        # ... rooms and halls with no room word before: lecture theatres, a Saal, a colour
        ("Lecture Theatre 2", "lt2@acme.example", ROOM),
        ("Großer Saal", "grosser.saal@acme.example", ROOM),
        ("Saal 3", "saal3@acme.example", ROOM),
        ("Konferenzsaal", "ks@acme.example", ROOM),
        ("Sala Verde", "salaverde@acme.example", ROOM),
        ("Sala Azul", "sala.azul@acme.example", ROOM),
        ("Anna Saal", "anna.saal@acme.example", None),
        ("Sala Verdi", "sala.verdi@acme.example", None),  # a person: Verdi is no colour
        ("Marco Verde", "marco.verde@acme.example", None),
        # ... front desks
        ("Front Desk", "frontdesk@acme.example", DESK),
        ("Reception", "reception@acme.example", DESK),
        ("Main Reception Desk", "mainreception@acme.example", DESK),
        ("", "front.desk@acme.example", DESK),
        ("Empfang", "empfang@acme.example", DESK),
        ("Desmond Frontier", "desmond.frontier@acme.example", None),
        # ... a panel's or a role's mailbox, not a person's (a team's: left out beside people)
        ("Interview Panel", "panel@acme.example", TEAM),
        ("Engineering Interviewers", "eng-interviewers@acme.example", TEAM),
        ("Hiring Manager", "hiring.manager@acme.example", TEAM),
        ("Interviewer 2", "interviewer2@acme.example", TEAM),
        ("Hiring Manager", "jsmith@acme.example", None),  # the manager's own address
        ("Dana Manager", "dana.manager@acme.example", None),
        # ... and a given name and a surname are a person, whatever the words
        ("Teams Lee", "teams.lee@acme.example", None),
        ("Hall, Robin", "robin.hall@acme.example", None),
        # the calendars' and LinkedIn's own senders
        ("Google Calendar", "calendar-notification@google.com", SCHEDULER),
        ("LinkedIn", "invitations@linkedin.com", SCHEDULER),
        ("LinkedIn", "messages-noreply@linkedin.com", NO_REPLY),
    ],
)
def test_rooms_and_systems_by_name_or_address_but_never_a_person(
    name: str, address: str, why: str | None
) -> None:
    assert guessed_not_a_person(name, address) == why


def test_a_call_service_or_a_calendars_room_is_never_the_companys_domain(run: Run) -> None:
    """Google Workspace's rooms (c_…@resource.calendar.google.com) and a "Google Meet"
    <meet@google.com> copied in are no employer's: google.com as the application's domain
    would take mail from anyone at Google for news of this application."""
    _doc, detail = imported(run, "synthesized_google_room_and_meet_bridge.ics")
    assert detail["application"]["domains"] == ["northwind.example"]
    assert [p[1] for p in panel(detail)] == ["priya.nair@northwind.example"]
    assert (detail["application"]["company"], detail["application"]["role"]) == (
        "Northwind",
        "Data Analyst",
    )


# --- the user: at another spelling of their address, or by their name --------------------


def as_noor(run: Run, name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Import as the trial's user, Noor Haddad <noor.haddad@gmail.com>."""
    ok(run("config", "set", "user.name", "Noor Haddad"))
    ok(run("config", "set", "user.email", "noor.haddad@gmail.com"))
    doc = ok(run("import", fixture(name), "--json", "--yes")).json
    row = only(doc["interviews"])
    assert row["action"] == "created"
    return doc, ok(run("show", str(row["id"]), "--json")).json


@pytest.mark.parametrize(
    ("address", "mine"),
    [
        ("noor.haddad@gmail.com", True),
        ("Noor.Haddad+jobs@gmail.com", True),  # a filter's tag
        ("noorhaddad@googlemail.com", True),  # Gmail ignores dots; googlemail is gmail
        ("n.o.o.r.haddad+x@googlemail.com", True),
        ("noor.haddad@outlook.com", False),
        ("noorhaddad@haddad.dev", False),  # dots count outside Gmail ...
        ("noor.h@haddad.dev", True),  # ... and a tag everywhere
        ("noor.h+cv@haddad.dev", True),
        ("noorh@haddad.dev", False),
    ],
)
def test_the_users_addresses_at_a_tag_or_gmails_other_spelling(address: str, mine: bool) -> None:
    assert own_address(address, ["noor.haddad@gmail.com", "noor.h@haddad.dev"]) is mine


@pytest.mark.parametrize(
    ("name", "mine"),
    [
        ("Noor Haddad", True),
        ("Haddad, Noor", True),
        ("Haddad Noor", True),
        ("NOOR HADDAD", True),
        ("Candidate - Noor Haddad", True),
        ("Candidate: Noor Haddad", True),
        ("Noor Haddad (Candidate)", True),
        ("Noor Haddad - Applicant", True),
        ("Ms. Noor Haddad", True),
        ("Nour Haddad", False),
        ("Noor", False),
        ("Noor Haddad-Smith", False),
        ("Sami Haddad", False),
        ("Candidate Experience Team", False),
    ],
)
def test_the_users_name_in_either_order_with_a_candidates_label(name: str, mine: bool) -> None:
    assert own_name(name, ["Noor Haddad"]) is mine


def test_the_user_at_any_alias_and_note_bots_get_no_thank_you(run: Run) -> None:
    """The trial's user at a +tag with no name, as "Candidate - Noor Haddad", "Haddad, Noor" at
    googlemail.com and "Noor Haddad" at an address followup was never told of; three bots."""
    doc, detail = as_noor(run, "synthesized_user_aliases_and_note_bots.ics")
    assert panel(detail) == [
        ("Kate Lowe", "kate.lowe@northwind.example", True),
        ("Teams Lee", "teams.lee@northwind.example", False),  # a person, not the Teams call
    ]
    assert thanked(detail) == {"kate.lowe@northwind.example", "teams.lee@northwind.example"}
    # neither the user's alias's domain nor a bot's is the company's
    assert detail["application"]["domains"] == ["northwind.example"]
    warning = only(doc["warnings"])
    for said in (
        '"Otter.ai" <otter@otter.ai> (a note-taking bot)',
        '"Fireflies.ai Notetaker" <fred@fireflies.ai> (a note-taking bot)',
        '"Read AI" <executiveassistant@read.ai> (a note-taking bot)',
    ):
        assert said in warning
    assert "haddad" not in warning.lower()  # the user is no one left out


def test_rooms_desks_and_role_mailboxes_elsewhere_give_no_company_domain(run: Run) -> None:
    """A Bookings organizer on its own tenant, rooms on other domains, desks, role mailboxes,
    Google Calendar's and LinkedIn's senders: the panel is the three people, and only their
    domain is the company's (a trial had six domains, and mail from any of them counted)."""
    doc, detail = as_noor(run, "synthesized_rooms_desks_and_role_mailboxes_elsewhere.ics")
    assert panel(detail) == [
        ("Kate Lowe", "kate.lowe@northwind.example", True),  # the first, with no organizer
        ("Sala Patel", "sala.patel@northwind.example", False),
        ("Anna Saal", "anna.saal@northwind.example", False),
    ]
    assert detail["application"]["domains"] == ["northwind.example"]
    assert detail["application"]["company"] == "Northwind"
    warning = only(doc["warnings"])
    for said in (
        '"Microsoft Bookings" <bookings@northwindbookings.onmicrosoft.com> (a scheduling',
        '"Conf Rm 3A" <conf-rm-3a@northwind-resources.example> (a meeting room)',
        '"Lecture Theatre 2" <lt2@uni-northwind.example> (a meeting room)',
        '"Großer Saal" <grosser.saal@northwind-gmbh.example> (a meeting room)',
        '"Sala Verde" <salaverde@northwind-srl.example> (a meeting room)',
        '"Front Desk" <frontdesk@northwind.example> (a reception desk)',
        '"Main Reception Desk" <mainreception@northwind.example> (a reception desk)',
        '"Interview Panel" <panel@northwind.example> (a team\'s shared mailbox)',
        '"Engineering Interviewers" <eng-interviewers@northwind.example> (a team\'s',
        '"Hiring Manager" <hiring.manager@northwind.example> (a team\'s shared mailbox)',
        '"Interviewer 2" <interviewer2@northwind.example> (a team\'s shared mailbox)',
        '"Google Calendar" <calendar-notification@google.com> (a scheduling',
        '"LinkedIn" <invitations@linkedin.com> (a scheduling system\'s mailbox)',
    ):
        assert said in warning


# --- a forwarded invitation ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("subject", "forward"),
    [
        ("FW: Client Interview - Northwind Traders", True),
        ("Fwd: Interview", True),
        ("[EXTERNAL] FW: Interview", True),
        ("WG: Vorstellungsgespräch", True),
        ("TR: Entretien", True),
        ("RV: Entrevista", True),
        ("Interview - Northwind", False),
        ("RE: Interview", False),  # a reply: its sender may well organize
        ("Invitation: Fwd planning @ Mon", False),
    ],
)
def test_a_forwards_subject(subject: str, forward: bool) -> None:
    assert forwarded(subject) is forward


def test_a_forwarded_invitation_makes_no_contact_of_who_forwarded_it(run: Run) -> None:
    """An agency's recruiter forwards the client's Outlook invitation, which names no
    ORGANIZER: the recruiter is not on the event, so not its contact (a trial: every
    follow-up went to the agency), and the application's domain is the client's. Whether to
    thank them is the user's to say: the warning names them and says how."""
    doc, detail = as_noor(run, "synthesized_agency_forwarded_outlook_invite.eml")
    assert panel(detail) == [("Dev Patel", "dev.patel@northwindtraders.example", True)]
    assert detail["application"]["domains"] == ["northwindtraders.example"]
    add = f'`followup edit {detail["id"]} --add-interviewer "Name <address>"`'
    assert only(doc["warnings"]).endswith(
        ': forwarded by "Gemma Hughes" <gemma.hughes@hays.example>, who is not among its'
        f" attendees: not on the panel, no note to them — to thank them too, add them with {add}"
    )


def test_an_invitation_the_user_forwarded_to_themselves_says_nothing_of_it(run: Run) -> None:
    doc, detail = as_noor(run, "synthesized_forwarded_by_the_user_from_another_address.eml")
    assert panel(detail) == [("Dev Patel", "dev.patel@northwindtraders.example", True)]
    assert doc["warnings"] == []
