"""An id past what the database holds (64 bits) is a usage error (exit 2, one line), the
same for every command that takes an id; never exit 1 "internal error: OverflowError"."""

from __future__ import annotations

import pytest

from followup.app.errors import ExitCode
from tests.conftest import Run

HUGE = "99999999999999999999999"  # > 2**63
ADD = ("add", "--company", "Acme", "--role", "Dev", "--at", "2026-11-23T14:00",
       "--interviewer", "Ada <ada@acme.example>")  # fmt: skip


@pytest.mark.parametrize(
    "args",
    [
        ("show", HUGE),
        ("sent", HUGE),
        ("replied", HUGE),
        ("draft", HUGE),
        ("draft", HUGE, "--json"),  # the entry point's short path, without click
        ("send", HUGE),
        ("cancel", HUGE),
        ("expect", HUGE, "--by", "2026-12-01"),
        ("debrief", HUGE, "--topic", "caching"),
        ("lint", "--interview", HUGE),
        ("add", "--application", HUGE, "--at", "2026-11-23T14:00"),
        ("show", str(2**63)),  # the first number past the range
        ("show", "0"),
    ],
    ids=lambda args: " ".join(a[:8] for a in args),
)
def test_an_id_past_64_bits_is_a_usage_error(run: Run, args: tuple[str, ...]) -> None:
    assert run(*ADD).code == 0
    result = run(*args, stdin="Thank you!\n")
    assert result.code == ExitCode.USAGE, result.err
    assert "is not in the range 1<=x<=9223372036854775807" in result.err
    assert "internal error" not in result.err and "Traceback" not in result.err


def test_the_largest_id_is_simply_not_there(run: Run) -> None:
    result = run("show", str(2**63 - 1))
    assert (result.code, result.err) == (
        ExitCode.NOT_FOUND,
        f"followup: error: no interview with id {2**63 - 1}\n",
    )


def test_a_non_ascii_digit_is_a_usage_error_not_a_traceback(run: Run) -> None:
    # "²".isdigit() is true but int("²") fails: the short path used to crash on it
    result = run("draft", "²")
    assert result.code == ExitCode.USAGE and "not a valid integer" in result.err


@pytest.mark.parametrize("minutes", ["99999999999999999999", "-99999999999999999999", "1441", "0"])
def test_a_duration_of_any_size_is_refused_like_any_out_of_range_one(
    run: Run, minutes: str
) -> None:
    result = run(*ADD, "--duration", minutes)
    assert (result.code, result.err) == (
        ExitCode.INVALID,
        "followup: error: the interview's duration must be between 1 minute and 24 hours\n",
    )
    assert run("list", "--json").json == []


@pytest.mark.parametrize(
    "args",
    [
        ("agenda", "--limit", HUGE),  # the entry point's short path
        ("agenda", "--limit", HUGE, "--as-of", "2026-11-30T09:00"),
        ("agenda", "--json", f"--limit={HUGE}"),
        ("worker", "--once", "--lease", HUGE),
        ("worker", "--once", "--poll", "1e308"),
        ("worker", "--once", "--poll", "nan"),
    ],
    ids=lambda args: " ".join(args),
)
def test_other_numbers_past_their_range_are_usage_errors(run: Run, args: tuple[str, ...]) -> None:
    assert run(*ADD).code == 0
    result = run(*args)
    assert result.code == ExitCode.USAGE, result.err
    assert "internal error" not in result.err


def test_the_largest_limit_shows_everything(run: Run) -> None:
    assert run(*ADD).code == 0
    result = run("agenda", "--limit", str(2**63 - 1))
    assert result.code == 0 and "1 open sequence:" in result.out
