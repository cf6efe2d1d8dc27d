"""What a cold trial on a 390×844 phone found (a job seeker using only the dashboard).

Each test reproduces one finding in the real browser: a page that scrolled sideways, a notice
cut short, a control too easy to hit by mistake, a tap target too small.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import NewPage, Shot, StartServer, followup, mail_home, make_home
from tests.e2e.test_phone import PHONES, login, no_sideways_scroll
from tests.integration.smtp_sink import Sink, smtp_sink  # noqa: F401  (the fixture)

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


HTMX_READY = (  # htmx has taken the form (a click before that posts it plainly)
    "(id) => { const b = document.querySelector('#' + id);"
    " return !!(b && b.form && b.form['htmx-internal-data']); }"
)


@pytest.mark.parametrize("mode", ["when-due", "send"])
def test_the_notice_after_send_shows_its_undo_link_on_a_phone(
    mode: str,
    serve: StartServer,
    tmp_path: Path,
    new_page: NewPage,
    shot: Shot,
    smtp_sink: Sink,  # noqa: F811
) -> None:
    server = serve(mail_home(tmp_path, smtp_sink))
    page = new_page(viewport=PHONES[0])
    login(page, server)
    page.goto(f"{server.base}/interviews/1#drafts")
    card_id = page.get_by_test_id("draft-card").first.get_attribute("id")
    page.wait_for_function(HTMX_READY, arg=f"{card_id}-{mode}")
    page.locator(f"#{card_id}-{mode}").click()
    region = page.locator(f"#{card_id}-mail")
    expect(region.get_by_test_id("job-ok")).to_be_visible(timeout=15_000)
    # the link is part of the notice (its role="status" region says it), not a stray line after
    # it: a <form> inside a <p> ended the paragraph, so the notice read "Done: … —" and stopped
    done = region.get_by_test_id("done")
    link = done.get_by_test_id("undo-force" if mode == "send" else "undo-notice")
    expect(link).to_be_visible()
    status = region.locator('[role="status"]', has=page.get_by_test_id("done"))
    expect(status).to_contain_text("record it as not sent" if mode == "send" else "Undo")
    shot(page, f"after-{mode}")


@pytest.mark.parametrize("script", [True, False], ids=["js", "nojs"])
def test_they_replied_on_today_asks_before_it_ends_the_sequence(
    script: bool, serve: StartServer, tmp_path: Path, new_page: NewPage
) -> None:
    home = make_home(tmp_path / "home")
    followup(home, "add", "--company", "Kestrel", "--role", "Data Engineer",
             "--at", "2026-11-20T16:30", "--tz", "Europe/Berlin",
             "--interviewer", "Ada Lovelace <ada@kestrel.example>")  # fmt: skip
    server = serve(home)
    page = new_page(viewport=PHONES[0], java_script_enabled=script)
    login(page, server)
    row = page.locator('[data-testid="agenda-row"][data-interview="1"]')
    # a tap on "They replied…" (beside Mark sent) records nothing: it asks first
    row.get_by_text("They replied").first.click()
    expect(row.get_by_test_id("record-reply")).to_be_visible()  # the question, in the row
    expect(page.get_by_test_id("done")).to_have_count(0)
    row.get_by_test_id("record-reply").click()
    expect(page.get_by_test_id("done")).to_contain_text("they replied")
    expect(page.locator('[data-testid="agenda-row"]')).to_have_count(0)
    page.get_by_test_id("undo-notice").click()
    expect(page.locator('[data-testid="agenda-row"]')).to_have_count(1)


SMALL_LINKS = """() => Array.from(document.querySelectorAll('a[href]'))
  .filter((el) => el.offsetParent !== null && !el.closest('[hidden]'))
  .map((el) => [el.textContent.trim().slice(0, 40), Math.round(el.getBoundingClientRect().height)])
  .filter(([, h]) => h < 24)"""


def test_every_link_is_a_tap_target_of_24_px_on_a_phone(
    serve: StartServer, tmp_path: Path, new_page: NewPage
) -> None:
    server = serve(long_home(tmp_path))
    page = new_page(viewport=PHONES[0])
    login(page, server)
    small = {}
    for path in ("/", "/interviews/1", "/add", "/pipeline", "/settings", "/stats"):
        page.goto(f"{server.base}{path}")
        page.evaluate(OPEN_ALL)
        found = page.evaluate(SMALL_LINKS)
        if found:
            small[path] = found
    assert small == {}
