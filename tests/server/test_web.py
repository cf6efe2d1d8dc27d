"""Signing in and out of the server-mode dashboard, and its locks (real PostgreSQL, HTTP
through the app's TestClient; `followup serve` itself through a real uvicorn)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from followup.app import accounts as acc_mod
from tests.conftest import Run
from tests.server.web import HOST, ORIGIN, PASSWORD, PORT, Browser

pytestmark = pytest.mark.integration


def _session_rows(database: Any) -> list[tuple[Any, ...]]:
    with database.connection() as conn:
        return [tuple(r) for r in conn.execute("SELECT * FROM followup.sessions").fetchall()]


def test_sign_in_sets_a_strict_cookie_and_the_token_is_stored_hashed(
    server_app: Any, accounts: Any, database: Any, browsers: list[Browser]
) -> None:
    acc_mod.add_user(accounts, "ada@example.org", "seeker", PASSWORD)
    b = Browser(server_app)
    browsers.append(b)
    first = b.get("/")
    assert first.status_code == 303 and first.headers["location"] == "/login?next=/"
    assert b.get("/api/agenda").status_code == 401

    done = b.try_login("ADA@example.org", PASSWORD, next="/pipeline")
    assert done.status_code == 303 and done.headers["location"] == "/pipeline"
    cookie = next(c for c in done.headers.get_list("set-cookie") if "session" in c)
    assert f"followup_session_{PORT}=" in cookie
    for flag in ("HttpOnly", "SameSite=Strict", "Path=/"):
        assert flag in cookie
    assert "Secure" not in cookie  # plain http here: see the TLS test
    token = cookie.split("=", 1)[1].split(";", 1)[0]
    rows = _session_rows(database)
    assert len(rows) == 1 and token not in repr(rows)
    assert rows[0][0] == acc_mod.token_hash(token)
    assert PASSWORD not in done.text

    page = b.get("/pipeline")
    assert page.status_code == 200 and "ada@example.org" in page.text
    assert b.get("/api/agenda").status_code == 200


def test_wrong_password_and_unknown_address_look_the_same(
    server_app: Any, accounts: Any, browsers: list[Browser]
) -> None:
    acc_mod.add_user(accounts, "ada@example.org", "seeker", PASSWORD)
    acc_mod.add_user(accounts, "off@example.org", "seeker", PASSWORD)
    acc_mod.disable(accounts, "off@example.org")
    answers = []
    for email, password in [
        ("ada@example.org", "wrong password!"),
        ("who@example.org", "wrong password!"),
        ("off@example.org", PASSWORD),
    ]:
        b = Browser(server_app)
        browsers.append(b)
        r = b.try_login(email, password)
        assert r.status_code == 401
        assert "set-cookie" not in r.headers or "session" not in r.headers["set-cookie"]
        body = r.text.replace(email, "EMAIL")
        body = re.sub(r'name="csrf_token" value="[^"]+"', "", body)
        answers.append((r.status_code, body))
    assert answers[0] == answers[1] == answers[2]
    assert "Wrong e-mail address or password." in answers[0][1]


def test_failed_sign_ins_are_limited_per_address(
    server_app: Any, accounts: Any, browsers: list[Browser]
) -> None:
    acc_mod.add_user(accounts, "ada@example.org", "seeker", PASSWORD)
    acc_mod.add_user(accounts, "bob@example.org", "seeker", PASSWORD)
    b = Browser(server_app)
    browsers.append(b)
    for _ in range(5):
        assert b.try_login("ada@example.org", "wrong password!").status_code == 401
    blocked = b.try_login("ada@example.org", PASSWORD)  # even the right one, for now
    assert blocked.status_code == 429 and "Too many sign-in attempts" in blocked.text
    assert b.try_login("bob@example.org", PASSWORD).status_code == 303  # others are not


def test_sign_out_ends_the_session_on_the_server(
    server_app: Any, accounts: Any, database: Any, browsers: list[Browser]
) -> None:
    acc_mod.add_user(accounts, "ada@example.org", "seeker", PASSWORD)
    b = Browser(server_app).login("ada@example.org")
    browsers.append(b)
    cookies = dict(b.client.cookies)
    assert len(_session_rows(database)) == 1
    refused = b.client.post("/logout", headers={"Origin": ORIGIN}, follow_redirects=False)
    assert refused.status_code == 403  # no CSRF token: not even sign-out
    out = b.post("/logout")
    assert out.status_code == 303 and out.headers["location"] == "/login"
    assert _session_rows(database) == []
    again = Browser(server_app)
    browsers.append(again)
    again.client.cookies.update(cookies)  # a copy of the old cookie is worth nothing now
    assert again.get("/").status_code == 303
    assert again.get("/api/agenda").status_code == 401


def test_csrf_origin_and_host_are_still_enforced(
    server_app: Any, accounts: Any, browsers: list[Browser]
) -> None:
    acc_mod.add_user(accounts, "ada@example.org", "seeker", PASSWORD)
    b = Browser(server_app).login("ada@example.org")
    browsers.append(b)
    body = {"company": "Acme", "role": "Dev", "at": "2026-11-20T10:00"}
    no_token = b.client.post("/api/interviews", json=body, headers={"Origin": ORIGIN})
    assert no_token.status_code == 403
    wrong = b.api("POST", "/api/interviews", json=body, headers={"X-CSRF-Token": "x" * 43})
    assert wrong.status_code == 403
    cross = b.api("POST", "/api/interviews", json=body, headers={"Origin": "http://evil.example"})
    assert cross.status_code == 403
    https_origin = b.api(
        "POST", "/api/interviews", json=body, headers={"Origin": f"https://{HOST}"}
    )
    assert https_origin.status_code == 403  # this site is plain http (no TLS setting)
    assert b.api("POST", "/api/interviews", json=body).status_code == 200
    for host in ("evil.example", f"{HOST}.evil.example", "127.0.0.1:1"):
        r = b.client.get("/api/agenda", headers={"Host": host})
        assert r.status_code == 403, host
    assert b.client.get("/api/agenda", headers={"Host": f"{HOST}:443"}).status_code == 200
    assert b.client.get("/api/agenda", headers={"Host": f"127.0.0.1:{PORT}"}).status_code == 200

    # the sign-in form: its own CSRF cookie must match the field
    other = Browser(server_app)
    browsers.append(other)
    other.login_form()
    forged = other.client.post(
        "/login",
        data={"email": "ada@example.org", "password": PASSWORD, "csrf_token": "forged"},
        headers={"Origin": ORIGIN},
        follow_redirects=False,
    )
    assert forged.status_code == 403
    cross_login = Browser(server_app, origin="http://evil.example")
    browsers.append(cross_login)
    evil = {"Origin": "http://evil.example", "Host": HOST}
    assert cross_login.client.post("/login", data={}, headers=evil).status_code == 403


def test_behind_tls_cookies_are_secure_and_host_prefixed(
    server_url: str, home: Path, accounts: Any, browsers: list[Browser]
) -> None:
    from followup.bootstrap import close_databases
    from followup.web.app import create_app
    from followup.web.deps import WebConfig
    from followup.web.security import Sessions
    from followup.web.server_mode import ServerMode

    acc_mod.add_user(accounts, "ada@example.org", "seeker", PASSWORD)
    mode = ServerMode(
        accounts=accounts,
        home=str(home),
        port=PORT,
        allowed_hosts=frozenset({HOST}),
        trusted_proxies=frozenset({"testclient"}),  # TestClient's peer address
    )
    app = create_app(WebConfig(str(home), PORT), Sessions(None), server=mode)
    try:
        b = Browser(app, origin=f"https://{HOST}")
        browsers.append(b)
        proxied = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
        b.client.headers.update(proxied)
        done = b.try_login("ada@example.org", PASSWORD)
        assert done.status_code == 303, done.text
        cookie = next(c for c in done.headers.get_list("set-cookie") if "session" in c)
        assert cookie.startswith("__Host-followup_session=") and "; Secure" in cookie
        # an X-Forwarded-Proto from an address that is not the trusted proxy means nothing
        mode.trusted_proxies = frozenset({"192.0.2.1"})
        plain = Browser(app)
        browsers.append(plain)
        plain.client.headers.update(proxied)
        r = plain.try_login("ada@example.org", PASSWORD)
        cookie = next(c for c in r.headers.get_list("set-cookie") if "session" in c)
        assert "Secure" not in cookie and cookie.startswith(f"followup_session_{PORT}=")
    finally:
        close_databases()


def test_coach_and_admin_pages(server_app: Any, accounts: Any, browsers: list[Browser]) -> None:
    acc_mod.add_user(accounts, "s@example.org", "seeker", PASSWORD)
    acc_mod.add_user(accounts, "coach@example.org", "coach", PASSWORD)
    acc_mod.add_user(accounts, "admin@example.org", "admin", PASSWORD)
    acc_mod.link(accounts, "coach@example.org", "s@example.org")
    coach = Browser(server_app)
    browsers.append(coach)
    assert coach.try_login("coach@example.org", PASSWORD).headers["location"] == "/coach"
    assert "s@example.org" in coach.get("/coach").text
    admin = Browser(server_app).login("admin@example.org")
    browsers.append(admin)
    users = admin.get("/api/admin/users")
    assert users.status_code == 200
    assert {u["email"] for u in users.json()} == {
        "s@example.org",
        "coach@example.org",
        "admin@example.org",
    }
    assert "$argon2" not in users.text
    assert admin.get("/admin").status_code == 200
    assert admin.get("/api/coach").status_code == 403
    assert admin.get("/pipeline").status_code == 403
    seeker = Browser(server_app).login("s@example.org")
    browsers.append(seeker)
    assert seeker.get("/api/admin/users").status_code == 403
    assert seeker.get("/coach").status_code == 403


def test_serve_on_a_public_address_needs_server_mode(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FOLLOWUP_DATABASE_URL", raising=False)
    result = run("serve", "--host", "0.0.0.0", "--no-browser")
    assert result.code == 2 and result.err.count("\n") == 1
    assert "server mode" in result.err and "FOLLOWUP_DATABASE_URL" in result.err
    flags = run("serve", "--allowed-host", "x.example", "--no-browser")
    assert flags.code == 2 and "server mode" in flags.err


def test_serve_in_server_mode_wants_the_public_names(run: Run, server_url: str) -> None:
    result = run("serve", "--host", "0.0.0.0", "--no-browser")
    assert result.code == 2 and "--allowed-host" in result.err


def test_serve_in_server_mode_answers_with_a_sign_in_page(
    server_url: str, home: Path, accounts: Any
) -> None:
    """A real `followup serve --host ADDRESS` process: sign-in page, no token printed."""
    acc_mod.add_user(accounts, "ada@example.org", "seeker", PASSWORD)
    env = {**os.environ, "FOLLOWUP_DATABASE_URL": server_url, "FOLLOWUP_HOME": str(home)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from followup.cli.entry import main; main(sys.argv[1:])",
            "serve",
            "--host",
            "127.0.0.2",  # not a loopback *name*: the server-mode path, yet stays on lo
            "--port",
            "0",
            "--no-browser",
            "--allowed-host",
            HOST,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith(f"followup dashboard: http://{HOST}/"), line
        assert "token" not in line
        listening = proc.stdout.readline()
        found = re.search(r"listening on 127\.0\.0\.2:(\d+);", listening)
        assert found, listening
        port = int(found.group(1))
        request = urllib.request.Request(f"http://127.0.0.2:{port}/login", headers={"Host": HOST})
        deadline = time.monotonic() + 20
        while True:  # bound before printing; listening once uvicorn has started
            try:
                page = urllib.request.urlopen(request, timeout=10)
                break
            except urllib.error.URLError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        with page:
            assert page.status == 200 and 'name="password"' in page.read().decode()
        evil = urllib.request.Request(
            f"http://127.0.0.2:{port}/login", headers={"Host": "evil.example"}
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(evil, timeout=10)
        assert refused.value.code == 403
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=20)
    assert "Traceback" not in err


def test_undo_after_an_action_in_server_mode(
    server_app: Any, accounts: Any, browsers: list[Browser]
) -> None:
    """The "Done: … — Undo" notice lives in the server's flash box between two requests."""
    acc_mod.add_user(accounts, "s1@example.org", "seeker", PASSWORD)
    b = Browser(server_app).login("s1@example.org")
    browsers.append(b)
    added = b.api("POST", "/api/interviews", json={"company": "Acme", "role": "Eng",
                                                    "at": "2026-11-20T10:00"})  # fmt: skip
    iid = added.json()["id"]
    replied = b.post(f"/interviews/{iid}/replied")
    assert replied.status_code == 303
    page = b.get(replied.headers["location"]).text
    assert 'data-testid="undo-notice"' in page and "they replied" in page
    event = re.search(r'name="event" value="(\d+)"', page)
    assert event
    undone = b.post(f"/interviews/{iid}/undo", {"event": event.group(1)})
    assert undone.status_code == 303, undone.text
    assert b.api("GET", f"/api/interviews/{iid}").json()["status"] == "waiting"
    assert "Undid: they replied" in b.get(f"/interviews/{iid}").text


def test_a_nul_in_the_boards_search_is_refused_not_a_500(
    server_app: Any, accounts: Any, browsers: list[Browser]
) -> None:
    """A coach trial (session 17): PostgreSQL's text refuses NUL; `q=%00` was a 500."""
    acc_mod.add_user(accounts, "ada@example.org", "seeker", PASSWORD)
    b = Browser(server_app).login("ada@example.org")
    browsers.append(b)
    page = b.get("/pipeline?q=%00")
    assert page.status_code == 400 and "the search contains a NUL character" in page.text
    api = b.get("/api/board?q=a%00b")
    assert api.status_code == 400
    assert "the search contains a NUL character" in api.text
