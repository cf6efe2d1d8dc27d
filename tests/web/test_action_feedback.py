"""An interview page's action answers where the eye is (issue #16, item 4).

Reproduced in the issue: a refused action on the interview page was a bare 409/400 page (the
interview gone, the message alone), and a result landed at the top of the page while the
redirect left the user wherever the browser put them.
"""

from __future__ import annotations

import html
import re

from tests.conftest import Run
from tests.web.conftest import Web
from tests.web.homes import add, ok


def acme(run: Run, at: str = "2026-11-20T10:00") -> int:
    ok(run("config", "set", "user.name", "Grace Hopper"))
    return add(run, "--company", "Acme", "--role", "Backend Engineer", "--at", at,
               "--tz", "Europe/Berlin", "--topic", "the billing rewrite",
               "--interviewer", "Ada Lovelace <ada@acme.example>")  # fmt: skip


def text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def by(page: str, testid: str) -> str:
    """The form (or card) holding the element with this data-testid."""
    at = page.index(f'data-testid="{testid}"')
    start = page.rindex("<form", 0, at)
    return page[start : page.index("</form>", at)]


def test_mark_sent_refused_is_the_page_with_the_message_by_its_button(web: Web, run: Run) -> None:
    iid = acme(run, "2026-11-25T09:00")  # this morning: a thank-you now is too early
    response = web.post(f"/interviews/{iid}/sent")
    assert response.status_code == 409
    page = response.text
    assert 'data-testid="interview"' in page and 'data-testid="timeline"' in page  # the page
    form = by(page, "mark-sent")
    error = form[form.index('data-testid="action-error"') - 80 :]
    assert 'role="alert"' in error and 'class="error-line"' in error
    assert "earlier than the etiquette allows" in text(error)
    assert "--force" not in page  # said as the page's checkbox, not the CLI's flag
    assert "even before the cadence allows" in text(error)
    # and a line at the top of the page points at it
    assert 'href="#action-error"' in page and "Not done:" in text(page)


def test_cancelling_twice_is_the_page_with_a_409_line_not_a_bare_page(web: Web, run: Run) -> None:
    iid = acme(run)
    assert web.post(f"/interviews/{iid}/cancel", follow_redirects=False).status_code == 303
    again = web.post(f"/interviews/{iid}/cancel")
    assert again.status_code == 409
    assert 'data-testid="interview"' in again.text and 'data-testid="history"' in again.text
    assert 'data-testid="action-error-summary"' in again.text


def test_reopen_of_an_open_interview_is_said_by_the_reopen_button(web: Web, run: Run) -> None:
    iid = acme(run)
    response = web.post(f"/interviews/{iid}/reopen")
    assert response.status_code == 409 and 'data-testid="interview"' in response.text
    assert "can be reopened" in text(response.text)


def test_a_refused_text_is_said_in_its_card_with_what_was_typed_kept(web: Web, run: Run) -> None:
    iid = acme(run)
    typed = "Thank you, Ada — my own words\x00"
    response = web.post(
        f"/interviews/{iid}/drafts",
        {"step": "1", "interviewer": "ada@acme.example", "subject": "Thanks", "body": typed},
    )
    assert response.status_code == 400
    card = response.text[response.text.index('data-testid="draft-card"') :]
    assert "the note contains a NUL character" in text(card[: card.index("</form>")])
    assert "Thank you, Ada — my own words" in html.unescape(card)  # not lost


def test_without_javascript_each_action_lands_on_its_section_with_its_notice_there(
    web: Web, run: Run
) -> None:
    iid = acme(run)
    cases = {
        f"/interviews/{iid}/sent": ({}, "history"),
        f"/interviews/{iid}/debrief": ({"skill": "PostgreSQL"}, "drafts"),
    }
    for path, (form, section) in cases.items():
        response = web.post(path, form, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == f"/interviews/{iid}?at={section}#{section}"
        page = web.get(response.headers["location"]).text
        start = page.index(f'id="{section}"')
        assert page.index('data-testid="flashes"') > start, section  # in that section
        assert page.count('data-testid="flashes"') == 1
    edit_form = {"location": "Room 4", "was": ""}
    edited = web.post(f"/interviews/{iid}/edit", edit_form, follow_redirects=False)
    assert edited.headers["location"] == f"/interviews/{iid}?at=edit#edit"
    page = web.get(edited.headers["location"]).text
    tag = re.search(r'<details id="edit"[^>]*>', page)
    assert tag is not None and " open" in tag.group(0)  # the form opens on its notice
    details = page[tag.start() : page.index("</details>", tag.start())]
    assert 'data-testid="flashes"' in details and "Room 4" in text(details)


def test_undo_from_a_notice_in_drafts_comes_back_to_drafts_with_its_notice_there(
    web: Web, run: Run
) -> None:
    iid = acme(run)
    kept = web.post(
        f"/interviews/{iid}/drafts",
        {"step": "1", "interviewer": "ada@acme.example", "subject": "Thanks",
         "body": "Dear Ada,\n\nThank you.\n\nGrace Hopper"},
        follow_redirects=False,
    )  # fmt: skip
    page = web.get(kept.headers["location"]).text
    drafts = page[page.index('id="drafts"') :]
    back = re.search(r'name="back" value="([^"]+)"', drafts)
    event = re.search(r'name="event" value="(\d+)"', drafts)
    assert back and event and back.group(1) == f"/interviews/{iid}?at=drafts#drafts"
    undone = web.post(
        f"/interviews/{iid}/undo",
        {"event": event.group(1), "back": back.group(1)},
        follow_redirects=False,
    )
    assert undone.headers["location"] == back.group(1)
    after = web.get(undone.headers["location"]).text
    notice = after[after.index('id="drafts"') :]
    assert "Undid: edited the thank-you" in text(notice[: notice.index("</div>")])
