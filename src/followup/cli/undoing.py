"""`followup history ID` and `followup undo ID` without click: right after a wrong click, the
answer should come as fast as the agenda (cli/entry.py's short path; cli/history.py's
commands call these too, so both paths print the same)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from followup.cli.render import echo, emit_json, local, table, warn
from followup.domain.limits import without_controls

if TYPE_CHECKING:
    from followup.app.context import Context


def _context(home: str | None, ctx: Context | None) -> Context:
    if ctx is not None:
        return ctx
    from followup.bootstrap import open_context
    from followup.cli.render import announce

    # nothing to show or take back where nothing was recorded: never create a home here
    return announce(open_context(home, create=False))


def show_history(
    home: str | None, interview_id: int, as_json: bool = False, ctx: Context | None = None
) -> None:
    from followup.app import events, views

    ctx = _context(home, ctx)
    found = events.history(ctx, interview_id)
    if as_json:
        emit_json([views.event(e) for e in found])
        return
    table(
        ["When (your time)", "By", "What"],
        [
            [
                local(e.at, ctx.user_tz),
                e.source,
                without_controls(e.summary) + (" (undone)" if e.undone_by else ""),
            ]
            for e in found
        ],
    )


def take_back(
    home: str | None,
    interview_id: int,
    force: bool = False,
    as_json: bool = False,
    ctx: Context | None = None,
) -> None:
    from followup.app import history, views, wording

    ctx = _context(home, ctx)
    result = history.undo(ctx, interview_id, force=force)
    if as_json:
        emit_json(
            {
                "interview_id": interview_id,
                "undid": views.event(result.event),
                "status": result.status.value,
                "plan": views.plan(result.plan),
                "approvals_withdrawn": result.approvals_withdrawn,
            }
        )
        return
    echo(f"Undid: {result.event.summary}.")
    approvals(interview_id, result.approvals_withdrawn)
    if result.status.is_open:
        echo(wording.next_note(result.plan, ctx.policy, ctx.user_tz, ctx.clock.now()))
    else:
        echo(f"Interview {interview_id} is {result.status.value}.")


def approvals(interview_id: int, count: int) -> None:
    if count:
        noun = "note needs" if count == 1 else "notes need"
        warn(f"{count} approved {noun} approving again: followup send {interview_id} --when-due")
