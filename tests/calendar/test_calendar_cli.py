"""`followup import INVITE.ics|.eml` and `followup export --ics` through the real entry point."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import icalendar
import pytest

from tests.calendar.helpers import fixture, ok, one_error_line, only
from tests.conftest import Run

REQUIRED_KEYS = {"id", "application_id", "start", "tz", "company", "role", "action"}


def imported(run: Run, name: str, *extra: str) -> dict[str, Any]:
    result = ok(run("import", fixture(name), "--json", "--yes", *extra))
    doc: dict[str, Any] = result.json
    assert set(doc) == {"file", "format", "dry_run", "interviews", "warnings"}
    for row in doc["interviews"]:
        assert set(row) >= REQUIRED_KEYS
    return doc


def me(run: Run) -> None:
    ok(run("config", "set", "user.email", "grace@example.org"))


def listed(run: Run) -> list[dict[str, Any]]:
    return ok(run("list", "--json")).json  # type: ignore[no-any-return]


def show(run: Run, interview_id: int) -> dict[str, Any]:
    return ok(run("show", str(interview_id), "--json")).json  # type: ignore[no-any-return]


# --- import: what an invitation becomes -----------------------------------------------------


def test_outlook_invite_with_a_windows_zone_name(run: Run) -> None:
    me(run)
    doc = imported(run, "outlook_windows_tzid.ics")
    row = only(doc["interviews"])
    # 10:00 "Pacific Standard Time" on 30 Nov 2026 is 10:00 PST = 18:00 UTC
    assert row["start"] == "2026-11-30T18:00:00Z"
    assert row["tz"] == "America/Los_Angeles"
    assert (row["company"], row["role"], row["action"]) == ("Acme", "Backend Engineer", "created")
    assert row["uid"].startswith("040000008200E00074C5B7101A82E008")
    assert any("not an address" in w for w in doc["warnings"])  # skipped, not fatal

    detail = show(run, row["id"])
    assert detail["end"] == "2026-11-30T19:00:00Z"
    assert detail["location"] == "SF-4 Golden Gate; 4th floor"
    assert detail["application"]["domains"] == ["acme.example"]
    people = [(p["name"], p["email"]) for p in detail["interviewers"]]
    # the user (grace@), the room and the malformed address are left out; Ada once
    assert people == [
        ("Rita Recruiter", "rita.recruiter@acme.example"),
        ("Ada Lovelace", "ada@acme.example"),
    ]
    assert {n["step"] for n in detail["notes"]} == {1}
    assert len(detail["notes"]) == 2  # a thank-you each


def test_the_users_own_addresses_come_from_the_settings(run: Run) -> None:
    row = only(imported(run, "outlook_windows_tzid.ics")["interviews"])
    emails = [p["email"] for p in show(run, row["id"])["interviewers"]]
    assert "grace@example.org" in emails  # nobody told followup who the user is
    ok(run("config", "set", "mail.aliases", "grace@example.org"))
    other = only(imported(run, "synthesized_outlook_non_ascii_tzid.ics")["interviews"])
    emails = [p["email"] for p in show(run, other["id"])["interviewers"]]
    assert "grace@example.org" not in emails


def test_description_is_kept_as_data_not_as_a_template(run: Run) -> None:
    imported(run, "outlook_windows_tzid.ics")
    detail = ok(run("export", "--format", "json")).json
    interview = only(only(detail["applications"])["interviews"])
    assert interview["description"] == (
        "Hi Grace,\n\nLooking forward to the conversation. {{ config }} is not a template.\n\nRita"
    )


def test_outlook_non_ascii_display_name_zone(run: Run) -> None:
    me(run)
    doc = imported(run, "synthesized_outlook_non_ascii_tzid.ics")
    row = only(doc["interviews"])
    assert row["start"] == "2026-12-01T08:30:00Z"  # 09:30 CET
    assert row["tz"] == "Europe/Madrid"  # the first city of the name the zone data knows
    assert (row["company"], row["role"]) == ("Globex Iberia", "Site Reliability Engineer")
    assert any("Europe/Madrid" in w for w in doc["warnings"])
    names = [p["name"] for p in show(run, row["id"])["interviewers"]]
    assert names == ["Jürgen Müller", "Søren Kierkegaard"]


def test_google_floating_times_use_x_wr_timezone(run: Run) -> None:
    result = ok(run("import", fixture("synthesized_google_floating_with_x_wr_timezone.ics"),
                    "--json", "--yes"))  # fmt: skip
    row = only(result.json["interviews"])
    assert row["start"] == "2026-12-03T19:00:00Z"  # 14:00 in New York (EST)
    assert row["tz"] == "America/New_York"
    assert (row["company"], row["role"]) == ("Initech", "QA Lead")
    assert "floating" not in result.err


def test_floating_time_without_zone_is_read_in_the_users_zone_with_a_warning(run: Run) -> None:
    result = ok(run("import", "--yes", fixture("synthesized_floating_no_zone.ics"), "--json"))
    row = only(result.json["interviews"])
    assert row["start"] == "2026-12-02T14:00:00Z"  # 15:00 in Europe/Berlin (the user's)
    assert row["tz"] == "Europe/Berlin"
    assert "floating time" in result.err and "Europe/Berlin" in result.err
    assert (row["company"], row["role"]) == ("Hooli", "Product Manager")


def test_two_events_import_as_two_interviews(run: Run) -> None:
    rows = imported(run, "synthesized_two_events.ics")["interviews"]
    assert [(r["company"], r["role"], r["start"], r["tz"]) for r in rows] == [
        ("Umbrella Corp", "Data Engineer", "2026-12-07T15:00:00Z", "Europe/Berlin"),
        ("Cyberdyne", "Platform Engineer", "2026-12-08T10:00:00Z", "Europe/London"),
    ]
    assert rows[0]["application_id"] != rows[1]["application_id"]
    assert show(run, rows[0]["id"])["duration_minutes"] == 45  # DURATION:PT45M


def test_dst_fold_takes_the_first_occurrence_and_says_so(run: Run) -> None:
    result = ok(run("import", "--yes", fixture("synthesized_dst_fold_new_york.ics"), "--json"))
    row = only(result.json["interviews"])
    assert row["start"] == "2026-11-01T05:30:00Z"  # 01:30 EDT, the first of the two
    assert "happens twice" in result.err


def test_dst_gap_uses_the_offset_before_the_gap(run: Run) -> None:
    result = ok(run("import", "--yes", fixture("synthesized_dst_gap_windows_tzid.ics"), "--json"))
    row = only(result.json["interviews"])
    # 02:30 does not exist on 14 Mar 2027 in New York; RFC 5545: read with EST (-05:00)
    assert row["start"] == "2027-03-14T07:30:00Z"
    assert row["tz"] == "America/New_York"
    assert "does not exist" in result.err


def test_invitation_email_with_a_text_calendar_part(run: Run) -> None:
    me(run)
    doc = imported(run, "synthesized_invite_request.eml", "--role", "Backend Engineer")
    assert doc["format"] == "eml"
    row = only(doc["interviews"])
    # the calendar part is icalendar's Exchange timezone_same_start.ics: 12:00 PST
    assert row["start"] == "2017-02-24T20:00:00Z"
    assert row["tz"] == "America/Los_Angeles"
    assert (row["company"], row["role"]) == ("Acme", "Backend Engineer")  # From's domain
    people = show(run, row["id"])["interviewers"]
    assert [(p["name"], p["email"]) for p in people] == [
        ("Rita Recruiter", "rita.recruiter@acme.example")
    ]


def test_company_and_role_options_override_the_guess(run: Run) -> None:
    row = only(
        imported(run, "outlook_windows_tzid.ics", "--company", "ACME Inc.", "--role", "SWE")[
            "interviews"
        ]
    )
    assert (row["company"], row["role"]) == ("ACME Inc.", "SWE")


def test_text_output_for_people(run: Run) -> None:
    result = ok(run("import", "--yes", fixture("outlook_windows_tzid.ics")))
    assert "Created interview 1: Backend Engineer at Acme" in result.out
    assert "Mon 30 Nov 2026 19:00 CET" in result.out  # the start, in the user's zone
    assert "America/Los_Angeles" in result.out


def test_terminal_asks_to_confirm_the_guess(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("followup.cli.portability._tty", lambda: True)
    result = ok(run("import", fixture("outlook_windows_tzid.ics"), "--json",
                    stdin="ACME Corporation\n\n"))  # fmt: skip
    row = only(result.json["interviews"])
    assert (row["company"], row["role"]) == ("ACME Corporation", "Backend Engineer")
    assert "Company [Acme]" in result.err and "Role [Backend Engineer]" in result.err
    # --yes asks nothing, even in a terminal
    other = ok(run("import", fixture("synthesized_two_events.ics"), "--json", "--yes"))
    assert len(other.json["interviews"]) == 2


def test_a_guess_that_finds_no_role_is_one_clear_error(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "chat.ics"
    path.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:chat-1\r\n"
        "DTSTAMP:20261120T120000Z\r\nDTSTART:20261210T150000Z\r\nSUMMARY:Quick chat\r\n"
        "ORGANIZER:mailto:someone@gmail.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    line = one_error_line(run("import", "--yes", str(path)))
    assert "pass --role" in line or "pass --company" in line
    assert listed(run) == []
    row = only(ok(run("import", str(path), "--json", "--company", "Hooli", "--role", "PM")).json[
        "interviews"
    ])  # fmt: skip
    assert row["start"] == "2026-12-10T15:00:00Z"


def test_dry_run_writes_nothing(run: Run) -> None:
    doc = imported(run, "synthesized_two_events.ics", "--dry-run")
    assert doc["dry_run"] is True
    assert [r["id"] for r in doc["interviews"]] == [None, None]
    assert listed(run) == []


# --- re-imports: SEQUENCE and CANCEL --------------------------------------------------------


def test_importing_the_same_invitation_again_says_so_in_plain_words(run: Run) -> None:
    """Issue #16 trial item 6: it said "has SEQUENCE 0, not newer than the imported 0"."""
    me(run)
    imported(run, "outlook_windows_tzid.ics")
    again = ok(run("import", fixture("outlook_windows_tzid.ics")))
    assert "is already imported and has not changed" in again.out
    assert "SEQUENCE" not in again.out


def test_sequence_moves_cancels_and_ignores_stale_updates(run: Run) -> None:
    me(run)
    first = only(imported(run, "outlook_windows_tzid.ics")["interviews"])
    iid = first["id"]
    before = show(run, iid)
    assert {n["due_at"] for n in before["notes"]} == {"2026-12-02T19:00:00Z"}  # end + 48 h

    again = only(imported(run, "outlook_windows_tzid.ics")["interviews"])
    assert (again["id"], again["action"]) == (iid, "unchanged")

    moved = only(imported(run, "synthesized_sequence_bump.ics")["interviews"])
    assert (moved["id"], moved["action"]) == (iid, "updated")
    assert moved["start"] == "2026-12-01T22:00:00Z"  # 14:00 PST
    after = show(run, iid)
    assert (after["end"], after["location"]) == ("2026-12-01T23:30:00Z", "Microsoft Teams Meeting")
    pending = [n for n in after["notes"] if n["state"] == "pending"]
    assert {n["due_at"] for n in pending} == {"2026-12-03T23:30:00Z"}  # re-planned
    assert len(pending) == 2

    stale = ok(run("import", fixture("synthesized_sequence_stale.ics"), "--json"))
    row = only(stale.json["interviews"])
    assert (row["action"], row["start"]) == ("unchanged", "2026-12-01T22:00:00Z")
    text = ok(run("import", fixture("synthesized_sequence_stale.ics")))
    assert "is an older version of the invitation already imported" in text.out

    cancelled = only(imported(run, "synthesized_cancel.ics")["interviews"])
    assert (cancelled["id"], cancelled["action"]) == (iid, "cancelled")
    assert only(listed(run))["status"] == "cancelled"
    assert all(n["state"] == "cancelled" for n in show(run, iid)["notes"])
    assert only(imported(run, "synthesized_cancel.ics")["interviews"])["action"] == "unchanged"
    # a newer invitation does not reopen a cancelled interview
    assert only(imported(run, "synthesized_sequence_bump.ics")["interviews"])["action"] == (
        "unchanged"
    )


def test_a_cancellation_after_the_interview_took_place_cancels_nothing(run: Run) -> None:
    """An organizer tidying a past event away sends METHOD:CANCEL: the conversation took
    place, and a thank-you already sent must not end the others' notes."""
    me(run)
    iid = only(imported(run, "outlook_windows_tzid.ics")["interviews"])["id"]
    moved = only(imported(run, "synthesized_sequence_bump.ics")["interviews"])
    assert moved["start"] == "2026-12-01T22:00:00Z"
    later = "2026-12-04T09:00:00Z"  # after it took place
    r = ok(run("import", fixture("synthesized_cancel.ics"), "--json", now=later))
    row = only(r.json["interviews"])
    assert (row["id"], row["action"]) == (iid, "unchanged")
    assert f"`followup cancel {iid}`" in r.err and "took place" in r.err
    after = run("show", str(iid), "--json", now=later).json
    assert after["status"] == "waiting"
    assert [n["state"] for n in after["notes"]] == ["pending", "pending"]
    again = ok(run("import", fixture("synthesized_cancel.ics"), "--json", now=later))
    assert only(again.json["interviews"])["action"] == "unchanged"


def test_cancel_of_an_unknown_invitation_changes_nothing(run: Run) -> None:
    result = ok(run("import", fixture("synthesized_cancel.ics"), "--json"))
    assert result.json["interviews"] == []
    assert "never imported" in result.err
    assert listed(run) == []


# --- import: refused files ------------------------------------------------------------------

BAD_FILES = {
    "garbage.ics": b"\x00\x9f\x92\x96 not a calendar \xff",
    "empty.ics": b"",
    "text.ics": b"Interview with Acme on Monday at 10\n",
    "no_event.ics": b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nEND:VCALENDAR\r\n",
    "unterminated.ics": b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:1\r\n",
    "reply.ics": (
        b"BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\n"
        b"UID:1\r\nDTSTART:20261210T150000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    ),
    "no_calendar.eml": b"From: a@example.org\r\nSubject: hi\r\n\r\nJust text.\r\n",
    "not_mail.eml": b"",
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_a_broken_file_is_one_line_exit_4_and_writes_nothing(
    run: Run, tmp_path: Path, name: str
) -> None:
    ok(run("import", "--yes", fixture("synthesized_two_events.ics")))
    before = listed(run)
    path = tmp_path / name
    path.write_bytes(BAD_FILES[name])
    line = one_error_line(run("import", "--yes", str(path)))
    assert name in line
    assert listed(run) == before


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("synthesized_broken.ics", "has no DTSTART"),
        ("synthesized_all_day.ics", "all-day event"),
    ],
)
def test_fixture_refused_whole(run: Run, name: str, problem: str) -> None:
    line = one_error_line(run("import", "--yes", fixture(name)))
    assert problem in line and name in line
    assert listed(run) == []  # the good first event of synthesized_broken.ics is not kept


def test_company_option_is_for_invitations_only(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("company,role,start\nA,B,2026-11-20T10:00Z\n")
    one_error_line(run("import", str(path), "--company", "X"))


# --- export ---------------------------------------------------------------------------------


def parse(path: Path) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(path.read_bytes())


def test_export_ics_events_with_alarms_and_stable_uids(run: Run, tmp_path: Path) -> None:
    me(run)
    iid = only(imported(run, "outlook_windows_tzid.ics")["interviews"])["id"]
    out = tmp_path / "notes.ics"
    doc = ok(run("export", "--ics", str(out), "--json")).json
    assert doc == {
        "file": str(out), "format": "ics", "component": "VEVENT",
        "items": 2, "open": 2, "done": 0, "cancelled": 0,
    }  # fmt: skip
    events = list(parse(out).walk("VEVENT"))
    assert sorted(str(e["SUMMARY"]) for e in events) == [
        "Thank-you note to Ada Lovelace (Acme)",
        "Thank-you note to Rita Recruiter (Acme)",
    ]
    for event in events:
        assert event["DTSTART"].to_ical() == b"20261202T190000Z"
        assert int(event["SEQUENCE"]) == 0
        assert f"followup draft {iid} --interviewer" in str(event["DESCRIPTION"])
        alarm = only(list(event.walk("VALARM")))
        assert str(alarm["ACTION"]) == "DISPLAY"
    uids = {str(e["UID"]) for e in events}

    # the interview moves: same UIDs, SEQUENCE 1, new times
    imported(run, "synthesized_sequence_bump.ics")
    ok(run("export", "--ics", str(out)))
    moved = list(parse(out).walk("VEVENT"))
    assert {str(e["UID"]) for e in moved} == uids
    assert {int(e["SEQUENCE"]) for e in moved} == {1}
    assert {e["DTSTART"].to_ical() for e in moved} == {b"20261203T233000Z"}

    # exporting again without a change keeps SEQUENCE
    ok(run("export", "--ics", str(out)))
    assert {int(e["SEQUENCE"]) for e in parse(out).walk("VEVENT")} == {1}

    # cancelled: the same UIDs come out cancelled, so a re-import removes the reminders
    imported(run, "synthesized_cancel.ics")
    text = ok(run("export", "--ics", str(out)))
    assert "2 marked done or cancelled" in text.out
    gone = list(parse(out).walk("VEVENT"))
    assert {str(e["UID"]) for e in gone} == uids
    assert {(str(e["STATUS"]), int(e["SEQUENCE"])) for e in gone} == {("CANCELLED", 2)}
    assert not any(e.walk("VALARM") for e in gone)


def test_export_ics_todo_and_stdout(run: Run, tmp_path: Path) -> None:
    imported(run, "synthesized_two_events.ics")
    out = tmp_path / "tasks.ics"
    ok(run("export", "--ics", str(out), "--todo"))
    todos = list(parse(out).walk("VTODO"))
    assert len(todos) == 2 and not list(parse(out).walk("VEVENT"))
    assert {str(t["STATUS"]) for t in todos} == {"NEEDS-ACTION"}
    assert all(t["DUE"].to_ical().endswith(b"Z") for t in todos)
    printed = ok(run("export", "--ics", "-"))
    assert printed.out.startswith("BEGIN:VCALENDAR\r\n")


def test_export_sent_note_becomes_a_completed_task(run: Run, tmp_path: Path) -> None:
    iid = only(imported(run, "synthesized_two_events.ics")["interviews"][:1])["id"]
    out = tmp_path / "tasks.ics"
    ok(run("export", "--ics", str(out), "--todo"))
    ok(run("sent", str(iid), "--at", "2026-12-09T10:00:00Z", "--force", now="2026-12-09T12:00:00Z"))
    ok(run("export", "--ics", str(out), "--todo", now="2026-12-09T12:00:00Z"))
    done = [t for t in parse(out).walk("VTODO") if str(t["STATUS"]) == "COMPLETED"]
    assert only(done)["COMPLETED"].to_ical() == b"20261209T100000Z"
    assert int(only(done)["SEQUENCE"]) == 1


def test_export_ics_usage_errors(run: Run, tmp_path: Path) -> None:
    assert run("export", "--todo").code == 2
    assert run("export", "--ics", str(tmp_path / "a.ics"), "--format", "csv").code == 2
    line = one_error_line(run("export", "--ics", str(tmp_path / "missing" / "a.ics")))
    assert "cannot write" in line
    assert not (tmp_path / "missing").exists()


def test_export_cannot_be_injected_through_a_company_name(
    run: Run, home: Path, tmp_path: Path
) -> None:
    evil = "Acme\r\nATTENDEE:mailto:evil@x\r\nEND:VEVENT\r\nBEGIN:VEVENT\nUID:evil"
    add = ("add", "--role", "Dev", "--at", "2026-11-23T10:00Z",
           "--interviewer", "Ada <ada@acme.example>")  # fmt: skip
    assert "line break" in one_error_line(run(*add, "--company", evil))  # refused at entry
    ok(run(*add, "--company", "Acme"))
    with sqlite3.connect(home / "followup.db") as db:  # as `add` kept it before it refused
        db.execute("UPDATE applications SET company = ?", (evil,))
    out = tmp_path / "notes.ics"
    ok(run("export", "--ics", str(out)))
    raw = out.read_bytes()
    assert b"\r\nATTENDEE" not in raw and b"\r\nUID:evil" not in raw
    event = only(list(parse(out).walk("VEVENT")))
    assert "ATTENDEE" not in event
    assert str(event["SUMMARY"]) == (
        "Thank-you note to Ada (Acme\nATTENDEE:mailto:evil@x\nEND:VEVENT\nBEGIN:VEVENT\nUID:evil)"
    )


def test_a_later_invitation_for_the_same_role_is_the_next_round(run: Run, tmp_path: Path) -> None:
    first = only(imported(run, "outlook_windows_tzid.ics")["interviews"])
    path = tmp_path / "round2.ics"
    path.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\n"
        "UID:round-2@acme.example\r\nDTSTAMP:20261120T120000Z\r\n"
        "DTSTART;TZID=America/Los_Angeles:20261207T100000\r\nDURATION:PT1H\r\n"
        "SUMMARY:Acme / Backend Engineer (Round 2)\r\n"
        "ORGANIZER;CN=Rita Recruiter:mailto:rita.recruiter@acme.example\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    after_round_one = "2026-12-02T12:00:00Z"  # round 1 (30 Nov) took place: it moved on
    result = ok(run("import", "--yes", str(path), now=after_round_one))
    assert "round 2 of application" in result.out
    second = only(
        ok(run("import", "--yes", str(path), "--json", now=after_round_one)).json["interviews"]
    )
    assert second["application_id"] == first["application_id"]
    statuses = {r["id"]: r["status"] for r in listed(run)}
    # round 1 (two days ago) is not thanked yet: its thank-you stays, its follow-ups go
    assert statuses == {first["id"]: "waiting", second["id"]: "waiting"}
    notes = run("show", str(first["id"]), "--json").json["notes"]
    assert {n["kind"] for n in notes if n["state"] == "pending"} == {"thank-you"}  # each


def test_one_file_with_the_same_uid_twice_is_applied_in_order(run: Run, tmp_path: Path) -> None:
    def event(sequence: int, extra: str, start: str = "20261210T150000Z") -> str:
        return (
            f"BEGIN:VEVENT\r\nUID:twice@acme.example\r\nSEQUENCE:{sequence}\r\n"
            f"DTSTAMP:20261120T120000Z\r\nDTSTART:{start}\r\n{extra}"
            "SUMMARY:Acme / Dev\r\nEND:VEVENT\r\n"
        )

    head = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n"
    cancelled_then_sent = tmp_path / "a.ics"
    cancelled_then_sent.write_text(
        head + event(0, "STATUS:CANCELLED\r\n") + event(1, "") + "END:VCALENDAR\r\n"
    )
    rows = ok(run("import", "--yes", str(cancelled_then_sent), "--json")).json["interviews"]
    assert [r["action"] for r in rows] == ["created"]
    moved_twice = tmp_path / "b.ics"
    moved_twice.write_text(
        head + event(2, "", "20261211T150000Z") + event(3, "", "20261212T150000Z")
        + "END:VCALENDAR\r\n"
    )  # fmt: skip
    rows = ok(run("import", "--yes", str(moved_twice), "--json")).json["interviews"]
    assert [(r["action"], r["start"]) for r in rows] == [
        ("updated", "2026-12-11T15:00:00Z"),
        ("updated", "2026-12-12T15:00:00Z"),
    ]


@pytest.mark.parametrize("how", ["cancelled", "removed"])
def test_the_organizer_is_thanked_for_the_loops_last_conversation_still_held(
    run: Run, tmp_path: Path, how: str
) -> None:
    """A cold trial cancelled the loop's last event (or took the recruiter off it): the
    earlier rounds had left her to it, so she was thanked nowhere, and the round before it
    still waited for "the next round" that would never come."""
    now = "2026-11-17T12:00:00Z"
    rita = "ORGANIZER;CN=Rita Recruiter:mailto:rita@acme.example\r\n"
    ok(run("import", str(_loop(tmp_path, rita)), "--yes", "--company", "Acme",
           "--role", "Backend Engineer", now=now))  # fmt: skip
    if how == "cancelled":
        cancel = tmp_path / "cancel.ics"
        cancel.write_text(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nMETHOD:CANCEL\r\nBEGIN:VEVENT\r\n"
            "UID:loop-2@acme.example\r\nSEQUENCE:1\r\nDTSTAMP:20261110T000000Z\r\n"
            f"{rita}"  # only the organizer cancels (RFC 5546)
            "DTSTART;TZID=Europe/Berlin:20261124T110000\r\nSTATUS:CANCELLED\r\n"
            "SUMMARY:Acme / Backend Engineer: onsite with Cy\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        )
        ok(run("import", str(cancel), now=now))
        expected = [
            (1, 1, ["Ada"], "2026-11-26T08:45:00Z"),
            (2, 1, ["Bob", "Rita Recruiter"], "2026-11-26T09:45:00Z"),
        ]
    else:
        ok(run("edit", "3", "--remove-interviewer", "RITA@acme.example", now=now))
        expected = [
            (1, 1, ["Ada"], "2026-11-26T08:45:00Z"),
            (2, 1, ["Bob", "Rita Recruiter"], "2026-11-26T09:45:00Z"),
            (3, 1, ["Cy"], "2026-11-26T10:45:00Z"),
        ]
    assert _due(run, now) == expected
    # taken back: Rita is thanked for the last round again, once (a third cold trial: twice)
    ok(run("undo", "3", now=now))
    assert _due(run, now) == [
        (1, 1, ["Ada"], "2026-11-26T08:45:00Z"),
        (2, 1, ["Bob"], "2026-11-26T09:45:00Z"),
        (3, 1, ["Cy", "Rita Recruiter"], "2026-11-26T10:45:00Z"),
    ]
    ok(run("cancel" if how == "cancelled" else "edit", "3",
           *(() if how == "cancelled" else ("--remove-interviewer", "rita@acme.example")),
           now=now))  # fmt: skip
    assert _due(run, now) == expected
    if how == "cancelled":  # round 2 is the last held: its follow-ups go on, to Rita
        thursday = "2026-11-26T11:00:00Z"
        for interview in ("1", "2"):
            ok(run("sent", interview, "--at", thursday, now=thursday))
        assert _due(run, thursday) == [(2, 2, ["Rita Recruiter"], "2026-12-03T11:00:00Z")]


def test_a_loops_invitations_imported_one_by_one_in_any_order_make_one_application(
    run: Run, tmp_path: Path
) -> None:
    """A cold trial imported the loop's invitations one mail at a time, the last first: two
    applications, each thanking and chasing the recruiter."""
    now = "2026-11-17T12:00:00Z"
    rita = "ORGANIZER;CN=Rita Recruiter:mailto:rita@acme.example\r\n"
    whole = _loop(tmp_path, rita).read_bytes().decode()
    head, _, rest = whole.partition("BEGIN:VEVENT")
    events = [
        "BEGIN:VEVENT" + e for e in rest.removesuffix("END:VCALENDAR\r\n").split("BEGIN:VEVENT")
    ]
    for k in (2, 0, 1):
        one = tmp_path / f"event{k}.ics"
        one.write_bytes((head + events[k] + "END:VCALENDAR\r\n").encode())
        ok(run("import", str(one), "--yes", "--company", "Acme", "--role", "Backend Engineer",
               now=now))  # fmt: skip
    assert len({i["application_id"] for i in listed(run)}) == 1
    assert sorted((d[3], d[2]) for d in _due(run, now)) == [
        ("2026-11-26T08:45:00Z", ["Ada"]),
        ("2026-11-26T09:45:00Z", ["Bob"]),
        ("2026-11-26T10:45:00Z", ["Cy", "Rita Recruiter"]),
    ]
    thursday = "2026-11-26T11:00:00Z"
    for interview in ("1", "2", "3"):
        ok(run("sent", interview, "--at", thursday, now=thursday))
    assert [(d[1], d[2]) for d in _due(run, thursday)] == [(2, ["Rita Recruiter"])]


def test_a_rejection_after_the_loop_withdraws_every_rounds_thank_you(
    run: Run, tmp_path: Path
) -> None:
    """Each conversation of a loop keeps its thank-you: a rejection, which ends the latest
    round, left the earlier ones' thank-yous going out after it."""
    me(run)
    rita = "ORGANIZER;CN=Rita Recruiter:mailto:rita@acme.example\r\n"
    ok(run("import", str(_loop(tmp_path, rita)), "--yes", "--company", "Acme",
           "--role", "Backend Engineer"))  # fmt: skip
    no = tmp_path / "no.eml"
    no.write_bytes(
        b"From: Rita Recruiter <rita@acme.example>\r\nTo: grace@example.org\r\n"
        b"Subject: Your application for Backend Engineer\r\n"
        b"Date: Wed, 25 Nov 2026 11:00:00 +0000\r\nMessage-ID: <no-1@acme.example>\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\nMIME-Version: 1.0\r\n\r\n"
        b"Hi Grace,\r\n\r\nThank you for meeting the team. Unfortunately we have decided"
        b" not to move forward with your application.\r\n\r\nRita\r\n"
    )
    ok(run("receive", str(no)))
    assert sorted(i["status"] for i in listed(run)) == ["advanced", "advanced", "rejected"]
    assert _due(run, "2026-11-26T12:00:00Z") == []


def test_a_loop_round_told_after_the_recruiters_thank_you_went_does_not_thank_her_again(
    run: Run, tmp_path: Path
) -> None:
    """A fourth cold trial: the second event of the day imported after the first's
    thank-yous went had the recruiter thanked again, and both rounds chased her."""
    rita = "ORGANIZER;CN=Rita Recruiter:mailto:rita@acme.example\r\n"
    whole = _loop(tmp_path, rita).read_bytes().decode()
    head, _, rest = whole.partition("BEGIN:VEVENT")
    events = [
        "BEGIN:VEVENT" + e for e in rest.removesuffix("END:VCALENDAR\r\n").split("BEGIN:VEVENT")
    ]
    files = []
    for k in (0, 1):
        files.append(tmp_path / f"event{k}.ics")
        files[-1].write_bytes((head + events[k] + "END:VCALENDAR\r\n").encode())
    ok(run("import", str(files[0]), "--yes", "--company", "Acme", "--role", "Backend Engineer",
           now="2026-11-17T12:00:00Z"))  # fmt: skip
    thursday = "2026-11-26T11:00:00Z"
    ok(run("sent", "1", "--at", thursday, now=thursday))
    ok(run("import", str(files[1]), "--yes", "--company", "Acme", "--role", "Backend Engineer",
           now=thursday))  # fmt: skip
    assert _due(run, thursday) == [(2, 1, ["Bob"], "2026-11-26T09:45:00Z")]
    ok(run("sent", "2", "--at", "2026-11-26T12:00:00Z", now="2026-11-26T12:00:00Z"))
    assert _due(run, "2026-11-26T12:00:00Z") == [(2, 2, ["Rita Recruiter"], "2026-12-03T12:00:00Z")]
    assert sorted(i["status"] for i in listed(run)) == ["advanced", "waiting"]


def test_outlook_old_sydney_rules_read_by_the_files_definition_in_sydney(run: Run) -> None:
    """TZID "Canberra, Melbourne, Sydney" with the pre-2008 DST dates: on 1 April 2027 the
    file says UTC+10 (its DST ended on 28 March), today's Sydney UTC+11 (until 4 April).
    The organizer's calendar showed 10:00 at UTC+10: that instant, in Australia/Sydney."""
    me(run)
    result = ok(run("import", fixture("outlook_old_rules_canberra_melbourne_sydney.ics"),
                    "--json", "--yes"))  # fmt: skip
    row = only(result.json["interviews"])
    assert row["start"] == "2027-04-01T00:00:00Z"
    assert row["tz"] == "Australia/Sydney"
    assert (row["company"], row["role"]) == ("Wallaby Systems", "Platform Engineer")
    warnings = result.json["warnings"]
    assert any("Australia/Sydney, the city its name mentions" in w for w in warnings)
    assert any("UTC+10:00" in w and "own definition is used" in w for w in warnings)
    assert show(run, row["id"])["end"] == "2027-04-01T01:00:00Z"


def test_outlook_eastern_display_name_is_new_york_and_skips_thanksgiving(run: Run) -> None:
    """A cold trial: "(UTC-05:00) Eastern Time (US & Canada)" was read as America/Grand_Turk
    (the first zone by name with the same clocks), so Turks and Caicos' holidays applied and
    the thank-you for Tuesday's interview fell due on US Thanksgiving. CLDR's windowsZones
    gives the display name's Windows zone, Eastern Standard Time: America/New_York."""
    me(run)
    doc = imported(run, "synthesized_outlook_eastern_display_name.ics")
    row = only(doc["interviews"])
    assert (row["start"], row["tz"]) == ("2027-11-23T15:00:00Z", "America/New_York")
    assert (row["company"], row["role"]) == ("Harbor Bank", "Credit Analyst")
    detail = show(run, row["id"])
    assert detail["holidays"]["country"] == "US"
    thanks = [n for n in detail["notes"] if n["kind"] == "thank-you"]
    # the end + 48 h is Thanksgiving (Thu 25 Nov): due the next working day, 09:00 in New York
    assert [n["due_at"] for n in thanks] == ["2027-11-26T14:00:00Z"]


def test_a_french_title_names_the_company_and_role_not_the_word_for_interview(run: Run) -> None:
    """A cold trial: "Entretien – Lumière Énergie – Ingénieure données" was the role
    "Entretien", and the thank-you spoke of "the Entretien position"."""
    ok(run("config", "set", "user.email", "priya.raman@gmail.com"))
    check = ok(run("import", fixture("synthesized_french_entretien_title.ics"), "--dry-run",
                   "--json"))  # fmt: skip
    row = only(check.json["interviews"])
    assert (row["company"], row["role"]) == ("Lumière Énergie", "Ingénieure données")
    row = only(imported(run, "synthesized_french_entretien_title.ics")["interviews"])
    drafts = ok(run("draft", str(row["id"]), now="2026-12-10T16:00:00Z")).out
    assert "the Ingénieure données position at Lumière Énergie" in drafts
    assert "Entretien" not in drafts


@pytest.mark.parametrize(
    ("name", "company", "role", "start"),
    [
        # a meeting word inside the company's name, which the organizer's domain spells
        ("synthesized_meeting_word_in_company_name.ics", "Round Table Pizza", "Shift Manager",
         "2026-12-03T18:00:00Z"),
        # an attendee whose first name is half the company's ("Young Kim", "Ernst & Young")
        ("synthesized_attendee_first_name_in_company.ics", "Ernst & Young", "Audit Associate",
         "2026-12-02T10:00:00Z"),
    ],
)  # fmt: skip
def test_a_company_name_is_never_cut_in_half(
    run: Run, name: str, company: str, role: str, start: str
) -> None:
    """A second cold trial: "Round Table Pizza" was "Table Pizza", and "Ernst & Young" with
    Young Kim attending was "Ernst"; the thank-you named the wrong company."""
    ok(run("config", "set", "user.email", "priya.raman@gmail.com"))
    check = ok(run("import", fixture(name), "--dry-run", "--json"))
    row = only(check.json["interviews"])
    assert (row["company"], row["role"], row["start"]) == (company, role, start)
    row = only(imported(run, name)["interviews"])
    drafts = ok(run("draft", str(row["id"]), now="2026-12-05T16:00:00Z")).out
    assert f"the {role} position at {company}" in drafts


def _loop(tmp_path: Path, organizer: str = "") -> Path:
    """A day's onsite as recruiters send it: one event per conversation, back to back
    (09:00, 10:00, 11:00 Berlin on Tuesday 24 November), each its own UID."""
    events = "".join(
        f"BEGIN:VEVENT\r\nUID:loop-{k}@acme.example\r\nDTSTAMP:20261101T000000Z\r\n"
        f"DTSTART;TZID=Europe/Berlin:20261124T{9 + k:02d}0000\r\nDURATION:PT45M\r\n"
        f"SUMMARY:Acme / Backend Engineer: onsite with {who}\r\n{organizer}"
        f"ATTENDEE;CN={who}:mailto:{who.lower()}@acme.example\r\nEND:VEVENT\r\n"
        for k, who in enumerate(("Ada", "Bob", "Cy"))
    )
    path = tmp_path / "loop.ics"
    path.write_text(f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n{events}END:VCALENDAR\r\n")
    return path


def _due(run: Run, now: str) -> list[tuple[int, int, list[str], str]]:
    """(round, step, recipients, due) of every pending note."""
    rows = ok(run("agenda", "--all", "--json", now=now)).json
    return sorted((r["round"], r["step"], sorted(r["recipients"]), r["due_at"]) for r in rows)


# Tuesday's loop imported the week before, and the day after (Wednesday noon, the clock)
@pytest.mark.parametrize("now", ["2026-11-17T12:00:00Z", "2026-11-25T12:00:00Z"])
def test_a_days_loop_thanks_each_conversation_and_its_organizer_once(
    run: Run, tmp_path: Path, now: str
) -> None:
    """A second cold trial's five-event onsite became rounds 1-5: imported the day after,
    rounds 1-4 ended with their thank-yous never sent; imported before, the recruiter who
    organised every event had a thank-you per event. Each conversation of the day is thanked,
    the organizer once, for the last one, 48 hours after it; the follow-ups go on from the
    last round, to the organizer alone."""
    rita = "ORGANIZER;CN=Rita Recruiter:mailto:rita@acme.example\r\n"
    r = ok(run("import", str(_loop(tmp_path, rita)), "--yes", "--company", "Acme",
               "--role", "Backend Engineer", now=now))  # fmt: skip
    assert "will never be sent" not in r.err
    assert _due(run, now) == [
        (1, 1, ["Ada"], "2026-11-26T08:45:00Z"),
        (2, 1, ["Bob"], "2026-11-26T09:45:00Z"),
        (3, 1, ["Cy", "Rita Recruiter"], "2026-11-26T10:45:00Z"),
    ]
    thursday = "2026-11-26T11:00:00Z"
    for interview in ("1", "2", "3"):
        ok(run("sent", interview, "--at", thursday, now=thursday))
    assert [i["status"] for i in listed(run)] == ["waiting", "advanced", "advanced"]
    assert _due(run, thursday) == [(3, 2, ["Rita Recruiter"], "2026-12-03T11:00:00Z")]


def _bare_utc_calendar(n: int) -> bytes:
    events = "".join(
        f"BEGIN:VEVENT\r\nUID:utc-{k}@example.com\r\nDTSTAMP:20261101T000000Z\r\n"
        f"DTSTART:202612{k + 1:02d}T090000Z\r\nDURATION:PT1H\r\n"
        f"SUMMARY:Acme / Role {k}\r\nEND:VEVENT\r\n"
        for k in range(n)
    )
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n{events}END:VCALENDAR\r\n".encode()


@pytest.mark.parametrize(
    ("events", "said"),
    [
        (1, 'event 1 ("Acme / Role 0") is given in UTC with no time zone: its interviewers'),
        (3, "events 1, 2 and 3 are given in UTC with no time zone: their interviewers'"),
        (6, "events 1, 2, 3, 4, 5 and 6 are given in UTC"),
        (20, "events 1, 2, 3, 4, 5 and 15 more are given in UTC"),
    ],
)
def test_events_in_bare_utc_are_one_warning_however_many(events: int, said: str) -> None:
    """A calendar export writes every event in UTC: one line says so, naming the first few,
    instead of a line per event burying every other warning."""
    from followup.adapters.calendar.ics import IcsCodec

    read = IcsCodec().read_ics(_bare_utc_calendar(events), name="x.ics", user_tz="Europe/Paris")
    about_utc = [w for w in read.warnings if "UTC" in w]
    assert len(about_utc) == 1
    assert about_utc[0].startswith(said)
    assert about_utc[0].endswith("taken in your zone, Europe/Paris")


def test_a_google_subject_title_with_first_names_guesses_the_organizers_company(
    run: Run,
) -> None:
    """A third cold trial: "Noor / Sam - …" gave the company "Noor" (the user's first name)
    and Google Calendar's "@ Wed Dec 2, 2026 3pm - 3:30pm (GMT) (address)" tail was read as
    the company and role."""
    ok(run("config", "set", "user.name", "Noor Haddad"))
    doc = imported(run, "synthesized_google_subject_first_names.ics", "--dry-run")
    row = only(doc["interviews"])
    assert (row["company"], row["role"]) == ("Brightwheel", "Product Designer")
