"""What every format shares: the results, the all-or-nothing write, and how problems read."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from operator import attrgetter
from pathlib import Path
from typing import Any, TextIO, TypeVar, cast, overload

from followup.app.context import Context
from followup.app.errors import InvalidInput
from followup.app.files import check_source

T = TypeVar("T")


# --- results -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Export:
    """What an export wrote (the text itself went to the file as it was read)."""

    format: str
    applications: int
    interviews: int

    def summary(self) -> str:
        return counts(self.applications, self.interviews)


@dataclass(frozen=True)
class ImportedInterview:
    interview_id: int | None  # None in a dry run: nothing was kept
    line: int | None = None  # CSV
    item: str | None = None  # JSON: the item's path in the document

    @property
    def where(self) -> str:
        return f"line {self.line}" if self.line is not None else str(self.item)


class Written(Sequence[ImportedInterview]):
    """The interviews an import wrote, kept as two arrays of 64-bit ints — each one's new id
    and where it was in the file (a CSV line, a JSON item packed by its format) — and made
    into ImportedInterview values when read: 16 bytes an interview instead of a few hundred."""

    def __init__(self, dry_run: bool, read: Callable[[int | None, int], ImportedInterview]) -> None:
        """`read`: the ImportedInterview of an id (None in a dry run) and its place."""
        from array import array

        self.dry_run = dry_run
        self._read = read
        self.ids = array("q")
        self._where = array("q")

    def append(self, interview_id: int, where: int) -> None:
        self.ids.append(interview_id)
        self._where.append(where)

    def in_file_order(self) -> Written:
        """The same, sorted by where each was in the file."""
        from array import array

        order = sorted(range(len(self._where)), key=self._where.__getitem__)
        out = Written(self.dry_run, self._read)
        out.ids = array("q", map(self.ids.__getitem__, order))
        out._where = array("q", map(self._where.__getitem__, order))
        return out

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, k: int) -> ImportedInterview: ...
    @overload
    def __getitem__(self, k: slice) -> Sequence[ImportedInterview]: ...
    def __getitem__(self, k: int | slice) -> ImportedInterview | Sequence[ImportedInterview]:
        if isinstance(k, slice):
            return [self[j] for j in range(*k.indices(len(self)))]
        return self._read(None if self.dry_run else self.ids[k], self._where[k])


@dataclass(frozen=True)
class Imported:
    file: Path
    format: str
    applications: int
    interviews: Sequence[ImportedInterview]  # a tuple, or a compact sequence (JSON)
    warnings: tuple[str, ...] = ()
    dry_run: bool = False

    def summary(self) -> str:
        return counts(self.applications, len(self.interviews))

    def as_dict(self) -> dict[str, Any]:
        return {**self.head(), "interviews": list(self.entries()), "warnings": list(self.warnings)}

    def head(self) -> dict[str, Any]:
        """`as_dict` without its interviews and warnings (which `entries` gives one by one)."""
        return {
            "file": str(self.file),
            "format": self.format,
            "dry_run": self.dry_run,
            "applications": self.applications,
        }

    def entries(self) -> Iterator[dict[str, Any]]:
        """`as_dict()["interviews"]`, one at a time (a large import's are never one list)."""
        for i in self.interviews:
            if i.line is not None:
                yield {"id": i.interview_id, "line": i.line}
            else:
                yield {"id": i.interview_id, "item": i.item}


@dataclass(frozen=True)
class ImportOptions:
    mapping: Mapping[str, str] = field(default_factory=dict)  # CSV column -> field ("": skip)
    dry_run: bool = False
    # hears (bytes read, the file's size) as a streamed import goes (the CLI's bar)
    progress: Callable[[int, int], None] | None = field(default=None, compare=False)


def counts(applications: int, interviews: int) -> str:
    a = "application" if applications == 1 else "applications"
    i = "interview" if interviews == 1 else "interviews"
    return f"{applications} {a}, {interviews} {i}"


# --- exporting ---------------------------------------------------------------------------


class Grouped:
    """A sorted iterator of rows (an `ExportStream` cursor) read one group at a time: the
    rows sharing one value of `key`, which the stream's order puts next to each other."""

    def __init__(self, rows: Iterator[Any], key: str) -> None:
        self._groups = groupby(rows, attrgetter(key))  # both in C: no loop per row here
        self._current: tuple[Any, Iterator[Any]] | None = next(self._groups, None)

    def take(self, value: Any) -> list[Any]:
        """The rows from here on whose key is `value` (none if the next group is another)."""
        current = self._current
        if current is None or current[0] != value:
            return []
        rows = list(current[1])
        self._current = next(self._groups, None)
        return rows


# --- importing: all or nothing -----------------------------------------------------------


def all_or_nothing(ctx: Context, dry_run: bool, write: Callable[[], T]) -> T:
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


class _DryRun(Exception):
    def __init__(self, result: Any) -> None:
        self.result = result


def open_text(path: Path) -> TextIO:
    """The file as UTF-8 text (a BOM dropped, line ends kept for the csv module), read as it
    is consumed: no size limit, since nothing holds the whole text (the dashboard caps its
    uploads). Checked first, in a streamed pass, to be UTF-8 throughout, so that a bad byte
    is said with its offset before any row is read."""
    import codecs

    check_source(path)  # a fifo would block forever, a device never end
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    offset = 0
    try:
        with path.open("rb") as f:
            while chunk := f.read(1 << 16):
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as exc:
                    raise _not_utf8(path, offset + exc.start) from exc
                offset += len(chunk)
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError as exc:
                raise _not_utf8(path, offset - len(exc.object) + exc.start) from exc
        return path.open("r", encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror or exc}") from exc


def _not_utf8(path: Path, at: int) -> InvalidInput:
    return InvalidInput(
        f"{path.name} is not UTF-8 text (bad byte at offset {at}): save it as UTF-8"
    )


SHOWN_PROBLEMS = 20  # a file of 50,000 bad rows printed 50,000 lines: the first few say it


def nothing_imported(path: Path, problems: Sequence[str], what: str) -> InvalidInput:
    """One error naming the first SHOWN_PROBLEMS bad rows or items, one per line, how many
    more there are, and that nothing was written."""
    plural = "s" if len(problems) != 1 else ""
    lines = "".join(f"\n  {_one_line(p)}" for p in problems[:SHOWN_PROBLEMS])
    more = len(problems) - SHOWN_PROBLEMS
    if more > 0:
        lines += f"\n  … and {more:,} more {what}{'s' if more != 1 else ''} with problems"
    return InvalidInput(
        f"cannot import {path.name}: {len(problems):,} bad {what}{plural}, nothing imported{lines}"
    )


def _one_line(text: str) -> str:
    return text.replace("\r", "\\r").replace("\n", "\\n")
