"""The quality bar of issue #11 (never block the loop), on a real `followup serve` in server
mode (real PostgreSQL, real uvicorn, loopback): while one seeker uploads a 5 MB invitation
over and over and another keeps opening Stats on 2,000 interviews (each back to back, one
request in flight), a third seeker's Today, opened by 20 parallel clients (each pausing a
random 0-0.5 s between pages), never waits out another seeker's upload.

The issue's bar (p95 <= 100 ms on a quiet machine) is a measurement, not this test's
assertion: `pytest -s` prints the figures, recorded in docs/benchmarks.md. A shared machine
slows every request alike (CI once saw p95 111 ms, uploads 0.37 s), so what the test asserts
is what only a blocked loop does: a Today that waits for an upload's parsing, its p95 near
the upload's own time (19 s for a 0.69 MB upload before the routes left the loop).

Before the routes ran in the thread pool, each upload's parsing and each Stats page held
the event loop, and every Today waited for them.
"""

from __future__ import annotations

import email
import email.policy
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
import pytest

from followup.app import accounts as acc_mod
from tests.server.web import PASSWORD

pytestmark = pytest.mark.integration

FIXTURE = Path(__file__).parent.parent / "fixtures" / "ics" / "synthesized_invite_request.eml"
CLIENTS = 20
REQUESTS_EACH = 20
THINK_S = 0.25  # mean pause between one client's requests: 20 clients, ~70 pages/s
BLOCKED_FLOOR_MS = 250.0  # above any loaded run's p95 seen (165 ms), below a blocked one's
_LOGIN_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_META_CSRF = re.compile(r'<meta name="csrf-token" content="([^"]*)">')


def five_mb_invitation() -> bytes:
    """A real invitation e-mail (the fixture) carrying a 3.6 MB attachment: ~5 MB."""
    message = email.message_from_bytes(FIXTURE.read_bytes(), policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    message.add_attachment(
        os.urandom(3_600_000), maintype="application", subtype="pdf", filename="brochure.pdf"
    )
    data = bytes(message)
    assert 4_800_000 < len(data) < 5 * 1024 * 1024
    return data


def seed(home: Path, user_id: int, interviews: int) -> None:
    """`interviews` interviews, the first through the use-case, the rest copied in SQL."""
    from followup.app import services
    from followup.app.rows import NewInterviewer
    from followup.bootstrap import open_context
    from followup.domain.model import Culture
    from tests.reliability.fleet import copy

    ctx = open_context(str(home), user_id=user_id)
    try:
        added = services.add_interview(
            ctx,
            services.NewInterview(
                company="Acme",
                role="Backend Engineer",
                start=datetime(2026, 11, 20, 10, tzinfo=UTC) - timedelta(days=1),
                tz="Europe/Berlin",
                interviewers=[NewInterviewer("Ada Lovelace", "ada@acme.example")],
                culture=Culture.STARTUP,
                country="DE",
                topics=["the billing rewrite"],
                skill="PostgreSQL",
            ),
        )
        copy(ctx.store, added.interview_id, interviews - 1)
    finally:
        ctx.store.close()  # type: ignore[attr-defined]


@pytest.fixture
def served(server_url: str, home: Path, tmp_path: Path) -> Iterator[str]:
    env = {
        **os.environ,
        "FOLLOWUP_DATABASE_URL": server_url,
        "FOLLOWUP_HOME": str(home),
        "PYTHONUNBUFFERED": "1",
    }
    exe = Path(sys.executable).with_name("followup")
    log = tmp_path / "serve.log"
    with open(log, "w") as err:
        proc = subprocess.Popen(
            [str(exe), "serve", "--port", "0", "--no-browser"],
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
            env=env,
        )
    try:
        assert proc.stdout is not None
        found = re.search(r"(http://127\.0\.0\.1:\d+)/", proc.stdout.readline())
        assert found, log.read_text()
        base = found.group(1)
        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.get(base + "/login", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.05)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        assert proc.stdout is not None
        proc.stdout.close()
    text = log.read_text()
    assert "Traceback" not in text, text[-3000:]


def sign_in(base: str, address: str) -> tuple[dict[str, str], str]:
    """The session cookie and the page's CSRF token of a seeker who signed in."""
    with httpx.Client(base_url=base, timeout=30) as client:
        form = client.get("/login")
        token = _LOGIN_CSRF.search(form.text)
        assert token
        done = client.post(
            "/login",
            data={"email": address, "password": PASSWORD, "csrf_token": token.group(1)},
            headers={"Origin": base},
        )
        assert done.status_code == 303, done.text[:500]
        today = client.get("/")
        csrf = _META_CSRF.search(today.text)
        assert csrf
        return dict(client.cookies), csrf.group(1)


def test_today_stays_fast_while_others_upload_and_run_stats(
    served: str, home: Path, accounts: Any
) -> None:
    users = {
        name: acc_mod.add_user(accounts, f"{name}@example.org", "seeker", PASSWORD).id
        for name in ("uploader", "statistician", "reader")
    }
    seed(home, users["statistician"], 2000)
    seed(home, users["reader"], 30)
    invitation = five_mb_invitation()
    sessions = {name: sign_in(served, f"{name}@example.org") for name in users}

    stop = threading.Event()
    heavy: dict[str, list[tuple[int, float]]] = {"upload": [], "stats": []}

    def upload() -> None:
        cookies, csrf = sessions["uploader"]
        with httpx.Client(base_url=served, cookies=cookies, timeout=60) as client:
            while not stop.is_set():
                started = time.monotonic()
                r = client.post(
                    "/api/import",
                    files={"invite": ("invite.eml", invitation, "message/rfc822")},
                    headers={"Origin": served, "X-CSRF-Token": csrf},
                )
                heavy["upload"].append((r.status_code, time.monotonic() - started))

    def stats() -> None:
        cookies, _ = sessions["statistician"]
        with httpx.Client(base_url=served, cookies=cookies, timeout=60) as client:
            while not stop.is_set():
                started = time.monotonic()
                r = client.get("/stats")
                heavy["stats"].append((r.status_code, time.monotonic() - started))

    latencies: list[float] = []
    failures: list[str] = []
    ready = threading.Barrier(CLIENTS + 1)

    def reader(seed: int) -> None:
        pace = random.Random(seed)
        cookies, _ = sessions["reader"]
        with httpx.Client(base_url=served, cookies=cookies, timeout=30) as client:
            assert client.get("/").status_code == 200  # connected, warm
            ready.wait()
            for _ in range(REQUESTS_EACH):
                time.sleep(pace.uniform(0, 2 * THINK_S))  # a person reads the page
                started = time.monotonic()
                r = client.get("/")
                took = time.monotonic() - started
                if r.status_code != 200 or 'data-testid="agenda-table"' not in r.text:
                    failures.append(f"{r.status_code} {r.text[:200]}")
                latencies.append(took)

    background = [threading.Thread(target=upload), threading.Thread(target=stats)]
    readers = [threading.Thread(target=reader, args=(k,)) for k in range(CLIENTS)]
    for t in background:
        t.start()
    try:
        deadline = time.monotonic() + 30
        while not (heavy["upload"] and heavy["stats"]):  # both running, each done once
            assert time.monotonic() < deadline, heavy
            time.sleep(0.05)
        for t in readers:
            t.start()
        ready.wait()
        uploads_before = len(heavy["upload"])
        for t in readers:
            t.join(120)
        uploads_during = len(heavy["upload"]) - uploads_before
    finally:
        stop.set()
        for t in background:
            t.join(120)

    assert failures == []
    assert {s for s, _ in heavy["upload"]} == {200}, heavy["upload"][:3]
    assert {s for s, _ in heavy["stats"]} == {200}, heavy["stats"][:3]
    p95 = statistics.quantiles(latencies, n=20)[-1] * 1000
    upload_s = statistics.median(t for _, t in heavy["upload"])
    stats_s = statistics.median(t for _, t in heavy["stats"])
    print(
        f"Today x{len(latencies)} by {CLIENTS} clients: p50"
        f" {statistics.median(latencies) * 1000:.0f} ms, p95 {p95:.0f} ms,"
        f" max {max(latencies) * 1000:.0f} ms; meanwhile {uploads_during} uploads"
        f" ({upload_s:.2f} s each) and {len(heavy['stats'])} Stats ({stats_s:.2f} s each)"
    )
    assert uploads_during >= 1  # the uploads really ran alongside
    # A blocked loop makes a Today wait out the upload in progress: half of one on average
    assert p95 <= max(BLOCKED_FLOOR_MS, upload_s * 1000 / 2), f"p95 {p95:.0f} ms"
