"""The sync service on the in-memory mailbox: resyncs after a UIDVALIDITY change, once only."""

from __future__ import annotations

import re
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from followup.adapters.mail.fake import FakeMailbox
from followup.adapters.mail.inbound import facts_from_bytes
from followup.app import services, syncing
from followup.bootstrap import open_context
from followup.domain.model import NoteState, Status
from followup.domain.replies import Kind, classify, may_be_bounces
from tests.conftest import Run
from tests.corpus import cpython_email_data, flufl_bounce_root

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
    # an invitation to a second round: the sequence stops as replied (issue #15)
    assert [(e.interview_id, e.kind) for e in report.events] == [(iid, "scheduling")]
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


def test_a_reply_from_a_panelist_who_got_no_follow_up_settles_the_panel(
    run: Run, home: Path
) -> None:
    run(
        "add", "--company", "Beta", "--role", "Dev", "--at", "2026-11-20T10:00:00Z",
        "--interviewer", "Ann <ann@beta.example>", "--interviewer", "Ben <ben@beta.example>",
        "--primary", "ann@beta.example",
    )  # fmt: skip
    sent = run("sent", "1", "--at", "2026-11-23T10:00:00Z", now="2026-11-23T10:00:00Z")
    assert sent.code == 0, sent.err
    ctx = open_context()
    pending = [n for n in ctx.store.notes(1) if n.state is NoteState.PENDING]
    ann = next(p.id for p in ctx.store.interviewers(1) if p.email == "ann@beta.example")
    assert [(n.step, n.interviewer_id) for n in pending] == [(2, ann)]  # Ben gets none
    box = FakeMailbox()
    box.deliver(
        "INBOX",
        message("Ben <ben@beta.example>", "Re: Thank you", "We'll decide soon.", "<b2@beta>"),
    )

    report = syncing.sync(ctx, box, ME, facts_from_bytes)  # type: ignore[arg-type]

    assert [e.kind for e in report.events] == ["replied"]
    assert ctx.store.get_interview(1).status is Status.REPLIED
    assert ctx.store.get_note(pending[0].id).state is NoteState.CANCELLED


def test_a_bounced_primary_hands_the_later_notes_to_the_next_interviewer(
    run: Run, home: Path
) -> None:
    run(
        "add", "--company", "Beta", "--role", "Dev", "--at", "2026-11-20T10:00:00Z",
        "--interviewer", "Ann <ann@beta.example>", "--interviewer", "Ben <ben@beta.example>",
        "--interviewer", "Cy <cy@beta.example>", "--primary", "ben@beta.example",
    )  # fmt: skip
    run("sent", "1", "--at", "2026-11-23T10:00:00Z", now="2026-11-23T10:00:00Z")
    ctx = open_context()
    ids = {p.email: p.id for p in ctx.store.interviewers(1)}

    def pending() -> list[tuple[int, int | None]]:
        return [
            (n.step, n.interviewer_id) for n in ctx.store.notes(1) if n.state is NoteState.PENDING
        ]

    assert pending() == [(2, ids["ben@beta.example"])]

    status = services.bounced(ctx, 1, ["ben@beta.example"], ctx.clock.now())

    assert status is Status.WAITING
    assert pending() == [(2, ids["ann@beta.example"])]  # the first of the others
    # and `show` says so: Ann is the contact now, Ben's address is why
    text = run("show", "1").out
    assert "Ann <ann@beta.example> (primary contact)" in text
    assert "Ben <ben@beta.example> (address bounced: no more notes)" in text
    people = {p["email"]: p for p in run("show", "1", "--json").json["interviewers"]}
    assert [e for e, p in people.items() if p["primary"]] == ["ann@beta.example"]
    assert people["ben@beta.example"]["bounced"] is True


def test_a_bounced_address_corrected_gets_its_thank_you_again(run: Run, home: Path) -> None:
    """A cold trial: the only interviewer's thank-you bounced (the sequence ended), the
    address was corrected, and nobody was ever thanked: the bounced note stayed "sent"."""
    run(
        "add", "--company", "Initech", "--role", "Dev", "--at", "2026-11-20T10:00:00Z",
        "--interviewer", "Peter Gibbons <peter@initech.exmaple>",
    )  # fmt: skip
    run("sent", "1", "--at", "2026-11-23T10:00:00Z", now="2026-11-23T10:00:00Z")
    ctx = open_context()
    assert services.bounced(ctx, 1, ["peter@initech.exmaple"], ctx.clock.now()) is (
        Status.CANCELLED
    )
    r = run("edit", "1", "--email", "peter@initech.example")
    assert r.code == 0, r.err
    assert "the thank-you that bounced is to send again" in r.out
    assert "followed up again (the bounce had ended it)" in r.out
    shown = run("show", "1", "--json").json
    assert shown["status"] == "waiting"
    pending = [n for n in shown["notes"] if n["state"] == "pending"]
    assert [(n["kind"], n["sent_at"]) for n in pending] == [("thank-you", None)]
    assert run("draft", "1", "--json").json["to"] == "Peter Gibbons <peter@initech.example>"


def test_a_bounced_address_corrected_after_they_answered_sends_nothing_again(
    run: Run, home: Path
) -> None:
    run(
        "add", "--company", "Initech", "--role", "Dev", "--at", "2026-11-20T10:00:00Z",
        "--interviewer", "Peter <peter@initech.exmaple>", "--interviewer",
        "Bill <bill@initech.example>",
    )  # fmt: skip
    run("sent", "1", "--at", "2026-11-23T10:00:00Z", now="2026-11-23T10:00:00Z")
    ctx = open_context()
    services.bounced(ctx, 1, ["peter@initech.exmaple"], ctx.clock.now())
    assert run("replied", "1", "--interviewer", "bill@initech.example").code == 0
    r = run("edit", "1", "--interviewer", "peter@initech.exmaple", "--email", "p@initech.example")
    assert r.code == 0, r.err
    assert "to send again" not in r.out
    shown = run("show", "1", "--json").json
    assert shown["status"] == "replied"
    assert {n["state"] for n in shown["notes"] if n["kind"] == "thank-you"} == {"sent"}


def test_a_name_alone_put_right_on_another_round_sends_nothing_again(run: Run, home: Path) -> None:
    """Only a changed address forgets a bounce: a name corrected on round 1 must not put
    round 2's bounced note back to send to the same bad address."""
    run(
        "add", "--company", "Initech", "--role", "Dev", "--at", "2026-11-16T10:00:00Z",
        "--interviewer", "Peter <peter@initech.exmaple>", "--interviewer",
        "Bill <bill@initech.example>",
    )  # fmt: skip
    run("add", "--application", "1", "--at", "2026-11-20T10:00:00Z")
    run("sent", "2", "--at", "2026-11-23T10:00:00Z", now="2026-11-23T10:00:00Z")
    ctx = open_context()
    services.bounced(ctx, 2, ["peter@initech.exmaple"], ctx.clock.now())
    r = run("edit", "1", "--interviewer", "peter@initech.exmaple", "--name", "Peter Gibbons")
    assert r.code == 0, r.err
    round_two = run("show", "2", "--json").json
    assert round_two["interviewers"][0]["name"] == "Peter Gibbons"
    peter = round_two["interviewers"][0]["id"]
    mine = [n["state"] for n in round_two["notes"] if n["interviewer_id"] == peter]
    assert "sent" in mine and "pending" not in mine


# --- the pre-filter: only what concerns an interview is read in full ---------------------

OTHER = "<them@elsewhere.example>"


def noise() -> list[bytes]:
    """Mail about nothing the home knows: none of it may be fetched in full."""
    return [
        message(
            "Shop <news@shop.example>",
            "Our November deals",
            "Buy now",
            "<n1@shop.example>",
            List_Unsubscribe="<mailto:u@shop.example>",
        ),
        message(
            "Sam <sam@friend.example>", "Re: Lunch", "Sure!", "<s1@f.example>", In_Reply_To=OTHER
        ),
        message(
            "Beta Careers <no-reply@greenhouse.io>",
            "Thank you for applying to Beta",
            "We received your application.",
            "<gh3@greenhouse.io>",
        ),
        message(
            "Sam <sam@friend.example>",
            "Automatic reply: Lunch",
            "I am out of the office this week.",
            "<ooo@f.example>",
            Auto_Submitted="auto-replied",
            Return_Path="<>",
        ),
        message("Grace <grace@example.org>", "note to self", "milk", "<me1@example.org>"),
    ]


def test_mail_about_nothing_the_home_knows_is_never_fetched_in_full(run: Run, home: Path) -> None:
    ctx, _, ours = setup(run, home)
    box = FakeMailbox()
    for raw in noise():
        box.deliver("INBOX", raw)
    reply = box.deliver(
        "INBOX",
        message(
            "Ada <ada@acme.example>", "Re: Thanks", "Great!", "<r1@acme.example>", In_Reply_To=ours
        ),
    )
    report = syncing.sync(ctx, box, ME, facts_from_bytes)  # type: ignore[arg-type]
    assert [e.kind for e in report.events] == ["replied"] and report.read == 6
    assert box.full_fetches == [("INBOX", (reply,))]
    assert syncing.sync(ctx, box, ME, facts_from_bytes).read == 0  # type: ignore[arg-type]
    assert box.full_fetches == [("INBOX", (reply,))]


def bounce(ours: str, *, report: bool) -> bytes:
    """A bounce of our note: a DSN, or an Exchange-style text one; our Message-ID only in the
    returned message, the sender a mail system no interview knows."""
    returned = (
        "From: grace@example.org\r\nTo: ada@acme.example\r\nSubject: Thank you\r\n"
        f"Message-ID: {ours}\r\n\r\nThank you for your time.\r\n"
    )
    if report:
        kind = 'multipart/report; report-type=delivery-status; boundary="B"'
        parts = (
            "--B\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
            "--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example\r\n"
            "\r\nFinal-Recipient: rfc822; ada@acme.example\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        )
        sender, subject = "Mail Delivery System <MAILER-DAEMON@mx.relay.example>", "Returned mail"
    else:
        kind = 'multipart/mixed; boundary="B"'
        parts = (
            "--B\r\nContent-Type: text/plain\r\n\r\nDelivery has failed to these recipients or"
            " groups:\r\n\r\nada@acme.example\r\nThe email address couldn't be found.\r\n"
        )
        sender, subject = (
            "Microsoft Outlook <postmaster@mx.relay.example>",
            "Undeliverable: Thank you",
        )
    return (
        f"From: {sender}\r\nTo: grace@example.org\r\nSubject: {subject}\r\n"
        "Message-ID: <b1@mx.relay.example>\r\nDate: Wed, 25 Nov 2026 11:00:00 +0000\r\n"
        f"MIME-Version: 1.0\r\nContent-Type: {kind}\r\n\r\n{parts}"
        f"--B\r\nContent-Type: message/rfc822\r\n\r\n{returned}--B--\r\n"
    ).encode()


@pytest.mark.parametrize("report", [True, False], ids=["dsn", "text"])
def test_a_bounce_naming_our_note_only_in_the_returned_message_acts(
    run: Run, home: Path, report: bool
) -> None:
    ctx, iid, ours = setup(run, home)
    box = FakeMailbox()
    for raw in noise():
        box.deliver("INBOX", raw)
    uid = box.deliver("INBOX", bounce(ours, report=report))
    report_ = syncing.sync(ctx, box, ME, facts_from_bytes)  # type: ignore[arg-type]
    assert [e.kind for e in report_.events] == ["bounced"]
    assert box.full_fetches == [("INBOX", (uid,))]
    assert ctx.store.get_interview(iid).status is Status.CANCELLED  # type: ignore[attr-defined]


def test_the_users_own_mail_is_never_a_candidate_even_in_our_thread(run: Run, home: Path) -> None:
    ctx, iid, ours = setup(run, home)
    box = FakeMailbox()
    box.deliver(
        "INBOX",
        message(
            "Grace Hopper <GRACE@example.org>",
            "Re: Thanks",
            "note",
            "<me2@example.org>",
            In_Reply_To=ours,
        ),
    )
    report = syncing.sync(ctx, box, ME, facts_from_bytes)  # type: ignore[arg-type]
    assert report.events == () and box.full_fetches == []
    assert ctx.store.get_interview(iid).status is Status.WAITING  # type: ignore[attr-defined]


def test_in_sent_only_the_message_id_counts_and_nothing_is_fetched_in_full(
    run: Run, home: Path
) -> None:
    run(
        "add", "--company", "Acme", "--role", "Dev", "--at", "2026-11-20T10:00:00Z",
        "--interviewer", "Ada <ada@acme.example>",
    )  # fmt: skip
    ctx = open_context()
    note = ctx.store.notes(1)[0]
    mine = ctx.store.assign_message_id(note.id, "<drafted@example.org>")  # pending, in Drafts
    box = FakeMailbox()
    # the user's own mail client sent it; and other things in Sent that must change nothing
    box.deliver("Sent", message("grace@example.org", "Thank you", "Thanks!", mine))
    box.deliver(
        "Sent", message("grace@example.org", "Re: x", "hi", "<o@example.org>", In_Reply_To=mine)
    )
    box.deliver("Sent", message("ada@acme.example", "Re: Thank you", "x", "<a@acme.example>"))
    report = syncing.sync(ctx, box, ME, facts_from_bytes)
    assert [e.kind for e in report.events] == ["sent-found"]
    assert ctx.store.get_note(note.id).state is NoteState.SENT  # type: ignore[union-attr]
    assert box.full_fetches == []  # Sent: headers only; the inbox: nothing new


def test_each_batch_is_saved_with_its_effects_and_read_once(
    run: Run, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An interrupted sync keeps what its finished batches did; the next one reads the rest."""
    ctx, iid, ours = setup(run, home)
    monkeypatch.setattr(syncing, "BATCH", 2)
    box = FakeMailbox()
    box.BATCH = 2
    raws = [
        *noise()[:3],
        message(
            "Ada <ada@acme.example>",
            "Automatic reply",
            "I am out of the office until 2026-12-01.",
            "<ooo2@acme.example>",
            In_Reply_To=ours,
            Auto_Submitted="auto-replied",
        ),
        message(
            "Ada <ada@acme.example>", "Re: Thanks", "Great!", "<r2@acme.example>", In_Reply_To=ours
        ),
    ]
    for raw in raws:
        box.deliver("INBOX", raw)

    def parse_once_then_fail(raw: bytes) -> Any:
        if b"<r2@acme.example>" in raw:
            raise RuntimeError("interrupted")
        return facts_from_bytes(raw)

    with pytest.raises(RuntimeError):
        syncing.sync(ctx, box, ME, parse_once_then_fail)  # type: ignore[arg-type]
    assert ctx.store.sync_point(ME.account, "INBOX")[1] == 4  # type: ignore[attr-defined]
    assert [i["classification"] for i in ctx.store.inbound(iid)] == ["auto-reply"]  # type: ignore[attr-defined]
    again = syncing.sync(ctx, box, ME, facts_from_bytes)  # type: ignore[arg-type]
    assert again.read == 1 and [e.kind for e in again.events] == ["replied"]
    assert box.full_fetches[-1] == ("INBOX", (5,))


# --- the bounce screen, against the classifier -----------------------------------------------


def test_the_bounce_phrases_can_run_on_lower_cased_text() -> None:
    from followup.domain.replies import bounces

    for pattern in (bounces._BOUNCE_SUBJECT, bounces._WARNING, bounces._DAEMON_NAME):
        literal = re.sub(r"\\.", "", pattern.pattern)
        assert literal == literal.lower(), pattern.pattern
    assert bounces._DAEMON_LOCALS.lower() == bounces._DAEMON_LOCALS


@pytest.mark.parametrize("field", ["subject", "sender"])
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_every_text_the_phrases_match_passes_their_word_screen(field: str, data: Any) -> None:
    """The screens in front of the phrases (a word of the list in every text they match),
    on texts generated from the phrases themselves."""
    from followup.domain.replies import bounces

    pattern, words = {
        "subject": (bounces._LOWER_BOUNCE_OR_WARNING_SUBJECT, bounces._BOUNCE_OR_WARNING_WORDS),
        "sender": (bounces._LOWER_DAEMON, bounces._DAEMON_WORDS),
    }[field]
    text = " ".join(data.draw(st.from_regex(pattern)).split())  # one line
    if pattern.search(text.lower()):
        assert any(word in text.lower() for word in words), text
        sender, subject = ("Ada <ada@acme.example>", text) if field == "subject" else (text, "Hi")
        assert may_be_bounces([sender], [subject], [""]) == {0}


def test_every_bounce_and_warning_of_three_corpora_is_picked_from_its_headers() -> None:
    """No bounce or delivery warning the classifier finds is left out by the header screen
    (the Mailman bounce corpus, CPython's email tests, our fixtures)."""
    data = flufl_bounce_root() / "tests" / "data"
    files = [*sorted(data.glob("*.txt")), *sorted(cpython_email_data().glob("*.txt"))]
    files += sorted((Path(__file__).parents[1] / "fixtures" / "mail").glob("*.eml"))
    bounces, headers = [], []
    for path in files:
        raw = path.read_bytes()
        verdict = classify(facts_from_bytes(raw))
        if verdict.kind is Kind.BOUNCE or "delivery" in verdict.reason:
            bounces.append(path.name)
            ends = [i + len(s) for s in (b"\r\n\r\n", b"\n\n") if (i := raw.find(s)) >= 0]
            headers.append(raw[: min(ends)] if ends else raw)
    assert len(bounces) > 100
    heads = syncing.read_heads(headers)
    picked = may_be_bounces(
        heads.senders, heads.subjects, heads.content_types, heads.failed_recipients
    )
    assert [name for i, name in enumerate(bounces) if i not in picked] == []


def test_reading_a_batch_of_headers_gives_each_its_own_fields() -> None:
    headers = [
        b"From: Ada <ada@acme.example>\r\nSubject: =?utf-8?q?R=C3=A9ponse?= one\r\n"
        b"References: <a@x>\r\n\t<b@x>\r\nMessage-ID: <m1@x>\r\n\r\n",
        b"subject: first\r\nSUBJECT: second\r\nX-Failed-Recipients: z@y\r\n"
        b"In-Reply-To: <c@x>\r\nContent-Type: multipart/report;\r\n report-type=x\r\n\r\n",
        b"From: \0odd\r\nFrom: b@y\r\n\r\n",  # a NUL, and two From headers
    ]
    for batch in (headers, [*headers[:2], b"From: c@z\r\n\0: a separator inside\r\n\r\n"]):
        heads = syncing.read_heads(batch)
        assert [s.split() for s in heads.subjects] == [["Réponse", "one"], ["first"], []]
        assert heads.senders[0].split() == ["Ada", "<ada@acme.example>"]
        assert heads.failed_recipients == {1}
        assert heads.content_types[1].split() == ["multipart/report;", "report-type=x"]
        assert [syncing._ids([r]) for r in heads.references] == [["<a@x>", "<b@x>"], ["<c@x>"], []]
        ids = syncing.read_heads(batch, message_ids=True)
        assert [v.split() for v in ids.message_ids] == [[b"<m1@x>"], [], []]
        assert ids.senders == ids.subjects == ["", "", ""] and heads.message_ids == [b""] * 3
    assert syncing.read_heads(headers).senders[2].split() == ["odd", "b@y"]
    assert syncing.read_heads([]) == syncing.Heads([], [], [], set(), [], [])
