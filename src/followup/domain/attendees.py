"""Which of an invitation's attendees is not a person to thank, and why.

Calendars list more than the people one meets: the meeting room (Exchange often without
CUTYPE=ROOM, as a plain REQ-PARTICIPANT named "SEA-B2-Rainier (12) Teams Room" or "Raum
Isar"), the scheduling system's mailbox that sent the invitation ("Microsoft Bookings"
<InterviewScheduling@…>), a no-reply calendar address, a coordinator copied as
ROLE=NON-PARTICIPANT. A thank-you to any of them is lost, or worse, makes a room the panel's
contact. The file's own word (CUTYPE, ROLE) is certain; the rest is read from the name and
the address, so it errs towards keeping a person: "Sala Patel", "Roomi Khan" and a Booker
are people. app/calendar.py applies it and says whom it left out by a guess.

Pure: stdlib and domain/limits only.
"""

from __future__ import annotations

import re

from followup.domain.limits import no_reply_problem

# CUTYPE values that are never a person (RFC 5545 3.2.3)
NOT_PEOPLE = frozenset({"ROOM", "RESOURCE", "GROUP"})
# ROLE=NON-PARTICIPANT is copied for information (RFC 5545 3.2.16): never on the panel
NOT_TAKING_PART = "NON-PARTICIPANT"

ROOM = "a meeting room"
SCHEDULER = "a scheduling system's mailbox"
NO_REPLY = "a no-reply address"

# Words that name a room and never a person, in the languages invitations come in. "Sala"
# alone is also a given name ("Sala Patel"), "Salle" a surname after "de la": those count
# only in a room phrase, or beside a capacity or a number (_SALA).
_ROOM_NAME = re.compile(
    r"\brooms?\b|\b\w*(?:conference|meeting|board)room\b|\braum\b"
    r"|(?:besprechungs|konferenz|sitzungs|schulungs|tagungs)(?:raum|zimmer)"
    r"|(?<!\bla )(?<!\bde )\bsalle\b"
    r"|\bsala\s+(?:de\s+|di\s+)?(?:reuni(?:ones|ão|ao|oni|one)|juntas|conferen(?:cias|ze|za)"
    r"|confer[eê]ncias|riunioni|konferencyjna|spotka[nń])\b"
    r"|\bvergader(?:ruimte|zaal|kamer)\b|\b(?:möte|konferens)s?rum\b|\bmøte?rom\b"
    r"|\bmødelokale\b|\bneuvotteluhuone\b|会議室|会议室|회의실",
    re.IGNORECASE,
)
# "Sala 3", "Sala Roma (10)": the ambiguous word with a number beside it
_SALA = re.compile(r"\bsala\b.*\d|\d.*\bsala\b", re.IGNORECASE)
# "(12)", "(8 Personen)", "[10 seats]": a room's capacity; nobody's name holds one
_CAPACITY = re.compile(
    r"[(\[]\s*\d{1,3}\s*(?:p|pax|seats?|people|persons?|personen|pers\.?|places|plazas"
    r"|posti|lugares|plaatsen)?\s*[)\]]",
    re.IGNORECASE,
)
# parts of an address's local part (split at . - _ +) that are a room's mailbox
_ROOM_LOCAL = frozenset(
    {"room", "rooms", "raum", "salle", "confroom", "conferenceroom", "meetingroom", "boardroom"}
    | {"konferenzraum", "besprechungsraum", "resource", "resources"}
)

# A scheduling or booking system's mailbox: a part of the local part ("InterviewScheduling",
# "recruiting+scheduling", "bookings", "calendar") or its name ("Microsoft Bookings",
# "Interview Calendar"). "booker", "scheduler.jane" as a person's own address would be
# rare; a name like "Jane Booker" never matches (whole words only).
_SCHEDULER_LOCAL = re.compile(
    r"\w*(?:scheduling|scheduler|bookings?|calendars?)|schedule|invites?|invitations?"
    r"|notifications?|notify|postmaster|mailerdaemon|daemon",
    re.IGNORECASE,
)
_SCHEDULER_NAME = re.compile(
    r"\b(?:bookings|scheduling|scheduler|calendar|no-?reply|do[\s-]?not[\s-]?reply)\b",
    re.IGNORECASE,
)


def _local_parts(address: str) -> list[str]:
    local = address.rpartition("@")[0].lower()
    return [part for part in re.split(r"[._+\-]+", local) if part]


def is_room(name: str, address: str) -> bool:
    """A room or resource by its name ("Conference Room 4B", "Raum Isar", "Salle Voltaire",
    "Sala de reuniones 2", "SEA-B2-Rainier (12)") or its address (room-sf4@, raum.isar@)."""
    if _ROOM_NAME.search(name) or _CAPACITY.search(name) or _SALA.search(name):
        return True
    return any(part in _ROOM_LOCAL for part in _local_parts(address))


def is_scheduler(name: str, address: str) -> bool:
    """A scheduling or booking system's mailbox, or a calendar's notification address."""
    if _SCHEDULER_NAME.search(name):
        return True
    return any(_SCHEDULER_LOCAL.fullmatch(part) for part in _local_parts(address))


def stated_not_a_person(kind: str, role: str) -> bool:
    """The file says so: CUTYPE=ROOM|RESOURCE|GROUP, or ROLE=NON-PARTICIPANT."""
    return kind.upper() in NOT_PEOPLE or role.upper() == NOT_TAKING_PART


def guessed_not_a_person(name: str, address: str) -> str | None:
    """Why an attendee the file does not mark reads as no person to thank (a no-reply
    address, a scheduling system, a room), or None: a person."""
    if no_reply_problem(address):
        return NO_REPLY
    if is_scheduler(name, address):
        return SCHEDULER
    if is_room(name, address):
        return ROOM
    return None
