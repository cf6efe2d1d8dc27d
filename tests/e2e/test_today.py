"""Today as a to-do list in Chromium (issue #16): the groups at 390 and 1280 px, the count
chips as filters, Snooze from the keyboard and its Undo, and the opt-in notifications: the
button asks nothing until clicked, and once allowed a note that becomes due while the page
is open is announced once (the page's clock is moved forward; the server's stays put)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import NOW, NewPage, Server, Shot, StartServer, Watched
from tests.e2e.test_phone import DESKTOP, PHONES, console_errors, no_sideways_scroll
from tests.e2e.test_phone import realistic_home as phone_home

pytestmark = pytest.mark.integration

# Notification, wrapped: each one the page creates is kept in window.__notified (the real one
# is still made, so a permission problem would still show as an error).
RECORD_NOTIFICATIONS = """
(() => {
  const Real = window.Notification;
  if (!Real) { return; }
  window.__notified = [];
  class Recorded extends Real {
    constructor(title, options) {
      super(title, options);
      window.__notified.push(title);
    }
  }
  window.Notification = Recorded;
})();
"""


def notifications(page: Page, wait: float = 10.0) -> list[str]:
    """The notifications made so far, once at least one was (the poll's request is real)."""
    deadline = time.monotonic() + wait
    while True:
        found: list[str] = page.evaluate("() => window.__notified")
        if found or time.monotonic() > deadline:
            return found
        page.wait_for_timeout(100)


def login(page: Page, server: Server) -> None:
    response = page.goto(server.login_url)
    assert response is not None and response.ok


@pytest.mark.parametrize("viewport", [PHONES[0], DESKTOP], ids=["390", "1280"])
def test_today_groups_chips_and_snooze(
    viewport: dict[str, int],
    serve: StartServer,
    tmp_path: Path,
    new_page: NewPage,
    shot: Shot,
    watched: Watched,
) -> None:
    server = serve(phone_home(tmp_path))
    page = new_page(viewport=viewport)
    login(page, server)
    expect(page.get_by_test_id("group-now")).to_be_visible()
    expect(page.get_by_test_id("group-week")).to_be_visible()
    expect(page.get_by_test_id("notify")).to_be_visible()
    no_sideways_scroll(page, "Today")
    shot(page, "today")

    # a chip filters the list; "all" comes back
    page.get_by_test_id("count-fading").click()
    expect(page).to_have_url(f"{server.base}/?only=fading")
    expect(page.get_by_test_id("agenda-row")).to_have_count(2)
    expect(page.get_by_test_id("count-fading")).to_have_attribute("aria-current", "true")
    no_sideways_scroll(page, "Today, fading only")
    page.get_by_test_id("count-all").click()
    expect(page.get_by_test_id("agenda-row")).to_have_count(4)

    # Snooze from the keyboard: open the row's choices, pick "1 day"; Undo puts it back
    row = page.locator("#agenda-row-3")
    due_before = row.locator("time").get_attribute("datetime")
    row.locator("details.snooze > summary").focus()
    page.keyboard.press("Enter")
    expect(row.get_by_test_id("snooze-1d")).to_be_visible()
    no_sideways_scroll(page, "Today, Snooze open")
    shot(page, "snooze-open")
    row.get_by_test_id("snooze-1d").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("done")).to_contain_text("snoozed")
    # focus stays on the row: its Snooze, closed again after the list was swapped
    expect(page.locator("#agenda-row-3 details.snooze > summary")).to_be_focused()
    after = page.locator("#agenda-row-3 time").get_attribute("datetime")
    assert after is not None and due_before is not None and after > due_before
    no_sideways_scroll(page, "Today after Snooze")
    page.get_by_test_id("undo-notice").click()
    expect(page.get_by_test_id("flashes")).to_contain_text("Undid: snoozed")
    expect(page.locator("#agenda-row-3 time")).to_have_attribute("datetime", due_before)
    assert console_errors(watched) == []
    assert watched.errors == [] and watched.csp == []


def test_a_note_that_becomes_due_is_notified_once(
    serve: StartServer, tmp_path: Path, new_page: NewPage, watched: Watched
) -> None:
    server = serve(phone_home(tmp_path))
    page = new_page(viewport=DESKTOP, permissions=["notifications"])
    page.add_init_script(RECORD_NOTIFICATIONS)
    page.clock.install(time=NOW)  # the browser's clock at the server's now
    login(page, server)
    button = page.get_by_test_id("notify")
    expect(button).to_have_attribute("aria-pressed", "false")
    assert page.evaluate("() => window.__notified") == []
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_test_id("notify-status")).to_contain_text("notified")
    # the notes already due when it started are on the page: none is announced
    page.clock.run_for("01:00")
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.__notified") == []
    # Acme's thank-you is due 48 h after its end: Thursday 10:00 Kolkata (04:30 UTC)
    page.clock.fast_forward("16:00:00")
    page.clock.run_for("01:00")
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.__notified") == []  # 04:01 UTC: not yet
    page.clock.fast_forward("01:00:00")
    page.clock.run_for("01:00")
    notified = notifications(page)
    assert notified == ["A note is due: Acme"]
    page.clock.run_for("03:00")
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.__notified") == ["A note is due: Acme"]  # once
    # turned off: no more polls
    button.click()
    expect(button).to_have_attribute("aria-pressed", "false")
    assert watched.errors == [] and watched.csp == []


def test_the_button_asks_nothing_until_clicked(
    serve: StartServer, tmp_path: Path, new_page: NewPage, watched: Watched
) -> None:
    server = serve(phone_home(tmp_path))
    page = new_page(viewport=PHONES[0])
    login(page, server)
    expect(page.get_by_test_id("notify")).to_be_visible()
    assert page.evaluate("() => Notification.permission") == "default"
    assert watched.errors == [] and watched.csp == []


@pytest.mark.parametrize("viewport", [PHONES[0], DESKTOP], ids=["390", "1280"])
def test_mark_sent_on_a_panel_asks_whose_note_and_when(
    viewport: dict[str, int],
    serve: StartServer,
    tmp_path: Path,
    new_page: NewPage,
    shot: Shot,
    watched: Watched,
) -> None:
    """Issue #16 trial item 10: Today's "Mark sent" on a panel of three recorded everyone as
    sent now, unasked; now it asks which panellist (or everyone) and when, as the interview
    page does, and only that note is recorded."""
    import json

    from tests.e2e.conftest import followup

    home = phone_home(tmp_path)
    server = serve(home)
    page = new_page(viewport=viewport)
    login(page, server)
    row = page.locator("#agenda-row-1")  # Kestrel: Ada, Bob and Carol
    expect(row.get_by_test_id("mark-panel")).to_be_visible()
    row.locator("#mark-1 summary").click()
    expect(row.get_by_test_id("mark-sent-to")).to_be_visible()
    no_sideways_scroll(page, "Today with a panel's Mark sent open")
    shot(page, "mark-panel-open")
    row.get_by_test_id("mark-sent-to").select_option("bob@kestrel.example")
    row.get_by_test_id("mark-sent-at").fill("2026-11-24T18:00")
    row.get_by_test_id("mark-sent").click()
    expect(page.get_by_test_id("done").first).to_contain_text("sent")
    page.wait_for_function("() => document.activeElement !== document.body", timeout=5_000)
    shown = json.loads(followup(home, "show", "1", "--json"))
    bob = next(p["id"] for p in shown["interviewers"] if p["email"] == "bob@kestrel.example")
    sent = {n["interviewer_id"]: n["sent_at"] for n in shown["notes"] if n["state"] == "sent"}
    assert sent == {bob: "2026-11-24T12:30:00Z"}, shown["notes"]  # 18:00 in Kolkata (yours)
    assert console_errors(watched) == []


@pytest.mark.parametrize("viewport", [PHONES[0], DESKTOP], ids=["390", "1280"])
def test_the_later_group_is_folded_with_its_count(
    viewport: dict[str, int],
    serve: StartServer,
    tmp_path: Path,
    new_page: NewPage,
    watched: Watched,
) -> None:
    """Issue #16 trial item 11: on a big home "Later" made Today 15,000 px tall on a phone;
    folded, it is one line with its count until opened."""
    from tests.e2e.conftest import followup

    home = phone_home(tmp_path)
    for day in (14, 15, 16):
        followup(home, "add", "--company", f"Wayne {day}", "--role", "Eng",
                 "--at", f"2026-12-{day}T10:00", "--tz", "Europe/Berlin",
                 "--interviewer", f"Bruce <bruce{day}@wayne.example>")  # fmt: skip
    server = serve(home)
    page = new_page(viewport=viewport)
    login(page, server)
    fold = page.get_by_test_id("later-fold")
    expect(fold.locator("> summary")).to_contain_text("Later (3)")
    expect(fold.get_by_test_id("agenda-row").first).to_be_hidden()
    folded = page.evaluate("() => document.documentElement.scrollHeight")
    no_sideways_scroll(page, "Today with Later folded")
    fold.locator("> summary").click()
    expect(fold.get_by_test_id("agenda-row")).to_have_count(3)
    expect(fold.get_by_test_id("agenda-row").first).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollHeight") > folded
    no_sideways_scroll(page, "Today with Later open")
    assert console_errors(watched) == []
