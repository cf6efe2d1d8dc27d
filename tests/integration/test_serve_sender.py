"""`followup serve` sends approved notes when due by itself (issue #16 trial item 1): the
worker's loop in a thread of the dashboard, the same claims, so a `followup worker` running
beside it never makes a note go out twice; `--no-send-due` turns it off."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import NOW, Run
from tests.integration.smtp_sink import Sink
from tests.integration.test_sending import configure, due_interview, notes

pytestmark = pytest.mark.integration


def _start(home: Path, *args: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("FOLLOWUP_FAILPOINT",)}
    env.update(FOLLOWUP_HOME=str(home), FOLLOWUP_NOW=NOW, PYTHONUNBUFFERED="1")
    exe = str(Path(sys.executable).with_name("followup"))
    return subprocess.Popen(
        [exe, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _stop(proc: subprocess.Popen[str]) -> str:
    if proc.poll() is None:
        proc.terminate()
    try:
        _, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
    return err


def _wait_for(sink: Sink, count: int, timeout: float = 40.0) -> None:
    deadline = time.monotonic() + timeout
    while len(sink.received) < count and time.monotonic() < deadline:
        time.sleep(0.1)


def test_serve_sends_an_approved_note_when_due_with_no_worker(
    run: Run, smtp_sink: Sink, home: Path
) -> None:
    configure(run, smtp_sink)
    iid = due_interview(run)
    assert run("send", iid, "--when-due").code == 0
    serve = _start(home, "serve", "--port", "0", "--no-browser")
    try:
        _wait_for(smtp_sink, 1)
    finally:
        err = _stop(serve)
    assert serve.returncode == 0, err
    [mail] = smtp_sink.received
    thank_you = notes(run, iid)[0]
    assert thank_you["state"] == "sent" and mail.message_id == thank_you["message_id"]
    assert "Traceback" not in err


def test_serve_and_a_worker_send_each_approved_note_exactly_once(
    run: Run, smtp_sink: Sink, home: Path
) -> None:
    configure(run, smtp_sink)
    ids = [due_interview(run) for _ in range(8)]
    for iid in ids:
        assert run("send", iid, "--when-due").code == 0
    serve = _start(home, "serve", "--port", "0", "--no-browser")
    worker = _start(home, "worker", "--poll", "0.1")
    try:
        _wait_for(smtp_sink, len(ids))
        time.sleep(2)  # a second send, if there were one, would arrive now
    finally:
        errs = _stop(worker) + _stop(serve)
    assert "Traceback" not in errs, errs
    sent_ids = sorted(m.message_id for m in smtp_sink.received)
    assert len(sent_ids) == len(ids) == len(set(sent_ids))  # every note, none twice
    assert all(notes(run, iid)[0]["state"] == "sent" for iid in ids)


def test_serve_with_no_send_due_sends_nothing(run: Run, smtp_sink: Sink, home: Path) -> None:
    configure(run, smtp_sink)
    iid = due_interview(run)
    assert run("send", iid, "--when-due").code == 0
    serve = _start(home, "serve", "--port", "0", "--no-browser", "--no-send-due")
    try:
        time.sleep(8)  # the sender polls every 5 s: it would have sent by now
    finally:
        _stop(serve)
    assert smtp_sink.received == []
    assert notes(run, iid)[0]["state"] == "pending"
