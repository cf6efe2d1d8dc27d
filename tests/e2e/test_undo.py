"""Undo, history and the edit form in a real browser (issue #14).

"They replied" clicked on Today by mistake → the agenda says "Done: they replied — Undo" →
Undo → the sequence is waiting again, its thank-you back on Today, and the interview page's
history shows the reply struck through. Then the edit form moves the interview, at a
phone's width (390 px) without scrolling sideways.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import NewPage, Server, Shot, StartServer, Watched, followup, make_home

pytestmark = pytest.mark.integration


def login(page: Page, server: Server) -> None:
    response = page.goto(server.login_url)
    assert response is not None and response.ok
    expect(page).to_have_url(f"{server.base}/")


# What this work added: the notices, the history, the edit form, the later-round choice;
# and the whole page does not scroll sideways either (issue #16: tests/e2e/test_phone.py).
OURS = "#flashes, #history, #edit, #undo-error, #add-application, #next-round"
WIDEST = """(selector) => Math.max(0, ...Array.from(document.querySelectorAll(selector))
  .flatMap((el) => [el, ...el.querySelectorAll('*')])
  .map((el) => el.getBoundingClientRect().right))"""


def no_sideways_scroll(page: Page) -> None:
    """Nothing we added reaches past the right edge of a phone's window."""
    widest = page.evaluate(WIDEST, OURS)
    inner = page.evaluate("window.innerWidth")
    assert 0 < widest <= inner, f"{page.url}: reaches {widest} px in a {inner} px window"
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= inner, f"{page.url}: {scroll} px wide in a {inner} px window"


def test_undo_they_replied_from_today_waits_again(
    serve: StartServer, tmp_path: Path, new_page: NewPage, shot: Shot, watched: Watched
) -> None:
    home = make_home(tmp_path / "home")
    followup(home, "add", "--company", "Kestrel Analytics", "--role", "Data Engineer",
             "--at", "2026-11-20T16:30", "--tz", "Europe/Berlin",
             "--interviewer", "Ada Lovelace <ada@kestrel.example>")  # fmt: skip
    server = serve(home)
    page = new_page()
    login(page, server)

    row = page.locator('[data-testid="agenda-row"][data-interview="1"]')
    expect(row).to_contain_text("1 · thank-you")
    row.get_by_text("They replied…").click()  # it asks first
    row.get_by_test_id("record-reply").click()
    agenda = page.get_by_test_id("agenda")
    expect(agenda.get_by_test_id("done")).to_contain_text("Done: they replied")
    expect(page.locator('[data-testid="agenda-row"]')).to_have_count(0)
    shot(page, "replied-with-undo")

    agenda.get_by_test_id("undo-notice").click()
    expect(page).to_have_url(f"{server.base}/")
    expect(page.get_by_test_id("flashes")).to_contain_text("Undid: they replied")
    row = page.locator('[data-testid="agenda-row"][data-interview="1"]')
    expect(row).to_contain_text("1 · thank-you")  # waiting again, the thank-you next
    shot(page, "undone")

    row.get_by_test_id("interview-link").click()
    expect(page.get_by_test_id("status")).to_have_text("waiting")
    replied = page.locator('[data-testid="change"][data-kind="replied"]')
    expect(replied).to_have_attribute("data-undone", "true")
    expect(replied.locator("del")).to_contain_text("they replied")
    expect(replied.get_by_test_id("change-source")).to_have_text("web")
    assert watched.errors == [] and watched.csp == []


def test_the_edit_form_and_the_history_at_a_phones_width(
    serve: StartServer, tmp_path: Path, new_page: NewPage, shot: Shot, watched: Watched
) -> None:
    home = make_home(tmp_path / "home")
    followup(home, "add", "--company", "Kestrel Analytics", "--role", "Data Engineer",
             "--at", "2026-11-20T16:30", "--tz", "Europe/Berlin",
             "--interviewer", "Ada Lovelace <ada@kestrel.example>",
             "--interviewer", "Bob Stone <bob@kestrel.example>")  # fmt: skip
    server = serve(home)
    page = new_page(viewport={"width": 390, "height": 844})
    login(page, server)
    page.goto(f"{server.base}/interviews/1")
    page.locator("#edit > summary").click()
    no_sideways_scroll(page)
    shot(page, "edit-form-390")
    page.get_by_test_id("edit-at").fill("2026-11-20T15:00")
    page.get_by_test_id("edit-tz").fill("London")  # as Settings takes it: Europe/London
    page.get_by_test_id("edit-add-name").fill("Carol Danvers")
    page.get_by_test_id("edit-add-email").fill("carol@kestrel.example")
    page.get_by_test_id("edit-save").click()
    expect(page.get_by_test_id("done")).to_contain_text("to Fri 20 Nov 2026 15:00 GMT")
    expect(page.get_by_test_id("interviewer")).to_have_count(3)
    no_sideways_scroll(page)
    shot(page, "edited-390")

    # Remove Bob with his own button (the form stays open on its notice after a change);
    # then undo it from the history
    expect(page.get_by_test_id("edit")).to_have_attribute("open", "")
    page.get_by_role("button", name="Remove Bob Stone").click()
    expect(page.get_by_test_id("done")).to_contain_text("removed Bob Stone")
    page.get_by_test_id("undo-latest").click()
    expect(page.get_by_test_id("flashes")).to_contain_text("Undid: removed Bob Stone")
    expect(page.get_by_test_id("interviewer")).to_have_count(3)
    no_sideways_scroll(page)

    page.goto(f"{server.base}/add")
    no_sideways_scroll(page)
    expect(page.get_by_test_id("add-application")).to_contain_text(
        "Kestrel Analytics — Data Engineer"
    )
    assert watched.errors == [] and watched.csp == []
