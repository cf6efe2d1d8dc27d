"""A provider's daily sending limit (app/pacing.py) on the CLI and in the worker: notes past
it wait, and `send`, `show`, the agenda and the worker's log say why and until when."""

from __future__ import annotations

import pytest

from followup.app.errors import ExitCode
from tests.conftest import Run
from tests.integration.smtp_sink import Sink
from tests.integration.test_sending import configure, due_interview, notes

pytestmark = pytest.mark.integration

AN_HOUR_LATER = "2026-11-25T13:00:00Z"
TWO_HOURS_LATER = "2026-11-25T14:00:00Z"
A_DAY_AFTER_THE_FIRST = "2026-11-26T12:00:00Z"
WAITS = (
    "mail.daily_limit allows 2 recipients a day; 2 sent since Wed 25 Nov 2026 13:00 CET:"
    " this note waits until Thu 26 Nov 2026 13:00 CET"
)


def test_notes_past_the_daily_limit_wait_and_every_view_says_until_when(
    run: Run, smtp_sink: Sink
) -> None:
    configure(run, smtp_sink, ("mail.daily_limit", "2"))
    first, second, third = (due_interview(run, f"Ada {n} <ada{n}@acme.example>") for n in range(3))
    assert run("send", first).code == 0
    assert run("send", second, now=AN_HOUR_LATER).code == 0
    assert len(smtp_sink.received) == 2

    for force in ((), ("--force",)):  # the provider's limit is not ours to override
        held = run("send", third, *force, "--json", now=TWO_HOURS_LATER)
        assert held.code == ExitCode.CONFLICT, held.err
        assert [(r["outcome"], r["detail"]) for r in held.json] == [("held", WAITS)]
    assert len(smtp_sink.received) == 2
    assert next(n["state"] for n in notes(run, third)) == "pending"  # nothing lost

    shown = run("show", third, now=TWO_HOURS_LATER)
    assert f"  Waits:  {WAITS}\n" in shown.out
    assert run("show", third, "--json", now=TWO_HOURS_LATER).json["waits"] == WAITS
    assert run("show", first, "--json", now=TWO_HOURS_LATER).json["waits"] is None  # not due
    agenda = run("agenda", now=TWO_HOURS_LATER)
    # as the setting is spelt: "mail.daily_limit allows", not "Mail.daily_limit allows"
    assert "\n" + WAITS.replace("this note waits", "due notes wait") + ".\n" in agenda.out

    # a day after the first send, one recipient is free again: the note goes
    assert run("send", third, now=A_DAY_AFTER_THE_FIRST).code == 0
    assert len(smtp_sink.received) == 3
    assert "Waits" not in run("show", third, now=A_DAY_AFTER_THE_FIRST).out


def test_no_limit_unless_set_or_the_preset_has_one(run: Run, smtp_sink: Sink) -> None:
    configure(run, smtp_sink, ("mail.daily_limit", "0"))  # 0: none
    for n in range(3):
        assert run("send", due_interview(run, f"Ada <ada{n}@acme.example>")).code == 0
    assert len(smtp_sink.received) == 3
    assert "wait" not in run("agenda").out


def test_the_worker_holds_approved_notes_and_says_why_once(run: Run, smtp_sink: Sink) -> None:
    configure(run, smtp_sink, ("mail.daily_limit", "1"))
    first, second = (due_interview(run, f"Ada <ada{n}@acme.example>") for n in range(2))
    for iid in (first, second):
        assert run("send", iid, "--when-due").code == 0
    r = run("worker", "--once")
    assert r.code == 0, r.err
    assert len(smtp_sink.received) == 1
    waiting = (
        "mail.daily_limit allows 1 recipients a day; 1 sent since Wed 25 Nov 2026 13:00 CET:"
        " notes wait until Thu 26 Nov 2026 13:00 CET"
    )
    assert r.err.count(waiting) == 1, r.err
    held = next(iid for iid in (first, second) if notes(run, iid)[0]["state"] == "pending")
    assert run("worker", "--once", now=AN_HOUR_LATER).code == 0
    assert len(smtp_sink.received) == 1  # still waiting, still approved
    assert run("worker", "--once", now=A_DAY_AFTER_THE_FIRST).code == 0  # 24 h after the first
    assert len(smtp_sink.received) == 2
    assert notes(run, held)[0]["state"] == "sent"
