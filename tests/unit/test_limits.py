"""The limits' edges (domain/limits.py): the numbers live in one place and the importers'
own cuts are the same numbers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from followup.app import calendar
from followup.domain import limits


def test_edges_are_inclusive() -> None:
    assert limits.length_problem("company", "x" * 200, limits.COMPANY) is None
    assert limits.length_problem("company", "x" * 201, limits.COMPANY) == (
        "the company is 201 characters long: at most 200"
    )
    assert limits.duration_problem(timedelta(minutes=1)) is None
    assert limits.duration_problem(timedelta(hours=24)) is None
    assert limits.duration_problem(timedelta(seconds=59)) is not None
    assert limits.duration_problem(timedelta(hours=24, seconds=1)) is not None
    assert limits.instant_problem("start", datetime(1970, 1, 1, tzinfo=UTC)) is None
    assert limits.instant_problem("start", datetime(2100, 12, 31, 23, 59, tzinfo=UTC)) is None
    assert limits.instant_problem("start", datetime(2101, 1, 1, tzinfo=UTC)) is not None
    assert limits.instant_problem("start", datetime(1969, 12, 31, 23, 59, tzinfo=UTC)) is not None
    assert limits.date_problem("date", date(2100, 12, 31)) is None
    assert limits.date_problem("date", date(9999, 12, 31)) is not None
    assert limits.count_problem("topics", 21, limits.TOPICS) == "21 topics: at most 20"


def test_an_invite_is_cut_to_the_same_limits_the_use_cases_check() -> None:
    assert calendar.MAX_DESCRIPTION == limits.DESCRIPTION
    assert calendar.MAX_LOCATION == limits.LOCATION
    assert min(limits.COMPANY, limits.ROLE, limits.NAME) >= calendar.MAX_FIELD
    assert calendar.MAX_INTERVIEWERS == limits.INTERVIEWERS
    assert calendar.MAX_FILE_BYTES == limits.INVITE_BYTES
