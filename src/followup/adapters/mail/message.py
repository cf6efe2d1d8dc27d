"""Outgoing e-mail messages, built so that untrusted text stays data (GUIDE convention 11).

The checks on header values and addresses live in app/headers.py (shared with what users
type); this module builds on them. What the standard library (3.11.7) gets wrong:

* A header value whose RFC 2047 encoded-words decode to a line break
  (``=?UTF-8?Q?Hi=0ABcc:_x@example.com?=``): ``EmailMessage`` decodes it when the header is
  set and writes the decoded line break back out raw, so the message grows a ``Bcc`` header.
  The stdlib only refuses *raw* CR/LF, and lets a NUL through even raw.
* An address that is not exactly one mailbox: ``email.utils.parseaddr`` reads
  ``alice@example.org)<bob@example.com>`` as ``alice@example.org`` and ``a@x.com, b@y.com``
  as ``a@x.com``, silently.
* A long Message-ID in ``In-Reply-To``/``References``: the default folder turns it into an
  encoded-word, which no mail client can match any more. Those two headers fold here only
  between message ids.

Decisions:

* Policy: ``email.policy.SMTP`` (the default policy with CRLF line endings), because the bytes
  go to SMTP ``DATA`` and to IMAP ``APPEND``, and both require CRLF. Headers fold at 78.
* No SMTPUTF8: addresses must be ASCII (a non-ASCII domain is refused with a hint to write its
  ``xn--`` form); display names and subjects may be any text (RFC 2047 encoded-words).
* Body: ``text/plain; charset=utf-8``, ``7bit`` when it is ASCII with lines of at most 78
  characters, else ``quoted-printable`` — never ``8bit``, so no server needs 8BITMIME and no
  line is ever longer than 998 octets.

Only the ``email`` package (and ``urllib.parse``, which it imports anyway) is imported here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from email import policy as email_policy
from email.headerregistry import (
    Address,
    AddressHeader,
    BaseHeader,
    HeaderRegistry,
    UnstructuredHeader,
)
from email.message import EmailMessage
from email.policy import Policy
from email.utils import format_datetime
from types import MappingProxyType
from typing import cast
from urllib.parse import quote

from followup.app.errors import InvalidInput
from followup.app.headers import (
    LINE_BREAK,
    PARSE_HEADER,
    HeaderInjection,
    check_header_value,
    check_message_id,
    make_message_id,
    parse_single_mailbox,
)

__all__ = [
    "POLICY",
    "HeaderInjection",
    "build_message",
    "check_header_value",
    "check_message_id",
    "compose",
    "envelope_recipients",
    "mailto_link",
    "make_message_id",
    "parse_single_mailbox",
    "to_bytes",
]

_RESERVED_HEADERS = frozenset(
    {
        "from",
        "sender",
        "reply-to",
        "to",
        "cc",
        "bcc",
        "subject",
        "date",
        "message-id",
        "in-reply-to",
        "references",
        "mime-version",
        "return-path",
        "received",
    }
)
_NO_EXTRA_HEADERS: Mapping[str, str] = MappingProxyType({})


# --- building ------------------------------------------------------------------------------


class _MessageIdListHeader(UnstructuredHeader):
    """In-Reply-To / References: folded between message ids only, never made encoded-words
    (the stdlib encodes an id longer than a line, e.g. a real Outlook one, and breaks it)."""

    def fold(self, *, policy: Policy) -> str:
        limit = policy.max_line_length or 998
        lines: list[str] = []
        head = line = f"{cast(BaseHeader, self).name}:"
        for ident in str(self).split():
            if line != head and len(line) + 1 + len(ident) > limit:
                lines.append(line)
                line = ""
            line += " " + ident
        lines.append(line)
        return policy.linesep.join(lines) + policy.linesep


_REGISTRY = HeaderRegistry()
# The registry mixes each header class with BaseHeader (the stubs do not know that).
_REGISTRY.map_to_type("in-reply-to", cast(type[BaseHeader], _MessageIdListHeader))
_REGISTRY.map_to_type("references", cast(type[BaseHeader], _MessageIdListHeader))

#: `email.policy.SMTP` (CRLF, fold at 78) with the message-id list headers above.
POLICY = email_policy.SMTP.clone(header_factory=_REGISTRY)


def _addresses(values: Sequence[str], field: str) -> list[Address]:
    if isinstance(values, str):
        raise InvalidInput(f"{field} must be a list of addresses, not one string")
    out = []
    for value in values:
        name, addr_spec = parse_single_mailbox(value)
        local, _, domain = addr_spec.rpartition("@")
        out.append(Address(display_name=name, username=local, domain=domain))
    return out


def _thread(in_reply_to: str | None, references: Sequence[str]) -> tuple[str | None, list[str]]:
    if isinstance(references, str):
        raise InvalidInput("References must be a list of message ids, not one string")
    parent = None if in_reply_to is None else check_message_id(in_reply_to, "In-Reply-To")
    ids = [check_message_id(ref, "References") for ref in references]
    if parent is not None:
        ids.append(parent)
    return parent, list(dict.fromkeys(ids))  # deduplicated, first occurrence kept


def build_message(
    *,
    sender: str,
    to: Sequence[str],
    subject: str,
    body: str,
    message_id: str,
    date: datetime,
    in_reply_to: str | None = None,
    references: Sequence[str] = (),
    cc: Sequence[str] = (),
    extra_headers: Mapping[str, str] = _NO_EXTRA_HEADERS,
) -> EmailMessage:
    """A text/plain UTF-8 message, every header checked, every address exactly one mailbox.

    References is `references` then `in_reply_to`, deduplicated in order. There is no Bcc,
    ever: pass blind recipients only as SMTP envelope recipients. `extra_headers` may not
    set addresses, threading, Date, Subject or MIME headers.
    """
    from_ = _addresses([sender], "From")[0]
    to_ = _addresses(to, "To")
    if not to_:
        raise InvalidInput("a message needs at least one To address")
    cc_ = _addresses(cc, "Cc")
    check_header_value("Subject", subject)
    ident = check_message_id(message_id)
    parent, refs = _thread(in_reply_to, references)
    if not isinstance(date, datetime) or date.utcoffset() is None:
        raise InvalidInput("the Date must be an aware datetime (with a time zone), not naive")
    if not isinstance(body, str):
        raise InvalidInput(f"the body must be text, not {type(body).__name__}")
    if "\0" in body:
        raise InvalidInput("the body contains a NUL character")
    extras: dict[str, str] = {}
    for name, value in extra_headers.items():
        check_header_value(name, value)
        key = name.lower()
        if key in _RESERVED_HEADERS or key.startswith(("content-", "resent-")):
            raise InvalidInput(f"header {name} cannot be set as an extra header")
        if key in extras:
            raise InvalidInput(f"header {name} is given twice")
        extras[key] = name

    msg = EmailMessage(policy=POLICY)
    msg["From"] = from_
    msg["To"] = to_
    if cc_:
        msg["Cc"] = cc_
    msg["Subject"] = subject
    msg["Date"] = format_datetime(date)
    msg["Message-ID"] = ident
    if parent is not None:
        msg["In-Reply-To"] = parent
    if refs:
        msg["References"] = " ".join(refs)
    for name, value in extra_headers.items():
        msg[name] = value
    longest = max((len(line) for line in LINE_BREAK.split(body)), default=0)
    cte = "7bit" if body.isascii() and longest <= 78 else "quoted-printable"
    msg.set_content(body, subtype="plain", charset="utf-8", cte=cte)
    if "Bcc" in msg:  # cannot happen: nothing above writes one
        raise HeaderInjection("a Bcc header appeared in an outgoing message")
    return msg


def compose(
    *,
    sender: str,
    to: Sequence[str],
    subject: str,
    body: str,
    message_id: str,
    date: datetime,
    in_reply_to: str | None = None,
    references: Sequence[str] = (),
) -> bytes:
    """A note's bytes, ready for SMTP or IMAP APPEND (the app's `Composer` port)."""
    return to_bytes(
        build_message(
            sender=sender,
            to=to,
            subject=subject,
            body=body,
            message_id=message_id,
            date=date,
            in_reply_to=in_reply_to,
            references=references,
        )
    )


def redate(raw: bytes, date: datetime) -> bytes:
    """The same message with its Date header set to `date` (a message approved earlier and
    sent now says when it was sent). Only the one unfolded `Date:` field of the header is
    touched; a message without one gets one at the top."""
    head, sep, body = raw.partition(b"\r\n\r\n")
    stamp = b"Date: " + format_datetime(date).encode("ascii")
    lines = head.split(b"\r\n")
    for i, line in enumerate(lines):
        if line[:5].lower() == b"date:":
            lines[i] = stamp
            break
    else:
        lines.insert(0, stamp)
    return b"\r\n".join(lines) + sep + body


def envelope_recipients(msg: EmailMessage) -> list[str]:
    """The addr-specs of To and Cc, deduplicated: the explicit SMTP `RCPT TO` list."""
    out: dict[str, str] = {}
    for field in ("To", "Cc"):
        for header in msg.get_all(field, []):
            if not isinstance(header, AddressHeader):  # a message read with policy compat32
                header = cast(AddressHeader, PARSE_HEADER(field, str(header)))
            for mailbox in header.addresses:
                _, addr_spec = parse_single_mailbox(mailbox.addr_spec)
                out.setdefault(addr_spec.lower(), addr_spec)
    if not out:
        raise InvalidInput("the message has no To or Cc recipient")
    return list(out.values())


def to_bytes(msg: EmailMessage) -> bytes:
    """The message as SMTP/IMAP wants it: CRLF, lines ≤ 998 octets, no Bcc, no surprises.

    Re-checks every header, then checks the output: the same number of header fields came out
    as went in (nothing was smuggled into a new one), every line ends with CRLF.
    """
    if "Bcc" in msg or "Resent-Bcc" in msg:
        raise HeaderInjection("refusing to write a message that carries a Bcc header")
    for name, value in msg.items():
        check_header_value(name, str(value))
    data = msg.as_bytes(policy=POLICY)
    head = data.split(b"\r\n\r\n", 1)[0]
    fields = [line for line in head.split(b"\r\n") if line and line[:1] not in b" \t"]
    if len(fields) != len(msg):
        raise HeaderInjection(
            f"the written message has {len(fields)} header fields instead of {len(msg)}"
        )
    if not data.endswith(b"\r\n") or re.search(b"\r(?!\n)|(?<!\r)\n", data):
        raise InvalidInput("the written message has a line not ending with CRLF")
    if max(len(line) for line in data.split(b"\r\n")) > 998:
        raise InvalidInput("the written message has a line longer than 998 octets")
    return data


def mailto_link(to: str, subject: str, body: str) -> str:
    """An RFC 6068 `mailto:` link: the address checked, subject and body percent-encoded
    as UTF-8 (spaces `%20`, line breaks `%0D%0A`)."""
    _, addr_spec = parse_single_mailbox(to)
    check_header_value("Subject", subject)
    if not isinstance(body, str):
        raise InvalidInput(f"the body must be text, not {type(body).__name__}")
    if "\0" in body:
        raise InvalidInput("the body contains a NUL character")
    fields = []
    if subject:
        fields.append("subject=" + quote(subject, safe=""))
    if body:
        fields.append("body=" + quote(LINE_BREAK.sub("\r\n", body), safe=""))
    query = "?" + "&".join(fields) if fields else ""
    return "mailto:" + quote(addr_spec, safe="@!$'*+") + query
