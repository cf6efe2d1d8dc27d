"""Follow-ups out to a calendar: stable UIDs, SEQUENCE, no floating times, no injection."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from followup.adapters.calendar.ics import CODEC, ics_text
from followup.adapters.clock import FixedClock
from followup.adapters.store.memory import MemoryStore
from followup.app import calendar, services
from followup.app.calendar import CLOSED_ITEMS_KEPT
from followup.app.context import Context
from followup.app.rows import Feed, FeedItem, FeedNote, NewInterviewer
from followup.domain.model import NoteKind, NoteState
from followup.domain.policy import ARTICLE_POLICY
from followup.domain.workdays import no_holidays
from tests.calendar.helpers import fixture, ok, only
from tests.conftest import Run

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def no_floating(raw: bytes) -> None:
    """Every DTSTART/DTEND/DUE/COMPLETED/DTSTAMP is UTC (Z) or has a TZID with a VTIMEZONE."""
    text = raw.decode("utf-8").replace("\r\n ", "").replace("\r\n", "\n")
    defined = set(re.findall(r"^TZID:(.+)$", text, re.MULTILINE))
    times = re.findall(r"^(DTSTART|DTEND|DUE|COMPLETED|DTSTAMP)([;:][^\r\n]*)$", text, re.M)
    assert times
    for name, rest in times:
        params, _, value = rest.rpartition(":")
        tzid = re.search(r"TZID=([^;:]+)", params)
        assert value.endswith("Z") or (tzid and tzid.group(1) in defined), (name, rest)


def lines_are_safe(raw: bytes) -> None:
    """CRLF line ends only, lines folded to 75 octets, no control characters in them."""
    assert raw.endswith(b"\r\n")
    for line in raw[:-2].split(b"\r\n"):
        assert len(line) <= 75, line
        assert not re.search(rb"[\x00-\x08\x0a-\x1f\x7f]", line), line


# --- the codec alone -----------------------------------------------------------------------


def item(summary: str = "Thank-you note to Ada (Acme)", **kw: object) -> FeedItem:
    base: dict[str, object] = {
        "uid": "followup-abc-note-1@followup.invalid",
        "sequence": 0,
        "status": "open",
        "due": datetime(2026, 12, 2, 19, 0, tzinfo=UTC),
        "summary": summary,
        "description": "Draft it:  followup draft 1",
    }
    base.update(kw)
    return FeedItem(**base)  # type: ignore[arg-type]


def components(raw: bytes) -> list[str]:
    return [c.name for c in icalendar.Calendar.from_ical(raw).walk()]


def test_events_with_alarms_round_trip() -> None:
    items = (
        item(),
        item(uid="u2@x", sequence=3, due=datetime(2026, 12, 9, 9, 0, tzinfo=UTC), summary="B"),
    )
    raw = CODEC.write(Feed(todo=False, stamp=NOW, items=items))
    no_floating(raw)
    lines_are_safe(raw)
    parsed = icalendar.Calendar.from_ical(raw)
    events = list(parsed.walk("VEVENT"))
    assert [(str(e["UID"]), str(e["SUMMARY"]), e["DTSTART"].dt, int(e["SEQUENCE"]))
            for e in events] == [(i.uid, i.summary, i.due, i.sequence) for i in items]  # fmt: skip
    assert components(raw) == ["VCALENDAR", "VEVENT", "VALARM", "VEVENT", "VALARM"]
    alarm = next(iter(events[0].walk("VALARM")))
    assert alarm["TRIGGER"].dt == timedelta(0) and alarm["TRIGGER"].params["RELATED"] == "START"
    assert events[0]["DTEND"].dt - events[0]["DTSTART"].dt == timedelta(minutes=15)
    assert str(events[0]["TRANSP"]) == "TRANSPARENT"


def test_tasks_round_trip() -> None:
    items = (
        item(),
        item(uid="u2@x", status="done", done_at=datetime(2026, 12, 3, 8, 0, tzinfo=UTC)),
        item(uid="u3@x", status="cancelled"),
    )
    raw = CODEC.write(Feed(todo=True, stamp=NOW, items=items))
    no_floating(raw)
    todos = list(icalendar.Calendar.from_ical(raw).walk("VTODO"))
    assert [(str(t["UID"]), t["DUE"].dt, str(t["STATUS"])) for t in todos] == [
        (items[0].uid, items[0].due, "NEEDS-ACTION"),
        ("u2@x", items[1].due, "COMPLETED"),
        ("u3@x", items[2].due, "CANCELLED"),
    ]
    assert todos[1]["COMPLETED"].dt == datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
    assert components(raw) == ["VCALENDAR", "VTODO", "VALARM", "VTODO", "VTODO"]


@pytest.mark.parametrize(
    "evil",
    [
        "Acme\r\nATTENDEE:mailto:evil@x",
        "END:VEVENT\nBEGIN:VEVENT\nUID:evil\nSUMMARY:x",
        "END:VCALENDAR\r\nBEGIN:VCALENDAR",
        "Acme\rORGANIZER:mailto:evil@x",
        "Acme\u2028ATTENDEE:mailto:evil@x\x85UID:x\x0bDTSTART:x\x0cSTATUS:x\x1cY",
        "semi;colon,comma\\backslash:colon",
        "\x00NUL and \x7f DEL",
    ],
)
def test_no_summary_can_add_a_property_or_component(evil: str) -> None:
    raw = CODEC.write(Feed(False, NOW, (item(summary=evil, description=evil),)))
    lines_are_safe(raw)
    event = only(list(icalendar.Calendar.from_ical(raw).walk("VEVENT")))
    assert set(event) == {"UID", "DTSTAMP", "SEQUENCE", "SUMMARY", "DESCRIPTION", "DTSTART",
                          "DTEND", "TRANSP", "STATUS"}  # fmt: skip
    assert str(event["SUMMARY"]) == ics_text(evil) == str(event["DESCRIPTION"])
    assert components(raw) == ["VCALENDAR", "VEVENT", "VALARM"]


def test_ics_text_keeps_what_icalendar_can_carry() -> None:
    assert ics_text("Ada Lovelace (Acme, Inc.; R&D) — «Zürich» 東京 😀\ttab\nline") == (
        "Ada Lovelace (Acme, Inc.; R&D) — «Zürich» 東京 😀\ttab\nline"
    )
    assert ics_text("a\r\nb\rc\u2028d\x85e\x0bf") == "a\nb\nc\nd\ne\nf"
    assert ics_text("a\x00b\x1bc\x9fd") == "a\ufffdb\ufffdc\ufffdd"


# --- property: any company or name text survives, and adds nothing ----------------------

CARRIED = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\x85\u2028\u2029"
                  "\x0b\x0c\x1c\x1d\x1e").filter(lambda c: c in "\t\n" or not (
                      ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F)),
    max_size=200,
)  # fmt: skip


def feed_note(company: str, name: str, role: str = "Backend Engineer") -> FeedNote:
    return FeedNote(
        note_id=7, interview_id=3, step=1, kind=NoteKind.THANK_YOU, state=NoteState.PENDING,
        due_at=datetime(2026, 12, 2, 19, 0, tzinfo=UTC), sent_at=None,
        interviewer_name=name, interviewer_email="ada@acme.example", company=company,
        role=role, interview_start=datetime(2026, 11, 30, 18, 0, tzinfo=UTC),
        interview_tz="America/Los_Angeles",
    )  # fmt: skip


def check_survives(company: str, name: str, todo: bool) -> None:
    built = calendar.feed_item(feed_note(company, name), "abc", 0)
    raw = CODEC.write(Feed(todo, NOW, (built,)))
    lines_are_safe(raw)
    parsed = icalendar.Calendar.from_ical(raw)
    kind = "VTODO" if todo else "VEVENT"
    assert components(raw) == ["VCALENDAR", kind, "VALARM"]
    (component,) = parsed.walk(kind)
    expected = {"UID", "DTSTAMP", "SEQUENCE", "SUMMARY", "DESCRIPTION", "STATUS"}
    expected |= {"DUE"} if todo else {"DTSTART", "DTEND", "TRANSP"}
    assert set(component) == expected
    assert str(component["UID"]) == built.uid
    assert str(component["SUMMARY"]) == ics_text(built.summary)
    assert str(component["DESCRIPTION"]) == ics_text(built.description)
    no_floating(raw)


@settings(max_examples=300, deadline=None)
@given(company=CARRIED, name=CARRIED, todo=st.booleans())
def test_any_text_survives_export_unchanged(company: str, name: str, todo: bool) -> None:
    built = calendar.feed_item(feed_note(company, name), "abc", 0)
    assert ics_text(built.summary) == built.summary  # nothing to replace in carried text
    check_survives(company, name, todo)


@settings(max_examples=300, deadline=None)
@given(company=st.text(max_size=100), name=st.text(max_size=100), todo=st.booleans())
def test_any_text_at_all_adds_no_property_or_component(company: str, name: str, todo: bool) -> None:
    check_survives(company, name, todo)


# --- publish: UIDs and SEQUENCE from the store ---------------------------------------------


@pytest.fixture
def ctx() -> Context:
    """The use-cases over the memory store (the store's side: tests/contract/)."""
    store = MemoryStore()
    return Context(store, FixedClock(NOW), ARTICLE_POLICY, "Europe/Berlin", lambda c: no_holidays)


def add(ctx: Context, start: datetime) -> int:
    return services.add_interview(
        ctx,
        services.NewInterview(
            company="Acme", role="Dev", start=start, tz="Europe/Berlin",
            interviewers=[NewInterviewer("Ada", "ada@acme.example")],
        ),
    ).interview_id  # fmt: skip


def test_uids_are_stable_sequence_rises_when_the_due_time_moves(ctx: Context) -> None:
    iid = add(ctx, datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    first = calendar.publish(ctx)
    (one,) = first.items
    assert one.sequence == 0 and one.status == "open"
    assert re.fullmatch(r"followup-[0-9a-f]{16}-note-\d+@followup\.invalid", one.uid)
    assert calendar.publish(ctx).items == first.items  # nothing moved: same SEQUENCE

    services.defer(ctx, iid, datetime(2026, 12, 1, 8, 0, tzinfo=UTC))
    (moved,) = calendar.publish(ctx).items
    assert (moved.uid, moved.sequence) == (one.uid, 1)
    assert moved.due > one.due

    services.cancel(ctx, iid)
    (gone,) = calendar.publish(ctx).items
    assert (gone.uid, gone.sequence, gone.status) == (one.uid, 2, "cancelled")
    assert calendar.publish(ctx).items == (gone,)

    clock = ctx.clock
    assert isinstance(clock, FixedClock)
    clock.advance(CLOSED_ITEMS_KEPT + timedelta(days=1))
    assert calendar.publish(ctx).items == ()  # a closed note leaves feeds after a while


def test_two_databases_never_share_a_uid() -> None:
    uids = []
    for _ in range(2):
        ctx = Context(MemoryStore(), FixedClock(NOW), ARTICLE_POLICY, "UTC", lambda c: no_holidays)
        add(ctx, datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
        uids += [i.uid for i in calendar.publish(ctx).items]
        assert calendar.publish(ctx).items[0].uid == uids[-1]  # and keep theirs
    assert len(uids) == 2 and uids[0] != uids[1]


def test_feed_serves_the_same_bytes_shape_as_the_export(ctx: Context) -> None:
    add(ctx, datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    raw = calendar.feed(ctx, CODEC, todo=False)
    no_floating(raw)
    assert components(raw) == ["VCALENDAR", "VEVENT", "VALARM"]


@pytest.mark.parametrize("todo", [False, True])
def test_the_export_is_streamed_and_writes_what_the_feed_serves(ctx: Context, todo: bool) -> None:
    """`export --ics` writes each note as the cursor reads it (calendar.export_ics through
    the codec's write_to): the same bytes as the whole feed, notes due at one instant in
    UID order (note 10's UID sorts before note 9's), and the same record of what was shown."""
    import io

    add(ctx, datetime(2026, 11, 24, 9, 0, tzinfo=UTC))
    services.add_interview(
        ctx,
        services.NewInterview(
            company="Globex",
            role="Dev",
            start=datetime(2026, 11, 23, 9, 0, tzinfo=UTC),
            tz="Europe/Berlin",
            interviewers=[NewInterviewer(f"P{k}", f"p{k}@globex.example") for k in range(10)],
        ),
    )  # fmt: skip  (a panel of ten: ten thank-yous due at one instant, note ids past 9)
    whole = calendar.feed(ctx, CODEC, todo=todo)  # published once: sequences as they stay
    out = io.BytesIO()
    result = calendar.export_ics(ctx, CODEC, out, todo=todo)
    assert out.getvalue() == whole == CODEC.write(calendar.publish(ctx, todo))
    assert result.as_dict("f.ics")["items"] == 11 == result.counts["open"]
    uids = [i.uid for i in calendar.publish(ctx, todo).items]
    dues = [i.due for i in calendar.publish(ctx, todo).items]
    assert sorted(zip(dues, uids, strict=True)) == list(zip(dues, uids, strict=True))


# --- the whole file, from the CLI ----------------------------------------------------------


def test_every_exported_file_reparses_to_the_planned_notes(run: Run, tmp_path: Path) -> None:
    for name in ("outlook_windows_tzid.ics", "synthesized_two_events.ics",
                 "synthesized_outlook_non_ascii_tzid.ics"):  # fmt: skip
        ok(run("import", "--yes", fixture(name)))
    ok(run("add", "--company", "Beta, Inc.; \\ R&D", "--role", "SRE", "--at", "2026-11-23T10:00Z"))
    pending = []
    for row in ok(run("list", "--json")).json:
        detail = ok(run("show", str(row["id"]), "--json")).json
        names = {p["id"]: p["name"] for p in detail["interviewers"]}
        for note in detail["notes"]:
            if note["state"] == "pending":
                pending.append((names.get(note["interviewer_id"]), detail["company"],
                                note["due_at"]))  # fmt: skip
    for todo in (False, True):
        out = tmp_path / f"notes-{todo}.ics"
        ok(run("export", "--ics", str(out), *(["--todo"] if todo else [])))
        raw = out.read_bytes()
        no_floating(raw)
        lines_are_safe(raw)
        parsed = icalendar.Calendar.from_ical(raw)
        found = list(parsed.walk("VTODO" if todo else "VEVENT"))
        assert len({str(c["UID"]) for c in found}) == len(found) == len(pending)
        when = "DUE" if todo else "DTSTART"
        got = sorted((str(c["SUMMARY"]), c[when].dt.strftime("%Y-%m-%dT%H:%M:%SZ")) for c in found)
        assert sorted(g[1] for g in got) == sorted(p[2] for p in pending)
        for person, company, _due in pending:
            who = f"to {person} ({company})" if person else f"({company}, "
            assert any(who in s for s, _ in got), (who, got)
