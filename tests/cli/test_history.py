"""Real life changes plans (issue #14): history, undo, reopen, edit and later rounds.

Each test is a defect the issue reproduced, or what a user expects of the new commands.
"""

from __future__ import annotations

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
        f" back to (to stop following it up: followup cancel {iid})\n"  # fmt: skip
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
    assert "moved to Tue 24 Nov 2026 15:30 GMT" in r.out
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


def test_edit_refuses_bad_input_in_one_line_and_changes_nothing(run: Run) -> None:
    iid = add(run)
    before = shown(run, iid)
    for args, says in [
        ((), "nothing to change"),
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
    assert shown(run, first)["status"] == "advanced"


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
