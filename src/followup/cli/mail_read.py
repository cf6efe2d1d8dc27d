"""`followup classify`: how an inbound message is classified — human, auto-reply, bounce, one
of the hiring side's kinds (rejection, role-closed, acknowledgement, notification, scheduling,
offer) or unrelated — and why, in which language, naming which company and role.

Reads one RFC 5322 message (an .eml file, or stdin with -), extracts its facts with
adapters/mail/inbound.py and classifies them with domain/replies.py; both are imported only
when the command runs (with the stdlib `email` package they need), so `followup --help`
stays fast. Nothing is stored: this is the same classification `followup sync` applies.
"""

from __future__ import annotations

import sys
from datetime import UTC, date
from typing import TYPE_CHECKING, Any

import click

from followup.app.errors import InvalidInput
from followup.cli.render import echo, emit_json, warn
from followup.cli.state import json_option

if TYPE_CHECKING:
    from followup.domain.replies import Classification, MessageFacts

# More than any mail server accepts in one message. Without a cap, `classify /dev/zero` (or
# a mailbox file given by mistake) reads until memory runs out.
MAX_MESSAGE_BYTES = 64 * 2**20


@click.command()
@click.argument("message", metavar="MESSAGE.eml|-")
@json_option
def classify(message: str, as_json: bool) -> None:
    """Say what MESSAGE is, and why: human, auto-reply, bounce, rejection, role-closed,
    acknowledgement, notification, scheduling, offer or unrelated.

    MESSAGE is an .eml file (one RFC 5322 message), or - to read it from stdin. For an
    out-of-office the return date is shown when the text gives one (a date without a year
    is read relative to the message's Date); for a bounce, the addresses that failed. The
    language (en, de, fr, es, nl) and, when the text names them, the company and the role.
    """
    from followup.bootstrap import message_facts
    from followup.domain.replies import classify as classify_facts

    facts = message_facts(read_message(message))
    if not facts.headers:
        shown = "stdin" if message == "-" else message
        raise InvalidInput(f"{shown} is not an e-mail message (no header found)")
    received = facts.date.date() if facts.date is not None else _today()
    result = classify_facts(facts, received)
    if as_json:
        emit_json(as_dict(result, facts))
    else:
        _print(result)


COMMANDS = (classify,)


def read_message(source: str) -> bytes:
    """The raw bytes of a message file, or of stdin for `-`; unreadable or over
    MAX_MESSAGE_BYTES is InvalidInput."""
    most = MAX_MESSAGE_BYTES
    if source == "-":
        if sys.stdin.isatty():
            warn("reading the message from stdin (end it with Ctrl-D)")
        buffer = getattr(sys.stdin, "buffer", None)
        if buffer is not None:
            data = bytes(buffer.read(most + 1))
        else:
            data = sys.stdin.read(most + 1).encode("utf-8", "surrogateescape")
        return _within(data, "stdin")
    try:
        with open(source, "rb") as handle:
            return _within(handle.read(most + 1), source)
    except OSError as exc:
        raise InvalidInput(f"cannot read {source}: {exc.strerror or exc}") from exc


def _within(data: bytes, shown: str) -> bytes:
    most = MAX_MESSAGE_BYTES
    if len(data) > most:
        size = f"{most // 2**20} MB" if most >= 2**20 else f"{most:,} bytes"
        raise InvalidInput(f"{shown} is over {size}: not one e-mail message")
    return data


def _today() -> date:
    """The anchor for a message without a Date: today (FOLLOWUP_NOW in tests)."""
    from followup.bootstrap import clock_from_env

    return clock_from_env().now().astimezone(UTC).date()


def as_dict(result: Classification, facts: MessageFacts) -> dict[str, Any]:
    """`--json`: stable keys; the return date as an ISO date or null."""
    return {
        "kind": result.kind.value,
        "reason": result.reason,
        "return_date": result.return_date.isoformat() if result.return_date else None,
        "failed_recipients": list(result.failed_recipients),
        "language": result.language,
        "company": result.company,
        "role": result.role,
        "message_id": facts.message_id,
        "from": facts.from_addr,
        "subject": facts.subject,
        "references": list(facts.references),
    }


def _print(result: Classification) -> None:
    back = result.return_date.isoformat() if result.return_date else "—"
    failed = ", ".join(result.failed_recipients) or "—"
    echo(f"kind:        {result.kind.value}")
    echo(f"reason:      {result.reason}")
    echo(f"return date: {back}")
    echo(f"failed:      {failed}")
    echo(f"language:    {result.language or '—'}")
    echo(f"company:     {result.company or '—'}")
    echo(f"role:        {result.role or '—'}")
