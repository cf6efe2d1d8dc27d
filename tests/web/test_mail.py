"""Send and save-to-Drafts from the dashboard go through the same at-most-once sending."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import NOW, Run
from tests.integration.smtp_sink import Sink, smtp_sink  # noqa: F401  (the fixture)
from tests.integration.test_sending import configure, due_interview
from tests.web.conftest import Web
from tests.web.mailjob import lines, press, settled

pytestmark = pytest.mark.integration


def button(page: str, testid: str) -> str:
    found = re.search(rf'<button[^>]*data-testid="{testid}"[^>]*>', page)
    assert found, testid
    return found.group(0)


def test_send_from_the_interview_page_delivers_once(
    web: Web,
    run: Run,
    smtp_sink: Sink,  # noqa: F811
) -> None:
    configure(run, smtp_sink)
    iid = due_interview(run)
    page = web.get(f"/interviews/{iid}").text
    assert "disabled" not in button(page, "send") and "Sends to exactly this person" in page
    region = settled(web, iid, press(web, iid, "send").text)
    assert lines(region, "ok") == ["Sent to Ada Lovelace <ada@acme.example>."]
    assert lines(region, "error") == []
    # a note that left cannot be unsent (issue #16 trial item 4): no Undo is offered, only
    # to record it as not sent if it never arrived
    assert 'data-testid="undo-notice"' not in region
    assert 'data-testid="cannot-unsend"' in region and 'data-testid="undo-force"' in region
    [mail] = smtp_sink.received
    assert mail.recipients == ["ada@acme.example"]
    thank_you = run("show", iid, "--json").json["notes"][0]
    assert (thank_you["state"], thank_you["sent_at"]) == ("sent", NOW)
    assert mail.message_id == thank_you["message_id"]
    # again: the pending note is now the follow-up, a week away: refused, nothing sent twice
    again = web.api("POST", f"/api/interviews/{iid}/send", json={"interviewer": "ada@acme.example"})
    [row] = again.json()
    assert (row["outcome"], row["detail"][:14]) == ("skipped", "not due until ")
    assert len(smtp_sink.received) == 1


def test_the_send_twin_answers_like_the_cli(web: Web, run: Run, smtp_sink: Sink) -> None:  # noqa: F811
    configure(run, smtp_sink)
    iid = due_interview(run, "Ada Lovelace <ada@acme.example>", "Bob Stone <bob@acme.example>")
    # the interview's topic is the primary contact's (Ada's): Bob's note needs his own
    debriefed = run("debrief", iid, "--interviewer", "bob@acme.example", "--topic", "on-call load")
    assert debriefed.code == 0, debriefed.err
    sent = web.api("POST", f"/api/interviews/{iid}/send")
    assert sent.status_code == 200
    rows = sent.json()
    assert [r["outcome"] for r in rows] == ["sent", "sent"]
    assert set(rows[0]) == {"note_id", "interview_id", "to", "outcome", "detail"}
    assert sorted(r for m in smtp_sink.received for r in m.recipients) == [
        "ada@acme.example",
        "bob@acme.example",
    ]


def test_save_to_drafts_without_imap_says_what_is_missing(
    web: Web,
    run: Run,
    smtp_sink: Sink,  # noqa: F811
) -> None:
    configure(run, smtp_sink)
    iid = due_interview(run)
    page = web.get(f"/interviews/{iid}").text
    assert "disabled" in button(page, "save-to-drafts")
    # the greyed-out button says why on the page, not only in a tool tip (trial item 6)
    assert 'data-testid="drafts-why"' in page and "incoming (IMAP) server" in page
    assert "aria-describedby" in button(page, "save-to-drafts")
    region = settled(web, iid, press(web, iid, "drafts").text)
    [error] = lines(region, "error")
    assert "needs IMAP" in error and error.endswith("— check Settings → Mail"), error
    assert 'role="alert"' in region and 'href="/settings#mail"' in region
    assert smtp_sink.received == []


def test_send_when_due_from_the_interview_page_approves_and_the_worker_sends(
    web: Web,
    run: Run,
    smtp_sink: Sink,  # noqa: F811
) -> None:
    configure(run, smtp_sink)
    iid = due_interview(run)
    page = web.get(f"/interviews/{iid}").text
    assert "disabled" not in button(page, "send-when-due")
    response = web.post(
        f"/interviews/{iid}/send", {"interviewer": "ada@acme.example", "mode": "when-due"}
    )
    assert response.status_code == 200  # no JavaScript: the page, the outcome by the button
    # this test's app was started with no sender (as `serve --no-send-due`): it says so
    [said] = lines(response.text, "error")
    assert said.startswith("Approved: the note to Ada Lovelace <ada@acme.example> is kept,")
    assert "nothing here sends it" in said
    assert 'data-testid="no-sender"' in response.text  # visibly, not only in a tool tip
    assert "approved, goes out by itself" in response.text  # the timeline says so too
    assert smtp_sink.received == []  # nothing now
    assert 'data-testid="scheduled"' in web.get("/").text  # Today marks it
    twin = web.api(
        "POST",
        f"/api/interviews/{iid}/send",
        json={"interviewer": "ada@acme.example", "when_due": True},
    )
    assert [r["outcome"] for r in twin.json()] == ["unchanged"]
    assert run("worker", "--once").code == 0
    [mail] = smtp_sink.received
    assert mail.message_id == run("show", iid, "--json").json["notes"][0]["message_id"]


def test_send_when_due_offers_undo_only_when_it_approved_something(
    web: Web,
    run: Run,
    smtp_sink: Sink,  # noqa: F811
) -> None:
    configure(run, smtp_sink)
    iid = due_interview(run)
    first = press(web, iid, "when-due").text
    assert 'data-testid="undo-notice"' in first
    assert "approved the thank-you" in first
    again = press(web, iid, "when-due").text  # unchanged: nothing new to take back
    [said] = lines(again, "error")  # no sender in this test's app: said as a problem
    assert said.startswith("Already approved: the note to Ada Lovelace <ada@acme.example> is")
    assert 'data-testid="undo-notice"' not in again


def test_a_panellists_card_shows_its_send_outcome_after_the_redirect(
    web: Web,
    run: Run,
    smtp_sink: Sink,  # noqa: F811
) -> None:
    """A form that posts before htmx takes it (no JavaScript, or a key pressed as the region
    is swapped) lands on the page: the card of the note its job just sent shows that outcome
    and its Undo where the eye is — not only "Sent <time>" — while the panel's other card
    still offers Send."""
    import time

    configure(run, smtp_sink)
    iid = due_interview(run, "Ada Lovelace <ada@acme.example>", "Bob Stone <bob@acme.example>")
    form = {"interviewer": "ada@acme.example", "mode": "send", "step": "1", "dom_id": "draft-1-0"}
    posted = web.post(f"/interviews/{iid}/send", form, follow_redirects=False)
    assert posted.status_code == 303 and posted.headers["location"].endswith("#drafts")
    deadline = time.monotonic() + 20
    page = web.get(f"/interviews/{iid}").text
    while 'data-running="true"' in page:
        assert time.monotonic() < deadline, "the job never finished"
        time.sleep(0.1)
        page = web.get(f"/interviews/{iid}").text
    ada = page[page.index('id="draft-1-0"') : page.index('id="draft-1-1"')]
    assert lines(ada, "ok") == ["Sent to Ada Lovelace <ada@acme.example>."]
    assert 'data-testid="undo-force"' in ada and 'data-testid="send"' not in ada
    assert 'data-testid="undo-notice"' not in ada  # a mailed note: no Undo that is refused
    bob = page[page.index('id="draft-1-1"') :]
    assert 'data-testid="send"' in bob
    assert [m.recipients for m in smtp_sink.received] == [["ada@acme.example"]]


@pytest.mark.parametrize(
    ("sender", "says", "ok"),
    [
        ("here", "goes out by itself when due, while this dashboard runs.", True),
        ("elsewhere", "only if this site's sending service is running", True),
        ("off", "nothing here sends it", False),
    ],
)
def test_send_when_due_says_what_will_send_it(
    home: Path,
    run: Run,
    smtp_sink: Sink,  # noqa: F811
    sender: str,
    says: str,
    ok: bool,
) -> None:
    """Issue #16 trial item 1: "goes out by itself" only where something sends it."""
    from fastapi.testclient import TestClient

    from followup.web.app import create_app
    from followup.web.deps import WebConfig
    from followup.web.security import Sessions
    from tests.web.conftest import FEED_TOKEN, ORIGIN, PORT, TOKEN

    configure(run, smtp_sink)
    iid = due_interview(run)
    app = create_app(WebConfig(str(home), PORT, FEED_TOKEN, sender=sender), Sessions(TOKEN))
    with TestClient(app, base_url=ORIGIN) as client:
        web = Web(client).login()
        page = web.get(f"/interviews/{iid}").text
        assert ('data-testid="no-sender"' in page) is (sender != "here")
        answer = web.post(
            f"/interviews/{iid}/send", {"interviewer": "ada@acme.example", "mode": "when-due"}
        ).text
    [said] = lines(answer, "ok" if ok else "error")
    assert says in said, said


def test_an_approved_card_says_so_and_an_edit_says_the_approval_went(
    web: Web,
    run: Run,
    smtp_sink: Sink,  # noqa: F811
) -> None:
    """The trial's phone user edited an approved note and was told only "edited": the card
    never said it was approved, nor that the edit took the approval back."""
    configure(run, smtp_sink)
    iid = due_interview(run)
    press(web, iid, "when-due")
    page = web.get(f"/interviews/{iid}").text
    assert 'data-testid="draft-approved"' in page and "goes out by itself when due" in page
    draft = run("draft", iid, "--json").json
    body = draft["body"] + "\nP.S. Thanks again.\n"
    form = {"step": "1", "interviewer": "ada@acme.example", "dom_id": "draft-1-0",
            "subject": draft["subject"], "body": body}  # fmt: skip
    card = web.post(f"/interviews/{iid}/drafts", form, headers={"HX-Request": "true",
                    "HX-Target": "draft-1-0"}).text  # fmt: skip
    assert 'data-testid="approval-withdrawn"' in card and "approves it again" in card
    assert 'data-testid="draft-approved"' not in card
    assert run("show", iid, "--json").json["notes"][0]["approved_at"] is None


def test_keeping_a_card_unchanged_keeps_nothing_and_an_emptied_one_goes_back(
    web: Web,
    run: Run,
    smtp_sink: Sink,  # noqa: F811
) -> None:
    """ "Keep my text" on an untouched card froze the generated text as the user's own (and
    took back an approval); an emptied card kept an empty note."""
    configure(run, smtp_sink)
    iid = due_interview(run)
    press(web, iid, "when-due")
    draft = run("draft", iid, "--json").json
    before = len(run("history", iid, "--json").json)
    form = {"step": "1", "interviewer": "ada@acme.example", "dom_id": "draft-1-0",
            "subject": draft["subject"], "body": draft["body"].replace("\n", "\r\n")}  # fmt: skip
    web.post(f"/interviews/{iid}/drafts", form)
    assert len(run("history", iid, "--json").json) == before
    after = run("draft", iid, "--json").json
    assert after["edited"] is False
    assert run("show", iid, "--json").json["notes"][0]["approved_at"] is not None
    web.post(f"/interviews/{iid}/drafts", {**form, "body": "Hi Ada, mine.\n\nGrace"})
    assert run("draft", iid, "--json").json["edited"] is True
    web.post(f"/interviews/{iid}/drafts", {**form, "body": "  \r\n"})
    back = run("draft", iid, "--json").json
    assert (back["edited"], back["body"]) == (False, draft["body"])


def test_an_approved_note_is_shown_as_approved_on_today_and_the_board(
    web: Web,
    run: Run,
    smtp_sink: Sink,  # noqa: F811
) -> None:
    """A cold trial (session 12): after Send when due, Today still advised "send now" and
    the board "Send the thank-you to Ada Lovelace", as if the user had it still to do."""
    configure(run, smtp_sink)
    iid = due_interview(run)
    assert "send now" in web.get("/").text
    assert "Send the thank-you to Ada Lovelace" in web.get("/pipeline").text
    press(web, iid, "when-due")
    today = web.get("/").text
    assert "approved: goes out by itself when due" in today and "send now" not in today
    board = web.get("/pipeline").text
    assert "Send the thank-you" not in board
    assert "The thank-you to Ada Lovelace is approved: it goes out by itself" in board
    assert smtp_sink.received == []


def test_two_quick_sends_on_two_drafts_both_go_on_the_laptop(
    web: Web,
    run: Run,
    smtp_sink: Sink,  # noqa: F811
) -> None:
    """Server mode gives a seeker one mail conversation at a time (web/conversations.py);
    the laptop counts none: Send on one draft, then at once on another, both go."""
    configure(run, smtp_sink)
    first, second = due_interview(run), due_interview(run)
    pressed = [press(web, iid, "send").text for iid in (first, second)]
    for iid, region in zip((first, second), pressed, strict=True):
        assert lines(settled(web, iid, region), "ok") == [
            "Sent to Ada Lovelace <ada@acme.example>."
        ]
    assert len(smtp_sink.received) == 2
