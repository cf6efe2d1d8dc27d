"""The CLI starts fast: heavy libraries load only inside the commands that need them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HEAVY = (
    "jinja2",
    "icalendar",
    "imapclient",
    "fastapi",
    "starlette",
    "uvicorn",
    "holidays",
    "sqlalchemy",
    "pydantic",
    "psycopg",
    "caldav",
    "playwright",
    "rich",
    "tomlkit",
    "dns",  # dnspython: `mail setup`'s lookups only
    "keyring",  # OAuth2 paths only
    "authlib",  # OAuth2 libraries: none at start-up (the tests' server uses Authlib)
    "msal",
    "requests_oauthlib",
)

PROBE = """
import json, sys
from followup.cli.entry import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(m.split(".")[0] for m in sys.modules)), file=sys.stderr)
"""


def loaded_by(args: list[str], home: Path) -> set[str]:
    env = {**os.environ, "FOLLOWUP_HOME": str(home), "FOLLOWUP_NOW": "2026-11-25T12:00:00Z"}
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, env=env, check=True
    )
    return set(json.loads(proc.stderr.strip().splitlines()[-1]))


def test_help_and_agenda_import_no_heavy_module(tmp_path: Path) -> None:
    for args in (["--help"], [], ["agenda", "--json"], ["list"]):
        assert loaded_by(args, tmp_path).isdisjoint(HEAVY), args


def test_the_agenda_short_path_skips_click_and_dataclasses(tmp_path: Path) -> None:
    for args in (
        [],
        ["agenda"],
        ["--home", str(tmp_path), "agenda", "--all", "--as-of=2027-01-01"],
    ):
        loaded = loaded_by(args, tmp_path)
        assert "click" not in loaded, args
        assert "dataclasses" not in loaded, args
    assert "click" in loaded_by(["agenda", "--help"], tmp_path)
    drafting = loaded_by(["draft", "1", "--json"], tmp_path)  # no such interview: still short
    assert "click" not in drafting and "jinja2" not in drafting
    for args in (["history", "1"], ["undo", "1", "--json"]):  # right after a wrong click
        assert "click" not in loaded_by(args, tmp_path), args


def test_holidays_load_only_when_a_country_needs_them(tmp_path: Path) -> None:
    # in UTC no country is assumed from the zone (the machine's TZ could be any zone's)
    add = ["add", "--company", "A", "--role", "B", "--at", "2026-11-23T10:00:00Z", "--tz", "UTC"]
    assert "holidays" not in loaded_by(add, tmp_path)
    assert "holidays" in loaded_by([*add, "--country", "US"], tmp_path)
    assert loaded_by(["agenda"], tmp_path).isdisjoint(HEAVY)


def test_installed_console_script_reports_errors_in_one_line(tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("followup")
    env = {**os.environ, "FOLLOWUP_HOME": str(tmp_path)}
    proc = subprocess.run([str(exe), "show", "7"], capture_output=True, text=True, env=env)
    assert proc.returncode == 3
    assert proc.stderr == "followup: error: no interview with id 7\n"
    assert proc.stdout == ""
