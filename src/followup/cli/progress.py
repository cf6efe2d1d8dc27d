"""A progress bar on stderr for long runs (export), only for a person watching: in a
terminal, and only once the run has taken a second (rich is imported then, not before)."""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import Any

DELAY = 1.0  # seconds before a bar appears: a quick run shows none


class Bar:
    """`with Bar("Exporting") as bar: work(progress=bar)`; `bar(done, total)` as it goes."""

    def __init__(self, what: str, unit: str = "interviews") -> None:
        self.what = what
        self.unit = unit
        self.started = time.monotonic()
        self.shown = sys.stderr.isatty()  # never in a pipe or a file
        self._bar: Any = None
        self._task: Any = None
        self._next = 0.0

    @property
    def hook(self) -> Bar | None:
        """What to hand the work: None where no bar will ever show (it then counts nothing
        for one)."""
        return self if self.shown else None

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now < self._next:
            return
        self._next = now + 0.1  # at most ten redraws a second
        if self._bar is None:
            if now - self.started < DELAY:
                return
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            self._bar = Progress(
                TextColumn(f"{self.what}"),
                BarColumn(),
                TextColumn("{task.completed:,.0f}/{task.total:,.0f}"),  # 312/10,000
                TextColumn(self.unit),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task(self.what, total=total)
        self._bar.update(self._task, completed=done, total=total)

    def __enter__(self) -> Bar:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.stop()
