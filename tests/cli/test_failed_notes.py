"""A note is marked failed only when its RECIPIENT is refused (one rule,
mailports.fails_the_note); the account's or the connection's failure leaves it pending, so
that Send works once the settings are fixed. A failed note can be tried again (`retry`),
recorded and undoable (issue #16 trial item 1)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from followup.adapters.mail.fake import FakeMailer
from followup.adapters.mail.message import compose
from followup.app import sending
from followup.app.mailports import MailError, SignInNeeded
from followup.bootstrap import open_context
from tests.cli.test_decisions import _interview
from tests.conftest import Run


class Refusing(FakeMailer):
    """A mailer whose next sends raise these errors (then it delivers)."""

    def __init__(self, *errors: MailError) -> None:
        super().__init__()
        self.errors = list(errors)

    def send(self, raw: bytes, sender: str, recipients: Sequence[str]) -> None:
        if self.errors:
            self.attempts += 1
            raise self.errors.pop(0)
        super().send(raw, sender, recipients)


def _send(home: Path, iid: int, mailer: FakeMailer) -> sending.Sent:
    ctx = open_context(str(home))
    outbox = sending.Outbox("Grace <grace@example.org>", "grace@example.org", compose, mailer, None)
    [result] = sending.send_interview(ctx, outbox, iid, to_drafts=False, backoff=())
    return result


def _setup(run: Run) -> int:
    assert run("config", "set", "user.name", "Grace").code == 0  # signed: lint-clean notes
    return int(_interview(run))


def _states(run: Run, iid: int) -> list[str]:
    return [n["state"] for n in run("show", str(iid), "--json").json["notes"]]


ACCOUNT_FAILURES = [
    MailError("refusing to talk to 10.255.255.1 without TLS: use ssl or starttls", permanent=True),
    MailError("SMTP login failed for grace at smtp.example.org: 535 no", permanent=True),
    MailError("TLS with smtp.example.org failed: WRONG_VERSION_NUMBER", permanent=True),
    MailError("the server refused MAIL FROM: 553 not yours", permanent=True, code=553),
    MailError("cannot reach SMTP server smtp.example.org:587: timed out", permanent=False),
    SignInNeeded("sign in again: followup mail login"),
]


@pytest.mark.parametrize("error", ACCOUNT_FAILURES, ids=lambda e: str(e)[:30])
def test_an_account_or_connection_failure_leaves_the_note_pending(
    run: Run, home: Path, error: MailError
) -> None:
    iid = _setup(run)
    result = _send(home, iid, Refusing(error))
    assert result.outcome == "retry-later" and str(error) in result.detail
    assert "failed" not in _states(run, iid)
    # the settings fixed: the same note goes, no retry needed
    mailer = FakeMailer()
    assert _send(home, iid, mailer).outcome == "sent" and len(mailer.sent) == 1


def test_the_real_smtp_adapter_says_whose_refusal_it_is() -> None:
    from followup.adapters.mail.smtp import SmtpMailer

    mailer = SmtpMailer.__new__(SmtpMailer)
    mailer._sent_password = None
    mailer.username = None
    assert mailer._refused("RCPT TO alan@x.example", 550, b"no such user").recipient
    assert mailer._refused("DATA", 554, b"rejected").recipient
    assert not mailer._refused("MAIL FROM", 553, b"not yours").recipient


def test_a_recipient_refusal_fails_the_note_and_retry_puts_it_back(run: Run, home: Path) -> None:
    iid = _setup(run)
    mailer = FakeMailer()
    mailer.fail_next(550)
    assert _send(home, iid, mailer).outcome == "failed"
    assert "failed" in _states(run, iid)

    r = run("retry", str(iid), "--interviewer", "ada@acme.example")
    assert r.code == 0, r.err
    assert "pending again" in r.out
    assert "failed" not in _states(run, iid)
    [last] = run("history", str(iid), "--json").json[-1:]
    assert last["kind"] == "retried"

    # undoable: back to failed
    assert run("undo", str(iid)).code == 0
    assert "failed" in _states(run, iid)
    assert run("retry", str(iid)).code == 0
    sent = FakeMailer()
    assert _send(home, iid, sent).outcome == "sent" and len(sent.sent) == 1


def test_retry_refuses_when_nothing_failed(run: Run) -> None:
    iid = _setup(run)
    r = run("retry", str(iid))
    assert r.code == 5 and "no failed note" in r.err
    r = run("retry", str(iid), "--interviewer", "bob@acme.example")
    assert r.code != 0 and "no failed note for bob@acme.example" in r.err


def test_dismiss_lets_a_failed_note_go_and_undo_brings_it_back(run: Run, home: Path) -> None:
    """The dashboard's "Let it go" from a terminal (`followup dismiss`): the agenda stops
    asking to fix and resend the note; it stays failed in the history; undo and retry work."""
    iid = _setup(run)
    mailer = FakeMailer()
    mailer.fail_next(550)
    assert _send(home, iid, mailer).outcome == "failed"
    assert _asking(home) == {iid}

    r = run("dismiss", str(iid))
    assert r.code == 0, r.err
    assert "Let the failed note go" in r.out
    assert _asking(home) == set()
    assert "failed" in _states(run, iid)  # still failed: nothing planned again for them
    assert run("dismiss", str(iid)).code == 5  # nothing left to let go

    assert run("undo", str(iid)).code == 0
    assert _asking(home) == {iid}
    assert run("dismiss", str(iid), "--json").json == {
        "interview_id": iid,
        "dismissed": 1,
        "status": None,  # the sequence goes on (a thank-you let go says how it ended)
    }
    assert run("retry", str(iid)).code == 0  # still possible after letting it go
    assert "failed" not in _states(run, iid)


def _asking(home: Path) -> set[int]:
    """The interviews Today's "Now" asks to fix and resend a failed note of."""
    from followup.app import agenda

    return {
        row.interview_id for row in agenda.agenda(open_context(str(home)), with_ended=True).failed
    }
