"""Undo in the dashboard (issue #14): the notice after an action, the interview's history."""

from __future__ import annotations

from typing import Any

from followup.app import history, services
from followup.app.context import Context
from followup.web import pages
from followup.web.security import Done, Session


def last_change(ctx: Context, interview_id: int) -> int:
    """Taken before an action: the id of the change Undo would take back now (0: none), so
    that only a change the action itself made is offered (an action that changed nothing —
    a note already approved, a send that failed — offers nothing)."""
    event = history.latest(ctx, interview_id)
    return event.id if event is not None else 0


def done(ctx: Context, interview_id: int, since: int) -> Done | None:
    """After a change: "Done: <what> — Undo", when the action made one that can be taken back."""
    event = history.latest(ctx, interview_id)
    if event is None or event.id <= since or not (history.offered(event) or history.mailed(event)):
        return None
    return Done(interview_id, event.id, event.summary, mailed=history.mailed(event))


def offer_undo(ctx: Context, session: Session, interview_id: int, since: int) -> None:
    """The notice with its Undo button on the page the user lands on next."""
    notice = done(ctx, interview_id, since)
    if notice is not None:
        session.flash(notice)


SECTIONS = ("drafts", "history", "edit")  # where an action's notices show on the page


def landing(interview_id: int, section: str) -> str:
    """Where a form's redirect lands without JavaScript: the section of the page the action
    is about, with its notices shown there (`?at=`) rather than above the fold."""
    return f"/interviews/{interview_id}?at={section}#{section}"


HISTORY_SHOWN = 50  # the newest changes on the interview page; ?history=all: every one


def history_values(ctx: Context, interview_id: int, every: bool = False) -> dict[str, Any]:
    """The interview page's history: the changes, newest first, in the user's zone."""
    latest = history.latest(ctx, interview_id)
    found = history.history(ctx, interview_id)
    shown = found if every else found[-HISTORY_SHOWN:]
    return {
        "changes": [{"event": e, "when": pages.local(e.at, ctx.user_tz)} for e in reversed(shown)],
        "changes_total": len(found),
        # the latest change, when a plain Undo takes it back; a mailed note: `mailed` instead
        "undoable": latest if history.offered(latest) else None,
        "mailed": latest if history.mailed(latest) else None,
        "reopenable": services.find_interview(ctx, interview_id).status in history.REOPENABLE,
    }
