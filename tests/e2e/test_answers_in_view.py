"""Every action's answer where the eye is (issue #16 trial item 2), at 390 and 1280 px: a
Settings error or "Saved" in view with focus on it, Today's "Done: … — Undo" under the row
that caused it, and focus never on the page's body after Undo, a board move or a save."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import NewPage, StartServer, Watched
from tests.e2e.test_board import small_home
from tests.e2e.test_phone import DESKTOP, PHONES, console_errors, login, no_sideways_scroll
from tests.e2e.test_phone import realistic_home as phone_home

pytestmark = pytest.mark.integration

VIEWPORTS = pytest.mark.parametrize("viewport", [PHONES[0], DESKTOP], ids=["390", "1280"])

IN_VIEW = """(selector) => {
  const el = document.querySelector(selector);
  if (!el) { return "missing"; }
  const box = el.getBoundingClientRect();
  return box.bottom > 0 && box.top < window.innerHeight ? "in view"
    : `out of view: top ${Math.round(box.top)} in a ${window.innerHeight} px window`;
}"""


def in_view(page: Page, selector: str) -> str:
    page.wait_for_timeout(100)  # the browser's scroll to the focused element
    result: str = page.evaluate(IN_VIEW, selector)
    return result


def not_body(page: Page) -> None:
    page.wait_for_function(
        "() => !!document.activeElement && document.activeElement !== document.body"
    )


@VIEWPORTS
def test_settings_errors_and_saves_answer_in_view(
    viewport: dict[str, int], serve: StartServer, tmp_path: Path, new_page: NewPage,
    watched: Watched,
) -> None:  # fmt: skip
    server = serve(phone_home(tmp_path))
    page = new_page(viewport=viewport)
    login(page, server)
    page.goto(f"{server.base}/settings")
    # a bad cadence step, far down the page: its error comes into view with focus
    page.get_by_test_id("cadence-after-1").fill("1d")
    page.get_by_test_id("cadence-save").click()
    error = page.get_by_test_id("error-after-1")
    expect(error).to_be_visible()
    expect(error).to_be_focused()
    assert in_view(page, '[data-testid="error-after-1"]') == "in view"
    # a good one: "Saved: the cadence." by the cadence form, in view, with focus
    page.get_by_test_id("cadence-after-1").fill("72h")
    page.get_by_test_id("cadence-save").click()
    saved = page.get_by_test_id("policy").get_by_test_id("flashes")
    expect(saved).to_contain_text("Saved: the cadence.")
    not_body(page)
    assert in_view(page, "#policy #flashes") == "in view"
    # the profile too
    page.get_by_test_id("profile-name").fill("Jamie Rivera")
    page.get_by_test_id("profile-save").click()
    expect(page.get_by_test_id("profile").get_by_test_id("flashes")).to_contain_text("Saved")
    not_body(page)
    assert in_view(page, "#profile #flashes") == "in view"
    no_sideways_scroll(page, "Settings after a save")
    # the refused step answered 400 (a form's refusal), which the browser logs: nothing else
    assert [e for e in console_errors(watched) if "400 (Bad Request)" not in e] == []


@VIEWPORTS
def test_todays_answer_is_under_its_row_and_undo_keeps_focus(
    viewport: dict[str, int], serve: StartServer, tmp_path: Path, new_page: NewPage,
    watched: Watched,
) -> None:  # fmt: skip
    server = serve(phone_home(tmp_path))
    page = new_page(viewport=viewport)
    login(page, server)
    # the last row of the list, far down on a phone (Acme's thank-you is not yet fading: a
    # fading one offers no snooze)
    row = page.locator("#agenda-row-3")
    row.locator("details.snooze > summary").click()
    row.scroll_into_view_if_needed()
    row.get_by_test_id("snooze-1d").click()
    notice = page.get_by_test_id("row-notice")
    expect(notice).to_contain_text("snoozed")
    assert in_view(page, '[data-testid="row-notice"]') == "in view"
    not_body(page)
    no_sideways_scroll(page, "Today after Snooze")
    notice.get_by_test_id("undo-notice").click()
    expect(page.get_by_test_id("flashes")).to_contain_text("Undid: snoozed")
    not_body(page)  # on the answer, not the page's body
    assert in_view(page, "#flashes") == "in view"
    assert console_errors(watched) == []


@VIEWPORTS
def test_a_board_move_leaves_focus_on_its_answer(
    viewport: dict[str, int], serve: StartServer, tmp_path: Path, new_page: NewPage,
    watched: Watched,
) -> None:  # fmt: skip
    server = serve(small_home(tmp_path))
    page = new_page(viewport=viewport)
    login(page, server)
    page.goto(f"{server.base}/pipeline")
    select = page.get_by_label("Move to — Globex, SRE")
    select.select_option("offer")
    select.press("Tab")
    page.keyboard.press("Enter")
    page.get_by_test_id("move-confirm").click()
    expect(page.get_by_test_id("done")).to_contain_text("offer")
    not_body(page)
    assert in_view(page, "#flashes") == "in view"
    assert console_errors(watched) == []
