"""app/coaching.py's adherence numbers, on the laptop's SQLite (the same store SQL)."""

from __future__ import annotations

from tests.conftest import Run


def _add(run: Run, at: str, role: str = "Dev") -> None:
    result = run("add", "--company", "Acme", "--role", role, "--at", at, "--tz", "Europe/Berlin",
                 "--interviewer", "Ada <ada@acme.example>")  # fmt: skip
    assert result.code == 0, result.err


def test_on_time_means_no_later_than_due_plus_the_grace(run: Run) -> None:
    from followup.app import coaching
    from followup.bootstrap import open_context

    # Monday Nov 2 09:00-10:00 Berlin: each thank-you is due Wednesday Nov 4 10:00 Berlin
    # (09:00Z); the grace (overdue_after) is 24 h: on time up to Thursday 09:00Z.
    for role in ("Dev", "Ops", "QA"):  # three applications (one twice would be refused)
        _add(run, "2026-11-02T09:00", role)
    assert run("sent", "1", "--at", "2026-11-03T12:00Z", "--force").code == 0  # early: on time
    assert run("sent", "2", "--at", "2026-11-05T09:00Z").code == 0  # due + 24 h: on time
    assert run("sent", "3", "--at", "2026-11-05T09:01Z").code == 0  # a minute later: late
    _add(run, "2026-11-16T10:00")  # thank-you unsent 9 days: fading
    _add(run, "2026-11-23T08:00")  # due today (Wed 25th) 09:00 Berlin, within the grace: due
    _add(run, "2026-11-24T15:00")  # due Thursday: upcoming
    assert run("replied", "1").code == 0

    a = coaching.adherence(open_context())
    assert (a.sent_on_time, a.sent_late, a.notes_sent) == (2, 1, 3)
    # open: 2 and 3 (follow-ups due Nov 12: overdue), fading, due today, upcoming
    assert (a.fading, a.overdue, a.due, a.upcoming) == (1, 2, 1, 1)
    assert a.due_now == 4  # fading + overdue + due
    assert (a.replied, a.open) == (1, 5)
    data = coaching.adherence_json(a)
    assert data["on_time_rate"] == round(2 / 3, 4)
    assert set(data) == {"due_now", "fading", "overdue", "due", "upcoming", "sent_on_time",
                         "sent_late", "notes_sent", "on_time_rate", "sequences"}  # fmt: skip
    # the hiring side's answers count apart (issue #15)
    from followup.app import services
    from followup.domain.model import Status

    services.conclude(open_context(), 2, Status.REJECTED)
    after = coaching.adherence_json(coaching.adherence(open_context()))["sequences"]
    assert (after["rejected"], after["role_closed"], after["offer"], after["open"]) == (1, 0, 0, 4)
