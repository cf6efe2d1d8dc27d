"""`followup draft` in a terminal asks for the point a note lacks (issue #13), in a real
pseudo-terminal; never without one, nor with --json."""

from __future__ import annotations

import os
import select
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Run

ADA, BOB = "ada@acme.example", "bob@acme.example"
ASKED = "(a project, a problem — Enter to skip)"


def panel(run: Run) -> str:
    for key, value in (("user.name", "Grace Hopper"), ("user.email", "grace@example.org")):
        assert run("config", "set", key, value).code == 0
    added = run(
        "add", "--company", "Acme", "--role", "Backend Engineer", "--at", "2026-11-24T14:00Z",
        "--interviewer", f"Ada Lovelace <{ADA}>", "--interviewer", f"Bob Stone <{BOB}>",
        "--topic", "the billing rewrite", "--skill", "PostgreSQL", "--json",
    )  # fmt: skip
    assert added.code == 0, added.err
    return str(added.json["id"])


def in_terminal(*args: str, answers: tuple[str, ...] = ()) -> tuple[int, str]:
    """`followup ARGS` with stdin, stdout and stderr on a pseudo-terminal, typing each answer
    when a question ends; (exit code, everything the terminal showed)."""
    exe = Path(sys.executable).with_name("followup")
    leader, follower = os.openpty()
    proc = subprocess.Popen(
        [exe, *args], stdin=follower, stdout=follower, stderr=follower, env=dict(os.environ)
    )
    os.close(follower)
    shown, typed = b"", list(answers)
    try:
        while True:
            ready, _, _ = select.select([leader], [], [], 20)
            if not ready:
                proc.kill()
                pytest.fail(f"no output for 20 s; so far:\n{shown.decode()}")
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # EIO: the program closed the terminal
                break
            if not chunk:
                break
            shown += chunk
            if typed and shown.decode("utf-8", "replace").rstrip().endswith("skip)"):
                os.write(leader, typed.pop(0).encode() + b"\n")
    finally:
        os.close(leader)
    return proc.wait(timeout=20), shown.decode("utf-8", "replace").replace("\r\n", "\n")


def test_draft_asks_for_the_missing_topic_records_it_and_drafts_again(run: Run) -> None:
    iid = panel(run)  # the interview's topic is Ada's (the first: the primary contact)

    code, screen = in_terminal("draft", iid, answers=("on-call load",))

    assert code == 0, screen
    assert screen.count(ASKED) == 1  # Ada's note has its point: only Bob is asked
    assert f"What did you discuss with Bob Stone? {ASKED}" in screen
    bob = screen.split(f"To: Bob Stone <{BOB}>")[1]
    assert "the on-call load" in bob and "no-specific-point" not in bob
    debriefs = run("show", iid, "--json").json["debrief"]
    people = {p["id"]: p["email"] for p in run("show", iid, "--json").json["interviewers"]}
    assert [(people.get(d["interviewer_id"]), d["topic"]) for d in debriefs if d["topic"]] == [
        (None, "the billing rewrite"),
        (BOB, "on-call load"),  # as `debrief ID --interviewer EMAIL --topic` records it
    ]


def test_enter_skips_and_the_note_still_names_the_fix(run: Run) -> None:
    iid = panel(run)

    code, screen = in_terminal("draft", iid, "--interviewer", BOB, answers=("",))

    assert code == 0, screen
    assert screen.count(ASKED) == 1
    assert f"followup debrief {iid} --interviewer {BOB} --topic" in screen
    debriefs = run("show", iid, "--json").json["debrief"]
    assert [d["topic"] for d in debriefs] == ["the billing rewrite"]


def test_the_full_command_line_asks_too(run: Run, tmp_path: Path) -> None:
    iid = panel(run)
    eml = tmp_path / "bob.eml"

    code, screen = in_terminal(
        "draft", iid, "--interviewer", BOB, "--eml", str(eml), answers=("the Kafka move",)
    )

    assert code == 0, screen
    assert ASKED in screen
    assert b"the Kafka move" in eml.read_bytes()


def test_never_asks_with_json_or_without_a_terminal(run: Run) -> None:
    iid = panel(run)

    code, screen = in_terminal("draft", iid, "--json")
    assert code == 0 and ASKED not in screen

    piped = run("draft", iid, stdin="on-call load\n")
    assert piped.code == 0 and "What did you discuss" not in piped.out + piped.err
    assert "no-specific-point" in piped.out
    assert [d["topic"] for d in run("show", iid, "--json").json["debrief"]] == [
        "the billing rewrite"
    ]
