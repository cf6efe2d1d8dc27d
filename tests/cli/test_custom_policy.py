"""The cadence is the user's: steps added or dropped in config.toml alone reach every part
(planning, agenda, show, drafts, lint, the calendar, CSV export and import), and a policy
that cannot be used is one clear line and exit 4."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from followup.app.errors import ExitCode
from tests.conftest import Result, Run

ARTICLE_STEPS = """
[[policy.steps]]
kind = "thank-you"
after = "48h"
from = "interview-end"

[[policy.steps]]
kind = "follow-up"
after = "7d"
from = "previous-sent"
"""
FINAL = """
[[policy.steps]]
kind = "final"
after = "2w"
from = "previous-sent"
"""
CHECK_IN = """
[[policy.steps]]
kind = "check-in"
after = "30d"
from = "previous-sent"
"""
FOUR_STEPS = ARTICLE_STEPS + FINAL + CHECK_IN  # a check-in 30 days after the final
NO_FINAL = ARTICLE_STEPS  # the article's, less the final note


def configure(home: Path, policy: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    # signed (user.name): issue 13 makes an unsigned note a lint error
    (home / "config.toml").write_text(
        'timezone = "Europe/Berlin"\n[user]\nname = "Grace Hopper"\n' + policy
    )


def ok(result: Result) -> Result:
    assert result.code == 0, result.err
    return result


def add_ada(run: Run, company: str = "Acme") -> str:
    """An interview on Tue 1 Sep 2026, 10:00-11:00 UTC, with one interviewer and a topic."""
    added = run(
        "add",
        "--company", company,
        "--role", "Data Engineer",
        "--at", "2026-09-01T10:00:00Z",
        "--tz", "Europe/London",
        "--interviewer", "Ada Lovelace <ada@acme.example>",
        "--topic", "the billing rewrite",
        "--skill", "PostgreSQL",
        "--json",
    )  # fmt: skip
    return str(ok(added).json["id"])


def test_policy_show_prints_the_steps_in_force(run: Run, home: Path) -> None:
    configure(home, FOUR_STEPS)
    shown = ok(run("policy", "show", "--json")).json
    assert [(s["step"], s["kind"], s["anchor"]) for s in shown["steps"]] == [
        (1, "thank-you", "interview-end"),
        (2, "follow-up", "previous-sent"),
        (3, "final", "previous-sent"),
        (4, "check-in", "previous-sent"),
    ]
    assert shown["steps"][3]["delay_hours"] == 30 * 24
    assert "check-in" in ok(run("policy", "show")).out


def test_a_fourth_step_reaches_every_part(run: Run, home: Path, tmp_path: Path) -> None:
    configure(home, FOUR_STEPS)
    iid = add_ada(run)
    ok(run("sent", iid, "--at", "2026-09-03T12:00:00Z"))
    ok(run("sent", iid, "--at", "2026-09-10T12:00:00Z"))
    closed_before = ok(run("sent", iid, "--at", "2026-09-24T12:00:00Z", "--json")).json
    assert closed_before["plan"]["status"] == "waiting"  # the final is no longer the last

    # planning and the agenda: the check-in, 30 days after the final, in the window
    [item] = ok(run("agenda", "--json")).json
    assert (item["step"], item["kind"]) == (4, "check-in")
    assert item["due_at"] == "2026-10-26T09:00:00Z"  # Sat 24 Oct moves to Mon 09:00 London
    assert "4 check-in note" in ok(run("agenda")).out

    # show
    shown = ok(run("show", iid, "--json")).json
    assert [(n["step"], n["kind"], n["state"]) for n in shown["notes"]] == [
        (1, "thank-you", "sent"),
        (2, "follow-up", "sent"),
        (3, "final", "sent"),
        (4, "check-in", "pending"),
    ]

    # drafts: the neutral built-in template serves a kind that has none, and it lints clean
    draft = ok(run("draft", iid, "--step", "4", "--json")).json  # one interviewer: an object
    assert (draft["step"], draft["kind"]) == (4, "check-in")
    assert draft["subject"].startswith("Re: ")  # threads under the thank-you
    assert "Acme" in draft["body"] and "the billing rewrite" in draft["body"]
    assert [f for f in draft["lint"] if f["severity"] == "error"] == []
    assert ok(run("draft", iid, "--step", "4")).out == ok(run("draft", iid)).out  # the due one
    # ... and a template of the user's for that kind wins
    (home / "templates").mkdir()
    (home / "templates" / "check-in.txt").write_text(
        "Subject: Checking in from {{ sender }}\n\nHello {{ first_name }}, thank you again.\n"
    )
    mine = ok(run("draft", iid, "--step", "4", "--json")).json
    assert mine["body"].startswith("Hello Ada, thank you again.")
    (home / "templates" / "check-in.txt").unlink()

    # lint: step 4 is the policy's check-in (the default word limit; no skill required)
    text = f"Subject: {draft['subject']}\n\n{draft['body']}"
    assert ok(run("lint", "--step", "4", stdin=text)).code == 0
    for command in (("lint", "--step", "5"), ("draft", iid, "--step", "5")):
        r = run(*command, stdin=text)  # the same refusal, by the policy's range
        assert (r.code, r.err) == (
            ExitCode.INVALID,
            "followup: error: step must be between 1 and 4\n",
        ), command

    # the calendar
    ics = tmp_path / "notes.ics"
    ok(run("export", "--ics", str(ics)))
    calendar = ics.read_text().replace("\r\n ", "")  # unfold
    assert "SUMMARY:Check-in note to Ada Lovelace (Acme)" in calendar

    # CSV: a column per step, named by the policy; the check-in sent round-trips
    ok(run("sent", iid, "--at", "2026-10-27T09:30:00Z"))
    exported = tmp_path / "all.csv"
    ok(run("export", "--output", str(exported)))
    [row] = list(csv.DictReader(io.StringIO(exported.read_text())))
    sent_columns = [c for c in row if c.endswith("_sent_at")]
    assert sent_columns == [
        "thank_you_sent_at",
        "follow_up_sent_at",
        "final_sent_at",
        "check_in_sent_at",
    ]
    assert row["check_in_sent_at"] == "2026-10-27T09:30:00Z"
    assert row["status"] == "closed"

    other = tmp_path / "other"
    configure(other, FOUR_STEPS)
    imported = run("--home", str(other), "import", str(exported), "--json")
    [again] = ok(imported).json["interviews"]
    back = ok(run("--home", str(other), "show", str(again["id"]), "--json")).json
    assert back["status"] == "closed"
    assert [(n["step"], n["kind"], n["sent_at"]) for n in back["notes"]] == [
        (n["step"], n["kind"], n["sent_at"]) for n in ok(run("show", iid, "--json")).json["notes"]
    ]
    reexported = tmp_path / "again.csv"
    ok(run("--home", str(other), "export", "--output", str(reexported)))
    [row_again] = list(csv.DictReader(io.StringIO(reexported.read_text())))
    assert {c: row_again[c] for c in sent_columns} == {c: row[c] for c in sent_columns}


def test_dropping_the_final_note_closes_after_the_follow_up(
    run: Run, home: Path, tmp_path: Path
) -> None:
    configure(home, NO_FINAL)
    iid = add_ada(run)
    ok(run("sent", iid, "--at", "2026-09-03T12:00:00Z"))
    plan = ok(run("sent", iid, "--at", "2026-09-10T12:00:00Z", "--json")).json["plan"]
    assert plan["status"] == "closed"
    assert ok(run("agenda", "--json")).json == []
    assert [n["kind"] for n in ok(run("show", iid, "--json")).json["notes"]] == [
        "thank-you",
        "follow-up",
    ]
    r = run("draft", iid, "--step", "3")
    assert (r.code, r.err) == (ExitCode.INVALID, "followup: error: step must be between 1 and 2\n")

    exported = tmp_path / "all.csv"
    ok(run("export", "--output", str(exported)))
    header = exported.read_text().splitlines()[0].split(",")
    assert "final_sent_at" not in header and "follow_up_sent_at" in header

    # a file from the article's policy: its final note is refused with the reason
    lines = exported.read_text().splitlines()
    with_final = tmp_path / "with_final.csv"
    with_final.write_text(
        f"{lines[0]},final_sent_at\n{lines[1]},2026-09-24T12:00:00Z\n", encoding="utf-8"
    )
    r = run("import", str(with_final))
    assert r.code == ExitCode.INVALID
    assert "final_sent_at is set but the policy sends only 2 note(s): no final note" in r.err


def test_without_steps_nothing_changes(run: Run, home: Path) -> None:
    configure(home, "")
    default = ok(run("policy", "show", "--json")).json
    configure(home, "[policy]\ncustom = false\n" + ARTICLE_STEPS + FINAL)
    assert ok(run("policy", "show", "--json")).json == default


# --- a policy that cannot be used: one line, exit 4 -------------------------------------------

BAD = {
    "unknown-from": (
        ARTICLE_STEPS + FINAL.replace("previous-sent", "interview-start"),
        "step 3: from 'interview-start' is not one of interview-end, previous-sent",
    ),
    "duration-does-not-parse": (
        ARTICLE_STEPS.replace('"7d"', '"a week"'),
        "step 2: 'a week' is not a duration: a whole number and h, d or w (48h, 7d, 2w)",
    ),
    "a-delay-past-a-year": (
        ARTICLE_STEPS + CHECK_IN.replace('"30d"', '"200000w"'),
        "step 3: after '200000w' is longer than a step may wait (at most 52w)",
    ),
    "a-delay-past-a-year-in-hours": (
        ARTICLE_STEPS.replace('"48h"', '"1000000h"'),
        "step 1: after '1000000h' is longer than a step may wait (at most 52w)",
    ),
    "a-delay-of-many-digits": (
        ARTICLE_STEPS.replace('"7d"', '"' + "9" * 5000 + 'd"'),
        "step 2: after '" + "9" * 40 + "…' is longer than a step may wait",
    ),
    "zero-steps": (
        "[policy]\nsteps = []\n",
        "the policy has no steps: it needs at least one note",
    ),
    "first-step-on-a-previous-note": (
        ARTICLE_STEPS.replace("interview-end", "previous-sent"),
        "step 1 (thank-you) cannot count from a previous note: there is none"
        ' (use from = "interview-end")',
    ),
    "duplicate-kinds": (
        ARTICLE_STEPS + FINAL.replace('"final"', '"follow-up"'),
        "step 3: kind 'follow-up' is already step 2's: each step needs its own kind",
    ),
    "faster-than-the-article": (
        ARTICLE_STEPS.replace('"48h"', '"24h"'),
        "step 1 (thank-you) after 24 h is sooner than the article allows (48 h):"
        " set custom = true under [policy] to use a faster cadence",
    ),
    "a-new-kind-sooner-than-a-week": (
        ARTICLE_STEPS + CHECK_IN.replace('"30d"', '"3d"'),
        "step 3 (check-in) after 3 days is sooner than the article allows (7 days):"
        " set custom = true under [policy] to use a faster cadence",
    ),
    "a-later-step-from-the-interview": (
        ARTICLE_STEPS + FINAL.replace("previous-sent", "interview-end").replace('"2w"', '"7d"'),
        "step 3 (final) counts from the interview's end, so it may come right after the"
        " previous note, sooner than the article allows (14 days after it): use"
        ' from = "previous-sent", or set custom = true under [policy]',
    ),
    "a-default-duration-no-interview-lasts": (
        "[policy]\ndefault_duration_minutes = 100000\n",
        "policy.default_duration_minutes = 100000: an interview lasts 5 to 480 minutes",
    ),
    "bad-kind-name": (
        ARTICLE_STEPS + CHECK_IN.replace('"check-in"', '"../evil"'),
        "step 3: kind '../evil' is not a kind name",
    ),
    "step-key-unknown": (
        ARTICLE_STEPS + '[[policy.steps]]\nkind = "final"\nafter = "2w"\nfrom = "previous-sent"\n'
        "subject = 'x'\n",
        "policy.steps: step 3: unknown key 'subject'",
    ),
    "old-key-beside-steps": (
        "[policy]\nfollow_up_after_days = 9\n" + ARTICLE_STEPS,
        "policy.follow_up_after_days does not apply when [[policy.steps]] lists the steps",
    ),
    "max-notes-over-the-steps": (
        "[policy]\nmax_notes = 3\n" + ARTICLE_STEPS,
        "max_notes must be between 1 and 2",
    ),
}


@pytest.mark.parametrize("case", BAD)
@pytest.mark.parametrize("command", [("agenda",), ("policy", "show")])
def test_a_bad_policy_is_one_line_and_exit_4(
    run: Run, home: Path, case: str, command: tuple[str, ...]
) -> None:
    policy, says = BAD[case]
    configure(home, policy)
    r = run(*command)
    assert r.code == ExitCode.INVALID, r.err
    assert r.err.startswith("followup: error: ") and r.err.count("\n") == 1, r.err
    assert says in r.err


def test_custom_allows_a_faster_cadence(run: Run, home: Path) -> None:
    configure(home, "[policy]\ncustom = true\n" + ARTICLE_STEPS.replace('"48h"', '"24h"'))
    shown = ok(run("policy", "show", "--json")).json
    assert shown["custom"] is True and shown["steps"][0]["delay_hours"] == 24
    iid = add_ada(run)
    due = ok(run("show", iid, "--json")).json["notes"][0]["earliest_at"]
    assert due == "2026-09-02T11:00:00Z"  # 24 h after the interview ended


def test_the_old_keys_keep_working(run: Run, home: Path) -> None:
    configure(home, "[policy]\nfollow_up_after_days = 5\nmax_notes = 2\n")
    shown = ok(run("policy", "show", "--json")).json
    assert [(s["kind"], s["delay_hours"]) for s in shown["steps"]] == [
        ("thank-you", 48),
        ("follow-up", 5 * 24),
    ]


# --- changing the policy while interviews are in flight ----------------------------------------


def notes_of(run: Run, iid: str) -> list[tuple[int, str, str]]:
    return [
        (n["step"], n["kind"], n["state"]) for n in ok(run("show", iid, "--json")).json["notes"]
    ]


@pytest.mark.parametrize("shorter", [NO_FINAL, "[policy]\nmax_notes = 2\n"])
def test_a_policy_that_drops_the_pending_step_cancels_its_note(
    run: Run, home: Path, shorter: str
) -> None:
    configure(home, "")  # the article's three notes
    iid = add_ada(run)
    ok(run("sent", iid, "--at", "2026-09-03T12:00:00Z"))
    ok(run("sent", iid, "--at", "2026-09-10T12:00:00Z"))
    assert notes_of(run, iid)[-1] == (3, "final", "pending")

    configure(home, shorter)
    assert ok(run("agenda", "--json")).json == []
    assert notes_of(run, iid) == [
        (1, "thank-you", "sent"),
        (2, "follow-up", "sent"),
        (3, "final", "cancelled"),
    ]
    assert ok(run("show", iid, "--json")).json["status"] == "closed"
    assert run("sent", iid).code == ExitCode.CONFLICT  # nothing pending: no "final" recorded


# the article's first two steps under names of the user's own (custom: a new kind waits a week)
RENAMED = "[policy]\ncustom = true\n" + ARTICLE_STEPS.replace('"thank-you"', '"thanks"').replace(
    '"follow-up"', '"nudge"'
)


def test_a_renamed_step_renames_pending_notes_and_keeps_sent_ones(run: Run, home: Path) -> None:
    configure(home, FOUR_STEPS)
    iid = add_ada(run)
    ok(run("sent", iid, "--at", "2026-09-03T12:00:00Z"))
    configure(home, RENAMED)
    assert notes_of(run, iid) == [(1, "thank-you", "sent"), (2, "nudge", "pending")]
    [item] = ok(run("agenda", "--json")).json
    assert (item["step"], item["kind"]) == (2, "nudge")
    # a sent note is drafted as what it was, though the policy now names its step otherwise
    draft = ok(run("draft", iid, "--step", "1", "--json")).json
    assert draft["kind"] == "thank-you"


def test_a_sent_note_of_a_dropped_step_is_still_shown_as_sent(run: Run, home: Path) -> None:
    configure(home, "")
    iid = add_ada(run)
    for at in ("2026-09-03T12:00:00Z", "2026-09-10T12:00:00Z", "2026-09-24T12:00:00Z"):
        ok(run("sent", iid, "--at", at))
    configure(home, NO_FINAL)
    draft = ok(run("draft", iid, "--step", "3", "--json")).json
    assert (draft["step"], draft["kind"]) == (3, "final")
    r = run("lint", "--interview", iid, "--step", "3", stdin=f"Subject: x\n\n{draft['body']}")
    assert r.code in (0, ExitCode.LINT), r.err


def test_csv_sent_columns_follow_the_step_whatever_kind_the_note_was_sent_as(
    run: Run, home: Path, tmp_path: Path
) -> None:
    configure(home, "")
    iid = add_ada(run)
    ok(run("sent", iid, "--at", "2026-09-03T12:00:00Z"))
    ok(run("sent", iid, "--at", "2026-09-10T12:00:00Z"))
    configure(home, RENAMED)  # steps 1 and 2 renamed; both were sent as the article named them
    exported = tmp_path / "all.csv"
    ok(run("export", "--output", str(exported)))
    [row] = list(csv.DictReader(io.StringIO(exported.read_text())))
    assert (row["thanks_sent_at"], row["nudge_sent_at"]) == (
        "2026-09-03T12:00:00Z",
        "2026-09-10T12:00:00Z",
    )
    other = tmp_path / "other"
    configure(other, RENAMED)
    [again] = ok(run("--home", str(other), "import", str(exported), "--json")).json["interviews"]
    back = ok(run("--home", str(other), "show", str(again["id"]), "--json")).json
    assert [(n["step"], n["sent_at"]) for n in back["notes"]] == [
        (1, "2026-09-03T12:00:00Z"),
        (2, "2026-09-10T12:00:00Z"),
    ]


@pytest.mark.parametrize("column", ["final_sent_at", "check_in_sent_at"])
def test_a_sent_column_of_a_step_the_policy_lacks_is_refused(
    run: Run, home: Path, tmp_path: Path, column: str
) -> None:
    configure(home, NO_FINAL)
    add_ada(run)
    exported = tmp_path / "all.csv"
    ok(run("export", "--output", str(exported)))
    lines = exported.read_text().splitlines()
    extra = tmp_path / "extra.csv"
    extra.write_text(f"{lines[0]},{column}\n{lines[1]},2026-09-24T12:00:00Z\n", encoding="utf-8")
    r = run("import", str(extra))
    kind = column.removesuffix("_sent_at").replace("_", "-")
    assert r.code == ExitCode.INVALID, r.err
    assert f"{column} is set but the policy sends only 2 note(s): no {kind} note" in r.err


# --- wording: the policy's own last note -------------------------------------------------------


def test_the_end_of_a_sequence_names_the_policys_last_note(run: Run, home: Path) -> None:
    configure(home, NO_FINAL)
    iid = add_ada(run)
    ok(run("sent", iid, "--at", "2026-09-03T12:00:00Z"))
    last = ok(run("sent", iid, "--at", "2026-09-10T12:00:00Z")).out
    assert "That was the follow-up. No more follow-ups: let it go." in last
    assert "final" not in last
    assert (
        f"{iid}  Acme — follow-up sent: let it go"
        in ok(run("agenda", "--as-of", "2026-09-11T12:00:00Z")).out
    )
    assert "The follow-up went out: let it go" in ok(run("show", iid)).out


def test_a_cancelled_last_note_is_said_to_be_cancelled(run: Run, home: Path) -> None:
    configure(home, "")
    iid = add_ada(run)
    ok(run("sent", iid, "--at", "2026-09-03T12:00:00Z"))
    ok(run("sent", iid, "--at", "2026-09-10T12:00:00Z"))
    configure(home, NO_FINAL)
    shown = ok(run("show", iid)).out
    assert "The follow-up went out and the final note was cancelled: let it go" in shown


def test_policy_show_says_which_listed_steps_max_notes_leaves_out(run: Run, home: Path) -> None:
    configure(home, "[policy]\nmax_notes = 2\n" + FOUR_STEPS)
    says = "steps 3–4 are listed but not used: policy.max_notes = 2"
    assert ok(run("policy", "show", "--json")).json["unused"] == says
    assert (
        "Steps 3–4 are listed but not used: policy.max_notes = 2" in ok(run("policy", "show")).out
    )
    configure(home, FOUR_STEPS)
    assert ok(run("policy", "show", "--json")).json["unused"] is None


def test_config_prints_toml_values(run: Run, home: Path) -> None:
    assert ok(run("config", "set", "policy.custom", "true")).out == "policy.custom = true\n"
    configure(home, "[policy]\ncustom = true\n" + FOUR_STEPS)
    shown = ok(run("config", "show")).out
    assert '{ kind = "check-in", after = "30d", from = "previous-sent" }' in shown
    assert "{'kind'" not in shown


def test_a_delay_key_set_below_the_article_is_not_silent(run: Run) -> None:
    """`policy.thank_you_after_hours 0` used to be taken without a word, while refusals
    still cited the etiquette."""
    r = run("config", "set", "policy.thank_you_after_hours", "0")
    assert r.code == 0, r.err
    assert r.err == (
        "followup: warning: the thank-you 0 h after the interview is sooner than the article"
        " allows (48 h): this is now your custom cadence, and messages say so\n"
    )
    assert "Custom cadence:" in run("policy", "show").out
    assert run("config", "set", "policy.follow_up_after_days", "7").err.count("warning") == 1
    assert run("config", "set", "policy.thank_you_after_hours", "48").err == ""


# --- a middle step removed (issue #12's cold trial) --------------------------------------------

# the four steps less the follow-up: the final now follows the thank-you
NO_FOLLOW_UP = ARTICLE_STEPS.split("[[policy.steps]]")[1].join(["[[policy.steps]]", ""]) + (
    FINAL + CHECK_IN
)


def test_removing_a_middle_step_plans_the_next_one_not_the_one_after(
    run: Run, home: Path, tmp_path: Path
) -> None:
    """Steps thank-you, follow-up, final, check-in; the follow-up sent, the final pending;
    the user deletes the follow-up block. The final stays the next note (due 14 days after
    the follow-up, the last note sent), the follow-up stays on record as what it was, and
    neither the CSV nor stats take it for the final."""
    configure(home, FOUR_STEPS)
    iid = add_ada(run)
    ok(run("sent", iid, "--at", "2026-09-03T12:00:00Z"))
    ok(run("sent", iid, "--at", "2026-09-10T12:00:00Z"))
    configure(home, NO_FOLLOW_UP)
    assert [s["kind"] for s in ok(run("policy", "show", "--json")).json["steps"]] == [
        "thank-you",
        "final",
        "check-in",
    ]

    [item] = ok(run("agenda", "--json")).json
    assert (item["step"], item["kind"]) == (2, "final")
    assert item["due_at"] == "2026-09-24T12:00:00Z"  # 14 days after the follow-up went out
    assert "2 final note" in ok(run("agenda")).out

    assert notes_of(run, iid) == [
        (1, "thank-you", "sent"),
        (2, "follow-up", "sent"),
        (2, "final", "pending"),  # renumbered to its step
    ]
    assert ok(run("draft", iid, "--step", "2", "--json")).json["kind"] == "final"

    exported = tmp_path / "all.csv"
    ok(run("export", "--output", str(exported)))
    [row] = list(csv.DictReader(io.StringIO(exported.read_text())))
    assert (row["thank_you_sent_at"], row["final_sent_at"], row["check_in_sent_at"]) == (
        "2026-09-03T12:00:00Z",
        "",
        "",
    )
    [last] = [r for r in ok(run("stats", "--json")).json["reply_rate_by_step"] if r["sent"]]
    assert (last["step"], last["kind"]) == (1, "thank-you")  # the follow-up is no step's

    # the final goes out: the check-in is next, 30 days after it; the columns say so
    ok(run("sent", iid, "--at", "2026-09-24T12:00:00Z"))
    [item] = ok(run("agenda", "--json")).json
    assert (item["step"], item["kind"]) == (3, "check-in")
    ok(run("export", "--output", str(exported)))
    [row] = list(csv.DictReader(io.StringIO(exported.read_text())))
    assert (row["final_sent_at"], row["check_in_sent_at"]) == ("2026-09-24T12:00:00Z", "")
    [last] = [r for r in ok(run("stats", "--json")).json["reply_rate_by_step"] if r["sent"]]
    assert (last["step"], last["kind"]) == (2, "final")
    # one label for a step, the CLI's as the dashboard's (wording.step_label)
    shown = ok(run("stats")).out
    assert "2 · final note" in shown and "3 · check-in note" in shown


def test_a_renamed_step_keeps_its_history_for_the_next_step(run: Run, home: Path) -> None:
    """Renaming the sent follow-up's step keeps it as that step's: the final is next."""
    configure(home, FOUR_STEPS)
    iid = add_ada(run)
    ok(run("sent", iid, "--at", "2026-09-03T12:00:00Z"))
    ok(run("sent", iid, "--at", "2026-09-10T12:00:00Z"))
    configure(home, "[policy]\ncustom = true\n" + FOUR_STEPS.replace('"follow-up"', '"nudge"'))
    [item] = ok(run("agenda", "--json")).json
    assert (item["step"], item["kind"], item["due_at"]) == (3, "final", "2026-09-24T12:00:00Z")


def test_dropping_the_last_step_closes_when_the_one_before_was_sent(run: Run, home: Path) -> None:
    configure(home, FOUR_STEPS)
    iid = add_ada(run)
    for at in ("2026-09-03T12:00:00Z", "2026-09-10T12:00:00Z", "2026-09-24T12:00:00Z"):
        ok(run("sent", iid, "--at", at))
    configure(home, ARTICLE_STEPS + FINAL)
    assert ok(run("agenda", "--json")).json == []
    assert ok(run("show", iid, "--json")).json["status"] == "closed"
    assert notes_of(run, iid)[-1] == (4, "check-in", "cancelled")


# --- a policy change is said, once, and undone by putting the config back -----------------------


def test_a_policy_change_is_said_once_and_putting_it_back_reopens(run: Run, home: Path) -> None:
    configure(home, "")  # the article's three notes
    iid = add_ada(run)
    other = add_ada(run, "Globex")
    ok(run("sent", iid, "--at", "2026-09-03T12:00:00Z"))
    ok(run("sent", iid, "--at", "2026-09-10T12:00:00Z"))  # the final pending
    ok(run("sent", other, "--at", "2026-09-03T12:00:00Z"))  # the follow-up pending

    assert ok(run("config", "set", "policy.max_notes", "2")).code == 0
    first = ok(run("agenda", "--json"))
    assert first.err == (
        "followup: warning: the policy in config.toml changed: 1 open interview re-planned,"
        " 1 note withdrawn, 1 sequence closed\n"
    )  # the other's pending follow-up is as it was
    assert ok(run("agenda", "--json")).err == ""  # once
    assert ok(run("show", iid, "--json")).json["status"] == "closed"
    shown = ok(run("policy", "show", "--json")).json["last_replan"]
    assert (shown["replanned"], shown["withdrawn"], shown["closed"]) == (1, 1, 1)
    assert "Last re-plan after config.toml's policy changed" in ok(run("policy", "show")).out

    # the config put back: the sequence the change closed is open again, its final planned
    ok(run("config", "set", "policy.max_notes", "3"))
    back = ok(run("show", iid, "--json"))
    assert "1 sequence reopened" in back.err
    assert back.json["status"] == "waiting"
    assert [n["state"] for n in back.json["notes"] if n["kind"] == "final"] == [
        "cancelled",
        "pending",
    ]
    history = ok(run("history", iid, "--json")).json
    assert any("reopened: the policy in config.toml changed" in e["summary"] for e in history)


def test_a_sequence_closed_by_its_last_note_stays_closed(run: Run, home: Path) -> None:
    configure(home, NO_FINAL)
    iid = add_ada(run)
    ok(run("sent", iid, "--at", "2026-09-03T12:00:00Z"))
    ok(run("sent", iid, "--at", "2026-09-10T12:00:00Z"))  # the last note: closed
    configure(home, "")  # the final comes back: a sequence that ended as it should stays so
    assert ok(run("show", iid, "--json")).json["status"] == "closed"


def test_a_later_step_from_the_interview_never_comes_before_the_previous_note(
    run: Run, home: Path
) -> None:
    """custom = true allows a step counted from the interview's end; still, it is planned no
    sooner than the previous step's note went out."""
    configure(
        home,
        "[policy]\ncustom = true\n"
        + ARTICLE_STEPS
        + FINAL.replace("previous-sent", "interview-end").replace('"2w"', '"7d"'),
    )
    iid = add_ada(run)
    ok(run("sent", iid, "--at", "2026-09-03T12:00:00Z"))
    ok(run("sent", iid, "--at", "2026-09-14T12:00:00Z"))  # after the final's 7 days
    [note] = [n for n in ok(run("show", iid, "--json")).json["notes"] if n["kind"] == "final"]
    assert note["earliest_at"] == "2026-09-14T12:00:00Z"  # not 2026-09-08, before the follow-up


def test_ended_lately_names_the_last_note_sent_not_the_policys_last_step(
    run: Run, home: Path
) -> None:
    """A sequence closed by its final note, then a check-in added to the policy: "Ended
    lately" says the final went out, not the check-in the policy now lists last."""
    configure(home, "")
    iid = add_ada(run)
    for at in ("2026-09-03T12:00:00Z", "2026-09-10T12:00:00Z", "2026-09-24T12:00:00Z"):
        ok(run("sent", iid, "--at", at))
    configure(home, FOUR_STEPS)
    out = ok(run("agenda", "--as-of", "2026-09-25T12:00:00Z")).out
    assert f"{iid}  Acme — final note sent: let it go" in out


def test_config_set_refuses_a_default_duration_no_interview_lasts(run: Run, home: Path) -> None:
    """Accepted before, it made every later add fail."""
    r = run("config", "set", "policy.default_duration_minutes", "100000")
    assert (r.code, r.err.count("\n")) == (ExitCode.INVALID, 1), r.err
    assert "an interview lasts 5 to 480 minutes" in r.err
    assert ok(run("config", "set", "policy.default_duration_minutes", "90")).code == 0


def test_debrief_with_only_a_tone_says_the_tone_was_set(run: Run, home: Path) -> None:
    """It said "Recorded 0 debrief entries" (issue #12's trial, item 7)."""
    configure(home, "")
    iid = add_ada(run)
    out = ok(run("debrief", iid, "--tone", "casual")).out
    assert "Recorded 0" not in out
    assert "Tone: casual, for this application's notes." in out
    out = ok(run("debrief", iid, "--promised-by", "2026-09-04")).out
    assert "No follow-up before the working day after 2026-09-04." in out


@pytest.mark.parametrize("step", ["0", "-1", "5", "99999999999999999999"])
def test_a_step_the_policy_lacks_is_one_line_and_exit_4(run: Run, home: Path, step: str) -> None:
    """`draft --step 0` was click's exit 2 while `--step 5` was the policy's exit 4."""
    configure(home, "")
    iid = add_ada(run)
    for command in (("draft", iid, "--step", step), ("lint", "--step", step)):
        r = run(*command, stdin="Subject: x\n\nThank you.")
        assert (r.code, r.err) == (
            ExitCode.INVALID,
            "followup: error: step must be between 1 and 3\n",
        ), command


def test_a_steps_wait_reads_the_same_everywhere(run: Run, home: Path) -> None:
    """100h read "4.16667 days" in policy show and show's timeline, "100 h" in messages."""
    configure(home, "[policy]\ncustom = true\n" + ARTICLE_STEPS.replace('"7d"', '"100h"'))
    assert "100 h after previous sent" in ok(run("policy", "show")).out
    iid = add_ada(run)
    assert "follow-up: 100 h after the previous note" in ok(run("show", iid)).out
    r = run("sent", iid, "--at", "2026-09-03T12:00:00Z")
    r = run("sent", iid, "--at", "2026-09-04T12:00:00Z")
    assert "(100 h after the thank-you was sent)" in r.err


def test_a_json_note_numbered_past_the_policy_counts_for_its_kinds_step(
    run: Run, home: Path, tmp_path: Path
) -> None:
    """A check-in at step 9 (the policy's check-in is step 4) was imported, then left out of
    the CSV. By planner.notes_by_step it is step 4's: kept, and in check_in_sent_at. Not
    refused: a sent note keeps the number it went out at, so after a step before it was
    removed a real history has such notes too, and the JSON export keeps everything."""
    import json

    configure(home, FOUR_STEPS)
    iid = add_ada(run)
    for at in ("2026-09-03T12:00:00Z", "2026-09-10T12:00:00Z", "2026-09-24T12:00:00Z"):
        ok(run("sent", iid, "--at", at))
    exported = tmp_path / "all.json"
    ok(run("export", "--output", str(exported)))
    data = json.loads(exported.read_text())
    text = json.dumps(data)
    assert '"step": 4, "kind": "check-in"' in text
    edited = text.replace(
        '"step": 4, "kind": "check-in", "state": "pending"',
        '"step": 9, "kind": "check-in", "state": "sent"',
    )
    data = json.loads(edited)
    for note in (n for a in data["applications"] for i in a["interviews"] for n in i["notes"]):
        if note["step"] == 9:
            note["sent_at"] = "2026-10-27T09:30:00Z"
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(data))
    other = tmp_path / "other"
    configure(other, FOUR_STEPS)
    ok(run("--home", str(other), "import", str(changed)))
    csv_file = tmp_path / "again.csv"
    ok(run("--home", str(other), "export", "--output", str(csv_file)))
    [row] = list(csv.DictReader(io.StringIO(csv_file.read_text())))
    assert row["check_in_sent_at"] == "2026-10-27T09:30:00Z"
