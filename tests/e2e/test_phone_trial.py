"""What a cold trial on a 390×844 phone found (a job seeker using only the dashboard).

Each test reproduces one finding in the real browser: a page that scrolled sideways, a notice
cut short, a control too easy to hit by mistake, a tap target too small.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import NewPage, StartServer, followup, make_home
from tests.e2e.test_phone import PHONES, login, no_sideways_scroll

pytestmark = pytest.mark.integration

# a 70-character address: a <select> listing it is ~640 px wide
LONG_LOCAL = "maximiliane.alexandrovna.featherstonehaugh"
LONG_EMAIL = f"{LONG_LOCAL}@recruiting.kestrel-analytics.example"
OPEN_ALL = "() => document.querySelectorAll('details').forEach((d) => { d.open = true; })"
LONG_COMPANY = "Kestrel Analytics and Distributed Reliability Engineering Holdings"


def long_home(tmp_path: Path) -> Path:
    home = make_home(tmp_path / "home")
    assert len(LONG_EMAIL) >= 70
    followup(home, "add", "--company", LONG_COMPANY, "--role", "Data Engineer",
             "--at", "2026-11-20T16:30", "--tz", "Europe/Berlin",
             "--interviewer", f"Maximiliane Featherstonehaugh <{LONG_EMAIL}>",
             "--interviewer", f"Bob Stone <bob.{LONG_EMAIL}>",
             "--topic", "the nightly batch that misses its window")  # fmt: skip
    return home


@pytest.mark.parametrize("viewport", PHONES, ids=["390", "360"])
def test_long_addresses_in_menus_do_not_scroll_sideways(
    viewport: dict[str, int], serve: StartServer, tmp_path: Path, new_page: NewPage
) -> None:
    server = serve(long_home(tmp_path))
    page = new_page(viewport=viewport)
    login(page, server)
    for path in ("/interviews/1", "/interviews/1?edit=1#edit", "/add?application=1", "/add",
                 "/settings", "/pipeline", "/"):  # fmt: skip
        response = page.goto(f"{server.base}{path}")
        assert response is not None and response.ok, path
        page.evaluate(OPEN_ALL)
        no_sideways_scroll(page, path)
