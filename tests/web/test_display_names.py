"""The dashboard shows people as a header writes them: a display name that looks like
"Name <address>" is quoted, and the real address is the one in <> beside it."""

from __future__ import annotations

from html import escape

from markupsafe import escape as jinja_escape

from tests.conftest import Run
from tests.web.conftest import Web

POSING = '"Ada <ada@acme.example>" <mallory@evil.example>'


def test_a_name_that_looks_like_an_address_cannot_pose_as_one(web: Web, run: Run) -> None:
    added = run("add", "--company", "Acme", "--role", "Dev", "--at", "2026-11-23T14:00",
                "--interviewer", POSING, "--json")  # fmt: skip
    assert added.code == 0, added.err
    iid = added.json["id"]
    page = web.get(f"/interviews/{iid}").text
    # the With list, the timeline, the edit form's panel, the debrief form's choice of
    # person, the draft heading; and the names of the draft's five buttons (Keep my text,
    # Download .eml, Save to Drafts, Send, Send when due — "Send — 1 · thank-you to …")
    assert page.count(str(jinja_escape(POSING))) == 5 + 5
    assert "Ada &lt;ada@acme.example&gt; &lt;mallory" not in page
    assert escape(POSING) in web.get("/").text  # Today's rows: escaped by html.escape
