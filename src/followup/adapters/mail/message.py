"""Outgoing e-mail messages, built so that untrusted text stays data (GUIDE convention 11).

What the standard library (3.11.7) lets through, and what this module refuses:

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

import binascii
import re
from collections.abc import Mapping, Sequence
from contextlib import suppress
from datetime import datetime
from email import policy as email_policy
from email.errors import HeaderParseError, ObsoleteHeaderDefect
from email.header import decode_header, make_header
from email.headerregistry import (
    Address,
    AddressHeader,
    BaseHeader,
    HeaderRegistry,
    UnstructuredHeader,
)
from email.message import EmailMessage
from email.policy import Policy
from email.utils import format_datetime, getaddresses, make_msgid
from types import MappingProxyType
from typing import cast
from urllib.parse import quote

from followup.app.errors import InvalidInput

__all__ = [
    "POLICY",
    "HeaderInjection",
    "build_message",
    "check_header_value",
    "check_message_id",
    "envelope_recipients",
    "mailto_link",
    "make_message_id",
    "parse_single_mailbox",
    "to_bytes",
]


class HeaderInjection(InvalidInput):
    """A header name or value that would break out of its line (CR, LF, NUL, ...)."""


# NUL, plus every character str.splitlines() treats as a line boundary: the stdlib itself
# refuses a raw header value that splitlines() would split, so we refuse the same characters
# when they appear only after decoding.
_FORBIDDEN = re.compile("[\0\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# The same, as bytes inside an encoded-word's payload, whatever its declared charset
# (a receiver may decode with another one). ASCII only: 0x85 is "…" in windows-1252.
_FORBIDDEN_BYTES = re.compile(b"[\0\r\n\x0b\x0c\x1c-\x1e]")
# As lenient as email.header's own pattern: any charset text, Q or B in either case.
_ENCODED_WORD = re.compile(r"=\?([^?]*)\?([qQbB])\?(.*?)\?=", re.DOTALL)
_NESTING = 3  # an encoded-word that decodes to another encoded-word, and so on

_FIELD_NAME = re.compile(r"[!-9;-~]+")  # RFC 5322 ftext: printable ASCII except ":"
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_DOT_ATOM = re.compile(rf"{_ATEXT}(?:\.{_ATEXT})*")
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_DOMAIN = re.compile(rf"{_LABEL}(?:\.{_LABEL})+")
# <id-left@id-right>: printable ASCII without "<", ">" or "@" on either side.
_MESSAGE_ID = re.compile(r"<[!-;=?A-~]+@[!-;=?A-~]+>")
_MESSAGE_ID_MAX = 250
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_SHOWN_MAX = 80

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

_PARSE_HEADER = email_policy.default.header_factory  # the stdlib's own header parser


def _shown(value: str) -> str:
    """`value` quoted for a one-line message: control characters escaped, long text cut."""
    text = "".join(
        c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in value
    )
    if len(text) > _SHOWN_MAX:
        text = text[: _SHOWN_MAX - 3] + "..."
    return f'"{text}"'


# --- encoded-words -------------------------------------------------------------------------


def _payload(encoding: str, text: str) -> bytes:
    """The bytes an encoded-word carries, decoded as leniently as any receiver might."""
    data = text.encode("utf-8", "surrogatepass")
    if encoding in "qQ":
        return binascii.a2b_qp(data, header=True)
    cleaned = re.sub(rb"[^A-Za-z0-9+/]", b"", data)
    if len(cleaned) % 4 == 1:
        cleaned = cleaned[:-1]
    try:
        return binascii.a2b_base64(cleaned + b"=" * (-len(cleaned) % 4))
    except binascii.Error:
        return b""


def _charset_key(charset: str) -> str:
    return charset.split("*", 1)[0].strip().lower()  # RFC 2231 "utf-8*en": drop the language


def _as_text(charset: str, payload: bytes) -> str:
    """Decode with the declared charset, as the stdlib does (even `unicode_escape`, `utf-7`)."""
    try:
        return payload.decode(_charset_key(charset), "replace")
    except Exception:  # unknown charset, or a codec that is not a text encoding
        return payload.decode("ascii", "replace")


def _decode_run(run: list[tuple[str, bytes]]) -> str:
    """Adjacent encoded-words: the payloads of neighbours in one charset are joined first
    (a multi-byte character, or a UTF-7 shift, may be split across words)."""
    out: list[str] = []
    charset, joined = run[0]
    for next_charset, payload in run[1:]:
        if _charset_key(next_charset) == _charset_key(charset):
            joined += payload
        else:
            out.append(_as_text(charset, joined))
            charset, joined = next_charset, payload
    out.append(_as_text(charset, joined))
    return "".join(out)


def _own_decoding(value: str) -> tuple[str, list[bytes], list[str]]:
    """(value with its encoded-words decoded, each word's raw payload, each word alone)."""
    parts: list[str] = []
    payloads: list[bytes] = []
    singles: list[str] = []
    run: list[tuple[str, bytes]] = []
    pos = 0
    for match in _ENCODED_WORD.finditer(value):
        gap = value[pos : match.start()]
        if run and gap.strip(" \t"):
            parts.append(_decode_run(run))
            run = []
        if not run:
            parts.append(gap)  # whitespace between two encoded-words is dropped
        charset, encoding, text = match.groups()
        payload = _payload(encoding, text)
        payloads.append(payload)
        singles.append(_as_text(charset, payload))
        run.append((charset, payload))
        pos = match.end()
    if run:
        parts.append(_decode_run(run))
    parts.append(value[pos:])
    return "".join(parts), payloads, singles


def _stdlib_decodings(value: str) -> list[str]:
    """What the stdlib's two decoders make of `value` (either may differ from ours).

    Either may raise on malformed input; our own decoding covers that case.
    """
    out = []
    with suppress(Exception):
        out.append(str(make_header(decode_header(value))))
    with suppress(Exception):
        out.append(str(_PARSE_HEADER("subject", value)))  # the lenient unstructured parser
    return out


def _unsafe(value: str, depth: int = 0) -> bool:
    if _FORBIDDEN.search(value):
        return True
    if "=?" not in value or depth >= _NESTING:
        return False
    decoded, payloads, singles = _own_decoding(value)
    if any(_FORBIDDEN_BYTES.search(payload) for payload in payloads):
        return True
    views = [decoded, *singles, *_stdlib_decodings(value)]
    return any(view != value and _unsafe(view, depth + 1) for view in views)


def _refuse_line_breaks(what: str, value: str) -> None:
    if _unsafe(value):
        after = "" if _FORBIDDEN.search(value) else " once its encoded-words are decoded"
        raise HeaderInjection(f"{what} contains a line break or NUL{after}: {_shown(value)}")


# --- public checks -------------------------------------------------------------------------


def check_header_value(name: str, value: str) -> str:
    """`value`, unchanged, if it can be the value of header `name` without breaking its line.

    Refuses CR, LF, NUL (and the other characters `str.splitlines` breaks on) in the text
    itself or in what any of its RFC 2047 encoded-words decode to — any charset, Q or B, any
    letter case, split over several words, nested. Also refuses a malformed header name.
    """
    if not isinstance(name, str) or not _FIELD_NAME.fullmatch(name):
        shown = _shown(str(name))
        if isinstance(name, str) and _FORBIDDEN.search(name):
            raise HeaderInjection(f"header name {shown} contains a line break or NUL")
        raise InvalidInput(f"header name {shown} is not printable ASCII without a colon")
    if not isinstance(value, str):
        raise InvalidInput(f"header {name}: the value must be text, not {type(value).__name__}")
    _refuse_line_breaks(f"header {name}", value)
    return value


def _check_domain(domain: str, what: str) -> str:
    if not domain.isascii():
        raise InvalidInput(
            f"{what}: the domain is not ASCII; write it in its IDNA form (xn--...):"
            " followup does not send SMTPUTF8 mail"
        )
    last = domain.rsplit(".", 1)[-1]
    if len(domain) > 253 or not _DOMAIN.fullmatch(domain) or not any(c.isalpha() for c in last):
        raise InvalidInput(f"{what}: the domain is not a host name like example.org")
    return domain.lower()


def parse_single_mailbox(text: str) -> tuple[str, str]:
    """`Name <local@domain>` (or a bare address) as exactly one mailbox: (display name, addr-spec).

    Two stdlib parsers must agree: `email.utils.getaddresses` and the header registry of
    `email.policy.default` (which decodes encoded-words in display names). Refused: more than
    one address, group syntax, obsolete routes, anything the registry flags as a defect (except
    a period in an unquoted name: `John X. Doe <j@x.org>` is everywhere), quoted or non-ASCII
    local parts, domains without a dot or with a literal `[1.2.3.4]`, and line breaks or NUL,
    raw or encoded. A comment is not a display name: `j@x.org (John)` gives `("", "j@x.org")`.
    The domain is lower-cased; the local part is kept as written.
    """
    if not isinstance(text, str):
        raise InvalidInput(f"an e-mail address must be text, not {type(text).__name__}")
    _refuse_line_breaks("address", text)
    shown = _shown(text)
    value = text.strip()
    if not value:
        raise InvalidInput("an e-mail address is empty")
    pairs = getaddresses([value])
    try:
        header = cast(AddressHeader, _PARSE_HEADER("to", value))
        groups = header.groups
        mailboxes = [mailbox for group in groups for mailbox in group.addresses]
    except (ValueError, IndexError, TypeError, AttributeError, HeaderParseError) as exc:
        raise InvalidInput(f"{shown} is not a valid e-mail address") from exc
    if len(groups) == 1 and groups[0].display_name is not None:
        raise InvalidInput(f"{shown} is a group (name: list;), not one e-mail address")
    if len(pairs) != 1 or len(groups) != 1 or len(mailboxes) != 1 or not pairs[0][1]:
        raise InvalidInput(f"{shown} is not exactly one e-mail address")
    if not pairs[0][1].isascii():
        raise InvalidInput(
            f"{shown}: non-ASCII addresses need SMTPUTF8, which followup does not use;"
            " write the domain in its IDNA form (xn--...)"
        )
    for defect in cast(BaseHeader, header).defects:
        if isinstance(defect, ObsoleteHeaderDefect) and "period in 'phrase'" in str(defect):
            continue
        raise InvalidInput(f"{shown} is not a valid e-mail address: {defect}")
    mailbox = mailboxes[0]
    if pairs[0][1] != mailbox.addr_spec:
        raise InvalidInput(f"{shown} is ambiguous: parsers disagree on which address it is")
    local = mailbox.username
    if not local or len(local) > 64 or not _DOT_ATOM.fullmatch(local):
        raise InvalidInput(f"{shown}: the part before @ is not a plain local part")
    domain = _check_domain(mailbox.domain, shown)
    name = mailbox.display_name.strip()
    _refuse_line_breaks("display name", name)
    return name, f"{local}@{domain}"


def check_message_id(value: str, header: str = "Message-ID") -> str:
    """One `<id-left@id-right>` message id (printable ASCII, no spaces), stripped."""
    check_header_value(header, value)
    ident = value.strip()
    if len(ident) > _MESSAGE_ID_MAX or not _MESSAGE_ID.fullmatch(ident):
        raise InvalidInput(
            f"{header} {_shown(value)} is not one message id like <unique@example.org>"
        )
    return ident


def make_message_id(domain: str, unique: str | None = None) -> str:
    """`<unique@domain>`; without `unique`, as `email.utils.make_msgid` (time, pid, random).

    Give `unique` (a dot-atom such as `note-42.1`) for a deterministic id, e.g. in tests.
    """
    if not isinstance(domain, str):
        raise InvalidInput(f"a Message-ID domain must be text, not {type(domain).__name__}")
    _refuse_line_breaks("Message-ID domain", domain)
    host = _check_domain(domain, f"Message-ID domain {_shown(domain)}")
    if unique is None:
        return check_message_id(make_msgid(domain=host))
    if not isinstance(unique, str):
        raise InvalidInput(f"a Message-ID's unique part must be text, not {type(unique).__name__}")
    _refuse_line_breaks("Message-ID", unique)
    if len(unique) > 200 or not _DOT_ATOM.fullmatch(unique):
        raise InvalidInput(
            f"Message-ID part {_shown(unique)} must be letters, digits and .!#$%&'*+/=?^_`{{|}}~-"
            " (no spaces, no leading, trailing or double dots)"
        )
    return check_message_id(f"<{unique}@{host}>")


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
    longest = max((len(line) for line in _LINE_BREAK.split(body)), default=0)
    cte = "7bit" if body.isascii() and longest <= 78 else "quoted-printable"
    msg.set_content(body, subtype="plain", charset="utf-8", cte=cte)
    if "Bcc" in msg:  # cannot happen: nothing above writes one
        raise HeaderInjection("a Bcc header appeared in an outgoing message")
    return msg


def envelope_recipients(msg: EmailMessage) -> list[str]:
    """The addr-specs of To and Cc, deduplicated: the explicit SMTP `RCPT TO` list."""
    out: dict[str, str] = {}
    for field in ("To", "Cc"):
        for header in msg.get_all(field, []):
            if not isinstance(header, AddressHeader):  # a message read with policy compat32
                header = cast(AddressHeader, _PARSE_HEADER(field, str(header)))
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
        fields.append("body=" + quote(_LINE_BREAK.sub("\r\n", body), safe=""))
    query = "?" + "&".join(fields) if fields else ""
    return "mailto:" + quote(addr_spec, safe="@!$'*+") + query
