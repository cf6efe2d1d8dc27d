"""`followup stats`: how the follow-ups went, as small tables with text bars.

Only click at module level: every command's start-up imports this module to register it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from followup.cli.state import State, json_option, pass_state

if TYPE_CHECKING:
    from datetime import datetime

    from followup.app.stats import Rate, Stats, Week

BAR = 10  # cells in a rate bar
WEEK_BAR = 30  # cells in the busiest week's bar

_DAYS_LABEL = {"0-2": "≤ 2 days", "3-4": "3–4 days", "5-7": "5–7 days", "8+": "> 7 days"}


@click.command()
@click.option(
    "--since",
    metavar="DATE",
    help="Only interviews that started on or after DATE (YYYY-MM-DD, your zone) or an instant.",
)
@json_option
@pass_state
def stats(state: State, since: str | None, as_json: bool) -> None:
    """Reply rates by step, tone and days to the thank-you; time to a reply; notes per week."""
    from followup.app import stats as stats_mod
    from followup.cli.render import emit_json

    ctx = state.reader
    result = stats_mod.stats(ctx, _since(since, ctx.user_tz) if since else None)
    if as_json:
        from followup.app.views import stats as stats_view

        emit_json(stats_view(result))
        return
    show(result)


def _since(text: str, tz: str) -> datetime:
    """A day (its local midnight in `tz`) or an ISO-8601 instant."""
    from datetime import time

    from followup.app.parse import parse_date, parse_datetime
    from followup.cli.render import warn
    from followup.domain.workdays import wall_to_utc

    text = text.strip()
    if "T" in text or " " in text:
        instant, warning = parse_datetime(text, tz)
        if warning:
            warn(warning)
        return instant
    return wall_to_utc(parse_date(text), time(0), tz)


# --- for people ---------------------------------------------------------------------------


def bar(fraction: float, width: int = BAR) -> str:
    """`████░░░░░░` for 0.4: whole cells, halves rounded up, never more than `width`."""
    filled = min(width, max(0, int(fraction * width + 0.5)))
    return "█" * filled + "░" * (width - filled)


def rate_cell(r: Rate) -> str:
    """`████░░░░░░  40% (4/10)`; no rate without a sequence: `—`."""
    value = r.rate
    if value is None:
        return f"{bar(0)}    — (0/0)"
    return f"{bar(value)} {value * 100:4.0f}% ({r.replied}/{r.sent})"


def week_line(w: Week, busiest: int, this_week: bool) -> str:
    cells = bar(w.sent / busiest, WEEK_BAR).rstrip("░") if busiest else ""
    mark = "  (this week)" if this_week else ""
    return f"  {w.label}  {w.start:%d %b}  {cells}{' ' if cells else ''}{w.sent}{mark}"


def _step_label(s: Stats, step: int) -> str:
    from followup.app.wording import step_label

    return step_label(step, s.step_kinds.get(step))  # the dashboard's label too


def show(s: Stats) -> None:
    from followup.cli.render import echo, local, table

    t = s.totals
    if s.empty:
        if s.since is not None:
            echo(f"No interviews since {local(s.since, s.tz)}: nothing to count.")
            return
        echo("No interviews yet: nothing to count.")
        echo('Start with: followup add --company Acme --role "Engineer" --at 2026-11-25T14:00')
        echo("then each note you send (followup sent ID) and each reply (followup replied ID).")
        return
    parts = [
        f"{n} {name}"
        for n, name in (
            (t.open, "open"),
            (t.replied, "replied"),
            (t.closed, "closed"),
            (t.advanced, "advanced"),
            (t.cancelled, "cancelled"),
            (t.rejected, "rejected"),
            (t.role_closed, "role closed"),
            (t.offer, "offer"),
        )
        if n
    ]
    plural = "s" if t.interviews != 1 else ""
    echo(f"{t.interviews} interview{plural} ({', '.join(parts)}) · {t.notes_sent} notes sent")
    if s.since is not None:
        echo(f"Interviews since {local(s.since, s.tz)}.")
    echo()
    if not any(r.sent for r in s.by_step):
        echo("No note recorded as sent yet: reply rates start with the first (followup sent ID).")
    else:
        table(
            ["Last note sent", "Got a reply"],
            [[_step_label(s, int(r.key)), rate_cell(r)] for r in s.by_step],
            title="Reply rate by step",
        )
        echo()
        table(
            ["Tone", "Got a reply"],
            [[str(r.key), rate_cell(r)] for r in s.by_tone],
            title="Reply rate by tone",
        )
        echo()
        table(
            ["Thank-you sent", "Got a reply"],
            [[_DAYS_LABEL[str(r.key)], rate_cell(r)] for r in s.by_days_to_send],
            title="Reply rate by days from the interview to the thank-you",
        )
    echo()
    d = s.first_reply
    if d.n and d.median is not None and d.p90 is not None:
        replies = "reply" if d.n == 1 else "replies"
        echo(
            f"Time to first reply: median {d.median:.1f} days, 90% within {d.p90:.1f} days"
            f" ({d.n} {replies}, counted from the interview's end)."
        )
    else:
        echo("Time to first reply: no reply recorded yet (followup replied ID).")
    ended = [o for o in s.outcomes if o.delay.n]
    if ended:
        echo()
        table(
            ["Outcome", "Interviews", "Median days", "90% within"],
            [
                [o.name, str(o.delay.n), f"{o.delay.median:.1f}", f"{o.delay.p90:.1f}"]
                for o in ended
                if o.delay.median is not None and o.delay.p90 is not None
            ],
            title="How applications ended (days from the interview's end; ghosted: the"
            " last note went out, no answer)",
        )
    echo()
    echo(f"Notes sent per week ({s.tz}):")
    busiest = max((w.sent for w in s.per_week), default=0)
    for i, w in enumerate(s.per_week):
        echo(week_line(w, busiest, this_week=i == len(s.per_week) - 1))


COMMANDS = (stats,)
