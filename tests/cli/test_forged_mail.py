"""A message whose receiving server says it is not from its From domain (the topmost
Authentication-Results: dmarc=fail, or spf=fail with no dkim=pass for that domain) changes
no interview: `receive` and `sync` say "looks forged" (cold trial: a spoofed reply from an
interviewer stopped the thank-yous; a spoofed invitation made the attacker a next round)."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from followup.adapters.mail.fake import FakeMailbox
from followup.adapters.mail.inbound import facts_from_bytes
from followup.app import syncing
from followup.bootstrap import open_context
from followup.domain.replies.auth import forged
from tests.cli.test_receive_cli import add, status
from tests.conftest import Run

SPOOFED = "mx.example.org; spf=fail smtp.mailfrom=acme.example; dkim=none; dmarc=fail (p=REJECT) header.from=acme.example"  # noqa: E501
GENUINE = "mx.example.org; spf=pass smtp.mailfrom=acme.example; dkim=pass header.d=acme.example; dmarc=pass header.from=acme.example"  # noqa: E501

EVIL_INVITE = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Evil//EN
METHOD:REQUEST
BEGIN:VEVENT
UID:second-round@evil.example
SEQUENCE:0
DTSTAMP:20261125T080000Z
DTSTART:20261202T100000Z
DTEND:20261202T110000Z
SUMMARY:Acme second interview
ORGANIZER;CN=Ada Lovelace:mailto:ada@evil.example
ATTENDEE;CN=Grace Hopper:mailto:grace@example.org
ATTENDEE;CN=Mallory:mailto:mallory@evil.example
END:VEVENT
END:VCALENDAR
"""


def mail(
    path: Path, *results: str, body: str = "Thanks Grace, we will be in touch.", invite: str = ""
) -> str:
    m = EmailMessage()
    for value in results:  # topmost first, as servers prepend them
        m["Authentication-Results"] = value
    m["From"], m["To"] = "Ada Lovelace <ada@acme.example>", "grace@example.org"
    m["Subject"], m["Message-ID"] = "Re: Thank you", f"<{path.stem}@acme.example>"
    m["Date"] = "Wed, 25 Nov 2026 09:00:00 +0000"
    m.set_content(body)
    if invite:
        m.add_alternative(invite, subtype="calendar", params={"method": "REQUEST"})
    path.write_bytes(bytes(m))
    return str(path)


def test_a_spoofed_reply_changes_nothing_and_says_it_looks_forged(run: Run, tmp_path: Path) -> None:
    iid = add(run, "Acme", "Engineer", "Ada <ada@acme.example>")
    path = mail(tmp_path / "spoof.eml", SPOOFED)
    done = run("receive", path)
    assert done.code == 0, done.err
    assert done.out.splitlines()[-1] == (
        "looks forged: mx.example.org: spf=fail, dkim=none, dmarc=fail; nothing changed"
    )
    as_json = run("receive", path, "--json").json
    assert (as_json["changes"], as_json["matched"]) == ([], [iid])
    assert as_json["unverified"] == "mx.example.org: spf=fail, dkim=none, dmarc=fail"
    assert status(run, iid) == "waiting"  # the thank-you still goes
    assert run("show", str(iid), "--json").json["inbound"] == []


def test_a_spoofed_invitation_makes_no_round_and_adds_nobody(run: Run, tmp_path: Path) -> None:
    iid = add(run, "Acme", "Engineer", "Ada <ada@acme.example>")
    path = mail(tmp_path / "inv.eml", SPOOFED, invite=EVIL_INVITE,
                body="Hi Grace, we would like to invite you to a second interview.")  # fmt: skip
    done = run("receive", path, "--json")
    assert done.code == 0, done.err
    assert (done.json["next_round"], done.json["changes"]) == ([], [])
    assert status(run, iid) == "waiting"
    assert [r["id"] for r in run("list", "--json").json] == [iid]


def test_only_the_topmost_header_is_read(run: Run, tmp_path: Path) -> None:
    """A sender may write headers of its own below the server's: a forged "pass" below a
    failure hides nothing, and a failure below the server's pass is not believed."""
    first = add(run, "Acme", "Engineer", "Ada <ada@acme.example>")
    hidden = run("receive", mail(tmp_path / "a.eml", SPOOFED, GENUINE), "--json").json
    assert hidden["unverified"] and status(run, first) == "waiting"
    genuine = run("receive", mail(tmp_path / "b.eml", GENUINE, SPOOFED), "--json").json
    assert genuine["unverified"] is None and status(run, first) == "replied"


def test_sync_says_a_spoofed_reply_looks_forged_and_changes_nothing(
    run: Run, home: Path, tmp_path: Path
) -> None:
    iid = add(run, "Acme", "Engineer", "Ada <ada@acme.example>")
    box = FakeMailbox()
    box.deliver("INBOX", Path(mail(tmp_path / "s.eml", SPOOFED)).read_bytes())
    me = syncing.MailIdentity("me@imap", frozenset({"grace@example.org"}), (), 7)
    report = syncing.sync(open_context(), box, me, facts_from_bytes)  # type: ignore[arg-type]
    assert [(e.interview_id, e.kind) for e in report.events] == [(iid, "unverified")]
    assert report.events[0].detail.startswith("looks forged: mx.example.org: ")
    assert status(run, iid) == "waiting"


A = "authentication-results"


@pytest.mark.parametrize(
    ("value", "looks_forged"),
    [
        ("mx.example.org; dmarc=fail (p=NONE) header.from=acme.example", True),
        ("mx.example.org; spf=fail smtp.mailfrom=acme.example; dkim=none", True),
        ("mx.example.org; spf=softfail smtp.mailfrom=acme.example", False),  # not a failure
        # forwarded: the author's signature stands
        ("mx.example.org; spf=fail smtp.mailfrom=list.x; dkim=pass header.d=acme.example", False),
        ("mx.example.org; spf=fail; dkim=pass header.i=@mail.acme.example", False),
        ("mx.example.org; spf=fail; dkim=pass header.d=evil.example", True),  # not the author's
        ("mx.example.org; spf=fail; dkim=pass header.d=example", True),  # not a parent of it
        ("mx.example.org 1; spf=pass (sender OK; dmarc=fail said here) smtp.mailfrom=x", False),
        ("mx.example.org; none", False),
        ("", False),
        # Microsoft 365 writes no authserv-id: its first result is read too (cold trial)
        (
            "spf=fail (sender IP is 6.6.6.6) smtp.mailfrom=acme.example; dkim=none (message not"
            " signed) header.d=none;dmarc=none action=none header.from=acme.example",
            True,
        ),
        (
            "spf=pass (sender IP is 1.2.3.4) smtp.mailfrom=acme.example; dkim=pass (signature"
            " was verified) header.d=acme.example;dmarc=pass action=none",
            False,
        ),
        ("spf=fail smtp.mailfrom=list.x; dkim=pass header.d=acme.example; compauth=pass", False),
    ],
)
def test_which_results_say_forged(value: str, looks_forged: bool) -> None:
    said = forged([(A, value)], "ada@acme.example")
    assert bool(said) is looks_forged
    if said and not value.startswith("mx."):
        assert said.startswith("your mail server: spf=fail, dkim=none"), said
