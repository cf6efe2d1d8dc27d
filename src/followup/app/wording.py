"""Instants in words for people: one wording for the CLI and the dashboard."""

from __future__ import annotations

from datetime import datetime, timedelta

from followup.domain.workdays import zone

KIND_LABEL = {"thank-you": "thank-you", "follow-up": "follow-up", "final": "final note"}


def local(dt: datetime | None, tz: str, with_zone: bool = True) -> str:
    if dt is None:
        return "—"
    here = dt.astimezone(zone(tz))
    text = here.strftime("%a %d %b %Y %H:%M")
    return f"{text} {here.tzname()}" if with_zone else text


def relative(dt: datetime, now: datetime) -> str:
    """'in 2 days', '3 h ago' — coarse on purpose."""
    delta = dt - now
    future = delta >= timedelta(0)
    seconds = abs(delta.total_seconds())
    if seconds < 3600:
        amount = f"{int(seconds // 60)} min"
    elif seconds < 2 * 86400:
        amount = f"{int(seconds // 3600)} h"
    else:
        amount = f"{int(seconds // 86400)} days"
    return f"in {amount}" if future else f"{amount} ago"
