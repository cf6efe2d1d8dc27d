"""Greetings as drafted through the real commands: every name shape of issue #13 in every
tone, and the user's own form of address (`debrief --greeting`) kept per interviewer through
show, export/import and draft."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from followup.app.errors import ExitCode
from tests.conftest import Run

PANEL = [  # (as typed to `add`, address, formal, casual, neutral)
    ('"Okafor, Chidi" <chidi@acme.example>', "chidi@acme.example",
     "Dear Chidi Okafor,", "Hi Chidi,", "Hello Chidi,"),
    ("Dr. Amara Okafor <amara@acme.example>", "amara@acme.example",
     "Dear Dr. Okafor,", "Hi Amara,", "Hello Dr. Okafor,"),
    ("mei.lin@acme.example", "mei.lin@acme.example", "Hello,", "Hello,", "Hello,"),
    ("Margaret Chen <mchen@acme.example>", "mchen@acme.example",
     "Dear Margaret Chen,", "Hi Margaret,", "Hello Margaret,"),
    ("Jan van der Berg <jan@acme.example>", "jan@acme.example",
     "Dear Jan van der Berg,", "Hi Jan,", "Hello Jan,"),
    ("王小明 <wang@acme.example>", "wang@acme.example",
     "Dear 王小明,", "Hi 王小明,", "Hello 王小明,"),
]  # fmt: skip
TONES = ("formal", "casual", "neutral")


def ok(result: Any) -> Any:
    assert result.code == 0, result.err
    return result


@pytest.fixture
def panel(run: Run) -> int:
    """A panel of every shape; each gets every note, so later steps greet them all too."""
    ok(run("config", "set", "policy.panel_follow_up", "all"))
    args = ["add", "--company", "Acme", "--role", "Data Engineer", "--at", "2026-11-20T10:00"]
    for typed, *_ in PANEL:
        args += ["--interviewer", typed]
    ok(run(*args, "--topic", "the billing rewrite", "--skill", "SQL"))
    return 1


def greetings(run: Run, interview: int = 1, step: int = 1) -> dict[str, str]:
    """Each interviewer's address -> the first line of their draft's body."""
    drafts = ok(run("draft", str(interview), "--step", str(step), "--json")).json
    drafts = drafts if isinstance(drafts, list) else [drafts]
    return {d["to"].rpartition("<")[2].rstrip(">"): d["body"].splitlines()[0] for d in drafts}


@pytest.mark.parametrize("step", [1, 2, 3])
@pytest.mark.parametrize("tone", TONES)
def test_every_name_shape_is_greeted_right_in_every_tone(
    run: Run, panel: int, tone: str, step: int
) -> None:
    ok(run("debrief", str(panel), "--tone", tone))
    column = 2 + TONES.index(tone)
    expected = {row[1]: row[column] for row in PANEL}
    assert greetings(run, panel, step) == expected


def test_a_greeting_set_for_one_interviewer_round_trips(
    run: Run, panel: int, tmp_path: Path
) -> None:
    ok(run("debrief", str(panel), "--tone", "formal"))
    said = ok(
        run("debrief", "1", "--interviewer", "MChen@acme.example", "--greeting", " Ms. Chen ")
    )
    assert 'Notes to MChen@acme.example greet them as "Ms. Chen".' in said.out
    ok(run("debrief", "1", "--interviewer", "mei.lin@acme.example", "--greeting", "Mei"))
    drafted = greetings(run)
    assert drafted["mchen@acme.example"] == "Dear Ms. Chen,"
    assert drafted["mei.lin@acme.example"] == "Dear Mei,"
    assert drafted["amara@acme.example"] == "Dear Dr. Okafor,"  # the others as before
    shown = {p["email"]: p["greet_as"] for p in ok(run("show", "1", "--json")).json["interviewers"]}
    assert shown["mchen@acme.example"] == "Ms. Chen"
    assert shown["chidi@acme.example"] is None

    exported = tmp_path / "export.json"
    ok(run("export", "-o", str(exported)))
    fresh = ("--home", str(tmp_path / "fresh"))
    ok(run(*fresh, "import", str(exported)))
    people = ok(run(*fresh, "show", "1", "--json")).json["interviewers"]
    assert {p["email"]: p["greet_as"] for p in people} == shown
    drafts = ok(run(*fresh, "draft", "1", "--step", "1", "--json")).json
    assert [d["body"].splitlines()[0] for d in drafts] == list(drafted.values())

    ok(run("debrief", "1", "--interviewer", "mchen@acme.example", "--greeting", ""))
    assert greetings(run)["mchen@acme.example"] == "Dear Margaret Chen,"


def test_a_chosen_greeting_is_not_called_the_wrong_name(run: Run, panel: int) -> None:
    ok(run("debrief", "1", "--tone", "casual"))
    ok(run("debrief", "1", "--interviewer", "mchen@acme.example", "--greeting", "Maggie"))
    one = ("draft", "1", "--step", "1", "--interviewer", "mchen@acme.example", "--json")
    draft = ok(run(*one)).json
    assert draft["body"].startswith("Hi Maggie,\n")
    assert "wrong-name" not in [f["rule"] for f in draft["lint"]]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--greeting", "Ms. Chen"], "--greeting needs --interviewer EMAIL"),
        (["--interviewer", "mchen@acme.example", "--greeting", "Ms. Chen,"], "punctuation"),
        (["--interviewer", "mchen@acme.example", "--greeting", "Ms.\nChen"], "one line"),
        (["--interviewer", "mchen@acme.example", "--greeting", "M" * 201], "at most 200"),
        (["--interviewer", "nobody@acme.example", "--greeting", "Sir"], "no interviewer"),
    ],
)
def test_a_bad_greeting_is_one_clear_line(run: Run, panel: int, args: list[str], says: str) -> None:
    result = run("debrief", "1", *args)
    expected = ExitCode.NOT_FOUND if says == "no interviewer" else ExitCode.INVALID
    assert result.code == expected, result.err
    assert says in result.err and len(result.err.strip().splitlines()) == 1
    assert greetings(run)["mchen@acme.example"] == "Hello Margaret,"  # nothing was kept


def test_an_imported_greeting_is_checked_like_a_typed_one(
    run: Run, panel: int, tmp_path: Path
) -> None:
    import json

    ok(run("debrief", "1", "--interviewer", "mchen@acme.example", "--greeting", "Ms. Chen"))
    exported = tmp_path / "export.json"
    ok(run("export", "-o", str(exported)))
    doc = json.loads(exported.read_text())
    doc["applications"][0]["interviews"][0]["interviewers"][3]["greet_as"] = "Ms.\nChen"
    exported.write_text(json.dumps(doc))
    result = run("--home", str(tmp_path / "fresh"), "import", str(exported))
    assert result.code == ExitCode.INVALID
    assert "interviewers[3]: greet_as: the greeting must be one line" in result.err


def test_an_address_with_no_name_is_drafted_hello_and_the_linter_asks_for_the_name(
    run: Run, panel: int
) -> None:
    one = ("draft", "1", "--step", "1", "--interviewer", "mei.lin@acme.example", "--json")
    draft = ok(run(*one)).json
    assert draft["body"].startswith("Hello,\n")
    [finding] = [f for f in draft["lint"] if f["rule"] == "no-name"]
    assert finding["severity"] == "warning"
    assert "followup debrief 1 --interviewer mei.lin@acme.example --greeting" in finding["message"]
    named = [d for d in ok(run("draft", "1", "--step", "1", "--json")).json if d is not draft]
    assert sum(f["rule"] == "no-name" for d in named for f in d["lint"]) == 1  # mei.lin's only
    ok(run("debrief", "1", "--interviewer", "mei.lin@acme.example", "--greeting", "Ms. Lin"))
    draft = ok(run(*one)).json
    assert draft["body"].startswith("Hello Ms. Lin,\n")
    assert "no-name" not in [f["rule"] for f in draft["lint"]]
