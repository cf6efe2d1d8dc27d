"""The sync service on the in-memory mailbox: resyncs after a UIDVALIDITY change, once only."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

from followup.adapters.mail.fake import FakeMailbox
from followup.adapters.mail.inbound import facts_from_bytes
from followup.app import services, syncing
from followup.bootstrap import open_context
from followup.domain.model import NoteState, Status
from tests.conftest import Run

ME = syncing.MailIdentity("me@imap", frozenset({"grace@example.org"}), ("greenhouse.io",), 7)


def message(sender: str, subject: str, body: str, msg_id: str, **headers: str) -> bytes:
    m = EmailMessage()
    m["From"], m["To"], m["Subject"], m["Message-ID"] = sender, "grace@example.org", subject, msg_id
    m["Date"] = "Wed, 25 Nov 2026 11:00:00 +0000"
    for name, value in headers.items():
        m[name.replace("_", "-")] = value
    m.set_content(body)
    return bytes(m)


def setup(run: Run, home: Path) -> tuple[object, int, str]:
    run(
        "add",
        "--company",
        "Acme",
        "--role",
        "Dev",
        "--at",
        "2026-11-20T10:00:00Z",
        "--interviewer",
        "Ada <ada@acme.example>",
    )
    ctx = open_context()
    iid = 1
    note = ctx.store.notes(iid)[0]
    message_id = ctx.store.assign_message_id(note.id, "<ours@example.org>")
    ctx.store.finish_note(note.id, NoteState.SENT, ctx.clock.now(), sent_at=ctx.clock.now())
    services.replan(ctx, iid)
    return ctx, iid, message_id


def test_a_changed_uidvalidity_reads_again_but_acts_once(run: Run, home: Path) -> None:
    ctx, iid, ours = setup(run, home)
    box = FakeMailbox()
    ooo = message(
        "Ada <ada@acme.example>",
        "Out of Office",
        "I am on vacation until 2026-12-01.",
        "<ooo@acme.example>",
        In_Reply_To=ours,
        Auto_Submitted="auto-replied",
    )
    box.deliver("INBOX", ooo)
    first = syncing.sync(ctx, box, ME, facts_from_bytes)  # type: ignore[arg-type]
    assert [e.kind for e in first.events] == ["deferred"]
    box.bump_uidvalidity("INBOX")
    again = syncing.sync(ctx, box, ME, facts_from_bytes)  # type: ignore[arg-type]
    assert again.read >= 1 and again.events == ()
    assert len(ctx.store.inbound(iid)) == 1  # type: ignore[attr-defined]


def test_ats_relay_mail_is_matched_by_company_name(run: Run, home: Path) -> None:
    ctx, iid, _ = setup(run, home)
    box = FakeMailbox()
    box.deliver(
        "INBOX",
        message(
            "Acme Recruiting <no-reply@greenhouse.io>",
            "Acme: next steps for your application",
            "Hi Grace, we would like to invite you to a second round.",
            "<gh1@greenhouse.io>",
        ),
    )
    box.deliver(
        "INBOX",
        message(
            "Beta Jobs <no-reply@greenhouse.io>",
            "Beta: next steps",
            "Another company's news",
            "<gh2@greenhouse.io>",
        ),
    )
    report = syncing.sync(ctx, box, ME, facts_from_bytes)  # type: ignore[arg-type]
    assert [(e.interview_id, e.kind) for e in report.events] == [(iid, "replied")]
    assert ctx.store.get_interview(iid).status is Status.REPLIED  # type: ignore[attr-defined]


def test_a_panel_is_settled_by_any_panelist(run: Run, home: Path) -> None:
    run(
        "add",
        "--company",
        "Beta",
        "--role",
        "Dev",
        "--at",
        "2026-11-20T10:00:00Z",
        "--interviewer",
        "Ann <ann@beta.example>",
        "--interviewer",
        "Ben <ben@beta.example>",
    )
    ctx = open_context()
    box = FakeMailbox()
    box.deliver(
        "INBOX",
        message(
            "Ben <ben@beta.example>",
            "Your interview",
            "Thanks Grace, we'll be in touch soon.",
            "<b1@beta.example>",
        ),
    )
    report = syncing.sync(ctx, box, ME, facts_from_bytes)  # type: ignore[arg-type]
    assert [e.kind for e in report.events] == ["replied"]
    assert ctx.store.get_interview(1).status is Status.REPLIED
    assert all(n.state is not NoteState.PENDING for n in ctx.store.notes(1))
