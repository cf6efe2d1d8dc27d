"""`followup lint`: check a note against the article's etiquette, like a code linter.

The note comes from a file or stdin: an optional `Subject: …` line, a blank line, the body —
or a whole RFC 5322 message (.eml). `--interview ID` adds what the database knows (company,
tone, interviewer, topics, skill, the other notes); without it only the text is checked.
The linter itself is pure (domain/lint/) and is imported only when this command runs.
"""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING, Any

import click

from followup.app.errors import ExitCode, InvalidInput
from followup.app.files import check_source
from followup.cli.render import echo, emit_json, warn
from followup.cli.state import ID, State, json_option, pass_state

if TYPE_CHECKING:
    from followup.domain.lint import Finding


@click.command()
@click.argument("file", required=False, default="-", metavar="[FILE|-]")
@click.option(
    "--interview",
    "interview_id",
    type=ID,
    metavar="ID",
    help="Check against this interview: company, tone, interviewer, topics, skill.",
)
@click.option(
    "--step",
    type=int,  # the policy judges N (Policy.kind_at): one line, exit 4, for 0 as for 5
    metavar="N",
    help="The policy's step N: 1 thank-you, 2 follow-up, 3 final by default (default: the"
    " interview's pending step).",
)
@click.option(
    "--interviewer", "email", metavar="EMAIL", help="Whom the note is for (with --interview)."
)
@click.option("--rules", "show_rules", is_flag=True, help="List every rule and what it checks.")
@json_option
@pass_state
def lint(
    state: State,
    file: str,
    interview_id: int | None,
    step: int | None,
    email: str | None,
    show_rules: bool,
    as_json: bool,
) -> None:
    """Check a follow-up note; exit 7 when it breaks the etiquette.

    FILE holds the note: an optional "Subject: …" line, a blank line, then the body; or an
    .eml message. Without FILE, or with -, the note is read from stdin. Warnings alone
    exit 0. See docs/lint.md for every rule.
    """
    from followup.domain import lint as linter

    if show_rules:
        _print_rules(as_json)
        return
    if email and interview_id is None:
        raise click.UsageError("--interviewer needs --interview")
    subject, body = read_note(file)
    if interview_id is not None:  # the interview's own note at that step, whatever its kind
        from followup.app import drafting

        findings = list(drafting.lint_note(state.ctx, interview_id, subject, body, step, email))
    else:
        context = linter.NoteContext(kind=None if step is None else _step_kind(state, step))
        findings = linter.lint(subject, body, context)
    errors = sum(1 for f in findings if f.severity is linter.Severity.ERROR)
    if as_json:
        emit_json(_as_json(findings, errors))
    else:
        _print_findings(findings, errors)
    if errors:
        sys.exit(int(ExitCode.LINT))


COMMANDS = (lint,)


def _step_kind(state: State, step: int) -> str:
    """The kind of note the policy sends at `step`, read from the settings alone (linting a
    text opens no database); a step it does not send is refused as `draft --step` refuses it."""
    from followup.config import paths, settings

    policy = settings.load(paths.resolve(state.settings_home).config_file).policy()
    try:
        return policy.kind_at(step)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None


# --- reading a note -------------------------------------------------------------------------

_HEADER = re.compile(r"^[A-Za-z][A-Za-z0-9-]*:")
_MAIL_HEADERS = frozenset(
    (
        "from", "to", "cc", "date", "message-id", "mime-version", "content-type",
        "content-transfer-encoding", "received", "return-path", "in-reply-to", "references",
        "reply-to", "sender",
    )
)  # fmt: skip


def read_note(file: str) -> tuple[str, str]:
    """(subject, body) from a file or stdin; a file that cannot be read is InvalidInput."""
    from followup.domain.limits import NOTE_BYTES

    too_big = f"{'stdin' if file == '-' else file} is over {NOTE_BYTES // 1024} KB: not a note"
    if file == "-":
        if sys.stdin.isatty():
            warn("reading the note from stdin (end it with Ctrl-D)")
        try:
            text = sys.stdin.read(NOTE_BYTES + 1)
        except UnicodeDecodeError as exc:
            raise InvalidInput("stdin is not UTF-8 text") from exc
        if len(text) > NOTE_BYTES:
            raise InvalidInput(too_big)
        return split_note(text)
    check_source(file, stdin=True)  # a fifo would block forever, a device never end
    try:
        with open(file, "rb") as handle:
            raw = handle.read(NOTE_BYTES + 1)
    except OSError as exc:
        raise InvalidInput(f"cannot read {file}: {exc.strerror or exc}") from exc
    if len(raw) > NOTE_BYTES:
        raise InvalidInput(too_big)
    if file.lower().endswith(".eml"):
        return _from_message(raw)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{file} is not UTF-8 text") from exc
    return split_note(text)


def split_note(text: str) -> tuple[str, str]:
    """A note's subject and body: `Subject: …`, a blank line, the body; or an RFC 5322 message."""
    text = text.removeprefix("\ufeff")
    if _is_message(text):
        return _from_message(text)
    from followup.domain.compose import split_subject

    return split_subject(text)


def _is_message(text: str) -> bool:
    """Mail headers (more than a Subject) before the first blank line."""
    names = set()
    for line in text.splitlines():
        if not line.strip():
            break
        if line[:1] in " \t":
            continue  # a folded header's continuation
        if not _HEADER.match(line):
            return False
        names.add(line.partition(":")[0].lower())
    return bool(names & _MAIL_HEADERS)


def _from_message(raw: str | bytes) -> tuple[str, str]:
    """The Subject and the text of an RFC 5322 message (text/plain, else its HTML as text)."""
    import email
    from email import policy
    from email.message import EmailMessage

    try:
        if isinstance(raw, bytes):
            message = email.message_from_bytes(raw, policy=policy.default)
        else:
            message = email.message_from_string(raw, policy=policy.default)
        assert isinstance(message, EmailMessage)
        subject = str(message.get("Subject") or "")
        part = message.get_body(preferencelist=("plain", "html"))
        if part is None:
            raise InvalidInput("the message has no text part to check")
        content = part.get_content()
    except (LookupError, ValueError, TypeError) as exc:
        raise InvalidInput(f"cannot read the message: {exc}") from exc
    if not isinstance(content, str):
        raise InvalidInput("the message has no text part to check")
    if part.get_content_type() == "text/html":
        content = _html_text(content)
    return " ".join(subject.split()), content


def _html_text(html: str) -> str:
    from html import unescape

    html = re.sub(r"(?is)<(script|style)\b.*?</\1\s*>", "", html)
    html = re.sub(r"(?i)<br\s*/?>|</(?:p|div|li|h[1-6])\s*>", "\n", html)
    return unescape(re.sub(r"<[^>]*>", "", html))


# --- output ---------------------------------------------------------------------------------


def _as_json(findings: list[Finding], errors: int) -> dict[str, Any]:
    return {
        "findings": [
            {"rule": f.rule, "severity": f.severity.value, "message": f.message} for f in findings
        ],
        "errors": errors,
        "warnings": len(findings) - errors,
    }


def _print_findings(findings: list[Finding], errors: int) -> None:
    if not findings:
        echo("No problems: the note follows the etiquette.")
        return
    width = max(len(f.rule) for f in findings)
    for f in findings:
        echo(f"{f.rule.ljust(width)}  {f.severity.value.ljust(7)}  {f.message}")
    warnings = len(findings) - errors
    echo(f"{_count(errors, 'error')}, {_count(warnings, 'warning')}")


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _print_rules(as_json: bool) -> None:
    from followup.domain.lint import RULES

    if as_json:
        emit_json(
            [
                {"id": r.id, "severity": r.severity.value, "explanation": r.explanation}
                for r in RULES
            ]
        )
        return
    width = max(len(r.id) for r in RULES)
    for r in RULES:
        echo(f"{r.id.ljust(width)}  {r.severity.value.ljust(7)}  {r.explanation}")
