"""Finding an IANA zone from what a person types: "Berlin", "PST", "UTC+1", "New York".

Pure: the caller passes the zone names (app/zones.py reads them from tzdata once). Three
ways a query names zones, best first:
- an abbreviation, from a small table of the common ones (`ABBREVIATIONS`): "PST" is
  America/Los_Angeles (abbreviations are ambiguous the world over: the table keeps to the
  reading most people mean, several zones where one is not enough);
- a fixed offset, "UTC+1" / "GMT-5" / "+05": the `Etc/GMT∓N` zone (POSIX signs are the other
  way round: UTC+1 is Etc/GMT-1);
- a city or a zone name, ignoring case, spaces, underscores and hyphens: the zone's last
  part ("new york" is America/New_York) exactly, then starting with the query, then the
  query anywhere in the whole name ("europe/" lists Europe's zones).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

# The abbreviations people type, each to the zones they usually mean (first: the best).
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "PST": ("America/Los_Angeles",),
    "PDT": ("America/Los_Angeles",),
    "PT": ("America/Los_Angeles",),
    "MST": ("America/Denver", "America/Phoenix"),
    "MDT": ("America/Denver",),
    "MT": ("America/Denver",),
    "CST": ("America/Chicago",),
    "CDT": ("America/Chicago",),
    "CT": ("America/Chicago",),
    "EST": ("America/New_York",),
    "EDT": ("America/New_York",),
    "ET": ("America/New_York",),
    "AKST": ("America/Anchorage",),
    "HST": ("Pacific/Honolulu",),
    "AST": ("America/Halifax",),
    "NST": ("America/St_Johns",),
    "BRT": ("America/Sao_Paulo",),
    "ART": ("America/Argentina/Buenos_Aires",),
    "GMT": ("Europe/London", "UTC"),
    "BST": ("Europe/London",),
    "WET": ("Europe/Lisbon",),
    "CET": ("Europe/Berlin", "Europe/Paris"),
    "CEST": ("Europe/Berlin", "Europe/Paris"),
    "EET": ("Europe/Athens", "Europe/Helsinki"),
    "EEST": ("Europe/Athens", "Europe/Helsinki"),
    "MSK": ("Europe/Moscow",),
    "WAT": ("Africa/Lagos",),
    "CAT": ("Africa/Maputo",),
    "EAT": ("Africa/Nairobi",),
    "SAST": ("Africa/Johannesburg",),
    "GST": ("Asia/Dubai",),
    "PKT": ("Asia/Karachi",),
    "IST": ("Asia/Kolkata", "Europe/Dublin"),
    "ICT": ("Asia/Bangkok",),
    "WIB": ("Asia/Jakarta",),
    "SGT": ("Asia/Singapore",),
    "HKT": ("Asia/Hong_Kong",),
    "PHT": ("Asia/Manila",),
    "JST": ("Asia/Tokyo",),
    "KST": ("Asia/Seoul",),
    "AWST": ("Australia/Perth",),
    "ACST": ("Australia/Adelaide",),
    "AEST": ("Australia/Sydney", "Australia/Brisbane"),
    "AEDT": ("Australia/Sydney",),
    "NZST": ("Pacific/Auckland",),
    "NZDT": ("Pacific/Auckland",),
}

_OFFSET = re.compile(r"(?:utc|gmt|z)?\s*([+\-−])\s*(\d{1,2})(?::?00)?")
_FOLD = re.compile(r"[\s_\-]+")


@functools.lru_cache(maxsize=2048)  # the same ~600 zone names on every search
def _fold(text: str) -> str:
    return _FOLD.sub("", text).lower()


def offset_zone(query: str) -> str | None:
    """`Etc/GMT-1` for "UTC+1", `Etc/GMT+5` for "GMT-5", `UTC` for "UTC+0"; None when the
    query is no whole-hour offset tzdata has (UTC-12 to UTC+14)."""
    found = _OFFSET.fullmatch(query.strip().lower())
    if not found:
        return None
    sign, hours = found.group(1), int(found.group(2))
    east = sign == "+"
    if hours == 0:
        return "UTC"
    if (east and hours > 14) or (not east and hours > 12):
        return None
    return f"Etc/GMT{'-' if east else '+'}{hours}"


_ETC = re.compile(r"Etc/GMT([+\-])(\d{1,2})")


def label(name: str) -> str:
    """A zone as a list shows it: the fixed-offset zones by the offset people say, the POSIX
    name after it ("UTC+1 (Etc/GMT-1)": tzdata's Etc signs are the other way round); every
    other zone by its own name."""
    found = _ETC.fullmatch(name)
    if not found:
        return name
    sign, hours = found.group(1), int(found.group(2))
    if hours == 0:
        return f"UTC ({name})"
    return f"UTC{'-' if sign == '+' else '+'}{hours} ({name})"


def search(query: str, zones: Iterable[str], limit: int = 20) -> list[str]:
    """The zones `query` may mean, best first, at most `limit` of them; every zone (sorted,
    up to `limit`) when the query is empty."""
    names = sorted(set(zones))
    text = query.strip()
    if not text:
        return names[:limit]
    known = frozenset(names)
    hits: dict[str, None] = {}  # in order, each once

    def add(*found: str) -> None:
        for name in found:
            if name in known:
                hits.setdefault(name)

    folded = _fold(text)
    add(*(n for n in names if _fold(n) == folded))  # the name itself, in any case
    add(*ABBREVIATIONS.get(text.upper(), ()))
    offset = offset_zone(text)
    if offset:
        add(offset)
    if folded:
        last = [(n, _fold(n.rsplit("/", 1)[-1])) for n in names]
        add(*(n for n, city in last if city == folded))
        add(*(n for n, city in last if city.startswith(folded)))
        add(*(n for n in names if folded in _fold(n)))
    return list(hits)[:limit]


def resolve(query: str, zones: Iterable[str]) -> str | None:
    """The one zone `query` names for sure: the name itself, an abbreviation's first zone,
    an offset, or the only zone whose city is the query ("berlin"); else None."""
    names = set(zones)
    text = query.strip()
    if text in names:
        return text
    folded = _fold(text)
    exact = [n for n in names if _fold(n) == folded]
    if len(exact) == 1:
        return exact[0]
    for name in ABBREVIATIONS.get(text.upper(), ())[:1]:
        if name in names:
            return name
    offset = offset_zone(text)
    if offset and offset in names:
        return offset
    cities = [n for n in names if folded and _fold(n.rsplit("/", 1)[-1]) == folded]
    return cities[0] if len(cities) == 1 else None
