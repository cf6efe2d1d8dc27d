"""`followup lint` through the real entry point: exit codes, output, stdin, .eml, the database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from followup.app.errors import ExitCode
from followup.domain.lint import RULES
from tests.conftest import Run

NOTES = Path(__file__).parent.parent / "fixtures" / "notes"
GOOD = str(NOTES / "good_formal_thank_you.txt")
GENERIC = "Hi, just checking in on my application. Any update? Thanks!"
NO_TOPIC = """Subject: Thank you

Dear Ada,

Thank you for the interview on Monday. I am eager to bring my experience in PostgreSQL to
the team at Acme.

Kind regards,
Jamie
"""


def add_acme(run: Run, *extra: str) -> int:
    result = run(
        "add",
        "--company", "Acme",
        "--role", "Backend Engineer",
        "--at", "2026-11-23T14:00",
        "--tz", "Europe/Berlin",
        "--interviewer", "Ada <ada@acme.example>",
        "--topic", "the billing rewrite",
        "--skill", "PostgreSQL",
        "--culture", "corporate",
        "--json",
        *extra,
    )  # fmt: skip
    assert result.code == 0, result.err
    return int(result.json["id"])


# --- exit codes and output ----------------------------------------------------------------------


def test_a_good_note_from_a_file_exits_0(run: Run) -> None:
    result = run("lint", GOOD, "--step", "1")
    assert (result.code, result.err) == (0, "")
    assert result.out == "No problems: the note follows the etiquette.\n"


def test_a_generic_note_from_stdin_exits_7_with_one_line_per_finding(run: Run) -> None:
    result = run("lint", "--step", "2", stdin=GENERIC)
    assert result.code == ExitCode.LINT == 7
    lines = result.out.splitlines()
    assert [line.split()[0] for line in lines[:-1]] == [
        "no-specific-point",
        "no-enthusiasm",
        "pushy",
    ]
    assert all(line.split()[1] == "error" for line in lines[:-1])
    assert lines[-1] == "3 errors, 0 warnings"
    assert '"just checking in", "Any update"' in lines[2]


def test_dash_and_no_file_both_read_stdin(run: Run) -> None:
    for args in (("lint", "-"), ("lint",)):
        result = run(*args, "--json", stdin=f"Subject: Hello\n\n{GENERIC}")
        assert result.code == 7
        assert result.json["errors"] == 3


def test_json_shape(run: Run) -> None:
    result = run("lint", "--json", "--step", "2", stdin=GENERIC + " Unfortunately.")
    assert result.code == 7
    data = result.json
    assert set(data) == {"findings", "errors", "warnings"}
    assert (data["errors"], data["warnings"]) == (3, 1)
    for finding in data["findings"]:
        assert set(finding) == {"rule", "severity", "message"}
        assert finding["severity"] in ("error", "warning")
    assert [f["rule"] for f in data["findings"]][-1] == "negative"


def test_warnings_alone_exit_0(run: Run) -> None:
    result = run("lint", str(NOTES / "apologetic_negative_follow_up.txt"), "--step", "2")
    assert result.code == 0
    assert result.out.splitlines()[0].split()[:2] == ["negative", "warning"]
    assert result.out.splitlines()[-1] == "0 errors, 1 warning"


def test_a_missing_file_is_one_line_and_exit_4(run: Run, tmp_path: Path) -> None:
    result = run("lint", str(tmp_path / "nope.txt"))
    assert result.code == ExitCode.INVALID == 4
    assert result.out == ""
    assert result.err.count("\n") == 1
    assert result.err.startswith("followup: error: cannot read ")
    assert "No such file or directory" in result.err


def test_a_directory_or_binary_file_is_exit_4(run: Run, tmp_path: Path) -> None:
    assert run("lint", str(tmp_path)).code == 4
    binary = tmp_path / "note.txt"
    binary.write_bytes(b"Thank you \xff\xfe\x00")
    result = run("lint", str(binary))
    assert (result.code, result.err) == (4, f"followup: error: {binary} is not UTF-8 text\n")


def test_a_bom_and_crlf_line_ends_are_fine(run: Run, tmp_path: Path) -> None:
    note = tmp_path / "windows.txt"
    text = (NOTES / "good_formal_thank_you.txt").read_text(encoding="utf-8")
    note.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    assert run("lint", str(note), "--step", "1").code == 0


def test_the_subject_line_is_read_apart_from_the_body(run: Run, tmp_path: Path) -> None:
    note = tmp_path / "long_subject.txt"
    note.write_text("Subject: " + "Thank you " * 10 + "\n\n" + GENERIC, encoding="utf-8")
    data = run("lint", str(note), "--json", "--step", "2").json
    subject = [f for f in data["findings"] if f["rule"] == "too-long"]
    assert subject == [
        {
            "rule": "too-long",
            "severity": "warning",
            "message": "the subject has 99 characters: keep it to at most 78",
        }
    ]


# --- .eml --------------------------------------------------------------------------------------


def test_an_eml_reply_is_read_from_its_text_part_without_the_quoted_history(run: Run) -> None:
    eml = str(NOTES / "follow_up_reply_with_quoted_history_multipart.eml")
    result = run("lint", eml, "--step", "2")
    assert (result.code, result.out) == (0, "No problems: the note follows the etiquette.\n")


def test_an_html_only_eml_is_read_as_text(run: Run) -> None:
    result = run("lint", str(NOTES / "html_only_outlook_thank_you.eml"), "--step", "1")
    assert result.code == 0, result.out


def test_an_eml_on_stdin_is_recognised_by_its_headers(run: Run) -> None:
    eml = (NOTES / "follow_up_reply_with_quoted_history_multipart.eml").read_text()
    assert run("lint", "--step", "2", stdin=eml).code == 0
    broken = eml.replace("I remain very interested", "ASAP!!").replace("look forward", "wait")
    result = run("lint", "--step", "2", "--json", stdin=broken)
    assert [f["rule"] for f in result.json["findings"]] == ["no-enthusiasm", "pushy"]


def test_an_eml_without_a_text_part_is_exit_4(run: Run, tmp_path: Path) -> None:
    eml = tmp_path / "image.eml"
    eml.write_text(
        "From: a@example.org\nSubject: hi\nMIME-Version: 1.0\nContent-Type: image/png\n"
        "Content-Transfer-Encoding: base64\n\niVBORw0KGgo=\n"
    )
    result = run("lint", str(eml))
    assert (result.code, result.err) == (
        4,
        "followup: error: the message has no text part to check\n",
    )


# --- --interview --------------------------------------------------------------------------------


def test_interview_supplies_the_debriefed_topic(run: Run) -> None:
    iid = add_acme(run)
    result = run("lint", "--interview", str(iid), "--json", stdin=NO_TOPIC)
    assert result.code == 7
    assert result.json["findings"] == [
        {
            "rule": "no-specific-point",
            "severity": "error",
            "message": "no specific point from the conversation: mention the billing rewrite",
        }
    ]
    fixed = NO_TOPIC.replace("on Monday.", "on Monday and our talk about your billing rewrite.")
    assert run("lint", "--interview", str(iid), stdin=fixed).code == 0


def test_interview_supplies_the_skill_and_the_pending_step(run: Run) -> None:
    iid = add_acme(run)
    no_skill = NO_TOPIC.replace("bring my experience in PostgreSQL to", "join").replace(
        "Monday.", "Monday and our talk about the billing rewrite."
    )
    result = run("lint", "--interview", str(iid), "--json", stdin=no_skill)
    assert [f["rule"] for f in result.json["findings"]] == ["no-skill"]
    assert "PostgreSQL" in result.json["findings"][0]["message"]
    # --step overrides the pending step: a follow-up need not name the skill
    assert run("lint", "--interview", str(iid), "--step", "2", stdin=no_skill).code == 0


def test_the_good_fixtures_pass_with_the_interview_context(run: Run) -> None:
    iid = str(add_acme(run))
    for name, step in [
        ("good_formal_thank_you.txt", "1"),
        ("html_only_outlook_thank_you.eml", "1"),
        ("good_follow_up_one_week.txt", "2"),
        ("follow_up_reply_with_quoted_history_multipart.eml", "2"),
        ("good_final_note.txt", "3"),
    ]:
        result = run("lint", str(NOTES / name), "--interview", iid, "--step", step)
        assert (result.code, result.out) == (0, "No problems: the note follows the etiquette.\n")


def test_interview_supplies_the_tone_of_the_culture(run: Run) -> None:
    casual = str(NOTES / "casual_words_to_corporate.txt")
    corporate = add_acme(run)
    result = run("lint", casual, "--interview", str(corporate), "--json")
    # issue 13: slang ("awesome", "super excited") to a corporate culture is an error
    assert [f["rule"] for f in result.json["findings"]] == ["slang-in-formal", "tone-clash"]
    assert result.code == 7
    startup = add_acme(run, "--culture", "startup", "--role", "Platform Engineer")
    assert run("lint", casual, "--interview", str(startup), "--json").json["findings"] == []


def test_interview_supplies_the_company_and_the_recipient(run: Run) -> None:
    iid = add_acme(run)
    wrong = NO_TOPIC.replace("Dear Ada", "Dear Grace").replace("Acme", "Acmee")
    wrong = wrong.replace("Monday.", "Monday and the billing rewrite talk.")
    result = run("lint", "--interview", str(iid), "--json", stdin=wrong)
    messages = [f["message"] for f in result.json["findings"] if f["rule"] == "wrong-name"]
    assert messages == [
        'the company is named wrong: "Acmee" (it is Acme)',
        'the greeting "Dear Grace," names Grace, but this note is for Ada',
    ]


def test_a_panel_is_checked_for_the_chosen_interviewer(run: Run) -> None:
    iid = add_acme(run, "--interviewer", "Grace Hopper <grace@acme.example>")
    note = str(NOTES / "wrong_recipient_greeting.txt")  # "Dear Grace,"
    assert (
        run("lint", note, "--interview", str(iid), "--interviewer", "GRACE@acme.example").code == 0
    )
    to_ada = run("lint", note, "--interview", str(iid), "--interviewer", "ada@acme.example")
    assert (to_ada.code, to_ada.out.split()[0]) == (7, "wrong-name")
    # without --interviewer a panel's greeting cannot be checked
    assert run("lint", note, "--interview", str(iid)).code == 0


def test_interview_supplies_the_other_interviewers_stored_note(run: Run) -> None:
    """A note copied from Ada's draft to Grace is flagged as a duplicate of Ada's."""
    iid = add_acme(run, "--interviewer", "Grace Hopper <grace@acme.example>")
    assert run("config", "set", "user.name", "Jamie Doe").code == 0  # signed: not `unsigned`
    drafts = run("draft", str(iid), "--interviewer", "ada@acme.example", "--json")
    assert drafts.code == 0, drafts.err
    ada = drafts.json[0] if isinstance(drafts.json, list) else drafts.json
    copied = f"Subject: {ada['subject']}\n\n{ada['body']}".replace("Ada", "Grace")
    args = ("lint", "--interview", str(iid), "--interviewer", "grace@acme.example", "--json")
    result = run(*args, stdin=copied)
    assert result.code == 7
    assert [f["rule"] for f in result.json["findings"]] == ["duplicate"]
    assert "another interviewer's note" in result.json["findings"][0]["message"]


def test_unknown_interview_or_interviewer(run: Run) -> None:
    result = run("lint", GOOD, "--interview", "99")
    assert (result.code, result.err) == (3, "followup: error: no interview with id 99\n")
    iid = add_acme(run)
    result = run("lint", GOOD, "--interview", str(iid), "--interviewer", "bob@acme.example")
    assert result.code == 3
    assert result.err == f"followup: error: no interviewer bob@acme.example in interview {iid}\n"
    assert run("lint", GOOD, "--interviewer", "ada@acme.example").code == 2  # needs --interview


def test_step_is_checked(run: Run) -> None:
    result = run("lint", GOOD, "--step", "4")  # refused as `draft --step 4` is
    assert (result.code, result.err) == (4, "followup: error: step must be between 1 and 3\n")


# --- --rules ------------------------------------------------------------------------------------


def test_rules_lists_every_rule(run: Run) -> None:
    result = run("lint", "--rules")
    assert result.code == 0
    lines = result.out.splitlines()
    assert [line.split()[0] for line in lines] == [r.id for r in RULES]
    assert lines[0].split()[1] == "error" and lines[-1].split()[1] == "warning"


def test_rules_as_json(run: Run) -> None:
    data = run("lint", "--rules", "--json").json
    assert data == [
        {"id": r.id, "severity": r.severity.value, "explanation": r.explanation} for r in RULES
    ]


def test_help_names_the_command(run: Run) -> None:
    assert "lint" in run("--help").out
    assert "exit 7" in run("lint", "--help").out


# --- start-up -----------------------------------------------------------------------------------

PROBE = """
import json, sys
from followup.cli.entry import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def _loaded(args: list[str], home: Path, stdin: str = "") -> set[str]:
    env = {**os.environ, "FOLLOWUP_HOME": str(home), "FOLLOWUP_NOW": "2026-11-25T12:00:00Z"}
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return set(json.loads(proc.stderr.strip().splitlines()[-1]))


def test_the_linter_loads_only_for_lint_and_lint_opens_no_database(tmp_path: Path) -> None:
    assert "followup.domain.lint" not in _loaded(["--help"], tmp_path)
    assert "followup.domain.lint" not in _loaded(["list"], tmp_path)
    fresh = tmp_path / "fresh"
    loaded = _loaded(["lint", "--step", "1"], fresh, stdin=GENERIC)
    assert "followup.domain.lint" in loaded
    assert "sqlite3" not in loaded and "email" not in loaded and "jinja2" not in loaded
    assert not fresh.exists()


def test_exports_warn_with_the_gates_line_but_still_write(run: Run, tmp_path: Path) -> None:
    """Issue 13: --eml/--mailto leave through the user: warned, not refused."""
    added = run("add", "--company", "Acme", "--role", "Dev", "--at", "2026-11-20T10:00:00Z",
                "--interviewer", "Ada <ada@acme.example>", "--json")  # fmt: skip
    iid = str(added.json["id"])
    assert run("config", "set", "user.email", "jo@example.org").code == 0
    mailto = run("draft", iid, "--mailto")
    assert mailto.code == 0 and mailto.out.startswith("mailto:")
    assert "lint errors" in mailto.err and "no-specific-point" in mailto.err
    assert "unsigned" in mailto.err  # no user.name
    target = tmp_path / "note.eml"
    eml = run("draft", iid, "--eml", str(target))
    assert eml.code == 0 and target.exists()
    assert "lint errors" in eml.err
    assert run("debrief", iid, "--topic", "the billing rewrite", "--skill", "Go").code == 0
    assert run("config", "set", "user.name", "Jo Doe").code == 0
    assert run("draft", iid, "--mailto").err == ""


# --- standalone: only what the text shows (issue 13) ----------------------------------------

SPECIFIC = """Subject: Thank you

Hi Rosa,

Thank you for the time on Thursday. {point}

I'm really looking forward to hearing about next steps.

Best,
Ken
"""


def test_standalone_a_specific_sentence_in_any_phrasing_is_not_a_missing_point(
    run: Run,
) -> None:
    for point in (
        "I enjoyed our discussion of how your team moved the billing service off the monolith"
        " last spring.",
        "It was great to hear how your team moved the billing service off the monolith.",
        "I was struck by how your team moved the billing service off the monolith last spring.",
        "Your point that pricing experiments need a proper holdout group changed how I think.",
    ):
        result = run("lint", stdin=SPECIFIC.format(point=point))
        assert (result.code, result.out) == (
            0,
            "No problems: the note follows the etiquette.\n",
        ), point


def test_standalone_a_note_of_stock_phrases_only_still_has_no_specific_point(run: Run) -> None:
    for filler in (
        "It was a pleasure to meet you and the team.",
        "I enjoyed our conversation and learning more about the company.",
        "I really enjoyed meeting everyone and I am excited about the opportunity.",
    ):
        result = run("lint", stdin=SPECIFIC.format(point=filler))
        assert result.code == ExitCode.LINT, filler
        assert result.out.startswith("no-specific-point"), filler


# --- what the database knows beyond this interview (issue 13, round 2) --------------------------


def test_a_note_naming_another_of_your_applications_is_wrong_name(run: Run) -> None:
    iid = add_acme(run)
    other = run(
        "add", "--company", "Northwind Bank", "--role", "Risk Analyst",
        "--at", "2026-11-24T10:00", "--tz", "Europe/Berlin",
        "--interviewer", "Margaret Chen <mchen@northwind.example>", "--json",
    )  # fmt: skip
    assert other.code == 0, other.err
    note = NO_TOPIC.replace("Monday.", "Monday and the billing rewrite talk.")
    assert run("lint", "--interview", str(iid), stdin=note).code == 0
    copied = note.replace("the team at Acme", "the team at Northwind Bank")
    result = run("lint", "--interview", str(iid), "--json", stdin=copied)
    assert result.code == 7
    messages = [f["message"] for f in result.json["findings"] if f["rule"] == "wrong-name"]
    assert messages == [
        'names another of your applications: "Northwind Bank": this note is for'
        " Backend Engineer at Acme"
    ]


def test_a_final_note_reusing_the_sent_thank_you_is_a_duplicate(run: Run) -> None:
    """Not only the note just before: every note already sent in the sequence counts."""
    iid = add_acme(run)
    assert run("config", "set", "user.name", "Jamie Doe").code == 0
    thanks = run("draft", str(iid), "--json")
    assert thanks.code == 0, thanks.err
    first = thanks.json[0] if isinstance(thanks.json, list) else thanks.json
    sent = run("sent", str(iid), "--at", "2026-11-23T18:00:00Z", "--force")
    assert sent.code == 0, sent.err
    again = f"Subject: {first['subject']}\n\n{first['body']}"
    result = run("lint", "--interview", str(iid), "--step", "3", "--json", stdin=again)
    assert "duplicate" in [f["rule"] for f in result.json["findings"]], result.out
    dup = next(f for f in result.json["findings"] if f["rule"] == "duplicate")
    assert "an earlier note" in dup["message"]
