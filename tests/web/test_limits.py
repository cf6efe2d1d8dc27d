"""What one request may cost the others (web/limits.py): body caps, the time budget, and the
work kept off the event loop. In-process through the TestClient; tests/web/test_connections.py
drives a real `followup serve` over sockets."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from followup.app.errors import Conflict
from followup.web.app import create_app
from followup.web.conversations import Busy, Conversations
from followup.web.deps import WebConfig
from followup.web.limits import MB, Limits, Turns, WebLimits
from followup.web.security import Sessions
from tests.conftest import Run
from tests.web.conftest import FEED_TOKEN, ORIGIN, PORT, TOKEN, Web
from tests.web.homes import realistic

INTERVIEW = {"company": "Acme", "role": "Engineer", "at": "2026-11-20T10:00"}


def interviews(web: Web) -> list[Any]:
    found = web.get("/api/interviews")
    assert found.status_code == 200, found.text
    rows: list[Any] = found.json()
    return rows


def test_a_json_body_over_1_mb_is_refused_before_anything_is_stored(web: Web) -> None:
    huge = {**INTERVIEW, "company": "A" * (2 * MB)}
    refused = web.api("POST", "/api/interviews", json=huge)
    assert refused.status_code == 413
    assert refused.json() == {"error": "Too large: at most 1 MB here.", "status": 413}
    assert interviews(web) == []
    assert web.api("POST", "/api/interviews", json=INTERVIEW).status_code == 200


def test_a_chunked_body_is_counted_as_it_arrives(web: Web) -> None:
    """No Content-Length to trust: the bytes are counted."""

    def chunks() -> Iterator[bytes]:
        yield b'{"company": "'
        for _ in range(40):
            yield b"A" * 64 * 1024
        yield b'", "role": "Engineer", "at": "2026-11-20T10:00"}'

    refused = web.api(
        "POST", "/api/interviews", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert refused.status_code == 413
    assert "content-length" not in {k.lower() for k in refused.request.headers}
    assert interviews(web) == []


def test_a_form_over_1_mb_gets_a_413_page(web: Web) -> None:
    refused = web.post("/add", {**INTERVIEW, "company": "A" * (MB + 1)})
    assert refused.status_code == 413
    assert "text/html" in refused.headers["content-type"]
    assert "at most 1 MB" in refused.text
    assert refused.headers["x-frame-options"] == "DENY"  # the guard's headers, as any page
    assert interviews(web) == []


def test_an_invitation_may_be_5_mb_and_no_more(web: Web) -> None:
    fields = {"csrf_token": web.csrf}
    headers = {"Origin": ORIGIN}
    over = {"invite": ("invite.ics", b"X" * (6 * MB), "text/calendar")}
    refused = web.client.post("/add/import", data=fields, files=over, headers=headers)
    assert refused.status_code == 413 and "at most 5 MB" in refused.text
    # the body's cap leaves room for the form around the file; the file's own cap is 5 MB
    just_over = {"invite": ("invite.ics", b"X" * (5 * MB + 1), "text/calendar")}
    refused = web.client.post("/add/import", data=fields, files=just_over, headers=headers)
    assert refused.status_code == 400 and "too large for an invitation" in refused.text
    # under the cap the file reaches the importer (which finds no calendar in it)
    under = {"invite": ("invite.ics", b"X" * (4 * MB), "text/calendar")}
    read = web.client.post("/add/import", data=fields, files=under, headers=headers)
    assert read.status_code == 400, read.text[:500]
    assert interviews(web) == []


@pytest.fixture
def blocked(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, threading.Event]]:
    """The pipeline's board waits until released: a slow query, without sleeping."""
    from followup.app import board

    events = {"entered": threading.Event(), "release": threading.Event()}
    real = board.board

    def slow(ctx: Any, query: Any) -> Any:
        events["entered"].set()
        assert events["release"].wait(60)
        return real(ctx, query)

    monkeypatch.setattr(board, "board", slow)
    try:
        yield events
    finally:
        events["release"].set()


def test_a_slow_request_holds_no_one_else(
    web: Web, run: Run, blocked: dict[str, threading.Event]
) -> None:
    """The work runs in the thread pool: while one page waits on the database, the event
    loop answers everyone else."""
    realistic(run)
    slow: dict[str, Any] = {}
    page = threading.Thread(target=lambda: slow.update(r=web.get("/pipeline")))
    page.start()
    assert blocked["entered"].wait(20)
    # a safety net, not a timing: an event loop held by the slow page would wait for it
    threading.Timer(20, blocked["release"].set).start()
    started = time.monotonic()
    agenda = web.get("/api/agenda")
    took = time.monotonic() - started
    answered_while_blocked = not blocked["release"].is_set()
    blocked["release"].set()
    page.join(30)
    assert answered_while_blocked, f"/api/agenda waited for the slow page ({took:.1f} s)"
    assert agenda.status_code == 200 and len(agenda.json()) > 0
    assert slow["r"].status_code == 200


@pytest.fixture
def quick_budget(home: Path) -> Iterator[Web]:
    limits = WebLimits(budget=3.0)  # well over a cold first page on a loaded machine
    app = create_app(WebConfig(str(home), PORT, FEED_TOKEN), Sessions(TOKEN), limits=limits)
    with TestClient(app, base_url=ORIGIN, raise_server_exceptions=False) as client:
        yield Web(client).login()


def test_work_over_the_time_budget_gets_a_503(
    quick_budget: Web, run: Run, blocked: dict[str, threading.Event]
) -> None:
    web = quick_budget
    realistic(run)
    page = web.get("/pipeline")
    assert page.status_code == 503, page.text[:300]
    assert "longer than 3 s" in page.text
    api = web.get("/api/stats")  # not the blocked query: answered as usual meanwhile
    assert api.status_code == 200
    assert blocked["entered"].is_set() and not blocked["release"].is_set()
    blocked["release"].set()
    assert web.get("/pipeline").status_code == 200  # the budget was the work's, not the page's


# --- turns (laptop mode) --------------------------------------------------------------------


def test_requests_take_turns_one_at_a_time() -> None:
    """Four requests at once run one after another, each from start to end, though each
    awaits (as a page does between the database and the template) along the way."""
    turns = Turns(patience=5.0)
    running: list[int] = []
    most = 0

    async def page(n: int) -> None:
        nonlocal most
        running.append(n)
        most = max(most, len(running))
        for _ in range(3):
            await asyncio.sleep(0.005)
        running.remove(n)

    async def four_at_once() -> None:
        await asyncio.gather(*(turns.run(page(n)) for n in range(4)))

    asyncio.run(four_at_once())
    assert most == 1


def test_a_request_whose_turn_does_not_come_runs_beside_the_one_stuck() -> None:
    """A request stuck (on a lock, say) holds the next one up for `patience`, not longer;
    and when it ends, the turn is free again."""
    turns = Turns(patience=0.05)

    async def scene() -> None:
        release = asyncio.Event()
        answered: list[str] = []

        async def stuck() -> None:
            await release.wait()

        async def quick() -> None:
            answered.append("quick")

        first = asyncio.create_task(turns.run(stuck()))
        await asyncio.sleep(0.01)  # the stuck one has the turn
        await asyncio.wait_for(turns.run(quick()), 10)  # without the patience: waits forever
        assert answered == ["quick"] and not first.done()
        release.set()
        await first
        lock = turns._current()
        assert not lock.locked()  # nothing kept the turn: the next one has it at once
        await asyncio.wait_for(turns.run(quick()), 0.04)

    asyncio.run(scene())


def test_only_the_laptop_takes_turns() -> None:
    """Server mode's pages wait on PostgreSQL; that wait is another request's time to run."""
    laptop = Limits(app=_no_app, limits=WebLimits())
    server = Limits(app=_no_app, limits=WebLimits(), turns=False)
    off = Limits(app=_no_app, limits=WebLimits(patience=0))
    assert laptop.turns is not None and laptop.turns.patience == 0.1
    assert server.turns is None and off.turns is None
    assert WebLimits.from_env({"FOLLOWUP_WEB_PATIENCE": "0.5"}).patience == 0.5


async def _no_app(scope: Any, receive: Any, send: Any) -> None:
    raise AssertionError("not called")


def test_an_upload_has_the_time_its_thousands_of_events_take() -> None:
    """A cold trial's 6,500-event invitation was written whole, then answered "took longer
    than 10 s": an upload's budget is its own (120 s), a page's stays 10 s."""
    limits = WebLimits()
    assert limits.budget_for("/add/import") == limits.budget_for("/api/import") == 120.0
    assert limits.budget_for("/pipeline") == 10.0
    assert limits.budget_for("/settings/mail-test") == 120.0
    given = WebLimits.from_env({"FOLLOWUP_WEB_UPLOAD_TIME_BUDGET": "300"})
    assert given.budget_for("/add/import") == 300.0 and given.budget_for("/") == 10.0


def test_server_mode_gives_one_mail_turn_per_seeker_and_few_on_the_site() -> None:
    """An attacker trial fired 40 sends at a server that drips its answers: each held one of
    the pool's database connections while it waited, and another seeker's page failed
    after 58 s. Then one seeker looping the mail test in 4 threads filled a gate that
    counted requests, not seekers. Now: one turn per seeker, `mail_at_once` on the site,
    each refused at once (end to end: tests/server/test_mail_turns.py)."""
    turns = Conversations(server=True, at_once=2)
    grace, linus, ada = ("home", 1), ("home", 2), ("home", 3)
    give_back = turns.take(grace)
    with pytest.raises(Conflict, match=r"^a send or mail check of yours is already under way"):
        turns.take(grace)  # her second, whatever it is
    with turns.held(linus), pytest.raises(Busy, match="Too many sends at once on this server"):
        turns.take(ada)  # the site's two are taken, one each: Grace's and Linus's
    with turns.held(ada):
        pass  # Linus's turn ended: room again
    give_back()
    give_back()  # once only: her next turn is not freed by the first one's second call
    again = turns.take(grace)
    with pytest.raises(Conflict):
        turns.take(grace)
    again()
    laptop = Conversations(server=False, at_once=1)  # requests take turns there already
    for _ in range(3):
        laptop.take(None)
    assert WebLimits.from_env({"FOLLOWUP_WEB_MAIL_AT_ONCE": "5"}).mail_at_once == 5
