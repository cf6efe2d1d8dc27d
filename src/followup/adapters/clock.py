"""Clocks: the system's, and a fixed one for tests and `FOLLOWUP_NOW` demos."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC).replace(microsecond=0)


@dataclass
class FixedClock:
    instant: datetime

    def now(self) -> datetime:
        return self.instant.astimezone(UTC)

    def advance(self, **delta: float) -> None:
        from datetime import timedelta

        self.instant += timedelta(**delta)
