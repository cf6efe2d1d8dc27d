"""The linter measured as a classifier (issue 13): precision and recall per rule on a labelled
set of notes written for the tests (tests/fixtures/lint_corpus/), and the table in
docs/lint.md kept equal to what is measured. `UPDATE_LINT_TABLE=1` rewrites the table."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

import pytest

from followup.domain.lint import RULES, NoteContext, Severity, lint
from followup.domain.model import Tone

CORPUS = Path(__file__).parent.parent / "fixtures" / "lint_corpus"
DOC = Path(__file__).parent.parent.parent / "docs" / "lint.md"
FLOOR = 0.95  # precision and recall, for every error-level rule
BEGIN, END = "<!-- lint-corpus-table -->", "<!-- /lint-corpus-table -->"


def notes() -> list[dict[str, Any]]:
    found = []
    for path in sorted(CORPUS.glob("*.toml")):
        found += tomllib.loads(path.read_text("utf-8"))["note"]
    return found


def context(note: dict[str, Any]) -> NoteContext:
    return NoteContext(
        kind=note.get("kind"),
        company=note.get("company"),
        recipient_name=note.get("recipient"),
        topics=tuple(note.get("topics", ())),
        skill=note.get("skill"),
        tone=Tone(note["tone"]) if "tone" in note else None,
        others=tuple(note.get("others", ())),
        previous=note.get("previous"),
        interview_id=note.get("interview"),
        role=note.get("role"),
    )


def measure() -> dict[str, tuple[int, int, int]]:
    """Per rule: (true positives, false positives, false negatives)."""
    counts = {r.id: [0, 0, 0] for r in RULES}
    for note in notes():
        found = {f.rule for f in lint(note["subject"], note["body"].lstrip("\n"), context(note))}
        expected = set(note.get("expect", ()))
        for rule_id, c in counts.items():
            c[0] += rule_id in found and rule_id in expected
            c[1] += rule_id in found and rule_id not in expected
            c[2] += rule_id in expected and rule_id not in found
    return {k: (v[0], v[1], v[2]) for k, v in counts.items()}


def ratio(hits: int, total: int) -> float:
    return hits / total if total else 1.0


def table() -> str:
    all_notes = notes()
    labelled = sum(1 for n in all_notes if n.get("expect"))
    lines = [
        BEGIN,
        f"Measured on {len(all_notes)} notes ({len(all_notes) - labelled} good,"
        f" {labelled} breaking at least one rule) by tests/unit/test_lint_corpus.py:",
        "",
        "| rule | severity | notes breaking it | precision | recall |",
        "|---|---|---|---|---|",
    ]
    for r in RULES:
        tp, fp, fn = MEASURED[r.id]
        lines.append(
            f"| `{r.id}` | {r.severity.value} | {tp + fn} | {ratio(tp, tp + fp):.2f}"
            f" | {ratio(tp, tp + fn):.2f} |"
        )
    return "\n".join([*lines, END])


MEASURED = measure()


def test_the_corpus_is_large_and_labels_only_known_rules() -> None:
    all_notes = notes()
    assert len(all_notes) >= 200
    assert len({n["id"] for n in all_notes}) == len(all_notes)
    known = {r.id for r in RULES}
    for n in all_notes:
        assert set(n.get("expect", ())) <= known, n["id"]
    for r in RULES:  # every error rule has notes that break it
        if r.severity is Severity.ERROR:
            tp, _, fn = MEASURED[r.id]
            assert tp + fn >= 3, r.id


@pytest.mark.parametrize("rule_id", [r.id for r in RULES if r.severity is Severity.ERROR])
def test_every_error_rule_is_precise_and_finds_what_it_should(rule_id: str) -> None:
    tp, fp, fn = MEASURED[rule_id]
    wrong = [
        n["id"]
        for n in notes()
        if (rule_id in {f.rule for f in lint(n["subject"], n["body"].lstrip("\n"), context(n))})
        != (rule_id in n.get("expect", ()))
    ]
    assert ratio(tp, tp + fp) >= FLOOR, f"precision {ratio(tp, tp + fp):.2f}: {wrong}"
    assert ratio(tp, tp + fn) >= FLOOR, f"recall {ratio(tp, tp + fn):.2f}: {wrong}"


def test_docs_lint_md_shows_the_measured_table() -> None:
    text = DOC.read_text("utf-8")
    start, end = text.index(BEGIN), text.index(END) + len(END)
    if os.environ.get("UPDATE_LINT_TABLE"):
        DOC.write_text(text[:start] + table() + text[end:], "utf-8")
        text = DOC.read_text("utf-8")
        end = text.index(END) + len(END)
    assert text[start:end] == table()
