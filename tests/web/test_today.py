"""Today as a to-do list (issue #16): groups, the count chips as filters, Snooze and its undo,
the advice for a thank-you left far too long, a later round's number."""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta
from pathlib import Path

from tests.conftest import Result, Run
from tests.web.conftest import Web
from tests.web.homes import add, ok, realistic

MAIL = Path(__file__).parent.parent / "fixtures" / "mail"

HTMX = {"HX-Request": "true", "HX-Target": "agenda"}


def due_of(run: Run, iid: int) -> datetime:
    rows = run("agenda", "--json").json
    [row] = [r for r in rows if r["interview_id"] == iid]
    return datetime.fromisoformat(row["due_at"])


def group(html: str, key: str) -> str:
    """The rows of one group's table ('' when the group is not on the page)."""
    found = re.search(rf'data-testid="agenda-{key}".*?</table>', html, re.S)
    return found.group(0) if found else ""


def met_again(run: Run, first: tuple[str, ...], second: tuple[str, ...]) -> tuple[int, Result]:
    """Round 1 at Acme on Monday 23 Nov with `first`, then round 2 on Wednesday 25 Nov
    09:00 with `second`, told after it took place (the test's now): round 1's id, and
    what adding round 2 said."""
    people = [a for p in first for a in ("--interviewer", f"{p} <{p.lower()}@acme.example>")]
    iid = add(run, "--company", "Acme", "--role", "Eng", "--at", "2026-11-23T10:00", *people)
    app = run("show", str(iid), "--json").json["application"]["id"]
    later = [a for p in second for a in ("--interviewer", f"{p} <{p.lower()}@acme.example>")]
    added = run("add", "--application", str(app), "--at", "2026-11-25T09:00", *later)
    assert added.code == 0, added.err
    return iid, added


def test_today_groups_now_this_week_and_later(web: Web, run: Run) -> None:
    ids = realistic(run)
    later = add(run, "--company", "Wayne", "--role", "Eng", "--at", "2026-12-14T10:00")
    html = web.get("/").text
    assert [m for m in re.findall(r'data-testid="group-(\w+)"', html)] == ["now", "week", "later"]
    assert "Globex" in group(html, "now") and "Acme" not in group(html, "now")
    assert "Acme" in group(html, "week") and "Umbrella" in group(html, "week")
    assert f'id="agenda-row-{later}"' in group(html, "later")
    assert f'id="agenda-row-{ids["globex"]}"' not in group(html, "later")


def test_the_count_chips_are_links_that_filter_the_list(web: Web, run: Run) -> None:
    ids = realistic(run)
    html = web.get("/").text
    assert 'href="/?only=fading" data-testid="count-fading"><strong>1</strong>' in html
    fading = web.get("/?only=fading").text
    assert f'id="agenda-row-{ids["globex"]}"' in fading
    assert f'id="agenda-row-{ids["acme"]}"' not in fading
    # the chips still count everything, the chosen one is marked, and "all" goes back
    assert 'data-testid="count-upcoming"><strong>2</strong>' in fading
    assert 'href="/?only=fading" data-testid="count-fading" aria-current="true"' in fading
    assert 'href="/" data-testid="count-all"' in fading
    upcoming = web.get("/?only=upcoming").text
    assert f'id="agenda-row-{ids["acme"]}"' in upcoming
    assert f'id="agenda-row-{ids["globex"]}"' not in upcoming
    assert 'data-testid="nothing-due">Nothing due right now.' in web.get("/?only=due").text


def test_an_unknown_filter_is_a_400_page(web: Web, run: Run) -> None:
    realistic(run)
    response = web.get("/?only=everything")
    assert response.status_code in (400, 422)
    assert "Traceback" not in response.text


def test_snooze_moves_the_note_and_undo_puts_it_back(web: Web, run: Run) -> None:
    ids = realistic(run)
    acme = ids["acme"]
    before = due_of(run, acme)
    response = web.post(f"/interviews/{acme}/snooze", {"span": "1d", "back": "/"}, headers=HTMX)
    assert response.status_code == 200
    assert "snoozed" in response.text and 'data-testid="undo-notice"' in response.text
    after = due_of(run, acme)
    assert after >= before + timedelta(days=1)
    history = run("history", str(acme)).out
    assert "snoozed: no note before" in history
    event = re.search(r'name="event" value="(\d+)"', response.text)
    assert event, response.text
    undone = web.post(
        f"/interviews/{acme}/undo", {"event": event.group(1), "back": "/"}, follow_redirects=False
    )
    assert undone.status_code == 303
    assert due_of(run, acme) == before


def test_snooze_keeps_the_filter_it_came_from(web: Web, run: Run) -> None:
    ids = realistic(run)
    response = web.post(
        f"/interviews/{ids['acme']}/snooze",
        {"span": "3d", "back": "/?only=upcoming"},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert 'data-testid="count-upcoming" aria-current="true"' in response.text
    assert f'id="agenda-row-{ids["globex"]}"' not in response.text


def test_snooze_next_week_without_js_redirects_back(web: Web, run: Run) -> None:
    ids = realistic(run)
    response = web.post(
        f"/interviews/{ids['umbrella']}/snooze",
        {"span": "week", "back": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/"
    # Monday 30 Nov, 09:00 in London (the interviewer's window opens)
    assert due_of(run, ids["umbrella"]).isoformat() == "2026-11-30T09:00:00+00:00"


def test_a_bad_snooze_is_refused_and_changes_nothing(web: Web, run: Run) -> None:
    ids = realistic(run)
    before = due_of(run, ids["acme"])
    response = web.post(f"/interviews/{ids['acme']}/snooze", {"span": "forever", "back": "/"})
    assert response.status_code == 400
    assert "1 day, 3 days or next week" in response.text
    assert due_of(run, ids["acme"]) == before
    ended = web.post(f"/interviews/{ids['initech']}/snooze", {"span": "1d", "back": "/"})
    assert ended.status_code == 409


def test_each_row_has_its_own_snooze_choices(web: Web, run: Run) -> None:
    realistic(run)
    html = web.get("/").text
    labels = re.findall(r'aria-label="(Snooze [^"]*)"', html)
    assert "Snooze 1 day — Acme, Ada Lovelace, Bob Stone" in labels
    assert "Snooze next week — Acme, Ada Lovelace, Bob Stone" in labels
    assert len(labels) == len(set(labels))
    # Globex's thank-you is fading: never snoozed, so not offered (app/snoozing.py)
    assert 'class="row fading"' in html and not [w for w in labels if "Globex" in w]


def test_a_thank_you_forty_days_late_is_not_pushed_as_send_now(web: Web, run: Run) -> None:
    iid = add(run, "--company", "Oldco", "--role", "Eng", "--at", "2026-10-16T10:00",
              "--interviewer", "Olga <olga@old.example>")  # fmt: skip
    recent = add(run, "--company", "Newco", "--role", "Eng", "--at", "2026-11-13T10:00",
                 "--interviewer", "Nina <nina@new.example>")  # fmt: skip
    html = web.get("/").text
    row = re.search(rf'id="agenda-row-{iid}".*?</tr>', html, re.S)
    assert row is not None
    advice = re.search(r'data-testid="advice">([^<]*)<', row.group(0))
    assert advice is not None
    assert "send now" not in advice.group(1) and "let it go" in advice.group(1)
    fresh = re.search(rf'id="agenda-row-{recent}".*?</tr>', html, re.S)
    assert fresh is not None and "FADING: send now" in fresh.group(0)


def test_a_later_round_shows_its_number(web: Web, run: Run) -> None:
    first = add(run, "--company", "Acme", "--role", "Eng", "--at", "2026-11-20T10:00",
                "--interviewer", "Ada <ada@acme.example>")  # fmt: skip
    app_id = run("show", str(first), "--json").json["application_id"]
    ok(run("sent", str(first), "--at", "2026-11-23T10:00:00Z"))
    second = add(run, "--application", str(app_id), "--at", "2026-11-24T10:00")
    html = web.get("/").text
    row = re.search(rf'id="agenda-row-{second}".*?</tr>', html, re.S)
    assert row is not None and 'data-testid="round">round 2<' in row.group(0)
    assert 'data-testid="round"' not in html.split(f'id="agenda-row-{second}"')[0]
    assert run("agenda", "--json").json[0]["round"] in (1, 2)


def test_the_cli_and_the_api_snooze_through_the_same_use_case(web: Web, run: Run) -> None:
    ids = realistic(run)
    acme, umbrella = ids["acme"], ids["umbrella"]
    before = due_of(run, acme)
    result = run("snooze", str(acme), "--for", "3d")
    assert result.code == 0, result.err
    assert "snoozed (3 days)" in result.out and "Next: the thank-you" in result.out
    assert due_of(run, acme) >= before + timedelta(days=3)
    assert run("snooze", str(acme), "--for", "forever").code == 2  # click's choice
    replied = run("snooze", str(ids["initech"]), "--for", "1d")
    assert replied.code == 5 and "nothing to snooze" in replied.err
    answer = web.api("POST", f"/api/interviews/{umbrella}/snooze", json={"snooze": "week"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["plan"]["next"][0]["due_at"] == "2026-11-30T09:00:00Z"
    bad = web.api("POST", f"/api/interviews/{umbrella}/snooze", json={"snooze": "year"})
    assert bad.status_code in (400, 422)
    assert run("history", str(umbrella), "--json").json[-1]["kind"] == "snoozed"


def test_the_footer_says_let_it_go_for_a_thank_you_past_its_moment(web: Web, run: Run) -> None:
    add(run, "--company", "Oldco", "--role", "Eng", "--at", "2026-10-16T10:00",
        "--interviewer", "Olga <olga@old.example>")  # fmt: skip
    out = run("agenda").out
    assert "Past their moment" in out and "send those thank-you notes now" not in out
    html = web.get("/").text
    hints = re.findall(r'data-testid="fading-hint">([^<]*)<', html)
    assert len(hints) == 1 and hints[0].startswith("Past their moment")
    add(run, "--company", "Newco", "--role", "Eng", "--at", "2026-11-13T10:00",
        "--interviewer", "Nina <nina@new.example>")  # fmt: skip
    both = run("agenda").out
    assert "send those thank-you notes now" in both and "Past their moment" in both


def test_a_panels_mark_sent_asks_whose_note_and_when(web: Web, run: Run) -> None:
    """Issue #16 trial item 10: never every panellist as sent now without asking."""
    panel = add(run, "--company", "Kestrel", "--role", "Eng", "--at", "2026-11-20T10:00",
                "--interviewer", "Ada <ada@kestrel.example>",
                "--interviewer", "Bob <bob@kestrel.example>", "--topic", "x")  # fmt: skip
    alone = add(run, "--company", "Acme", "--role", "Eng", "--at", "2026-11-20T11:00",
                "--interviewer", "Dev <dev@acme.example>", "--topic", "y")  # fmt: skip
    page = web.get("/").text
    row = re.search(rf'id="agenda-row-{panel}".*?</tr>', page, re.S)
    assert row and 'data-testid="mark-panel"' in row.group(0)
    assert '<option value="bob@kestrel.example">Bob</option>' in row.group(0)
    assert 'name="at"' in row.group(0)
    single = re.search(rf'id="agenda-row-{alone}".*?</tr>', page, re.S)
    assert single and 'data-testid="mark-panel"' not in single.group(0)  # one click
    web.post(f"/interviews/{panel}/sent", {"interviewer": "bob@kestrel.example", "back": "/"})
    states = [n["state"] for n in run("show", str(panel), "--json").json["notes"][:2]]
    assert sorted(states) == ["pending", "sent"]


def test_a_thank_you_the_next_round_overtook_says_let_it_go_not_send_now(
    web: Web, run: Run
) -> None:
    """A cold trial (session 12): round 1's thank-you, never sent, stayed "FADING: send now"
    after round 2 took place with the same person: "thank you for Monday" after meeting
    again on Monday next. The agenda, Today and `show` now say to let it go, and why."""
    first = add(run, "--company", "Acme", "--role", "Eng", "--at", "2026-11-16T10:00",
                "--interviewer", "Ada <ada@acme.example>")  # fmt: skip
    app = run("show", str(first), "--json").json["application"]["id"]
    r = run("add", "--application", str(app), "--at", "2026-11-23T10:00", "--json",
            "--interviewer", "Ada <ada@acme.example>", now="2026-11-17T09:00:00Z")  # fmt: skip
    assert r.code == 0, r.err
    second = int(r.json["id"])
    ahead = run("agenda", "--json", now="2026-11-20T09:00:00Z").json  # round 2 still to come
    assert [(i["interview_id"], i["overtaken"]) for i in ahead] == [(first, False), (second, False)]
    rows = {i["interview_id"]: i for i in run("agenda", "--json").json}
    assert (rows[first]["overtaken"], rows[first]["past"]) == (True, True)
    assert rows[second]["overtaken"] is False and rows[second]["state"] == "due"
    out = run("agenda").out
    assert "let it go" in out and "you have met them again in a later round" in out, out
    assert "send those thank-you notes now" not in out  # round 1's is not "send now"
    assert "; 1 to let go." in out, out
    shown = run("show", str(first)).out
    assert "thank-you due — a later round has taken place since" in shown, shown
    drafted = run("draft", str(first)).out
    assert "agenda: a later round has taken place since" in drafted, drafted
    assert f"(followup dismiss {first} lets it go)" in drafted
    assert "agenda:" not in run("draft", str(second)).out
    assert "FADING" not in shown
    html = web.get("/").text
    row = re.search(rf'id="agenda-row-{first}".*?</tr>', html, re.S)
    assert row and "a later round has taken place since" in row.group(0)
    assert "send now" not in row.group(0)
    other = re.search(rf'id="agenda-row-{second}".*?</tr>', html, re.S)
    assert other and "due: send now" in other.group(0)
    # round 2 cancelled (added by mistake): its thank-you never comes, round 1's is due
    assert run("cancel", str(second)).code == 0
    again = {i["interview_id"]: i for i in run("agenda", "--json").json}[first]
    assert (again["overtaken"], again["fading"]) == (False, True)


def test_someone_not_met_again_is_still_to_thank(run: Run) -> None:
    """Session 13's trial: the recruiter's screen, then a technical round with someone
    else: the recruiter was never thanked (the worker handed the note back), though
    nothing about a later round makes thanking her odd."""
    first = add(run, "--company", "Northwind", "--role", "Analyst", "--at", "2026-11-16T10:00",
                "--interviewer", "Dana <dana@nw.example>")  # fmt: skip
    app = run("show", str(first), "--json").json["application"]["id"]
    r = run("add", "--application", str(app), "--at", "2026-11-23T10:00",
            "--interviewer", "Samir <samir@nw.example>", now="2026-11-17T09:00:00Z")  # fmt: skip
    assert r.code == 0, r.err
    rows = {i["interview_id"]: i for i in run("agenda", "--json").json}
    assert rows[first]["overtaken"] is False and rows[first]["fading"] is True
    assert "FADING: send now" in run("show", str(first)).out


def test_let_it_go_does_what_the_agenda_says_and_undo_takes_it_back(web: Web, run: Run) -> None:
    """Session 13's trial: the agenda said "let it go" and nothing did it (`dismiss` knew
    only failed notes, Today had no button): the row stayed on top, fading, for good."""
    first = add(run, "--company", "Acme", "--role", "Eng", "--at", "2026-11-16T10:00",
                "--interviewer", "Ada <ada@acme.example>")  # fmt: skip
    app = run("show", str(first), "--json").json["application"]["id"]
    again = run("add", "--application", str(app), "--at", "2026-11-23T10:00",
                "--interviewer", "Ada <ada@acme.example>", now="2026-11-17T09:00:00Z")  # fmt: skip
    assert again.code == 0, again.err
    # a thank-you past its moment, with no later round
    alone = add(run, "--company", "Oldco", "--role", "Eng", "--at", "2026-10-16T10:00",
                "--interviewer", "Olga <olga@old.example>")  # fmt: skip
    fresh = add(run, "--company", "Newco", "--role", "Eng", "--at", "2026-11-20T10:00",
                "--interviewer", "Nina <nina@new.example>")  # fmt: skip
    refused = run("dismiss", str(fresh))
    assert refused.code == 5 and "no note the agenda says to let go" in refused.err
    assert f"followup cancel {fresh}" in refused.err
    html = web.get("/").text
    row = re.search(rf'id="agenda-row-{first}".*?</tr>', html, re.S)
    assert row and 'data-testid="let-go"' in row.group(0)
    other = re.search(rf'id="agenda-row-{fresh}".*?</tr>', html, re.S)
    assert other and 'data-testid="let-go"' not in other.group(0)
    web.post(f"/interviews/{first}/let-go", {"back": "/"})
    shown = run("show", str(first), "--json").json
    assert shown["status"] == "advanced"
    assert [n["state"] for n in shown["notes"]] == ["cancelled"]
    assert first not in [i["interview_id"] for i in run("agenda", "--json").json]
    r = run("dismiss", str(alone), "--json")
    assert r.code == 0 and r.json == {"interview_id": alone, "dismissed": 1, "status": "closed"}
    assert run("undo", str(alone)).code == 0
    assert run("show", str(alone), "--json").json["status"] == "waiting"
    assert alone in [i["interview_id"] for i in run("agenda", "--json").json]


def test_let_it_go_pressed_twice_says_why_on_the_interview_page(web: Web, run: Run) -> None:
    """Session 13's third trial: a second press (a stale tab) gave a bare 409 page."""
    alone = add(run, "--company", "Oldco", "--role", "Eng", "--at", "2026-10-16T10:00",
                "--interviewer", "Olga <olga@old.example>")  # fmt: skip
    web.post(f"/interviews/{alone}/let-go", {"back": "/"})
    again = web.post(f"/interviews/{alone}/let-go", {"back": "/"}, follow_redirects=False)
    assert again.status_code == 409
    assert 'data-testid="action-error-summary"' in again.text
    assert "no note the agenda says to let go" in again.text


def test_a_panel_met_again_in_part_names_whose_thank_you_is_let_go(web: Web, run: Run) -> None:
    """Session 13's third trial: round 1 with Ada and Bob, round 2 with Ada alone: the row
    said "due" for both, and nothing said Ada's would be left."""
    first = add(run, "--company", "Acme", "--role", "Eng", "--at", "2026-11-16T10:00",
                "--interviewer", "Ada <ada@acme.example>",
                "--interviewer", "Bob <bob@acme.example>")  # fmt: skip
    app = run("show", str(first), "--json").json["application"]["id"]
    again = run("add", "--application", str(app), "--at", "2026-11-23T10:00",
                "--interviewer", "Ada <ada@acme.example>", now="2026-11-17T09:00:00Z")  # fmt: skip
    assert again.code == 0, again.err
    html = web.get("/").text
    row = re.search(rf'id="agenda-row-{first}".*?</tr>', html, re.S)
    assert row and "let go: Ada (met again since)" in row.group(0)
    assert 'data-testid="let-go"' not in row.group(0)  # Bob is still to thank


def test_a_later_round_told_after_it_took_place_still_thanks_whom_it_did_not_meet(
    run: Run,
) -> None:
    """Session 13 noticed: adding round 2 after it took place ended round 1 whole, so Dana,
    whom round 2 did not meet, was never thanked (nor was the user told). Round 1 stays
    open: Dana's thank-you is due, Ada's (met again) is the agenda's "let it go"."""
    first, r = met_again(run, ("Dana", "Ada"), ("Ada",))
    assert "will never be sent" not in r.err  # nothing ends unsent
    shown = run("show", str(first), "--json").json
    assert shown["status"] == "waiting"
    assert [n["state"] for n in shown["notes"]] == ["pending", "pending"]
    row = {i["interview_id"]: i for i in run("agenda", "--json").json}[first]
    assert row["overtaken"] is False  # Dana is still to thank
    assert "let go: Ada (met again since)" in run("agenda").out
    # everyone met again: the round moves on, as before, and the user is told
    solo = add(run, "--company", "Beta", "--role", "Eng", "--at", "2026-11-23T10:00",
               "--interviewer", "Ada <ada@beta.example>")  # fmt: skip
    app = run("show", str(solo), "--json").json["application"]["id"]
    r = run("add", "--application", str(app), "--at", "2026-11-25T09:00")  # the same person
    assert r.code == 0 and "will never be sent" in r.err, r.err
    assert run("show", str(solo), "--json").json["status"] == "advanced"


def test_a_round_told_late_keeps_a_fading_thank_you_the_agenda_says_to_send(run: Run) -> None:
    """Session 14's trial: round 2 typed in a week after round 1 ended round 1 — and Dana's
    thank-you, which the agenda had said a minute before to send now (fading) — though
    nobody met Dana again. It ends only once past its moment (the agenda's "let it go")."""
    first = add(run, "--company", "Acme", "--role", "Eng", "--at", "2026-11-16T10:00",
                "--interviewer", "Dana <dana@acme.example>",
                "--interviewer", "Ada <ada@acme.example>")  # fmt: skip
    app = run("show", str(first), "--json").json["application"]["id"]
    fading = {i["interview_id"]: i for i in run("agenda", "--json").json}[first]
    assert fading["fading"] is True
    r = run("add", "--application", str(app), "--at", "2026-11-24T09:00",
            "--interviewer", "Ada <ada@acme.example>")  # fmt: skip
    assert r.code == 0 and "will never be sent" not in r.err, r.err
    assert run("show", str(first), "--json").json["status"] == "waiting"
    # past its moment, the round moves on when a later round is added, and says so
    old = add(run, "--company", "Oldco", "--role", "Eng", "--at", "2026-10-20T10:00",
              "--interviewer", "Olga <olga@old.example>")  # fmt: skip
    app = run("show", str(old), "--json").json["application"]["id"]
    r = run("add", "--application", str(app), "--at", "2026-11-24T09:00",
            "--interviewer", "Pia <pia@old.example>")  # fmt: skip
    assert r.code == 0 and "will never be sent" in r.err, r.err
    assert run("show", str(old), "--json").json["status"] == "advanced"


def test_a_third_round_meeting_everyone_an_open_round_owed_ends_it_too(run: Run) -> None:
    """Session 14's trial: round 1 (Dana, Ada) stayed open after round 2 (Ada, Raj) for Dana;
    round 3 met Dana and Raj — round 1 owed nothing more, and stayed "waiting" with two
    "let it go" rows and no word from `add` (only the round just before was looked at)."""
    first = add(run, "--company", "Orbital", "--role", "Eng", "--at", "2026-11-20T10:00",
                "--interviewer", "Dana <dana@orbital.example>",
                "--interviewer", "Ada <ada@orbital.example>")  # fmt: skip
    app = str(run("show", str(first), "--json").json["application"]["id"])
    r = run("add", "--application", app, "--at", "2026-11-23T10:00",
            "--interviewer", "Ada <ada@orbital.example>",
            "--interviewer", "Raj <raj@orbital.example>")  # fmt: skip
    assert r.code == 0 and run("show", str(first), "--json").json["status"] == "waiting"
    r = run("add", "--application", app, "--at", "2026-11-24T15:00",
            "--interviewer", "Raj <raj@orbital.example>",
            "--interviewer", "Dana <dana@orbital.example>")  # fmt: skip
    assert r.code == 0, r.err
    assert f"Adding this round ends round 1 (interview {first})" in r.err
    assert run("show", str(first), "--json").json["status"] == "advanced"
    assert first not in [i["interview_id"] for i in run("agenda", "--json").json]


def test_once_the_others_are_thanked_a_round_met_again_moves_on_by_itself(run: Run) -> None:
    """Session 14's trial: Dana's thank-you sent, round 1 stayed open for good with only a
    "let it go" row for Ada (met again in round 2), until `dismiss`; the CSV round trip of
    the same home said "advanced"."""
    first, _ = met_again(run, ("Dana", "Ada"), ("Ada",))
    r = run("sent", str(first), "--interviewer", "dana@acme.example")
    assert r.code == 0 and "this one moved on" in r.out, r.out
    shown = run("show", str(first), "--json").json
    assert shown["status"] == "advanced"
    assert sorted(n["state"] for n in shown["notes"]) == ["cancelled", "sent"]
    assert "the thank-you to Ada is let go" in run("history", str(first)).out
    assert run("undo", str(first)).code == 0  # back to the "let it go" row
    row = {i["interview_id"]: i for i in run("agenda", "--json").json}[first]
    assert row["overtaken"] is True


def test_let_it_go_on_a_panel_met_again_in_part_says_who_is_still_to_thank(run: Run) -> None:
    """Session 14's trial: `dismiss` on a row reading "let go: Raj (met again since)" said
    the round had no note the agenda says to let go."""
    first, _ = met_again(run, ("Dana", "Raj"), ("Raj",))
    r = run("dismiss", str(first))
    assert r.code == 5
    assert (
        f"interview {first}: the thank-you to Dana is still to send; the one to Raj is let go"
        " once it has gone"
    ) in r.err, r.err
    assert run("show", str(first), "--json").json["status"] == "waiting"


def test_cancelling_the_round_that_ended_the_one_before_says_how_to_follow_it_up(
    web: Web, run: Run
) -> None:
    """Session 14's trial: round 2 (added with everyone of round 1, so round 1 moved on)
    cancelled: nothing was left to follow up, and nothing said round 1 could be reopened."""
    first = add(run, "--company", "Acme", "--role", "Eng", "--at", "2026-11-23T10:00",
                "--interviewer", "Ada <ada@acme.example>")  # fmt: skip
    app = run("show", str(first), "--json").json["application"]["id"]
    r = run("add", "--application", str(app), "--at", "2026-11-25T09:00", "--json")
    assert r.code == 0 and run("show", str(first), "--json").json["status"] == "advanced"
    second = int(r.json["id"])
    said = f"Round 1 (interview {first}) moved on when a later round was added: to follow it up again, followup reopen {first}."  # noqa: E501
    r = run("cancel", str(second))
    assert r.code == 0 and said in r.out, r.out
    assert run("reopen", str(first)).code == 0
    # the dashboard says it too
    other = add(run, "--company", "Beta", "--role", "Eng", "--at", "2026-11-23T10:00",
                "--interviewer", "Bo <bo@beta.example>")  # fmt: skip
    app = run("show", str(other), "--json").json["application"]["id"]
    later = int(
        run("add", "--application", str(app), "--at", "2026-11-25T09:00", "--json").json["id"]
    )
    page = web.post(f"/interviews/{later}/cancel", {})
    assert f"followup reopen {other}" in html.unescape(page.text)
    assert "followup reopen" not in run("cancel", str(first)).out  # nothing before round 1


def test_what_the_hiring_side_reads_is_capitalised_and_colleagues_get_different_words(
    run: Run,
) -> None:
    """Session 14's second trial: the To line said "john smith <…>" (the greeting said
    "John"); Carol in round 1 and Dave in round 2 got word for word the same note."""
    first = add(run, "--company", "globex", "--role", "data engineer", "--at", "2026-11-20T10:00",
                "--interviewer", "bob stone <bob@globex.example>",
                "--interviewer", "carol king <carol@globex.example>",
                "--topic", "the kafka migration", "--skill", "python")  # fmt: skip
    app = run("show", str(first), "--json").json["application"]["id"]
    r = run("add", "--application", str(app), "--at", "2026-11-24T10:00", "--json",
            "--interviewer", "dave lee <dave@globex.example>",
            "--topic", "the kafka migration")  # fmt: skip
    assert r.code == 0, r.err
    mine = ("--interviewer", "carol@globex.example", "--topic", "the kafka migration")
    assert run("debrief", str(first), *mine).code == 0
    carol = run("draft", str(first), "--interviewer", "carol@globex.example").out
    assert "To: Carol King <carol@globex.example>" in carol, carol
    dave = run("draft", str(r.json["id"]), "--interviewer", "dave@globex.example").out
    body = lambda text: text.split("\n\n", 1)[1].replace("Carol", "X").replace("Dave", "X")  # noqa: E731
    assert body(carol) != body(dave)
    assert "Globex" in dave and "globex" not in dave.replace("@globex", "")
    # the third trial's: a name shouted, and the user's own typed in lower case
    assert run("config", "set", "user.name", "sam rivera").code == 0
    other = add(run, "--company", "Acme", "--role", "Eng", "--at", "2026-11-20T10:00",
                "--interviewer", "DR. ALAN TURING <alan@acme.example>")  # fmt: skip
    drafted = run("draft", str(other)).out
    assert "To: Alan Turing <alan@acme.example>" in drafted, drafted
    assert "\nSam Rivera\n" in drafted, drafted  # signed as a name is written


def test_the_agenda_counts_a_row_to_let_go_as_that_not_as_overdue(run: Run, web: Web) -> None:
    """Session 14's trials: "2 open sequences: 1 due, 1 upcoming; 1 to let go" with no row
    due, and Today's chips said "1 overdue" for it."""
    first = add(run, "--company", "Acme", "--role", "Eng", "--at", "2026-11-16T10:00",
                "--interviewer", "Ada <ada@acme.example>")  # fmt: skip
    app = run("show", str(first), "--json").json["application"]["id"]
    r = run("add", "--application", str(app), "--at", "2026-11-23T10:00",
            "--interviewer", "Ada <ada@acme.example>", now="2026-11-17T09:00:00Z")  # fmt: skip
    assert r.code == 0, r.err
    out = run("agenda").out
    assert "2 open sequences: 1 due; 1 to let go." in out, out
    page = web.get("/").text
    assert re.search(r'data-testid="count-let-go"><strong>1</strong> to let go', page)
    assert re.search(r'data-testid="count-overdue"><strong>0</strong>', page)
    assert re.search(r'data-testid="count-fading"><strong>0</strong>', page)


def test_a_later_round_added_to_an_interview_id_says_which_application_is_meant(
    run: Run,
) -> None:
    """Session 14's trial: `add --application 2`, 2 being round 2's interview id (what
    `list` shows), said only "no application with id 2"."""
    first = add(run, "--company", "Acme", "--role", "Eng", "--at", "2026-11-16T10:00")
    app = run("show", str(first), "--json").json["application"]["id"]
    second = run("add", "--application", str(app), "--at", "2026-11-18T10:00", "--json")
    iid = int(second.json["id"])
    r = run("add", "--application", str(iid), "--at", "2026-11-20T10:00")
    assert r.code == 3
    assert (
        f"no application with id {iid} (interview {iid} is round 2 of application {app}:"
        f" --application {app})"
    ) in r.err, r.err


def test_no_two_colleagues_of_two_rounds_get_the_same_note(run: Run) -> None:
    """Session 14's third trial: round 1's panel of three and round 2's of two, each
    debriefed: Dirk's note was Anna's word for word but the topic. Five people and four
    ways to open a note: two may share one paragraph, never two."""
    people = {"anna": "the search ranking", "bob": "the payments API", "carla": "on-call",
              "dirk": "the data lake", "eva": "hiring plans"}  # fmt: skip
    rounds = (("anna", "bob", "carla"), ("dirk", "eva"))
    first = add(run, "--company", "Zalando SE", "--role", "Engineer", "--at", "2026-11-16T10:00",
                *[a for p in rounds[0] for a in ("--interviewer", f"{p} <{p}@z.example>")],
                "--skill", "Python")  # fmt: skip
    app = run("show", str(first), "--json").json["application"]["id"]
    r = run("add", "--application", str(app), "--at", "2026-11-20T10:00", "--json",
            *[a for p in rounds[1] for a in ("--interviewer", f"{p} <{p}@z.example>")])  # fmt: skip
    ids = (first, int(r.json["id"]))
    notes: dict[str, set[str]] = {}
    for iid, panel in zip(ids, rounds, strict=True):
        for p in panel:
            mine = ("--interviewer", f"{p}@z.example", "--topic", people[p])
            assert run("debrief", str(iid), *mine).code == 0
            out = run("draft", str(iid), "--interviewer", f"{p}@z.example").out
            body = out.split("\n\n", 1)[1].replace(people[p], "T").replace(p.title(), "X")
            notes[p] = set(body.split("\n\n")[1:3])  # the opening and the middle
    for a in people:
        for b in people:
            assert a == b or len(notes[a] & notes[b]) <= 1, (a, b, notes[a] & notes[b])


def test_a_draft_card_the_agenda_says_to_let_go_says_so_before_send(web: Web, run: Run) -> None:
    """Session 14's fourth trial: on the interview page, Anna's round-1 card (met again in
    round 2) said "Checked: it follows the etiquette" beside an active Send, and Send sent
    it: she had two near-identical thank-yous."""
    first, _ = met_again(run, ("Anna", "Bob"), ("Anna",))
    page = web.get(f"/interviews/{first}").text
    cards = dict(re.findall(r'data-interviewer="([^"]+)">(.*?)data-testid="lint"', page, re.S))
    assert 'data-testid="let-go-notice"' in cards["anna@acme.example"]
    assert "Send sends it all the same" in cards["anna@acme.example"]
    assert 'data-testid="let-go-notice"' not in cards["bob@acme.example"]  # Bob: thank him


def test_an_interview_every_address_of_bounced_shows_under_ended_lately(web: Web, run: Run) -> None:
    """A cold trial (session 15): cancelled by a bounce, it left Today without a word."""
    iid = add(run, "--company", "Acme", "--role", "Engineer", "--at", "2026-11-20T10:00",
              "--interviewer", "Ada Lovelace <ada@acme.example>")  # fmt: skip
    ok(run("sent", str(iid)))
    ok(run("receive", str(MAIL / "synthesized_bounce_with_our_message_id_attached.eml")))
    today = html.unescape(web.get("/").text)
    ended = today[today.index('data-testid="ended"') :]
    assert "ada@acme.example reaches nobody (it bounced): put the address right" in ended
    assert "with Edit on its page" in ended and "followup edit" not in ended
    assert f'href="/interviews/{iid}"' in ended


BOUNCE = MAIL / "synthesized_bounce_with_our_message_id_attached.eml"  # Ada's thank-you


def _panel_thanked(run: Run) -> int:
    """Ada and Bob, both thanked (the bounce fixture answers Ada's thank-you)."""
    iid = add(
        run, "--company", "Acme", "--role", "Engineer", "--at", "2026-11-20T10:00:00Z",
        "--interviewer", "Ada Lovelace <ada@acme.example>",
        "--interviewer", "Bob <bob@acme.example>",
    )  # fmt: skip
    ok(run("sent", str(iid)))
    return iid


def test_a_panellist_whose_address_bounced_is_named_now_until_put_right(web: Web, run: Run) -> None:
    """A cold trial (session 16): when one panellist's address bounced, Today said nothing
    (only the interview page did): the others' notes went on, theirs never arrived."""
    iid = _panel_thanked(run)
    assert 'data-testid="bounced-row"' not in web.get("/").text
    ok(run("receive", str(BOUNCE)))  # Ada's thank-you came back
    page = web.get("/").text
    assert "Now: not delivered" in page
    [row] = re.findall(r'<li data-testid="bounced-row">.*?</li>', page, re.S)
    said = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", row)).split())
    assert "Acme Engineer — Ada Lovelace <ada@acme.example>: the address bounced" in said
    assert f'href="/interviews/{iid}?correct=ada%40acme.example#edit"' in row
    assert "Bob" not in row
    ok(run("edit", str(iid), "--interviewer", "ada@acme.example", "--email", "ada@acme.org"))
    page = web.get("/").text
    assert 'data-testid="bounced-row"' not in page and "Now: not delivered" not in page
    shown = run("show", str(iid), "--json").json
    [ada] = [p["id"] for p in shown["interviewers"] if p["email"] == "ada@acme.org"]
    again = [
        n["kind"] for n in shown["notes"] if n["interviewer_id"] == ada and n["state"] == "pending"
    ]
    assert again == ["thank-you"]  # to the corrected address


def test_a_bounced_panellist_taken_off_the_panel_leaves_now(web: Web, run: Run) -> None:
    iid = _panel_thanked(run)
    ok(run("receive", str(BOUNCE)))
    assert 'data-testid="bounced-row"' in web.get("/").text
    ok(run("edit", str(iid), "--remove-interviewer", "ada@acme.example"))
    assert 'data-testid="bounced-row"' not in web.get("/").text


def test_a_thank_you_is_never_snoozed_into_fading(web: Web, run: Run) -> None:
    """A coach trial (session 17): a thank-you snoozed a week four times went 45 days after
    the interview, and neither Today nor the coach saw it late."""
    iid = add(
        run, "--company", "Acme", "--role", "Engineer", "--at", "2026-11-20T10:00:00Z",
        "--interviewer", "Ada Lovelace <ada@acme.example>",
    )  # fmt: skip
    week = run("snooze", str(iid), "--for", "week")  # Monday 30 Nov: ten days after it
    assert week.code == 5, week.out
    assert "the thank-you would wait until 9 days after the interview" in week.err
    assert "risks fading from memory" in week.err
    assert run("history", str(iid), "--json").json[-1]["kind"] != "snoozed"  # nothing done
    assert run("snooze", str(iid), "--for", "1d").code == 0  # a day is still a courtesy
    page = web.post(f"/interviews/{iid}/snooze", {"span": "week", "back": "/"})
    assert "risks fading from memory" in page.text


def test_on_ones_own_laptop_the_footer_says_the_data_stays_on_it(web: Web) -> None:
    footer = web.get("/").text.split('<footer class="bottom">')[1]
    assert "Local-first: your data stays on this machine." in footer  # server mode: the site's
