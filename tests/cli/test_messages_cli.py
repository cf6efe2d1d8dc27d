"""Debrief and drafts through the CLI: per-interviewer notes, tone, lint, edit, .eml, mailto."""

from __future__ import annotations

import email
import email.policy
import os
import stat
from pathlib import Path
from urllib.parse import unquote

import pytest

from tests.conftest import Run


def panel(run: Run, culture: str = "startup") -> str:
    run("config", "set", "user.name", "Grace Hopper")
    run("config", "set", "user.email", "grace@example.org")
    created = run(
        "add", "--company", "Acme", "--role", "Backend Engineer", "--culture", culture,
        "--at", "2026-11-23T14:00", "--tz", "Europe/Berlin",
        "--interviewer", "Ada Lovelace <ada@acme.example>",
        "--interviewer", "Bob Stone <bob@acme.example>", "--json",
    )  # fmt: skip
    iid = str(created.json["id"])
    ada = ("--interviewer", "ada@acme.example", "--topic", "the billing rewrite")
    assert run("debrief", iid, *ada, "--skill", "PostgreSQL").code == 0
    bob = ("--interviewer", "bob@acme.example", "--topic", "on-call load")
    news = ("--note", "I wrote up how we halved pages")
    assert run("debrief", iid, *bob, "--skill", "incident response", *news).code == 0
    return iid


def test_a_panel_gets_one_distinct_note_each_citing_their_own_topic(run: Run) -> None:
    iid = panel(run)
    drafts = run("draft", iid, "--json").json
    assert [d["to"] for d in drafts] == [
        "Ada Lovelace <ada@acme.example>",
        "Bob Stone <bob@acme.example>",
    ]
    ada, bob = drafts
    assert "the billing rewrite" in ada["body"] and "PostgreSQL" in ada["body"]
    assert "on-call load" in bob["body"] and "billing" not in bob["body"]
    assert ada["body"].startswith("Hi Ada,") and "Grace Hopper" in ada["body"]
    for d in drafts:
        reason = "casual: the company's culture is startup"
        assert (d["tone"], d["tone_reason"]) == ("casual", reason)
        assert [f for f in d["lint"] if f["severity"] == "error"] == []
        assert d["kind"] == "thank-you" and d["subject"]
        assert d["message_id"].startswith("<") and d["message_id"].endswith("@example.org>")


def test_draft_for_one_interviewer_is_an_object_and_keeps_its_message_id(run: Run) -> None:
    iid = panel(run)
    first = run("draft", iid, "--interviewer", "ada@acme.example", "--json").json
    again = run("draft", iid, "--interviewer", "ada@acme.example", "--json").json
    assert first["message_id"] == again["message_id"]
    shown = run("show", iid, "--json").json["notes"]
    assert first["message_id"] in {n["message_id"] for n in shown}


def test_tone_follows_the_culture_and_can_be_overridden(run: Run) -> None:
    iid = panel(run, culture="corporate")
    d = run("draft", iid, "--interviewer", "ada@acme.example", "--json").json
    assert d["tone"] == "formal" and d["body"].startswith("Dear Ada Lovelace,")
    run("debrief", iid, "--tone", "casual")
    d = run("draft", iid, "--interviewer", "ada@acme.example", "--json").json
    assert d["tone"] == "casual" and "chosen by you" in d["tone_reason"]


def test_follow_up_threads_under_the_thank_you_and_adds_the_news(run: Run) -> None:
    iid = panel(run)
    thanks = run("draft", iid, "--interviewer", "bob@acme.example", "--json").json
    run("sent", iid, "--at", "2026-11-25T15:00:00Z", now="2026-11-25T16:00:00Z")
    follow = run("draft", iid, "--interviewer", "bob@acme.example", "--json",
                 now="2026-12-03T10:00:00Z").json  # fmt: skip
    assert follow["step"] == 2 and follow["kind"] == "follow-up"
    assert follow["subject"] == "Re: " + thanks["subject"]
    assert follow["in_reply_to"] == thanks["message_id"]
    assert "I wrote up how we halved pages" in follow["body"]
    assert follow["body"] != thanks["body"]


def test_people_output_shows_tone_reason_and_lint(run: Run) -> None:
    iid = panel(run)
    out = run("draft", iid, "--interviewer", "ada@acme.example").out
    assert "Tone: casual: the company's culture is startup" in out
    assert "lint: ok" in out


def test_no_debrief_gives_no_placeholder_but_lint_errors(run: Run) -> None:
    created = run("add", "--company", "Initech", "--role", "Dev",
                  "--at", "2026-11-23T10:00:00Z", "--json").json  # fmt: skip
    d = run("draft", str(created["id"]), "--json").json
    assert "[" not in d["body"]  # nothing that could be sent unfilled
    rules = {f["rule"] for f in d["lint"] if f["severity"] == "error"}
    assert "placeholder" not in rules and "no-skill" in rules


def test_edit_keeps_the_users_text_and_relints_it(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    iid = panel(run)
    editor = tmp_path / "editor.sh"
    note = "Subject: Hello\\n\\nHi Ada, just checking in. Any update?\\n"
    editor.write_text(f"#!/bin/sh\nprintf '{note}' > \"$1\"\n")
    editor.chmod(editor.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("EDITOR", str(editor))
    monkeypatch.setenv("VISUAL", str(editor))
    edited = run("draft", iid, "--interviewer", "ada@acme.example", "--edit", "--json").json
    assert edited["subject"] == "Hello" and edited["edited"] is True
    assert "pushy" in {f["rule"] for f in edited["lint"]}
    monkeypatch.delenv("EDITOR")
    monkeypatch.delenv("VISUAL")
    kept = run("draft", iid, "--interviewer", "ada@acme.example", "--json").json
    assert kept["body"].startswith("Hi Ada, just checking in.")


def test_eml_is_a_standards_correct_message(run: Run, tmp_path: Path) -> None:
    iid = panel(run)
    target = tmp_path / "ada.eml"
    r = run("draft", iid, "--interviewer", "ada@acme.example", "--eml", str(target), "--json")
    assert r.code == 0, r.err
    raw = target.read_bytes()
    assert all(len(line) <= 998 for line in raw.split(b"\r\n"))
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert msg["From"] == "Grace Hopper <grace@example.org>"
    assert msg["To"] == "Ada Lovelace <ada@acme.example>"
    assert msg["Subject"] == r.json["subject"]
    assert msg["Message-ID"] == r.json["message_id"]
    assert msg["Date"] is not None
    assert msg.get_content().replace("\r\n", "\n").rstrip() == r.json["body"].rstrip()


def test_eml_for_a_panel_writes_one_file_each(run: Run, tmp_path: Path) -> None:
    iid = panel(run)
    out = tmp_path / "notes"
    assert run("draft", iid, "--eml", str(out)).code == 0
    assert sorted(os.listdir(out)) == [
        f"{iid}-1-ada@acme.example.eml",
        f"{iid}-1-bob@acme.example.eml",
    ]


def test_a_panel_note_already_sent_is_shown_as_sent_not_as_one_to_send(
    run: Run, tmp_path: Path
) -> None:
    """The thank-you went to Ada only: `draft` says hers is done and checks only Bob's; an
    .eml of hers says why there is none (marked sent by hand: no message was written)."""
    iid = panel(run)
    sent = ("sent", iid, "--interviewer", "ada@acme.example")
    assert run(*sent, now="2026-11-25T15:00:00Z").code == 0
    ada, bob = run("draft", iid, "--json").json
    assert ada["sent_at"] == "2026-11-25T15:00:00Z" and bob["sent_at"] is None
    text = run("draft", iid).out
    ada_text, bob_text = text.split("─" * 60)
    assert "Sent Wed 25 Nov 2026 16:00 CET: nothing to do for this one." in ada_text
    assert "lint:" not in ada_text and "lint:" in bob_text and "Sent " not in bob_text
    out = tmp_path / "ada.eml"
    r = run("draft", iid, "--interviewer", "ada@acme.example", "--eml", str(out))
    assert r.code == 4 and not out.exists()
    assert r.err == (
        "followup: error: the thank-you to Ada Lovelace <ada@acme.example> was recorded as"
        " sent (Wed 25 Nov 2026 16:00 CET): nothing to write as .eml\n"
    )


def test_mailto_link(run: Run) -> None:
    iid = panel(run)
    link = run("draft", iid, "--interviewer", "ada@acme.example", "--mailto").out.strip()
    assert link.startswith("mailto:")
    assert "ada%40acme.example" in link or "ada@acme.example" in link
    assert "the billing rewrite" in unquote(link)


def test_promised_date_in_the_debrief_holds_the_follow_up_not_the_thank_yous(run: Run) -> None:
    iid = panel(run)
    assert run("debrief", iid, "--promised-by", "2026-12-04").code == 0  # a Friday
    assert run("agenda", "--json").json[0]["due_at"] == "2026-11-25T14:00:00Z"  # 48 h on
    assert run("sent", iid, now="2026-11-25T14:00:00Z").code == 0
    # the follow-up could go Wed 2 Dec: held to Monday 7 Dec 09:00 Berlin
    assert run("agenda", "--json").json[0]["due_at"] == "2026-12-07T08:00:00Z"


def test_interactive_debrief_asks_for_each_interviewer(run: Run) -> None:
    iid = panel(run)
    answers = "the data platform\nKafka\n\nmentoring\nPython\nan idea\n2026-12-10\n"
    r = run("debrief", iid, "--interactive", stdin=answers)
    assert r.code == 0, r.err
    topics = {d["topic"] for d in run("show", iid, "--json").json["debrief"]}
    assert {"the data platform", "mentoring"} <= topics
    assert run("show", iid, "--json").json["expect_by"] == "2026-12-10"


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("draft", "99"), 3),
        (("draft", "1", "--interviewer", "nobody@acme.example"), 3),
        (("debrief", "1", "--interviewer", "nobody@acme.example", "--topic", "x"), 3),
        (("debrief", "1", "--promised-by", "someday"), 4),
        (("debrief", "1"), 4),
    ],
)
def test_bad_input(run: Run, args: tuple[str, ...], code: int) -> None:
    panel(run)
    r = run(*args, stdin="")
    assert r.code == code
    assert r.err.count("\n") == 1 and r.err.startswith("followup: error:")


def test_eml_needs_the_users_address(run: Run, tmp_path: Path) -> None:
    created = run("add", "--company", "A", "--role", "B", "--at", "2026-11-23T10:00:00Z",
                  "--interviewer", "Ada <ada@a.example>", "--json").json  # fmt: skip
    r = run("draft", str(created["id"]), "--eml", str(tmp_path / "x.eml"))
    assert r.code == 4 and "user.email" in r.err
    assert not (tmp_path / "x.eml").exists()


def test_a_company_corrected_after_a_hand_edit_says_the_own_text_still_names_the_old_one(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bob's generated note follows a correction; Ada's own words never change by
    themselves, so the edit says which still name the company as it was."""
    iid = panel(run)
    editor = tmp_path / "editor.sh"
    note = "Subject: Thank you\\n\\nHi Ada, thank you for the chat about Acme and the billing"
    note += " rewrite. My PostgreSQL work fits it.\\n\\nGrace Hopper\\n"
    editor.write_text(f"#!/bin/sh\nprintf '{note}' > \"$1\"\n")
    editor.chmod(editor.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("EDITOR", str(editor))
    monkeypatch.setenv("VISUAL", str(editor))
    assert run("draft", iid, "--interviewer", "ada@acme.example", "--edit").code == 0
    monkeypatch.delenv("EDITOR")
    monkeypatch.delenv("VISUAL")
    r = run("edit", iid, "--company", "Initrode")
    assert r.code == 0, r.err
    assert (
        f"your own text of the thank-you to Ada Lovelace still says 'Acme': followup draft"
        f" {iid} --interviewer ada@acme.example --edit"
    ) in r.out
    assert "Bob" not in r.out.split("company: Acme → Initrode")[1]  # his note is re-drafted
    bob = run("draft", iid, "--interviewer", "bob@acme.example", "--json").json
    assert "Initrode" in bob["body"]
    assert not [f for f in bob["lint"] if f["rule"] == "wrong-name"]
    # a cold trial (session 17): said once, then "lint: ok", approved and sent as it was
    ada = run("draft", iid, "--interviewer", "ada@acme.example", "--json").json
    [stale] = [f for f in ada["lint"] if f["rule"] == "wrong-name"]
    assert stale["severity"] == "error"
    assert stale["message"].startswith('still says "Acme" as it was before your correction')
    assert run("undo", iid).code == 0  # the company is Acme again: nothing out of date
    ada = run("draft", iid, "--interviewer", "ada@acme.example", "--json").json
    assert not [f for f in ada["lint"] if f["rule"] == "wrong-name"]


def _editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str) -> None:
    editor = tmp_path / "editor.sh"
    editor.write_text(f"#!/bin/sh\n{script}\n")
    editor.chmod(editor.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("EDITOR", str(editor))
    monkeypatch.setenv("VISUAL", str(editor))


def test_own_text_can_be_dropped_for_the_generated_one_again(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """There was no way back: an emptied file kept an empty body "(your edited text)"."""
    iid = panel(run)
    ada = ("--interviewer", "ada@acme.example")
    generated = run("draft", iid, *ada, "--json").json
    _editor(tmp_path, monkeypatch, "printf 'Subject: Hi\\n\\nHi Ada, my own words.\\n' > \"$1\"")
    assert run("draft", iid, *ada, "--edit").code == 0
    assert run("draft", iid, *ada, "--json").json["edited"] is True
    r = run("draft", iid, *ada, "--reset", "--json")
    assert r.code == 0, r.err
    assert (r.json["body"], r.json["edited"]) == (generated["body"], False)
    assert run("history", iid, "--json").json[-1]["summary"] == (
        "went back to the generated thank-you to Ada Lovelace"
    )
    # an emptied text does the same
    assert run("draft", iid, *ada, "--edit").code == 0
    _editor(tmp_path, monkeypatch, ': > "$1"')
    assert run("draft", iid, *ada, "--edit").code == 0
    again = run("draft", iid, *ada, "--json").json
    assert (again["body"], again["edited"]) == (generated["body"], False)


def test_send_when_due_needs_an_outgoing_server_to_promise_anything(run: Run) -> None:
    """A cold trial: approved with no mail server set up, Today said "goes out by itself
    when due" while nothing could ever send it."""
    iid = panel(run)
    r = run("send", iid, "--when-due", "--interviewer", "ada@acme.example")
    assert r.code == 4
    assert r.err == (
        "followup: error: no outgoing mail server is set up, so nothing could send it when"
        " due: set one first (followup config set mail.smtp_host HOST, or Settings → Mail)\n"
    )
    assert all(n["approved_at"] is None for n in run("show", iid, "--json").json["notes"])


def test_a_topic_corrected_with_replace_is_the_one_the_thank_you_cites(run: Run) -> None:
    """A cold trial (session 15): the corrected topic went into the follow-up, the wrong one
    stayed in the thank-you, and a skill typed again ("Tablaeu", then "Tableau") was ignored."""
    iid = panel(run)
    ada = ("--interviewer", "ada@acme.example")
    added = run("debrief", iid, *ada, "--topic", "the invoicing backlog", "--skill", "Postgres")
    assert added.code == 0, added.err
    # where a second topic goes is said, with the way to correct one instead
    assert 'thank-you: "the billing rewrite"; follow-up: "the invoicing backlog"' in added.out
    assert "--replace" in added.out
    thanks = run("draft", iid, *ada, "--json").json
    assert "the billing rewrite" in thanks["body"] and "Postgres" in thanks["body"]
    assert "PostgreSQL" not in thanks["body"]  # the skill given last is the one
    fixed = run("debrief", iid, *ada, "--topic", "the dunning rewrite", "--replace")
    assert fixed.code == 0, fixed.err
    assert "It replaces 2 earlier topics." in fixed.out  # both, not only the last
    body = run("draft", iid, *ada, "--json").json["body"]
    assert "the dunning rewrite" in body and "billing" not in body and "invoicing" not in body
    assert "Postgres" in body  # the skill stays
    bob = run("draft", iid, "--interviewer", "bob@acme.example", "--json").json["body"]
    assert "on-call load" in bob  # another panellist's topics are untouched
    said = run("history", iid).out
    assert "the earlier topics replaced; topic: the dunning rewrite" in said
    assert run("undo", iid).code == 0
    assert "the billing rewrite" in run("draft", iid, *ada, "--json").json["body"]


def test_replace_without_a_topic_is_refused(run: Run) -> None:
    iid = panel(run)
    r = run("debrief", iid, "--interviewer", "ada@acme.example", "--skill", "SQL", "--replace")
    assert (r.code, r.out) == (4, "")
    assert r.err.strip() == (
        "followup: error: --replace replaces the topics: give the right one with --topic"
    )
    assert "experience in SQL" not in run("draft", iid, "--interviewer", "ada@acme.example").out
    assert "PostgreSQL" in run("draft", iid, "--interviewer", "ada@acme.example").out


@pytest.mark.parametrize(
    ("topic", "said"),
    [
        ("about the Q3 roadmap", "starts with 'about': give the point itself, e.g. 'the Q3"),
        ("talked about pricing", "starts with 'talked about'"),
        ("re: pricing", "starts with 're:'"),
        ("the", "looks like a placeholder"),
        ("...", "looks like a placeholder"),
        ("see notes", "looks like a placeholder"),
    ],
)
def test_a_hurried_topic_is_refused_with_the_point_to_give(run: Run, topic: str, said: str) -> None:
    """A cold trial (session 15): these read "walking me through about the Q3 roadmap" and
    "walking me through the talked about pricing", and lint passed them."""
    iid = panel(run)
    r = run("debrief", iid, "--interviewer", "ada@acme.example", "--topic", topic)
    assert r.code == 4 and said in r.err, r.err
    assert r.err.count("\n") == 1


@pytest.mark.parametrize("topic", ["the about page redesign", "covered call strategy"])
def test_a_topic_that_merely_holds_those_words_is_kept(run: Run, topic: str) -> None:
    iid = panel(run)
    assert run("debrief", iid, "--interviewer", "ada@acme.example", "--topic", topic).code == 0


def test_a_note_with_nobody_to_go_to_says_the_command_that_adds_them(run: Run) -> None:
    """A cold trial (session 17): "add one with --interviewer" — `send --interviewer` then
    said "no pending note" and `edit --interviewer` wanted --name or --email."""
    nobody = run("add", "--company", "A", "--role", "B", "--at", "2026-11-23T10:00:00Z",
                 "--json").json["id"]  # fmt: skip
    r = run("draft", str(nobody), "--mailto")
    assert r.code == 4
    assert r.err.splitlines()[-1] + "\n" == (
        f"followup: error: no interviewer recorded for interview {nobody}: add whom you met"
        f' with followup edit {nobody} --add-interviewer "Name <address>"\n'
    )
    ann = run("add", "--company", "C", "--role", "B", "--at", "2026-11-23T10:00:00Z",
              "--interviewer", "Ann Lee", "--json").json["id"]  # fmt: skip
    r = run("draft", str(ann), "--mailto")
    assert r.err.splitlines()[-1] + "\n" == (
        "followup: error: no e-mail address for Ann Lee: add it with followup edit"
        f' {ann} --interviewer "Ann Lee" --email ADDRESS\n'
    )
    fixed = run("edit", str(ann), "--interviewer", "Ann Lee", "--email", "ann@c.example")
    assert fixed.code == 0, fixed.err  # the command it names works as written
    assert run("draft", str(ann), "--mailto").out.startswith("mailto:ann@c.example")
