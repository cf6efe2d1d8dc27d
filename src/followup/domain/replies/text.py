"""Small helpers on the facts' text: the own text without quoted history, the own subject
before any Re:/Fwd: prefix, lower-casing with typography folded, addresses, dates."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime

# --- helpers ------------------------------------------------------------------------------


def _date_of(when: datetime | None) -> date | None:
    return when.date() if isinstance(when, datetime) else None


def _first_values(headers: Iterable[tuple[str, str]]) -> dict[str, str]:
    first: dict[str, str] = {}
    for name, value in headers:
        first.setdefault(name.lower(), value)
    return first


def _dedupe(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item for item in items if item))


def _shown(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _local_part(address: str | None) -> str:
    return (address or "").rpartition("@")[0].lower() if "@" in (address or "") else ""


_TYPOGRAPHY = str.maketrans({"\u2019": "'", "\u2018": "'", "\u00a0": " ", "\u202f": " "})


def _normal(text: str) -> str:
    return text.translate(_TYPOGRAPHY).lower()


# --- own text: the body without quoted history ----------------------------------------------

_OWN_LIMIT = 3000
_QUOTE_START = re.compile(
    r"^[ \t]*(?:"
    r"on\b[^\n]{0,200}(?:\n[^\n]{0,200})?\bwrote:"
    r"|am\b[^\n]{0,200}(?:\n[^\n]{0,200})?\bschrieb\b[^\n]{0,100}:"
    r"|le\b[^\n]{0,200}(?:\n[^\n]{0,200})?\ba [ée]crit ?:"
    r"|el\b[^\n]{0,200}(?:\n[^\n]{0,200})?\bescribi[óo] ?:"
    r"|op\b[^\n]{0,200}(?:\n[^\n]{0,200})?\bschreef\b[^\n]{0,100}:"
    r"|il\b[^\n]{0,200}(?:\n[^\n]{0,200})?\bha scritto ?:"
    r"|em\b[^\n]{0,200}(?:\n[^\n]{0,200})?\bescreveu ?:"
    r"|-{2,}[ \t]*(?:original message|urspr[üu]ngliche nachricht|message d'origine"
    r"|mensaje original|oorspronkelijk bericht|messaggio originale|mensagem original"
    r"|forwarded message|weitergeleitete nachricht)[ \t]*-{2,}"
    r"|_{10,}[ \t]*$"
    r"|(?:from|von|de|van|da)[ \t]*:[^\n]*\n[ \t]*(?:sent|gesendet|envoy[ée]|enviado"
    r"|verzonden|inviato|date|datum)[ \t]*:"
    r")",
    re.IGNORECASE | re.MULTILINE,
)


def own_text(body: str) -> str:
    """What the writer wrote: the start of the body, without quoted lines and history."""
    head = body[: _OWN_LIMIT * 4]
    start = _QUOTE_START.search(head)
    if start is not None:
        head = head[: start.start()]
    lines = [line for line in head.split("\n") if not line.lstrip().startswith(">")]
    return "\n".join(lines)[:_OWN_LIMIT]


# "Re:", "AW:", "Fwd:"…: what follows was an earlier message's subject, not this one's.
_REPLY_PREFIX = re.compile(
    r"(?:^|(?<=[\s\]:]))(?:re|aw|sv|vs|antw|r[ée]f|rif|r|res|fw|fwd|wg|tr|rv|enc)"
    r"\s*(?:\[\d+\])?\s*:",
    re.IGNORECASE,
)


# "Fwd:", "FW:", "WG:" (German), "TR:" (French), "RV:" (Spanish), "ENC:" (Portuguese), "VB:"
# (Swedish), "Doorst:" (Dutch): the message passes on another's, after any "[EXTERNAL]" tag
_FORWARD_PREFIX = re.compile(
    r"^\s*(?:\[[^\]]{1,30}\]\s*)*(?:fw|fwd|wg|tr|rv|enc|vb|doorst)\s*(?:\[\d+\])?\s*:",
    re.IGNORECASE,
)


def forwarded(subject: str) -> bool:
    """Whether a subject says its message forwards another ("FW: Interview - Northwind")."""
    return _FORWARD_PREFIX.match(subject) is not None


def _own_subject(subject: str) -> str:
    """The part of a subject this message wrote: before any reply or forward prefix.

    "Automatic reply: RE: Thanks" is an auto-reply's; "Re: Automatic reply: Thanks" is a
    person answering in a thread an out-of-office passed through.
    """
    prefix = _REPLY_PREFIX.search(subject)
    return subject[: prefix.start()] if prefix is not None else subject
