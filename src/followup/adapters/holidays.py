"""Public holidays from the `holidays` package, imported on first use (it costs ~100 ms)."""

from __future__ import annotations

from datetime import date
from typing import Any

from followup.app.errors import InvalidInput
from followup.domain.workdays import IsHoliday, no_holidays


class HolidayCalendars:
    """`calendars("DE")` is a date -> bool predicate for Germany's public holidays."""

    def __init__(self) -> None:
        self._by_country: dict[str, Any] = {}

    def __call__(self, country: str | None) -> IsHoliday:
        if not country:
            return no_holidays
        calendar = self._by_country.get(country)
        if calendar is None:
            import holidays

            try:
                calendar = holidays.country_holidays(country)
            except NotImplementedError as exc:
                raise InvalidInput(f"no public-holiday calendar for country {country!r}") from exc
            self._by_country[country] = calendar

        def is_holiday(day: date) -> bool:
            return day in calendar

        return is_holiday
