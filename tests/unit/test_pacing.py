"""The daily sending limit's rule (app/pacing.py): whose limit, when it holds, until when."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from followup.app import pacing
from followup.app.pacing import DailyLimit

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def test_gmails_preset_declares_about_500_for_a_consumer_address() -> None:
    assert pacing.limit_of("gmail", None, "grace@gmail.com") == DailyLimit(
        500, "Gmail allows about"
    )
    assert pacing.limit_of("gmail", None, "Grace@GoogleMail.com") is not None
    # a Google Workspace domain (found by its MX) has other limits: it sets its own
    assert pacing.limit_of("gmail", None, "grace@acme.example") is None
    assert pacing.limit_of("fastmail", None, "grace@fastmail.com") is None
    assert pacing.limit_of(None, None, "grace@gmail.com") is None


@pytest.mark.parametrize(
    ("setting", "expected"),
    [(0, None), ("0", None), (100, DailyLimit(100, "mail.daily_limit allows"))],
)
def test_the_setting_overrides_the_preset(setting: object, expected: DailyLimit | None) -> None:
    assert pacing.limit_of("gmail", setting, "grace@gmail.com") == expected
    assert pacing.limit_of(None, setting, "grace@example.org") == expected


def context(sent: list[datetime], limit: DailyLimit | None) -> SimpleNamespace:
    store = SimpleNamespace(sent_since=lambda since: sorted(t for t in sent if t > since))
    return SimpleNamespace(
        store=store, clock=SimpleNamespace(now=lambda: NOW), daily_limit=limit,
        user_tz="America/New_York",
    )  # fmt: skip


def test_500_sent_in_a_day_hold_the_next_until_the_oldest_leaves_the_window() -> None:
    gmail = pacing.limit_of("gmail", None, "grace@gmail.com")
    # 500 sends over the last 20 hours, and one from yesterday that no longer counts
    sent = [NOW - timedelta(hours=20) + timedelta(minutes=2 * n) for n in range(500)]
    ctx = context([NOW - timedelta(hours=30), *sent], gmail)
    held = pacing.hold(ctx)  # type: ignore[arg-type]
    assert held is not None and held.sent == 500
    assert held.until == sent[0] + timedelta(hours=24)  # 4 hours from now
    assert pacing.why(held, "America/New_York") == (
        "Gmail allows about 500 recipients a day; 500 sent since Tue 24 Nov 2026 11:00 EST:"
        " this note waits until Wed 25 Nov 2026 11:00 EST"
    )
    assert pacing.hold(context(sent[1:], gmail)) is None  # type: ignore[arg-type]  # 499: one more
    assert pacing.waits(ctx, due=True) == pacing.why(held, "America/New_York")  # type: ignore[arg-type]
    assert pacing.waits(ctx, due=False) == ""  # type: ignore[arg-type]  # nothing due: nothing said


def test_over_the_limit_waits_for_enough_sends_to_leave() -> None:
    """Lowered to 2 with 4 sends in the window: a note goes once 3 have left it."""
    sent = [NOW - timedelta(hours=h) for h in (23, 22, 21, 1)]
    held = pacing.hold(context(sent, DailyLimit(2, "mail.daily_limit allows")))  # type: ignore[arg-type]
    assert held is not None and held.until == NOW + timedelta(hours=3)
    assert pacing.hold(context(sent, None)) is None  # type: ignore[arg-type]
