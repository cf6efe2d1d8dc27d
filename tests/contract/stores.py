"""What the store contract suites share: a fixed now, and an interview with its notes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from followup.app.ports import SequenceStore
from followup.domain.model import Culture, NoteKind
from followup.domain.planner import PlannedNote

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
START = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)


def new_interview(
    store: SequenceStore,
    company: str = "Acme",
    start: datetime = START,
    domains: tuple[str, ...] = ("acme.example",),
) -> int:
    app_id = store.add_application(
        company=company,
        role="Engineer",
        culture=Culture.STARTUP,
        country="DE",
        domains=domains,
        now=NOW,
    )
    return store.add_interview(
        application_id=app_id, start=start, duration=timedelta(hours=1), tz="Europe/Berlin", now=NOW
    )


def planned(step: int = 1, due: datetime = NOW, who: int | None = None) -> PlannedNote:
    kind = (NoteKind.THANK_YOU, NoteKind.FOLLOW_UP, NoteKind.FINAL)[step - 1]
    return PlannedNote(step, kind, who, due - timedelta(hours=1), due)
