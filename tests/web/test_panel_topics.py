"""A panel's topics typed on Add (issue #16): they reach the primary contact's note only, so
the form says whose note that is and whom to debrief, and the others' drafts link to the
Debrief form with that person chosen."""

from __future__ import annotations

import html as html_lib
import re

from followup.app import services
from followup.app.rows import NewInterviewer
from tests.conftest import Run
from tests.web.conftest import Web

PANEL = (
    "Ada Lovelace <ada@acme.example>\r\nGrace Hopper <grace@acme.example>\r\n"
    "Alan Turing <alan@acme.example>\r\n"
)


def test_whose_topics_names_the_primary_and_the_others() -> None:
    people = [
        NewInterviewer("Ada Lovelace", "ada@x.example"),
        NewInterviewer("Grace Hopper", "grace@x.example", primary=True),
        NewInterviewer("Alan Turing", "alan@x.example"),
    ]
    said = services.whose_topics(people)
    assert said is not None
    assert "into Grace Hopper's note only" in said
    assert "debrief Ada Lovelace and Alan Turing after the interview" in said
    assert services.whose_topics(people[:1]) is None


def test_add_says_whose_note_the_topics_go_into_and_the_drafts_link_to_debriefing(
    web: Web, run: Run
) -> None:
    assert 'data-testid="add-topics-whose"' in web.get("/add").text
    added = web.post(
        "/add",
        {
            "company": "Acme",
            "role": "Eng",
            "at": "2026-11-23T14:00",
            "tz": "Europe/Berlin",
            "interviewers": PANEL,
            "topics": "the billing rewrite\r\n",
        },
    )
    assert added.status_code == 200, added.text[:500]
    page = html_lib.unescape(added.text)
    assert "go into Ada Lovelace's note only; debrief Grace Hopper and Alan Turing after" in page
    [shown] = run("list", "--json").json
    drafts = web.get(f"/interviews/{shown['id']}?at=drafts").text
    links = re.findall(r'href="([^"]+)" data-testid="debrief-person">([^<]+)</a>', drafts)
    people = {name: html_lib.unescape(href) for href, name in links}
    assert set(people) == {"Debrief Grace Hopper", "Debrief Alan Turing"}  # not Ada: hers is fine
    chosen = web.get(people["Debrief Grace Hopper"].split("#")[0]).text
    form = re.search(
        r'<select name="interviewer" id="debrief-interviewer".*?</select>', chosen, re.S
    )
    assert form is not None
    assert re.search(r'<option value="grace@acme.example" selected>', form.group(0))
