"""The cadence never contradicts itself: a promised date delays only the chase, and the
agenda, `send` and `show` agree on whether a note may go now (planner.standing)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Run


def _interview(run: Run, at: str = "2026-11-23T14:00") -> str:
    # ends Mon 23 Nov 2026 15:00 Berlin = 14:00Z: the thank-you is due Wed 25 Nov 14:00Z
    r = run("add", "--company", "Acme", "--role", "Eng", "--at", at,
            "--tz", "Europe/Berlin", "--interviewer", "Ada <ada@acme.example>",
            "--json")  # fmt: skip
    assert r.code == 0, r.err
    return str(r.json["id"])


def _due(run: Run, now: str | None = None) -> list[tuple[int, str]]:
    items = run("agenda", "--json", now=now).json
    return [(i["step"], i["due_at"]) for i in items]


def _send(run: Run, home: Path, iid: str, now: str) -> list[Any]:
    """`send ID` through its use-case, to a fake mailer, at `now`."""
    from followup.adapters.mail.fake import FakeMailbox, FakeMailer
    from followup.adapters.mail.message import compose
    from followup.app import sending
    from followup.bootstrap import open_context

    run("config", "set", "user.name", "Grace")  # signed: a lint-clean note
    run("debrief", iid, "--topic", "the billing rewrite", "--skill", "PostgreSQL")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FOLLOWUP_NOW", now)
        ctx = open_context(str(home))
        outbox = sending.Outbox("Grace <grace@example.org>", "grace@example.org", compose,
                                FakeMailer(), FakeMailbox())  # fmt: skip
        return list(sending.send_interview(ctx, outbox, int(iid), to_drafts=False))


def test_expect_before_the_thank_you_leaves_the_thank_you_at_48_hours(run: Run) -> None:
    iid = _interview(run)
    r = run("expect", iid, "--by", "2026-11-27")
    assert r.code == 0, r.err
    assert "Next: the thank-you, due Wed 25 Nov 2026 15:00 CET" in r.out
    assert _due(run) == [(1, "2026-11-25T14:00:00Z")]


def test_a_promised_date_still_holds_back_the_follow_up(run: Run) -> None:
    iid = _interview(run)
    run("expect", iid, "--by", "2026-12-04")  # a Friday
    assert _due(run) == [(1, "2026-11-25T14:00:00Z")]
    assert run("sent", iid, now="2026-11-25T15:00:00Z").code == 0
    # 7 days after the thank-you is Wed 2 Dec; the promise holds it to Mon 7 Dec 09:00 Berlin
    assert _due(run, "2026-11-25T15:00:00Z") == [(2, "2026-12-07T08:00:00Z")]


def test_debrief_promised_by_does_not_move_the_thank_you(run: Run) -> None:
    iid = _interview(run)
    r = run("debrief", iid, "--topic", "the billing rewrite", "--promised-by", "2026-11-27")
    assert r.code == 0, r.err
    assert _due(run) == [(1, "2026-11-25T14:00:00Z")]
    assert run("show", iid, "--json").json["expect_by"] == "2026-11-27"


def test_a_thank_you_not_yet_due_is_never_fading_and_all_three_agree(run: Run, home: Path) -> None:
    # a first step of 10 days: the interview ends Wed 11 Nov 14:00Z, the thank-you may go
    # Sat 21 Nov 14:00Z, so it is due Mon 23 Nov 09:00 Berlin (08:00Z)
    assert run("config", "set", "policy.thank_you_after_hours", "240").code == 0
    iid = _interview(run, "2026-11-11T14:00")
    sunday = "2026-11-22T12:00:00Z"  # past the fading line, before the due time

    [item] = run("agenda", "--json", now=sunday).json
    assert (item["due_at"], item["state"], item["fading"]) == (
        "2026-11-23T08:00:00Z",
        "upcoming",
        False,
    )
    text = run("agenda", now=sunday).out
    assert "FADING" not in text and "Fading:" not in text
    assert "1 upcoming" in text
    assert "send now" not in run("show", iid, now=sunday).out
    [refused] = _send(run, home, iid, sunday)
    assert (refused.outcome, refused.detail) == (
        "skipped",
        "not due until Mon 23 Nov 2026 09:00 CET (your custom cadence): --force sends now",
    )

    monday = "2026-11-23T08:00:00Z"  # due: now it is fading, and all three say "send now"
    [item] = run("agenda", "--json", now=monday).json
    assert (item["state"], item["fading"]) == ("due", True)
    assert "FADING" in run("agenda", now=monday).out
    assert "thank-you due — FADING: send now" in run("show", iid, now=monday).out
    [sent] = _send(run, home, iid, monday)
    assert sent.outcome == "sent", sent.detail


def test_a_custom_cadence_is_named_in_policy_show_and_the_agenda(run: Run) -> None:
    assert run("config", "set", "policy.custom", "true").code == 0
    _interview(run)
    assert "Custom cadence:" in run("policy", "show").out
    agenda = run("agenda").out
    assert "Custom cadence:" in agenda and "etiquette" not in agenda
