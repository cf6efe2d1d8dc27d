"""Backup and restore: a whole-database copy, for a store that is one file (SQLite)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from followup.app.context import Context
from followup.app.errors import InvalidInput, StoreUnavailable
from followup.app.files import check_source
from followup.app.portability.common import counts
from followup.app.portability.json_format import _SPEC, _instant, note_kind
from followup.app.ports import Backups
from followup.domain.model import NoteState


@dataclass(frozen=True)
class BackupInfo:
    file: Path
    counts: Mapping[str, int]

    def summary(self) -> str:
        return counts(self.counts.get("applications", 0), self.counts.get("interviews", 0))

    def as_dict(self) -> dict[str, Any]:
        return {"file": str(self.file), **self.counts}


def backup(ctx: Context, target: Path) -> BackupInfo:
    """A consistent copy of the database in `target`, checked after writing."""
    store = _backups(ctx)
    store.backup(target)
    return BackupInfo(target, store.check_backup(target))


def inspect_backup(ctx: Context, source: Path) -> BackupInfo:
    """What a backup holds; InvalidInput (one line) if it is not an intact followup database."""
    check_source(source)
    return BackupInfo(source, _backups(ctx).check_backup(source))


def current_counts(ctx: Context) -> dict[str, int]:
    return ctx.store.counts()


@dataclass(frozen=True)
class Restored:
    file: Path
    counts: Mapping[str, int]
    previous: Path  # the data as it was before the restore
    approvals_withdrawn: int  # notes approved to go when due in the backup: approve again
    wal: Path | None = None  # FILE-wal, whose commits were restored with FILE
    unknown: int = 0  # notes whose send may or may not have happened (in flight in the backup)

    def with_wal(self) -> str:
        """How the file was read, for the first line: with its -wal, or just the file."""
        return f"{self.file} (with the last commits in {self.wal})" if self.wal else str(self.file)

    def summary(self) -> str:
        return counts(self.counts.get("applications", 0), self.counts.get("interviews", 0))

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": str(self.file),
            **self.counts,
            "previous": str(self.previous),
            "approvals_withdrawn": self.approvals_withdrawn,
            "wal": str(self.wal) if self.wal else None,
            "unknown": self.unknown,
        }


def restore(
    ctx: Context, source: Path, confirm: Callable[[BackupInfo], None] | None = None
) -> Restored:
    """Replace all data with the backup's, all or nothing.

    The store checks the file in a copy (with FILE-wal if that holds commits; its schema
    against this version's, migrating an older one there) and rebuilds it from this
    version's schema, so that only its rows come in; every row must also hold what an
    import of the same data would accept (one rule for both, json_format's). Approvals
    never come back from a file. `confirm` sees what the backup holds and may raise to
    stop; the data before is kept in a file.
    """

    def check_row(table: str, row: dict[str, Any]) -> None:
        problem = _row_problem(table, row)
        if problem:
            raise InvalidInput(f"{source}: {table} row {row.get('id', '?')}: {problem}")

    def confirmed(incoming: dict[str, int]) -> None:
        if confirm is not None:
            confirm(BackupInfo(source, incoming))

    check_source(source)  # a fifo would block forever
    previous, withdrawn, wal = _backups(ctx).restore(source, ctx.clock.now(), check_row, confirmed)
    unknown = len(ctx.store.notes_in_state(NoteState.UNKNOWN))  # in flight: now unknown
    return Restored(source, ctx.store.counts(), previous, withdrawn, wal, unknown)


# Columns a backup holds that an import never reads (the store sets them) but the code does.
_DERIVED: dict[str, dict[str, Callable[[Any], Any]]] = {
    "interviews": {"next_kind": note_kind},
}
# Not checked again: an address is only text until a send, and every send parses it (the
# one gate); parsing one costs ~1 ms (the email package), 20 s for a large history.
_AT_SEND = {("interviewers", "email")}


def _row_problem(table: str, row: dict[str, Any]) -> str | None:
    for column, check in _checks(table, tuple(row)):
        value = row[column]
        if value is None:  # NOT NULL is the schema's, checked by SQLite
            continue
        try:
            check(value)
        except (ValueError, InvalidInput) as exc:
            return f"{column}: {exc}"
    return None


@lru_cache(maxsize=64)
def _checks(table: str, columns: tuple[str, ...]) -> list[tuple[str, Callable[[Any], Any]]]:
    """How each column of a stored row is checked: by the import's own rules
    (json_format._SPEC); a column those do not name is an instant if its name says so."""
    spec = _SPEC.get(table, {})
    derived = _DERIVED.get(table, {})
    checks: list[tuple[str, Callable[[Any], Any]]] = []
    for column in columns:
        if (table, column) in _AT_SEND:
            continue
        if column in spec:
            checks.append((column, spec[column][0]))
        elif column in derived:
            checks.append((column, derived[column]))
        elif column.endswith(("_at", "_until")):
            checks.append((column, _instant))
    return checks


def _backups(ctx: Context) -> Backups:
    if not isinstance(ctx.store, Backups):
        raise StoreUnavailable(
            "this store is not a single file: back it up with its server's tools"
        )
    return ctx.store
