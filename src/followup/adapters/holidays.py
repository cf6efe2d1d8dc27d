"""Public holidays from the `holidays` package, kept in a small cache file.

Importing `holidays` and building a country's calendar costs ~200 ms, more than a whole
agenda: every command that re-plans an interview with a country (sent, expect, undo, edit)
would pay it. So each (country, year) asked for is computed once and kept in
`holidays-cache.json` beside the database, keyed by the installed package (its file's path
and modification time: a new version of `holidays` starts a new cache). A later process
reads a few kilobytes of JSON instead. Without a cache directory (tests, a directory not
made yet) it only keeps them in memory.
"""

from __future__ import annotations

import json
import os
import threading
from contextlib import suppress
from datetime import date
from pathlib import Path
from typing import Any

from followup.app.errors import InvalidInput
from followup.app.files import PRIVATE_FILE, check_source, tighten, write_private
from followup.domain.workdays import NO_COUNTRY, IsHoliday, no_holidays

CACHE_NAME = "holidays-cache.json"


class HolidayCalendars:
    """`calendars("DE")` is a date -> bool predicate for Germany's public holidays;
    `calendars("GB-ENG")` for England's (a region, ISO 3166-2)."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        self._path = cache_dir / CACHE_NAME if cache_dir is not None else None
        self._cache: dict[str, Any] | None = None  # read on first use
        # One instance may serve a whole process (bootstrap.holiday_calendars: every
        # context of the worker's and the dashboard's threads): its cache changes under
        # this lock, and each (country, year) is made into a set once.
        self._lock = threading.RLock()
        self._sets: dict[tuple[str, int], frozenset[date]] = {}
        self._known: frozenset[str] | None = None  # the countries with a calendar

    def __call__(self, country: str | None) -> IsHoliday:
        if not country or country == NO_COUNTRY:
            return no_holidays
        country = country.upper()
        if country not in self._countries():
            raise InvalidInput(f"no public-holiday calendar for country {country!r}")
        years: dict[int, frozenset[date]] = {}

        def is_holiday(day: date) -> bool:
            found = years.get(day.year)
            if found is None:
                found = years[day.year] = self._days(country, day.year)
            return day in found

        return is_holiday

    def _days(self, country: str, year: int) -> frozenset[date]:
        found = self._sets.get((country, year))
        if found is None:
            found = self._sets[(country, year)] = self._year(country, year)
        return found

    # --- the cache --------------------------------------------------------------------

    def _load(self) -> dict[str, Any]:
        with self._lock:
            return self._loaded()

    def _loaded(self) -> dict[str, Any]:
        if self._cache is None:
            key = _package_key()
            cache: dict[str, Any] = {}
            if self._path is not None:
                try:
                    check_source(self._path)  # a fifo would block every command
                    tighten(self._path, PRIVATE_FILE)  # 0644 from an older followup
                    cache = json.loads(self._path.read_text(encoding="utf-8"))
                except (OSError, ValueError, InvalidInput):
                    cache = {}
            if not isinstance(cache, dict) or cache.get("package") != key:
                cache = {"package": key, "countries": None, "days": {}}
            self._cache = cache
        return self._cache

    def _save(self) -> None:
        if self._path is None or not self._path.parent.is_dir():
            return  # never makes the home: a read-only command must not create it
        with self._lock:
            data = json.dumps(self._load(), sort_keys=True).encode("utf-8")
        # Whole or not at all, 0600 like every file in the home; the last writer wins. A
        # cache: failing to keep it (its name taken by a fifo...) changes nothing.
        with suppress(OSError, InvalidInput):
            write_private(self._path, data)

    def _countries(self) -> frozenset[str]:
        with self._lock:
            if self._known is None:
                cache = self._load()
                if not isinstance(cache.get("countries"), list):
                    import holidays

                    # each country, and each of its regions as ISO 3166-2 writes it (GB-ENG)
                    cache["countries"] = sorted(
                        code
                        for country, regions in holidays.list_supported_countries().items()
                        for code in (country, *(f"{country}-{r}" for r in regions if " " not in r))
                    )
                    self._save()
                self._known = frozenset(cache["countries"])
            return self._known

    def _year(self, country: str, year: int) -> frozenset[date]:
        with self._lock:
            cache = self._load()
            key = f"{country}:{year}"
            days = cache["days"].get(key)
            if not isinstance(days, list):
                import holidays

                code, _, region = country.partition("-")
                found = holidays.country_holidays(code, subdiv=region or None, years=year)
                days = sorted(d.isoformat() for d in found)
                cache["days"][key] = days
                self._save()
            return frozenset(date.fromisoformat(d) for d in days)


def _package_key() -> str:
    """Which `holidays` is installed, without importing it (its spec's file and mtime)."""
    from importlib.util import find_spec

    spec = find_spec("holidays")
    if spec is None or spec.origin is None:
        return "none"
    try:
        return f"{spec.origin}:{os.stat(spec.origin).st_mtime_ns}"
    except OSError:
        return spec.origin


def country_names() -> dict[str, str]:
    """Each country the `holidays` package has a calendar for, by its two-letter code, with
    its English name from the package's class names ("BosniaAndHerzegovina" -> "Bosnia and
    Herzegovina"), sorted by name. Imports the package (~0.2 s): the dashboard's Settings."""
    import re

    import holidays
    from holidays import registry

    supported = set(holidays.list_supported_countries())
    found = {}
    for entry in registry.COUNTRIES.values():
        class_name, code = entry[0], entry[1]
        if len(code) == 2 and code in supported:
            words = re.findall(r"[A-Z][a-z]*|[a-z]+", class_name)
            found[code] = " ".join(
                w.lower() if w in ("And", "Of", "The", "Da", "De") and i else w
                for i, w in enumerate(words)
            )
    return dict(sorted(found.items(), key=lambda item: item[1]))
