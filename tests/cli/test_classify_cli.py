"""`followup classify` through the real entry point: output, --json, stdin, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from followup.app.errors import ExitCode
from tests.conftest import Run

MAIL = Path(__file__).parent.parent / "fixtures" / "mail"
OOO = str(MAIL / "synthesized_ooo_no_rfc3834_headers.eml")
BOUNCE = str(MAIL / "synthesized_bounce_with_our_message_id_attached.eml")
KEYS = {
    "kind", "reason", "return_date", "failed_recipients", "language", "company", "role",
    "message_id", "from", "subject", "references",
}  # fmt: skip


def test_an_out_of_office_shows_its_reason_and_return_date(run: Run) -> None:
    result = run("classify", OOO)
    assert (result.code, result.err) == (0, "")
    assert result.out == (
        "kind:        auto-reply\n"
        "reason:      subject says Automatic reply\n"
        "return date: 2026-12-07\n"
        "failed:      —\n"
        "language:    en\n"
        "company:     —\n"
        "role:        —\n"
    )


def test_a_bounce_shows_the_failed_recipients(run: Run) -> None:
    result = run("classify", BOUNCE)
    assert result.code == 0
    assert result.out.splitlines() == [
        "kind:        bounce",
        "reason:      DSN Action: failed for ada@acme.example",
        "return date: —",
        "failed:      ada@acme.example",
        "language:    en",
        "company:     —",
        "role:        —",
    ]


def test_json_has_stable_keys(run: Run) -> None:
    result = run("classify", OOO, "--json")
    assert result.code == 0
    assert result.json == {
        "kind": "auto-reply",
        "reason": "subject says Automatic reply",
        "return_date": "2026-12-07",
        "failed_recipients": [],
        "language": "en",
        "company": None,
        "role": None,
        "message_id": "<AM6PR02MB44238F1C2D3E4F5A6B7C8D9EA0B1C2D3E4F5A"
        "@AM6PR02MB4423.eurprd02.prod.outlook.com>",
        "from": "ada.lovelace@acme.example",
        "subject": "Automatic reply: Thank you for Monday's interview",
        "references": ["<20261124100000.a1b2c3d4e5f60718@home.example>"],
    }


def test_json_of_a_bounce_keeps_our_id_out_of_references(run: Run) -> None:
    data = run("classify", "--json", BOUNCE).json
    assert set(data) == KEYS
    assert (data["kind"], data["return_date"]) == ("bounce", None)
    assert data["failed_recipients"] == ["ada@acme.example"]
    assert data["references"] == []


def test_every_fixture_classifies_with_the_same_keys(run: Run) -> None:
    kinds = {}
    for path in sorted(MAIL.glob("synthesized_*.eml")):
        result = run("classify", str(path), "--json")
        assert result.code == 0, (path.name, result.err)
        assert set(result.json) == KEYS
        kinds[path.name] = result.json["kind"]
    assert kinds["synthesized_newsletter.eml"] == "unrelated"
    assert kinds["synthesized_delayed_dsn.eml"] == "notification"
    assert kinds["synthesized_human_reply_quoting_ooo_phrase.eml"] == "human"
    # a cold trial's inbox (session 15): each of these was read the other way round
    assert kinds["synthesized_calendar_accepted_reply.eml"] == "notification"  # not "replied"
    assert kinds["synthesized_human_reply_on_vacation.eml"] == "human"  # not an out-of-office
    assert kinds["synthesized_ooo_japanese_no_header.eml"] == "auto-reply"
    assert kinds["synthesized_newsletter_no_list_headers.eml"] == "unrelated"


def test_stdin_with_a_dash(run: Run) -> None:
    text = (MAIL / "synthesized_ooo_german_with_return_date.eml").read_text()
    result = run("classify", "-", "--json", stdin=text)
    assert result.code == 0, result.err
    assert result.json["kind"] == "auto-reply"
    assert result.json["return_date"] == "2026-12-07"
    assert result.json["subject"] == "Abwesenheitsnotiz: Vielen Dank für das Gespräch"


def test_a_message_without_a_date_reads_the_year_from_today(run: Run) -> None:
    message = "From: a@b.example\nSubject: Out of Office\n\nI am out until January 5.\n"
    result = run("classify", "-", "--json", stdin=message, now="2026-12-20T09:00:00Z")
    assert result.json["return_date"] == "2027-01-05"


def test_a_missing_file_is_one_line_and_exit_4(run: Run, tmp_path: Path) -> None:
    missing = tmp_path / "nope.eml"
    result = run("classify", str(missing))
    assert result.code == ExitCode.INVALID
    assert result.err == f"followup: error: cannot read {missing}: No such file or directory\n"
    assert result.out == ""


def test_a_directory_or_an_empty_file_is_exit_4(run: Run, tmp_path: Path) -> None:
    result = run("classify", str(tmp_path))
    assert (result.code, result.err.count("\n")) == (4, 1)
    empty = tmp_path / "empty.eml"
    empty.write_bytes(b"")
    result = run("classify", str(empty))
    assert result.code == 4
    assert result.err == f"followup: error: {empty} is not an e-mail message (no header found)\n"


def test_garbage_that_has_a_header_is_classified_not_refused(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "garbage.eml"
    path.write_bytes(b"X: \xff\xfe\x00\n\n\x00\x01\x02" * 50)
    result = run("classify", str(path), "--json")
    assert result.code == 0
    assert result.json["kind"] == "human"


def test_a_missing_argument_is_a_usage_error(run: Run) -> None:
    assert run("classify").code == ExitCode.USAGE


def test_help_does_not_import_the_email_package(tmp_path: Path) -> None:
    probe = (
        "import json, sys\n"
        "from followup.cli.entry import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
    )
    env = {**os.environ, "FOLLOWUP_HOME": str(tmp_path)}
    for args in (["--help"], ["classify", "--help"]):
        proc = subprocess.run(
            [sys.executable, "-c", probe, *args], capture_output=True, text=True, env=env
        )
        loaded = set(json.loads(proc.stderr.strip().splitlines()[-1]))
        assert "email.parser" not in loaded, args
        assert "followup.adapters.mail.inbound" not in loaded, args
        assert "followup.domain.replies" not in loaded, args


def test_a_message_over_the_size_cap_is_refused_in_one_line(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading stops at the cap (64 MB; small here): `classify /dev/zero` once read until
    memory ran out."""
    monkeypatch.setattr("followup.cli.mail_read.MAX_MESSAGE_BYTES", 1000, raising=False)
    big = tmp_path / "big.eml"
    big.write_bytes(Path(OOO).read_bytes()[:990].ljust(1001, b"x"))
    result = run("classify", str(big))
    assert result.code == ExitCode.INVALID
    assert result.err == f"followup: error: {big} is over 1,000 bytes: not one e-mail message\n"
    result = run("classify", "-", stdin=big.read_text())
    assert result.code == ExitCode.INVALID
    assert "stdin is over" in result.err
    big.write_bytes(big.read_bytes()[:1000])  # at the cap: read as usual
    assert run("classify", str(big)).code == 0


HIRING = Path(__file__).parent.parent / "fixtures" / "hiring_mail" / "tuning"


def test_a_workday_rejection_names_its_kind_language_company_and_role(run: Run) -> None:
    """Issue #15: an ATS rejection was `unrelated` (or `auto-reply` from Workday)."""
    result = run("classify", str(HIRING / "workday_rejection_auto_submitted.eml"), "--json")
    assert result.code == 0, result.err
    data = result.json
    assert set(data) == KEYS
    assert (data["kind"], data["language"]) == ("rejection", "en")
    assert (data["company"], data["role"]) == ("Pinecrest Bank", "Treasury Analyst")
    assert data["reason"] == ('rejection: the text says "regret to inform" (Workday)')


def test_a_german_final_round_invitation_in_text_output(run: Run) -> None:
    result = run("classify", str(HIRING / "personio_scheduling_de.eml"))
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "kind:        scheduling"
    assert lines[4:] == [
        "language:    de",
        "company:     Nordwind GmbH",
        "role:        Data Engineer (m/w/d)",
    ]
