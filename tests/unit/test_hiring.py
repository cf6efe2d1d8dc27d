"""The hiring side's kinds (issue #15), rule by rule, on MessageFacts built by hand: the order
of the checks, conditions, quotes and forwards, platforms, mail systems, languages, company
and role. The labelled corpus measures them together (test_hiring_mail_corpus.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from followup.adapters.mail.inbound import facts_from_bytes
from followup.domain.replies import Kind, MessageFacts, classify
from followup.domain.replies.hiring import ats_platform, company_and_role, language

NOV_25 = date(2026, 11, 25)
GREENHOUSE = {"from_addr": "no-reply@us.greenhouse-mail.io", "from_name": "Acme Analytics"}


def facts(**fields: object) -> MessageFacts:
    base: dict[str, object] = {
        "message_id": "<x1@acme.example>",
        "from_addr": "dana@acme.example",
        "from_name": "Dana Whitfield",
        "subject": "Your application",
        "body_text": "Hi Sam,\n\nThanks for the note.\n\nDana\n",
    }
    base.update(fields)
    return MessageFacts(**base)  # type: ignore[arg-type]


def kind_of(body: str, **fields: object) -> Kind:
    return classify(facts(body_text=body, **fields), NOV_25).kind


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        # "thank you for your interest" is an acknowledgement's words: the rejection wins
        (
            "Thank you for your interest in Acme. We will not be moving forward with your"
            " application.",
            Kind.REJECTION,
        ),
        # "unable to offer" is an offer's words: the rejection wins
        ("After much thought we are unable to offer you the position.", Kind.REJECTION),
        ("We are delighted to offer you the position of Data Engineer.", Kind.OFFER),
        # an invitation is no offer, and it wins over the thanks it opens with
        (
            "Thank you for applying! We'd like to offer you an interview. Are you available"
            " on Tuesday?",
            Kind.SCHEDULING,
        ),
        # the job advert that Spanish calls an "oferta" is no offer
        (
            "Gracias por tu interés en nuestra oferta de Ingeniero. Hemos recibido tu candidatura.",
            Kind.ACKNOWLEDGEMENT,
        ),
        # a closed role's notice also says it will not move forward: closed wins
        (
            "The position has been put on hold, so we will not be moving forward for now.",
            Kind.ROLE_CLOSED,
        ),
        # "unfortunately" in a confirmation
        (
            "We have received your application. Unfortunately we cannot reply to everyone"
            " individually.",
            Kind.ACKNOWLEDGEMENT,
        ),
    ],
)
def test_the_order_of_the_checks_settles_ambiguous_words(body: str, kind: Kind) -> None:
    assert kind_of(body) is kind


@pytest.mark.parametrize(
    "body",
    [
        "We have received your application. If you do not hear from us within 14 days, please"
        " consider your application unsuccessful.",
        "Wir haben Ihre Bewerbung erhalten. Sollten Sie bis dahin nichts von uns hören, ist die"
        " Stelle anderweitig besetzt.",
        "Nous avons bien reçu votre candidature. Sans réponse de notre part sous 3 semaines,"
        " considérez que votre candidature n'a pas été retenue.",
        "Wij hebben je sollicitatie ontvangen. Als je binnen drie weken niets hoort, ben je"
        " helaas niet geselecteerd.",
    ],
)
def test_a_conditional_rejection_in_a_confirmation_is_no_rejection(body: str) -> None:
    assert kind_of(body, **GREENHOUSE) is Kind.ACKNOWLEDGEMENT


def test_an_ats_still_under_review_notice_is_an_acknowledgement_not_the_answer() -> None:
    """A cold trial (session 15): Greenhouse's mass "your application is still under review
    and we will be in touch" was read as the employer's answer and stopped the follow-ups."""
    body = (
        "Hi Priya,\n\nThanks again for your interest in the ML Engineer role at Kestrel"
        " Robotics. We wanted to let you know your application is still under review and we"
        " will be in touch.\n\nKestrel Robotics Recruiting\n"
    )
    sender = {"from_addr": "no-reply@us.greenhouse-mail.io", "from_name": "Kestrel Robotics"}
    assert kind_of(body, **sender) is Kind.ACKNOWLEDGEMENT


def test_an_invitation_in_a_condition_invites_to_nothing() -> None:
    body = "Thanks for applying to Acme! We will be in touch if we'd like to schedule an interview."
    assert kind_of(body, **GREENHOUSE) is Kind.ACKNOWLEDGEMENT


def test_a_reminder_that_offers_to_reschedule_is_a_notification() -> None:
    body = (
        "This is a reminder that your interview is scheduled for tomorrow at 14:00. If you"
        " need to reschedule, pick a new time here."
    )
    assert kind_of(body, **GREENHOUSE) is Kind.NOTIFICATION


def test_a_reply_quoting_a_rejection_template_is_judged_by_its_own_words() -> None:
    body = (
        "Happy to share feedback. Shall we talk on Thursday?\n\n"
        "On Mon, 23 Nov 2026 at 09:14, Acme <no-reply@hire.lever.co> wrote:\n"
        "> Unfortunately we have decided not to move forward with your application.\n"
    )
    result = classify(facts(body_text=body, references=("<n1@home.example>",)), NOV_25)
    assert result.kind is Kind.HUMAN


def test_a_forwarded_rejection_is_a_rejection_whatever_the_forwarder_adds() -> None:
    body = (
        "Forwarding in case the candidate portal email went to spam. Sorry!\n\n"
        "---------- Forwarded message ---------\n"
        "From: Acme <no-reply@ashbyhq.com>\n"
        "Subject: Your application\n\n"
        "We've decided to move forward with another candidate.\n"
    )
    result = classify(facts(subject="Fwd: Your application", body_text=body), NOV_25)
    assert result.kind is Kind.REJECTION
    assert result.reason.endswith("(in the forwarded message)")


def test_a_recruiter_s_out_of_office_is_an_auto_reply_whatever_it_says_of_applications() -> None:
    body = (
        "I am out of the office until 7 December. If your message concerns an application or"
        " interview scheduling, please share your availability with recruiting@acme.example."
    )
    result = classify(facts(body_text=body), NOV_25)
    assert (result.kind, result.return_date) == (Kind.AUTO_REPLY, date(2026, 12, 7))


def test_an_automated_rejection_is_a_rejection_not_an_auto_reply() -> None:
    """Workday marks its mail Auto-Submitted and writes "this is an automated message"."""
    result = classify(
        facts(
            from_addr="pinecrest@myworkday.com",
            from_name="Pinecrest Bank",
            headers=(("auto-submitted", "auto-generated"), ("precedence", "bulk")),
            body_text="This is an automated message. We regret to inform you that you have not"
            " been selected for this position.",
        ),
        NOV_25,
    )
    assert result.kind is Kind.REJECTION
    assert result.reason == 'rejection: the text says "regret to inform" (Workday)'


@pytest.mark.parametrize(
    ("address", "platform"),
    [
        ("no-reply@us.greenhouse-mail.io", "Greenhouse"),
        ("no-reply@greenhouse-mail.io", "Greenhouse"),
        ("no-reply@hire.lever.co", "Lever"),
        ("acme@myworkday.com", "Workday"),
        ("no-reply@ashbyhq.com", "Ashby"),
        ("noreply@smartrecruiters.com", "SmartRecruiters"),
        ("acme@talent.icims.com", "iCIMS"),
        ("no-reply@teamtailor.com", "Teamtailor"),
        ("no-reply@personio.de", "Personio"),
        ("acme@recruitee.com", "Recruitee"),
        ("noreply@candidates.workablemail.com", "Workable"),
        ("no-reply@bamboohr.com", "BambooHR"),
        ("dana@acme.example", None),
        ("someone@notgreenhouse-mail.io", None),
        (None, None),
    ],
)
def test_platforms_are_known_by_their_sender_domains(address: str | None, platform: str) -> None:
    assert ats_platform(address) == platform


def test_platform_mail_no_phrase_decides_is_the_employer_answering() -> None:
    """Auto-Submitted or not: an unknown phrasing from a platform is read as an answer (the
    sequence stops), never as a notice that would keep the notes going."""
    body = "Could you send me the link to the dashboard project you mentioned?"
    assert kind_of(body, **GREENHOUSE) is Kind.HUMAN
    automated = facts(
        body_text="Please see the attached letter about your candidacy.",
        headers=(("auto-submitted", "auto-generated"),),
        **GREENHOUSE,
    )
    result = classify(automated, NOV_25)
    assert result.kind is Kind.HUMAN
    assert result.reason == (
        "sent for the employer through Greenhouse (marked Auto-Submitted); no hiring-side"
        " phrase: read as the employer's answer"
    )
    alert = facts(
        body_text="New jobs for you.", headers=(("list-unsubscribe", "<x>"),), **GREENHOUSE
    )
    assert classify(alert, NOV_25).kind is Kind.UNRELATED


def test_a_feedback_report_from_mailer_daemon_is_never_human() -> None:
    """Issue #15: a MAILER-DAEMON multipart/report; report-type=feedback-report was human."""
    report = facts(
        from_addr="MAILER-DAEMON@mx.example.org".lower(),
        from_name="",
        subject="Abuse report",
        content_type="multipart/report",
        report_type="feedback-report",
        body_text="This is an email abuse report for an email message received.",
        references=("<n1@home.example>",),  # a report about our note: no reply for that
    )
    result = classify(report, NOV_25)
    assert result.kind is Kind.UNRELATED
    assert "multipart/report; report-type=feedback-report" in result.reason
    # any report, from any sender; any mail-system sender, with any text
    assert classify(report._replace(from_addr="ops@example.org"), NOV_25).kind is Kind.UNRELATED
    plain = facts(from_addr="postmaster@example.org", body_text="Hello there.")
    assert classify(plain, NOV_25).kind is Kind.UNRELATED


def test_a_bounce_returning_a_hiring_text_is_still_a_bounce() -> None:
    body = (
        "I'm sorry to have to inform you that your message could not be delivered.\n"
        "<dana@acme.example>: 550 5.1.1 User unknown\n\n"
        "--- Below this line is a copy of the message.\n\n"
        "We have decided not to move forward with your application.\n"
    )
    result = classify(
        facts(from_addr="mailer-daemon@mx.example.org", from_name="", body_text=body), NOV_25
    )
    assert result.kind is Kind.BOUNCE


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Thank you for your application. We will be in touch.", "en"),
        ("Vielen Dank für Ihre Bewerbung, wir melden uns bei Ihnen.", "de"),
        ("Merci pour votre candidature, nous reviendrons vers vous.", "fr"),
        ("Gracias por tu candidatura, te escribimos pronto con noticias.", "es"),
        ("Bedankt voor je sollicitatie, we nemen contact met je op.", "nl"),
        ("OK", None),
    ],
)
def test_the_language_is_told_by_common_words(text: str, lang: str | None) -> None:
    assert language(text) == lang


def test_company_and_role_come_from_the_platform_sender_and_the_text() -> None:
    assert company_and_role(
        "Your application for Treasury Analyst",
        "Thank you for your interest in the Treasury Analyst position at Pinecrest Bank.",
        "Pinecrest Bank Careers",
        "Workday",
    ) == ("Pinecrest Bank", "Treasury Analyst")
    # a recruiter's own name, as Lever shows it, is no company
    assert company_and_role(
        "Quick question", "Could you send the link?\n\nJordan", "Jordan Lee", "Lever"
    ) == (None, None)
    # the platform's own name is no company either
    assert company_and_role("Your code", "Your code is 1234.", "Greenhouse", "Greenhouse") == (
        None,
        None,
    )


def test_a_calendar_subjects_time_zone_is_no_company() -> None:
    """Found in session 14: Google's "… @ Wed 2 Dec 2026 11am - 12pm (CET) (you@…)" gave
    the company "CET" (a capitalised name in brackets, as "(Helix Bio)")."""
    subject = (
        "Updated invitation: Interview: Grace Hopper / Acme - Backend Engineer"
        " @ Wed 2 Dec 2026 11am - 12pm (CET) (grace@example.org)"
    )
    for zone in ("CET", "PST", "GMT", "AEDT"):
        company, _ = company_and_role(subject.replace("CET", zone), "", "", None)
        assert company != zone
    assert company_and_role("Chat (Helix Bio)", "Chat with Helix Bio.", "", None)[0] == "Helix Bio"


def test_an_attached_invitation_is_a_next_step_unless_the_text_says_what_comes_first() -> None:
    see_you = "See you on Thursday with the whole team, details attached."
    assert kind_of(see_you, calendar_method="request") is Kind.SCHEDULING
    # a cancellation is the organizer's calendar withdrawing the event, never a reply
    assert kind_of(see_you, calendar_method="cancel") is Kind.NOTIFICATION
    # a reminder with the event attached again is still a reminder
    reminder = "This is a reminder of your interview tomorrow at 10:00."
    assert kind_of(reminder, calendar_method="request") is Kind.NOTIFICATION
    # an offer's call, attached, is still an offer
    offer = "We are delighted to offer you the role! I've sent an invite to go through it."
    assert kind_of(offer, calendar_method="request") is Kind.OFFER


@pytest.mark.parametrize(
    ("body", "rejection"),
    [
        ("Thanks so much for your time. We went another way for the Logistics Analyst role.", True),
        ("Unfortunately we've decided to go in a different direction.", True),
        ("After much thought, the team has gone a different direction for this role.", True),
        ("We have decided to go another way with another candidate.", True),
        ("We went another way, sorry!", True),
        # a fourth cold trial's, read as a plain reply
        ("We went a different direction with the role.", True),
        ("We went another way — best of luck in your search.", True),
        ("Thanks for applying. The hiring manager went a different direction!", True),
        # a cold trial's scheduling and chatty mails read as rejections, one ended as rejected
        ("We went another way with the onsite format this time. Can you do Monday 10:00?", False),
        (
            "The team went in a different direction on the schedule, so could we move your next"
            " interview to Thursday?",
            False,
        ),
        ("We went another way to get there, but it worked. Let's talk Thursday.", False),
    ],
)
def test_another_way_is_a_no_only_when_it_is_about_the_role(body: str, rejection: bool) -> None:
    assert (kind_of(body) is Kind.REJECTION) is rejection


STATUS_UPDATES = Path(__file__).parent.parent / "fixtures" / "mail" / "status_updates"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        # still deciding: kept in the history, the follow-ups go on
        ("gh_inreview", Kind.ACKNOWLEDGEMENT),  # "…for Treasury Analyst is currently in review"
        ("gh_review", Kind.ACKNOWLEDGEMENT),
        ("gh_stillreview_unfortunately", Kind.ACKNOWLEDGEMENT),  # "remains under review"
        ("v_currently_in_review", Kind.ACKNOWLEDGEMENT),
        ("gh_shortlist", Kind.ACKNOWLEDGEMENT),
        ("lever_interviewing", Kind.ACKNOWLEDGEMENT),  # "still interviewing candidates"
        ("lever_review_delay", Kind.ACKNOWLEDGEMENT),  # "still reviewing applications"
        # a no, however it is worded: the sequence ends
        ("workday_nolonger", Kind.REJECTION),  # "…is no longer under consideration"
        ("v_nolonger_review", Kind.REJECTION),
        ("v_nolonger_review2", Kind.REJECTION),
        ("v_review_completed", Kind.REJECTION),  # "we won't be proceeding"
        ("gh_review_reject_subtle", Kind.REJECTION),  # "decided to keep your resume on file"
        # a recruiter's own question through the platform is still the employer's answer
        ("ashby_feedback", Kind.HUMAN),
        # the second trial's (SmartRecruiters, iCIMS, Taleo, Jobvite, Personio, Teamtailor)
        ("sr_stillconsidered", Kind.ACKNOWLEDGEMENT),  # "You are still being considered"
        ("icims_delay", Kind.ACKNOWLEDGEMENT),  # "taking longer than expected"
        ("gh_moved_forward_other", Kind.ACKNOWLEDGEMENT),  # "still reviewing feedback"
        ("gh_ack_nodecision", Kind.ACKNOWLEDGEMENT),  # "No decision has been made yet"
        ("wd_review_complete_next", Kind.ACKNOWLEDGEMENT),  # "…next stage of review"
        ("personio_ack", Kind.ACKNOWLEDGEMENT),  # "currently reviewing all applications"
        ("sr_notselected", Kind.REJECTION),  # "you were not selected to move forward"
        ("taleo_unsuccessful", Kind.REJECTION),  # "…for Data Engineer has been unsuccessful"
        ("jobvite_pass", Kind.REJECTION),  # "decided to pass on your application"
        ("teamtailor_rej_resume", Kind.REJECTION),  # "move ahead with a candidate whose…"
        ("lever_filled", Kind.ROLE_CLOSED),  # "the … position has now been filled"
    ],
)
def test_an_ats_status_update_is_told_from_a_decision(name: str, kind: Kind) -> None:
    """A cold trial (session 16), messages it wrote: routine "still reviewing" updates were
    read as the employer's answer (the follow-ups stopped) and Workday's "no longer under
    consideration" as an acknowledgement (they went on after a no)."""
    raw = (STATUS_UPDATES / f"{name}.eml").read_bytes()
    assert classify(facts_from_bytes(raw), NOV_25).kind is kind
