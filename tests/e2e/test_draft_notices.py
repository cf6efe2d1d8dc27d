"""A draft card's notices stay true (issue #16 trial): after the note is really sent, the
card's earlier "kept your text — Undo" is gone (undo takes back only the newest change: that
Undo would be refused as "changed since")."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import NewPage, Shot, StartServer, Watched, mail_home
from tests.e2e.test_phone import DESKTOP, console_errors, login, no_sideways_scroll
from tests.integration.smtp_sink import Sink, smtp_sink  # noqa: F401  (the fixture)

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, DESKTOP], ids=["390", "1280"])
def test_after_a_send_the_kept_texts_undo_is_not_offered(
    viewport: dict[str, int],
    serve: StartServer,
    tmp_path: Path,
    new_page: NewPage,
    shot: Shot,
    watched: Watched,
    smtp_sink: Sink,  # noqa: F811
) -> None:
    server = serve(mail_home(tmp_path, smtp_sink))
    page = new_page(viewport=viewport)
    login(page, server)
    page.goto(f"{server.base}/interviews/1#drafts")
    card = page.get_by_test_id("draft-card").first
    card_id = card.get_attribute("id")
    ready = (  # htmx has taken the form (a click before that posts it plainly)
        "(id) => { const b = document.querySelector('#' + id);"
        " return !!(b && b.form && b.form['htmx-internal-data']); }"
    )
    page.wait_for_function(ready, arg=f"{card_id}-save")
    subject = card.get_by_test_id("draft-subject")
    subject.fill(subject.input_value() + " — thank you")
    card.get_by_test_id("draft-save").click()
    kept = page.locator(f"#{card_id}").get_by_test_id("kept-notice")
    expect(kept.get_by_test_id("undo-notice")).to_be_visible()  # kept: undo is offered
    page.wait_for_function(ready, arg=f"{card_id}-send")
    page.locator(f"#{card_id}-send").click()
    ok = page.locator(f"#{card_id}").get_by_test_id("job-ok")
    expect(ok).to_contain_text("Sent to Ada Lovelace", timeout=15_000)
    assert len(smtp_sink.received) == 1
    expect(page.locator(f"#{card_id}").get_by_test_id("undo-notice")).to_have_count(0)
    expect(page.locator(f"#{card_id}").get_by_test_id("undo-force")).to_have_count(1)
    no_sideways_scroll(page, "/interviews after send")
    shot(page, "sent-no-stale-undo")
    assert console_errors(watched) == []


def test_send_after_typing_without_keeping_sends_what_the_card_shows(
    serve: StartServer,
    tmp_path: Path,
    new_page: NewPage,
    watched: Watched,
    smtp_sink: Sink,  # noqa: F811
) -> None:
    """The trial's phone user changed the greeting and tapped Send straight away: the old
    text went while the box showed theirs. Now the typed text is kept (checked) and sent."""
    server = serve(mail_home(tmp_path, smtp_sink))
    page = new_page(viewport={"width": 390, "height": 844})
    login(page, server)
    page.goto(f"{server.base}/interviews/1#drafts")
    card = page.get_by_test_id("draft-card").first
    card_id = card.get_attribute("id")
    ready = (
        "(id) => { const b = document.querySelector('#' + id);"
        " return !!(b && b.form && b.form['htmx-internal-data']); }"
    )
    page.wait_for_function(ready, arg=f"{card_id}-send")
    body = card.get_by_test_id("draft-body")
    greeting, rest = body.input_value().strip().split("\n", 1)
    body.fill("Hi Dr. Lovelace,\n" + rest)
    page.locator(f"#{card_id}-send").click()  # no "Keep my text" first
    ok = page.locator(f"#{card_id}").get_by_test_id("job-ok")
    expect(ok).to_contain_text("Sent to Ada Lovelace", timeout=15_000)
    [mail] = smtp_sink.received
    assert b"Hi Dr. Lovelace," in mail.raw and greeting.encode() not in mail.raw
    assert console_errors(watched) == []
