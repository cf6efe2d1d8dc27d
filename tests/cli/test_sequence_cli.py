"""A job seeker's whole sequence through the real CLI entry point, with a fixed clock."""

from __future__ import annotations

from tests.conftest import Run


def add_acme(run: Run, *extra: str) -> dict:
    result = run(
        "add",
        "--company", "Acme",
        "--role", "Backend Engineer",
        "--at", "2026-11-23T14:00",  # Monday, Berlin local
        "--tz", "Europe/Berlin",
        "--interviewer", "Ada Lovelace <ada@acme.example>",
        "--topic", "the billing rewrite",
        "--skill", "PostgreSQL",
        "--json",
        *extra,
    )  # fmt: skip
    assert result.code == 0, result.err
    return result.json


def test_add_plans_the_thank_you_48_hours_after_the_end_in_the_window(run: Run) -> None:
    created = add_acme(run)
    assert isinstance(created["id"], int) and isinstance(created["application_id"], int)

    items = run("agenda", "--json", now="2026-11-24T09:00:00Z").json
    assert len(items) == 1
    item = items[0]
    assert item["interview_id"] == created["id"]
    assert (item["company"], item["step"], item["kind"]) == ("Acme", 1, "thank-you")
    # ended 15:00 CET Monday = 14:00Z; + 48 h = Wednesday 14:00Z = 15:00 Berlin, in the window
    assert item["due_at"] == "2026-11-25T14:00:00Z"
    assert item["state"] == "upcoming"
    assert item["fading"] is False


def test_agenda_states_move_from_due_to_overdue_to_fading(run: Run) -> None:
    add_acme(run)
    assert run("agenda", "--json", "--as-of", "2026-11-25T15:00:00Z").json[0]["state"] == "due"
    late = run("agenda", "--json", "--as-of", "2026-11-27T09:00:00Z").json[0]
    assert (late["state"], late["fading"]) == ("overdue", False)
    fading = run("agenda", "--json", "--as-of", "2026-11-30T14:00:00Z").json[0]
    assert fading["fading"] is True


def test_fading_sequences_sort_first(run: Run) -> None:
    add_acme(run)  # ends 2026-11-23 14:00Z
    other = run(
        "add", "--company", "Old Co", "--role", "SRE", "--at", "2026-11-10T10:00:00Z", "--json"
    ).json
    items = run("agenda", "--json", now="2026-11-25T15:00:00Z").json
    assert items[0]["interview_id"] == other["id"]
    assert items[0]["fading"] is True


def test_full_sequence_until_let_it_go(run: Run) -> None:
    iid = str(add_acme(run)["id"])
    sent = run("sent", iid, "--at", "2026-11-25T14:30:00Z", "--json", now="2026-11-25T15:00:00Z")
    assert sent.code == 0, sent.err
    step2 = sent.json["plan"]["next"][0]
    assert (step2["step"], step2["kind"]) == (2, "follow-up")
    assert step2["earliest_at"] == "2026-12-02T14:30:00Z"  # 7 days after it was actually sent

    r = run("sent", iid, "--at", "2026-12-02T15:00:00Z", "--json", now="2026-12-02T15:00:00Z")
    step3 = r.json["plan"]["next"][0]
    assert (step3["step"], step3["kind"], step3["earliest_at"]) == (
        3,
        "final",
        "2026-12-16T15:00:00Z",
    )

    final = run("sent", iid, "--at", "2026-12-16T15:00:00Z", now="2026-12-16T16:00:00Z")
    assert final.code == 0
    assert "let it go" in final.out
    assert run("agenda", "--json", now="2027-03-01T00:00:00Z").json == []
    shown = run("show", iid, "--json").json
    assert shown["status"] == "closed"
    assert [n["state"] for n in shown["notes"]] == ["sent", "sent", "sent"]

    again = run("sent", iid, now="2027-01-10T10:00:00Z")
    assert again.code == 5
    assert "let it go" in again.err


def test_reply_stops_the_sequence(run: Run) -> None:
    iid = str(add_acme(run)["id"])
    r = run("replied", iid, "--at", "2026-11-24T10:00:00Z", now="2026-11-24T12:00:00Z")
    assert r.code == 0, r.err
    assert run("agenda", "--json").json == []
    shown = run("show", iid, "--json").json
    assert shown["status"] == "replied"
    assert all(n["state"] == "cancelled" for n in shown["notes"])
    assert run("sent", iid).code == 5


def test_sending_early_is_refused_then_recorded_with_force_and_a_warning(run: Run) -> None:
    iid = str(add_acme(run)["id"])
    refused = run("sent", iid, "--at", "2026-11-24T09:00:00Z", now="2026-11-24T10:00:00Z")
    assert refused.code == 5
    assert "earlier than the etiquette allows" in refused.err and "--force" in refused.err
    assert run("show", iid, "--json").json["notes"][0]["state"] == "pending"
    r = run("sent", iid, "--at", "2026-11-24T09:00:00Z", "--force", now="2026-11-24T10:00:00Z")
    assert r.code == 0
    assert "earlier than the etiquette allows" in r.err
    assert run("show", iid, "--json").json["notes"][0]["state"] == "sent"


def test_a_new_round_advances_the_previous_sequence(run: Run) -> None:
    first = add_acme(run)
    assert run("sent", str(first["id"]), "--force").code == 0  # thanked: nothing left for it
    second = run(
        "add", "--application", str(first["application_id"]),
        "--at", "2026-11-30T10:00", "--tz", "Europe/Berlin", "--json",
    ).json  # fmt: skip
    assert second["application_id"] == first["application_id"]
    assert second["round"] == 2
    assert second["advanced"] == [first["id"]]
    assert run("show", str(first["id"]), "--json").json["status"] == "advanced"
    assert [i["interview_id"] for i in run("agenda", "--json").json] == [second["id"]]


def test_promised_date_holds_the_follow_up_until_the_next_working_day(run: Run) -> None:
    iid = str(add_acme(run)["id"])
    assert run("sent", iid, "--at", "2026-11-25T14:00Z", now="2026-11-25T14:00:00Z").code == 0
    r = run("expect", iid, "--by", "2026-12-04", "--json", now="2026-11-25T14:00:00Z")  # Friday
    assert r.code == 0, r.err
    # the follow-up could go Wed 2 Dec; promised by Friday: Monday 2026-12-07 09:00 Berlin
    assert r.json["plan"]["next"][0]["due_at"] == "2026-12-07T08:00:00Z"
    assert run("agenda", "--json").json[0]["due_at"] == "2026-12-07T08:00:00Z"


def test_country_holidays_are_skipped(run: Run) -> None:
    created = run(
        "add", "--company", "Initech", "--role", "Dev", "--at", "2026-11-24T10:00",
        "--tz", "America/New_York", "--country", "US", "--json",
    ).json  # fmt: skip
    # ends Tue 11:00 EST; +48 h = Thu 26 Nov = Thanksgiving -> Fri 27 Nov 09:00 EST = 14:00Z
    assert run("agenda", "--json").json[0]["interview_id"] == created["id"]
    assert run("agenda", "--json").json[0]["due_at"] == "2026-11-27T14:00:00Z"


def test_panel_gets_one_note_per_interviewer_in_their_own_zone(run: Run) -> None:
    iid = add_acme(run, "--interviewer", "Bob <bob@acme.example>")["id"]
    notes = run("show", str(iid), "--json").json["notes"]
    assert len(notes) == 2
    assert {n["kind"] for n in notes} == {"thank-you"}
    only_ada = run("sent", str(iid), "--interviewer", "ada@acme.example", "--force", "--json")
    assert only_ada.json["notes_marked"] == 1
    assert run("agenda", "--json").json[0]["recipients"] == ["Bob"]


def test_cancel_ends_the_sequence(run: Run) -> None:
    iid = str(add_acme(run)["id"])
    assert run("cancel", iid).code == 0
    assert run("list", "--status", "cancelled", "--json").json[0]["id"] == int(iid)
    assert run("cancel", iid).code == 5


def test_people_output_names_what_is_due(run: Run) -> None:
    add_acme(run)
    out = run("agenda", now="2026-11-25T15:00:00Z").out
    assert "Acme" in out and "thank-you" in out and "Ada Lovelace" in out
    assert "1 due" in out
    shown = run("show", "1").out
    assert "thank-you due" in shown and "then let it go" in shown


def test_empty_agenda_tells_how_to_start(run: Run) -> None:
    r = run()
    assert r.code == 0
    assert "followup add" in r.out


def test_agenda_says_which_sequences_just_ended(run: Run) -> None:
    iid = str(add_acme(run)["id"])
    run("replied", iid, "--at", "2026-11-24T10:00:00Z", now="2026-11-24T12:00:00Z")
    out = run("agenda", now="2026-11-26T12:00:00Z").out
    assert "Ended lately:" in out and "Acme — they replied" in out
    assert "followup add" not in out  # not a first visit: no onboarding hint
    assert "Ended lately" not in run("agenda", now="2026-12-20T12:00:00Z").out  # 14 days on


def test_people_agenda_shows_the_most_at_risk_page_and_counts_the_rest(run: Run) -> None:
    for day in range(2, 9):
        run("add", "--company", f"Co{day}", "--role", "R", "--at", f"2026-11-{day:02d}T10:00:00Z")
    run("add", "--company", "Fresh", "--role", "R", "--at", "2026-11-25T10:00:00Z")
    out = run("agenda", "--limit", "3").out
    assert out.count("FADING") == 3
    assert "Fresh" not in out
    # a shown row to let go counts as that, not as fading (those not shown: by their risk)
    assert "8 open sequences: 6 fading, 1 upcoming; 1 to let go." in out
    assert "Showing the 3 most at risk; --all shows every one." in out
    assert len(run("agenda", "--json").json) == 8  # scripts get everything
