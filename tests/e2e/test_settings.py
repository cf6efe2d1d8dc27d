"""The Settings page in Chromium (issue #16 item 5): the zone found by typing what a person
says, a refused value next to its field, the mail test beside its button — at a phone's
width and a laptop's, without sideways scrolling, console errors or small targets."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import NewPage, Shot, StartServer, Watched, make_home
from tests.e2e.test_axe import violations
from tests.e2e.test_phone import (
    DESKTOP,
    TARGETS,
    console_errors,
    login,
    no_sideways_scroll,
)

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, DESKTOP], ids=["390", "1280"])
def test_change_the_zone_by_searching_and_see_refusals_beside_their_fields(
    viewport: dict[str, int],
    serve: StartServer,
    tmp_path: Path,
    new_page: NewPage,
    shot: Shot,
    watched: Watched,
) -> None:
    home = make_home(tmp_path / "home")
    server = serve(home)
    page = new_page(viewport=viewport)
    login(page, server)
    page.goto(f"{server.base}/settings")
    no_sideways_scroll(page, "/settings")
    assert violations(page) == []
    if viewport["width"] < 500:
        assert page.evaluate(TARGETS) == []  # every button and link 44 px tall on a phone

    zone = page.get_by_test_id("profile-timezone")
    zone.fill("")
    zone.press_sequentially("PST", delay=50)  # as a person types: the list narrows
    first = page.locator("#zone-options option").first
    expect(first).to_have_attribute("value", "America/Los_Angeles")
    assert page.locator("#zone-options option").count() < 10
    shot(page, "settings-zone-search")
    page.get_by_test_id("profile-save").click()
    expect(page.get_by_test_id("profile-timezone")).to_have_value("America/Los_Angeles")
    saved = tomllib.loads((home / "config.toml").read_text())
    assert saved["timezone"] == "America/Los_Angeles"

    # a wait under the article's floor: one message under that field, the value kept
    after = page.get_by_test_id("cadence-after-1")
    after.fill("24h")
    page.get_by_test_id("cadence-save").click()
    error = page.get_by_test_id("error-after-1")
    expect(error).to_contain_text("sooner than the article allows (48 h)")
    expect(page.get_by_test_id("cadence-after-1")).to_have_value("24h")
    expect(page.get_by_test_id("cadence-after-1")).to_have_attribute("aria-invalid", "true")
    no_sideways_scroll(page, "/settings with a refused cadence")
    assert violations(page) == []
    shot(page, "settings-refused")

    # the mail test answers beside its button (htmx), the button usable again after
    page.get_by_test_id("mail-test").click()
    result = page.get_by_test_id("mail-test-result")
    expect(result).to_contain_text(
        "no From address: give your address under Settings → Mail account"
    )
    expect(page.get_by_test_id("mail-test")).to_be_enabled()
    focused = page.evaluate("() => document.activeElement.id")
    assert focused == "mail-test"  # focus stays on the button, not the page's body
    no_sideways_scroll(page, "/settings after the mail test")
    assert violations(page) == []

    # the account recognised from an address (no keyring here: the password is not given)
    page.get_by_test_id("mail-address").fill("jamie@fastmail.com")
    page.get_by_test_id("mail-save").click()
    expect(page.get_by_test_id("mail-recognised")).to_contain_text("Fastmail")
    no_sideways_scroll(page, "/settings with the account recognised")
    assert violations(page) == []

    # Sign in without the client id of a registered app: the reason beside the button
    page.get_by_test_id("sign-in-start").click()
    expect(page.get_by_test_id("sign-in-failed")).to_contain_text("mail.oauth.client_id")
    assert page.evaluate("() => document.activeElement.id") == "sign-in-start"
    no_sideways_scroll(page, "/settings with a refused sign-in")
    assert violations(page) == []
    assert console_errors(watched, 400) == []
    assert watched.errors == [] and watched.csp == []


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, DESKTOP], ids=["390", "1280"])
def test_the_mail_servers_under_advanced_refused_by_field_then_saved(
    viewport: dict[str, int],
    serve: StartServer,
    tmp_path: Path,
    new_page: NewPage,
    shot: Shot,
    watched: Watched,
) -> None:
    home = make_home(tmp_path / "home")
    server = serve(home)
    page = new_page(viewport=viewport)
    login(page, server)
    page.goto(f"{server.base}/settings")
    host = page.get_by_test_id("mail-smtp-host")
    expect(host).to_be_hidden()  # behind "Advanced"
    page.get_by_test_id("mail-servers-toggle").click()
    expect(host).to_be_visible()
    host.fill("smtp.example.org")
    page.get_by_test_id("mail-smtp-port").fill("99999")
    page.get_by_test_id("mail-smtp-security").select_option("starttls")
    page.get_by_test_id("mail-servers-save").click()
    expect(page.get_by_test_id("error-smtp-port")).to_contain_text("a port from 1 to 65535")
    expect(page.get_by_test_id("mail-smtp-host")).to_have_value("smtp.example.org")  # kept
    no_sideways_scroll(page, "/settings with a refused server")
    if viewport["width"] < 500:
        assert page.evaluate(TARGETS) == []
    assert violations(page) == []
    shot(page, "servers-refused")
    page.get_by_test_id("mail-smtp-port").fill("2525")
    page.get_by_test_id("mail-servers-save").click()
    expect(page.get_by_test_id("flashes")).to_contain_text("Saved: the mail servers.")
    saved = tomllib.loads((home / "config.toml").read_text())
    assert saved["mail"] == {"smtp_host": "smtp.example.org", "smtp_port": 2525,
                             "smtp_security": "starttls"}  # fmt: skip
    no_sideways_scroll(page, "/settings with the servers saved")
    assert violations(page) == []
    # then the account at a domain nothing recognises: the servers set are kept (issue #16)
    if not page.get_by_test_id("mail-imap-host").is_visible():
        page.get_by_test_id("mail-servers-toggle").click()
    page.get_by_test_id("mail-imap-host").fill("imap.example.org")
    page.get_by_test_id("mail-servers-save").click()
    expect(page.get_by_test_id("flashes")).to_contain_text("Saved: the mail servers.")
    page.get_by_test_id("mail-address").fill("jo@example.org")
    page.get_by_test_id("mail-save").click()
    expect(page.get_by_test_id("settings-done")).to_contain_text("Saved: the mail account.")
    expect(page.get_by_test_id("mail-recognised")).to_contain_text("kept as they are")
    assert tomllib.loads((home / "config.toml").read_text())["mail"]["from_address"] == (
        "jo@example.org"
    )
    no_sideways_scroll(page, "/settings with the account saved on the servers set")
    if viewport["width"] < 500:
        assert page.evaluate(TARGETS) == []
    assert violations(page) == []
    assert console_errors(watched, 400) == []
    assert watched.errors == [] and watched.csp == []


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, DESKTOP], ids=["390", "1280"])
def test_add_and_edit_take_the_zone_as_settings_does(
    viewport: dict[str, int],
    serve: StartServer,
    tmp_path: Path,
    new_page: NewPage,
    shot: Shot,
    watched: Watched,
) -> None:
    """One zone field everywhere: Add's and the edit form's take "Indiana" (refused under the
    field, naming the candidates), then "PST" and "UTC+1", as Settings does."""
    home = make_home(tmp_path / "home")
    server = serve(home)
    page = new_page(viewport=viewport)
    login(page, server)
    page.goto(f"{server.base}/add")
    page.get_by_test_id("add-company").fill("Acme")
    page.get_by_test_id("add-role").fill("Engineer")
    page.get_by_test_id("add-at").fill("2026-11-23T14:00")
    zone = page.get_by_test_id("add-tz")
    zone.press_sequentially("PST", delay=50)  # the list narrows as on Settings
    expect(page.locator("#add-tz-options option").first).to_have_attribute(
        "value", "America/Los_Angeles"
    )
    zone.fill("Indiana")
    page.get_by_test_id("add-submit").click()
    error = page.get_by_test_id("add-tz-error")
    expect(error).to_contain_text("America/Indiana/Indianapolis")
    expect(page.get_by_test_id("add-tz")).to_have_attribute("aria-describedby", "add-tz-error")
    assert error.bounding_box() is not None
    no_sideways_scroll(page, "/add refused zone")
    assert violations(page) == []
    shot(page, "add-zone-refused")
    page.get_by_test_id("add-tz").fill("PST")
    page.get_by_test_id("add-submit").click()
    page.wait_for_url("**/interviews/*")

    page.locator("#edit > summary").click()
    expect(page.get_by_test_id("edit-tz")).to_have_value("America/Los_Angeles")
    page.get_by_test_id("edit-tz").fill("UTC+1")
    page.get_by_test_id("edit-save").click()
    expect(page.get_by_test_id("edit-tz")).to_have_value("Etc/GMT-1")
    no_sideways_scroll(page, "/interviews edited zone")
    assert console_errors(watched, 400) == []


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, DESKTOP], ids=["390", "1280"])
def test_a_panels_topics_say_whose_note_and_the_others_link_to_their_debrief(
    viewport: dict[str, int],
    serve: StartServer,
    tmp_path: Path,
    new_page: NewPage,
    shot: Shot,
    watched: Watched,
) -> None:
    home = make_home(tmp_path / "home")
    server = serve(home)
    page = new_page(viewport=viewport)
    login(page, server)
    page.goto(f"{server.base}/add")
    page.get_by_test_id("add-company").fill("Acme")
    page.get_by_test_id("add-role").fill("Engineer")
    page.get_by_test_id("add-at").fill("2026-11-23T14:00")
    page.get_by_test_id("add-tz").fill("Europe/Berlin")
    page.get_by_test_id("add-interviewers").fill(
        "Ada Lovelace <ada@acme.example>\nGrace Hopper <grace@acme.example>\n"
        "Alan Turing <alan@acme.example>"
    )
    whose = page.get_by_test_id("add-topics-whose")
    expect(whose).to_contain_text(
        "They go into Ada Lovelace's note only; debrief Grace Hopper and Alan Turing after"
    )
    page.get_by_test_id("add-primary").fill("grace@acme.example")
    expect(whose).to_contain_text("into Grace Hopper's note only; debrief Ada Lovelace and Alan")
    page.get_by_test_id("add-primary").fill("")
    page.get_by_test_id("add-topics").fill("the billing rewrite")
    no_sideways_scroll(page, "/add panel")
    shot(page, "add-panel-topics")
    page.get_by_test_id("add-submit").click()
    page.wait_for_url("**/interviews/*")
    links = page.get_by_test_id("debrief-person")
    expect(links).to_have_count(2)
    page.get_by_role("link", name="Debrief Grace Hopper").click()
    expect(page.get_by_test_id("debrief-interviewer")).to_have_value("grace@acme.example")
    no_sideways_scroll(page, "/interviews debrief chosen")
    assert violations(page) == []
    if viewport["width"] < 500:
        assert page.evaluate(TARGETS) == []
    assert console_errors(watched) == []
