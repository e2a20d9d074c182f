"""Chinese working days: statutory holidays and make-up workdays (调休).

`chinesecalendar` knows 2004–2026; administrators enter later years in `HolidayOverride`
and mark the year complete in `CalendarYear`. A `WorkCalendar` is a plain value so that
deadline computation stays a pure function of (events, calendar, rules).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import chinese_calendar

logger = logging.getLogger(__name__)


@functools.lru_cache(maxsize=65536)
def _package_is_workday(day: dt.date) -> bool | None:
    """The package's answer, cached: it re-validates the date on every call (~30 µs), and countdowns ask often."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return None


@dataclass(frozen=True)
class WorkCalendar:
    overrides: Mapping[dt.date, bool] = field(default_factory=dict)
    maintained_years: frozenset[int] = frozenset()

    def is_workday(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        known = _package_is_workday(day)
        if known is not None:
            return known
        # No official data for this year: weekends only, and the caller is told via `is_exact`.
        return day.weekday() < 5

    def is_exact(self, day: dt.date) -> bool:
        """False when `day` falls in a year nobody has entered holidays for."""
        return day.year in self.maintained_years or _package_is_workday(day) is not None

    def add_workdays(self, start: dt.date, days: int) -> dt.date:
        """The date `days` working days after `start`; the start day itself never counts."""
        current = start
        remaining = days
        while remaining > 0:
            current += dt.timedelta(days=1)
            if self.is_workday(current):
                remaining -= 1
        return current

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]; negative when end is before start."""
        if end < start:
            return -self.workdays_between(end, start)
        count = 0
        current = start
        while current < end:
            current += dt.timedelta(days=1)
            if self.is_workday(current):
                count += 1
        return count

    def span_is_exact(self, start: dt.date, end: dt.date) -> bool:
        return all(self.is_exact(dt.date(year, 1, 1)) for year in range(start.year, end.year + 1))


def calendar_from(overrides: Iterable[tuple[dt.date, bool]], maintained_years: Iterable[int] = ()) -> WorkCalendar:
    return WorkCalendar(dict(overrides), frozenset(maintained_years))


def load_calendar() -> WorkCalendar:
    """The calendar as the administrators maintain it in the database."""
    from lianxin.core.models import CalendarYear, HolidayOverride

    return calendar_from(
        HolidayOverride.objects.values_list("date", "is_workday"),
        CalendarYear.objects.values_list("year", flat=True),
    )
