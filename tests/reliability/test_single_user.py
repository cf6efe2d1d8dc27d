"""The laptop mode under load: the dashboard, a worker and reply sync on one SQLite file.

For FOLLOWUP_RELIABILITY_SECONDS (default 60): `followup serve` answers real HTTP requests
(pages, JSON, and drafts, which write), `followup worker` sends approved notes as they come
due and reads the Dovecot inbox every few seconds (replies keep arriving), and the CLI keeps
adding interviews and approving their notes. Nobody may see "database is locked": no 5xx,
no error line from any process, every CLI command succeeds; `PRAGMA integrity_check` is ok
and the sink got each sent note once.
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import httpx
import pytest

from tests.integration.dovecot import Account, Dovecot
from tests.integration.smtp_sink import Sink

pytestmark = pytest.mark.integration

SECONDS = float(os.environ.get("FOLLOWUP_RELIABILITY_SECONDS", "60"))
URL = re.compile(r"(http://127\.0\.0\.1:\d+)/\?token=([A-Za-z0-9_-]{43})")
EXE = str(Path(sys.executable).with_name("followup"))


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([EXE, *args], env=env, capture_output=True, text=True, check=False)


def _reply(k: int, to_company: int) -> bytes:
    m = EmailMessage()
    m["From"] = f"Ada Lovelace <p{to_company}@company{to_company}.example>"
    m["To"] = "Grace Hopper <grace@example.org>"
    m["Subject"] = f"Re: Thanks for the chat ({k})"
    m["Message-ID"] = f"<reply{k}@company{to_company}.example>"
    m.set_content("Thank you, we will be in touch next week.")
    return bytes(m)


def test_dashboard_worker_and_sync_share_one_sqlite_file(
    tmp_path: Path, smtp_sink: Sink, dovecot: Dovecot, imap_account: Account
) -> None:
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if not k.startswith("FOLLOWUP_")}
    env.update(
        FOLLOWUP_HOME=str(home),
        FOLLOWUP_MAIL_PASSWORD=imap_account.password,
        PYTHONUNBUFFERED="1",
    )
    for key, value in [
        ("user.name", "Grace Hopper"),
        ("user.email", "grace@example.org"),
        ("mail.smtp_host", smtp_sink.host),
        ("mail.smtp_port", str(smtp_sink.port)),
        ("mail.smtp_security", "none"),
        ("mail.imap_host", dovecot.host),
        ("mail.imap_port", str(dovecot.port)),
        ("mail.imap_security", "none"),
        ("mail.username", imap_account.username),
        ("mail.mode", "send"),
        ("mail.sync_minutes", "0.05"),  # every 3 s
        # the real clock, at any hour: no note found late is held for working hours
        ("policy.window_days", "mon,tue,wed,thu,fri,sat,sun"),
        ("policy.window_start", "00:00"),
        ("policy.window_end", "23:59"),
    ]:
        assert _cli(env, "config", "set", key, value).returncode == 0

    errors: list[str] = []
    made: list[str] = []

    # on the real clock, 12 days ago: each thank-you due now whatever the weekday (48 hours,
    # then the working hours, weekends and holidays), not past its moment (23 days: a worker
    # hands one that late back to the user instead of sending it)
    held = (datetime.now(UTC) - timedelta(days=12)).strftime("%Y-%m-%dT%H:%M:00Z")

    def add_and_approve(k: int) -> None:
        created = _cli(
            env, "add", "--company", "Acme", "--role", f"Engineer {k}",
            "--at", held,
            "--interviewer", f"Ada Lovelace <p{k}@company{k}.example>",
            "--topic", "the billing rewrite", "--skill", "PostgreSQL", "--json",
        )  # fmt: skip
        if created.returncode:
            errors.append(f"add: {created.stderr.strip()}")
            return
        iid = str(__import__("json").loads(created.stdout)["id"])
        approved = _cli(env, "send", iid, "--when-due")
        if approved.returncode:
            errors.append(f"send --when-due: {approved.stderr.strip()}")
        made.append(iid)

    for k in range(10):
        add_and_approve(k)

    # Their output goes to files: a pipe nobody reads while the test runs fills up and
    # blocks the writer (the dashboard logs every request).
    logs = {name: tmp_path / f"{name}.log" for name in ("serve.out", "serve", "worker")}
    with open(logs["serve.out"], "w") as out, open(logs["serve"], "w") as err:
        serve = subprocess.Popen(
            [EXE, "serve", "--port", "0", "--no-browser"], env=env, stdout=out, stderr=err
        )
    with open(logs["worker"], "w") as err:
        worker = subprocess.Popen(
            [EXE, "worker", "--poll", "0.2"], env=env, stdout=subprocess.DEVNULL, stderr=err
        )
    statuses: Counter[int] = Counter()
    slowest: dict[str, float] = {}
    stop = threading.Event()
    try:
        found = None
        for _ in range(300):
            found = URL.search(logs["serve.out"].read_text())
            if found:
                break
            time.sleep(0.1)
        assert found, "followup serve printed no URL"
        base, token = found.group(1), found.group(2)
        client = httpx.Client(base_url=base, timeout=30)
        for _ in range(100):
            try:
                login = client.get(f"/?token={token}", follow_redirects=False)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        assert login.status_code == 303

        def writer() -> None:  # the CLI in another terminal: new interviews, approved
            k = 10
            while not stop.is_set():
                add_and_approve(k)
                k += 1

        def replies() -> None:  # replies land in the inbox; the worker's sync reads them
            k = 0
            while not stop.wait(1.0):
                if k < len(made):  # to interviews already made and approved, never ahead
                    dovecot.append(imap_account, "INBOX", [_reply(1000 + k, k)])
                    k += 1

        threads = [threading.Thread(target=writer), threading.Thread(target=replies)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + SECONDS
        n = 0
        while time.monotonic() < deadline and not stop.is_set():
            iid = made[n % len(made)]
            for path in ("/", "/api/agenda", "/pipeline", f"/interviews/{iid}",
                         f"/api/interviews/{iid}/drafts", "/api/stats"):  # fmt: skip
                started = time.monotonic()
                try:
                    response = client.get(path)
                except httpx.TimeoutException:
                    errors.append(f"GET {path}: no answer in 30 s")
                    stop.set()
                    break
                key = re.sub(r"\d+", "N", path)
                slowest[key] = max(slowest.get(key, 0.0), round(time.monotonic() - started, 3))
                statuses[response.status_code] += 1
                if response.status_code >= 500:
                    errors.append(f"GET {path}: {response.status_code} {response.text[:200]}")
            n += 1
        stop.set()
        for t in threads:
            t.join()
    finally:
        stop.set()
        for proc in (worker, serve):
            proc.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)
        serve.wait(timeout=60)
    worker_err = logs["worker"].read_text()
    serve_err = logs["serve"].read_text()
    assert worker.returncode == 0, worker_err[-2000:]
    assert errors == [], (errors[:5], serve_err[-3000:], worker_err[-2000:])
    # 409: the drafts of an interview whose reply has been read (nothing pending): the answer
    # a user gets then. Anything else, 5xx above all, would be a failure.
    assert set(statuses) <= {200, 409} and statuses[200] > statuses[409], statuses
    for name, text in (("worker", worker_err), ("serve", serve_err)):
        assert "database is locked" not in text, f"{name}: {text[-2000:]}"
        assert "Traceback" not in text, f"{name}: {text[-2000:]}"
    assert " 500 " not in serve_err
    worker_lines = [line for line in worker_err.splitlines() if "failed" in line]
    assert worker_lines == [], worker_lines[:5]
    db = sqlite3.connect(home / "followup.db")
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    sent = {r[0] for r in db.execute("SELECT message_id FROM notes WHERE state = 'sent'")}
    replied = db.execute("SELECT COUNT(*) FROM interviews WHERE status = 'replied'").fetchone()[0]
    db.close()
    received = Counter(smtp_sink.message_ids)
    assert all(n == 1 for n in received.values())
    assert set(received) == sent and len(sent) >= len(made) // 2, (len(sent), len(made))
    assert replied > 0  # reply sync ran alongside and wrote
    print(
        f"{SECONDS:.0f} s: {sum(statuses.values())} requests, {len(made)} interviews added,"
        f" {len(sent)} notes sent, {replied} replies recorded; slowest answers {slowest}"
    )
