"""A session that survives closing the browser (issue #16, item 7): a 30-day cookie, kept
hashed in the home so a restart keeps it, revocable; a fresh one-time link from
`followup open`; and a 401 page that says how to get one."""

from __future__ import annotations

import json
import os
import re
import signal
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from followup.web.app import create_app
from followup.web.deps import WebConfig
from followup.web.logins import SESSION_SECONDS, SessionFile, digest
from followup.web.security import Sessions
from tests.conftest import Run
from tests.web.conftest import FEED_TOKEN, ORIGIN, PORT, TOKEN, csrf_of
from tests.web.test_serve import URL, read_line, wait_until_up

COOKIE = f"followup_session_{PORT}"


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def dashboard(home: Path, clock: Clock) -> TestClient:
    """A laptop dashboard as `serve` builds it: its sessions kept in the home."""
    app = create_app(
        WebConfig(str(home), PORT, FEED_TOKEN), Sessions(TOKEN, SessionFile(home, clock))
    )
    return TestClient(app, base_url=ORIGIN, raise_server_exceptions=False)


def sign_in(client: TestClient, token: str = TOKEN) -> Any:
    response = client.get(f"/?token={token}", follow_redirects=False)
    assert response.status_code == 303, response.text
    return response


def test_the_cookie_lasts_30_days_httponly_strict(home: Path, clock: Clock) -> None:
    with dashboard(home, clock) as client:
        header = sign_in(client).headers["set-cookie"]
    parts = [p.strip() for p in header.split(";")]
    assert parts[0].startswith(f"{COOKIE}=")
    assert "HttpOnly" in parts and "SameSite=Strict" in parts and "Path=/" in parts
    assert f"Max-Age={SESSION_SECONDS}" in parts and SESSION_SECONDS == 30 * 24 * 3600
    assert not any(p.lower().startswith("domain=") for p in parts)


def test_the_session_is_kept_hashed_and_private(home: Path, clock: Clock) -> None:
    with dashboard(home, clock) as client:
        session = sign_in(client).cookies[COOKIE]
    kept = home / "web-sessions"
    text = kept.read_text()
    assert session not in text and TOKEN not in text
    assert digest(session) in json.loads(text)["sessions"]
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600


def test_a_restart_keeps_the_session(home: Path, clock: Clock) -> None:
    with dashboard(home, clock) as client:
        session = sign_in(client).cookies[COOKIE]
    with dashboard(home, clock) as restarted:  # a new process: nothing in memory
        restarted.cookies.set(COOKIE, session)
        page = restarted.get("/")
        assert page.status_code == 200
        csrf = csrf_of(page.text)
        # a change works too: the page's CSRF token belongs to the session it was given to
        response = restarted.post(
            "/add",
            data={"csrf_token": csrf, "company": "Acme", "role": "Eng", "at": "2026-11-23T14:00"},
            headers={"Origin": ORIGIN},
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text


def test_the_session_ends_after_30_days(home: Path, clock: Clock) -> None:
    with dashboard(home, clock) as client:
        sign_in(client)
        clock.now += SESSION_SECONDS - 60
        assert client.get("/").status_code == 200
        clock.now += 61
        expired = client.get("/")
    assert expired.status_code == 401 and "followup open" in expired.text


def test_revoking_signs_every_browser_out(home: Path, clock: Clock) -> None:
    with dashboard(home, clock) as client, dashboard(home, clock) as other:
        sign_in(client)
        sign_in(other, SessionFile(home, clock).new_login())
        assert client.get("/").status_code == 200 and other.get("/").status_code == 200
        assert SessionFile(home, clock).revoke() == 2  # what `followup open --revoke` does
        assert client.get("/").status_code == 401
        assert other.get("/").status_code == 401


def test_a_link_from_followup_open_works_once_within_ten_minutes(home: Path, clock: Clock) -> None:
    kept = SessionFile(home, clock)
    with dashboard(home, clock) as client:
        token = kept.new_login()
        assert token not in (home / "web-sessions").read_text()
        sign_in(client, token)
        assert client.get("/").status_code == 200
    with dashboard(home, clock) as other:
        again = other.get(f"/?token={token}")
        assert again.status_code == 401 and "already used" in again.text
        late = kept.new_login()
        clock.now += 10 * 60 + 1
        assert other.get(f"/?token={late}").status_code == 401


def test_without_a_session_the_401_is_a_page_that_says_run_followup_open(
    home: Path, clock: Clock
) -> None:
    with dashboard(home, clock) as client:
        page = client.get("/pipeline")
        api = client.get("/api/agenda")
    assert page.status_code == 401
    assert page.headers["content-type"].startswith("text/html")
    assert "<h1>Sign in to your dashboard</h1>" in page.text
    # the command brings the new link back to the page asked for (issue #16 trial item 8)
    assert 'data-testid="sign-in-command">followup open /pipeline</pre>' in page.text
    assert 'name="viewport"' in page.text and "/static/app.css" in page.text
    assert api.status_code == 401 and "followup open" in api.json()["error"]


def test_the_sign_in_command_names_only_a_plain_page_path(home: Path, clock: Clock) -> None:
    with dashboard(home, clock) as client:
        today = client.get("/")
        odd = client.get("/interviews/1;rm%20-rf%20~")
    assert 'data-testid="sign-in-command">followup open</pre>' in today.text
    assert 'data-testid="sign-in-command">followup open</pre>' in odd.text


def test_open_path_lands_the_link_on_that_page(run: Run, home: Path) -> None:
    SessionFile(home).set_dashboard("http://127.0.0.1:8765")
    answer = run("open", "/interviews/3", "--json").json
    assert answer["url"].startswith("http://127.0.0.1:8765/interviews/3?token=")
    refused = run("open", "//evil.example/x", "--no-browser")
    assert refused.code == 4 and "not a page of the dashboard" in refused.err


def test_a_forged_cookie_is_refused(home: Path, clock: Clock) -> None:
    with dashboard(home, clock) as client:
        sign_in(client)
        client.cookies.set(COOKIE, "forged-" + "x" * 40)
        assert client.get("/").status_code == 401


# --- `followup open` ------------------------------------------------------------------------


def test_open_without_a_running_dashboard_says_how_to_start_one(run: Run) -> None:
    result = run("open", "--no-browser")
    assert result.code == 5
    assert result.err.count("\n") == 1 and "followup serve" in result.err


def test_open_prints_a_one_time_link_for_the_running_dashboard(run: Run, home: Path) -> None:
    kept = SessionFile(home)
    kept.set_dashboard("http://127.0.0.1:8765")  # this process: alive
    result = run("open", "--no-browser")
    assert result.code == 0, result.err
    found = re.search(r"http://127\.0\.0\.1:8765/\?token=([A-Za-z0-9_-]{43})", result.out)
    assert found, result.out
    assert digest(found.group(1)) in json.loads((home / "web-sessions").read_text())["logins"]
    assert "30 days" in result.out
    assert SessionFile(home).take_login(found.group(1))


def test_open_json_for_scripts(run: Run, home: Path) -> None:
    SessionFile(home).set_dashboard("http://127.0.0.1:8765")
    answer = run("open", "--json").json
    assert answer["url"].startswith("http://127.0.0.1:8765/?token=")
    assert (answer["valid_minutes"], answer["session_days"]) == (10, 30)
    assert run("open", "--revoke", "--json").json == {"sessions_ended": 0}


def test_open_revoke_ends_every_session(run: Run, home: Path) -> None:
    kept = SessionFile(home)
    kept.add_session("a" * 43)
    kept.add_session("b" * 43)
    result = run("open", "--revoke")
    assert result.code == 0, result.err
    assert "2 sessions ended" in result.out and "token=" not in result.out
    assert kept.session_expires("a" * 43) is None and kept.session_count() == 0


def test_open_revoke_on_a_home_that_does_not_exist_creates_nothing(
    run: Run, tmp_path: Path
) -> None:
    missing = tmp_path / "nowhere"
    result = run("--home", str(missing), "open", "--revoke")
    assert result.code == 0 and "0 sessions ended" in result.out
    assert not missing.exists()


def test_open_is_for_the_laptop_only(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOLLOWUP_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    result = run("open", "--no-browser")
    assert result.code == 2 and "accounts" in result.err


def test_open_gives_a_link_the_real_dashboard_accepts(tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("followup")
    home = tmp_path / "home"
    env = {**os.environ, "FOLLOWUP_HOME": str(home), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [str(exe), "serve", "--port", "0", "--no-browser"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        found = URL.search(read_line(proc))
        assert found
        base = found.group(1)
        wait_until_up(base)
        opened = subprocess.run(
            [str(exe), "open", "--no-browser"], env=env, capture_output=True, text=True
        )
        assert opened.returncode == 0, opened.stderr
        link = URL.search(opened.stdout)
        assert link and link.group(1) == base
        login = httpx.get(link.group(0), follow_redirects=False)
        assert login.status_code == 303
        assert "Max-Age=2592000" in login.headers["set-cookie"]
        cookie = login.headers["set-cookie"].split(";")[0]
        assert httpx.get(base + "/", headers={"Cookie": cookie}).status_code == 200
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    proc.communicate()
    # stopped: `followup open` has no dashboard to link to
    after = subprocess.run(
        [str(exe), "open", "--no-browser"], env=env, capture_output=True, text=True
    )
    assert after.returncode == 5 and "followup serve" in after.stderr
