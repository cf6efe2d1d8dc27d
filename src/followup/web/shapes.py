"""JSON shapes that the CLI builds inline rather than in app/views.py.

Each mirrors one CLI command's `--json` key for key, and the tests compare the two on the
same home, so a change to either shows up. They belong in app/views.py (one place for
both): until they move there, this is the web's copy.
"""

from __future__ import annotations

from typing import Any

from followup.app.drafting import Draft


def draft(d: Draft) -> dict[str, Any]:
    """`followup draft ID --json`, one note (cli/messages.py `_draft_json`)."""
    person = d.interviewer
    return {
        "interview_id": d.interview_id,
        "step": d.step,
        "kind": d.kind.value,
        "to": (f"{person.name} <{person.email}>" if person and person.email else None),
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
