"""`followup classify`: how an inbound message is classified — human, auto-reply, bounce, one
of the hiring side's kinds (rejection, role-closed, acknowledgement, notification, scheduling,
offer) or unrelated — and why, in which language, naming which company and role.
`followup receive` acts on a saved message as `sync` would; `followup reclassify` corrects
a wrong reading.

Reads one RFC 5322 message (an .eml file, or stdin with -), extracts its facts with
adapters/mail/inbound.py and classifies them with domain/replies/; both are imported only
when the command runs (with the stdlib `email` package they need), so `followup --help`
stays fast. Nothing is stored: this is the same classification `followup sync` applies.
"""

from __future__ import annotations

import sys
from datetime import UTC, date
from typing import TYPE_CHECKING, Any

import click

from followup.app.errors import Conflict, ExitCode, InvalidInput
from followup.app.files import check_source
from followup.cli.render import echo, emit_json, warn
from followup.cli.state import State, json_option, pass_state

if TYPE_CHECKING:
    from followup.app.receiving import Received
    from followup.domain.replies import Classification, MessageFacts

# replies.Kind's values, written out: importing the classifier at start-up costs time.
_KINDS = (
    "human",
    "auto-reply",
    "bounce",
    "rejection",
    "role-closed",
    "acknowledgement",
    "notification",
    "scheduling",
    "offer",
    "unrelated",
)

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


@click.command()
@click.argument("message", metavar="MESSAGE.eml|-")
@json_option
@pass_state
def receive(state: State, message: str, as_json: bool) -> None:
    """Act on MESSAGE as `followup sync` acts on new mail: match it to an application and
    apply what it says (a rejection ends it, a reply stops the notes, …).

    MESSAGE is an .eml file saved from any mail client, or - for stdin. A message that
    matches no interview changes nothing and says so (exit 0; --json: "matched": []); a
    rejection, closed role, offer or invitation that could be about several applications, or
    names another role, changes nothing and exits 5 with the reason; so does an attached
    invitation from people the application does not know (not imported). A message your mail
    server says is not from its sender (Authentication-Results: dmarc=fail, or spf=fail
    without a signature) changes nothing and says it looks forged (exit 0).
    """
    from followup.app import receiving
    from followup.bootstrap import mail_identity, message_facts

    facts = message_facts(read_message(message))
    if not facts.headers:
        shown = "stdin" if message == "-" else message
        raise InvalidInput(f"{shown} is not an e-mail message (no header found)")
    me = mail_identity(state.settings_home)
    done = receiving.receive(state.ctx, me, facts, source="file")
    invited = None
    refused = ""
    if message != "-" and facts.calendar_method == "request":
        from pathlib import Path

        from followup.cli.portability import _invite_options

        options = _invite_options(state, None, None, yes=True)  # pinned: never guessed
        try:
            invited = receiving.import_next_round(state.ctx, done, Path(message), options)
        except InvalidInput as exc:  # the answer stands; its invitation was not imported
            refused = str(exc)
    if as_json:
        emit_json(
            {
                **received_dict(done),
                "next_round": invited.as_dict()["interviews"] if invited else [],
            }
        )
        if done.undecided or refused:
            sys.exit(int(ExitCode.CONFLICT))
        return
    echo(f"kind:     {done.kind.value} ({done.reason})")
    if done.matched:
        ids = ", ".join(str(i) for i in done.matched)
        how = _MATCHED_BY.get(done.matched_by or "", done.matched_by)
        echo(f"matched:  interview {ids} (by {how})")
    imported = bool(invited and invited.outcomes)
    for change in done.changes:
        detail = change.detail
        if imported and change.kind == "scheduling":  # no "add it": it was, just below
            detail = "they proposed a next round: its invitation is imported below"
        echo(f"changed:  interview {change.interview_id}: {detail}")
    for outcome in invited.outcomes if invited else ():
        echo(f"next round: {outcome.message}")
    if done.undecided:  # a rejection left unapplied: say why, and fail
        raise Conflict(done.note)
    if refused:  # an invitation the application's people did not send: not imported
        raise Conflict(f"next round not imported: {refused}")
    if not done.changes:
        echo(done.note)


# how `receive` tells a match that is not plain from its one word
_MATCHED_BY = {
    "recipient": "recipient: the address that bounced is its interviewer's",
    "uid": "uid: the event of the invitation it was imported from",
}


@click.command()
@click.argument("message_id", metavar="MESSAGE_ID")
@click.option(
    "--as",
    "kind",
    required=True,
    type=click.Choice(_KINDS),
    help="What the message really is.",
)
@json_option
@pass_state
def reclassify(state: State, message_id: str, kind: str, as_json: bool) -> None:
    """Correct how a received message was read: take back what it changed and apply KIND.

    MESSAGE_ID is the message's Message-ID (`followup show ID --json` lists them under
    "inbound"). `followup undo ID` takes the new reading back to the first one.
    """
    from followup.app import receiving
    from followup.bootstrap import mail_identity
    from followup.domain.replies import Kind

    me = mail_identity(state.settings_home)
    done = receiving.reclassify(state.ctx, me, message_id, Kind(kind))
    if as_json:
        emit_json(
            {
                "interview_id": done.interview_id,
                "was": done.was,
                "kind": done.now.value,
                "undone": done.undone,
                "changes": [c._asdict() for c in done.changes],
                "note": done.note,
            }
        )
        return
    if done.note:
        echo(done.note)
        return
    echo(f"interview {done.interview_id}: {done.was} → {done.now.value}")
    if done.undone:
        echo(f"took back: {done.undone}")
    for change in done.changes:
        echo(f"changed:   interview {change.interview_id}: {change.detail}")
    if not done.changes:
        echo("nothing else changed")


def received_dict(done: Received) -> dict[str, Any]:
    """`receive --json`: what was matched and what changed (stable keys)."""
    return {
        "message_id": done.message_id,
        "from": done.from_addr,
        "subject": done.subject,
        "kind": done.kind.value,
        "reason": done.reason,
        "matched": list(done.matched),
        "matched_by": done.matched_by,
        "changes": [c._asdict() for c in done.changes],
        "note": done.note,
        "unverified": done.unverified,
    }


COMMANDS = (classify, receive, reclassify)


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
    check_source(source, stdin=True)  # a fifo would block forever, a device never end
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
