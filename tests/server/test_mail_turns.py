"""Server mode: one mail conversation per seeker at a time (web/conversations.py).

An attacker trial: a seeker whose SMTP server accepts the connection and never answers
pressed Send on 12 notes and looped the mail test in 4 threads; another seeker's Send
waited 4-5.5 minutes, and their Test connection and API send got 503. Now the first
seeker's second conversation is refused at once, in one line, and the others' go through.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from followup.app import accounts as acc_mod
from tests.conftest import Run
from tests.integration.mail_servers import Served, serving, silent
from tests.integration.smtp_sink import Sink, smtp_sink  # noqa: F401  (the fixture)
from tests.integration.test_sending import due_interview
from tests.server.web import PASSWORD, Browser
from tests.web.mailjob import lines, press, settled

pytestmark = pytest.mark.integration

ALREADY = "a send or mail check of yours is already under way: wait for it to finish"
STUCK = 3.0  # seconds the silent server holds a conversation (bootstrap.MAIL_TIMEOUT)


@pytest.fixture
def silent_smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Served]:
    from followup import bootstrap

    monkeypatch.setattr(bootstrap, "MAIL_TIMEOUT", STUCK)
    with serving(silent) as server:  # accepts, never says a word (not even hello)
        yield server


def _seeker(run: Run, accounts: Any, email: str, port: int, monkeypatch: Any) -> str:
    """A seeker signed up, their mail account set, one note due; the interview's id."""
    acc_mod.add_user(accounts, email, "seeker", PASSWORD)
    monkeypatch.setenv("FOLLOWUP_USER", email)
    for key, value in (
        ("user.name", email.split("@")[0].title()),
        ("user.email", email),  # server mode: notes go from the address one signs in with
        ("mail.smtp_host", "127.0.0.1"),
        ("mail.smtp_port", str(port)),
        ("mail.smtp_security", "none"),
        ("mail.mode", "send"),
    ):
        assert run("config", "set", key, value).code == 0
    return due_interview(run)


def _in_background(call: Any) -> tuple[threading.Thread, list[Any]]:
    answer: list[Any] = []
    thread = threading.Thread(target=lambda: answer.append(call()), daemon=True)
    thread.start()
    return thread, answer


def _quick(call: Any) -> Any:
    """The answer, asserted to come at once (well before the stuck server lets go)."""
    started = time.monotonic()
    answer = call()
    assert time.monotonic() - started < STUCK / 2, "waited for the other conversation"
    return answer


def test_a_seekers_second_mail_request_is_refused_at_once_and_others_go_through(
    server_app: Any,
    run: Run,
    accounts: Any,
    home: Path,
    silent_smtp: Served,
    smtp_sink: Sink,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    grace_iid = _seeker(run, accounts, "grace@example.org", silent_smtp.port, monkeypatch)
    second_iid = due_interview(run)  # Grace's second draft
    linus_iid = _seeker(run, accounts, "linus@example.org", smtp_sink.port, monkeypatch)
    grace = [Browser(server_app).login("grace@example.org") for _ in range(2)]
    linus = Browser(server_app).login("linus@example.org")
    try:
        stuck, answer = _in_background(
            lambda: grace[0].api("POST", f"/api/interviews/{grace_iid}/send")
        )
        assert silent_smtp.arrived.wait(5)  # Grace's server holds her first send
        # her second conversation, of any kind, is refused at once, in one line
        for path in (f"/api/interviews/{second_iid}/send", "/api/mail/test"):
            refused = _quick(lambda p=path: grace[1].api("POST", p))
            assert refused.status_code == 409, refused.text
            assert refused.json()["error"] == ALREADY
        test_form = _quick(
            lambda: grace[1].post("/settings/mail-test", headers={"HX-Request": "true"})
        )
        assert test_form.status_code == 200 and ALREADY in test_form.text
        # another seeker's Test connection and Send go meanwhile
        tested = _quick(lambda: linus.api("POST", "/api/mail/test"))
        assert tested.status_code == 200 and tested.json()["smtp"].endswith(" ok"), tested.text
        sent = _quick(lambda: linus.api("POST", f"/api/interviews/{linus_iid}/send"))
        assert sent.status_code == 200, sent.text
        assert [row["outcome"] for row in sent.json()] == ["sent"]
        assert [m.sender for m in smtp_sink.received] == ["linus@example.org"]
        stuck.join(STUCK * 4)
        assert not stuck.is_alive() and answer[0].status_code == 200
        assert [row["outcome"] for row in answer[0].json()] != ["sent"]  # it never went
        # her turn is back once the first has ended: her server is still silent, but the
        # next request talks to it (and times out) instead of being refused
        again = grace[1].api("POST", "/api/mail/test")
        assert again.status_code == 200 and not again.json()["smtp"].endswith(" ok"), again.text
    finally:
        for browser in (*grace, linus):
            browser.close()


def test_the_send_button_refuses_a_seekers_second_send_while_others_send(
    server_app: Any,
    run: Run,
    accounts: Any,
    home: Path,
    silent_smtp: Served,
    smtp_sink: Sink,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The button's jobs: Grace's stuck Send holds one of the pool's threads, never more;
    her next Send, and Check mail, say why at once; Linus's Send goes at once."""
    grace_iid = _seeker(run, accounts, "grace@example.org", silent_smtp.port, monkeypatch)
    second_iid = due_interview(run)
    linus_iid = _seeker(run, accounts, "linus@example.org", smtp_sink.port, monkeypatch)
    grace = Browser(server_app).login("grace@example.org")
    linus = Browser(server_app).login("linus@example.org")
    try:
        first = press(grace, grace_iid, "send")  # type: ignore[arg-type]
        assert 'data-running="true"' in first.text
        assert silent_smtp.arrived.wait(5)
        for _ in range(3):  # pressing again and again never takes another thread
            region = _quick(lambda: press(grace, second_iid, "send").text)  # type: ignore[arg-type]
            assert (
                lines(region, "error") == [f"Not sent: {ALREADY}."]
                and 'data-running="true"' not in region
            )
        check = _quick(
            lambda: (
                grace.post("/sync", headers={"HX-Request": "true", "HX-Target": "mail-check"}).text
            )
        )
        assert lines(check, "error") == [f"A{ALREADY[1:]}."]
        for _ in range(2):  # more than the laptop's two threads' worth of Grace's
            press(grace, grace_iid, "send")  # the same note: its running job, nothing new
        started = time.monotonic()
        region = settled(linus, linus_iid, press(linus, linus_iid, "send").text)  # type: ignore[arg-type]
        assert lines(region, "ok") == ["Sent to Ada Lovelace <ada@acme.example>."]
        assert time.monotonic() - started < STUCK / 2  # not queued behind Grace's
        done = settled(grace, grace_iid, first.text)  # type: ignore[arg-type]
        assert lines(done, "ok") == [] and lines(done, "error")  # hers says what went wrong
    finally:
        grace.close()
        linus.close()
