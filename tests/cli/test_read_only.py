"""Read-only commands never create data: a home that is not there is named, not made."""

from __future__ import annotations

from pathlib import Path

import pytest

from followup.app.errors import ExitCode
from tests.conftest import Run

READERS = [(), ("agenda",), ("agenda", "--json"), ("list",), ("show", "1"), ("stats",),
           ("export",), ("export", "--format", "csv"), ("history", "1"), ("undo", "1"),
           ("history", "1", "--json")]  # fmt: skip


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


@pytest.mark.parametrize("command", READERS, ids=lambda c: " ".join(c) or "(none)")
def test_a_home_that_does_not_exist_is_named_and_not_created(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...]
) -> None:
    missing = tmp_path / "typo" / "home"
    monkeypatch.setenv("FOLLOWUP_HOME", str(missing))
    before = _files(tmp_path)
    r = run(*command)
    assert r.code == ExitCode.STORE
    assert r.out == ""
    assert r.err == (
        f"followup: error: {missing} does not exist (--home or FOLLOWUP_HOME): check the path,"
        " or start there with followup add or followup import\n"
    )
    assert _files(tmp_path) == before


@pytest.mark.parametrize("command", [("agenda",), ("list",), ("stats",)])
def test_a_mistyped_home_option_is_refused_too(
    run: Run, tmp_path: Path, command: tuple[str, ...]
) -> None:
    r = run("--home", str(tmp_path / "nope"), *command)
    assert r.code == ExitCode.STORE
    assert str(tmp_path / "nope") in r.err and r.err.count("\n") == 1
    assert not (tmp_path / "nope").exists()


def test_add_import_and_config_set_create_the_home(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = tmp_path / "first"
    monkeypatch.setenv("FOLLOWUP_HOME", str(first))
    r = run("add", "--company", "Acme", "--role", "Eng", "--at", "2026-11-23T14:00")
    assert r.code == 0, r.err
    assert (first / "followup.db").exists()
    assert run("agenda", "--json").json[0]["company"] == "Acme"

    exported = tmp_path / "all.json"
    exported.write_text(run("export").out)
    second = tmp_path / "second"
    monkeypatch.setenv("FOLLOWUP_HOME", str(second))
    assert run("import", str(exported)).code == 0
    assert [r["company"] for r in run("list", "--json").json] == ["Acme"]

    third = tmp_path / "third"
    monkeypatch.setenv("FOLLOWUP_HOME", str(third))
    assert run("config", "set", "user.name", "Grace").code == 0
    assert (third / "config.toml").exists()


def test_a_home_with_only_a_config_reads_as_empty_and_stays_so(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "configured"
    monkeypatch.setenv("FOLLOWUP_HOME", str(home))
    assert run("config", "set", "user.name", "Grace").code == 0
    for command in READERS:
        assert run(*command).code in (0, ExitCode.NOT_FOUND)
    assert run("list").out == "No interviews yet.\n"
    assert _files(home) == ["config.toml"]


def test_a_first_run_on_the_default_home_says_how_to_start_and_creates_nothing(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FOLLOWUP_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    before = _files(tmp_path)
    r = run()
    assert r.code == 0, r.err
    assert r.out == (
        "Nothing to follow up right now.\n"
        'Add an interview: followup add --company Acme --role "Engineer" --at ...\n'
    )
    assert run("list").out == "No interviews yet.\n"
    assert run("show", "1").code == ExitCode.NOT_FOUND
    assert _files(tmp_path) == before
    # the first add makes the default home
    assert run("add", "--company", "Acme", "--role", "Eng", "--at", "2026-11-23T14:00").code == 0
    assert (tmp_path / "data" / "followup" / "followup.db").exists()
