"""The whole story with the keyboard alone (issue #16, quality bars): add → debrief → keep
the draft → send to a test SMTP sink → undo, using only Tab, Shift+Tab, Enter, Space (and
typing into fields), with focus landing where the answer is after each action.

The SMTP sink is aiosmtpd in this process, on loopback; `followup serve` sends to it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import NewPage, Shot, StartServer, Watched, followup, make_home
from tests.e2e.test_phone import login
from tests.integration.smtp_sink import Sink, smtp_sink  # noqa: F401  (the fixture)

pytestmark = pytest.mark.integration

FOCUSED = """() => { const el = document.activeElement;
  const section = el.closest('section[id], details[id]'), card = el.closest('.draft[id]');
  return {id: el.id, tag: el.tagName.toLowerCase(), testid: el.dataset.testid || '',
          section: section ? section.id : '', card: card ? card.id : ''}; }"""


def focused(page: Page) -> dict[str, str]:
    found: dict[str, str] = page.evaluate(FOCUSED)
    return found


def tab_to(page: Page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching `selector` has focus (never a click)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}; focus is on {focused(page)}")


def type_here(page: Page, selector: str, text: str) -> None:
    assert page.evaluate("(s) => document.activeElement.matches(s)", selector), focused(page)
    page.keyboard.type(text)


def test_add_debrief_draft_send_undo_by_keyboard_alone(
    serve: StartServer,
    tmp_path: Path,
    new_page: NewPage,
    shot: Shot,
    watched: Watched,
    smtp_sink: Sink,  # noqa: F811
) -> None:
    home = make_home(tmp_path / "home")
    for key, value in (("user.email", "jamie@example.org"), ("mail.smtp_host", smtp_sink.host),
                       ("mail.smtp_port", str(smtp_sink.port)), ("mail.smtp_security", "none"),
                       ("mail.mode", "send")):  # fmt: skip
        followup(home, "config", "set", key, value)
    server = serve(home)
    page = new_page(viewport={"width": 1280, "height": 800})
    login(page, server)

    # --- Add: from the header's link, every field typed, Enter on the button ----------
    tab_to(page, "#nav-add")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{server.base}/add")
    tab_to(page, "#add-company")
    type_here(page, "#add-company", "Kestrel Analytics")
    page.keyboard.press("Tab")
    type_here(page, "#add-role", "Data Engineer")
    page.keyboard.press("Tab")
    # Chromium's date field, segment by segment: month, day, year, hour, minute, AM/PM
    for keys in ("11", "20", "2026", "ArrowRight", "04", "30", "ArrowRight", "P"):
        page.keyboard.press(keys) if keys.startswith("Arrow") else page.keyboard.type(keys)
    expect(page.get_by_test_id("add-at")).to_have_value("2026-11-20T16:30")
    tab_to(page, "#add-tz")
    type_here(page, "#add-tz", "Europe/Berlin")
    tab_to(page, "#add-interviewers")
    type_here(page, "#add-interviewers", "Ada Lovelace <ada@kestrel.example>")
    tab_to(page, "#add-topics")
    type_here(page, "#add-topics", "backfilling the event stream")
    tab_to(page, "#add-skill")
    type_here(page, "#add-skill", "incremental Spark jobs")
    tab_to(page, "#add-submit")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{server.base}/interviews/1")
    expect(page.get_by_test_id("flashes")).to_contain_text("Added interview 1")
    shot(page, "added")

    # --- Debrief: Space on Record; focus lands on the notice in Drafts ----------------
    tab_to(page, "#debrief-note")
    type_here(page, "#debrief-note", "a write-up of the replay tool")
    tab_to(page, "#debrief-save")
    page.keyboard.press("Space")
    expect(page).to_have_url(f"{server.base}/interviews/1?at=drafts#drafts")
    drafts_notice = page.get_by_test_id("drafts").get_by_test_id("flashes")
    expect(drafts_notice).to_contain_text("Recorded 1 debrief entry")
    page.wait_for_function("() => document.activeElement !== document.body")
    assert focused(page)["section"] == "drafts", focused(page)

    # --- the draft: keep the text; focus stays in its card ----------------------------
    card = page.get_by_test_id("draft-card").first
    card_id = card.get_attribute("id")
    expect(card.get_by_test_id("lint-ok")).to_be_visible()
    tab_to(page, f"#{card_id}-save")
    page.keyboard.press("Enter")
    expect(page.locator(f"#{card_id}").get_by_test_id("saved")).to_be_visible()
    page.wait_for_function("() => document.activeElement !== document.body")
    assert focused(page)["card"] == card_id, focused(page)

    # --- Send: the region answers in place; focus follows to the outcome --------------
    # (once htmx has taken the swapped-in form: a key pressed before that posts it plainly)
    page.wait_for_function(
        f"() => {{ const b = document.querySelector('#{card_id}-send');"
        " return !!(b && b.form && b.form['htmx-internal-data']); }"
    )
    tab_to(page, f"#{card_id}-send")
    page.keyboard.press("Enter")
    ok = page.locator(f"#{card_id}").get_by_test_id("job-ok")
    expect(ok).to_contain_text("Sent to Ada Lovelace <ada@kestrel.example>.", timeout=15_000)
    expect(ok).to_be_focused()
    [mail] = smtp_sink.received
    assert mail.recipients == ["ada@kestrel.example"]
    shot(page, "sent")

    # --- Undo: a note that left cannot be unsent, so no Undo is offered (issue #16 trial
    # item 4: it was, then refused); the next Tab is "record it as not sent" instead -----
    card = page.locator(f"#{card_id}-mail")  # the send's region (the kept text's notice
    expect(card.get_by_test_id("cannot-unsend")).to_be_visible()  # above keeps its Undo)
    assert card.get_by_test_id("undo-notice").count() == 0
    page.keyboard.press("Tab")
    assert focused(page)["testid"] == "undo-force", focused(page)
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{server.base}/interviews/1?at=drafts#drafts")
    drafts_notice = page.get_by_test_id("drafts").get_by_test_id("flashes")
    expect(drafts_notice).to_contain_text("Undid: the thank-you to Ada Lovelace")
    page.wait_for_function("() => document.activeElement !== document.body")
    assert focused(page)["section"] == "drafts", focused(page)
    shown = json.loads(followup(home, "show", "1", "--json"))
    assert shown["notes"][0]["state"] == "pending"
    assert len(smtp_sink.received) == 1  # undo records; it never sends or unsends
    shot(page, "undone")

    assert watched.dialogs == [] and watched.errors == [] and watched.csp == []
