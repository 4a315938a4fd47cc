"""SLA clock maths: deadlines with pauses and extensions, warnings, restarts, recomputation.

Pure functions over timezone-aware datetimes; nothing here reads the current time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from playbooks.calendar import (
    BusinessCalendar,
    add_business_time,
    add_duration,
    add_working_days,
    business_time_between,
    working_days_between,
)
from playbooks.periods import Duration, LegalPeriod

CLOCK_KINDS: Final[frozenset[str]] = frozenset(
    {"first_response", "next_response", "resolution", "legal"}
)


@dataclass(frozen=True)
class Pause:
    """A closed interval during which the clock waited for the customer (e.g. an ID check).

    While a pause is still open the clock has no deadline; store it as paused and call
    compute_deadline again once the customer answers.
    """

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        for name, moment in (("start", self.start), ("end", self.end)):
            if moment.tzinfo is None or moment.utcoffset() is None:
                raise ValueError(f"pause {name} must be timezone-aware")
        if self.end < self.start:
            raise ValueError("a pause must end after it starts")


@dataclass(frozen=True)
class ClockSpec:
    """What a clock measures, before it has a start time."""

    kind: str
    period: Duration | LegalPeriod
    calendar: BusinessCalendar
    pausable: bool
    label: str
    warning_fraction: float
    legal_kind: str | None = None  # e.g. "dsar", "breach_notification" for kind == "legal"
    # Internal targets set as a share of a legal period (e.g. 0.6 of the DSAR period).
    scale: float = 1.0

    def __post_init__(self) -> None:
        if self.kind not in CLOCK_KINDS:
            raise ValueError(f"unknown clock kind {self.kind!r}; expected {sorted(CLOCK_KINDS)}")
        if not 0.0 < self.warning_fraction < 1.0:
            raise ValueError(f"warning fraction must be in (0, 1), got {self.warning_fraction}")
        if not 0.0 < self.scale <= 1.0:
            raise ValueError(f"scale must be in (0, 1], got {self.scale}")
        if (self.kind == "legal") != (self.legal_kind is not None):
            raise ValueError("legal_kind is required for legal clocks and only for them")


@dataclass(frozen=True)
class ClockPlan:
    """A clock with its start, deadline and warning instant (all UTC)."""

    spec: ClockSpec
    started_at: datetime
    deadline: datetime
    warn_at: datetime

    @property
    def kind(self) -> str:
        return self.spec.kind

    @property
    def period(self) -> Duration | LegalPeriod:
        return self.spec.period

    @property
    def label(self) -> str:
        return self.spec.label

    @property
    def pausable(self) -> bool:
        return self.spec.pausable

    @property
    def business_calendar(self) -> str:
        return self.spec.calendar.name

    @property
    def key(self) -> str:
        """Stable identity of the clock within a ticket: kind, plus the legal kind."""
        return self.spec.kind if self.spec.legal_kind is None else f"legal:{self.spec.legal_kind}"


def _base(period: Duration | LegalPeriod) -> Duration:
    return period.base if isinstance(period, LegalPeriod) else period


def compute_deadline(
    start: datetime,
    period: Duration | LegalPeriod,
    calendar: BusinessCalendar,
    pauses: Sequence[Pause] = (),
    *,
    pausable: bool = False,
    extended: bool = False,
    scale: float = 1.0,
) -> datetime:
    """Deadline of a clock started at `start`.

    Pauses count only when `pausable` (the policy or the law allows it); each pause that
    begins before the running deadline pushes it back by the paused amount measured in the
    clock's own unit. `extended` adds a legal period's extension after the base deadline
    (e.g. GDPR +2 months notified within the first month). `scale` shortens the budget to
    a share of the period (internal targets such as 60 % of the statutory period).
    """
    duration = _base(period)
    deadline = add_duration(start, duration, calendar)
    if extended:
        if not isinstance(period, LegalPeriod) or period.extension is None:
            raise ValueError(f"{period} has no extension to apply")
        deadline = add_duration(deadline, period.extension, calendar)
    if scale != 1.0:
        deadline = start + timedelta(seconds=int((deadline - start).total_seconds() * scale))
    if not pausable:
        return deadline
    for pause in sorted(pauses, key=lambda p: p.start):
        begin = max(pause.start, start)
        if begin >= deadline or pause.end <= begin:
            continue
        deadline = _push_back(deadline, begin, pause.end, duration.unit, calendar)
    return deadline


def _push_back(
    deadline: datetime, begin: datetime, end: datetime, unit: str, calendar: BusinessCalendar
) -> datetime:
    if unit in ("minutes", "hours"):
        return deadline + (end - begin)
    if unit == "business_hours":
        return add_business_time(deadline, business_time_between(begin, end, calendar), calendar)
    first, last = calendar.local_date(begin), calendar.local_date(end)
    due = calendar.local_date(deadline)
    if unit == "working_days":
        return calendar.end_of_day(
            add_working_days(due, working_days_between(first, last, calendar), calendar)
        )
    # calendar days and months: the due date moves by the paused calendar days.
    return calendar.end_of_day(due + (last - first))


def clock_budget(start: datetime, deadline: datetime) -> timedelta:
    """The elapsed time a clock allows."""
    if deadline < start:
        raise ValueError("deadline is before start")
    return deadline - start


def warning_at(start: datetime, deadline: datetime, fraction: float) -> datetime:
    """When a warning fires: `fraction` of the elapsed budget, rounded down to the second."""
    if not 0.0 < fraction < 1.0:
        raise ValueError(f"warning fraction must be in (0, 1), got {fraction}")
    budget = clock_budget(start, deadline)
    offset = timedelta(seconds=int(budget.total_seconds() * fraction))
    return start + offset


def plan_clock(
    spec: ClockSpec, started_at: datetime, pauses: Sequence[Pause] = (), *, extended: bool = False
) -> ClockPlan:
    deadline = compute_deadline(
        started_at,
        spec.period,
        spec.calendar,
        pauses,
        pausable=spec.pausable,
        extended=extended,
        scale=spec.scale,
    )
    return ClockPlan(
        spec=spec,
        started_at=started_at,
        deadline=deadline,
        warn_at=warning_at(started_at, deadline, spec.warning_fraction),
    )


def restart_next_response(plan: ClockPlan, customer_message_at: datetime) -> ClockPlan:
    """The next-response clock restarts on every new customer message."""
    if plan.kind != "next_response":
        raise ValueError(f"only the next_response clock restarts, not {plan.kind!r}")
    return plan_clock(plan.spec, customer_message_at)


def recompute_clocks(
    old: Sequence[ClockPlan],
    new: Sequence[ClockPlan],
    pauses: Mapping[str, Sequence[Pause]] | None = None,
) -> tuple[ClockPlan, ...]:
    """Re-plan a re-routed ticket's clocks, keeping the original start times.

    `new` are the clocks of the new route (planned from the ticket's opening time). A clock
    that existed before keeps its start (the DSAR legal clock runs from receipt, a restarted
    next-response clock from the last customer message); pauses are looked up by clock key.
    Clocks of the old route that the new route lacks are dropped: the caller cancels them.
    """
    started = {plan.key: plan.started_at for plan in old}
    pauses = pauses or {}
    result = []
    for plan in new:
        start = started.get(plan.key, plan.started_at)
        result.append(plan_clock(plan.spec, start, pauses.get(plan.key, ())))
    return tuple(result)
