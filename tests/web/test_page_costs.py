"""What keeps the dashboard's pages cheap on a big home (issue #16's p95 ≤ 50 ms): the long
option lists are rendered once, not on every page; `followup serve` settles its memory."""

from __future__ import annotations

import re
import subprocess
import sys
from typing import Any

import pytest
from markupsafe import Markup

from followup.app import zones
from followup.bootstrap import holiday_countries
from followup.web import options, pages
from tests.conftest import Run
from tests.web.conftest import Web
from tests.web.homes import realistic

ZONE_LISTS = ("_zone_options.html", "_country_choices.html")


@pytest.fixture
def ids(run: Run) -> dict[str, int]:
    return realistic(run)


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The option lists' templates rendered from now on (a cold cache first)."""
    options._rendered.cache_clear()
    seen: list[str] = []
    env = pages.environment()
    real = env.get_template

    def counted(name: Any, *args: Any, **kw: Any) -> Any:
        if name in ZONE_LISTS:
            seen.append(name)
        return real(name, *args, **kw)

    monkeypatch.setattr(env, "get_template", counted)
    return seen


def test_the_option_lists_are_rendered_once_for_every_page(
    web: Web, ids: dict[str, int], renders: list[str]
) -> None:
    interview = f"/interviews/{ids['acme']}"
    first = {path: web.get(path).text for path in ("/add", "/settings", interview)}
    once = sorted(renders)
    again = {path: web.get(path).text for path in ("/add", "/settings", interview)}
    assert sorted(renders) == once  # the second time: no list rendered again
    assert set(once) == set(ZONE_LISTS)
    for path, html in first.items():  # ... and the pages are the same (but their CSRF token)
        assert html == again[path], path


def test_the_lists_hold_every_zone_and_country_with_the_choice_selected(
    web: Web, ids: dict[str, int]
) -> None:
    add = web.get("/add").text
    datalist = re.search(r'<datalist id="add-tz-options"[^>]*>(.*?)</datalist>', add, re.S)
    assert datalist is not None
    assert re.findall(r'<option value="([^"]+)">', datalist.group(1)) == list(zones.all_zones())
    settings = web.get("/settings").text
    listed = re.search(r'<datalist id="zone-options"[^>]*>(.*?)</datalist>', settings, re.S)
    assert listed is not None
    assert re.findall(r'value="([^"]+)"', listed.group(1)) == list(zones.all_zones())
    page = web.get(f"/interviews/{ids['acme']}").text
    edit = re.search(r'<datalist id="edit-tz-options"[^>]*>(.*?)</datalist>', page, re.S)
    assert edit is not None  # the same field as Settings', the zone typed in, not a <select>
    assert re.findall(r'value="([^"]+)"', edit.group(1)) == list(zones.all_zones())
    assert '<select name="tz"' not in page
    country = re.search(r'<select name="country" id="add-country"[^>]*>(.*?)</select>', add, re.S)
    assert country is not None
    for code, name in holiday_countries().items():
        assert f'<option value="{code}">{name} ({code})</option>' in country.group(1)


def test_a_choice_not_in_a_list_selects_nothing_and_is_not_kept() -> None:
    options._rendered.cache_clear()
    env = pages.environment()
    countries = {"DE": "Germany", "FR": "France"}
    assert "selected" in options.country_choices(env, countries, "DE")
    plain = options.country_choices(env, countries, "")
    for typed in ("XX", "<b>", "x" * 10_000):
        assert options.country_choices(env, countries, typed) is plain  # kept once, as no choice
    assert options._rendered.cache_info().currsize == 2
    escaped = options.country_choices(env, {"A&B": "A&B"}, "A&B")
    assert "A&amp;B" in escaped and "A&B" not in escaped


def test_serve_freezes_what_it_loaded_and_collects_young_objects_less_often() -> None:
    """`followup serve`'s settle(): every template compiled, the frozen objects out of the
    collector's walks, a larger young generation (in a child: freezing is per process)."""
    code = (
        "import gc; from followup.web import server, pages;"
        " server.settle(); env = pages.environment();"
        " print(gc.get_freeze_count(), gc.get_threshold()[0],"
        " len(env.cache) == len(env.list_templates()))"
    )
    frozen, young, compiled = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert int(frozen) > 20_000
    assert int(young) == 10_000
    assert compiled == "True"


def test_every_form_takes_its_lists_from_the_kept_ones(
    web: Web, ids: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """No form loops over the zones or countries itself (that was most of its time)."""
    real = options._rendered

    def marked(env: Any, name: str, what: str, items: tuple[object, ...], chosen: str) -> Markup:
        return Markup("<!--kept-->") + real(env, name, what, items, chosen)

    monkeypatch.setattr(options, "_rendered", marked)
    lists = {
        "/add": (r'<datalist id="add-tz-options"', r'<select name="country" id="add-country"'),
        "/settings": (r'<datalist id="zone-options"', r'<select name="country" id="profile-'),
        f"/interviews/{ids['acme']}": (
            r'<datalist id="edit-tz-options"',
            r'<select name="country" id="edit-country"',
        ),
    }
    for path, starts in lists.items():
        html = web.get(path).text
        for start in starts:
            found = re.search(start + r"[^>]*>(.*?)</(datalist|select)>", html, re.S)
            assert found is not None, (path, start)
            assert "<!--kept-->" in found.group(1), (path, start)
