"""The IANA zones a person can pick, and finding one from what they type (domain/zones.py)."""

from __future__ import annotations

import functools

from followup.app.errors import InvalidInput
from followup.domain import zones as domain_zones


class UnknownZone(InvalidInput):
    """What was typed names no zone for sure: the message names the closest ones."""


@functools.cache
def all_zones() -> tuple[str, ...]:
    """Every zone tzdata has that a person would pick: region/city names and UTC (not the
    legacy single words such as "EST" or "Cuba", nor "localtime" or "Factory")."""
    import zoneinfo

    return tuple(
        sorted(
            name
            for name in zoneinfo.available_timezones()
            if ("/" in name or name == "UTC") and not name.startswith(("posix/", "right/"))
        )
    )


def search(query: str, limit: int = 20) -> list[str]:
    """The zones `query` may mean ("Berlin", "PST", "UTC+1", "New York"), best first."""
    return domain_zones.search(query[:100], all_zones(), limit)


def resolve(query: str) -> str | None:
    """The one zone `query` surely names, else None."""
    return domain_zones.resolve(query[:100], all_zones())


def typed(text: str, otherwise: str = "pick one from the list") -> str:
    """The IANA zone a person typed in any zone field (Settings, Add, the edit form, the
    CLI): the name, or what `resolve` is sure of ("Berlin", "PST", "UTC+1"); else UnknownZone
    naming the closest zones (an ambiguous "Indiana" lists its candidates), or `otherwise`."""
    text = text.strip()
    found = resolve(text)
    if found:
        return found
    close = search(text, limit=3)
    hint = f": did you mean {', '.join(close)}?" if close else f": {otherwise}"
    raise UnknownZone(f"unknown time zone {text[:60]!r}{hint}")


def label(name: str) -> str:
    """The zone as the lists show it: "UTC+1 (Etc/GMT-1)", "Europe/Berlin"."""
    return domain_zones.label(name)


# Said beside a zone list that offers the fixed offsets (their Etc/ names count backwards).
OFFSET_SIGNS = (
    "A fixed offset shows as “UTC+1 (Etc/GMT-1)”: the Etc/GMT names count the other way"
    " round, so Etc/GMT-1 is one hour ahead of UTC and Etc/GMT+5 five hours behind."
)
