"""Moving data in and out: export (JSON, CSV), import, backup and restore.

- JSON (`json_format`) is the lossless format: every column of every table, nested by
  application, with the exporting database's ids kept only as references inside the
  document; an import assigns fresh ids, so a file can be imported into a home that already
  has data.
- CSV (`csv_format`) is one row per interview, for spreadsheets and job trackers. Its import
  goes through the same use-cases as `followup add`, `sent`, `replied` and `cancel` (in a
  store in memory, then written in bulk), so the notes are planned by the real planner; the
  headers of common trackers are understood (`--map` for the rest).
- An import is all or nothing (`common`): every row is checked first and every bad one is
  reported with its line (CSV) or item path (JSON); the writes then happen in one
  transaction, and any error while writing rolls all of them back.
- Backup and restore (`backup`) copy the whole SQLite database.
- Calendar invitations (`.ics`, and `.eml` with a text/calendar part) go through
  app/calendar.py: their options (`InviteOptions`) carry the iCalendar codec, the user's
  own addresses, and --company/--role.

This module is the public surface: the CLI and the tests import from here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from followup.app.context import Context
from followup.app.errors import InvalidInput
from followup.app.portability.backup import (
    BackupInfo,
    backup,
    current_counts,
    inspect_backup,
    restore,
)
from followup.app.portability.common import Export, Imported, ImportedInterview, ImportOptions
from followup.app.portability.csv_format import FIELDS, export_csv, import_csv, parse_mapping
from followup.app.portability.json_format import export_json, import_json

__all__ = [
    "EXPORTERS",
    "EXPORT_FORMATS",
    "FIELDS",
    "IMPORTERS",
    "INVITE_SUFFIXES",
    "BackupInfo",
    "Export",
    "Exporter",
    "ImportOptions",
    "Imported",
    "ImportedInterview",
    "Importer",
    "backup",
    "current_counts",
    "export",
    "import_file",
    "inspect_backup",
    "parse_mapping",
    "restore",
]

Progress = Callable[[int, int], None]  # (done, in all): interviews exported, bytes imported
Exporter = Callable[[Context, TextIO, Progress | None], Export]
Importer = Callable[[Context, Path, ImportOptions], Imported]

EXPORTERS: dict[str, Exporter] = {
    "json": export_json,
    "csv": export_csv,
}
EXPORT_FORMATS = tuple(EXPORTERS)


def _import_invite(ctx: Context, path: Path, options: ImportOptions) -> Imported:
    from followup.app.calendar import import_invite  # icalendar's side: only when needed

    return import_invite(ctx, path, options)


IMPORTERS: dict[str, Importer] = {
    ".csv": import_csv,
    ".json": import_json,
    ".ics": _import_invite,
    ".eml": _import_invite,
}
INVITE_SUFFIXES = (".ics", ".eml")


def export(ctx: Context, fmt: str, out: TextIO, progress: Progress | None = None) -> Export:
    """Write everything in the store to `out` as a JSON document or a CSV table (one
    consistent snapshot), streamed: rows are written as the store's cursors give them;
    `progress` hears how far it got after each application."""
    exporter = EXPORTERS.get(fmt)
    if exporter is None:
        raise InvalidInput(f"unknown export format {fmt!r}: use {' or '.join(EXPORT_FORMATS)}")
    return exporter(ctx, out, progress)


def import_file(
    ctx: Context,
    path: Path,
    mapping: Sequence[str] = (),
    dry_run: bool = False,
    invite: ImportOptions | None = None,
    progress: Progress | None = None,
) -> Imported:
    """Import `path`, chosen by its extension; all or nothing.

    `invite` (an `app.calendar.InviteOptions`) is how a calendar file is read; its
    `dry_run` is replaced by this call's. `progress` hears (bytes read, the file's size)
    as a streamed (JSON) import goes.
    """
    ctx = ctx._replace(source="import")  # the history says a file did it
    suffix = path.suffix.lower()
    importer = IMPORTERS.get(suffix)
    if importer is None:
        what = f"type {suffix!r}" if suffix else "type (no extension)"
        raise InvalidInput(
            f"cannot import {path.name}: unsupported file {what}; supported: {', '.join(IMPORTERS)}"
        )
    if mapping and suffix != ".csv":
        raise InvalidInput("--map applies to CSV files only")
    if suffix in INVITE_SUFFIXES and invite is not None:
        from dataclasses import replace

        return importer(ctx, path, replace(invite, dry_run=dry_run))
    options = ImportOptions(parse_mapping(mapping, ctx.policy), dry_run, progress)
    return importer(ctx, path, options)
