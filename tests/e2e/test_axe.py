"""axe-core on every page of the dashboard (issue #16, quality bars): 0 violations at
1280×800 and 390×844, in each state an action leaves a page in.

axe-core is vendored from npm under tests/e2e/vendor (test-only: never served). It is
evaluated in the page through the DevTools protocol, which the page's Content-Security-Policy
does not govern, so the dashboard's CSP stays as strict as it is for users.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import NewPage, Server, Shot, StartServer, Watched, followup
from tests.e2e.test_phone import NOT_FOUND, PAGES, login, realistic_home
from tests.integration.dovecot import free_port

pytestmark = pytest.mark.integration

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text("utf-8")
VIEWPORTS = ({"width": 1280, "height": 800}, {"width": 390, "height": 844})
RUN = """async () => {
  const result = await window.axe.run(document, {resultTypes: ['violations']});
  return result.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 4).map((n) => n.target.join(' ') + ' :: ' + n.failureSummary)}));
}"""


def violations(page: Page) -> list[dict[str, Any]]:
    if not page.evaluate("() => !!window.axe"):
        page.evaluate(AXE)
    found: list[dict[str, Any]] = page.evaluate(RUN)
    return found


def check(page: Page, where: str, problems: dict[str, Any]) -> None:
    found = violations(page)
    if found:
        problems[where] = found


def mail_home(tmp_path: Path) -> Path:
    """realistic_home with a mail account whose SMTP and IMAP servers refuse connections."""
    home = realistic_home(tmp_path)
    for key, value in (("user.email", "jamie@example.org"), ("mail.smtp_host", "127.0.0.1"),
                       ("mail.smtp_port", str(free_port())), ("mail.smtp_security", "none"),
                       ("mail.imap_host", "127.0.0.1"), ("mail.imap_port", str(free_port())),
                       ("mail.imap_security", "none"), ("mail.username", "jamie"),
                       ("mail.mode", "send")):  # fmt: skip
        followup(home, "config", "set", key, value)
    return home


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=["1280", "390"])
def test_axe_finds_nothing_on_any_page(
    viewport: dict[str, int],
    serve: StartServer,
    tmp_path: Path,
    new_page: NewPage,
    shot: Shot,
    watched: Watched,
) -> None:
    server: Server = serve(mail_home(tmp_path))
    page = new_page(viewport=viewport)
    login(page, server)
    problems: dict[str, Any] = {}
    for path in PAGES:
        response = page.goto(f"{server.base}{path}")
        assert response is not None and response.ok, path
        check(page, path, problems)
    for path in NOT_FOUND:
        page.goto(f"{server.base}{path}")
        check(page, path, problems)

    # the states actions leave pages in: a notice with Undo, a refusal by its button, a
    # send's outcome by the Send button, the edit form open with its notice
    page.goto(f"{server.base}/")
    page.locator('[data-testid="agenda-row"][data-interview="2"]').get_by_test_id(
        "mark-sent"
    ).first.click()
    expect(page.get_by_test_id("done").first).to_be_visible()
    check(page, "Today after Mark sent", problems)
    page.locator('[data-testid="agenda-row"] details.snooze > summary').first.click()  # Snooze's
    expect(page.locator("details.snooze[open] button").first).to_be_visible()
    check(page, "Today with Snooze open", problems)
    page.locator("details.snooze[open] button").first.click()
    expect(page.get_by_test_id("done").first).to_contain_text("snoozed")
    check(page, "Today after Snooze", problems)

    page.goto(f"{server.base}/interviews/3")  # Acme: yesterday, its thank-you not due yet
    page.get_by_test_id("mark-sent").click()
    expect(page.get_by_test_id("action-error")).to_be_visible()
    check(page, "a refused Mark sent", problems)

    page.goto(f"{server.base}/interviews/4")  # Globex: fading, its thank-you due
    page.get_by_test_id("send").first.click()
    expect(page.get_by_test_id("job-error")).to_be_visible(timeout=10_000)
    check(page, "a send that could not reach the server", problems)
    shot(page, "send-failed")

    page.goto(f"{server.base}/")
    page.get_by_test_id("check-mail").click()
    region = page.get_by_test_id("mail-check")
    expect(region.get_by_test_id("job-error")).to_be_visible(timeout=10_000)
    check(page, "Check mail now that could not reach the server", problems)

    page.goto(f"{server.base}/interviews/4")
    page.locator("#edit > summary").click()
    page.get_by_test_id("edit-location").fill("Room 4")
    page.get_by_test_id("edit-save").click()
    expect(page.get_by_test_id("flashes")).to_be_visible()
    check(page, "after an edit", problems)

    stranger = new_page(viewport=viewport)
    stranger.goto(f"{server.base}/")
    check(stranger, "401", problems)

    assert problems == {}, json.dumps(problems, indent=1)
