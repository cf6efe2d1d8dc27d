"""Today as a to-do list (issue #16): its groups, the snooze's floor, and the advice for a
thank-you left far too long."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from followup.app import wording
from followup.app.agenda import grouped
from followup.domain.model import AgendaState, Application, Interview, Sequence
from followup.domain.planner import (
    AgendaItem,
    is_fading,
    is_past_its_moment,
    plan_next,
    snoozed_until,
    standing,
)
from followup.domain.policy import ARTICLE_POLICY

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)  # a Wednesday
BERLIN = "Europe/Berlin"


def item(company: str, due: datetime, state: AgendaState, fading: bool = False) -> AgendaItem:
    return AgendaItem(
        1, 1, company, "Engineer", 1, "thank-you", due, state, fading, (), NOW, BERLIN
    )


def test_now_holds_what_may_go_this_week_the_next_seven_days_later_the_rest() -> None:
    items = [
        item("Fading", NOW - timedelta(days=9), AgendaState.OVERDUE, fading=True),
        item("Overdue", NOW - timedelta(days=2), AgendaState.OVERDUE),
        item("Due", NOW - timedelta(hours=1), AgendaState.DUE),
        item("Soon", NOW + timedelta(hours=3), AgendaState.UPCOMING),
        item("Sunday", NOW + timedelta(days=6, hours=23), AgendaState.UPCOMING),
        item("Eight days", NOW + timedelta(days=8), AgendaState.UPCOMING),
    ]
    groups = {key: [i.company for i in rows] for key, _, rows in grouped(items, NOW)}
    assert groups == {
        "now": ["Fading", "Overdue", "Due"],
        "week": ["Soon", "Sunday"],
        "later": ["Eight days"],
    }
    assert [title for _, title, _ in grouped(items, NOW)] == ["Now", "This week", "Later"]


def test_an_empty_group_is_left_out() -> None:
    only_later = [item("Later", NOW + timedelta(days=30), AgendaState.UPCOMING)]
    assert [key for key, _, _ in grouped(only_later, NOW)] == ["later"]
    assert grouped([], NOW) == []


def test_a_snooze_counts_from_the_due_time_when_it_is_ahead() -> None:
    due = NOW + timedelta(hours=3)
    assert snoozed_until("1d", due, NOW, BERLIN) == due + timedelta(days=1)
    assert snoozed_until("3d", due, NOW, BERLIN) == due + timedelta(days=3)


def test_a_snooze_counts_from_now_for_a_note_already_due() -> None:
    due = NOW - timedelta(days=4)
    assert snoozed_until("1d", due, NOW, BERLIN) == NOW + timedelta(days=1)


def test_next_week_is_the_coming_monday_at_midnight_in_the_users_zone() -> None:
    until = snoozed_until("week", NOW, NOW, BERLIN)
    assert until.astimezone(ZoneInfo(BERLIN)) == datetime(2026, 11, 30, tzinfo=ZoneInfo(BERLIN))
    sunday = datetime(2026, 11, 29, 22, 0, tzinfo=UTC)  # Monday 00:00 already in Tokyo
    assert snoozed_until("week", sunday, sunday, "Asia/Tokyo") == datetime(
        2026, 12, 6, 15, 0, tzinfo=UTC
    )


def test_an_unknown_snooze_is_refused() -> None:
    with pytest.raises(ValueError):
        snoozed_until("forever", NOW, NOW, BERLIN)


def _seq(start: datetime, defer_until: datetime | None) -> Sequence:
    interview = Interview(
        id=1,
        application_id=1,
        round=1,
        start=start,
        duration=timedelta(hours=1),
        tz=BERLIN,
        defer_until=defer_until,
    )
    return Sequence(interview=interview, application=Application(1, "Acme", "Engineer"))


def test_a_snooze_moves_the_note_later_but_never_before_its_rule() -> None:
    """The snooze is a floor beside the step's own: a snooze that ends before the 48 hours
    (the interview was moved later after it) leaves the thank-you at its rule."""
    start = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)  # Monday 14:00 Berlin
    [plain] = plan_next(_seq(start, None), ARTICLE_POLICY).notes
    until = snoozed_until("1d", plain.due_at, NOW, BERLIN)
    [snoozed] = plan_next(_seq(start, until), ARTICLE_POLICY).notes
    assert snoozed.due_at == until  # Thursday 15:00 Berlin: inside the window
    assert snoozed.earliest_at == plain.earliest_at
    moved = start + timedelta(days=7)  # the interview moved a week later
    [after_move] = plan_next(_seq(moved, until), ARTICLE_POLICY).notes
    assert after_move.due_at >= moved + timedelta(hours=49)  # the 48 h after its end
    assert after_move.due_at == plan_next(_seq(moved, None), ARTICLE_POLICY).notes[0].due_at


def test_a_thank_you_forty_days_late_is_not_send_now() -> None:
    end = datetime(2026, 10, 15, 12, 0, tzinfo=UTC)
    due = end + timedelta(hours=48)
    forty = end + timedelta(days=40)
    risk = standing(1, due, end, forty, ARTICLE_POLICY)
    assert risk.fading and risk.past
    said = wording.advice(risk)
    assert said is not None and "send now" not in said and "let it go" in said


def test_a_thank_you_ten_days_late_still_says_send_now() -> None:
    end = datetime(2026, 11, 13, 12, 0, tzinfo=UTC)
    ten = end + timedelta(days=10)
    risk = standing(1, end + timedelta(hours=48), end, ten, ARTICLE_POLICY)
    assert risk.fading and not risk.past
    assert wording.advice(risk) == "FADING: send now"


def test_past_its_moment_is_the_whole_cadence_after_the_interview() -> None:
    end = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)
    due = end + timedelta(hours=48)
    cadence = sum((s.delay for s in ARTICLE_POLICY.active_steps), timedelta(0))
    just_before = end + cadence - timedelta(minutes=1)
    assert is_fading(1, end, due, just_before, ARTICLE_POLICY)
    assert not is_past_its_moment(1, end, due, just_before, ARTICLE_POLICY)
    assert is_past_its_moment(1, end, due, end + cadence, ARTICLE_POLICY)
    assert not is_past_its_moment(2, end, due, end + cadence * 3, ARTICLE_POLICY)
