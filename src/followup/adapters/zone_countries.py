"""Which country each time zone lies in, from tzdata's `zone.tab` and `zone1970.tab`.

Read once per process (the first plan or `show` that needs it), from the zone files Python's
`zoneinfo` reads (the system's TZPATH, then the `tzdata` package). Nothing found: an empty
table, and interviews without --country skip no holidays (`show` says so).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

# zone.tab names one country per zone (also the zones zone1970.tab merged into another);
# zone1970.tab lists every country sharing a zone, the zone's own first.
_FILES = ("zone.tab", "zone1970.tab")


def parse(*tables: str) -> dict[str, str]:
    """zone name -> ISO country code, from tab files' text: the first table naming a zone
    wins, and a row several countries share gives the first listed."""
    found: dict[str, str] = {}
    for text in tables:
        for line in text.splitlines():
            if not line or line.startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) >= 3 and fields[0]:
                found.setdefault(fields[2].strip(), fields[0].split(",")[0].strip().upper())
    return found


def _read(name: str) -> str:
    import zoneinfo

    for base in zoneinfo.TZPATH:
        try:
            return (Path(base) / name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
    try:
        from importlib import resources

        return resources.files("tzdata").joinpath("zoneinfo", name).read_text(encoding="utf-8")
    except (ImportError, OSError, UnicodeDecodeError):
        return ""


@functools.cache
def zone_countries() -> Mapping[str, str]:
    """Every zone's country, read once."""
    return MappingProxyType(parse(*(_read(name) for name in _FILES)))
