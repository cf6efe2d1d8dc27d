"""The linter's rules as data: their ids, severities and explanations, the context a
note is linted in, and the limits the rules apply (word limits, the duplicate ratio)."""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

from followup.domain.model import NoteKind, Tone
from followup.domain.names import Greeting


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Rule(NamedTuple):
    id: str  # stable: scripts and noqa-like suppressions may rely on it
    severity: Severity
    explanation: str  # one line, shown by `followup lint --rules`


class Finding(NamedTuple):
    rule: str
    severity: Severity
    message: str


class NoteContext(NamedTuple):
    """What the linter knows beyond the text; every field may be unknown."""

    kind: str | None = None  # the note's kind: thank-you, follow-up, final or the policy's own
    company: str | None = None
    recipient_name: str | None = None
    topics: tuple[str, ...] = ()  # what was discussed (with this person, where known)
    skill: str | None = None
    tone: Tone | None = None  # the tone the company's culture calls for
    others: tuple[str, ...] = ()  # the other interviewers' notes for the same step
    previous: str | None = None  # the previous note in this sequence
    interview_id: int | None = None  # known: the debrief is what a missing point needs
    role: str | None = None  # the job title: never a specific point by itself
    # The greeting drafting writes for this recipient (domain/names.py): its line is right by
    # construction, and `named` is False when no name is known (an address only).
    greeting: Greeting | None = None
    # The companies and roles of the user's other applications: naming one in this note is a
    # copy-paste from another application (wrong-name).
    elsewhere: tuple[str, ...] = ()
    # The company and role as they were before a correction ("Brightline Bank" renamed
    # "Brightline Financial"): the user's own text still naming one is out of date (wrong-name).
    former: tuple[str, ...] = ()
    # Every earlier note of this sequence (this interviewer's), oldest first: a later note that
    # reuses any of them is a duplicate, not only one that reuses the one just before.
    earlier: tuple[str, ...] = ()
    recipient_email: str | None = None  # the address the `no-name` fix names


_E, _W = Severity.ERROR, Severity.WARNING

RULES: tuple[Rule, ...] = (
    Rule("no-gratitude", _E, "Never thanks them: the article's first ingredient is gratitude."),
    Rule(
        "no-specific-point",
        _E,
        "Cites nothing specific from the conversation (a debriefed topic, or 'our talk about …').",
    ),
    Rule("no-enthusiasm", _E, "Never says you are keen: gently reiterate your enthusiasm."),
    Rule("no-skill", _E, "A thank-you does not mention the skill you want to stress."),
    Rule(
        "too-long",
        _E,
        "The body is over its kind's word limit (200/120/100); a subject over 78 chars warns.",
    ),
    Rule(
        "placeholder",
        _E,
        "An unfilled placeholder: [Company Name], [a …], {x}, {{ x }}, <NAME>, (name), XXX, TODO.",
    ),
    Rule("pushy", _E, "Pushy or desperate: 'just checking in', 'any update?', 'ASAP', '!!!'."),
    Rule("duplicate", _E, "(Nearly) the same text as another interviewer's or the previous note."),
    Rule("wrong-name", _E, "The company is misspelt, or the greeting names the wrong person."),
    Rule(
        "generic-point",
        _E,
        "The only 'specific point' is the role, the company or a stock phrase ('the work').",
    ),
    Rule(
        "ultimatum",
        _E,
        "Pressure or a deadline put on the employer: 'another offer', 'need to know by Friday'.",
    ),
    Rule("slang-in-formal", _E, "Slang to a formal (corporate) culture: 'awesome', 'pumped'."),
    Rule("unsigned", _E, "The note ends without your name: set user.name, or sign it."),
    Rule(
        "greeting",
        _E,
        "A greeting that is not a name nor a neutral form: 'Hi Dr.,', 'Dear Okafor, Chidi,'.",
    ),
    Rule(
        "unfinished",
        _E,
        "A sentence cut off: 'to the team and to' (a warning on a preposition: '…fit for').",
    ),
    Rule("no-name", _W, "Greets them with no name ('Hello,'): only their address is known."),
    Rule("tone-clash", _W, "Casual words to a corporate culture, or stiff formulas to a startup."),
    Rule("negative", _W, "Negative or apologetic phrasing ('unfortunately', 'sorry to bother')."),
    Rule(
        "unpaid-work",
        _W,
        "Offers work they did not ask for: 'happy to put together a full proposal for free'.",
    ),
    Rule("giving-up", _W, "Concedes instead of keeping the door open: 'I assume you've moved on'."),
    Rule(
        "desperate",
        _W,
        "Pleads or concedes terms before any offer: 'I need this job', 'a lower salary is fine'.",
    ),
    Rule("doubled", _W, "A word or a stop typed twice: 'about the the role', 'position..'."),
)

_ORDER = {rule.id: i for i, rule in enumerate(RULES)}

SELF_EVIDENT = frozenset(("placeholder", "unsigned"))
"""Errors no context can excuse: the worker checks an approved text for these again."""

WORD_LIMITS: dict[str, int] = {
    NoteKind.THANK_YOU: 200,
    NoteKind.FOLLOW_UP: 120,
    NoteKind.FINAL: 100,
}
"""Body words allowed per kind of note (docs/lint.md says why)."""
DEFAULT_WORD_LIMIT = 200  # a kind of the user's policy, or none known: the most generous one
SUBJECT_LIMIT = 78  # characters; RFC 5322's line length, and what mail clients show
DUPLICATE_RATIO = 0.9  # difflib ratio over normalized words at or above which two notes match
_MAX_COMPARED_WORDS = 3000  # difflib is quadratic at worst: a note is far shorter than this


def rule(rule_id: str) -> Rule:
    """The rule with this id (KeyError for an unknown one)."""
    for candidate in RULES:
        if candidate.id == rule_id:
            return candidate
    raise KeyError(rule_id)
