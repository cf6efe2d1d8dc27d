"""Run followup in-process on one input in a fresh home, and judge the outcome.

The quality bar (issue #11): whatever the file, a command exits with a documented code
other than 1, prints no traceback and no "internal error", and when it fails it has
written nothing — the database (and config file) are byte-identical to before.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from click.testing import CliRunner

from followup.app.errors import ExitCode

NOW = "2026-11-25T12:00:00Z"
CORPUS = Path(__file__).resolve().parent / "corpus"
CONFIG_SET = ("config", "set", "user.name", "Fuzz Tester")


@dataclass
class Outcome:
    args: tuple[str, ...]
    code: int
    out: str
    err: str
    crash: str | None = None  # a Python exception that escaped the entry point


@dataclass
class Verdict:
    problems: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return not self.problems


def commands(kind: str, path: Path) -> list[tuple[str, ...]]:
    """The commands that read a file of this kind (a config file is put in the home)."""
    f = str(path)
    return {
        "ics": [("import", f, "--yes")],
        "eml": [("classify", f), ("classify", f, "--json"), ("import", f, "--yes")],
        "json": [("import", f)],
        "csv": [("import", f)],
        "notes": [("lint", f)],
        "sqlite": [("restore", f, "--yes")],
        "toml": [("config", "show"), ("agenda",), CONFIG_SET],
    }[kind]


def env(home: Path) -> dict[str, str | None]:
    return {
        "FOLLOWUP_HOME": str(home),
        "FOLLOWUP_NOW": NOW,
        "TZ": "Europe/Berlin",
        "FOLLOWUP_DEBUG": None,
        "FOLLOWUP_DATABASE_URL": None,
        "FOLLOWUP_USER": None,
    }


def run(home: Path, *args: str) -> Outcome:
    """`followup ARGS` through its real entry point, in this process, stdin empty."""
    from followup.cli.entry import main

    crash = None
    code = 0
    with CliRunner().isolation(input=b"", env=env(home)) as (out, err, _):
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except BaseException:  # anything escaping main is the finding
            crash = traceback.format_exc()
            code = ExitCode.ERROR
        sys.stdout.flush()  # the isolation's text wrappers buffer
        sys.stderr.flush()
        stdout = out.getvalue().decode("utf-8", "replace")
        stderr = err.getvalue().decode("utf-8", "replace")
    return Outcome(args, code, stdout, stderr, crash)


def digest(path: Path) -> str | None:
    """The bytes of a file with its SQLite write-ahead log, if any; None when absent."""
    if not path.exists():
        return None
    h = hashlib.sha256(path.read_bytes())
    wal = path.with_name(path.name + "-wal")
    if wal.exists():
        h.update(wal.read_bytes())
    return h.hexdigest()


def judge(outcome: Outcome, before: dict[str, str | None], home: Path) -> list[str]:
    """What is wrong with one command's outcome (empty when it meets the bar)."""
    what = "followup " + " ".join(Path(a).name if os.sep in a else a for a in outcome.args)
    first = (outcome.err.strip().splitlines() or [""])[-1][:300]
    problems = []
    if outcome.crash:
        problems.append(f"{what}: exception escaped: {outcome.crash.strip().splitlines()[-1]}")
    elif outcome.code == ExitCode.ERROR:
        problems.append(f"{what}: exit 1: {first}")
    if "Traceback" in outcome.err or "Traceback" in outcome.out:
        problems.append(f"{what}: traceback printed")
    if "internal error" in outcome.err and outcome.code != ExitCode.ERROR:
        problems.append(f"{what}: internal error: {first}")
    if outcome.code != 0:
        after = snapshot(home)
        for name, value in before.items():
            if after[name] != value:
                problems.append(f"{what}: exit {outcome.code} but {name} changed ({first})")
    return problems


def snapshot(home: Path) -> dict[str, str | None]:
    return {
        "followup.db": digest(home / "followup.db"),
        "config.toml": digest(home / "config.toml"),
    }


def check(home: Path, commands: list[tuple[str, ...]]) -> list[str]:
    """Run each command in turn in `home`; after one that succeeds in changing the data,
    `list` and `agenda` must still work (a bad file accepted must not break the rest)."""
    problems: list[str] = []
    for args in commands:
        before = snapshot(home)
        outcome = run(home, *args)
        problems += judge(outcome, before, home)
        if outcome.code == 0 and args[0] in ("import", "restore"):
            for after in (("list", "--json"), ("agenda", "--json")):
                state = snapshot(home)
                problems += judge(run(home, *after), state, home)
    return problems


# --- homes -----------------------------------------------------------------------------------


def build_template(where: Path) -> Path:
    """A small real home (see make_corpus.small_home), made once per test session."""
    from tests.fuzz.make_corpus import small_home

    home = where / "template"
    small_home(home)
    # Fold the write-ahead log into the file: every copy then starts from the same bytes.
    import sqlite3

    con = sqlite3.connect(home / "followup.db")
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    for leftover in ("followup.db-wal", "followup.db-shm"):
        (home / leftover).unlink(missing_ok=True)
    return home


@contextmanager
def fresh_home(template: Path, scratch: Path, config: bytes | None = None) -> Iterator[Path]:
    home = scratch / "home"
    if home.exists():
        shutil.rmtree(home)
    shutil.copytree(template, home)
    if config is not None:
        (home / "config.toml").write_bytes(config)
    try:
        yield home
    finally:
        shutil.rmtree(home, ignore_errors=True)
