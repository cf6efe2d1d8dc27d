"""A failed note in Chromium (issue #16): Today's "Now: not delivered" and the interview
page's "Not delivered" with Try again and Let it go — at 390, 360 and 1280 px without
sideways scrolling, console errors or small targets, and axe-core finding nothing; let go
with Undo after, and Undo brings it back."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import (
    NOW,
    SERVER_TZ,
    NewPage,
    Shot,
    StartServer,
    Watched,
    followup,
    make_home,
)
from tests.e2e.test_axe import violations
from tests.e2e.test_phone import (
    DESKTOP,
    PHONES,
    TARGETS,
    console_errors,
    login,
    no_sideways_scroll,
)

pytestmark = pytest.mark.integration

# Sends the thank-you of interview 1 through a fake mailer whose server refuses Gil (550).
FAIL = """
from followup.adapters.mail.fake import FakeMailer
from followup.adapters.mail.message import compose
from followup.app import sending
from followup.bootstrap import open_context

ctx = open_context(None)
mailer = FakeMailer()
mailer.fail_next(550)
outbox = sending.Outbox("Jamie <jamie@example.org>", "jamie@example.org", compose, mailer, None)
[result] = sending.send_interview(ctx, outbox, 1, to_drafts=False, force=True, backoff=())
assert result.outcome == "failed", result.detail
"""


def failed_home(tmp_path: Path) -> Path:
    home = make_home(tmp_path / "home")
    followup(home, "config", "set", "user.email", "jamie@example.org")
    followup(home, "add", "--company", "Hooli", "--role", "Site Reliability Engineer",
             "--at", "2026-11-20T10:00", "--tz", "Europe/Berlin",
             "--interviewer", "Gil Bertram-Featherstonehaugh <gil.bertram@hooli.example>",
             "--topic", "the pager rota", "--skill", "Kubernetes")  # fmt: skip
    env = {**os.environ, "FOLLOWUP_HOME": str(home), "FOLLOWUP_NOW": NOW, "TZ": SERVER_TZ}
    done = subprocess.run([sys.executable, "-c", FAIL], env=env, capture_output=True,
                          text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return home


@pytest.mark.parametrize("viewport", [*PHONES, DESKTOP], ids=["390", "360", "1280"])
def test_a_failed_note_on_today_and_its_page_then_let_go_with_undo(
    viewport: dict[str, int],
    serve: StartServer,
    tmp_path: Path,
    new_page: NewPage,
    shot: Shot,
    watched: Watched,
) -> None:
    server = serve(failed_home(tmp_path))
    page = new_page(viewport=viewport)
    login(page, server)
    phone = viewport["width"] < 500

    def layout(where: str) -> None:
        no_sideways_scroll(page, where)
        if phone:
            assert page.evaluate(TARGETS) == [], where
        assert violations(page) == [], where
        assert console_errors(watched) == [], where

    row = page.get_by_test_id("failed-row")
    expect(row).to_contain_text("the thank-you to Gil Bertram-Featherstonehaugh")
    expect(row).to_contain_text("550")
    layout("Today with a failed note")
    shot(page, "today-failed")
    page.goto(f"{server.base}/interviews/1#drafts")
    expect(page.get_by_test_id("failed-note")).to_contain_text("Not delivered")
    expect(page.get_by_test_id("dismiss-failed")).to_be_visible()
    layout("the interview page with a failed note")
    shot(page, "interview-failed")

    page.goto(f"{server.base}/")
    page.get_by_role(
        "button", name="Let it go: the thank-you to Gil Bertram-Featherstonehaugh"
    ).click()
    expect(page.get_by_test_id("done")).to_contain_text("is let go")
    expect(page.get_by_test_id("failed-row")).to_have_count(0)
    layout("Today after Let it go")
    shot(page, "let-go")
    page.get_by_test_id("undo-notice").click()
    expect(page.get_by_test_id("flashes")).to_contain_text("Undid")
    expect(page.get_by_test_id("failed-row")).to_have_count(1)
    layout("Today after Undo")
    assert watched.errors == [] and watched.csp == []
