"""Every length and range limit on what followup stores: one place for the numbers.

The use-cases check against these (app/services.py, app/drafting.py, and the importers
that go through them), so the CLI, the importers, the API and the dashboard's forms refuse
the same things with the same message. A form may use the numbers for `maxlength`, but the
use-case is the check that counts. Lengths are in characters (Python `len`), not bytes.

Pure: each check returns a one-line problem (or None); the app layer raises it.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

COMPANY = 200
ROLE = 200
NAME = 200  # an interviewer's name (and the sender's)
GREETING = NAME  # how the user greets an interviewer ("Ms. Chen")
EMAIL = 254  # RFC 5321's path limit, less the angle brackets
# "Name <address>" as typed: a quoted name may escape every character
MAILBOX_TEXT = 2 * NAME + EMAIL + 8
TOPIC = 500  # a topic discussed, or the skill to stress
NOTE = 2_000  # a debrief's free-text note
LOCATION = 2_000  # a room, or a video link with its passcode
DESCRIPTION = 4_000  # an invite's description (Teams and Zoom boilerplate runs long)
DOMAIN = 253  # a host name
INTERVIEWERS = 10  # more people than this is a meeting, not an interview panel
# People taken off a panel but kept because a note or debrief names them: an import takes
# this many per interview. `edit` puts someone taken off and back on into their own row again,
# so only as many different people as this could pile up; homes from before that may hold a
# row per reshuffle. 1,000 beside a full panel draft in 0.2 s (a cold trial's 2,000 *current*
# interviewers took 290 s and 741 MB).
REMOVED_INTERVIEWERS = 100 * INTERVIEWERS
TOPICS = 20  # per interview, or per debrief entry
DOMAINS = 20  # e-mail domains of one employer (its own and its ATS's)

# An out-of-office's return date pushes the next note at most this far past the message:
# "back on 1 January 2099" (a typo, a joke, a forged auto-reply) must not silence a
# sequence for decades. Longer leave is rare and a user can `followup snooze` past it.
OOO_RETURN_DAYS = 60
# A rejection naming no role, at a company where another application ended this recently,
# may be that one's again (an applicant-tracking system mails twice): it ends nothing.
ENDED_LATELY_DAYS = 30
SUBJECT = 200  # of an inbound message, as kept beside the interview, or of a note
NOTE_SUBJECT = 998  # RFC 5322's longest line
NOTE_BODY = 20_000  # a note's text (the article's notes are a few hundred characters)
INVITE_BYTES = 5 * 2**20  # an invitation file (a whole calendar export is not one)
INVITE_INTERVIEWS = 20  # new interviews from one upload on the dashboard: more is a calendar
IMPORT_ITEM_CHARS = 16 * 2**20  # one application of a JSON import, all its rounds included
CSV_LINE_CHARS = IMPORT_ITEM_CHARS  # one line of a CSV import: a row of many long cells
NOTE_BYTES = 2**20  # a note (or .eml) to lint: notes are a few hundred characters
ID_MAX = 2**63 - 1  # a row id: a 64-bit integer in SQLite and PostgreSQL alike

DURATION_MIN = timedelta(minutes=1)
DURATION_MAX = timedelta(hours=24)
FIRST_YEAR = 1970
LAST_YEAR = 2100
_EARLIEST = datetime(FIRST_YEAR, 1, 1, tzinfo=UTC)
_LATEST = datetime(LAST_YEAR + 1, 1, 1, tzinfo=UTC)


# Characters that drive a terminal or reorder text, in no name, company, topic or note: C0
# and C1 controls but tab and line breaks (ESC starts the codes that retitle a window or
# clear a screen when `list` prints it) and the bidirectional overrides and isolates ("Bob
# \u202eelpmaxe.live" reads "Bob evil.example"). Line breaks are the one-line fields' own
# check (a Subject's: app/headers.py).
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


# A terminal's escape sequence (CSI "ESC [ … m", OSC "ESC ] … BEL"): gone whole from text
# others wrote (an invitation, a received message, a file's history), not left as
# "[31mAcme[0m" once ESC alone is dropped.
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])"
)


def without_controls(text: str) -> str:
    """Text someone else wrote, as followup keeps and shows it: escape sequences, control
    characters (a bare CR too, which overwrites a terminal's line) and bidi overrides gone;
    tabs and line breaks kept."""
    if text.isprintable():
        return text  # the common case
    text = _ESCAPE_SEQUENCE.sub("", text).replace("\r\n", "\n").replace("\r", " ")
    return _CONTROLS.sub("", text)


def control_problem(what: str, text: str) -> str | None:
    found = _CONTROLS.search(text)
    if found is None:
        return None
    if found.group() == "\0":
        return f"the {what} contains a NUL character"
    if f"a{found.group()}b".splitlines() == ["a", "b"]:  # U+000B, U+001C, U+0085…
        return f"the {what} contains a line break (U+{ord(found.group()):04X})"
    return (
        f"the {what} contains a control character (U+{ord(found.group()):04X}): terminal"
        " codes and text-direction overrides are refused"
    )


def length_problem(what: str, text: str, most: int) -> str | None:
    """'the company is 209,715,200 characters long: at most 200', or None."""
    if len(text) <= most:
        return None
    return f"the {what} is {len(text):,} characters long: at most {most:,}"


def count_problem(what: str, count: int, most: int) -> str | None:
    """'21 topics: at most 20', or None."""
    return None if count <= most else f"{count:,} {what}: at most {most:,}"


def duration_problem(duration: timedelta) -> str | None:
    if DURATION_MIN <= duration <= DURATION_MAX:
        return None
    return "the interview's duration must be between 1 minute and 24 hours"


# What a user can schedule (issue #16): an interview of 5 minutes to 8 hours, between ten
# years ago and two years ahead. Rows already stored keep the wider bounds above (a restore or
# a JSON import of an old history is never refused for what an older version accepted).
INTERVIEW_MINUTES = (5, 480)
YEARS_BACK, YEARS_AHEAD = 10, 2


def schedule_problem(start: datetime, duration: timedelta, now: datetime) -> str | None:
    """A new or moved interview's start and length, judged against `now` (aware)."""
    shortest, longest = INTERVIEW_MINUTES
    if not timedelta(minutes=shortest) <= duration <= timedelta(minutes=longest):
        return f"an interview lasts {shortest} to {longest} minutes (8 hours)"
    earliest = now - timedelta(days=round(365.25 * YEARS_BACK))
    latest = now + timedelta(days=round(365.25 * YEARS_AHEAD))
    if start < earliest:
        return (
            f"the interview's start ({start:%Y-%m-%d}) is more than {YEARS_BACK} years ago:"
            " check the year"
        )
    if start > latest:
        return (
            f"the interview's start ({start:%Y-%m-%d}) is more than {YEARS_AHEAD} years ahead:"
            " check the year"
        )
    return None


def instant_problem(what: str, instant: datetime) -> str | None:
    """An instant outside 1970-2100 (aware), which no interview or note is."""
    if _EARLIEST <= instant < _LATEST:
        return None
    return f"the {what} must be between {FIRST_YEAR} and {LAST_YEAR}"


def date_problem(what: str, day: date) -> str | None:
    if FIRST_YEAR <= day.year <= LAST_YEAR:
        return None
    return f"the {what} must be between {FIRST_YEAR} and {LAST_YEAR}"


# An address nobody reads (issue #15): applicant-tracking relays and mail systems write from
# them; a note sent there is lost. Matched on the local part, with any prefix before - _ .
# ("jobs-noreply", "careers-noreply") and any suffix after - _ . +
_NO_REPLY = re.compile(
    r"(?:[^@]*[-_.])?(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|mailer[-_.]?daemon)(?:[-_.+].*)?",
    re.IGNORECASE,
)
# The domains applicant-tracking systems send their mail from, for the employer: any address
# there is the platform's ("notifications@myworkday.com", "acme@myworkday.com"), never a
# person's. Not their company domains (lever.co, workday.com), where their own staff write.
RELAY_DOMAINS = {
    "greenhouse-mail.io": "Greenhouse",
    "hire.lever.co": "Lever",
    "myworkday.com": "Workday",
    "myworkdayjobs.com": "Workday",
    "teamtailor-mail.com": "Teamtailor",
    "workablemail.com": "Workable",
    "talent.icims.com": "iCIMS",
    "taleo.net": "Taleo",
}


def no_reply_problem(address: str) -> str | None:
    """Why `address` cannot be an interviewer's (nobody reads a no-reply box, nor an
    applicant-tracking relay's), or None."""
    local, _, domain = address.rpartition("@") if "@" in address else ("", "", "")
    if local and _NO_REPLY.fullmatch(local):
        return (
            f"{address} is a no-reply address: nobody reads it, so no note may go there —"
            " give the interviewer's or the recruiter's own address"
        )
    domain = domain.lower().rstrip(".")
    while domain:
        if domain in RELAY_DOMAINS:
            return (
                f"{address} is {RELAY_DOMAINS[domain]}'s relay for the employer: nobody reads"
                " it, so no note may go there — give the interviewer's or the recruiter's own"
                " address"
            )
        domain = domain.partition(".")[2]
    return None
