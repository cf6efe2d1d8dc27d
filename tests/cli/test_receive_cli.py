"""`followup receive FILE.eml` and `followup reclassify`, and where their effects show:
list, show, agenda, stats, undo (issue #15)."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from followup.app.errors import ExitCode
from followup.cli.mail_read import _KINDS
from followup.domain.replies import Kind
from tests.conftest import Run

KEYS = {"message_id", "from", "subject", "kind", "reason", "matched", "matched_by", "changes",
        "note", "next_round", "unverified"}  # fmt: skip


def eml(path: Path, sender: str, subject: str, body: str, msg_id: str, **headers: str) -> str:
    m = EmailMessage()
    m["From"], m["To"], m["Subject"], m["Message-ID"] = sender, "grace@example.org", subject, msg_id
    m["Date"] = "Wed, 25 Nov 2026 09:00:00 +0000"
    for name, value in headers.items():
        m[name.replace("_", "-")] = value
    m.set_content(body)
    path.write_bytes(bytes(m))
    return str(path)


def add(run: Run, company: str, role: str, *people: str) -> int:
    extra = [a for p in people for a in ("--interviewer", p)]
    done = run("add", "--company", company, "--role", role, "--at", "2026-11-20T10:00:00Z",
               *extra, "--json")  # fmt: skip
    assert done.code == 0, done.err
    return int(done.json["id"])


def status(run: Run, iid: int | str) -> str:
    return str(run("show", str(iid), "--json").json["status"])


def test_the_kind_choices_are_the_classifiers_kinds() -> None:
    assert tuple(k.value for k in Kind) == _KINDS


def test_a_reply_saved_from_a_mail_client_stops_the_notes(run: Run, tmp_path: Path) -> None:
    iid = add(run, "Acme", "Engineer", "Ada <ada@acme.example>")
    other = add(run, "Beta", "Engineer", "Bo <bo@beta.example>")
    path = eml(tmp_path / "r.eml", "Ada <ada@acme.example>", "Re: Thank you",
               "Thanks Grace, we will be in touch next week.", "<r1@acme.example>")  # fmt: skip
    done = run("receive", path, "--json")
    assert done.code == 0, done.err
    assert set(done.json) == KEYS
    assert (done.json["kind"], done.json["matched"], done.json["matched_by"]) == (
        "human",
        [iid],
        "sender",
    )
    assert done.json["changes"] == [
        {
            "interview_id": iid,
            "kind": "replied",
            "detail": "ada@acme.example replied",
            "status": "replied",
        }
    ]
    assert (status(run, iid), status(run, other)) == ("replied", "waiting")
    again = run("receive", path, "--json")  # the same message twice acts once
    assert (again.json["changes"], again.json["note"]) == ([], "already received: nothing changed")


def test_a_message_that_matches_nothing_changes_nothing_and_says_so(
    run: Run, tmp_path: Path
) -> None:
    iid = add(run, "Acme", "Engineer", "Ada <ada@acme.example>")
    path = eml(tmp_path / "x.eml", "Zed <zed@elsewhere.example>", "Hello",
               "Are you free for lunch?", "<z@elsewhere.example>")  # fmt: skip
    done = run("receive", path)
    assert done.code == 0
    assert done.out.splitlines()[1:] == ["matched no interview: nothing changed"]
    assert run("receive", path, "--json").json["matched"] == []
    assert status(run, iid) == "waiting"
    assert run("show", str(iid), "--json").json["inbound"] == []


def test_receive_refuses_what_is_not_a_message(run: Run, tmp_path: Path) -> None:
    bad = tmp_path / "b.eml"
    bad.write_bytes(b"just some text\n")
    done = run("receive", str(bad))
    assert done.code == ExitCode.INVALID
    assert done.err.startswith("followup: error: ") and done.err.count("\n") == 1


def test_a_rejection_shows_in_list_show_agenda_and_stats_and_undo_takes_it_back(
    run: Run, tmp_path: Path
) -> None:
    iid = add(run, "Acme", "Engineer", "Ada <ada@acme.example>")
    path = eml(tmp_path / "n.eml", "Ada <ada@acme.example>", "Your application",
               "Hi Grace, we have decided not to move forward with your application.",
               "<n1@acme.example>")  # fmt: skip
    done = run("receive", path, "--json")
    assert done.code == 0, done.err
    assert (done.json["kind"], [c["status"] for c in done.json["changes"]]) == (
        "rejection",
        ["rejected"],
    )
    reason = done.json["reason"]
    listed = run("list", "--status", "rejected", "--json").json
    assert [r["id"] for r in listed] == [iid]
    shown = run("show", str(iid)).out
    assert "· rejected" in shown
    assert f"rejection received: “Your application” — {reason}" in shown
    assert "(ada@acme.example)" in shown
    assert "They said no: the application ended, no more notes." in shown
    assert "they said no" in run("agenda").out
    stats = run("stats", "--json").json
    assert stats["totals"]["rejected"] == 1
    assert stats["outcomes"][0] == {
        "outcome": "rejected", "count": 1, "days_median": 4.92, "days_p90": 4.92,
    }  # fmt: skip
    assert "rejected" in run("stats").out
    undone = run("undo", str(iid))
    assert undone.code == 0, undone.err
    assert status(run, iid) == "waiting"
    assert run("show", str(iid), "--json").json["inbound"] == []


def test_reclassify_corrects_a_wrong_reading_and_undo_takes_it_back(
    run: Run, tmp_path: Path
) -> None:
    iid = add(run, "Acme", "Engineer", "Ada <ada@acme.example>")
    path = eml(tmp_path / "n.eml", "Ada <ada@acme.example>", "Re: Thank you",
               "Thanks Grace! Sadly it is a no from the team this time; we were torn.",
               "<n2@acme.example>")  # fmt: skip
    assert run("receive", path, "--json").json["kind"] == "human"  # a miss: a person said no
    assert status(run, iid) == "replied"
    fixed = run("reclassify", "<n2@acme.example>", "--as", "rejection", "--json")
    assert fixed.code == 0, fixed.err
    assert fixed.json["kind"] == "rejection" and fixed.json["undone"]
    assert [c["status"] for c in fixed.json["changes"]] == ["rejected"]
    assert "reclassified by you" in run("show", str(iid)).out
    assert run("undo", str(iid)).code == 0  # the new reading taken back to the first one
    assert status(run, iid) == "replied"
    [kept] = run("show", str(iid), "--json").json["inbound"]
    assert (kept["message_id"], kept["classification"]) == ("<n2@acme.example>", "human")
    assert run("reclassify", "<n2@acme.example>", "--as", "rejection").code == 0  # again
    assert status(run, iid) == "rejected"
    same = run("reclassify", "<n2@acme.example>", "--as", "rejection")
    assert (same.code, same.out) == (0, "<n2@acme.example> is already read as rejection:"
                                         " nothing changed\n")  # fmt: skip
    assert status(run, iid) == "rejected"


def test_reclassify_an_unknown_message_is_not_found(run: Run) -> None:
    add(run, "Acme", "Engineer", "Ada <ada@acme.example>")
    done = run("reclassify", "<nope@x>", "--as", "offer")
    assert done.code == ExitCode.NOT_FOUND
    assert (
        done.err == "followup: error: no received message <nope@x> (`followup show ID --json` lists"
        ' them under "inbound")\n'
    )


def test_a_proposed_next_round_says_add_it_until_it_is_added(run: Run, tmp_path: Path) -> None:
    iid = add(run, "Acme", "Engineer", "Ada <ada@acme.example>")
    path = eml(tmp_path / "s.eml", "Ada <ada@acme.example>", "Next steps",
               "Could you share your availability?", "<s1@acme.example>")  # fmt: skip
    run("receive", path)
    assert run("reclassify", "<s1@acme.example>", "--as", "scheduling").code == 0
    assert status(run, iid) == "replied"
    assert "next round proposed: add it" in run("show", str(iid)).out
    agenda = run("agenda").out
    assert "next round proposed: add it (followup add --application 1 --at" in agenda
    assert "--application ID" not in agenda
    added = run("add", "--application", "1", "--at", "2026-12-02T10:00:00Z", "--json")
    assert added.code == 0, added.err
    assert added.json["advanced"] == [iid]
    assert status(run, iid) == "advanced"
    assert "next round proposed" not in run("show", str(iid)).out


INVITE = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Acme//Scheduling//EN
METHOD:REQUEST
BEGIN:VEVENT
UID:final-round-1@acme.example
SEQUENCE:0
DTSTAMP:20261125T080000Z
DTSTART:20261202T100000Z
DTEND:20261202T110000Z
SUMMARY:Acme final round
ORGANIZER;CN=Ada Lovelace:mailto:ada@acme.example
ATTENDEE;CN=Grace Hopper:mailto:grace@example.org
ATTENDEE;CN=Ada Lovelace:mailto:ada@acme.example
END:VEVENT
END:VCALENDAR
"""


def test_an_invitation_that_comes_with_the_answer_is_the_next_round(
    run: Run, tmp_path: Path
) -> None:
    from email.message import EmailMessage

    iid = add(run, "Acme", "Engineer", "Ada <ada@acme.example>")
    m = EmailMessage()
    m["From"], m["To"] = "Ada Lovelace <ada@acme.example>", "grace@example.org"
    m["Subject"], m["Message-ID"] = "Invitation: Acme final round", "<inv1@acme.example>"
    m["Date"] = "Wed, 25 Nov 2026 09:00:00 +0000"
    m.set_content("Hi Grace, we would like to invite you to the final round: see the invitation.")
    m.add_alternative(INVITE, subtype="calendar", params={"method": "REQUEST"})
    path = tmp_path / "invite.eml"
    path.write_bytes(bytes(m))
    done = run("receive", str(path), "--json")
    assert done.code == 0, done.err
    assert done.json["kind"] == "scheduling"
    [created] = done.json["next_round"]
    assert (created["action"], created["application_id"], created["company"]) == (
        "created",
        1,
        "Acme",
    )
    assert created["start"] == "2026-12-02T10:00:00Z"
    assert status(run, iid) == "advanced"  # answered, then moved on to the round it proposed
    assert "next round proposed" not in run("show", str(iid)).out
    assert status(run, str(created["id"])) == "waiting"


def test_receive_in_words_does_not_say_add_it_once_the_invitation_is_imported(
    run: Run, tmp_path: Path
) -> None:
    iid = add(run, "Acme", "Engineer", "Ada <ada@acme.example>")
    m = EmailMessage()
    m["From"], m["To"] = "Ada Lovelace <ada@acme.example>", "grace@example.org"
    m["Subject"], m["Message-ID"] = "Invitation: Acme final round", "<inv2@acme.example>"
    m["Date"] = "Wed, 25 Nov 2026 09:00:00 +0000"
    m.set_content("Hi Grace, we would like to invite you to the final round: see the invitation.")
    m.add_alternative(INVITE, subtype="calendar", params={"method": "REQUEST"})
    path = tmp_path / "invite.eml"
    path.write_bytes(bytes(m))
    done = run("receive", str(path))
    assert done.code == 0, done.err
    assert "add it" not in done.out
    assert f"interview {iid}: they proposed a next round: its invitation is imported below" in (
        done.out
    )
    assert "next round:" in done.out


def test_mail_ats_domains_adds_to_the_relays_the_classifier_knows(run: Run, tmp_path: Path) -> None:
    """`receive` matches mail from every relay `classify` knows (Taleo is not among the
    first fifteen), and a relay of the user's own adds to them: Greenhouse still counts."""
    acme = add(run, "Acme", "Engineer")
    harbor = add(run, "Harborview Bank", "Credit Risk Analyst")
    assert run("config", "set", "mail.ats_domains", "goodtime.io").code == 0
    rejection = "Thank you for your interest in Acme. We have decided not to move forward."
    path = eml(tmp_path / "gh.eml", "Acme <no-reply@us.greenhouse-mail.io>",
               "Your application to Acme", rejection, "<gh1@greenhouse>")  # fmt: skip
    done = run("receive", path, "--json")
    assert (done.json["matched"], status(run, acme)) == ([acme], "rejected"), done.json["note"]
    path = eml(tmp_path / "taleo.eml", "Harborview Bank <noreply@taleo.net>",
               "Your application to Harborview Bank", "We regret to inform you that you have"
               " not been selected.", "<t1@taleo>")  # fmt: skip
    done = run("receive", path, "--json")
    assert (done.json["matched"], status(run, harbor)) == ([harbor], "rejected"), done.json


def test_a_rejection_it_cannot_tie_to_one_application_exits_5_with_the_reason(
    run: Run, tmp_path: Path
) -> None:
    first = add(run, "Acme", "Backend Engineer")
    second = add(run, "Acme", "Product Designer")
    path = eml(tmp_path / "r.eml", "Acme <no-reply@us.greenhouse-mail.io>",
               "Your application to Acme", "Thank you for your interest in Acme. We have"
               " decided not to move forward.", "<amb@greenhouse>")  # fmt: skip
    done = run("receive", path)
    assert done.code == ExitCode.CONFLICT
    assert done.err == (
        f"followup: error: it could be about 2 applications (interviews {first}, {second}) and"
        " names none of their roles apart: nothing changed — `followup cancel ID` stops the"
        " notes of the one it is about\n"
    )
    as_json = run("receive", path, "--json")
    assert (as_json.code, as_json.json["changes"]) == (ExitCode.CONFLICT, [])
    assert {status(run, i) for i in (first, second)} == {"waiting"}


MAIL = Path(__file__).parent.parent / "fixtures" / "mail"
# a Postfix DSN for ada@acme.example returning a note whose Message-ID is not one of ours
BOUNCE_FOR_ADA = str(MAIL / "synthesized_bounce_with_our_message_id_attached.eml")


def test_a_bounce_of_a_note_sent_by_hand_flags_the_interviewer_it_names(run: Run) -> None:
    """A cold trial (session 12): the thank-you recorded sent by hand (`followup sent`) has
    no Message-ID of ours, so its bounce "matched no interview". The DSN's failed recipient,
    an interviewer of one interview followed up, is enough: flagged as a matched bounce."""
    iid = add(run, "Acme", "Engineer", "Ada Lovelace <ada@acme.example>", "Bob <bob@acme.example>")
    assert run("sent", str(iid)).code == 0
    done = run("receive", BOUNCE_FOR_ADA, "--json")
    assert done.code == 0, done.err
    assert (done.json["kind"], done.json["matched"], done.json["matched_by"]) == (
        "bounce",
        [iid],
        "recipient",
    )
    assert [c["detail"] for c in done.json["changes"]] == ["ada@acme.example bounced (waiting)"]
    shown = run("show", str(iid), "--json").json
    people = {p["email"]: p["bounced"] for p in shown["interviewers"]}
    assert people == {"ada@acme.example": True, "bob@acme.example": False}
    again = run("receive", BOUNCE_FOR_ADA)  # the same bounce twice acts once
    assert again.code == 0
    assert "already received: nothing changed" in again.out


def test_a_bounce_by_recipient_says_how_it_matched(run: Run) -> None:
    iid = add(run, "Acme", "Engineer", "Ada Lovelace <ada@acme.example>")
    assert run("sent", str(iid)).code == 0
    done = run("receive", BOUNCE_FOR_ADA)
    assert done.code == 0, done.err
    assert f"matched:  interview {iid} (by recipient: the address that bounced is its" in done.out
    assert f"changed:  interview {iid}: ada@acme.example bounced (cancelled)" in done.out


def test_an_interview_every_address_of_bounced_says_how_to_put_it_right(run: Run) -> None:
    """A cold trial (session 15): the only interviewer's address bounced, the interview was
    cancelled and left the agenda and Today without a word — nobody had read a note."""
    iid = add(run, "Acme", "Engineer", "Ada Lovelace <ada@acme.example>")
    cancelled = add(run, "Beta", "Engineer", "Bo <bo@beta.example>")
    assert run("sent", str(iid)).code == 0
    assert run("cancel", str(cancelled)).code == 0  # cancelled by the user: not said again
    assert run("receive", BOUNCE_FOR_ADA).code == 0
    fix = f"followup edit {iid} --interviewer ada@acme.example --email …"
    said = run("agenda").out
    assert (
        f"  {iid}  Acme — ada@acme.example reaches nobody (it bounced): put the address right"
        in said
    )
    assert fix in said and "Beta" not in said
    fixed = run("edit", str(iid), "--interviewer", "ada@acme.example", "--email", "ada@acme.org")
    assert fixed.code == 0, fixed.err
    assert status(run, iid) == "waiting" and "bounced" not in run("agenda").out


def test_a_bounce_for_an_address_of_several_interviews_or_none_changes_nothing(
    run: Run,
) -> None:
    other = add(run, "Acme", "SRE", "Bob <bob@acme.example>")
    done = run("receive", BOUNCE_FOR_ADA, "--json")  # nobody on a panel has ada's address
    assert (done.json["matched"], done.json["changes"]) == ([], [])
    assert done.json["note"] == "matched no interview: nothing changed"
    first = add(run, "Acme", "Engineer", "Ada Lovelace <ada@acme.example>")
    second = add(run, "Acme", "Designer", "Ada Lovelace <ada@acme.example>")
    # no note went to her yet: an old bounce of the user's own mail (a cold trial, session
    # 16: one dated before the interview cancelled the sequence)
    done = run("receive", BOUNCE_FOR_ADA, "--json")
    assert done.json["note"] == "matched no interview: nothing changed"
    assert run("sent", str(first)).code == 0 and run("sent", str(second)).code == 0
    done = run("receive", BOUNCE_FOR_ADA, "--json")
    assert (done.json["matched"], done.json["changes"]) == ([], [])
    assert done.json["note"] == (
        f"ada@acme.example is an interviewer of interviews {first}, {second} and the bounce"
        " names no note of ours: nothing changed — `followup edit ID --remove-interviewer"
        " ada@acme.example` stops the notes to it"
    )
    for iid in (other, first, second):
        show = run("show", str(iid), "--json").json
        assert show["status"] == "waiting"
        assert not any(p["bounced"] for p in show["interviewers"])


def test_an_agencys_rejection_names_the_interview_and_changes_nothing(
    run: Run, tmp_path: Path
) -> None:
    """A cold trial (session 15): a rejection relayed by an agency recruiter said only
    "matched no interview"; the follow-ups went on after a no, with no hint why."""
    iid = add(run, "Northwind Analytics", "Data Engineer", "Klaus <k.weber@northwind.example>")
    path = eml(
        tmp_path / "agency.eml",
        "Tom Baker <tom.baker@hays.example>",
        "Your application with Northwind Analytics",
        "Hi Grace, Northwind Analytics have decided to move forward with other candidates for"
        " the Data Engineer role. Sorry to be the bearer of bad news.",
        "<agency-1@hays.example>",
    )
    done = run("receive", path)
    assert done.code == 0, done.err
    assert (
        f"it names a company of interview {iid}, but hays.example is not one of its domains:"
        " nothing changed" in done.out
    )
    assert "followup config set mail.ats_domains hays.example" in done.out
    assert status(run, iid) == "waiting"  # a name alone never decides: anyone can write one
    assert run("config", "set", "mail.ats_domains", "hays.example").code == 0
    assert run("receive", path).code == 0  # the same message, as the hint says
    assert status(run, iid) == "rejected"


def test_an_auto_reply_saying_they_left_stops_the_notes_to_them(run: Run, tmp_path: Path) -> None:
    """A cold trial (session 15): "I have left Northwind… no longer monitored" deferred the
    next note a week — to a mailbox nobody reads."""
    iid = add(run, "Acme", "Engineer", "Ada Lovelace <ada@acme.example>", "Bob <bob@acme.example>")
    assert run("sent", str(iid)).code == 0
    path = eml(
        tmp_path / "left.eml",
        "Ada Lovelace <ada@acme.example>",
        "Automatic reply: Thank you for the Engineer interview",
        "Please note I have left Acme and this mailbox is no longer monitored.",
        "<left-1@acme.example>",
        Auto_Submitted="auto-replied",
    )
    done = run("receive", path, "--json")
    assert done.code == 0, done.err
    assert (done.json["kind"], done.json["matched"]) == ("bounce", [iid])
    people = {
        p["email"]: p["bounced"] for p in run("show", str(iid), "--json").json["interviewers"]
    }
    assert people == {"ada@acme.example": True, "bob@acme.example": False}
    assert status(run, iid) == "waiting"  # the panel's notes go on, to Bob


def test_a_second_out_of_office_coming_back_sooner_says_the_notes_still_wait(
    run: Run, tmp_path: Path
) -> None:
    """A cold trial (session 15): it said "next note after 2026-11-30" though the first
    out-of-office held the notes to 7 December, and the history never said an auto-reply
    asked for the wait."""
    iid = add(run, "Acme", "Engineer", "Ada Lovelace <ada@acme.example>")
    assert run("sent", str(iid)).code == 0

    def away(name: str, until: str) -> str:
        return eml(
            tmp_path / f"{name}.eml",
            "Ada Lovelace <ada@acme.example>",
            "Automatic reply: Thank you",
            f"I am out of the office until {until}.",
            f"<{name}@acme.example>",
            Auto_Submitted="auto-replied",
        )

    assert run("receive", away("long", "December 4, 2026")).code == 0
    second = run("receive", away("short", "November 27, 2026"))
    assert second.code == 0, second.err
    assert "the notes already wait until 2026-12-07; next note after 2026-12-07" in second.out
    said = run("history", str(iid)).out
    assert "an auto-reply from ada@acme.example: no note before" in said


def test_a_reply_in_another_companys_thread_is_about_the_senders_own_interview(
    run: Run, tmp_path: Path
) -> None:
    """A cold trial (session 15): Globex's interviewer answered in Initech's thread; Initech
    was marked replied and Globex's follow-up stayed planned."""
    initech = add(run, "Initech", "Backend Developer", "Marc <marc@initech.example>")
    globex = add(run, "Globex", "Platform Engineer", "Dana Scully <dscully@globex.example>")
    for iid in (initech, globex):
        assert run("draft", str(iid)).code == 0  # gives the thank-you its Message-ID
        assert run("sent", str(iid)).code == 0
    [thank_you, *_] = run("show", str(initech), "--json").json["notes"]

    def reply(name: str, sender: str) -> str:
        return eml(
            tmp_path / f"{name}.eml",
            sender,
            "Re: Thank you for the Backend Developer interview",
            "I think this was meant for someone else? We're still deciding; in touch soon.",
            f"<{name}@mail.example>",
            In_Reply_To=thank_you["message_id"],
        )

    done = run("receive", reply("dana", "Dana Scully <dscully@globex.example>"), "--json")
    assert done.code == 0, done.err
    assert (done.json["matched"], done.json["matched_by"]) == ([globex], "sender")
    assert (status(run, globex), status(run, initech)) == ("replied", "waiting")
    # a colleague at the thread's own company still answers for it
    done = run("receive", reply("hr", "HR <talent@initech.example>"), "--json")
    assert (done.json["matched"], done.json["matched_by"]) == ([initech], "thread")


def test_an_out_of_office_from_a_panellist_no_note_waits_for_holds_nothing_back(
    run: Run, tmp_path: Path
) -> None:
    """A cold trial (session 15): Bob's out-of-office, after his thank-you went, held the
    panel's follow-up to Ada (the panel's contact) for a week."""
    iid = add(run, "Acme", "Engineer", "Ada Lovelace <ada@acme.example>", "Bob <bob@acme.example>")
    assert run("sent", str(iid)).code == 0  # both thank-yous went

    def away(sender: str, name: str) -> str:
        return eml(
            tmp_path / f"{name}.eml",
            sender,
            "Automatic reply: Thank you",
            "I am out of the office until December 11, 2026.",
            f"<{name}@acme.example>",
            Auto_Submitted="auto-replied",
        )

    before = run("show", str(iid), "--json").json
    done = run("receive", away("Bob <bob@acme.example>", "bob-away"))
    assert done.code == 0, done.err
    assert "no note is waiting for Bob; the next ones go to Ada Lovelace" in done.out, done.out
    after = run("show", str(iid), "--json").json
    assert after["defer_until"] is None and after["notes"] == before["notes"]
    assert [m["classification"] for m in after["inbound"]] == ["auto-reply"]  # kept, seen
    assert "auto-reply" in run("history", str(iid)).out  # in the history, undoable
    done = run("receive", away("Ada Lovelace <ada@acme.example>", "ada-away"))
    assert done.code == 0 and "next note after 2026-12-1" in done.out, done.out
    assert run("show", str(iid), "--json").json["defer_until"] is not None


def test_a_rejection_naming_no_role_after_another_applications_no_changes_nothing(
    run: Run, tmp_path: Path
) -> None:
    """A cold trial (session 15): Greenhouse mailed the ML Engineer rejection twice, the
    second time naming no role; it ended the one application still open at the company."""
    ml = add(run, "Kestrel Robotics", "ML Engineer", "Ana <ana@kestrel.example>")
    data = add(run, "Kestrel Robotics", "Data Engineer", "Ben <ben@kestrel.example>")
    sender = "Kestrel Robotics <no-reply@us.greenhouse-mail.io>"
    first = eml(
        tmp_path / "named.eml",
        sender,
        "Your application to Kestrel Robotics",
        "Hi Grace, thank you for interviewing for the ML Engineer role at Kestrel Robotics."
        " Unfortunately we have decided not to move forward with your application.",
        "<r1@greenhouse.example>",
    )
    assert run("receive", first).code == 0
    assert (status(run, ml), status(run, data)) == ("rejected", "waiting")
    again = eml(
        tmp_path / "norole.eml",
        sender,
        "Your application to Kestrel Robotics",
        "Hi Grace, thank you for your interest in Kestrel Robotics. Unfortunately we have"
        " decided not to move forward with your application.",
        "<r2@greenhouse.example>",
    )
    done = run("receive", again)
    assert done.code == 5, (done.code, done.out, done.err)
    said = done.out + done.err
    assert f"the ML Engineer application (interview {ml}) was rejected on" in said, said
    assert "nothing changed" in said
    assert status(run, data) == "waiting"


def test_the_timeline_says_a_note_failed_by_a_bounce_when_it_bounced_not_when_due(
    run: Run,
) -> None:
    """A cold trial (session 15): the contact's bounce showed "follow-up failed" a week in
    the future, beside the follow-up now due to the next panellist."""
    iid = add(run, "Acme", "Engineer", "Ada Lovelace <ada@acme.example>", "Bob <bob@acme.example>")
    assert run("sent", str(iid)).code == 0
    assert run("receive", BOUNCE_FOR_ADA).code == 0
    lines = run("show", str(iid)).out.splitlines()
    [gone] = [line for line in lines if "not sent" in line]
    assert gone.lstrip().startswith("✓ Wed 25 Nov 2026"), gone  # when it bounced
    assert gone.endswith("follow-up not sent: the address bounced (Ada Lovelace)"), gone
    # the thank-you the bounce returned is said so (a cold trial: it read as sent, full stop)
    assert any(
        line.endswith("thank-you sent, but the address bounced (Ada Lovelace)") for line in lines
    ), lines
    assert not any("follow-up failed" in line for line in lines), lines
    assert not any("DSN Action" in line for line in lines), lines  # protocol words: history
    assert any(line.endswith("follow-up due (Bob)") for line in lines), lines


def test_one_panellists_out_of_office_never_makes_anothers_thank_you_late(
    run: Run, tmp_path: Path
) -> None:
    """A cold trial (session 16): Bob's out-of-office before the thank-yous went moved all
    three to his return, 18 days after the interview; and an out-of-office from an address
    that had bounced still held the contact's follow-up back."""
    iid = add(run, "Acme", "Engineer", "Ada Lovelace <ada@acme.example>", "Bob <bob@acme.example>")
    away = eml(
        tmp_path / "bob.eml",
        "Bob <bob@acme.example>",
        "Automatic reply: next steps",
        "I am out of the office until December 11, 2026.",
        "<bob-away@acme.example>",
        Auto_Submitted="auto-replied",
    )
    before = run("show", str(iid), "--json").json["notes"]
    done = run("receive", away)
    assert done.code == 0, done.err
    assert "the thank-you to Bob goes as planned (it waits in their inbox)" in done.out
    after = run("show", str(iid), "--json").json
    assert after["defer_until"] is None and after["notes"] == before


def test_an_out_of_office_from_an_address_that_bounced_holds_nothing_back(
    run: Run, tmp_path: Path
) -> None:
    iid = add(run, "Acme", "Engineer", "Ada Lovelace <ada@acme.example>", "Bob <bob@acme.example>")
    assert run("sent", str(iid)).code == 0
    assert run("receive", BOUNCE_FOR_ADA).code == 0  # Ada bounced: Bob is the contact now
    path = eml(
        tmp_path / "ada-away.eml",
        "Ada Lovelace <ada@acme.example>",
        "Automatic reply: Thank you",
        "I am out of the office until December 11, 2026.",
        "<ada-away@acme.example>",
        Auto_Submitted="auto-replied",
    )
    done = run("receive", path)
    assert done.code == 0 and "Ada Lovelace gets no more notes" in done.out, done.out
    assert run("show", str(iid), "--json").json["defer_until"] is None


def rejection(tmp_path: Path, name: str, title: str) -> str:
    return eml(
        tmp_path / f"{name}.eml",
        "Orbital Health <no-reply@us.greenhouse-mail.io>",
        "Your application to Orbital Health",
        f"Thank you for applying for the {title} opening. Unfortunately we have decided not"
        " to move forward with your application.",
        f"<{name}@greenhouse.example>",
    )


@pytest.mark.parametrize(
    "title", ["Sr. Data Engineer", "Senior Data Engineer", "senior data engineer"]
)
def test_a_rejection_for_the_senior_role_ends_that_one_not_the_role_inside_it(
    run: Run, tmp_path: Path, title: str
) -> None:
    """A cold trial (session 16): "Sr. Data Engineer" ended the Data Engineer application,
    and "Senior Data Engineer" exactly was said to name "none of their roles apart"."""
    plain = add(run, "Orbital Health", "Data Engineer", "Ana <ana@orbitalhealth.example>")
    senior = add(run, "Orbital Health", "Senior Data Engineer", "Ben <ben@orbitalhealth.example>")
    done = run("receive", rejection(tmp_path, "senior", title))
    assert done.code == 0, done.err
    assert (status(run, plain), status(run, senior)) == ("waiting", "rejected")


def test_a_rejection_for_a_longer_title_changes_nothing_for_the_role_inside_it(
    run: Run, tmp_path: Path
) -> None:
    plain = add(run, "Orbital Health", "Data Engineer", "Ana <ana@orbitalhealth.example>")
    done = run("receive", rejection(tmp_path, "staff", "Staff Data Engineer"))
    assert done.code == 5, (done.code, done.out, done.err)
    assert "it names the role Staff Data Engineer, not Data Engineer" in done.err
    assert status(run, plain) == "waiting"
    done = run("receive", rejection(tmp_path, "plain", "Data Engineer"))
    assert done.code == 0 and status(run, plain) == "rejected"


@pytest.mark.parametrize("title", ["Data Engineer II", "Data Engineer 2"])
def test_a_graded_title_is_its_own_role(run: Run, tmp_path: Path, title: str) -> None:
    """A cold trial (session 16): "Data Engineer 2" (Workday's "II") ended the Data Engineer
    application, and "Data Engineer II" named "none of their roles apart"."""
    plain = add(run, "Orbital Health", "Data Engineer", "Ana <ana@orbitalhealth.example>")
    graded = add(run, "Orbital Health", "Data Engineer II", "Ben <ben@orbitalhealth.example>")
    senior = add(run, "Orbital Health", "Senior Data Engineer", "Cy <cy@orbitalhealth.example>")
    done = run("receive", rejection(tmp_path, "graded", title))
    assert done.code == 0, done.err
    assert [status(run, i) for i in (plain, graded, senior)] == ["waiting", "rejected", "waiting"]


def test_an_out_of_office_never_holds_a_thank_you_back(run: Run, tmp_path: Path) -> None:
    """A cold trial (session 16): an out-of-office before the thank-you went held it to the
    return date, two weeks after the interview, where the agenda called it fading. It waits
    in their inbox; the follow-up that reaches them away brings the auto-reply again."""
    iid = add(run, "Acme", "Engineer", "Ada Lovelace <ada@acme.example>")
    away = eml(
        tmp_path / "ada.eml",
        "Ada Lovelace <ada@acme.example>",
        "Automatic reply: next steps",
        "I am out of the office until December 11, 2026.",
        "<ada-away-1@acme.example>",
        Auto_Submitted="auto-replied",
    )
    done = run("receive", away)
    assert done.code == 0 and "the thank-you to Ada Lovelace goes as planned" in done.out
    assert run("show", str(iid), "--json").json["defer_until"] is None
