"""Which IANA zone an iCalendar TZID means, and the instant a wall time in it is.

Calendar programs name zones in many ways; a library that cannot read one and quietly
falls back to UTC (or to a floating time) moves the interview by hours. Here a TZID is
read, in this order, as:

1. an IANA name (`Europe/Berlin`), also behind a vendor prefix (`/mozilla.org/20070129_1/
   America/New_York`, `/freeassociation.sourceforge.net/Europe/Berlin`);
2. a Windows zone name (`Pacific Standard Time`, what Outlook and Exchange write), through
   the CLDR table in `windows_zones.py`;
3. the file's own VTIMEZONE definition: the IANA zones whose UTC offsets agree with it over
   the year around the event, preferring the zones the TZID names (`_named_zones`: the one
   CLDR gives a Windows display name such as `(UTC-05:00) Eastern Time (US & Canada)`,
   then the cities it mentions), then the zone CLDR gives a Windows name, then a fixed
   `Etc/` zone for a definition without daylight saving time; when no zone matches (old
   Windows rules: Outlook's "Canberra, Melbourne, Sydney" with the pre-2008 dates), the
   times are read by the definition and the zone is one the TZID names with the same offsets;
4. without a definition, a Windows display name: the zones it names, checked against its offset.

Anything else is an error naming the TZID: never a guess of UTC.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime, timedelta, tzinfo
from functools import cache, lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

from followup.adapters.calendar.windows_zones import DISPLAY_NAMES, WINDOWS_TO_IANA
from followup.app.errors import InvalidInput
from followup.domain.workdays import wall_time_exists, wall_time_is_ambiguous

_IANA_SHAPE = re.compile(r"^[A-Za-z][A-Za-z0-9_+\-]*(?:/[A-Za-z0-9_+\-]+)*$")
_NOT_ZONES = ("posix/", "right/", "SystemV/")  # system copies and relics: not names to store
_LEGACY_AREAS = ("US/", "Canada/", "Brazil/", "Chile/", "Mexico/", "SystemV/", "Etc/")
_DISPLAY = re.compile(r"^\(\s*(?:UTC|GMT)\s*(?:(?P<sign>[+-])(?P<h>\d{1,2}):?(?P<m>\d\d))?\s*\)")
_WINDOWS_FOLDED = {name.casefold(): zone for name, zone in WINDOWS_TO_IANA.items()}
_PRIMARY = frozenset(WINDOWS_TO_IANA.values())


class Resolved(NamedTuple):
    zone: str  # IANA name
    warning: str | None = None


def is_iana(name: str) -> bool:
    """A zone name this machine's tzdata knows, in a form worth storing."""
    if not _IANA_SHAPE.match(name) or name.startswith(_NOT_ZONES) or ".." in name:
        return False
    return _loads(name)


@lru_cache(maxsize=512)
def _loads(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ValueError, KeyError, OSError):  # ZoneInfoNotFoundError is a KeyError
        return False
    return True


def name_to_zone(tzid: str) -> str | None:
    """The IANA zone a TZID names (IANA, prefixed IANA, or Windows), else None."""
    name = tzid.strip().strip('"').strip()
    if not name:
        return None
    if is_iana(name):
        return name
    if "/" in name:
        parts = [p for p in name.split("/") if p]
        for k in range(1, len(parts)):
            candidate = "/".join(parts[k:])
            if "/" in candidate and is_iana(candidate):
                return candidate
    return _WINDOWS_FOLDED.get(" ".join(name.split()).casefold())


def resolve_tzid(tzid: str, definition: tzinfo | None, wall: datetime) -> Resolved:
    """The IANA zone for `tzid`, using the file's VTIMEZONE `definition` when the name alone
    does not tell. `wall` (naive) is the event's local time: offsets are compared around it."""
    named = name_to_zone(tzid)
    if named is not None:
        return Resolved(named)
    shown = _shown(tzid)
    if definition is not None:
        matches = zones_matching(definition, wall)
        if not matches:
            named_city = _same_offsets_city(definition, tzid, wall)
            if named_city is None:
                raise InvalidInput(
                    f"the time zone {shown} is defined in the file with offsets no known zone"
                    " has around the event: cannot tell the time"
                )
            return Resolved(
                named_city,
                f"time zone {shown} is defined in the file with rules no zone has today"
                f" (old Windows rules): its times are read by that definition, and the"
                f" interview's zone is {named_city}, the city its name mentions",
            )
        best = _rank(matches, tzid, fixed=_is_fixed(definition, wall))[0]
        return Resolved(
            best,
            f"time zone {shown} is not a zone name: read as {best}, whose UTC offsets match"
            " the file's definition of it",
        )
    display = _DISPLAY.match(tzid.strip().strip('"'))
    if display:
        offset = timedelta()
        if display["sign"]:
            offset = timedelta(hours=int(display["h"]), minutes=int(display["m"]))
            offset = -offset if display["sign"] == "-" else offset
        for candidate in _named_zones(tzid):
            if _standard_offset(candidate, wall) == offset:
                return Resolved(
                    candidate,
                    f"time zone {shown} is a Windows display name: read as {candidate}",
                )
    raise InvalidInput(
        f"unknown time zone {shown} and no VTIMEZONE in the file defines it:"
        " cannot tell when the event is (it is not assumed to be UTC)"
    )


def _shown(text: str) -> str:
    clean = "".join(c if c.isprintable() else "?" for c in text.strip())
    return f'"{clean[:77]}..."' if len(clean) > 80 else f'"{clean}"'


# --- matching a VTIMEZONE definition to IANA zones ----------------------------------------


def _samples(wall: datetime) -> list[datetime]:
    """Weekly UTC instants over the year around the event, and the event itself."""
    center = wall.replace(tzinfo=UTC)
    weeks = [center + timedelta(days=7 * k) for k in range(-26, 27)]
    return [center, *weeks]


def _offset(instant: datetime, tz: tzinfo) -> timedelta | None:
    try:
        return instant.astimezone(tz).utcoffset()
    except (ValueError, OverflowError, TypeError, AttributeError, IndexError):
        return None


def zones_matching(definition: tzinfo, wall: datetime) -> list[str]:
    """IANA zones whose offset equals the definition's at every sample around `wall`."""
    samples = _samples(wall)
    wanted = [_offset(s, definition) for s in samples]
    if any(w is None for w in wanted):
        return []
    # three samples (the event, and half a year either side) rule out most zones cheaply
    quick = [(samples[0], wanted[0]), (samples[1], wanted[1]), (samples[27], wanted[27])]
    survivors = [
        name for name in _candidates() if all(_offset(s, _zone(name)) == w for s, w in quick)
    ]
    return [
        name
        for name in survivors
        if all(_offset(s, _zone(name)) == w for s, w in zip(samples, wanted, strict=True))
    ]


@lru_cache(maxsize=1)
def _candidates() -> tuple[str, ...]:
    import zoneinfo

    names = sorted(zoneinfo.available_timezones())
    areas = [n for n in names if "/" in n and not n.startswith(_LEGACY_AREAS + _NOT_ZONES)]
    fixed = [n for n in names if n.startswith("Etc/GMT") and n not in ("Etc/GMT+0", "Etc/GMT-0")]
    return (*areas, *fixed, "Etc/UTC")


@cache
def _zone(name: str) -> ZoneInfo:
    """A candidate zone, kept: ZoneInfo's own cache holds 8, so every definition matched
    against ~450 candidates read their files from disk again (half the time of a file's zone)."""
    return ZoneInfo(name)


def _is_fixed(definition: tzinfo, wall: datetime) -> bool:
    offsets = {_offset(s, definition) for s in _samples(wall)}
    return len(offsets) == 1


def _rank(matches: list[str], tzid: str, fixed: bool) -> list[str]:
    hinted = [z for z in _named_zones(tzid) if z in matches]

    def key(name: str) -> tuple[int, int, str]:
        if name in hinted:
            return (0, hinted.index(name), name)
        if fixed and name.startswith("Etc/"):
            return (1, 0, name)
        if name in _PRIMARY:
            return (2, 0, name)
        return (3 if not name.startswith("Etc/") else 4, 0, name)

    return sorted(matches, key=key)


def _fold(text: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z]", "", ascii_.lower())


def _named_zones(tzid: str) -> list[str]:
    """The zones a TZID names, surest first: CLDR's zone for a Windows display name (its
    words decide: "Eastern Time (US & Canada)" is America/New_York, though Grand Turk keeps
    the same clocks), then the cities it mentions ("Brüssel, Kopenhagen, Madrid, Paris",
    a display name in another language, is Madrid's)."""
    display = _display_zone(tzid)
    cities = [zone for zone in _city_hints(tzid) if zone != display]
    return cities if display is None else [display, *cities]


def _display_zone(tzid: str) -> str | None:
    """The zone CLDR gives a Windows display name, its "(UTC±hh:mm)" left out or not."""
    text = tzid.strip().strip('"')
    offset = _DISPLAY.match(text)
    return _display_table().get(_display_key(text[offset.end() :] if offset else text))


@lru_cache(maxsize=1)
def _display_table() -> dict[str, str]:
    return {_display_key(text): WINDOWS_TO_IANA[name] for text, name in DISPLAY_NAMES.items()}


def _display_key(text: str) -> str:
    # Outlook's copies differ in case, spacing, accents ("Brasília") and punctuation; the
    # digits and signs stay ("Coordinated Universal Time-11" is not "...+12")
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9+-]", "", ascii_.lower())


def _city_hints(tzid: str) -> list[str]:
    """IANA zones whose city the TZID mentions, in the order it mentions them."""
    words = [w for w in re.split(r"[^\w]+", tzid) if w and not w.isdigit()]
    by_city: dict[str, str] = {}
    for name in _candidates():
        if name.startswith("Etc/"):
            continue
        city = _fold(name.rsplit("/", 1)[-1])
        by_city.setdefault(city, name)
    found: list[str] = []
    for i in range(len(words)):
        for size in (3, 2, 1):
            joined = _fold("".join(words[i : i + size]))
            zone = by_city.get(joined)
            if zone and zone not in found and len(words[i : i + size]) == size:
                found.append(zone)
    return found


def _same_offsets_city(definition: tzinfo, tzid: str, wall: datetime) -> str | None:
    """For a definition no zone matches (Outlook's old "Canberra, Melbourne, Sydney" with
    the pre-2008 DST dates): a zone whose city the TZID names and that has the same UTC
    offsets over the year, only changing on other days; CLDR's zone for the region first."""
    samples = _samples(wall)
    wanted = {_offset(s, definition) for s in samples}
    if None in wanted:
        return None
    same = [
        name for name in _named_zones(tzid) if {_offset(s, _zone(name)) for s in samples} == wanted
    ]
    same.sort(key=lambda name: name not in _PRIMARY)  # stable: else the order of mention
    return same[0] if same else None


def _standard_offset(name: str, wall: datetime) -> timedelta | None:
    local = wall.replace(tzinfo=ZoneInfo(name))
    offset, dst = local.utcoffset(), local.dst()
    if offset is None or dst is None:
        return None
    return offset - dst


# --- wall time to instant -----------------------------------------------------------------


def wall_to_instant(wall: datetime, tz: tzinfo, zone_name: str) -> tuple[datetime, str | None]:
    """The UTC instant of a naive wall time in `tz` as RFC 5545 reads it: a time a DST gap
    skips uses the offset before the gap (it moves forward); a repeated time is the first
    occurrence. Either case comes with a warning."""
    local = wall.replace(tzinfo=tz, fold=0)
    warning = None
    if isinstance(tz, ZoneInfo):
        if not wall_time_exists(local):
            warning = (
                f"{wall:%Y-%m-%d %H:%M} does not exist in {zone_name} (the clocks skip it):"
                " read with the offset before the change, as RFC 5545 says"
            )
        elif wall_time_is_ambiguous(local):
            warning = (
                f"{wall:%Y-%m-%d %H:%M} happens twice in {zone_name} (clocks go back):"
                " taking the first occurrence"
            )
    return local.astimezone(UTC), warning
