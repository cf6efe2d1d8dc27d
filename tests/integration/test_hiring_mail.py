"""The hiring side's mail on a real Dovecot (issue #15): a rejection ends the right
application at the next sync, and an approved note of a rejected application never goes."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.integration.dovecot import Account, Dovecot
from tests.integration.smtp_sink import Sink
from tests.integration.test_sending import notes
from tests.integration.test_sync import mail, mailbox_home  # noqa: F401 (a fixture)

pytestmark = pytest.mark.integration

GREENHOUSE_REJECTION = (
    "Hi Grace,\n\nThank you for your interest in the Product Designer position at Acme."
    " After careful consideration, we have decided not to move forward with your"
    " application.\n\nBest,\nAcme Recruiting"
)


def add(run: Run, role: str, person: str, at: str = "2026-11-20T10:00:00Z") -> str:
    created = run("add", "--company", "Acme", "--role", role, "--at", at,
                  "--interviewer", person, "--topic", "the design system",
                  "--skill", "Figma", "--json")  # fmt: skip
    assert created.code == 0, created.err
    return str(created.json["id"])


def test_a_rejection_ends_the_right_application_at_the_next_sync(
    run: Run,
    dovecot: Dovecot,
    mailbox_home: Account,  # noqa: F811
) -> None:
    engineer = add(run, "Backend Engineer", "Ada Lovelace <ada@acme.example>")
    designer = add(run, "Product Designer", "Bo Bardi <bo@acme.example>")
    rejection = mail(
        "Acme <no-reply@us.greenhouse-mail.io>",
        "Your application to Acme",
        GREENHOUSE_REJECTION,
        msg_id="<gh-rejection-1@us.greenhouse-mail.io>",
    )
    dovecot.append(mailbox_home, "INBOX", [rejection])
    r = run("sync", "--json")
    assert r.code == 0, r.err
    assert [(e["interview_id"], e["kind"]) for e in r.json["events"]] == [
        (int(designer), "rejected")
    ]
    assert r.json["counts"]["rejection"] == 1
    shown = run("show", designer, "--json").json
    assert shown["status"] == "rejected"
    assert [n["state"] for n in shown["notes"]] == ["cancelled"]  # nothing more planned
    [message] = shown["inbound"]
    assert message["classification"] == "rejection"
    assert message["from_addr"] == "no-reply@us.greenhouse-mail.io"
    assert "decided not to move" in message["reason"]
    # the other application at the same company goes on as before
    other = run("show", engineer, "--json").json
    assert other["status"] == "waiting" and other["inbound"] == []
    assert [n["state"] for n in other["notes"]] == ["pending"]
    assert [row["interview_id"] for row in run("agenda", "--json").json] == [int(engineer)]
    assert run("sync", "--json").json["events"] == []  # once


def test_an_approved_note_is_never_sent_once_its_application_is_rejected(
    run: Run,
    dovecot: Dovecot,
    mailbox_home: Account,  # noqa: F811
    smtp_sink: Sink,
    home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The worker reads new mail before a note goes even when its periodic sync is not due:
    a rejection that arrived after its last sync withdraws the approved note."""
    from followup.cli.worker import Tenant, Worker

    iid = add(run, "Product Designer", "Ada Lovelace <ada@acme.example>",
              at="2026-11-25T09:00:00Z")  # fmt: skip
    approved = run("send", iid, "--when-due", "--json")
    assert approved.code == 0 and approved.json[0]["outcome"] == "scheduled", approved.err
    due = approved.json[0]["due_at"]

    from followup.bootstrap import open_context

    worker = Worker(
        lambda: iter(()),
        poll=0.1,
        lease=timedelta(minutes=5),
        once=True,
        stop=threading.Event(),
    )
    tenant = Tenant("local", lambda: open_context(home), home)
    assert tenant.outbox is not None and tenant.setup is not None
    assert worker._visit("local", tenant) == 0  # not due yet: its first sync, nothing sent
    rejection = mail(
        "Ada Lovelace <ada@acme.example>",
        "Your application",
        "Hi Grace, thank you for your time. Unfortunately we have decided not to move"
        " forward with your application.",
        msg_id="<no-1@acme.example>",
    )
    dovecot.append(mailbox_home, "INBOX", [rejection])
    monkeypatch.setenv("FOLLOWUP_NOW", due)  # the note is due; the next periodic sync is not
    assert worker._visit("local", tenant) == 0
    tenant.close()
    assert smtp_sink.received == []
    shown = run("show", iid, "--json", now=due).json
    assert shown["status"] == "rejected"
    assert [n["state"] for n in notes(run, iid)] == ["cancelled"]
    assert run("worker", "--once", now=due).code == 0
    assert smtp_sink.received == []


def test_send_reads_new_mail_first_and_sends_nothing_to_a_rejected_application(
    run: Run,
    dovecot: Dovecot,
    mailbox_home: Account,  # noqa: F811
    smtp_sink: Sink,
) -> None:
    iid = add(run, "Product Designer", "Ada Lovelace <ada@acme.example>")
    rejection = mail(
        "Ada Lovelace <ada@acme.example>",
        "Your application",
        "Hi Grace, thank you for your time. Unfortunately we have decided not to move"
        " forward with your application.",
        msg_id="<no-2@acme.example>",
    )
    dovecot.append(mailbox_home, "INBOX", [rejection])  # arrived after the last sync
    r = run("send", iid)
    assert r.code == 5
    assert r.err == f"followup: error: interview {iid} is rejected: nothing to send\n"
    assert smtp_sink.received == []
    assert run("show", iid, "--json").json["status"] == "rejected"


def test_one_reply_from_an_interviewer_on_two_applications_stops_both_and_syncs_on(
    run: Run,
    dovecot: Dovecot,
    mailbox_home: Account,  # noqa: F811
) -> None:
    """One message matched to several interviews is kept once: the sync does not fail on
    it (then and at every sync after) and its effect reaches each interview."""
    first = add(run, "Backend Engineer", "Ada Lovelace <ada@acme.example>")
    second = add(run, "Data Engineer", "Ada Lovelace <ada@acme.example>")
    reply = mail(
        "Ada Lovelace <ada@acme.example>",
        "Re: Thank you",
        "Hi Grace,\n\nThanks for your note, lovely to meet you. I'll be in touch next week.\n\nAda",
        msg_id="<ada-reply-1@acme.example>",
    )
    dovecot.append(mailbox_home, "INBOX", [reply])
    r = run("sync", "--json")
    assert r.code == 0, r.err
    assert sorted((e["interview_id"], e["kind"]) for e in r.json["events"]) == [
        (int(first), "replied"),
        (int(second), "replied"),
    ]
    assert {run("show", i, "--json").json["status"] for i in (first, second)} == {"replied"}
    later = mail("Ada Lovelace <ada@acme.example>", "Re: Thank you", "One more thing.",
                 msg_id="<ada-reply-2@acme.example>")  # fmt: skip
    dovecot.append(mailbox_home, "INBOX", [later])
    again = run("sync", "--json")
    assert again.code == 0, again.err


def test_a_person_overturning_a_rejection_is_read_at_the_next_sync(
    run: Run,
    dovecot: Dovecot,
    mailbox_home: Account,  # noqa: F811
) -> None:
    """The interviewer of a rejected application writes that the rejection was a mistake:
    `sync` reads it (their address still counts), keeps it and asks to reopen."""
    designer = add(run, "Product Designer", "Bo Bardi <bo@acme.example>")
    rejection = mail(
        "Acme <no-reply@us.greenhouse-mail.io>",
        "Your application to Acme",
        GREENHOUSE_REJECTION,
        msg_id="<gh-rejection-2@us.greenhouse-mail.io>",
    )
    dovecot.append(mailbox_home, "INBOX", [rejection])
    assert run("sync").code == 0
    assert run("show", designer, "--json").json["status"] == "rejected"
    sorry = mail("Bo Bardi <bo@acme.example>", "Re: Your application to Acme",
                 "Hi Grace, please ignore the automated email: you are still in the process,"
                 " and I'll write about the final round next week.\n\nBo",
                 msg_id="<bo-sorry@acme.example>")  # fmt: skip
    dovecot.append(mailbox_home, "INBOX", [sorry])
    r = run("sync", "--json")
    assert r.code == 0, r.err
    [event] = r.json["events"]
    assert (event["interview_id"], event["kind"]) == (int(designer), "kept")
    assert f"followup reopen {designer}" in event["detail"]
    kept = [m["message_id"] for m in run("show", designer, "--json").json["inbound"]]
    assert "<bo-sorry@acme.example>" in kept
