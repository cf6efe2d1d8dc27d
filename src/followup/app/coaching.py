"""What a coach sees of a client: cadence adherence and outcome numbers — counts only.

Computed from the client's own store and policy (the context opened on the client's tenant),
read-only: `adherence`. For many clients at once (a coach's list), `clients_adherence` reads
the same numbers from the figures kept beside the accounts (the `CoachFigures` port, kept in
step with every seeker's tables by triggers in server mode), with each client's own policy.

Nothing here carries text a client wrote or received: no company, role or interviewer, no
note body or subject, no debrief, no inbound message — only counts, rates, durations and
the client's e-mail address (which the coach linked).

Definitions (docs/deployment.md, "Coaches"):
- open sequences, by where their next note stands now (the agenda's classes, each sequence
  in exactly one): `fading` (a thank-you still unsent a week after the interview),
  `overdue` (past its due time by more than the policy's grace, `overdue_after`, 24 h by
  default), `due` (due, inside that grace), `upcoming` (not due yet). `due_now` is
  due + overdue + fading: everything that should have gone out by now.
- notes sent, by how their sending time compares with their due time: `on_time` when sent
  no later than due time + the policy's grace (`overdue_after`) — the same instant from which
  the agenda calls an unsent note overdue; `late` when sent after it.
- sequences by status: `replied` (the employer answered), `closed` (the final note went
  out), `advanced`, `cancelled`, `open`.
- outcomes: app/stats.py's numbers (reply rates by step, tone and days-to-send, time to the
  first reply, notes sent per week).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from followup.app.ports import ClientMarks
from followup.domain.model import NoteState
from followup.domain.planner import risk_cutoffs

if TYPE_CHECKING:
    from datetime import datetime

    from followup.app.context import Context
    from followup.app.ports import CoachFigures
    from followup.domain.policy import Policy


class Adherence(NamedTuple):
    due_now: int
    fading: int
    overdue: int
    due: int
    upcoming: int
    sent_on_time: int
    sent_late: int
    notes_sent: int
    open: int
    replied: int
    closed: int
    advanced: int
    cancelled: int
    rejected: int = 0  # the hiring side's answers (issue #15)
    role_closed: int = 0
    offer: int = 0

    @property
    def on_time_rate(self) -> float | None:
        return self.sent_on_time / self.notes_sent if self.notes_sent else None


def adherence(ctx: Context) -> Adherence:
    """How closely the client follows the cadence, now (ctx is the client's context)."""
    now = ctx.clock.now()
    fading, overdue, due, upcoming = ctx.store.agenda_counts(risk_cutoffs(now, ctx.policy))
    grace = ctx.policy.overdue_after
    on_time = late = 0
    for note in ctx.store.notes_in_state(NoteState.SENT):
        if note.sent_at is None:
            continue
        if note.sent_at <= note.due_at + grace:
            on_time += 1
        else:
            late += 1
    return _from_counts(fading, overdue, due, upcoming, on_time, late, ctx.store.status_counts())


def _from_counts(
    fading: int,
    overdue: int,
    due: int,
    upcoming: int,
    on_time: int,
    late: int,
    statuses: Mapping[str, int],
) -> Adherence:
    return Adherence(
        due_now=fading + overdue + due,
        fading=fading,
        overdue=overdue,
        due=due,
        upcoming=upcoming,
        sent_on_time=on_time,
        sent_late=late,
        notes_sent=on_time + late,
        open=statuses.get("waiting", 0),
        replied=statuses.get("replied", 0),
        closed=statuses.get("closed", 0),
        advanced=statuses.get("advanced", 0),
        cancelled=statuses.get("cancelled", 0),
        rejected=statuses.get("rejected", 0),
        role_closed=statuses.get("role-closed", 0),
        offer=statuses.get("offer", 0),
    )


def clients_adherence(
    figures: CoachFigures,
    client_ids: Sequence[int],
    policy_of: Callable[[int], Policy],
    now: datetime,
) -> dict[int, Adherence]:
    """`adherence` of many clients at once, from the figures kept beside the accounts (server
    mode) instead of each client's store: one read for all of them. Each client's own policy
    (`policy_of`: their config.toml) decides their classes and their grace, as it does in
    `adherence`; the numbers are the same (tests/server/test_coach_figures.py)."""
    marks = []
    for uid in client_ids:
        policy = policy_of(uid)
        marks.append(ClientMarks(uid, risk_cutoffs(now, policy), policy.overdue_after))
    found = figures.figures(marks)
    out = {}
    for uid in client_ids:
        f = found.get(uid)
        if f is None:
            out[uid] = _from_counts(0, 0, 0, 0, 0, 0, {})
        else:
            out[uid] = _from_counts(
                f.fading, f.overdue, f.due, f.upcoming, f.sent_on_time, f.sent_late, f.statuses
            )
    return out


def adherence_json(a: Adherence) -> dict[str, Any]:
    rate = a.on_time_rate
    return {
        "due_now": a.due_now,
        "fading": a.fading,
        "overdue": a.overdue,
        "due": a.due,
        "upcoming": a.upcoming,
        "sent_on_time": a.sent_on_time,
        "sent_late": a.sent_late,
        "notes_sent": a.notes_sent,
        "on_time_rate": None if rate is None else round(rate, 4),
        "sequences": {
            "open": a.open,
            "replied": a.replied,
            "closed": a.closed,
            "advanced": a.advanced,
            "cancelled": a.cancelled,
            "rejected": a.rejected,
            "role_closed": a.role_closed,
            "offer": a.offer,
        },
    }


def client_report(ctx: Context) -> dict[str, Any]:
    """Adherence and outcome numbers of one client (its JSON shape: /api/coach/clients/ID)."""
    from followup.app import stats, views

    outcome = views.stats(stats.stats(ctx))
    return {
        "as_of": outcome["as_of"],
        "grace_hours": ctx.policy.overdue_after.total_seconds() / 3600,
        "adherence": adherence_json(adherence(ctx)),
        "outcomes": {
            "totals": outcome["totals"],
            "reply_rate_by_step": outcome["reply_rate_by_step"],
            "reply_rate_by_tone": outcome["reply_rate_by_tone"],
            "reply_rate_by_days_to_send": outcome["reply_rate_by_days_to_send"],
            "time_to_first_reply_days": outcome["time_to_first_reply_days"],
            "sent_per_week": outcome["sent_per_week"],
        },
    }
