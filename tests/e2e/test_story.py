"""The whole follow-up story in a real browser, through the dashboard's pages only.

Add an interview with the Add form → Today shows its thank-you due at the right time in
the user's zone → the interview page → the debrief → the drafts with the linter's findings
(none for a full debrief; `pushy` after an edit to "just checking in") → mark sent → they
replied → the sequence stops (Today no longer lists it) → the Stats page's numbers change.

The user lives in Asia/Kolkata (UTC+05:30, set in config.toml before the server starts);
the server process runs under TZ=Pacific/Chatham, so a time shown in the server's zone or
in UTC would not match; the interview is in Europe/Berlin.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import NOW, USER_TZ, NewPage, Server, Shot, Watched

pytestmark = pytest.mark.integration

BERLIN = ZoneInfo("Europe/Berlin")
KOLKATA = ZoneInfo(USER_TZ)
COMPANY = "Kestrel Analytics"
ROLE = "Data Engineer"
INTERVIEWER = "Ada Lovelace <ada@kestrel.example>"
TOPIC = "backfilling the event stream without double counting"
SKILL = "incremental Spark jobs"


def login(page: Page, server: Server) -> None:
    """Open the printed URL as a user would; the token turns into a session cookie."""
    response = page.goto(server.login_url)
    assert response is not None and response.ok, response and response.status
    expect(page).to_have_url(f"{server.base}/")


def local(dt: datetime, tz: ZoneInfo) -> str:
    """How the dashboard writes an instant for a reader in `tz` (pages.local)."""
    here = dt.astimezone(tz)
    return f"{here:%a %d %b %Y %H:%M} {here.tzname()}"


def stats_row(page: Page, step: int) -> list[str]:
    row = page.get_by_test_id("rate-by-step").locator("tbody tr").nth(step - 1)
    return [c.strip() for c in row.locator("th, td").all_inner_texts()]


def total(page: Page, key: str) -> int:
    return int(page.get_by_test_id(f"total-{key}").locator("strong").inner_text())


def test_add_debrief_draft_send_reply_stop_stats(
    server: Server, page: Page, shot: Shot, watched: Watched
) -> None:
    # The expected due time, worked out here rather than read from the app: the interview
    # (Fri 20 Nov 2026 16:30-17:30 Berlin) ends at 16:30 UTC; 48 real hours later is Sunday
    # 22 Nov 17:30 in Berlin, outside the interviewer's Mon-Fri 09:00-17:00 window, so it
    # moves to the window's next opening: Monday 23 Nov 09:00 Berlin = 08:00 UTC, which the
    # user in Kolkata sees as 13:30 IST.
    start = datetime(2026, 11, 20, 16, 30, tzinfo=BERLIN)
    end = start + timedelta(minutes=60)
    earliest = end.astimezone(UTC) + timedelta(hours=48)
    assert earliest.astimezone(BERLIN).weekday() == 6  # a Sunday: not a working day
    due = datetime(2026, 11, 23, 9, 0, tzinfo=BERLIN)  # Monday, when the window opens
    assert due.astimezone(UTC) == datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    assert timedelta(0) < due - earliest < timedelta(days=1)
    due_text = local(due, KOLKATA)
    assert due_text == "Mon 23 Nov 2026 13:30 IST"
    now = datetime.fromisoformat(NOW.replace("Z", "+00:00"))

    login(page, server)
    shot(page, "today-empty")

    # --- Stats before anything: no interviews, no rates ---------------------------------
    page.get_by_test_id("nav-stats").click()
    expect(page).to_have_url(f"{server.base}/stats")
    expect(page.get_by_test_id("stats-empty")).to_be_visible()
    assert total(page, "interviews") == 0
    shot(page, "stats-empty")

    # --- Add ----------------------------------------------------------------------------
    page.get_by_test_id("nav-add").click()
    expect(page).to_have_url(f"{server.base}/add")
    page.get_by_test_id("add-company").fill(COMPANY)
    page.get_by_test_id("add-role").fill(ROLE)
    page.get_by_test_id("add-at").fill("2026-11-20T16:30")
    page.get_by_test_id("add-tz").fill("Europe/Berlin")
    page.get_by_test_id("add-duration").fill("60")
    page.get_by_test_id("add-interviewers").fill(INTERVIEWER)
    page.get_by_test_id("add-country").select_option("DE")
    shot(page, "add-filled")
    page.get_by_test_id("add-submit").click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(server.base)}/interviews/\d+$"))
    interview_id = int(page.url.rsplit("/", 1)[1])
    expect(page.get_by_test_id("flashes")).to_contain_text(f"Added interview {interview_id}")
    expect(page.get_by_test_id("company")).to_have_text(COMPANY)
    expect(page.get_by_test_id("status")).to_have_text("waiting")
    # the interview's own time, and the user's
    expect(page.get_by_test_id("when")).to_contain_text(local(start, BERLIN))
    expect(page.get_by_test_id("when-yours")).to_have_text(local(start, KOLKATA))
    shot(page, "interview-added")

    # --- Today: the thank-you, due at the right local time ------------------------------
    page.get_by_test_id("nav-today").click()
    expect(page).to_have_url(f"{server.base}/")
    expect(page.get_by_test_id("onboarding")).to_have_count(0)
    row = page.locator(f'[data-testid="agenda-row"][data-interview="{interview_id}"]')
    expect(row).to_have_count(1)
    expect(row.get_by_test_id("interview-link")).to_have_text(COMPANY)
    expect(row).to_contain_text("1 · thank-you")
    expect(row).to_contain_text("Ada Lovelace")
    when = row.locator("time")
    expect(when).to_have_text(due_text)
    expect(when).to_have_attribute("datetime", "2026-11-23T08:00:00Z")
    # due at 08:00 UTC Monday; a note is `due` for 24 h, then `overdue` — now is Wednesday noon
    assert now - due > timedelta(hours=24)
    expect(row.get_by_test_id("state")).to_have_text("overdue")
    expect(page.get_by_test_id("count-overdue")).to_contain_text("1")
    shot(page, "today-thank-you-due")

    # --- the interview page: timeline and the drafts before the debrief ----------------
    row.get_by_test_id("interview-link").click()
    expect(page).to_have_url(f"{server.base}/interviews/{interview_id}")
    timeline = page.get_by_test_id("timeline")
    expect(timeline.get_by_test_id("event").first).to_be_visible()
    expect(timeline).to_contain_text(due_text)  # the thank-you, in the user's time
    # ... and in the interviewer's (Berlin) time beside it
    expect(timeline).to_contain_text(local(due, BERLIN))
    card = page.get_by_test_id("draft-card").first
    expect(card).to_be_visible()
    expect(card).to_have_attribute("data-step", "1")
    # no debrief yet: the note has no placeholder to send by mistake, and the linter asks
    # inline for what only the debrief can give (the skill to stress)
    expect(card.locator('[data-testid="lint-finding"][data-rule="placeholder"]')).to_have_count(0)
    expect(card.locator('[data-testid="lint-finding"][data-rule="no-skill"]')).to_have_count(1)
    expect(card.get_by_test_id("lint-ok")).to_have_count(0)
    shot(page, "interview-before-debrief")

    # --- debrief: a topic and a skill ---------------------------------------------------
    page.get_by_test_id("debrief-topics").fill(TOPIC)
    page.get_by_test_id("debrief-skill").fill(SKILL)
    page.get_by_test_id("debrief-save").click()
    expect(page).to_have_url(f"{server.base}/interviews/{interview_id}?at=drafts#drafts")
    expect(page.get_by_test_id("drafts").get_by_test_id("flashes")).to_contain_text("Recorded")
    entries = page.get_by_test_id("debrief-entry")
    expect(entries.filter(has_text=TOPIC)).to_have_count(1)
    expect(page.get_by_test_id("debrief")).to_contain_text(SKILL)

    # the thank-you now names the topic and the skill, and the linter finds nothing
    card = page.get_by_test_id("draft-card").first
    body = card.get_by_test_id("draft-body")
    expect(body).to_have_value(re.compile(re.escape(TOPIC)))
    expect(body).to_have_value(re.compile(re.escape(SKILL)))
    expect(card.get_by_test_id("lint-finding")).to_have_count(0)
    expect(card.get_by_test_id("lint-ok")).to_be_visible()
    shot(page, "drafts-after-debrief")

    # --- edit the draft to "just checking in": the linter flags it ---------------------
    dom_id = card.get_attribute("id")
    body.fill("Hi Ada,\n\nJust checking in on my application.\n\nBest regards")
    card.get_by_test_id("draft-save").click()
    card = page.locator(f"#{dom_id}")  # htmx swapped the card in place
    expect(card.get_by_test_id("saved")).to_be_visible()
    expect(card.get_by_test_id("edited")).to_be_visible()
    pushy = card.locator('[data-testid="lint-finding"][data-rule="pushy"]')
    expect(pushy).to_have_count(1)
    expect(pushy).to_contain_text(re.compile("just checking in", re.IGNORECASE))
    expect(card.get_by_test_id("lint-ok")).to_have_count(0)
    shot(page, "draft-edited-pushy")
    # the edit is kept: a fresh load shows the user's text and the same finding
    page.reload()
    card = page.get_by_test_id("draft-card").first
    expect(card.get_by_test_id("draft-body")).to_have_value(re.compile("Just checking in"))
    expect(card.locator('[data-testid="lint-finding"][data-rule="pushy"]')).to_have_count(1)

    # --- mark sent, from Today (one click, htmx) ----------------------------------------
    page.get_by_test_id("nav-today").click()
    row = page.locator(f'[data-testid="agenda-row"][data-interview="{interview_id}"]')
    row.get_by_test_id("mark-sent").click()
    flashes = page.get_by_test_id("agenda").get_by_test_id("flashes")
    expect(flashes).to_contain_text(f"Interview {interview_id}: recorded the thank-you")
    expect(page).to_have_url(f"{server.base}/")
    # the follow-up is next: 7 days after the thank-you actually went out (now), at 12:00
    # UTC = 13:00 Berlin, inside the window; 17:30 in Kolkata
    follow_up = now + timedelta(days=7)
    row = page.locator(f'[data-testid="agenda-row"][data-interview="{interview_id}"]')
    expect(row).to_contain_text("2 · follow-up")
    expect(row.locator("time")).to_have_text(local(follow_up, KOLKATA))
    expect(row.locator("time")).to_have_text("Wed 02 Dec 2026 17:30 IST")
    expect(row.get_by_test_id("state")).to_have_text("upcoming")
    shot(page, "today-after-sent")

    # Stats: one note sent, no reply yet
    page.get_by_test_id("nav-stats").click()
    assert total(page, "interviews") == 1
    assert total(page, "open") == 1
    assert total(page, "notes_sent") == 1
    assert total(page, "replied") == 0
    assert stats_row(page, 1) == ["1 · thank-you", "1", "0", "0 %"]
    expect(page.get_by_test_id("time-to-reply")).to_have_text("no replies yet")
    shot(page, "stats-after-sent")

    # --- they replied (one click on Today): the sequence stops --------------------------
    page.get_by_test_id("nav-today").click()
    row = page.locator(f'[data-testid="agenda-row"][data-interview="{interview_id}"]')
    row.get_by_text("They replied…").click()  # it asks first (when; who in a panel)
    row.get_by_test_id("record-reply").click()
    expect(page.get_by_test_id("agenda").get_by_test_id("flashes")).to_contain_text(
        f"Interview {interview_id}: they replied"
    )
    expect(page.locator('[data-testid="agenda-row"]')).to_have_count(0)
    ended = page.get_by_test_id("ended-row").filter(has_text=COMPANY)
    expect(ended).to_contain_text("they replied")
    shot(page, "today-after-reply")
    # ... and stays so on a fresh load
    page.reload()
    expect(
        page.locator(f'[data-testid="agenda-row"][data-interview="{interview_id}"]')
    ).to_have_count(0)

    page.get_by_test_id("ended-row").filter(has_text=COMPANY).locator("a").click()
    expect(page).to_have_url(f"{server.base}/interviews/{interview_id}")
    expect(page.get_by_test_id("status")).to_have_text("replied")
    expect(page.get_by_test_id("interview-actions")).to_have_count(0)
    shot(page, "interview-replied")

    # --- Stats: the reply rate changed --------------------------------------------------
    page.get_by_test_id("nav-stats").click()
    assert total(page, "replied") == 1
    assert total(page, "open") == 0
    assert stats_row(page, 1) == ["1 · thank-you", "1", "1", "100 %"]
    # replied now, 4.81 days after the interview ended (Fri 16:30 UTC -> Wed 12:00 UTC)
    expect(page.get_by_test_id("time-to-reply")).to_contain_text("median 4.81 days")
    expect(page.get_by_test_id("time-to-reply")).to_contain_text("(1 reply)")
    shot(page, "stats-after-reply")

    assert watched.dialogs == []
    assert watched.errors == [], watched.errors
    assert watched.csp == [], watched.csp


def test_the_same_story_without_javascript(
    server: Server, new_page: NewPage, shot: Shot, watched: Watched
) -> None:
    """Every page reads without JavaScript, and its plain forms do the job htmx speeds up."""
    page = new_page(java_script_enabled=False)
    login(page, server)
    expect(page.get_by_test_id("onboarding")).to_be_visible()

    page.get_by_test_id("onboarding-add").click()
    page.get_by_test_id("add-company").fill(COMPANY)
    page.get_by_test_id("add-role").fill(ROLE)
    page.get_by_test_id("add-at").fill("2026-11-20T16:30")
    page.get_by_test_id("add-tz").fill("Europe/Berlin")
    page.get_by_test_id("add-interviewers").fill(INTERVIEWER)
    page.get_by_test_id("add-submit").click()
    expect(page).to_have_url(re.compile(r"/interviews/\d+$"))
    interview_id = int(page.url.rsplit("/", 1)[1])

    page.get_by_test_id("nav-today").click()
    row = page.locator(f'[data-testid="agenda-row"][data-interview="{interview_id}"]')
    expect(row.locator("time")).to_have_text("Mon 23 Nov 2026 13:30 IST")
    shot(page, "today-no-js")

    # Today's one-click "Mark sent" posts its form and comes back to Today
    row.get_by_test_id("mark-sent").click()
    expect(page).to_have_url(f"{server.base}/")
    expect(page.get_by_test_id("flashes").first).to_contain_text("recorded the thank-you")
    expect(row).to_contain_text("2 · follow-up")

    # the interview page's own buttons: they replied
    row.get_by_test_id("interview-link").click()
    sent = page.get_by_test_id("event").filter(has_text="thank-you sent")
    expect(sent).to_contain_text("Wed 25 Nov 2026 17:30 IST")  # now, in the user's time
    expect(sent).to_contain_text("Wed 25 Nov 2026 13:00 CET")  # and in Ada's (Berlin)
    due = page.get_by_test_id("event").filter(has_text="follow-up due")
    expect(due).to_contain_text("Wed 02 Dec 2026 17:30 IST")
    expect(page.get_by_test_id("draft-card")).to_have_count(1)
    shot(page, "interview-no-js")
    page.get_by_test_id("interview-actions").get_by_test_id("record-reply").click()
    # it lands on the history, where the change and its Undo are (issue #16)
    expect(page).to_have_url(f"{server.base}/interviews/{interview_id}?at=history#history")
    expect(page.get_by_test_id("status")).to_have_text("replied")
    expect(page.get_by_test_id("history").get_by_test_id("flashes")).to_contain_text("they replied")

    page.get_by_test_id("nav-today").click()
    expect(page.get_by_test_id("agenda-row")).to_have_count(0)
    page.get_by_test_id("nav-stats").click()
    assert stats_row(page, 1) == ["1 · thank-you", "1", "1", "100 %"]
    shot(page, "stats-no-js")
    assert watched.dialogs == []
