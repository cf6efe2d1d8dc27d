"""Decisions the use-cases own, seen through the CLI: a tone, the "too early" warning, .eml."""

from __future__ import annotations

import json
from pathlib import Path

from followup.app.errors import ExitCode
from tests.conftest import Run


def _interview(run: Run, *extra: str) -> str:
    r = run("add", "--company", "Acme", "--role", "Eng", "--at", "2026-11-16T10:00",
            "--tz", "Europe/Berlin", "--interviewer", "Ada <ada@acme.example>",
            "--topic", "the billing rewrite", "--skill", "PostgreSQL", *extra,
            "--json")  # fmt: skip
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
    fresh = ("--home", str(tmp_path / "fresh"))  # (here it is there already)
    imported = run(*fresh, "import", str(path), "--json")
    assert imported.code == 0, imported.err
    new_id = str(imported.json["interviews"][0]["id"])
    drafted = run(*fresh, "draft", new_id, "--json")
    assert drafted.code == 0, drafted.err
    assert drafted.json["tone"] == "casual"


# --- recording a note sent too early -------------------------------------------------------


def test_a_note_recorded_early_is_warned_about_with_its_own_steps_rule(run: Run) -> None:
    iid = _interview(run)  # ended 2026-11-16 10:00 UTC
    # 25 h before the 48 h are up
    thanks = run("sent", iid, "--at", "2026-11-17T09:00Z", "--force")
    assert thanks.code == 0, thanks.err
    assert thanks.err == (
        "followup: warning: that was 1 day 1 h earlier than the etiquette allows"
        " (48 h after the interview)\n"
    )
    # a day before 7 days are up
    follow_up = run("sent", iid, "--at", "2026-11-23T09:00Z", "--force")
    assert follow_up.code == 0, follow_up.err
    assert follow_up.err == (
        "followup: warning: that was 1 day earlier than the etiquette allows"
        " (7 days after the thank-you was sent)\n"
    )
    assert "Recorded the follow-up (1 note) as sent." in follow_up.out


def test_a_note_recorded_in_time_has_no_warning(run: Run) -> None:
    iid = _interview(run)
    assert run("sent", iid, "--at", "2026-11-18T10:00Z").err == ""


# --- a draft as .eml ----------------------------------------------------------------------


def test_a_panels_eml_files_have_safe_names_and_quoted_names(run: Run, tmp_path: Path) -> None:
    import email
    import email.policy

    iid = _interview(run, "--interviewer", '"Lovelace, Ada" <a/b@acme.example>')
    run("config", "set", "user.email", "grace@example.org")
    out = tmp_path / "panel"
    r = run("draft", iid, "--eml", str(out))
    assert r.code == 0, r.err
    names = sorted(p.name for p in out.iterdir())
    assert names == [f"{iid}-1-a_b@acme.example.eml", f"{iid}-1-ada@acme.example.eml"]
    raw = (out / names[0]).read_bytes()
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    [to] = msg["To"].addresses
    assert (to.display_name, to.addr_spec) == ("Lovelace, Ada", "a/b@acme.example")


# --- sending every due note: the brake is the use-case's ----------------------------------


def test_send_due_brakes_for_any_caller(run: Run, home: Path) -> None:
    """Not only `send --due`: whoever asks app/sending.send_due gets the brake."""
    import pytest

    from followup.adapters.mail.fake import FakeMailbox, FakeMailer
    from followup.adapters.mail.message import compose
    from followup.app import sending
    from followup.app.errors import Conflict
    from followup.bootstrap import open_context

    assert run("config", "set", "user.name", "Grace").code == 0  # signed: lint-clean notes
    _interview(run)
    _interview(run, "--role", "Platform Eng")  # the same role and start twice is refused
    ctx = open_context(str(home))
    mailer = FakeMailer()
    outbox = sending.Outbox("Grace <grace@example.org>", "grace@example.org", compose, mailer,
                            FakeMailbox())  # fmt: skip

    def unreadable() -> None:
        raise OSError("connection refused")

    def send_due(**given: object) -> list[sending.Sent]:
        options: dict[str, object] = {"read_inbox": None, "max_batch": 5, "to_drafts": False}
        return sending.send_due(ctx, outbox, **{**options, **given})  # type: ignore[arg-type]

    with pytest.raises(Conflict, match="more than 1 notes are due at once"):
        send_due(max_batch=1)
    notices: list[str] = []
    with pytest.raises(Conflict, match="your inbox could not be read"):
        send_due(read_inbox=unreadable, notice=notices.append)
    assert notices == ["could not read your inbox first: connection refused"]
    with pytest.raises(Conflict, match=r"no inbox is set up \(IMAP\)"):
        send_due()  # no IMAP at all: a reply could be missed just the same (and said so)
    assert mailer.sent == []
    results = send_due(read_inbox=lambda: None)
    assert [r.outcome for r in results] == ["sent", "sent"] and len(mailer.sent) == 2
    assert send_due(read_inbox=lambda: None) == []  # nothing due any more


def test_send_one_interview_reads_the_inbox_first_and_brakes_when_it_cannot(
    run: Run, home: Path
) -> None:
    """`send ID` reads new mail first (issue #15); an unreadable inbox stops it unless yes."""
    import pytest

    from followup.adapters.mail.fake import FakeMailbox, FakeMailer
    from followup.adapters.mail.message import compose
    from followup.app import sending
    from followup.app.errors import Conflict
    from followup.bootstrap import open_context

    assert run("config", "set", "user.name", "Grace").code == 0  # signed: lint-clean notes
    _interview(run)
    ctx = open_context(str(home))
    mailer = FakeMailer()
    outbox = sending.Outbox("Grace <grace@example.org>", "grace@example.org", compose, mailer,
                            FakeMailbox())  # fmt: skip
    read: list[str] = []

    def unreadable() -> None:
        raise OSError("connection refused")

    notices: list[str] = []
    with pytest.raises(Conflict, match="your inbox could not be read"):
        sending.send_interview(ctx, outbox, 1, to_drafts=False, read_inbox=unreadable,
                               notice=notices.append)  # fmt: skip
    assert notices == ["could not read your inbox first: connection refused"]
    assert mailer.sent == []
    done = sending.send_interview(ctx, outbox, 1, to_drafts=False,
                                  read_inbox=lambda: read.append("inbox"))  # fmt: skip
    assert read == ["inbox"] and [r.outcome for r in done] == ["sent"]
