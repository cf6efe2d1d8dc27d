"""Checks that prove a note follows the article's etiquette, with stable rule ids.

Pure: text in, findings out. `followup lint`, `followup draft` and the dashboard all show
these findings; an `error` makes `followup lint` exit non-zero.

The article asks a note to "express gratitude for the opportunity, highlight a key point
from your discussion ... and gently reiterate your enthusiasm", to mention the relevant
skill, to be brief and positive, and to match the company's culture. Each rule below checks
one of those with phrase lists matched on the note's words (see "phrase lists" below), a few
small regular expressions and a little fuzzy matching; docs/lint.md says how each one reads
the text and why.

`lint` never raises on any text: the CLI feeds it whatever a user pipes in.

The package, along its seams: `rules` (the rule table and what a note is linted against),
`text` (reading the text: words, stems, quoted lines, the phrase lists' matcher), `phrases`
(the phrase lists and patterns each rule matches), `checks` (one check per rule, and
`lint`). Import from here: `from followup.domain.lint import lint, NoteContext`.
"""

from __future__ import annotations

from followup.domain.lint.checks import NO_CONTEXT, lint, looks_like_placeholder, negative_phrases
from followup.domain.lint.rules import (
    DEFAULT_WORD_LIMIT,
    DUPLICATE_RATIO,
    RULES,
    SELF_EVIDENT,
    SUBJECT_LIMIT,
    WORD_LIMITS,
    Finding,
    NoteContext,
    Rule,
    Severity,
    rule,
)

__all__ = [
    "DEFAULT_WORD_LIMIT",
    "DUPLICATE_RATIO",
    "NO_CONTEXT",
    "RULES",
    "SELF_EVIDENT",
    "SUBJECT_LIMIT",
    "WORD_LIMITS",
    "Finding",
    "NoteContext",
    "Rule",
    "Severity",
    "lint",
    "looks_like_placeholder",
    "negative_phrases",
    "rule",
]
