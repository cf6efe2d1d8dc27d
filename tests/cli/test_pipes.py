"""`followup … | head`: the reader going away ends the command quietly, exit 0 — as `cat`
or `git log` do. Click alone ended it with exit code 1 and no word (a cold trial's
`list | head` "sometimes failed")."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import NOW, Run


@pytest.mark.parametrize("command", [["list", "--limit", "1000"], ["export"]])
def test_a_reader_that_goes_away_is_no_error(
    run: Run, home: Path, tmp_path: Path, command: list[str]
) -> None:
    rows = "company,role,start\n" + "".join(
        f"Company {n},Role {n},2026-10-{1 + n % 28:02d}T{9 + n % 8:02d}:{n % 60:02d}:00Z\n"
        for n in range(400)
    )
    (tmp_path / "many.csv").write_text(rows)
    assert run("import", str(tmp_path / "many.csv")).code == 0
    env = {**os.environ, "FOLLOWUP_HOME": str(home), "FOLLOWUP_NOW": NOW}
    proc = subprocess.Popen(
        [sys.executable, "-m", "followup", *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline()  # `head -1`: one line, then gone
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=60) == 0
    assert err == b""
