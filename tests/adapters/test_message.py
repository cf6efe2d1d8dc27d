"""Outgoing messages: header injection, single mailboxes, round trips, real messages, mailto.

Each refusal is paired with a demonstration that Python 3.11's stdlib alone lets the same
input through, so these tests fail without our own checks.
"""

from __future__ import annotations

import email
import email.policy
import importlib.util
import re
import subprocess
import sys
import sysconfig
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from email.header import decode_header, make_header
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr
from pathlib import Path
from typing import Any, cast
from urllib.parse import parse_qs, unquote, urlsplit
from zoneinfo import ZoneInfo

import pytest

from followup.adapters.mail.message import (
    POLICY,
    HeaderInjection,
    build_message,
    check_header_value,
    check_message_id,
    envelope_recipients,
    mailto_link,
    make_message_id,
    parse_single_mailbox,
    to_bytes,
)
from followup.app.errors import ExitCode, InvalidInput

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "mail"
WHEN = datetime(2026, 11, 25, 14, 30, 5, tzinfo=ZoneInfo("Europe/Berlin"))
OUTLOOK_ID = "<BY5PR11MB4321A1B2C3D4E5F6A7B8C9D0E1F2A3B4@BY5PR11MB4321.namprd11.prod.outlook.com>"

# --- injection values ------------------------------------------------------------------------

RAW = {
    "crlf": "Hi\r\nBcc: eve@evil.example",
    "lf": "Hi\nBcc: eve@evil.example",
    "cr": "Hi\rBcc: eve@evil.example",
    "nul": "Hi\0there",
}
# Encoded-words that decode to CR, LF or NUL. The stdlib writes each of these out so that the
# written header is broken or, once a receiver decodes it, contains a line break.
ENCODED = {
    "q": "=?UTF-8?Q?Hi=0ABcc:_eve@evil.example?=",
    "b": "=?utf-8?b?SGkKQmNjOiBldmVAZXZpbC5leGFtcGxl?=",  # "Hi\nBcc: eve@evil.example"
    "mixed_case": "=?uTf-8?q?Hi=0D=0ABcc:_eve@evil.example?=",
    "split_over_two_words": "=?UTF-8?Q?Hi=0D?= =?UTF-8?Q?=0ABcc:_eve@evil.example?=",
    "padded_with_spaces": "  =?UTF-8?Q?=0A?=  ",
    "inside_a_word": "Hi=?utf-8?q?=0A?=Bcc: eve@evil.example",
    "nul": "=?utf-8?q?Hi=00there?=",
    "charset_unicode_escape": r"=?unicode_escape?q?Hi\nBcc:_eve@evil.example?=",
    "charset_utf7": "=?utf-7?q?Hi+AAo-Bcc:_eve@evil.example?=",
    "nested": "=?utf-8?q?=3D=3Futf-8=3Fq=3F=3D0A=3F=3D?=",  # decodes to =?utf-8?q?=0A?=
    "utf7_split_over_two_words": "=?utf-7?q?Hi+AA?= =?utf-7?q?o-Bcc:_eve@evil.example?=",
}
ALL = {**{f"raw_{k}": v for k, v in RAW.items()}, **{f"encoded_{k}": v for k, v in ENCODED.items()}}


def stdlib_only(field: str, value: str) -> bytes:
    """What `EmailMessage` alone writes for `field: value` (raises where the stdlib refuses)."""
    msg = EmailMessage(policy=email.policy.SMTP)
    msg[field] = value
    msg["X-Next"] = "unchanged"
    return msg.as_bytes()


def stdlib_let_through(data: bytes) -> bool:
    """The written header block is broken, gained a field, or decodes to a line break/NUL."""
    head = data.split(b"\r\n\r\n", 1)[0]
    if b"\0" in head or re.search(rb"(?<!\r)\n|\r(?!\n)", head):
        return True
    back = email.message_from_bytes(data, policy=email.policy.default)
    if "Bcc" in back or list(back.keys())[-1:] != ["X-Next"]:
        return True
    return any(re.search("[\0\r\n]", str(value)) for value in back.values())


def decoders_see_a_line_break(value: str) -> bool:
    """email.header's own decoder turns `value` into text with CR, LF or NUL."""
    return re.search("[\0\r\n]", str(make_header(decode_header(value)))) is not None


def build(**overrides: Any) -> EmailMessage:
    fields: dict[str, Any] = {
        "sender": "Zoë Müller <zoe@home.example>",
        "to": ["Ada Lovelace <ada@acme.example>"],
        "subject": "Thank you",
        "body": "Dear Ada,\nthank you.\n",
        "message_id": "<note-2@home.example>",
        "date": WHEN,
    }
    fields.update(overrides)
    return build_message(**fields)


def assert_one_clean_line(exc: BaseException, names: str) -> None:
    text = str(exc)
    assert names in text
    assert "\n" not in text and "\r" not in text and "\0" not in text
    assert isinstance(exc, InvalidInput) and exc.code == ExitCode.INVALID


# --- check_header_value ----------------------------------------------------------------------


@pytest.mark.parametrize("value", ALL.values(), ids=ALL.keys())
def test_check_header_value_refuses_line_breaks_and_nul(value: str) -> None:
    with pytest.raises(HeaderInjection) as caught:
        check_header_value("Subject", value)
    assert_one_clean_line(caught.value, "header Subject")


def test_refusal_escapes_the_control_characters_it_names() -> None:
    with pytest.raises(HeaderInjection) as caught:
        check_header_value("Subject", "Hi\r\n\0Bcc: x")
    assert "Hi\\r\\n\\x00Bcc: x" in str(caught.value)
    with pytest.raises(HeaderInjection, match="once its encoded-words are decoded"):
        check_header_value("Subject", ENCODED["q"])


@pytest.mark.parametrize(
    "value",
    [
        "Thank you — Zoë",
        "=?utf-8?q?caf=C3=A9?=",
        "=?ISO-2022-JP?B?GyRCJEgkbCQkJEskSiRrGyhC?=",  # ESC bytes are not line breaks
        "=?windows-1252?Q?Thanks=85?=",  # byte 0x85 is "…" here, not NEL
        "=?UTF-8?B?w6k=?= =?UTF-8?B?w6k=?=",
        "=?utf-8?q?a?==?utf-8?q?b?=",
        "=?bogus-charset?q?=85?=",
        "Tabs\tare fine",
        "",
        "= ? not an encoded word ?=",
    ],
)
def test_check_header_value_accepts_ordinary_text(value: str) -> None:
    assert check_header_value("Subject", value) == value


@pytest.mark.parametrize("name", ["Subject\r\nBcc", "X-Ü", "Sub ject", "Subject:", ""])
def test_check_header_value_refuses_bad_field_names(name: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_header_value(name, "x")
    assert "\n" not in str(caught.value)


# EmailMessage writes this one out intact; only email.header.decode_header (which joins
# neighbouring words of one charset before decoding) turns it into a line break.
ONLY_DECODE_HEADER_BREAKS = {"utf7_split_over_two_words"}


@pytest.mark.parametrize("case", ENCODED.keys())
def test_the_stdlib_alone_lets_encoded_forms_through(case: str) -> None:
    """Without our check, the stdlib writes every one of these out broken, or decodes it to a
    line break."""
    value = ENCODED[case]
    if case in ONLY_DECODE_HEADER_BREAKS:
        assert decoders_see_a_line_break(value)
    else:
        assert stdlib_let_through(stdlib_only("Subject", value))


@pytest.mark.parametrize("case", ENCODED.keys())
def test_the_stdlib_alone_lets_encoded_forms_through_in_reply_to(case: str) -> None:
    value = f"<parent@acme.example> {ENCODED[case]}"
    if case in ONLY_DECODE_HEADER_BREAKS:
        assert decoders_see_a_line_break(value)
    else:
        assert stdlib_let_through(stdlib_only("In-Reply-To", value))


def test_the_stdlib_grows_a_bcc_header_from_an_encoded_subject() -> None:
    back = email.message_from_bytes(stdlib_only("Subject", ENCODED["q"]))
    assert back["Bcc"] == "eve@evil.example"
    with pytest.raises(HeaderInjection):
        build(subject=ENCODED["q"])


def test_the_stdlib_refuses_raw_line_breaks_but_not_raw_nul() -> None:
    for value in (RAW["crlf"], RAW["lf"], RAW["cr"]):
        with pytest.raises(ValueError):
            stdlib_only("Subject", value)
    assert b"Subject: Hi\0there" in stdlib_only("Subject", RAW["nul"])


# --- the builder refuses injection everywhere ------------------------------------------------


@pytest.mark.parametrize("value", ALL.values(), ids=ALL.keys())
def test_builder_refuses_injection_in_subject(value: str) -> None:
    with pytest.raises(HeaderInjection) as caught:
        build(subject=value)
    assert_one_clean_line(caught.value, "Subject")


@pytest.mark.parametrize("field", ["sender", "to", "cc"])
@pytest.mark.parametrize("value", ALL.values(), ids=ALL.keys())
def test_builder_refuses_injection_in_display_names(field: str, value: str) -> None:
    mailbox = f"{value} <eve@home.example>"
    with pytest.raises(HeaderInjection) as caught:
        build(**{field: mailbox if field == "sender" else [mailbox]})
    assert_one_clean_line(caught.value, "address")


@pytest.mark.parametrize("value", ENCODED.values(), ids=ENCODED.keys())
def test_the_stdlib_alone_accepts_encoded_display_names(value: str) -> None:
    """parseaddr/getaddresses never decode or check a display name: all of these come back
    as "a mailbox". (The header registry's Address does refuse a *decoded* CR/LF with a
    ValueError, but it writes a decoded NUL out raw.)"""
    mailbox = f"{value} <eve@home.example>"
    assert parseaddr(mailbox)[1]
    assert any(addr for _, addr in getaddresses([mailbox]))


def test_the_stdlib_writes_an_encoded_nul_in_a_display_name_raw() -> None:
    assert b"To: Hi\0there <eve@home.example>" in stdlib_only(
        "To", f"{ENCODED['nul']} <eve@home.example>"
    )
    with pytest.raises(ValueError):  # the one case the stdlib catches itself
        stdlib_only("To", f"{ENCODED['q']} <eve@home.example>")


@pytest.mark.parametrize("value", ALL.values(), ids=ALL.keys())
def test_builder_refuses_injection_in_in_reply_to_and_references(value: str) -> None:
    ident = f"<parent@acme.example> {value}"
    with pytest.raises(HeaderInjection) as caught:
        build(in_reply_to=ident)
    assert_one_clean_line(caught.value, "In-Reply-To")
    with pytest.raises(HeaderInjection):
        build(references=[ident])
    with pytest.raises(HeaderInjection):
        build(message_id=ident)


@pytest.mark.parametrize("value", ALL.values(), ids=ALL.keys())
def test_builder_refuses_injection_in_extra_headers(value: str) -> None:
    with pytest.raises(HeaderInjection):
        build(extra_headers={"X-Followup-Step": value})


def test_to_bytes_refuses_a_header_smuggled_in_after_building() -> None:
    msg = build()
    msg["X-Late"] = ENCODED["q"]  # stdlib accepts it
    with pytest.raises(HeaderInjection):
        to_bytes(msg)


# --- addresses -------------------------------------------------------------------------------

MALICIOUS_ADDRESSES = {
    "parenthesis_then_angle": "alice@example.org)<bob@example.com>",
    "two_bare": "a@x.example, b@y.example",
    "quoted_address_as_name_then_another": '"a@x.example" <b@y.example>, c@z.example',
    "empty_group": "undisclosed:;",
    "group_of_one": "Team: a@x.example;",
    "obsolete_route": "<@route.example:a@x.example>",
    "two_angles": "Ada <a@x.example> <b@y.example>",
    "trailing_junk": "<a@x.example> junk",
    "raw_newline": "a@x.example\nBcc: b@y.example",
    "raw_nul": "a@x.example\0",
    "encoded_newline_in_name": "=?utf-8?q?Eve=0ABcc:_x@y.example?= <eve@x.example>",
    "encoded_nul_in_name": "=?utf-8?q?Eve=00?= <eve@x.example>",
    "no_domain": "ada",
    "no_dot_in_domain": "ada@localhost",
    "empty_local_part": "@acme.example",
    "domain_literal": "ada@[192.0.2.1]",
    "double_dot": "ada@acme..example",
    "trailing_dot": "ada@acme.example.",
    "quoted_local_part": '"ada lovelace"@acme.example',
    "empty": "   ",
    "unclosed_angle": "Ada <ada@acme.example",
    "numeric_tld": "ada@192.0.2.1",
}


@pytest.mark.parametrize("text", MALICIOUS_ADDRESSES.values(), ids=MALICIOUS_ADDRESSES.keys())
def test_parse_single_mailbox_refuses(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_single_mailbox(text)
    assert "\n" not in str(caught.value) and "\0" not in str(caught.value)


def test_parseaddr_alone_accepts_the_malicious_shapes() -> None:
    """Why the check exists: parseaddr picks one address out of each, silently."""
    assert parseaddr("alice@example.org)<bob@example.com>") == ("", "alice@example.org")
    assert parseaddr("a@x.example, b@y.example") == ("", "a@x.example")
    assert parseaddr('"a@x.example" <b@y.example>, c@z.example') == ("a@x.example", "b@y.example")
    assert parseaddr("<@route.example:a@x.example>") == ("", "a@x.example")
    assert parseaddr("Team: a@x.example;") == ("", "a@x.example")
    assert parseaddr("Ada <a@x.example> <b@y.example>") == ("Ada", "a@x.example")
    # and the header registry reads the first shape as alice alone (with a defect nobody sees)
    header = email.policy.default.header_factory("From", "alice@example.org)<bob@example.com>")
    assert str(header) == "alice@example.org"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ada Lovelace <ada@acme.example>", ("Ada Lovelace", "ada@acme.example")),
        ('"Lovelace, Ada" <ada@acme.example>', ("Lovelace, Ada", "ada@acme.example")),
        ("bob@acme.example", ("", "bob@acme.example")),
        ("  <bob@ACME.Example>  ", ("", "bob@acme.example")),  # domain lower-cased
        ("Bob.Smith+jobs@acme.example", ("", "Bob.Smith+jobs@acme.example")),
        ("John X. Doe <j@acme.example>", ("John X. Doe", "j@acme.example")),
        ("=?utf-8?q?Zo=C3=AB_M=C3=BCller?= <zoe@acme.example>", ("Zoë Müller", "zoe@acme.example")),
        ("Zoë Müller <zoe@acme.example>", ("Zoë Müller", "zoe@acme.example")),
        ("j@acme.example (John Doe)", ("", "j@acme.example")),  # a comment is not a name
        ("zoe@xn--exmple-cua.org", ("", "zoe@xn--exmple-cua.org")),  # exämple.org as IDNA
        ('"Eve <x@y.example>, z@w.example" <eve@home.example>', None),
    ],
)
def test_parse_single_mailbox_accepts(text: str, expected: tuple[str, str] | None) -> None:
    name, addr = parse_single_mailbox(text)
    if expected is not None:
        assert (name, addr) == expected
    else:  # a display name that looks like addresses is just a name
        assert addr == "eve@home.example" and name == "Eve <x@y.example>, z@w.example"


@pytest.mark.parametrize("text", ["zoë@exämple.org", "ada@exämple.org", "zoë@example.org"])
def test_non_ascii_addresses_are_refused_without_smtputf8(text: str) -> None:
    with pytest.raises(InvalidInput, match="SMTPUTF8"):
        parse_single_mailbox(text)


# --- message ids -----------------------------------------------------------------------------


def test_make_message_id_is_deterministic_with_a_unique_part() -> None:
    assert make_message_id("Home.Example", "note-42.1") == "<note-42.1@home.example>"


def test_make_message_id_is_random_without_one() -> None:
    first, second = make_message_id("home.example"), make_message_id("home.example")
    assert first != second
    assert re.fullmatch(r"<\d+\.\d+\.\d+@home\.example>", first)


@pytest.mark.parametrize(
    ("domain", "unique"),
    [
        ("localhost", "x"),
        ("home.example\n", "x"),
        ("exämple.org", "x"),
        ("home.example", "a b"),
        ("home.example", "a@b"),
        ("home.example", ".a"),
        ("home.example", "a..b"),
        ("home.example", ""),
        ("home.example", "a>\r\nBcc: x"),
    ],
)
def test_make_message_id_refuses(domain: str, unique: str) -> None:
    with pytest.raises(InvalidInput):
        make_message_id(domain, unique)


@pytest.mark.parametrize("value", ["<a@b>", " <a.b@c.example> ", OUTLOOK_ID, "<x@[192.0.2.1]>"])
def test_check_message_id_accepts(value: str) -> None:
    assert check_message_id(value) == value.strip()


@pytest.mark.parametrize("value", ["a@b", "<a@b> <c@d>", "<ab>", "<a b@c>", "<@b>", "<a@b>x"])
def test_check_message_id_refuses(value: str) -> None:
    with pytest.raises(InvalidInput):
        check_message_id(value)


# --- building and round trips ----------------------------------------------------------------

LONG_SUBJECT = (
    "Zoë Müller — thank you for the conversation about the payments platform, the on-call "
    "rota and the migration plan; I enjoyed hearing how the team ships weekly and reviews "
    "every change together before it goes out"
)[:199] + "."
BODY = (
    "Dear Ada,\r\n\r\nthank you for the conversation — it was a pleasure (ünïcödé text).\n"
    + "x" * 1500
    + "\n"
    + "trailing spaces   \n.\nFrom the start of a line\rlast line"
)


def normalized(body: str) -> str:
    text = re.sub(r"\r\n|\r", "\n", body)
    return text if text.endswith("\n") else text + "\n"


def test_round_trip() -> None:
    msg = build(
        sender="Zoë Müller <zoe@home.example>",
        to=["Ada Lovelace <ada@acme.example>", '"Lovelace, Ada" <ada2@acme.example>'],
        cc=["bob@acme.example"],
        subject=LONG_SUBJECT,
        body=BODY,
        message_id="<note-2@home.example>",
        in_reply_to="<note-1@home.example>",
        references=["<root@acme.example>"],
    )
    data = to_bytes(msg)
    assert len(LONG_SUBJECT) == 200

    # the bytes: CRLF everywhere, no line over 998 octets, headers folded at 78, no Bcc
    assert data.endswith(b"\r\n")
    assert re.search(rb"(?<!\r)\n|\r(?!\n)", data) is None
    assert max(len(line) for line in data.split(b"\r\n")) <= 998
    head = data.split(b"\r\n\r\n", 1)[0]
    assert max(len(line) for line in head.split(b"\r\n")) <= 78
    subject_lines = re.search(rb"^Subject:.*?(?=\r\n[^ \t])", head, re.M | re.S)
    assert subject_lines is not None and subject_lines.group().count(b"\r\n") >= 2  # folded
    assert not re.search(rb"^bcc:", head, re.I | re.M)

    back = email.message_from_bytes(data, policy=email.policy.default)
    assert str(back["Subject"]) == LONG_SUBJECT
    assert back["From"].addresses == (Address("Zoë Müller", "zoe", "home.example"),)
    assert back["To"].addresses == (
        Address("Ada Lovelace", "ada", "acme.example"),
        Address("Lovelace, Ada", "ada2", "acme.example"),
    )
    assert back["Cc"].addresses == (Address("", "bob", "acme.example"),)
    assert str(back["Message-ID"]) == "<note-2@home.example>"
    assert str(back["In-Reply-To"]) == "<note-1@home.example>"
    assert str(back["References"]).split() == ["<root@acme.example>", "<note-1@home.example>"]
    assert back["Date"].datetime == WHEN.replace(microsecond=0)
    assert back["Date"].datetime.utcoffset() == timedelta(hours=1)
    assert back.get_content_type() == "text/plain"
    assert back.get_content_charset() == "utf-8"
    assert back["Content-Transfer-Encoding"] == "quoted-printable"
    assert normalized(back.get_content()) == normalized(BODY)  # parsed back with CRLF
    assert envelope_recipients(msg) == ["ada@acme.example", "ada2@acme.example", "bob@acme.example"]


def test_round_trip_of_a_short_ascii_note_is_7bit() -> None:
    back = email.message_from_bytes(to_bytes(build(body="Hi Ada,\nthanks.")))
    assert back["Content-Transfer-Encoding"] == "7bit"
    assert back.get_payload() == "Hi Ada,\r\nthanks.\r\n"


def test_a_display_name_that_looks_like_addresses_stays_one_name() -> None:
    msg = build(to=['"Eve <x@evil.example>, z@evil.example" <eve@acme.example>'])
    back = email.message_from_bytes(to_bytes(msg), policy=email.policy.default)
    assert [a.addr_spec for a in back["To"].addresses] == ["eve@acme.example"]
    assert envelope_recipients(msg) == ["eve@acme.example"]


def test_long_message_ids_are_folded_whole_not_encoded() -> None:
    """The stdlib turns an id longer than a line into an encoded-word; threading then breaks."""
    plain = EmailMessage(policy=email.policy.SMTP)
    plain["In-Reply-To"] = OUTLOOK_ID
    assert b"=?utf-8?q?" in plain.as_bytes()

    refs = ["<root@acme.example>", OUTLOOK_ID, "<b@acme.example>"]
    data = to_bytes(build(in_reply_to=OUTLOOK_ID, references=refs))
    assert f"In-Reply-To: {OUTLOOK_ID}\r\n".encode() in data
    assert f"References: <root@acme.example>\r\n {OUTLOOK_ID}\r\n".encode() in data
    back = email.message_from_bytes(data, policy=email.policy.default)
    assert str(back["In-Reply-To"]) == OUTLOOK_ID
    assert str(back["References"]).split() == refs  # in_reply_to already there: kept once


def test_references_are_the_list_then_in_reply_to_deduplicated_in_order() -> None:
    msg = build(
        references=["<a@x.example>", "<b@x.example>", "<a@x.example>"], in_reply_to="<c@x.example>"
    )
    assert str(msg["References"]).split() == ["<a@x.example>", "<b@x.example>", "<c@x.example>"]
    assert "References" not in build() and "In-Reply-To" not in build()


def test_many_references_fold_between_ids() -> None:
    refs = [f"<note-{i}.with-some-length@home.example>" for i in range(12)]
    data = to_bytes(build(references=refs))
    head = data.split(b"\r\n\r\n", 1)[0]
    assert max(len(line) for line in head.split(b"\r\n")) <= 78
    back = email.message_from_bytes(data, policy=email.policy.default)
    assert str(back["References"]).split() == refs


def test_date_must_be_aware() -> None:
    with pytest.raises(InvalidInput, match="aware"):
        build(date=datetime(2026, 11, 25, 12, 0))
    msg = build(date=datetime(2026, 11, 25, 12, 0, tzinfo=UTC))
    assert msg["Date"] == "Wed, 25 Nov 2026 12:00:00 +0000"
    msg = build(date=datetime(2026, 11, 25, 12, 0, tzinfo=timezone(timedelta(hours=-5))))
    assert msg["Date"] == "Wed, 25 Nov 2026 12:00:00 -0500"


@pytest.mark.parametrize(
    "overrides",
    [
        {"to": []},
        {"to": "ada@acme.example"},  # a string is not a list of addresses
        {"references": "<a@b.example>"},
        {"body": "nul\0byte"},
        {"extra_headers": {"Bcc": "eve@evil.example"}},
        {"extra_headers": {"bcc": "eve@evil.example"}},
        {"extra_headers": {"Reply-To": "eve@evil.example"}},
        {"extra_headers": {"Content-Type": "text/html"}},
        {"extra_headers": {"Resent-To": "eve@evil.example"}},
        {"extra_headers": {"X-A": "1", "x-a": "2"}},
        {"extra_headers": {"X-Ü": "1"}},
    ],
)
def test_builder_refuses(overrides: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput):
        build(**overrides)


def test_no_bcc_is_ever_written() -> None:
    msg = build(extra_headers={"X-Followup-Step": "2"})
    assert "Bcc" not in msg
    msg["Bcc"] = "eve@evil.example"
    with pytest.raises(HeaderInjection, match="Bcc"):
        to_bytes(msg)


def test_extra_headers_are_written() -> None:
    back = email.message_from_bytes(to_bytes(build(extra_headers={"X-Followup-Step": "2"})))
    assert back["X-Followup-Step"] == "2"


def test_message_uses_the_smtp_policy() -> None:
    assert build().policy is POLICY
    assert POLICY.linesep == "\r\n" and POLICY.max_line_length == 78


def test_envelope_recipients_are_deduplicated_addr_specs() -> None:
    msg = build(to=["Ada <ada@acme.example>", "bob@acme.example"], cc=["Ada L <ADA@acme.example>"])
    assert envelope_recipients(msg) == ["ada@acme.example", "bob@acme.example"]


# --- inbound messages we might answer (synthesized fixtures) ---------------------------------


def read_fixture(name: str, policy: Any = email.policy.default) -> EmailMessage:
    # compat32 gives the raw header text (encoded-words and all) as a plain Message
    return cast(
        EmailMessage, email.message_from_bytes((FIXTURES / name).read_bytes(), policy=policy)
    )


def test_replying_to_an_encoded_newline_subject_is_refused() -> None:
    name = "synthesized_subject_encoded_newline_bcc.eml"
    raw = read_fixture(name, email.policy.compat32)["Subject"]
    decoded = str(read_fixture(name)["Subject"])
    assert "\nBcc: attacker@evil.example" in decoded  # the stdlib decodes it into the value
    assert stdlib_let_through(stdlib_only("Subject", f"Re: {raw}"))  # and writes it back out
    for subject in (f"Re: {raw}", f"Re: {decoded}"):
        with pytest.raises(HeaderInjection):
            build(subject=subject)


def test_replying_to_an_encoded_newline_message_id_is_refused() -> None:
    name = "synthesized_message_id_encoded_newline.eml"
    raw = read_fixture(name, email.policy.compat32)["Message-ID"]
    assert stdlib_let_through(stdlib_only("In-Reply-To", raw))
    with pytest.raises(HeaderInjection):
        build(in_reply_to=raw)
    # the default policy's Message-ID parser drops the encoded-word: that value is safe
    msg = build(in_reply_to=str(read_fixture(name)["Message-ID"]))
    assert msg["In-Reply-To"] == "<reply-3@acme.example>"


def test_answering_a_from_with_two_mailboxes_is_refused() -> None:
    name = "synthesized_from_parenthesis_two_mailboxes.eml"
    raw = read_fixture(name, email.policy.compat32)["From"]
    assert parseaddr(raw) == ("", "alice@example.org")
    assert str(read_fixture(name)["From"]) == "alice@example.org"  # bob vanished silently
    with pytest.raises(InvalidInput, match="not exactly one"):
        build(to=[raw])


# --- real third-party messages: CPython's own test corpus ------------------------------------


def cpython_email_corpus() -> Path | None:
    candidates = []
    spec = importlib.util.find_spec("test.test_email")
    if spec is not None and spec.submodule_search_locations:
        candidates += [Path(p) / "data" for p in spec.submodule_search_locations]
    candidates.append(Path(sysconfig.get_paths()["stdlib"]) / "test" / "test_email" / "data")
    return next((c for c in candidates if c.is_dir() and any(c.glob("msg_*.txt"))), None)


CORPUS = cpython_email_corpus()
CORPUS_FILES = sorted(CORPUS.glob("msg_*.txt")) if CORPUS else []
needs_corpus = pytest.mark.skipif(
    CORPUS is None, reason="this interpreter ships without test/test_email/data (no test package)"
)
# From headers in the corpus that are not a deliverable mailbox, refused on purpose.
NOT_A_MAILBOX = {"msg_05.txt": "foo", "msg_43.txt": "MAILER DAEMON <>"}
NOT_A_MESSAGE_ID = {"msg_15.txt": "<xxxx>"}


def unfold(value: str) -> str:
    return re.sub(r"\r?\n(?=[ \t])", "", value)


def corpus_headers(field: str) -> list[tuple[str, str]]:
    """(file name, unfolded raw header value) for every `field` header in the corpus."""
    out = []
    for path in CORPUS_FILES:
        raw = email.message_from_bytes(path.read_bytes(), policy=email.policy.compat32)
        out += [(path.name, unfold(str(value))) for value in raw.get_all(field, [])]
    return out


def check_all(field: str, check: Callable[[str], object], refused: dict[str, str]) -> int:
    checked = 0
    for name, value in corpus_headers(field):
        if name in refused:
            assert value == refused[name]
            with pytest.raises(InvalidInput):
                check(value)
        else:
            check(value)
            checked += 1
    return checked


@needs_corpus
def test_real_from_headers_are_single_mailboxes() -> None:
    assert check_all("From", parse_single_mailbox, NOT_A_MAILBOX) >= 30
    for name, value in corpus_headers("From"):
        if name not in NOT_A_MAILBOX:
            assert parse_single_mailbox(value)[1].lower() == parseaddr(value)[1].lower()


@needs_corpus
def test_real_subjects_pass_the_header_check() -> None:
    assert check_all("Subject", lambda v: check_header_value("Subject", v), {}) >= 30
    for path in CORPUS_FILES:
        decoded = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if decoded["Subject"] is not None:
            check_header_value("Subject", str(decoded["Subject"]))


@needs_corpus
def test_real_message_ids_can_be_answered() -> None:
    assert check_all("Message-ID", check_message_id, NOT_A_MESSAGE_ID) >= 10
    for name, value in corpus_headers("Message-ID"):
        if name not in NOT_A_MESSAGE_ID:
            back = email.message_from_bytes(to_bytes(build(in_reply_to=value)))
            assert back["In-Reply-To"] == value.strip()


# --- mailto ----------------------------------------------------------------------------------


def test_mailto_round_trips_through_urllib() -> None:
    subject = "Thanks & next steps? #2 — Zoë 100%"
    body = "Hi Ada,\nthanks & see you?\n#hashtag = ü + more\r\nbye"
    link = mailto_link("Ada Lovelace <ada+jobs@acme.example>", subject, body)
    assert link.startswith("mailto:ada+jobs@acme.example?subject=Thanks%20%26%20next")
    assert " " not in link and "\n" not in link and "\r" not in link
    assert "%0D%0A" in link and "%20" in link
    parts = urlsplit(link)
    assert (parts.scheme, unquote(parts.path), parts.fragment) == (
        "mailto",
        "ada+jobs@acme.example",
        "",
    )
    fields = parse_qs(parts.query, keep_blank_values=True, strict_parsing=True)
    assert fields == {"subject": [subject], "body": [re.sub(r"\r\n|\n", "\r\n", body)]}


def test_mailto_without_subject_or_body() -> None:
    assert mailto_link("ada@acme.example", "", "") == "mailto:ada@acme.example"


@pytest.mark.parametrize(
    ("to", "subject"),
    [
        ("alice@example.org)<bob@example.com>", "Hi"),
        ("a@x.example, b@y.example", "Hi"),
        ("ada@acme.example", ENCODED["q"]),
        ("ada@acme.example", RAW["lf"]),
    ],
)
def test_mailto_refuses(to: str, subject: str) -> None:
    with pytest.raises(InvalidInput):
        mailto_link(to, subject, "body")


# --- import cost -----------------------------------------------------------------------------


def test_importing_the_module_pulls_in_nothing_heavy() -> None:
    heavy = ["jinja2", "sqlite3", "click", "rich", "holidays", "smtplib", "imaplib", "ssl"]
    code = (
        "import sys, followup.adapters.mail.message\n"
        f"print([m for m in {heavy!r} if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_envelope_recipients_of_a_message_read_back_with_compat32() -> None:
    data = to_bytes(build(to=['"Lovelace, Ada" <ada@acme.example>'], cc=["bob@acme.example"]))
    raw = cast(EmailMessage, email.message_from_bytes(data, policy=email.policy.compat32))
    assert envelope_recipients(raw) == ["ada@acme.example", "bob@acme.example"]
