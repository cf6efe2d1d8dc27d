"""What a note must contain, and which tone fits the company — pure, no templates engine.

The article: "Express gratitude for the opportunity, highlight a key point from your
discussion that excited you, and gently reiterate your enthusiasm", bring in "your
experience in [relevant skill]", keep it brief and positive, and "tailor your follow-up
approach based on the company culture: in a formal corporate environment a more traditional
follow-up email, in a startup a more casual tone".
"""

from __future__ import annotations

from typing import NamedTuple

from followup.domain.model import Culture, Tone

_TONE_FOR_CULTURE = {
    Culture.CORPORATE: Tone.FORMAL,
    Culture.STARTUP: Tone.CASUAL,
    Culture.OTHER: Tone.NEUTRAL,
}


def choose_tone(culture: Culture, override: str | None = None) -> tuple[Tone, str]:
    """The tone for a company, and the reason shown beside every draft."""
    if override:
        tone = Tone(override)
        return tone, f"{tone.value}: chosen by you for this application"
    tone = _TONE_FOR_CULTURE[culture]
    if culture is Culture.OTHER:
        return tone, "neutral: culture unknown (set it with --culture corporate|startup)"
    return tone, f"{tone.value}: culture={culture.value}"


class NoteFacts(NamedTuple):
    """Everything a note may say, for one recipient and one step."""

    kind: str  # the policy's name for the step
    tone: Tone
    company: str
    role: str
    recipient_name: str | None = None
    topic: str | None = None  # the specific point: this person's, else the interview's
    skill: str | None = None
    news: str | None = None  # something new to add in a later note (the debrief's note)
    sender: str | None = None
    first_subject: str | None = None  # the thank-you's subject: later notes reply to it


def first_name(full: str | None) -> str:
    if not full:
        return ""
    parts = full.split()
    return parts[0] if parts else ""


def template_variables(facts: NoteFacts) -> dict[str, str]:
    """The names a template may use (documented in docs/templates.md); never None."""
    return {
        "company": facts.company,
        "role": facts.role,
        "name": facts.recipient_name or "",
        "first_name": first_name(facts.recipient_name),
        "topic": facts.topic or "",
        "skill": facts.skill or "",
        "news": facts.news or "",
        "sender": facts.sender or "",
        "first_subject": facts.first_subject or "",
        "kind": facts.kind,
        "tone": facts.tone.value,
    }


def split_subject(text: str) -> tuple[str, str]:
    """A rendered note's `Subject: …` first line and its body (no subject line: empty)."""
    head, _, rest = text.partition("\n")
    if head.lower().startswith("subject:"):
        return head[len("subject:") :].strip(), rest.lstrip("\n").rstrip() + "\n"
    return "", text.strip() + "\n"


def join_subject(subject: str, body: str) -> str:
    """The text a person edits: the subject line, a blank line, the body."""
    return f"Subject: {subject}\n\n{body.rstrip()}\n"
