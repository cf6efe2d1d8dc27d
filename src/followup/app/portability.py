"""Moving data in and out: export (JSON, CSV), import, backup and restore.

- JSON is the lossless format: every column of every table, nested by application, with the
  exporting database's ids kept only as references inside the document; an import assigns
  fresh ids, so a file can be imported into a home that already has data.
- CSV is one row per interview, for spreadsheets and job trackers. Its import goes through
  the same use-cases as `followup add`, `sent`, `replied` and `cancel`, so the notes are
  planned by the real planner; the headers of common trackers are understood (`--map` for
  the rest).
- An import is all or nothing: every row is checked first and every bad one is reported with
  its line (CSV) or item path (JSON); the writes then happen in one transaction, and any error
  while writing rolls all of them back.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar, cast

from followup.app import services
from followup.app.context import Context
from followup.app.errors import FollowupError, InvalidInput, StoreUnavailable
from followup.app.parse import (
    parse_country,
    parse_date,
    parse_datetime,
    parse_interviewer,
    parse_mailbox,
    parse_zone,
)
from followup.app.ports import Backups, NewInterviewer
from followup.domain.model import Culture, NoteKind, NoteState, Status

FORMAT = "followup-export"
VERSION = 1
EXPORT_FORMATS = ("json", "csv")

T = TypeVar("T")


def _iso(dt: datetime | None) -> str | None:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if dt else None


def _counts(applications: int, interviews: int) -> str:
    a = "application" if applications == 1 else "applications"
    i = "interview" if interviews == 1 else "interviews"
    return f"{applications} {a}, {interviews} {i}"


# --- export ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Export:
    format: str
    text: str
    applications: int
    interviews: int

    def summary(self) -> str:
        return _counts(self.applications, self.interviews)


def export(ctx: Context, fmt: str) -> Export:
    """Everything in the store as a JSON document or a CSV table (one consistent snapshot)."""
    if fmt == "json":
        return _export_json(ctx)
    if fmt == "csv":
        return _export_csv(ctx)
    raise InvalidInput(f"unknown export format {fmt!r}: use {' or '.join(EXPORT_FORMATS)}")


# In the JSON document a child sits inside its parent, so the column naming the parent is
# left out; each table's other columns are kept as the database has them (lossless).
_CHILDREN = {  # table -> key in the interview object
    "interviewers": "interviewers",
    "notes": "notes",
    "inbound_messages": "inbound",
    "debriefs": "debriefs",
}


def export_document(ctx: Context) -> dict[str, Any]:
    """The JSON export as plain data."""
    with ctx.store.transaction():  # one snapshot, even if another process writes meanwhile
        tables = ctx.store.dump()
    by_interview = {t: _group(tables[t], "interview_id") for t in _CHILDREN}
    interviews = _group(tables["interviews"], "application_id")

    def interview_doc(row: dict[str, Any]) -> dict[str, Any]:
        doc = _without(row, "application_id")
        for table, key in _CHILDREN.items():
            children = by_interview[table].get(row["id"], [])
            doc[key] = [_without(r, "interview_id") for r in children]
        return doc

    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": _iso(ctx.clock.now()),
        "applications": [
            {**a, "interviews": [interview_doc(i) for i in interviews.get(a["id"], [])]}
            for a in tables["applications"]
        ],
        # replies and bounces that matched no interview
        "unlinked_inbound": [
            _without(r, "interview_id")
            for r in tables["inbound_messages"]
            if r["interview_id"] is None
        ],
    }


def _group(rows: list[dict[str, Any]], key: str) -> dict[Any, list[dict[str, Any]]]:
    out: dict[Any, list[dict[str, Any]]] = {}
    for row in rows:
        out.setdefault(row[key], []).append(row)
    return out


def _without(row: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k != key}


def _export_json(ctx: Context) -> Export:
    import json

    doc = export_document(ctx)
    text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    interviews = sum(len(a["interviews"]) for a in doc["applications"])
    return Export("json", text, len(doc["applications"]), interviews)


CSV_COLUMNS = (
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
    "thank_you_sent_at",
    "follow_up_sent_at",
    "final_sent_at",
    "expect_by",
    "location",
)
_SENT_COLUMN = {
    NoteKind.THANK_YOU: "thank_you_sent_at",
    NoteKind.FOLLOW_UP: "follow_up_sent_at",
    NoteKind.FINAL: "final_sent_at",
}


def _export_csv(ctx: Context) -> Export:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    applications: set[int] = set()
    with ctx.store.transaction():
        rows = sorted(
            ctx.store.list_interviews(),
            key=lambda r: (r.interview.application_id, r.interview.round),
        )
        for row in rows:
            applications.add(row.interview.application_id)
            values = _csv_values(ctx, row.interview.id)
            writer.writerow([_cell(values[c]) for c in CSV_COLUMNS])
    return Export("csv", out.getvalue(), len(applications), len(rows))


def _csv_values(ctx: Context, interview_id: int) -> dict[str, Any]:
    d = services.show(ctx, interview_id)
    i, a = d.interview, d.application
    pending = [n for n in d.notes if n.state is NoteState.PENDING]
    upcoming = min(pending, key=lambda n: (n.due_at, n.step), default=None)
    values: dict[str, Any] = {
        "interview_id": i.id,
        "application_id": i.application_id,
        "company": a.company,
        "role": a.role,
        "culture": a.culture.value,
        "country": a.country,
        "round": i.round,
        "start": _iso(i.start),
        "duration_minutes": int(i.duration.total_seconds() // 60),
        "tz": i.tz,
        "status": i.status.value,
        "interviewers": "; ".join(_person_item(p.name, p.email) for p in d.interviewers),
        "topics": "; ".join(_quote_item(t["topic"]) for t in d.debriefs if t["topic"]),
        "skill": next((t["skill"] for t in d.debriefs if t["skill"]), None),
        "next_step": upcoming.step if upcoming else None,
        "next_kind": upcoming.kind.value if upcoming else None,
        "next_due_at": _iso(upcoming.due_at) if upcoming else None,
        "expect_by": i.expect_by.isoformat() if i.expect_by else None,
        "location": i.location,
    }
    for kind, column in _SENT_COLUMN.items():
        sent = [
            n.sent_at
            for n in d.notes
            if n.kind is kind and n.state is NoteState.SENT and n.sent_at is not None
        ]
        values[column] = _iso(max(sent)) if sent else None  # the next step counts from the last
    return values


# A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading
# apostrophe; apostrophes already in front of one get one more, so the import can undo it.
_FORMULA = re.compile(r"'*[=+\-@\t\r]")
_ESCAPED_FORMULA = re.compile(r"'+[=+\-@\t\r]")


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if _FORMULA.match(text) else text


def _uncell(text: str) -> str:
    return text[1:] if _ESCAPED_FORMULA.match(text) else text


_MAILBOX_SPECIALS = set('()<>[]:;@\\,."')


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _quote_item(text: str) -> str:
    """One item of a `; `-separated cell, quoted when it holds a `;` or a quote."""
    needs = ";" in text or '"' in text or text != text.strip()
    return _quote(text) if needs else text


def _person_item(name: str, email: str | None) -> str:
    if email is None:
        return _quote_item(name)
    shown = _quote(name) if any(c in _MAILBOX_SPECIALS for c in name) else name
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


# --- import: the command's entry point ---------------------------------------------------


@dataclass(frozen=True)
class ImportedInterview:
    interview_id: int | None  # None in a dry run: nothing was kept
    line: int | None = None  # CSV
    item: str | None = None  # JSON: the item's path in the document

    @property
    def where(self) -> str:
        return f"line {self.line}" if self.line is not None else str(self.item)


@dataclass(frozen=True)
class Imported:
    file: Path
    format: str
    applications: int
    interviews: tuple[ImportedInterview, ...]
    warnings: tuple[str, ...] = ()
    dry_run: bool = False

    def summary(self) -> str:
        return _counts(self.applications, len(self.interviews))

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": str(self.file),
            "format": self.format,
            "dry_run": self.dry_run,
            "applications": self.applications,
            "interviews": [
                {"id": i.interview_id, "line": i.line}
                if i.line is not None
                else {"id": i.interview_id, "item": i.item}
                for i in self.interviews
            ],
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True)
class ImportOptions:
    mapping: Mapping[str, str] = field(default_factory=dict)  # CSV column -> field ("": skip)
    dry_run: bool = False


Importer = Callable[[Context, Path, ImportOptions], Imported]


def import_file(
    ctx: Context, path: Path, mapping: Sequence[str] = (), dry_run: bool = False
) -> Imported:
    """Import `path`, chosen by its extension; all or nothing."""
    suffix = path.suffix.lower()
    importer = IMPORTERS.get(suffix)
    if importer is None:
        what = f"type {suffix!r}" if suffix else "type (no extension)"
        raise InvalidInput(
            f"cannot import {path.name}: unsupported file {what}; supported: {', '.join(IMPORTERS)}"
        )
    if mapping and suffix != ".csv":
        raise InvalidInput("--map applies to CSV files only")
    return importer(ctx, path, ImportOptions(parse_mapping(mapping), dry_run))


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"{path.name} is not UTF-8 text (bad byte at offset {exc.start}): save it as UTF-8"
        ) from exc


def _bad(path: Path, problems: Sequence[str], what: str) -> InvalidInput:
    """One error listing every bad row or item, one per line, and saying nothing was written."""
    plural = "s" if len(problems) != 1 else ""
    lines = "".join(f"\n  {_one_line(p)}" for p in problems)
    return InvalidInput(
        f"cannot import {path.name}: {len(problems)} bad {what}{plural}, nothing imported{lines}"
    )


def _one_line(text: str) -> str:
    return text.replace("\r", "\\r").replace("\n", "\\n")


class _DryRun(Exception):
    def __init__(self, result: Any) -> None:
        self.result = result


def _all_or_nothing(ctx: Context, dry_run: bool, write: Callable[[], T]) -> T:
    """Run `write` in one transaction (services' own transactions join it); a dry run, or
    any exception, rolls everything back."""
    try:
        with ctx.store.transaction():
            result = write()
            if dry_run:
                raise _DryRun(result)
    except _DryRun as stop:
        return cast(T, stop.result)
    return result


# --- import: CSV -------------------------------------------------------------------------

# The fields a CSV column can fill; `--map COLUMN=FIELD` names one of these.
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
    "expect_by": "the date they promised a decision by",
}
# Our own export's columns that the import does not read (they are computed again).
_COMPUTED = ("interview_id", "next_step", "next_kind", "next_due_at")
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
    "expect_by": ("decision by", "expected by", "promised by"),
}

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
    "rejected": Status.REPLIED,
    "offer": Status.REPLIED,
}


def _norm(name: str) -> str:
    return " ".join(re.split(r"[\s_\-]+", name.strip().casefold())).strip()


def _alias_index() -> dict[str, str]:
    """Normalized header name -> field ("" for our export's computed columns)."""
    index = {_norm(name): "" for name in _COMPUTED}
    for target, names in ALIASES.items():
        index.update({_norm(name): target for name in (target, *names)})
    return index


_ALIAS_INDEX = _alias_index()


def parse_mapping(items: Sequence[str]) -> dict[str, str]:
    """`["Firm=company", "Notes="]` -> {column: field}; an empty field skips the column."""
    mapping: dict[str, str] = {}
    for item in items:
        column, eq, target = item.partition("=")
        target = target.strip().lower()
        if not eq or not column.strip():
            raise InvalidInput(f"--map {item!r}: expected CSVCOLUMN=FIELD, e.g. 'Firm=company'")
        if target and target not in FIELDS:
            raise InvalidInput(
                f"--map {item!r}: unknown field {target!r}; fields: {', '.join(FIELDS)}"
                " (or nothing after '=' to skip the column)"
            )
        mapping[column.strip()] = target
    return mapping


@dataclass(frozen=True)
class _Header:
    columns: dict[str, int]  # field -> cell index
    ignored: tuple[str, ...]  # columns nothing reads


def _map_header(header: Sequence[str], mapping: Mapping[str, str]) -> _Header:
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
        target = _ALIAS_INDEX.get(name)
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


@dataclass(frozen=True)
class _Row:
    line: int
    group: tuple[str, ...]
    round: int | None
    new: services.NewInterview
    sends: tuple[datetime, ...]  # sent times of steps 1, 2, … in order
    status: Status | None
    expect_by: date | None
    given: frozenset[str]  # fields with a non-empty cell


def import_csv(ctx: Context, path: Path, options: ImportOptions) -> Imported:
    import csv
    import io

    text = _read_text(path)
    first_line = text.split("\n", 1)[0]
    delimiter = ","
    if "," not in first_line:  # a European spreadsheet's ';', or a tab-separated export
        delimiter = ";" if ";" in first_line else "\t" if "\t" in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
        if header is None:
            raise InvalidInput(f"{path.name} is empty: expected a header row, then one per row")
        mapped = _map_header(header, options.mapping)
        problems: dict[int, list[str]] = {}
        warnings: list[str] = []
        if mapped.ignored:
            warnings.append(
                "ignored columns: "
                + ", ".join(repr(c) for c in mapped.ignored)
                + " (use --map 'COLUMN=FIELD' to read one)"
            )
        rows: list[_Row] = []
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
                rows.append(row)
    except csv.Error as exc:
        raise InvalidInput(f"{path.name} line {reader.line_num}: not valid CSV: {exc}") from exc

    groups = _group_rows(rows, problems)
    if problems:
        raise _bad(path, _problem_lines(problems), "row")
    if not rows:
        raise InvalidInput(f"{path.name} has a header but no rows: nothing to import")

    def write() -> Imported:
        created: list[tuple[_Row, int]] = []
        for group in groups:
            application_id: int | None = None
            for row in group:
                try:
                    interview_id = _write_row(ctx, row, application_id)
                except FollowupError as exc:
                    problems.setdefault(row.line, []).append(str(exc))
                    break  # its later rounds depend on it
                interview = ctx.store.get_interview(interview_id)
                assert interview is not None
                application_id = interview.application_id
                created.append((row, interview_id))
        for row, interview_id in created:
            mismatch = _status_mismatch(ctx, row, interview_id)
            if mismatch:
                problems.setdefault(row.line, []).append(mismatch)
        if problems:
            raise _bad(path, _problem_lines(problems), "row")
        return Imported(
            file=path,
            format="csv",
            applications=len(groups),
            interviews=tuple(
                ImportedInterview(None if options.dry_run else iid, line=row.line)
                for row, iid in sorted(created, key=lambda c: c[0].line)
            ),
            warnings=tuple(warnings),
            dry_run=options.dry_run,
        )

    return _all_or_nothing(ctx, options.dry_run, write)


def _problem_lines(problems: Mapping[int, list[str]]) -> list[str]:
    return [f"line {line}: {'; '.join(p)}" for line, p in sorted(problems.items())]


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
    if start is not None and re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", cells["start"]):
        warnings.append(f"start {cells['start']!r} has no time of day: taking 00:00 {tz}")
    duration = read("duration_minutes", _minutes)
    culture = read("culture", _culture) or Culture.OTHER
    country = read("country", _country(ctx))
    people = _people(cells, problems)
    topics = [_unquote(t) for t in _split_items(cells.get("topics", ""))]
    status = read("status", _status)
    round_ = read("round", _round)
    expect_by = read("expect_by", parse_date)
    sent_cells = [(column, kind) for kind, column in _SENT_COLUMN.items()]
    sent_at = {column: read(column, instant) if tz_ok else None for column, _ in sent_cells}
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
                f"{column} is set but the policy sends only {len(steps)} note(s):"
                f" no {kind.value} note"
            )
            continue
        if steps[kind] != len(sends) + 1:
            missing = next(c for c, k in sent_cells if steps.get(k) == len(sends) + 1)
            problems.append(f"{column} is set but {missing} is empty")
            continue
        if at > now:
            problems.append(f"{column} {_iso(at)} is in the future")
        elif at < end:
            problems.append(f"{column} {_iso(at)} is before the interview ended ({_iso(end)})")
        elif previous and at < previous[1]:
            problems.append(f"{column} {_iso(at)} is before {previous[0]} ({_iso(previous[1])})")
        sends.append(at)
        previous = (column, at)
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
    )
    given = frozenset(name for name, text in cells.items() if text)
    return _Row(line, group, round_, new, tuple(sends), status, expect_by, given), warnings


def _minutes(text: str) -> int:
    try:
        minutes = int(text)
    except ValueError:
        minutes = 0
    if minutes <= 0:
        raise InvalidInput(f"{text!r} is not a positive whole number of minutes")
    return minutes


def _round(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number <= 0:
        raise InvalidInput(f"{text!r} is not a round number (1, 2, …)")
    return number


def _culture(text: str) -> Culture:
    try:
        return Culture(text.lower())
    except ValueError:
        choices = ", ".join(c.value for c in Culture)
        raise InvalidInput(f"{text!r} is not one of {choices}") from None


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


def _group_rows(rows: list[_Row], problems: dict[int, list[str]]) -> list[list[_Row]]:
    """Rows sharing an application_id (or, without one, company and role) are its rounds."""
    groups: dict[tuple[str, ...], list[_Row]] = {}
    for row in rows:
        groups.setdefault(row.group, []).append(row)
    for group in groups.values():
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
    ordered = []
    for group in groups.values():
        if all(r.round is not None for r in group):
            group.sort(key=lambda r: (r.round or 0, r.line))
        else:
            group.sort(key=lambda r: (r.new.start, r.line))
        ordered.append(group)
    return ordered


def _write_row(ctx: Context, row: _Row, application_id: int | None) -> int:
    added = services.add_interview(ctx, replace(row.new, application_id=application_id))
    if row.expect_by is not None:
        services.expect(ctx, added.interview_id, row.expect_by)
    for at in row.sends:
        services.mark_sent(ctx, added.interview_id, at)
    if row.status is Status.REPLIED:
        services.mark_replied(ctx, added.interview_id)
    elif row.status is Status.CANCELLED:
        services.cancel(ctx, added.interview_id)
    return added.interview_id


# What a row's status column accepts, once its sent times and later rounds are applied.
_FITS = {
    Status.WAITING: {Status.WAITING, Status.ADVANCED},
    Status.CLOSED: {Status.CLOSED},
    Status.ADVANCED: {Status.ADVANCED},
    Status.REPLIED: {Status.REPLIED},
    Status.CANCELLED: {Status.CANCELLED},
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


# --- import: our JSON export ------------------------------------------------------------

Validator = Callable[[Any], Any]


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected text, got {_kind(value)}")
    if "\0" in value:
        raise ValueError("contains a NUL character")
    return value


def _name(value: Any) -> str:
    text = _text(value)
    if not text.strip():
        raise ValueError("must not be empty")
    return text


def _integer(minimum: int) -> Validator:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"expected a whole number, got {_kind(value)}")
        if value < minimum:
            raise ValueError(f"must be at least {minimum}")
        return value

    return check


def _instant(value: Any) -> str:
    try:
        parsed = datetime.fromisoformat(_text(value))
    except ValueError:
        raise ValueError(
            f"{value!r} is not an ISO-8601 instant, e.g. 2026-11-25T14:00:00Z"
        ) from None
    if parsed.tzinfo is None:
        raise ValueError(f"{value!r} has no UTC offset")
    return str(_iso(parsed))


def _date(value: Any) -> str:
    try:
        return date.fromisoformat(_text(value)).isoformat()
    except ValueError:
        raise ValueError(f"{value!r} is not a date like 2026-11-25") from None


def _choice(values: Sequence[str]) -> Validator:
    def check(value: Any) -> str:
        if value not in values:
            raise ValueError(f"{value!r} is not one of {', '.join(values)}")
        return str(value)

    return check


def _via(parse: Callable[[str], Any]) -> Validator:
    def check(value: Any) -> Any:
        try:
            return parse(_text(value))
        except InvalidInput as exc:
            raise ValueError(str(exc)) from None

    return check


def _domains(value: Any) -> str:
    items = value if isinstance(value, list) else _text(value).split()
    return " ".join(_text(d).lower() for d in items)


def _kind(value: Any) -> str:
    return "nothing" if value is None else type(value).__name__


# The columns we know and check, each with how a missing or null value is taken:
# _REQ must be there; _OPT may be null; _DEF left out (or null) takes the database's default
# or the import's time. A column the database has that is not listed (a later migration's)
# is copied if it holds a plain value.
_REQ, _OPT, _DEF = "required", "nullable", "defaulted"
_CLASSIFICATIONS = ("human", "auto-reply", "bounce", "unrelated")  # the schema's CHECK
_SPEC: dict[str, dict[str, tuple[Validator, str]]] = {
    "applications": {
        "company": (_name, _REQ),
        "role": (_name, _REQ),
        "culture": (_choice([c.value for c in Culture]), _DEF),
        "country": (_via(parse_country), _OPT),
        "domains": (_domains, _DEF),
        "tone": (_text, _OPT),
        "created_at": (_instant, _DEF),
    },
    "interviews": {
        "round": (_integer(1), _DEF),
        "start_at": (_instant, _REQ),
        "duration_min": (_integer(1), _DEF),
        "tz": (_via(parse_zone), _REQ),
        "status": (_choice([s.value for s in Status]), _DEF),
        "status_at": (_instant, _OPT),
        "expect_by": (_date, _OPT),
        "defer_until": (_instant, _OPT),
        "location": (_text, _OPT),
        "description": (_text, _OPT),
        "ics_uid": (_text, _OPT),
        "ics_sequence": (_integer(0), _OPT),
        "created_at": (_instant, _DEF),
    },
    "interviewers": {
        "name": (_name, _REQ),
        "email": (_via(lambda t: parse_mailbox(t)[1]), _OPT),
        "tz": (_via(parse_zone), _OPT),
    },
    "notes": {
        "step": (_integer(1), _REQ),
        "kind": (_choice([k.value for k in NoteKind]), _REQ),
        "state": (_choice([s.value for s in NoteState]), _REQ),
        "earliest_at": (_instant, _REQ),
        "due_at": (_instant, _REQ),
        "sent_at": (_instant, _OPT),
        "message_id": (_text, _OPT),
        "subject": (_text, _OPT),
        "body": (_text, _OPT),
        "attempts": (_integer(0), _DEF),
        "last_error": (_text, _OPT),
        "updated_at": (_instant, _DEF),
    },
    "inbound_messages": {
        "message_id": (_text, _OPT),
        "from_addr": (_text, _OPT),
        "subject": (_text, _OPT),
        "received_at": (_instant, _REQ),
        "classification": (_choice(_CLASSIFICATIONS), _REQ),
        "source": (_name, _DEF),
        "created_at": (_instant, _DEF),
    },
    "debriefs": {
        "topic": (_text, _OPT),
        "skill": (_text, _OPT),
        "note": (_text, _OPT),
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
_NESTED = {"applications": {"interviews"}, "interviews": set(_CHILDREN.values())}
_STAMPS = {  # filled with the import's time when missing
    "applications": ("created_at",),
    "interviews": ("created_at",),
    "notes": ("updated_at",),
    "inbound_messages": ("created_at",),
    "debriefs": ("created_at",),
}


@dataclass
class _Item:
    where: str
    values: dict[str, Any]
    old_id: int | None = None
    interviewer: int | None = None  # an old interviewer id this row refers to


@dataclass
class _InterviewDoc:
    item: _Item
    children: dict[str, list[_Item]]  # table -> rows


@dataclass
class _ApplicationDoc:
    item: _Item
    interviews: list[_InterviewDoc]


def import_json(ctx: Context, path: Path, options: ImportOptions) -> Imported:
    import json

    text = _read_text(path)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"{path.name} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from exc
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise InvalidInput(
            f'{path.name} is not a followup export (no "format": "{FORMAT}");'
            " to import a tracker's data, save it as CSV"
        )
    version = doc.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise InvalidInput(f"{path.name}: version must be a whole number from 1, got {version!r}")
    if version > VERSION:
        raise InvalidInput(
            f"{path.name} is format version {version}, newer than this followup reads"
            f" ({VERSION}): upgrade followup"
        )
    for key in ("applications", "unlinked_inbound"):
        if not isinstance(doc.get(key, []), list):
            raise InvalidInput(f'{path.name}: "{key}" must be a list')

    columns = {table: set(ctx.store.table_columns(table)) for table in _SPEC}
    problems: list[str] = []
    applications = _read_applications(doc.get("applications", []), columns, problems)
    unlinked = []
    for k, raw in enumerate(doc.get("unlinked_inbound", [])):
        item = _read_item("inbound_messages", raw, f"unlinked_inbound[{k}]", columns, problems)
        if item is not None:
            unlinked.append(item)
    _cross_check(ctx, applications, problems)
    if problems:
        raise _bad(path, problems, "item")

    def write() -> Imported:
        return _write_document(ctx, path, applications, unlinked, options.dry_run)

    return _all_or_nothing(ctx, options.dry_run, write)


def _read_applications(
    raws: list[Any], columns: Mapping[str, set[str]], problems: list[str]
) -> list[_ApplicationDoc]:
    out = []
    for a, raw_app in enumerate(raws):
        where = f"applications[{a}]"
        app = _read_item("applications", raw_app, where, columns, problems)
        interviews = []
        raw_interviews = raw_app.get("interviews", []) if isinstance(raw_app, dict) else []
        if not isinstance(raw_interviews, list):
            problems.append(f'{where}: "interviews" must be a list')
            raw_interviews = []
        for i, raw_interview in enumerate(raw_interviews):
            at = f"{where}.interviews[{i}]"
            interview = _read_item("interviews", raw_interview, at, columns, problems)
            children: dict[str, list[_Item]] = {}
            for table, key in _CHILDREN.items():
                raws_child = raw_interview.get(key, []) if isinstance(raw_interview, dict) else []
                if not isinstance(raws_child, list):
                    problems.append(f'{at}: "{key}" must be a list')
                    raws_child = []
                children[table] = [
                    item
                    for c, raw_child in enumerate(raws_child)
                    if (item := _read_item(table, raw_child, f"{at}.{key}[{c}]", columns, problems))
                ]
            if interview is not None:
                interviews.append(_InterviewDoc(interview, children))
        if app is not None:
            out.append(_ApplicationDoc(app, interviews))
    return out


def _read_item(
    table: str, raw: Any, where: str, columns: Mapping[str, set[str]], problems: list[str]
) -> _Item | None:
    if not isinstance(raw, dict):
        problems.append(f"{where}: expected an object, got {_kind(raw)}")
        return None
    spec = _SPEC[table]
    item = _Item(where, {})
    bad: list[str] = []
    for key, value in raw.items():
        if key in _NESTED.get(table, ()):
            continue
        if key in ("id", "interviewer_id") and key in columns[table]:
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                bad.append(f"{key}: expected a whole number, got {_kind(value)}")
            elif key == "id":
                item.old_id = value
            else:
                item.interviewer = value
            continue
        if key in _SET_BY_IMPORT.get(table, ()):
            continue
        if key not in columns[table]:
            bad.append(f"unknown field {key!r}")
            continue
        checked = spec.get(key)
        if checked is None:  # a column from a later migration: copied as it is
            if value is not None and not isinstance(value, str | int | float):
                bad.append(f"{key}: expected a plain value, got {_kind(value)}")
            else:
                item.values[key] = value
            continue
        validator, presence = checked
        if value is None:
            if presence == _REQ:
                bad.append(f"{key} is missing")
            elif presence == _OPT:
                item.values[key] = None
            continue
        try:
            item.values[key] = validator(value)
        except ValueError as exc:
            bad.append(f"{key}: {exc}")
    for key, (_, presence) in spec.items():
        if presence == _REQ and key not in raw and key in columns[table]:
            bad.append(f"{key} is missing")
    if bad:
        problems.append(f"{where}: {'; '.join(bad)}")
        return None
    return item


def _cross_check(ctx: Context, apps: list[_ApplicationDoc], problems: list[str]) -> None:
    """What no single item shows: references, duplicates, and clashes with the database."""
    interviewer_ids: dict[int, str] = {}
    for app in apps:
        for interview in app.interviews:
            for person in interview.children["interviewers"]:
                if person.old_id is None:
                    continue
                if person.old_id in interviewer_ids:
                    problems.append(
                        f"{person.where}: id {person.old_id} is also"
                        f" {interviewer_ids[person.old_id]}'s"
                    )
                interviewer_ids.setdefault(person.old_id, person.where)
    unique: dict[tuple[str, str], dict[Any, str]] = {
        ("notes", "message_id"): {},
        ("interviews", "ics_uid"): {},
    }
    for app in apps:
        rounds: dict[int, str] = {}
        for interview in app.interviews:
            number = interview.item.values.get("round")
            if number is not None:
                if number in rounds:
                    where = interview.item.where
                    problems.append(f"{where}: round {number} is also {rounds[number]}'s")
                rounds.setdefault(number, interview.item.where)
            _note_unique(unique[("interviews", "ics_uid")], interview.item, "ics_uid", problems)
            for table in ("notes", "debriefs"):
                for row in interview.children[table]:
                    if row.interviewer is not None and row.interviewer not in interviewer_ids:
                        problems.append(
                            f"{row.where}: interviewer_id {row.interviewer} is no interviewer"
                            " in the file"
                        )
            for note in interview.children["notes"]:
                _note_unique(unique[("notes", "message_id")], note, "message_id", problems)
    for (table, column), seen in unique.items():
        for value in sorted(ctx.store.existing_values(table, column, seen)):
            problems.append(
                f"{seen[value]}: {column} {value!r} is already in this database"
                " (was this file imported before?)"
            )


def _note_unique(seen: dict[Any, str], item: _Item, column: str, problems: list[str]) -> None:
    value = item.values.get(column)
    if value is None:
        return
    if value in seen:
        problems.append(f"{item.where}: {column} {value!r} is also {seen[value]}'s")
    else:
        seen[value] = item.where


def _write_document(
    ctx: Context,
    path: Path,
    apps: list[_ApplicationDoc],
    unlinked: list[_Item],
    dry_run: bool,
) -> Imported:
    store = ctx.store
    now = _iso(ctx.clock.now())
    has_end = "end_at" in store.table_columns("interviews")

    def stamped(table: str, values: dict[str, Any]) -> dict[str, Any]:
        return {**{k: now for k in _STAMPS.get(table, ())}, **values}

    new_interviewer: dict[int, int] = {}
    written: list[tuple[_InterviewDoc, int]] = []
    imported: list[ImportedInterview] = []
    for app in apps:
        application_id = store.insert_row("applications", stamped("applications", app.item.values))
        taken = {i.item.values["round"] for i in app.interviews if i.item.values.get("round")}
        next_round = 1
        for interview in app.interviews:
            values = stamped("interviews", interview.item.values)
            if not values.get("round"):
                while next_round in taken:
                    next_round += 1
                values["round"] = next_round
                taken.add(next_round)
            default_minutes = int(ctx.policy.default_duration.total_seconds() // 60)
            values.setdefault("duration_min", default_minutes)
            if has_end:
                start = datetime.fromisoformat(values["start_at"])
                values["end_at"] = _iso(start + timedelta(minutes=values["duration_min"]))
            interview_id = store.insert_row(
                "interviews", {**values, "application_id": application_id}
            )
            for person in interview.children["interviewers"]:
                new_id = store.insert_row(
                    "interviewers", {**person.values, "interview_id": interview_id}
                )
                if person.old_id is not None:
                    new_interviewer[person.old_id] = new_id
            written.append((interview, interview_id))
            imported.append(
                ImportedInterview(None if dry_run else interview_id, item=interview.item.where)
            )
    for interview, interview_id in written:
        for table in ("notes", "debriefs", "inbound_messages"):
            for row in interview.children[table]:
                values = stamped(table, row.values)
                if table != "inbound_messages":
                    values["interviewer_id"] = (
                        new_interviewer[row.interviewer] if row.interviewer is not None else None
                    )
                store.insert_row(table, {**values, "interview_id": interview_id})
        _set_next(ctx, interview, interview_id)
    for row in unlinked:
        store.insert_row("inbound_messages", stamped("inbound_messages", row.values))
    return Imported(
        file=path,
        format="json",
        applications=len(apps),
        interviews=tuple(imported),
        dry_run=dry_run,
    )


def _set_next(ctx: Context, interview: _InterviewDoc, interview_id: int) -> None:
    """The agenda's columns follow from the pending notes, as the planner leaves them."""
    if interview.item.values.get("status", Status.WAITING.value) != Status.WAITING.value:
        ctx.store.set_next(interview_id, None, None, None)
        return
    pending = [n for n in ctx.store.notes(interview_id) if n.state is NoteState.PENDING]
    first = min(pending, key=lambda n: (n.due_at, n.step), default=None)
    if first is None:
        ctx.store.set_next(interview_id, None, None, None)
    else:
        ctx.store.set_next(interview_id, first.step, first.kind.value, first.due_at)


IMPORTERS: dict[str, Importer] = {
    ".csv": import_csv,
    ".json": import_json,
    # calendar invites (.ics, .eml) will be one more entry each
}


# --- backup and restore ------------------------------------------------------------------


@dataclass(frozen=True)
class BackupInfo:
    file: Path
    counts: Mapping[str, int]

    def summary(self) -> str:
        return _counts(self.counts.get("applications", 0), self.counts.get("interviews", 0))

    def as_dict(self) -> dict[str, Any]:
        return {"file": str(self.file), **self.counts}


def _backups(ctx: Context) -> Backups:
    if not isinstance(ctx.store, Backups):
        raise StoreUnavailable(
            "this store is not a single file: back it up with its server's tools"
        )
    return ctx.store


def backup(ctx: Context, target: Path) -> BackupInfo:
    """A consistent copy of the database in `target`, checked after writing."""
    store = _backups(ctx)
    store.backup(target)
    return BackupInfo(target, store.check_backup(target))


def inspect_backup(ctx: Context, source: Path) -> BackupInfo:
    """What a backup holds; InvalidInput (one line) if it is not an intact followup database."""
    return BackupInfo(source, _backups(ctx).check_backup(source))


def current_counts(ctx: Context) -> dict[str, int]:
    return ctx.store.counts()


def restore(ctx: Context, source: Path) -> BackupInfo:
    """Replace all data with the backup's, all or nothing."""
    _backups(ctx).restore(source)
    return BackupInfo(source, ctx.store.counts())
