"""iCalendar in and out with `icalendar` (+ `x-wr-timezone`): the `CalendarCodec` port.

Reading turns a file (or an invitation e-mail's text/calendar part) into `InviteEvent`
values: every start an aware UTC instant with the IANA zone it was written in
(zones.py reads Windows names, vendor-prefixed names and the file's own VTIMEZONEs; a
floating time is read in the user's zone, with a warning; nothing falls back to UTC).
Anything that stops a file from being imported is one `InvalidInput` line naming the file,
the event and the problem, raised before anything is written.

A file's own VTIMEZONEs are code the reader runs: dateutil follows their rules from their
start to the instant asked about, and a rule such as `RRULE:FREQ=SECONDLY` kept it busy for
minutes while its memory grew by gigabytes. So a file's zones are bounded before anything
expands them (`_zone_sizes_problem` on the raw text, before icalendar builds them;
`_zone_rules` on each definition used), each rule ends by the last year an interview can be
in, and a definition is always this file's own (icalendar keeps the first VTIMEZONE of a
name for the whole process: in the dashboard's shared reader, another user's).

Writing turns a `Feed` into one VCALENDAR: instants in UTC (`...Z`, never floating), text
escaped and folded by icalendar, after `ics_text` has replaced what RFC 5545 TEXT cannot
carry (control characters), so no summary can start a property or a component.

Import this module only in the commands that need it: icalendar costs start-up time.
"""

from __future__ import annotations

import copy
import hashlib
import io
import itertools
import re
import warnings
from collections.abc import Iterable
from contextlib import suppress
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import Any, BinaryIO, cast
from urllib.parse import unquote
from zoneinfo import ZoneInfo

import icalendar

from followup.adapters.calendar.zones import (
    Resolved,
    _shown,
    name_to_zone,
    resolve_tzid,
    wall_to_instant,
)
from followup.app.calendar import (
    MAX_DESCRIPTION,
    MAX_LOCATION,
    NOTE_MINUTES,
)
from followup.app.errors import InvalidInput
from followup.app.rows import Attendee, Feed, FeedItem, Invitation, InviteEvent
from followup.domain.limits import FIRST_YEAR, LAST_YEAR, without_controls
from followup.domain.replies.text import forwarded

PRODID = "-//followup//follow-up reminders//EN"
_REFUSED_METHODS = {"REPLY", "COUNTER", "DECLINECOUNTER", "REFRESH"}
_MAX_UID = 1000
# A file's own time zones: real ones change their clocks by yearly rules (RFC 5545's
# examples, Outlook, Thunderbird, tzurl.org), and an invitation carries one or two (the most
# seen: 5 zones, 85 STANDARD/DAYLIGHT parts, 144 listed dates in one zone).
_MAX_ZONES = 20  # VTIMEZONEs in a file
_MAX_OBSERVANCES = 500  # their STANDARD/DAYLIGHT parts, in all
_MAX_ZONE_DATES = 2_000  # the dates their RDATE/EXDATE lines list, in all
# What following the zones an import uses may cost, in all: each rule's years (a rule is
# followed a year at a time from its DTSTART) plus each date listed. Outlook's zone, two
# rules from 1601, costs 1,000; 10,000 takes dateutil well under a second.
_ZONE_COST = 10_000
# No zone rule is followed past the last year an interview can be in (and the year of
# samples after it): a rule that never matches (FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30) would
# otherwise be followed to year 9999.
_RULES_END = datetime(LAST_YEAR + 1, 12, 31, 23, 59, 59)  # noqa: DTZ001  (rules are read naive)
_RULE_GAP = 8  # the most years between two changes a rule may leave (Feb 29: 4, or 8)
# icalendar's unfolding (content_line.UFOLD): `(\r?\n)+[ \t]`, without its quadratic cost
_FOLD = re.compile(rb"(?:(?<!\n)\r\n|(?<![\r\n])\n)(?:\r?\n)*[ \t]")
_BEGIN_ZONE = re.compile(rb"^BEGIN[^:\r\n]*:[ \t]*VTIMEZONE", re.IGNORECASE | re.MULTILINE)
_BEGIN_OBSERVANCE = re.compile(
    rb"^BEGIN[^:\r\n]*:[ \t]*(?:STANDARD|DAYLIGHT)", re.IGNORECASE | re.MULTILINE
)
_ZONE_BLOCK = re.compile(
    rb"^BEGIN[^:\r\n]*:[ \t]*VTIMEZONE.*?^END[^:\r\n]*:[ \t]*VTIMEZONE",
    re.IGNORECASE | re.MULTILINE | re.DOTALL,
)
_LISTED_DATES = re.compile(rb"^(?:RDATE|EXDATE)[^:\r\n]*:([^\r\n]*)", re.IGNORECASE | re.MULTILINE)
# Outlook keeps a meeting its organizer called off in the attendee's calendar, its title
# prefixed "Canceled: " (in the client's language), and exports it with neither METHOD:CANCEL
# nor always STATUS:CANCELLED: an interview that never took place, never one to thank for.
_CANCELLED_TITLE = re.compile(
    r"^\s*(?:[\[(]\s*)?(?:cancell?ed(?: event)?|abgesagt|annulé|cancelad[oa]|annullato"
    r"|geannuleerd|inställt|aflyst|avlyst|peruutettu|anulowano|zrušeno|отменено|已取消"
    r"|キャンセル済み|취소됨|iptal edildi)\s*(?:[:：\]\)]|\s[-–—]\s)",
    re.IGNORECASE,
)
# What RFC 5545 TEXT cannot hold: line breaks other than LF, and every other control
# character (and lone surrogates, which UTF-8 cannot encode).
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\ud800-\udfff]")


class _Text(icalendar.vText):
    """TEXT escaped exactly as RFC 5545 says. icalendar's own escaping first turns a literal
    backslash-N in the text into a line break (its API reads `\\N` as one), so a company
    called `A\\Nb` would come back as two lines."""

    def to_ical(self) -> bytes:
        escaped = (
            str(self)
            .replace("\\", "\\\\")
            .replace(";", "\\;")
            .replace(",", "\\,")
            .replace("\n", "\\n")
        )
        return escaped.encode("utf-8")


def _add_text(component: icalendar.cal.Component, name: str, text: str) -> None:
    component.add(name, _Text(ics_text(text)))


def ics_text(text: str) -> str:
    """`text` as iCalendar can carry it: line breaks become LF (written as an escaped
    `\\n`), other control characters U+FFFD. Text without them is returned unchanged."""
    return _CONTROLS.sub("\ufffd", _LINE_BREAKS.sub("\n", text))


class IcsCodec:
    """The `CalendarCodec` port over `icalendar`."""

    # --- reading ------------------------------------------------------------------------

    def read_ics(self, data: bytes, *, name: str, user_tz: str) -> Invitation:
        return _Reader(name, user_tz).read(data, method_hint="", fmt="ics")

    def read_email(self, data: bytes, *, name: str, user_tz: str) -> Invitation:
        calendar, method, sender = calendar_part(data, name)
        reader = _Reader(name, user_tz, sender)
        return reader.read(calendar, method_hint=method, fmt="eml")

    # --- writing ------------------------------------------------------------------------

    def write(self, feed: Feed) -> bytes:
        out = io.BytesIO()
        self.write_to(feed, feed.items, out)
        return out.getvalue()

    def write_to(self, feed: Feed, items: Iterable[FeedItem], out: BinaryIO) -> None:
        """`write`'s bytes, one component at a time: the calendar's head, then each item as
        it comes (never the whole calendar as objects or as bytes), then its end."""
        calendar = icalendar.Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        _add_text(calendar, "x-wr-calname", feed.name)
        head = bytes(calendar.to_ical())
        end = b"END:VCALENDAR\r\n"
        out.write(head.removesuffix(end))
        for item in items:
            component = _todo(item, feed) if feed.todo else _event(item, feed)
            out.write(bytes(component.to_ical()))
        out.write(end)


CODEC = IcsCodec()


# --- writing --------------------------------------------------------------------------------


def _common(component: icalendar.cal.Component, item: FeedItem, feed: Feed) -> None:
    component.add("uid", item.uid)
    component.add("dtstamp", feed.stamp.astimezone(UTC))
    component.add("sequence", item.sequence)
    _add_text(component, "summary", item.summary)
    _add_text(component, "description", item.description)


def _alarm(item: FeedItem, related: str) -> icalendar.Alarm:
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    _add_text(alarm, "description", item.summary)
    # At the due time itself: it is the earliest the etiquette allows, so an alarm before
    # it would invite sending too soon.
    alarm.add("trigger", timedelta(0), parameters={"RELATED": related})
    return alarm


def _event(item: FeedItem, feed: Feed) -> icalendar.Event:
    event = icalendar.Event()
    _common(event, item, feed)
    event.add("dtstart", item.due.astimezone(UTC))
    event.add("dtend", item.due.astimezone(UTC) + timedelta(minutes=NOTE_MINUTES))
    event.add("transp", "TRANSPARENT")  # a reminder, not a busy slot
    event.add("status", "CONFIRMED" if item.status == "open" else "CANCELLED")
    if item.status == "open":
        event.add_component(_alarm(item, "START"))
    return event


def _todo(item: FeedItem, feed: Feed) -> icalendar.Todo:
    todo = icalendar.Todo()
    _common(todo, item, feed)
    todo.add("due", item.due.astimezone(UTC))
    if item.status == "open":
        todo.add("status", "NEEDS-ACTION")
        todo.add_component(_alarm(item, "END"))
    elif item.status == "done":
        todo.add("status", "COMPLETED")
        todo.add("percent-complete", 100)
        if item.done_at is not None:
            todo.add("completed", item.done_at.astimezone(UTC))
    else:
        todo.add("status", "CANCELLED")
    return todo


# --- reading: e-mail --------------------------------------------------------------------------


def calendar_part(data: bytes, name: str) -> tuple[bytes, str, Attendee | None]:
    """The iCalendar bytes (as UTF-8) of an invitation e-mail, its MIME `method`, and its
    sender (who organizes an event that names no ORGANIZER: RFC 6047 has them agree)."""
    import email
    import email.policy

    try:
        message = email.message_from_bytes(data, policy=email.policy.default)
        parts = list(message.walk())
    except Exception as exc:  # the parser is lenient; anything it raises means garbage
        raise _bad(name, f"is not a readable e-mail message ({_short(exc)})") from exc
    if not message.keys():
        raise _bad(name, "is not an e-mail message (it has no headers)")
    chosen = None
    for part in parts:
        if part.get_content_type() == "text/calendar":
            chosen = part
            break
    if chosen is None:
        for part in parts:
            filename = (part.get_filename() or "").lower()
            if part.get_content_type() == "application/ics" or filename.endswith(".ics"):
                chosen = part
                break
    if chosen is None:
        raise _bad(name, "has no text/calendar part: it is not a calendar invitation")
    try:
        payload = chosen.get_payload(decode=True)
    except Exception as exc:
        raise _bad(name, f"its calendar part cannot be decoded ({_short(exc)})") from exc
    if not isinstance(payload, bytes) or not payload.strip():
        raise _bad(name, "its text/calendar part is empty")
    charset = chosen.get_content_charset() or "utf-8"
    with suppress(LookupError, UnicodeError):  # else the bytes as they are: icalendar says
        payload = payload.decode(charset).encode("utf-8")
    method = str(chosen.get_param("method") or "").strip().upper()
    return payload, method, _sender(message)


def _sender(message: Any) -> Attendee | None:
    """The From: the organizer of events that name none (RFC 6047) — unless the subject says
    the message forwards the invitation (a trial: an agency's "FW:" made its recruiter the
    panel's contact); then only who forwarded it, for the import to say."""
    try:
        addresses = message["From"].addresses
        subject = str(message["Subject"] or "")
    except Exception:  # no From, or one the header parser cannot read
        return None
    if len(addresses) != 1 or not addresses[0].addr_spec:
        return None
    forward = forwarded(subject)
    return Attendee(
        addresses[0].addr_spec,
        addresses[0].display_name or "",
        organizer=not forward,
        forwarded=forward,
    )


# --- reading: iCalendar -----------------------------------------------------------------------


def _bad(name: str, problem: str) -> InvalidInput:
    return InvalidInput(f"cannot import {name}: {problem}")


def _short(exc: BaseException, limit: int = 160) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _text(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else None
    if value is None:
        return ""
    try:
        return str(value)
    except Exception:
        return ""


def _display_name(cn: str) -> str:
    """A CN as written, or decoded when a mail client wrote it as an RFC 2047 encoded word
    ("=?utf-8?q?Lovelace=2C_Ada?=": a greeting read "Hello =?utf-8?q?…"). Undecodable: as
    written (the name's own checks judge it)."""
    cn = cn.strip()
    if "=?" not in cn:
        return cn
    from email.header import decode_header, make_header

    try:
        return str(make_header(decode_header(cn))).strip()
    except (ValueError, LookupError, UnicodeError):
        return cn


def _clean_line(text: str, limit: int) -> str | None:
    flat = " ".join(ics_text(without_controls(text)).replace("\ufffd", " ").split())
    return flat[:limit] or None


def _clean_block(text: str, limit: int) -> tuple[str | None, bool]:
    kept = ics_text(text).replace("\ufffd", "").replace("\r", "").strip()
    return (kept[:limit] or None), len(kept) > limit


# an icalendar parse error quoting an ORGANIZER or ATTENDEE line, and the address in it
_UNREAD_PERSON = re.compile(r"\b(ORGANIZER|ATTENDEE)[;:]", re.IGNORECASE)
_UNREAD_ADDRESS = re.compile(r"mailto:([^\s'\"\\,;<>]+)", re.IGNORECASE)


class _Reader:
    def __init__(self, name: str, user_tz: str, sender: Attendee | None = None) -> None:
        self.name = name
        self.user_tz = user_tz
        self.sender = sender
        self.built: dict[str, tuple[tzinfo | None, str | None]] = {}  # zone or problem
        self.zone_cost = 0  # what following the file's own zones costs so far (_ZONE_COST)
        self.resolved: dict[str, Resolved] = {}
        self.xwr_zone: str | None = None  # the current calendar's X-WR-TIMEZONE, resolved
        self.warnings: list[str] = []
        self.in_utc: list[tuple[int, str]] = []  # (number, label) of events in bare UTC

    def read(self, data: bytes, *, method_hint: str, fmt: str) -> Invitation:
        data = data.removeprefix(b"\xef\xbb\xbf")
        if not re.search(rb"^BEGIN:VCALENDAR\s*$", data, re.IGNORECASE | re.MULTILINE):
            raise _bad(self.name, "is not an iCalendar file (it has no BEGIN:VCALENDAR line)")
        sizes = _zone_sizes_problem(data)
        if sizes:
            raise _bad(self.name, sizes)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                components = icalendar.Calendar.from_ical(data, multiple=True)
        except Exception as exc:
            raise _bad(self.name, f"is not valid iCalendar ({_short(exc)})") from exc
        finally:
            _forget_file_zones()
        calendars = [c for c in components if c.name == "VCALENDAR"]
        if not calendars:
            raise _bad(self.name, "is not an iCalendar file (no VCALENDAR in it)")
        events: list[InviteEvent] = []
        methods: list[str] = []
        count = 0
        for calendar in calendars:
            method = _text(calendar.get("METHOD")).strip().upper() or method_hint
            if method in _REFUSED_METHODS:
                raise _bad(
                    self.name,
                    f"is an answer to an invitation (METHOD:{method}), not an invitation",
                )
            methods.append(method)
            vevents = [c for c in calendar.subcomponents if c.name == "VEVENT"]
            converted = self._standard(calendar, len(vevents))
            definitions = {
                _text(c.get("TZID")): c for c in calendar.subcomponents if c.name == "VTIMEZONE"
            }
            for vevent, standard in zip(vevents, converted, strict=True):
                count += 1
                events.append(self._event(vevent, standard, method, definitions, count))
        if not events:
            raise _bad(self.name, "has no VEVENT: there is no event to import")
        self._say_utc()
        return Invitation(
            format=fmt,
            method=methods[0] if methods else "",
            events=tuple(events),
            warnings=tuple(dict.fromkeys(self.warnings)),
        )

    def _say_utc(self) -> None:
        """One warning for every event in bare UTC: a calendar export writes them all so,
        and a line per event buried the others."""
        if len(self.in_utc) == 1:
            what, whose = f"{self.in_utc[0][1]} is", "its"
        elif self.in_utc:
            numbers = [str(n) for n, _ in self.in_utc]
            listed = ", ".join(numbers[:-1][:5])
            rest = len(numbers) - 6
            listed += f" and {rest + 1} more" if rest > 0 else f" and {numbers[-1]}"
            what, whose = f"events {listed} are", "their"
        else:
            return
        self.warnings.append(
            f"{what} given in UTC with no time zone: {whose} interviewers' working hours are"
            f" taken in your zone, {self.user_tz}"
        )

    # --- X-WR-TIMEZONE (Google's exports) --------------------------------------------

    def _standard(self, calendar: icalendar.Calendar, count: int) -> list[Any]:
        """The events as `x_wr_timezone.to_standard` makes them (floating times put in the
        calendar's X-WR-TIMEZONE), or Nones when the calendar has no usable one."""
        nothing: list[Any] = [None] * count
        self.xwr_zone = None
        raw = _text(calendar.get("X-WR-TIMEZONE")).strip()
        if not raw:
            return nothing
        zone = name_to_zone(raw)
        if zone is None:
            self.warnings.append(f'X-WR-TIMEZONE "{raw[:80]}" is not a time zone name: ignored')
            return nothing
        self.xwr_zone = zone
        if any(_file_zoned(c) for c in calendar.subcomponents if c.name == "VEVENT"):
            # x_wr_timezone asks every time's offset, also of a time in a zone icalendar
            # built from the file (never bounded: `_zone_rules`); the floating and UTC times
            # it would put in X-WR-TIMEZONE are read in it without it (`_instant`)
            return nothing
        import x_wr_timezone

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                standard = x_wr_timezone.to_standard(calendar, timezone=ZoneInfo(zone))
        except Exception:
            return nothing  # e.g. a broken DTSTART (the event's reading names it): xwr_zone
        converted = [c for c in standard.subcomponents if c.name == "VEVENT"]
        return converted if len(converted) == count else nothing

    # --- one event ---------------------------------------------------------------------

    def _event(
        self,
        vevent: icalendar.cal.Component,
        standard: icalendar.cal.Component | None,
        method: str,
        definitions: dict[str, icalendar.cal.Component],
        number: int,
    ) -> InviteEvent:
        summary = _text(vevent.get("SUMMARY")).strip()
        shown = _clean_line(summary, 60)
        label = f'event {number} ("{shown}")' if shown else f"event {number}"

        def fail(problem: str) -> InvalidInput:
            return _bad(self.name, f"{label}: {problem}")

        uid = self._uid(vevent, label)
        start_prop = vevent.get("DTSTART")
        if start_prop is None:
            raise fail("it has no DTSTART (no start time)")
        start, zone, utc_form = self._instant(
            start_prop, standard.get("DTSTART") if standard is not None else None,
            "DTSTART", definitions, fail,
        )  # fmt: skip
        if zone is None:
            zone = self.user_tz
            if utc_form:
                self.in_utc.append((number, label))
        duration = self._duration(vevent, standard, start, definitions, fail, label)
        sequence = self._sequence(vevent, label)
        status = _text(vevent.get("STATUS")).strip().upper()
        if vevent.get("RRULE") is not None or vevent.get("RDATE") is not None:
            self.warnings.append(f"{label} repeats: only its first occurrence is imported")
        location = _clean_line(_text(vevent.get("LOCATION")), MAX_LOCATION)
        description, cut = _clean_block(_text(vevent.get("DESCRIPTION")), MAX_DESCRIPTION)
        if cut:
            self.warnings.append(
                f"{label}: the description was cut to {MAX_DESCRIPTION} characters"
            )
        return InviteEvent(
            uid=uid,
            sequence=sequence,
            cancelled=method == "CANCEL"
            or status == "CANCELLED"
            or _CANCELLED_TITLE.match(summary) is not None,
            summary=_clean_line(summary, 300) or "",
            start=start,
            tz=zone,
            duration=duration,
            location=location,
            description=description,
            people=self._people(vevent, label),
            label=label,
            modified=_last_modified(vevent),
        )

    def _uid(self, vevent: icalendar.cal.Component, label: str) -> str:
        uid = _text(vevent.get("UID")).strip()
        recurrence = vevent.get("RECURRENCE-ID")
        if recurrence is not None:
            try:
                uid += " RECURRENCE-ID=" + recurrence.to_ical().decode("utf-8", "replace")
            except Exception:
                uid += " RECURRENCE-ID"
        if not uid or len(uid) > _MAX_UID:
            basis = "\n".join(
                _text(vevent.get(k)) for k in ("UID", "DTSTART", "SUMMARY", "ORGANIZER")
            )
            if not uid:
                self.warnings.append(
                    f"{label} has no UID: re-importing the same file finds it again,"
                    " but an updated invitation cannot be matched to it"
                )
            digest = hashlib.sha256(basis.encode("utf-8", "replace")).hexdigest()[:32]
            uid = f"no-uid-{digest}" if not uid else f"long-uid-{digest}"
        return uid

    def _sequence(self, vevent: icalendar.cal.Component, label: str) -> int:
        raw = vevent.get("SEQUENCE")
        if raw is None:
            return 0
        try:
            value = int(_text(raw).strip())
        except ValueError:
            self.warnings.append(f"{label}: SEQUENCE {_text(raw)[:20]!r} is not a number: 0")
            return 0
        return max(0, min(value, 2**31 - 1))

    def _people(self, vevent: icalendar.cal.Component, label: str) -> tuple[Attendee, ...]:
        people: list[Attendee] = []
        for _, error in getattr(vevent, "errors", ()):
            # icalendar drops a line it cannot split (a CN with escaped quotes): say whom
            unread = _UNREAD_PERSON.search(str(error))
            if unread:
                mailto = _UNREAD_ADDRESS.search(str(error))
                who = _clean_line(mailto[1], 120) if mailto else None
                self.warnings.append(
                    f"{label}: skipped an {unread[1].upper()} line that cannot be read"
                    f"{f' ({who})' if who else ''}: if they were on the panel, add them"
                    ' with `followup edit ID --add-interviewer "Name <address>"`'
                )
        for key, organizer in (("ORGANIZER", True), ("ATTENDEE", False)):
            values = vevent.get(key)
            if values is None:
                continue
            for value in values if isinstance(values, list) else [values]:
                address = _text(value).strip()
                if address[:7].lower() != "mailto:":
                    continue  # e.g. urn:uuid: or a bare CN: no address to write to
                params = getattr(value, "params", {}) or {}
                people.append(
                    Attendee(
                        # a URI: "mailto:happy%2Bhogan@…" is happy+hogan@ (a CR/LF decoded
                        # here is refused with the address, as if typed)
                        email=unquote(address[7:].strip()),
                        name=_display_name(_text(params.get("CN"))),
                        organizer=organizer,
                        kind=_text(params.get("CUTYPE")).strip().upper(),
                        role=_text(params.get("ROLE")).strip().upper(),
                    )
                )
        if self.sender is not None and not any(p.organizer for p in people):
            # a forwarder last: one also on the event is read as the file lists them
            people.insert(len(people) if self.sender.forwarded else 0, self.sender)
        return tuple(people)

    # --- times -------------------------------------------------------------------------

    def _instant(
        self,
        prop: Any,
        standard_prop: Any,
        what: str,
        definitions: dict[str, icalendar.cal.Component],
        fail: Any,
    ) -> tuple[datetime, str | None, bool]:
        """(UTC instant, IANA zone or None, written in UTC) of a DTSTART/DTEND."""
        if isinstance(prop, list):
            raise fail(f"it has {len(prop)} {what} properties")
        try:
            value = prop.dt
        except Exception as exc:
            raise fail(f"{what} {_raw(prop)} is not a date and time") from exc
        if isinstance(value, date) and not isinstance(value, datetime):
            if what == "DTSTART":
                raise fail(
                    "it is an all-day event (a date with no time): an interview needs a start"
                    " time — add it with `followup add --at`"
                )
            raise fail(f"{what} is a date but DTSTART a date and time")
        if not isinstance(value, datetime):
            raise fail(f"{what} is not a date and time")
        # Refused before any zone arithmetic, which overflows near year 1 and 9999 (the
        # import checks the exact UTC range, limits.instant_problem, with the same years).
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            shown = value.replace(tzinfo=None).isoformat(" ", "minutes")
            raise fail(
                f"{what} {shown} is out of range: an interview is between {FIRST_YEAR}"
                f" and {LAST_YEAR}"
            )
        params = getattr(prop, "params", {}) or {}
        tzid = _text(params.get("TZID")).strip()
        wall = value.replace(tzinfo=None, fold=0)
        if tzid:
            try:
                return (*self._zoned(wall, tzid, value.tzinfo, definitions, what), False)
            except InvalidInput as exc:
                raise fail(f"{what}: {exc}") from exc
        standard_zone = _zone_key(getattr(standard_prop, "dt", None)) or self.xwr_zone
        if value.tzinfo is not None:  # written in UTC ("...Z")
            return value.astimezone(UTC), standard_zone, True
        if standard_zone is not None:  # floating, put in X-WR-TIMEZONE (to_standard)
            instant, note = wall_to_instant(wall, ZoneInfo(standard_zone), standard_zone)
            if note:
                self.warnings.append(f"{what}: {note}")
            return instant, standard_zone, False
        zone = self.user_tz
        self.warnings.append(
            f"{what} {wall:%Y-%m-%d %H:%M} is a floating time (no time zone in the file):"
            f" read in your zone, {zone}"
        )
        instant, note = wall_to_instant(wall, ZoneInfo(zone), zone)
        if note:
            self.warnings.append(f"{what}: {note}")
        return instant, zone, False

    def _zoned(
        self,
        wall: datetime,
        tzid: str,
        attached: tzinfo | None,
        definitions: dict[str, icalendar.cal.Component],
        what: str,
    ) -> tuple[datetime, str]:
        # The file's own VTIMEZONE, read when the name alone does not tell the zone (it is
        # slow) or icalendar could not look the name up (its definition is then compared
        # with the zone the name gives). Never the zone icalendar attached: that is the first
        # definition of the name this process saw, maybe another file's.
        named = name_to_zone(tzid)
        definition = None
        if named is None or not isinstance(attached, ZoneInfo | timezone | None):
            definition, problem = self._definition(tzid, definitions)
            if problem and named is None:
                raise InvalidInput(
                    f"the time zone {_shown(tzid)} is defined in the file with {problem}:"
                    " cannot tell the time"
                )
            if problem:
                self.warnings.append(
                    f"the file defines time zone {_shown(tzid)} with {problem}: its definition"
                    f" is ignored, the zone read as {named}"
                )
        resolved = self.resolved.get(tzid)  # DTEND in the zone of DTSTART: decided once
        if resolved is None:
            resolved = self.resolved[tzid] = resolve_tzid(tzid, definition, wall)
        if resolved.warning:
            self.warnings.append(resolved.warning)
        zone = ZoneInfo(resolved.zone)
        instant, note = wall_to_instant(wall, zone, resolved.zone)
        if note:
            self.warnings.append(f"{what}: {note}")
        if definition is not None:
            try:
                theirs = instant.astimezone(definition).utcoffset()
            except Exception:
                theirs = None
            ours = instant.astimezone(zone).utcoffset()
            if theirs is not None and ours is not None and theirs != ours:
                instant = wall.replace(tzinfo=definition).astimezone(UTC)
                self.warnings.append(
                    f"{what}: the file defines {tzid!r} as UTC{_hours(theirs)} at"
                    f" {wall:%Y-%m-%d %H:%M}, where {resolved.zone} is UTC{_hours(ours)}:"
                    " the file's own definition is used"
                )
        return instant, resolved.zone

    def _duration(
        self,
        vevent: icalendar.cal.Component,
        standard: icalendar.cal.Component | None,
        start: datetime,
        definitions: dict[str, icalendar.cal.Component],
        fail: Any,
        label: str,
    ) -> timedelta | None:
        end_prop = vevent.get("DTEND")
        length: timedelta | None = None
        if end_prop is not None:
            end, _, _ = self._instant(
                end_prop, standard.get("DTEND") if standard is not None else None,
                "DTEND", definitions, fail,
            )  # fmt: skip
            length = end - start
        elif vevent.get("DURATION") is not None:
            prop = vevent.get("DURATION")
            if isinstance(prop, list):
                raise fail(f"it has {len(prop)} DURATION properties")
            try:
                value = prop.dt
            except Exception as exc:
                raise fail(f"DURATION {_raw(prop)} is not a duration") from exc
            if not isinstance(value, timedelta):
                raise fail("DURATION is not a duration")
            length = value
        if length is not None and length < timedelta(0):
            raise fail("it ends before it starts")
        if not length:
            self.warnings.append(f"{label} has no length: the default interview length is used")
            return None
        return length

    def _definition(
        self, tzid: str, definitions: dict[str, icalendar.cal.Component]
    ) -> tuple[tzinfo | None, str | None]:
        """The file's definition of `tzid` as a zone (None: it has none, or an unusable
        one), or what is wrong with its rules; built once per name."""
        if tzid not in self.built:
            component = definitions.get(tzid)
            problem, cost = _zone_rules(component) if component is not None else (None, 0)
            if problem is None and self.zone_cost + cost > _ZONE_COST:
                problem = (
                    "more rules than a calendar writes (with its other zones', over"
                    f" {_ZONE_COST:,} years of rules and listed dates)"
                )
            if problem is None:
                self.zone_cost += cost
            zone = _definition(component) if problem is None else None
            self.built[tzid] = (zone, problem)
        return self.built[tzid]


def _zone_sizes_problem(data: bytes) -> str | None:
    """What makes a file's VTIMEZONEs too big to read, from its raw text: icalendar builds
    each one it cannot look up as it parses (an RDATE list of 200,000 dates: 8 s)."""
    unfolded = _FOLD.sub(b"", data)
    zones = len(_BEGIN_ZONE.findall(unfolded))
    if zones > _MAX_ZONES:
        return f"it defines {zones} time zones (VTIMEZONE): at most {_MAX_ZONES} are read"
    if not zones:
        return None
    parts = len(_BEGIN_OBSERVANCE.findall(unfolded))
    if parts > _MAX_OBSERVANCES:
        return (
            f"its time zones have {parts} STANDARD/DAYLIGHT parts: at most"
            f" {_MAX_OBSERVANCES} are read"
        )
    dates = sum(
        value.count(b",") + 1
        for block in _ZONE_BLOCK.finditer(unfolded)
        for value in _LISTED_DATES.findall(block[0])
    )
    if dates > _MAX_ZONE_DATES:
        return (
            f"its time zones list {dates} dates (RDATE, EXDATE): at most {_MAX_ZONE_DATES} are read"
        )
    return None


def _zone_rules(component: icalendar.cal.Component) -> tuple[str | None, int]:
    """What is wrong with a VTIMEZONE's rules for reading it (None: nothing), and what
    following them costs (`_ZONE_COST`'s units), before anything expands them."""
    cost = 0
    for part in component.subcomponents:
        if part.name not in ("STANDARD", "DAYLIGHT"):
            continue
        if part.get("EXRULE") is not None:
            return "an EXRULE (no time zone has one)", 0
        for key in ("RDATE", "EXDATE"):
            cost += sum(len(getattr(p, "dts", ())) or 1 for p in _all(part.get(key)))
        start = getattr(part.get("DTSTART"), "dt", None)
        for rule in _all(part.get("RRULE")):
            if not isinstance(rule, icalendar.vRecur):
                return "an RRULE that cannot be read", 0
            freq = ",".join(str(f).upper() for f in rule.get("FREQ", ()))
            if freq != "YEARLY":
                return f"the rule FREQ={freq[:20]} (a time zone's rules are yearly)", 0
            if list(rule.get("INTERVAL", (1,))) != [1]:
                return "a rule that skips years (INTERVAL)", 0
            for key in ("BYHOUR", "BYMINUTE", "BYSECOND"):
                if len(rule.get(key, ())) > 1:
                    return f"a rule with more than one {key} (a clock changes once a day)", 0
            if not isinstance(start, datetime):
                continue  # the definition cannot be built (_definition): nothing to follow
            if not _yearly(rule, start):
                return "a rule that does not recur about once a year", 0
            until = [u for u in rule.get("UNTIL", ()) if isinstance(u, date)]
            end = min([_RULES_END.year, *(u.year for u in until)])
            cost += max(0, end + _RULE_GAP - start.year + 1)
    return None, cost


def _yearly(rule: icalendar.vRecur, start: datetime) -> bool:
    """Whether a YEARLY rule occurs at least every `_RULE_GAP` years and at most a dozen
    times a year. dateutil stops following a rule only at an occurrence after the instant
    asked about (or its UNTIL), else at year 9999: one that never occurs (BYMONTH=2;
    BYMONTHDAY=30) costs 8,000 years of work at every DTSTART. So it is tried where that end
    is near: 9971-9999 has the calendars of 1971-1999 (8,000 years are 20 Gregorian cycles),
    whose 28 years have every shape of year 1901-2099 has."""
    from dateutil.rrule import rrulestr  # type: ignore[import-untyped]  # icalendar's own

    probe = icalendar.vRecur({k: v for k, v in rule.items() if k not in ("UNTIL", "COUNT")})
    try:
        first = start.replace(year=9971 if start.month != 2 or start.day != 29 else 9972)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            text = probe.to_ical().decode("ascii")  # type: ignore[no-untyped-call]
            dates = list(rrulestr(text, dtstart=first))
    except Exception:
        return False  # a rule dateutil cannot follow: the definition would not build either
    years = [d.year for d in dates]
    marks = [first.year - 1, *sorted(set(years)), 10_000]
    gaps_ok = all(b - a <= _RULE_GAP for a, b in itertools.pairwise(marks))
    return gaps_ok and max((years.count(y) for y in set(years)), default=0) <= 12


def _all(value: Any) -> list[Any]:
    """A property that may be given once or many times, as a list."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _definition(component: icalendar.cal.Component | None) -> tzinfo | None:
    if component is None:
        return None
    bounded = copy.deepcopy(component)
    for part in bounded.subcomponents:
        for rule in _all(part.get("RRULE")):
            until = [u for u in rule.get("UNTIL", ()) if isinstance(u, date)]
            if not until or until[0].year > _RULES_END.year:
                rule["UNTIL"] = [_RULES_END]  # dateutil follows it no further (_zone_rules)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            timezone = cast(icalendar.Timezone, bounded)
            return cast(tzinfo, timezone.to_tz(lookup_tzid=False))
    except Exception:
        return None  # an unusable VTIMEZONE is as good as none


def _forget_file_zones() -> None:
    """Drop the zones icalendar built from a file's VTIMEZONEs as it parsed: it keeps them
    for the whole process (a long-lived reader's memory grew with every upload), and this
    module reads a file's definitions from the file itself (`_Reader._zoned`)."""
    from icalendar.timezone import tzp

    tzp.use(tzp.name)  # the same provider, its cache empty


def _file_zoned(component: icalendar.cal.Component) -> bool:
    """Whether a time in `component` is in a zone icalendar built from a VTIMEZONE."""
    for _, prop in component.property_items(recursive=True, sorted=False):
        values = getattr(prop, "dts", None) or [prop]
        for value in values:
            tz = getattr(getattr(value, "dt", None), "tzinfo", None)
            if tz is not None and not isinstance(tz, ZoneInfo | timezone):
                return True
    return False


def _zone_key(value: Any) -> str | None:
    tz = getattr(value, "tzinfo", None)
    key = getattr(tz, "key", None)
    return key if isinstance(key, str) else None


def _raw(prop: Any) -> str:
    """A property's value as the file wrote it, quoted and cut for a message."""
    try:
        raw = prop.to_ical()
        text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    except Exception:
        return "(unreadable)"
    text = "".join(c if c.isprintable() else "?" for c in text)
    return f'"{text[:40]}..."' if len(text) > 40 else f'"{text}"'


def _hours(offset: timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _last_modified(vevent: icalendar.cal.Component) -> datetime | None:
    """The event's LAST-MODIFIED (RFC 5545: in UTC) — when a meeting called off was called
    off, for one exported later — or None when absent or unreadable (it decides nothing
    else)."""
    try:
        value = vevent.get("LAST-MODIFIED").dt
    except Exception:
        return None
    if not isinstance(value, datetime) or not isinstance(value.tzinfo, ZoneInfo | timezone):
        return None  # floating, or in a zone the file defines (never followed here)
    return value.astimezone(UTC) if FIRST_YEAR <= value.year <= LAST_YEAR else None
