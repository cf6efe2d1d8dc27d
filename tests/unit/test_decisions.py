"""The one function behind each decision the edges used to make themselves."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from followup.app.wording import step_rule
from followup.domain.planner import next_due
from followup.domain.policy import ARTICLE_POLICY

AT = datetime(2026, 11, 25, 9, tzinfo=UTC)


class N(NamedTuple):
    name: str
    step: int
    due_at: datetime


def test_next_due_is_the_earliest_then_the_lower_step_then_the_first_given() -> None:
    assert next_due([]) is None
    assert next_due([N("late", 1, AT + timedelta(hours=1)), N("early", 2, AT)]).name == "early"
    assert next_due([N("step 2", 2, AT), N("step 1", 1, AT)]).name == "step 1"
    assert next_due([N("ada", 1, AT), N("bob", 1, AT)]).name == "ada"


def test_a_steps_rule_is_read_from_the_policy() -> None:
    assert step_rule(ARTICLE_POLICY, 1) == "48 h after the interview"
    assert step_rule(ARTICLE_POLICY, 2) == "7 days after the thank-you was sent"
    assert step_rule(ARTICLE_POLICY, 3) == "14 days after the follow-up was sent"
    shaped = ARTICLE_POLICY.with_overrides(delays={1: timedelta(hours=24), 2: timedelta(days=10)})
    assert step_rule(shaped, 1) == "24 h after the interview"
    assert step_rule(shaped, 2) == "10 days after the thank-you was sent"
