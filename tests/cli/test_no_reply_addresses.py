"""Never a note to a no-reply address: one like it is refused as an interviewer's, with the
reason, at add, edit and import (issue #15)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from followup.app.errors import ExitCode
from followup.domain.limits import no_reply_problem
from tests.conftest import Run

AT = "2026-11-20T10:00:00Z"


@pytest.mark.parametrize(
    "address",
    [
        "no-reply@acme.example",
        "noreply@acme.example",
        "No_Reply@acme.example",
        "noreply+jobs@acme.example",
        "no-reply-careers@acme.example",
        "do-not-reply@acme.example",
        "DoNotReply@acme.example",
        "do_not_reply@acme.example",
        "mailer-daemon@acme.example",
        "MAILER-DAEMON@acme.example",
        "jobs-noreply@acme.example",
        "careers-noreply@acme.example",
        "careers.no_reply@acme.example",
        "no_reply@acme.example",
    ],
)
def test_no_reply_shapes_are_named(address: str) -> None:
    problem = no_reply_problem(address)
    assert problem is not None and problem.startswith(f"{address} is a no-reply address")


@pytest.mark.parametrize(
    "address",
    [
        "noreen@acme.example",
        "replies@acme.example",
        "no@acme.example",
        "nora.reply@acme.example",
        "bruno-replyto@acme.example",
        "recruiter@lever.co",
        "ann@workday.com",
    ],
)
def test_people_are_not_taken_for_no_reply_boxes(address: str) -> None:
    assert no_reply_problem(address) is None


@pytest.mark.parametrize(
    ("address", "platform"),
    [
        ("notifications@myworkday.com", "Workday"),
        ("acme@myworkday.com", "Workday"),
        ("no-reply-x@us.greenhouse-mail.io", None),
        ("acme-notifications@talent.icims.com", "iCIMS"),
        ("reply+abc@hire.lever.co", "Lever"),
    ],
)
def test_a_hiring_relay_s_address_is_named(address: str, platform: str | None) -> None:
    problem = no_reply_problem(address)
    assert problem is not None
    if platform:
        assert problem.startswith(f"{address} is {platform}'s relay for the employer: nobody")


def test_add_refuses_a_relay_address_with_the_reason(run: Run) -> None:
    done = run("add", "--company", "Acme", "--role", "Dev", "--at", AT,
               "--interviewer", "Acme <notifications@myworkday.com>")  # fmt: skip
    assert done.code == ExitCode.INVALID
    assert done.err.startswith(
        "followup: error: notifications@myworkday.com is Workday's relay for the employer"
    )
    assert run("list", "--json").json == []


def refused(result: object, address: str) -> None:
    assert result.code == ExitCode.INVALID
    err = result.err
    assert err == (
        f"followup: error: {address} is a no-reply address: nobody reads it, so no note may go"
        " there — give the interviewer's or the recruiter's own address\n"
    )


def test_add_refuses_a_no_reply_interviewer_and_stores_nothing(run: Run) -> None:
    address = "no-reply@acme.example"
    refused(run("add", "--company", "Acme", "--role", "Dev", "--at", AT,
                "--interviewer", f"Acme Jobs <{address}>"), address)  # fmt: skip
    assert run("list", "--json").json == []


def test_edit_refuses_adding_one(run: Run) -> None:
    assert run("add", "--company", "Acme", "--role", "Dev", "--at", AT).code == 0
    address = "donotreply@acme.example"
    refused(run("edit", "1", "--add-interviewer", f"X <{address}>"), address)
    assert run("show", "1", "--json").json["interviewers"] == []


def test_csv_and_json_imports_refuse_one(run: Run, tmp_path: Path) -> None:
    sheet = tmp_path / "s.csv"
    sheet.write_text(f"Company,Role,Start,Interviewer Email\nA,Dev,{AT},noreply@a.example\n")
    done = run("import", str(sheet))
    assert done.code == ExitCode.INVALID
    assert "noreply@a.example is a no-reply address" in done.err
    assert run("list", "--json").json == []

    assert run("add", "--company", "Acme", "--role", "Dev", "--at", AT,
               "--interviewer", "Ann <ann@acme.example>").code == 0  # fmt: skip
    doc = run("export").json
    text = json.dumps(doc).replace("ann@acme.example", "no-reply@acme.example")
    exported = tmp_path / "e.json"
    exported.write_text(text)
    other = run("--home", str(tmp_path / "other"), "import", str(exported))
    assert other.code == ExitCode.INVALID
    assert "no-reply@acme.example is a no-reply address" in other.err
