"""Business calendars and exact duration arithmetic for SLA clocks.

All functions are pure: they take timezone-aware datetimes and return timezone-aware UTC
datetimes. Day-based units (calendar days, working days, months) resolve to a due *date*
in the calendar's time zone and the deadline is the end of that local day (23:59:59.999999), as
statutory periods count whole days. Hours and minutes are exact elapsed time; business
hours count only time inside the calendar's opening intervals on working days.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from playbooks.holidays import NO_HOLIDAYS, HolidayCalendar
from playbooks.periods import Duration

_END_OF_DAY: Final[time] = time(23, 59, 59, 999999)
# A business-hours search that finds no opening for this long means the calendar is unusable.
_MAX_SEARCH_DAYS: Final[int] = 3 * 366

OpeningHours = Mapping[int, tuple[tuple[time, time], ...]]


def _require_aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {moment.isoformat()}")


@dataclass(frozen=True)
class BusinessCalendar:
    """Time zone, weekly opening hours (Monday = 0) and holidays of one queue or country.

    `working_weekdays` defines working days for legal clocks ("10 working days"); opening
    hours define business hours for internal targets. A holiday closes both.
    """

    name: str
    zone: ZoneInfo
    opening_hours: OpeningHours = field(default_factory=dict)
    holidays: HolidayCalendar = NO_HOLIDAYS
    working_weekdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})

    def __post_init__(self) -> None:
        for weekday, intervals in self.opening_hours.items():
            if not 0 <= weekday <= 6:
                raise ValueError(f"weekday must be 0..6 (Monday = 0), got {weekday}")
            previous_close: time | None = None
            for opens, closes in intervals:
                if opens >= closes:
                    raise ValueError(f"opening interval {opens}-{closes} must end after it starts")
                if previous_close is not None and opens < previous_close:
                    raise ValueError("opening intervals must be sorted and must not overlap")
                previous_close = closes

    def __hash__(self) -> int:
        return hash((self.name, self.zone.key, self.holidays, self.working_weekdays))

    def is_working_day(self, day: date) -> bool:
        return day.weekday() in self.working_weekdays and not self.holidays.is_holiday(day)

    def is_open_day(self, day: date) -> bool:
        return bool(self.opening_hours.get(day.weekday())) and not self.holidays.is_holiday(day)

    def local_date(self, moment: datetime) -> date:
        _require_aware(moment, "moment")
        return moment.astimezone(self.zone).date()

    def end_of_day(self, day: date) -> datetime:
        return datetime.combine(day, _END_OF_DAY, tzinfo=self.zone).astimezone(UTC)

    def opening_intervals(self, day: date) -> list[tuple[datetime, datetime]]:
        """The day's opening intervals as UTC instants (DST-aware)."""
        if not self.is_open_day(day):
            return []
        intervals = []
        for opens, closes in self.opening_hours.get(day.weekday(), ()):
            start = datetime.combine(day, opens, tzinfo=self.zone).astimezone(UTC)
            end = datetime.combine(day, closes, tzinfo=self.zone).astimezone(UTC)
            if end > start:
                intervals.append((start, end))
        return intervals


def add_months(day: date, months: int) -> date:
    """Calendar-date method: same day number, clamped to the month's end (31 Jan + 1 = 28 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = _stdlib_calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def add_working_days(day: date, count: int, calendar: BusinessCalendar) -> date:
    """The `count`-th working day after `day` (weekends and holidays skipped)."""
    current = day
    remaining = count
    while remaining > 0:
        current += timedelta(days=1)
        if calendar.is_working_day(current):
            remaining -= 1
    return current


def working_days_between(first: date, last: date, calendar: BusinessCalendar) -> int:
    """Working days d with first < d <= last."""
    count = 0
    current = first
    while current < last:
        current += timedelta(days=1)
        if calendar.is_working_day(current):
            count += 1
    return count


def add_business_time(start: datetime, amount: timedelta, calendar: BusinessCalendar) -> datetime:
    """`start` plus `amount` of time counted only inside opening intervals."""
    _require_aware(start, "start")
    if amount < timedelta(0):
        raise ValueError("business time to add must be >= 0")
    cursor = start.astimezone(UTC)
    remaining = amount
    day = calendar.local_date(cursor) - timedelta(days=1)  # an interval may start the day before
    for _ in range(_MAX_SEARCH_DAYS):
        for opens, closes in calendar.opening_intervals(day):
            if closes <= cursor:
                continue
            begin = max(opens, cursor)
            available = closes - begin
            if remaining <= available:
                return begin + remaining
            remaining -= available
            cursor = closes
        day += timedelta(days=1)
    raise ValueError(
        f"calendar {calendar.name!r} has no opening hours within {_MAX_SEARCH_DAYS} days"
    )


def business_time_between(start: datetime, end: datetime, calendar: BusinessCalendar) -> timedelta:
    """Opening-hours time inside [start, end)."""
    _require_aware(start, "start")
    _require_aware(end, "end")
    begin, finish = start.astimezone(UTC), end.astimezone(UTC)
    total = timedelta(0)
    day = calendar.local_date(begin) - timedelta(days=1)
    last = calendar.local_date(finish)
    while day <= last:
        for opens, closes in calendar.opening_intervals(day):
            overlap = min(closes, finish) - max(opens, begin)
            if overlap > timedelta(0):
                total += overlap
        day += timedelta(days=1)
    return total


def add_duration(start: datetime, duration: Duration, calendar: BusinessCalendar) -> datetime:
    """The deadline `duration` after `start`, as a UTC datetime."""
    _require_aware(start, "start")
    unit, amount = duration.unit, duration.amount
    if unit == "minutes":
        return start.astimezone(UTC) + timedelta(minutes=amount)
    if unit == "hours":
        return start.astimezone(UTC) + timedelta(hours=amount)
    if unit == "business_hours":
        return add_business_time(start, timedelta(hours=amount), calendar)
    local_day = calendar.local_date(start)
    if unit == "calendar_days":
        return calendar.end_of_day(local_day + timedelta(days=amount))
    if unit == "working_days":
        return calendar.end_of_day(add_working_days(local_day, amount, calendar))
    if unit == "months":
        return calendar.end_of_day(add_months(local_day, amount))
    raise ValueError(f"unknown duration unit {unit!r}")
