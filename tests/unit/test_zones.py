"""Finding a zone from what a person types (domain/zones.py, app/zones.py)."""

from __future__ import annotations

import zoneinfo
from datetime import datetime

import pytest

from followup.app import zones
from followup.domain.zones import ABBREVIATIONS, label, offset_zone, resolve, search

NAMES = ("America/New_York", "America/Los_Angeles", "Europe/Berlin", "Etc/GMT-1",
         "Etc/GMT+5", "UTC", "America/Argentina/Buenos_Aires", "Asia/Kolkata",
         "Europe/Dublin", "America/North_Dakota/New_Salem")  # fmt: skip


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("Berlin", "Europe/Berlin"),
        ("berlin", "Europe/Berlin"),
        ("  BERLIN ", "Europe/Berlin"),
        ("New York", "America/New_York"),
        ("new_york", "America/New_York"),
        ("newyork", "America/New_York"),
        ("PST", "America/Los_Angeles"),
        ("pst", "America/Los_Angeles"),
        ("UTC+1", "Etc/GMT-1"),
        ("utc + 1", "Etc/GMT-1"),
        ("GMT-5", "Etc/GMT+5"),
        ("UTC", "UTC"),
        ("Buenos Aires", "America/Argentina/Buenos_Aires"),
        ("europe/berlin", "Europe/Berlin"),
        ("IST", "Asia/Kolkata"),
    ],
)
def test_a_query_finds_the_zone_people_mean_first(query: str, first: str) -> None:
    assert search(query, NAMES)[0] == first


def test_a_city_prefix_and_a_part_of_the_name_find_zones_too() -> None:
    assert search("new", NAMES) == ["America/New_York", "America/North_Dakota/New_Salem"]
    assert search("america/", NAMES)[:1] == ["America/Argentina/Buenos_Aires"]
    assert search("IST", NAMES) == ["Asia/Kolkata", "Europe/Dublin"]


def test_nothing_matches_gibberish_and_the_limit_holds() -> None:
    assert search("Atlantis", NAMES) == []
    assert search("", NAMES, limit=3) == sorted(NAMES)[:3]
    assert len(search("a", NAMES, limit=2)) == 2


@pytest.mark.parametrize(
    ("query", "zone"),
    [("UTC+1", "Etc/GMT-1"), ("UTC-1", "Etc/GMT+1"), ("GMT+14", "Etc/GMT-14"),
     ("UTC-12", "Etc/GMT+12"), ("+05", "Etc/GMT-5"), ("UTC+0", "UTC"), ("UTC−3", "Etc/GMT+3"),
     ("UTC+15", None), ("UTC-13", None), ("UTC+5:30", None), ("Berlin", None)],
)  # fmt: skip
def test_utc_offsets_map_to_etc_zones_with_the_sign_turned(query: str, zone: str | None) -> None:
    assert offset_zone(query) == zone


def test_resolve_takes_only_what_is_certain() -> None:
    assert resolve("berlin", NAMES) == "Europe/Berlin"
    assert resolve("PST", NAMES) == "America/Los_Angeles"
    assert resolve("UTC+1", NAMES) == "Etc/GMT-1"
    assert resolve("Europe/Berlin", NAMES) == "Europe/Berlin"
    assert resolve("new", NAMES) is None  # two cities start with it
    assert resolve("Atlantis", NAMES) is None


def test_every_abbreviation_names_zones_tzdata_has() -> None:
    known = zoneinfo.available_timezones()
    missing = {a: z for a, found in ABBREVIATIONS.items() for z in found if z not in known}
    assert missing == {}


def test_the_real_zone_list_answers_the_issues_queries() -> None:
    assert zones.search("Berlin")[0] == "Europe/Berlin"
    assert zones.search("PST")[0] == "America/Los_Angeles"
    assert zones.search("UTC+1")[0] == "Etc/GMT-1"
    assert zones.search("New York")[0] == "America/New_York"
    assert "EST" not in zones.all_zones() and "localtime" not in zones.all_zones()
    assert zones.search("EST")[0] == "America/New_York"


def test_a_fixed_offset_zone_is_labelled_by_the_offset_people_say() -> None:
    # tzdata's Etc/GMT signs are POSIX's, the other way round: Etc/GMT-1 is UTC+1
    assert label("Etc/GMT-1") == "UTC+1 (Etc/GMT-1)"
    assert label("Etc/GMT+5") == "UTC-5 (Etc/GMT+5)"
    assert label("Etc/GMT-14") == "UTC+14 (Etc/GMT-14)"
    assert label("Etc/GMT0") == "Etc/GMT0"  # not an offset with a sign: as it is
    assert label("Europe/Berlin") == "Europe/Berlin"
    for name in zones.all_zones():  # each label's offset is the zone's own
        if name.startswith(("Etc/GMT+", "Etc/GMT-")):
            offset = datetime(2026, 1, 1, tzinfo=zoneinfo.ZoneInfo(name)).utcoffset()
            assert offset is not None
            hours = int(offset.total_seconds() // 3600)
            assert label(name).startswith(f"UTC{hours:+d} (" if hours else "UTC (")
