"""The board of applications in Chromium (issue #16): drag a card at 1280 px, "Move to…" at
390 px, each through its confirmation and with Undo after; the DOM stays small on a home
of thousands of interviews."""

from __future__ import annotations

import re
import sys
from datetime import datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import NOW, NewPage, Shot, StartServer, Watched, followup, make_home
from tests.e2e.test_axe import violations
from tests.e2e.test_phone import DESKTOP, PHONES, TARGETS, console_errors, login, no_sideways_scroll

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
NODES = "() => document.getElementsByTagName('*').length"


def small_home(tmp_path: Path) -> Path:
    home = make_home(tmp_path / "home")
    followup(home, "add", "--company", "Acme", "--role", "Backend Engineer",
             "--at", "2026-11-23T09:00", "--tz", "Europe/Berlin",
             "--interviewer", "Ada Lovelace <ada@acme.example>")  # fmt: skip
    followup(home, "add", "--company", "Globex", "--role", "SRE",
             "--at", "2026-11-20T14:00", "--tz", "Europe/London",
             "--interviewer", "Eve Moneypenny <eve@globex.example>")  # fmt: skip
    followup(home, "add", "--company", "Initech", "--role", "Platform Engineer",
             "--at", "2026-11-12T11:00", "--tz", "Europe/Berlin",
             "--interviewer", "Frank Ocean <frank@initech.example>")  # fmt: skip
    followup(home, "replied", "3")
    return home


def drag(page: Page, company: str, stage: str) -> None:
    """Drag a card by its top onto a column's heading: no scrolling between the press and
    the move (Chromium would pick the drag's source at the scrolled point)."""
    source = page.get_by_test_id("board-card").filter(has_text=company)
    source.scroll_into_view_if_needed()
    target = page.get_by_test_id(f"column-{stage}")
    source.drag_to(target, source_position={"x": 30, "y": 12}, target_position={"x": 30, "y": 12})


def in_column(page: Page, stage: str, company: str) -> None:
    column = page.get_by_test_id(f"column-{stage}")
    expect(column.get_by_test_id("board-card").filter(has_text=company)).to_have_count(1)


def test_drag_a_card_to_a_column_at_1280(
    serve: StartServer, tmp_path: Path, new_page: NewPage, shot: Shot, watched: Watched
) -> None:
    server = serve(small_home(tmp_path))
    page = new_page(viewport=DESKTOP)
    login(page, server)
    page.goto(f"{server.base}/pipeline")
    in_column(page, "interviewing", "Acme")
    acme = page.get_by_test_id("board-card").filter(has_text="Acme")
    expect(acme.get_by_test_id("next-action")).to_contain_text(
        "Send the thank-you to Ada Lovelace — due"
    )

    # dropped on "Rejected": the page asks first; "Don't" changes nothing
    drag(page, "Acme", "rejected")
    dialog = page.get_by_test_id("move-dialog")
    expect(dialog).to_be_visible()
    expect(page.get_by_test_id("move-dialog-title")).to_have_text(
        "Rejected — Acme, Backend Engineer?"
    )
    shot(page, "drag-confirm")
    page.get_by_test_id("move-cancel").click()
    expect(dialog).to_be_hidden()
    in_column(page, "interviewing", "Acme")

    drag(page, "Acme", "rejected")
    page.get_by_test_id("move-confirm").click()
    in_column(page, "rejected", "Acme")
    expect(page.get_by_test_id("done")).to_contain_text("the application ended")
    shot(page, "dragged")
    page.get_by_test_id("undo-notice").click()
    expect(page.get_by_test_id("flashes")).to_contain_text("Undid")
    page.goto(f"{server.base}/pipeline")
    in_column(page, "interviewing", "Acme")

    # dropped on "Answered": the dialog asks when and who, as "They replied" does
    drag(page, "Globex", "answered")
    expect(page.get_by_test_id("move-at")).to_be_visible()
    page.get_by_test_id("move-at").fill("2026-11-24T10:30")
    page.get_by_test_id("move-who").fill("eve@globex.example")
    page.get_by_test_id("move-confirm").click()
    in_column(page, "answered", "Globex")
    expect(page.get_by_test_id("done")).to_contain_text("they replied (eve@globex.example)")
    detail = page.request.get(f"{server.base}/api/interviews/2").json()
    assert detail["status"] == "replied"

    # a column that takes no drop (let go) leaves the card where it was
    drag(page, "Initech", "let-go")
    expect(page.get_by_test_id("move-dialog")).to_be_hidden()
    in_column(page, "answered", "Initech")
    no_sideways_scroll(page, "board at 1280")
    assert console_errors(watched) == [] and watched.errors == [] and watched.csp == []


def test_move_to_at_390_with_the_keyboard_and_search(
    serve: StartServer, tmp_path: Path, new_page: NewPage, shot: Shot, watched: Watched
) -> None:
    server = serve(small_home(tmp_path))
    page = new_page(viewport=PHONES[0])
    login(page, server)
    page.goto(f"{server.base}/pipeline")
    no_sideways_scroll(page, "board at 390")
    assert page.evaluate(TARGETS) == []
    # the search box narrows the board in place (htmx) and the address keeps it
    page.get_by_test_id("board-q").fill("globex")
    expect(page.get_by_test_id("board-card")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"/pipeline\?q=globex(&|$)"))
    expect(page.get_by_test_id("board-q")).to_be_focused()
    page.go_back()
    expect(page.get_by_test_id("board-card")).to_have_count(3)

    # "Move to…" from the keyboard: choose, Move, confirm in the dialog
    select = page.get_by_label("Move to — Globex, SRE")
    select.focus()
    select.select_option("offer")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("move-dialog")).to_be_visible()
    expect(page.get_by_test_id("move-confirm")).to_be_focused()
    no_sideways_scroll(page, "move dialog at 390")
    assert violations(page) == []  # axe-core: the dialog open
    shot(page, "move-to-dialog")
    page.keyboard.press("Enter")
    in_column(page, "offer", "Globex")
    expect(page.get_by_test_id("done")).to_contain_text("offer")
    no_sideways_scroll(page, "board after a move at 390")
    assert violations(page) == []  # axe-core: the notice with its Undo
    shot(page, "moved")
    page.get_by_test_id("undo-notice").click()
    page.goto(f"{server.base}/pipeline")
    in_column(page, "interviewing", "Globex")
    assert console_errors(watched) == [] and watched.errors == [] and watched.csp == []


def test_the_board_stays_under_2000_dom_nodes_on_a_big_home(
    serve: StartServer, tmp_path: Path, new_page: NewPage, watched: Watched
) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import generate  # type: ignore[import-not-found]

    home = make_home(tmp_path / "big")
    now = datetime.fromisoformat(NOW.replace("Z", "+00:00"))
    made = generate.generate(home, 2500, 1, now, 5000, quiet=True)
    assert made["counts"]["interviews"] == 2500  # type: ignore[index]
    server = serve(home)
    page = new_page(viewport=DESKTOP)
    login(page, server)
    views = [
        "/pipeline",
        "/pipeline?stage=answered",
        "/pipeline?stage=let-go",
        "/pipeline?due=week",
        "/pipeline?q=a",
        "/pipeline?culture=startup&stage=next-round",
    ]
    for path in views:
        page.goto(f"{server.base}{path}")
        nodes = page.evaluate(NODES)
        assert nodes < 2000, f"{path}: {nodes} elements"
    more = page.goto(f"{server.base}/pipeline")
    assert more is not None and more.ok
    page.get_by_test_id("column-more").first.click()
    assert page.evaluate(NODES) < 2000
    expect(page.get_by_test_id("board-card").first).to_be_visible()
    assert console_errors(watched) == [] and watched.errors == []


@pytest.mark.parametrize("viewport", [PHONES[0], DESKTOP], ids=["390", "1280"])
def test_filters_a_refused_move_and_undo_keep_the_board_as_it_was(
    viewport: dict[str, int],
    serve: StartServer,
    tmp_path: Path,
    new_page: NewPage,
    shot: Shot,
    watched: Watched,
) -> None:
    home = small_home(tmp_path)
    server = serve(home)
    page = new_page(viewport=viewport)
    login(page, server)
    page.goto(f"{server.base}/pipeline")
    phone = viewport["width"] < 500
    # a phone's first screen shows the board, the filters wait behind "Filters"
    toggle = page.get_by_test_id("board-more-toggle")
    stage = page.get_by_test_id("filter-answered")
    if phone:
        expect(toggle).to_be_visible()
        expect(stage).to_be_hidden()
        first = page.get_by_test_id("board-card").first.bounding_box()
        assert first is not None and first["y"] < viewport["height"], first
        toggle.click()
        expect(stage).to_be_visible()
        assert page.evaluate(TARGETS) == []  # 44 px targets on a phone
    else:
        expect(toggle).to_be_hidden()
        expect(stage).to_be_visible()
    no_sideways_scroll(page, "board's filters")
    shot(page, "filters")

    # a move the use-case refuses (the card is stale: cancelled from a terminal) is said by
    # the card, the board stays
    page.goto(f"{server.base}/pipeline?q=acme")
    followup(home, "cancel", "1")
    select = page.get_by_label("Move to — Acme, Backend Engineer")
    select.select_option("replied")
    page.get_by_label("Move — Acme, Backend Engineer").click()
    page.get_by_test_id("move-confirm").click()
    card = page.get_by_test_id("board-card").filter(has_text="Acme")
    expect(card.get_by_test_id("move-error")).to_contain_text("reopen it first")
    expect(page).to_have_url(re.compile(r"/pipeline\?q=acme$"))
    no_sideways_scroll(page, "a refused move")
    assert violations(page) == []
    shot(page, "refused")

    # Undo after a move comes back to the board as it was (its search kept)
    page.goto(f"{server.base}/pipeline?q=globex")
    page.get_by_label("Move to — Globex, SRE").select_option("offer")
    page.get_by_label("Move — Globex, SRE").click()
    page.get_by_test_id("move-confirm").click()
    in_column(page, "offer", "Globex")
    expect(page).to_have_url(re.compile(r"/pipeline\?q=globex$"))
    page.get_by_test_id("undo-notice").click()
    expect(page.get_by_test_id("flashes")).to_contain_text("Undid")
    expect(page).to_have_url(re.compile(r"/pipeline\?q=globex$"))
    expect(page.get_by_test_id("board-q")).to_have_value("globex")
    in_column(page, "interviewing", "Globex")

    # the pages a plain post gets (as without JavaScript): the question, a refusal
    page.get_by_label("Move to — Globex, SRE").select_option("replied")
    page.locator("#card-2 form.move").evaluate("(form) => form.submit()")
    expect(page.get_by_test_id("move-confirm-title")).to_have_text("They replied — Globex, SRE?")
    no_sideways_scroll(page, "the question without JavaScript")
    if phone:
        assert page.evaluate(TARGETS) == []
    assert violations(page) == []
    shot(page, "asked")
    page.goto(f"{server.base}/pipeline?q=acme")
    page.get_by_label("Move to — Acme, Backend Engineer").select_option("reopen")
    followup(home, "reopen", "1")  # stale again: reopened from a terminal meanwhile
    page.locator("#card-1 form.move").evaluate("(form) => form.submit()")
    expect(page.get_by_test_id("board-card").get_by_test_id("move-error")).to_be_visible()
    no_sideways_scroll(page, "a refused move without JavaScript")
    assert violations(page) == []
    shot(page, "refused-plain")
    assert console_errors(watched, 409) == [] and watched.errors == [] and watched.csp == []


def test_without_javascript_they_replied_asks_and_a_refusal_is_by_its_card(
    serve: StartServer, tmp_path: Path, new_page: NewPage, shot: Shot, watched: Watched
) -> None:
    home = small_home(tmp_path)
    server = serve(home)
    page = new_page(viewport=PHONES[0], java_script_enabled=False)
    login(page, server)
    page.goto(f"{server.base}/pipeline?q=globex")
    page.get_by_label("Move to — Globex, SRE").select_option("replied")
    page.get_by_label("Move — Globex, SRE").click()
    expect(page.get_by_test_id("move-confirm-title")).to_have_text("They replied — Globex, SRE?")
    shot(page, "asked")  # its layout: the test above (a script cannot run here)
    page.get_by_test_id("move-who").fill("eve@globex.example")
    page.get_by_test_id("move-confirm").click()
    expect(page).to_have_url(re.compile(r"/pipeline\?q=globex$"))
    in_column(page, "answered", "Globex")
    expect(page.get_by_test_id("done")).to_contain_text("they replied (eve@globex.example)")

    # refused (stale: cancelled meanwhile): the board again, the line in the card
    page.goto(f"{server.base}/pipeline?q=acme")
    followup(home, "cancel", "1")
    page.get_by_label("Move to — Acme, Backend Engineer").select_option("offer")
    page.get_by_label("Move — Acme, Backend Engineer").click()
    card = page.get_by_test_id("board-card").filter(has_text="Acme")
    expect(card.get_by_test_id("move-error")).to_be_visible()
    expect(page.get_by_test_id("board-q")).to_have_value("acme")
    shot(page, "refused")


def test_the_board_has_one_name(
    serve: StartServer, tmp_path: Path, new_page: NewPage, watched: Watched
) -> None:
    """Issue #16 trial item 9: the nav said "Pipeline" and the heading "Applications"."""
    server = serve(small_home(tmp_path))
    page = new_page(viewport=DESKTOP)
    login(page, server)
    page.goto(f"{server.base}/pipeline")
    expect(page.get_by_test_id("nav-pipeline")).to_have_text("Applications")
    expect(page.locator("h1")).to_have_text("Applications")
    assert page.title().startswith("Applications")
    assert console_errors(watched) == []


def test_a_card_dragged_by_touch_near_the_bottom_scrolls_the_page(
    serve: StartServer, tmp_path: Path, new_page: NewPage, watched: Watched
) -> None:
    """Issue #16 trial item 9: touch-dragging a card on a phone did not scroll the page, so a
    column below the screen could not be reached."""
    server = serve(small_home(tmp_path))
    page = new_page(viewport=PHONES[0])
    login(page, server)
    page.goto(f"{server.base}/pipeline")
    grip = page.locator(".card .grip").first
    grip.scroll_into_view_if_needed()
    before = page.evaluate("() => window.scrollY")
    box = grip.bounding_box()
    assert box is not None
    touch = {"pointerType": "touch", "isPrimary": True, "bubbles": True, "pointerId": 7}
    grip.dispatch_event("pointerdown", {**touch, "clientX": box["x"] + 5, "clientY": box["y"] + 5})
    height = page.evaluate("() => window.innerHeight")
    for _ in range(5):  # held near the bottom edge: the page scrolls down
        page.evaluate(
            "(init) => document.dispatchEvent(new PointerEvent('pointermove', init))",
            {**touch, "clientX": 100, "clientY": height - 10},
        )
    after = page.evaluate("() => window.scrollY")
    page.evaluate(
        "(init) => document.dispatchEvent(new PointerEvent('pointercancel', init))", touch
    )
    assert after > before, (before, after)
    assert console_errors(watched) == []


ONE_ROW = """() => {
  const tops = [...document.querySelectorAll('#board > .column')]
    .map(c => Math.round(c.getBoundingClientRect().top));
  return {count: tops.length, rows: new Set(tops).size};
}"""


def test_every_stage_is_in_one_row_at_1280(
    serve: StartServer, tmp_path: Path, new_page: NewPage, shot: Shot
) -> None:
    """Seven columns wrapped Let go and Cancelled onto a second row at 1280 px."""
    server = serve(small_home(tmp_path))
    page = new_page(viewport=DESKTOP)
    login(page, server)
    page.goto(f"{server.base}/pipeline")
    laid = page.evaluate(ONE_ROW)
    assert laid == {"count": 7, "rows": 1}, laid
    no_sideways_scroll(page, "board at 1280, one row")
    shot(page, "board-one-row")


def touch_drag(page: Page, company: str, stage: str) -> None:
    """A finger on a card's grip, moved onto a column and lifted (pointer events, as a phone's
    touch gives them): the search box keeps focus until the dialog opens, as on a phone."""
    touch = {"pointerType": "touch", "isPrimary": True, "bubbles": True, "pointerId": 9}
    grip = page.get_by_test_id("board-card").filter(has_text=company).locator(".grip")
    grip.dispatch_event("pointerdown", touch)
    target = page.get_by_test_id(f"column-{stage}").locator("h2")
    target.scroll_into_view_if_needed()
    box = target.bounding_box()
    assert box is not None
    at = {**touch, "clientX": box["x"] + 10, "clientY": box["y"] + box["height"] / 2}
    for kind in ("pointermove", "pointerup"):
        page.evaluate(
            "([kind, init]) => document.dispatchEvent(new PointerEvent(kind, init))", [kind, at]
        )


@pytest.mark.parametrize("viewport", [PHONES[0], DESKTOP], ids=["390", "1280"])
def test_a_touch_drag_after_a_typed_search_records_the_move_and_back_leaves_the_search(
    viewport: dict[str, int],
    serve: StartServer,
    tmp_path: Path,
    new_page: NewPage,
    watched: Watched,
) -> None:
    """Issue #16 cold trial item 1: after a typed search, leaving the box asked for the same
    search again; the board was re-rendered under the card being moved, and "Record it" sent
    nothing (3 of 3 on a phone). The same request pushed a second history entry."""
    server = serve(small_home(tmp_path))
    page = new_page(viewport=viewport)
    login(page, server)
    page.goto(f"{server.base}/pipeline")
    box = page.get_by_test_id("board-q")
    box.click()
    box.press_sequentially("glo")
    expect(page.get_by_test_id("board-card")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"/pipeline\?q=glo$"))
    page.keyboard.press("Tab")  # the box loses focus: nothing to ask again
    page.wait_for_timeout(700)
    page.go_back()  # one press leaves the search
    expect(page).to_have_url(re.compile(r"/pipeline$"))
    expect(page.get_by_test_id("board-card")).to_have_count(3)

    box = page.get_by_test_id("board-q")
    box.click()
    box.press_sequentially("globex")
    expect(page.get_by_test_id("board-card")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"/pipeline\?q=globex$"))
    touch_drag(page, "Globex", "rejected")
    expect(page.get_by_test_id("move-dialog")).to_be_visible()
    expect(page.get_by_test_id("move-dialog-title")).to_have_text("Rejected — Globex, SRE?")
    page.wait_for_timeout(700)  # a search asked again now would replace the card
    page.get_by_test_id("move-confirm").click()
    in_column(page, "rejected", "Globex")
    expect(page.get_by_test_id("done")).to_contain_text("the application ended")
    expect(page).to_have_url(re.compile(r"/pipeline\?q=globex$"))
    assert page.request.get(f"{server.base}/api/interviews/2").json()["status"] == "rejected"
    assert console_errors(watched) == [] and watched.errors == [] and watched.csp == []


def test_a_move_confirmed_after_the_board_was_re_rendered_is_still_recorded(
    serve: StartServer, tmp_path: Path, new_page: NewPage, watched: Watched
) -> None:
    """The board may be swapped while the dialog is open (a search's answer arriving): the
    move is sent for the card as the board shows it now, found by its interview."""
    server = serve(small_home(tmp_path))
    page = new_page(viewport=PHONES[0])
    login(page, server)
    page.goto(f"{server.base}/pipeline")
    touch_drag(page, "Acme", "rejected")
    expect(page.get_by_test_id("move-dialog")).to_be_visible()
    # the results replaced under the open dialog, as a search's answer does
    page.evaluate(
        """() => window.htmx.ajax('GET', '/pipeline?stage=interviewing',
                                  {target: '#board-results', swap: 'outerHTML'})"""
    )
    expect(page.get_by_test_id("column-rejected")).to_have_count(0)
    page.get_by_test_id("move-confirm").click()
    expect(page.get_by_test_id("done")).to_contain_text("the application ended")
    assert page.request.get(f"{server.base}/api/interviews/1").json()["status"] == "rejected"
    assert console_errors(watched) == [] and watched.errors == [] and watched.csp == []


@pytest.mark.parametrize("viewport", [PHONES[0], DESKTOP], ids=["390", "1280"])
def test_a_search_says_what_it_found_and_why_nothing(
    viewport: dict[str, int],
    serve: StartServer,
    tmp_path: Path,
    new_page: NewPage,
    shot: Shot,
    watched: Watched,
) -> None:
    """Issue #16 cold trial items 2, 3 and 5: an empty result said "No application matches.
    Add one." with the filters hidden behind a closed disclosure; "Filters (2 on)" and Clear
    came only with a full page; nothing told a screen reader the new count; a pasted 250
    characters were cut at 200 without a word."""
    server = serve(small_home(tmp_path))
    page = new_page(viewport=viewport)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    login(page, server)
    page.goto(f"{server.base}/pipeline")
    count = page.get_by_test_id("board-count")  # the polite live region
    expect(count).to_have_attribute("role", "status")
    expect(count).to_have_text("3 applications")
    phone = viewport["width"] < 500
    toggle = page.get_by_test_id("board-more-toggle")
    if phone:
        toggle.click()
    page.get_by_test_id("filter-interviewing").check()
    expect(count).to_have_text("2 applications")
    page.get_by_test_id("board-due").select_option("now")
    expect(page.get_by_test_id("board-more-count")).to_have_text(" (2 on)")
    expect(page.get_by_test_id("filter-clear")).to_be_visible()
    if phone:
        toggle.click()  # closed: the filters out of sight
        expect(page.get_by_test_id("filter-interviewing")).to_be_hidden()
        expect(toggle).to_have_text("Filters (2 on)")
    box = page.get_by_test_id("board-q")
    box.click()
    box.press_sequentially("cobalt")
    said = "No application matches “cobalt” with Interviewing, Due now."
    expect(count).to_have_text(said)
    expect(page.get_by_test_id("pipeline-empty")).to_have_text(f"{said} Clear the filters")
    expect(page).to_have_url(re.compile(r"/pipeline\?stage=interviewing&q=cobalt&due=now$"))
    no_sideways_scroll(page, "an empty search with filters on")
    if phone:
        assert page.evaluate(TARGETS) == []
    assert violations(page) == []
    shot(page, "nothing-found")
    page.get_by_test_id("empty-clear").click()
    expect(page).to_have_url(re.compile(r"/pipeline\?q=cobalt$"))
    expect(page.get_by_test_id("pipeline-empty")).to_have_text(
        "No application matches “cobalt”. Clear the search"
    )
    expect(page.get_by_test_id("filter-clear")).to_be_visible()

    # 250 characters pasted: the box keeps 200 and says so beside it
    box = page.get_by_test_id("board-q")
    box.fill("")
    expect(count).to_have_text("3 applications")
    page.evaluate("(text) => navigator.clipboard.writeText(text)", "w" * 250)
    box.focus()
    page.keyboard.press("ControlOrMeta+V")
    expect(box).to_have_value("w" * 200)
    expect(page.get_by_test_id("board-q-limit")).to_have_text(
        "Only the first 200 characters were kept: a search is at most 200."
    )
    no_sideways_scroll(page, "the search's limit said")
    assert violations(page) == []
    box.press("Backspace")
    expect(page.get_by_test_id("board-q-limit")).to_have_text("")
    assert console_errors(watched) == [] and watched.errors == [] and watched.csp == []
