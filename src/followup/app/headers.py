"""Checks for anything that goes into an e-mail header: untrusted text stays data.

What the standard library (3.11.7) lets through, and what these checks refuse:

* A header value whose RFC 2047 encoded-words decode to a line break
  (``=?UTF-8?Q?Hi=0ABcc:_x@example.com?=``): ``EmailMessage`` decodes it when the header is
  set and writes the decoded line break back out raw, so the message grows a ``Bcc`` header.
  The stdlib only refuses *raw* CR/LF, and lets a NUL through even raw.
* An address that is not exactly one mailbox: ``email.utils.parseaddr`` reads
  ``alice@example.org)<bob@example.com>`` as ``alice@example.org`` and ``a@x.com, b@y.com``
  as ``a@x.com``, silently.

Here in the app layer (stdlib only) so that what a user types (`--interviewer`), what an
invite carries and what the mail adapter builds are all checked by the same code. Import it
lazily: the email package costs ~10 ms.
"""

from __future__ import annotations

import binascii
import re
from contextlib import suppress
from email import policy as email_policy
from email.errors import HeaderParseError, ObsoleteHeaderDefect
from email.header import decode_header, make_header
from email.headerregistry import AddressHeader, BaseHeader
from email.utils import getaddresses, make_msgid
from functools import lru_cache
from typing import cast

from followup.app.errors import InvalidInput


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
# A bare address both stdlib parsers read as itself: a plain dot-atom local part of at most
# 64 characters (letters, digits, . _ + -), "@", a host name (tests/unit/test_plain_address.py
# checks the shortcut against the parsers).
_PLAIN = re.compile(
    rf"((?=[A-Za-z0-9._+-]{{1,64}}@)[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*)@({_LABEL}(?:\.{_LABEL})+)"
)
# `Name <local@host.tld>`: a display name of words (letters or digits, an apostrophe or a
# hyphen inside) with single spaces, and a plain address (tests/unit/test_plain_address.py
# holds the shortcut to the parsers' reading).
_WORD = r"[A-Za-z0-9]+(?:['-][A-Za-z0-9]+)*"
_NAMED = re.compile(rf"({_WORD}(?: {_WORD})*) <({_PLAIN.pattern})>")
# <id-left@id-right>: printable ASCII without "<", ">" or "@" on either side.
_MESSAGE_ID = re.compile(r"<[!-;=?A-~]+@[!-;=?A-~]+>")
_MESSAGE_ID_MAX = 250
LINE_BREAK = re.compile(r"\r\n|\r|\n")
_SHOWN_MAX = 80


PARSE_HEADER = email_policy.default.header_factory  # the stdlib's own header parser


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
        out.append(str(PARSE_HEADER("subject", value)))  # the lenient unstructured parser
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


def check_display_name(what: str, value: str) -> str:
    """`value`, unchanged, if it can be the display name of an address header: no line break
    or NUL, raw or once its encoded-words are decoded (the check of `check_header_value`)."""
    _refuse_line_breaks(what, value)
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
    return _parse_single_mailbox(text)


@lru_cache(maxsize=1024)
def _parse_single_mailbox(text: str) -> tuple[str, str]:
    """parse_single_mailbox's work, kept per text: a worker composes many notes from one
    sender to few recipients, and the two stdlib parsers cost ~2 ms an address."""
    _refuse_line_breaks("address", text)
    value = text.strip()
    if not value:
        raise InvalidInput("an e-mail address is empty")
    address = plain_address(value)
    if address is not None:  # what the parsers make of a bare local@host.tld, without
        return "", address  # their ~1 ms (a bad host: the parsers' path says why)
    named = _NAMED.fullmatch(value)
    if named:  # `Ada Lovelace <ada@acme.example>`: what the parsers make of it, faster
        with suppress(InvalidInput):
            return named[1], f"{named[3]}@{_check_domain(named[4], 'the address')}"
    return _parse_by_stdlib(value, _shown(text))  # (quoted for a message: only when needed)


def plain_address(text: str) -> str | None:
    """What `parse_single_mailbox(text)` gives as the address when `text` is a bare
    `local@host.tld` and nothing else (no space around it): the local part as written, the
    host lower-cased; None for any other text, which the full reading then reads. One
    expression, the host's checks (`_check_domain`) included: an import reads tens of
    thousands of addresses (tests/unit/test_plain_address.py holds it to the parsers)."""
    plain = _PLAIN_HOST.fullmatch(text)
    if plain is None or plain.end() - plain.start(2) > 253:
        return None
    return f"{plain[1]}@{plain[2].lower()}"


# _PLAIN whose host also passes _check_domain: its last label holds a letter.
_PLAIN_HOST = re.compile(
    rf"((?=[A-Za-z0-9._+-]{{1,64}}@)[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*)"
    rf"@((?:{_LABEL}\.)+(?=[A-Za-z0-9-]*[A-Za-z]){_LABEL})"
)


def _parse_by_stdlib(value: str, shown: str) -> tuple[str, str]:
    """The two stdlib parsers' reading of a stripped, non-empty value."""
    pairs = getaddresses([value])
    try:
        header = cast(AddressHeader, PARSE_HEADER("to", value))
        groups = header.groups
        mailboxes = [mailbox for group in groups for mailbox in group.addresses]
    except (ValueError, IndexError, TypeError, AttributeError, HeaderParseError) as exc:
        raise InvalidInput(f"{shown} is not a valid e-mail address") from exc
    if len(groups) == 1 and groups[0].display_name is not None:
        raise InvalidInput(f"{shown} is a group (name: list;), not one e-mail address")
    if len(pairs) != 1 or len(groups) != 1 or len(mailboxes) != 1 or not pairs[0][1]:
        name = value.partition("<")[0]
        if "," in name and not name.strip().startswith('"'):  # Okafor, Chidi <chidi@…>
            raise InvalidInput(
                f"{shown} is not exactly one e-mail address: quote a name with a comma,"
                f' as "{name.strip()}" <…>'
            )
        raise InvalidInput(f"{shown} is not exactly one e-mail address")
    if not pairs[0][1].isascii():
        raise InvalidInput(
            f"{shown}: non-ASCII addresses need SMTPUTF8, which followup does not use;"
            " write the domain in its IDNA form (xn--...)"
        )
    for defect in cast(BaseHeader, header).defects:
        if isinstance(defect, ObsoleteHeaderDefect) and "period in 'phrase'" in str(defect):
            continue
        if "no domain" in str(defect) or "@" not in pairs[0][1]:  # the parser's own words
            raise InvalidInput(  # are no help (addr-spec local part with no domain)
                f"{shown} is not an e-mail address (it needs a domain, like name@example.com)"
            )
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
