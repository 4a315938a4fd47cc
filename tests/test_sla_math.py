from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playbooks.calendar import BusinessCalendar, add_duration, add_months
from playbooks.holidays import HolidayCalendar
from playbooks.jurisdictions import load_jurisdictions
from playbooks.periods import DURATION_UNITS, Duration
from playbooks.sla import (
    ClockSpec,
    Pause,
    clock_budget,
    compute_deadline,
    plan_clock,
    restart_next_response,
    warning_at,
)

ROME = ZoneInfo("Europe/Rome")
MOSCOW = ZoneInfo("Europe/Moscow")
NINE_TO_SIX = {day: ((time(9), time(18)),) for day in range(5)}


def rome_office(holidays: HolidayCalendar | None = None) -> BusinessCalendar:
    return BusinessCalendar(
        "office@IT",
        ROME,
        NINE_TO_SIX,
        holidays or load_jurisdictions().get("IT").holidays,
    )


def local(zone: ZoneInfo, year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=zone)


def end_of_local_day(zone: ZoneInfo, day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59, 999999), tzinfo=zone).astimezone(UTC)


def test_one_month_uses_the_calendar_date_method_at_month_end() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2026, 9, 3), 1) == date(2026, 10, 3)
    assert add_months(date(2026, 12, 15), 2) == date(2027, 2, 15)
    gdpr = load_jurisdictions().get("IT").dsar
    deadline = compute_deadline(local(ROME, 2026, 1, 31, 16), gdpr, rome_office())
    assert deadline == end_of_local_day(ROME, date(2026, 2, 28))
    extended = compute_deadline(local(ROME, 2026, 1, 31, 16), gdpr, rome_office(), extended=True)
    assert extended == end_of_local_day(ROME, date(2026, 4, 28))


def test_deadline_day_is_local_not_utc() -> None:
    # 23:30 UTC on 31 Jan is already 1 Feb in Rome: the month runs from 1 Feb.
    deadline = add_duration(datetime(2026, 1, 31, 23, 30, tzinfo=UTC), Duration(1, "months"),
                            rome_office())  # fmt: skip
    assert deadline == end_of_local_day(ROME, date(2026, 3, 1))


def test_working_days_skip_a_weekend_and_a_holiday() -> None:
    russia = load_jurisdictions().get("RU")
    calendar = BusinessCalendar("legal@RU", MOSCOW, {}, russia.holidays)
    # Friday 5 June 2026; 12 June (Friday) is Russia Day.
    start = local(MOSCOW, 2026, 6, 5, 15)
    deadline = compute_deadline(start, russia.dsar, calendar)
    # 8,9,10,11 | 12 holiday | 15,16,17,18,19 -> 9 working days; the 10th is 22 June.
    assert deadline == end_of_local_day(MOSCOW, date(2026, 6, 22))
    extended = compute_deadline(start, russia.dsar, calendar, extended=True)
    assert extended == end_of_local_day(MOSCOW, date(2026, 6, 29))


def test_business_hours_across_a_weekend_holiday_and_dst_change() -> None:
    calendar = rome_office()
    # Friday 27 March 2026 17:00 Rome (UTC+1); DST starts Sunday 29 March; Monday 30 March
    # is a working day, 6 April is Easter Monday (holiday).
    start = local(ROME, 2026, 3, 27, 17)
    assert add_duration(start, Duration(2, "business_hours"), calendar) == local(
        ROME, 2026, 3, 30, 10
    )
    assert add_duration(start, Duration(2, "business_hours"), calendar).utcoffset() == timedelta(0)
    # 1 h Friday + 9 h x 5 (30 Mar - 3 Apr) = 46 h; 2 more hours skip Sat, Sun and Easter Monday.
    assert add_duration(start, Duration(48, "business_hours"), calendar) == local(
        ROME, 2026, 4, 7, 11
    )
    # Wall-clock 11:00 after the change is 09:00 UTC (UTC+2), before it was 10:00 UTC.
    assert local(ROME, 2026, 4, 7, 11).astimezone(UTC).hour == 9


def test_hours_are_exact_elapsed_time_across_dst() -> None:
    start = local(ROME, 2026, 3, 28, 12)
    assert add_duration(start, Duration(24, "hours"), rome_office()) == local(ROME, 2026, 3, 29, 13)


def test_pause_extends_a_pausable_clock_only() -> None:
    calendar = rome_office()
    start = local(ROME, 2026, 5, 4, 9)  # Monday
    period = Duration(10, "business_hours")
    waiting = [Pause(local(ROME, 2026, 5, 4, 12), local(ROME, 2026, 5, 5, 12))]  # 9 business h
    plain = compute_deadline(start, period, calendar)
    paused = compute_deadline(start, period, calendar, waiting, pausable=True)
    ignored = compute_deadline(start, period, calendar, waiting, pausable=False)
    assert plain == local(ROME, 2026, 5, 5, 10)
    assert paused == local(ROME, 2026, 5, 6, 10)
    assert ignored == plain


def test_pause_in_working_days_and_after_the_deadline() -> None:
    calendar = BusinessCalendar("legal@RU", MOSCOW, {}, HolidayCalendar("none"))
    start = local(MOSCOW, 2026, 9, 7, 10)  # Monday
    period = Duration(10, "working_days")
    # Waiting for ID from Wednesday to the next Monday: Thu, Fri, Mon = 3 working days.
    waiting = Pause(local(MOSCOW, 2026, 9, 9, 10), local(MOSCOW, 2026, 9, 14, 10))
    late = Pause(local(MOSCOW, 2026, 12, 1, 10), local(MOSCOW, 2026, 12, 9, 10))
    base = compute_deadline(start, period, calendar)
    assert base == end_of_local_day(MOSCOW, date(2026, 9, 21))
    assert compute_deadline(start, period, calendar, [waiting, late], pausable=True) == (
        end_of_local_day(MOSCOW, date(2026, 9, 24))
    )


def test_legal_clock_pausability_comes_from_the_law() -> None:
    table = load_jurisdictions()
    assert table.get("UK").dsar.pausable  # ICO: the clock runs from receipt of ID
    assert not table.get("RU").dsar.pausable
    assert not table.get("BR").dsar.pausable


def test_warning_and_budget() -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    deadline = start + timedelta(hours=10)
    assert clock_budget(start, deadline) == timedelta(hours=10)
    assert warning_at(start, deadline, 0.75) == start + timedelta(hours=7, minutes=30)
    with pytest.raises(ValueError, match="fraction"):
        warning_at(start, deadline, 1.5)
    with pytest.raises(ValueError, match="before start"):
        clock_budget(deadline, start)


def test_next_response_restarts_on_each_customer_message() -> None:
    spec = ClockSpec("next_response", Duration(4, "hours"), rome_office(), False, "next", 0.5)
    first = plan_clock(spec, datetime(2026, 1, 5, 9, tzinfo=UTC))
    later = restart_next_response(first, datetime(2026, 1, 5, 12, tzinfo=UTC))
    assert later.started_at == datetime(2026, 1, 5, 12, tzinfo=UTC)
    assert later.deadline == datetime(2026, 1, 5, 16, tzinfo=UTC)
    assert later.warn_at == datetime(2026, 1, 5, 14, tzinfo=UTC)
    resolution = plan_clock(
        ClockSpec("resolution", Duration(1, "calendar_days"), rome_office(), True, "r", 0.5),
        datetime(2026, 1, 5, 9, tzinfo=UTC),
    )
    with pytest.raises(ValueError, match="next_response"):
        restart_next_response(resolution, datetime(2026, 1, 5, 12, tzinfo=UTC))


def test_naive_datetimes_are_rejected() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        add_duration(datetime(2026, 1, 1), Duration(1, "hours"), rome_office())
    with pytest.raises(ValueError, match="timezone-aware"):
        Pause(datetime(2026, 1, 1), datetime(2026, 1, 2))


_instants = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
)
_units = st.sampled_from(sorted(DURATION_UNITS))


@settings(max_examples=150, deadline=None)
@given(start=_instants, unit=_units, a=st.integers(0, 60), b=st.integers(0, 60))
def test_deadline_is_after_start_and_monotone_in_duration(
    start: datetime, unit: str, a: int, b: int
) -> None:
    calendar = rome_office()
    low, high = sorted((a, b))
    first = add_duration(start, Duration(low, unit), calendar)
    second = add_duration(start, Duration(high, unit), calendar)
    assert first >= start
    assert first <= second
    assert second.tzinfo is not None


@settings(max_examples=100, deadline=None)
@given(start=_instants, amount=st.integers(1, 40), hours=st.integers(0, 400))
def test_pauses_never_shorten_a_clock(start: datetime, amount: int, hours: int) -> None:
    calendar = rome_office()
    pause = Pause(start + timedelta(hours=1), start + timedelta(hours=1 + hours))
    for unit in ("business_hours", "working_days", "calendar_days", "hours"):
        period = Duration(amount, unit)
        plain = compute_deadline(start, period, calendar)
        assert compute_deadline(start, period, calendar, [pause], pausable=True) >= plain
