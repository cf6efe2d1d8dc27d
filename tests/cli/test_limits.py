"""Limits are part of the model: every way in refuses the same over-long or out-of-range
value with the same one line (exit 4), before anything is stored."""

from __future__ import annotations

import sqlite3
import time
from contextlib import closing
from datetime import timedelta
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from followup.app import services
from followup.app.errors import ExitCode, InvalidInput
from followup.app.parse import parse_datetime
from followup.bootstrap import open_context
from followup.domain import limits
from tests.conftest import Run

BASE = ("add", "--company", "Acme", "--role", "Dev", "--at", "2026-11-23T14:00")


def _refused(run: Run, *args: str, says: str) -> None:
    before = run("list", "--json").json
    result = run(*args, stdin="")
    assert result.code == ExitCode.INVALID, result.err
    assert result.err.count("\n") == 1 and result.err.startswith("followup: error:"), result.err
    assert says in result.err, result.err
    assert run("list", "--json").json == before


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--company", "C" * (limits.COMPANY + 1)), "company is 201 characters long: at most 200"),
        (("--role", "R" * (limits.ROLE + 1)), "role is 201 characters long"),
        (("--topic", "t" * (limits.TOPIC + 1)), "topic is 501 characters long: at most 500"),
        (("--skill", "s" * (limits.TOPIC + 1)), "skill is 501 characters long"),
        (("--location", "l" * (limits.LOCATION + 1)), "location is 2,001 characters long"),
        (("--interviewer", "N" * (limits.NAME + 1)), "name is 201 characters long"),
        (("--interviewer", f'"{"N" * 201}" <a@acme.example>'), "name is 201 characters long"),
        (("--interviewer", f"{'a' * 64}@{'d' * 60}.{'e' * 60}.{'f' * 60}.example"), "254"),
        (("--interviewer", "x" * 5000 + " <a@acme.example>"), "interviewer is 5,017"),
        (("--duration", str(24 * 60 + 1)), "between 1 minute and 24 hours"),
        (("--at", "0001-01-01T00:00"), "between 1970 and 2100"),
        (("--at", "9999-12-31T23:00"), "between 1970 and 2100"),
        (("--at", "2101-01-01T00:00Z"), "between 1970 and 2100"),
    ],
)
def test_add_refuses_what_is_over_a_limit(run: Run, args: tuple[str, ...], says: str) -> None:
    _refused(run, *BASE, *args, says=says)


def test_too_many_interviewers_or_topics(run: Run) -> None:
    people = [f"--interviewer=p{i}@acme.example" for i in range(limits.INTERVIEWERS + 1)]
    _refused(run, *BASE, *people, says="11 interviewers: at most 10")
    topics = [f"--topic=point {i}" for i in range(limits.TOPICS + 1)]
    _refused(run, *BASE, *topics, says="21 topics: at most 20")


def test_right_at_the_limits_is_accepted(run: Run) -> None:
    result = run(
        "add", "--company", "C" * limits.COMPANY, "--role", "R" * limits.ROLE,
        "--at", "2026-11-23T14:00", "--duration", "480",
        "--interviewer", f'"{"N" * limits.NAME}" <n@acme.example>',
        "--topic", "t" * limits.TOPIC, "--location", "l" * limits.LOCATION, "--json",
    )  # fmt: skip
    assert result.code == 0, result.err
    shown = run("show", "1", "--json").json
    assert len(shown["company"]) == limits.COMPANY
    assert shown["interviewers"][0]["name"] == "N" * limits.NAME


def test_debrief_and_expect_refuse_the_same(run: Run) -> None:
    assert run(*BASE).code == 0
    _refused(run, "debrief", "1", "--topic", "t" * 501, says="topic is 501 characters long")
    _refused(run, "debrief", "1", "--note", "n" * 2001, says="note is 2,001 characters long")
    _refused(run, "debrief", "1", "--promised-by", "9999-12-31", says="between 1970 and 2100")
    _refused(run, "expect", "1", "--by", "9999-12-31", says="between 1970 and 2100")
    assert run("show", "1", "--json").json["expect_by"] is None
    assert run("debrief", "1", "--note", "n" * limits.NOTE).code == 0


def test_a_200_mib_company_name_is_refused_before_anything_is_stored(home: Path) -> None:
    """What one JSON API call once stored (and then `list` took 22.7 s): the API, the forms
    and the importers all call this use-case."""
    ctx = open_context(home)
    before = _dump(home)
    start, _ = parse_datetime("2026-11-23T14:00", "Europe/Berlin")
    huge = "A" * (200 * 2**20)
    began = time.perf_counter()
    with pytest.raises(InvalidInput, match="company is 209,715,200 characters long: at most 200"):
        services.add_interview(ctx, services.NewInterview(huge, "Dev", start, "Europe/Berlin"))
    assert time.perf_counter() - began < 5  # a length check, not a parse of the text
    assert services.list_interviews(ctx) == []
    assert _dump(home) == before


def _dump(home: Path) -> str:
    with closing(sqlite3.connect(home / "followup.db")) as db:
        return "\n".join(db.iterdump())


def test_duration_limits_hold_for_every_caller(home: Path) -> None:
    ctx = open_context(home)
    start, _ = parse_datetime("2026-11-23T14:00", "Europe/Berlin")
    for duration in (timedelta(0), timedelta(seconds=59), timedelta(hours=24, minutes=1)):
        new = services.NewInterview("Acme", "Dev", start, "Europe/Berlin", duration=duration)
        with pytest.raises(InvalidInput, match="between 1 minute and 24 hours"):
            services.add_interview(ctx, new)
    assert services.list_interviews(ctx) == []


def test_a_last_first_name_is_drafted_as_one_quoted_mailbox(run: Run, tmp_path: Path) -> None:
    """`"Lovelace, Ada" <ada@…>` was accepted at add, then every draft and send failed
    (exit 4: "Lovelace, Ada <ada@…>" is not exactly one address)."""
    assert run("config", "set", "user.email", "me@example.org").code == 0
    assert run("config", "set", "user.name", "Hopper, Grace").code == 0
    added = run(*BASE, "--interviewer", '"Lovelace, Ada" <ada@acme.example>')
    assert added.code == 0, added.err
    eml = tmp_path / "out.eml"
    drafted = run("draft", "1", "--interviewer", "ada@acme.example", "--eml", str(eml))
    assert drafted.code == 0, drafted.err
    message = message_from_bytes(eml.read_bytes(), policy=policy.default)
    to = message["To"].addresses
    assert [(a.display_name, a.addr_spec) for a in to] == [("Lovelace, Ada", "ada@acme.example")]
    sender = message["From"].addresses
    assert [(a.display_name, a.addr_spec) for a in sender] == [("Hopper, Grace", "me@example.org")]


# What a user can schedule (issue #16, item 6): the clock is 2026-11-25.
@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--duration", "4"), "an interview lasts 5 to 480 minutes"),
        (("--duration", "481"), "an interview lasts 5 to 480 minutes"),
        (("--duration", "99999999"), "between 1 minute and 24 hours"),  # past any interview
        (("--at", "1999-03-01T10:00"), "(1999-03-01) is more than 10 years ago: check the year"),
        (("--at", "2029-01-05T10:00"), "(2029-01-05) is more than 2 years ahead"),
    ],
)
def test_add_refuses_what_no_interview_is(run: Run, args: tuple[str, ...], says: str) -> None:
    at = ("--at", "2026-11-23T14:00") if "--at" not in args else ()
    _refused(run, "add", "--company", "Acme", "--role", "Dev", *at, *args, says=says)


def test_the_bounds_themselves_are_accepted(run: Run) -> None:
    for minutes, at in (("5", "2016-12-10T10:00"), ("480", "2028-11-20T10:00")):
        result = run("add", "--company", "Acme", "--role", "Dev", "--at", at, "--duration", minutes)
        assert result.code == 0, result.err


@pytest.mark.parametrize("command", ["add", "edit"])
def test_the_help_gives_the_durations_a_user_may_type(run: Run, command: str) -> None:
    """A cold trial read "at most 1440" in `edit --help`, typed 600 and was refused."""
    shown = " ".join(run(command, "--help").out.split())
    assert "5 to 480 minutes" in shown and "1440" not in shown


def test_the_same_interview_twice_is_refused_with_a_pointer(run: Run) -> None:
    first = run(*BASE, "--interviewer", "ada@acme.example", "--json")
    assert first.code == 0, first.err
    interview = first.json["id"]
    before = run("list", "--json").json
    again = run("add", "--company", "ACME", "--role", "dev", "--at", "2026-11-23T14:00")
    assert again.code == ExitCode.CONFLICT, again.err
    assert again.err.count("\n") == 1
    assert f"interview {interview} is this one already" in again.err
    assert f"followup show {interview}" in again.err
    assert run("list", "--json").json == before
    # another start, or the same start once the first is cancelled, is a new interview
    assert run(*BASE[:-1], "2026-11-24T14:00").code == 0
    assert run("cancel", str(interview)).code == 0
    assert run(*BASE).code == 0


def test_the_same_people_typed_again_half_an_hour_off_is_said_with_both_ways_out(
    run: Run,
) -> None:
    """A cold trial typed an interview again 30 minutes off: a second application, and a
    second thank-you to the same person, without a word. (Added all the same: scripts add
    several at once, and a loop typed without --application is a real one.)"""
    first = run(*BASE, "--interviewer", "Ada <ada@acme.example>", "--json")
    assert first.code == 0, first.err
    again = run("add", "--company", "Acme", "--role", "Dev", "--at", "2026-11-23T14:30",
                "--interviewer", "Ada <ADA@acme.example>", "--json")  # fmt: skip
    assert again.code == 0, again.err
    [said] = again.json["warnings"]
    assert said.startswith(f"interview {first.json['id']} is the same company and role with")
    assert f"followup edit {first.json['id']} --at" in said
    assert f"--application {first.json['application_id']}" in said
    assert f"warning: {said}" in again.err
    # other people the same day, or the same people another week: another interview, said
    other = run("add", "--company", "Acme", "--role", "Dev", "--at", "2026-11-23T18:00",
                "--interviewer", "Bob <bob@acme.example>")  # fmt: skip
    assert other.code == 0, other.err
    assert "you already have Acme — Dev (application" in other.err
    scripted = run("add", "--company", "acme", "--role", "DEV", "--at", "2026-11-30T16:00",
                   "--json")  # fmt: skip
    assert [w[:28] for w in scripted.json["warnings"]] == ["you already have Acme — Dev "]


def test_a_move_is_held_to_the_schedule_but_an_old_length_is_kept(run: Run, home: Path) -> None:
    added = run(*BASE, "--json")
    interview = str(added.json["id"])
    assert run("edit", interview, "--duration", "600").code == ExitCode.INVALID
    assert run("edit", interview, "--at", "2011-01-01T10:00").code == ExitCode.INVALID
    # an interview stored longer than today's bound (an older version's) can still be edited
    with closing(sqlite3.connect(home / "followup.db")) as db, db:
        db.execute("UPDATE interviews SET duration_min = 600")
    result = run("edit", interview, "--location", "Room 4")
    assert result.code == 0, result.err


def test_a_retyped_interview_is_found_in_any_application_of_the_job(run: Run) -> None:
    """A third cold trial: the check looked at the newest application of the company and
    role only, and at the role as typed (two spaces were another job)."""
    first = run(*BASE, "--interviewer", "Ada <ada@acme.example>", "--json")
    assert first.code == 0, first.err
    later = run("add", "--company", "Acme", "--role", "Dev", "--at", "2026-12-10T14:00",
                "--interviewer", "Bob <bob@acme.example>")  # fmt: skip
    assert later.code == 0 and "already have Acme — Dev" in later.err, later.err
    for role, at in (("Dev", "2026-11-23T14:30"), (" dev  ", "2026-11-23T14:45")):
        again = run("add", "--company", "ACME", "--role", role, "--at", at,
                    "--interviewer", "Ada <ada@acme.example>")  # fmt: skip
        assert again.code == 0, again.err
        assert "is the same company and role with the same people" in again.err


def test_the_same_start_in_another_application_of_the_job_is_refused(run: Run) -> None:
    """A third cold trial cancelled the first application's round, added the job again at
    15:00, then the same 15:00 to the first application: two of one interview."""
    first = run(*BASE, "--json")
    assert first.code == 0 and run("cancel", str(first.json["id"])).code == 0
    again = run("add", "--company", "Acme", "--role", "Dev", "--at", "2026-11-23T15:00", "--json")
    assert again.code == 0, again.err
    twice = run("add", "--application", str(first.json["application_id"]), "--at",
                "2026-11-23T15:00")  # fmt: skip
    assert twice.code == ExitCode.CONFLICT, twice.err
    assert f"interview {again.json['id']} is this one already" in twice.err
