"""In-memory mail for unit speed: `FakeMailbox` (IMAP) and `FakeMailer` (SMTP).

They pass the same contract suite as the real adapters (tests/contract/test_mailbox_contract.py)
and add what only a test needs: delivering mail "from another connection", bumping a
folder's UIDVALIDITY, scripted SMTP failures. Never the only test of a service's mail path:
the real adapters run against Dovecot and aiosmtpd.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from email.parser import BytesHeaderParser
from email.policy import compat32
from typing import Literal, NamedTuple

from followup.app.mailports import Batch, FetchedMessage, MailError, SyncPoint

DRAFT, SEEN = "\\Draft", "\\Seen"
ROLES = {"inbox": "INBOX", "drafts": "Drafts", "sent": "Sent", "trash": "Trash", "junk": "Junk"}


@dataclass
class _Folder:
    uidvalidity: int
    next_uid: int = 1
    messages: dict[int, tuple[frozenset[str], bytes]] = field(default_factory=dict)


class FakeMailbox:
    """Folders of (flags, raw) by UID; thread-safe, so a test can deliver while one waits."""

    BODY_BYTES = 16384  # what fetch_full keeps of a message's text, as the IMAP adapter does
    BATCH = 500  # messages a call of fetch_new's `each`, as the IMAP adapter's UID FETCH

    def __init__(self, roles: dict[str, str] | None = None) -> None:
        self.roles = dict(ROLES if roles is None else roles)
        self._uidvalidity = 1000
        self._folders = {name: self._new_folder() for name in self.roles.values()}
        self._changed = threading.Condition()
        self._seen: dict[str, SyncPoint] = {}
        self._failures: list[MailError] = []
        self.closed = False
        self.calls: list[str] = []  # the port's methods, in the order they were called
        self.full_fetches: list[tuple[str, tuple[int, ...]]] = []  # fetch_full's (folder, uids)

    # --- what a test does from "another connection" -------------------------------------

    def deliver(self, folder: str, raw: bytes, flags: Iterable[str] = ()) -> int:
        """Put a message in `folder` (made when missing); its UID. Wakes `wait_for_news`."""
        with self._changed:
            box = self._folders.setdefault(folder, self._new_folder())
            uid = box.next_uid
            box.next_uid += 1
            box.messages[uid] = (frozenset(flags), raw)
            self._changed.notify_all()
        return uid

    def create(self, folder: str) -> None:
        with self._changed:
            if folder in self._folders:
                raise MailError(f"folder {folder!r} exists", permanent=True)
            self._folders[folder] = self._new_folder()

    def expunge(self, folder: str, uid: int) -> None:
        with self._changed:
            del self._get(folder).messages[uid]

    def bump_uidvalidity(self, folder: str) -> None:
        """The server rebuilt `folder`: same messages, new UIDs from 1, new UIDVALIDITY."""
        with self._changed:
            old = self._get(folder)
            box = self._folders[folder] = self._new_folder()
            for _uid, message in sorted(old.messages.items()):
                box.messages[box.next_uid] = message
                box.next_uid += 1
            self._changed.notify_all()

    def messages(self, folder: str) -> list[tuple[int, frozenset[str], bytes]]:
        with self._changed:
            return [(uid, f, raw) for uid, (f, raw) in sorted(self._get(folder).messages.items())]

    def fail_next(self, *errors: MailError) -> None:
        """Make the next calls of the port's methods raise these, one each, in order."""
        self._failures.extend(errors)

    # --- the Mailbox port ---------------------------------------------------------------

    def folders(self) -> dict[str, str]:
        self._enter("folders")
        return dict(self.roles)

    def append_draft(self, raw: bytes) -> None:
        self._enter("append_draft")
        self.deliver(self._role("drafts"), raw, (DRAFT, SEEN))

    def append_sent(self, raw: bytes) -> None:
        self._enter("append_sent")
        self.deliver(self._role("sent"), raw, (SEEN,))

    def sent_contains(self, message_id: str) -> bool:
        self._enter("sent_contains")
        wanted = message_id.strip()
        for _uid, _flags, raw in self.messages(self._role("sent")):
            found = BytesHeaderParser(policy=compat32).parsebytes(raw).get_all("message-id", [])
            if any(str(value).strip() == wanted for value in found):
                return True
        return False

    def fetch_new(
        self, folder: str, since: SyncPoint | None, each: Batch | None = None
    ) -> tuple[list[FetchedMessage], SyncPoint]:
        self._enter("fetch_new")
        with self._changed:
            box = self._get(folder)
            first = 1
            if since is not None and since.uidvalidity == box.uidvalidity:
                first = since.last_uid + 1
            fetched = [
                FetchedMessage(uid, self._header(raw))
                for uid, (_flags, raw) in sorted(box.messages.items())
                if uid >= first
            ]
            point = SyncPoint(box.uidvalidity, max(first - 1, box.next_uid - 1))
        if each is not None:
            for start in range(0, len(fetched), self.BATCH):
                each(fetched[start : start + self.BATCH], len(fetched))
        self._seen[folder] = point
        return fetched, point

    def fetch_full(self, folder: str, uids: Sequence[int]) -> list[FetchedMessage]:
        self._enter("fetch_full")
        self.full_fetches.append((folder, tuple(uids)))
        with self._changed:
            box = self._get(folder)
            seen = self._seen.get(folder)
            if seen is not None and seen.uidvalidity != box.uidvalidity:
                raise MailError(f"{folder} was rebuilt (fake)", permanent=False)
            return [
                FetchedMessage(uid, self._cut(box.messages[uid][1]))
                for uid in sorted(set(uids))
                if uid in box.messages
            ]

    def wait_for_news(self, folder: str, timeout: float) -> bool:
        """True at once when `folder` changed since this mailbox's last `fetch_new` of it."""
        self._enter("wait_for_news")
        deadline = time.monotonic() + timeout
        with self._changed:
            start = self._state(folder)
            seen = self._seen.get(folder)
            if seen is not None and (seen.uidvalidity, seen.last_uid + 1) != start:
                return True
            while self._state(folder) == start:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._changed.wait(left)
            return True

    def check(self) -> str:
        self._enter("check")
        return f"fake mailbox: {', '.join(sorted(self._folders))}"

    def close(self) -> None:
        self.closed = True

    # --- internals ----------------------------------------------------------------------

    def _enter(self, method: str) -> None:
        self.calls.append(method)
        if self._failures:
            raise self._failures.pop(0)

    def _new_folder(self) -> _Folder:
        self._uidvalidity += 1
        return _Folder(self._uidvalidity)

    def _get(self, folder: str) -> _Folder:
        try:
            return self._folders[folder]
        except KeyError:
            raise MailError(f"no folder {folder!r}", permanent=True) from None

    def _state(self, folder: str) -> tuple[int, int]:
        box = self._get(folder)
        return box.uidvalidity, box.next_uid

    def _role(self, role: str) -> str:
        try:
            return self.roles[role]
        except KeyError:
            raise MailError(f"no {role.capitalize()} folder", permanent=True) from None

    @classmethod
    def _cut(cls, raw: bytes) -> bytes:
        """The header and the first BODY_BYTES of the text, as the IMAP adapter fetches."""
        return raw[: cls._header_end(raw) + cls.BODY_BYTES]

    @classmethod
    def _header(cls, raw: bytes) -> bytes:
        """The header block with the blank line that ends it, as BODY[HEADER] gives it."""
        return raw[: cls._header_end(raw)]

    @staticmethod
    def _header_end(raw: bytes) -> int:
        ends = [i + len(sep) for sep in (b"\r\n\r\n", b"\n\n") if (i := raw.find(sep)) >= 0]
        return min(ends) if ends else len(raw)


class SentMail(NamedTuple):
    raw: bytes
    sender: str
    recipients: tuple[str, ...]


Outcome = int | Literal["drop"]


class FakeMailer:
    """Records what it is given; `fail_next` scripts refusals and dropped connections.

    An outcome is an SMTP code (4xx: not permanent, 5xx: permanent; the message is not
    recorded) or "drop": the connection dropped after DATA — the message is recorded (it
    may have arrived) and MailError(permanent=False, unknown=True) is raised.
    """

    def __init__(self) -> None:
        self.sent: list[SentMail] = []
        self.attempts = 0
        self._outcomes: list[Outcome] = []

    def fail_next(self, *outcomes: Outcome) -> None:
        for outcome in outcomes:
            if outcome != "drop" and not (isinstance(outcome, int) and 400 <= outcome < 600):
                raise ValueError(f"not an SMTP failure: {outcome!r}")
        self._outcomes.extend(outcomes)

    def send(self, raw: bytes, sender: str, recipients: Sequence[str]) -> None:
        self.attempts += 1
        if not recipients:
            raise MailError("no recipients", permanent=True)
        outcome = self._outcomes.pop(0) if self._outcomes else None
        if outcome == "drop":
            self.sent.append(SentMail(raw, sender, tuple(recipients)))
            raise MailError(
                "the connection dropped after the message was sent, before the server"
                " confirmed it: it may have been delivered",
                permanent=False,
                unknown=True,
            )
        if isinstance(outcome, int):
            raise MailError(
                f"the server refused the message: {outcome} (fake)",
                permanent=outcome >= 500,
                code=outcome,
                recipient=True,
            )
        self.sent.append(SentMail(raw, sender, tuple(recipients)))

    def check(self) -> str:
        return "fake mailer"
