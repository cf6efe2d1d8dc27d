"""Stats: reply rates by step, tone and days-to-send; time to a first reply; notes per week.

The numbers are rendered on the page (readable without JavaScript); static/stats.js draws
the same numbers as uPlot charts from the JSON twin.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from followup.app.context import Context
from followup.app.parse import parse_date, parse_datetime
from followup.domain.workdays import wall_to_utc
from followup.web import pages
from followup.web.deps import Ctx

router = APIRouter()

SinceQuery = Annotated[
    str | None,
    Query(description="Only interviews since this day (YYYY-MM-DD, your zone) or instant."),
]


def stats_data(ctx: Context, since: str | None) -> dict[str, Any]:
    """`followup stats --json`: app/stats.py's numbers through app/views.py."""
    from followup.app import stats, views

    return views.stats(stats.stats(ctx, _since(since, ctx.user_tz) if since else None))


def _since(text: str, tz: str) -> datetime:
    """As `followup stats --since`: a day (its local midnight in `tz`) or an ISO-8601 instant."""
    text = text.strip()
    if "T" in text or " " in text:
        return parse_datetime(text, tz)[0]
    return wall_to_utc(parse_date(text), time(0), tz)


@router.get("/stats", include_in_schema=False)
def stats_page(request: Request, ctx: Ctx, since: SinceQuery = None) -> Response:
    return pages.render(request, "stats.html", data=stats_data(ctx, since), since=since or "")


@router.get("/api/stats", tags=["stats"], summary="The outcome numbers: `followup stats --json`")
def api_stats(ctx: Ctx, since: SinceQuery = None) -> dict[str, Any]:
    """Reply rate by step, by tone and by days to the thank-you; time to the first reply;
    notes sent per week (rates 0–1, durations in days)."""
    return stats_data(ctx, since)
