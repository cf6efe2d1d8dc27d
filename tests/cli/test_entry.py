"""The console script's short path for the agenda accepts exactly what click accepts."""

from __future__ import annotations

import pytest

from followup.cli.entry import agenda_options
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
