"""Correcting the record in the dashboard (issue #14): the history on the interview page,
Undo after every action and on the history, Reopen, Cancel, the edit form and a later
round chosen from the list of applications."""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

from tests.conftest import Run
from tests.web.conftest import ORIGIN, Web
from tests.web.homes import add, ok

HTMX = {"HX-Request": "true", "HX-Target": "agenda"}


def acme(run: Run) -> int:
    return add(
        run, "--company", "Acme", "--role", "Backend Engineer", "--at", "2026-11-23T14:00",
        "--tz", "Europe/Berlin", "--interviewer", "Ada Lovelace <ada@acme.example>",
    )  # fmt: skip


def status(run: Run, iid: int) -> str:
    return str(run("show", str(iid), "--json").json["status"])


def undo_buttons(html: str) -> list[str]:
    """The change ids the page's Undo buttons (notice and history) would take back."""
    return re.findall(r'name="event" value="(\d+)"', html)


def text(html: str) -> str:
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", html))


def test_the_interview_page_lists_its_history_in_the_users_zone(web: Web, run: Run) -> None:
    iid = acme(run)
    ok(run("expect", str(iid), "--by", "2026-11-30"))
    page = web.get(f"/interviews/{iid}").text
    history = page[page.index('data-testid="history"') :]
    changes = re.findall(r'data-testid="change" data-kind="(\w+)"', history)
    assert changes == ["expected", "added"]  # newest first
    # when: the clock's now (Wed 25 Nov 12:00 UTC) in the user's zone (Europe/Berlin)
    assert "Wed 25 Nov 2026 13:00 CET" in history
    assert 'data-testid="change-source">cli<' in history
    assert "they promised news by Mon 30 Nov 2026" in history


def test_undone_changes_are_struck_through(web: Web, run: Run) -> None:
    iid = acme(run)
    ok(run("sent", str(iid), "--force"))
    ok(run("undo", str(iid)))
    page = web.get(f"/interviews/{iid}").text
    assert re.search(r'data-kind="sent" data-undone="true"', page)
    assert re.search(r"<del[^>]*>recorded the thank-you", page)
    assert 'data-kind="undo"' in page


def test_they_replied_then_undo_from_the_notice_waits_again(web: Web, run: Run) -> None:
    iid = acme(run)
    response = web.post(f"/interviews/{iid}/replied", follow_redirects=False)
    assert response.status_code == 303
    page = web.get(response.headers["location"]).text
    notice = page[page.index('data-testid="flashes"') :]
    assert "Done:" in notice and "they replied" in text(notice)
    assert 'data-testid="undo-notice"' in notice
    assert status(run, iid) == "replied"
    [event] = re.findall(r'name="event" value="(\d+)"', notice)[:1]

    undone = web.post(
        f"/interviews/{iid}/undo", {"event": event, "back": f"/interviews/{iid}"},
        follow_redirects=False,
    )  # fmt: skip
    assert undone.status_code == 303
    assert undone.headers["location"] == f"/interviews/{iid}"
    assert status(run, iid) == "waiting"
    after = web.get(undone.headers["location"]).text
    assert "Undid: they replied" in text(after)
    assert "Next: the thank-you" in text(after)


def test_after_an_htmx_action_on_today_the_agenda_shows_the_undo_notice(web: Web, run: Run) -> None:
    iid = acme(run)
    fragment = web.post(
        f"/interviews/{iid}/sent", {"back": "/", "force": "true"}, headers=HTMX
    ).text
    assert 'data-testid="undo-notice"' in fragment
    assert 'name="back" value="/"' in fragment  # Undo comes back to Today
    assert "recorded the thank-you" in text(fragment)


def test_every_action_offers_undo(web: Web, run: Run) -> None:
    iid = acme(run)
    actions = [
        (f"/interviews/{iid}/debrief", {"topics": "the billing rewrite"}),
        (f"/interviews/{iid}/sent", {"force": "true"}),  # 2 h before it is due
        (f"/interviews/{iid}/cancel", {}),
        (f"/interviews/{iid}/reopen", {}),
    ]
    for path, data in actions:
        response = web.post(path, data, follow_redirects=False)
        assert response.status_code == 303, (path, response.text)
        page = web.get(response.headers["location"]).text
        assert 'data-testid="undo-notice"' in page, path


def test_the_history_has_an_undo_button_on_the_latest_change_only(web: Web, run: Run) -> None:
    iid = acme(run)
    ok(run("sent", str(iid), "--force"))
    ok(run("expect", str(iid), "--by", "2026-12-04"))
    events = run("history", str(iid), "--json").json
    page = web.get(f"/interviews/{iid}").text
    assert page.count('data-testid="undo-latest"') == 1
    assert undo_buttons(page) == [str(events[-1]["id"])]  # the promised date, not the sent


def test_a_stale_undo_button_takes_back_nothing(web: Web, run: Run) -> None:
    iid = acme(run)
    ok(run("sent", str(iid), "--force"))
    first = str(run("history", str(iid), "--json").json[-1]["id"])
    ok(run("expect", str(iid), "--by", "2026-12-04"))  # changed since the page was shown
    refused = web.post(f"/interviews/{iid}/undo", {"event": first}, follow_redirects=False)
    # answered on the page the Undo was on (its history), never left on the POST's address
    assert refused.status_code == 303
    assert refused.headers["location"] == f"/interviews/{iid}?at=history#history"
    response = web.get(refused.headers["location"])
    assert 'data-testid="undo-error"' in response.text
    assert "changed since" in response.text
    assert [e["undone_by"] for e in run("history", str(iid), "--json").json] == [None] * 3


def test_nothing_to_undo_is_one_line_in_the_page_not_a_500(web: Web, run: Run) -> None:
    iid = acme(run)
    response = web.post(f"/interviews/{iid}/undo")
    assert response.status_code == 200 and str(response.url).endswith("?at=history#history")
    line = re.search(r'data-testid="undo-error" role="alert"[^>]*>([^<]*)<', response.text)
    assert line and "was just added" in html_lib.unescape(line.group(1))
    assert 'data-testid="history"' in response.text  # the page, with the error in view


def test_a_note_that_left_by_mail_is_refused_then_can_be_recorded_as_not_sent(
    web: Web, run: Run
) -> None:
    iid = acme(run)
    sent = ok(run("sent", str(iid), "--force"))
    assert sent
    # what the mail use-case records when a note really left (app/sending.py)
    from followup.app import events
    from followup.bootstrap import open_context

    ctx = open_context(None)
    with ctx.store.transaction():
        prior = events.before(ctx, iid)
        events.record(ctx, iid, events.MAILED, "the thank-you was sent", prior, source="web")
    # never offered as an Undo that is then refused (issue #16 trial item 4): the history
    # says it cannot be unsent and offers only to record it as not sent
    page = web.get(f"/interviews/{iid}").text
    assert 'data-testid="undo-latest"' not in page
    assert "cannot be unsent" in html_lib.unescape(page)
    assert 'data-testid="undo-never-arrived"' in page
    refused = web.post(f"/interviews/{iid}/undo")  # a plain undo (a script): still refused
    assert str(refused.url).endswith("#history") and "cannot be unsent" in refused.text
    event = re.search(r'name="event" value="(\d+)">\s*<input type="hidden" name="force"', page)
    assert event
    forced = web.post(
        f"/interviews/{iid}/undo", {"event": event.group(1), "force": "1"}, follow_redirects=False
    )
    assert forced.status_code == 303
    assert run("history", str(iid), "--json").json[-2]["undone_by"] is not None


def test_reopen_is_offered_on_an_ended_interview(web: Web, run: Run) -> None:
    iid = acme(run)
    ok(run("replied", str(iid)))
    page = web.get(f"/interviews/{iid}").text
    assert 'data-testid="reopen"' in page and 'data-testid="mark-sent"' not in page
    response = web.post(f"/interviews/{iid}/reopen", follow_redirects=False)
    assert response.status_code == 303
    assert status(run, iid) == "waiting"
    assert "Next: the thank-you" in text(web.get(f"/interviews/{iid}").text)


def test_reopen_of_an_open_interview_is_a_409_line(web: Web, run: Run) -> None:
    iid = acme(run)
    response = web.post(f"/interviews/{iid}/reopen")
    assert response.status_code == 409
    assert (
        "only a closed, replied, cancelled, rejected or role-closed sequence can be reopened"
        in response.text
    )


def test_the_api_twins(web: Web, run: Run) -> None:
    iid = acme(run)
    ok(run("replied", str(iid)))
    history = web.api("GET", f"/api/interviews/{iid}/history").json()
    assert [e["kind"] for e in history] == ["added", "replied"]
    undone = web.api("POST", f"/api/interviews/{iid}/undo", json={"event": history[-1]["id"]})
    assert undone.status_code == 200, undone.text
    assert undone.json()["status"] == "waiting"
    again = web.api("POST", f"/api/interviews/{iid}/undo")
    assert again.status_code == 409 and again.json()["exit_code"] == 5


def test_a_forged_undo_is_refused(web: Web, run: Run) -> None:
    iid = acme(run)
    ok(run("replied", str(iid)))
    no_token = web.client.post(f"/interviews/{iid}/undo", headers={"Origin": ORIGIN})
    assert no_token.status_code == 403
    elsewhere = web.client.post(
        f"/interviews/{iid}/undo",
        data={"csrf_token": web.csrf},
        headers={"Origin": "http://evil.example"},
    )
    assert elsewhere.status_code == 403
    assert status(run, iid) == "replied"


# --- the edit form ------------------------------------------------------------------------


def form_of(web: Web, iid: int) -> dict[str, str]:
    """The edit form's fields as the page fills them in (what a browser would send)."""
    page = web.get(f"/interviews/{iid}").text
    form = page[page.index('id="edit-form"') : page.index("</form>", page.index('id="edit-form"'))]
    fields = dict(re.findall(r'<input[^>]* name="(\w+)"[^>]* value="([^"]*)"', form))
    fields.pop("csrf_token")
    assert "tz" in fields  # the zone is a text field (one zone field everywhere)
    for select in ("culture",):
        block = form[form.index(f'name="{select}"') :]
        block = block[: block.index("</select>")]
        found = re.search(r"<option(?: value=\"[^\"]*\")? selected>([^<]*)<", block)
        assert found, select
        fields[select] = html_lib.unescape(found.group(1))
    checked = re.search(r'name="primary" value="([^"]+)"[^>]* checked', form)
    if checked:
        fields["primary"] = checked.group(1)
    return {k: html_lib.unescape(v) for k, v in fields.items()}


def test_the_edit_form_shows_the_interview_as_it_is(web: Web, run: Run) -> None:
    iid = acme(run)
    fields = form_of(web, iid)
    assert fields["at"] == "2026-11-23T14:00"  # in the interview's zone, for datetime-local
    assert fields["tz"] == "Europe/Berlin"
    assert (fields["company"], fields["role"], fields["culture"]) == (
        "Acme", "Backend Engineer", "other",
    )  # fmt: skip
    assert fields["duration"] == "60"
    page = web.get(f"/interviews/{iid}").text
    assert '<input type="datetime-local" name="at"' in page
    assert re.search(r'<input name="tz" id="edit-tz"[^>]*value="Europe/Berlin"', page)
    assert '<option value="Asia/Kolkata">' in page  # every zone offered as the user types


def test_moving_the_interview_by_the_form_replans_and_offers_undo(web: Web, run: Run) -> None:
    iid = acme(run)
    before = run("show", str(iid), "--json").json
    fields = {**form_of(web, iid), "at": "2026-11-24T10:00", "tz": "Europe/London"}
    response = web.post(f"/interviews/{iid}/edit", fields, follow_redirects=False)
    assert response.status_code == 303, response.text
    shown = run("show", str(iid), "--json").json
    assert shown["tz"] == "Europe/London" and shown["start"] == "2026-11-24T10:00:00Z"
    assert shown["notes"][0]["due_at"] != before["notes"][0]["due_at"]
    assert shown["company"] == "Acme"  # what was not changed stays
    page = web.get(response.headers["location"]).text
    assert "to Tue 24 Nov 2026 10:00 GMT" in text(page)
    assert 'data-testid="undo-notice"' in page
    [event] = re.findall(r'name="event" value="(\d+)"', page)[:1]
    web.post(f"/interviews/{iid}/undo", {"event": event})
    assert run("show", str(iid), "--json").json["start"] == before["start"]


def test_the_form_sets_company_culture_country_and_the_panel(web: Web, run: Run) -> None:
    iid = acme(run)
    fields = {
        **form_of(web, iid),
        "company": "Acme Corp",
        "culture": "corporate",
        "country": "gb",
        "location": "Room 4",
        "add_name": "Bob Stone",
        "add_email": "bob@acme.example",
    }
    assert web.post(f"/interviews/{iid}/edit", fields, follow_redirects=False).status_code == 303
    shown = run("show", str(iid), "--json").json
    assert shown["company"] == "Acme Corp" and shown["application"]["culture"] == "corporate"
    assert shown["application"]["country"] == "GB" and shown["location"] == "Room 4"
    assert [p["email"] for p in shown["interviewers"]] == ["ada@acme.example", "bob@acme.example"]

    # the primary contact by its radio button, then Bob removed by his own button
    fields = {**form_of(web, iid), "primary": "bob@acme.example"}
    assert web.post(f"/interviews/{iid}/edit", fields, follow_redirects=False).status_code == 303
    people = run("show", str(iid), "--json").json["interviewers"]
    assert [p["primary"] for p in people] == [False, True]
    page = web.get(f"/interviews/{iid}").text
    assert page.count('data-testid="edit-remove"') == 2
    removed = web.post(
        f"/interviews/{iid}/edit", {"remove": "bob@acme.example"}, follow_redirects=False
    )
    assert removed.status_code == 303, removed.text
    people = run("show", str(iid), "--json").json["interviewers"]
    assert [p["email"] for p in people if not p.get("removed")] == ["ada@acme.example"]
    assert "removed Bob Stone" in text(web.get(f"/interviews/{iid}").text)


def test_an_edit_error_is_one_line_next_to_the_form_with_the_input_kept(web: Web, run: Run) -> None:
    iid = acme(run)
    fields = {**form_of(web, iid), "company": "Acme Two", "country": "XX9", "location": "HQ"}
    response = web.post(f"/interviews/{iid}/edit", fields)
    assert response.status_code == 400
    error = re.search(r'data-testid="edit-error" role="alert">([^<]*)<', response.text)
    assert error and "two-letter ISO code" in html_lib.unescape(error.group(1))
    assert 'id="edit" data-testid="edit" class="edit" open' in response.text
    assert 'value="Acme Two"' in response.text and 'value="XX9"' in response.text
    assert run("show", str(iid), "--json").json["company"] == "Acme"  # nothing written


def test_an_unchanged_form_changes_nothing(web: Web, run: Run) -> None:
    iid = acme(run)
    response = web.post(f"/interviews/{iid}/edit", form_of(web, iid), follow_redirects=False)
    assert response.status_code == 303
    assert "Nothing changed." in web.get(f"/interviews/{iid}").text
    assert [e["kind"] for e in run("history", str(iid), "--json").json] == ["added"]


def test_moving_a_closed_interview_says_reopen_first(web: Web, run: Run) -> None:
    iid = acme(run)
    ok(run("replied", str(iid)))
    fields = {**form_of(web, iid), "at": "2026-11-24T10:00"}
    response = web.post(f"/interviews/{iid}/edit", fields)
    assert response.status_code == 409
    assert "reopen it first" in html_lib.unescape(response.text)


def test_the_edit_api_twin(web: Web, run: Run) -> None:
    iid = acme(run)
    response = web.api(
        "POST", f"/api/interviews/{iid}/edit", json={"duration": 45, "role": "Staff Engineer"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["changed"] == [
        "length: 60 → 45 minutes",
        "role: Backend Engineer → Staff Engineer",
    ]
    bad = web.api("POST", f"/api/interviews/{iid}/edit", json={"tz": "Mars/Olympus"})
    assert bad.status_code == 400 and bad.json()["exit_code"] == 4


def test_a_forged_edit_is_refused(web: Web, run: Run) -> None:
    iid = acme(run)
    response = web.client.post(
        f"/interviews/{iid}/edit", data={"company": "Evil"}, headers={"Origin": ORIGIN}
    )
    assert response.status_code == 403
    assert run("show", str(iid), "--json").json["company"] == "Acme"


# --- a later round, picked from the list of applications ----------------------------------


def test_the_add_page_picks_a_later_round_from_the_applications_by_name(web: Web, run: Run) -> None:
    acme(run)
    add(run, "--company", "Globex", "--role", "SRE", "--at", "2026-11-20T10:00")
    page = web.get("/add").text
    select = page[page.index('<select name="application"') :]
    select = select[: select.index("</select>")]
    options = [text(o).strip() for o in re.findall(r"<option[^>]*>[^<]*</option>", select)]
    assert options[1:] == [
        "Globex — SRE (round 1 so far)",
        "Acme — Backend Engineer (round 1 so far)",
    ]
    assert 'type="number" min="1" name="application"' not in page  # no raw id to type


def test_a_later_round_from_the_list_inherits_zone_people_and_skill(web: Web, run: Run) -> None:
    first = add(
        run, "--company", "Globex", "--role", "SRE", "--at", "2026-11-16T10:00",
        "--tz", "America/New_York", "--interviewer", "Carol Danvers <carol@globex.example>",
        "--skill", "Terraform",
    )  # fmt: skip
    application = run("show", str(first), "--json").json["application"]["id"]
    page = web.get(f"/interviews/{first}").text
    assert f'href="/add?application={application}"' in page
    chosen = web.get(f"/add?application={application}").text
    assert re.search(rf'<option value="{application}" selected>Globex — SRE', chosen)

    asked = web.post("/add", {"at": "2026-11-24T09:00", "application": str(application)})
    assert asked.status_code == 409  # round 1's thank-you is unsent: the form asks first
    assert 'data-testid="add-confirm-submit"' in asked.text
    assert len(run("list", "--json").json) == 1
    response = web.post(
        "/add", {"at": "2026-11-24T09:00", "application": str(application), "end_unsent": "1"},
        follow_redirects=False,
    )  # fmt: skip
    assert response.status_code == 303, response.text
    second = int(response.headers["location"].rsplit("/", 1)[1])
    shown = run("show", str(second), "--json").json
    assert shown["round"] == 2 and (shown["company"], shown["role"]) == ("Globex", "SRE")
    assert shown["tz"] == "America/New_York"  # not the user's Europe/Berlin
    assert shown["start"] == "2026-11-24T14:00:00Z"  # 09:00 read in New York
    assert [p["email"] for p in shown["interviewers"]] == ["carol@globex.example"]
    assert [d["skill"] for d in shown["debrief"]] == ["Terraform"]
    assert run("show", str(first), "--json").json["status"] == "advanced"


def test_an_application_that_is_not_there_is_a_404_page(web: Web, run: Run) -> None:
    acme(run)
    page = web.get("/add?application=999")
    assert page.status_code == 404
    assert "no application with id 999" in page.text
    response = web.post("/add", {"at": "2026-11-24T09:00", "application": "999"})
    assert response.status_code == 404
    assert len(run("list", "--json").json) == 1  # nothing added
    assert web.get("/add?application=abc").status_code in (400, 404)


def test_a_long_history_shows_the_newest_fifty_and_links_to_all(web: Web, run: Run) -> None:
    iid = acme(run)
    for day in range(1, 61):
        ok(run("expect", str(iid), "--by", f"2026-12-{day % 28 + 1:02d}"))
    page = web.get(f"/interviews/{iid}").text
    assert page.count('data-testid="change"') == 50
    assert "Show all 61 changes" in page
    every = web.get(f"/interviews/{iid}?history=all").text
    assert every.count('data-testid="change"') == 61
    assert 'data-kind="added"' in every and 'data-testid="all-changes"' not in every


def test_keeping_a_drafts_text_in_place_offers_undo_in_the_card(web: Web, run: Run) -> None:
    iid = acme(run)
    page = web.get(f"/interviews/{iid}").text
    dom_id = re.search(r'name="dom_id" value="(draft-\d-\d+)"', page)
    assert dom_id
    fragment = web.post(
        f"/interviews/{iid}/drafts",
        {"step": "1", "subject": "Thank you", "body": "Dear Ada,\n\nThanks.\n\nJamie",
         "dom_id": dom_id.group(1)},
        headers={"HX-Request": "true", "HX-Target": dom_id.group(1)},
    )  # fmt: skip
    assert fragment.status_code == 200
    assert 'data-testid="undo-notice"' in fragment.text
    assert "edited the thank-you" in text(fragment.text)
    # Undo lands on Drafts, its notice shown there (issue #16)
    assert f'name="back" value="/interviews/{iid}?at=drafts#drafts"' in fragment.text


def test_a_later_round_with_another_company_typed_is_refused_not_attached(
    web: Web, run: Run
) -> None:
    first = acme(run)
    application = run("show", str(first), "--json").json["application"]["id"]
    response = web.post(
        "/add",
        {"company": "Globex", "role": "SRE", "at": "2026-11-24T09:00",
         "application": str(application)},
    )  # fmt: skip
    assert response.status_code == 400
    assert "keeps its company and role" in html_lib.unescape(response.text)
    assert len(run("list", "--json").json) == 1
    same = web.post(
        "/add",
        {
            "company": "acme",
            "at": "2026-11-24T09:00",
            "application": str(application),
            "end_unsent": "1",
        },
        follow_redirects=False,
    )
    assert same.status_code == 303  # the application's own name, in any case, is fine


def test_a_form_left_open_while_another_tab_edited_reverts_nothing(web: Web, run: Run) -> None:
    """Found trying it: tab A's save wrote back the company and culture tab B had changed."""
    iid = acme(run)
    tab_a = form_of(web, iid)
    tab_b = {**form_of(web, iid), "company": "Acme Corp", "culture": "corporate"}
    assert web.post(f"/interviews/{iid}/edit", tab_b, follow_redirects=False).status_code == 303
    tab_a = {**tab_a, "duration": "90"}
    response = web.post(f"/interviews/{iid}/edit", tab_a, follow_redirects=False)
    assert response.status_code == 303, response.text
    shown = run("show", str(iid), "--json").json
    assert (shown["company"], shown["application"]["culture"]) == ("Acme Corp", "corporate")
    assert shown["duration_minutes"] == 90


def test_blanking_the_company_says_it_cannot_be_empty(web: Web, run: Run) -> None:
    iid = acme(run)
    response = web.post(f"/interviews/{iid}/edit", {**form_of(web, iid), "company": ""})
    assert response.status_code == 400
    assert "the company cannot be empty" in text(response.text)
    assert run("show", str(iid), "--json").json["company"] == "Acme"


def test_someone_removed_is_marked_and_no_longer_offered_for_a_debrief(web: Web, run: Run) -> None:
    iid = acme(run)
    fields = {**form_of(web, iid), "add_name": "Bob Stone", "add_email": "bob@acme.example"}
    web.post(f"/interviews/{iid}/edit", fields, follow_redirects=False)
    web.post(f"/interviews/{iid}/edit", {"remove": "bob@acme.example"}, follow_redirects=False)
    page = web.get(f"/interviews/{iid}").text
    people = page[page.index("<dt>With</dt>") : page.index("</dd>", page.index("<dt>With</dt>"))]
    assert "Bob Stone" in people and "removed: no more notes" in people
    debrief = page[page.index('id="debrief-interviewer"') :]
    assert "bob@acme.example" not in debrief[: debrief.index("</select>")]


def test_a_misspelt_address_is_corrected_from_the_edit_form(web: Web, run: Run) -> None:
    """The edit form listed names only and could correct nobody in place."""
    iid = acme(run)
    who = run("show", str(iid), "--json").json["interviewers"][0]
    page = web.get(f"/interviews/{iid}").text
    assert 'data-testid="edit-correct-email"' in page and f'value="{who["email"]}"' in page
    form = {"correct_who": who["email"], "correct_name": "Ada Lovelace",
            "correct_email": "ada.lovelace@acme.example"}  # fmt: skip
    response = web.post(f"/interviews/{iid}/edit", form, follow_redirects=False)
    assert response.status_code == 303, response.text
    [person] = run("show", str(iid), "--json").json["interviewers"]
    assert (person["id"], person["email"]) == (who["id"], "ada.lovelace@acme.example")
    again = web.post(
        f"/interviews/{iid}/edit", {**form, "correct_who": "ada.lovelace@acme.example"}
    )
    assert again.status_code == 400 and "that is how it is already" in text(again.text)


def test_a_failed_note_shows_its_reason_and_try_again_puts_it_back(
    web: Web, run: Run, home: Path
) -> None:
    from followup.adapters.mail.fake import FakeMailer
    from followup.adapters.mail.message import compose
    from followup.app import sending
    from followup.bootstrap import open_context

    ok(run("config", "set", "user.name", "Grace"))
    iid = add(
        run, "--company", "Acme", "--role", "Backend Engineer", "--at", "2026-11-23T14:00",
        "--tz", "Europe/Berlin", "--interviewer", "Ada Lovelace <ada@acme.example>",
        "--topic", "the billing rewrite", "--skill", "PostgreSQL",
    )  # fmt: skip
    mailer = FakeMailer()
    mailer.fail_next(550)
    outbox = sending.Outbox("Grace <g@example.org>", "g@example.org", compose, mailer, None)
    ctx = open_context(str(home))
    [result] = sending.send_interview(ctx, outbox, iid, to_drafts=False, force=True, backoff=())
    assert result.outcome == "failed", result.detail

    # Today's "Now" and the board's next action say it, with Try again
    today = web.get("/").text
    row = today[today.index('data-testid="failed-row"') :]
    row = text(row[: row.index("</li>")])
    assert "the thank-you to Ada Lovelace" in row and "failed:" in row and "550" in row
    assert "Try again" in row
    board = web.get("/pipeline").text
    assert "Fix and resend the thank-you to Ada Lovelace" in text(board)

    page = web.get(f"/interviews/{iid}").text
    failed = page[page.index('data-testid="failed-note"') :]
    assert "Not delivered:" in text(failed) and "550" in text(failed)
    assert 'aria-label="Try again: the thank-you to Ada Lovelace"' in failed

    response = web.post(
        f"/interviews/{iid}/retry", {"interviewer": "ada@acme.example"}, follow_redirects=False
    )
    assert response.status_code == 303
    after = web.get(response.headers["location"]).text
    assert 'data-testid="failed-note"' not in after
    assert 'data-testid="failed-row"' not in web.get("/").text
    assert "pending again" in text(after) and 'data-testid="undo-notice"' in after
    assert next(n["state"] for n in run("show", str(iid), "--json").json["notes"]) == "pending"

    again = web.post(f"/interviews/{iid}/retry", follow_redirects=False)
    assert again.status_code == 409 and "no failed note" in text(again.text)


def _failed_thank_you(run: Run, home: Path) -> int:
    """Acme's thank-you to Ada, refused by her server (550)."""
    from followup.adapters.mail.fake import FakeMailer
    from followup.adapters.mail.message import compose
    from followup.app import sending
    from followup.bootstrap import open_context

    ok(run("config", "set", "user.name", "Grace"))
    iid = add(
        run, "--company", "Acme", "--role", "Backend Engineer", "--at", "2026-11-23T14:00",
        "--tz", "Europe/Berlin", "--interviewer", "Ada Lovelace <ada@acme.example>",
        "--topic", "the billing rewrite", "--skill", "PostgreSQL",
    )  # fmt: skip
    mailer = FakeMailer()
    mailer.fail_next(550)
    outbox = sending.Outbox("Grace <g@example.org>", "g@example.org", compose, mailer, None)
    ctx = open_context(str(home))
    [result] = sending.send_interview(ctx, outbox, iid, to_drafts=False, force=True, backoff=())
    assert result.outcome == "failed", result.detail
    return iid


def test_a_failed_note_can_be_let_go_from_today_with_undo(web: Web, run: Run, home: Path) -> None:
    iid = _failed_thank_you(run, home)
    today = web.get("/").text
    assert 'aria-label="Let it go: the thank-you to Ada Lovelace"' in today
    response = web.post(f"/interviews/{iid}/dismiss-failed",
                        {"interviewer": "ada@acme.example", "back": "/"},
                        follow_redirects=False)  # fmt: skip
    assert response.status_code == 303 and response.headers["location"] == "/"
    today = web.get("/").text
    assert 'data-testid="failed-row"' not in today  # off "Now"
    assert "the failed thank-you to Ada Lovelace is let go" in text(today)
    assert "Fix and resend" not in text(web.get("/pipeline").text)  # and off the card
    # still failed (never planned again for Ada), still on the interview page with Try again
    assert next(n["state"] for n in run("show", str(iid), "--json").json["notes"]) == "failed"
    assert 'data-testid="retry"' in web.get(f"/interviews/{iid}").text
    # Undo brings it back
    event = re.search(r'name="event" value="(\d+)"', today)
    assert event is not None
    undone = web.post(f"/interviews/{iid}/undo", {"event": event.group(1), "back": "/"})
    assert undone.status_code == 200
    assert 'data-testid="failed-row"' in web.get("/").text
    assert "Fix and resend the thank-you to Ada Lovelace" in text(web.get("/pipeline").text)
    # let go again, then Try again: pending, and a new failure would show again
    web.post(f"/interviews/{iid}/dismiss-failed", {"back": "/"})
    web.post(f"/interviews/{iid}/retry")
    assert next(n["state"] for n in run("show", str(iid), "--json").json["notes"]) == "pending"
    none_left = web.post(f"/interviews/{iid}/dismiss-failed", follow_redirects=False)
    assert none_left.status_code == 409 and "no failed note" in text(none_left.text)
    api = web.api("POST", f"/api/interviews/{iid}/dismiss-failed", json={})
    assert api.status_code == 409


def test_a_sent_note_is_no_longer_offered_for_sending(web: Web, run: Run) -> None:
    """Issue #16's trial: after Ada's thank-you went out, her card still had an active Send
    and "Mark sent" still named her; pressing either said "no pending note"."""
    iid = add(
        run, "--company", "Acme", "--role", "Backend Engineer", "--at", "2026-11-23T14:00",
        "--tz", "Europe/Berlin", "--interviewer", "Ada Lovelace <ada@acme.example>",
        "--interviewer", "Bob Babbage <bob@acme.example>",
    )  # fmt: skip
    ok(run("sent", str(iid), "--interviewer", "ada@acme.example", "--force"))
    page = web.get(f"/interviews/{iid}").text
    cards = re.findall(
        r'(data-testid="draft-card".*?)(?=data-testid="draft-card"|</section>)', page, re.S
    )
    by_person = {re.search(r'data-interviewer="([^"]*)"', c).group(1): c for c in cards}  # type: ignore[union-attr]
    assert "Sent Wed 25 Nov 2026 13:00 CET" in " ".join(text(by_person["ada@acme.example"]).split())
    assert 'data-testid="mail-actions"' not in by_person["ada@acme.example"]
    assert 'data-testid="draft-settled"' not in by_person["bob@acme.example"]
    # "Mark sent" has only Bob left: no choice of person to offer
    assert 'data-testid="mark-sent-to"' not in page


def test_the_add_and_edit_forms_choose_from_the_settings_list(run: Run, web: Web) -> None:
    """Issue #16's trial: "Germany" in the Add form's two-letter box became GE (Georgia)."""
    page = web.get("/add").text
    assert '<select name="country" id="add-country"' in page
    assert '<option value="DE">Germany (DE)</option>' in page
    assert 'maxlength="2"' not in page
    iid = add(run, "--company", "Acme", "--role", "Eng", "--at", "2026-11-16T10:00",
              "--tz", "Europe/Berlin", "--country", "DE")  # fmt: skip
    edit = web.get(f"/interviews/{iid}").text
    assert '<select name="country" id="edit-country"' in edit
    assert '<option value="DE" selected>Germany (DE)</option>' in edit


def test_a_bounced_address_links_to_where_it_is_corrected(web: Web, run: Run) -> None:
    """A cold trial on a phone (session 16): "address bounced: no more notes", and nothing
    said where to put it right (Edit, closed, further down)."""
    bounce = Path(__file__).parent.parent / "fixtures" / "mail"
    bounce /= "synthesized_bounce_with_our_message_id_attached.eml"
    iid = add(
        run, "--company", "Acme", "--role", "Engineer", "--at", "2026-11-20T10:00:00Z",
        "--interviewer", "Ada Lovelace <ada@acme.example>",
        "--interviewer", "Bob <bob@acme.example>",
    )  # fmt: skip
    ok(run("sent", str(iid)))
    ok(run("receive", str(bounce)))
    page = web.get(f"/interviews/{iid}").text
    fix = page[page.index('data-testid="bounced-fix"') - 60 :]
    assert 'href="?correct=ada%40acme.example#edit"' in fix[:200], fix[:200]
    assert '<details id="edit" data-testid="edit" class="edit">' in page  # closed until asked
    opened = web.get(f"/interviews/{iid}?correct=ada@acme.example").text
    assert '<details id="edit" data-testid="edit" class="edit" open>' in opened
    corrects = re.findall(r'<details class="correct" data-testid="edit-correct"( open)?>', opened)
    assert corrects == [" open", ""]  # Ada's, not Bob's
