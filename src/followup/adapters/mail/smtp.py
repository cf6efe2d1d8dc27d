"""Sending through SMTP (smtplib), with the outcome told apart the way at-most-once needs.

- refused before the message was handed over (4xx/5xx to MAIL, RCPT or DATA): not sent,
  `MailError(permanent=…)` — safe to retry a 4xx;
- the connection dropped after the message was handed over but before the server's reply:
  `DeliveryUnknown` — it may have been delivered, so it is never retried blindly;
- 250 after the message: delivered to the server.
"""

from __future__ import annotations

import smtplib
import socket
import ssl
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from followup.adapters.mail.net import Deadline, is_loopback, tls_context
from followup.adapters.mail.redact import redact
from followup.app.mailports import TOO_SLOW, MailError, SignInNeeded
from followup.app.oauth import OAuthError, SignInAgain, Tokens, responder, with_token


class DeliveryUnknown(MailError):
    """The server may or may not have accepted the message."""

    def __init__(self, message: str) -> None:
        super().__init__(message, permanent=False, unknown=True)


class _ConnectTimeout:
    """Connect (and TLS-wrap, for SMTP_SSL) within `connect_timeout`, then talk with the
    longer I/O timeout: an unreachable server is said within seconds while a slow DATA is
    still waited for (the dashboard: a refused or unreachable connection fails within 5 s)."""

    def __init__(
        self,
        *args: Any,
        connect_timeout: float | None = None,
        deadline: Deadline | None = None,
        **kwargs: Any,
    ) -> None:
        self.connect_timeout = connect_timeout  # set first: the constructor connects
        self.deadline = deadline  # and reads the greeting: watched from the first byte
        super().__init__(*args, **kwargs)

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        limit = timeout if self.connect_timeout is None else min(timeout, self.connect_timeout)
        sock = socket.create_connection((host, port), limit, self.source_address)  # type: ignore[attr-defined]
        if self.deadline is not None:  # a time-out from now on is the server's slowness
            self.deadline.reached = True
        if isinstance(self, smtplib.SMTP_SSL):  # the handshake: bounded by `limit` too
            sock = self.context.wrap_socket(sock, server_hostname=self._host)  # type: ignore[attr-defined]
        sock.settimeout(timeout)
        if self.deadline is not None:
            self.deadline.watch(sock)
        return sock


class _SMTP(_ConnectTimeout, smtplib.SMTP):
    pass


class _SMTP_SSL(_ConnectTimeout, smtplib.SMTP_SSL):
    pass


# Connections a worker parks between visits (`SmtpMailer.share`): a visit to a seeker sends
# one note or a few, and a new connection (TCP, greeting, EHLO, TLS, login) and its QUIT cost
# more than the note. A parked connection is reused only by a mailer that would have made
# the same one: the same server, port, security and trusted certificates, and, once it has
# signed in, the same owner (`share`) and login; one that never signed in (a relay that
# needs none) by anyone who would not sign in either. Kept PARK_SECONDS at most (servers
# close idle connections after a few minutes; one gone stale meanwhile is replaced before
# anything is handed over: see `send`), PARK_MAX in all.
PARK_SECONDS = 30.0
PARK_MAX = 32
_SIGNED_IN = "followup_signed_in"  # set on a connection once a login succeeded on it
_parked: dict[tuple[Any, ...], list[tuple[float, smtplib.SMTP]]] = {}
_parked_lock = threading.Lock()


def _park(key: tuple[Any, ...], smtp: smtplib.SMTP) -> None:
    now = time.monotonic()
    old: list[smtplib.SMTP] = []
    with _parked_lock:
        for k in list(_parked):
            fresh = [(t, c) for t, c in _parked[k] if now - t < PARK_SECONDS]
            old += [c for t, c in _parked[k] if now - t >= PARK_SECONDS]
            if fresh:
                _parked[k] = fresh
            else:
                del _parked[k]
        if sum(len(v) for v in _parked.values()) < PARK_MAX:
            _parked.setdefault(key, []).append((now, smtp))
        else:
            old.append(smtp)
    for c in old:
        _quit(c)


def _unpark(key: tuple[Any, ...]) -> smtplib.SMTP | None:
    now = time.monotonic()
    found, old = None, []
    with _parked_lock:
        items = _parked.get(key, [])
        while items:
            parked_at, smtp = items.pop()  # the newest: the least likely to have gone stale
            if now - parked_at < PARK_SECONDS:
                found = smtp
                break
            old.append(smtp)
    for c in old:
        _quit(c)
    return found


def hang_up_parked() -> None:
    """QUIT every parked connection (a worker stopping)."""
    with _parked_lock:
        parked = [c for items in _parked.values() for _, c in items]
        _parked.clear()
    for c in parked:
        _quit(c)


class SmtpMailer:
    def __init__(
        self,
        host: str,
        port: int,
        security: str,
        username: str | None = None,
        password: Callable[[], str] | None = None,
        ca_file: str | None = None,
        timeout: float = 30,
        keep_alive: bool = False,
        oauth: Tokens | None = None,
        mechanism: str = "XOAUTH2",
        connect_timeout: float | None = None,
        refused_hint: str = "",
    ) -> None:
        """`refused_hint`: said after a refused connection (Proton: is Bridge running?)."""
        if security not in ("ssl", "starttls", "none"):
            raise ValueError(f"unknown SMTP security {security!r}")
        self.refused_hint = refused_hint
        self.host, self.port, self.security = host, port, security
        self.username, self._password = username, password
        self.ca_file, self.timeout = ca_file, timeout
        self.connect_timeout = connect_timeout  # None: `timeout` for connecting too
        # A whole send (connect, greeting, login, the message) or check: each read has
        # `timeout`, and a server dripping its answer line by line is cut off at this.
        self.deadline = 2 * timeout
        # Keep the connection after a delivered message for the next one (`followup worker`
        # sends batches): a connection and TLS handshake per message cost more than the
        # message. `close()` ends it.
        self.keep_alive = keep_alive
        self._kept: smtplib.SMTP | None = None
        self._sent_password: str | None = None  # what a server may echo: redacted from errors
        self._oauth, self.mechanism = oauth, mechanism  # OAuth2 (SASL) instead of a password
        # Whose connection this is (the worker's label of the seeker): `close()` parks the
        # kept connection for the next mailer that would make the same one, and `send`
        # takes one parked so. None: never parked (every command, the dashboard).
        self.share: str | None = None

    def _park_key(self, signed_in: bool) -> tuple[Any, ...]:
        """Which parked connections this mailer may use (see PARK_SECONDS): one it signed
        in on, or one nobody signed in on (the server asked no login of it, and would ask
        none of this mailer either: then `_login` on it does nothing, as on a new one)."""
        server = (self.host, self.port, self.security, self.ca_file)
        if not signed_in:
            return ("", *server)
        how = f"oauth {self.mechanism}" if self._oauth is not None else "password"
        return (self.share, how, self.username, *server)

    def close(self) -> None:
        smtp, self._kept = self._kept, None
        if smtp is not None:
            if self.share is None:
                _quit(smtp)
            else:
                _park(self._park_key(getattr(smtp, _SIGNED_IN, False)), smtp)

    def _parked(self) -> smtplib.SMTP | None:
        found = _unpark(self._park_key(True))
        return found if found is not None else _unpark(self._park_key(False))

    def send(self, raw: bytes, sender: str, recipients: Sequence[str]) -> None:
        if not recipients:
            raise MailError("no recipients", permanent=True)
        with Deadline(self.deadline) as limit:
            try:
                self._send(raw, sender, recipients, limit)
            except (MailError, smtplib.SMTPException, OSError) as exc:
                if getattr(exc, "unknown", False):
                    raise  # handed over, the answer cut off: it may have been delivered
                if limit.expired or (limit.reached and _timed_out(exc)):
                    raise self._too_slow(limit, exc) from exc
                raise

    def _too_slow(self, limit: Deadline, exc: BaseException) -> MailError:
        """Nothing was handed over: trying again at once would wait as long again."""
        if limit.expired:
            how = f"over {self.deadline:g} s in all"
        elif isinstance(exc, MailError):  # "cannot reach SMTP server H:P: timed out", kept
            return MailError(f"{exc} ({TOO_SLOW})", permanent=True)
        else:
            how = f"no answer within {self.timeout:g} s"
        return MailError(f"SMTP server {self.host} {TOO_SLOW} ({how}): stopped", permanent=True)

    def _send(self, raw: bytes, sender: str, recipients: Sequence[str], limit: Deadline) -> None:
        smtp, self._kept = self._kept, None
        if smtp is None and self.share is not None:
            smtp = self._parked()
        reused = smtp is not None
        delivered = False
        if smtp is None:
            smtp = self._connect(limit)
        else:
            limit.watch(smtp.sock)
        try:
            if not reused or not getattr(smtp, _SIGNED_IN, False):
                self._login(smtp)  # on a parked connection nobody signed in on: as on a new one
            try:
                answer = smtp.mail(sender)
            except (smtplib.SMTPServerDisconnected, OSError):
                if not reused:
                    raise
                # the kept connection went stale (the server's idle time-out): nothing was
                # handed over, so a fresh connection is as safe as the first try
                _quit(smtp)
                smtp = self._connect(limit)
                self._login(smtp)
                answer = smtp.mail(sender)
            self._expect(answer, "MAIL FROM", (250,))
            for rcpt in recipients:
                self._expect(smtp.rcpt(rcpt), f"RCPT TO {rcpt}", (250, 251))
            try:
                code, reply = smtp.data(raw)
            except smtplib.SMTPDataError as exc:  # refused DATA itself: nothing was handed over
                raise self._refused("DATA", exc.smtp_code, exc.smtp_error) from exc
            except (smtplib.SMTPServerDisconnected, OSError) as exc:
                what = (
                    f"{self.host} did not answer"
                    if limit.expired or _timed_out(exc)
                    else f"the connection to {self.host} dropped"
                )
                raise DeliveryUnknown(
                    f"{what} after the message was sent, before the server confirmed it:"
                    " it may have been delivered"
                ) from exc
            if code != 250:
                raise self._refused("the message", code, reply)
            delivered = True
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            raise MailError(
                self._redact(f"lost the connection to {self.host}: {exc}"), permanent=False
            ) from exc
        finally:
            if delivered and self.keep_alive:
                self._kept = smtp
            else:
                _quit(smtp)

    def check(self) -> str:
        """Connect and log in, send nothing: what `followup mail test` reports."""
        with Deadline(self.deadline) as limit:
            try:
                smtp = self._connect(limit)
                try:
                    self._login(smtp)
                    return f"SMTP {self.host}:{self.port} ({self.security}) ok"
                finally:
                    try:
                        smtp.quit()
                    except (smtplib.SMTPException, OSError):
                        smtp.close()
            except (MailError, smtplib.SMTPException, OSError) as exc:
                if limit.expired or (limit.reached and _timed_out(exc)):
                    raise self._too_slow(limit, exc) from exc
                raise

    # --- connection ---------------------------------------------------------------------

    def _connect(self, limit: Deadline) -> smtplib.SMTP:
        if self.security == "none" and not is_loopback(self.host):
            raise MailError(
                f"refusing to talk to {self.host} without TLS: use ssl or starttls"
                " (none is only for a server on this machine)",
                permanent=True,
            )
        try:
            if self.security == "ssl":
                return _SMTP_SSL(
                    self.host,
                    self.port,
                    timeout=self.timeout,
                    context=self._tls(),
                    connect_timeout=self.connect_timeout,
                    deadline=limit,
                )
            smtp = _SMTP(
                self.host,
                self.port,
                timeout=self.timeout,
                connect_timeout=self.connect_timeout,
                deadline=limit,
            )
            if self.security == "starttls":
                smtp.ehlo()
                if not smtp.has_extn("starttls"):
                    smtp.close()
                    raise MailError(f"{self.host} does not offer STARTTLS", permanent=True)
                smtp.starttls(context=self._tls())
                limit.watch(smtp.sock)  # the TLS socket: the plain one is detached now
                smtp.ehlo()
            return smtp
        except ssl.SSLError as exc:
            raise MailError(f"TLS with {self.host} failed: {exc.reason}", permanent=True) from exc
        except (TimeoutError, OSError, smtplib.SMTPException) as exc:
            hint = (
                f": {self.refused_hint}"
                if self.refused_hint and isinstance(exc, ConnectionRefusedError)
                else ""
            )
            raise MailError(
                self._redact(f"cannot reach SMTP server {self.host}:{self.port}: {exc}") + hint,
                permanent=False,
            ) from exc

    def _tls(self) -> ssl.SSLContext:
        return tls_context(self.ca_file)

    def _login(self, smtp: smtplib.SMTP) -> None:
        if self._oauth is not None:
            self._oauth_login(smtp, self._oauth)
            return
        smtp.ehlo_or_helo_if_needed()  # MAIL needs it too (smtplib's mail() does not send it)
        if not self.username or self._password is None:
            return
        if not smtp.has_extn("auth"):
            return  # a relay that does not ask who we are (e.g. one on this machine)
        self._sent_password = self._password()
        try:
            smtp.login(self.username, self._sent_password)
            setattr(smtp, _SIGNED_IN, True)
        except smtplib.SMTPAuthenticationError as exc:
            raise MailError(
                f"SMTP login failed for {self.username} at {self.host}:"
                f" {self._reply(exc.smtp_code, exc.smtp_error)}",
                permanent=True,
            ) from exc
        except smtplib.SMTPNotSupportedError as exc:
            raise MailError(f"{self.host} does not accept a login", permanent=True) from exc
        except smtplib.SMTPException as exc:  # e.g. no authentication method in common
            raise MailError(
                self._redact(f"SMTP login at {self.host} failed: {exc}"), permanent=True
            ) from exc

    def _oauth_login(self, smtp: smtplib.SMTP, tokens: Tokens) -> None:
        """AUTH XOAUTH2 or OAUTHBEARER with the access token; refused, once more with a
        fresh one; a grant that is gone stops sending until the user signs in again."""
        smtp.ehlo_or_helo_if_needed()
        user = self.username or ""

        def login(token: str) -> None:
            self._sent_password = token
            answer = responder(self.mechanism, user, token, self.host, self.port)
            smtp.auth(self.mechanism, answer, initial_response_ok=True)

        try:
            with_token(tokens, login, smtplib.SMTPAuthenticationError)
            setattr(smtp, _SIGNED_IN, True)
        except SignInAgain as exc:
            raise SignInNeeded(str(exc)) from exc
        except OAuthError as exc:
            raise MailError(f"OAuth2 for {user}: {exc}", permanent=not exc.temporary) from exc
        except smtplib.SMTPAuthenticationError as exc:
            raise MailError(
                f"SMTP login ({self.mechanism}) failed for {user} at {self.host}:"
                f" {self._reply(exc.smtp_code, exc.smtp_error)}",
                permanent=True,
            ) from exc
        except smtplib.SMTPException as exc:  # the server offers no such mechanism
            raise MailError(
                self._redact(f"SMTP login ({self.mechanism}) at {self.host} failed: {exc}"),
                permanent=True,
            ) from exc

    # --- what the server said ---------------------------------------------------------

    def _redact(self, text: str) -> str:
        return redact(text, self._sent_password, self.username)

    def _expect(self, reply: tuple[int, bytes], step: str, ok: tuple[int, ...]) -> None:
        code, text = reply
        if code not in ok:
            raise self._refused(step, code, text)

    def _refused(self, step: str, code: int, text: bytes | str) -> MailError:
        return MailError(
            f"the server refused {step}: {self._reply(code, text)}",
            permanent=500 <= code < 600,
            code=code,
            # MAIL FROM is the account's (the sender refused); RCPT TO and DATA are the
            # recipient's: only those can fail a note (mailports.fails_the_note)
            recipient=step != "MAIL FROM",
        )

    def _reply(self, code: int, text: bytes | str) -> str:
        """A server's reply on one line, secrets redacted: what a person may be shown."""
        detail = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
        return f"{code} " + " ".join(self._redact(detail).split())[:200]


def _timed_out(exc: BaseException | None) -> bool:
    """A read's (or the TLS handshake's) time-out behind `exc`: a server reached that does
    not answer in time would not answer a try at once either (a tarpit's handshake)."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, TimeoutError):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def _quit(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()
