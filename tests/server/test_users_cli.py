"""`followup users …` against a real PostgreSQL, through the CLI's real entry point."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Run

PASSWORD = "correct horse battery staple"
ENTRY = "import sys; from followup.cli.entry import main; main(sys.argv[1:])"


def test_accounts_need_server_mode(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FOLLOWUP_DATABASE_URL", raising=False)
    for args in (
        ["users", "add", "ada@example.org", "--role", "seeker", "--password-stdin"],
        ["users", "list"],
        ["users", "link", "c@example.org", "s@example.org"],
        ["users", "disable", "s@example.org"],
    ):
        result = run(*args, stdin=PASSWORD + "\n")
        assert result.code == 2, (args, result.err)
        assert result.err.count("\n") == 1 and "server-mode feature" in result.err
        assert "FOLLOWUP_DATABASE_URL" in result.err


def test_no_password_on_the_command_line(run: Run) -> None:
    result = run("users", "add", "ada@example.org", "--role", "seeker", "--password", PASSWORD)
    assert result.code == 2 and "--password" in result.err


@pytest.mark.integration
def test_with_no_password_to_read_the_error_names_the_flag(run: Run, server_url: str) -> None:
    """A cold trial (session 11): a script's `users add` with nothing on its input and
    without --password-stdin ended in a bare "Aborted!" (exit 1)."""
    result = run("users", "add", "ada@example.org", "--role", "seeker", stdin="")
    assert result.code == 4, result.err
    assert result.err.endswith(
        "followup: error: no password given: type it when asked, or give it on standard"
        " input with --password-stdin\n"
    )
    assert run("users", "list", "--json").json == []


@pytest.mark.integration
def test_bad_address_or_role_is_exit_4_before_a_password_is_asked(
    run: Run, server_url: str
) -> None:
    for email, role in [("not-an-address", "seeker"), ("ada@example.org", "boss")]:
        result = run("users", "add", email, "--role", role)  # no stdin: it must not prompt
        assert result.code == 4, result.err
        assert result.err.count("\n") == 1 and "Traceback" not in result.err
    short = run("users", "add", "ada@example.org", "--role", "seeker", "--password-stdin",
                stdin="short\n")  # fmt: skip
    assert short.code == 4 and "at least" in short.err
    assert run("users", "list", "--json").json == []


@pytest.mark.integration
def test_add_list_link_unlink_disable(run: Run, server_url: str, database: Any) -> None:
    def add(email: str, role: str) -> Any:
        result = run("users", "add", email, "--role", role, "--password-stdin", "--json",
                     stdin=PASSWORD + "\n")  # fmt: skip
        assert result.code == 0, result.err
        assert PASSWORD not in result.out + result.err
        return result.json

    seeker = add("Ada@Example.org", "seeker")
    assert seeker["email"] == "ada@example.org" and seeker["role"] == "seeker"
    assert seeker["id"] in database.tenants()
    add("coach@example.org", "coach")
    add("admin@example.org", "admin")

    again = run("users", "add", "ada@example.org", "--role", "coach", "--password-stdin",
                stdin=PASSWORD + "\n")  # fmt: skip
    assert again.code == 5 and "already has an account" in again.err

    assert run("users", "link", "coach@example.org", "ada@example.org").code == 0
    listed = {u["email"]: u for u in run("users", "list", "--json").json}
    assert listed["coach@example.org"]["clients"] == ["ada@example.org"]
    assert set(listed) == {"ada@example.org", "coach@example.org", "admin@example.org"}
    assert all(set(u) == {"id", "email", "role", "created_at", "disabled", "clients"}
               for u in listed.values())  # fmt: skip
    text = run("users", "list")
    assert text.code == 0 and "coach@example.org" in text.out and "$argon2" not in text.out

    wrong = run("users", "link", "ada@example.org", "coach@example.org")
    assert wrong.code == 4 and "not a coach" in wrong.err
    missing = run("users", "link", "coach@example.org", "nobody@example.org")
    assert missing.code == 3 and "no account" in missing.err
    bad = run("users", "link", "coach@example.org", "not an address")
    assert bad.code == 4

    assert run("users", "unlink", "coach@example.org", "ada@example.org").code == 0
    assert run("users", "unlink", "coach@example.org", "ada@example.org").code == 3
    assert run("users", "disable", "ada@example.org").code == 0
    listed = {u["email"]: u for u in run("users", "list", "--json").json}
    assert listed["ada@example.org"]["disabled"] is True
    assert listed["coach@example.org"]["clients"] == []

    # the same commands for scripts: --json says what is now true
    pair = ("coach@example.org", "ada@example.org")
    linked = {"coach": pair[0], "client": pair[1], "linked": True}
    assert run("users", "link", *pair, "--json").json == linked
    assert run("users", "unlink", *pair, "--json").json == {**linked, "linked": False}
    assert run("users", "enable", "ada@example.org", "--json").json["disabled"] is False
    assert run("users", "disable", "ada@example.org", "--json").json["disabled"] is True
    changed = run("users", "passwd", "ada@example.org", "--password-stdin", "--json",
                  stdin=PASSWORD + "x\n")  # fmt: skip
    assert changed.code == 0 and changed.json["email"] == "ada@example.org"


@pytest.mark.integration
def test_the_password_prompt_asks_twice(server_url: str, home: Path, tmp_path: Path) -> None:
    """Without --password-stdin the password is asked for, twice, never echoed."""
    env = {**os.environ, "FOLLOWUP_DATABASE_URL": server_url, "FOLLOWUP_HOME": str(home)}

    def add(email: str, answers: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", ENTRY, "users", "add", email, "--role", "coach"],
            input=answers,
            capture_output=True,
            text=True,
            env=env,
            start_new_session=True,  # no controlling terminal: getpass reads stdin
            timeout=60,
            check=False,
        )

    mismatch = add("c1@example.org", f"{PASSWORD}\n{PASSWORD}x\n")
    assert mismatch.returncode != 0 and "do not match" in mismatch.stderr
    assert "c1@example.org" not in mismatch.stdout
    ok = add("c2@example.org", f"{PASSWORD}\n{PASSWORD}\n")
    assert ok.returncode == 0, ok.stderr
    assert "added coach c2@example.org" in ok.stdout
    assert PASSWORD not in ok.stdout + ok.stderr
