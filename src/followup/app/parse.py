"""Turning what a user types into domain values, with one clear message when it is wrong."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from followup.app.errors import InvalidInput
from followup.domain import limits
from followup.domain.model import Tone
from followup.domain.workdays import NO_COUNTRY, wall_time_exists, wall_time_is_ambiguous, zone

_COUNTRY = re.compile(r"^[A-Za-z]{2}(?:-[A-Za-z0-9]{1,3})?$")  # DE, or a region: GB-ENG


# Files in tzdata's folder that are no place's zone: "localtime" is whatever the machine is
# set to (an interview would move with the laptop), "posixrules" and "Factory" are tzdata's
# own, and right/ counts leap seconds (its instants are not UTC's). Refused when a person
# types one (`typed_zone`); a zone already kept, or in a file of ours, is read as it is (an
# earlier version took them: its homes and exports still open and import).
_NOT_A_PLACE = ("localtime", "posixrules", "Factory")


def parse_zone(name: str) -> str:
    """An IANA zone name, checked (`Europe/Berlin`), or an InvalidInput error: what is kept
    (a stored interview's or interviewer's zone); what a person types goes through
    `typed_zone` first."""
    try:
        zone(name)
    except (ValueError, KeyError, OSError) as exc:  # ZoneInfoNotFoundError is a KeyError
        raise InvalidInput(
            f"unknown time zone {name!r}: use an IANA name like Europe/Berlin"
        ) from exc
    return name


def typed_zone(text: str) -> str:
    """The IANA zone a person means by what they typed, as the dashboard's zone fields take
    it: a zone's name, or the one zone "Berlin", "PST" or "UTC+1" surely names; else an
    InvalidInput error naming the closest zones."""
    if text in _NOT_A_PLACE or text.startswith(("posix/", "right/")):
        raise InvalidInput(
            f"{text[:60]!r} is no place's time zone: use a name like Europe/Berlin, Berlin,"
            " PST or UTC+1"
        )
    try:
        return parse_zone(text)
    except InvalidInput:
        from followup.app import zones  # the zone list: only when a name is not one

        return zones.typed(text, otherwise="use a name like Europe/Berlin, Berlin, PST or UTC+1")


def parse_datetime(text: str, tz: str) -> tuple[datetime, str | None]:
    """An instant (aware, UTC) from ISO-8601 text; a local time is read in `tz`.

    Gives a warning for an ambiguous local time (DST fold: the first occurrence is taken);
    a local time that a DST gap skips is an error, not a guess.
    """
    raw = text.strip()
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError as exc:
        raise InvalidInput(
            f"cannot read {text!r} as a date and time: use ISO-8601, e.g. 2026-11-25T14:00"
            " or 2026-11-25T14:00+01:00"
        ) from exc
    if not limits.FIRST_YEAR <= parsed.year <= limits.LAST_YEAR:  # also: no overflow below
        raise InvalidInput(
            f"{raw}: a date must be between {limits.FIRST_YEAR} and {limits.LAST_YEAR}"
        )
    if parsed.tzinfo is not None:
        return parsed.astimezone(UTC), None
    local = parsed.replace(tzinfo=zone(tz))
    if not wall_time_exists(local):
        raise InvalidInput(
            f"{raw} does not exist in {tz} (the clocks skip it for daylight saving time)"
        )
    warning = None
    if wall_time_is_ambiguous(local):
        warning = f"{raw} happens twice in {tz} (clocks go back): taking the first occurrence"
    return local.astimezone(UTC), warning


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise InvalidInput(f"cannot read {text!r} as a date: use YYYY-MM-DD") from exc


# Common country names typed where a code is asked for: named in the refusal's hint only.
_COMMON_COUNTRIES = {
    "germany": "DE", "deutschland": "DE", "france": "FR", "united states": "US",
    "united states of america": "US", "usa": "US", "america": "US", "united kingdom": "GB",
    "great britain": "GB", "britain": "GB", "england": "GB", "scotland": "GB", "wales": "GB",
    "spain": "ES", "italy": "IT", "netherlands": "NL", "the netherlands": "NL",
    "holland": "NL", "switzerland": "CH", "austria": "AT", "belgium": "BE", "canada": "CA",
    "australia": "AU", "india": "IN", "ireland": "IE", "poland": "PL", "portugal": "PT",
    "sweden": "SE", "norway": "NO", "denmark": "DK", "finland": "FI", "japan": "JP",
    "china": "CN", "brazil": "BR", "mexico": "MX", "new zealand": "NZ", "singapore": "SG",
    "israel": "IL", "south africa": "ZA", "czechia": "CZ", "czech republic": "CZ",
    "georgia": "GE", "greece": "GR", "turkey": "TR", "ukraine": "UA", "romania": "RO",
    "hungary": "HU", "luxembourg": "LU", "estonia": "EE", "latvia": "LV", "lithuania": "LT",
    "argentina": "AR", "chile": "CL", "colombia": "CO", "south korea": "KR", "korea": "KR",
}  # fmt: skip


def parse_country(code: str | None) -> str | None:
    """A two-letter ISO code, or a region's (ISO 3166-2: GB-SCT), upper-cased; `none` (no
    public holidays); or None (not given: the interview's zone decides,
    domain/workdays.holiday_country)."""
    if code is None or not code.strip():
        return None
    if code.strip().lower() == NO_COUNTRY:
        return NO_COUNTRY
    if not _COUNTRY.match(code.strip()):
        named = _COMMON_COUNTRIES.get(" ".join(code.lower().replace(".", "").split()))
        if named:  # a hint only: never taken silently ("Germany" was once saved as GE)
            raise InvalidInput(f"country {code.strip()!r}: use {named}, its two-letter ISO code")
        raise InvalidInput(
            f"country {code!r} must be a two-letter ISO code such as US or DE (or a region's,"
            " such as GB-SCT), or none"
        )
    return code.strip().upper()


AUTO_TONE = "auto"  # the user hands the tone back to the company's culture (choose_tone)


def tone_names(*, auto: bool = True) -> tuple[str, ...]:
    """The tones a note can be written in (domain Tone); with `auto`, also "auto" (first: a
    form's default), which undoes the user's choice."""
    names = tuple(t.value for t in Tone)
    return (AUTO_TONE, *names) if auto else names


def parse_tone(text: str, *, auto: bool = True) -> str:
    """A tone by name, or one InvalidInput line naming the tones that exist. Without `auto`
    (a stored value: an import), "auto" is refused too."""
    names = tone_names(auto=auto)
    if text not in names:
        raise InvalidInput(f"unknown tone {text!r}: use one of {', '.join(names)}")
    return text


def parse_mailbox(text: str) -> tuple[str, str]:
    """`Name <email>` (or a bare address) as exactly one mailbox: (name, lower-cased email).

    The same strict check the mail adapter applies (app/headers.py), so a shape such as
    `alice@example.org)<bob@example.com>` is refused when typed, not only when sent.
    """
    from followup.app.headers import parse_single_mailbox, plain_address  # (email: only here)

    if isinstance(text, str) and len(text) <= limits.EMAIL:  # (every length below fits)
        address = plain_address(text)
        if address is not None:  # a bare local@host.tld: the parsers' reading, faster
            return "", address.lower()
    _fits("interviewer", text, limits.MAILBOX_TEXT)  # before the parsers read it all
    name, addr = parse_single_mailbox(text)
    _fits("e-mail address", addr, limits.EMAIL)
    _fits("interviewer's name", name, limits.NAME)
    return name.strip(), addr.lower()


def format_mailbox(name: str, address: str) -> str:
    """`Name <address>` as a header writes it: a name with a comma or another special
    character is quoted (`"Lovelace, Ada" <ada@acme.example>`), so parse_mailbox reads it
    back as the one mailbox it is; without a name, the bare address."""
    if not name:
        return address
    if _PLAIN_NAME.fullmatch(name) and _PLAIN_ADDRESS.fullmatch(address):
        return f"{name} <{address}>"  # what Address writes for these, without its ~15 ms import
    from email.headerregistry import Address  # the email package: only here

    try:
        return str(Address(display_name=name, addr_spec=address))
    except (ValueError, IndexError, TypeError) as exc:  # the stdlib's parser raises these
        raise InvalidInput(f"{address!r} is not a valid e-mail address") from exc


# A display name of atoms (RFC 5322 atext) and single spaces, and a dot-atom address:
# written as they are, unquoted (tests/unit/test_parse.py checks it against Address).
_PLAIN_NAME = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?: [A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_PLAIN_ADDRESS = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
)

# What lets a display name pass for an address ("Ada <ada@acme.example>") or split a list
# of people ("Lovelace, Ada"); read after NFKC, so a full-width ＠ or ＜ counts too.
_POSING = frozenset('@<>,;"')


def shown_mailbox(name: str, address: str | None) -> str:
    """A person with their address as shown to the user: format_mailbox's header form, so a
    name that looks like an address is quoted and the real address is the one in <>. Never
    raises: a name the header parser refuses is quoted by hand. Without an address, as
    person_label shows the name."""
    if not address:
        return person_label(name, None)
    if not name:
        return address
    try:
        return format_mailbox(name, address)
    except InvalidInput:
        return f"{_quoted(name)} <{address}>"


def person_label(name: str, address: str | None) -> str:
    """A person where lists show only a name (the agenda's To, a timeline): the plain name
    ("Okafor, Chidi" in natural order, "Chidi Okafor"), else the address; a name that could
    pass for an address or split the list is shown as shown_mailbox writes it, with the real
    address."""
    import unicodedata

    if not name:
        return address or ""
    posing = _POSING & set(unicodedata.normalize("NFKC", name))
    if not posing:
        return name
    if posing == {","} and name.count(",") == 1:  # "Okafor, Chidi": in natural order
        from followup.domain.names import parse_name

        natural = parse_name(name).full
        if natural and not _POSING & set(unicodedata.normalize("NFKC", natural)):
            return natural
    if address is None:
        return f"{_quoted(name)} (no address)"
    return shown_mailbox(name, address)


def _quoted(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _fits(what: str, text: str, most: int) -> None:
    problem = limits.length_problem(what, text, most)
    if problem is not None:
        raise InvalidInput(problem)


def parse_interviewer(text: str) -> tuple[str, str | None]:
    """An interviewer: `Name <email>`, a bare e-mail, or just a name."""
    text = text.strip()
    if not text:
        raise InvalidInput("an interviewer needs a name or an e-mail address")
    if "@" in text or "<" in text:
        name, email = parse_mailbox(_quoted_initials(text))
        return (name or email.split("@")[0]), email
    _fits("interviewer's name", text, limits.NAME)
    if any(c in text for c in "\r\n\0"):
        raise InvalidInput(f"interviewer name {text!r} contains a line break or NUL")
    return text, None


# `A. K. <ak@x>`, `Dr. Martin Luther King Jr. <…>`: a name with stops, unquoted.
_DOTTED_NAME = re.compile(r'([^"<>,;\\()]*\.[^"<>,;\\()]*?)\s*(<[^<>]*>)')


def _quoted_initials(text: str) -> str:
    """`text` with an unquoted display name that holds a stop quoted, as a mail program
    writes it: the header parser refuses `A. K. <ak@x.example>` ("comment found without
    atom") though the name is plain."""
    match = _DOTTED_NAME.fullmatch(text)
    if match is None:
        return text
    return f'"{match.group(1).strip()}" {match.group(2)}'


def duration_minutes(minutes: int | None) -> timedelta | None:
    """A length typed in minutes, for the use-case, which refuses one out of range with the
    same line whatever the way in (exit 4). A number past the limit stays past it but is
    capped first: timedelta itself overflows (an internal error) past ~10**12 minutes."""
    if minutes is None:
        return None
    most = limits.DURATION_MAX // timedelta(minutes=1)
    return timedelta(minutes=min(max(minutes, 0), most + 1))


def whole_number(text: str, what: str) -> int | None:
    """An optional whole number of at least 1 as typed in a form ("" for none); digits only
    (not "²" or "١"), and no more than an id can be."""
    text = text.strip()
    if not text:
        return None
    if not re.fullmatch(r"[0-9]{1,19}", text) or not 1 <= int(text) <= limits.ID_MAX:
        raise InvalidInput(f"{what} must be a whole number of at least 1")
    return int(text)
