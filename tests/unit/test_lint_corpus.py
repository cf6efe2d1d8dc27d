"""The linter measured as a classifier (issue 13): precision and recall per rule on a labelled
set of notes written for the tests (tests/fixtures/lint_corpus/), and the tables in
docs/lint.md kept equal to what is measured. `UPDATE_LINT_TABLE=1` rewrites the tables.

Two sets: the tuning set (good.toml, bad.toml), which the phrase lists grew on, held to
FLOOR; and the held-out set (heldout.toml), written without reading the rules, held to
HELD_OUT_FLOOR: what a note phrased in a way nobody tuned for can expect."""

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
FLOOR = 0.95  # precision and recall, for every error-level rule, on the tuning set
HELD_OUT_FLOOR = 0.9  # the same on the held-out set
HELD_OUT = "heldout.toml"
TUNING, HELD = "tuning", "held-out"
MARKERS = {
    TUNING: ("<!-- lint-corpus-table -->", "<!-- /lint-corpus-table -->"),
    HELD: ("<!-- lint-heldout-table -->", "<!-- /lint-heldout-table -->"),
}


def notes(which: str = TUNING) -> list[dict[str, Any]]:
    found = []
    for path in sorted(CORPUS.glob("*.toml")):
        if (path.name == HELD_OUT) == (which == HELD):
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
        elsewhere=tuple(note.get("elsewhere", ())),
        earlier=tuple(note.get("earlier", ())),
    )


def found(note: dict[str, Any]) -> set[str]:
    return {f.rule for f in lint(note["subject"], note["body"].lstrip("\n"), context(note))}


def measure(which: str) -> dict[str, tuple[int, int, int]]:
    """Per rule: (true positives, false positives, false negatives)."""
    counts = {r.id: [0, 0, 0] for r in RULES}
    for note in notes(which):
        got = found(note)
        expected = set(note.get("expect", ()))
        for rule_id, c in counts.items():
            c[0] += rule_id in got and rule_id in expected
            c[1] += rule_id in got and rule_id not in expected
            c[2] += rule_id in expected and rule_id not in got
    return {k: (v[0], v[1], v[2]) for k, v in counts.items()}


def ratio(hits: int, total: int) -> float:
    return hits / total if total else 1.0


def table(which: str) -> str:
    all_notes = notes(which)
    labelled = sum(1 for n in all_notes if n.get("expect"))
    where = "the tuning set" if which == TUNING else f"the held-out set ({HELD_OUT})"
    lines = [
        MARKERS[which][0],
        f"Measured on {where}: {len(all_notes)} notes ({len(all_notes) - labelled} good,"
        f" {labelled} breaking at least one rule) by tests/unit/test_lint_corpus.py:",
        "",
        "| rule | severity | notes breaking it | precision | recall |",
        "|---|---|---|---|---|",
    ]
    for r in RULES:
        tp, fp, fn = MEASURED[which][r.id]
        lines.append(
            f"| `{r.id}` | {r.severity.value} | {tp + fn} | {ratio(tp, tp + fp):.2f}"
            f" | {ratio(tp, tp + fn):.2f} |"
        )
    return "\n".join([*lines, MARKERS[which][1]])


MEASURED = {which: measure(which) for which in (TUNING, HELD)}


def test_the_corpus_is_large_and_labels_only_known_rules() -> None:
    tuning, held = notes(TUNING), notes(HELD)
    assert len(tuning) >= 200
    assert len(held) >= 60
    every = tuning + held
    assert len({n["id"] for n in every}) == len(every)
    known = {r.id for r in RULES}
    for n in every:
        assert set(n.get("expect", ())) <= known, n["id"]
    for r in RULES:  # every error rule has notes that break it
        if r.severity is Severity.ERROR:
            tp, _, fn = MEASURED[TUNING][r.id]
            assert tp + fn >= 3, r.id


ERROR_RULES = [r.id for r in RULES if r.severity is Severity.ERROR]


@pytest.mark.parametrize(
    ("which", "floor", "rule_id"),
    [(TUNING, FLOOR, r) for r in ERROR_RULES] + [(HELD, HELD_OUT_FLOOR, r) for r in ERROR_RULES],
)
def test_every_error_rule_is_precise_and_finds_what_it_should(
    which: str, floor: float, rule_id: str
) -> None:
    tp, fp, fn = MEASURED[which][rule_id]
    wrong = [
        n["id"] for n in notes(which) if (rule_id in found(n)) != (rule_id in n.get("expect", ()))
    ]
    assert ratio(tp, tp + fp) >= floor, f"precision {ratio(tp, tp + fp):.2f}: {wrong}"
    assert ratio(tp, tp + fn) >= floor, f"recall {ratio(tp, tp + fn):.2f}: {wrong}"


@pytest.mark.parametrize("which", [TUNING, HELD])
def test_docs_lint_md_shows_the_measured_tables(which: str) -> None:
    begin, end_marker = MARKERS[which]
    text = DOC.read_text("utf-8")
    start, end = text.index(begin), text.index(end_marker) + len(end_marker)
    if os.environ.get("UPDATE_LINT_TABLE"):
        DOC.write_text(text[:start] + table(which) + text[end:], "utf-8")
        text = DOC.read_text("utf-8")
        end = text.index(end_marker) + len(end_marker)
    assert text[start:end] == table(which)
