"""A calendar cancellation that arrives by e-mail (a text/calendar METHOD:CANCEL part, as
Google Calendar and Outlook send it, or alone) is applied by the calendar's rules, as
`followup import` applies one — never read as the interviewer's reply (cold trial: it
made the interview `replied`, so nobody was thanked). An updated invitation of an
imported interview (METHOD:REQUEST, a higher SEQUENCE) moves it, and is no reply either."""

from __future__ import annotations

import re
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from tests.calendar.helpers import fixture, ok, only
from tests.conftest import Run

GOOGLE = "synthesized_google_calendar_cancellation.eml"
OUTLOOK = "synthesized_outlook_cancellation_with_note.eml"
INVITE = {GOOGLE: "synthesized_google_interview_invite.ics", OUTLOOK: "outlook_windows_tzid.ics"}


def imported(run: Run, mail: str) -> dict[str, Any]:
    ok(run("config", "set", "user.email", "grace@example.org"))
    done = ok(run("import", fixture(INVITE[mail]), "--yes", "--company", "Acme", "--role",
                  "Backend Engineer", "--json"))  # fmt: skip
    iid = only(done.json["interviews"])["id"]
    return ok(run("show", str(iid), "--json")).json  # type: ignore[no-any-return]


def bare(tmp_path: Path) -> Path:
    """Google's cancellation as a bare iMIP message: the text/calendar part is the body."""
    calendar = Path(fixture("synthesized_google_interview_invite.ics")).read_text()
    calendar = calendar.replace("METHOD:REQUEST", "METHOD:CANCEL").replace(
        "SEQUENCE:0", "SEQUENCE:1"
    )
    m = EmailMessage()
    m["From"], m["To"] = "Rita Recruiter <rita@acme.example>", "grace@example.org"
    m["Subject"], m["Message-ID"] = "Interview cancelled", "<bare-cancel@acme.example>"
    m["Date"] = "Thu, 26 Nov 2026 09:10:04 +0000"
    m.set_content(calendar, subtype="calendar", params={"method": "CANCEL"})
    path = tmp_path / "cancel.eml"
    path.write_bytes(bytes(m))
    return path


@pytest.mark.parametrize("mail", [GOOGLE, OUTLOOK])
def test_classify_says_a_cancellation_is_no_reply(run: Run, mail: str) -> None:
    said = ok(run("classify", fixture(mail), "--json")).json
    assert said["kind"] == "notification"
    assert "calendar cancellation" in said["reason"]


@pytest.mark.parametrize("mail", [GOOGLE, OUTLOOK])
def test_a_cancellation_before_the_interview_cancels_it(run: Run, mail: str) -> None:
    before = imported(run, mail)
    done = ok(run("receive", fixture(mail), "--json")).json
    assert done["kind"] == "notification"
    assert done["matched"] == [before["id"]]
    assert [(c["kind"], c["status"]) for c in done["changes"]] == [("cancelled", "cancelled")]
    after = ok(run("show", str(before["id"]), "--json")).json
    assert after["status"] == "cancelled"


def test_a_bare_calendar_message_cancels_too(run: Run, tmp_path: Path) -> None:
    before = imported(run, GOOGLE)
    done = ok(run("receive", str(bare(tmp_path))))
    assert "Cancelled interview" in done.out
    assert ok(run("show", str(before["id"]), "--json")).json["status"] == "cancelled"


@pytest.mark.parametrize("mail", [GOOGLE, OUTLOOK])
def test_a_cancellation_after_the_interview_changes_nothing_and_says_so(
    run: Run, mail: str, tmp_path: Path
) -> None:
    """Sent (its Date) after the interview took place: an organizer tidying a past event."""
    before = imported(run, mail)
    path = tmp_path / "cancel.eml"
    sent = Path(fixture(mail)).read_bytes().replace(b"Thu, 26 Nov 2026", b"Wed, 2 Dec 2026")
    path.write_bytes(sent)
    done = ok(run("receive", str(path), now="2026-12-03T12:00:00Z"))
    assert "took place" in done.out and "its notes go on" in done.out, done.out
    after = ok(run("show", str(before["id"]), "--json", now="2026-12-03T12:00:00Z")).json
    assert after["status"] in ("waiting", "closed"), after["status"]
    assert after["status"] != "replied"


def test_a_cancellation_from_another_organizer_changes_nothing(run: Run, tmp_path: Path) -> None:
    before = imported(run, GOOGLE)
    forged = (
        Path(fixture(GOOGLE))
        .read_text()
        .replace(
            "ORGANIZER;CN=Rita Recruiter:mailto:rita@acme.example",
            "ORGANIZER;CN=Rita Recruiter:mailto:rita@evil.example",
        )
    )
    path = tmp_path / "cancel.eml"
    path.write_text(forged)
    done = run("receive", str(path))
    assert done.code == 5, (done.code, done.out, done.err)
    assert "only the organizer may change or cancel it" in done.err
    assert ok(run("show", str(before["id"]), "--json")).json["status"] == "waiting"


def test_an_updated_invitation_by_mail_moves_the_interview(run: Run, tmp_path: Path) -> None:
    before = imported(run, GOOGLE)
    calendar = Path(fixture("synthesized_google_interview_invite.ics")).read_text()
    calendar = calendar.replace("SEQUENCE:0", "SEQUENCE:1").replace(
        "DTSTART:20261201T150000Z\nDTEND:20261201T160000Z",
        "DTSTART:20261202T100000Z\nDTEND:20261202T110000Z",
    )
    m = EmailMessage()
    m["From"], m["To"] = "Rita Recruiter <rita@acme.example>", "grace@example.org"
    m["Subject"] = (
        "Updated invitation: Interview: Grace Hopper / Acme - Backend Engineer"
        " @ Wed 2 Dec 2026 11am - 12pm (CET) (grace@example.org)"
    )
    m["Message-ID"], m["Date"] = "<update@acme.example>", "Thu, 26 Nov 2026 09:10:04 +0000"
    m.set_content("This event has been updated.\nChanged: date and time")
    m.add_alternative(calendar, subtype="calendar", params={"method": "REQUEST"})
    path = tmp_path / "update.eml"
    path.write_bytes(bytes(m))
    done = ok(run("receive", str(path), "--json")).json
    assert done["kind"] == "notification"
    assert [c["kind"] for c in done["changes"]] == ["moved"]
    assert done["next_round"] == []
    after = ok(run("show", str(before["id"]), "--json")).json
    assert after["status"] == "waiting"
    assert after["start"].startswith("2026-12-02T10:00:00")
    people = sorted(p["email"] for p in after["interviewers"])
    assert people == sorted(p["email"] for p in before["interviewers"]), people  # not the user
    assert len(ok(run("list", "--json")).json) == 1


def test_a_forged_cancellation_changes_nothing(run: Run, tmp_path: Path) -> None:
    """Your server says the mail is not from acme.example: the calendar part's ORGANIZER
    proves nothing, so the interview stays."""
    before = imported(run, GOOGLE)
    spoofed = (
        "Authentication-Results: mx.example.org; spf=fail smtp.mailfrom=acme.example;"
        " dkim=none; dmarc=fail (p=REJECT) header.from=acme.example\n"
    )
    path = tmp_path / "cancel.eml"
    path.write_text(spoofed + Path(fixture(GOOGLE)).read_text())
    done = ok(run("receive", str(path), "--json")).json
    assert done["changes"] == []
    assert done["unverified"] and "dmarc=fail" in done["unverified"]
    assert ok(run("show", str(before["id"]), "--json")).json["status"] == "waiting"


def test_a_cancellation_of_an_interview_typed_in_changes_nothing_and_says_how(run: Run) -> None:
    ok(run("config", "set", "user.email", "grace@example.org"))
    added = ok(run("add", "--company", "Acme", "--role", "Backend Engineer", "--at",
                   "2026-11-30T18:00:00Z", "--interviewer", "Ada <ada@acme.example>",
                   "--json"))  # fmt: skip
    done = ok(run("receive", fixture(OUTLOOK)))
    assert "never imported: nothing changed" in done.out, done.out
    assert "followup cancel ID" in done.out
    assert ok(run("show", str(added.json["id"]), "--json")).json["status"] == "waiting"


# --- second round: a calendar part never swallows what the text says ------------------------

REJECTION = (
    "Hi Grace,\n\nThank you for your time with the team. Unfortunately we have decided not to"
    " move forward with your application for the Backend Engineer role.\n\nRita\n"
)


def calendar_mail(
    tmp_path: Path, text: str, method: str, sequence: int = 1, **headers: str
) -> Path:
    """A multipart/alternative as Outlook and Google write it: the text, then the imported
    invitation (Google's fixture) as METHOD:`method` with SEQUENCE `sequence`."""
    calendar = Path(fixture("synthesized_google_interview_invite.ics")).read_text()
    calendar = calendar.replace("SEQUENCE:0", f"SEQUENCE:{sequence}")
    if method == "CANCEL":
        calendar = calendar.replace("METHOD:REQUEST", "METHOD:CANCEL").replace(
            "STATUS:CONFIRMED", "STATUS:CANCELLED"
        )
    m = EmailMessage()
    m["From"] = headers.get("sender", "Rita Recruiter <rita@acme.example>")
    m["To"] = "grace@example.org"
    m["Subject"] = headers.get("subject", "Canceled: Interview: Backend Engineer at Acme")
    m["Message-ID"] = headers.get("message_id", "<calendar-mail@acme.example>")
    m["Date"] = headers.get("date", "Thu, 26 Nov 2026 09:10:04 +0000")
    m.set_content(text)
    m.add_alternative(calendar, subtype="calendar", params={"method": method})
    path = tmp_path / "calendar.eml"
    path.write_bytes(bytes(m))
    return path


def test_a_rejection_with_a_cancellation_of_a_call_never_imported_rejects(
    run: Run, tmp_path: Path
) -> None:
    """Outlook's cancellation of a call that was never imported, whose text is the decision:
    the decision wins (it was 'never imported: nothing changed', the notes still due)."""
    ok(run("config", "set", "user.email", "grace@example.org"))
    added = ok(run("add", "--company", "Acme", "--role", "Backend Engineer", "--at",
                   "2026-11-24T14:00:00Z", "--interviewer", "Rita <rita@acme.example>",
                   "--json"))  # fmt: skip
    path = calendar_mail(tmp_path, REJECTION, "CANCEL")
    assert ok(run("classify", str(path), "--json")).json["kind"] == "rejection"
    done = ok(run("receive", str(path), "--json")).json
    assert done["kind"] == "rejection", done
    assert ok(run("show", str(added.json["id"]), "--json")).json["status"] == "rejected"


def test_a_rejection_with_a_cancellation_after_the_interview_rejects(
    run: Run, tmp_path: Path
) -> None:
    """The same with the interview's own UID, after it took place: not 'its notes go on'."""
    before = imported(run, GOOGLE)
    path = calendar_mail(tmp_path, REJECTION, "CANCEL")
    later = "2026-12-03T12:00:00Z"
    done = ok(run("receive", str(path), "--json", now=later)).json
    assert done["kind"] == "rejection", done
    assert ok(run("show", str(before["id"]), "--json", now=later)).json["status"] == "rejected"


def test_a_reply_that_re_attaches_the_invitation_is_a_reply(run: Run, tmp_path: Path) -> None:
    """An interviewer (not the organizer) answers the thank-you note, the invitation attached
    unchanged (same UID, same SEQUENCE): a reply, not an updated invitation."""
    before = imported(run, GOOGLE)
    text = (
        "Hi Grace,\n\nThanks so much for the kind note! It was great talking to you. We will"
        " get back to you next week.\n\nAda\n"
    )
    path = calendar_mail(
        tmp_path, text, "REQUEST", sequence=0, sender="Ada Lovelace <ada@acme.example>",
        subject="Re: Thank you - Backend Engineer interview",
    )  # fmt: skip
    later = "2026-12-02T09:00:00Z"
    done = ok(run("receive", str(path), "--json", now=later)).json
    assert done["kind"] == "human", done
    assert ok(run("show", str(before["id"]), "--json", now=later)).json["status"] == "replied"


def test_a_cancellation_sent_before_the_interview_but_read_after_cancels(
    run: Run, tmp_path: Path
) -> None:
    """Sent the day before (its Date), received an hour after the interview's end: it was
    withdrawn before it took place, so it is cancelled — not 'its notes go on'."""
    before = imported(run, GOOGLE)  # Tue 1 Dec 2026 15:00-16:00 UTC
    text = "Cancelled event: Interview: Grace Hopper / Acme - Backend Engineer\n"
    path = calendar_mail(tmp_path, text, "CANCEL", date="Mon, 30 Nov 2026 09:10:04 +0000")
    later = "2026-12-01T17:00:00Z"
    done = ok(run("receive", str(path), "--json", now=later)).json
    assert [(c["kind"], c["status"]) for c in done["changes"]] == [("cancelled", "cancelled")]
    assert ok(run("show", str(before["id"]), "--json", now=later)).json["status"] == "cancelled"


def test_a_cancellation_dated_in_the_future_is_judged_by_now(run: Run, tmp_path: Path) -> None:
    """A Date after now is not plausible: the interview took place, its notes go on."""
    before = imported(run, GOOGLE)
    text = "Cancelled event: Interview: Grace Hopper / Acme - Backend Engineer\n"
    path = calendar_mail(tmp_path, text, "CANCEL", date="Mon, 30 Nov 2026 09:10:04 +0000")
    path.write_bytes(path.read_bytes().replace(b"Mon, 30 Nov 2026", b"Fri, 11 Dec 2026"))
    later = "2026-12-01T17:00:00Z"
    done = ok(run("receive", str(path), now=later))
    assert "took place" in done.out, done.out
    assert ok(run("show", str(before["id"]), "--json", now=later)).json["status"] == "waiting"


@pytest.mark.parametrize(
    "prefix", ["Canceled: ", "Abgesagt: ", "Inställt: ", "已取消：", "[Canceled] "]
)
def test_a_calendar_export_keeps_a_called_off_meeting_as_canceled_and_that_is_no_interview(
    run: Run, tmp_path: Path, prefix: str
) -> None:
    """A cold trial (session 13): Outlook keeps a meeting its organizer called off in the
    attendee's calendar as "Canceled: …", exported without METHOD:CANCEL or STATUS: it was
    imported as an interview to thank (the prefix only left out of the company)."""
    calendar = Path(fixture(INVITE[OUTLOOK])).read_text()
    called_off = calendar.replace("METHOD:REQUEST", "METHOD:PUBLISH").replace(
        "SUMMARY;LANGUAGE=en-US:", f"SUMMARY;LANGUAGE=en-US:{prefix}"
    )
    path = tmp_path / "export.ics"
    path.write_text(called_off)
    done = run("import", str(path), "--yes", "--json")
    assert done.code == 0, done.err
    assert done.json["interviews"] == [] and "is cancelled and was never imported" in done.err
    # imported before it was called off: the export's copy cancels it (it is still ahead)
    before = imported(run, OUTLOOK)
    ok(run("import", str(path), "--yes"))
    assert ok(run("show", str(before["id"]), "--json")).json["status"] == "cancelled"


@pytest.mark.parametrize(
    ("modified", "status"),
    [
        ("20261129T120000Z", "cancelled"),  # called off the day before
        ("20261201T120000Z", "waiting"),  # tidied away after it took place: notes go on
    ],
)
def test_a_meeting_called_off_before_it_took_place_is_cancelled_when_imported_after(
    run: Run, tmp_path: Path, modified: str, status: str
) -> None:
    """Session 14's trial: a weekly calendar export held a meeting called off the day
    before it (LAST-MODIFIED), imported after it: "it took place before the invitation was
    withdrawn" — which the file contradicts — and its thank-you stayed."""
    before = imported(run, OUTLOOK)  # Mon 30 Nov 2026, 10:00 Pacific
    calendar = Path(fixture(INVITE[OUTLOOK])).read_text()
    called_off = calendar.replace("METHOD:REQUEST", "METHOD:PUBLISH").replace(
        "SUMMARY;LANGUAGE=en-US:", f"LAST-MODIFIED:{modified}\nSUMMARY;LANGUAGE=en-US:Canceled: "
    )
    path = tmp_path / "weekly.ics"
    path.write_text(called_off)
    ok(run("import", str(path), "--yes", now="2026-12-04T12:00:00Z"))
    assert ok(run("show", str(before["id"]), "--json")).json["status"] == status


def test_an_update_after_the_round_took_place_and_was_thanked_for_leaves_it_as_it_was(
    run: Run, tmp_path: Path
) -> None:
    """A cold trial (session 17): the recruiter dragged the same event to the next round's
    date; the import moved the round that took place, its follow-up then due before it."""
    before = imported(run, GOOGLE)  # Tue 1 Dec 2026, 15:00 UTC
    ok(run("sent", str(before["id"]), now="2026-12-03T16:00:00Z"))
    calendar = Path(fixture(INVITE[GOOGLE])).read_text()
    dragged = (
        calendar.replace("SEQUENCE:0", "SEQUENCE:1")
        .replace("DTSTART:20261201T150000Z", "DTSTART:20261214T150000Z")
        .replace("DTEND:20261201T160000Z", "DTEND:20261214T160000Z")
    )
    path = tmp_path / "next-round.ics"
    path.write_text(dragged)
    done = run("import", str(path), "--yes", now="2026-12-04T12:00:00Z")
    assert done.code == 0, done.err
    assert f"Interview {before['id']} unchanged: it took place and was thanked for" in done.out
    assert (
        f"A next round? `followup add --application {before['application_id']}"
        " --at 2026-12-14T16:00 --tz Europe/Berlin`"
    ) in done.err
    after = ok(run("show", str(before["id"]), "--json", now="2026-12-04T12:00:00Z")).json
    assert after["start"] == before["start"]
    assert [n["due_at"] > after["start"] for n in after["notes"]] == [True] * len(after["notes"])
    again = run("import", str(path), "--yes", now="2026-12-04T12:00:00Z")  # said once
    assert again.code == 0 and "took place" not in again.err


def test_an_update_of_a_round_not_yet_thanked_for_still_moves_it(run: Run, tmp_path: Path) -> None:
    """Moved before anyone was thanked (an update read late): it is the same round, moved."""
    before = imported(run, GOOGLE)
    calendar = Path(fixture(INVITE[GOOGLE])).read_text()
    moved = (
        calendar.replace("SEQUENCE:0", "SEQUENCE:1")
        .replace("DTSTART:20261201T150000Z", "DTSTART:20261208T150000Z")
        .replace("DTEND:20261201T160000Z", "DTEND:20261208T160000Z")
    )
    ada = re.search(r"ATTENDEE[^\n]*CN=Ada Lo\r?\n [^\n]*\n", moved)
    assert ada is not None
    path = tmp_path / "moved.ics"
    path.write_text(moved.replace(ada.group(), ""))  # Ada is no longer invited
    done = ok(run("import", str(path), "--yes", now="2026-12-02T12:00:00Z"))
    after = ok(run("show", str(before["id"]), "--json")).json
    assert after["start"] == "2026-12-08T15:00:00Z"
    # a trial: someone dropped from the update kept their thank-you, and nothing said so
    assert "Ada Lovelace is not on the updated event 1" in done.err
    assert f"`followup edit {before['id']} --remove-interviewer ada@acme.example`" in done.err
