"""What an action's outcome says to the person who clicked it (issue #16, item 4): done or a
problem, in plain words, with where the fix is.

The use-cases report a send as `sending.Sent` (outcome + the server's or the gate's line) or
refuse it with an error; the CLI prints those lines as they are. The dashboard shows each
outcome next to the button that caused it, and a problem as a problem: what happened, then
the one place to fix it ("Couldn't reach your mail server smtp.example.org:2525 — check
Settings → Mail"). The wording lives here, once; the page turns `fix` into a link.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import Enum
from typing import NamedTuple, Protocol

from followup.app.mailwords import REACH, UNREACHED
from followup.app.sending import LINT_REFUSED


class Fix(Enum):
    """Where the dashboard fixes a problem (web/ links each one)."""

    MAIL = "mail"  # Settings → Mail: the account, its servers, its sign-in
    TEXT = "text"  # the draft's own text, above the button
    EDIT = "edit"  # the interview's Edit form: an interviewer's address
    MAILBOX = "mailbox"  # your mail client's Sent folder: look before anything is sent again


class Said(NamedTuple):
    ok: bool  # done (or nothing to do); False: a problem, shown as one
    text: str  # one or two sentences, in the use-cases' words (the page passes them to `plain`)
    fix: Fix | None = None  # where the fix is, when there is one to name


_REACH_END = re.compile(r"cannot reach (SMTP|IMAP) server (\S+)$")
_REFUSED_RCPT = re.compile(r"the server refused RCPT TO (\S+): (.*)")
_SIGN_IN = re.compile(r"(login|log in|sign in|OAuth2|authenticat)", re.IGNORECASE)
_TLS = re.compile(r"(TLS|STARTTLS|without TLS)")

NOT_SENT = "Nothing was sent; the note is still pending."
NOT_SAVED = "Nothing was saved; the note is still pending."
IN_DOUBT = Said(
    False,
    "The connection dropped after the message was handed over: it may have been delivered."
    " It is not sent again by itself.",
    Fix.MAILBOX,
)


def mail_problem(line: str) -> Said:
    """A mail server's failure (the adapters' one line) as what it means and where to fix it."""
    found = REACH.search(line) or _REACH_END.search(line)
    if found:
        which, where = found.group(1), found.group(2)
        which = " (IMAP)" if which == "IMAP" else ""
        return Said(False, f"{UNREACHED} {where}{which}.", Fix.MAIL)
    refused = _REFUSED_RCPT.search(line)
    if refused:
        address, reply = refused.group(1), refused.group(2)
        return Said(
            False, f"Your mail server refused the address {address}: {_end(reply)}", Fix.EDIT
        )
    if "it may have been delivered" in line or "cannot check Sent" in line:
        return IN_DOUBT
    if _TLS.search(line):
        return Said(
            False, f"A secure connection to your mail server failed: {_end(line)}", Fix.MAIL
        )
    if _SIGN_IN.search(line):
        return Said(False, f"Your mail server refused the sign-in: {_end(line)}", Fix.MAIL)
    return Said(False, f"Your mail server said: {_end(line)}", Fix.MAIL)


class Outcome(Protocol):
    """A note's outcome: sending.Sent, or dispatch.Scheduled for Send when due."""

    @property
    def to(self) -> str: ...
    @property
    def outcome(self) -> str: ...
    @property
    def detail(self) -> str: ...


# Who sends an approved note at its due time, as the dashboard knows it: "here" (`followup
# serve` runs the worker's loop itself), "off" (it was started not to, and it cannot see a
# `followup worker`), "elsewhere" (server mode: the site's workers, which keep no heartbeat
# a page could read). The approval's answer says which, so that it never promises a send.
SENDERS = ("here", "off", "elsewhere")


def approved(to: str, sender: str, again: bool = False) -> Said:
    """Send when due's answer: approved, and what (if anything) will send it."""
    said = f"Already approved: the note to {to}" if again else f"Approved: the note to {to}"
    if sender == "here":
        return Said(True, f"{said} goes out by itself when due, while this dashboard runs.")
    if sender == "elsewhere":
        return Said(
            True,
            f"{said} goes out when due only if this site's sending service is running;"
            " this page cannot tell whether it is (ask whoever runs the site).",
        )
    return Said(
        False,
        f"{said} is kept, but nothing here sends it: this dashboard was started with sending"
        " when due turned off. It goes out only once something sends due notes.",
    )


def send_outcome(result: Outcome, mode: str = "send", sender: str = "here") -> Said:
    """One note's outcome after Send, Save to Drafts (`mode` "drafts") or Send when due
    ("when-due"; `sender`: what sends it then, see SENDERS)."""
    detail = result.detail
    not_done = {"drafts": "Not saved to Drafts", "when-due": "Not approved"}.get(mode, "Not sent")
    if result.outcome == "sent":
        said = f"Sent to {result.to}."
        return Said(True, f"{said} {_end(detail[:1].upper() + detail[1:])}" if detail else said)
    if result.outcome == "drafted":
        return Said(True, f"Saved to your Drafts folder: the note to {result.to}.")
    if result.outcome in ("scheduled", "unchanged"):
        return approved(result.to, sender, again=result.outcome == "unchanged")
    if result.outcome == "skipped":
        if detail.startswith(LINT_REFUSED):
            rules = detail.removeprefix(LINT_REFUSED)
            return Said(False, f"{not_done}: the linter found errors — {_end(rules)}", Fix.TEXT)
        if detail.startswith("not due until"):
            return Said(False, f"{not_done}: {_end(detail)}")
        return Said(True, f"Nothing to do: {_end(detail)}")
    if result.outcome == "let-go":  # its round moved on once the others' notes went
        return Said(True, f"Let go, the note to {result.to}: {_end(detail)}")
    if result.outcome == "held":  # the provider's daily limit (app/pacing.py): still pending
        return Said(False, f"Not sent yet: {_end(detail)}")
    if result.outcome == "refused":  # Send when due: the gate
        lint = detail.startswith(LINT_REFUSED)
        return Said(False, f"{not_done}: {_end(detail)}", Fix.TEXT if lint else None)
    if result.outcome == "unknown":
        return IN_DOUBT
    problem = mail_problem(_without_tries(detail))
    if result.outcome == "retry-later":
        still = NOT_SAVED if mode == "drafts" else NOT_SENT
        return problem._replace(text=f"{problem.text} {still}")
    return problem._replace(text=f"{problem.text} The note was not sent and is marked failed.")


_UNREAD_NOTICE = "could not read your inbox first: "


def refusal(message: str, notices: Sequence[str] = (), mode: str = "send") -> Said:
    """A send refused as a whole: a use-case's error, or a mail server that failed while the
    use-case read Sent or the inbox first (`notices`: the lines it said meanwhile)."""
    not_done = {"drafts": "Not saved to Drafts", "when-due": "Not approved"}.get(mode, "Not sent")
    if message.startswith(("cannot reach", "TLS with", "SMTP login", "IMAP login")):
        problem = mail_problem(message)
        still = NOT_SAVED if mode == "drafts" else NOT_SENT
        return problem._replace(text=f"{problem.text} {still}")
    if message.startswith("your inbox could not be read"):
        why = next((n for n in notices if n.startswith(_UNREAD_NOTICE)), "")
        first = (
            mail_problem(why.removeprefix(_UNREAD_NOTICE)).text
            if why
            else "Couldn't read your inbox."
        )
        return Said(
            False,
            f"{first} It is read before a note goes, so that a reply is not missed. {NOT_SENT}",
            Fix.MAIL,
        )
    if "needs IMAP" in message or "needs SMTP" in message:
        return Said(False, f"{not_done}: {_end(message)}", Fix.MAIL)
    return Said(False, f"{not_done}: {_end(message)}")


def _end(text: str) -> str:
    """A sentence ends with one full stop."""
    text = text.rstrip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


def problem(message: str) -> Said:
    """A mail action refused as a whole, outside a send (Check mail now)."""
    if message.startswith(("cannot reach", "TLS with", "SMTP login", "IMAP login")):
        return mail_problem(message)
    needs_setup = "needs IMAP" in message or "needs SMTP" in message
    return Said(False, _end(message[:1].upper() + message[1:]), Fix.MAIL if needs_setup else None)


def sync_outcome(read: int, changes: Sequence[tuple[int, str, str]]) -> list[Said]:
    """Check mail now: how many new messages, and what each that mattered changed
    (`changes`: interview id, kind, detail — syncing.Event)."""
    plural = "" if read == 1 else "s"
    if not changes:
        return [Said(True, f"Read {read} new message{plural}: nothing changes.")]
    return [
        Said(True, f"Read {read} new message{plural}."),
        *(Said(True, f"Interview {iid}: {kind} — {_end(detail)}") for iid, kind, detail in changes),
    ]


def _without_tries(detail: str) -> str:
    return re.sub(r" \(\d+ tr(?:y|ies)\)$", "", detail)
