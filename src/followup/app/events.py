"""Writing the history: every use-case that changes an interview records one event.

An event says what changed in one line (for `followup history`, the timeline) and keeps the
interview's rows as they were before it (`before`), which is what `undo` puts back
(app/history.py). Taking them costs a few indexed reads of one interview's rows.
"""

from __future__ import annotations

from typing import Any

from followup.app.context import Context
from followup.app.errors import NotFound
from followup.app.rows import Event, InterviewState

SOURCES = ("cli", "web", "sync", "import", "worker")

# Kinds that cannot be taken back by `undo` without --force: the mail really left.
MAILED = "mailed"
# Kinds `undo` passes over: a note for the record (a change made on another round, a
# re-plan after config.toml changed), not a change of this interview's own to take back.
NOTED = "noted"
PASSED_OVER = ("undo", NOTED)


def before(ctx: Context, interview_id: int) -> InterviewState:
    """The interview's rows now, to record with the change about to be made."""
    return ctx.store.interview_state(interview_id)


def record(
    ctx: Context,
    interview_id: int,
    kind: str,
    summary: str,
    prior: InterviewState | None,
    detail: dict[str, Any] | None = None,
    *,
    source: str | None = None,
) -> int:
    """Keep the change just made; `prior` None: it cannot be undone (an interview added)."""
    return ctx.store.add_event(
        interview_id,
        ctx.clock.now(),
        source or ctx.source,
        kind,
        summary,
        detail,
        prior,
    )


def before_sending(ctx: Context, interview_id: int, note_id: int) -> InterviewState:
    """The rows before a note that was claimed for sending went out: the note as it was
    before the claim (pending), which is what `undo --force` would put back."""
    state = before(ctx, interview_id)
    for row in state["notes"]:
        if row["id"] == note_id:
            row["state"] = "pending"
    return state


def history(ctx: Context, interview_id: int) -> list[Event]:
    """Every change to the interview, oldest first (a read: it needs none of the planning
    code, so `followup history` starts as light as the agenda)."""
    if ctx.store.get_interview(interview_id) is None:
        raise NotFound(f"no interview with id {interview_id}")
    return ctx.store.events(interview_id)
