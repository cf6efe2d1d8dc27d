"""What an action's outcome says next to its button (app/feedback.py, issue #16)."""

from __future__ import annotations

from followup.app.feedback import IN_DOUBT, Fix, mail_problem, refusal, send_outcome
from followup.app.sending import Sent, lint_refusal
from followup.domain.lint import Finding, Severity

ADA = "Ada Lovelace <ada@acme.example>"


def sent(outcome: str, detail: str = "") -> Sent:
    return Sent(3, 7, ADA, outcome, detail)


def test_an_unreachable_server_says_which_and_points_at_the_mail_settings() -> None:
    line = "cannot reach SMTP server smtp.example.org:2525: [Errno 111] Connection refused"
    said = send_outcome(sent("retry-later", f"{line} (1 try)"))
    assert not said.ok and said.fix is Fix.MAIL
    assert said.text == (
        "Couldn't reach your mail server smtp.example.org:2525."
        " Nothing was sent; the note is still pending."
    )
    imap = mail_problem("cannot reach IMAP server imap.example.org:993: timed out")
    assert imap.text == "Couldn't reach your mail server imap.example.org:993 (IMAP)."


def test_each_kind_of_failure_names_its_own_fix() -> None:
    login = mail_problem("SMTP login failed for grace at smtp.example.org: 535 5.7.8 bad")
    assert (login.fix, login.text[:38]) == (Fix.MAIL, "Your mail server refused the sign-in: ")
    rcpt = send_outcome(sent("failed", "the server refused RCPT TO ada@acme.example: 550 5.1.1 no"))
    assert (
        rcpt.fix is Fix.EDIT and "refused the address ada@acme.example: 550 5.1.1 no." in rcpt.text
    )
    assert "marked failed" in rcpt.text
    assert send_outcome(sent("unknown", "it may have been delivered")) == IN_DOUBT
    assert IN_DOUBT.fix is Fix.MAILBOX
    tls = mail_problem("TLS with smtp.example.org failed: CERTIFICATE_VERIFY_FAILED")
    assert tls.fix is Fix.MAIL and tls.text.startswith("A secure connection")


def test_the_gate_and_the_cadence_are_problems_of_the_note_not_of_the_server() -> None:
    finding = Finding("signature", Severity.ERROR, "the note is not signed")
    lint = send_outcome(sent("skipped", lint_refusal(7, [finding]) or ""))
    assert not lint.ok and lint.fix is Fix.TEXT
    assert lint.text.startswith("Not sent: the linter found errors — signature: the note is")
    early = send_outcome(
        sent("skipped", "not due until Thu 26 Nov 2026 11:00 CET: --force sends now")
    )
    assert not early.ok and early.fix is None and early.text.startswith("Not sent: not due until")


def test_a_note_held_by_the_daily_limit_is_pending_not_failed() -> None:
    why = (
        "Gmail allows about 500 recipients a day; 500 sent since Tue 24 Nov 2026 11:00 CET:"
        " this note waits until Wed 25 Nov 2026 11:00 CET"
    )
    held = send_outcome(sent("held", why))
    assert not held.ok and held.fix is None
    assert held.text == f"Not sent yet: {why}."
    assert "failed" not in held.text and "mail server" not in held.text


def test_what_went_well_is_said_as_done() -> None:
    assert send_outcome(sent("sent")) == (True, f"Sent to {ADA}.", None)
    filed = send_outcome(sent("sent", "no copy filed in your Sent folder: 503"))
    assert filed.ok and filed.text.endswith("No copy filed in your Sent folder: 503.")
    assert send_outcome(sent("drafted", "saved")).text == (
        f"Saved to your Drafts folder: the note to {ADA}."
    )
    assert send_outcome(sent("skipped", "already in your Drafts folder")).ok


def test_a_refused_send_reads_the_inbox_failure_it_was_told() -> None:
    unread = refusal(
        "your inbox could not be read in this run, so a reply might be missed: fix"
        " `followup mail test`, or add --yes",
        ["could not read your inbox first: cannot reach IMAP server 127.0.0.1:1143: refused"],
    )
    assert unread.fix is Fix.MAIL and "--yes" not in unread.text
    assert unread.text.startswith("Couldn't reach your mail server 127.0.0.1:1143 (IMAP).")
    drafts = refusal("saving to Drafts needs IMAP: set mail.imap_host")
    assert drafts == (False, "Not sent: saving to Drafts needs IMAP: set mail.imap_host.", Fix.MAIL)
    assert refusal("interview 7 has no note pending").fix is None


def test_check_mail_says_what_the_new_mail_changed() -> None:
    from followup.app.feedback import problem, sync_outcome

    assert sync_outcome(0, []) == [(True, "Read 0 new messages: nothing changes.", None)]
    [head, line] = sync_outcome(1, [(7, "replied", "Ada Lovelace wrote back")])
    assert head.text == "Read 1 new message." and line.ok
    assert line.text == "Interview 7: replied — Ada Lovelace wrote back."
    unset = problem("reading mail needs IMAP: set mail.imap_host")
    assert unset == (False, "Reading mail needs IMAP: set mail.imap_host.", Fix.MAIL)
    assert problem("cannot reach IMAP server imap.example.org:993: timed out").text == (
        "Couldn't reach your mail server imap.example.org:993 (IMAP)."
    )
