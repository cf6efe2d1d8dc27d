"""Which of an invitation's attendees is not a person to thank, and why.

Calendars list more than the people one meets: the meeting room (Exchange often without
CUTYPE=ROOM, as a plain REQ-PARTICIPANT named "SEA-B2-Rainier (12) Teams Room", "Conf Rm
4B - Everest", "LON-3-Big Ben", "Aula Magna" or "Raum Isar"), the call's service ("Google
Meet" <meet@…>, "Conference Call Bridge"), the scheduling system's mailbox that sent the
invitation ("Microsoft Bookings" <InterviewScheduling@…>), a no-reply calendar address, a
coordinator copied as ROLE=NON-PARTICIPANT, a team's shared mailbox ("Northwind Talent
Team" <talent@…>, eng-team@, hrteam@). A thank-you to any of them is lost, or worse, makes
a room the panel's contact. So are a note-taking bot ("Otter.ai", "Fireflies.ai Notetaker"), a
front desk ("Reception") and a panel's or a role's mailbox ("Interview Panel" <panel@…>,
"Hiring Manager" <hiring.manager@…>). The file's own word (CUTYPE, ROLE) is certain; the
rest is read from the name and the address, and errs towards keeping a person: a name that reads as
"Given Surname" ("Tom Room", "Marie Salle", "Elina Aula", "Meet Shah", "Ellie Booking",
"Priya Nair (Scheduling Lead)", "Wei Zhang (10)") is a person unless the address too says
room, call service or scheduler — and not by the name's own words (tom.room@, meet.shah@)
nor a filter tag after "+" (dana.wu+calendar@). A team's mailbox is left out only beside a
person (app/calendar.py decides: a panel of only teams keeps one). app/calendar.py applies
all this and says whom it left out by a guess.

Pure: stdlib and domain/limits, domain/names only.
"""

from __future__ import annotations

import re
import unicodedata

from followup.domain.limits import no_reply_problem
from followup.domain.names import canonical_title, parse_name

# CUTYPE values that are never a person (RFC 5545 3.2.3)
NOT_PEOPLE = frozenset({"ROOM", "RESOURCE", "GROUP"})
# ROLE=NON-PARTICIPANT is copied for information (RFC 5545 3.2.16): never on the panel
NOT_TAKING_PART = "NON-PARTICIPANT"

ROOM = "a meeting room"
CALL = "a conferencing service"
SCHEDULER = "a scheduling system's mailbox"
NO_REPLY = "a no-reply address"
TEAM = "a team's shared mailbox"
BOT = "a note-taking bot"
DESK = "a reception desk"

# Room phrases no person's name holds, wherever they stand ("Everest Meeting Room", "Phone
# Booth 3", "Microsoft Teams Meeting"), in the languages invitations come in.
_ROOM_PHRASE = re.compile(
    r"\b(?:conference|conf|meeting|board|team|teams|zoom|interview|training|focus|quiet"
    r"|huddle|phone|video|project|war)[\s-]*(?:rooms?|rm|space|pod|booth)\b"
    r"|\b\w*(?:conference|meeting|board)room\b|\bphone\s*booth\b|\bauditori(?:um|o|ó)\b"
    r"|\baula\s+magna\b|\bh[öo]rsaal\b|\bamphith[ée][âa]tre\b"
    r"|(?:besprechungs|konferenz|sitzungs|schulungs|tagungs)(?:raum|zimmer)"
    r"|\bsala\s+(?:de\s+|di\s+)?(?:reuni(?:ones|ão|ao|oni|one)|juntas|conferen(?:cias|ze|za)"
    r"|confer[eê]ncias|riunioni|konferencyjna|spotka[nń])\b"
    r"|\bvergader(?:ruimte|zaal|kamer)\b|\b(?:möte|konferens)s?rum(?:met)?\b"
    r"|\bmøte?rom(?:met)?\b|\bmødelokale\b|\bneuvotteluhuone\b|会議室|会议室|회의실"
    r"|\blecture\s+(?:theat(?:re|er)|hall|room)s?\b|\bseminar\s*(?:room|raum)\b"
    r"|\b(?:gro(?:ß|ss)|klein|mittler|blau|rot|gr[üu]n|gelb)e[rs]?\s+saal\b"
    r"|(?:sitzungs|konferenz|vortrags|fest|plenar|tagungs|seminar|besprechungs)saal\b",
    re.IGNORECASE,
)
# Words that name a room in a name that is no person's ("Raum Isar", "Booth 3", "LON Focus
# Pod 2", "Zoom Rooms", "Lobby Kiosk"), but are also surnames ("Kathrin Raum", "Marie
# Salle", "Tom Room", "Elina Aula"): they count only when the name does not read as a
# person's (_person_words).
_ROOM_WORD = re.compile(
    r"\b(?:rooms?|rm|conf|raum|salle|aula|saal|booth|pods?|huddle|auditorium|kiosk|lobby"
    r"|theat(?:re|er))\b",
    re.IGNORECASE,
)
# "Sala 3", "Aula 2B", "Sala Roma (10)": a word that is also a name ("Sala Patel", "Marco
# Sala") with a number beside it
_SALA = re.compile(r"\b(?:sala|aula)\b.*\d|\d.*\b(?:sala|aula)\b", re.IGNORECASE)
# A room's code as Exchange sites name them, SITE-FLOOR-NAME ("LON-3-Big Ben", "SEA-B2-
# Rainier", "nyc-12-hudson@"): letters, a floor or building with a digit, then the name.
# No person's name or address starts so.
_LETTER = r"[^\W\d_]"
_ROOM_CODE = re.compile(
    rf"^{_LETTER}{{2,5}}\s*[-_.]\s*{_LETTER}{{0,2}}\d{{1,3}}{_LETTER}{{0,2}}\s*[-_.]\s*{_LETTER}"
)
# "Sala Roma", "Sala Verde": "Sala" is also a given name ("Sala Patel"), but before a city or
# a colour a room's (the cities and colours rooms are named after are hardly anyone's surname)
_SALA_NAMED = re.compile(
    r"^sala\s+(?:roma|milano|madrid|barcelona|lisboa|paris|londres|london|berl[ií]m?|tokyo"
    r"|t[oó]quio|amsterdam|atenas|praga|viena|oslo|dublin|bruselas|bruxelas|sevilla|napoli"
    r"|venezia|firenze|torino|bologna|verona|nueva york|nova york"
    r"|verde|rossa|roja|azul|azzurra|blu|gialla|amarilla|amarela|bianca|blanca|branca|nera"
    r"|negra|arancione|naranja|laranja|viola|violeta)\b",
    re.IGNORECASE,
)
# "(12)", "(8 Personen)", "[10 seats]": a room's capacity; a bare number counts only in a
# name that is no person's ("Wei Zhang (10)" is a person, a tenth one in a directory)
_CAPACITY = re.compile(
    r"[(\[]\s*\d{1,3}\s*(?:p|pax|seats?|people|persons?|personen|pers\.?|places|plazas"
    r"|posti|lugares|plaatsen)?\s*[)\]]",
    re.IGNORECASE,
)
_CAPACITY_UNIT = re.compile(
    r"[(\[]\s*\d{1,3}\s*(?:p|pax|seats?|people|persons?|personen|pers\.?|places|plazas"
    r"|posti|lugares|plaatsen)\s*[)\]]",
    re.IGNORECASE,
)
# parts of an address's local part (split at . - _ +) that are a room's mailbox
_ROOM_LOCAL = frozenset(
    {"room", "rooms", "raum", "salle", "confroom", "conferenceroom", "meetingroom", "boardroom"}
    | {"konferenzraum", "besprechungsraum", "resource", "resources", "rm", "conf", "booth"}
    | {"phonebooth", "meetingspace", "auditorium", "focuspod", "huddle", "zoomroom", "kiosk"}
    | {"lobby", "aulamagna", "saal", "theatre", "theater"}
)

# A conferencing service's name ("Google Meet", "Microsoft Teams Meeting", "Zoom",
# "Conference Call Bridge", "Dial-in") and its mailbox's address parts (meet@, zoom@,
# teams@, bridge@): the call's link or number, copied as an attendee. "Meet" alone is a
# given name ("Meet Shah"), so only as an address part, never in a name.
_CALL_NAME = re.compile(
    r"\b(?:google|hangouts)\s+meet\b|\b(?:microsoft|ms)\s+teams\b|\bwebex\b|\bskype\b"
    r"|\bgo\s?to\s?meeting\b|\bblue\s?jeans\b|\bjitsi\b|\bamazon\s+chime\b|\bringcentral\b"
    r"|^zoom(?:\s+(?:meetings?|video|call|webinar))?$|\b(?:teams|zoom|webex|meet)\s+meeting\b"
    r"|\b(?:conference|conf|audio|video|phone|call)[\s-]*(?:call|bridge|line|dial[\s-]?in)\b"
    r"|\bdial[\s-]?in\b|\b(?:tele|video|audio)[\s-]?conferenc(?:e|ing)\b",
    re.IGNORECASE,
)
_CALL_LOCAL = frozenset(
    {"meet", "googlemeet", "hangouts", "zoom", "zoommeeting", "webex", "teams", "msteams"}
    | {"teamsmeeting", "skype", "gotomeeting", "bluejeans", "jitsi", "bridge", "confcall"}
    | {"conferencecall", "conferencebridge", "callbridge", "dialin", "audioconference"}
    | {"teleconference", "videoconference"}
)

# A meeting-notes bot invited to record the call ("Otter.ai" <otter@otter.ai>, "Fireflies.ai
# Notetaker" <fred@fireflies.ai>, "Read AI"): by its name, or its service's domain — where
# only a name that reads as a person's is kept (one may interview at Otter.ai itself).
_BOT_NAME = re.compile(
    r"\b[^\W\d_]+\.ai\b|\bnote[\s-]?takers?\b|\btl;?dv\b"
    r"|\b(?:meeting|ai)\s+(?:notes?|recorder|assistant|bot)\b|(?-i:\bAI$)",
    re.IGNORECASE,
)
_BOT_DOMAINS = frozenset(
    {"otter.ai", "fireflies.ai", "read.ai", "tldv.io", "fathom.video", "avoma.com"}
    | {"sembly.ai", "meetgeek.ai", "notta.ai", "supernormal.com", "tactiq.io", "airgram.io"}
    | {"chorus.ai", "krisp.ai", "circleback.ai", "jamie.ai", "bluedothq.com", "grain.com"}
)

# A front desk or reception copied in to expect the candidate ("Front Desk", "Main Reception
# Desk", "Empfang"), by its name or its mailbox (frontdesk@, reception@, mainreception@)
_DESK_NAME = re.compile(
    r"\b(?:front|reception|welcome|information|security|lobby)\s+desk\b|\breception\b"
    r"|\bempfang\b|\baccueil\b|\brecepci[oó]n\b|\brece(?:p)?[çc][ãa]o\b|\bconcierge\b",
    re.IGNORECASE,
)
_DESK_LOCAL = re.compile(
    r"\w*reception|frontdesk|front|desk|empfang|accueil|recepcion|concierge", re.IGNORECASE
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

# A team's shared mailbox, by its local part: every part one of these (less the company's
# own name: careers.northwind@), or the whole of it ("humanresources", "hiring.team"), or a
# department beside one (eng-team@, tech.recruiting@), or the two joined (hrteam@).
_TEAM_LOCAL = frozenset(
    {"talent", "hiring", "team", "jobs", "job", "recruiting", "recruitment"}
    | {"careers", "career", "people", "peopleops", "ops", "interviews", "interview"}
    | {"coordinator", "coordinators", "hr", "humanresources", "ta", "talentacquisition"}
    | {"acquisition", "staffing", "apply", "applications", "candidates", "recruiters"}
    # a role's, not a person's (hiring.manager@, interviewer2@, panel@, eng-interviewers@)
    | {"panel", "panelists", "interviewer", "interviewers", "manager", "managers"}
)
# A department: a team's mailbox only beside a word above ("eng" alone may be a name)
_DEPARTMENT = frozenset(
    {"eng", "engineering", "dev", "development", "tech", "product", "design", "data", "it"}
    | {"sales", "marketing", "finance", "legal", "security", "platform", "support", "infra"}
)
_TEAM_OR_DEPARTMENT = _TEAM_LOCAL | _DEPARTMENT

# What a person's name is not made of: the first word of a room's, a system's or a team's
# name ("Conf Rm 4B", "Phone Booth 3", "Microsoft Teams Meeting", "Hiring Team", "Calendar
# Team"). "Sala" is not here: it is a given name (_SALA_NAMED).
_NOT_GIVEN = frozenset(
    {"room", "rooms", "rm", "raum", "salle", "conf", "conference", "meeting", "meetings"}
    | {"board", "boardroom", "phone", "huddle", "focus", "pod", "booth", "auditorium", "zoom"}
    | {"microsoft", "google", "webex", "interview", "interviews", "hiring", "talent", "main"}
    | {"recruiting", "recruitment", "recruiter", "careers", "career", "jobs", "people", "hr"}
    | {"human", "calendar", "calendars", "booking", "bookings", "invitation", "invitations"}
    | {"invite", "invites", "scheduling", "scheduler", "schedule", "notification", "team"}
    | {"notifications", "the", "training", "video", "lobby", "reception", "floor", "desk"}
    | {"kiosk", "webex", "skype", "conferencing", "dial-in", "staffing", "front", "lecture"}
    | {"seminar"}
)
_ASIDE = re.compile(r"\([^)]*\)|\[[^\]]*\]")  # "(Scheduling Lead)", "[2 of 3]", "(10)"
_TAIL = re.compile(r"\s+[-–—|/]\s+.*$|,.*$")  # " – Interview Scheduling", ", PhD"
_NAME_WORD = re.compile(r"[^\W\d_]+(?:['’.-][^\W\d_]+)*\.?")


def _fold(text: str) -> str:
    """Lower case without accents: "Rúben" and ruben@ are the same word."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _person_words(name: str) -> list[str]:
    """The words of `name` if it reads as a person's "Given Surname", else []. Asides,
    a trailing role or honour, titles and trailing numbers ("Sala Mendes 3rd") go first;
    then two or more name words, the first a plausible given name: no room, system or
    team word, no site code in capitals ("LON Focus Pod 2"), not "Sala" before a city."""
    lead = _TAIL.sub("", _ASIDE.sub(" ", name)).split()
    titled = False
    while lead and canonical_title(lead[0]):
        lead, titled = lead[1:], True
    while lead and any(c.isdigit() for c in lead[-1]):
        lead = lead[:-1]
    if not lead or not all(_NAME_WORD.fullmatch(w) for w in lead):
        return []
    joined = " ".join(lead)
    if _ROOM_PHRASE.search(joined) or _SALA_NAMED.search(joined) or _CALL_NAME.search(joined):
        return []
    if _BOT_NAME.search(name) or _DESK_NAME.search(joined):
        return []
    first = lead[0]
    capitals = first.isupper() and len(first) > 1 and not " ".join(lead).isupper()
    if first.casefold().rstrip(".") in _NOT_GIVEN or capitals:
        return []
    return lead if len(lead) >= 2 or titled else []


def _natural_order(name: str) -> str:
    """ "Booth, William (Engineering)", as Exchange directories list people, in the order
    `_person_words` reads ("William Booth"); any other name as it is (a trial: seven of ten
    such people were taken for rooms)."""
    if name.count(",") != 1:
        return name
    natural = parse_name(name).full
    return natural if natural and "," not in natural else name


def _address_person(name: str, address: str) -> list[str]:
    """With no name but the address (Google often sends none), a local part of two name
    words (tom.room@, julien.salle@, kathrin.raum@) reads as a person's, unless both are
    room, system or team words (conf.room@, hiring.team@)."""
    if name.strip() and "@" not in name:
        return []
    parts = _local_parts(address, tag=False)
    if len(parts) != 2 or not all(p.isalpha() and len(p) >= 2 for p in parts):
        return []
    if all(p in _NOT_GIVEN or p in _ROOM_LOCAL or p in _TEAM_LOCAL for p in parts):
        return []
    return parts


def _local_parts(address: str, *, tag: bool = True) -> list[str]:
    """The parts of an address's local part, split at . - _ +; without its filter tag
    (what follows "+") when `tag` is False."""
    local = address.rpartition("@")[0].lower()
    if not tag:
        local = local.partition("+")[0]
    return [part for part in re.split(r"[._+\-]+", local) if part]


def _room_address(parts: list[str]) -> bool:
    return any(part in _ROOM_LOCAL for part in parts)


def _call_address(parts: list[str]) -> bool:
    return any(part in _CALL_LOCAL for part in parts)


def _scheduler_address(parts: list[str]) -> bool:
    return any(_SCHEDULER_LOCAL.fullmatch(part) for part in parts)


def is_room(name: str, address: str) -> bool:
    """A room or resource by its name ("Conference Room 4B", "Raum Isar", "Salle Voltaire",
    "Sala de reuniones 2", "SEA-B2-Rainier (12)", "LON-3-Big Ben", "Aula Magna", "Lobby
    Kiosk") or its address (room-sf4@, raum.isar@, conf-rm-4b@, lon-3-bigben@), for a name
    that reads as no person's."""
    if _ROOM_PHRASE.search(name) or _ROOM_WORD.search(name) or _CAPACITY.search(name):
        return True
    if _SALA.search(name) or _SALA_NAMED.search(name) or _ROOM_CODE.search(name.strip()):
        return True
    return _room_address(_local_parts(address)) or bool(_ROOM_CODE.search(address))


def is_call(name: str, address: str) -> bool:
    """A conferencing service copied as an attendee ("Google Meet" <meet@…>, "Conference
    Call Bridge", zoom@), for a name that reads as no person's. A Teams or Zoom *room* is a
    room ("Zoom Room Atlas", "… Teams Room"): the room's phrase wins."""
    if _ROOM_PHRASE.search(name):
        return False
    return bool(_CALL_NAME.search(name)) or _call_address(_local_parts(address))


def is_bot(name: str, address: str) -> bool:
    """A meeting-notes bot ("Otter.ai", "Fireflies.ai Notetaker", "Read AI", fred@fireflies.ai),
    for a name that reads as no person's."""
    host = address.rpartition("@")[2].lower()
    on_a_bot = any(host == d or host.endswith("." + d) for d in _BOT_DOMAINS)
    return bool(_BOT_NAME.search(name)) or on_a_bot


def is_desk(name: str, address: str) -> bool:
    """A front desk or reception ("Front Desk", "Reception", frontdesk@), for a name that reads
    as no person's."""
    parts = _local_parts(address, tag=False)
    joined = "".join(parts)
    return bool(_DESK_NAME.search(name)) or (bool(joined) and bool(_DESK_LOCAL.fullmatch(joined)))


def is_scheduler(name: str, address: str) -> bool:
    """A scheduling or booking system's mailbox, or a calendar's notification address, for a
    name that reads as no person's."""
    if _SCHEDULER_NAME.search(name):
        return True
    return _scheduler_address(_local_parts(address))


def is_team_mailbox(address: str) -> bool:
    """A team's shared mailbox by its address: talent@, hiring.team@, careers@, people@
    (whoever the name says reads it; a person's +tag is no team: kwame+recruiting@)."""
    parts = [p.rstrip("0123456789") for p in _local_parts(address, tag=False)]
    parts = [p for p in parts if p]  # interviewer2@: the second of a role's mailboxes
    if not parts:
        return False
    if "".join(parts) in _TEAM_LOCAL:
        return True
    company = set(re.split(r"[.\-]+", address.rpartition("@")[2].lower()))
    teams = [p for p in parts if p in _TEAM_LOCAL or _joined_team(p)]
    others = [p for p in parts if p in _DEPARTMENT or p in company]
    return bool(teams) and len(teams) + len(others) == len(parts) and not set(parts) <= company


def _joined_team(part: str) -> bool:
    """hrteam, engteam, techrecruiting: a team's or department's word, then a team's."""
    return any(
        part[:i] in _TEAM_OR_DEPARTMENT and part[i:] in _TEAM_LOCAL for i in range(2, len(part) - 1)
    )


def stated_not_a_person(kind: str, role: str) -> bool:
    """The file says so: CUTYPE=ROOM|RESOURCE|GROUP, or ROLE=NON-PARTICIPANT."""
    return kind.upper() in NOT_PEOPLE or role.upper() == NOT_TAKING_PART


def guessed_not_a_person(name: str, address: str) -> str | None:
    """Why an attendee the file does not mark reads as no person to thank (a no-reply
    address, a scheduling system, a team's mailbox, a conferencing service, a room), or
    None: a person. TEAM is no person, but the only address a panel of nobody else has: the
    caller decides."""
    if no_reply_problem(address):
        return NO_REPLY
    words = _person_words(_natural_order(name)) or _address_person(name, address)
    if words:
        # A person's name: only the address can say otherwise, and not by the name's own
        # words (tom.room@, mbooking@) nor a filter tag (dana.wu+calendar@)
        own = [_fold(w) for w in words if len(w) >= 3]
        parts = [p for p in _local_parts(address, tag=False) if not any(w in p for w in own)]
        if _scheduler_address(parts):
            return SCHEDULER
        if is_team_mailbox(address):
            return TEAM
        if _call_address(parts):
            return CALL
        if _room_address(parts) or _CAPACITY_UNIT.search(name):
            return ROOM
        return None
    if is_bot(name, address):
        return BOT
    if is_scheduler(name, address):
        return SCHEDULER
    if is_team_mailbox(address):
        return TEAM
    if is_call(name, address):
        return CALL
    if is_desk(name, address):
        return DESK
    if is_room(name, address):
        return ROOM
    return None
