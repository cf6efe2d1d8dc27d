"""The cadence as data: the article's etiquette, overridable in the config.

Where the article is ambiguous we chose (and say so in docs/policy.md):
- "48 hours post-interview" counts from the interview's *end* (start + duration), as a real
  duration in UTC, so a DST change never makes it 47 or 49 hours.
- "One week later, if no response" counts from when the thank-you was *actually sent*.
- "Allow a minimum of two weeks before trying again" is the final note, 14 days after the
  second note was sent. After it, nothing more: let it go.
- "A week or more risks fading from memory": an unsent thank-you is `fading` 7 days after
  the interview ended.
"""

from __future__ import annotations

from datetime import time, timedelta
from enum import StrEnum
from typing import NamedTuple

from followup.domain.model import NoteKind

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Anchor(StrEnum):
    INTERVIEW_END = "interview-end"
    PREVIOUS_SENT = "previous-sent"


class Step(NamedTuple):
    number: int
    kind: NoteKind
    delay: timedelta
    anchor: Anchor


class SendWindow(NamedTuple):
    """Working hours in the recipient's zone; a due time only ever moves later into them."""

    weekdays: frozenset[int]  # 0 = Monday
    start: time
    end: time

    def checked(self) -> SendWindow:
        if not self.weekdays:
            raise ValueError("the send window needs at least one weekday")
        if not self.weekdays <= set(range(7)):
            raise ValueError("weekdays are 0 (Monday) to 6 (Sunday)")
        if self.start >= self.end:
            raise ValueError("the send window must start before it ends")
        return self

    def describe(self) -> str:
        days = ",".join(WEEKDAY_NAMES[d] for d in sorted(self.weekdays))
        return f"{days} {self.start:%H:%M}-{self.end:%H:%M} recipient-local"


class Policy(NamedTuple):
    steps: tuple[Step, ...]
    window: SendWindow
    fading_after: timedelta  # after the interview's end, an unsent thank-you is fading
    overdue_after: timedelta  # grace after the due time before a note is overdue
    default_duration: timedelta
    max_notes: int

    def checked(self) -> Policy:
        """This policy, or a ValueError saying why it cannot be used."""
        self.window.checked()
        if not 1 <= self.max_notes <= len(self.steps):
            raise ValueError(f"max_notes must be between 1 and {len(self.steps)}")
        for step in self.steps:
            if step.delay < timedelta(0):
                raise ValueError(f"step {step.number}: the delay cannot be negative")
        if self.default_duration <= timedelta(0):
            raise ValueError("the default duration must be positive")
        return self

    @property
    def active_steps(self) -> tuple[Step, ...]:
        return self.steps[: self.max_notes]

    def step(self, number: int) -> Step:
        for step in self.steps:
            if step.number == number:
                return step
        raise KeyError(number)

    def with_overrides(
        self,
        *,
        delays: dict[int, timedelta] | None = None,
        **fields: object,
    ) -> Policy:
        steps = self.steps
        if delays:
            steps = tuple(s._replace(delay=delays.get(s.number, s.delay)) for s in steps)
        return self._replace(steps=steps, **fields).checked()  # type: ignore[arg-type]

    def as_dict(self) -> dict[str, object]:
        """The policy as plain data: what `followup policy show --json` prints."""
        return {
            "steps": [
                {
                    "step": s.number,
                    "kind": s.kind.value,
                    "delay_hours": s.delay / timedelta(hours=1),
                    "anchor": s.anchor.value,
                }
                for s in self.active_steps
            ],
            "max_notes": self.max_notes,
            "window": {
                "days": [WEEKDAY_NAMES[d] for d in sorted(self.window.weekdays)],
                "start": self.window.start.strftime("%H:%M"),
                "end": self.window.end.strftime("%H:%M"),
            },
            "fading_after_hours": self.fading_after / timedelta(hours=1),
            "overdue_after_hours": self.overdue_after / timedelta(hours=1),
            "default_duration_minutes": self.default_duration / timedelta(minutes=1),
        }


ARTICLE_POLICY = Policy(
    steps=(
        Step(1, NoteKind.THANK_YOU, timedelta(hours=48), Anchor.INTERVIEW_END),
        Step(2, NoteKind.FOLLOW_UP, timedelta(days=7), Anchor.PREVIOUS_SENT),
        Step(3, NoteKind.FINAL, timedelta(days=14), Anchor.PREVIOUS_SENT),
    ),
    window=SendWindow(frozenset(range(5)), time(9, 0), time(17, 0)),
    fading_after=timedelta(days=7),
    overdue_after=timedelta(hours=24),
    default_duration=timedelta(minutes=60),
    max_notes=3,
)
