"""Backup and restore: a whole-database copy, for a store that is one file (SQLite)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from followup.app.context import Context
from followup.app.errors import StoreUnavailable
from followup.app.portability.common import counts
from followup.app.ports import Backups


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
    return BackupInfo(source, _backups(ctx).check_backup(source))


def current_counts(ctx: Context) -> dict[str, int]:
    return ctx.store.counts()


def restore(ctx: Context, source: Path) -> BackupInfo:
    """Replace all data with the backup's, all or nothing."""
    _backups(ctx).restore(source)
    return BackupInfo(source, ctx.store.counts())


def _backups(ctx: Context) -> Backups:
    if not isinstance(ctx.store, Backups):
        raise StoreUnavailable(
            "this store is not a single file: back it up with its server's tools"
        )
    return ctx.store
