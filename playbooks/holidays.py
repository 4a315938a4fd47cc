"""Public-holiday calendars described by rules, so they work for any year.

Rules: fixed month-day ("12-25"), offsets from Western Easter Sunday (-2 = Good Friday),
the n-th weekday of a month ("first monday of may" as (1, 0, 5); n = -1 means the last),
plus explicit extra dates (e.g. Russia's yearly decreed transfers) and removed dates.
Substitute days for holidays that fall on a weekend are not derived: add them as dates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache


def easter_sunday(year: int) -> date:
    """Western (Gregorian) Easter Sunday, anonymous Gregorian algorithm."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


def nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th `weekday` (Monday = 0) of a month; n = -1 is the last one."""
    if n > 0:
        first = date(year, month, 1)
        offset = (weekday - first.weekday()) % 7
        return first + timedelta(days=offset + 7 * (n - 1))
    next_month = date(year + month // 12, month % 12 + 1, 1)
    last = next_month - timedelta(days=1)
    offset = (last.weekday() - weekday) % 7
    return last - timedelta(days=offset + 7 * (-n - 1))


@dataclass(frozen=True)
class NthWeekday:
    n: int
    weekday: int
    month: int


@dataclass(frozen=True)
class HolidayCalendar:
    name: str
    fixed: tuple[tuple[int, int], ...] = ()
    easter_offsets: tuple[int, ...] = ()
    nth_weekdays: tuple[NthWeekday, ...] = ()
    dates: frozenset[date] = field(default_factory=frozenset)
    removed: frozenset[date] = field(default_factory=frozenset)

    def holidays_in(self, year: int) -> frozenset[date]:
        return _holidays_in(self, year)

    def is_holiday(self, day: date) -> bool:
        return day in self.holidays_in(day.year)

    def with_dates(self, extra: frozenset[date]) -> HolidayCalendar:
        """The same calendar with more explicit holidays (e.g. a regional day)."""
        return HolidayCalendar(
            name=self.name,
            fixed=self.fixed,
            easter_offsets=self.easter_offsets,
            nth_weekdays=self.nth_weekdays,
            dates=self.dates | extra,
            removed=self.removed,
        )


@lru_cache(maxsize=1024)
def _holidays_in(calendar: HolidayCalendar, year: int) -> frozenset[date]:
    days: set[date] = set()
    for month, day in calendar.fixed:
        days.add(date(year, month, day))
    if calendar.easter_offsets:
        easter = easter_sunday(year)
        days.update(easter + timedelta(days=offset) for offset in calendar.easter_offsets)
    for rule in calendar.nth_weekdays:
        days.add(nth_weekday(year, rule.month, rule.weekday, rule.n))
    days.update(d for d in calendar.dates if d.year == year)
    return frozenset(days - calendar.removed)


NO_HOLIDAYS = HolidayCalendar(name="none")
