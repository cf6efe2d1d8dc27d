"""The cadence as data: the article's etiquette, overridable in the config.

Where the article is ambiguous we chose (and say so in docs/policy.md):
- "48 hours post-interview" counts from the interview's *end* (start + duration), as a real
  duration in UTC, so a DST change never makes it 47 or 49 hours.
- "One week later, if no response" counts from when the thank-you was *actually sent*.
- "Allow a minimum of two weeks before trying again" is the final note, 14 days after the
  second note was sent. After it, nothing more: let it go.
- "A week or more risks fading from memory": an unsent thank-you is `fading` 7 days after
  the interview ended.

A user may shape the cadence (config.toml's `[[policy.steps]]`): every rule a policy must
follow is checked here, in `Policy.checked`, whichever way the policy was written.
"""

from __future__ import annotations

import re
from datetime import time, timedelta
from enum import StrEnum
from typing import NamedTuple

from followup.domain.limits import INTERVIEW_MINUTES
from followup.domain.model import NoteKind

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

# A kind names template files (`check-in.formal.txt`) and CSV columns (`check_in_sent_at`):
# lower-case words joined by hyphens keep both safe and distinct.
_KIND_NAME = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
MAX_KIND_CHARS = 30

# How long the article waits before each of its notes: no step is sooner unless the policy
# says `custom = true`. A kind of the user's own waits at least the article's shortest gap
# between two notes ("if you don't hear back within a week").
ARTICLE_MINIMUM: dict[str, timedelta] = {
    NoteKind.THANK_YOU: timedelta(hours=48),
    NoteKind.FOLLOW_UP: timedelta(days=7),
    NoteKind.FINAL: timedelta(days=14),
}
OTHER_KIND_MINIMUM = timedelta(days=7)

_DURATION = re.compile(r"(\d+)\s*([hdw])")
_UNIT = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}
# The longest a step may wait: a year. Longer would plan notes past what a backup or an
# import accepts (limits.py), and no follow-up waits that long.
MAX_DELAY = timedelta(weeks=52)


def check_kind(name: str) -> str:
    """`name` if it can name a kind of note, else a ValueError saying what a kind looks like."""
    if len(name) > MAX_KIND_CHARS or not _KIND_NAME.fullmatch(name):
        shown = name if len(name) <= 40 else f"{name[:40]}…"
        raise ValueError(
            f"kind {shown!r} is not a kind name: lower-case letters and digits, words joined"
            f" by '-' (e.g. check-in), at most {MAX_KIND_CHARS} characters"
        )
    return name


def parse_duration(text: str) -> timedelta:
    """ "48h", "7d", "2w": a whole number of hours, days or weeks, at most MAX_DELAY."""
    shown = text if len(text) <= 40 else f"{text[:40]}…"
    found = _DURATION.fullmatch(text.strip().lower())
    if not found:
        raise ValueError(f"{shown!r} is not a duration: a whole number and h, d or w (48h, 7d, 2w)")
    # compared as a count of units first: a huge count would overflow a timedelta
    digits, unit = found[1].lstrip("0") or "0", _UNIT[found[2]]
    if len(digits) > 9 or int(digits) > MAX_DELAY // unit:
        raise ValueError(_too_long(repr(shown)))
    return int(digits) * unit


def _too_long(shown: str) -> str:
    return f"after {shown} is longer than a step may wait (at most {describe_duration(MAX_DELAY)})"


def describe_duration(delay: timedelta) -> str:
    """The shortest of "48h", "7d", "2w" that says `delay` exactly (hours otherwise)."""
    hours = delay / timedelta(hours=1)
    for unit, size in (("w", 168), ("d", 24)):
        if hours and hours % size == 0:
            return f"{hours / size:g}{unit}"
    return f"{hours:g}h"


def describe_wait(delay: timedelta) -> str:
    """A step's wait in words, the one wording everywhere (`policy show`, Settings, `show`'s
    timeline, the "too early" rules, warnings and Policy.checked's errors; app/wording.py
    re-exports it as `wait`): whole days from 3 days up ("7 days", "14 days"), else hours
    ("48 h", "100 h")."""
    hours = delay / timedelta(hours=1)
    if hours >= 72 and hours % 24 == 0:
        return f"{hours / 24:g} days"
    return f"{hours:g} h"


class Anchor(StrEnum):
    INTERVIEW_END = "interview-end"
    PREVIOUS_SENT = "previous-sent"


class PanelFollowUp(StrEnum):
    """Who gets a panel's notes after the first: the article's "avoid excessive follow-ups"
    makes a panel one conversation, with one contact, unless the user asks for everyone."""

    PRIMARY = "primary"  # the interviewer marked primary, by default the first
    ALL = "all"  # every interviewer, one note each, at every step


class Step(NamedTuple):
    number: int
    kind: str  # a built-in NoteKind, or a name of the user's policy
    delay: timedelta
    anchor: Anchor

    @property
    def minimum(self) -> timedelta:
        """The article's shortest wait before a note of this kind."""
        return ARTICLE_MINIMUM.get(self.kind, OTHER_KIND_MINIMUM)


def parse_step(number: int, kind: str, after: str, anchor: str) -> Step:
    """Step `number` as a config describes it, or a ValueError naming the step."""
    try:
        if anchor not in tuple(Anchor):
            choices = ", ".join(a.value for a in Anchor)
            raise ValueError(f"from {anchor!r} is not one of {choices}")
        return Step(number, check_kind(kind), parse_duration(after), Anchor(anchor))
    except ValueError as exc:
        raise ValueError(f"step {number}: {exc}") from None


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
    custom: bool = False  # the user chose a cadence faster than the article's, knowingly
    panel_follow_up: PanelFollowUp = PanelFollowUp.PRIMARY

    def checked(self) -> Policy:
        """This policy, or a ValueError saying why it cannot be used."""
        self.window.checked()
        if not self.steps:
            raise ValueError("the policy has no steps: it needs at least one note")
        first = self.steps[0]
        if first.anchor is not Anchor.INTERVIEW_END:
            raise ValueError(
                f"step 1 ({first.kind}) cannot count from a previous note: there is none"
                f' (use from = "{Anchor.INTERVIEW_END}")'
            )
        seen: dict[str, int] = {}
        for step in self.steps:
            check_kind(step.kind)
            if step.kind in seen:
                raise ValueError(
                    f"step {step.number}: kind '{step.kind}' is already step {seen[step.kind]}'s:"
                    " each step needs its own kind"
                )
            seen[step.kind] = step.number
            if step.delay < timedelta(0):
                raise ValueError(f"step {step.number}: the delay cannot be negative")
            if step.delay > MAX_DELAY:
                raise ValueError(f"step {step.number}: {_too_long(describe_duration(step.delay))}")
            later = step.number != first.number
            if later and step.anchor is Anchor.INTERVIEW_END and not self.custom:
                # it cannot keep the article's gap after the previous note
                raise ValueError(
                    f"step {step.number} ({step.kind}) counts from the interview's end, so"
                    " it may come right after the previous note, sooner than the article"
                    f" allows ({describe_wait(step.minimum)} after it): use"
                    f' from = "{Anchor.PREVIOUS_SENT}", or set custom = true under [policy]'
                )
            if step.delay < step.minimum and not self.custom:
                raise ValueError(
                    f"step {step.number} ({step.kind}) after {describe_wait(step.delay)} is"
                    f" sooner than the article allows ({describe_wait(step.minimum)}):"
                    " set custom = true under [policy] to use a faster cadence"
                )
        if self.panel_follow_up not in tuple(PanelFollowUp):
            choices = ", ".join(p.value for p in PanelFollowUp)
            raise ValueError(f"panel_follow_up is one of {choices}")
        if not 1 <= self.max_notes <= len(self.steps):
            raise ValueError(f"max_notes must be between 1 and {len(self.steps)}")
        shortest, longest = INTERVIEW_MINUTES  # what an interview may last (limits.py)
        minutes = self.default_duration / timedelta(minutes=1)
        if not shortest <= minutes <= longest:
            raise ValueError(
                f"policy.default_duration_minutes = {minutes:g}: an interview lasts {shortest}"
                f" to {longest} minutes"
            )
        return self

    @property
    def active_steps(self) -> tuple[Step, ...]:
        return self.steps[: self.max_notes]

    @property
    def unused(self) -> str | None:
        """Why steps listed after the first `max_notes` are not sent, if any are."""
        if self.max_notes >= len(self.steps):
            return None
        first, last = self.max_notes + 1, len(self.steps)
        which = f"step {first} is" if first == last else f"steps {first}–{last} are"
        return f"{which} listed but not used: policy.max_notes = {self.max_notes}"

    def kind_at(self, number: int) -> str:
        """The kind of note this policy sends at step `number`, or a ValueError saying which
        steps it sends (drafting and linting a step both say it this way)."""
        if not 1 <= number <= self.max_notes:
            raise ValueError(f"step must be between 1 and {self.max_notes}")
        return self.step(number).kind

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
        """This policy with some fields replaced, checked. `delays` (step number -> delay) is
        how the per-step keys (policy.thank_you_after_hours, …) set a delay: they predate
        `custom` and keep allowing any value, so a policy shaped by them counts as custom."""
        steps = self.steps
        if delays:
            steps = tuple(s._replace(delay=delays.get(s.number, s.delay)) for s in steps)
            fields["custom"] = True
        return self._replace(steps=steps, **fields).checked()  # type: ignore[arg-type]

    @property
    def planning_key(self) -> str:
        """What of this policy decides the stored plans (the steps it sends, their delays and
        anchors, the send window, whom a panel's later notes go to), as text: when it differs
        from the key of the policy that last planned, the open interviews are planned again."""
        steps = ";".join(
            f"{s.number} {s.kind} {s.delay / timedelta(seconds=1):g}s {s.anchor.value}"
            for s in self.active_steps
        )
        days = ",".join(str(d) for d in sorted(self.window.weekdays))
        window = f"{days} {self.window.start:%H:%M}-{self.window.end:%H:%M}"
        # "holidays by zone" (then "by region": Europe/London is England's, workdays.py):
        # plans made before an interview without a country took its zone's (region's)
        # holidays differ from today's; the marker re-plans them once
        return f"{steps}|{window}|panel {self.panel_follow_up.value}|holidays by region"

    def as_dict(self) -> dict[str, object]:
        """The policy as plain data: what `followup policy show --json` prints."""
        return {
            "steps": [
                {
                    "step": s.number,
                    "kind": s.kind,
                    "delay_hours": s.delay / timedelta(hours=1),
                    "anchor": s.anchor.value,
                }
                for s in self.active_steps
            ],
            "max_notes": self.max_notes,
            "unused": self.unused,
            "custom": self.custom,
            "panel_follow_up": self.panel_follow_up.value,
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
