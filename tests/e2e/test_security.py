"""The dashboard's front door and its handling of hostile text, in a real browser.

- the first visit to an empty home shows how to add or import an interview (no blank page);
- the one-time token leaves the address bar on the first visit and is spent;
- without the token (or the session it becomes) every page answers 401;
- a hostile DNS name that resolves to 127.0.0.1 (DNS rebinding) gets 403, token or not;
- a page on another local port (same site, other origin: the browser sends the session
  cookie along) cannot change anything: its form post is refused;
- untrusted text (a company name, a debrief topic) is shown as text: no element made of it,
  no script run (a `dialog` listener would see `alert`).
"""

from __future__ import annotations

import http.server
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    NewPage,
    Server,
    Shot,
    StartServer,
    Watched,
    followup,
    make_home,
)

pytestmark = pytest.mark.integration

HOSTILE_COMPANY = "<img src=x onerror=alert(1)>"
HOSTILE_ROLE = "\"'><svg onload=alert(2)>"
# closing tags only: an opening tag ("<script>") is a placeholder's shape, refused as a topic
HOSTILE_TOPIC = "</textarea></script> & \"quotes\" < 'apostrophes'"


def login(page: Page, server: Server) -> None:
    response = page.goto(server.login_url)
    assert response is not None and response.status == 200, response and response.status
    expect(page).to_have_url(f"{server.base}/")


# --- first visit ----------------------------------------------------------------------------


def test_first_visit_to_an_empty_home_shows_how_to_start(
    server: Server, page: Page, shot: Shot, watched: Watched
) -> None:
    login(page, server)
    onboarding = page.get_by_test_id("onboarding")
    expect(onboarding).to_be_visible()
    expect(onboarding).to_contain_text("No interviews yet")
    expect(onboarding.get_by_test_id("onboarding-add")).to_have_attribute("href", "/add")
    expect(onboarding.get_by_test_id("onboarding-import")).to_have_attribute("href", "/add#import")
    expect(onboarding.get_by_test_id("onboarding-cli")).to_contain_text("followup add")
    expect(onboarding.get_by_test_id("onboarding-cli")).to_contain_text("followup import")
    expect(page.get_by_test_id("agenda-table")).to_have_count(0)
    shot(page, "onboarding")

    onboarding.get_by_test_id("onboarding-add").click()
    expect(page).to_have_url(f"{server.base}/add")
    expect(page.get_by_test_id("add-form")).to_be_visible()
    page.goto(f"{server.base}/")
    page.get_by_test_id("onboarding-import").click()
    expect(page).to_have_url(f"{server.base}/add#import")
    expect(page.get_by_test_id("import")).to_be_visible()
    shot(page, "add-import")

    # the other pages are not blank either
    page.get_by_test_id("nav-pipeline").click()
    expect(page.get_by_test_id("pipeline-empty")).to_be_visible()
    shot(page, "pipeline-empty")
    page.get_by_test_id("nav-settings").click()
    expect(page.locator("h1")).to_be_visible()
    shot(page, "settings")
    assert watched.errors == [] and watched.csp == [], (watched.errors, watched.csp)


# --- the token --------------------------------------------------------------------------


def test_the_token_leaves_the_address_bar_and_is_spent(
    server: Server, new_page: NewPage, shot: Shot
) -> None:
    first = new_page()
    response = first.goto(server.login_url)
    assert response is not None and response.status == 200
    assert first.url == f"{server.base}/", first.url
    assert "token" not in first.url
    # the redirect that dropped it was the first response; the page now rests on /
    assert response.request.redirected_from is not None
    assert server.token in response.request.redirected_from.url
    # the session keeps working without it
    first.reload()
    expect(first.get_by_test_id("agenda")).to_be_visible()

    # a second browser (or someone who saw the link) cannot use it again
    second = new_page()
    again = second.goto(server.login_url)
    assert again is not None and again.status == 401
    expect(second.locator("body")).to_contain_text("already used")
    shot(second, "token-reused-401")

    # the server's log carries the token only in the printed link, never after its use
    lines = [line for line in server.lines if server.token in line]
    assert len(lines) == 1 and "followup dashboard: http" in lines[0], lines


def test_without_the_token_every_page_is_401(server: Server, page: Page, shot: Shot) -> None:
    for path in ("/", "/pipeline", "/add", "/stats", "/settings", "/interviews/1"):
        response = page.goto(f"{server.base}{path}")
        assert response is not None and response.status == 401, (path, response and response.status)
        expect(page.locator("body")).not_to_contain_text("Today")
    expect(page.locator("body")).to_contain_text("followup serve")
    shot(page, "no-token-401")
    wrong = page.goto(f"{server.base}/?token=not-the-token")
    assert wrong is not None and wrong.status == 401
    api = page.goto(f"{server.base}/api/agenda")
    assert api is not None and api.status == 401
    assert api.json()["status"] == 401
    # the static files are the only exception (they hold nothing of the user's)
    css = page.goto(f"{server.base}/static/app.css")
    assert css is not None and css.status == 200


def test_a_rebound_dns_name_gets_403_and_spends_no_token(
    server: Server, browser: Browser, new_page: NewPage, shot: Shot
) -> None:
    """DNS rebinding: a hostile name resolving to 127.0.0.1 reaches the port with its own Host.

    A second Chromium maps `rebound.test` to 127.0.0.1 (`--host-resolver-rules`), as a
    rebinding attacker's DNS would; even holding the token, its pages get 403, and the token
    still works for the user afterwards (the Host check comes before the token is spent).
    """
    other = browser.browser_type.launch(
        executable_path=str(CHROMIUM),
        headless=True,
        args=[*CHROMIUM_ARGS, "--host-resolver-rules=MAP rebound.test 127.0.0.1"],
    )
    try:
        page = other.new_page()
        for path in (f"/?token={server.token}", "/", "/api/agenda", "/static/app.css"):
            response = page.goto(f"http://rebound.test:{server.port}{path}")
            assert response is not None and response.status == 403, (
                path,
                response and response.status,
            )
        expect(page.locator("body")).to_contain_text("127.0.0.1")
        shot(page, "rebound-403")
    finally:
        other.close()
    login(new_page(), server)


# --- cross-origin writes ------------------------------------------------------------------


@pytest.fixture
def other_site() -> Iterator[tuple[str, dict[str, str]]]:
    """Another web server on this machine (another port: same site, another origin)."""
    pages: dict[str, str] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = pages.get(self.path, "not found").encode()
            self.send_response(200 if self.path in pages else 404)
            self.send_header("content-type", "text/html; charset=utf-8")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", pages
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize(
    "head",
    [
        pytest.param("", id="origin-sent"),
        # with no-referrer the browser sends `Origin: null` (as it does for our own pages),
        # and `Sec-Fetch-Site: same-site`: a port is not a site
        pytest.param('<meta name="referrer" content="no-referrer">', id="origin-null"),
    ],
)
def test_a_page_on_another_local_port_cannot_change_anything(
    head: str,
    tmp_path: Path,
    serve: StartServer,
    page: Page,
    shot: Shot,
    other_site: tuple[str, dict[str, str]],
) -> None:
    home = make_home(tmp_path / "home")
    followup(
        home, "add", "--company", "Acme", "--role", "SRE", "--at", "2026-11-20T10:00",
        "--tz", "Europe/Berlin", "--interviewer", "Ada Lovelace <ada@acme.example>",
    )  # fmt: skip
    server = serve(home)
    login(page, server)
    expect(page.get_by_test_id("agenda-row")).to_have_count(1)

    base, pages = other_site
    pages["/attack"] = (
        f"<!doctype html>{head}<form id=f method=post"
        f' action="{server.base}/interviews/1/replied">'
        '<input name="csrf_token" value="guessed"><input name="back" value="/"></form>'
        "<script>document.getElementById('f').submit()</script>"
    )
    with page.expect_navigation(url=f"{server.base}/interviews/1/replied") as landed:
        page.goto(f"{base}/attack")
    response = landed.value
    assert response is not None and response.status == 403, response and response.status
    expect(page.locator("body")).to_contain_text("Cross-site request refused")
    # what the browser sent: the session cookie went along (same site), so only the origin
    # check stood in the way
    sent = response.request.all_headers()
    assert f"followup_session_{server.port}=" in sent.get("cookie", ""), sent
    assert sent.get("origin") == ("null" if head else base), sent
    assert sent.get("sec-fetch-site") == "same-site", sent
    shot(page, "cross-origin-refused")

    page.goto(f"{server.base}/interviews/1")
    expect(page.get_by_test_id("status")).to_have_text("waiting")


# --- hostile text -------------------------------------------------------------------------


def test_hostile_names_from_the_store_are_shown_as_text(
    tmp_path: Path, serve: StartServer, page: Page, shot: Shot, watched: Watched
) -> None:
    home = make_home(tmp_path / "home")
    followup(
        home, "add", "--company", HOSTILE_COMPANY, "--role", HOSTILE_ROLE,
        "--at", "2026-11-20T10:00", "--tz", "Europe/Berlin",
        "--interviewer", "Ada Lovelace <ada@acme.example>", "--topic", HOSTILE_TOPIC,
    )  # fmt: skip
    server = serve(home)
    login(page, server)

    row = page.get_by_test_id("agenda-row")
    expect(row.get_by_test_id("interview-link")).to_have_text(HOSTILE_COMPANY)
    expect(row).to_contain_text(HOSTILE_ROLE)
    shot(page, "today-hostile")

    row.get_by_test_id("interview-link").click()
    expect(page.get_by_test_id("company")).to_have_text(HOSTILE_COMPANY)
    expect(page.get_by_test_id("role")).to_have_text(HOSTILE_ROLE)
    expect(page.get_by_test_id("debrief-entry").first).to_contain_text(HOSTILE_TOPIC)
    assert HOSTILE_COMPANY in page.title()
    # the draft's text (a textarea) holds the words, whole
    body = page.get_by_test_id("draft-body").first
    expect(body).to_have_value(re.compile(re.escape(HOSTILE_TOPIC)))
    shot(page, "interview-hostile")

    page.get_by_test_id("nav-pipeline").click()
    expect(page.get_by_test_id("board-card").first).to_contain_text(HOSTILE_COMPANY)
    shot(page, "pipeline-hostile")

    for where in ("/", "/interviews/1", "/pipeline", "/stats"):
        page.goto(f"{server.base}{where}")
        main = page.locator("main")
        assert main.locator("img, svg[onload], script").count() == 0, where
    assert watched.dialogs == [], watched.dialogs
    assert watched.errors == [], watched.errors


def test_a_hostile_company_typed_into_the_add_form_is_shown_as_text(
    server: Server, page: Page, shot: Shot, watched: Watched
) -> None:
    login(page, server)
    page.get_by_test_id("nav-add").click()
    page.get_by_test_id("add-company").fill(HOSTILE_COMPANY)
    page.get_by_test_id("add-role").fill(HOSTILE_ROLE)
    page.get_by_test_id("add-tz").fill("Europe/Berlin")
    # first a mistake (a zone that does not exist): the form comes back with the values in
    # its fields' attributes — where an unescaped quote would break out
    page.get_by_test_id("add-at").fill("2026-11-20T10:00")
    page.get_by_test_id("add-tz").fill("Mars/Olympus_Mons")
    page.get_by_test_id("add-submit").click()
    expect(page.get_by_test_id("add-tz-error")).to_be_visible()  # under the zone field
    expect(page.get_by_test_id("add-company")).to_have_value(HOSTILE_COMPANY)
    expect(page.get_by_test_id("add-role")).to_have_value(HOSTILE_ROLE)
    shot(page, "add-error-hostile")

    page.get_by_test_id("add-tz").fill("Europe/Berlin")
    page.get_by_test_id("add-submit").click()
    expect(page).to_have_url(re.compile(r"/interviews/\d+$"))
    expect(page.get_by_test_id("company")).to_have_text(HOSTILE_COMPANY)
    expect(page.get_by_test_id("role")).to_have_text(HOSTILE_ROLE)
    page.get_by_test_id("nav-today").click()
    expect(page.get_by_test_id("interview-link")).to_have_text(HOSTILE_COMPANY)
    assert page.locator("main img, main svg").count() == 0
    shot(page, "today-hostile-from-form")
    assert watched.dialogs == [], watched.dialogs
    assert watched.errors == [], watched.errors
