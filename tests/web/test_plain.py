"""The pages say a fix as the page's own form or button, never a CLI flag, and times in the
user's zone, never UTC (issue #16: "Save to Drafts on a note not yet due refuses with a CLI
flag (`--force`) and a time in UTC")."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest

from followup.app import sending, wording
from followup.domain.lint.rules import Finding, Severity
from followup.domain.policy import ARTICLE_POLICY
from followup.web.plain import plain
from tests.conftest import Run
from tests.integration.smtp_sink import Sink, smtp_sink  # noqa: F401  (the fixture)
from tests.integration.test_sending import configure
from tests.web.conftest import Web
from tests.web.homes import add, ok
from tests.web.mailjob import lines, press, settled

pytestmark = pytest.mark.integration

FLAG = re.compile(r"(?<![\w-])--[a-z][a-z-]*")


def visible(page: str) -> str:
    """A page's text as read (scripts, styles, a zone picker's options and tags left out)."""
    text = re.sub(r"<(script|style|select|datalist)\b.*?</\1>", "", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", text))


def flags_on(page: str) -> list[str]:
    """The CLI flags a page's visible text names."""
    return FLAG.findall(visible(page))


def test_each_cli_fix_is_said_as_the_pages_form() -> None:
    cases = {
        'no specific point from the conversation: debrief it (followup debrief 7 --topic "…"),'
        " then draft again": "no specific point from the conversation: debrief it (the Debrief"
        " form above — A specific point you discussed), then draft again",
        '"Hello," names nobody: say how to greet them (followup debrief 7 --interviewer'
        ' ada@acme.example --greeting "Ms. Lin")': '"Hello," names nobody: say how to greet them'
        " (the Debrief form above — About: ada@acme.example, Greet them as: Ms. Lin)",
        "neutral: culture unknown (followup edit ID --culture corporate|startup)": "neutral:"
        " culture unknown (Edit, above — Culture: corporate or startup)",
        "interview 3 has no note pending (replied); use --step N to preview": "interview 3 has"
        " no note pending (replied); preview a step below",
        "interview 3: mailed — a message that left cannot be unsent; if the record is wrong (it"
        " never arrived), `followup undo 3 --force` records it as not sent": "interview 3:"
        " mailed — a message that left cannot be unsent; if the record is wrong (it never"
        " arrived), “It never arrived: record it as not sent” does that",
        "cannot tell the company from invite.ics: pass --company": "cannot tell the company"
        " from invite.ics: type the company",
        "3 attendees: kept the first 2 as interviewers (one note each); add others with"
        " `followup add --application`": "3 attendees: kept the first 2 as interviewers (one"
        " note each); add the others in Edit",
        "a new application needs both --company and --role": "a new application needs both a"
        " company and a role",
        "the topic 'We talked.' is a sentence: a topic is what you discussed, e.g. 'x'; a"
        " sentence goes in the note (--note)": "the topic 'We talked.' is a sentence: a topic"
        " is what you discussed, e.g. 'x'; a sentence goes in the note (Something new to add"
        " in a later note)",
        "none (--country none)": "none (Country: none)",
        "37 days after the interview, past its moment: a thank-you this late reads oddly (to"
        " send it all the same: followup send 4 --interviewer ada@acme.example)": "37 days"
        " after the interview, past its moment: a thank-you this late reads oddly (“Send now”"
        " on its card sends it)",
        "none known for Etc/GMT+3 (set one with --country CC)": "none known for Etc/GMT+3 (set"
        " one in Edit: Country)",
        wording.NEXT_ROUND_PROPOSED: "next round proposed: add it (“Add the next round” on the"
        " interview page, or import the invitation on Add)",
    }
    for message, shown in cases.items():
        assert plain(message) == shown
    refused = wording.too_early_refusal(ARTICLE_POLICY, 1, timedelta(hours=30))
    assert "--force" in refused and FLAG.findall(plain(refused)) == []
    assert "even before the cadence allows" in plain(refused)
    blocked = sending.lint_refusal(
        7,
        [
            Finding("no-skill", Severity.ERROR, "no relevant skill: add one"),
            Finding("placeholder", Severity.ERROR, "a placeholder is left: [Name]"),
        ],
    )
    assert blocked is not None and "no-skill: " in blocked  # the CLI's line names the rule
    assert plain(blocked) == (
        "the draft needs fixing first — no relevant skill: add one; a placeholder is left:"
        " [Name] (edit its text in the draft)"
    )
    # what names no flag is left as it is (a company called "--x--" is not a flag to rewrite)
    assert plain("Acme — a thank-you to Ada") == "Acme — a thank-you to Ada"


def test_a_refused_send_says_the_due_time_in_the_users_zone_and_no_flag(
    web: Web,
    run: Run,
    smtp_sink: Sink,  # noqa: F811
) -> None:
    configure(run, smtp_sink)
    # yesterday: the thank-you is not due for another day (now: Wed 25 Nov 12:00 UTC)
    iid = add(run, "--company", "Acme", "--role", "Backend Engineer", "--at",
              "2026-11-24T10:00", "--tz", "Europe/Berlin", "--topic", "the billing rewrite",
              "--skill", "PostgreSQL",
              "--interviewer", "Ada Lovelace <ada@acme.example>")  # fmt: skip
    [notice] = lines(settled(web, iid, press(web, iid, "send").text), "error")
    assert notice.startswith("Not sent: not due until Thu 26 Nov 2026"), notice
    assert "CET" in notice and "UTC" not in notice and FLAG.findall(notice) == [], notice
    assert "“Send when due” sends it then" in notice
    assert smtp_sink.received == []


def test_marking_sent_too_early_from_today_names_no_flag(web: Web, run: Run) -> None:
    ok(run("config", "set", "user.name", "Grace Hopper"))
    iid = add(run, "--company", "Acme", "--role", "Backend Engineer", "--at",
              "2026-11-25T09:00", "--tz", "Europe/Berlin",
              "--interviewer", "Ada Lovelace <ada@acme.example>")  # fmt: skip
    response = web.post(f"/interviews/{iid}/sent", {"back": "/"}, headers={"HX-Request": "true"})
    assert response.status_code == 409
    message = html.unescape(re.search(r'id="error-message"[^>]*>([^<]*)', response.text)[1])
    assert "earlier than the etiquette allows" in message, message
    assert FLAG.findall(message) == [], message
    assert "even before the cadence allows" in message


def test_no_page_of_a_home_with_gaps_names_a_flag(web: Web, run: Run) -> None:
    """No topic, no skill, a culture not given, a reply: the lint findings, the tone's reason
    and the notices all name the page's fix."""
    ok(run("config", "set", "user.name", "Grace Hopper"))
    bare = add(run, "--company", "Acme", "--role", "Backend Engineer", "--at",
               "2026-11-20T10:00", "--tz", "Europe/Berlin",
               "--interviewer", "Ada Lovelace <ada@acme.example>",
               "--interviewer", "Bob Stone <bob@acme.example>")  # fmt: skip
    replied = add(run, "--company", "Globex", "--role", "SRE", "--at", "2026-11-19T10:00",
                  "--interviewer", "Carol Danvers <carol@globex.example>")  # fmt: skip
    ok(run("replied", str(replied)))
    no_holidays = add(run, "--company", "Initech", "--role", "SRE",
                      "--at", "2026-11-19T10:00", "--country", "none",
                      "--interviewer", "Dan <dan@initech.example>")  # fmt: skip
    assert "none (Country: none)" in web.get(f"/interviews/{no_holidays}").text
    page = web.get(f"/interviews/{bare}").text
    assert 'data-rule="no-specific-point"' in page and "culture unknown" in page
    shown = (bare, f"{bare}?step=2", replied, no_holidays)
    for path in ("/", *(f"/interviews/{i}" for i in shown), "/pipeline", "/add", "/stats",
                 "/settings"):  # fmt: skip
        page = web.get(path).text
        assert flags_on(page) == [], path
        # the user lives in Europe/Berlin (Settings' note on fixed offsets names no time)
        page = re.sub(r'<p class="hint" data-testid="zone-signs">.*?</p>', "", page)
        assert "UTC" not in visible(page), path
    undo = web.post(f"/interviews/{replied}/undo", {"event": "999999"})
    assert flags_on(undo.text) == []
