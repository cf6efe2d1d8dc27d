"""The reply classifier's rules, one by one, on MessageFacts built by hand.

Real messages (CPython's corpus, Mailman's bounce corpus, the synthesized fixtures) go
through the adapter in tests/adapters/test_inbound.py; here each rule is pinned on its own,
with the order of checks, every language, return dates and a property test for "never
raises".
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from followup.domain.replies import (
    Classification,
    Kind,
    MessageFacts,
    classify,
    own_text,
    return_date,
)

NOV_25 = date(2026, 11, 25)  # a Wednesday
OUR_ID = "<20261124100000.a1b2c3d4e5f60718@home.example>"


def facts(**fields: object) -> MessageFacts:
    base: dict[str, object] = {
        "message_id": "<x1@acme.example>",
        "from_addr": "ada@acme.example",
        "from_name": "Ada Lovelace",
        "to_addrs": ("jamie@home.example",),
        "subject": "Re: Thank you for Monday's interview",
        "references": (OUR_ID,),
        "body_text": "Hi Jamie,\n\nThanks for the note. We will be in touch by Friday.\n\nAda\n",
    }
    base.update(fields)
    return MessageFacts(**base)  # type: ignore[arg-type]


def kind_of(**fields: object) -> Kind:
    return classify(facts(**fields), NOV_25).kind


DAEMON = {
    "from_addr": "mailer-daemon@mail.home.example",
    "from_name": "Mail Delivery System",
    "references": (),
    "return_path": "",
}


# --- 1. bounces: RFC 3464 structure -------------------------------------------------------------


def test_a_dsn_with_action_failed_is_a_bounce_for_those_recipients() -> None:
    result = classify(
        facts(
            **DAEMON,
            content_type="multipart/report",
            report_type="delivery-status",
            dsn_actions=("failed", "delivered"),
            dsn_statuses=("5.1.1", "2.0.0"),
            dsn_recipients=("ada@acme.example", "bob@acme.example"),
            dsn_original_recipients=("", ""),
        ),
        NOV_25,
    )
    assert result == Classification(
        Kind.BOUNCE,
        "DSN Action: failed for ada@acme.example",
        None,
        ("ada@acme.example",),
        language="en",
    )


def test_a_failed_recipient_is_the_original_recipient_when_the_report_names_it() -> None:
    result = classify(
        facts(
            **DAEMON,
            dsn_actions=("failed",),
            dsn_recipients=("ada.l@mailhost.acme.example",),
            dsn_original_recipients=("ada@acme.example",),
        )
    )
    assert result.failed_recipients == ("ada@acme.example",)


def test_action_error_counts_as_failed_as_mailman_reads_it() -> None:
    assert kind_of(**DAEMON, dsn_actions=("error",), dsn_recipients=("a@b.example",)) is Kind.BOUNCE


@pytest.mark.parametrize("action", ["delayed", "relayed", "delivered", "expanded"])
def test_a_dsn_without_a_failure_is_not_a_bounce(action: str) -> None:
    result = classify(
        facts(
            **DAEMON,
            subject="Delivery Status Notification",
            report_type="delivery-status",
            dsn_actions=(action,),
            dsn_statuses=("4.4.1" if action == "delayed" else "2.0.0",),
            dsn_recipients=("hr@slow.example",),
        )
    )
    # history only: the note may still arrive, so nothing waits as for an out-of-office
    assert result.kind is Kind.NOTIFICATION
    assert result.failed_recipients == ()
    if action == "delayed":
        assert result.reason == (
            "delayed delivery warning, not a bounce (DSN Action: delayed for hr@slow.example)"
        )
    else:
        assert result.reason.startswith("delivery report, not a bounce")


def test_a_failure_beside_a_delay_is_a_bounce() -> None:
    result = classify(
        facts(**DAEMON, dsn_actions=("delayed", "failed"), dsn_recipients=("a@x.ex", "b@y.ex"))
    )
    assert (result.kind, result.failed_recipients) == (Kind.BOUNCE, ("b@y.ex",))


def test_a_report_without_a_readable_action_is_read_by_its_status_code() -> None:
    base = {**DAEMON, "report_type": "delivery-status", "dsn_actions": ("",)}
    bounce = classify(facts(**base, dsn_statuses=("5.2.2",), dsn_recipients=("a@x.example",)))
    assert (bounce.kind, bounce.failed_recipients) == (Kind.BOUNCE, ("a@x.example",))
    assert bounce.reason == "DSN Status: 5.x.x for a@x.example"
    warning = classify(facts(**base, dsn_statuses=("4.2.2",), dsn_recipients=("a@x.example",)))
    assert warning.kind is Kind.NOTIFICATION
    assert "not a bounce" in warning.reason


def test_a_delivery_status_report_with_nothing_readable_is_still_a_bounce() -> None:
    result = classify(
        facts(from_addr="foo", references=(), subject="bar", report_type="delivery-status")
    )
    assert result.kind is Kind.BOUNCE
    assert result.reason == (
        "bounce: a delivery-status report without a readable Action (failed: an unnamed recipient)"
    )


def test_a_read_receipt_is_unrelated_but_a_sieve_reject_is_a_bounce() -> None:
    receipt = classify(
        facts(subject="Read: Thank you", report_type="disposition-notification", references=())
    )
    assert receipt.kind is Kind.UNRELATED
    assert "read receipt" in receipt.reason
    reject = classify(
        facts(
            from_addr="admin@domain.example",
            from_name="Mail Delivery Subsystem",
            subject="Automatically rejected mail",
            report_type="disposition-notification",
            body_text="Your message to <ada@acme.example> was automatically rejected:\n"
            "Quota exceeded",
        )
    )
    assert (reject.kind, reject.failed_recipients) == (Kind.BOUNCE, ("ada@acme.example",))


def test_bounce_structure_is_checked_before_auto_reply_headers() -> None:
    result = classify(
        facts(
            **DAEMON,
            headers=(("auto-submitted", "auto-replied"),),
            dsn_actions=("failed",),
            dsn_recipients=("ada@acme.example",),
        )
    )
    assert result.kind is Kind.BOUNCE


# --- 1. bounces: common non-DSN shapes ------------------------------------------------------------


@pytest.mark.parametrize(
    ("sender", "subject", "body", "failed"),
    [
        (
            "MAILER-DAEMON@mail.example",
            "Undelivered Mail Returned to Sender",
            "I'm sorry to have to inform you that your message could not\nbe delivered to one"
            " or more recipients.\n\n<ada@acme.example>: host said: 550 5.1.1 User unknown\n",
            ("ada@acme.example",),
        ),
        (
            "mailer-daemon@googlemail.com",
            "Delivery Status Notification (Failure)",
            "Delivery to the following recipient failed permanently:\n\n"
            "     ada@acme.example\n\nTechnical details of permanent failure:\n",
            ("ada@acme.example",),
        ),
        (
            "Mailer-Daemon@mx.example",
            "Mail delivery failed: returning message to sender",
            "This message was created automatically by mail delivery software.\n\nA message "
            "that you sent could not be delivered to one or more of its\nrecipients. This is "
            "a permanent error. The following address(es) failed:\n\n  ada@acme.example\n",
            ("ada@acme.example",),
        ),
        (
            "postmaster@acme.example",
            "Undeliverable: Thank you for Monday's interview",
            "Delivery has failed to these recipients or groups:\n\nada@acme.example\nThe email"
            " address you entered couldn't be found.\n",
            ("ada@acme.example",),
        ),
        (
            "MAILER-DAEMON@mx.example",
            "failure notice",
            "Hi. This is the qmail-send program at mx.example.\nI'm afraid I wasn't able to "
            "deliver your message to the following addresses.\nThis is a permanent error; "
            "I've given up. Sorry it didn't work out.\n\n<ada@acme.example>:\nSorry, no "
            "mailbox here by that name. (#5.1.1)\n\n--- Below this line is a copy of the "
            "message.\n\nFrom: Jamie <jamie@home.example>\nTo: Bob <bob@other.example>\n",
            ("ada@acme.example",),
        ),
        (
            "postmaster@acme.example",
            "Delivery Notification",
            "Delivery has failed to these recipients or groups:\n\nada@acme.example\n",
            ("ada@acme.example",),
        ),
        (
            "MAILER-DAEMON@mail.example",
            "Unzustellbar: Vielen Dank",
            "Die Nachricht konnte nicht zugestellt werden an: ada@acme.example\n",
            ("ada@acme.example",),
        ),
    ],
)
def test_common_non_dsn_bounces(sender: str, subject: str, body: str, failed: tuple[str]) -> None:
    result = classify(
        facts(from_addr=sender.lower(), from_name="", subject=subject, body_text=body)
    )
    assert result.kind is Kind.BOUNCE, result
    assert result.failed_recipients == failed
    assert result.reason.startswith(f"bounce from {sender.lower()}: ")


def test_x_failed_recipients_names_the_addresses() -> None:
    result = classify(
        facts(
            **DAEMON,
            subject="Mail delivery failed: returning message to sender",
            headers=(("x-failed-recipients", "ada@acme.example, bob@acme.example"),),
            body_text="The following address(es) failed:\n  ada@acme.example\n  other@x.example",
        )
    )
    assert result.failed_recipients == ("ada@acme.example", "bob@acme.example")
    assert "X-Failed-Recipients" in result.reason


def test_a_bounce_phrase_from_a_person_is_not_a_bounce() -> None:
    result = classify(
        facts(
            subject="Re: Undeliverable address on your CV?",
            body_text="Hi Jamie, the phone number on your CV seems wrong. Can you resend it?",
        )
    )
    assert result.kind is Kind.HUMAN


def test_a_bounce_phrase_in_subject_and_body_is_a_bounce_whatever_the_sender() -> None:
    result = classify(
        facts(
            from_addr="inetgw1@bigcorp.example",
            subject="Mail could not be delivered",
            body_text="The following mail could not be delivered.\nReason: Exceeded Maximum "
            "Delivery Attempts.",
            references=(),
        )
    )
    assert result.kind is Kind.BOUNCE


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        ("Warning: message 1q2w3e delayed 24 hours", "This message was created automatically."),
        ("Delivery Status Notification (Delay)", "THIS IS A WARNING MESSAGE ONLY."),
        (
            "Delivery failure notification",
            "could not be delivered to the following recipients:\n\nada@acme.example\n\n"
            "Delivery attempts will continue to be made for 5 day(s).",
        ),
        ("Mail delivery problem", "Your message has not yet been delivered to ada@acme.example"),
    ],
)
def test_non_dsn_delay_warnings_are_not_bounces(subject: str, body: str) -> None:
    result = classify(facts(**DAEMON, subject=subject, body_text=body))
    assert result.kind is Kind.NOTIFICATION
    assert result.reason.startswith("delayed delivery warning, not a bounce")
    assert result.failed_recipients == ()


def test_a_warning_that_says_the_failure_is_permanent_is_a_bounce() -> None:
    result = classify(
        facts(
            **DAEMON,
            subject="Mail delivery failed",
            body_text="Delivery was delayed and then failed permanently for ada@acme.example.",
        )
    )
    assert result.kind is Kind.BOUNCE


# --- 2. auto-reply headers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "value", "reason"),
    [
        ("auto-submitted", "auto-replied", "RFC 3834 Auto-Submitted: auto-replied"),
        ("auto-submitted", "auto-generated", "RFC 3834 Auto-Submitted: auto-generated"),
        ("auto-submitted", "auto-replied (vacation)", "RFC 3834 Auto-Submitted: auto-replied"),
        (
            "auto-submitted",
            "auto-notified; owner-email=a@b",
            "RFC 3834 Auto-Submitted: auto-notified",
        ),
        ("x-autoreply", "yes", "X-Autoreply: yes"),
        ("x-autorespond", "Out of office", "X-Autorespond: Out of office"),
        ("precedence", "auto_reply", "Precedence: auto_reply"),
        ("precedence", "bulk", "Precedence: bulk (no List-* headers)"),
        ("precedence", "junk", "Precedence: junk (no List-* headers)"),
        ("x-precedence", "auto_reply", "X-Precedence: auto_reply"),
    ],
)
def test_auto_reply_headers(header: str, value: str, reason: str) -> None:
    result = classify(facts(headers=((header, value),)), NOV_25)
    assert (result.kind, result.reason) == (Kind.AUTO_REPLY, reason)


@pytest.mark.parametrize(
    ("header", "value"), [("auto-submitted", "no"), ("auto-submitted", "No"), ("x-autoreply", "no")]
)
def test_headers_that_say_no_are_not_auto_replies(header: str, value: str) -> None:
    assert kind_of(headers=((header, value),)) is Kind.HUMAN


def test_an_empty_return_path_is_an_automaton_when_it_is_not_a_bounce() -> None:
    result = classify(facts(return_path=""), NOV_25)
    assert (result.kind, result.reason) == (
        Kind.AUTO_REPLY,
        "empty Return-Path (<>): sent by an automaton",
    )
    assert kind_of(return_path=None) is Kind.HUMAN
    assert kind_of(return_path="ada@acme.example") is Kind.HUMAN


def test_x_auto_response_suppress_alone_is_a_person_outlook_sets_it_on_human_mail() -> None:
    for value in ("All", "OOF", "DR, RN, NRN, OOF, AutoReply"):
        assert kind_of(headers=(("x-auto-response-suppress", value),)) is Kind.HUMAN


def test_x_auto_response_suppress_counts_with_an_auto_reply_looking_body() -> None:
    body = "Thanks for your message. The team is out of the office until December 7."
    # a weak phrase alone (not in the first person): a person may write it
    assert kind_of(body_text=body) is Kind.HUMAN
    suppress = (("x-auto-response-suppress", "All"),)
    result = classify(facts(body_text=body, headers=suppress), NOV_25)
    assert result == Classification(
        Kind.AUTO_REPLY,
        'X-Auto-Response-Suppress: All and body says "out of the office"',
        date(2026, 12, 7),
        language="en",
    )
    # …and with an auto-reply subject (which alone would decide, by step 3)
    result = classify(facts(subject="Automatic reply: Thanks", headers=suppress), NOV_25)
    assert result.reason == "X-Auto-Response-Suppress: All and subject says Automatic reply"


def test_precedence_bulk_on_list_mail_is_left_to_the_list_check() -> None:
    headers = (("precedence", "bulk"), ("list-id", "<jobs.example>"))
    assert kind_of(headers=headers, references=()) is Kind.UNRELATED
    assert kind_of(headers=headers) is Kind.HUMAN  # a reply through a list
    majordomo = (("precedence", "bulk"), ("sender", "owner-freebsd-isp@FreeBSD.ORG"))
    assert kind_of(headers=majordomo, references=()) is Kind.UNRELATED


def test_auto_reply_headers_come_before_list_headers() -> None:
    headers = (("auto-submitted", "auto-generated"), ("list-unsubscribe", "<mailto:u@x>"))
    assert kind_of(headers=headers, references=()) is Kind.AUTO_REPLY


# --- 3. auto-reply phrases ---------------------------------------------------------------------

SUBJECTS = [
    ("Out of Office: Thank you", "Out of Office"),
    ("Automatic reply: Thank you for Monday's interview", "Automatic reply"),
    ("Auto: Thank you", "Auto:"),
    ("AutoReply: Thank you", "AutoReply"),
    ("OOO until Monday", "OOO"),
    ("Abwesenheitsnotiz: Vielen Dank", "Abwesenheitsnotiz"),
    ("Automatische Antwort: Vielen Dank", "Automatische Antwort"),
    ("Absence du bureau : Merci", "Absence du bureau"),
    ("Réponse automatique : Merci", "Réponse automatique"),
    ("Fuera de la oficina: Gracias", "Fuera de la oficina"),
    ("Respuesta automática: Gracias", "Respuesta automática"),
    ("Afwezigheidsbericht: Bedankt", "Afwezigheidsbericht"),
    ("Automatisch antwoord: Bedankt", "Automatisch antwoord"),
    ("Risposta automatica: Grazie", "Risposta automatica"),
    ("Fuori ufficio: Grazie", "Fuori ufficio"),
    ("Resposta automática: Obrigado", "Resposta automática"),
    ("Ausência temporária", "Ausência"),
]


@pytest.mark.parametrize(("subject", "phrase"), SUBJECTS)
def test_auto_reply_subjects_in_several_languages(subject: str, phrase: str) -> None:
    result = classify(facts(subject=subject, body_text="Thank you for your message."), NOV_25)
    assert result.kind is Kind.AUTO_REPLY
    assert result.reason == f"subject says {phrase}"


BODIES = [
    "I am out of the office until Monday, December 7, with limited access to e-mail.",
    "Thank you for your email. I'm currently out of the office.",
    "I am on annual leave and will respond when I return.",
    "This is an automatic reply: I am travelling.",
    "Ich bin bis zum 7. Dezember nicht im Büro.",
    "Vielen Dank für Ihre Nachricht. Ich bin derzeit nicht im Büro.",
    "Je suis absente jusqu'au 7 décembre.",
    "Bonjour, je suis actuellement en congés.",
    "Estoy fuera de la oficina hasta el 7 de diciembre.",
    "Ik ben tot en met 7 december afwezig.",
    "Sono fuori ufficio fino al 7 dicembre.",
    "Estou de férias até 7 de dezembro.",
]


@pytest.mark.parametrize("body", BODIES)
def test_auto_reply_bodies_in_several_languages(body: str) -> None:
    result = classify(facts(subject="Re: Thank you", body_text=body), NOV_25)
    assert result.kind is Kind.AUTO_REPLY, body
    assert result.reason.startswith('body says "')


@pytest.mark.parametrize(
    "body",
    [
        "Sorry for the slow reply, I was on vacation last week. Yes, Tuesday works.",
        "Thanks! We are out of office on Friday, so let's talk on Monday.",
        "Great talking to you. I'll be back in touch soon.",
    ],
)
def test_a_person_mentioning_an_absence_is_still_a_person(body: str) -> None:
    assert kind_of(body_text=body) is Kind.HUMAN


def test_a_reply_in_a_thread_an_out_of_office_passed_through_is_a_person() -> None:
    assert kind_of(subject="Re: Automatic reply: Thank you") is Kind.HUMAN
    assert kind_of(subject="AW: Abwesenheitsnotiz: Vielen Dank") is Kind.HUMAN
    assert kind_of(subject="Automatic reply: RE: Thank you") is Kind.AUTO_REPLY


@pytest.mark.parametrize(
    "quoted",
    [
        "> I am out of the office until December 7.",
        "On Mon, 23 Nov 2026 at 10:00, Ada <ada@acme.example> wrote:\n"
        "I am out of the office until December 7.",
        "-----Original Message-----\nI am out of the office until December 7.",
        "________________________________\nFrom: Ada\nI am out of the office.",
        "From: Ada Lovelace <ada@acme.example>\nSent: Monday, November 23, 2026\n"
        "I am out of the office.",
        "Am 23.11.2026 um 10:00 schrieb Ada Lovelace <ada@acme.example>:\n"
        "Ich bin bis zum 7. Dezember nicht im Büro.",
        "Le lun. 23 nov. 2026 à 10:00, Ada <ada@acme.example> a écrit :\n"
        "Je suis absente jusqu'au 7 décembre.",
    ],
)
def test_phrases_in_quoted_history_do_not_count(quoted: str) -> None:
    body = f"Thanks Jamie, see you on Tuesday.\n\n{quoted}\n"
    assert kind_of(body_text=body) is Kind.HUMAN
    assert own_text(body).strip() == "Thanks Jamie, see you on Tuesday."


# --- 4. unrelated: list mail and no-reply senders ----------------------------------------------


@pytest.mark.parametrize(
    ("headers", "sender", "reason"),
    [
        ((("list-unsubscribe", "<https://x.example/u>"),), "news@x.example", "List-Unsubscribe"),
        ((("list-id", "<jobs.x.example>"),), "news@x.example", "List-Id"),
        ((("precedence", "list"),), "news@x.example", "Precedence: list"),
        ((), "noreply@ats.example", "no-reply sender noreply@ats.example"),
        ((), "no-reply@ats.example", "no-reply sender no-reply@ats.example"),
        ((), "notifications@ats.example", "no-reply sender notifications@ats.example"),
        ((), "donotreply@ats.example", "no-reply sender donotreply@ats.example"),
    ],
)
def test_newsletters_and_notifications_that_are_not_replies_are_unrelated(
    headers: tuple[tuple[str, str], ...], sender: str, reason: str
) -> None:
    result = classify(facts(headers=headers, from_addr=sender, references=()))
    assert result.kind is Kind.UNRELATED
    assert result.reason.startswith(reason)


def test_a_reply_from_a_no_reply_relay_or_a_list_is_left_to_a_person() -> None:
    assert kind_of(from_addr="no-reply@ats.example") is Kind.HUMAN
    assert kind_of(headers=(("list-id", "<team.acme.example>"),)) is Kind.HUMAN


def test_a_person_is_the_default_reply_or_not() -> None:
    reply = classify(facts())
    assert reply.kind is Kind.HUMAN
    assert reply.reason == f"a reply (to {OUR_ID}) with no automated signal"
    fresh = classify(facts(references=()))
    assert (fresh.kind, fresh.reason) == (Kind.HUMAN, "no automated signal: a person wrote it")


# --- return dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "received", "expected"),
    [
        ("I am out of the office until Monday, December 7.", NOV_25, date(2026, 12, 7)),
        ("I'll be back on 7 December.", NOV_25, date(2026, 12, 7)),
        ("Back on the 7th of December.", NOV_25, date(2026, 12, 7)),
        ("Returning on Dec 7th, 2026.", NOV_25, date(2026, 12, 7)),
        ("Returning on 2026-12-07.", NOV_25, date(2026, 12, 7)),
        # slashed: the soonest reading on or after the anchor
        ("I am away until 12/07.", NOV_25, date(2026, 12, 7)),
        ("I am away until 07/12.", NOV_25, date(2026, 12, 7)),
        ("I am away until 12/07/2026.", NOV_25, date(2026, 12, 7)),
        ("I am away until 25/12.", NOV_25, date(2026, 12, 25)),
        ("Ich bin bis zum 7. Dezember nicht im Büro.", NOV_25, date(2026, 12, 7)),
        ("Ich bin bis 07.12.2026 nicht im Büro.", NOV_25, date(2026, 12, 7)),
        ("Ab dem 8. Dezember bin ich wieder erreichbar.", NOV_25, date(2026, 12, 8)),
        ("Je suis absente jusqu'au 7 décembre.", NOV_25, date(2026, 12, 7)),
        ("Je suis absente jusqu\u2019au 1er décembre.", NOV_25, date(2026, 12, 1)),
        ("De retour le 7 décembre.", NOV_25, date(2026, 12, 7)),
        ("Estoy fuera hasta el 7 de diciembre de 2026.", NOV_25, date(2026, 12, 7)),
        ("Ik ben tot en met 7 december afwezig.", NOV_25, date(2026, 12, 7)),
        ("Sono fuori ufficio fino al 7 dicembre.", NOV_25, date(2026, 12, 7)),
        ("Estou de férias até 7 de dezembro.", NOV_25, date(2026, 12, 7)),
        # a range: the end
        ("Out of office from December 1 to December 7.", NOV_25, date(2026, 12, 7)),
        ("Abwesend vom 1. bis 7. Dezember.", NOV_25, date(2026, 12, 7)),
        # a weekday alone: the next one after the anchor (a Wednesday)
        ("Back on Monday.", NOV_25, date(2026, 11, 30)),
        ("Back on Wednesday.", NOV_25, date(2026, 12, 2)),
        # a year rollover: earlier in the year than the anchor means next year
        ("I am out until January 5.", date(2026, 12, 20), date(2027, 1, 5)),
        ("Estoy fuera hasta el 4 de enero.", date(2026, 12, 28), date(2027, 1, 4)),
        ("I am out until November 20.", NOV_25, date(2027, 11, 20)),
        ("I am out until November 25.", NOV_25, date(2026, 11, 25)),
        ("Back on February 29.", NOV_25, date(2028, 2, 29)),
        # nothing to read
        ("I am out of the office.", NOV_25, None),
        ("I'll be back soon.", NOV_25, None),
        ("Back on 31/02.", NOV_25, None),
        ("Call me on 0170/123456 until then.", NOV_25, None),
    ],
)
def test_return_dates(text: str, received: date, expected: date | None) -> None:
    assert return_date("", text, received) == expected


def test_a_return_date_without_an_anchor_needs_a_year() -> None:
    assert return_date("", "back on December 7", None) is None
    assert return_date("", "back on 12/07/2026", None) == date(2026, 12, 7)  # English: m/d
    assert return_date("", "bis 12/07/2026", None) == date(2026, 7, 12)  # otherwise d/m
    assert return_date("", "back on 2026-12-07", None) == date(2026, 12, 7)


def test_the_return_date_comes_from_the_subject_too() -> None:
    result = classify(facts(subject="Out of Office until Dec 7", body_text=""), NOV_25)
    assert result.return_date == date(2026, 12, 7)


def test_without_received_the_message_date_anchors_the_year() -> None:
    result = classify(
        facts(
            subject="Out of Office",
            body_text="I am out until January 5.",
            date=datetime(2026, 12, 20, 9, 0, tzinfo=UTC),
        )
    )
    assert result.return_date == date(2027, 1, 5)


def test_only_an_auto_reply_carries_a_return_date_and_only_a_bounce_failures() -> None:
    text = "I'll be back on December 7."
    assert classify(facts(body_text=text), NOV_25).return_date is None
    delayed = classify(
        facts(**DAEMON, body_text=text, dsn_actions=("delayed",), dsn_recipients=("a@b.ex",))
    )
    assert delayed.return_date is None


# --- never raises ---------------------------------------------------------------------------------

FRAGMENTS = [
    "out of office", "I am out of the office until ", "back on ", "Monday, ", "December ",
    "7", "12/07", "31/02", "2026-12-07", "7. Dezember", "jusqu'au ", "hasta el ", "de ",
    "> ", "\n", "On Mon wrote:\n", "-----Original Message-----", "undeliverable",
    "I'm afraid I wasn't able to deliver", "has not yet been delivered", "permanent",
    "<a@b.example>", "ada@acme.example", "Re: ", "Automatic reply: ", "29. Februar",
    "from ", " to ", "–", "\u0130", "ß", "\x00", "=?utf-8?q?x?=", "Message-ID: <x@y>",
]  # fmt: skip
texts = st.one_of(
    st.text(max_size=60),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=25).map("".join),
)
HEADER_NAMES = [
    "auto-submitted", "x-autoreply", "x-autorespond", "precedence", "x-precedence",
    "x-auto-response-suppress", "list-id", "list-unsubscribe", "sender", "x-failed-recipients",
    "x-loop", "subject",
]  # fmt: skip
actions = st.sampled_from(["failed", "delayed", "delivered", "relayed", "expanded", "error", ""])
message_facts = st.builds(
    MessageFacts,
    message_id=st.none() | texts,
    from_addr=st.none() | texts | st.sampled_from(["mailer-daemon@x.ex", "noreply@x.ex"]),
    from_name=texts,
    to_addrs=st.lists(texts, max_size=3).map(tuple),
    subject=texts,
    date=st.none() | st.datetimes(timezones=st.just(UTC)),
    references=st.lists(texts, max_size=3).map(tuple),
    headers=st.lists(
        st.tuples(st.sampled_from(HEADER_NAMES) | st.text(max_size=10), texts), max_size=6
    ).map(tuple),
    return_path=st.none() | st.just("") | texts,
    content_type=st.sampled_from(["text/plain", "multipart/report", "text/html"]) | texts,
    report_type=st.none() | st.sampled_from(["delivery-status", "disposition-notification"]),
    dsn_actions=st.lists(actions | texts, max_size=4).map(tuple),
    dsn_statuses=st.lists(st.sampled_from(["5.1.1", "4.4.1", "2.0.0", ""]) | texts, max_size=4).map(
        tuple
    ),
    dsn_recipients=st.lists(texts, max_size=4).map(tuple),
    body_text=texts,
    attached_ids=st.lists(texts, max_size=3).map(tuple),
    dsn_original_recipients=st.lists(texts, max_size=2).map(tuple),
)


@settings(max_examples=200, deadline=None)
@given(message_facts, st.none() | st.dates())
def test_classify_never_raises_and_always_explains(
    facts_: MessageFacts, received: date | None
) -> None:
    result = classify(facts_, received)
    assert isinstance(result.kind, Kind)
    assert result.reason and "\n" not in result.reason
    if result.return_date is not None:
        assert result.kind is Kind.AUTO_REPLY
    if result.failed_recipients:
        assert result.kind is Kind.BOUNCE
    assert classify(facts_, received) == result  # pure: the same facts, the same verdict


@pytest.mark.parametrize("anchor", [date.min, date.max, date(9999, 12, 27)])
def test_return_dates_at_the_ends_of_the_calendar(anchor: date) -> None:
    for text in ("back on Monday", "until December 31", "until January 1", "back 12/31"):
        found = return_date("", text, anchor)
        assert found is None or found >= anchor


@settings(max_examples=200, deadline=None)
@given(texts, texts, st.none() | st.dates())
def test_return_date_never_raises(subject: str, body: str, anchor: date | None) -> None:
    found = return_date(subject, body, anchor)
    assert found is None or isinstance(found, date)


@pytest.mark.parametrize(
    "body",
    [
        "a" * 20_000,
        "On " * 7_000,
        "-" * 20_000,
        "1/" * 10_000,
        "back on " * 2_500,
        "7. " * 7_000,
        "> " * 10_000,
        "@" * 20_000,
        "x@" * 10_000,
        "ada@acme.example " * 1_200,
        "=" * 20_000,
        "*" * 20_000,
        "-- " * 7_000,
        "a" * 20_000 + "@",
        "<" * 20_000,
        "On Mon " + "x" * 20_000,
        "I am " * 4_000,
        "\n" * 20_000,
    ],
)
def test_pathological_text_is_handled(body: str) -> None:
    for subject in ("", body[:500]):
        classify(facts(body_text=body, subject=subject), NOV_25)
        classify(facts(**DAEMON, body_text=body, subject=subject or "failure notice"), NOV_25)


# --- a cold trial's inbox (session 15) -----------------------------------------------------------


@pytest.mark.parametrize(
    "subject",
    [
        "Accepted: Interview - Jamie / Ada",
        "Tentatively Accepted: Final round",
        "Tentative: Final round",
        "Declined: Coffee chat",
        "Akzeptiert: Vorstellungsgespräch",
        "Accepté : Entretien",
        "Aceptado: Entrevista",
    ],
)
def test_a_calendars_answer_to_an_invitation_is_no_reply(subject: str) -> None:
    """Outlook's and Google's "Accepted: …" ended the sequence as a reply."""
    result = classify(facts(subject=subject, references=(), body_text="Ada has accepted."))
    assert result.kind is Kind.NOTIFICATION
    assert "not a reply to your note" in result.reason


def test_a_calendar_reply_part_is_no_reply_and_a_person_saying_accepted_is() -> None:
    assert kind_of(calendar_method="reply", subject="Coffee chat") is Kind.NOTIFICATION
    assert kind_of(subject="Re: Accepted: Coffee chat") is Kind.HUMAN  # a person, in the thread


@pytest.mark.parametrize(
    ("subject", "body", "back"),
    [
        ("不在のお知らせ", "12月2日まで休暇をいただいております。", date(2026, 12, 2)),
        ("Re: Thank you", "11月30日まで不在にしております。", date(2026, 11, 30)),
        ("自動応答: Thank you", "ありがとうございます。", None),
    ],
)
def test_a_japanese_out_of_office_without_headers(subject: str, body: str, back: object) -> None:
    """Read as a person's reply, it ended the sequence."""
    result = classify(facts(subject=subject, body_text=body), NOV_25)
    assert (result.kind, result.return_date) == (Kind.AUTO_REPLY, back)


@pytest.mark.parametrize(
    "body",
    [
        "Thanks so much for the note. I'm on vacation until December 7, but you're still in"
        " the running.",
        "I'm out of the office until Monday but wanted to say thanks. We'll be in touch about"
        " next steps.",
        "Thank you for the kind note! I am on leave until the 4th; great meeting you.",
    ],
)
def test_a_person_who_mentions_being_away_is_a_person(body: str) -> None:
    assert kind_of(body_text=body) is Kind.HUMAN


@pytest.mark.parametrize(
    "body",
    [
        "Thank you for your email. I am on vacation until December 7 with limited access to"
        " email. For urgent matters please contact hr@acme.example.",
        "Thank you for your message. I'm out of the office until Monday.",
    ],
)
def test_an_out_of_office_template_is_still_one(body: str) -> None:
    assert kind_of(body_text=body) is Kind.AUTO_REPLY


def test_a_mailing_without_list_headers_is_unrelated_unless_it_answers() -> None:
    """A company newsletter from a person-looking address ended the sequence."""
    mailing = "This month we opened our Berlin office.\n\nUnsubscribe | Manage preferences"
    assert kind_of(references=(), body_text=mailing) is Kind.UNRELATED
    assert kind_of(references=(), from_addr="news@acme.example") is Kind.UNRELATED
    # a reply in the thread keeps its footer and is still a person's
    assert kind_of(body_text=f"Thanks for the note!\n\n--\n{mailing}") is Kind.HUMAN


@pytest.mark.parametrize(
    "body",
    [
        "Please note I have left Northwind Analytics and this mailbox is no longer monitored.",
        "I am no longer with Acme. Please contact careers@acme.example.",
        "Ada Lovelace has left the company. For hiring questions write to hr@acme.example.",
        "Ich bin nicht mehr im Unternehmen tätig.",
    ],
)
def test_an_auto_reply_saying_they_left_is_a_dead_address(body: str) -> None:
    """A cold trial (session 15): it deferred the next note a week, to a dead mailbox."""
    result = classify(facts(headers=(("auto-submitted", "auto-replied"),), body_text=body))
    assert (result.kind, result.failed_recipients) == (Kind.BOUNCE, ("ada@acme.example",))
    assert result.reason.endswith("the address reaches nobody")


@pytest.mark.parametrize(
    "body",
    [
        "I have left the office for the holidays and will be back on 4 January.",
        "I have left instructions with my team; I am out of the office until Monday.",
    ],
)
def test_an_absence_that_mentions_leaving_is_still_an_absence(body: str) -> None:
    result = classify(facts(headers=(("auto-submitted", "auto-replied"),), body_text=body))
    assert result.kind is Kind.AUTO_REPLY


# --- a cold trial's inbox, second round (session 15) --------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "I'm out of the office until Monday, but quickly: we'd love to have you in for a second"
        " round. Our recruiter will send some slots.",
        "I'm on vacation until Monday but saw your note: thank you!",
        "Estoy fuera de la oficina, pero gracias: el equipo quiere una segunda entrevista.",
    ],
)
def test_a_person_away_who_answers_the_note_is_a_person_still(body: str) -> None:
    assert kind_of(body_text=body) is Kind.HUMAN


@pytest.mark.parametrize(
    ("subject", "body", "back"),
    [
        ("自动回复: Thank you", "感谢您的来信。我目前休假，12月3日返回办公室。", date(2026, 12, 3)),
        ("自動回覆: Thank you", "我目前不在辦公室，將於12月3日返回。", date(2026, 12, 3)),
        ("자동 회신: Thank you", "저는 12월 3일까지 부재중입니다.", date(2026, 12, 3)),
        ("Re: Thank you", "저는 12월 3일까지 부재중입니다.", date(2026, 12, 3)),
        ("Re: Thank you", "Thank you for your email, I'm on parental leave until the end of"
         " February.", date(2027, 2, 28)),
    ],
)  # fmt: skip
def test_chinese_and_korean_out_of_office_and_a_months_end(
    subject: str, body: str, back: date
) -> None:
    """Read as replies, they ended the sequence; "the end of February" gave no date."""
    result = classify(facts(subject=subject, body_text=body), NOV_25)
    assert (result.kind, result.return_date) == (Kind.AUTO_REPLY, back)


def test_gmails_delay_notice_is_no_bounce() -> None:
    """ "You'll be notified if the delivery fails permanently" read as a permanent failure."""
    body = (
        "** Message not delivered yet **\n\nThere was a temporary problem delivering your"
        " message to ada@acme.example. Gmail will retry for 45 more hours. You'll be notified"
        " if the delivery fails permanently.\n"
    )
    result = classify(
        facts(**DAEMON, subject="Delivery Status Notification (Delay)", body_text=body)
    )
    assert (result.kind, result.failed_recipients) == (Kind.NOTIFICATION, ())


def test_a_person_writing_through_the_companys_google_group_is_no_mailing() -> None:
    result = classify(
        facts(
            from_addr="recruiting@acme.example",
            from_name="Carla Mendes via Recruiting",
            references=(),
            headers=(("list-id", "<recruiting.acme.example>"), ("precedence", "list")),
            body_text="The team enjoyed meeting you; we'll get back to you by Friday.",
        )
    )
    assert result.kind is Kind.HUMAN


@pytest.mark.parametrize(
    ("headers", "body"),
    [
        ((("auto-submitted", "auto-generated"),), "Tom Becker is no longer with Kestrel"
         " Robotics and this mailbox is not monitored."),
        ((), "Hello, I have left Kestrel Robotics. Please contact people@kestrel.example."),
    ],
)  # fmt: skip
def test_a_message_saying_its_writer_left_is_a_dead_address(
    headers: tuple[tuple[str, str], ...], body: str
) -> None:
    result = classify(facts(headers=headers, body_text=body))
    assert (result.kind, result.failed_recipients) == (Kind.BOUNCE, ("ada@acme.example",))


def test_a_colleague_saying_someone_left_is_a_person() -> None:
    """Only the leaver's own mailbox is dead: a colleague telling it is a reply."""
    body = "Hi Jamie, Tom is no longer with us; I am taking over your application."
    assert kind_of(body_text=body) is Kind.HUMAN
