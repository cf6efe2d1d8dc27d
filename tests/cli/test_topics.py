"""What a topic or skill may be (issue #13, round 2): a placeholder or a sentence given as a
topic is refused at the door with one line and exit 4, at `add`, `debrief`, the dashboard's
debrief and an import (services.check_talk is the one place); a note written as an
instruction reads as its own sentence; a debrief's --tone leaves a sent note's tone alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from followup.app import drafting, services
from followup.app.errors import ExitCode, InvalidInput
from tests.cli.test_portability import ok
from tests.conftest import Run
from tests.unit.test_draft_quality import PANEL, context, interview

ADD = ("add", "--company", "Acme", "--role", "Dev", "--tz", "Europe/Berlin")
ADD += ("--at", "2026-11-23T14:00", "--interviewer", "Ada <ada@acme.example>")

PLACEHOLDERS = ["[specific project]", "TBD", "{{ company }}", "\u00abproject\u00bb"]
SENTENCES = [
    "You explained that the credit model is retrained every quarter\u2026",
    "we talked about their on-call rotation. They have 8 engineers on it",
    "how do they measure success in the first 90 days",
    "you're rebuilding search from scratch",
]
FINE = ["the billing rewrite", "how they measure success", "why they left AWS", "IT budget"]


@pytest.mark.parametrize("topic", PLACEHOLDERS)
@pytest.mark.parametrize("option", ["--topic", "--skill"])
def test_a_placeholder_is_refused_by_add_and_debrief(run: Run, topic: str, option: str) -> None:
    r = run(*ADD, option, topic)
    assert r.code == ExitCode.INVALID, r.err
    assert r.err.count("\n") == 1 and r.err.startswith("followup: error:")
    fill = "what you discussed" if option == "--topic" else "the skill to stress"
    assert f"looks like a placeholder: write {fill}, e.g." in r.err
    assert run("list", "--json").json == []  # nothing written
    ok(run(*ADD))
    r = run("debrief", "1", option, topic)
    assert r.code == ExitCode.INVALID and "looks like a placeholder" in r.err
    assert "Traceback" not in r.err


@pytest.mark.parametrize("topic", SENTENCES)
def test_a_sentence_as_a_topic_is_refused_with_a_hint(run: Run, topic: str) -> None:
    ok(run(*ADD))
    r = run("debrief", "1", "--topic", topic)
    assert r.code == ExitCode.INVALID, r.err
    assert r.err.count("\n") == 1
    assert "is a sentence: a topic is what you discussed" in r.err
    assert "a sentence goes in the note (--note)" in r.err
    ok(run("debrief", "1", "--note", topic))  # where a sentence belongs


@pytest.mark.parametrize("topic", FINE)
def test_a_topic_as_a_phrase_is_accepted(run: Run, topic: str) -> None:
    ok(run(*ADD, "--topic", topic))


@pytest.mark.parametrize("topic", PLACEHOLDERS + SENTENCES)
def test_the_use_case_refuses_it_and_writes_nothing(topic: str) -> None:
    ctx = context()
    iid = interview(ctx, PANEL[:1], "neutral")
    with pytest.raises(InvalidInput):
        drafting.debrief(ctx, iid, email=PANEL[0][1], topics=[topic])
    with pytest.raises(InvalidInput):
        drafting.debrief(ctx, iid, skill=topic)
    assert ctx.store.debriefs(iid) == []
    assert services.talk_problem("topic", "the billing rewrite") is None


def test_an_import_with_a_placeholder_topic_is_refused(run: Run, tmp_path: Path) -> None:
    ok(run(*ADD, "--topic", "the billing rewrite"))
    out = tmp_path / "export.json"
    ok(run("export", "--format", "json", "-o", str(out)))
    doc = json.loads(out.read_text())
    doc["applications"][0]["interviews"][0]["debriefs"][0]["topic"] = "[specific project]"
    out.write_text(json.dumps(doc))
    r = run("--home", str(tmp_path / "other"), "import", str(out))
    assert r.code == ExitCode.INVALID and "looks like a placeholder" in r.err, r.err
    csv = tmp_path / "in.csv"
    csv.write_text("company,role,start,tz,topics\nAcme,Dev,2026-11-23T14:00,Europe/Berlin,TBD\n")
    r = run("--home", str(tmp_path / "third"), "import", str(csv))
    assert r.code == ExitCode.INVALID and "looks like a placeholder" in r.err, r.err


def test_a_note_written_as_an_instruction_reads_as_its_own_sentence() -> None:
    """A cold trial: "I also wanted to pass on check out my repo https://…"."""
    for tone in ("casual", "formal", "neutral"):
        ctx = context()
        iid = interview(ctx, PANEL[:1], tone)
        drafting.debrief(
            ctx,
            iid,
            topics=["the billing rewrite"],
            note="check out my repo https://github.com/ada/pager",
        )
        [draft] = drafting.drafts(ctx, iid, step=2)
        assert "Check out my repo https://github.com/ada/pager" in draft.body, draft.body
        for glue in ("pass on check", "share check", "like check", "find check"):
            assert glue not in draft.body


def test_a_sent_note_keeps_the_tone_it_was_sent_in(run: Run) -> None:
    """A cold trial: after `debrief --tone formal`, the casual thank-you already sent showed
    "Tone: formal" and was warned about its casual words."""
    ok(run("config", "set", "user.name", "Grace Hopper"))
    ok(run(*ADD, "--culture", "startup", "--topic", "the billing rewrite", "--skill", "Go"))
    assert "Tone: casual" in ok(run("draft", "1")).out
    ok(run("sent", "1", "--force"))
    ok(run("debrief", "1", "--tone", "formal"))
    shown = ok(run("draft", "1", "--step", "1")).out
    assert "Tone: casual: the tone it was sent in" in shown
    assert "tone-clash" not in shown and "slang" not in shown
    assert "Tone: formal" in ok(run("draft", "1")).out  # the next note takes the new tone
