"""Scheduled sends: `send ID --when-due` approves, `followup worker` sends (SMTP sink, SQLite)."""

from __future__ import annotations

import email
import email.policy
import email.utils
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import NOW, Run
from tests.integration.smtp_sink import Sink
from tests.integration.test_sending import configure, due_interview, notes

pytestmark = pytest.mark.integration


def test_only_an_approved_note_goes_out_and_only_once(run: Run, smtp_sink: Sink) -> None:
    configure(run, smtp_sink)
    approved = due_interview(run)
    due_interview(run)  # due too, never approved: the worker must not touch it
    r = run("send", approved, "--when-due", "--json")
    assert r.code == 0, r.err
    [scheduled] = r.json
    assert scheduled["outcome"] == "scheduled" and scheduled["to"].endswith("<ada@acme.example>")
    assert run("send", approved, "--when-due", "--json").json[0]["outcome"] == "unchanged"
    assert smtp_sink.received == []  # approving sends nothing
    r = run("worker", "--once")
    assert r.code == 0, r.err
    [mail] = smtp_sink.received
    thank_you = notes(run, approved)[0]
    assert thank_you["state"] == "sent" and mail.message_id == thank_you["message_id"]
    assert f"note {thank_you['id']} (interview {approved}): sent" in r.err
    assert "billing rewrite" not in r.err  # the log never carries a body
    run("worker", "--once")
    assert len(smtp_sink.received) == 1
    # the follow-up planned after the send is not approved by the thank-you's approval
    later = "2026-12-20T12:00:00Z"
    assert run("worker", "--once", now=later).code == 0
    assert len(smtp_sink.received) == 1


def test_a_note_is_not_sent_before_it_is_due(run: Run, smtp_sink: Sink) -> None:
    configure(run, smtp_sink)
    created = run("add", "--company", "Acme", "--role", "Dev", "--at", "2026-11-25T09:00:00Z",
                  "--interviewer", "Ada <ada@acme.example>", "--topic", "x", "--skill", "y",
                  "--json").json  # fmt: skip
    iid = str(created["id"])
    r = run("send", iid, "--when-due", "--json")
    assert r.code == 0 and r.json[0]["outcome"] == "scheduled"
    due = r.json[0]["due_at"]
    run("worker", "--once")
    assert smtp_sink.received == []
    run("worker", "--once", now=due)
    assert len(smtp_sink.received) == 1


def test_the_worker_sends_the_message_as_approved_even_if_templates_change_later(
    run: Run, smtp_sink: Sink, home: Path
) -> None:
    configure(run, smtp_sink)
    iid = due_interview(run)
    approved = run("draft", iid, "--json").json
    approved = approved[0] if isinstance(approved, list) else approved
    assert run("send", iid, "--when-due").code == 0
    # the user's templates change after approval: what goes is still what they saw
    templates = home / "templates"
    templates.mkdir()
    (templates / "thank-you.casual.txt").write_text(
        "Subject: Thanks, {{ first_name }}\n\nHi {{ first_name }}, thank you for the"
        " chat about {{ topic }}. I am excited about {{ company }} and my {{ skill }} work.\n"
        "{{ sender }}\n"
    )
    later = "2026-11-26T09:30:00Z"
    r = run("worker", "--once", now=later)
    assert r.code == 0, r.err
    (got,) = smtp_sink.received
    message = email.message_from_bytes(got.raw, policy=email.policy.default)
    assert message["Subject"] == approved["subject"]
    assert message.get_content().replace("\r\n", "\n").strip() == approved["body"].strip()
    assert message["Message-ID"] == approved["message_id"]
    assert email.utils.parsedate_to_datetime(message["Date"]) == datetime(
        2026, 11, 26, 9, 30, tzinfo=UTC
    )  # stamped when it went, not when it was approved


def test_editing_an_approved_note_withdraws_the_approval(
    run: Run, smtp_sink: Sink, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(run, smtp_sink)
    iid = due_interview(run)
    assert run("send", iid, "--when-due").code == 0
    editor = tmp_path / "editor.sh"
    text = (
        "Subject: Thank you\\n\\nHi Ada,\\n\\nThank you for the talk about the billing"
        " rewrite. I am excited about the role, and my PostgreSQL work fits it well.\\n\\n"
        "Grace Hopper\\n"
    )
    editor.write_text(f"#!/bin/sh\nprintf '{text}' > \"$1\"\n")
    editor.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(editor))
    monkeypatch.setenv("VISUAL", str(editor))
    assert run("draft", iid, "--edit").code == 0
    monkeypatch.delenv("EDITOR")
    monkeypatch.delenv("VISUAL")

    r = run("worker", "--once")
    assert r.code == 0, r.err
    assert smtp_sink.received == []  # not the old text, and not the new one unseen
    note = notes(run, iid)[0]
    assert note["state"] == "pending"
    db = sqlite3.connect(home / "followup.db")
    approved_at, last_error = db.execute(
        "SELECT approved_at, last_error FROM notes WHERE id = ?", (note["id"],)
    ).fetchone()
    assert approved_at is None and "edited after you approved it" in last_error
    # approved again, as it is now: it goes, with the new text
    assert run("send", iid, "--when-due").code == 0
    run("worker", "--once")
    (got,) = smtp_sink.received
    assert b"Thank you for the talk about the billing" in got.raw


@pytest.mark.parametrize(
    "change",
    [
        ("edit", "--company", "Acme Corp", "--culture", "corporate"),
        ("debrief", "--interviewer", "ada@acme.example", "--greeting", "Dr. Lovelace"),
        ("debrief", "--tone", "formal"),
    ],
    ids=["edit company", "debrief greeting", "debrief tone"],
)
def test_a_change_to_an_approved_notes_text_withdraws_its_approval(
    run: Run, smtp_sink: Sink, change: tuple[str, ...]
) -> None:
    """The worker sends what was approved: a company corrected (or a debrief) after the
    approval would have gone out with the old name while `draft` showed the new one."""
    configure(run, smtp_sink)
    iid = due_interview(run)
    assert run("send", iid, "--when-due").code == 0
    r = run(change[0], iid, *change[1:])
    assert r.code == 0, r.err
    said = r.out + r.err
    assert "approving again" in said or "approve it again" in said
    assert run("worker", "--once").code == 0
    assert smtp_sink.received == []  # neither the old text nor the new one unseen
    assert notes(run, iid)[0]["approved_at"] is None


def test_a_change_that_leaves_the_text_as_approved_keeps_the_approval(
    run: Run, smtp_sink: Sink
) -> None:
    configure(run, smtp_sink)
    iid = due_interview(run)
    assert run("send", iid, "--when-due").code == 0
    assert run("edit", iid, "--location", "Room 4").code == 0  # not in the note
    assert run("worker", "--once").code == 0
    assert len(smtp_sink.received) == 1


def test_a_draft_with_lint_errors_cannot_be_approved(run: Run, smtp_sink: Sink) -> None:
    configure(run, smtp_sink)
    created = run("add", "--company", "Acme", "--role", "Dev", "--at", "2026-11-20T10:00:00Z",
                  "--interviewer", "Ada <ada@acme.example>", "--json").json  # fmt: skip
    r = run("send", str(created["id"]), "--when-due")
    assert r.code == 7 and "lint errors" in r.out
    run("worker", "--once")
    assert smtp_sink.received == []


def test_the_worker_refuses_an_approved_placeholder_an_older_version_let_through(
    run: Run, smtp_sink: Sink, home: Path
) -> None:
    """Issue 13: an approval recorded before the gate knew "[a …]" placeholders must not go."""
    from followup.app import dispatch, sending
    from followup.bootstrap import open_context

    configure(run, smtp_sink)
    iid = due_interview(run)
    assert run("send", iid, "--when-due").code == 0
    ctx = open_context()
    [note] = sending.notes_for_interview(ctx, int(iid))
    with sqlite3.connect(home / "followup.db") as db:
        to, message = db.execute(
            "SELECT approved_to, approved_message FROM notes WHERE id = ?", (note.id,)
        ).fetchone()
    old = message.replace("the billing rewrite", "[a specific point you discussed]")
    assert old != message
    assert ctx.approval_key is not None
    sealed = dispatch.seal(ctx.approval_key(), note.id, to, old)
    with ctx.store.transaction():
        ctx.store.approve_note(note.id, ctx.clock.now(), "older", to, old, sealed)
    r = run("worker", "--once")
    assert smtp_sink.received == []
    assert "placeholder" in r.err, r.err


def test_a_thank_you_found_weeks_late_is_handed_back_not_sent(run: Run, smtp_sink: Sink) -> None:
    """A cold trial (session 11): approved to go when due, then the laptop stayed closed; the
    worker run six weeks after the interview sent the thank-you the agenda itself called
    past its moment. Now it is handed back, unapproved, with why; a few days late, it goes."""
    configure(run, smtp_sink)
    late = due_interview(run)  # 2026-11-20
    assert run("send", late, "--when-due").code == 0
    r = run("worker", "--once", now="2026-12-28T10:00:00Z")
    assert r.code == 0, r.err
    assert smtp_sink.received == []
    [thank_you] = [n for n in notes(run, late) if n["step"] == 1]
    assert thank_you["state"] == "pending" and not thank_you["approved_at"]
    assert "37 days after the interview, past its moment" in r.err, r.err
    shown = run("show", late, now="2026-12-28T10:00:00Z").out
    assert "thank-you due — past its moment" in shown, shown
    last = run("history", late, "--json").json[-1]  # the history says it did not go, and why
    assert (last["source"], last["undoable"]) == ("worker", False)
    assert last["summary"].startswith("the approved thank-you was not sent by itself: 37 days")
    assert run("worker", "--once", now="2026-12-29T10:00:00Z").code == 0
    assert smtp_sink.received == []  # not claimed again
    again = run("send", late, "--when-due", now="2026-12-29T10:00:00Z")  # not a loop
    assert again.code == 7 and "38 days after the interview, past its moment" in again.out
    assert f"(to send it all the same: followup send {late} --interviewer ada@acme.example)" in (
        again.out
    )
    soon = due_interview(run)
    assert run("send", soon, "--when-due").code == 0
    assert run("worker", "--once", now="2026-11-26T10:00:00Z").code == 0  # days late: goes
    assert len(smtp_sink.received) == 1


def test_a_note_found_late_at_night_waits_for_the_recipients_working_hours(
    run: Run, smtp_sink: Sink
) -> None:
    """A cold trial (session 11): approved for Monday 09:00, the laptop opened at 03:00 on
    Tuesday (or on Saturday), the worker sent the note then. Now a note found more than an
    hour late waits for the next opening of the recipient's working hours."""
    configure(run, smtp_sink)
    iid = due_interview(run)  # Fri 20 Nov, Europe/Berlin: the thank-you is due Mon 09:00
    assert run("send", iid, "--when-due").code == 0
    night = run("worker", "--once", now="2026-11-24T02:00:00Z")  # Tue 03:00 in Berlin
    assert night.code == 0, night.err
    assert smtp_sink.received == []
    assert "it goes when they open, Tue 24 Nov 2026 09:00 CET" in night.err, night.err
    [thank_you] = [n for n in notes(run, iid) if n["step"] == 1]
    assert thank_you["state"] == "pending" and thank_you["approved_at"]  # still approved
    assert thank_you["due_at"] == "2026-11-24T08:00:00Z"
    # the agenda says so too: upcoming at 09:00, not "overdue: send now" on Tuesday night
    [row] = [r for r in run("agenda", "--json", now="2026-11-24T02:00:00Z").json
             if str(r["interview_id"]) == iid]  # fmt: skip
    assert row["due_at"] == "2026-11-24T08:00:00Z", row
    assert run("worker", "--once", now="2026-11-24T07:59:00Z").code == 0
    assert smtp_sink.received == []
    assert run("worker", "--once", now="2026-11-24T08:00:30Z").code == 0
    assert len(smtp_sink.received) == 1
    # found late, when the next opening is past its moment: handed back now, not promised
    old = run("add", "--company", "Globex", "--role", "Dev", "--at", "2026-11-05T10:00",
              "--tz", "America/New_York", "--interviewer", "Hank <hank@globex.example>",
              "--topic", "the billing rewrite", "--skill", "PostgreSQL", "--json")  # fmt: skip
    assert run("send", str(old.json["id"]), "--when-due").code == 0
    friday = run("worker", "--once", now="2026-11-28T01:00:00Z")  # Fri 20:00 in New York
    assert "past its moment" in friday.err and "held" not in friday.err, friday.err
    assert len(smtp_sink.received) == 1
    # found late inside working hours (Wednesday 13:00 there): it goes
    later = due_interview(run)
    assert run("send", later, "--when-due").code == 0
    assert run("worker", "--once", now="2026-11-25T12:00:00Z").code == 0
    assert len(smtp_sink.received) == 2


def test_a_withdrawn_schedule_is_not_sent(run: Run, smtp_sink: Sink) -> None:
    configure(run, smtp_sink)
    iid = due_interview(run)
    assert run("send", iid, "--when-due").code == 0
    assert notes(run, iid)[0]["approved_at"] == NOW  # shown: the user sees it will go
    assert "approved, goes out by itself" in run("show", iid).out
    [item] = run("agenda", "--json").json
    assert item["scheduled"] is True
    assert "scheduled" in run("agenda").out
    r = run("send", iid, "--cancel-schedule", "--json")
    assert r.code == 0 and [x["outcome"] for x in r.json] == ["withdrawn"]
    assert notes(run, iid)[0]["approved_at"] is None
    assert "goes out by itself" not in run("show", iid).out
    assert run("agenda", "--json").json[0]["scheduled"] is False
    assert run("send", iid, "--cancel-schedule").out.startswith("Nothing")
    run("worker", "--once")
    assert smtp_sink.received == []


def test_a_reply_before_the_due_time_stops_a_scheduled_note(run: Run, smtp_sink: Sink) -> None:
    configure(run, smtp_sink)
    iid = due_interview(run)
    assert run("send", iid, "--when-due").code == 0
    assert run("replied", iid).code == 0
    run("worker", "--once")
    assert smtp_sink.received == []


def test_schedule_flags_are_checked(run: Run) -> None:
    assert run("send", "--due", "--when-due").code == 2
    assert run("send", "1", "--when-due", "--cancel-schedule").code == 2
    assert run("send", "1", "--when-due", "--force").code == 2
    assert run("send", "99", "--when-due").code == 3


def test_a_drafts_mode_account_approves_nothing_to_send_by_itself(
    run: Run, smtp_sink: Sink
) -> None:
    """A cold trial: in drafts mode (the default) "send when due" was accepted and Today said
    it goes out by itself; the worker then sent nothing, and nobody was thanked."""
    configure(run, smtp_sink, ("mail.mode", "drafts"))
    iid = due_interview(run)
    r = run("send", iid, "--when-due")
    assert r.code == 4 and "mail.mode is drafts" in r.err and "mail.mode send" in r.err
    assert all(n["approved_at"] is None for n in notes(run, iid))
    r = run("worker", "--once")
    assert r.code == 0 and "mail.mode is drafts" in r.err
    assert smtp_sink.received == []


# --- the store's claim under concurrency (SQLite: one writer at a time) --------------------


def test_concurrent_claims_on_one_sqlite_file_never_share_a_note(tmp_path: Path) -> None:
    from followup.adapters.store.sqlite import SqliteStore
    from tests.contract.stores import new_interview, planned

    now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    db = tmp_path / "f.db"
    setup = SqliteStore(db)
    with setup.transaction():
        iid = new_interview(setup)
        for k in range(300):
            note = setup.add_note(iid, planned(due=now - timedelta(seconds=k)), now)
            setup.approve_note(note, now, "d")
    setup.close()
    got: list[list[int]] = [[] for _ in range(4)]
    ready = threading.Barrier(4)

    def claimer(k: int) -> None:
        store = SqliteStore(db)
        ready.wait()
        while (claim := store.claim_due(now, f"w:{k}", timedelta(minutes=5))) is not None:
            got[k].append(claim.note.id)
            time.sleep(0.002)  # a worker sends what it claimed before claiming again
        store.close()

    threads = [threading.Thread(target=claimer, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    claimed = [i for ids in got for i in ids]
    assert len(claimed) == 300 and len(set(claimed)) == 300
    assert sum(1 for ids in got if ids) >= 2, [len(ids) for ids in got]  # they really raced


# --- the worker process: graceful stop, dead workers ---------------------------------------


def _worker(home: Path, *args: str, now: str | None = NOW) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k not in ("FOLLOWUP_FAILPOINT", "FOLLOWUP_NOW")}
    env["FOLLOWUP_HOME"] = str(home)
    if now:
        env["FOLLOWUP_NOW"] = now
    exe = str(Path(sys.executable).with_name("followup"))
    return subprocess.Popen(
        [exe, "worker", *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_sigterm_stops_an_idle_worker_at_once_with_exit_0(
    run: Run, smtp_sink: Sink, home: Path, signum: int
) -> None:
    configure(run, smtp_sink)
    child = _worker(home, "--poll", "30")
    time.sleep(1.5)
    started = time.monotonic()
    child.send_signal(signum)
    _, err = child.communicate(timeout=20)
    assert child.returncode == 0, err
    assert time.monotonic() - started < 5
    assert b"finishing the note in flight" in err and b"Traceback" not in err


def test_sigterm_mid_send_finishes_the_note_then_stops(
    run: Run, smtp_sink: Sink, home: Path
) -> None:
    configure(run, smtp_sink)
    iid = due_interview(run)
    assert run("send", iid, "--when-due").code == 0
    smtp_sink.script = ["451"]  # the first try waits out a back-off (2 s): signal during it
    child = _worker(home, "--poll", "30")
    deadline = time.monotonic() + 20
    while smtp_sink.script and time.monotonic() < deadline:  # until the 451 was given
        time.sleep(0.05)
    time.sleep(0.3)
    child.send_signal(signal.SIGTERM)
    _, err = child.communicate(timeout=30)
    assert child.returncode == 0, err
    assert len(smtp_sink.received) == 1  # the retry went out; the note was finished
    assert notes(run, iid)[0]["state"] == "sent"


def test_a_killed_workers_note_is_unknown_after_its_lease_never_resent(
    run: Run, smtp_sink: Sink, home: Path
) -> None:
    configure(run, smtp_sink)
    iid = due_interview(run)
    assert run("send", iid, "--when-due").code == 0
    env_home = home
    child = subprocess.run(
        [str(Path(sys.executable).with_name("followup")), "worker", "--once"],
        env={**os.environ, "FOLLOWUP_HOME": str(env_home), "FOLLOWUP_NOW": NOW,
             "FOLLOWUP_FAILPOINT": "accepted"},
        capture_output=True,
        check=False,
    )  # fmt: skip
    assert child.returncode == -9
    assert len(smtp_sink.received) == 1 and notes(run, iid)[0]["state"] == "sending"
    # another worker, once the lease (10 min) has run out: unknown, not resent
    later = "2026-11-25T12:11:00Z"
    r = run("worker", "--once", now=later)
    assert r.code == 0 and "lease ran out" in r.err
    assert notes(run, iid)[0]["state"] == "unknown"
    assert len(smtp_sink.received) == 1


def test_a_kept_smtp_connection_is_reused_and_replaced_when_stale(smtp_sink: Sink) -> None:
    from followup.adapters.mail.smtp import SmtpMailer

    mailer = SmtpMailer(
        smtp_sink.host, smtp_sink.port, "none", "a@example.org", lambda: "pw", keep_alive=True
    )

    def message(k: int) -> bytes:
        return f"From: a@example.org\r\nMessage-ID: <{k}@example.org>\r\n\r\nhi\r\n".encode()

    mailer.send(message(1), "a@example.org", ["b@example.org"])
    kept = mailer._kept
    assert kept is not None
    mailer.send(message(2), "a@example.org", ["b@example.org"])
    assert mailer._kept is kept  # the same connection
    kept.sock.shutdown(socket.SHUT_RDWR)  # the connection is gone (an idle time-out)
    mailer.send(message(3), "a@example.org", ["b@example.org"])
    assert mailer._kept is not kept
    mailer.close()
    assert mailer._kept is None
    assert smtp_sink.message_ids == [f"<{k}@example.org>" for k in (1, 2, 3)]


def test_approving_shows_every_word_approved(run: Run, smtp_sink: Sink) -> None:
    """An approval of text the user never saw (an imported body, say) is no approval."""
    configure(run, smtp_sink)
    iid = due_interview(run)
    run("draft", iid, "--json")
    r = run("send", iid, "--when-due")
    assert r.code == 0, r.err
    draft = run("draft", iid, "--json").json
    for line in draft["body"].splitlines():
        assert line.strip() in r.out
    assert run("send", iid, "--when-due", "--json").json[0]["body"] == draft["body"]


def test_approving_a_note_already_due_says_so(run: Run, smtp_sink: Sink) -> None:
    configure(run, smtp_sink)
    iid = due_interview(run)  # its thank-you was due before now
    r = run("send", iid, "--when-due")
    assert r.code == 0, r.err
    assert "due since" in r.out and "goes out when a worker next runs" in r.out


def test_undo_keeps_an_approval_whose_text_it_left_alone(run: Run, smtp_sink: Sink) -> None:
    """A cold trial: undoing a change to Ada's name took back Bob's approval too, though his
    note reads as he approved it. Undoing the approval itself still takes it back."""
    configure(run, smtp_sink)
    iid = due_interview(run, "Ada Lovelace <ada@acme.example>", "Bob Stone <bob@acme.example>")
    assert run("debrief", iid, "--interviewer", "bob@acme.example", "--topic", "on-call").code == 0
    assert run("send", iid, "--when-due", "--interviewer", "bob@acme.example").code == 0
    r = run("edit", iid, "--interviewer", "ada@acme.example", "--name", "Ada King")
    assert r.code == 0, r.err
    r = run("undo", iid)
    assert r.code == 0, r.err
    assert "approving again" not in r.out + r.err
    bob = [n for n in notes(run, iid) if n["approved_at"]]
    assert len(bob) == 1
    r = run("undo", iid)  # the approval is the latest change left to take back
    assert r.code == 0, r.err
    assert "approved the thank-you" in r.out
    assert [n for n in notes(run, iid) if n["approved_at"]] == []


def test_undoing_one_approval_keeps_the_others(run: Run, smtp_sink: Sink) -> None:
    """A cold trial: `send --when-due` approved Ada's and Bob's notes; `undo` said it took
    back Bob's approval, and Ada's went too."""
    configure(run, smtp_sink)
    iid = due_interview(run, "Ada Lovelace <ada@acme.example>", "Bob Stone <bob@acme.example>")
    assert run("debrief", iid, "--interviewer", "bob@acme.example", "--topic", "on-call").code == 0
    assert run("send", iid, "--when-due").code == 0
    assert len([n for n in notes(run, iid) if n["approved_at"]]) == 2
    r = run("undo", iid)
    assert r.code == 0, r.err
    assert "approving again" not in r.out + r.err
    [left] = [n for n in notes(run, iid) if n["approved_at"]]
    people = {p["id"]: p["email"] for p in run("show", iid, "--json").json["interviewers"]}
    assert people[left["interviewer_id"]] not in r.out  # the one undone is named, not this one


def test_an_approved_thank_you_the_next_round_overtook_is_handed_back(
    run: Run, smtp_sink: Sink
) -> None:
    """Approved to go when due, then the laptop stayed closed past round 2: the worker would
    have thanked Ada for round 1 after meeting her again. It hands it back, saying why."""
    configure(run, smtp_sink)
    first = due_interview(run)  # Friday 2026-11-20
    app = str(run("show", first, "--json").json["application"]["id"])
    ada = "Ada Lovelace <ada@acme.example>"
    r = run("add", "--application", app, "--at", "2026-11-24T10:00:00Z", "--interviewer", ada,
            now="2026-11-21T09:00:00Z")  # fmt: skip
    assert r.code == 0, r.err
    assert run("send", first, "--when-due", now="2026-11-21T09:00:00Z").code == 0
    shown = run("show", first, now="2026-11-24T14:00:00Z").out  # before the worker runs
    assert "approved, but a later round has taken place since" in shown, shown
    r = run("worker", "--once", now="2026-11-24T15:00:00Z")
    assert r.code == 0, r.err
    assert smtp_sink.received == []
    [thank_you] = [n for n in notes(run, first) if n["step"] == 1]
    assert thank_you["state"] == "pending" and not thank_you["approved_at"]
    assert "a later round has taken place since" in r.err, r.err
    last = run("history", first, "--json").json[-1]
    assert last["summary"].startswith("the approved thank-you was not sent by itself: a later")


def test_send_due_leaves_a_thank_you_the_agenda_says_to_let_go(run: Run, smtp_sink: Sink) -> None:
    """Session 13's trial: `send --due` sent the round-1 thank-you the agenda called "let it
    go" (Ada met again in round 2). It is left, with why and how to send it anyway; round
    2's own thank-you goes."""
    configure(run, smtp_sink)
    first = due_interview(run)  # Friday 2026-11-20
    app = str(run("show", first, "--json").json["application"]["id"])
    ada = "Ada Lovelace <ada@acme.example>"
    r = run("add", "--application", app, "--at", "2026-11-23T10:00:00Z", "--interviewer", ada,
            "--topic", "the ledger", "--skill", "SQL", "--json",
            now="2026-11-21T09:00:00Z")  # fmt: skip
    assert r.code == 0, r.err
    second = r.json["id"]
    r = run("send", "--due", "--yes", now="2026-11-25T12:00:00Z")
    assert r.code == 0, r.err
    assert [m.recipients for m in smtp_sink.received] == [["ada@acme.example"]]
    assert "a later round has taken place since" in r.out + r.err
    # all round 1 had left: it is let go and the round moves on (session 14: it stayed,
    # nagging, until `dismiss`), with undo to take it back and send it all the same
    assert f"interview {first} moved on (followup undo {first} takes it back)" in r.out
    states = {n["step"]: n["state"] for n in notes(run, first)}
    assert states[1] == "cancelled"
    assert run("show", first, "--json").json["status"] == "advanced"
    assert [n["state"] for n in notes(run, str(second)) if n["step"] == 1] == ["sent"]
    assert run("undo", first).code == 0
    assert {n["step"]: n["state"] for n in notes(run, first)}[1] == "pending"
    r = run("send", first, "--yes", now="2026-11-25T12:00:00Z")  # `send ID` leaves it, says how
    assert r.code == 5 and f"followup send {first} --interviewer ada@acme.example" in r.out


def test_approving_a_thank_you_a_round_will_overtake_before_it_is_due_is_refused(
    run: Run, smtp_sink: Sink
) -> None:
    """Session 13's trial: `send --when-due` said "goes out Monday" though round 2 with the
    same person, on Sunday, was already known: the worker would hand it back then."""
    configure(run, smtp_sink)
    first = due_interview(run)  # Friday 2026-11-20: the thank-you is due on Monday
    app = str(run("show", first, "--json").json["application"]["id"])
    ada = "Ada Lovelace <ada@acme.example>"
    r = run("add", "--application", app, "--at", "2026-11-22T10:00:00Z", "--interviewer", ada,
            now="2026-11-20T18:00:00Z")  # fmt: skip
    assert r.code == 0, r.err
    r = run("send", first, "--when-due", now="2026-11-20T18:00:00Z")
    assert r.code == 7, r.out
    assert "by the time it is due" in r.out and "a later round has taken place" in r.out
    assert f"followup send {first}" in r.out
    [thank_you] = [n for n in notes(run, first) if n["step"] == 1]
    assert not thank_you["approved_at"]


def test_send_to_a_panel_leaves_the_thank_you_of_someone_met_again(
    run: Run, smtp_sink: Sink
) -> None:
    """Session 13's third trial: round 1 with Ada and Bob, round 2 with Ada alone; `send 1`
    sent Ada the round-1 thank-you the day before round 2's. Bob's goes; Ada's is left,
    with the command that sends it all the same."""
    configure(run, smtp_sink)
    first = due_interview(run, "Ada Lovelace <ada@acme.example>", "Bob Stone <bob@acme.example>")
    app = str(run("show", first, "--json").json["application"]["id"])
    ada = "Ada Lovelace <ada@acme.example>"
    r = run("add", "--application", app, "--at", "2026-11-23T10:00:00Z", "--interviewer", ada,
            now="2026-11-21T09:00:00Z")  # fmt: skip
    assert r.code == 0, r.err
    row = run("agenda", "--json", now="2026-11-24T12:00:00Z").json[0]
    assert (row["overtaken"], row["met_again"]) == (False, ["Ada Lovelace"])
    shown = run("agenda", now="2026-11-24T12:00:00Z").out
    assert "let go: Ada Lovelace (met again since)" in shown, shown
    r = run("send", first, "--yes", now="2026-11-24T12:00:00Z")  # Bob has no topic of his own
    assert r.code == 7 and smtp_sink.received == [], r.out
    assert f"followup draft {first} --interviewer bob@acme.example --edit" in r.out, r.out
    bob = ("--interviewer", "bob@acme.example", "--topic", "the on-call rota")
    assert run("debrief", first, *bob).code == 0
    r = run("send", first, "--yes", now="2026-11-24T12:00:00Z")
    # Bob's went; Ada's, all the round had left, is let go and the round moves on (session
    # 14: it stayed open for good, with one "let it go" row), exit 0: nothing is left over
    assert r.code == 0, r.err + r.out
    assert [m.recipients for m in smtp_sink.received] == [["bob@acme.example"]]
    said = r.out + r.err
    assert "let-go" in said and "a later round has taken place since" in said, said
    assert f"interview {first} moved on (followup undo {first} takes it back)" in said, said
    assert run("show", first, "--json").json["status"] == "advanced"
    assert run("undo", first).code == 0  # Ada's back: sent all the same, by naming her
    r = run("send", first, "--yes", now="2026-11-24T12:00:00Z")  # unnamed, it is left
    assert r.code == 5 and len(smtp_sink.received) == 1, r.err + r.out
    assert f"followup send {first} --interviewer ada@acme.example" in r.out + r.err
    r = run("send", first, "--interviewer", "ada@acme.example", "--yes", now="2026-11-24T12:00:00Z")
    assert r.code == 0, r.err + r.out  # named: the user's choice
    assert [m.recipients for m in smtp_sink.received][-1] == ["ada@acme.example"]


def test_send_due_without_an_inbox_says_there_is_none_not_that_it_could_not_be_read(
    run: Run, smtp_sink: Sink
) -> None:
    """Session 14's trial: with SMTP alone, `send --due` said "your inbox could not be read
    in this run … fix `followup mail test`" — nothing was read: there is no inbox."""
    configure(run, smtp_sink)
    due_interview(run)
    r = run("send", "--due", now="2026-11-25T12:00:00Z")
    assert r.code == 5 and smtp_sink.received == [], r.err
    assert "no inbox is set up (IMAP)" in r.err and "could not be read" not in r.err, r.err
    assert run("send", "--due", "--yes", now="2026-11-25T12:00:00Z").code == 0
    assert len(smtp_sink.received) == 1


def test_send_in_drafts_mode_without_imap_says_how_to_send_by_smtp(
    run: Run, smtp_sink: Sink
) -> None:
    """Session 14's third trial: SMTP set up, `send 1` said only "saving to Drafts needs
    IMAP: set mail.imap_host" — the mode (drafts, the default) was the thing to change."""
    configure(run, smtp_sink, ("mail.mode", "drafts"))
    iid = due_interview(run)
    r = run("send", iid, "--yes", now="2026-11-25T12:00:00Z")
    assert r.code != 0 and smtp_sink.received == []
    assert "followup config set mail.mode send" in r.out + r.err, r.out + r.err


def test_undoing_a_sent_after_an_approved_note_went_asks_to_approve_nothing(
    run: Run, smtp_sink: Sink
) -> None:
    """A cold trial (session 15): the worker sent the approved thank-you; `sent` recorded
    the follow-up, `undo` took it back and said "1 approved note needs approving again" —
    the follow-up was never approved, and following the advice would have sent it."""
    configure(run, smtp_sink)
    iid = due_interview(run)
    assert run("send", iid, "--when-due").code == 0
    assert run("worker", "--once").code == 0 and len(smtp_sink.received) == 1
    later = "2026-12-04T16:00:00Z"
    assert run("sent", iid, now=later).code == 0  # the follow-up, sent by hand
    r = run("undo", iid, now=later)
    assert r.code == 0, r.err
    assert "approv" not in r.out + r.err
    follow_up = notes(run, iid)[1]
    assert (follow_up["state"], follow_up["approved_at"]) == ("pending", None)
