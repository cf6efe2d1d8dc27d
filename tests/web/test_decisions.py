"""Decisions the use-cases own, seen through the dashboard: the "too early" warning, a tone."""

from __future__ import annotations

from tests.conftest import Run
from tests.web.conftest import Web


def _interview(run: Run) -> str:
    r = run("add", "--company", "Acme", "--role", "Eng", "--at", "2026-11-16T10:00",
            "--tz", "Europe/Berlin", "--interviewer", "Ada <ada@acme.example>",
            "--json")  # fmt: skip
    assert r.code == 0, r.err
    return str(r.json["id"])


def test_mark_sent_early_names_the_rule_of_the_step_it_broke(web: Web, run: Run) -> None:
    iid = _interview(run)  # ended 2026-11-16 10:00 UTC
    refused = web.post(f"/interviews/{iid}/sent", {"at": "2026-11-17T09:00Z", "back": "/"})
    assert refused.status_code == 409
    assert (
        "that is 1 day 1 h earlier than the etiquette allows (48 h after the interview): if the"
        " thank-you really went out then, tick “even before the cadence allows” under Mark sent"
        " on the interview page"
    ) in refused.text.replace("&#39;", "'")
    assert run("show", iid, "--json").json["notes"][0]["state"] == "pending"
    page = web.post(f"/interviews/{iid}/sent", {"at": "2026-11-17T09:00Z", "back": "/",
                    "force": "true"}, follow_redirects=True).text  # fmt: skip
    assert "That was 1 day 1 h earlier than the etiquette allows (48 h after the interview)." in (
        page
    )
    page = web.post(f"/interviews/{iid}/sent", {"at": "2026-11-23T09:00Z", "back": "/",
                    "force": "true"}, follow_redirects=True).text  # fmt: skip
    assert (
        "That was 1 day earlier than the etiquette allows (7 days after the thank-you was sent)."
        in page
    )
    assert "48 h after the interview" not in page
    assert f"Interview {iid}: recorded the follow-up (1 note) as sent. Next: the final note" in page


def test_an_unknown_tone_is_refused_by_the_debrief_itself(web: Web, run: Run) -> None:
    iid = _interview(run)
    response = web.api("POST", f"/api/interviews/{iid}/debrief", json={"tone": "loud"})
    assert response.status_code == 400
    assert "unknown tone 'loud'" in response.text
    assert run("draft", iid, "--json").json["tone_reason"].startswith("neutral: culture unknown")
    ok = web.api("POST", f"/api/interviews/{iid}/debrief", json={"tone": "casual"})
    assert ok.status_code == 200, ok.text
    assert run("draft", iid, "--json").json["tone"] == "casual"


def test_a_custom_cadence_is_named_on_today_and_settings(web: Web, run: Run) -> None:
    _interview(run)
    assert 'data-testid="custom-cadence"' not in web.get("/").text
    assert run("config", "set", "policy.custom", "true").code == 0
    for page in (web.get("/").text, web.get("/settings").text):
        assert 'data-testid="custom-cadence">Custom cadence: your own timing' in page


def test_the_dashboard_refuses_a_reply_before_the_interview_and_names_who_replied(
    web: Web, run: Run
) -> None:
    iid = _interview(run)  # ended 2026-11-16 10:00 UTC
    early = web.api("POST", f"/api/interviews/{iid}/replied", json={"at": "2026-11-16T09:30Z"})
    assert early.status_code == 400 and "before the interview ended" in early.text
    stranger = web.api(
        "POST", f"/api/interviews/{iid}/replied", json={"interviewer": "x@y.example"}
    )
    assert stranger.status_code == 404
    ok = web.api("POST", f"/api/interviews/{iid}/replied", json={"interviewer": "ADA@acme.example"})
    assert ok.status_code == 200, ok.text
    assert run("show", iid, "--json").json["inbound"][0]["from_addr"] == "ada@acme.example"


def test_the_interview_page_marks_one_panellists_note_sent_at_a_time_picked(
    web: Web, run: Run
) -> None:
    r = run("add", "--company", "Acme", "--role", "Eng", "--at", "2026-11-16T10:00",
            "--tz", "Europe/Berlin", "--interviewer", "Ada <ada@acme.example>",
            "--interviewer", "Bob <bob@acme.example>", "--json")  # fmt: skip
    iid = str(r.json["id"])
    page = web.get(f"/interviews/{iid}").text
    assert 'data-testid="mark-sent-to"' in page and 'data-testid="mark-sent-at"' in page
    assert '<option value="bob@acme.example">' in page
    # a datetime-local value is the user's time (Europe/Berlin): 19 Nov 10:00 = 09:00Z
    form = {"interviewer": "bob@acme.example", "at": "2026-11-19T10:00", "back": "/"}
    assert web.post(f"/interviews/{iid}/sent", form, follow_redirects=False).status_code == 303
    shown = run("show", iid, "--json").json
    emails = {p["id"]: p["email"] for p in shown["interviewers"]}
    sent = {emails[n["interviewer_id"]]: n["sent_at"] for n in shown["notes"] if n["sent_at"]}
    assert sent == {"bob@acme.example": "2026-11-19T09:00:00Z"}
