"""Issue #11's cold trial on the dashboard's forms: a forged hidden field was a 500 page,
and a subject that can never be sent was stored (then `draft --eml` and the .eml link
refused it)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.web.conftest import Web
from tests.web.homes import add, ok


def acme(run: Run) -> int:
    ok(run("config", "set", "user.name", "Grace Hopper"))
    ok(run("config", "set", "user.email", "grace@example.org"))
    return add(run, "--company", "Acme", "--role", "Backend Engineer",
               "--at", "2026-11-20T10:00", "--tz", "Europe/Berlin",
               "--interviewer", "Ada Lovelace <ada@acme.example>")  # fmt: skip


def text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


@pytest.mark.parametrize(
    ("was", "says"),
    [("[" * 100_000, "too long"), ("[" * 10_000, "nested too deeply")],
    ids=["long", "deep"],
)
def test_a_forged_hidden_was_is_a_400_page_not_a_500(
    web: Web, run: Run, was: str, says: str
) -> None:
    iid = acme(run)
    before = run("show", str(iid), "--json").json["location"]
    response = web.post(f"/interviews/{iid}/edit", {"location": "Room 4", "was": was})
    assert response.status_code == 400
    assert f"the form's hidden values are {says}" in text(response.text)
    assert "[[[[[[" not in response.text  # not echoed back
    assert run("show", str(iid), "--json").json["location"] == before


def test_a_well_formed_was_still_edits(web: Web, run: Run) -> None:
    iid = acme(run)
    response = web.post(f"/interviews/{iid}/edit", {"location": "Room 4", "was": ""},
                        follow_redirects=False)  # fmt: skip
    assert response.status_code == 303
    assert run("show", str(iid), "--json").json["location"] == "Room 4"


@pytest.mark.parametrize(
    "subject",
    [
        "Thanks\rBcc: eve@evil.example",
        "Thanks\x0bagain",
        "Thanks\x0cagain",
        "Thanks\x1cagain",
        "Thanks\x1dagain",
        "Thanks\x1eagain",
        "Thanks\u2028again",
        "Thanks\u2029again",
        "Thanks =?utf-8?b?DQpCY2M6IGV2ZUBldmlsLmV4YW1wbGU=?=",  # "\r\nBcc: eve@evil.example"
    ],
    ids=["cr", "vt", "ff", "fs", "gs", "rs", "u2028", "u2029", "encoded-crlf"],
)
def test_a_subject_that_can_never_be_sent_is_refused_by_its_field(
    web: Web, run: Run, subject: str
) -> None:
    iid = acme(run)
    before = run("draft", str(iid), "--json").json
    response = web.post(
        f"/interviews/{iid}/drafts",
        {"step": "1", "interviewer": "ada@acme.example", "subject": subject, "body": "Hi Ada"},
    )
    assert response.status_code == 400
    card = response.text[response.text.index('data-testid="draft-card"') :]
    said = text(card[: card.index("</form>")])
    assert "the subject contains a line break or NUL" in said
    assert "the subject must be one line" in said
    assert run("draft", str(iid), "--json").json == before  # nothing stored
    eml = web.get(f"/interviews/{iid}/eml?step=1")
    assert eml.status_code == 200  # the .eml link still works


@pytest.mark.parametrize(
    ("field", "said"),
    [
        ("subject", "the subject is 1,000 characters long: at most 998"),
        ("body", "the note is 20,001 characters long: at most 20,000"),
    ],
)
def test_a_draft_longer_than_an_import_takes_is_refused_when_kept(
    web: Web, run: Run, tmp_path: Path, field: str, said: str
) -> None:
    """A cold trial kept a 1,000-character subject and a 120 KB body, then could not move
    the home: its own JSON import refused them, and with them everything. The limits are
    now said when the text is kept — on the page, by the API and by `draft --edit`."""
    iid = acme(run)
    before = run("draft", str(iid), "--json").json
    typed = {"subject": "Thanks", "body": "Hi Ada"}
    typed[field] = "x" * (1_000 if field == "subject" else 20_001)
    response = web.post(
        f"/interviews/{iid}/drafts", {"step": "1", "interviewer": "ada@acme.example", **typed}
    )
    assert response.status_code == 400
    assert said in text(response.text)
    api = web.client.put(
        f"/api/interviews/{iid}/drafts",
        json={"step": 1, "interviewer": "ada@acme.example", **typed},
        headers={"Origin": "http://127.0.0.1:8765", "X-CSRF-Token": web.csrf},
    )
    assert api.status_code == 400 and said in api.text, api.text
    assert run("draft", str(iid), "--json").json == before  # nothing stored
    exported = tmp_path / "moved.json"
    assert run("export", "-o", str(exported)).code == 0
    moved = run("--home", str(tmp_path / "new"), "import", str(exported))
    assert moved.code == 0, moved.err  # what was kept moves


def test_draft_edit_in_the_cli_refuses_it_too(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same use-case: `draft --edit` with an encoded line break in the subject."""
    iid = acme(run)
    edited = "Subject: Hi =?utf-8?q?there=0D=0ABcc:_eve@evil.example?=\n\nHi Ada\n"
    monkeypatch.setattr("click.edit", lambda *a, **k: edited)
    r = run("draft", str(iid), "--edit")
    assert r.code == 4, r.err
    assert "the subject contains a line break or NUL once its encoded-words are decoded" in r.err
    assert r.err.count("\n") == 1
