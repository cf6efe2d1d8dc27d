"""A copy of each sent note in Sent where the provider's SMTP files none (Fastmail, iCloud,
GMX…), and never a second one where it does (Gmail, Microsoft): reconciling a send in doubt
looks for the note there."""

from __future__ import annotations

from pathlib import Path

from followup.adapters.mail.fake import FakeMailbox, FakeMailer
from followup.adapters.mail.message import compose
from followup.app import sending
from followup.app.mailports import MailError
from followup.bootstrap import open_context
from tests.cli.test_decisions import _interview
from tests.conftest import Run


def send_one(run: Run, home: Path, copy_to_sent: bool, mailbox: FakeMailbox) -> sending.Sent:
    assert run("config", "set", "user.name", "Grace").code == 0  # signed: lint-clean notes
    iid = int(_interview(run))
    ctx = open_context(str(home))
    mailer = FakeMailer()
    outbox = sending.Outbox(
        "Grace <grace@example.org>",
        "grace@example.org",
        compose,
        mailer,
        mailbox,
        copy_to_sent=copy_to_sent,
    )
    [result] = sending.send_interview(ctx, outbox, iid, to_drafts=False)
    assert result.outcome == "sent" and len(mailer.sent) == 1
    return result


def test_the_copy_is_the_message_sent_flagged_seen(run: Run, home: Path) -> None:
    mailbox = FakeMailbox()
    result = send_one(run, home, True, mailbox)
    assert result.detail == ""
    [(_uid, flags, raw)] = mailbox.messages("Sent")
    assert flags == frozenset({"\\Seen"})
    assert b"Subject:" in raw and mailbox.sent_contains(_message_id(raw))


def test_no_copy_where_the_providers_smtp_files_one(run: Run, home: Path) -> None:
    mailbox = FakeMailbox()
    send_one(run, home, False, mailbox)
    assert mailbox.messages("Sent") == []
    assert "append_sent" not in mailbox.calls


def test_a_copy_that_fails_leaves_the_note_sent_and_says_so(run: Run, home: Path) -> None:
    mailbox = FakeMailbox()
    mailbox.fail_next(MailError("IMAP: quota exceeded", permanent=True))
    result = send_one(run, home, True, mailbox)
    assert result.detail == "no copy filed in your Sent folder: IMAP: quota exceeded"
    shown = run("show", str(result.interview_id), "--json").json
    assert any(n["state"] == "sent" for n in shown["notes"])


def _message_id(raw: bytes) -> str:
    for line in raw.split(b"\r\n"):
        if line.lower().startswith(b"message-id:"):
            return line.split(b":", 1)[1].strip().decode()
    raise AssertionError("no Message-ID")
