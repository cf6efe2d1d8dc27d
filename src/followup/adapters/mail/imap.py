"""Reading the user's mailbox over IMAP (imapclient): Drafts, Sent, new mail, IDLE.

Imported only by the mail commands (imapclient is not loaded at CLI start-up).

- Security: `ssl` (implicit TLS), `starttls`, or `none` — and `none` only for a server on
  this machine (127.0.0.0/8, ::1, localhost): the password never crosses a network in clear.
  The constructor refuses it before anything connects.
- Special-use folders (RFC 6154) from one LIST; a role no folder is flagged with falls back
  to the provider's own name (`fallback_folders`, from its preset: GMX's "Gesendet"), then to
  imapclient's `find_special_folder` (common names such as "Sent Items"). Only INBOX and
  Sent are read: never Gmail's All Mail folder, which holds a second copy of both.
- New mail by UID: EXAMINE (read-only) gives UIDVALIDITY and UIDNEXT, and nothing new costs
  that one command (STATUS would not be cheaper: Dovecot opens the mailbox for it just the
  same). Otherwise `UID SEARCH UID n:*` (filtered to > last, because `n:*` always
  matches the newest message) and `UID FETCH` in batches of the header alone
  (`BODY.PEEK[HEADER]`, so nothing is marked read), a few commands in flight at once, each
  batch handed to the caller's `each` as it is read: enough for a sync to pick the few
  messages worth reading while the server reads the next batch. The returned SyncPoint is
  UIDNEXT - 1 as EXAMINE saw it, so expunged UIDs are not news again.
- Those few by `fetch_full`: `UID FETCH` of the header and the first 16 KiB of the text,
  enough to classify a message without downloading attachments; EXAMINE again only when
  another folder was examined since (a changed UIDVALIDITY since `fetch_new` means the UIDs
  may name other messages: a MailError, not permanent; a server that rebuilds the folder
  examined now closes it, which is a dropped connection).
- Errors become one-line `MailError`s: `permanent` when retrying cannot help (a refused
  login, a TLS failure, a missing folder), not permanent when the server could not be
  reached or the connection dropped — the next call then connects again.
- Deadlines (net.Deadline): each read has `timeout`, but a server dripping its answer a
  byte at a time (a tarpit any seeker may name) beats that, and imaplib reads a line of up
  to 1 MB. So connecting (TCP, greeting, STARTTLS, login) has twice `timeout` in all, the
  socket watched from its creation (`_Client`); then each operation (a listing, an EXAMINE
  and SEARCH, an APPEND) as long again; and each UID FETCH batch that and the time its
  messages take at SLOW_LINK, so that a big first sync's batches each get theirs. Cut off:
  a permanent MailError saying TOO_SLOW, the connection dropped (made anew next time).
"""

from __future__ import annotations

import contextlib
import email.parser
import email.policy
import imaplib
import itertools
import logging
import re
import socket
import ssl
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Literal

import imapclient
from imapclient.exceptions import CapabilityError, LoginError
from imapclient.imapclient import ARCHIVE, DRAFT, DRAFTS, JUNK, SEEN, SENT, TRASH

from followup.adapters.mail.net import Deadline, is_loopback, tls_context
from followup.adapters.mail.redact import redact
from followup.app.mailports import (
    TOO_SLOW,
    Batch,
    FetchedMessage,
    MailError,
    SignInNeeded,
    SyncPoint,
    batched,
)
from followup.app.oauth import OAuthError, SignInAgain, Tokens, responder, with_token

Security = Literal["ssl", "starttls", "none"]

BATCH = 500  # messages per UID FETCH
BODY_BYTES = 16384  # of each message's text: enough to classify it
# of a multipart text cut at BODY_BYTES before any calendar part: room for the text/calendar
# part a calendar's own message puts after its HTML (Google's is ~30 KB in all)
CALENDAR_MAIL_BYTES = 262144
IDLE_RENEW = 25 * 60.0  # RFC 2177: re-issue IDLE before the server's 30-minute logout
POLL_INTERVAL = 10.0  # checking for news on a server without IDLE
# A UID FETCH batch is waited for as if it came at this rate (~0.5 Mbit/s), each message's
# header counted as HEADER_ROOM bytes, besides the operation's own deadline
SLOW_LINK = 64 * 1024
HEADER_ROOM = 4096

_HEADER = b"BODY[HEADER]"
_TEXT = b"BODY[TEXT]<0>"
_ROLES = {
    SENT: "sent",
    DRAFTS: "drafts",
    TRASH: "trash",
    JUNK: "junk",
    ARCHIVE: "archive",
}


class ImapMailbox:
    """One IMAP account, connected on first use and again after a dropped connection."""

    def __init__(
        self,
        host: str,
        port: int,
        security: Security | str,
        username: str,
        password: str | Callable[[], str],
        ca_file: str | None = None,
        timeout: float = 30,
        *,
        batch: int = BATCH,
        body_bytes: int = BODY_BYTES,
        fallback_folders: dict[str, str] | None = None,
        oauth: Tokens | None = None,
        mechanism: str = "XOAUTH2",
        connect_timeout: float | None = None,
        refused_hint: str = "",
    ) -> None:
        """`refused_hint`: said after a refused connection (Proton: is Bridge running?)."""
        self.refused_hint = refused_hint
        if security not in ("ssl", "starttls", "none"):
            raise MailError(
                f"unknown IMAP security {security!r}: use ssl, starttls or none", permanent=True
            )
        if security == "none" and not is_loopback(host):
            raise MailError(
                f"refusing to log in to {host} without TLS: use ssl or starttls"
                " (none is only for a server on this machine)",
                permanent=True,
            )
        self.host, self.port, self.security = host, port, security
        self.username = username
        self._password = password
        self.ca_file, self.timeout = ca_file, timeout
        self.connect_timeout = connect_timeout  # None: `timeout` for connecting too
        # connecting in all, then each operation: a server dripping its answer is cut off
        self.deadline = 2 * timeout
        self.batch, self.body_bytes = batch, body_bytes
        self._client: Any = None  # imapclient.IMAPClient (untyped)
        self._roles: dict[str, str] | None = None
        # The provider's own names (app/mailsetup.py), for a role no folder is flagged with
        self._fallback = dict(fallback_folders or {})
        self._oauth, self.mechanism = oauth, mechanism  # OAuth2 (SASL) instead of a password
        self._seen: dict[str, SyncPoint] = {}  # folder -> where this mailbox's reading stopped
        self._selected: tuple[str, int] | None = None  # (folder, UIDVALIDITY) examined now
        self._sent_password: str | None = None

    def __enter__(self) -> ImapMailbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- the Mailbox port ---------------------------------------------------------------

    def folders(self) -> dict[str, str]:
        if self._roles is None:
            with self._errors("listing the folders") as limit:
                client = self._connection(limit)
                roles = {"inbox": "INBOX"}
                names = set()
                for flags, _sep, name in client.list_folders():
                    names.add(str(name))
                    for flag, role in _ROLES.items():
                        if flag in flags:
                            roles.setdefault(role, str(name))
                for role, name in self._fallback.items():
                    if role not in roles and name in names:
                        roles[role] = name
                for flag in (SENT, DRAFTS):
                    if _ROLES[flag] not in roles:
                        found = client.find_special_folder(flag)
                        if found:
                            roles[_ROLES[flag]] = str(found)
                self._roles = roles
        return dict(self._roles)

    def append_draft(self, raw: bytes) -> None:
        drafts = self._folder("drafts")
        with self._errors(f"saving to {drafts}") as limit:
            self._connection(limit).append(drafts, raw, flags=(DRAFT, SEEN))

    def append_sent(self, raw: bytes) -> None:
        sent = self._folder("sent")
        with self._errors(f"filing a copy in {sent}") as limit:
            self._connection(limit).append(sent, raw, flags=(SEEN,))

    def sent_contains(self, message_id: str) -> bool:
        wanted = message_id.strip()
        if not wanted or any(c in wanted for c in "\r\n\0"):
            raise ValueError(f"not a Message-ID: {message_id!r}")
        sent = self._folder("sent")
        with self._errors(f"searching {sent}") as limit:
            client = self._connection(limit)
            self._examine(client, sent)
            uids = client.search(["HEADER", "Message-ID", wanted])
            if not uids:
                return False
            # HEADER matches substrings: confirm the exact id.
            fetched = client.fetch(list(uids), [b"BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"])
        for data in fetched.values():
            for key, value in data.items():
                if key.startswith(b"BODY[HEADER.FIELDS") and isinstance(value, bytes):
                    ids = _header_values(value, "message-id")
                    if any(found.strip() == wanted for found in ids):
                        return True
        return False

    def fetch_new(
        self, folder: str, since: SyncPoint | None, each: Batch | None = None
    ) -> tuple[list[FetchedMessage], SyncPoint]:
        with self._errors(f"reading {folder}") as limit:
            client = self._connection(limit)
            info = self._examine(client, folder)
            uidvalidity = int(info[b"UIDVALIDITY"])
            uidnext = info.get(b"UIDNEXT")
            first = 1
            if since is not None and since.uidvalidity == uidvalidity:
                first = since.last_uid + 1
            uids: list[int] = []
            if int(info.get(b"EXISTS", 1)) > 0 and (uidnext is None or int(uidnext) > first):
                # `first:*` also matches the newest message when nothing is newer.
                uids = sorted(u for u in _search(client, f"{first}:*") if u >= first)
            messages = self._fetch(client, limit, uids, "(BODY.PEEK[HEADER])", 0, each)
        last = max(first - 1, uids[-1] if uids else 0)
        if uidnext is not None:
            # Every message below UIDNEXT at EXAMINE time was seen or has been expunged.
            last = max(last, int(uidnext) - 1)
        point = SyncPoint(uidvalidity, last)
        self._seen[folder] = point
        return messages, point

    def fetch_full(self, folder: str, uids: Sequence[int]) -> list[FetchedMessage]:
        wanted = sorted({int(uid) for uid in uids if int(uid) > 0})
        if not wanted:
            return []
        with self._errors(f"reading {folder}") as limit:
            client = self._connection(limit)
            seen = self._seen.get(folder)
            # Still examined since fetch_new: no EXAMINE again (on Dovecot it costs as much
            # as the fetch). A server that rebuilds an examined folder closes it first.
            if seen is None or self._selected != (folder, seen.uidvalidity):
                info = self._examine(client, folder)
                if seen is not None and int(info[b"UIDVALIDITY"]) != seen.uidvalidity:
                    raise MailError(
                        f"{folder} was rebuilt on the server while it was being read"
                        " (its UIDVALIDITY changed): the next sync reads it again",
                        permanent=False,
                    )
            query = f"(BODY.PEEK[HEADER] BODY.PEEK[TEXT]<0.{self.body_bytes}>)"
            found = self._fetch(client, limit, wanted, query, self.body_bytes)
            # A calendar's message (Google Calendar's, Outlook's) puts its text/calendar
            # part after ~20-30 KB of HTML: cut there, a cancellation read as an
            # out-of-office or a reply. Such a multipart text is read again, further.
            cut = [m.uid for m in found if _calendar_cut_off(m.raw, self.body_bytes)]
            if not cut:
                return found
            longer = f"(BODY.PEEK[HEADER] BODY.PEEK[TEXT]<0.{CALENDAR_MAIL_BYTES}>)"
            again = {m.uid: m for m in self._fetch(client, limit, cut, longer, CALENDAR_MAIL_BYTES)}
            return [again.get(m.uid, m) for m in found]

    def wait_for_news(self, folder: str, timeout: float) -> bool:
        """True at once when `folder` changed since this mailbox's last `fetch_new` of it."""
        deadline = time.monotonic() + timeout
        # the wait, then as long as any operation for the answer to DONE
        with self._errors(f"waiting for news in {folder}", timeout + self.deadline) as limit:
            client = self._connection(limit)
            info = self._examine(client, folder)
            seen = self._seen.get(folder)
            uidnext = info.get(b"UIDNEXT")
            if seen is not None and (
                int(info[b"UIDVALIDITY"]) != seen.uidvalidity
                or (uidnext is not None and int(uidnext) - 1 > seen.last_uid)
            ):
                return True
            if not client.has_capability("IDLE"):
                return self._poll(client, deadline)
            while time.monotonic() < deadline:
                if self._idle(client, min(deadline - time.monotonic(), IDLE_RENEW)):
                    return True
            return False

    def check(self) -> str:
        """Connect, log in, find the folders: one line for `followup mail test`."""
        self.close()
        self._roles = None
        roles = self.folders()
        with self._errors("reading INBOX") as limit:
            client = self._connection(limit)
            count = int(client.folder_status("INBOX", [b"MESSAGES"])[b"MESSAGES"])
            sock = client.socket()
            tls = sock.version() if isinstance(sock, ssl.SSLSocket) else "no TLS"
        where = ", ".join(f"{role} = {roles[role]}" for role in ("drafts", "sent") if role in roles)
        missing = [role for role in ("drafts", "sent") if role not in roles]
        note = f"; no {' or '.join(missing)} folder found" if missing else ""
        return (
            f"IMAP {self.host}:{self.port} ({self.security}, {tls}) ok: logged in as"
            f" {self.username}; INBOX has {count} messages; {where}{note}"
        )

    def close(self) -> None:
        client, self._client = self._client, None
        self._selected = None
        if client is None:
            return
        try:
            with Deadline(self.deadline) as limit:  # a LOGOUT answered drop by drop too
                limit.watch(client.socket())
                client.logout()
        except Exception:
            with contextlib.suppress(Exception):
                client.shutdown()

    # --- the work ---------------------------------------------------------------------

    def _examine(self, client: Any, folder: str) -> Any:
        """EXAMINE (read-only SELECT) `folder`, remembering it is the one examined now."""
        self._selected = None  # a failed EXAMINE leaves no folder selected
        info = client.select_folder(folder, readonly=True)
        self._selected = (folder, int(info[b"UIDVALIDITY"]))
        return info

    def _fetch(
        self,
        client: Any,
        limit: Deadline,
        uids: Sequence[int],
        query: str,
        text_bytes: int,
        each: Batch | None = None,
    ) -> list[FetchedMessage]:
        """The messages of `uids` still there (one expunged meanwhile is left out), a UID
        FETCH a batch; `each` is called with every batch as soon as it is read. Each batch
        has its own time (`limit` renewed): the deadline, and its messages' header and
        `text_bytes` of text at SLOW_LINK."""
        out: list[FetchedMessage] = []
        size = min(len(uids), self.batch)
        per_batch = self.deadline + size * (HEADER_ROOM + text_bytes) / SLOW_LINK
        batches = _fetch_batches(client, list(batched(uids, self.batch)), query)
        try:
            while True:
                limit.renew(per_batch)
                found = next(batches, None)
                if found is None:
                    break
                batch = [FetchedMessage(uid, raw) for uid, raw in sorted(found.items())]
                out += batch
                if each is not None and batch:
                    each(batch, len(uids))
        except BaseException:
            self._drop()  # answers to the commands still in flight would be read as ours
            raise
        out.sort()
        return out

    def _idle(self, client: Any, seconds: float) -> bool:
        """One IDLE command of at most `seconds`: True on EXISTS or RECENT."""
        client.idle()
        end = time.monotonic() + seconds
        news = False
        try:
            while not news and (left := end - time.monotonic()) > 0:
                started = time.monotonic()
                responses = client.idle_check(timeout=left)
                news = _has_news(responses)
                if not responses and time.monotonic() - started < left - 0.05:
                    break  # readable yet nothing came: the server may have closed; DONE tells
        finally:
            _text, responses = client.idle_done()
        return news or _has_news(responses)

    def _poll(self, client: Any, deadline: float) -> bool:
        """Without IDLE: NOOP now and then, until EXISTS or RECENT or the deadline."""
        while True:
            _text, responses = client.noop()
            if _has_news(responses):
                return True
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            time.sleep(min(left, POLL_INTERVAL))

    def _folder(self, role: str) -> str:
        name = self.folders().get(role)
        if name is None:
            flag = role.capitalize()
            raise MailError(
                f"no {flag} folder on {self.host}:"
                f" none is flagged \\{flag} and none has a usual name",
                permanent=True,
            )
        return name

    # --- the connection -----------------------------------------------------------------

    def _connection(self, limit: Deadline) -> Any:
        """The connection, made first when there is none: `limit`, the operation's deadline,
        gives connecting twice `timeout`, then the operation its own time from there."""
        if self._client is None:
            self._selected = None
            limit.renew(self.deadline)
            self._client = self._connect(limit)
            limit.renew()
        return self._client

    def _oauth_login(self, client: Any, tokens: Tokens) -> None:
        """AUTHENTICATE XOAUTH2 or OAUTHBEARER; refused, once more with a fresh token."""

        def login(token: str) -> None:
            self._sent_password = token
            answer = responder(self.mechanism, self.username, token, self.host, self.port)
            try:  # as imapclient's own oauth2_login, with our exchange (abort included)
                client._command_and_check("authenticate", self.mechanism, answer)
            except imaplib.IMAP4.error as exc:
                raise LoginError(str(exc)) from exc

        with_token(tokens, login, LoginError)

    def _connect(self, limit: Deadline) -> Any:
        where = f"{self.host}:{self.port}"
        context = tls_context(self.ca_file) if self.security != "none" else None
        try:
            client = _Client(
                self.host,
                self.port,
                ssl=self.security == "ssl",
                ssl_context=context,
                timeout=imapclient.SocketTimeout(
                    connect=min(self.timeout, self.connect_timeout or self.timeout),
                    read=self.timeout,
                ),
                watched_by=limit,
            )
        except ssl.SSLError as exc:
            raise MailError(f"TLS with {where} failed: {_tls_reason(exc)}", permanent=True) from exc
        except (OSError, imaplib.IMAP4.error) as exc:
            hint = (
                f": {self.refused_hint}"
                if self.refused_hint and isinstance(exc, ConnectionRefusedError)
                else ""
            )
            raise MailError(
                f"cannot reach IMAP server {where}: {self._one_line(exc)}{hint}", permanent=False
            ) from exc
        try:
            if self.security == "starttls" and context is not None:
                client.starttls(_WatchedTLS(context, limit))
            if self._oauth is not None:
                self._oauth_login(client, self._oauth)
            else:
                password = self._password() if callable(self._password) else self._password
                self._sent_password = password  # what a server may echo: redacted from errors
                client.login(self.username, password)
        except (SignInAgain, OAuthError) as exc:
            _shutdown(client)
            if isinstance(exc, SignInAgain):
                raise SignInNeeded(str(exc)) from exc
            raise MailError(
                f"OAuth2 for {self.username}: {exc}", permanent=not exc.temporary
            ) from exc
        except CapabilityError as exc:
            _shutdown(client)
            raise MailError(f"IMAP server {where} does not offer STARTTLS", permanent=True) from exc
        except LoginError as exc:
            _shutdown(client)
            detail = self._one_line(exc)
            if isinstance(exc.__context__, imaplib.IMAP4.abort):  # dropped mid-login
                raise MailError(
                    f"lost the connection to IMAP server {where} while logging in: {detail}",
                    permanent=False,
                ) from exc
            if "UNAVAILABLE" in detail.upper():  # RFC 5530: the server's problem, not ours
                raise MailError(
                    f"IMAP login for {self.username} at {self.host} is unavailable now: {detail}",
                    permanent=False,
                ) from exc
            raise MailError(
                f"IMAP login failed for {self.username} at {self.host}: {detail}", permanent=True
            ) from exc
        except ssl.SSLError as exc:
            _shutdown(client)
            raise MailError(f"TLS with {where} failed: {_tls_reason(exc)}", permanent=True) from exc
        except (OSError, imaplib.IMAP4.abort) as exc:
            _shutdown(client)
            detail = self._one_line(exc)
            raise MailError(
                f"lost the connection to IMAP server {where}: {detail}", permanent=False
            ) from exc
        except imaplib.IMAP4.error as exc:
            _shutdown(client)
            raise MailError(
                f"IMAP server {where} refused: {self._one_line(exc)}", permanent=True
            ) from exc
        return client

    @contextlib.contextmanager
    def _errors(self, doing: str, seconds: float | None = None) -> Iterator[Deadline]:
        """Server errors as MailError; a dropped connection is forgotten, to be made anew.
        The operation has `seconds` (else `deadline`): the Deadline given watches the
        connection; cut off, whatever the read blocked on raised, the server was too slow."""
        with Deadline(seconds or self.deadline) as limit:
            if self._client is not None:
                limit.watch(self._client.socket())
            try:
                yield limit
            except SignInNeeded:
                raise
            except Exception as exc:
                if limit.expired:
                    self._drop()
                    raise MailError(
                        f"IMAP server {self.host} {TOO_SLOW} while {doing}: stopped",
                        permanent=True,  # at once, it would take as long again
                    ) from exc
                if isinstance(exc, MailError):
                    raise
                if isinstance(exc, (imaplib.IMAP4.abort, OSError, EOFError)):  # SSLError too
                    self._drop()
                    detail = self._one_line(exc)
                    raise MailError(
                        f"lost the connection to IMAP server {self.host} while {doing}: {detail}",
                        permanent=False,
                    ) from exc
                if isinstance(exc, imaplib.IMAP4.error):
                    raise MailError(
                        f"IMAP {doing} failed: {self._one_line(exc)}", permanent=True
                    ) from exc
                raise

    def _one_line(self, exc: BaseException) -> str:
        """A server's error on one line, the password and any echoed LOGIN redacted."""
        return _one_line(exc, self._sent_password, self.username)

    def _drop(self) -> None:
        client, self._client = self._client, None
        self._selected = None
        if client is not None:
            _shutdown(client)


class _WatchedTLS:
    """An SSLContext's `wrap_socket` whose TLS socket a Deadline watches: imaplib's
    STARTTLS wraps the socket (the plain one watched is detached then) and asks CAPABILITY
    over it before returning. (The handshake itself has the socket's time-out in all.)"""

    def __init__(self, context: ssl.SSLContext, deadline: Deadline) -> None:
        self.context, self.deadline = context, deadline

    def wrap_socket(
        self, sock: socket.socket, server_hostname: str | None = None, **_: Any
    ) -> ssl.SSLSocket:
        wrapped = self.context.wrap_socket(sock, server_hostname=server_hostname)
        self.deadline.watch(wrapped)
        return wrapped


class _IMAP4(imaplib.IMAP4):
    """imaplib's connection (plain, or TLS from the start) whose socket a Deadline watches
    from its creation: the constructor reads the greeting and asks CAPABILITY."""

    def __init__(
        self,
        host: str,
        port: int,
        timeout: float | None,
        deadline: Deadline,
        tls: _WatchedTLS | None,
    ) -> None:
        self.deadline, self.tls = deadline, tls  # set first: the constructor connects
        super().__init__(host, port, timeout)

    def _create_socket(self, timeout: float | None = None) -> socket.socket:
        sock: socket.socket = super()._create_socket(timeout)  # type: ignore[misc]
        self.deadline.watch(sock)
        if self.tls is None:
            return sock
        return self.tls.wrap_socket(sock, server_hostname=self.host)


class _Client(imapclient.IMAPClient):  # type: ignore[misc]  # imapclient is untyped
    """imapclient's client on an `_IMAP4`, watched by `watched_by` (imapclient's own
    IMAP4WithTimeout and IMAP4_TLS: what `_IMAP4` does, without the watch)."""

    def __init__(self, *args: Any, watched_by: Deadline, **kwargs: Any) -> None:
        self.watched_by = watched_by  # set first: the constructor connects
        super().__init__(*args, **kwargs)

    def _create_IMAP4(self) -> imaplib.IMAP4:
        context = self.ssl_context or tls_context()
        tls = _WatchedTLS(context, self.watched_by) if self.ssl else None
        return _IMAP4(self.host, self.port, self._timeout.connect, self.watched_by, tls)


# --- fetching fast ---------------------------------------------------------------------------
#
# imapclient's `fetch` parses every response with a tokenizer written in Python and, through
# the imaplib debug level it sets, formats the repr of every literal for its debug log: on a
# first sync that is three times the work of the fetch itself (benchmarks/imap_sync.py). And
# imaplib's own reader, run for every line, matches it against four regular expressions and
# logs it: with the headers alone, that is most of a first sync's client time. So the bulk
# UID FETCH goes through the imaplib connection imapclient wraps (`_imap`): sent and read by
# `_uid_fetch`, a lean loop over imaplib's public `send`, `readline` and `read` that gives
# what `imap.uid("FETCH", ...)` would (or through imaplib itself, with its debug level, when
# imapclient's debug log is on); the literals we asked for (the header, and for `fetch_full`
# the start of the text) are picked out of that list. Any response that does not have that
# exact shape (NIL or "" instead of a literal, say) is handed to imapclient's own parser,
# and a client without `_imap` (a future imapclient) gets plain `client.fetch`.

_UID = re.compile(rb"[( ]UID (\d+)[ )]")
_FETCH_LINE = re.compile(rb"\* (\d+) FETCH (.*)", re.DOTALL)
_USUAL = re.compile(rb"\d+ \(UID (\d+) BODY\[HEADER\] \{(\d+)\}")
_USUAL_TEXT = re.compile(rb" BODY\[TEXT\]<0> \{(\d+)\}")
_TAGS = itertools.count(1)


def _fetch_batches(
    client: Any, batches: Sequence[Sequence[int]], query: str
) -> Iterator[dict[int, bytes]]:
    """{uid: header (+ the start of the text, when asked)} for the messages still there,
    one UID FETCH a batch, yielded as each is read."""
    imap = getattr(client, "_imap", None)
    if not isinstance(imap, imaplib.IMAP4):
        items = [item.encode() for item in query.strip("()").split()]
        for uids in batches:
            yield _joined(client.fetch(list(uids), items))
        return
    if logging.getLogger("imapclient.imaplib").isEnabledFor(logging.DEBUG):
        for uids in batches:
            typ, data = imap.uid("FETCH", _uid_set(uids), query)
            if typ != "OK":
                raise imaplib.IMAP4.error(f"UID FETCH: {typ} {data[-1]!r}")
            yield _parsed(data)
        return
    yield from _uid_fetches(imap, [_uid_set(uids) for uids in batches], query)


def _parsed(data: list[Any]) -> dict[int, bytes]:
    fast = _parse_fetch(data)
    if fast is not None:
        return fast
    from imapclient.response_parser import parse_fetch_response

    return _joined(parse_fetch_response(data, True, True))


PIPELINE = 4  # UID FETCH commands in flight at once


def _uid_fetches(
    imap: imaplib.IMAP4, uid_sets: Sequence[str], query: str
) -> Iterator[dict[int, bytes]]:
    """`imap.uid("FETCH", uid_set, query)` for each set, read lean: {uid: the literals we
    asked for}, yielded as each command ends.

    The usual response — `* n FETCH (UID u BODY[HEADER] {k}`, the header, maybe
    ` BODY[TEXT]<0> {k}` and the text, then `)` — is read straight into that. Any other
    shape is kept as imaplib would give it (each literal as (the text before it, the
    literal), then the text after the last) and read by `_parsed`. Other untagged
    responses (EXISTS, EXPUNGE, an unsolicited FLAGS FETCH of another message...) are read
    and dropped, as the adapter never asks imaplib for them; BYE is an `abort`, as imaplib
    makes it. The tags ("Z1", ...) cannot be imaplib's, which are made of letters A to P.

    Up to PIPELINE commands are in flight (RFC 3501 5.5): the server reads the next batch
    while this end reads, or works on, the last one, and a distant server's round trips
    overlap. A refused command is an IMAP4.error once every command sent has ended.
    """
    waiting = iter(uid_sets)
    pending: dict[bytes, None] = {}  # the tags sent and not yet answered, in order

    def send_next() -> None:
        uid_set = next(waiting, None)
        if uid_set is not None:
            tag = f"Z{next(_TAGS)}".encode()
            imap.send(b"%s UID FETCH %s %s\r\n" % (tag, uid_set.encode(), query.encode()))
            pending[tag] = None

    for _ in range(PIPELINE):
        send_next()
    got: dict[int, bytes] = {}
    data: list[Any] = []  # the responses of another shape, as imaplib gives them
    refused: str | None = None
    while pending:
        line = _line(imap)
        tag, _, rest = line.partition(b" ")
        if tag in pending:
            del pending[tag]
            typ, _, text = rest.partition(b" ")
            if typ != b"OK":
                refused = refused or f"UID FETCH: {typ.decode('ascii', 'replace')} {text!r}"
            elif refused is None:
                send_next()
                yield got | _parsed(data) if data else got
                got, data = {}, []
            continue
        fetch = _FETCH_LINE.match(line)
        if fetch is None:
            if line.startswith(b"* BYE"):
                raise imaplib.IMAP4.abort(line.decode("ascii", "replace"))
            if not line.startswith(b"* "):
                raise imaplib.IMAP4.abort(f"unexpected response: {line!r}")
        else:
            line = fetch.group(1) + b" " + fetch.group(2)  # imaplib's text: "n (UID ..."
            usual = _USUAL.fullmatch(line)
            if usual is not None:
                header = imap.read(int(usual.group(2)))
                after = _line(imap)
                if after == b")":
                    got[int(usual.group(1))] = header
                    continue
                text_part = _USUAL_TEXT.fullmatch(after)
                if text_part is not None:
                    text = imap.read(int(text_part.group(1)))
                    closing = _line(imap)
                    if closing == b")":
                        got[int(usual.group(1))] = header + text
                        continue
                    data += [(line, header), (after, text)]
                    line = closing
                else:
                    data.append((line, header))
                    line = after
        while line.endswith(b"}") and (size := line[line.rfind(b"{") + 1 : -1]).isdigit():
            literal = imap.read(int(size))
            if fetch is not None:
                data.append((line, literal))
            line = _line(imap)  # what follows the literal: maybe another literal
        if fetch is not None:
            data.append(line)
    if refused is not None:
        raise imaplib.IMAP4.error(refused)


def _line(imap: imaplib.IMAP4) -> bytes:
    line = imap.readline()
    if not line.endswith(b"\r\n"):
        raise imaplib.IMAP4.abort("socket error: EOF" if not line else "unterminated line")
    return line[:-2]


_MULTIPART = re.compile(rb"^content-type:[ \t]*multipart/", re.IGNORECASE | re.MULTILINE)
_CALENDAR_PART = re.compile(rb"content-type:[ \t]*(?:text/calendar|application/ics)", re.I)


def _calendar_cut_off(raw: bytes, body_bytes: int) -> bool:
    """Whether `raw` (a header and the first `body_bytes` of its text) is a multipart
    message cut before any calendar part: one may follow (see fetch_full)."""
    end = raw.find(b"\r\n\r\n")
    end = end + 4 if end >= 0 else raw.find(b"\n\n") + 2
    if end <= 1 or len(raw) - end < body_bytes:
        return False
    return bool(_MULTIPART.search(raw[:end])) and not _CALENDAR_PART.search(raw[end:])


def _joined(parsed: Any) -> dict[int, bytes]:
    """imapclient's parsed FETCH as {uid: header + text}; a missing part counts as empty."""
    out = {}
    for uid, data in parsed.items():
        header, text = data.get(_HEADER), data.get(_TEXT)
        if isinstance(header, bytes) or isinstance(text, bytes):
            out[int(uid)] = (header if isinstance(header, bytes) else b"") + (
                text if isinstance(text, bytes) else b""
            )
    return out


def _parse_fetch(data: Sequence[Any]) -> dict[int, bytes] | None:
    """{uid: header + text}, or None when the response is not in the expected shape.

    imaplib gives each literal as (the response text before it, the literal), then the
    closing b")": (b"12 (UID 40 BODY[HEADER] {310}", ...), (b" BODY[TEXT]<0> {2048}", ...),
    b")" — without the text literal when only the header was asked. Anything else (NIL or
    "" instead of a literal, FLAGS inside) returns None.
    """
    out: dict[int, bytes] = {}
    uid: int | None = None
    header: bytes | None = None
    text = b""
    for item in data:
        if isinstance(item, tuple):
            head, literal = item
            if head[:1] != b" ":  # a message's first literal
                found = _UID.search(head)
                if uid is not None or found is None:
                    return None
                uid, header, text = int(found.group(1)), None, b""
            if uid is None or head.count(b"BODY[") != 1 or not head.endswith(b"}"):
                return None
            if b"BODY[HEADER] {" in head:
                header = literal
            elif b"BODY[TEXT]<0> {" in head:
                text = literal
            else:
                return None
        elif item == b")":
            if uid is None or header is None:
                return None
            out[uid] = header + text
            uid = None
        elif item is not None and (uid is not None or b"BODY[" in item):
            return None
        # else: an unsolicited FETCH (flags) of some message, between ours
    return None if uid is not None else out


def _search(client: Any, uid_set: str) -> list[int]:
    """`UID SEARCH UID uid_set`: imapclient parses the answer in Python, number by number;
    imaplib gives it as one line, split at once here (20,000 UIDs: 20 ms less)."""
    imap = getattr(client, "_imap", None)
    if not isinstance(imap, imaplib.IMAP4):
        return list(client.search(["UID", uid_set]))
    typ, data = imap.uid("SEARCH", "UID", uid_set)
    if typ != "OK":
        raise imaplib.IMAP4.error(f"UID SEARCH: {typ} {data[-1]!r}")
    return [int(uid) for line in data if line for uid in line.split()]


def _uid_set(uids: Sequence[int]) -> str:
    """Sorted UIDs as an IMAP sequence set: 1:3,7,9:12."""
    parts = []
    start = prev = uids[0]
    for uid in uids[1:]:
        if uid != prev + 1:
            parts.append(f"{start}:{prev}" if prev != start else str(start))
            start = uid
        prev = uid
    parts.append(f"{start}:{prev}" if prev != start else str(start))
    return ",".join(parts)


# --- helpers ------------------------------------------------------------------------------


def _has_news(responses: Sequence[Any]) -> bool:
    return any(
        isinstance(r, tuple) and len(r) >= 2 and r[1] in (b"EXISTS", b"RECENT") for r in responses
    )


def _header_values(block: bytes, name: str) -> list[str]:
    parsed = email.parser.BytesHeaderParser(policy=email.policy.compat32).parsebytes(block)
    return [str(v) for v in parsed.get_all(name, [])]


def _one_line(exc: BaseException, password: str | None = None, username: str | None = None) -> str:
    """The error's text on one line, secrets redacted, imaplib's bytes reprs (`[b'...']`)
    shown as the text they hold (decoded first, so that the redaction sees the password as
    the server sent it, whatever escapes the repr used)."""
    text = _BYTES_REPR.sub(_decoded, str(exc) or type(exc).__name__)
    text = redact(text, password, username)
    return " ".join(text.split())[:300]


# A Python bytes literal as repr() writes it: b'...' or b"..." with backslash escapes.
_BYTES_REPR = re.compile(r"""\bb('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")""")


def _decoded(match: re.Match[str]) -> str:
    import ast

    try:
        data = ast.literal_eval("b" + match.group(1))
    except (ValueError, SyntaxError):
        return match.group(1)[1:-1]
    return data.decode("utf-8", "replace") if isinstance(data, bytes) else match.group(0)


def _tls_reason(exc: ssl.SSLError) -> str:
    if isinstance(exc, ssl.SSLCertVerificationError) and exc.verify_message:
        return f"certificate verify failed: {exc.verify_message}"
    return str(exc.reason or _one_line(exc))


def _shutdown(client: Any) -> None:
    with contextlib.suppress(Exception):
        client.shutdown()
