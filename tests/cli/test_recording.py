"""Recording is exact: `sent` records only the pending step, and never one before the cadence
allows it unless told it really went out then (--force); `replied` is as strict about time."""

from __future__ import annotations

from followup.app.errors import ExitCode
from tests.conftest import Run


def _interview(run: Run, *extra: str) -> str:
    # ends Mon 23 Nov 2026 15:00 Berlin = 14:00Z: the thank-you may go from Wed 25 Nov 14:00Z
    r = run("add", "--company", "Acme", "--role", "Eng", "--at", "2026-11-23T14:00",
            "--tz", "Europe/Berlin", "--interviewer", "Ada <ada@acme.example>", *extra,
            "--json")  # fmt: skip
    assert r.code == 0, r.err
    return str(r.json["id"])


def _states(run: Run, iid: str) -> list[tuple[int, str]]:
    return [(n["step"], n["state"]) for n in run("show", iid, "--json").json["notes"]]


def test_sent_three_times_in_a_minute_records_only_the_thank_you(run: Run) -> None:
    iid = _interview(run)
    now = "2026-11-25T15:00:00Z"  # the thank-you is due
    assert run("sent", iid, now=now).code == 0
    before = run("show", iid, "--json").json
    for _ in range(2):
        again = run("sent", iid, now="2026-11-25T15:00:30Z")
        assert again.code == ExitCode.CONFLICT
        assert again.out == ""
        assert again.err == (
            "followup: error: that is 6 days 23 h earlier than the etiquette allows"
            " (7 days after the thank-you was sent): if the follow-up really went out then,"
            " record it with --force\n"
        )
    after = run("show", iid, "--json").json
    assert after == before
    assert after["status"] == "waiting"
    assert _states(run, iid) == [(1, "sent"), (2, "pending")]


def test_a_thank_you_recorded_before_48_hours_is_refused_and_writes_nothing(run: Run) -> None:
    iid = _interview(run)
    r = run("sent", iid, "--at", "2026-11-24T13:00Z")  # 25 h early
    assert r.code == ExitCode.CONFLICT
    assert "1 day 1 h earlier than the etiquette allows (48 h after the interview)" in r.err
    assert "--force" in r.err and "168.0 h" not in r.err
    assert _states(run, iid) == [(1, "pending")]


def test_force_records_an_early_note_and_warns_with_the_rule(run: Run) -> None:
    iid = _interview(run)
    r = run("sent", iid, "--at", "2026-11-24T13:30Z", "--force")
    assert r.code == 0, r.err
    assert r.err == (
        "followup: warning: that was 1 day earlier than the etiquette allows"
        " (48 h after the interview)\n"
    )
    assert "Recorded the thank-you (1 note) as sent." in r.out
    assert _states(run, iid) == [(1, "sent"), (2, "pending")]


def test_a_past_time_after_the_rule_is_recorded_without_a_word(run: Run) -> None:
    iid = _interview(run)
    r = run("sent", iid, "--at", "2026-11-25T14:30Z", now="2026-11-27T10:00:00Z")
    assert (r.code, r.err) == (0, "")
    late = run("sent", iid, "--at", "2026-12-03T09:00Z", now="2026-12-04T10:00:00Z")
    assert (late.code, late.err) == (0, "")
    assert _states(run, iid) == [(1, "sent"), (2, "sent"), (3, "pending")]


def test_a_custom_cadence_is_named_as_such_never_the_etiquette(run: Run) -> None:
    run("config", "set", "policy.follow_up_after_days", "3")
    iid = _interview(run)
    assert run("sent", iid, "--at", "2026-11-25T15:00Z", now="2026-11-25T15:00:00Z").code == 0
    r = run("sent", iid, now="2026-11-26T15:00:00Z")
    assert r.code == ExitCode.CONFLICT
    assert "2 days earlier than your custom cadence allows (3 days after the thank-you" in r.err
    assert "etiquette" not in r.err


def test_a_panel_records_only_the_named_interviewers_note(run: Run) -> None:
    iid = _interview(run, "--interviewer", "Grace <grace@acme.example>")
    r = run("sent", iid, "--interviewer", "GRACE@acme.example", now="2026-11-25T15:00:00Z")
    assert r.code == 0, r.err
    shown = run("show", iid, "--json").json
    emails = {p["id"]: p["email"] for p in shown["interviewers"]}
    states = {emails[n["interviewer_id"]]: n["state"] for n in shown["notes"]}
    assert states == {"ada@acme.example": "pending", "grace@acme.example": "sent"}


def test_replied_before_the_interview_ended_is_refused_like_sent(run: Run) -> None:
    iid = _interview(run)
    before = run("sent", iid, "--at", "2026-11-23T13:30Z")
    replied = run("replied", iid, "--at", "2026-11-23T13:30Z")
    assert replied.code == before.code == ExitCode.INVALID
    assert replied.err == before.err == "followup: error: that is before the interview ended\n"
    assert run("show", iid, "--json").json["status"] == "waiting"


def test_replied_names_who_replied_from_the_panel(run: Run) -> None:
    iid = _interview(run, "--interviewer", "Grace <grace@acme.example>")
    unknown = run("replied", iid, "--interviewer", "bob@acme.example")
    assert unknown.code == ExitCode.NOT_FOUND
    assert "no interviewer bob@acme.example in interview" in unknown.err
    r = run("replied", iid, "--interviewer", "grace@acme.example", "--at", "2026-11-24T10:00Z")
    assert r.code == 0, r.err
    shown = run("show", iid)
    assert "reply received (grace@acme.example)" in shown.out
    assert run("show", iid, "--json").json["status"] == "replied"
