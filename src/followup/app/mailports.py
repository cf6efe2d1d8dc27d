"""What the mail use-cases need from a mail provider: sending (SMTP) and a mailbox (IMAP).

Kept apart from app/ports.py because only the mail commands import it. Each port has an
in-memory fake (adapters/mail/fake.py) for unit speed and a real adapter tested against a
real server (aiosmtpd, Dovecot).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import NamedTuple, Protocol

# Said by a mail server that took longer than a whole conversation may (a tarpit): the
# worker leaves that seeker for a while rather than trying note after note.
TOO_SLOW = "took too long to answer"


class MailError(Exception):
    """A mail server said no, or could not be reached. `permanent` tells whether to retry."""

    def __init__(
        self,
        message: str,
        *,
        permanent: bool,
        code: int | None = None,
        unknown: bool = False,
        recipient: bool = False,
    ) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.code = code  # the SMTP reply code, when there was one
        # The message was handed over but the server's answer never came: it may have
        # been delivered, so it must not be sent again blindly.
        self.unknown = unknown
        # The server refused this recipient or this message for them (an answer to RCPT
        # TO or DATA), not the account or the connection: see fails_the_note.
        self.recipient = recipient


def fails_the_note(exc: MailError) -> bool:
    """The one rule for marking a note failed: only a refusal of its RECIPIENT for good
    (a 5xx to RCPT TO or DATA for that address; a bounce is recorded by sync). A failure that
    is the account's or the connection's — TLS refused, login refused, a server that cannot
    be reached, a setting missing, a sign-in needed — leaves the note pending: once the
    settings are fixed, Send works again."""
    return exc.permanent and exc.recipient and not exc.unknown


class SignInNeeded(MailError):
    """The OAuth2 grant is gone (revoked, expired): nothing can be sent or read until the
    user signs in again. Not the message's fault: a note stays pending, never failed."""

    def __init__(self, message: str) -> None:
        super().__init__(message, permanent=False)


class Mailer(Protocol):
    def send(self, raw: bytes, sender: str, recipients: Sequence[str]) -> None:
        """Deliver `raw` to exactly `recipients` (the envelope; never read from headers).

        Returns once the server accepted the message (250 after DATA). Raises MailError:
        permanent for a 5xx, not permanent for a 4xx or a dropped connection.
        """
        ...

    def check(self) -> str:
        """Connect and log in, send nothing: one line for `followup mail test`."""
        ...


class Composer(Protocol):
    def __call__(
        self,
        *,
        sender: str,
        to: Sequence[str],
        subject: str,
        body: str,
        message_id: str,
        date: datetime,
        in_reply_to: str | None,
        references: Sequence[str],
    ) -> bytes:
        """The RFC 5322 bytes of a note, every header checked (adapters/mail/message.py)."""
        ...


class FetchedMessage(NamedTuple):
    uid: int
    # `fetch_new`: the header block alone; `fetch_full`: the header and the first part
    # of the text (BODY_BYTES in the adapters), enough to classify the message
    raw: bytes


Batch = Callable[[Sequence[FetchedMessage], int], None]  # (a batch, how many come in all)


class SyncPoint(NamedTuple):
    """Where a folder's reading stopped: a changed UIDVALIDITY means start again."""

    uidvalidity: int
    last_uid: int


class Mailbox(Protocol):
    def append_draft(self, raw: bytes) -> None:
        """Save `raw` in the Drafts folder (by its \\Drafts special-use flag), flagged \\Draft."""
        ...

    def append_sent(self, raw: bytes) -> None:
        """File a copy of a message SMTP delivered in the Sent folder (by its \\Sent
        special-use flag), flagged \\Seen: for a provider whose SMTP keeps none itself."""
        ...

    def sent_contains(self, message_id: str) -> bool:
        """Whether the Sent folder holds a message with this Message-ID (reconciling a crash)."""
        ...

    def fetch_new(
        self, folder: str, since: SyncPoint | None, each: Batch | None = None
    ) -> tuple[list[FetchedMessage], SyncPoint]:
        """The header blocks of the messages in `folder` after `since` (all of them when
        None or UIDVALIDITY changed).

        Sorted by UID, each once across successive calls that pass back the returned
        SyncPoint; read-only (nothing is marked \\Seen). A folder that does not exist is a
        permanent MailError. The header is all a sync needs to pick the few messages worth
        reading in full (`fetch_full`).

        `each`, when given, is called with the messages batch by batch as they arrive
        (together: the returned list) and how many come in all, while the server works on
        the next batch: a caller that looks at the headers there pays for it while it
        would wait anyway. An error it raises ends the fetch and comes out as it is.
        """
        ...

    def fetch_full(self, folder: str, uids: Sequence[int]) -> list[FetchedMessage]:
        """The header and the first part of the text of just these messages of `folder`.

        Sorted by UID, each once; a UID not in the folder (expunged meanwhile) is left out.
        The UIDs are those of this mailbox's last `fetch_new` of `folder`: when its
        UIDVALIDITY changed since, they may name other messages, so that is a MailError
        that is not permanent (the next `fetch_new` starts again). Read-only.
        """
        ...

    def wait_for_news(self, folder: str, timeout: float) -> bool:
        """Block until the server reports new mail in `folder` (IMAP IDLE) or `timeout` passes.

        True at once when `folder` changed since this mailbox's last `fetch_new` of it, so
        mail that arrives between a fetch and the wait is not missed. A dropped connection
        is a MailError that is not permanent; the next call connects again.
        """
        ...

    def folders(self) -> dict[str, str]:
        """Special-use role (`inbox`, `sent`, `drafts`, …) -> folder name.

        The inbox is INBOX, the name RFC 3501 reserves for it on every server.
        """
        ...

    def check(self) -> str:
        """Connect and log in, change nothing: one line for `followup mail test`."""
        ...

    def close(self) -> None: ...


def batched(items: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
