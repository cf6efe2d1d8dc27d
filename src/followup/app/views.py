"""Results as plain data: what `--json` prints and what the web API returns (stable keys)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the agenda's --json uses this module: keep its imports light
    from followup.app.board import Board
    from followup.app.drafting import Draft
    from followup.app.rows import Event, InterviewRow, Marked
    from followup.app.services import Added, Detail
    from followup.app.stats import Rate, Stats
    from followup.domain.model import Application, Interview, Note
    from followup.domain.planner import AgendaItem, Plan


def iso(dt: datetime | None) -> str | None:
    """ISO-8601 UTC with a Z, the one form instants take in machine output."""
    if dt is None:
        return None
    if dt.tzinfo is not UTC:
        dt = dt.astimezone(UTC)
    return dt.isoformat(timespec="seconds")[:19] + "Z"  # twice as fast as strftime


def agenda_item(item: AgendaItem) -> dict[str, Any]:
    return {
        "interview_id": item.interview_id,
        "application_id": item.application_id,
        "company": item.company,
        "role": item.role,
        "step": item.step,
        "kind": item.kind,
        "due_at": iso(item.due_at),
        "state": item.state.value,
        "fading": item.fading,
        "recipients": list(item.recipients),
        "interview_start": iso(item.interview_start),
        "tz": item.tz,
        "scheduled": item.scheduled,
        "round": item.round,
        "past": item.past,  # let it go: past its moment, or
        "overtaken": item.overtaken,  # ...a later round has taken place since
        "met_again": list(item.met_again),  # of a panel, those whose thank-you is let go
    }


def plan(p: Plan) -> dict[str, Any]:
    return {
        "status": p.status.value,
        "reason": p.reason,
        "next": [
            {
                "step": n.step,
                "kind": n.kind,
                "interviewer_id": n.interviewer_id,
                "earliest_at": iso(n.earliest_at),
                "due_at": iso(n.due_at),
            }
            for n in p.notes
        ],
    }


def application(a: Application) -> dict[str, Any]:
    return {
        "id": a.id,
        "company": a.company,
        "role": a.role,
        "culture": a.culture.value,
        "country": a.country,
        "domains": list(a.domains),
    }


def interview(i: Interview) -> dict[str, Any]:
    return {
        "id": i.id,
        "application_id": i.application_id,
        "round": i.round,
        "start": iso(i.start),
        "end": iso(i.end),
        "duration_minutes": int(i.duration.total_seconds() // 60),
        "tz": i.tz,
        "status": i.status.value,
        "status_at": iso(i.status_at),
        "expect_by": i.expect_by.isoformat() if i.expect_by else None,
        "defer_until": iso(i.defer_until),
        "location": i.location,
    }


def note(n: Note) -> dict[str, Any]:
    return {
        "id": n.id,
        "step": n.step,
        "kind": n.kind,
        "state": n.state.value,
        "interviewer_id": n.interviewer_id,
        "earliest_at": iso(n.earliest_at),
        "due_at": iso(n.due_at),
        "sent_at": iso(n.sent_at),
        "message_id": n.message_id,
        "approved_at": iso(n.approved_at),
    }


def added(a: Added) -> dict[str, Any]:
    return {
        "id": a.interview_id,
        "application_id": a.application_id,
        "round": a.round,
        "advanced": list(a.advanced),
        "plan": plan(a.plan),
        # what the CLI says on stderr and the form flashes: unsent notes ended, a job there,
        # an aside in a topic
        "warnings": [said for said in (a.unsent, a.same_job, a.far_off) if said]
        + list(a.topics_said),
    }


def interview_row(row: InterviewRow) -> dict[str, Any]:
    return {
        **interview(row.interview),
        "company": row.application.company,
        "role": row.application.role,
        "culture": row.application.culture.value,
    }


def detail(d: Detail) -> dict[str, Any]:
    contact = d.contact  # a panel's later notes go to them (policy)
    return {
        **interview(d.interview),
        "company": d.application.company,
        "role": d.application.role,
        "application": application(d.application),
        "interviewers": [
            {
                "id": p.id,
                "name": p.name,
                "email": p.email,
                "tz": p.tz or d.interview.tz,
                "primary": p == contact,
                "greet_as": p.greet_as,
                "removed": p.removed,
                "bounced": p.id in d.bounced,
            }
            for p in d.interviewers
        ],
        "notes": [note(n) for n in d.notes],
        "inbound": list(d.inbound),
        "debrief": list(d.debriefs),
        "next_round_proposed": d.next_round_proposed,
        "holidays": None
        if d.holidays is None
        else {"country": d.holidays.code, "assumed_from": d.holidays.assumed_from},
        "waits": d.waits or None,
    }


def marked(m: Marked) -> dict[str, Any]:
    return {
        "interview_id": m.interview_id,
        "step": m.step,
        "kind": m.kind,
        "notes_marked": m.notes_marked,
        "too_early_by_hours": round(m.too_early_by.total_seconds() / 3600, 2)
        if m.too_early_by
        else None,
        "plan": plan(m.plan),
    }


def stats(s: Stats) -> dict[str, Any]:
    """The Stats page's numbers (definitions: docs/stats.md); rates 0–1, durations in days."""

    def rates(rows: tuple[Rate, ...], key: str) -> list[dict[str, Any]]:
        return [
            {
                key: r.key,
                **({"kind": s.step_kinds.get(int(r.key))} if key == "step" else {}),
                "sent": r.sent,
                "replied": r.replied,
                "rate": None if r.rate is None else round(r.rate, 4),
            }
            for r in rows
        ]

    def days(value: float | None) -> float | None:
        return None if value is None else round(value, 2)

    t = s.totals
    return {
        "as_of": iso(s.as_of),
        "since": iso(s.since),
        "tz": s.tz,
        "totals": {
            "interviews": t.interviews,
            "open": t.open,
            "replied": t.replied,
            "closed": t.closed,
            "advanced": t.advanced,
            "cancelled": t.cancelled,
            "rejected": t.rejected,
            "role_closed": t.role_closed,
            "offer": t.offer,
            "notes_sent": t.notes_sent,
        },
        "outcomes": [
            {
                "outcome": o.name,
                "count": o.delay.n,
                "days_median": days(o.delay.median),
                "days_p90": days(o.delay.p90),
            }
            for o in s.outcomes
        ],
        "reply_rate_by_step": rates(s.by_step, "step"),
        "reply_rate_by_tone": rates(s.by_tone, "tone"),
        "reply_rate_by_days_to_send": rates(s.by_days_to_send, "days"),
        "time_to_first_reply_days": {
            "median": days(s.first_reply.median),
            "p90": days(s.first_reply.p90),
            "n": s.first_reply.n,
        },
        "sent_per_week": [
            {"week": w.label, "start": w.start.isoformat(), "sent": w.sent} for w in s.per_week
        ],
    }


def draft(d: Draft) -> dict[str, Any]:
    """`followup draft ID --json`, one note."""
    from followup.app.drafting import recipient

    person = d.interviewer
    return {
        "interview_id": d.interview_id,
        "step": d.step,
        "kind": d.kind,
        "to": recipient(d) if person and person.email else None,  # as the message writes it
        "interviewer": person.name if person else None,
        "subject": d.subject,
        "body": d.body,
        "tone": d.tone.value,
        "tone_reason": d.tone_reason,
        "lint": [
            {"rule": f.rule, "severity": f.severity.value, "message": f.message} for f in d.findings
        ],
        "message_id": d.message_id,
        "in_reply_to": d.in_reply_to,
        "edited": d.edited,
        "planned": d.note_id is not None,
        "sent_at": iso(d.sent_at),  # it went already: the text as it was sent
    }


def drafts(notes: list[Draft]) -> dict[str, Any] | list[dict[str, Any]]:
    """`followup draft ID --json`: an object for one note, a list for a panel."""
    data = [draft(d) for d in notes]
    return data[0] if len(data) == 1 else data


def replied(interview_id: int, status: str) -> dict[str, Any]:
    """`followup replied ID --json`."""
    return {"interview_id": interview_id, "status": status}


def debriefed(interview_id: int, debriefs: tuple[dict[str, Any], ...]) -> dict[str, Any]:
    """`followup debrief ID … --json`."""
    return {"interview_id": interview_id, "debrief": list(debriefs)}


def event(e: Event) -> dict[str, Any]:
    return {
        "id": e.id,
        "interview_id": e.interview_id,
        "at": iso(e.at),
        "source": e.source,
        "kind": e.kind,
        "summary": e.summary,
        "detail": e.detail,
        "undoable": e.undoable,
        "undone_by": e.undone_by,
    }


def board(shown: Board) -> dict[str, Any]:
    """The board of applications (app/board.py's Board) as the API gives it."""
    return {
        "total": shown.total,
        "columns": [
            {
                "stage": column.stage.value,
                "size": column.size,
                "more_after": column.more_after,
                "cards": [
                    {
                        "application_id": card.application.id,
                        "company": card.application.company,
                        "role": card.application.role,
                        "culture": card.application.culture.value,
                        "interview_id": card.latest.id,
                        "rounds": card.rounds,
                        "latest_start": iso(card.latest.start),
                        "status": card.latest.status.value,
                        "people": list(card.people),
                        "next_action": None
                        if card.action is None
                        else {
                            "text": card.action.text,
                            "due_at": iso(card.action.due),
                            "href": card.action.href,
                        },
                        "moves": [m.value for m in card.moves],
                    }
                    for card in column.cards
                ],
            }
            for column in shown.columns
        ],
    }
