"""Reading the inbox of a real Dovecot: a real reply stops the sequence; nothing else does."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.integration.dovecot import Account, Dovecot
from tests.integration.smtp_sink import Sink
from tests.integration.test_sending import configure, due_interview, notes

pytestmark = pytest.mark.integration


@pytest.fixture
def mailbox_home(
    run: Run,
    smtp_sink: Sink,
    dovecot: Dovecot,
    imap_account: Account,
    monkeypatch: pytest.MonkeyPatch,
) -> Account:
    configure(
        run,
        smtp_sink,
        ("mail.imap_host", dovecot.host),
        ("mail.imap_port", str(dovecot.port)),
        ("mail.imap_security", "none"),
        ("mail.username", imap_account.username),
    )
    monkeypatch.setenv("FOLLOWUP_MAIL_PASSWORD", imap_account.password)
    return imap_account


def mail(
    sender: str,
    subject: str,
    body: str,
    *,
    in_reply_to: str | None = None,
    headers: dict[str, str] | None = None,
    msg_id: str = "<r1@acme.example>",
) -> bytes:
    m = EmailMessage()
    m["From"] = sender
    m["To"] = "Grace Hopper <grace@example.org>"
    m["Subject"] = subject
    m["Date"] = format_datetime(datetime(2026, 11, 25, 11, 0, tzinfo=UTC))
    m["Message-ID"] = msg_id
    if in_reply_to:
        m["In-Reply-To"] = in_reply_to
        m["References"] = in_reply_to
    for name, value in (headers or {}).items():
        m[name] = value
    m.set_content(body)
    return bytes(m)


def sent_thank_you(run: Run) -> tuple[str, str]:
    iid = due_interview(run)
    assert run("send", iid).code == 0
    return iid, notes(run, iid)[0]["message_id"]


def test_a_real_reply_stops_the_sequence(
    run: Run, dovecot: Dovecot, mailbox_home: Account, home: Path
) -> None:
    iid, our_id = sent_thank_you(run)
    reply = mail(
        "Ada Lovelace <ada@acme.example>",
        "Re: Thanks",
        "Great to hear from you!",
        in_reply_to=our_id,
    )
    dovecot.append(mailbox_home, "INBOX", [reply])
    r = run("sync", "--json")
    assert r.code == 0, r.err
    assert [(e["interview_id"], e["kind"]) for e in r.json["events"]] == [(int(iid), "replied")]
    assert run("show", iid, "--json").json["status"] == "replied"
    assert run("agenda", "--json").json == []
    # metadata only: no column anywhere holds the body
    with sqlite3.connect(home / "followup.db") as db:
        dumped = "\n".join(db.iterdump())
    assert "Great to hear from you" not in dumped
    assert "Re: Thanks" in dumped
    assert run("sync", "--json").json["read"] == 0  # each message once


def test_an_out_of_office_defers_instead_of_stopping(
    run: Run, dovecot: Dovecot, mailbox_home: Account
) -> None:
    iid, our_id = sent_thank_you(run)
    ooo = mail(
        "Ada Lovelace <ada@acme.example>",
        "Automatic reply: Thanks",
        "I am out of the office until 2026-12-07 with limited access to e-mail.",
        in_reply_to=our_id,
        headers={"Auto-Submitted": "auto-replied"},
    )
    dovecot.append(mailbox_home, "INBOX", [ooo])
    r = run("sync", "--json")
    assert [e["kind"] for e in r.json["events"]] == ["deferred"]
    shown = run("show", iid, "--json").json
    assert shown["status"] == "waiting"
    follow_up = next(n for n in shown["notes"] if n["step"] == 2)
    assert follow_up["due_at"] >= "2026-12-08"  # the working day after the return date


def test_a_bounce_flags_the_address_and_ends_a_one_person_sequence(
    run: Run, dovecot: Dovecot, mailbox_home: Account
) -> None:
    iid, our_id = sent_thank_you(run)
    raw = (
        "From: Mail Delivery System <MAILER-DAEMON@mx.acme.example>\r\n"
        "To: grace@example.org\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        "Message-ID: <dsn1@mx.acme.example>\r\n"
        "Date: Wed, 25 Nov 2026 11:00:00 +0000\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.acme.example\r\n\r\n"
        "Final-Recipient: rfc822; ada@acme.example\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        "\r\n--B\r\nContent-Type: message/rfc822\r\n\r\n"
        f"From: grace@example.org\r\nTo: ada@acme.example\r\nMessage-ID: {our_id}\r\n"
        "Subject: Thank you\r\n\r\nhi\r\n--B--\r\n"
    ).encode()
    dovecot.append(mailbox_home, "INBOX", [raw])
    r = run("sync", "--json")
    assert [e["kind"] for e in r.json["events"]] == ["bounced"], r.json
    assert run("show", iid, "--json").json["status"] == "cancelled"


def test_mail_that_is_not_a_reply_changes_nothing(
    run: Run, dovecot: Dovecot, mailbox_home: Account
) -> None:
    iid, our_id = sent_thank_you(run)
    newsletter = mail(
        "Acme News <news@acme.example>",
        "Our November newsletter",
        "Read more",
        headers={"List-Unsubscribe": "<mailto:unsub@acme.example>"},
        msg_id="<n1@acme.example>",
    )
    mine = mail(
        "Grace Hopper <grace@example.org>",
        "Re: Thanks",
        "note to self",
        in_reply_to=our_id,
        msg_id="<me@example.org>",
    )
    stranger = mail("Someone <x@elsewhere.example>", "Hello", "Hi there", msg_id="<s@e>")
    dovecot.append(mailbox_home, "INBOX", [newsletter, mine, stranger])
    r = run("sync", "--json")
    assert r.json["read"] == 3 and r.json["events"] == []
    assert run("show", iid, "--json").json["status"] == "waiting"


def test_drafts_mode_saves_to_drafts_and_sync_sees_it_sent(
    run: Run, dovecot: Dovecot, mailbox_home: Account, smtp_sink: Sink
) -> None:
    run("config", "set", "mail.mode", "drafts")
    iid = due_interview(run)
    r = run("send", iid, "--json")
    assert [x["outcome"] for x in r.json] == ["drafted"], r.json
    [(flags, raw)] = dovecot.messages(mailbox_home, "Drafts")
    assert "\\Draft" in flags
    assert smtp_sink.received == []
    assert run("send", iid, "--json").json[0]["outcome"] == "skipped"  # not twice in Drafts
    dovecot.append(mailbox_home, "Sent", [raw], flags="\\Seen")  # the user sent it
    r = run("sync", "--json")
    assert [e["kind"] for e in r.json["events"]] == ["sent-found"]
    assert notes(run, iid)[0]["state"] == "sent"


def test_an_unknown_send_found_in_sent_is_recorded_not_resent(
    run: Run, dovecot: Dovecot, mailbox_home: Account, smtp_sink: Sink
) -> None:
    iid = due_interview(run)
    smtp_sink.script = ["drop"]
    assert run("send", iid, "--json").json[0]["outcome"] == "unknown"
    dovecot.append(mailbox_home, "Sent", [smtp_sink.received[0].raw])  # the provider kept it
    assert run("sync").code == 0
    assert notes(run, iid)[0]["state"] == "sent"
    assert len(smtp_sink.received) == 1


def test_mail_test_says_what_is_wrong(
    run: Run, mailbox_home: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok = run("mail", "test")
    assert ok.code == 0, ok.out + ok.err
    assert "SMTP" in ok.out and "IMAP" in ok.out
    assert json.loads(run("mail", "test", "--json").out)["ok"] is True
    monkeypatch.setenv("FOLLOWUP_MAIL_PASSWORD", "wrong")
    bad = run("mail", "test")
    assert bad.code == 5
    assert "IMAP: FAILED" in bad.out and "login failed" in bad.out.lower()
    bad_json = run("mail", "test", "--json")
    assert bad_json.code == 5
    found = json.loads(bad_json.out)
    assert found["ok"] is False and found["imap"].startswith("FAILED")


def test_a_calendar_cancellation_cancels_the_interview_and_is_no_reply(
    run: Run, dovecot: Dovecot, mailbox_home: Account
) -> None:
    """Google Calendar's "Cancelled event: …" (a text/calendar METHOD:CANCEL part) read by
    sync: the calendar's rules cancel the interview; it was read as a reply (replied)."""
    fixtures = Path(__file__).resolve().parents[1] / "fixtures" / "ics"
    done = run("import", str(fixtures / "synthesized_google_interview_invite.ics"), "--yes",
               "--company", "Acme", "--role", "Backend Engineer", "--json")  # fmt: skip
    assert done.code == 0, done.err
    iid = done.json["interviews"][0]["id"]
    cancellation = (fixtures / "synthesized_google_calendar_cancellation.eml").read_bytes()
    dovecot.append(mailbox_home, "INBOX", [cancellation])
    r = run("sync", "--json")
    assert r.code == 0, r.err
    assert [(e["interview_id"], e["kind"]) for e in r.json["events"]] == [(iid, "cancelled")]
    assert run("show", str(iid), "--json").json["status"] == "cancelled"
