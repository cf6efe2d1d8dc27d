"""The composition root: the one place that picks the adapters behind the ports."""

from __future__ import annotations

import os
from pathlib import Path

from followup.app.context import Context
from followup.app.errors import InvalidInput, StoreUnavailable
from followup.app.parse import parse_datetime
from followup.app.ports import Clock
from followup.config import paths as paths_mod
from followup.config import settings as settings_mod


def clock_from_env() -> Clock:
    """The system clock, or a fixed instant from FOLLOWUP_NOW (ISO-8601 with an offset)."""
    from followup.adapters.clock import FixedClock, SystemClock

    fixed = os.environ.get("FOLLOWUP_NOW")
    if not fixed:
        return SystemClock()
    instant, _ = parse_datetime(fixed, "UTC")
    return FixedClock(instant)


def open_context(home: str | Path | None = None, clock: Clock | None = None) -> Context:
    from followup.adapters.holidays import HolidayCalendars
    from followup.adapters.store.sqlite import SqliteStore, StoreError
    from followup.adapters.templates import TemplateLibrary

    where = paths_mod.resolve(home)
    settings = settings_mod.load(where.config_file)
    try:
        store = SqliteStore(where.database)
    except StoreError as exc:
        raise StoreUnavailable(str(exc)) from exc
    except OSError as exc:
        raise StoreUnavailable(f"cannot use {where.database}: {exc.strerror or exc}") from exc
    try:
        policy = settings.policy()
    except InvalidInput as exc:
        raise StoreUnavailable(str(exc)) from exc
    return Context(
        store=store,
        clock=clock or clock_from_env(),
        policy=policy,
        user_tz=settings.timezone,
        holidays=HolidayCalendars(),
        sender_name=settings.sender_name,
        sender_email=settings.sender_email,
        templates=TemplateLibrary(str(where.config_file.parent / "templates")),
    )
