"""Real life changes plans (issue #14): history, undo, reopen, edit and later rounds.

Each test is a defect the issue reproduced, or what a user expects of the new commands.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from followup.app.errors import ExitCode
from tests.conftest import Result, Run


def ok(r: Result) -> Result:
    assert r.code == 0, r.err
    return r


def add(run: Run, *extra: str) -> int:
    r = ok(run("add", "--company", "Acme", "--role", "SRE", "--at", "2026-11-23T10:00",
               "--tz", "Europe/London", "--interviewer", "Ada Lovelace <ada@acme.example>",
               *extra, "--json"))  # fmt: skip
    return int(r.json["id"])


def shown(run: Run, iid: int) -> dict[str, Any]:
    return ok(run("show", str(iid), "--json")).json  # type: ignore[no-any-return]


def test_history_lists_every_change_with_its_source(run: Run) -> None:
    iid = add(run)
    ok(run("debrief", str(iid), "--topic", "the billing rewrite", "--skill", "Go"))
    ok(run("sent", str(iid)))
    ok(run("replied", str(iid)))
    events = ok(run("history", str(iid), "--json")).json
    assert [e["kind"] for e in events] == ["added", "debriefed", "sent", "replied"]
    assert {e["source"] for e in events} == {"cli"}
    assert "topic: the billing rewrite" in events[1]["summary"]
    assert "thank-you to Ada Lovelace" in events[2]["summary"]
    text = ok(run("history", str(iid))).out
    assert "they replied" in text and "recorded the thank-you" in text


@pytest.mark.parametrize(
    "action",
    [
        ("sent",),
        ("replied",),
        ("cancel",),
        ("expect", "--by", "2026-12-04"),
        ("debrief", "--topic", "on-call load", "--greeting", "Dr. Lovelace",
         "--interviewer", "ada@acme.example"),
        ("edit", "--at", "2026-11-24T09:00", "--culture", "corporate"),
        ("edit", "--add-interviewer", "Bob <bob@acme.example>"),
    ],
    ids=lambda a: " ".join(a[:2]),
)  # fmt: skip
def test_undo_right_after_an_action_restores_the_state_before_it(
    run: Run, action: tuple[str, ...]
) -> None:
    iid = add(run)
    before = shown(run, iid)
    ok(run(action[0], str(iid), *action[1:]))
    assert shown(run, iid) != before
    r = ok(run("undo", str(iid)))
    assert r.out.startswith("Undid: ")
    assert shown(run, iid) == before


def test_undo_is_repeatable_back_to_the_add_then_says_why_it_stops(run: Run) -> None:
    iid = add(run)
    start = shown(run, iid)
    ok(run("sent", str(iid)))
    after_thanks = shown(run, iid)
    ok(run("replied", str(iid)))
    ok(run("undo", str(iid)))
    assert shown(run, iid) == after_thanks
    ok(run("undo", str(iid)))
    assert shown(run, iid) == start
    r = run("undo", str(iid))
    assert r.code == ExitCode.CONFLICT
    assert r.err == f"followup: error: interview {iid} was just added: nothing before it to go" \
        f" back to (to stop following it up: followup cancel {iid}; a round added by mistake:" \
        " cancel it, then followup reopen the round before it)\n"  # fmt: skip
    kinds = [(e["kind"], e["undone_by"] is not None)
             for e in ok(run("history", str(iid), "--json")).json]  # fmt: skip
    assert kinds == [("added", False), ("sent", True), ("replied", True), ("undo", False),
                     ("undo", False)]  # fmt: skip


def test_a_dashboard_reply_mark_can_be_undone_from_the_terminal(run: Run) -> None:
    """The issue: "They replied" in the dashboard had no undo. The use-case is shared."""
    iid = add(run)
    ok(run("replied", str(iid)))
    ok(run("undo", str(iid)))
    assert shown(run, iid)["status"] == "waiting"
    assert ok(run("agenda", "--json")).json[0]["interview_id"] == iid


def test_undo_on_one_round_keeps_the_company_corrected_since_on_another(run: Run) -> None:
    """The application is every round's: undoing round 1's debrief must not take back the
    company corrected since on round 2 (history 2 would still call it in force)."""
    one = add(run)
    two = int(ok(run("add", "--application", str(one), "--at", "2026-11-30T10:00",
                     "--json")).json["id"])  # fmt: skip
    ok(run("debrief", str(one), "--topic", "the billing rewrite"))
    ok(run("edit", str(two), "--company", "Acme Inc"))
    r = ok(run("undo", str(one)))
    assert "debriefed" in r.out
    assert shown(run, one)["company"] == shown(run, two)["company"] == "Acme Inc"
    assert shown(run, one)["debrief"] == []


def test_undo_of_a_company_changed_again_on_another_round_is_refused_in_order(run: Run) -> None:
    one = add(run)
    two = int(ok(run("add", "--application", str(one), "--at", "2026-11-30T10:00",
                     "--json")).json["id"])  # fmt: skip
    ok(run("edit", str(one), "--company", "Acme Ltd"))
    ok(run("edit", str(two), "--company", "Acme Inc"))
    r = run("undo", str(one))
    assert r.code == ExitCode.CONFLICT
    assert r.err == (
        f"followup: error: interview {one}: the company changed since on interview {two}"
        f" (company: Acme Ltd → Acme Inc (edited on interview {two})): undo that first"
        f" (followup undo {two})\n"
    )
    assert shown(run, one)["company"] == "Acme Inc"
    ok(run("undo", str(two)))
    ok(run("undo", str(one)))
    assert shown(run, one)["company"] == shown(run, two)["company"] == "Acme"


def test_a_misspelt_name_and_address_are_put_right_in_place(run: Run) -> None:
    """The only interviewer could not be corrected (remove refused the last one, add the
    same address refused), and correcting a panel's primary handed the role and the topic to
    someone else. Now: the same person, put right, their topic and place kept."""
    iid = int(ok(run("add", "--company", "Acme", "--role", "SRE", "--at", "2026-11-23T10:00",
                     "--tz", "Europe/London", "--interviewer", "Ada Lovlace <ada@acme.exmaple>",
                     "--interviewer", "Bob Stone <bob@acme.example>", "--topic",
                     "the billing rewrite", "--json")).json["id"])  # fmt: skip
    r = run("edit", str(iid), "--name", "Ada Lovelace")
    assert r.code == ExitCode.INVALID and "--interviewer" in r.err  # a panel: whose?
    r = ok(run("edit", str(iid), "--interviewer", "ada@acme.exmaple", "--name", "Ada Lovelace",
               "--email", "ada@acme.example"))  # fmt: skip
    assert "ada@acme.exmaple → ada@acme.example" in r.out
    people = shown(run, iid)["interviewers"]
    assert [(p["name"], p["email"], p["primary"]) for p in people] == [
        ("Ada Lovelace", "ada@acme.example", True),
        ("Bob Stone", "bob@acme.example", False),
    ]
    draft = ok(run("draft", str(iid), "--interviewer", "ada@acme.example", "--json")).json
    assert draft["to"] == "Ada Lovelace <ada@acme.example>"
    assert "billing rewrite" in draft["body"]  # her topic stays hers
    r = run("edit", str(iid), "--interviewer", "bob@acme.example", "--email", "ada@acme.example")
    assert r.code == ExitCode.INVALID and "already on interview" in r.err
    ok(run("undo", str(iid)))
    assert shown(run, iid)["interviewers"][0]["email"] == "ada@acme.exmaple"


def test_the_only_interviewers_address_is_corrected_and_their_next_note_goes_there(
    run: Run,
) -> None:
    iid = add(run)
    ok(run("sent", str(iid), "--at", "2026-11-25T13:00", now="2026-11-25T14:00:00Z"))
    r = ok(run("edit", str(iid), "--email", "ada.lovelace@acme.example"))
    assert "address of Ada Lovelace: ada@acme.example → ada.lovelace@acme.example" in r.out
    follow_up = [n for n in shown(run, iid)["notes"] if n["state"] == "pending"]
    ada = shown(run, iid)["interviewers"][0]
    assert [n["interviewer_id"] for n in follow_up] == [ada["id"]]


def test_an_address_corrected_on_one_round_is_corrected_on_the_others(run: Run) -> None:
    """Round 1's overdue thank-you still went to the typo after round 2's correction."""
    one = int(ok(run("add", "--company", "Hooli", "--role", "SRE", "--at", "2026-11-23T10:00",
                     "--tz", "Europe/London", "--interviewer", "Gavin <gavin@hooli.exmaple>",
                     "--json")).json["id"])  # fmt: skip
    two = int(ok(run("add", "--application", str(one), "--at", "2026-11-30T10:00",
                     "--json")).json["id"])  # fmt: skip
    r = ok(run("edit", str(two), "--interviewer", "gavin@hooli.exmaple", "--email",
               "gavin@hooli.example", "--name", "Gavin Belson"))  # fmt: skip
    assert f"also on round 1 (interview {one})" in r.out
    for iid in (one, two):
        [person] = shown(run, iid)["interviewers"]
        assert (person["name"], person["email"]) == ("Gavin Belson", "gavin@hooli.example")
    # round 1's history says so, and its own undo takes it back there
    assert f"(corrected on interview {two})" in ok(run("history", str(one))).out
    ok(run("undo", str(one)))
    [person] = shown(run, one)["interviewers"]
    assert person["email"] == "gavin@hooli.exmaple"
    r = run("edit", str(two), "--name", " ")
    assert r.code == ExitCode.INVALID and "name cannot be empty" in r.err


def test_reopen_a_cancelled_or_replied_sequence(run: Run) -> None:
    iid = add(run)
    ok(run("cancel", str(iid)))
    r = ok(run("reopen", str(iid)))
    assert f"Interview {iid} reopened (it was cancelled)." in r.out
    assert shown(run, iid)["status"] == "waiting"
    assert [n["kind"] for n in shown(run, iid)["notes"] if n["state"] == "pending"] == ["thank-you"]
    ok(run("sent", str(iid)))
    ok(run("replied", str(iid)))
    ok(run("reopen", str(iid)))
    pending = [n["kind"] for n in shown(run, iid)["notes"] if n["state"] == "pending"]
    assert pending == ["follow-up"]


def test_reopening_after_a_no_says_the_next_notes_ask_about_a_decision(
    run: Run, tmp_path: Path
) -> None:
    """A cold trial (session 15): a rejection reopened drafted "when do you expect to
    decide?" with nothing said."""
    iid = add(run)
    ok(run("sent", str(iid)))
    no = tmp_path / "no.eml"
    no.write_text(
        "From: Ada <ada@acme.example>\nTo: me@example.org\nSubject: Re: Thank you\n"
        "Message-ID: <no-1@acme.example>\nDate: Tue, 01 Dec 2026 10:00:00 +0000\n\n"
        "Thanks for your time. Unfortunately we have decided to move forward with other"
        " candidates.\n"
    )
    ok(run("receive", str(no)))
    assert shown(run, iid)["status"] == "rejected"
    r = ok(run("reopen", str(iid)))
    assert f"Interview {iid} reopened (it was rejected)." in r.out
    assert "which ask about a decision — but they said no" in r.out
    assert f"followup draft {iid} --edit" in r.out
    ok(run("cancel", str(iid)))
    assert "decision" not in ok(run("reopen", str(iid))).out  # a cancel is no "no"


def test_a_chase_after_reopening_a_reply_counts_from_the_reply(run: Run) -> None:
    """Their "we'll decide next week" came two days after the thank-you; reopened the day
    after, the follow-up waits a week from their message, not from the thank-you."""
    iid = add(run)
    ok(run("sent", str(iid), "--at", "2026-11-25T13:00", now="2026-11-25T14:00:00Z"))
    week_after_thanks = shown(run, iid)["notes"][-1]["due_at"]
    assert week_after_thanks.startswith("2026-12-02")
    ok(run("replied", str(iid), "--at", "2026-11-27T15:00Z", now="2026-11-27T16:00:00Z"))
    r = ok(run("reopen", str(iid), now="2026-11-28T09:00:00Z"))
    pending = [n for n in shown(run, iid)["notes"] if n["state"] == "pending"]
    assert [n["kind"] for n in pending] == ["follow-up"]
    assert pending[0]["due_at"] >= "2026-12-04T15:00:00Z"
    assert "due Fri 04 Dec" in r.out
    ok(run("undo", str(iid), now="2026-11-28T09:05:00Z"))  # the floor goes with the reopen
    assert shown(run, iid)["defer_until"] is None


def test_reopening_a_cancelled_sequence_keeps_its_plan(run: Run) -> None:
    iid = add(run)
    ok(run("sent", str(iid), "--at", "2026-11-25T13:00", now="2026-11-25T14:00:00Z"))
    ok(run("cancel", str(iid), now="2026-11-27T16:00:00Z"))
    ok(run("reopen", str(iid), now="2026-11-28T09:00:00Z"))
    pending = [n for n in shown(run, iid)["notes"] if n["state"] == "pending"]
    assert pending[0]["due_at"].startswith("2026-12-02")


def test_reopen_refuses_an_open_or_finished_sequence(run: Run) -> None:
    iid = add(run)
    r = run("reopen", str(iid))
    assert r.code == ExitCode.CONFLICT and "is waiting" in r.err
    for at in ("2026-11-25T13:00", "2026-12-02T13:00", "2026-12-16T13:00"):
        ok(run("sent", str(iid), "--at", at, now="2026-12-20T12:00:00Z"))
    assert shown(run, iid)["status"] == "closed"
    r = run("reopen", str(iid))
    assert r.code == ExitCode.CONFLICT and "let it go" in r.err
    assert shown(run, iid)["status"] == "closed"  # nothing changed


def test_edit_moves_the_interview_and_replans_its_notes(run: Run) -> None:
    iid = add(run)
    due = shown(run, iid)["notes"][0]["due_at"]
    r = ok(run("edit", str(iid), "--at", "2026-11-24T15:30"))
    assert "moved from Mon 23 Nov 2026 10:00 GMT to Tue 24 Nov 2026 15:30 GMT" in r.out
    moved = shown(run, iid)
    assert moved["start"] == "2026-11-24T15:30:00Z"
    assert moved["notes"][0]["due_at"] > due


def test_edit_tz_alone_keeps_the_wall_time(run: Run) -> None:
    iid = add(run)
    ok(run("edit", str(iid), "--tz", "America/New_York"))
    got = shown(run, iid)
    assert (got["tz"], got["start"]) == ("America/New_York", "2026-11-23T15:00:00Z")


def test_edit_sets_the_culture_the_neutral_draft_asks_for(run: Run) -> None:
    iid = add(run)
    ok(run("edit", str(iid), "--culture", "startup"))
    assert shown(run, iid)["application"]["culture"] == "startup"
    drafted = ok(run("draft", str(iid), "--json")).json
    assert (drafted[0] if isinstance(drafted, list) else drafted)["tone"] == "casual"


def test_edit_adds_and_removes_interviewers(run: Run) -> None:
    iid = add(run)
    ok(run("edit", str(iid), "--add-interviewer", "Bob Stone <bob@acme.example>"))
    pending = [n for n in shown(run, iid)["notes"] if n["state"] == "pending"]
    assert len(pending) == 2  # a thank-you each
    ok(run("edit", str(iid), "--remove-interviewer", "ada@acme.example", "--primary",
           "bob@acme.example"))  # fmt: skip
    got = shown(run, iid)
    people = {p["email"]: p for p in got["interviewers"]}
    assert people["bob@acme.example"]["primary"]
    bob = people["bob@acme.example"]["id"]
    assert [n["interviewer_id"] for n in got["notes"] if n["state"] == "pending"] == [bob]


def test_someone_taken_off_and_put_back_is_one_person_and_the_home_still_moves(
    run: Run, tmp_path: Path
) -> None:
    """A cold trial took one interviewer off and put them back 105 times: each time a new
    row, until the home's own export was more removed interviewers than an import takes.
    Put back, they are their row again (their new name kept), with a thank-you again."""
    iid = add(run)
    ok(run("edit", str(iid), "--add-interviewer", "Bob Stone <bob@acme.example>"))
    for k in range(3):
        ok(run("edit", str(iid), "--remove-interviewer", "bob@acme.example"))
        ok(run("edit", str(iid), "--add-interviewer", f"Bobby {k} <bob@acme.example>"))
    got = shown(run, iid)
    bobs = [p for p in got["interviewers"] if p["email"] == "bob@acme.example"]
    assert [(b["name"], b["removed"]) for b in bobs] == [("Bobby 2", False)]
    pending = [n["interviewer_id"] for n in got["notes"] if n["state"] == "pending"]
    assert bobs[0]["id"] in pending and len(pending) == 2
    ok(run("export", "-o", str(tmp_path / "moved.json")))
    ok(run("--home", str(tmp_path / "new"), "import", str(tmp_path / "moved.json")))


def test_an_address_corrected_after_the_thank_you_went_gets_its_thank_you(run: Run) -> None:
    """A cold trial mistyped Priya's address, sent the thank-yous, then corrected it with
    remove and add: her right address got no thank-you (its first mail would have been a
    "Re:" follow-up), the primary contact moved to Ada, and the edit said "added Priya
    Shah; removed Priya Shah"."""
    iid = add(run, "--interviewer", "Priya Shah <priya@acme.exmaple>", "--primary",
              "priya@acme.exmaple")  # fmt: skip
    ok(run("sent", str(iid), "--at", "2026-11-25T11:00:00Z", now="2026-11-25T12:00:00Z"))
    r = ok(run("edit", str(iid), "--remove-interviewer", "priya@acme.exmaple",
               "--add-interviewer", "Priya Shah <priya@acme.example>"))  # fmt: skip
    assert "added Priya Shah <priya@acme.example>; removed Priya Shah <priya@acme.exmaple>" in r.out
    got = shown(run, iid)
    priya = next(p for p in got["interviewers"] if p["email"] == "priya@acme.example")
    assert priya["primary"]
    pending = [(n["kind"], n["interviewer_id"]) for n in got["notes"] if n["state"] == "pending"]
    assert pending == [("thank-you", priya["id"])]
    assert "follow-up: 7 days after the previous note" in ok(run("show", str(iid))).out
    ok(run("sent", str(iid), "--at", "2026-11-25T13:00:00Z", now="2026-11-25T14:00:00Z"))
    pending = [(n["kind"], n["interviewer_id"], n["due_at"]) for n in shown(run, iid)["notes"]
               if n["state"] == "pending"]  # fmt: skip
    assert [(kind, who) for kind, who, _ in pending] == [("follow-up", priya["id"])]
    assert pending[0][2] >= "2026-12-02T13:00:00Z"  # a week after the last thank-you


def test_edit_refuses_bad_input_in_one_line_and_changes_nothing(run: Run) -> None:
    iid = add(run)
    before = shown(run, iid)
    for args, says in [
        ((), "nothing to change: give what to change"),
        (("--tz", "Europe/London"), f"nothing to change: interview {iid} is already as you gave"),
        (("--tz", "Mars/Olympus"), "Mars/Olympus"),
        (("--remove-interviewer", "nobody@acme.example"), "no interviewer nobody@acme.example"),
        (("--remove-interviewer", "ada@acme.example"), "the only interviewer"),
        (("--add-interviewer", "Ada <ada@acme.example>"), "already on interview"),
        (("--company", " "), "--company cannot be empty"),
        (("--duration", "0"), "duration"),
    ]:
        r = run("edit", str(iid), *args)
        assert r.code != 0, args
        assert r.err.count("\n") == 1 and says in r.err, (args, r.err)
    assert shown(run, iid) == before


def test_a_later_round_inherits_zone_people_and_skill(run: Run) -> None:
    first = add(run, "--skill", "Kubernetes")
    r = ok(run("add", "--application", "1", "--at", "2026-11-30T14:00", "--json"))
    second = shown(run, r.json["id"])
    assert second["tz"] == "Europe/London"
    assert second["start"] == "2026-11-30T14:00:00Z"  # 14:00 in London, not in Berlin
    assert [p["email"] for p in second["interviewers"]] == ["ada@acme.example"]
    assert [d["skill"] for d in second["debrief"]] == ["Kubernetes"]
    # round 1 took place but Ada is not thanked yet: the thank-you stays, then it moves on
    pending = [n["kind"] for n in shown(run, first)["notes"] if n["state"] == "pending"]
    assert (shown(run, first)["status"], pending) == ("waiting", ["thank-you"])
    ok(run("sent", str(first)))
    assert shown(run, first)["status"] == "advanced"


def test_a_later_round_ends_a_thanked_round_at_once(run: Run) -> None:
    first = add(run)
    ok(run("sent", str(first)))
    r = ok(run("add", "--application", "1", "--at", "2026-11-30T14:00"))
    assert f"Interview {first} moved on to this round" in r.out
    assert shown(run, first)["status"] == "advanced"


def test_a_round_added_by_mistake_is_put_right_as_undo_says(run: Run) -> None:
    """Session 13's trial: `undo` of a round added by mistake says "cancel it, then followup
    reopen the round before it", and reopen refused the round before (it had moved on)."""
    first = add(run)
    ok(run("sent", str(first)))
    second = ok(run("add", "--application", "1", "--at", "2026-11-30T14:00", "--json")).json
    refused = run("undo", str(second["id"]))
    assert refused.code != 0 and "cancel it, then followup reopen" in refused.err
    refused = run("reopen", str(first))  # still moved on to a round that stands
    assert refused.code == 5 and "moved on to a round since cancelled" in refused.err
    ok(run("cancel", str(second["id"])))
    r = ok(run("reopen", str(first)))
    assert shown(run, first)["status"] == "waiting"
    pending = [n["kind"] for n in shown(run, first)["notes"] if n["state"] == "pending"]
    assert pending == ["follow-up"], r.out


def test_a_later_round_in_the_future_does_not_end_the_earlier_one(run: Run) -> None:
    """The issue: round 1 still to come was ended as `advanced` by adding round 2."""
    r = ok(run("add", "--company", "Acme", "--role", "SRE", "--at", "2026-12-01T10:00",
               "--interviewer", "Ada <ada@acme.example>", "--json"))  # fmt: skip
    first = r.json["id"]
    ok(run("add", "--application", "1", "--at", "2026-12-08T10:00"))
    assert shown(run, first)["status"] == "waiting"
    # it keeps its thank-you (the follow-ups are the next round's now), then moves on
    pending = [n["kind"] for n in shown(run, first)["notes"] if n["state"] == "pending"]
    assert pending == ["thank-you"]
    assert "then the next round" in ok(run("show", str(first))).out
    ok(run("sent", str(first), now="2026-12-03T12:00:00Z"))
    assert shown(run, first)["status"] == "advanced"
    assert [n["state"] for n in shown(run, first)["notes"]] == ["sent"]


def test_a_panel_switched_from_all_to_primary_after_one_follow_up_goes_on_to_the_final(
    run: Run,
) -> None:
    """Found trying it: the switch cancelled the primary's follow-up and planned nothing
    more; the sequence stayed waiting with no note, for good (re-planning twice differed)."""
    r = ok(run("add", "--company", "Cyberdyne", "--role", "ML", "--at", "2026-12-01T14:00",
               "--tz", "Asia/Tokyo", "--interviewer", "Miles Dyson <miles@cyberdyne.example>",
               "--interviewer", "Sarah Connor <sarah@cyberdyne.example>", "--json",
               now="2026-12-14T11:00:00Z"))  # fmt: skip
    iid = str(r.json["id"])
    late = "2026-12-14T11:00:00Z"
    ok(run("sent", iid, "--at", "2026-12-03T06:00Z", now=late))
    ok(run("config", "set", "policy.panel_follow_up", "all", now=late))
    ok(run("sent", iid, "--interviewer", "sarah@cyberdyne.example", now=late))
    ok(run("config", "set", "policy.panel_follow_up", "primary", now=late))
    pending = [(n["kind"], n["interviewer_id"]) for n in shown(run, int(iid))["notes"]
               if n["state"] == "pending"]  # fmt: skip
    assert pending == [("final", 1)]  # to Miles, the primary, two weeks after Sarah's


def test_the_history_travels_in_the_json_export_but_never_as_something_to_undo(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    iid = add(run)
    ok(run("sent", str(iid)))
    ok(run("replied", str(iid)))
    ok(run("undo", str(iid)))
    out = tmp_path / "export.json"
    ok(run("export", "--format", "json", "-o", str(out)))
    monkeypatch.setenv("FOLLOWUP_HOME", str(tmp_path / "elsewhere"))
    ok(run("import", str(out)))
    summaries = [e["summary"] for e in ok(run("history", "1", "--json")).json]
    assert summaries[:4] == [
        "added: Acme — SRE, round 1, Mon 23 Nov 2026 10:00 GMT",
        "recorded the thank-you to Ada Lovelace as sent (Wed 25 Nov 2026 12:00 GMT)",
        "they replied: no more notes (undone)",
        "undid: they replied: no more notes",
    ]
    assert summaries[4] == "imported from export.json"
    r = run("undo", "1")
    assert r.code == ExitCode.CONFLICT and "came in by an import (imported from" in r.err


def test_a_history_of_the_wrong_shape_is_refused_with_the_import(run: Run, tmp_path: Path) -> None:
    add(run)
    out = tmp_path / "export.json"
    ok(run("export", "--format", "json", "-o", str(out)))
    doc = json.loads(out.read_text())
    bad = {"at": "yesterday", "source": "cli", "kind": "x", "summary": "y"}
    doc["applications"][0]["interviews"][0]["history"] = [bad, 5]
    out.write_text(json.dumps(doc))
    r = run("import", str(out))
    assert r.code == ExitCode.INVALID
    assert "history[0]: 'yesterday' is not an ISO-8601 instant" in r.err
    assert "history[1]: must be an object" in r.err


def test_what_an_edit_says_names_the_value_before(run: Run) -> None:
    iid = add(run)
    r = ok(run("edit", str(iid), "--tz", "America/New_York", "--company", "Acme Corp",
               "--duration", "45"))  # fmt: skip
    assert "moved from Mon 23 Nov 2026 10:00 GMT to Mon 23 Nov 2026 10:00 EST" in r.out
    assert "company: Acme → Acme Corp" in r.out and "length: 60 → 45 minutes" in r.out


def test_an_edit_of_the_application_is_noted_on_its_other_rounds_and_undo_passes_over_it(
    run: Run,
) -> None:
    first = add(run, "--interviewer", "Bob <bob@acme.example>")
    ok(run("expect", str(first), "--by", "2026-12-04"))
    second = ok(run("add", "--application", "1", "--at", "2026-11-24T10:00", "--json")).json["id"]
    ok(run("edit", str(second), "--company", "Acme Corp"))
    last = ok(run("history", str(first), "--json")).json[-1]
    assert last["kind"] == "noted" and f"edited on interview {second}" in last["summary"]
    r = ok(run("undo", str(first)))  # the note is passed over: round 1's own last change
    assert r.out.startswith("Undid: moved on to round 2")


def test_undoing_a_move_on_that_would_happen_again_is_refused_not_spent(run: Run) -> None:
    """A cold trial (session 17): round 1 thanked, round 2 added: `undo 1` said "Undid" and
    round 1 moved on again at once (a later round still follows it), an undo spent."""
    first = add(run)
    ok(run("sent", str(first)))
    ok(run("add", "--application", "1", "--at", "2026-11-26T10:00"))
    assert shown(run, first)["status"] == "advanced"
    before = ok(run("history", str(first), "--json")).json
    r = run("undo", str(first))
    assert r.code == ExitCode.CONFLICT, r.out
    assert "would move on again at once: a later round still follows it" in r.err
    assert r.err.count("\n") == 1 and "Traceback" not in r.err
    assert ok(run("history", str(first), "--json")).json == before  # nothing spent
    assert shown(run, first)["status"] == "advanced"


def test_a_policy_change_is_noted_in_the_history_and_undo_passes_over_it(run: Run) -> None:
    iid = add(run)
    ok(run("sent", str(iid)))
    ok(run("config", "set", "policy.max_notes", "1"))  # no follow-up: the sequence closes
    last = ok(run("history", str(iid), "--json")).json[-1]
    assert last["kind"] == "noted" and "the policy in config.toml changed" in last["summary"]
    assert shown(run, iid)["status"] == "closed"
    assert ok(run("undo", str(iid))).out.startswith("Undid: recorded the thank-you")


def test_someone_without_an_address_can_be_removed_by_name(run: Run) -> None:
    iid = add(run)
    ok(run("edit", str(iid), "--add-interviewer", "Anna Smith"))
    r = ok(run("edit", str(iid), "--remove-interviewer", "anna smith"))
    assert "removed Anna Smith" in r.out
    panel = [p["name"] for p in shown(run, iid)["interviewers"] if not p["removed"]]
    assert panel == ["Ada Lovelace"]


def test_removing_the_primary_says_who_is_the_contact_now(run: Run) -> None:
    iid = add(run, "--interviewer", "Bob Stone <bob@acme.example>", "--interviewer",
              "Cy Young <cy@acme.example>", "--primary", "bob@acme.example")  # fmt: skip
    r = ok(run("edit", str(iid), "--remove-interviewer", "bob@acme.example"))
    assert "removed Bob Stone; primary contact now: Ada Lovelace" in r.out


def test_a_move_that_would_put_a_sent_note_before_the_interview_is_refused(run: Run) -> None:
    iid = add(run)
    ok(run("sent", str(iid), "--at", "2026-11-25T11:00", "--force"))
    before = shown(run, iid)
    r = run("edit", str(iid), "--at", "2026-11-25T10:30")
    assert r.code == ExitCode.CONFLICT
    assert "the thank-you was recorded as sent on Wed 25 Nov 2026 10:00 GMT" in r.err
    assert f"followup undo {iid}" in r.err
    assert shown(run, iid) == before


def test_the_timeline_ticks_an_interview_only_once_it_took_place(run: Run) -> None:
    """A cold trial's `show` ticked an interview still a day ahead, as if it were done."""
    ahead = ok(run("add", "--company", "Acme", "--role", "SRE", "--at", "2026-11-30T10:00",
                   "--json")).json["id"]  # fmt: skip
    lines = [line.split() for line in ok(run("show", str(ahead))).out.splitlines()]
    assert [line[0] for line in lines if "interview" in line and "(round" in line] == ["→"]
    past = add(run)
    lines = [line.split() for line in ok(run("show", str(past))).out.splitlines()]
    assert [line[0] for line in lines if "interview" in line and "(round" in line] == ["✓"]


def test_a_round_typed_before_an_earlier_one_is_thanked_and_followed_up_in_time_order(
    run: Run,
) -> None:
    """A cold trial typed the afternoon's conversation first, then the morning's as round 2:
    both rounds thanked the recruiter and both ran follow-ups to her."""
    people = ("--interviewer", "Rita <rita@acme.example>")
    afternoon = add(run, *people, "--interviewer", "Bob <bob@acme.example>")  # 10:00 London
    app = str(shown(run, afternoon)["application_id"])
    morning = ok(run("add", "--application", app, "--at", "2026-11-23T08:00", *people,
                     "--interviewer", "Cy <cy@acme.example>", "--json")).json["id"]  # fmt: skip

    def pending(iid: int) -> list[str]:
        got = shown(run, iid)
        names = {p["id"]: p["name"] for p in got["interviewers"]}
        return sorted(f"{n['kind']} {names[n['interviewer_id']]}" for n in got["notes"]
                      if n["state"] == "pending")  # fmt: skip

    assert pending(morning) == ["thank-you Cy"]
    assert pending(afternoon) == ["thank-you Ada Lovelace", "thank-you Bob", "thank-you Rita"]
    ok(run("sent", str(morning), "--at", "2026-11-25T12:00:00Z", now="2026-11-25T12:00:00Z"))
    ok(run("sent", str(afternoon), "--at", "2026-11-25T12:00:00Z", now="2026-11-25T12:00:00Z"))
    assert (pending(morning), pending(afternoon)) == ([], ["follow-up Ada Lovelace"])
    assert shown(run, morning)["status"] == "advanced"


def _final_to_a_contact_never_thanked(run: Run) -> dict[str, Any]:
    """The final's draft after the contact's address was corrected once the follow-up went."""
    iid = add(run)
    ok(run("sent", str(iid), "--at", "2026-11-25T12:00:00Z", now="2026-11-25T12:00:00Z"))
    ok(run("sent", str(iid), "--at", "2026-12-02T12:00:00Z", now="2026-12-02T12:00:00Z"))
    ok(run("edit", str(iid), "--add-interviewer", "Ada Lovelace <ada.lovelace@acme.example>",
           "--remove-interviewer", "ada@acme.example", now="2026-12-03T12:00:00Z"))  # fmt: skip
    return ok(run("draft", str(iid), "--json", now="2026-12-03T12:00:00Z")).json  # type: ignore[no-any-return]


def test_a_contact_who_never_had_the_thank_you_gets_no_re_of_it(run: Run) -> None:
    """A third cold trial corrected the contact's address after the follow-up went: the
    right address's first mail was the final, titled "Re: Thank you for …"."""
    final = _final_to_a_contact_never_thanked(run)
    assert (final["kind"], final["to"]) == ("final", "Ada Lovelace <ada.lovelace@acme.example>")
    assert final["subject"] == "Our conversation about the SRE position"
    assert final["in_reply_to"] is None


def test_a_template_of_ones_own_replying_to_no_thank_you_is_no_empty_re(
    run: Run, home: Path
) -> None:
    """A fourth cold trial's own final.txt ("Subject: Re: {{ first_subject }}") sent the
    contact who never had the thank-you a subject of "Re:" alone, and lint said ok."""
    (home / "templates").mkdir()
    (home / "templates" / "final.txt").write_text(
        "Subject: Re: {{ first_subject }}\n\n{{ greeting }}\n\nStill keen on {{ topic }}.\n"
    )
    final = _final_to_a_contact_never_thanked(run)
    assert final["subject"] == "Our conversation about the SRE position"


def test_a_reply_on_an_earlier_round_names_the_later_one_still_followed_up(run: Run) -> None:
    """Session 13's trial: `replied 1` after round 2 left round 2's follow-ups planned, and
    nothing said so."""
    first = add(run)
    second = ok(run("add", "--application", "1", "--at", "2026-12-01T14:00", "--json")).json
    r = ok(run("replied", str(first)))
    assert f"Round 2 (interview {second['id']}) is still followed up" in r.out
    assert f"followup replied {second['id']}" in r.out
    alone = ok(run("replied", str(second["id"]), now="2026-12-02T10:00:00Z"))
    assert "still followed up" not in alone.out


def test_a_promised_date_before_the_interview_is_refused_as_a_typo(run: Run) -> None:
    """Session 13's third trial: --promised-by 2026-10-30 (for 11-30) was kept, and the
    follow-up told the hiring manager "a decision was expected around 30 October"."""
    first = add(run)
    when = shown(run, first)["start"][:10]
    r = run("debrief", str(first), "--topic", "the ledger", "--promised-by", "2026-10-30")
    assert r.code == 4 and "is before the interview" in r.err, r.err
    assert "check the date" in r.err and shown(run, first)["expect_by"] is None
    assert run("debrief", str(first), "--topic", "the ledger").code == 0  # nothing else kept
    assert run("expect", str(first), "--by", "2026-10-30").code == 4
    assert run("expect", str(first), "--by", when).code == 0  # the day itself is fine


def test_reopen_of_a_round_let_go_names_undo(run: Run) -> None:
    first = add(run)
    ok(run("sent", str(first)))
    ok(run("add", "--application", "1", "--at", "2026-11-30T14:00"))
    refused = run("reopen", str(first))
    assert refused.code == 5 and f"followup undo {first}" in refused.err, refused.err
