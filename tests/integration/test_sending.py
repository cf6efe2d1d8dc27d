"""Sending for real through SMTP (aiosmtpd on loopback): at most once, whatever happens."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from followup.app.errors import ExitCode
from tests.conftest import NOW, Run
from tests.integration.smtp_sink import Sink

pytestmark = pytest.mark.integration


def configure(run: Run, sink: Sink, *extra: tuple[str, str]) -> None:
    settings = [
        ("user.name", "Grace Hopper"),
        ("user.email", "grace@example.org"),
        ("mail.smtp_host", sink.host),
        ("mail.smtp_port", str(sink.port)),
        ("mail.smtp_security", "none"),
        ("mail.mode", "send"),
        *extra,
    ]
    for key, value in settings:
        assert run("config", "set", key, value).code == 0


def due_interview(run: Run, *people: str) -> str:
    people = people or ("Ada Lovelace <ada@acme.example>",)
    args = [a for p in people for a in ("--interviewer", p)]
    later = len(run("list", "--json").json)  # another interview a minute later: not the same
    created = run(
        "add", "--company", "Acme", "--role", "Backend Engineer", "--culture", "startup",
        "--at", f"2026-11-20T10:{later:02d}:00Z", "--topic", "the billing rewrite",
        "--skill", "PostgreSQL", *args, "--json",
    )  # fmt: skip
    assert created.code == 0, created.err
    return str(created.json["id"])


def notes(run: Run, iid: str) -> list[dict]:
    return run("show", iid, "--json").json["notes"]


def test_send_delivers_once_to_exactly_the_interviewer(run: Run, smtp_sink: Sink) -> None:
    configure(run, smtp_sink)
    iid = due_interview(run)
    r = run("send", iid, "--json")
    assert r.code == 0, r.err
    assert [x["outcome"] for x in r.json] == ["sent"]
    [mail] = smtp_sink.received
    assert mail.recipients == ["ada@acme.example"]
    assert mail.sender == "grace@example.org"
    thank_you = notes(run, iid)[0]
    assert thank_you["state"] == "sent" and thank_you["sent_at"] == NOW
    assert mail.message_id == thank_you["message_id"]
    assert b"the billing rewrite" in mail.raw
    # the follow-up is planned a week after the real send, and a second send sends nothing
    follow = notes(run, iid)[1]
    assert (follow["step"], follow["state"]) == (2, "pending")
    assert run("send", iid).code == 5
    assert len(smtp_sink.received) == 1


def test_a_temporary_refusal_is_retried_with_back_off(
    run: Run, smtp_sink: Sink, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(run, smtp_sink)
    iid = due_interview(run)
    waits: list[float] = []
    monkeypatch.setattr("followup.app.sending.time.sleep", waits.append)
    smtp_sink.script = ["451", "451"]
    r = run("send", iid, "--json")
    assert [x["outcome"] for x in r.json] == ["sent"]
    assert waits == [2.0, 8.0]
    assert len(smtp_sink.received) == 1


def test_a_permanent_refusal_fails_the_note_and_says_why(run: Run, smtp_sink: Sink) -> None:
    configure(run, smtp_sink)
    iid = due_interview(run)
    smtp_sink.script = ["550"]
    r = run("send", iid, "--json")
    assert r.code == 5
    assert r.json[0]["outcome"] == "failed" and "550" in r.json[0]["detail"]
    assert notes(run, iid)[0]["state"] == "failed"
    assert smtp_sink.received == []


def test_a_dropped_connection_after_data_is_unknown_never_resent(run: Run, smtp_sink: Sink) -> None:
    configure(run, smtp_sink)
    iid = due_interview(run)
    smtp_sink.script = ["drop"]
    r = run("send", iid, "--json")
    assert r.json[0]["outcome"] == "unknown"
    assert notes(run, iid)[0]["state"] == "unknown"
    assert run("send", iid).code == 5  # nothing pending: the unknown note is not sent again
    assert len(smtp_sink.received) == 1
    # the user checked their Sent folder: not there. Only then is it sent again.
    r = run("send", iid, "--resend-unknown", "--json")
    assert [x["outcome"] for x in r.json] == ["sent"]
    assert len(smtp_sink.received) == 2


def test_each_panelist_gets_their_own_message(run: Run, smtp_sink: Sink) -> None:
    configure(run, smtp_sink)
    iid = due_interview(run, "Ada Lovelace <ada@acme.example>", "Bob Stone <bob@acme.example>")
    run("debrief", iid, "--interviewer", "bob@acme.example", "--topic", "on-call load")
    r = run("send", iid, "--json")
    assert [x["outcome"] for x in r.json] == ["sent", "sent"]
    assert sorted(m.recipients[0] for m in smtp_sink.received) == [
        "ada@acme.example",
        "bob@acme.example",
    ]
    assert len(set(smtp_sink.message_ids)) == 2


def test_not_before_it_is_due_unless_forced(run: Run, smtp_sink: Sink) -> None:
    configure(run, smtp_sink)
    created = run("add", "--company", "Acme", "--role", "Dev", "--at", "2026-11-25T09:00:00Z",
                  "--interviewer", "Ada <ada@acme.example>", "--topic", "x", "--skill", "y",
                  "--json").json  # fmt: skip
    r = run("send", str(created["id"]), "--json")
    assert r.code == 5 and r.json[0]["outcome"] == "skipped" and "not due" in r.json[0]["detail"]
    assert smtp_sink.received == []


def test_a_draft_with_lint_errors_is_not_sent(run: Run, smtp_sink: Sink) -> None:
    configure(run, smtp_sink)
    created = run(
        "add",
        "--company",
        "Acme",
        "--role",
        "Dev",
        "--at",
        "2026-11-20T10:00:00Z",
        "--interviewer",
        "Ada <ada@acme.example>",
        "--json",
    ).json  # no debrief
    r = run("send", str(created["id"]), "--json")
    assert r.json[0]["outcome"] == "skipped" and "lint" in r.json[0]["detail"]
    assert r.code == ExitCode.LINT  # as `lint` and `send --when-due`: not 5 (a conflict)
    assert smtp_sink.received == []


def test_force_sends_early_but_never_a_note_with_lint_errors(run: Run, smtp_sink: Sink) -> None:
    configure(run, smtp_sink)
    created = run("add", "--company", "Acme", "--role", "Dev", "--at", "2026-11-20T10:00:00Z",
                  "--interviewer", "Ada <ada@acme.example>", "--skill", "PostgreSQL",
                  "--json").json  # fmt: skip  # no topic: no specific point
    r = run("send", str(created["id"]), "--force", "--json")
    assert r.code == ExitCode.LINT and r.json[0]["outcome"] == "skipped"
    detail = r.json[0]["detail"]
    assert "lint errors" in detail and "no-specific-point" in detail
    assert f"followup debrief {created['id']} --topic" in detail  # the fix, named
    assert smtp_sink.received == []
    early = run("add", "--company", "Acme", "--role", "Dev", "--at", "2026-11-25T09:00:00Z",
                "--interviewer", "Ada <ada@acme.example>", "--topic", "the billing rewrite",
                "--skill", "PostgreSQL", "--json").json  # fmt: skip
    r = run("send", str(early["id"]), "--force", "--json")
    assert [x["outcome"] for x in r.json] == ["sent"], r.json


def test_a_reply_that_lands_before_the_claim_stops_the_send(
    run: Run, smtp_sink: Sink, monkeypatch: pytest.MonkeyPatch
) -> None:
    from followup.app import sending, services
    from followup.bootstrap import MailSetup, open_context

    configure(run, smtp_sink)
    iid = int(due_interview(run))
    ctx = open_context()
    chosen = sending.notes_for_interview(ctx, iid)
    drafted = sending._draft_for

    def reply_arrives_while_drafting(ctx_: object, note: object) -> object:
        draft = drafted(ctx, note)  # type: ignore[arg-type]
        services.mark_replied(ctx, iid)  # e.g. `followup sync` in another terminal, just now
        return draft

    monkeypatch.setattr(sending, "_draft_for", reply_arrives_while_drafting)
    outbox = MailSetup(None).outbox("Grace Hopper")
    results = sending.deliver(ctx, outbox, chosen, to_drafts=False)
    assert [(r.outcome, r.detail) for r in results] == [
        ("skipped", "already sent, replied or claimed")
    ]
    assert smtp_sink.received == []


def test_send_due_has_a_safety_brake(run: Run, smtp_sink: Sink) -> None:
    configure(run, smtp_sink, ("mail.max_batch", "1"))
    due_interview(run)
    due_interview(run)
    r = run("send", "--due")
    assert r.code == 5 and "more than 1" in r.err
    r = run("send", "--due", "--yes", "--json")  # no IMAP configured: --yes takes that risk too
    assert r.code == 0, r.err
    assert [x["outcome"] for x in r.json] == ["sent", "sent"]


# --- crashes: the sending process is killed at each step --------------------------------


def _send_in_subprocess(home: Path, iid: str, failpoint: str | None) -> int:
    env = {k: v for k, v in os.environ.items() if k != "FOLLOWUP_FAILPOINT"}
    env.update({"FOLLOWUP_HOME": str(home), "FOLLOWUP_NOW": NOW})
    if failpoint:
        env["FOLLOWUP_FAILPOINT"] = failpoint
    exe = str(Path(sys.executable).with_name("followup"))
    return subprocess.run([exe, "send", iid], env=env, capture_output=True).returncode


@pytest.mark.parametrize(
    ("how", "delivered"),
    [("claimed", 0), ("in-data", 1), ("accepted", 1)],
)
def test_killed_mid_send_never_duplicates(
    run: Run, smtp_sink: Sink, home: Path, how: str, delivered: int
) -> None:
    configure(run, smtp_sink)
    iid = due_interview(run)
    if how == "in-data":
        smtp_sink.script = ["kill:PID"]  # filled in below, once the child exists
        _run_killed_by_server(home, iid, smtp_sink)
    else:
        assert _send_in_subprocess(home, iid, how) == -9
    assert len(smtp_sink.received) == delivered
    assert notes(run, iid)[0]["state"] == "sending"
    # the next run finds the dead claim: unknown, and NOT sent again
    again = _send_in_subprocess(home, iid, None)
    assert again == 5
    assert notes(run, iid)[0]["state"] == "unknown"
    assert len(smtp_sink.received) == delivered
    for _ in range(2):
        _send_in_subprocess(home, iid, None)
    assert len(smtp_sink.received) == delivered  # still no duplicate


def _run_killed_by_server(home: Path, iid: str, sink: Sink) -> None:
    env = {k: v for k, v in os.environ.items() if k != "FOLLOWUP_FAILPOINT"}
    env.update({"FOLLOWUP_HOME": str(home), "FOLLOWUP_NOW": NOW})
    exe = str(Path(sys.executable).with_name("followup"))
    child = subprocess.Popen([exe, "send", iid], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)  # fmt: skip
    sink.script = [f"kill:{child.pid}"]
    assert child.wait(timeout=60) == -9


def test_the_record_of_a_sent_note_keeps_the_address_it_went_to(run: Run, smtp_sink: Sink) -> None:
    """A cold trial (session 17): once the address was corrected, nothing showed where the
    thank-you had gone; the edit now says, and the history keeps it."""
    configure(run, smtp_sink)
    iid = due_interview(run)
    assert run("send", iid).code == 0
    [mailed] = [e for e in run("history", iid, "--json").json if e["kind"] == "mailed"]
    assert mailed["detail"]["to"] == "ada@acme.example"
    assert "to Ada Lovelace <ada@acme.example> was sent by mail" in mailed["summary"]
    r = run("edit", iid, "--email", "ada.lovelace@acme.example")
    assert r.code == 0, r.err
    assert "the thank-you was sent to the old address, ada@acme.example" in r.out


def test_undo_refuses_to_unsend_a_note_that_left_unless_the_record_is_wrong(
    run: Run, smtp_sink: Sink
) -> None:
    """Issue #14: a note sent by SMTP cannot be unsent; --force says it never arrived."""
    configure(run, smtp_sink)
    iid = due_interview(run)
    assert run("send", iid).code == 0
    events = run("history", iid, "--json").json
    assert events[-1]["kind"] == "mailed" and "sent by mail" in events[-1]["summary"]
    r = run("undo", iid)
    assert r.code == ExitCode.CONFLICT
    assert "cannot be unsent" in r.err and f"followup undo {iid} --force" in r.err
    assert notes(run, iid)[0]["state"] == "sent"
    assert run("undo", iid, "--force").code == 0
    assert [n["state"] for n in notes(run, iid)] == ["pending"]
    assert len(smtp_sink.received) == 1
