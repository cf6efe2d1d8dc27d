"""Decisions the use-cases own, seen through the CLI: a tone, the "too early" warning, .eml."""

from __future__ import annotations

import json
from pathlib import Path

from followup.app.errors import ExitCode
from tests.conftest import Run


def _interview(run: Run, *extra: str) -> str:
    r = run("add", "--company", "Acme", "--role", "Eng", "--at", "2026-11-16T10:00",
            "--tz", "Europe/Berlin", "--interviewer", "Ada <ada@acme.example>",
            "--topic", "the billing rewrite", "--skill", "PostgreSQL", *extra, "--json")  # fmt: skip
    assert r.code == 0, r.err
    return str(r.json["id"])


# --- tone ---------------------------------------------------------------------------------


def test_a_json_import_with_an_unknown_tone_is_refused_and_writes_nothing(
    run: Run, tmp_path: Path
) -> None:
    _interview(run)
    exported = run("export", "--format", "json").json
    exported["applications"][0]["tone"] = "loud"
    loud = tmp_path / "loud.json"
    loud.write_text(json.dumps(exported))
    run("cancel", "1")
    before = run("list", "--json").json

    r = run("import", str(loud))
    assert r.code == ExitCode.INVALID
    assert "unknown tone 'loud'" in r.err and "formal, casual, neutral" in r.err
    assert "Traceback" not in r.err and "internal error" not in r.err
    assert run("list", "--json").json == before


def test_a_json_import_may_not_store_auto_as_a_tone(run: Run, tmp_path: Path) -> None:
    _interview(run)
    exported = run("export", "--format", "json").json
    exported["applications"][0]["tone"] = "auto"  # a choice, not a tone: nothing could draft it
    path = tmp_path / "auto.json"
    path.write_text(json.dumps(exported))
    assert run("import", str(path)).code == ExitCode.INVALID


def test_a_known_tone_imports_and_drafts(run: Run, tmp_path: Path) -> None:
    _interview(run)
    exported = run("export", "--format", "json").json
    exported["applications"][0]["tone"] = "casual"
    path = tmp_path / "casual.json"
    path.write_text(json.dumps(exported))
    imported = run("import", str(path), "--json")
    assert imported.code == 0, imported.err
    new_id = str(imported.json["interviews"][0]["id"])
    drafted = run("draft", new_id, "--json")
    assert drafted.code == 0, drafted.err
    assert drafted.json["tone"] == "casual"
