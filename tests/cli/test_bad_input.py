"""Bad input: one clear line on stderr, a documented non-zero exit code, nothing written."""

from __future__ import annotations

import pytest

from followup.app.errors import ExitCode
from tests.conftest import Run

BASE = ("add", "--company", "Acme", "--role", "Dev", "--tz", "Europe/Berlin")


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        ((*BASE, "--at", "2026-11-23T14:00", "--tz", "Mars/Olympus"), ExitCode.INVALID, "zone"),
        ((*BASE, "--at", "2026-02-30T10:00"), ExitCode.INVALID, "2026-02-30"),
        ((*BASE, "--at", "tomorrow-ish"), ExitCode.INVALID, "ISO-8601"),
        ((*BASE, "--at", "2026-03-29T02:30"), ExitCode.INVALID, "does not exist"),
        (
            (*BASE, "--at", "2026-11-23T14:00", "--interviewer", "alice@example.org)<bob@x.com>"),
            ExitCode.INVALID,
            "e-mail",
        ),
        (
            (*BASE, "--at", "2026-11-23T14:00", "--interviewer", "a@x.com, b@x.com"),
            ExitCode.INVALID,
            "exactly one",
        ),
        ((*BASE, "--at", "2026-11-23T14:00", "--country", "XX"), ExitCode.INVALID, "XX"),
        ((*BASE, "--at", "2026-11-23T14:00", "--country", "Germany"), ExitCode.INVALID, "two"),
        (("add", "--application", "99", "--at", "2026-11-23T14:00"), ExitCode.NOT_FOUND, "99"),
        (("add", "--role", "Dev", "--at", "2026-11-23T14:00"), ExitCode.INVALID, "--company"),
    ],
)
def test_bad_add_is_one_line_and_writes_nothing(
    run: Run, args: tuple[str, ...], code: int, says: str
) -> None:
    result = run(*args, stdin="")
    assert result.code == code
    assert result.err.count("\n") == 1, result.err
    assert result.err.startswith("followup: error:")
    assert says in result.err
    assert "Traceback" not in result.err
    assert run("list", "--json").json == []


@pytest.mark.parametrize(
    "args",
    [("show", "42"), ("sent", "42"), ("replied", "42"), ("expect", "42", "--by", "2026-12-01")],
)
def test_unknown_id(run: Run, args: tuple[str, ...]) -> None:
    result = run(*args)
    assert result.code == ExitCode.NOT_FOUND
    assert result.err == "followup: error: no interview with id 42\n"


def test_bad_dates_on_other_commands(run: Run) -> None:
    run(*BASE, "--at", "2026-11-23T14:00")
    r = run("expect", "1", "--by", "next friday")
    assert (r.code, r.err.count("\n")) == (ExitCode.INVALID, 1)
    r = run("sent", "1", "--at", "2030-01-01T00:00:00Z")
    assert r.code == ExitCode.INVALID and "future" in r.err
    r = run("sent", "1", "--at", "2026-11-20T00:00:00Z")
    assert r.code == ExitCode.INVALID and "before the interview" in r.err
    assert run("show", "1", "--json").json["notes"][0]["state"] == "pending"


def test_ambiguous_local_time_takes_the_first_occurrence_with_a_warning(run: Run) -> None:
    r = run(*BASE, "--at", "2026-10-25T02:30", "--json")  # Berlin falls back at 03:00 CEST
    assert r.code == 0
    assert "happens twice" in r.err
    shown = run("show", str(r.json["id"]), "--json").json
    assert shown["start"] == "2026-10-25T00:30:00Z"  # 02:30 CEST, the first one


@pytest.mark.parametrize(
    ("at", "said"),
    [
        ("2025-11-20T13:00", "was 370 days ago (Thu 20 Nov 2025 13:00 CET)"),
        ("2027-11-20T13:00", "is 360 days from now (Sat 20 Nov 2027 13:00 CET)"),
    ],
)
def test_a_year_typed_wrong_is_asked_about(run: Run, at: str, said: str) -> None:
    """A first-hour trial (session 17): "2025" for 2026 planned every note a year ago, and
    only "(366 days ago)" at the end of a line hinted at it."""
    r = run(*BASE, "--at", at, "--interviewer", "Ann <ann@acme.example>", "--json")
    assert r.code == 0, r.err
    [warning] = r.json["warnings"]
    assert warning.startswith(f"interview {r.json['id']} {said}: is the year right?")
    assert f"is the year right? If not: followup edit {r.json['id']} --at …" in warning
    months = run(*BASE, "--at", "2026-06-01T10:00", "--json").json["warnings"]
    assert not [w for w in months if "the year" in w]  # a few months back: no question


def test_usage_errors_exit_2(run: Run) -> None:
    r = run("add", "--duration", "zero")
    assert r.code == ExitCode.USAGE
    r = run("frobnicate")
    assert r.code == ExitCode.USAGE
