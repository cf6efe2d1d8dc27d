"""The console script's short path for the agenda accepts exactly what click accepts."""

from __future__ import annotations

import pytest

from followup.cli.entry import agenda_options, draft_options, history_options
from tests.conftest import Run


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], {}),
        (["agenda"], {}),
        (["--home", "/h"], {"home": "/h"}),
        (["--home=/h", "agenda", "--json"], {"home": "/h", "as_json": True}),
        (["agenda", "--as-of", "2027-01-01", "--all"], {"as_of": "2027-01-01", "show_all": True}),
        (["agenda", "--limit=5"], {"limit": 5}),
    ],
)
def test_recognised_forms(args: list[str], expected: dict[str, object]) -> None:
    defaults = {"home": None, "as_of": None, "limit": 50, "show_all": False, "as_json": False}
    assert agenda_options(args) == {**defaults, **expected}


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["agenda", "--help"],
        ["agenda", "--home", "/h"],  # --home belongs before the command, as in click
        ["--json"],
        ["agenda", "--limit", "0"],
        ["agenda", "--limit", "many"],
        ["agenda", "--as-of"],
        ["agenda", "extra"],
        ["list"],
        ["--version"],
    ],
)
def test_everything_else_goes_to_click(args: list[str]) -> None:
    assert agenda_options(args) is None


def test_both_paths_print_the_same_agenda(run: Run) -> None:
    from click.testing import CliRunner

    from followup.cli.main import cli

    run("add", "--company", "Acme", "--role", "Dev", "--at", "2026-11-20T10:00:00Z")
    run("add", "--company", "Beta", "--role", "Ops", "--at", "2026-11-24T10:00:00Z")
    for args in (["agenda"], ["agenda", "--json"], ["agenda", "--limit", "1"]):
        short = run(*args)
        through_click = CliRunner().invoke(cli, args)
        assert short.code == through_click.exit_code == 0
        assert short.out == through_click.output
        assert "Acme" in short.out


def test_short_path_errors_are_one_line(run: Run) -> None:
    r = run("agenda", "--as-of", "someday")
    assert r.code == 4
    assert r.err.startswith("followup: error:") and r.err.count("\n") == 1


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["draft", "3"], {"interview_id": 3}),
        (
            ["--home", "/h", "draft", "3", "--json"],
            {"home": "/h", "interview_id": 3, "as_json": True},
        ),
        (
            ["draft", "3", "--step", "2", "--interviewer=a@b.example"],
            {"interview_id": 3, "step": 2, "email": "a@b.example"},
        ),
        # a policy may have a fourth step: the use-case says whether this one has
        (["draft", "3", "--step", "4"], {"interview_id": 3, "step": 4}),
    ],
)
def test_draft_short_path_forms(args: list[str], expected: dict[str, object]) -> None:
    defaults = {"home": None, "step": None, "email": None, "as_json": False}
    assert draft_options(args) == {**defaults, **expected}


@pytest.mark.parametrize(
    "args",
    [
        ["draft"],
        ["draft", "x"],
        ["draft", "3", "--edit"],
        ["draft", "3", "--eml", "f.eml"],
        ["draft", "3", "--mailto"],
        ["draft", "3", "--step", "0"],  # the full command: the policy refuses it (exit 4)
        ["draft", "3", "--step", "two"],
        ["draft", "3", "--help"],
    ],
)
def test_other_draft_forms_go_to_click(args: list[str]) -> None:
    assert draft_options(args) is None


def test_both_paths_print_the_same_drafts(run: Run) -> None:
    from click.testing import CliRunner

    from followup.cli.main import cli

    run(
        "add",
        "--company",
        "Acme",
        "--role",
        "Dev",
        "--at",
        "2026-11-20T10:00:00Z",
        "--interviewer",
        "Ada <ada@acme.example>",
        "--interviewer",
        "Bob <bob@acme.example>",
        "--topic",
        "the billing rewrite",
        "--skill",
        "Go",
    )
    for args in (["draft", "1"], ["draft", "1", "--json"], ["draft", "1", "--step", "2"]):
        short = run(*args)
        through_click = CliRunner().invoke(cli, args)
        assert short.code == through_click.exit_code == 0
        assert short.out == through_click.output
        assert "Acme" in short.out


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["history", "3"], {"command": "history", "interview_id": 3}),
        (["--home", "/h", "history", "3", "--json"],
         {"command": "history", "home": "/h", "interview_id": 3, "as_json": True}),
        (["undo", "3"], {"command": "undo", "interview_id": 3, "force": False}),
        (["undo", "3", "--force", "--json"],
         {"command": "undo", "interview_id": 3, "force": True, "as_json": True}),
    ],
)  # fmt: skip
def test_history_and_undo_short_path_forms(args: list[str], expected: dict[str, object]) -> None:
    assert history_options(args) == {"home": None, "as_json": False, **expected}


@pytest.mark.parametrize(
    "args",
    [["history"], ["history", "x"], ["history", "3", "--force"], ["undo", "0"],
     ["undo", "3", "--help"], ["undo", "3", "4"]],
)  # fmt: skip
def test_other_history_and_undo_forms_go_to_click(args: list[str]) -> None:
    assert history_options(args) is None


def test_both_paths_print_the_same_history_and_undo(run: Run) -> None:
    from click.testing import CliRunner

    from followup.cli.main import cli

    run("add", "--company", "Acme", "--role", "Dev", "--at", "2026-11-20T10:00:00Z",
        "--interviewer", "Ada <ada@acme.example>")  # fmt: skip
    for _ in range(2):
        run("sent", "1", "--force")  # the follow-up a minute after the thank-you
    for args in (["history", "1"], ["history", "1", "--json"]):
        short = run(*args)
        through_click = CliRunner().invoke(cli, args)
        assert short.code == through_click.exit_code == 0
        assert short.out == through_click.output and "recorded the thank-you" in short.out
    short = run("undo", "1")
    through_click = CliRunner().invoke(cli, ["undo", "1"])
    assert short.code == through_click.exit_code == 0
    assert short.out.startswith("Undid: recorded the follow-up")
    assert through_click.output.startswith("Undid: recorded the thank-you")
    refused = run("undo", "1")
    assert refused.code == 5 and refused.err.count("\n") == 1
