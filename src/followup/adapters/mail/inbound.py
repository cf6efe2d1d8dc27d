"""Read an inbound message's bytes into the facts the reply classifier needs (MessageFacts).

Tolerant on purpose: `facts_from_bytes` never raises, whatever it is given. Mail servers,
spam filters and 2001-vintage MTAs send broken MIME, undeclared 8-bit headers, unknown
charsets, boundaries that never close, and IMAP hands us only the first part of a body.
Each fact is read on its own, so one broken header costs that fact, not the message.

Decisions:

* Parsing: the stdlib ``email`` package with ``policy.default``; headers are decoded here
  from their raw form (RFC 2047 encoded-words; undeclared 8-bit bytes as UTF-8, else the
  message's charset, else Latin-1) rather than through the policy's header objects, which
  raise on some malformed values and turn undeclared UTF-8 into replacement characters.
* Ids keep their angle brackets (``<id@host>``), as the store keeps our own Message-IDs.
* ``body_text`` is the first text/plain part outside attached messages (inline ones first),
  else the first HTML part turned into text; quoted HTML (``<blockquote>``) becomes ``> ``
  lines, so the classifier can skip quoted text in HTML replies too.
* DSN fields come from every ``message/delivery-status`` part outside attached messages,
  wherever it sits (some MTAs put it in multipart/mixed). Two repairs: a relay that wraps
  the whole report in multipart/mixed but keeps ``report-type=delivery-status`` has its
  report read inside the attached message; a report whose MIME structure is broken (a cut
  boundary parameter) has its blocks read from the text. The fields are aligned per
  recipient block: ``dsn_actions[i]`` (lower-cased first word), ``dsn_statuses[i]``,
  ``dsn_recipients[i]`` (Final-Recipient) and ``dsn_original_recipients[i]``
  (Original-Recipient, "" when absent) describe one recipient.
* ``calendar_method`` is the METHOD of the first ``text/calendar`` part outside attached
  messages (``request`` for an invitation, ``cancel``…), "" when there is none;
  ``calendar`` that part's text, "" when there is none or it is over limits.INVITE_BYTES.
* ``attached_ids`` are the Message-ID/In-Reply-To/References ids of returned messages:
  ``message/rfc822`` (and any other ``message/*`` the parser reads as a message, e.g. the
  non-standard ``message/rfc822-headers``; base64-encoded ones too; and messages attached
  to those, up to three levels), ``text/rfc822-headers``, and header lines pasted into a
  body after a marker such as "----- Original message -----", "Original message follows",
  Exchange's "Original message headers:" or qmail's "Below this line is a copy of the
  message". They never enter ``references``: an id inside a returned message is not proof
  that anyone replied. An id may be in both when the message's own headers carry it too.
"""

from __future__ import annotations

import email
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from email import policy as email_policy
from email.message import Message
from email.parser import BytesHeaderParser
from email.utils import getaddresses, parsedate_to_datetime
from html.parser import HTMLParser
from typing import TypeVar

from followup.domain import limits
from followup.domain.replies import MessageFacts

T = TypeVar("T")

_MAX_PARTS = 200  # a message with more parts than this is garbage or an attack: stop walking
_MAX_DEPTH = 20
_MAX_SCANNED = 200_000  # characters of a body searched for pasted original headers

_FOLD = re.compile(r"\r?\n(?=[ \t])")
_BREAKS = re.compile(r"[\r\n\x00]+")
_SPACES = re.compile(r"\s+")
_ID = re.compile(r"<([^<>\s]+)>")
_BARE_ID = re.compile(r"[^<>\s@]+@[^<>\s@]+")
_ID_HEADER = re.compile(
    r"^[ \t>]*(message-id|in-reply-to|references)[ \t]*:[ \t]*(.*)$", re.IGNORECASE
)
# A line announcing that the returned message (or its headers) follows in the body.
_ORIGINAL_MARKER = re.compile(
    r"original\s+message|original\s+mail|returned\s+message|undelivered\s+message"
    r"|copy\s+of\s+(?:the|your)\s+(?:original\s+)?message|below\s+this\s+line"
    r"|header\s+of\s+the\s+(?:source|original)|message\s+headers?\s+follows?"
    r"|headers?\s+of\s+(?:the\s+)?(?:original|returned|your)|following\s+header"
    r"|original\s+headers?|unsent\s+message",
    re.IGNORECASE,
)


def facts_from_bytes(raw: bytes, max_body: int = 20_000) -> MessageFacts:
    """The facts of one message; never raises (garbage gives what can be read, or nothing)."""
    message = _parse(raw)
    if message is None:
        return MessageFacts()
    charset = _param(message, "content-type", "charset")
    headers = _headers(message, charset)
    first = _first_values(headers)
    dsn = _safe(lambda: _dsn_fields(message), _NO_DSN)
    ctype = _ctype(message)
    no_sender: tuple[str | None, str] = (None, "")
    sender = _safe(lambda: _from(message, charset), no_sender)
    return MessageFacts(
        message_id=_message_id(first.get("message-id", "")),
        from_addr=sender[0],
        from_name=sender[1],
        to_addrs=_safe(lambda: _addresses(message, "to", charset), ()),
        subject=_one_line(first.get("subject", "")),
        date=_safe(lambda: _date(first.get("date", "")), None),
        references=_dedupe(
            [*_ids(first.get("in-reply-to", "")), *_ids(first.get("references", ""))]
        ),
        headers=headers,
        return_path=_return_path(first.get("return-path")),
        content_type=ctype,
        report_type=_safe(lambda: _report_type(message), None),
        dsn_actions=dsn[0],
        dsn_statuses=dsn[1],
        dsn_recipients=dsn[2],
        dsn_original_recipients=dsn[3],
        body_text=_safe(lambda: _body_text(message, max_body), ""),
        attached_ids=_safe(lambda: _attached_ids(message), ()),
        calendar_method=_safe(lambda: _calendar_method(message), ""),
        calendar=_safe(lambda: _calendar_text(message), ""),
    )


def _safe(read: Callable[[], T], fallback: T) -> T:
    try:
        return read()
    except Exception:  # tolerant by contract: a fact that cannot be read is left out
        return fallback


def _parse(raw: bytes) -> Message | None:
    """The whole message; else its headers alone (e.g. MIME nested too deep); else None."""
    try:
        data = bytes(raw)
    except Exception:
        return None
    try:
        return email.message_from_bytes(data, policy=email_policy.default)
    except Exception:
        pass
    try:
        return BytesHeaderParser(policy=email_policy.default).parsebytes(data)
    except Exception:
        return None


# --- headers --------------------------------------------------------------------------------

_ESCAPED = re.compile("[\udc80-\udcff]")
_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=")


def _headers(message: Message, charset: str | None) -> tuple[tuple[str, str], ...]:
    out: list[tuple[str, str]] = []
    for name, value in message.raw_items():
        try:
            out.append((str(name).strip().lower(), _decode(value, charset)))
        except Exception:  # an undecodable value: keep the name, so its presence still counts
            out.append((str(name).strip().lower(), ""))
    return tuple(out)


def _first_values(headers: Iterable[tuple[str, str]]) -> dict[str, str]:
    first: dict[str, str] = {}
    for name, value in headers:
        first.setdefault(name, value)
    return first


def _raw_values(message: Message, name: str) -> list[str]:
    return [str(v) for k, v in message.raw_items() if str(k).strip().lower() == name]


def _decode(value: object, charset: str | None = None) -> str:
    """A raw header value as text: unfolded, 8-bit bytes and encoded-words decoded, one line."""
    text = _undo_escapes(_FOLD.sub("", str(value)), charset)
    if "=?" in text:
        text = _decode_words(text)
    return _BREAKS.sub(" ", text).strip()


def _undo_escapes(text: str, charset: str | None) -> str:
    """Undeclared 8-bit header bytes (kept by the parser as surrogates) as UTF-8, else charset."""
    if _ESCAPED.search(text) is None:
        return text
    return _bytes_text(text.encode("utf-8", "surrogateescape"), "utf-8", charset)


def _decode_words(text: str) -> str:
    """RFC 2047 encoded-words decoded; white space between two adjacent words dropped."""
    out: list[str] = []
    pos = 0
    after_word = False
    for match in _ENCODED_WORD.finditer(text):
        between = text[pos : match.start()]
        if not (after_word and not between.strip()):
            out.append(between)
        out.append(_decode_word(match.group(0), *match.groups()))
        pos = match.end()
        after_word = True
    out.append(text[pos:])
    return "".join(out)


def _decode_word(word: str, charset: str, encoding: str, payload: str) -> str:
    import binascii

    try:
        data = payload.encode("ascii")
        if encoding in "bB":
            decoded = binascii.a2b_base64(data + b"=" * (-len(data) % 4))
        else:
            decoded = binascii.a2b_qp(data, header=True)
    except (ValueError, binascii.Error):
        return word
    return _bytes_text(decoded, charset.partition("*")[0])


def _bytes_text(data: bytes, *charsets: str | None) -> str:
    for charset in (*charsets, "utf-8"):
        if not charset:
            continue
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError, ValueError):
            continue
    return data.decode("latin-1")


def _one_line(value: str) -> str:
    """A header's text as shown and kept: one line, no terminal codes or bidi overrides
    (a subject's ESC[2J cleared the screen when `show` printed it)."""
    return _SPACES.sub(" ", limits.without_controls(value)).strip()


def _ids(value: str) -> list[str]:
    return [f"<{found}>" for found in _ID.findall(value) if len(found) <= 996]


def _dedupe(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item for item in items if item))


def _message_id(value: str) -> str | None:
    ids = _ids(value)
    if ids:
        return ids[0]
    bare = value.strip()
    if _BARE_ID.fullmatch(bare) and len(bare) <= 996:
        return f"<{bare}>"
    return None


def _mailboxes(message: Message, name: str, charset: str | None) -> list[tuple[str, str]]:
    values = [_undo_escapes(_FOLD.sub("", raw), charset) for raw in _raw_values(message, name)]
    pairs = getaddresses([_BREAKS.sub(" ", v) for v in values])
    return [(_decode(display, charset), addr.strip().lower()) for display, addr in pairs]


def _from(message: Message, charset: str | None) -> tuple[str | None, str]:
    for display, addr in _mailboxes(message, "from", charset):
        display = _one_line(display)  # shown by receive, classify and the timeline
        if addr or display:
            return addr or None, display
    return None, ""


def _addresses(message: Message, name: str, charset: str | None) -> tuple[str, ...]:
    return _dedupe(addr for _, addr in _mailboxes(message, name, charset))


def _date(value: str) -> datetime | None:
    if not value:
        return None
    when = parsedate_to_datetime(value)
    # "-0000" (or no zone): RFC 5322 says the time is UTC, the local zone unknown.
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _return_path(value: str | None) -> str | None:
    if value is None:
        return None
    ids = _ID.findall(value) or [value.strip()]
    address = ids[0].strip() if ids else ""
    return "" if address in ("", "<>") else address.lower()


def _report_type(message: Message) -> str | None:
    if not _ctype(message).startswith("multipart/"):
        return None
    value = _param(message, "content-type", "report-type")
    return value.lower() if value else None


# --- the MIME tree --------------------------------------------------------------------------


def _ctype(part: Message) -> str:
    """A part's content type from its raw header, as compat32 reads it.

    `policy.default` re-parses Content-Type through its header registry on every call:
    most of this module's time went there before.
    """
    raw = _raw_header(part, "content-type")
    if raw is None:
        return _safe(part.get_default_type, "text/plain")
    ctype = raw.split(";", 1)[0].strip().lower()
    return ctype if ctype.count("/") == 1 and " " not in ctype else "text/plain"


def _parts(root: Message) -> list[Message]:
    """Every part in document order, without entering attached messages."""
    found: list[Message] = []

    def visit(part: Message, depth: int) -> None:
        if len(found) >= _MAX_PARTS:
            return
        found.append(part)
        if depth >= _MAX_DEPTH or not _ctype(part).startswith("multipart/"):
            return
        payload = part.get_payload()
        if isinstance(payload, list):
            for sub in payload:
                if isinstance(sub, Message):
                    visit(sub, depth + 1)

    visit(root, 0)
    return found


def _parts_of_attached(part: Message) -> list[Message]:
    if _ctype(part) != "message/rfc822":
        return []
    payload = part.get_payload()
    if not isinstance(payload, list):
        return []
    return [p for inner in payload if isinstance(inner, Message) for p in _parts(inner)]


def _part_text(part: Message) -> str:
    """A part's decoded text (transfer encoding, then charset; see _body_bytes_text)."""
    payload = part.get_payload(decode=True)
    if isinstance(payload, bytes):
        text = _body_bytes_text(payload, _param(part, "content-type", "charset"))
        return text.replace("\r\n", "\n")
    payload = part.get_payload()
    return payload.replace("\r\n", "\n") if isinstance(payload, str) else ""


_UNDECLARED = frozenset(("", "us-ascii", "ascii", "unknown-8bit", "x-unknown", "unknown"))


def _body_bytes_text(data: bytes, charset: str | None) -> str:
    """Body bytes as text: the declared charset (UTF-8 first when the declaration is
    us-ascii or missing, the usual lie); an unknown charset falls back to UTF-8, then
    Latin-1; a known one that does not fit keeps its text with replacement characters."""
    declared = (charset or "").strip().lower()
    if declared in _UNDECLARED:
        return _bytes_text(data, "utf-8")
    try:
        return data.decode(declared)
    except LookupError:
        return _bytes_text(data, "utf-8")
    except (UnicodeDecodeError, ValueError):
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return data.decode(declared, "replace")


def _raw_header(part: Message, name: str) -> str | None:
    for key, value in part.raw_items():
        if str(key).strip().lower() == name:
            return _FOLD.sub("", str(value))
    return None


def _param(part: Message, header: str, name: str) -> str | None:
    """A parameter of a raw header (`charset` of Content-Type), without the policy's parser.

    RFC 2231 forms (`charset*=utf-8''…`) give their charset part; good enough here.
    """
    raw = _raw_header(part, header)
    if raw is None:
        return None
    found = re.search(
        rf"(?:^|;)\s*{re.escape(name)}\*?\s*=\s*(?:\"([^\"]*)\"|([^;\s]+))", raw, re.I
    )
    if found is None:
        return None
    value = (found.group(1) if found.group(1) is not None else found.group(2)).strip()
    return value.split("'", 1)[0] if "'" in value and found.group(2) else value


def _is_attachment(part: Message) -> bool:
    raw = _raw_header(part, "content-disposition") or ""
    return raw.split(";", 1)[0].strip().lower() == "attachment"


def _body_text(message: Message, max_body: int) -> str:
    parts = _parts(message)
    plain = [p for p in parts if _ctype(p) == "text/plain"]
    inline = [p for p in plain if not _is_attachment(p)] or plain
    for part in inline:
        text = _part_text(part)
        if text.strip():
            return text[:max_body]
    for part in parts:
        if _ctype(part) == "text/html":
            return html_to_text(_part_text(part)[: max_body * 10])[:max_body]
    if _ctype(message).startswith("multipart/") and isinstance(message.get_payload(), str):
        return _part_text(message)[:max_body]  # no boundary found: the body is one text
    return _part_text(inline[0])[:max_body] if inline else ""


_METHOD_LINE = re.compile(r"^METHOD:[ \t]*([A-Za-z-]+)", re.MULTILINE)


def _calendar_method(message: Message) -> str:
    """The METHOD of the message's first calendar part outside attached messages (its
    Content-Type's method= parameter, else its METHOD: line), lower-cased; "" for none."""
    for part in _parts(message):
        if _ctype(part) in ("text/calendar", "application/ics"):
            method = _param(part, "content-type", "method")
            if not method:
                found = _METHOD_LINE.search(_part_text(part)[:8000])
                method = found.group(1) if found else ""
            return method.strip().lower()
    return ""


def _calendar_text(message: Message) -> str:
    """The text of the part `_calendar_method` reads; "" for none, or one too large to be an
    invitation (limits.INVITE_BYTES)."""
    for part in _parts(message):
        if _ctype(part) in ("text/calendar", "application/ics"):
            text = _part_text(part)
            return text if len(text.encode("utf-8", "replace")) <= limits.INVITE_BYTES else ""
    return ""


# --- delivery status (RFC 3464) -------------------------------------------------------------

_DsnFields = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]
_NO_DSN: _DsnFields = ((), (), (), ())


def _dsn_fields(message: Message) -> _DsnFields:
    actions: list[str] = []
    statuses: list[str] = []
    finals: list[str] = []
    originals: list[str] = []
    parts = _parts(message)
    report = _report_type(message)
    if report == "delivery-status" and not any(
        _ctype(p) == "message/delivery-status" for p in parts
    ):
        # A relay that wraps the report (a disclaimer adder, a forwarder) in multipart/mixed
        # yet keeps report-type=delivery-status: read the report inside the attached message.
        parts = [inner for outer in parts for inner in _parts_of_attached(outer)]
    blocks: list[dict[str, str]] = []
    for part in parts:
        if _ctype(part) == "message/delivery-status":
            try:
                blocks += _dsn_blocks(part)
            except Exception:  # one unreadable report part costs only its own fields
                continue
    if not blocks and report == "delivery-status":
        # A report whose MIME structure is broken (e.g. a truncated boundary parameter):
        # the fields are still there, as text.
        text = _safe(lambda: _part_text(message), "")
        blocks = [_first_values(_header_lines(b)) for b in re.split(r"\n[ \t]*\n", text)]
        blocks = [b for b in blocks if "action" in b]
    for block in blocks:
        action = block.get("action", "").split()
        final = _dsn_address(block.get("final-recipient", ""))
        original = _dsn_address(block.get("original-recipient", ""))
        if not (action or final or original):
            continue  # the per-message block (Reporting-MTA, Arrival-Date, ...)
        status = block.get("status", "").split()
        actions.append(action[0].lower() if action else "")
        statuses.append(status[0] if status else "")
        finals.append(final)
        originals.append(original)
    return tuple(actions), tuple(statuses), tuple(finals), tuple(originals)


def _dsn_blocks(part: Message) -> list[dict[str, str]]:
    """The DSN's field blocks as {lower-cased name: first value}."""
    payload = part.get_payload()
    encoded = _encoded_text(part)
    if isinstance(payload, list) and encoded is None:
        blocks = []
        for block in payload:
            if isinstance(block, Message):
                fields = _first_values(
                    (str(k).strip().lower(), _decode(v)) for k, v in block.raw_items()
                )
                blocks.append(fields)
        return blocks
    text = encoded if encoded is not None else _part_text(part)
    return [_first_values(_header_lines(block)) for block in re.split(r"\n[ \t]*\n", text)]


def _encoded_text(part: Message) -> str | None:
    """A message/* part sent base64 or quoted-printable: the parser split the still-encoded
    text into header blocks; join them back and decode. None when the part is not encoded."""
    import binascii

    encoding = (_raw_header(part, "content-transfer-encoding") or "").strip().lower()
    payload = part.get_payload()
    if encoding not in ("base64", "quoted-printable") or not isinstance(payload, list):
        return None
    text = "\n\n".join(m.as_string() for m in payload if isinstance(m, Message))
    data = text.encode("ascii", "replace")
    try:
        decoded = binascii.a2b_base64(data) if encoding == "base64" else binascii.a2b_qp(data)
    except (ValueError, binascii.Error):
        return None
    return _bytes_text(decoded).replace("\r\n", "\n")


def _header_lines(text: str) -> Iterator[tuple[str, str]]:
    for line in _FOLD.sub("", text.replace("\r\n", "\n")).split("\n"):
        name, colon, value = line.partition(":")
        if colon and name.strip() and " " not in name.strip():
            yield name.strip().lower(), _decode(value)


def _dsn_address(value: str) -> str:
    """`rfc822; ada@acme.example` -> `ada@acme.example`; "" when there is no address."""
    kind, semicolon, address = value.partition(";")
    if not semicolon:
        kind, address = "rfc822", value
    address = address.strip().strip("<>").strip().lower()
    if kind.strip().lower() != "rfc822" and "@" not in address:
        return ""
    return address


# --- ids inside returned messages -----------------------------------------------------------

_ID_LINE = re.compile(r"^[ \t>]*(?:<[^<>\s]+>[ \t,]*)+$")
_SKIPPED_MESSAGE_TYPES = frozenset(("message/delivery-status", "message/disposition-notification"))


def _attached_ids(message: Message) -> tuple[str, ...]:
    ids: list[str] = []
    for part in _parts(message):
        ctype = _ctype(part)
        if ctype.startswith("message/") and ctype not in _SKIPPED_MESSAGE_TYPES:
            ids += _returned_ids(part, 0)
        elif ctype == "text/rfc822-headers":
            ids += _ids_in_lines(_part_text(part).split("\n"))
        elif ctype.startswith("text/"):
            ids += _pasted_ids(_part_text(part)[:_MAX_SCANNED])
    return _dedupe(ids)


def _returned_ids(part: Message, depth: int) -> list[str]:
    """The ids of an attached message, and of messages attached to it (a relay that wraps
    a bounce, whose returned message is then two levels down)."""
    payload = part.get_payload()
    if not isinstance(payload, list):
        return _ids_in_lines(_part_text(part).split("\n"))
    encoded = _encoded_text(part)
    if encoded is not None:  # a base64 message/rfc822 (RFC 2046 forbids it; it happens)
        return _ids_in_lines(encoded.split("\n"))
    ids: list[str] = []
    for inner in payload:
        if not isinstance(inner, Message):
            continue
        ids += _ids_in_lines(f"{k}: {_decode(v)}" for k, v in inner.raw_items())
        if depth >= 3:
            continue
        for sub in _parts(inner)[1:]:
            ctype = _ctype(sub)
            if ctype.startswith("message/") and ctype not in _SKIPPED_MESSAGE_TYPES:
                ids += _returned_ids(sub, depth + 1)
            elif ctype == "text/rfc822-headers":
                ids += _ids_in_lines(_part_text(sub).split("\n"))
    return ids


def _pasted_ids(text: str) -> list[str]:
    """Ids in header lines pasted into a body after a line announcing the original message."""
    marker = _ORIGINAL_MARKER.search(text)
    if marker is None:
        return []
    return _ids_in_lines(text[marker.end() :].split("\n"))


def _ids_in_lines(lines: Iterable[str]) -> list[str]:
    """Message-ID, In-Reply-To and References ids, with References' continuation lines."""
    ids: list[str] = []
    continuing = False
    for line in lines:
        match = _ID_HEADER.match(line)
        if match:
            ids += _ids(match.group(2))
            continuing = True
        elif continuing and line[:1] in (" ", "\t") and _ID_LINE.match(line):
            ids += _ids(line)
        else:
            continuing = False
    return ids


# --- HTML as text ---------------------------------------------------------------------------


class _HtmlText(HTMLParser):
    _BREAK = frozenset(
        ("p", "div", "br", "li", "tr", "table", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "pre")
    )
    _SKIP = frozenset(("script", "style", "title", "template"))

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depths: list[int] = [0]  # how deeply quoted each line is
        self.texts: list[str] = [""]
        self.quote = 0
        self.skipping = 0

    def _newline(self) -> None:
        self.depths.append(self.quote)
        self.texts.append("")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self.skipping += 1
        elif tag == "blockquote":
            self.quote += 1
            self._newline()
        elif tag in self._BREAK:
            self._newline()

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag == "blockquote":
            self.quote = max(0, self.quote - 1)
            self._newline()
        elif tag in self._BREAK:
            self._newline()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.depths[-1] = max(self.depths[-1], self.quote)
            self.texts[-1] += data

    def text(self) -> str:
        out: list[str] = []
        for depth, content in zip(self.depths, self.texts, strict=True):
            words = _one_line(content)
            if words:
                out.append("> " * depth + words)
            elif out and out[-1]:
                out.append("")
        return "\n".join(out).strip("\n")


def html_to_text(html: str) -> str:
    """An HTML body as plain text; quoted parts (<blockquote>) as `> ` lines. Never raises."""
    parser = _HtmlText()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # HTMLParser is tolerant, but not promised to be
        from html import unescape

        return unescape(re.sub(r"<[^>]*>", " ", html))
    return parser.text()
