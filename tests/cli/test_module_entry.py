"""`python -m followup` is the `followup` command (what a venv that is not on PATH runs)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_python_dash_m_followup_runs_the_cli(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {"FOLLOWUP_HOME": str(home), "FOLLOWUP_NOW": "2026-11-25T12:00:00Z", "PATH": ""}
    done = subprocess.run(
        [sys.executable, "-m", "followup", "add", "--company", "Acme", "--role", "Dev",
         "--at", "2026-11-23T14:00", "--tz", "UTC", "--json"],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    listed = subprocess.run(
        [sys.executable, "-m", "followup", "list"], env=env, capture_output=True, text=True
    )
    assert listed.returncode == 0 and "Acme" in listed.stdout, listed.stderr
