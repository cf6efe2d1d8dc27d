"""Reading inbound messages into MessageFacts: synthesized fixtures, broken input, and two
real corpora nobody here wrote (GUIDE §4) — CPython's test_email data and the Mailman bounce
corpus of flufl.bounce, fetched at test time by tests/corpus.py.
"""

from __future__ import annotations

import ast
import email
import email.policy
import re
from datetime import UTC, date, datetime, timedelta, timezone
from email.message import Message
from email.utils import parseaddr
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from followup.adapters.mail.inbound import facts_from_bytes, html_to_text
from followup.domain.replies import Kind, MessageFacts, classify
from tests.corpus import cpython_email_data, flufl_bounce_root

MAIL = Path(__file__).parent.parent / "fixtures" / "mail"
OUR_NOTE = "<20261124100000.a1b2c3d4e5f60718@home.example>"


def read(name: str) -> MessageFacts:
    return facts_from_bytes((MAIL / name).read_bytes())


# --- the synthesized fixtures, field by field ----------------------------------------------------


def test_a_dsn_bounce_keeps_our_message_id_only_in_attached_ids() -> None:
    facts = read("synthesized_bounce_with_our_message_id_attached.eml")
    assert facts.message_id == "<20261125100005.7C1D02C0F4@mail.home.example>"
    assert (facts.from_addr, facts.from_name) == (
        "mailer-daemon@mail.home.example",
        "Mail Delivery System",
    )
    assert facts.to_addrs == ("jamie@home.example",)
    assert facts.subject == "Undelivered Mail Returned to Sender"
    assert facts.date == datetime(2026, 11, 25, 11, 0, 5, tzinfo=timezone(timedelta(hours=1)))
    assert facts.references == ()
    assert facts.return_path == ""
    assert (facts.content_type, facts.report_type) == ("multipart/report", "delivery-status")
    assert facts.dsn_actions == ("failed",)
    assert facts.dsn_statuses == ("5.1.1",)
    assert facts.dsn_recipients == ("ada@acme.example",)
    assert facts.dsn_original_recipients == ("ada@acme.example",)
    assert facts.body_text.startswith("This is the mail system at host mail.home.example.")
    assert facts.attached_ids == ("<20261125100000.d4e5f60718293a4b@home.example>", OUR_NOTE)
    assert ("auto-submitted", "auto-replied") in facts.headers
    verdict = classify(facts)
    assert (verdict.kind, verdict.failed_recipients) == (Kind.BOUNCE, ("ada@acme.example",))


def test_a_delayed_dsn_is_a_warning_and_its_headers_part_gives_attached_ids() -> None:
    facts = read("synthesized_delayed_dsn.eml")
    assert facts.dsn_actions == ("delayed",)
    assert facts.dsn_statuses == ("4.4.1",)
    assert facts.attached_ids == ("<20261126095838.e5f60718293a4b5c@home.example>",)
    verdict = classify(facts)
    assert verdict.kind is Kind.NOTIFICATION
    assert verdict.reason == (
        "delayed delivery warning, not a bounce (DSN Action: delayed for hr@slow.example)"
    )


def test_an_outlook_out_of_office_with_only_a_subject() -> None:
    facts = read("synthesized_ooo_no_rfc3834_headers.eml")
    assert facts.from_addr == "ada.lovelace@acme.example"  # lower-cased
    assert facts.references == (OUR_NOTE,)  # In-Reply-To and References, deduplicated
    assert facts.return_path is None
    assert not any(name == "auto-submitted" for name, _ in facts.headers)
    assert ("x-ms-has-attach", "") in facts.headers
    verdict = classify(facts)
    assert (verdict.kind, verdict.reason) == (Kind.AUTO_REPLY, "subject says Automatic reply")
    assert verdict.return_date == date(2026, 12, 7)


def test_a_german_out_of_office_decodes_and_gives_its_return_date() -> None:
    facts = read("synthesized_ooo_german_with_return_date.eml")
    assert facts.subject == "Abwesenheitsnotiz: Vielen Dank für das Gespräch"
    assert facts.from_name == "Jörg Müller"
    assert "bis zum 7. Dezember nicht im Büro" in " ".join(facts.body_text.split())
    verdict = classify(facts)
    assert verdict.kind is Kind.AUTO_REPLY
    assert verdict.reason == "RFC 3834 Auto-Submitted: auto-replied"
    assert verdict.return_date == date(2026, 12, 7)


def test_a_french_html_only_out_of_office_is_read_as_text() -> None:
    facts = read("synthesized_ooo_french_html_only.eml")
    assert facts.subject == "Réponse automatique : Merci pour l'entretien"
    assert facts.from_name == "Céline Dupont"
    assert facts.content_type == "text/html"
    assert "<" not in facts.body_text
    assert "p{margin" not in facts.body_text and "Réponse" not in facts.body_text  # style, title
    text = " ".join(facts.body_text.split())  # &nbsp; is white space, as in a browser
    assert "Je suis absente du bureau jusqu\u2019au 7 décembre inclus" in text
    verdict = classify(facts)
    assert verdict.reason == "X-Auto-Response-Suppress: All and subject says Réponse automatique"
    assert verdict.return_date == date(2026, 12, 7)


def test_a_spanish_out_of_office_in_late_december_returns_next_year() -> None:
    facts = read("synthesized_ooo_spanish_year_rollover.eml")
    assert facts.body_text.startswith("Hola:")  # undeclared 8-bit body, declared utf-8
    verdict = classify(facts)
    assert verdict.kind is Kind.AUTO_REPLY
    assert verdict.return_date == date(2027, 1, 4)


def test_a_human_reply_marked_by_outlook_with_x_auto_response_suppress() -> None:
    facts = read("synthesized_human_reply_with_x_auto_response_suppress.eml")
    assert ("x-auto-response-suppress", "All") in facts.headers
    assert "I'll get back to you by Friday" in " ".join(facts.body_text.split())
    verdict = classify(facts)
    assert verdict.kind is Kind.HUMAN  # the quoted "I am out of the office" is Jamie's


def test_a_human_reply_quoting_an_out_of_office_phrase() -> None:
    facts = read("synthesized_human_reply_quoting_ooo_phrase.eml")
    assert facts.references == (
        "<20261125090000.c3d4e5f607182930@home.example>",
        "<20261119140000.0f1e2d3c4b5a6978@home.example>",
    )
    assert facts.body_text.startswith("Hi Jamie,")  # text/plain preferred to text/html
    assert classify(facts).kind is Kind.HUMAN


def test_the_html_of_a_reply_marks_its_quoted_part() -> None:
    raw = (MAIL / "synthesized_human_reply_quoting_ooo_phrase.eml").read_text()
    html = raw.split('Content-Type: text/html; charset="UTF-8"', 1)[1]
    text = html_to_text(html)
    assert text.splitlines()[0] == "Hi Jamie,"
    assert '> I got your auto-reply ("I am out of the office until 26 November"), so I am' in text
    assert "\n> Jamie" in text


def test_a_newsletter() -> None:
    facts = read("synthesized_newsletter.eml")
    assert facts.references == ()
    assert dict(facts.headers)["list-id"] == "Jobs Weekly <weekly.jobs-weekly.example>"
    verdict = classify(facts)
    assert verdict.kind is Kind.UNRELATED


@pytest.mark.parametrize(
    ("name", "ids", "failed"),
    [
        (
            "synthesized_bounce_qmail_pasted_original.eml",
            (
                "<20261125115958.18293a4b5c6d7e8f@home.example>",
                "<20261120090000.293a4b5c6d7e8f90@home.example>",
                "<20261123090000.3a4b5c6d7e8f9001@home.example>",
            ),
            ("b.babbage@oldcorp.example",),
        ),
        (
            "synthesized_bounce_exchange_ndr_non_dsn.eml",
            (
                "<20261125130540.4b5c6d7e8f900112@home.example>",
                "<20261120130000.5c6d7e8f90011223@home.example>",
            ),
            ("alan.turing@bigcorp.example",),
        ),
    ],
)
def test_original_headers_pasted_into_a_bounce_body_give_attached_ids(
    name: str, ids: tuple[str, ...], failed: tuple[str, ...]
) -> None:
    facts = read(name)
    assert facts.references == ()
    assert facts.attached_ids == ids
    verdict = classify(facts)
    assert (verdict.kind, verdict.failed_recipients) == (Kind.BOUNCE, failed)


def test_an_invitation_s_calendar_part_gives_its_method() -> None:
    ics = Path(__file__).parent.parent / "fixtures" / "ics" / "synthesized_invite_request.eml"
    assert facts_from_bytes(ics.read_bytes()).calendar_method == "request"
    # no method= parameter: the part's METHOD line; a calendar inside a returned message,
    # or none at all: nothing
    raw = (
        b"From: a@b.example\r\nSubject: x\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n"
        b"--B\r\nContent-Type: text/plain\r\n\r\nSee you.\r\n"
        b"--B\r\nContent-Type: text/calendar\r\n\r\nBEGIN:VCALENDAR\r\nMETHOD:CANCEL\r\n"
        b"END:VCALENDAR\r\n--B--\r\n"
    )
    assert facts_from_bytes(raw).calendar_method == "cancel"
    inside = raw.replace(b"Content-Type: text/calendar", b"Content-Type: message/rfc822\r\n\r\n"
                         b"Content-Type: text/calendar")  # fmt: skip
    assert facts_from_bytes(inside).calendar_method == ""
    assert read("synthesized_newsletter.eml").calendar_method == ""


def test_a_date_in_minus_0000_is_utc() -> None:
    facts = read("synthesized_bounce_qmail_pasted_original.eml")
    assert facts.date == datetime(2026, 11, 25, 12, 0, 1, tzinfo=UTC)


# --- broken input: never raises, returns what it can ---------------------------------------------


def test_nothing_gives_empty_facts() -> None:
    assert facts_from_bytes(b"") == MessageFacts()


def test_max_body_caps_the_text() -> None:
    raw = b"From: a@b.example\r\nSubject: long\r\n\r\n" + b"word " * 10_000
    assert len(facts_from_bytes(raw).body_text) == 20_000
    assert len(facts_from_bytes(raw, max_body=100).body_text) == 100


BROKEN = {
    "unknown charset": b"From: x@y.example\nContent-Type: text/plain; charset=ansi_x3.110-1983"
    b"\n\nGracias por contactar con nosotros!! tendr\xe1s noticias\n",
    "broken encoded-words": b"Subject: =?utf-8?B?!!!?= =?nope?Q?caf=E9?= =?utf-8?q?ok?=\n"
    b"From: =?utf-8?b?w6k?= <a@b.example>\n\nx\n",
    "raw utf-8 headers": "Subject: Grüße aus Köln\nFrom: Jörg <j@k.example>\n\nx\n".encode(),
    "raw latin-1 headers": "Subject: Grüße\nFrom: Jörg <j@k.example>\n\nx\n".encode("latin-1"),
    "no colon": b"this is not a header\nnor this\n\nbody\n",
    "nul and cr": b"Subject: a\x00b\rc\r\nFrom: <>\r\n\r\n\x00\x00",
    "missing boundary": b"Content-Type: multipart/mixed\n\n--x\nContent-Type: text/plain\n\nhi\n",
    "unterminated boundary": b"Content-Type: multipart/report; report-type=delivery-status; "
    b'boundary="b"\n\n--b\nContent-Type: message/delivery-status\n\n'
    b"Action: failed\nFinal-Recipient: rfc822;",
    "base64 rfc822": b'Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: '
    b"message/rfc822\nContent-Transfer-Encoding: base64\n\nTWVzc2FnZS1JRDogPGFAYj4K\n--b--\n",
    "qp delivery-status": b"Content-Type: multipart/report; report-type=delivery-status; "
    b'boundary="b"\n\n--b\nContent-Type: message/delivery-status\n'
    b"Content-Transfer-Encoding: quoted-printable\n\n"
    b"Final-Recipient: rfc822; a=40b.example\nAction: failed\n--b--\n",
    "bad date": b"Date: Thu, 31 Feb 99999 25:61:61 +9999\nFrom: a@b.example\n\nx\n",
    "bad base64 body": b"Content-Type: text/plain\nContent-Transfer-Encoding: base64\n\n!!!=\n",
    "html only garbage": b"Content-Type: text/html\n\n<<<><div><blockquote><p></div></p>&#xffffff;",
    "deep nesting": b"".join(
        b'Content-Type: multipart/mixed; boundary="b%d"\n\n--b%d\n' % (i, i) for i in range(400)
    ),
    "long header": b"Subject: " + b"x" * 100_000 + b"\nReferences: " + b"<a@b> " * 5_000 + b"\n\n",
    "return path forms": b"Return-Path: <>\nReturn-Path: <later@x.example>\n\n",
}


@pytest.mark.parametrize("raw", BROKEN.values(), ids=BROKEN.keys())
def test_broken_input_never_raises(raw: bytes) -> None:
    facts = facts_from_bytes(raw)
    assert isinstance(facts, MessageFacts)
    classify(facts, date(2026, 11, 25))


def test_what_broken_input_still_gives() -> None:
    assert facts_from_bytes(BROKEN["raw utf-8 headers"]).subject == "Grüße aus Köln"
    assert facts_from_bytes(BROKEN["raw latin-1 headers"]).from_name == "Jörg"
    assert "tendrás" in facts_from_bytes(BROKEN["unknown charset"]).body_text
    broken_words = facts_from_bytes(BROKEN["broken encoded-words"])
    assert broken_words.subject.endswith("ok")
    assert facts_from_bytes(BROKEN["bad date"]).date is None
    assert facts_from_bytes(BROKEN["return path forms"]).return_path == ""
    assert facts_from_bytes(BROKEN["qp delivery-status"]).dsn_actions == ("failed",)
    assert facts_from_bytes(BROKEN["qp delivery-status"]).dsn_recipients == ("a@b.example",)
    assert facts_from_bytes(BROKEN["unterminated boundary"]).dsn_actions == ("failed",)
    assert facts_from_bytes(BROKEN["base64 rfc822"]).attached_ids == ("<a@b>",)
    assert len(facts_from_bytes(BROKEN["long header"]).references) == 1  # deduplicated


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=3_000))
def test_random_bytes_never_raise(raw: bytes) -> None:
    classify(facts_from_bytes(raw))


MIME_BITS = [
    b"Content-Type: multipart/report; report-type=delivery-status; boundary=b\n",
    b"Content-Type: message/delivery-status\n", b"Content-Type: message/rfc822\n",
    b"Content-Type: text/rfc822-headers\n", b"Content-Type: text/html; charset=x-bogus\n",
    b"Content-Transfer-Encoding: base64\n", b"Content-Transfer-Encoding: quoted-printable\n",
    b"\n", b"--b\n", b"--b--\n", b"Action: failed\n", b"Final-Recipient: rfc822; a@b\n",
    b"Message-ID: <x@y>\n", b"Subject: =?utf-8?q?=C3=A9?=\n", b"From: <>\n", b"\xff\xfe",
    b"----- Original message -----\n", b"In-Reply-To: <z@w>\n", b"<blockquote>",
]  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(MIME_BITS) | st.binary(max_size=20), max_size=40))
def test_random_mime_never_raises(parts: list[bytes]) -> None:
    classify(facts_from_bytes(b"".join(parts)))


# --- CPython's test_email corpus ------------------------------------------------------------------

# The delivery-status reports in the corpus, and whom they name as failed.
CPYTHON_BOUNCES = {
    "msg_05.txt": (),  # a report-type=delivery-status skeleton without a status part
    "msg_16.txt": ("jangel1@cougar.noc.ucla.edu",),
    "msg_25.txt": ("scoffman@wellpartner.com",),  # its boundary parameter is cut short
    "msg_43.txt": None,  # 25 recipients blocked at dot.ca.gov, redacted: 11 distinct
}


@pytest.fixture(scope="module")
def cpython_data() -> Path:
    return cpython_email_data()


def test_every_file_in_the_cpython_corpus_is_read_without_raising(cpython_data: Path) -> None:
    files = sorted(p for p in cpython_data.iterdir() if p.is_file())
    assert len(files) >= 60  # 48 messages, and images and sounds as garbage input
    for path in files:
        facts = facts_from_bytes(path.read_bytes())
        classify(facts, date(2026, 11, 25))


def test_the_cpython_dsns_are_bounces_and_nothing_else_is(cpython_data: Path) -> None:
    messages = sorted(cpython_data.glob("msg_*.txt"))
    assert len(messages) >= 45
    bounces = {}
    for path in messages:
        verdict = classify(facts_from_bytes(path.read_bytes()))
        if verdict.kind is Kind.BOUNCE:
            bounces[path.name] = verdict.failed_recipients
    assert set(bounces) == set(CPYTHON_BOUNCES)
    for name, failed in CPYTHON_BOUNCES.items():
        if failed is not None:
            assert bounces[name] == failed, name
    assert len(bounces["msg_43.txt"]) == 11
    assert all(a.endswith("@dot.ca.gov") for a in bounces["msg_43.txt"])


def test_the_cpython_dsn_fields(cpython_data: Path) -> None:
    facts = facts_from_bytes((cpython_data / "msg_16.txt").read_bytes())
    assert facts.report_type is None  # Content-Type: multipart/report without report-type
    assert (facts.dsn_actions, facts.dsn_statuses) == (("failed",), ("5.0.0",))
    assert facts.return_path == ""
    assert facts.attached_ids == ("<002001c144a6$8752e060$56104586@oxy.edu>",)
    assert ("list-id", "SoCal-Raves <scr.socal-raves.org>") in facts.headers
    facts = facts_from_bytes((cpython_data / "msg_43.txt").read_bytes())
    assert (facts.from_addr, facts.from_name) == (None, "MAILER DAEMON")  # From: MAILER DAEMON <>
    assert facts.dsn_actions == ("failed",) * 25


def _compat32(path: Path) -> Message:
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.compat32)


def test_ids_and_senders_agree_with_the_stdlib_on_the_whole_corpus(cpython_data: Path) -> None:
    """An independent reading (compat32, email.utils) of every message's basic fields."""
    checked = 0
    for path in sorted(cpython_data.glob("msg_*.txt")):
        facts = facts_from_bytes(path.read_bytes())
        plain = _compat32(path)
        ids = re.findall(r"<[^<>\s]+>", str(plain.get("message-id", "")))
        assert facts.message_id == (ids[0] if ids else None), path.name
        sender = parseaddr(str(plain.get("from", "")))[1].lower()
        assert (facts.from_addr or "") == sender, path.name
        assert facts.content_type == plain.get_content_type(), path.name
        checked += 1
    assert checked >= 45


# --- the Mailman bounce corpus (flufl.bounce) -----------------------------------------------------

# What flufl.bounce's own table (tests/test_detectors.py) leaves out or lists without an
# address: our reading of those messages, each checked by hand.
EXTRA_PERMANENT = {
    "bounce_01.txt": "Jetmail 'Mail Error': cannot be delivered (mailbox full); no full address",
    "dumbass_01.txt": "InterScan 'Mail could not be delivered'; the address is nowhere in it",
    "simple_42.txt": "Exim DSN, Action: failed for a redacted 'david...@gmail.com'",
    "simple_43.txt": "'Mail delivery failed' from ndr@; the address is redacted",
}
NOT_BOUNCES = {
    "groupwise_03.txt": (Kind.HUMAN, "a person's reply (flufl: 'not a bounce but has confused')"),
    "qmail_08.txt": (Kind.AUTO_REPLY, "an auto-reply: 'Auto reply', Precedence: auto_reply"),
}
# Permanent failures whose failed address we read differently from flufl.bounce: both
# name the recipient by a bare local part, which no address pattern can find.
ADDRESS_EXCEPTIONS = {
    "aol_01.txt": "names the AOL screen name alone ('screenname'), no domain",
    "yale_01.txt": "names the user alone ('userx'); the text lists example addresses",
    "llnl_01.txt": "also lists the directory's suggestions (lastnameNumber@, user4@)",
}
# Reports whose returned message replies to someone: that id must stay out of `references`.
IN_REPLY_TO_ONLY_ATTACHED = {
    "bounce_01.txt": ("<3A7F26CB.BE85C96F@esec.com.au>", Kind.BOUNCE),  # pasted in the body
    "dsn_02.txt": ("<3A448735.4DF3C95C@schneider-kamp.de>", Kind.BOUNCE),
    "dsn_04.txt": ("<ubsn7hte7.fsf@ctwd0143.fitlinxx.com>", Kind.BOUNCE),
    "dsn_08.txt": ("<20011003223154.D27261@zope.com>", Kind.NOTIFICATION),  # a delay
}


class Flufl:
    def __init__(self, root: Path) -> None:
        self.data = root / "tests" / "data"
        self.files = sorted(p.name for p in self.data.glob("*.txt"))
        table = _detector_table(root / "tests" / "test_detectors.py")
        self.permanent: dict[str, set[str]] = {}
        self.temporary: set[str] = set()
        for _module, name, addresses, is_temporary in table:
            if is_temporary:
                self.temporary.add(name)
            elif addresses:
                found = self.permanent.setdefault(name, set())
                found.update(a.decode().lower() for a in addresses)
        for name in EXTRA_PERMANENT:
            self.permanent.setdefault(name, set())

    def facts(self, name: str) -> MessageFacts:
        return facts_from_bytes((self.data / name).read_bytes())


def _detector_table(path: Path) -> list[tuple[str, str, list[bytes], bool]]:
    """flufl.bounce's (detector, file, expected addresses, is_temporary) table, read as data."""
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "DETECTORS" for t in node.targets
        ):
            table: list[tuple[str, str, list[bytes], bool]] = ast.literal_eval(node.value)
            return table
    raise AssertionError(f"no DETECTORS table in {path}")


@pytest.fixture(scope="module")
def flufl() -> Flufl:
    # Fetched from PyPI on first use (cached under .cache/corpus/); a failed fetch fails.
    return Flufl(flufl_bounce_root())


def test_the_corpus_is_all_accounted_for(flufl: Flufl) -> None:
    assert len(flufl.files) == 117
    accounted = set(flufl.permanent) | flufl.temporary | set(NOT_BOUNCES)
    assert set(flufl.files) == accounted
    assert (len(flufl.permanent), len(flufl.temporary)) == (104, 11)


def test_every_permanent_failure_is_a_bounce(flufl: Flufl) -> None:
    wrong = {}
    for name in flufl.permanent:
        verdict = classify(flufl.facts(name))
        if verdict.kind is not Kind.BOUNCE:
            wrong[name] = verdict
    assert wrong == {}


def test_failed_addresses_match_flufl_bounce(flufl: Flufl) -> None:
    exact = 0
    for name, expected in flufl.permanent.items():
        if not expected:
            continue
        got = set(classify(flufl.facts(name)).failed_recipients)
        if name in ADDRESS_EXCEPTIONS:
            assert got != expected, f"{name} now reads right: drop it from ADDRESS_EXCEPTIONS"
        else:
            assert got == expected, name
            exact += 1
    assert exact == 97


def test_delays_and_warnings_are_not_bounces(flufl: Flufl) -> None:
    for name in flufl.temporary:
        verdict = classify(flufl.facts(name))
        assert verdict.kind is Kind.NOTIFICATION, (name, verdict)  # history only
        assert verdict.reason.startswith("delayed delivery warning, not a bounce"), name
        assert verdict.failed_recipients == ()
        assert verdict.company is None, name  # a mail system names no employer


def test_messages_that_are_not_bounces_at_all(flufl: Flufl) -> None:
    for name, (kind, _why) in NOT_BOUNCES.items():
        assert classify(flufl.facts(name)).kind is kind, name


def test_an_id_inside_a_returned_message_is_never_a_reference(flufl: Flufl) -> None:
    for name, (replied_to, kind) in IN_REPLY_TO_ONLY_ATTACHED.items():
        facts = flufl.facts(name)
        assert replied_to in facts.attached_ids, name
        assert replied_to not in facts.references, name
        assert classify(facts).kind is kind, name
    # dsn_14 replies at top level (In-Reply-To of the bounce itself): a reference, yet a bounce
    facts = flufl.facts("dsn_14.txt")
    assert facts.references == ("<mailman.2721.1143482819.1567.gpc-talk@grizz.org>",)
    assert classify(facts).kind is Kind.BOUNCE


def test_every_attached_message_id_is_found_and_kept_apart(flufl: Flufl) -> None:
    """Checked against an independent reading: the stdlib's compat32 walk of each message."""
    seen = 0
    for name in flufl.files:
        facts = flufl.facts(name)
        plain = _compat32(flufl.data / name)
        top = " ".join(str(plain.get(h, "")) for h in ("in-reply-to", "references"))
        for part in plain.walk():
            if part.get_content_type() != "message/rfc822" or not part.is_multipart():
                continue
            inner = part.get_payload(0)
            if not isinstance(inner, Message):
                continue
            for found in re.findall(r"<[^<>\s]+>", str(inner.get("message-id", ""))):
                assert found in facts.attached_ids, (name, found)
                if found not in top:
                    assert found not in facts.references, (name, found)
                seen += 1
    assert seen >= 15
