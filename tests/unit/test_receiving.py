"""app/receiving.py: what the hiring side's mail does to an application (issue #15).

The kinds are given (`verdict=`), not classified, so that these tests follow the effects
alone; tests/cli/test_receive_cli.py reads real messages.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from followup.app import history, receiving, services
from followup.app.context import Context
from followup.bootstrap import open_context
from followup.domain.model import NoteState, Status
from followup.domain.replies import Classification, Kind, MessageFacts
from tests.conftest import Run

ME = receiving.MailIdentity("me@imap", frozenset({"grace@example.org"}), ("greenhouse.io",), 7)
SENT = datetime(2026, 11, 25, 9, tzinfo=UTC)


def add(run: Run, company: str, role: str, *extra: str) -> int:
    done = run(
        "add", "--company", company, "--role", role, "--at", "2026-11-20T10:00:00Z", *extra,
        "--json",
    )  # fmt: skip
    assert done.code == 0, done.err
    return int(done.json["id"])


def ats(subject: str, body: str = "", name: str = "Hiring Team", mid: str = "<r1@gh>") -> Any:
    return MessageFacts(
        message_id=mid,
        from_addr="no-reply@greenhouse.io",
        from_name=name,
        subject=subject,
        date=SENT,
        body_text=body,
    )


def verdict(kind: Kind, reason: str = "body says 'not to move forward'") -> Classification:
    return Classification(kind, reason)


def pending(ctx: Context, iid: int) -> list[int]:
    return [n.id for n in ctx.store.notes(iid) if n.state is NoteState.PENDING]


def test_a_rejection_ends_one_application_not_every_one_at_the_company(
    run: Run, home: Path
) -> None:
    dev = add(run, "Acme", "Backend Engineer")
    design = add(run, "Acme", "Product Designer")
    ctx = open_context()
    approved = pending(ctx, design)[0]
    ctx.store.approve_note(approved, ctx.clock.now(), "digest")
    facts = ats(
        "Your application to Acme",
        "Thank you for your interest in the Product Designer role. We have decided not to"
        " move forward.",
    )
    done = receiving.receive(ctx, ME, facts, verdict=verdict(Kind.REJECTION))
    assert (done.matched_by, [c.interview_id for c in done.changes]) == ("company", [design])
    assert ctx.store.get_interview(design).status is Status.REJECTED
    assert pending(ctx, design) == []  # the approved note too: nothing will go out
    assert ctx.store.get_interview(dev).status is Status.WAITING and pending(ctx, dev)
    (kept,) = ctx.store.inbound(design)
    assert (kept["classification"], kept["from_addr"], kept["reason"]) == (
        "rejection",
        "no-reply@greenhouse.io",
        "body says 'not to move forward'",
    )


def test_an_outcome_that_could_be_either_application_changes_nothing(run: Run, home: Path) -> None:
    first = add(run, "Acme", "Backend Engineer")
    second = add(run, "Acme", "Product Designer")
    ctx = open_context()
    done = receiving.receive(
        ctx, ME, ats("Your application to Acme", "We regret…"), verdict=verdict(Kind.REJECTION)
    )
    assert done.changes == () and sorted(done.matched) == [first, second]
    assert "2 applications" in done.note and "nothing changed" in done.note
    assert {ctx.store.get_interview(i).status for i in (first, second)} == {Status.WAITING}


def test_an_ats_domain_alone_matches_nothing(run: Run, home: Path) -> None:
    iid = add(run, "Acme", "Engineer")
    ctx = open_context()
    facts = ats("Your application", "We have decided not to move forward.", name="Careers")
    done = receiving.receive(ctx, ME, facts, verdict=verdict(Kind.REJECTION))
    assert (done.matched, done.changes) == ((), ())
    assert done.note == "matched no interview: nothing changed"
    assert ctx.store.get_interview(iid).status is Status.WAITING
    assert ctx.store.inbound(iid) == []


def test_an_interviewers_address_picks_their_application(run: Run, home: Path) -> None:
    add(run, "Acme", "Engineer", "--interviewer", "Ann <ann@acme.example>")
    mine = add(run, "Acme", "Designer", "--interviewer", "Bo <bo@acme.example>")
    ctx = open_context()
    facts = MessageFacts(
        message_id="<o@acme>", from_addr="bo@acme.example", subject="Offer", date=SENT
    )
    offer = verdict(Kind.OFFER, "body says 'pleased to offer'")
    done = receiving.receive(ctx, ME, facts, verdict=offer)
    assert (done.matched_by, done.matched) == ("sender", (mine,))
    assert ctx.store.get_interview(mine).status is Status.OFFER


def test_a_rejection_after_a_reply_still_ends_the_application(run: Run, home: Path) -> None:
    iid = add(run, "Acme", "Engineer", "--interviewer", "Ann <ann@acme.example>")
    ctx = open_context()
    services.mark_replied(ctx, iid, SENT - timedelta(days=1))
    facts = MessageFacts(message_id="<no@acme>", from_addr="ann@acme.example", date=SENT)
    receiving.receive(ctx, ME, facts, verdict=verdict(Kind.REJECTION))
    assert ctx.store.get_interview(iid).status is Status.REJECTED
    # but a second reply to a replied round changes nothing, as before
    again = MessageFacts(message_id="<hi@acme>", from_addr="ann@acme.example", date=SENT)
    assert receiving.receive(ctx, ME, again, verdict=verdict(Kind.HUMAN)).changes == ()


def test_the_latest_round_of_the_application_ends(run: Run, home: Path) -> None:
    first = add(run, "Acme", "Engineer", "--interviewer", "Ann <ann@acme.example>")
    ctx = open_context()
    second = services.add_interview(
        ctx,
        services.NewInterview(
            "", "", datetime(2026, 11, 23, 10, tzinfo=UTC), "Europe/Berlin", application_id=1
        ),
    ).interview_id
    facts = MessageFacts(message_id="<rc@acme>", from_addr="ann@acme.example", date=SENT)
    done = receiving.receive(ctx, ME, facts, verdict=verdict(Kind.ROLE_CLOSED))
    assert [c.interview_id for c in done.changes] == [second]
    assert ctx.store.get_interview(second).status is Status.ROLE_CLOSED
    assert ctx.store.get_interview(first).status is Status.ADVANCED


def test_scheduling_stops_the_sequence_as_replied(run: Run, home: Path) -> None:
    iid = add(run, "Acme", "Engineer")
    ctx = open_context()
    facts = ats("Acme: please share your availability for a final round", mid="<s@gh>")
    done = receiving.receive(ctx, ME, facts, verdict=verdict(Kind.SCHEDULING))
    assert [c.kind for c in done.changes] == ["scheduling"]
    assert "next round proposed" in done.changes[0].detail
    assert ctx.store.get_interview(iid).status is Status.REPLIED
    assert [m["classification"] for m in ctx.store.inbound(iid)] == ["scheduling"]
    assert pending(ctx, iid) == []


def test_an_acknowledgement_is_history_only_and_undoable(run: Run, home: Path) -> None:
    iid = add(run, "Acme", "Engineer")
    ctx = open_context()
    before = pending(ctx, iid)
    facts = ats("Acme: we received your application", mid="<ack@gh>")
    done = receiving.receive(ctx, ME, facts, verdict=verdict(Kind.ACKNOWLEDGEMENT))
    assert [c.kind for c in done.changes] == ["acknowledgement"]
    assert ctx.store.get_interview(iid).status is Status.WAITING and pending(ctx, iid) == before
    last = history.latest(ctx, iid)
    assert last.kind == "acknowledgement" and last.detail["message_id"] == "<ack@gh>"
    history.undo(ctx, iid)
    assert ctx.store.inbound(iid) == []


def test_undo_takes_a_rejection_back(run: Run, home: Path) -> None:
    iid = add(run, "Acme", "Engineer", "--interviewer", "Ann <ann@acme.example>")
    ctx = open_context()
    before = [(n.step, n.due_at) for n in ctx.store.notes(iid) if n.state is NoteState.PENDING]
    facts = MessageFacts(message_id="<no@acme>", from_addr="ann@acme.example", date=SENT)
    receiving.receive(ctx, ME, facts, verdict=verdict(Kind.REJECTION))
    assert ctx.store.get_interview(iid).status is Status.REJECTED
    history.undo(ctx, iid)
    assert ctx.store.get_interview(iid).status is Status.WAITING
    after = [(n.step, n.due_at) for n in ctx.store.notes(iid) if n.state is NoteState.PENDING]
    assert after == before


def test_reclassify_takes_back_the_first_reading_and_applies_the_new_one(
    run: Run, home: Path
) -> None:
    iid = add(run, "Acme", "Engineer", "--interviewer", "Ann <ann@acme.example>")
    ctx = open_context()
    facts = MessageFacts(
        message_id="<x@acme>", from_addr="ann@acme.example", subject="Update", date=SENT
    )
    receiving.receive(ctx, ME, facts, verdict=verdict(Kind.HUMAN))
    assert ctx.store.get_interview(iid).status is Status.REPLIED
    done = receiving.reclassify(ctx, ME, "<x@acme>", Kind.REJECTION)
    assert (done.was, done.undone is not None) == ("human", True)
    assert ctx.store.get_interview(iid).status is Status.REJECTED
    assert [m["classification"] for m in ctx.store.inbound(iid)] == ["rejection"]
    history.undo(ctx, iid)  # the new reading taken back to the first: the message kept
    assert ctx.store.get_interview(iid).status is Status.REPLIED
    assert [m["classification"] for m in ctx.store.inbound(iid)] == ["human"]
    history.undo(ctx, iid)  # and then the first reading
    assert ctx.store.get_interview(iid).status is Status.WAITING
    assert ctx.store.inbound(iid) == []


def test_a_missed_rejection_can_be_read_again_after_a_later_notice(run: Run, home: Path) -> None:
    iid = add(run, "Acme", "Engineer")
    ctx = open_context()
    missed = ats("Your application to Acme", "Acme: we went another way.", mid="<no@gh>")
    receiving.receive(ctx, ME, missed, verdict=verdict(Kind.ACKNOWLEDGEMENT, "x"))
    notice = ats("Acme: your security code", "Acme code 1234", mid="<code@gh>")
    receiving.receive(ctx, ME, notice, verdict=verdict(Kind.NOTIFICATION, "x"))
    done = receiving.reclassify(ctx, ME, "<no@gh>", Kind.REJECTION)
    assert [c.status for c in done.changes] == ["rejected"]
    assert ctx.store.get_interview(iid).status is Status.REJECTED and pending(ctx, iid) == []
    kept = {m["message_id"]: m["classification"] for m in ctx.store.inbound(iid)}
    assert kept == {"<no@gh>": "rejection", "<code@gh>": "notification"}
    history.undo(ctx, iid)  # back to how it was read first, the notice kept
    assert ctx.store.get_interview(iid).status is Status.WAITING and pending(ctx, iid)
    kept = {m["message_id"]: m["classification"] for m in ctx.store.inbound(iid)}
    assert kept == {"<no@gh>": "acknowledgement", "<code@gh>": "notification"}


def test_the_same_message_twice_acts_once(run: Run, home: Path) -> None:
    iid = add(run, "Acme", "Engineer", "--interviewer", "Ann <ann@acme.example>")
    ctx = open_context()
    facts = MessageFacts(message_id="<no@acme>", from_addr="ann@acme.example", date=SENT)
    receiving.receive(ctx, ME, facts, verdict=verdict(Kind.REJECTION))
    again = receiving.receive(ctx, ME, facts, verdict=verdict(Kind.REJECTION))
    assert again.changes == () and again.note == "already received: nothing changed"
    assert len(ctx.store.events(iid)) == 2  # added, rejected


def test_a_message_read_as_unrelated_can_be_read_again(run: Run, home: Path) -> None:
    iid = add(run, "Acme", "Engineer", "--interviewer", "Ann <ann@acme.example>")
    ctx = open_context()
    facts = MessageFacts(message_id="<u@acme>", from_addr="ann@acme.example", date=SENT)
    receiving.receive(ctx, ME, facts, verdict=verdict(Kind.HUMAN))
    receiving.reclassify(ctx, ME, "<u@acme>", Kind.UNRELATED)
    assert ctx.store.get_interview(iid).status is Status.WAITING
    assert [m["classification"] for m in ctx.store.inbound(iid)] == ["unrelated"]
    again = receiving.reclassify(ctx, ME, "u@acme", Kind.OFFER)  # brackets optional
    assert (again.was, again.undone is not None) == ("unrelated", True)
    assert ctx.store.get_interview(iid).status is Status.OFFER


def test_one_message_from_an_interviewer_on_two_interviews_is_kept_once_and_acts_on_both(
    run: Run, home: Path
) -> None:
    ann = "Ann <ann@acme.example>"
    first = add(run, "Acme", "Engineer", "--interviewer", ann)
    second = add(run, "Acme", "Designer", "--interviewer", ann)
    for iid in (first, second):  # a thank-you is never held: the follow-ups are
        assert run("sent", str(iid)).code == 0
    ctx = open_context()
    ooo = MessageFacts(message_id="<ooo@acme>", from_addr="ann@acme.example", date=SENT)
    done = receiving.receive(ctx, ME, ooo, verdict=verdict(Kind.AUTO_REPLY, "away"))
    assert [c.kind for c in done.changes] == ["deferred", "deferred"]
    facts = MessageFacts(message_id="<re@acme>", from_addr="ann@acme.example", date=SENT)
    done = receiving.receive(ctx, ME, facts, verdict=verdict(Kind.HUMAN, "a person"))
    assert sorted(done.matched) == [first, second]
    assert sorted(c.interview_id for c in done.changes) == [first, second]
    assert {ctx.store.get_interview(i).status for i in (first, second)} == {Status.REPLIED}
    rows = ctx.store.inbound(first) + ctx.store.inbound(second)
    assert [r["message_id"] for r in rows].count("<re@acme>") == 1
    assert len(rows) == 4  # each interview's history has both messages
    # the next sync reads it again: it is known, nothing fails
    again = receiving.receive(ctx, ME, facts, verdict=verdict(Kind.HUMAN, "a person"))
    assert again.note == "already received: nothing changed"


def test_a_rejection_naming_another_role_changes_nothing(run: Run, home: Path) -> None:
    """The only application at the company is for another role: a rejection for a role the
    user never added must not end it."""
    iid = add(run, "Acme", "Data Engineer")
    ctx = open_context()
    facts = ats(
        "Update on your Machine Learning Engineer application to Acme",
        "Thanks for applying for the Machine Learning Engineer role at Acme. We have decided"
        " to move forward with other candidates.",
    )
    named = Classification(Kind.REJECTION, "x", role="Machine Learning Engineer")
    done = receiving.receive(ctx, ME, facts, verdict=named)
    assert (done.matched, done.changes) == ((iid,), ())
    assert done.note == (
        f"it names the role Machine Learning Engineer, not Data Engineer (interview {iid}):"
        " nothing changed"
    )
    assert ctx.store.get_interview(iid).status is Status.WAITING and pending(ctx, iid)
    # a role named in part ("Data Engineer" for "Senior Data Engineer") is the same role
    facts = ats("Your application to Acme", "About the Data Engineer role: we regret…", mid="<2>")
    again = Classification(Kind.REJECTION, "x", role="Engineer")
    assert receiving.receive(ctx, ME, facts, verdict=again).changes[0].status == "rejected"


def test_a_rejection_naming_none_of_the_company_s_roles_says_which_it_names(
    run: Run, home: Path
) -> None:
    first = add(run, "Acme", "Data Engineer")
    second = add(run, "Acme", "Analytics Engineer")
    ctx = open_context()
    facts = ats("Update on your Machine Learning Engineer application to Acme", "We regret…")
    named = Classification(Kind.REJECTION, "x", role="Machine Learning Engineer")
    done = receiving.receive(ctx, ME, facts, verdict=named)
    assert done.changes == ()
    assert done.note == (
        f"it names the role Machine Learning Engineer, none of your 2 applications there"
        f" (interviews {first}, {second}): nothing changed"
    )


def test_a_person_overturning_a_rejection_is_kept_and_the_user_asked_to_reopen(
    run: Run, home: Path
) -> None:
    """ "Please ignore the automated email, you are still in the process": the interviewer of
    a rejected interview writes. Their other application at the company (matched by domain
    only) is not taken as answered; the message is kept on the rejected one."""
    rejected = add(run, "Acme", "Data Engineer", "--interviewer", "Priya <priya@acme.example>")
    other = add(run, "Acme", "Analytics Engineer", "--interviewer", "Tom <tom@acme.example>")
    ctx = open_context()
    services.conclude(ctx, rejected, Status.REJECTED)
    facts = MessageFacts(
        message_id="<sorry@acme>",
        from_addr="priya@acme.example",
        from_name="Priya Raman",
        subject="Re: Your application",
        date=SENT,
    )
    done = receiving.receive(ctx, ME, facts, verdict=verdict(Kind.HUMAN, "a person"))
    assert (done.matched, done.changes) == ((rejected,), ())
    assert done.note == (
        f"interview {rejected} is rejected; Priya Raman wrote “Re: Your application”: kept in"
        f" its history — if it is still on, `followup reopen {rejected}`"
    )
    assert [m["message_id"] for m in ctx.store.inbound(rejected)] == ["<sorry@acme>"]
    assert ctx.store.get_interview(other).status is Status.WAITING
    history.reopen(ctx, rejected)
    assert ctx.store.get_interview(rejected).status is Status.WAITING and pending(ctx, rejected)
