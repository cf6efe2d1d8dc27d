"""Localhost is not a trust boundary: token, session, Host, CSRF, Origin, headers, logs."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from tests.conftest import Run
from tests.web.conftest import FEED_TOKEN, ORIGIN, PORT, TOKEN, Web

COOKIE = f"followup_session_{PORT}"


def api_routes(routes: Iterable[object]) -> Iterator[APIRoute]:
    """Every route, also inside included routers (FastAPI wraps those)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from api_routes(inner.routes)


def add_one(run: Run) -> int:
    created = run(
        "add", "--company", "Acme", "--role", "Engineer", "--at", "2026-11-20T10:00",
        "--interviewer", "Ada <ada@acme.example>", "--json",
    )  # fmt: skip
    return int(created.json["id"])


def test_without_a_token_or_session_every_page_is_401(client: TestClient) -> None:
    for path in ("/", "/pipeline", "/add", "/stats", "/settings", "/interviews/1"):
        response = client.get(path)
        assert response.status_code == 401, path
        assert TOKEN not in response.text
    assert client.get("/api/agenda").json()["status"] == 401
    assert client.get("/openapi.json").status_code == 401


def test_a_wrong_token_is_401(client: TestClient) -> None:
    assert client.get("/?token=guess").status_code == 401


def test_the_token_becomes_a_session_cookie_and_a_redirect_without_it(client: TestClient) -> None:
    response = client.get(f"/pipeline?status=waiting&token={TOKEN}", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/pipeline?status=waiting"
    cookie = response.headers["set-cookie"]
    session_id = cookie.split(";")[0].split("=", 1)[1]
    assert cookie.startswith(f"{COOKIE}=")
    assert session_id != TOKEN and len(session_id) >= 40
    flags = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert {"httponly", "samesite=strict", "path=/"} <= flags
    assert client.get("/pipeline").status_code == 200


def test_the_token_works_once(client: TestClient) -> None:
    assert client.get(f"/?token={TOKEN}", follow_redirects=False).status_code == 303
    other = TestClient(client.app, base_url=ORIGIN)
    again = other.get(f"/?token={TOKEN}", follow_redirects=False)
    assert again.status_code == 401
    assert "already used" in again.text
    # the browser that has the session may follow the printed link again: it just goes on
    assert client.get(f"/?token={TOKEN}", follow_redirects=False).status_code == 303


def test_a_forged_session_cookie_is_401(client: TestClient) -> None:
    client.cookies.set(COOKIE, "x" * 43)
    assert client.get("/").status_code == 401


@pytest.mark.parametrize(
    "host",
    ["evil.example:8765", "127.0.0.1:9999", "localhost", "127.0.0.1.nip.io:8765", "0.0.0.0:8765"],
)
def test_a_host_that_is_not_our_loopback_name_is_403(web: Web, host: str) -> None:
    # a DNS-rebinding page: the browser sends the session cookie, the Host is the attacker's
    assert web.get("/", headers={"Host": host}).status_code == 403
    assert web.get(f"/?token={TOKEN}", headers={"Host": host}).status_code == 403
    assert web.get("/static/app.css", headers={"Host": host}).status_code == 403


@pytest.mark.parametrize("host", [f"127.0.0.1:{PORT}", f"localhost:{PORT}", f"[::1]:{PORT}"])
def test_every_loopback_name_with_our_port_is_served(web: Web, host: str) -> None:
    assert web.get("/", headers={"Host": host}).status_code == 200


def test_a_post_without_the_csrf_token_is_403(web: Web, run: Run) -> None:
    iid = add_one(run)
    response = web.client.post(f"/interviews/{iid}/replied", headers={"Origin": ORIGIN})
    assert response.status_code == 403
    wrong = web.client.post(
        f"/interviews/{iid}/replied", data={"csrf_token": "nope"}, headers={"Origin": ORIGIN}
    )
    assert wrong.status_code == 403
    api = web.client.post(f"/api/interviews/{iid}/replied", headers={"Origin": ORIGIN})
    assert api.status_code == 403 and api.json()["status"] == 403
    assert run("show", str(iid), "--json").json["status"] == "waiting"


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example"},
        {"Origin": f"http://127.0.0.1:{PORT + 1}"},
        {"Origin": f"https://127.0.0.1:{PORT}"},
        {"Origin": "null"},
        {"Origin": "null", "Sec-Fetch-Site": "cross-site"},  # a sandboxed page elsewhere
        {"Origin": "http://evil.example", "Sec-Fetch-Site": "same-origin"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {},  # neither Origin nor Sec-Fetch-Site: refused too
    ],
)
def test_a_post_with_the_csrf_token_from_another_origin_is_403(
    web: Web, run: Run, headers: dict[str, str]
) -> None:
    iid = add_one(run)
    response = web.client.post(
        f"/interviews/{iid}/replied", data={"csrf_token": web.csrf}, headers=headers
    )
    assert response.status_code == 403
    assert run("show", str(iid), "--json").json["status"] == "waiting"


def test_a_post_with_the_token_and_same_origin_goes_through(web: Web, run: Run) -> None:
    iid = add_one(run)
    ok = web.post(f"/interviews/{iid}/replied", follow_redirects=False)
    assert ok.status_code == 303
    assert run("show", str(iid), "--json").json["status"] == "replied"


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "same-origin"},
        # what Chromium sends for a form post from a page with Referrer-Policy: no-referrer
        {"Origin": "null", "Sec-Fetch-Site": "same-origin"},
    ],
)
def test_sec_fetch_site_same_origin_stands_in_for_a_missing_or_null_origin(
    web: Web, run: Run, headers: dict[str, str]
) -> None:
    iid = add_one(run)
    response = web.client.post(
        f"/interviews/{iid}/replied",
        data={"csrf_token": web.csrf},
        headers=headers,
        follow_redirects=False,
    )
    assert response.status_code == 303


def test_every_state_changing_route_checks_csrf(web: Web, app: FastAPI) -> None:
    routes = api_routes(app.routes)
    unsafe = [(r.path, m) for r in routes for m in r.methods or () if m not in ("GET", "HEAD")]
    assert len(unsafe) >= 10
    for path, method in unsafe:
        concrete = path.replace("{interview_id}", "1")
        response = web.client.request(method, concrete, headers={"Origin": ORIGIN})
        assert response.status_code == 403, (method, path)


def test_security_headers_on_pages_errors_refusals_and_static(web: Web, client: TestClient) -> None:
    other = TestClient(client.app, base_url=ORIGIN)
    responses = [
        web.get("/"),
        web.get("/api/agenda"),
        web.get("/interviews/999"),
        web.get("/no/such/page"),
        web.get("/static/app.css"),
        other.get("/"),  # 401
        web.get("/", headers={"Host": "evil.example"}),  # 403
    ]
    for response in responses:
        h = response.headers
        assert "default-src 'self'" in h["content-security-policy"]
        assert "unsafe-inline" not in h["content-security-policy"]
        assert h["x-frame-options"] == "DENY"
        assert h["referrer-policy"] == "no-referrer"
        assert h["x-content-type-options"] == "nosniff"
    assert web.get("/").headers["cache-control"] == "no-store"


def test_pages_have_no_inline_script(web: Web, run: Run) -> None:
    iid = add_one(run)
    for path in ("/", "/pipeline", "/add", "/stats", "/settings", f"/interviews/{iid}"):
        html = web.get(path).text
        for tag in html.split("<script")[1:]:
            assert tag.split(">")[0].strip().startswith("src="), (path, tag[:80])
        assert " on" + "click=" not in html and "javascript:" not in html


def test_the_token_is_not_in_the_log_after_first_use(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="followup.web")
    client.get(f"/?token={TOKEN}")
    client.get(f"/?token={TOKEN}")
    client.get("/pipeline")
    client.get(f"/calendar.ics?token={FEED_TOKEN}")
    assert any("GET /pipeline 200" in r.getMessage() for r in caplog.records)
    assert any("token=[redacted]" in r.getMessage() for r in caplog.records)
    assert TOKEN not in caplog.text and FEED_TOKEN not in caplog.text
    client.get(f"/api/agenda?%74oken={TOKEN}")  # an encoded name is still the token
    assert TOKEN not in caplog.text


def test_a_path_cannot_forge_log_lines(web: Web, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="followup.web")
    web.get("/interviews/1%0AGET%20/admin%20200")
    assert all("\n" not in r.getMessage() for r in caplog.records)
    assert any("\\x0aGET /admin 200" in r.getMessage() for r in caplog.records)


def test_an_unexpected_error_is_a_plain_500_with_no_traceback(
    web: Web, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def boom(*args: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr("followup.app.board.board", boom)
    response = web.get("/pipeline")
    assert response.status_code == 500
    assert "secret internals" not in response.text and "Traceback" not in response.text
    assert response.headers["x-frame-options"] == "DENY"
    assert "secret internals" in caplog.text  # the server's log says what


def test_the_calendar_feed_needs_its_own_token(client: TestClient) -> None:
    assert client.get("/calendar.ics").status_code == 401
    assert client.get(f"/calendar.ics?token={TOKEN}").status_code == 401
    feed = client.get(f"/calendar.ics?token={FEED_TOKEN}")
    assert feed.status_code == 200
    assert feed.headers["content-type"].startswith("text/calendar")
    assert feed.text.startswith("BEGIN:VCALENDAR")
    # the feed token opens the feed only, never a page
    assert client.get(f"/?token={FEED_TOKEN}").status_code == 401


def test_a_new_feed_address_ends_the_old_one_while_the_dashboard_runs(
    client: TestClient, run: Run, web: Web
) -> None:
    """A cold trial (session 15): a leaked feed address could not be revoked — `open
    --revoke` ends sessions, not the feed, and nothing else changed its token."""
    assert client.get(f"/calendar.ics?token={FEED_TOKEN}").status_code == 200
    said = run("open", "--new-feed")
    assert said.code == 0, said.err
    assert "the old one no longer works" in said.out
    assert client.get(f"/calendar.ics?token={FEED_TOKEN}").status_code == 401
    settings = web.get("/settings").text
    new = settings.split("/calendar.ics?token=")[1].split('"')[0].split("<")[0]
    assert len(new) >= 32 and new != FEED_TOKEN
    assert client.get(f"/calendar.ics?token={new}").status_code == 200
