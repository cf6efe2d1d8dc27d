"""A later round that would end an earlier round's unsent thank-yous (issue #16 trial item 3):
the Add form says so before it happens and asks to confirm; the CLI warns with the same words;
one use-case decides (services.ends_unsent)."""

from __future__ import annotations

import html
import re

from tests.conftest import Run
from tests.web.conftest import Web

PANEL = ("Ada Lovelace <ada@acme.example>", "Bob Stone <bob@acme.example>",
         "Cy Young <cy@acme.example>")  # fmt: skip


def _first_round(run: Run) -> tuple[str, str]:
    people = [a for p in PANEL for a in ("--interviewer", p)]
    made = run("add", "--company", "Acme", "--role", "Backend Engineer",
               "--at", "2026-11-10T10:00:00Z", "--topic", "the billing rewrite", *people,
               "--json")  # fmt: skip
    assert made.code == 0, made.err
    return str(made.json["id"]), str(made.json["application_id"])


def _states(run: Run, iid: str) -> list[str]:
    return [n["state"] for n in run("show", iid, "--json").json["notes"]]


def _sentence(iid: str) -> str:
    return (
        f"Adding this round ends round 1 (interview {iid}): its thank-you to Ada Lovelace,"
        " Bob Stone and Cy Young (3 not sent; 3 of them overdue) will never be sent."
    )


def test_the_add_form_asks_before_a_later_round_ends_unsent_thank_yous(web: Web, run: Run) -> None:
    first, application = _first_round(run)
    form = {"application": application, "at": "2026-11-24T10:00"}
    asked = web.post("/add", form, follow_redirects=False)
    assert asked.status_code == 409  # nothing added yet: the form asks
    confirm = re.search(r'data-testid="add-confirm-text">([^<]*)<', asked.text)
    assert confirm and html.unescape(confirm.group(1)) == _sentence(first)
    assert (
        'data-testid="add-confirm-submit"' in asked.text
        and 'value="2026-11-24T10:00"' in asked.text
    )
    assert len(run("list", "--json").json) == 1 and "cancelled" not in _states(run, first)
    added = web.post("/add", {**form, "end_unsent": "1"}, follow_redirects=False)
    assert added.status_code == 303
    assert _states(run, first).count("cancelled") == 3
    page = html.unescape(web.get(added.headers["location"]).text)
    assert _sentence(first) in page  # said once more where the user lands


def test_the_cli_warns_with_the_same_words(run: Run) -> None:
    first, application = _first_round(run)
    r = run("add", "--application", application, "--at", "2026-11-24T10:00:00Z")
    assert r.code == 0, r.err
    assert f"warning: {_sentence(first)}" in r.err


def test_a_later_round_that_keeps_the_thank_you_asks_nothing(web: Web, run: Run) -> None:
    made = run("add", "--company", "Acme", "--role", "Dev", "--at", "2026-11-24T10:00:00Z",
               "--interviewer", PANEL[0], "--topic", "x", "--json")  # fmt: skip
    # the later round is ahead and the first is fresh: its thank-you still goes out
    form = {"application": str(made.json["application_id"]), "at": "2026-12-02T10:00"}
    assert web.post("/add", form, follow_redirects=False).status_code == 303
