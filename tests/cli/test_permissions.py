"""followup's directories are 0700 and every file it writes 0600, whatever the umask; an
older followup's 0755/0644 is tightened at open. Real CLI processes, real umask."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

FOLLOWUP = [str(Path(sys.executable).parent / "followup")]  # the installed command
ADD = ("add", "--company", "Acme", "--role", "Dev", "--at", "2026-11-23T14:00",
       "--interviewer", "Ada Lovelace <ada@acme.example>")  # fmt: skip


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def followup(tmp_path: Path) -> tuple[Path, object]:
    home = tmp_path / "home"
    env = {
        **os.environ,
        "FOLLOWUP_HOME": str(home),
        "FOLLOWUP_NOW": "2026-11-25T12:00:00Z",
        "TZ": "Europe/Berlin",
    }
    env.pop("FOLLOWUP_DEBUG", None)
    env.pop("FOLLOWUP_DATABASE_URL", None)

    def run(*args: str, umask: int = 0o022) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [*FOLLOWUP, *args], env=env, capture_output=True, text=True, umask=umask, timeout=60
        )
        assert done.returncode == 0, done.stderr
        return done

    return home, run


@pytest.mark.parametrize("umask", [0o022, 0o002])
def test_what_followup_writes_is_private(followup: tuple[Path, object], umask: int) -> None:
    home, run = followup
    assert callable(run)
    run(*ADD, "--interviewer", "Bob <bob@acme.example>", umask=umask)
    run("config", "set", "user.email", "me@example.org", umask=umask)
    assert mode(home) == 0o700
    assert mode(home / "followup.db") == 0o600
    assert mode(home / "config.toml") == 0o600
    # -wal and -shm exist while a connection is open: they take the database file's mode
    with closing(sqlite3.connect(home / "followup.db")) as reader:
        reader.execute("SELECT COUNT(*) FROM interviews").fetchone()
        run(*ADD, "--role", "Platform Dev", umask=umask)  # another interview
        assert mode(home / "followup.db-wal") == 0o600
        assert mode(home / "followup.db-shm") == 0o600
    out = home.parent / "out"
    out.mkdir()
    run("export", "--output", str(out / "all.json"), umask=umask)
    run("export", "--format", "csv", "--output", str(out / "all.csv"), umask=umask)
    run("export", "--ics", str(out / "notes.ics"), umask=umask)
    run("draft", "2", "--eml", str(out / "note.eml"), umask=umask)
    run("draft", "1", "--eml", str(out / "panel"), umask=umask)
    run("backup", str(out / "backup.db"), umask=umask)
    written = sorted(p.name for p in out.rglob("*") if p.is_file())
    assert written == [
        "1-1-ada@acme.example.eml", "1-1-bob@acme.example.eml",
        "all.csv", "all.json", "backup.db", "note.eml", "notes.ics",
    ]  # fmt: skip
    for path in out.rglob("*"):
        assert mode(path) == 0o600 if path.is_file() else 0o700, path


def test_an_older_followups_loose_modes_are_fixed_at_open(
    followup: tuple[Path, object],
) -> None:
    home, run = followup
    assert callable(run)
    run(*ADD)
    run("config", "set", "user.email", "me@example.org")
    os.chmod(home, 0o755)
    os.chmod(home / "followup.db", 0o644)
    os.chmod(home / "config.toml", 0o644)
    with closing(sqlite3.connect(home / "followup.db")) as reader:  # keeps -wal and -shm
        reader.execute("SELECT COUNT(*) FROM interviews").fetchone()
        for name in ("followup.db-wal", "followup.db-shm"):
            os.chmod(home / name, 0o644)
        run("list")
        assert mode(home / "followup.db-wal") == mode(home / "followup.db-shm") == 0o600
    assert (mode(home), mode(home / "followup.db"), mode(home / "config.toml")) == (
        0o700,
        0o600,
        0o600,
    )


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("all.json", ("export", "--format", "json", "-o")),
        ("all.csv", ("export", "--format", "csv", "-o")),
        ("notes.ics", ("export", "--ics")),
        ("note.eml", ("draft", "1", "--eml")),
    ],
)
def test_a_file_written_over_is_private_too(
    followup: tuple[Path, object], name: str, args: tuple[str, ...]
) -> None:
    """Issue #11: every file followup writes is 0600 — also when it replaces a file that
    was 0644 (say, an export once shared), which used to keep its loose mode."""
    home, run = followup
    assert callable(run)
    run(*ADD)
    run("config", "set", "user.email", "me@example.org")
    target = home.parent / name
    target.write_text("x\n")
    os.chmod(target, 0o644)
    run(*args, str(target))
    assert mode(target) == 0o600
    assert target.read_text() != "x\n"  # replaced with the export, whole
    assert [p.name for p in home.parent.iterdir() if p.name.endswith(".partial")] == []
