"""Invitations as applicant-tracking systems and schedulers write them (issue #15 item 5).

Each fixture under tests/fixtures/ics/ats/ is one platform's invitation, as an .ics and as
the .eml it arrives in (synthesized from the platforms' known title shapes). The user is
Grace Hopper: her name is in every title, and she must never become the company or an
interviewer; outside a terminal a guessed company or role needs --yes.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.calendar.helpers import fixture, ok, one_error_line, only
from tests.conftest import Run

# fixture -> (company, role, interviewers' addresses, start in UTC, zone)
ATS = {
    "greenhouse_candidate_role_company_in_parens": (
        "Acme Robotics", "Senior Backend Engineer",
        ["rita.recruiter@acmerobotics.example", "ada@acmerobotics.example",
         "alan@acmerobotics.example"],
        "2026-12-03T15:00:00Z", "America/New_York",
    ),
    "greenhouse_interview_with_company_for_role": (
        "Initech", "Data Engineer", ["peter.gibbons@initech-corp.example"],
        "2026-12-04T14:00:00Z", "Europe/Berlin",
    ),
    "ashby_company_pipe_role_with_candidate": (
        "Hooli", "Product Manager", ["gavin.belson@hooli.example", "monica.hall@hooli.example"],
        "2026-12-07T17:30:00Z", None,
    ),
    "calendly_event_type_between_host_and_invitee": (
        "Globex", "Platform Engineer", ["rita.ramos@globex.example"],
        "2026-12-08T09:00:00Z", "Europe/Berlin",
    ),
    "goodtime_company_interview_for_role_candidate": (
        "Umbrella Corp", "Staff SRE",
        ["albert.wesker@umbrella.example", "jill.valentine@umbrella.example"],
        "2026-12-09T18:00:00Z", "America/New_York",
    ),
    "lever_candidate_angle_company_role": (
        "Cyberdyne", "Backend Engineer", ["miles.dyson@cyberdyne.example"],
        "2026-12-10T11:00:00Z", None,
    ),
}  # fmt: skip
CASES = [pytest.param(f"ats/{name}.{ext}", *ATS[name], id=f"{name}.{ext}")
         for name in ATS for ext in ("ics", "eml")]  # fmt: skip


def grace(run: Run) -> None:
    ok(run("config", "set", "user.email", "grace@example.org"))
    ok(run("config", "set", "user.name", "Grace Hopper"))


def shown(run: Run, interview_id: int) -> dict[str, Any]:
    return ok(run("show", str(interview_id), "--json")).json  # type: ignore[no-any-return]


@pytest.mark.parametrize(("name", "company", "role", "people", "start", "tz"), CASES)
def test_ats_titles_give_the_company_and_role_never_the_candidate(
    run: Run, name: str, company: str, role: str, people: list[str], start: str, tz: str | None
) -> None:
    grace(run)
    row = only(ok(run("import", fixture(name), "--yes", "--json")).json["interviews"])
    assert (row["company"], row["role"]) == (company, role)
    assert row["start"] == start
    if tz is not None:
        assert row["tz"] == tz
    detail = shown(run, row["id"])
    assert [p["email"] for p in detail["interviewers"]] == people
    assert all("Grace" not in p["name"] for p in detail["interviewers"])


def test_user_name_alone_keeps_the_candidate_out(run: Run) -> None:
    """Calendly's invitee booked with an address followup was not told about: only
    user.name says that "Grace Hopper" is the user, not the company nor an interviewer."""
    path = fixture("ats/calendly_event_type_between_host_and_invitee.ics")
    ok(run("config", "set", "user.name", "Grace Hopper"))
    row = only(ok(run("import", path, "--yes", "--json")).json["interviews"])
    assert (row["company"], row["role"]) == ("Globex", "Platform Engineer")
    emails = [p["email"] for p in shown(run, row["id"])["interviewers"]]
    assert emails == ["rita.ramos@globex.example"]  # not grace.hopper.dev@gmail.com


def test_candidate_in_the_title_is_never_the_company_without_user_name(run: Run) -> None:
    """Nothing configured: the invitation's attendee names still say who are people."""
    path = fixture("ats/greenhouse_candidate_role_company_in_parens.eml")
    row = only(ok(run("import", path, "--yes", "--json")).json["interviews"])
    assert (row["company"], row["role"]) == ("Acme Robotics", "Senior Backend Engineer")


# --- outside a terminal a guess needs --yes ---------------------------------------------------


def test_a_guess_is_not_taken_silently_outside_a_terminal(run: Run) -> None:
    grace(run)
    line = one_error_line(run("import", fixture("ats/ashby_company_pipe_role_with_candidate.eml")))
    assert 'guessed the company "Hooli" and role "Product Manager"' in line
    assert "--yes" in line and "--company" in line
    assert ok(run("list", "--json")).json == []  # nothing written
    two = one_error_line(run("import", fixture("synthesized_two_events.ics")))
    assert "(and 1 more event)" in two
    only_role = one_error_line(
        run("import", fixture("ats/lever_candidate_angle_company_role.ics"), "--company", "Cyb")
    )
    assert 'guessed the role "Backend Engineer" from' in only_role


def test_nothing_guessed_needs_no_yes(run: Run) -> None:
    """--company and --role given, or a file that only updates or cancels: as before."""
    grace(run)
    given = ("--company", "Acme", "--role", "Backend Engineer")
    first = ok(run("import", fixture("outlook_windows_tzid.ics"), "--json", *given))
    assert only(first.json["interviews"])["action"] == "created"
    bump = ok(run("import", fixture("synthesized_sequence_bump.ics"), "--json"))
    assert only(bump.json["interviews"])["action"] == "updated"
    cancel = ok(run("import", fixture("synthesized_cancel.ics"), "--json"))
    assert only(cancel.json["interviews"])["action"] == "cancelled"


def test_a_dry_run_shows_the_guess_and_says_it_needs_yes(run: Run) -> None:
    grace(run)
    path = fixture("ats/goodtime_company_interview_for_role_candidate.eml")
    result = ok(run("import", path, "--dry-run", "--json"))
    row = only(result.json["interviews"])
    assert (row["company"], row["role"], row["id"]) == ("Umbrella Corp", "Staff SRE", None)
    assert any("pass --yes" in w for w in result.json["warnings"])
    assert ok(run("list", "--json")).json == []
