"""A panel is one conversation (issue #13): a thank-you to each interviewer, then the
follow-up and the final to one primary contact — through the real CLI, sends recorded."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import Run

ADA, BOB, CY = "ada@acme.example", "bob@acme.example", "cy@acme.example"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def add_panel(run: Run, *extra: str) -> str:
    result = run(
        "add",
        "--company", "Acme",
        "--role", "Backend Engineer",
        "--at", "2026-11-23T14:00",  # Monday, Berlin local
        "--tz", "Europe/Berlin",
        "--interviewer", f"Ada Lovelace <{ADA}>",
        "--interviewer", f"Bob Stone <{BOB}>",
        "--interviewer", f"Cy Young <{CY}>",
        "--json",
        *extra,
        now="2026-11-23T16:00:00Z",
    )  # fmt: skip
    assert result.code == 0, result.err
    return str(result.json["id"])


def emails(run: Run, iid: str) -> dict[int, str]:
    shown = run("show", iid, "--json").json
    return {p["id"]: p["email"] for p in shown["interviewers"]}


def sent_notes(run: Run, iid: str) -> list[tuple[str, str]]:
    """(kind, address) of every note recorded as sent, in order."""
    shown = run("show", iid, "--json").json
    who = {p["id"]: p["email"] for p in shown["interviewers"]}
    return [(n["kind"], who[n["interviewer_id"]]) for n in shown["notes"] if n["state"] == "sent"]


def send_everything(run: Run, iid: str) -> None:
    """`followup sent ID` for each step, each a little after it is due, until it is closed."""
    for at in ("2026-11-25T15:00:00Z", "2026-12-02T16:00:00Z", "2026-12-16T16:00:00Z"):
        result = run("sent", iid, "--at", at, now=at)
        assert result.code == 0, result.err


def test_a_panel_of_three_gets_three_thank_yous_then_one_follow_up_and_one_final(
    run: Run,
) -> None:
    iid = add_panel(run)

    send_everything(run, iid)

    assert sent_notes(run, iid) == [
        ("thank-you", ADA),
        ("thank-you", BOB),
        ("thank-you", CY),
        ("follow-up", ADA),  # the first interviewer: no one was marked primary
        ("final", ADA),
    ]
    assert run("show", iid, "--json").json["status"] == "closed"


def test_the_interviewer_marked_primary_gets_the_later_notes(run: Run) -> None:
    iid = add_panel(run, "--primary", BOB)

    send_everything(run, iid)

    assert [n for n in sent_notes(run, iid) if n[0] != "thank-you"] == [
        ("follow-up", BOB),
        ("final", BOB),
    ]
    shown = run("show", iid, "--json").json
    assert [p["primary"] for p in shown["interviewers"]] == [False, True, False]
    assert f"Bob Stone <{BOB}> (primary contact)" in run("show", iid).out


def test_panel_follow_up_all_writes_to_everyone_at_every_step(run: Run) -> None:
    assert run("config", "set", "policy.panel_follow_up", "all").code == 0
    assert "panel_follow_up = all" in run("policy", "show").out
    assert run("policy", "show", "--json").json["panel_follow_up"] == "all"
    iid = add_panel(run)

    send_everything(run, iid)

    assert [kind for kind, _ in sent_notes(run, iid)] == ["thank-you"] * 3 + ["follow-up"] * 3 + [
        "final"
    ] * 3


def test_a_bad_panel_follow_up_is_one_line_and_exit_4(run: Run) -> None:
    result = run("config", "set", "policy.panel_follow_up", "some")
    assert result.code == 4
    assert result.err.count("\n") == 1 and "expected one of primary, all" in result.err
    assert run("policy", "show", "--json").json["panel_follow_up"] == "primary"


def test_changing_the_primary_moves_the_pending_follow_up(run: Run) -> None:
    iid = add_panel(run)
    run("sent", iid, "--at", "2026-11-25T15:00:00Z", now="2026-11-25T15:00:00Z")
    pending = [n for n in run("show", iid, "--json").json["notes"] if n["state"] == "pending"]
    assert [emails(run, iid)[n["interviewer_id"]] for n in pending] == [ADA]

    result = run("debrief", iid, "--interviewer", CY, "--primary", now="2026-11-26T09:00:00Z")

    assert result.code == 0, result.err
    assert f"{CY} is now the primary contact" in result.out
    notes = run("show", iid, "--json").json["notes"]
    later = [(n["state"], emails(run, iid)[n["interviewer_id"]]) for n in notes if n["step"] == 2]
    assert later == [("cancelled", ADA), ("pending", CY)]
    drafts = run("draft", iid, "--json", now="2026-11-26T09:00:00Z")
    assert drafts.code == 0, drafts.err
    assert drafts.json["to"] == f"Cy Young <{CY}>"  # one draft (an object): nobody else


def test_primary_must_name_one_of_the_interviewers(run: Run) -> None:
    result = run("add", "--company", "Acme", "--role", "SRE", "--at", "2026-11-23T14:00",
                 "--interviewer", f"Ada <{ADA}>", "--primary", "eve@evil.example")  # fmt: skip
    assert result.code == 4
    assert "eve@evil.example is none of the interviewers' addresses" in result.err
    iid = add_panel(run)
    assert run("debrief", iid, "--primary").code == 4  # whom? --interviewer is needed
    assert run("debrief", iid, "--interviewer", "eve@evil.example", "--primary").code == 3


def test_an_invitation_s_organizer_is_the_primary_contact(run: Run) -> None:
    imported = run("import", str(FIXTURES / "ics" / "outlook_windows_tzid.ics"), "--json", "--yes")
    assert imported.code == 0, imported.err
    iid = str(imported.json["interviews"][0]["id"])

    people = run("show", iid, "--json").json["interviewers"]

    primary = [p["email"] for p in people if p["primary"]]
    assert primary == ["rita.recruiter@acme.example"]  # the ORGANIZER, listed as interviewer
    marked = [p["email"] for p in export(run)["interviewers"] if p["is_primary"]]
    assert marked == ["rita.recruiter@acme.example"]


def export(run: Run) -> dict[str, list[dict[str, Any]]]:
    """Every interviewer row of a JSON export, keyed by table."""
    result = run("export", "--format", "json")
    assert result.code == 0, result.err
    document = json.loads(result.out)
    rows = [
        person
        for app in document["applications"]
        for interview in app["interviews"]
        for person in interview["interviewers"]
    ]
    return {"interviewers": rows}


def test_the_primary_survives_a_json_export_and_import(run: Run, tmp_path: Path) -> None:
    add_panel(run, "--primary", CY)
    saved = tmp_path / "all.json"
    assert run("export", "--format", "json", "-o", str(saved)).code == 0

    fresh = ("--home", str(tmp_path / "fresh"))  # (here it is there already)
    imported = run(*fresh, "import", str(saved), "--json")

    assert imported.code == 0, imported.err
    iid = str(imported.json["interviews"][0]["id"])
    people = run(*fresh, "show", iid, "--json").json["interviewers"]
    assert [(p["email"], p["primary"]) for p in people] == [(ADA, False), (BOB, False), (CY, True)]
    shown = run(*fresh, "show", iid, "--json").json
    pending = [n for n in shown["notes"] if n["state"] == "pending"]
    assert len(pending) == 3  # a thank-you each, as before the round trip


def test_setting_panel_follow_up_re_plans_the_open_panels(run: Run) -> None:
    iid = add_panel(run)
    run("sent", iid, "--at", "2026-11-25T15:00:00Z", now="2026-11-25T15:00:00Z")

    def pending() -> list[str]:
        notes = run("show", iid, "--json", now="2026-11-26T09:00:00Z").json["notes"]
        return [emails(run, iid)[n["interviewer_id"]] for n in notes if n["state"] == "pending"]

    assert pending() == [ADA]
    assert run("config", "set", "policy.panel_follow_up", "all").code == 0
    assert pending() == [ADA, BOB, CY]
    assert run("config", "set", "policy.panel_follow_up", "primary").code == 0
    assert pending() == [ADA]


def test_the_primary_survives_a_csv_export_and_import(run: Run, tmp_path: Path) -> None:
    add_panel(run, "--primary", BOB)
    add_panel(run, "--role", "Data Engineer")  # none marked: the first stays the default
    saved = tmp_path / "all.csv"
    assert run("export", "--format", "csv", "-o", str(saved)).code == 0
    header, *rows = saved.read_text("utf-8").splitlines()
    assert header.endswith(",primary_contact,next_step_sent_to")
    assert [r.rsplit(",", 2)[1] for r in rows] == [BOB, ""]
    again = run("import", str(saved))  # the same interviews again: refused, naming them
    assert again.code == 4 and "is this one already" in again.err, again.err
    fresh = ("--home", str(tmp_path / "fresh"))  # (cancelled here, they would still be)

    imported = run(*fresh, "import", str(saved), "--json")

    assert imported.code == 0, imported.err
    marked = []
    for item in imported.json["interviews"]:
        people = run(*fresh, "show", str(item["id"]), "--json").json["interviewers"]
        marked.append([p["email"] for p in people if p["primary"]])
    assert marked == [[BOB], [ADA]]  # the second: the first interviewer, by default


def test_a_csv_primary_contact_that_is_not_on_the_panel_is_refused(
    run: Run, tmp_path: Path
) -> None:
    sheet = tmp_path / "in.csv"
    sheet.write_text(
        "company,role,start,interviewers,primary_contact\n"
        f'Acme,SRE,2026-11-23T14:00:00Z,"Ada <{ADA}>; Bob <{BOB}>",eve@evil.example\n',
        "utf-8",
    )

    result = run("import", str(sheet))

    assert result.code == 4
    assert "primary_contact: the primary contact eve@evil.example is none of" in result.err


def test_the_interview_s_topic_is_cited_to_the_primary_contact_alone(run: Run) -> None:
    iid = add_panel(run, "--primary", BOB, "--topic", "the billing rewrite", "--skill", "Go")
    run("debrief", iid, "--interviewer", CY, "--topic", "on-call load")
    now = "2026-11-24T09:00:00Z"

    notes = {d["to"]: d for d in run("draft", iid, "--json", now=now).json}

    bob, ada, cy = (notes[k] for k in (f"Bob Stone <{BOB}>", f"Ada Lovelace <{ADA}>",
                                        f"Cy Young <{CY}>"))  # fmt: skip
    assert "the billing rewrite" in bob["body"]  # the interview's topic: the primary's
    assert "on-call load" in cy["body"] and "billing" not in cy["body"]  # Cy's own
    assert "billing" not in ada["body"]  # nothing debriefed with Ada: no one else's topic
    [missing] = [f for f in ada["lint"] if f["rule"] == "no-specific-point"]
    assert missing["severity"] == "error"
    assert f'followup debrief {iid} --interviewer {ADA} --topic "' in missing["message"]
    shown = run("draft", iid, "--interviewer", ADA, now=now)
    assert f"followup debrief {iid} --interviewer {ADA} --topic" in shown.out


def test_lint_names_the_fix_that_reaches_a_panellist_s_note(run: Run, tmp_path: Path) -> None:
    iid = add_panel(run, "--topic", "the billing rewrite", "--skill", "Go")
    note = tmp_path / "bob.txt"
    note.write_text(
        "Subject: Thank you\n\nHi Bob,\n\nThank you for our conversation about the role.\n\n"
        "I'm excited about joining Acme and bringing my Go experience.\n\nBest,\nGrace\n",
        "utf-8",
    )

    result = run("lint", str(note), "--interview", iid, "--interviewer", BOB)

    assert result.code == 7
    assert f'followup debrief {iid} --interviewer {BOB} --topic "' in result.out
