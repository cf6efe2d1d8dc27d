"""CSV: one row per interview, for spreadsheets and job trackers.

The import goes through the same use-cases as `followup add`, `sent`, `replied` and
`cancel`, so the notes are planned by the real planner; the headers of common trackers are
understood (`--map` for the rest). Every row is checked before anything is written, and each
bad one is reported with its line. The use-cases run in a store in memory, one application
at a time, and what they made is written to the database in bulk, a batch of applications
at a time (issue #17). Cells a spreadsheet would run as formulas are defused on export and
restored on import.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import groupby
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TextIO, TypeVar

from followup.app import services, snoozing, wording
from followup.app.context import Context
from followup.app.errors import Conflict, FollowupError, InvalidInput
from followup.app.parse import (
    parse_country,
    parse_date,
    parse_datetime,
    parse_interviewer,
    parse_mailbox,
    parse_zone,
)
from followup.app.portability.common import (
    Export,
    Grouped,
    Imported,
    ImportedInterview,
    ImportOptions,
    Written,
    all_or_nothing,
    nothing_imported,
    open_text,
)
from followup.app.rows import (
    ApplicationRecord,
    DebriefRecord,
    InboundRecord,
    InterviewerRecord,
    InterviewRecord,
    InterviewState,
    NewInterviewer,
    NoteRecord,
)
from followup.app.views import iso
from followup.domain import limits
from followup.domain.model import Culture, NoteState, Status
from followup.domain.planner import next_due, notes_by_step
from followup.domain.policy import ARTICLE_POLICY, Policy

if TYPE_CHECKING:
    from followup.app.ports import EventRow, Store

T = TypeVar("T")


# --- export ------------------------------------------------------------------------------


# The columns of an export: these, one `<kind>_sent_at` per step of the policy, then _TAIL.
# `replied_at`: the first human reply at or after the interview's end (what `stats` times);
# `status_at`: when an ended sequence ended (replied, closed, cancelled, an outcome).
_HEAD = (
    "interview_id",
    "application_id",
    "company",
    "role",
    "culture",
    "country",
    "round",
    "start",
    "duration_minutes",
    "tz",
    "status",
    "interviewers",
    "topics",
    "skill",
    "next_step",
    "next_kind",
    "next_due_at",
)
# `next_step_sent_to`: the next step's notes that went out already, when it went to some of
# a panel but not all (its `<kind>_sent_at` stays empty: the others are still owed).
_TAIL = (
    "replied_at",
    "status_at",
    "expect_by",
    "location",
    "primary_contact",
    "next_step_sent_to",
)


def sent_column(kind: str) -> str:
    """The column of when a kind of note went out: `check-in` -> `check_in_sent_at`."""
    return f"{kind.replace('-', '_')}_sent_at"


def csv_columns(policy: Policy) -> tuple[str, ...]:
    return (*_HEAD, *(sent_column(step.kind) for step in policy.steps), *_TAIL)


def export_csv(
    ctx: Context, out: TextIO, progress: Callable[[int, int], None] | None = None
) -> Export:
    """One row per interview, by application and round (one consistent snapshot), written
    to `out` as the store's cursors give them (constant memory)."""
    import csv

    writer = csv.writer(out)
    columns = csv_columns(ctx.policy)
    writer.writerow(columns)
    applications = interviews = 0
    with ctx.store.snapshot():  # one consistent read; writers are not held back
        total = ctx.store.counts()["interviews"] if progress else 0
        stream = ctx.store.export_stream()
        rounds = Grouped(stream.interviews, "application_id")
        people, notes, debriefs, inbound = (
            Grouped(stream.interviewers, "interview_id"),
            Grouped(stream.notes, "interview_id"),
            Grouped(stream.debriefs, "interview_id"),
            Grouped(stream.inbound_messages, "interview_id"),
        )
        for application in stream.applications:
            group = [
                _Round(
                    row,
                    people.take(row.id),
                    notes.take(row.id),
                    debriefs.take(row.id),
                    inbound.take(row.id),
                )
                for row in rounds.take(application.id)
            ]
            if not group:
                continue
            applications += 1
            # by round; rounds of the same number newest first (as `list` gives them)
            group.sort(key=lambda r: (datetime.fromisoformat(r.interview.start_at), r.interview.id))
            group.reverse()
            group.sort(key=lambda r: r.interview.round)
            writer.writerows(_csv_row(ctx.policy, application, one) for one in group)
            interviews += len(group)
            if progress:
                progress(interviews, total)
    return Export("csv", applications, interviews)


class _Round(NamedTuple):
    interview: InterviewRecord
    interviewers: list[InterviewerRecord]  # by id, as `show` lists them
    notes: list[NoteRecord]  # by id
    debriefs: list[DebriefRecord]  # by id
    inbound: list[InboundRecord]  # the messages linked to it, by id


class _Due(NamedTuple):
    due_at: datetime
    step: int
    kind: str


def _csv_row(policy: Policy, a: ApplicationRecord, one: _Round) -> list[str]:
    """The interview's cells, in `csv_columns`' order, each as `_cell` writes it."""
    i = one.interview
    notes = sorted(one.notes, key=_by_step)  # as `show` lists them
    pending = [n for n in notes if n.state == _PENDING]
    upcoming = (
        next_due(_Due(datetime.fromisoformat(n.due_at), n.step, n.kind) for n in pending)
        if pending
        else None
    )
    people = one.interviewers
    skill = next((d.skill for d in one.debriefs if d.skill), None)
    row = [
        str(i.id),
        str(i.application_id),
        _cell(a.company),
        _cell(a.role),
        _cell(a.culture),
        _cell(a.country),
        str(i.round),
        _instant(i.start_at),
        str(int(i.duration_min)),
        _cell(i.tz),
        _cell(i.status),
        _cell("; ".join(_person_item(p.name, p.email) for p in people)),
        _cell("; ".join(_quote_item(d.topic) for d in one.debriefs if d.topic)),
        _cell(skill),
        "" if upcoming is None else str(upcoming.step),
        "" if upcoming is None else _cell(upcoming.kind),
        "" if upcoming is None else iso(upcoming.due_at) or "",
    ]
    # by step (planner.notes_by_step): a note sent before its step was renamed counts, one
    # of a step the policy dropped counts for none (it is in the JSON export)
    by_step = notes_by_step(notes, policy)
    partly = ""
    for step in policy.steps:
        sent = [n for n in by_step[step.number] if n.state == _SENT and n.sent_at]
        if sent and not partly and any(n.state == _PENDING for n in by_step[step.number]):
            # gone to some of the panel, not all: who, and when (the step is not done)
            partly = _sent_to(people, sent)
            row.append("")
            continue
        # the next step counts from the last
        row.append(_latest([n.sent_at for n in sent if n.sent_at]) if sent else "")
    row.append(_first_reply(i, one.inbound))
    ended = i.status_at and Status(i.status) in _ENDED
    row.append(_instant(i.status_at) if ended and i.status_at else "")
    row.append(date.fromisoformat(i.expect_by).isoformat() if i.expect_by else "")
    row.append(_cell(i.location))
    row.append(_cell(next((p.email for p in people if p.is_primary), None)))
    row.append(_cell(partly))
    return row


def _sent_to(people: list[InterviewerRecord], sent: list[NoteRecord]) -> str:
    """`Name <email> TIME; …`: each person whose note of a step went out, with when."""
    by_id = {p.id: p for p in people}
    items = []
    for note in sorted(sent, key=lambda n: (n.sent_at or "", n.id or 0)):
        person = by_id.get(note.interviewer_id) if note.interviewer_id is not None else None
        if person is not None and note.sent_at:
            items.append(f"{_person_item(person.name, person.email)} {_instant(note.sent_at)}")
    return "; ".join(items)


_PENDING, _SENT = NoteState.PENDING.value, NoteState.SENT.value
_by_step = attrgetter("step", "id")
_STORED = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")


# The statuses whose time the import takes from `status_at` (a sequence that ended).
_ENDED = frozenset(
    (
        Status.REPLIED,
        Status.CLOSED,
        Status.CANCELLED,
        Status.REJECTED,
        Status.ROLE_CLOSED,
        Status.OFFER,
    )
)


def _first_reply(interview: InterviewRecord, inbound: list[InboundRecord]) -> str:
    """When the first human reply came, at or after the interview's end (as `stats` reads
    it: migration 0023's `replied_at`), or ""."""
    texts = [m.received_at for m in inbound if m.classification == _HUMAN]
    if not texts:  # most interviews: nothing read
        return ""
    end = interview.end_at
    if all(_STORED.fullmatch(t) for t in (end, *texts)):  # the text's order is the time's
        return min((t for t in texts if t >= end), default="")
    at_end = datetime.fromisoformat(end)
    replies = [at for t in texts if (at := datetime.fromisoformat(t)) >= at_end]
    return iso(min(replies)) or "" if replies else ""


_HUMAN = "human"


def _instant(text: str) -> str:
    """A stored instant as the export writes instants (ISO-8601 UTC, a Z): the text itself
    when the store holds it so already (it always writes it so), else read and written."""
    if _STORED.fullmatch(text):
        return text
    return iso(datetime.fromisoformat(text)) or ""


def _latest(texts: list[str]) -> str:
    """The latest of stored instants: by their text when all are in the stored form (its
    order is the time's), else read."""
    if all(_STORED.fullmatch(t) for t in texts):
        return max(texts)
    return iso(max(datetime.fromisoformat(t) for t in texts)) or ""


# --- import ------------------------------------------------------------------------------

# The fields a CSV column can fill; `--map COLUMN=FIELD` names one of these, or the sent
# column of a step the policy adds (`check_in_sent_at`: fields_of).
FIELDS = {
    "company": "the employer",
    "role": "the position",
    "start": "when the interview started (ISO-8601; local times are read in tz)",
    "tz": "the interview's IANA zone (default: yours)",
    "duration_minutes": "its length in minutes",
    "interviewers": '"Name <email>; Name2 <email2>"',
    "interviewer_name": "one interviewer's name (or Name <email>)",
    "interviewer_email": "that interviewer's e-mail address",
    "culture": "corporate, startup or other",
    "country": "ISO code whose public holidays are skipped",
    "topics": '"topic one; topic two"',
    "skill": "the skill to stress",
    "location": "a room or a video link",
    "status": "waiting, replied, closed, advanced or cancelled",
    "round": "the round number within its application",
    "application_id": "rows sharing one are rounds of one application",
    "thank_you_sent_at": "when the thank-you went out",
    "follow_up_sent_at": "when the follow-up went out",
    "final_sent_at": "when the final note went out",
    "replied_at": "when they first replied (a row without a status becomes replied)",
    "status_at": "when a sequence that ended (replied, closed, cancelled, rejected,"
    " role-closed, offer) ended; without it, replied_at's time (closed: the last note's"
    " sent time), else the import's",
    "expect_by": "the date they promised a decision by",
    "primary_contact": "the interviewer (an e-mail of interviewers) who gets the notes after"
    " the thank-you (default: the first)",
    "next_due_at": "when the next note is due: later than the import's plan (a snooze),"
    " it is kept as a 'no note before'",
    "next_step_sent_to": "the next step's notes that went out to some of a panel, not all"
    " (its sent column empty: the others are still owed): 'Name <email> TIME; …'",
}
# Our own export's columns that the import does not read (they are computed again).
_COMPUTED = ("interview_id", "next_step", "next_kind")
REQUIRED = ("company", "role", "start")

# Header names of common job trackers and spreadsheets, compared case-insensitively with
# spaces, '_' and '-' alike. A field's own name always matches.
ALIASES: dict[str, tuple[str, ...]] = {
    "company": ("company name", "employer", "organization", "organisation", "org"),
    "role": ("job title", "title", "position", "position title", "job", "job role"),
    "start": (
        "interview date",
        "interview time",
        "interview date time",
        "interview datetime",
        "interview at",
        "date",
        "date time",
        "datetime",
        "start time",
        "start date",
        "starts",
        "when",
    ),
    "tz": ("time zone", "timezone", "zone"),
    "duration_minutes": ("duration", "duration (minutes)", "duration min", "length", "minutes"),
    "interviewers": ("panel", "interview panel"),
    "interviewer_name": (
        "interviewer",
        "interviewer name",
        "contact",
        "contact name",
        "contact person",
        "recruiter",
        "recruiter name",
        "hiring manager",
    ),
    "interviewer_email": (
        "interviewer email",
        "contact email",
        "email",
        "e mail",
        "email address",
        "recruiter email",
        "hiring manager email",
    ),
    "culture": ("company type",),
    "country": ("country code",),
    "topics": ("topic", "discussed"),
    "skill": ("key skill",),
    "location": ("where", "meeting link", "video link", "place"),
    "status": ("state", "outcome"),
    "round": ("interview round", "round number"),
    "application_id": ("application", "application id"),
    "thank_you_sent_at": ("thank you sent", "thank you sent at", "thank you note sent"),
    "follow_up_sent_at": ("follow up sent", "follow up sent at"),
    "final_sent_at": ("final sent", "final note sent"),
    "replied_at": ("replied", "replied on", "reply date", "response date", "first reply"),
    "status_at": ("status date", "status changed", "outcome date", "ended at", "date ended"),
    "expect_by": ("decision by", "expected by", "promised by"),
}


# A `<kind>_sent_at` column, as _norm leaves it ("check in sent at"): one the policy has no
# step for is still read, so that a time set in it is refused with the reason, never lost.
_SENT_COLUMN = re.compile(r"([a-z][a-z0-9]*(?: [a-z0-9]+)*) sent at")


def _sent_kinds(policy: Policy, fields: Iterable[str]) -> tuple[str, ...]:
    """The kinds whose sent column an import reads: the policy's, in step order, then the
    kind of any other sent column the file has."""
    kinds = tuple(step.kind for step in policy.steps)
    others = (
        found[1].replace(" ", "-")
        for field in fields
        if (found := _SENT_COLUMN.fullmatch(_norm(field)))
    )
    return kinds + tuple(dict.fromkeys(k for k in others if k not in kinds))


def fields_of(policy: Policy) -> dict[str, str]:
    """FIELDS, and the sent column of each step the policy adds."""
    added = {
        sent_column(step.kind): f"when the {step.kind} note went out"
        for step in policy.steps
        if sent_column(step.kind) not in FIELDS
    }
    return {**FIELDS, **added}


def parse_mapping(items: Sequence[str], policy: Policy = ARTICLE_POLICY) -> dict[str, str]:
    """`["Firm=company", "Notes="]` -> {column: field}; an empty field skips the column."""
    fields = fields_of(policy)
    mapping: dict[str, str] = {}
    for item in items:
        column, eq, target = item.partition("=")
        target = target.strip().lower()
        if not eq or not column.strip():
            raise InvalidInput(f"--map {item!r}: expected CSVCOLUMN=FIELD, e.g. 'Firm=company'")
        if target and target not in fields:
            raise InvalidInput(
                f"--map {item!r}: unknown field {target!r}; fields: {', '.join(fields)}"
                " (or nothing after '=' to skip the column)"
            )
        mapping[column.strip()] = target
    return mapping


def import_csv(ctx: Context, path: Path, options: ImportOptions) -> Imported:
    """Check every row, then write them all through the services in one transaction."""
    with open_text(path) as text:  # read as the rows are: no copy of the whole file
        return _import_csv(ctx, path, options, text)


def _import_csv(ctx: Context, path: Path, options: ImportOptions, text: TextIO) -> Imported:
    """Every row read and checked, and kept in the store's stash (not in this process: an
    application's rounds may be anywhere in the file, so none is written before the file is
    read); then the applications read back from the stash one at a time, checked against
    each other and the database, and written, all in one transaction (issue #17: memory
    follows a batch of applications, not the file)."""
    import csv

    most = limits.CSV_LINE_CHARS
    first_line = text.readline(most + 1).split("\n", 1)[0]
    text.seek(0)
    delimiter = ","
    if "," not in first_line:  # a European spreadsheet's ';', or a tab-separated export
        delimiter = ";" if ";" in first_line else "\t" if "\t" in first_line else ","
    reader = csv.reader(_lines(path, text, most), delimiter=delimiter)
    previous = 0  # the line the last row read ended on: the next one starts after it
    problems: dict[int, list[str]] = {}
    warnings: list[str] = []
    store = ctx.store

    def read_rows(header: list[str], mapped: _Header) -> int:
        """Each row checked and stashed (its problems kept instead); how many were good."""
        nonlocal previous
        good = 0
        batch: list[tuple[str, int, bytes]] = []
        previous = reader.line_num
        for cells in reader:
            line, previous = previous + 1, reader.line_num
            if not any(c.strip() for c in cells):
                continue
            row_problems: list[str] = []
            if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
                row_problems.append(f"{len(cells)} cells but the header has {len(header)}")
            values = {
                name: _uncell(cells[index].strip()) if index < len(cells) else ""
                for name, index in mapped.columns.items()
            }
            row, row_warnings = _parse_row(ctx, values, line, row_problems)
            warnings.extend(f"line {line}: {w}" for w in row_warnings)
            if row_problems:
                problems[line] = row_problems
            elif row is not None:
                good += 1
                key = json.dumps(row.group)  # (its parts apart; no NUL: PostgreSQL's text)
                batch.append((key, line, _dumps(row)))
                if len(batch) >= 1000:
                    store.stash(batch)
                    batch = []
        store.stash(batch)
        return good

    def groups() -> Generator[list[_Row], None, None]:
        """The stashed rows, an application's together, in the order of their first row."""
        for _key, rows in groupby(store.stashed(), key=itemgetter(0)):
            yield [_loads(data) for _, data in rows]

    def run() -> Imported:
        store.scratch()  # an empty stash, in the import's transaction
        try:
            header = next(reader, None)
            if header is None:
                raise InvalidInput(f"{path.name} is empty: expected a header row, then one per row")
            mapped = _map_header(header, options.mapping, ctx.policy)
            if mapped.ignored:
                warnings.append(
                    "ignored columns: "
                    + ", ".join(repr(c) for c in mapped.ignored)
                    + " (use --map 'COLUMN=FIELD' to read one)"
                )
            good = read_rows(header, mapped)
        except csv.Error as exc:
            raise _not_csv(path, exc, previous + 1, reader.line_num) from exc
        applications = 0
        for group in groups():
            applications += 1
            _check_group(group, problems)
        if problems:
            raise nothing_imported(path, _problem_lines(problems), "row")
        if not good:
            raise InvalidInput(f"{path.name} has a header but no rows: nothing to import")
        # One rule with the JSON import: rows distinct in the file are distinct interviews
        # (an export of a home holding rounds at one company, role and start goes back in);
        # a row repeating an interview that was here before the import is refused, naming
        # that one (a tracker's file imported twice), all before the first write
        # (a database with no interview yet has none to repeat: no look-ups then)
        for group in groups() if store.counts()["interviews"] else ():
            for row in group:
                before = services.duplicate_of(ctx, row.new, any_status=True)
                if before is not None:
                    problems.setdefault(row.line, []).append(
                        f"interview {before.id} is this one already (same company, role and"
                        f" start, {wording.local(before.start, before.tz)}),"
                        " from before this import: was this file imported before?"
                    )
        if problems:
            raise nothing_imported(path, _problem_lines(problems), "row")
        created = Written(options.dry_run, _created)
        # the stats' aggregates are brought up to date once, at the end (not per write):
        # every row's writes touch only the interviews and applications it creates
        store.pause_stats()
        counted: Sequence[int] = ()
        stashed = groups()
        try:
            _write_groups(ctx, map(_ordered, stashed), problems, created)
            if problems:
                raise nothing_imported(path, _problem_lines(problems), "row")
            counted = created.ids
        finally:  # on a failure: the triggers back, nothing counted
            stashed.close()  # (its cursor, before the triggers come back)
            store.resume_stats(counted)
        store.scratch()  # emptied: a server's connection lives on
        return Imported(
            file=path,
            format="csv",
            applications=applications,
            interviews=created.in_file_order(),
            warnings=tuple(warnings),
            dry_run=options.dry_run,
        )

    return all_or_nothing(ctx, options.dry_run, run)


def _lines(path: Path, text: TextIO, most: int) -> Iterator[str]:
    """The file's lines for the csv module, none read past `most` characters: a line longer
    than that (a 2 GB cell, a file that is not CSV) is refused naming it, after reading
    `most` characters of it, not the whole line (a cold trial's one-line 2 GB cell took
    4.2 GB before the csv module's cell limit said no)."""
    line = 0
    while chunk := text.readline(most + 2):  # (a "\r\n" end kept whole)
        line += 1
        end = 2 if chunk.endswith("\r\n") else 1 if chunk[-1] in "\r\n" else 0
        if len(chunk) - end > most:
            raise InvalidInput(
                f"{path.name} line {line} is longer than {most:,} characters, more than a row"
                " of interviews holds: is it a CSV file?"
            )
        yield chunk


def _dumps(row: _Row) -> bytes:
    """A checked row as the stash keeps it. Only `_loads` reads it back, in the same
    transaction, from a temporary table no other connection sees: never bytes from a file
    or from another process."""
    import pickle

    return pickle.dumps(row, protocol=pickle.HIGHEST_PROTOCOL)


def _loads(data: bytes) -> _Row:
    import pickle

    row: _Row = pickle.loads(data)  # what _dumps wrote, in this transaction
    return row


def _created(interview_id: int | None, line: int) -> ImportedInterview:
    """One written interview, named by its line in the file."""
    return ImportedInterview(interview_id, line=line)


def _not_csv(path: Path, exc: Exception, line: int, at: int) -> InvalidInput:
    """The csv module's error in plain words, naming the line where the row starts (a
    quoted cell may run over many lines: `at` is where reading stopped)."""
    import csv

    if "field larger than field limit" in str(exc):
        return InvalidInput(
            f"{path.name} line {line}: a cell is longer than {csv.field_size_limit():,}"
            " characters, more than any field of an interview holds (is a closing quote"
            " missing?)"
        )
    return InvalidInput(f"{path.name} line {at}: not valid CSV: {exc}")


def _problem_lines(problems: Mapping[int, list[str]]) -> list[str]:
    return [f"line {line}: {'; '.join(p)}" for line, p in sorted(problems.items())]


# --- the header: which column fills which field ------------------------------------------


def _norm(name: str) -> str:
    return " ".join(_SEPARATORS.split(name.strip().casefold())).strip()


_SEPARATORS = re.compile(r"[\s_\-]+")


def _alias_index(policy: Policy) -> dict[str, str]:
    """Normalized header name -> field ("" for our export's computed columns)."""
    index = {_norm(name): "" for name in _COMPUTED}
    for target in fields_of(policy):
        index.update({_norm(name): target for name in (target, *ALIASES.get(target, ()))})
    return index


@dataclass(frozen=True)
class _Header:
    columns: dict[str, int]  # field -> cell index
    ignored: tuple[str, ...]  # columns nothing reads


def _map_header(
    header: Sequence[str], mapping: Mapping[str, str], policy: Policy = ARTICLE_POLICY
) -> _Header:
    aliases = _alias_index(policy)
    problems: list[str] = []
    names = [_norm(h) for h in header]
    explicit = {_norm(column): target for column, target in mapping.items()}
    for column in mapping:
        if _norm(column) not in names:
            shown = ", ".join(repr(h) for h in header)
            problems.append(f"--map: the file has no column {column!r} (it has {shown})")
    columns: dict[str, int] = {}
    for index, name in enumerate(names):  # explicit choices first: they win over aliases
        target = explicit.get(name)
        if not target:
            continue
        if target in columns:
            first = header[columns[target]]
            problems.append(f"columns {first!r} and {header[index]!r} both map to {target}")
        columns[target] = index
    ignored: list[str] = []
    for index, name in enumerate(names):
        if name in explicit:
            continue
        target = aliases.get(name)
        if target is None and (found := _SENT_COLUMN.fullmatch(name)):
            target = sent_column(found[1].replace(" ", "-"))  # a step the policy lacks
        if target is None:
            if name:
                ignored.append(header[index])
            continue
        if not target:  # one of our computed columns
            continue
        if target in columns:
            first = header[columns[target]]
            if _norm(first) in explicit:
                ignored.append(header[index])
                continue
            problems.append(
                f"columns {first!r} and {header[index]!r} both look like {target}:"
                f" pick one with --map '{header[index]}=' (skips it)"
            )
            continue
        columns[target] = index
    for needed in REQUIRED:
        if needed not in columns:
            looked = ", ".join(repr(n) for n in (needed, *ALIASES[needed][:4]))
            problems.append(
                f"no column for {needed} (looked for {looked}, …): name one with"
                f" --map 'YOUR COLUMN={needed}'"
            )
    if problems:
        raise InvalidInput("; ".join(problems))
    return _Header(columns, tuple(ignored))


# --- rows --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Row:
    line: int
    group: tuple[str, ...]
    round: int | None
    new: services.NewInterview
    sends: tuple[datetime, ...]  # sent times of steps 1, 2, … in order
    status: Status | None
    expect_by: date | None
    given: frozenset[str]  # which of the fields naming its application have a cell
    replied_at: datetime | None = None  # the first reply, at or after the interview's end
    status_at: datetime | None = None  # when its status (an ended one) was reached
    # the next step's notes that went out already (some of a panel): (email or name, when)
    partly: tuple[tuple[str, datetime], ...] = ()
    next_due_at: datetime | None = None  # when its next note was due (kept if put off)


def _parse_row(
    ctx: Context, cells: Mapping[str, str], line: int, problems: list[str]
) -> tuple[_Row | None, list[str]]:
    """One CSV row, every field checked; each problem is appended, none stops the others."""
    warnings: list[str] = []

    def read(name: str, parse: Callable[[str], T]) -> T | None:
        text = cells.get(name, "")
        if not text:
            return None
        try:
            return parse(text)
        except InvalidInput as exc:
            problems.append(f"{name}: {exc}")
            return None

    for name, text in cells.items():
        if "\0" in text:
            problems.append(f"{name} contains a NUL character")
    for name in ("company", "role", "start"):
        if not cells.get(name):
            problems.append(f"{name} is empty")

    before = len(problems)
    tz = read("tz", parse_zone) or ctx.user_tz
    tz_ok = len(problems) == before

    def instant(text: str) -> datetime:
        at, warning = parse_datetime(text, tz)
        if warning:
            warnings.append(warning)
        return at

    start = read("start", instant) if tz_ok else None
    if start is not None and _DATE_ONLY.fullmatch(cells["start"]):
        warnings.append(f"start {cells['start']!r} has no time of day: taking 00:00 {tz}")
    duration = read("duration_minutes", _minutes)
    culture = read("culture", _culture) or Culture.OTHER
    country = read("country", _country(ctx))
    people = _people(cells, problems)
    try:
        people = services.with_primary(people, cells.get("primary_contact") or None)
    except InvalidInput as exc:
        problems.append(f"primary_contact: {exc}")
    topics = [_unquote(t) for t in _split_items(cells.get("topics", ""))]
    status = read("status", _status)
    round_ = read("round", _round)
    expect_by = read("expect_by", parse_date)
    sent_cells = _sent_cells(ctx.policy, tuple(cells))
    sent_at = {column: read(column, instant) if tz_ok else None for column, _ in sent_cells}
    replied_at = read("replied_at", instant) if tz_ok else None
    status_at = read("status_at", instant) if tz_ok else None
    next_due_at = read("next_due_at", instant) if tz_ok else None
    if problems or start is None:
        return None, warnings

    # the sent times, against the interview, the clock, the policy and each other
    end = start + (timedelta(minutes=duration) if duration else ctx.policy.default_duration)
    now = ctx.clock.now()
    steps = {step.kind: step.number for step in ctx.policy.active_steps}
    sends: list[datetime] = []
    previous: tuple[str, datetime] | None = None
    for column, kind in sent_cells:
        at = sent_at[column]
        if at is None:
            continue
        if kind not in steps:
            problems.append(
                f"{column} is set but the policy sends only {len(steps)} note(s): no {kind} note"
            )
            continue
        if steps[kind] != len(sends) + 1:
            missing = next(c for c, k in sent_cells if steps.get(k) == len(sends) + 1)
            problems.append(f"{column} is set but {missing} is empty")
            continue
        if at > now:
            problems.append(f"{column} {iso(at)} is in the future")
        elif at < end:
            problems.append(f"{column} {iso(at)} is before the interview ended ({iso(end)})")
        elif previous and at < previous[1]:
            problems.append(f"{column} {iso(at)} is before {previous[0]} ({iso(previous[1])})")
        sends.append(at)
        previous = (column, at)
    partly = _partly_sent(cells.get("next_step_sent_to", ""), people, instant, problems)
    if partly and len(sends) >= len(steps):
        problems.append("next_step_sent_to is set but every note has a sent time")
    for who, at in partly:
        if at > now:
            problems.append(f"next_step_sent_to: {who}'s {iso(at)} is in the future")
        elif at < end:
            problems.append(
                f"next_step_sent_to: {who}'s {iso(at)} is before the interview ended ({iso(end)})"
            )
        elif previous and at < previous[1]:
            problems.append(
                f"next_step_sent_to: {who}'s {iso(at)} is before {previous[0]} ({iso(previous[1])})"
            )
    if partly:
        previous = ("next_step_sent_to", max(at for _, at in partly))
    replied_at, status_at = _ended_times(
        status, replied_at, status_at, end, now, previous, problems, warnings
    )
    if problems:
        return None, warnings

    company, role = cells["company"], cells["role"]
    group_key = cells.get("application_id", "")
    group = ("id", group_key) if group_key else ("name", company.casefold(), role.casefold())
    new = services.NewInterview(
        company=company,
        role=role,
        start=start,
        tz=tz,
        duration=timedelta(minutes=duration) if duration else None,
        interviewers=people,
        culture=culture,
        country=country,
        topics=topics,
        skill=cells.get("skill") or None,
        location=cells.get("location") or None,
        # a file with these columns says who and which skill: an empty cell is none
        inherit=not ("skill" in cells and cells.keys() & _PEOPLE),
    )
    given = frozenset(name for name in _NAMING if cells.get(name))
    row = _Row(
        line,
        group,
        round_,
        new,
        tuple(sends),
        status,
        expect_by,
        given,
        replied_at,
        status_at,
        tuple(sorted(partly, key=itemgetter(1))),
        next_due_at,
    )
    return row, warnings


def _partly_sent(
    cell: str,
    people: list[NewInterviewer],
    instant: Callable[[str], datetime],
    problems: list[str],
) -> list[tuple[str, datetime]]:
    """`next_step_sent_to`'s `Name <email> TIME; …`: (the person as `interviewers` names
    them — their e-mail, else their name — and when their note of the next step went)."""
    found: list[tuple[str, datetime]] = []
    for item in _split_items(cell):
        person_text, _, time_text = item.rpartition(" ")
        try:
            if not person_text.strip():
                raise InvalidInput("expected 'Name <email> TIME'")
            at = instant(time_text)
            text = person_text.strip()
            name, email = parse_interviewer(text if "@" in text else _unquote(text))
        except InvalidInput as exc:
            problems.append(f"next_step_sent_to: {item!r}: {exc}")
            continue
        who = _one_of(people, name, email)
        if who is None:
            problems.append(f"next_step_sent_to: {item!r} is none of the interviewers")
        elif any(w == who for w, _ in found):
            problems.append(f"next_step_sent_to: {who} is given twice")
        else:
            found.append((who, at))
    return found


def _one_of(people: list[NewInterviewer], name: str, email: str | None) -> str | None:
    """The person of the panel these name: their e-mail, else (none) their name."""
    for person in people:
        if email is not None and person.email == email:
            return email
        if email is None and person.email is None and person.name.casefold() == name.casefold():
            return person.name
    return None


# What a row's reply may come with: a reply ends the sequence as replied, and an outcome or
# a cancellation may follow it (a reply to a sequence that goes on is not kept: _ended_times).
_AFTER_A_REPLY = frozenset(
    (None, Status.REPLIED, Status.CANCELLED, Status.REJECTED, Status.ROLE_CLOSED, Status.OFFER)
)


def _ended_times(
    status: Status | None,
    replied_at: datetime | None,
    status_at: datetime | None,
    end: datetime,
    now: datetime,
    last_sent: tuple[str, datetime] | None,
    problems: list[str],
    warnings: list[str],
) -> tuple[datetime | None, datetime | None]:
    """A row's reply and end times, checked against its status, the interview, the clock
    and its last note (each problem appended); the ones the import records (a time the
    status cannot use is warned about, and dropped)."""
    if replied_at is not None:
        if replied_at > now:
            problems.append(f"replied_at {iso(replied_at)} is in the future")
        elif replied_at < end:
            problems.append(
                f"replied_at {iso(replied_at)} is before the interview ended ({iso(end)})"
            )
        elif status not in _AFTER_A_REPLY:
            assert status is not None
            warnings.append(
                f"replied_at is not kept: a reply ends the sequence, and the status is"
                f" {status.value}"
            )
            replied_at = None
    if status_at is None:
        return replied_at, None
    if status_at > now:
        problems.append(f"status_at {iso(status_at)} is in the future")
    elif status is None or status not in _ENDED:
        if replied_at is None:  # (with a reply: the status is replied, at replied_at)
            warnings.append(
                f"status_at is not kept: the status is {status.value if status else 'not given'},"
                " a sequence that goes on"
            )
        return replied_at, None
    elif status is Status.REPLIED and replied_at is None and status_at < end:
        problems.append(f"status_at {iso(status_at)} is before the interview ended ({iso(end)})")
    elif status is Status.CLOSED and last_sent is not None and status_at < last_sent[1]:
        problems.append(
            f"status_at {iso(status_at)} is before {last_sent[0]} ({iso(last_sent[1])}):"
            " a sequence closes when its last note goes out"
        )
    # an end before the row's reply is kept: the app records one itself (the board's Rejected,
    # then a word from them that sync links), and a home's own export must come back
    return replied_at, status_at


_PEOPLE = {"interviewers", "interviewer_name", "interviewer_email"}
# What says which application a row is a round of (compared across its rows: _check_group).
_NAMING = ("company", "role", "culture", "country")
_DATE_ONLY = re.compile(r"\s*\d{4}-\d{2}-\d{2}\s*")


def _sent_cells(policy: Policy, fields: tuple[str, ...]) -> list[tuple[str, str]]:
    """(column, kind) of each sent time a row with these fields is read for: the same for
    every row of a file (worked out once per file, not per row)."""
    key = (id(policy), fields)
    found = _SENT_CELLS.get(key)
    if found is None or found[0] is not policy:
        found = _SENT_CELLS[key] = (
            policy,
            [(sent_column(kind), kind) for kind in _sent_kinds(policy, fields)],
        )
    return found[1]


_SENT_CELLS: dict[tuple[int, tuple[str, ...]], tuple[Policy, list[tuple[str, str]]]] = {}


def _positive_whole(what: str, most: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        shown = text if len(text) <= 40 else f"{text[:40]}…"
        try:
            number = int(text) if len(text) <= 20 else 0  # no 5,000-digit conversions
        except ValueError:
            number = 0
        if number <= 0:
            raise InvalidInput(f"{shown!r} is not {what}")
        if number > most:
            raise InvalidInput(f"{shown!r}: at most {most:,}")
        return number

    return parse


_minutes = _positive_whole(
    "a positive whole number of minutes", int(limits.DURATION_MAX.total_seconds() // 60)
)
_round = _positive_whole("a round number (1, 2, …)", 1_000)


def _culture(text: str) -> Culture:
    try:
        return Culture(text.lower())
    except ValueError:
        choices = ", ".join(c.value for c in Culture)
        raise InvalidInput(f"{text!r} is not one of {choices}") from None


# Tracker status words we can honour; anything else is a bad row (or `--map Status=`).
_STATUS_WORDS = {
    **{s.value: s for s in Status},
    "canceled": Status.CANCELLED,
    "withdrawn": Status.CANCELLED,
    "open": Status.WAITING,
    "active": Status.WAITING,
    "pending": Status.WAITING,
    "scheduled": Status.WAITING,
    "interviewing": Status.WAITING,
    "in progress": Status.WAITING,
    "declined": Status.REJECTED,
    "not selected": Status.REJECTED,
    "not moving forward": Status.REJECTED,
    "no offer": Status.REJECTED,
    "role closed": Status.ROLE_CLOSED,
    "position filled": Status.ROLE_CLOSED,
    "position closed": Status.ROLE_CLOSED,
    "job closed": Status.ROLE_CLOSED,
    "role filled": Status.ROLE_CLOSED,
    "offered": Status.OFFER,
    "offer received": Status.OFFER,
    "offer extended": Status.OFFER,
    "offer accepted": Status.OFFER,
}


def _status(text: str) -> Status:
    status = _STATUS_WORDS.get(_norm(text))
    if status is None:
        choices = ", ".join(s.value for s in Status)
        raise InvalidInput(
            f"{text!r} is not one of {choices} (to skip the column: --map 'COLUMN=')"
        )
    return status


def _country(ctx: Context) -> Callable[[str], str | None]:
    def parse(text: str) -> str | None:
        code = parse_country(text)
        services.is_holiday_check(ctx, code)
        return code

    return parse


def _people(cells: Mapping[str, str], problems: list[str]) -> list[NewInterviewer]:
    people: list[NewInterviewer] = []
    for item in _split_items(cells.get("interviewers", "")):
        try:
            if "@" in item or "<" in item:
                name, email = parse_interviewer(item)
            else:
                name, email = parse_interviewer(_unquote(item))
        except InvalidInput as exc:
            problems.append(f"interviewers: {exc}")
            continue
        people.append(NewInterviewer(name, email))
    name_text, email_text = cells.get("interviewer_name", ""), cells.get("interviewer_email", "")
    if name_text or email_text:
        try:
            name, email = parse_interviewer(name_text) if name_text else ("", None)
            if email_text:
                _, address = parse_mailbox(email_text)
                if email and email != address:
                    raise InvalidInput(f"{name_text!r} and {email_text!r} differ")
                email = address
                name = name or address.split("@")[0]
        except InvalidInput as exc:
            problems.append(f"interviewer: {exc}")
        else:
            if not any(p.email and p.email == email for p in people):
                people.append(NewInterviewer(name, email))
    return people


def _check_group(group: list[_Row], problems: dict[int, list[str]]) -> None:
    """Rows sharing an application_id (or, without one, company and role) are its rounds:
    no round twice, and what says which application it is the same in each row."""
    first = group[0]
    seen_rounds: dict[int, int] = {}
    for row in group:
        if row.round is not None:
            if row.round in seen_rounds:
                problems.setdefault(row.line, []).append(
                    f"round {row.round} again (line {seen_rounds[row.round]} has it)"
                )
            seen_rounds.setdefault(row.round, row.line)
        if row is first:
            continue
        a, b = first.new, row.new
        for name, mine, theirs in (
            ("company", b.company, a.company),
            ("role", b.role, a.role),
            ("culture", b.culture, a.culture),
            ("country", b.country, a.country),
        ):
            if name in row.given and str(mine).casefold() != str(theirs).casefold():
                problems.setdefault(row.line, []).append(
                    f"{name} {mine!r} differs from line {first.line} ({theirs!r}),"
                    " which has the same application_id"
                )


def _ordered(group: list[_Row]) -> list[_Row]:
    """An application's rows in the order its rounds are written: by round when every row
    gives one, else by start (then by line)."""
    if all(r.round is not None for r in group):
        return sorted(group, key=lambda r: (r.round or 0, r.line))
    return sorted(group, key=lambda r: (r.new.start, r.line))


_BATCH = 200  # applications staged, then written together (one `executemany` per table)


def _write_groups(
    ctx: Context,
    groups: Iterable[list[_Row]],
    problems: dict[int, list[str]],
    created: Written,
) -> None:
    """Each application's rows through the use-cases (`_write_row`: the real planner, the
    real rules, the history with what undo puts back), in a store in this process's memory
    (`Store.staging`, one per application: a few rows each, so its reads cost nothing),
    then a batch of applications written to the real store in bulk (issue #17): one
    `insert_records` per table, the events in one `add_events`, their ids mapped to the
    real ones. Each bad row is said with its line; after the first, nothing more is
    written (the import is refused whole), but every row is still checked."""
    staged: list[tuple[Store, list[tuple[_Row, int]]]] = []
    for group in groups:
        stage = ctx.store.staging()
        staged_ctx = ctx._replace(store=stage)
        written: list[tuple[_Row, int]] = []
        with stage.transaction():
            application_id: int | None = None
            for row in group:
                try:
                    interview_id = _write_row(staged_ctx, row, application_id)
                except FollowupError as exc:
                    problems.setdefault(row.line, []).append(str(exc))
                    break  # its later rounds depend on it
                interview = stage.get_interview(interview_id)
                assert interview is not None
                application_id = interview.application_id
                written.append((row, interview_id))
            for row, interview_id in written:
                if row.status is Status.ADVANCED:  # as the file says, if the rows allow it
                    with contextlib.suppress(Conflict):
                        services.move_on(staged_ctx, interview_id, row.status_at)
                mismatch = _status_mismatch(staged_ctx, row, interview_id)
                if mismatch:
                    problems.setdefault(row.line, []).append(mismatch)
        if problems:
            staged = []  # nothing more is written: the import is refused
            continue
        staged.append((stage, written))
        if len(staged) >= _BATCH:
            _write_staged(ctx.store, staged, created)
            staged = []
    if staged and not problems:
        _write_staged(ctx.store, staged, created)


def _write_staged(
    store: Store,
    staged: list[tuple[Store, list[tuple[_Row, int]]]],
    created: Written,
) -> None:
    """The staged stores' rows and events into `store`, parents first, each reference (and
    each id an event keeps: its rows before, its detail, its summary) mapped to the row's
    new id."""
    exports = [stage.export_rows() for stage, _ in staged]
    ids: dict[str, list[dict[int, int]]] = {}  # table -> per stage: staged id -> new id

    def insert(table: str, records: list[list[Any]]) -> None:
        flat = [r for rows in records for r in rows]
        new = iter(store.insert_records(table, flat))
        ids[table] = [{r[0]: next(new) for r in rows} for rows in records]

    insert("applications", [list(e.applications) for e in exports])
    apps = ids["applications"]
    insert(
        "interviews",
        [
            [r._replace(application_id=apps[k][r.application_id]) for r in e.interviews]
            for k, e in enumerate(exports)
        ],
    )
    interviews = ids["interviews"]
    insert(
        "interviewers",
        [
            [r._replace(interview_id=interviews[k][r.interview_id]) for r in e.interviewers]
            for k, e in enumerate(exports)
        ],
    )
    people = ids["interviewers"]

    def person(k: int, interviewer_id: int | None) -> int | None:
        return None if interviewer_id is None else people[k][interviewer_id]

    for table in ("notes", "debriefs"):
        insert(
            table,
            [
                [
                    r._replace(
                        interview_id=interviews[k][r.interview_id],
                        interviewer_id=person(k, r.interviewer_id),
                    )
                    for r in getattr(e, table)
                ]
                for k, e in enumerate(exports)
            ],
        )
    insert(  # replies (every one of a staged store is an interview's)
        "inbound_messages",
        [
            [
                r._replace(interview_id=interviews[k][r.interview_id or 0])
                for r in e.inbound_messages
            ]
            for k, e in enumerate(exports)
        ],
    )
    events: list[EventRow] = []
    for k, (stage, _) in enumerate(staged):
        mapped = {table: ids[table][k] for table in ids}
        for e in sorted(stage.all_events(), key=lambda e: e.id):  # as they happened
            prior = stage.prior_state(e.id)
            summary = e.summary
            if e.kind in _NAMING_A_ROUND:
                summary = _mapped_summary(summary, interviews[k])
            events.append(
                (
                    interviews[k][e.interview_id],
                    e.at,
                    e.source,
                    e.kind,
                    summary,
                    _mapped_detail(e.detail, mapped),
                    None if prior is None else _mapped_state(prior, mapped),
                )
            )
    store.add_events(events)
    for k, (_, written) in enumerate(staged):
        for row, interview_id in written:
            created.append(interviews[k][interview_id], row.line)


# The ids a row holds of other rows, by the table they name (an event's rows before).
_REFERENCES = {
    "application_id": "applications",
    "interview_id": "interviews",
    "interviewer_id": "interviewers",
}
# The events whose line names another round by its id (services.add_interview's).
_NAMING_A_ROUND = frozenset({"advanced", "edited"})


def _mapped_state(state: InterviewState, ids: Mapping[str, Mapping[int, int]]) -> InterviewState:
    """An event's rows before it, with the staged ids replaced by the written rows' (and a
    flag as a database holds it, 0 or 1: PostgreSQL will not put a boolean back in an
    integer column)."""
    out: InterviewState = {}
    for table, rows in state.items():
        mapped_rows = []
        for row in rows:
            row = {k: int(v) if type(v) is bool else v for k, v in row.items()}
            row["id"] = ids[table][row["id"]]
            for column, target in _REFERENCES.items():
                if row.get(column) is not None:
                    row[column] = ids[target][row[column]]
            mapped_rows.append(row)
        out[table] = mapped_rows
    return out


def _mapped_detail(
    detail: dict[str, Any] | None, ids: Mapping[str, Mapping[int, int]]
) -> dict[str, Any] | None:
    """What an event says it changed, with the ids in it (a `sent`'s notes, the later
    round an `advanced` or `edited` one names) the written rows'."""
    if detail is None:
        return None
    out = dict(detail)
    if isinstance(out.get("notes"), list):
        out["notes"] = [ids["notes"][n] for n in out["notes"]]
    for key in ("to", "later_round"):
        if isinstance(out.get(key), int):
            out[key] = ids["interviews"][out[key]]
    return out


_NAMED_INTERVIEW = re.compile(r"\(interview (\d+)\)")


def _mapped_summary(summary: str, interviews: Mapping[int, int]) -> str:
    """An event's line, the later round it names ("(interview 2)") by its written id."""
    return _NAMED_INTERVIEW.sub(lambda m: f"(interview {interviews[int(m[1])]})", summary)


def _write_row(ctx: Context, row: _Row, application_id: int | None) -> int:
    new = row.new._replace(application_id=application_id, refuse_duplicate=False)
    added = services.add_interview(ctx, new)
    if row.expect_by is not None:
        services.expect(ctx, added.interview_id, row.expect_by)
    interview_id = added.interview_id
    for at in row.sends:
        services.mark_sent(ctx, interview_id, at, force=True)  # history, as it happened
    if row.partly:  # the next step to some of the panel: the others' notes still owed
        people = ctx.store.interviewers(interview_id)
        for who, at in row.partly:
            person = next(p for p in people if who in (p.email, p.email or p.name))
            services.mark_sent(ctx, interview_id, at, force=True, interviewer_id=person.id)
    # at the file's times (`stats` times replies and outcomes), else the best the row gives:
    # an end that came with a reply at the reply's, a closed sequence at its last note's;
    # else the import's (the use-cases check each time against the interview's history)
    if row.status is Status.REPLIED or row.replied_at is not None:
        services.mark_replied(ctx, interview_id, row.replied_at or row.status_at)
    if row.status is Status.CANCELLED:
        services.cancel(ctx, interview_id, at=row.status_at or row.replied_at)
    elif row.status is not None and row.status.is_outcome:
        services.conclude(  # the file's rows say how each round ended: replayed as they are
            ctx,
            interview_id,
            row.status,
            at=row.status_at or row.replied_at,
            whole_application=False,
        )
    elif row.status is Status.CLOSED and (row.status_at or row.sends):
        # closed by its last note's send (mark_sent's re-plan, at the import's time)
        interview = ctx.store.get_interview(interview_id)
        if interview is not None and interview.status is Status.CLOSED:
            ctx.store.set_status(interview_id, Status.CLOSED, row.status_at or row.sends[-1])
    if row.next_due_at is not None:  # put off (a snooze): not due sooner than the file says
        snoozing.keep_due(ctx, interview_id, row.next_due_at)
    return interview_id


# What a row's status column accepts, once its sent times and later rounds are applied.
_FITS = {
    Status.WAITING: {Status.WAITING, Status.ADVANCED},
    Status.CLOSED: {Status.CLOSED},
    Status.ADVANCED: {Status.ADVANCED},
    Status.REPLIED: {Status.REPLIED},
    Status.CANCELLED: {Status.CANCELLED},
    Status.REJECTED: {Status.REJECTED},
    Status.ROLE_CLOSED: {Status.ROLE_CLOSED},
    Status.OFFER: {Status.OFFER},
}
_WHY = {
    Status.CLOSED: "closed needs the sent time of every note",
    Status.ADVANCED: "advanced needs a later round of the same application in the file",
    Status.WAITING: "every note has a sent time",
}


def _status_mismatch(ctx: Context, row: _Row, interview_id: int) -> str | None:
    if row.status is None:
        return None
    interview = ctx.store.get_interview(interview_id)
    assert interview is not None
    if interview.status in _FITS[row.status]:
        return None
    why = _WHY.get(row.status, "")
    return f"status is {row.status.value} but the row makes it {interview.status.value}" + (
        f" ({why})" if why else ""
    )


# --- cells: formulas defused, lists of items ---------------------------------------------


# A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading
# apostrophe; apostrophes already in front of one get one more, so the import can undo it.
_FORMULA = re.compile(r"'*[=+\-@\t\r]")
_ESCAPED_FORMULA = re.compile(r"'+[=+\-@\t\r]")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    text = value if type(value) is str else str(value)
    # (the first character decides most cells without the expression)
    return "'" + text if text[:1] in _RISKY and _FORMULA.match(text) else text


_RISKY = frozenset("'=+-@\t\r")  # what a cell _FORMULA matches starts with


def _uncell(text: str) -> str:
    return text[1:] if _ESCAPED_FORMULA.match(text) else text


_MAILBOX_SPECIALS = frozenset('()<>[]:;@\\,."')


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _quote_item(text: str) -> str:
    """One item of a `; `-separated cell, quoted when it holds a `;` or a quote."""
    needs = ";" in text or '"' in text or text != text.strip()
    return _quote(text) if needs else text


def _person_item(name: str, email: str | None) -> str:
    if email is None:
        return _quote_item(name)
    shown = name if _MAILBOX_SPECIALS.isdisjoint(name) else _quote(name)
    return f"{shown} <{email}>"


def _split_items(cell: str) -> list[str]:
    """Split `a; "b; c"; d` on semicolons outside double quotes (quotes kept)."""
    items: list[str] = []
    current: list[str] = []
    quoted = escaped = False
    for char in cell:
        if escaped:
            escaped = False
        elif quoted and char == "\\":
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char == ";" and not quoted:
            items.append("".join(current))
            current = []
            continue
        current.append(char)
    items.append("".join(current))
    return [item.strip() for item in items if item.strip()]


def _unquote(item: str) -> str:
    if len(item) >= 2 and item[0] == item[-1] == '"':
        return re.sub(r"\\(.)", r"\1", item[1:-1])
    return item
