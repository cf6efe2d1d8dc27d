"""Every page answers on a realistic home, and each JSON twin is exactly the CLI's --json."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Run
from tests.web.conftest import Web
from tests.web.homes import realistic


@pytest.fixture
def ids(run: Run) -> dict[str, int]:
    return realistic(run)


def cli_json(run: Run, *args: str) -> Any:
    result = run(*args, "--json")
    assert result.code == 0, result.err
    return result.json


def test_every_page_answers_on_a_realistic_home(web: Web, ids: dict[str, int]) -> None:
    pages = ["/", "/pipeline", "/pipeline?stage=interviewing&q=a", "/add", "/stats", "/settings"]
    pages += [f"/interviews/{i}" for i in ids.values()]
    for path in pages:
        response = web.get(path)
        assert response.status_code == 200, (path, response.text[:300])
        assert response.headers["content-type"].startswith("text/html")


def test_today_is_the_agenda_most_at_risk_first(web: Web, ids: dict[str, int]) -> None:
    html = web.get("/").text
    # globex (fading) before acme (due) before umbrella (upcoming follow-up)
    assert html.index("Globex") < html.index("Acme") < html.index("Umbrella")
    assert 'data-testid="count-fading"><strong>1</strong>' in html
    assert "Fading: send those thank-you notes now" in html
    assert 'data-testid="ended-row"' in html and "Initech" in html  # replied lately
    assert f'href="/interviews/{ids["acme"]}#drafts"' in html
    assert f'action="/interviews/{ids["acme"]}/sent"' in html
    assert "Hooli" not in html


def test_agenda_twin_equals_the_cli(web: Web, run: Run, ids: dict[str, int]) -> None:
    assert web.get("/api/agenda").json() == cli_json(run, "agenda")
    later = "2026-12-01T09:00"
    twin = web.get("/api/agenda", params={"as_of": later}).json()
    assert twin == cli_json(run, "agenda", "--as-of", later)


def test_pipeline_twin_equals_the_cli(web: Web, run: Run, ids: dict[str, int]) -> None:
    assert web.get("/api/interviews").json() == cli_json(run, "list")
    both = [("status", "waiting"), ("status", "replied")]
    twin = web.get("/api/interviews", params=both).json()
    assert twin == cli_json(run, "list", "--status", "waiting", "--status", "replied")
    assert {row["status"] for row in twin} == {"waiting", "replied"}


def test_pipeline_is_the_board_by_stage(web: Web, ids: dict[str, int]) -> None:
    html = web.get("/pipeline").text
    for stage in ("interviewing", "answered", "next-round", "offer", "rejected", "let-go"):
        assert f'data-testid="column-{stage}"' in html
    only = web.get("/pipeline?stage=cancelled").text
    assert "Hooli" in only and "Acme" not in only
    assert 'data-testid="column-interviewing"' not in only


def test_interview_twins_equal_the_cli(web: Web, run: Run, ids: dict[str, int]) -> None:
    for iid in ids.values():
        assert web.get(f"/api/interviews/{iid}").json() == cli_json(run, "show", str(iid))
    acme = str(ids["acme"])
    cli_drafts = cli_json(run, "draft", acme)  # a panel: a list
    assert isinstance(cli_drafts, list) and len(cli_drafts) == 2
    assert web.get(f"/api/interviews/{acme}/drafts").json() == cli_drafts
    one = web.get(f"/api/interviews/{acme}/drafts", params={"interviewer": "ada@acme.example"})
    assert one.json() == cli_json(run, "draft", acme, "--interviewer", "ada@acme.example")
    step2 = web.get(f"/api/interviews/{ids['umbrella']}/drafts", params={"step": 2}).json()
    assert step2 == cli_json(run, "draft", str(ids["umbrella"]), "--step", "2")


def test_settings_twins_equal_the_cli(web: Web, run: Run, ids: dict[str, int]) -> None:
    assert web.get("/api/policy").json() == cli_json(run, "policy", "show")
    assert web.get("/api/config").json() == cli_json(run, "config", "show")
    templates = web.get("/api/templates").json()
    assert len(templates) == 9 and {t["source"] for t in templates} == {"built-in"}


def test_stats_twin_equals_the_numbers_the_cli_prints(
    web: Web, run: Run, ids: dict[str, int]
) -> None:
    twin = web.get("/api/stats").json()
    assert twin == cli_json(run, "stats")
    for since in ("2026-11-16", "2026-11-16T09:30"):
        assert web.get("/api/stats", params={"since": since}).json() == cli_json(
            run, "stats", "--since", since
        )
    assert twin["totals"]["interviews"] == 5 and twin["totals"]["replied"] == 1
    html = web.get("/stats").text
    assert 'id="chart-by-step"' in html and "/static/vendor/uPlot.iife.min.js" in html
    assert 'data-testid="rate-by-step"' in html


def test_the_interview_page_has_a_timeline_in_both_zones(web: Web, ids: dict[str, int]) -> None:
    html = web.get(f"/interviews/{ids['globex']}").text
    assert 'data-testid="timeline"' in html
    # the interview: 10:00 in New York is 16:00 in Berlin
    assert "Fri 13 Nov 2026 10:00 EST" in html and "Fri 13 Nov 2026 16:00 CET" in html
    assert "thank-you due" in html and "then let it go: no more notes" in html
    umbrella = web.get(f"/interviews/{ids['umbrella']}").text
    assert "thank-you sent" in umbrella and "follow-up due" in umbrella
    assert "GMT" in umbrella  # the interviewer's zone (London) beside the user's


def test_the_interview_page_shows_each_interviewers_draft_with_lint(
    web: Web, ids: dict[str, int]
) -> None:
    html = web.get(f"/interviews/{ids['acme']}").text
    assert html.count('data-testid="draft-card"') == 2
    assert "the billing rewrite" in html and "on-call load" in html
    assert 'data-testid="lint-ok"' in html or 'data-testid="lint-finding"' in html
    # no mail account: the buttons are there, disabled, with the reason
    assert 'data-testid="send"\n' in html or 'data-testid="send"' in html
    assert "Mail is not set up" in html
    assert html.count("disabled title=") >= 4


def test_a_sequence_that_ended_says_so_instead_of_drafts(web: Web, ids: dict[str, int]) -> None:
    html = web.get(f"/interviews/{ids['initech']}").text
    assert 'data-testid="drafts-note"' in html and "replied" in html
    assert 'data-testid="draft-card"' not in html
    assert 'data-testid="mark-sent"' not in html


def test_openapi_documents_the_api(web: Web) -> None:
    schema = web.get("/openapi.json").json()
    paths = schema["paths"]
    for path in (
        "/api/agenda",
        "/api/interviews",
        "/api/interviews/{interview_id}",
        "/api/interviews/{interview_id}/drafts",
        "/api/interviews/{interview_id}/sent",
        "/api/interviews/{interview_id}/replied",
        "/api/interviews/{interview_id}/debrief",
        "/api/stats",
        "/api/policy",
    ):
        assert path in paths, path
        for operation in paths[path].values():
            assert operation["summary"], path
    assert not any(p in paths for p in ("/", "/pipeline", "/add"))  # HTML pages are not API
    assert web.get("/docs").status_code == 404  # the docs UI would need a CDN


def test_errors_are_one_line_with_the_cli_meaning(web: Web, ids: dict[str, int]) -> None:
    missing = web.get("/interviews/999")
    assert missing.status_code == 404 and "no interview with id 999" in missing.text
    api = web.get("/api/interviews/999")
    assert api.status_code == 404
    assert api.json() == {"error": "no interview with id 999", "status": 404, "exit_code": 3}
    assert web.get("/interviews/abc").status_code == 404
    assert web.get("/pipeline?stage=bogus").status_code == 400
    bad = web.get("/api/agenda", params={"as_of": "yesterday"})
    assert bad.status_code == 400 and "cannot read 'yesterday'" in bad.json()["error"]
    ended = web.post(f"/interviews/{ids['initech']}/sent")
    assert ended.status_code == 409 and "replied" in ended.text
    assert "Traceback" not in ended.text


def test_every_page_names_an_icon_that_is_served(web: Web) -> None:
    html = web.get("/").text
    assert '<link rel="icon" href="/static/favicon.svg"' in html  # else the browser asks for
    icon = web.get("/static/favicon.svg")  # /favicon.ico and logs a 404 on every page
    assert icon.status_code == 200
    assert icon.headers["content-type"].startswith("image/svg+xml")


def test_the_hiring_sides_outcomes_show_without_breaking_a_page(
    web: Web, run: Run, ids: dict[str, int]
) -> None:
    """Rejected, role-closed and offer (issue #15): each page answers and names them."""
    from followup.app import services
    from followup.bootstrap import open_context
    from followup.domain.model import Status

    ctx = open_context()
    ended = {"acme": Status.REJECTED, "globex": Status.ROLE_CLOSED, "umbrella": Status.OFFER}
    for name, status in ended.items():
        services.conclude(ctx, ids[name], status)
    html = web.get("/pipeline").text
    assert "Acme" in web.get("/pipeline?stage=rejected").text
    assert "Globex" in web.get("/pipeline?stage=rejected").text  # role closed
    assert "Umbrella" in web.get("/pipeline?stage=offer").text
    assert 'data-testid="column-offer"' in html
    for path in ["/", "/stats", *(f"/interviews/{ids[name]}" for name in ended)]:
        response = web.get(path)
        assert response.status_code == 200, (path, response.text[:300])
    assert "they said no" in web.get("/").text  # ended lately
    assert web.get("/api/stats").json()["totals"]["rejected"] == 1


def test_today_says_a_proposed_next_round_is_to_be_added(web: Web, run: Run) -> None:
    from followup.app import receiving
    from followup.bootstrap import open_context
    from followup.domain.replies import Classification, Kind, MessageFacts

    assert run("add", "--company", "Acme", "--role", "Dev", "--at", "2026-11-20T10:00:00Z",
               "--interviewer", "Ann <ann@acme.example>").code == 0  # fmt: skip
    facts = MessageFacts(message_id="<s@acme>", from_addr="ann@acme.example")
    verdict = Classification(Kind.SCHEDULING, "proposes times")
    receiving.receive(open_context(), receiving.MailIdentity("-", frozenset(), (), 7), facts,
                      verdict=verdict)  # fmt: skip
    today = web.get("/").text
    assert "next round proposed: add it" in today
    assert "--application" not in today and "“Add the next round”" in today  # the page's words
