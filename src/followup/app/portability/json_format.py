"""JSON: the lossless format, and the only one `import` reads back exactly.

Every column of every table, nested by application. The exporting database's ids are kept
only as references inside the document; an import assigns fresh ids, so a file can be
imported into a home that already has data. Every item is checked (and named by its path in
the document) before anything is written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from hashlib import blake2b
from json.encoder import encode_basestring as _encode_string  # C, with ensure_ascii=False
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from followup.app import events, services, wording
from followup.app.context import Context
from followup.app.errors import InvalidInput
from followup.app.files import check_source
from followup.app.parse import parse_country, parse_mailbox, parse_tone, parse_zone
from followup.app.portability.common import (
    Export,
    Grouped,
    Imported,
    ImportedInterview,
    ImportOptions,
    Written,
    all_or_nothing,
    nothing_imported,
)
from followup.app.portability.jsonstream import Scanner
from followup.app.rows import (
    ApplicationRecord,
    DebriefRecord,
    ExportedEvent,
    InboundRecord,
    InterviewerRecord,
    InterviewRecord,
    NoteRecord,
    same_name,
)
from followup.app.views import iso
from followup.domain import limits
from followup.domain.model import Culture, NoteState, Status
from followup.domain.names import greeting_problem
from followup.domain.policy import check_kind
from followup.domain.replies import Kind

if TYPE_CHECKING:
    from followup.app.ports import PortabilityStore
    from followup.app.rows import ExportStream

FORMAT = "followup-export"
VERSION = 1


# In the JSON document a child sits inside its parent, so the column naming the parent is
# left out; each table's other columns are kept as the database has them (lossless).
_CHILDREN = {  # table -> key in the interview object
    "interviewers": "interviewers",
    "notes": "notes",
    "inbound_messages": "inbound",
    "debriefs": "debriefs",
}


# --- export ------------------------------------------------------------------------------


def export_json(
    ctx: Context, out: TextIO, progress: Callable[[int, int], None] | None = None
) -> Export:
    """Everything, written to `out` as the store's cursors give it (constant memory, one
    consistent snapshot): the text `json.dumps(document, indent=2, ensure_ascii=False)`
    would make of the whole document, one application at a time."""
    write = out.write
    write(
        f'{{\n  "format": {_dump(FORMAT, "")},\n  "version": {VERSION},\n'
        f'  "exported_at": {_dump(iso(ctx.clock.now()), "")},\n  "applications": '
    )
    applications = interviews = 0
    with ctx.store.snapshot():  # one consistent read; writers are not held back
        total = ctx.store.counts()["interviews"] if progress else 0
        stream = ctx.store.export_stream()
        for text, count in _application_texts(stream):
            write(",\n    " if applications else "[\n    ")
            write(text)
            applications += 1
            interviews += count
            if progress:
                progress(interviews, total)
        write("\n  ]" if applications else "[]")
        # replies and bounces that matched no interview
        write(',\n  "unlinked_inbound": ')
        unlinked = 0
        for row in stream.unlinked_inbound:
            write(",\n    " if unlinked else "[\n    ")
            write(_dump(_without(row._asdict(), "interview_id"), "    "))
            unlinked += 1
        write("\n  ]" if unlinked else "[]")
    write("\n}\n")
    return Export("json", applications, interviews)


def _portable(stream: ExportStream, table: str) -> Iterator[Any]:
    """A table's rows as the file holds them: a pending note without its Message-ID (made
    when it was drafted here; an import gives the note a fresh one: docs/security.md)."""
    rows: Iterator[Any] = getattr(stream, table)
    if table != "notes":
        return rows
    pending = NoteState.PENDING.value
    return (
        n._replace(message_id=None) if n.message_id is not None and n.state == pending else n
        for n in rows
    )


_Interview = tuple[Any, list[list[Any]], list[Any]]  # a row, its child rows by table, events


def _application_texts(stream: ExportStream) -> Iterator[tuple[str, int]]:
    """Each application as its JSON text (indented where the document puts it) with its
    interviews nested, their rows and history inside, and how many interviews: the stream's
    sorted cursors merged, one application in memory at a time."""
    interviews = Grouped(stream.interviews, "application_id")
    children = [Grouped(_portable(stream, table), "interview_id") for table in _CHILDREN]
    history = Grouped(stream.events, "interview_id")
    for application in stream.applications:
        rounds: list[_Interview] = [
            (
                row,
                [cursor.take(row.id) for cursor in children],
                history.take(row.id),
            )
            for row in interviews.take(application.id)
        ]
        text = _fast_text(application, rounds)
        if text is None:  # a value the fast path does not write (never a column's)
            text = _dump(_application_doc(application, rounds), "    ")
        yield text, len(rounds)


_EVENT_KEYS = ExportedEvent._fields[1:]  # at, source, kind, summary, undone
_event_values = itemgetter(*range(1, len(ExportedEvent._fields)))  # all but the interview


def _application_doc(application: Any, rounds: list[_Interview]) -> dict[str, Any]:
    """The application as plain data (what `_fast_text` writes, for `_dump`)."""
    docs = []
    for row, rows, past in rounds:
        doc = _without(row._asdict(), "application_id")
        for key, items in zip(_CHILDREN.values(), rows, strict=True):
            doc[key] = [_without(r._asdict(), "interview_id") for r in items]
        doc["history"] = [dict(zip(_EVENT_KEYS, _event_values(e), strict=True)) for e in past]
        docs.append(doc)
    return {**application._asdict(), "interviews": docs}


class _Template:
    """One kind of record as a JSON object at one depth: the values it writes, in order
    (`pick`, one C call), and its text as a `str.format` template (`text`): its keys quoted
    and indented, a `{}` for each value, then each of `more` holding a list's template."""

    def __init__(self, fields: Sequence[str], skip: str | None, pad: str, *more: str) -> None:
        self.pad = pad
        keys = [f for f in fields if f != skip]
        # the values written, in order, as one tuple (a C call, not a loop per column)
        self.pick = itemgetter(*(k for k, f in enumerate(fields) if f != skip))
        inner = pad + "  "
        self._lines = [f"{inner}{_encode_string(k)}: {{}}" for k in keys]
        self._keys = [f"{inner}{_encode_string(k)}: " for k in more]

    def text(self, *lists: str) -> str:
        """This object's template, each of `more` holding the list template given."""
        lines = [*self._lines, *(key + sub for key, sub in zip(self._keys, lists, strict=True))]
        return "{{\n" + ",\n".join(lines) + f"\n{self.pad}}}}}"


_NUL = "\0"  # never in the encoder's output: a string's NUL is written \u0000
_APPLICATION = _Template(ApplicationRecord._fields, None, "    ", "interviews")
_INTERVIEW = _Template(
    InterviewRecord._fields, "application_id", "        ", *_CHILDREN.values(), "history"
)
_ROWS = [
    _Template(record._fields, "interview_id", "            ")
    for record in (InterviewerRecord, NoteRecord, InboundRecord, DebriefRecord)
]
_EVENT = _Template(_EVENT_KEYS, None, "            ")


def _fast_text(application: Any, rounds: list[_Interview]) -> str | None:
    """The application's text, every value encoded by one call of the standard library's
    C encoder (which does not indent: the values are listed with a NUL between them), then
    interleaved with the text around them — the keys, indentation and brackets, kept for
    each shape of interview (how many rows of each list it holds) — by one `join`; None if
    a value is not a plain one (a nested list)."""
    values = list(_APPLICATION.pick(application))
    extend = values.extend
    head, tail = _APPLICATION_TEXT
    texts = head[:-1]
    at = head[-1] + ("[\n        " if rounds else "[]")
    for k, (row, rows, past) in enumerate(rounds):
        extend(_INTERVIEW.pick(row))
        for template, items in zip(_ROWS, rows, strict=True):
            for item in items:
                extend(template.pick(item))
        for e in past:
            extend(_event_values(e))
        shape = (*map(len, rows), len(past))
        around = _INTERVIEW_TEXTS.get(shape) or _interview_texts(shape)
        texts.append(f"{at},\n        {around[0]}" if k else at + around[0])
        texts.extend(around[1:-1])
        at = around[-1]
    texts.append(at + ("\n      ]" + tail if rounds else tail))
    parts = _encode_values(values)[1:-1].split(_NUL)
    if len(parts) != len(values):
        return None
    out = [""] * (2 * len(parts) + 1)
    out[0::2] = texts
    out[1::2] = parts
    return "".join(out)


def _texts(template: str) -> list[str]:
    """A `str.format` template's text between its `{}`s (one more than there are)."""
    return template.format(*[_NUL] * template.count("{}")).split(_NUL)


_LIST = "\1"  # where the application's list of interviews goes (never in a template)
_head, _tail = _texts(_APPLICATION.text(_LIST))[-1].split(_LIST)
_APPLICATION_TEXT = ([*_texts(_APPLICATION.text(_LIST))[:-1], _head], _tail)
_INTERVIEW_TEXTS: dict[tuple[int, ...], list[str]] = {}


def _interview_texts(shape: tuple[int, ...]) -> list[str]:
    """The text around an interview's values, for an interview with `shape`'s numbers of
    interviewers, notes, messages, debriefs and events (kept: an export has few shapes)."""
    lists = [
        _list([template.text()] * n, "          ")
        for template, n in zip((*_ROWS, _EVENT), shape, strict=True)
    ]
    texts = _texts(_INTERVIEW.text(*lists))
    if len(_INTERVIEW_TEXTS) < 1024:  # (a few MB at most)
        _INTERVIEW_TEXTS[shape] = texts
    return texts


def _encoder() -> Callable[[list[Any]], str]:
    from json import JSONEncoder, encoder

    make = getattr(encoder, "c_make_encoder", None)  # not in the type stubs
    if make is None:  # a Python without the C accelerator
        return JSONEncoder(ensure_ascii=False, separators=(_NUL, ": ")).encode
    # made once (JSONEncoder.encode makes one per call)
    chunks = make(None, None, _encode_string, None, ": ", _NUL, False, False, True)
    return lambda values: "".join(chunks(values, 0))


_encode_values = _encoder()


def _list(items: list[str], pad: str) -> str:
    """Items already written (each indented by `pad` + 2) as a JSON list at `pad`."""
    if not items:
        return "[]"
    inner = f",\n{pad}  "
    return f"[\n{pad}  {inner.join(items)}\n{pad}]"


def _dump(value: Any, pad: str) -> str:
    """`value` as `json.dumps(value, indent=2, ensure_ascii=False)` writes it where its line
    is indented by `pad` — the same text, about three times as fast (the standard library's
    C encoder does not indent)."""
    if isinstance(value, str):
        return _encode_string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) is int:
        return int.__repr__(value)
    if isinstance(value, dict) and all(type(k) is str for k in value):
        if not value:
            return "{}"
        inner = pad + "  "
        items = ",\n".join(
            f"{inner}{_encode_string(k)}: {_dump(v, inner)}" for k, v in value.items()
        )
        return f"{{\n{items}\n{pad}}}"
    if isinstance(value, list):
        if not value:
            return "[]"
        inner = pad + "  "
        items = ",\n".join(inner + _dump(v, inner) for v in value)
        return f"[\n{items}\n{pad}]"
    import json

    return json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + pad)


def _without(row: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k != key}


# --- import ------------------------------------------------------------------------------


def import_json(ctx: Context, path: Path, options: ImportOptions) -> Imported:
    """Check every item of our export and insert it with fresh ids, all in one transaction.

    Streamed (issue #17): the file is read one application at a time (`Scanner`), each
    batch of applications checked, then written while the next is read; memory follows a
    batch, not the file. Any bad item rolls everything back, and every bad item is still
    named: after the first problem the rest of the file is checked but nothing more written.
    """
    check_source(path)  # a fifo would block forever, a device never end
    try:
        source = path.open("rb")
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror or exc}") from exc
    with source:
        size = _size(source)
        scanner = Scanner(source, path.name, limits.IMPORT_ITEM_CHARS)
        job = _Import(ctx, path, options, scanner, size)
        return all_or_nothing(ctx, options.dry_run, job.run)


def _size(source: Any) -> int:
    import os

    try:
        return os.fstat(source.fileno()).st_size
    except OSError:
        return 0


_BATCH = 200  # applications checked, then written, together (a query for clashes each)


class _Import:
    """One JSON import's state: the batch being read, and what the rest of the file is
    checked against (ids, rounds, Message-IDs and UIDs seen so far, each with where it was
    seen, packed into an int: `_where`)."""

    def __init__(
        self, ctx: Context, path: Path, options: ImportOptions, scanner: Scanner, size: int
    ) -> None:
        self.ctx = ctx
        self.path = path
        self.dry_run = options.dry_run
        self.progress = options.progress
        self.scanner = scanner
        self.size = size
        self.problems: list[str] = []
        self.warnings: list[str] = []
        self.read = _Reader(self.problems, self.warnings)
        self.header: dict[str, Any] = {}
        self.seen_lists: set[str] = set()
        self.applications = 0  # read, in the file
        self.batch: list[_ApplicationDoc] = []
        store = ctx.store  # what follows is kept there, not in this process (issue #17)
        self.interviewers = _Kept(store, "where")  # old id -> where it is (packed)
        # old application and interview ids -> where (packed): an id twice is one item
        # copied (or two files pasted together), said naming both, never imported twice
        self.application_ids = _Kept(store, "application")
        self.interview_ids = _Kept(store, "interview")
        self.new_interviewer = _Kept(store, "new")  # old id -> new id
        self.message_ids = _Kept(store, "message_id")  # value (digest) -> where (packed)
        self.ics_uids = _Kept(store, "ics_uid")
        self.inbound_ids = _Kept(store, "inbound")  # an inbound message's Message-ID
        self.batch_start = 0  # len(problems) when the batch's first application was read
        self.batch_ends: list[int] = []  # len(problems) after each of its applications
        self.references: list[tuple[int, str]] = []  # interviewer ids not yet seen, where
        self.deferred: list[tuple[_InterviewDoc, int]] = []  # their interviews, written last
        self.imported = Written(options.dry_run, _imported)
        self.first_new: int | None = None  # the first interview id this import wrote
        self.countries: dict[Any, str | None] = {}  # checked once each: None when fine
        self.now = str(iso(ctx.clock.now()))
        # `sent --at` refuses the future; a day's leeway for the other machine's clock
        self.latest_sent = str(iso(ctx.clock.now() + timedelta(days=1)))
        self.default_minutes = int(ctx.policy.default_duration.total_seconds() // 60)
        # each table's fields, and what one the item leaves out takes (`_record`)
        self.fallbacks = {
            table: (
                fields,
                tuple(
                    self.now if f in _STAMPS.get(table, ()) else _DEFAULTS.get(table, {}).get(f)
                    for f in fields
                ),
            )
            for table, fields in _FIELDS.items()
        }

    # --- reading ---------------------------------------------------------------------------

    def run(self) -> Imported:
        store = self.ctx.store
        store.scratch()  # in the import's transaction
        # the stats' aggregates are brought up to date once, at the end (not per row)
        store.pause_stats()
        written: Sequence[int] = ()
        try:
            result = self._run()
            written = self.imported.ids
        finally:
            store.resume_stats(written)  # on a failure: the triggers back, nothing counted
        return result

    def _run(self) -> Imported:
        scanner = self.scanner
        if scanner.peek() != "{":
            self._not_an_object()
        scanner.members(self._member)
        if not scanner.at_end():
            raise scanner.error("Extra data")
        self._check_header(final=True)
        self._flush()
        self._finish()
        if self.problems:
            raise nothing_imported(self.path, self.problems, "item")
        return Imported(
            file=self.path,
            format="json",
            applications=self.applications,
            interviews=self.imported,
            dry_run=self.dry_run,
            warnings=tuple(self.warnings),
        )

    def _not_an_object(self) -> None:
        self.scanner.value()  # invalid JSON says so, with where
        self._check_header(final=True)  # else: not a followup export

    def _member(self, key: str) -> None:
        scanner = self.scanner
        if key in ("applications", "unlinked_inbound"):
            if key in self.seen_lists:
                raise InvalidInput(f'{self.path.name}: "{key}" is given twice')
            self.seen_lists.add(key)
            self._check_header(final=False)
            if scanner.peek() != "[":
                scanner.value()
                raise InvalidInput(f'{self.path.name}: "{key}" must be a list')
            if key == "applications":
                scanner.elements(self._application)
            else:
                self._flush()  # the applications first, as before
                counter = iter(range(2**62))
                scanner.elements(lambda raw: self._unlinked(raw, next(counter)))
            return
        self.header[key] = scanner.value()

    def _check_header(self, final: bool) -> None:
        """The document says it is a followup export of a version this reads: checked as
        soon as its lists begin if "format" came first (as an export writes it), else at
        the end (nothing is committed before)."""
        header = self.header
        if "format" not in header and not final:
            return
        if header.get("format") != FORMAT:
            raise InvalidInput(
                f'{self.path.name} is not a followup export (no "format": "{FORMAT}");'
                " to import a tracker's data, save it as CSV"
            )
        version = header.get("version")
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            raise InvalidInput(
                f"{self.path.name}: version must be a whole number from 1, got {version!r}"
            )
        if version > VERSION:
            raise InvalidInput(
                f"{self.path.name} is format version {version}, newer than this followup"
                f" reads ({VERSION}): upgrade followup"
            )

    def _application(self, raw: Any) -> None:
        a = self.applications
        self.applications += 1
        app = _read_application(raw, a, self.read)
        if app is not None:
            self.batch.append(app)  # cross-checked with its batch (_flush)
            self.batch_ends.append(len(self.problems))
        if len(self.batch) >= _BATCH:
            self._flush()

    def _unlinked(self, raw: Any, k: int) -> None:
        item = self.read("inbound_messages", raw, f"unlinked_inbound[{k}]")
        if item is None or not self._unlinked_is_new(item, k):
            return
        if not self.problems:
            values = item.values
            self.ctx.store.insert_inbound(
                InboundRecord._make(self._record("inbound_messages", values))
            )

    def _unlinked_is_new(self, item: _Item, k: int) -> bool:
        """An unlinked message's Message-ID is the file's first and not in the database
        (a UNIQUE column, as the interviews' messages': `_unique`, `_clashes`); else a
        problem naming where it was before."""
        value = item.values.get("message_id")
        if value is None:
            return True
        key, kept = _digest(value), self.inbound_ids
        kept.fetch([key], more=False)
        if key in kept:
            packed = kept[key]  # an unlinked message is kept as -(its index + 1)
            first = (
                f"unlinked_inbound[{-packed - 1}]"
                if packed < 0
                else _where_of(packed, "inbound_messages")
            )
            self.problems.append(f"{item.where}: message_id {value!r} is also {first}'s")
            return False
        if self.ctx.store.taken_inbound_ids([value]):
            self.problems.append(
                f"{item.where}: message_id {value!r} is already in this database"
                " (was this file imported before?)"
            )
            return False
        kept[key] = -(k + 1)
        kept.keep()
        return True

    # --- checking what no single item shows -------------------------------------------------

    def _cross_check_batch(self) -> None:
        """`_cross_check` each application of the batch, what earlier batches saw fetched
        first in one query each; each application's problems said where they were when it
        was read one at a time (after its own items', before the next one's)."""
        batch = self.batch
        interviews = [interview for app in batch for interview in app.interviews]
        people = [p for i in interviews for p in i.children["interviewers"]]
        self.application_ids.fetch(a.item.old_id for a in batch if a.item.old_id is not None)
        self.interview_ids.fetch(i.item.old_id for i in interviews if i.item.old_id is not None)
        self.interviewers.fetch(p.old_id for p in people if p.old_id is not None)
        self.interviewers.fetch(
            row.interviewer
            for i in interviews
            for table in ("notes", "debriefs")
            for row in i.children[table]
            if row.interviewer is not None
        )
        self.ics_uids.fetch(_digests((i.item for i in interviews), "ics_uid"), more=False)
        notes = (n for i in interviews for n in i.children["notes"])
        self.message_ids.fetch(_digests(notes, "message_id"), more=False)
        inbound = (m for i in interviews for m in i.children["inbound_messages"])
        self.inbound_ids.fetch(_digests(inbound, "message_id"), more=False)
        problems = self.problems
        start = self.batch_start
        later = problems[start:]
        del problems[start:]
        at = 0
        for app, end in zip(batch, self.batch_ends, strict=True):
            problems.extend(later[at : end - start])
            at = end - start
            self._cross_check(app)
        problems.extend(later[at:])
        kept_ids = (self.application_ids, self.interview_ids, self.interviewers)
        for kept in (*kept_ids, self.ics_uids, self.message_ids, self.inbound_ids):
            kept.keep()

    def _cross_check(self, app: _ApplicationDoc) -> None:
        """References, duplicates (within the file, against what came before)."""
        problems = self.problems
        country = app.item.values.get("country")
        if country not in self.countries:
            try:
                services.is_holiday_check(self.ctx, country)
                self.countries[country] = None
            except InvalidInput as exc:
                self.countries[country] = str(exc)
        if self.countries[country] is not None:
            problems.append(f"{app.item.where}: country {country!r}: {self.countries[country]}")
        self._unique_id(self.application_ids, app.item, "application")
        rounds: dict[int, str] = {}
        for interview in app.interviews:
            self._unique_id(self.interview_ids, interview.item, "interview")
            for person in interview.children["interviewers"]:
                self._unique_id(self.interviewers, person, "interviewer")
            number = interview.item.values.get("round")
            if number is not None:
                if number in rounds:
                    where = interview.item.where
                    problems.append(f"{where}: round {number} is also {rounds[number]}'s")
                rounds.setdefault(number, interview.item.where)
            self._unique(self.ics_uids, interview.item, "ics_uid", None)
            at = interview.item.where
            primaries = [
                p.where.removeprefix(f"{at}.")
                for p in interview.children["interviewers"]
                if p.values.get("is_primary")
            ]
            if len(primaries) > 1:
                problems.append(
                    f"{at}: {' and '.join(primaries)} are both is_primary: a panel has one"
                    " primary contact (the notes after the thank-you go to them)"
                )
            for table in ("notes", "debriefs"):
                for row in interview.children[table]:
                    if row.interviewer is not None and row.interviewer not in self.interviewers:
                        self.references.append((row.interviewer, row.where))
            for message in interview.children["inbound_messages"]:
                self._unique(self.inbound_ids, message, "message_id", "inbound_messages")
            for note in interview.children["notes"]:
                self._unique(self.message_ids, note, "message_id", "notes")
                sent = note.values.get("sent_at")
                if sent is not None and sent > self.latest_sent:  # instants' text compares
                    problems.append(
                        f"{note.where}: sent_at {sent}: a note cannot have been sent after the"
                        " time of this import"
                    )

    def _unique_id(self, seen: _Kept, item: _Item, what: str) -> None:
        """An item's id (application, interview, interviewer) that an earlier item of the
        file has: a problem naming both (an id is the file's reference to one item)."""
        old = item.old_id
        if old is None:
            return
        if old in seen:
            first = _where_of(seen[old], _TABLES[what])
            self.problems.append(
                f"{item.where}: {what} id {old} is also {first}'s"
                " (the same item twice in the file? each must have its own id)"
            )
        else:
            seen[old] = item.packed

    def _unique(self, seen: _Kept, item: _Item, column: str, table: str | None) -> None:
        """A value the file gave before is a problem naming the first. The values are kept
        as 64-bit digests (a third of the memory of the text); a digest seen before is
        confirmed before it is called a duplicate: in this batch by its text, in an earlier
        one by the rows this import wrote."""
        value = item.values.get(column)
        if value is None:
            return
        key = _digest(value)
        if key in seen and self._seen_before(value, column, table):
            first = _where_of(seen[key], table)
            self.problems.append(f"{item.where}: {column} {value!r} is also {first}'s")
        elif key not in seen:
            seen[key] = item.packed
            item.fresh = True
        else:  # two values with one digest (about 1 in 10**19 per pair): both are fresh
            item.fresh = True

    def _seen_before(self, value: str, column: str, table: str | None) -> bool:
        for app in self.batch:
            for interview in app.interviews:
                rows = interview.children[table] if table else [interview.item]
                if any(row.fresh and row.values.get(column) == value for row in rows):
                    return True
        if self.problems:  # nothing written since the first problem: trust the digest
            return True
        return bool(self._taken(table)([value]))

    def _taken(self, table: str | None) -> Callable[[Iterable[str]], set[str]]:
        """Which values of a UNIQUE column the database has already: notes' and inbound
        messages' Message-IDs, interviews' (None) invitation UIDs."""
        store = self.ctx.store
        if table == "notes":
            return store.taken_message_ids
        if table == "inbound_messages":
            return store.taken_inbound_ids
        return store.taken_ics_uids

    def _clashes(self) -> None:
        """The batch's Message-IDs and UIDs already in the database before this import
        (those of earlier batches were caught as duplicates within the file)."""
        columns = (("message_id", "notes"), ("message_id", "inbound_messages"), ("ics_uid", None))
        for column, table in columns:
            taken = self._taken(table)
            fresh: dict[str, str] = {}
            for app in self.batch:
                for interview in app.interviews:
                    rows = interview.children[table] if table else [interview.item]
                    for row in rows:
                        value = row.values.get(column)
                        if value is not None and row.fresh:
                            fresh[value] = row.where
            for value in sorted(taken(fresh)):
                self.problems.append(
                    f"{fresh[value]}: {column} {value!r} is already in this database"
                    " (was this file imported before?)"
                )
        self._repeats()

    def _repeats(self) -> None:
        """The batch's interviews that were here before this import: same company and role
        (case and spaces aside) and start, whatever their status — the file imported again
        (its rows would be planned twice: a second thank-you). One indexed query a batch;
        interviews this import wrote (ids from its first) are distinct rounds of the file."""
        wanted: dict[str, list[tuple[str, str, str]]] = {}  # start -> (company, role, where)
        for app in self.batch:
            values = app.item.values
            company, role = same_name(values["company"]), same_name(values["role"])
            for interview in app.interviews:
                start = interview.item.values["start_at"]
                wanted.setdefault(start, []).append((company, role, interview.item.where))
        if not wanted:
            return
        found: dict[tuple[str, str, str], tuple[int, str, str]] = {}
        for interview_id, company, role, start, tz in self.ctx.store.rounds_starting(wanted):
            if self.first_new is not None and interview_id >= self.first_new:
                continue  # written by this import
            key = (same_name(company), same_name(role), start)
            found.setdefault(key, (interview_id, start, tz))
        for start, items in wanted.items():
            for company, role, where in items:
                before = found.get((company, role, start))
                if before is not None:
                    interview_id, at, tz = before
                    self.problems.append(
                        f"{where}: interview {interview_id} is this one already (same company,"
                        f" role and start, {wording.local(datetime.fromisoformat(at), tz)}),"
                        " from before this import: was this file imported before?"
                    )

    def _finish(self) -> None:
        self.interviewers.fetch(old for old, _ in self.references)
        for old, where in self.references:
            if old not in self.interviewers and old not in self.read.refused:
                self.problems.append(f"{where}: interviewer_id {old} is no interviewer in the file")
        if self.problems:
            return
        self.new_interviewer.fetch(_referred(self.deferred))
        self._write_children(self.deferred)
        self.ctx.store.scratch()  # emptied: a server's connection lives on

    # --- writing -----------------------------------------------------------------------------

    def _flush(self) -> None:
        """Check the batch against what came before it and the database, and write it if
        nothing was bad so far."""
        if self.batch:
            self._cross_check_batch()
            self._clashes()
            if not self.problems:
                self._write(self.batch)
        self.batch = []
        self.batch_start = len(self.problems)
        self.batch_ends = []
        if self.progress is not None:
            self.progress(self.scanner.bytes_read, self.size)

    def _record(self, table: str, values: Mapping[str, Any]) -> list[Any]:
        """A record's fields, in order: the item's values, else the table's default or the
        import's time, else null (the id too: the store gives a fresh one)."""
        fields, fallbacks = self.fallbacks[table]
        return list(map(values.get, fields, fallbacks))  # (a C loop)

    def _write(self, apps: list[_ApplicationDoc]) -> None:
        """A batch of applications, one `executemany` per table (parents first: their new
        ids are their children's references)."""
        store: PortabilityStore = self.ctx.store
        record = self._record
        application_ids = store.insert_records(
            "applications", [record("applications", app.item.values) for app in apps]
        )
        docs: list[_InterviewDoc] = []
        rows = []
        for app, application_id in zip(apps, application_ids, strict=True):
            taken = {i.item.values["round"] for i in app.interviews if i.item.values.get("round")}
            next_round = 1
            for interview in app.interviews:
                row = record("interviews", interview.item.values)
                row[_APPLICATION_ID] = application_id
                if not row[_ROUND]:
                    while next_round in taken:
                        next_round += 1
                    row[_ROUND] = next_round
                    taken.add(next_round)
                if row[_DURATION] is None:
                    row[_DURATION] = self.default_minutes
                start = datetime.fromisoformat(row[_START])
                row[_END] = iso(start + timedelta(minutes=row[_DURATION]))
                rows.append(row)
                docs.append(interview)
        interview_ids = store.insert_records("interviews", rows)
        if self.first_new is None and interview_ids:
            self.first_new = min(interview_ids)
        rows = []
        old_ids = []
        at = _INTERVIEW_ID["interviewers"]
        for interview, interview_id in zip(docs, interview_ids, strict=True):
            for person in interview.children["interviewers"]:
                row = record("interviewers", person.values)
                row[at] = interview_id
                rows.append(row)
                old_ids.append(person.old_id)
        new_interviewer = self.new_interviewer
        for old, new in zip(old_ids, store.insert_records("interviewers", rows), strict=True):
            if old is not None:
                new_interviewer[old] = new
        new_interviewer.fetch(_referred((i, 0) for i in docs))  # earlier batches' people
        ready: list[tuple[_InterviewDoc, int]] = []
        for interview, interview_id in zip(docs, interview_ids, strict=True):
            self.imported.append(interview_id, interview.item.packed)
            if any(
                row.interviewer is not None and row.interviewer not in new_interviewer
                for table in ("notes", "debriefs")
                for row in interview.children[table]
            ):  # someone of a later application in the file: once all are written
                self.deferred.append((interview, interview_id))
            else:
                ready.append((interview, interview_id))
        self._write_children(ready)
        new_interviewer.keep()

    def _write_children(self, written: list[tuple[_InterviewDoc, int]]) -> None:
        """The interviews' notes, debriefs, inbound messages and history (one `executemany`
        each), then each open one planned."""
        ctx, store, record = self.ctx, self.ctx.store, self._record
        new_interviewer = self.new_interviewer
        notes: list[list[Any]] = []
        debriefs: list[list[Any]] = []
        inbound: list[list[Any]] = []
        history: list[tuple[int, str, str, str, str]] = []
        imported = f"imported from {self.path.name}"
        source = ctx.source
        for interview, interview_id in written:
            for table, rows in (("notes", notes), ("debriefs", debriefs)):
                at, who = _INTERVIEW_ID[table], _INTERVIEWER_ID[table]
                for item in interview.children[table]:
                    row = record(table, item.values)
                    row[at] = interview_id
                    if item.interviewer is not None:
                        row[who] = new_interviewer[item.interviewer]
                    rows.append(row)
            at = _INTERVIEW_ID["inbound_messages"]
            for item in interview.children["inbound_messages"]:
                row = record("inbound_messages", item.values)
                row[at] = interview_id
                inbound.append(row)
            for past in interview.history:  # as it was told: history only, never undone
                history.append(
                    (interview_id, past["at"], past["source"], past["kind"], past["summary"])
                )
            history.append((interview_id, self.now, source, "imported", imported))
        store.insert_records("notes", notes)
        store.insert_records("debriefs", debriefs)
        store.insert_records("inbound_messages", inbound)
        for interview, interview_id in written:
            _set_next(ctx, interview, interview_id)
        store.add_history(history)


def _digest(value: Any) -> int:
    """64 bits of the value (signed: a database's BIGINT)."""
    return int.from_bytes(blake2b(str(value).encode(), digest_size=8).digest(), "big", signed=True)


def _digests(items: Iterable[_Item], column: str) -> Iterator[int]:
    for item in items:
        value = item.values.get(column)
        if value is not None:
            yield _digest(value)


def _referred(interviews: Iterable[tuple[_InterviewDoc, int]]) -> Iterator[int]:
    """The old interviewer ids the interviews' notes and debriefs name."""
    for interview, _ in interviews:
        for table in ("notes", "debriefs"):
            for row in interview.children[table]:
                if row.interviewer is not None:
                    yield row.interviewer


class _Kept:
    """Whole numbers this import saw (old ids, digests), each with another (where it was, a
    new id): the current batch's in a dict, the earlier ones' in the store's scratch space
    (`PortabilityStore.remember`), fetched for a batch before it is checked — so the
    process's memory follows a batch, not the file. A key's first value stays."""

    def __init__(self, store: PortabilityStore, space: str) -> None:
        self.store = store
        self.space = space
        self.batch: dict[int, int] = {}
        self.earlier: dict[int, int] = {}
        # bit k: key k (0 <= k < _BITS) was kept. A key whose bit is clear was not: it is
        # not asked for (an import's ids are seldom seen twice: most look-ups would find
        # nothing). Ids fit in a few hundred KB; a digest or a larger id is asked for.
        self.kept = bytearray()

    def fetch(self, keys: Iterable[int], more: bool = True) -> None:
        """Look up these keys among the earlier batches' (`more`: added to those fetched)."""
        batch, kept = self.batch, self.kept
        size = len(kept) << 3
        wanted = [
            k
            for k in keys
            if k not in batch
            and not (0 <= k < _BITS and (k >= size or not kept[k >> 3] >> (k & 7) & 1))
        ]
        found = self.store.recall(self.space, wanted) if wanted else {}
        if more:
            self.earlier.update(found)
        else:
            self.earlier = found

    def __contains__(self, key: int) -> bool:
        return key in self.batch or key in self.earlier

    def __getitem__(self, key: int) -> int:
        got = self.batch.get(key)
        return self.earlier[key] if got is None else got

    def __setitem__(self, key: int, value: int) -> None:
        if key not in self.earlier:
            self.batch.setdefault(key, value)

    def keep(self) -> None:
        """The batch's keys to the store, and none in memory."""
        self.store.remember(self.space, list(self.batch.items()))
        kept = self.kept
        for k in self.batch:
            if 0 <= k < _BITS:
                at = k >> 3
                if at >= len(kept):
                    kept.extend(bytes(at + 1 - len(kept)))
                kept[at] |= 1 << (k & 7)
        self.batch = {}
        self.earlier = {}


_BITS = 1 << 24  # keys below this are marked kept in memory (2 MB at most a space)


def _imported(interview_id: int | None, packed: int) -> ImportedInterview:
    """One written interview, named by its item's path in the document."""
    return ImportedInterview(interview_id, item=_where_of(packed, None))


# Where an item is, packed into one int (a dict of 300,000 Message-IDs keeps no strings
# for them): application, interview, and the row in its list.
def _pack(a: int, i: int = 0, c: int = 0) -> int:
    return (a << 42) | (i << 21) | c


_TABLES = {"application": "applications", "interview": None, "interviewer": "interviewers"}


def _where_of(packed: int, table: str | None) -> str:
    a, i, c = packed >> 42, (packed >> 21) & (2**21 - 1), packed & (2**21 - 1)
    if table == "applications":
        return f"applications[{a}]"
    where = f"applications[{a}].interviews[{i}]"
    return f"{where}.{_CHILDREN[table]}[{c}]" if table else where


@dataclass
class _Item:
    where: str
    values: dict[str, Any]
    old_id: int | None = None
    interviewer: int | None = None  # an old interviewer id this row refers to
    packed: int = 0  # `where`, as `_pack` packs it (interviews and their children)
    fresh: bool = False  # its message_id or ics_uid is the file's first of that value


@dataclass
class _InterviewDoc:
    item: _Item
    children: dict[str, list[_Item]]  # table -> rows
    history: list[dict[str, Any]] = field(default_factory=list)  # its events, checked


def _read_history(raw: Any, where: str, problems: list[str]) -> list[dict[str, Any]]:
    """An interview's "history": its events as another home recorded them (at, source, kind,
    summary, undone), checked; they come in as history only, never as something to undo."""
    items = raw.get("history", []) if isinstance(raw, dict) else []
    if not isinstance(items, list):
        problems.append(f'{where}: "history" must be a list')
        return []
    out = []
    for k, item in enumerate(items):
        at = f"{where}.history[{k}]"
        try:
            if not isinstance(item, dict):
                raise InvalidInput("must be an object")
            out.append(
                {
                    "at": _instant(item.get("at")),
                    "source": _event_source(item.get("source")),
                    "kind": _event_kind(item.get("kind")),
                    "summary": _event_summary(item.get("summary"))
                    + (" (undone)" if item.get("undone") is True else ""),
                }
            )
        except (InvalidInput, ValueError) as exc:
            problems.append(f"{at}: {exc}")
    return out


@dataclass
class _ApplicationDoc:
    item: _Item
    interviews: list[_InterviewDoc]


def _read_application(raw_app: Any, a: int, read: _Reader) -> _ApplicationDoc | None:
    """The a-th application of the file, every item of it checked (problems: `read`'s)."""
    problems = read.problems
    where = f"applications[{a}]"
    app = read("applications", raw_app, where)
    interviews = []
    raw_interviews = raw_app.get("interviews", []) if isinstance(raw_app, dict) else []
    if not isinstance(raw_interviews, list):
        problems.append(f'{where}: "interviews" must be a list')
        raw_interviews = []
    for i, raw_interview in enumerate(raw_interviews):
        at = f"{where}.interviews[{i}]"
        interview = read("interviews", raw_interview, at)
        children: dict[str, list[_Item]] = {}
        for table, key in _CHILDREN.items():
            raws_child = raw_interview.get(key, []) if isinstance(raw_interview, dict) else []
            if not isinstance(raws_child, list):
                problems.append(f'{at}: "{key}" must be a list')
                raws_child = []
            items = children[table] = []
            for c, raw_child in enumerate(raws_child):
                item = read(table, raw_child, f"{at}.{key}[{c}]")
                if item is not None:
                    item.packed = _pack(a, i, c)
                    items.append(item)
        past = _read_history(raw_interview, at, problems)
        _check_panel(children["interviewers"], at, problems)
        if interview is not None and interview.values.get("status", _WAITING) == _WAITING:
            _no_words_to_send(children["debriefs"], read.warnings)
        if interview is not None:
            interview.packed = _pack(a, i)
            interviews.append(_InterviewDoc(interview, children, past))
        else:
            read.refused.update(p.old_id for p in children["interviewers"] if p.old_id is not None)
    if app is None:
        for doc in interviews:
            read.refused.update(
                p.old_id for p in doc.children["interviewers"] if p.old_id is not None
            )
        return None
    app.packed = _pack(a)
    return _ApplicationDoc(app, interviews)


def _no_words_to_send(debriefs: list[_Item], warnings: list[str]) -> None:
    """A debrief's note ("something new to add in a later note") goes into a note as written:
    of an interview still followed up, it is not taken from a file (as a note's edited
    text: `_as_history`) — `followup send ID` sends without showing the draft."""
    for item in debriefs:
        if item.values.get("note") is not None:
            item.values["note"] = None
            warnings.append(
                f"{item.where}: not imported: note (words for a note not yet sent: debrief it"
                " again here if you want it)"
            )


def _check_panel(people: list[_Item], where: str, problems: list[str]) -> None:
    """No more people on an interview than `add` takes (limits.INTERVIEWERS), not counting
    those taken off it (`removed_at`), who are bounded too (limits.REMOVED_INTERVIEWERS)."""
    removed = sum(p.values.get("removed_at") is not None for p in people)
    for problem in (
        limits.count_problem("interviewers", len(people) - removed, limits.INTERVIEWERS),
        limits.count_problem("removed interviewers", removed, limits.REMOVED_INTERVIEWERS),
    ):
        if problem:
            problems.append(f"{where}: {problem}")


def _readers() -> dict[str, Callable[[dict[str, Any]], Any]]:
    return _fast_readers()  # (defined below)


@dataclass
class _Reader:
    """Reads one item of the document: checked values, or a problem naming where it is."""

    problems: list[str]
    warnings: list[str]
    # the old ids of interviewers refused (or in a refused interview or application): a note
    # naming one is not said to name nobody (the refusal is the problem to fix)
    refused: set[int] = field(default_factory=set)
    fast: dict[str, Callable[[dict[str, Any]], Any]] = field(default_factory=_readers)

    def __call__(self, table: str, raw: Any, where: str) -> _Item | None:
        if not isinstance(raw, dict):
            self.problems.append(f"{where}: expected an object, got {_kind(raw)}")
            return None
        try:
            fast = self.fast[table](raw)
        except ValueError:
            fast = None  # said by the full reading below
        if fast is not None:
            item = _Item(where, *fast)
            if table == "notes":
                _as_history(item, self.warnings)
            return item
        return _read_slowly(table, raw, where, self)


def _read_slowly(table: str, raw: dict[str, Any], where: str, read: _Reader) -> _Item | None:
    """An item read key by key: every problem of the item named, dropped keys said."""
    plan, required = _plans()[table]
    values: dict[str, Any] = {}
    item = _Item(where, values)
    bad: list[str] = []
    dropped: list[str] = []
    for key, value in raw.items():
        step = plan.get(key)
        if step is None:
            bad.append(f"unknown field {key!r}")
            continue
        what, validator, presence = step
        if what is _CHECK:
            if value is None:
                if presence is _REQ:
                    bad.append(f"{key} is missing")
                elif presence is _OPT:
                    values[key] = None
                continue
            try:
                values[key] = validator(value)
            except ValueError as exc:
                bad.append(f"{key}: {exc}")
        elif what is _SKIP:
            continue
        elif what is _DROP:
            # An approval, a claim or a column this version does not check is never taken
            # from a file: approved bytes in a file could be anything (docs/security.md).
            if value is not None:
                dropped.append(key)
        elif value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            bad.append(f"{key}: expected a whole number, got {_kind(value)}")
        elif value is not None and not 1 <= value <= limits.ID_MAX:
            bad.append(f"{key}: {_ID_RANGE}")
        elif what is _OLD_ID:
            item.old_id = value
        else:
            item.interviewer = value
    if not required.issubset(raw):
        absent = [k for k in _SPEC[table] if k in required and k not in raw]
        bad.extend(f"{key} is missing" for key in absent)
    if bad:
        read.problems.append(f"{where}: {'; '.join(bad)}")
        if table == "interviewers" and item.old_id is not None:
            read.refused.add(item.old_id)
        return None
    if dropped:
        read.warnings.append(f"{where}: not imported: {', '.join(sorted(dropped))}{_WHY}")
    if table == "notes":
        _as_history(item, read.warnings)
    return item


# What `_read_slowly` does with each key of an item, per table (`_plans`).
_CHECK, _SKIP, _DROP, _OLD_ID, _WHO = "check", "skip", "drop", "id", "interviewer_id"
_Plan = dict[str, tuple[str, Any, Any]]  # key -> (what, validator, presence)


@lru_cache(maxsize=1)
def _fast_readers() -> dict[str, Callable[[dict[str, Any]], Any]]:
    """Each table's item read by straight-line code made from its plan (faster than the
    loop of `_read_slowly`): the checked values, old id and interviewer id of an item with
    nothing wrong and nothing to drop; None, or a ValueError, for any other, which
    `_read_slowly` then reads and words exactly."""
    readers = {}
    for table, (plan, _) in _plans().items():
        known = frozenset(k for k, (what, _, _) in plan.items() if what is not _DROP)
        scope: dict[str, Any] = {"KNOWN": known, "M": _MISSING, "ID_MAX": limits.ID_MAX}
        lines = [
            "def read(raw):",
            "    if not KNOWN.issuperset(raw):",
            "        return None",
            "    get = raw.get",
            "    values = {}",
            "    old = who = None",
        ]
        for n, (key, (what, validator, presence)) in enumerate(plan.items()):
            k = repr(key)
            if what is _OLD_ID or what is _WHO:
                name = "old" if what is _OLD_ID else "who"
                lines += [
                    f"    {name} = get({k})",
                    f"    if {name} is not None and (type({name}) is not int"
                    f" or not 1 <= {name} <= ID_MAX):",
                    "        return None",
                ]
            elif what is _CHECK:
                scope[f"V{n}"] = validator
                lines.append(f"    v = get({k}, M)")
                if presence == _REQ:
                    lines += [
                        "    if v is None or v is M:",
                        "        return None",
                        f"    values[{k}] = V{n}(v)",
                    ]
                elif presence == _OPT:
                    lines += [
                        "    if v is not M:",
                        f"        values[{k}] = None if v is None else V{n}(v)",
                    ]
                else:
                    lines += [
                        "    if v is not M and v is not None:",
                        f"        values[{k}] = V{n}(v)",
                    ]
        lines.append("    return values, old, who")
        exec("\n".join(lines), scope)  # our own plan's names only: never a file's text
        readers[table] = scope["read"]
    return readers


_MISSING = object()


@lru_cache(maxsize=1)
def _plans() -> dict[str, tuple[_Plan, frozenset[str]]]:
    """Each table's keys compiled once: what to do with each (one look-up per key of an
    item, not a chain of tests), and the keys an item must have."""
    plans = {}
    for table, columns in _FIELDS.items():
        spec = _SPEC[table]
        plan: _Plan = dict.fromkeys(_NOT_PORTABLE, (_DROP, None, None))
        for key in columns:
            if key in ("id", "interviewer_id"):
                plan[key] = (_OLD_ID if key == "id" else _WHO, None, None)
            elif key in _SET_BY_IMPORT.get(table, ()):
                plan[key] = (_SKIP, None, None)
            elif key in _NOT_PORTABLE or key not in spec:
                plan[key] = (_DROP, None, None)
            else:
                validator, presence = spec[key]
                plan[key] = (_CHECK, validator, presence)
        for key in _NESTED.get(table, ()):
            plan[key] = (_SKIP, None, None)
        required = frozenset(k for k, (_, p) in spec.items() if p == _REQ and k in columns)
        plans[table] = (plan, required)
    return plans


_WHY = " (approvals and claims are never taken from a file: approve the note again)"


def _as_history(note: _Item, warnings: list[str]) -> None:
    """A note comes in as pending, or as what happened to it: a send in flight becomes
    `unknown` (reconciled from the Sent folder, never resent), and only a note that left
    keeps its Message-ID (replies are matched by it); a pending note gets a fresh one."""
    state = note.values.get("state")
    if state == _SENDING:
        note.values["state"] = _UNKNOWN
        warnings.append(
            f"{note.where}: was being sent when exported: imported as unknown"
            " (followup send looks for it in your Sent folder first)"
        )
    if state == _PENDING and note.values.get("message_id") is not None:
        note.values["message_id"] = None
        warnings.append(
            f"{note.where}: not imported: message_id (a note not yet sent gets a fresh"
            " Message-ID when drafted here)"
        )
    if state in _UNSENT and note.values.get("edited_at") is not None:
        # A file's words never go out unseen (a shared "template" could put anything in a
        # note `send` would mail as is): the note is drafted again here from the debrief.
        note.values["edited_at"] = note.values["subject"] = note.values["body"] = None
        warnings.append(
            f"{note.where}: not imported: the text edited by hand (a note not known to have"
            " gone out is drafted again here from the debrief: edit it again if you want your"
            " words)"
        )


# (an enum member's .value is a Python call: 30,000 notes in a 10,000-interview export)
_SENDING, _UNKNOWN, _PENDING = (
    s.value for s in (NoteState.SENDING, NoteState.UNKNOWN, NoteState.PENDING)
)
_UNSENT = frozenset((_PENDING, _SENDING, _UNKNOWN, NoteState.FAILED.value))  # may go out
_WAITING = Status.WAITING.value


def _set_next(ctx: Context, interview: _InterviewDoc, interview_id: int) -> None:
    """An open interview is planned as this home's policy plans it (a file may hold no notes,
    or notes another policy planned); the agenda's columns follow."""
    if interview.item.values.get("status", _WAITING) != _WAITING:
        return  # nothing next: the row was inserted without next_* (_SET_BY_IMPORT)
    services.replan(ctx, interview_id)


# --- what an item may hold ---------------------------------------------------------------


def _interviewer_address(text: str) -> str:
    """One mailbox's address, never a no-reply one (services.check_interviewer's rule)."""
    address = parse_mailbox(text)[1]
    problem = limits.no_reply_problem(address)
    if problem:
        raise InvalidInput(problem)
    return address


Validator = Callable[[Any], Any]


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected text, got {_kind(value)}")
    if "\0" in value:
        raise ValueError("contains a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, from a \ud800 escape
        raise ValueError("contains a character that is not Unicode text") from None
    return value


def _name(value: Any) -> str:
    text = _text(value)
    if not text.strip():
        raise ValueError("must not be empty")
    return text


_BIGGEST = 2**31 - 1  # any whole number a column holds: a database integer, with room
# An id in the file (an item's own, or the interviewer a note names): a row id, as the
# stores and the web's paths take them (a larger one reached a 64-bit column: OverflowError).
_ID_RANGE = f"must be a whole number from 1 to {limits.ID_MAX} (a row id)"


def _integer(minimum: int, maximum: int = _BIGGEST) -> Validator:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"expected a whole number, got {_kind(value)}")
        if value < minimum:
            raise ValueError(f"must be at least {minimum}")
        if value > maximum:
            raise ValueError(f"must be at most {maximum}")
        return value

    return check


def _limited(what: str, most: int, base: Callable[[Any], str] = _text) -> Validator:
    """Text within the use-cases' limit (domain/limits.py): an import stores no more than
    `add` would."""

    def check(value: Any) -> str:
        text = base(value)
        problem = limits.length_problem(what, text, most)
        if problem:
            raise ValueError(problem)
        return text

    return check


def _header(value: Any) -> str:
    """Text that becomes a header when the note is sent: no line breaks, raw or encoded."""
    from followup.app.headers import check_header_value

    try:
        return check_header_value("Subject", _text(value))
    except InvalidInput as exc:
        raise ValueError(str(exc)) from None


def _greeting(value: Any) -> str:
    """A form of address (`debrief --greeting`): refused here for what the debrief refuses."""
    text = _text(value)
    problem = greeting_problem(text) or (None if text.strip() else "the greeting is empty")
    if problem:
        raise ValueError(problem)
    return text


def _talk(what: str) -> Callable[[Any], str]:
    """A debriefed topic or skill: refused here for what the debrief refuses (a placeholder
    such as "[specific project]", a sentence)."""

    def check(value: Any) -> str:
        text = _text(value)
        problem = None if len(text) > limits.TOPIC else services.talk_problem(what, text, None)
        if problem:  # (one too long is refused for its length)
            raise ValueError(problem)
        return text

    return check


def _cut(most: int) -> Validator:
    """Text kept as a record of what arrived (an inbound subject): cut, not refused, and
    without terminal codes or bidi overrides (`limits.without_controls`)."""
    return lambda value: limits.without_controls(_text(value))[:most]


def _instant(value: Any) -> str:
    if type(value) is str:
        if _CANONICAL.fullmatch(value) and _YEARS[0] <= value[:4] <= _YEARS[1]:
            try:  # as an export writes it: valid if a date and time (no month 13)
                datetime.fromisoformat(value)
                return value
            except ValueError:
                pass  # said by the full check
        return _instant_text(value)
    return _checked_instant(value)


_CANONICAL = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
_YEARS = (f"{limits.FIRST_YEAR:04}", f"{limits.LAST_YEAR:04}")


@lru_cache(maxsize=2**14)  # an export repeats its stamps (created_at, updated_at) often
def _instant_text(text: str) -> str:
    return _checked_instant(text)


def _checked_instant(value: Any) -> str:
    try:
        parsed = datetime.fromisoformat(_text(value))
    except ValueError:
        raise ValueError(
            f"{value!r} is not an ISO-8601 instant, e.g. 2026-11-25T14:00:00Z"
        ) from None
    if parsed.tzinfo is None:
        raise ValueError(f"{value!r} has no UTC offset")
    try:
        problem = limits.instant_problem("instant", parsed.astimezone(UTC))
    except OverflowError:
        problem = f"the instant must be between {limits.FIRST_YEAR} and {limits.LAST_YEAR}"
    if problem:
        raise ValueError(problem)
    return str(iso(parsed))


def _date(value: Any) -> str:
    try:
        day = date.fromisoformat(_text(value))
    except ValueError:
        raise ValueError(f"{value!r} is not a date like 2026-11-25") from None
    problem = limits.date_problem("date", day)
    if problem:
        raise ValueError(problem)
    return day.isoformat()


def _choice(values: Sequence[str]) -> Validator:
    def check(value: Any) -> str:
        if value not in values:
            raise ValueError(f"{value!r} is not one of {', '.join(values)}")
        return str(value)

    return check


def note_kind(value: Any) -> str:
    """A kind of note: any name a policy may give a step (the file may come from a home whose
    policy has kinds this one lacks). A note belongs to the step of its kind
    (planner.notes_by_step), whatever number it was sent at: a number past this policy's
    steps is kept as it is (a sent note keeps the number it went out at), never refused."""
    return check_kind(_text(value))


def _flag(value: Any) -> bool:
    """true or false; 1 or 0 as a database holds it (a backup is checked by these too)."""
    if value not in (True, False) or not isinstance(value, int):
        raise ValueError(f"expected true or false, got {_kind(value)}")
    return bool(value)


def _heading(what: str) -> Validator:
    """A company or a role: not empty, and fit for a Subject (`services.check_heading`)."""
    return _via(lambda text: services.check_heading(what, _name(text)))


def _via(parse: Callable[[str], Any]) -> Validator:
    def check(value: Any) -> Any:
        try:
            return parse(_text(value))
        except InvalidInput as exc:
            raise ValueError(str(exc)) from None

    return check


def _domains(value: Any) -> str:
    items = value if isinstance(value, list) else _text(value).split()
    problem = limits.count_problem("domains", len(items), limits.DOMAINS)
    if problem:
        raise ValueError(problem)
    return " ".join(_domain(d).lower() for d in items)


_domain = _limited("domain", limits.DOMAIN)


def _kind(value: Any) -> str:
    return "nothing" if value is None else type(value).__name__


def _cached(check: Validator) -> Validator:
    """`check` remembering its answers for the texts it saw last: an export repeats its
    names, addresses, zones and topics, and some checks parse (an address: ~30 µs)."""
    remembered = lru_cache(maxsize=2**12)(check)

    def cached(value: Any) -> Any:
        return remembered(value) if type(value) is str else check(value)

    return cached


# The columns we know and check, each with how a missing or null value is taken:
# _REQ must be there; _OPT may be null; _DEF left out (or null) takes the database's default
# or the import's time. A column the database has that is not listed (a later migration's)
# is copied if it holds a plain value.
_REQ, _OPT, _DEF = "required", "nullable", "defaulted"
_CLASSIFICATIONS = tuple(k.value for k in Kind)  # the schema's CHECK (0016)
_SPEC: dict[str, dict[str, tuple[Validator, str]]] = {
    "applications": {
        "company": (_cached(_limited("company", limits.COMPANY, _heading("company"))), _REQ),
        "role": (_cached(_limited("role", limits.ROLE, _heading("role"))), _REQ),
        "culture": (_choice([c.value for c in Culture]), _DEF),
        "country": (_cached(_via(parse_country)), _OPT),
        "domains": (_domains, _DEF),
        "tone": (_via(lambda t: parse_tone(t, auto=False)), _OPT),
        "created_at": (_instant, _DEF),
    },
    "interviews": {
        "round": (_integer(1, 1_000), _DEF),
        "start_at": (_instant, _REQ),
        "duration_min": (_integer(1, int(limits.DURATION_MAX.total_seconds() // 60)), _DEF),
        "tz": (_cached(_via(parse_zone)), _REQ),
        "status": (_choice([s.value for s in Status]), _DEF),
        "status_at": (_instant, _OPT),
        "expect_by": (_date, _OPT),
        "defer_until": (_instant, _OPT),
        "location": (_limited("location", limits.LOCATION), _OPT),
        "description": (_limited("description", limits.DESCRIPTION), _OPT),
        "ics_uid": (_limited("UID", limits.MAILBOX_TEXT), _OPT),
        "ics_sequence": (_integer(0), _OPT),
        "created_at": (_instant, _DEF),
    },
    "interviewers": {
        "name": (
            _cached(_limited("name", limits.NAME, _via(services.check_interviewer_name))),
            _REQ,
        ),
        "email": (_cached(_via(_interviewer_address)), _OPT),
        "tz": (_cached(_via(parse_zone)), _OPT),
        "bounced_at": (_instant, _OPT),
        "is_primary": (_flag, _DEF),
        "greet_as": (_cached(_limited("greeting", limits.GREETING, _greeting)), _OPT),
        "removed_at": (_instant, _OPT),
    },
    "notes": {
        "step": (_integer(1), _REQ),
        "kind": (_cached(note_kind), _REQ),
        "state": (_choice([s.value for s in NoteState]), _REQ),
        "earliest_at": (_instant, _REQ),
        "due_at": (_instant, _REQ),
        "sent_at": (_instant, _OPT),
        "message_id": (_limited("Message-ID", limits.MAILBOX_TEXT), _OPT),
        "subject": (_cached(_limited("subject", limits.NOTE_SUBJECT, _header)), _OPT),
        "body": (_limited("body", limits.NOTE_BODY), _OPT),
        "attempts": (_integer(0), _DEF),
        "last_error": (_cut(limits.NOTE), _OPT),
        "updated_at": (_instant, _DEF),
        "edited_at": (_instant, _OPT),
        "drafted_at": (_instant, _OPT),
    },
    "inbound_messages": {
        "message_id": (_cut(limits.MAILBOX_TEXT), _OPT),
        "from_addr": (_cut(limits.MAILBOX_TEXT), _OPT),
        "subject": (_cut(limits.SUBJECT), _OPT),
        "received_at": (_instant, _REQ),
        "classification": (_choice(_CLASSIFICATIONS), _REQ),
        "source": (_name, _DEF),
        "created_at": (_instant, _DEF),
        "reason": (_cut(limits.SUBJECT), _OPT),
    },
    "debriefs": {
        "topic": (_cached(_limited("topic", limits.TOPIC, _talk("topic"))), _OPT),
        "skill": (_cached(_limited("skill", limits.TOPIC, _talk("skill"))), _OPT),
        "note": (_limited("note", limits.NOTE), _OPT),
        "promised_by": (_date, _OPT),
        "created_at": (_instant, _DEF),
    },
}
# Set by the import itself: the parent's id, and what the store derives from other columns.
_SET_BY_IMPORT = {
    "interviews": {"application_id", "end_at", "next_step", "next_kind", "next_due_at"},
    "interviewers": {"interview_id"},
    "notes": {"interview_id", "interviewer_id"},
    "inbound_messages": {"interview_id"},
    "debriefs": {"interview_id", "interviewer_id"},
}
# A note's approval and a worker's claim stay on the machine that made them: never exported,
# never imported (dropped with a warning). Every column is in _SPEC, _SET_BY_IMPORT or here
# (tests/integration/test_approval_from_files.py): a new migration's column must be decided on.
_NOT_PORTABLE = frozenset(
    (
        "ics_organizer",  # who may change an imported invitation: never from a file
        "approved_at",
        "approved_digest",
        "approved_to",
        "approved_message",
        "approved_seal",
        "claimed_at",
        "claimed_by",
        "lease_until",
        # a failed note let go (Today stops asking about it): this machine's choice, like an
        # approval; an imported or restored copy asks about the failed note again
        "dismissed_at",
    )
)
# Each table's columns as the document holds them: its record's fields (app/rows.py).
_FIELDS: dict[str, tuple[str, ...]] = {
    "applications": ApplicationRecord._fields,
    "interviews": InterviewRecord._fields,
    "interviewers": InterviewerRecord._fields,
    "notes": NoteRecord._fields,
    "inbound_messages": InboundRecord._fields,
    "debriefs": DebriefRecord._fields,
}
# Where `_write` puts what the import decides in a record (its table's fields).
_APPLICATION_ID, _ROUND, _START, _END, _DURATION = map(
    _FIELDS["interviews"].index, ("application_id", "round", "start_at", "end_at", "duration_min")
)
_INTERVIEW_ID = {
    t: fields.index("interview_id") for t, fields in _FIELDS.items() if "interview_id" in fields
}
_INTERVIEWER_ID = {t: _FIELDS[t].index("interviewer_id") for t in ("notes", "debriefs")}
_NESTED = {"applications": {"interviews"}, "interviews": {*_CHILDREN.values(), "history"}}
_DEFAULTS: dict[str, dict[str, Any]] = {  # what the schema gives a column the file leaves out
    "applications": {"culture": Culture.OTHER.value, "domains": ""},
    "interviews": {"status": Status.WAITING.value},
    "interviewers": {"is_primary": False},
    "notes": {"attempts": 0},
    "inbound_messages": {"source": "manual"},
}
_STAMPS = {  # filled with the import's time when missing
    "applications": ("created_at",),
    "interviews": ("created_at",),
    "notes": ("updated_at",),
    "inbound_messages": ("created_at",),
    "debriefs": ("created_at",),
}

# An event's checks, made once (not per event: a history is four or so an interview).
_event_source = _choice(events.SOURCES)
_event_kind = _cached(_limited("kind", 40))
_event_summary = _limited(
    "summary", limits.NOTE, lambda value: limits.without_controls(_text(value))
)
