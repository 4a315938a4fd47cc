"""The routing port the pipeline, service and SLA engine use, and its playbooks adapter.

`playbooks/` owns the rules (routes, SLA maths, templates); this module only translates
its values into what the database stores (`ClockSpec`), so storage never imports
playbooks and playbooks never imports bot.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from classifiers.taxonomy import Category, Severity
from playbooks.book import PlaybookBook, load_playbooks, render_template
from playbooks.jurisdictions import JurisdictionTable, load_jurisdictions
from playbooks.periods import LegalPeriod
from playbooks.routing import route
from playbooks.sla import ClockPlan, Pause, plan_clock

PauseInterval = tuple[datetime, datetime]


@dataclass(frozen=True, slots=True)
class ClockSpec:
    key: str  # identity within the ticket: the kind, or "legal:<what>"
    kind: str  # first_response | next_response | resolution | legal
    started_at: datetime
    deadline: datetime
    warn_at: datetime
    pausable: bool
    plan: dict[str, Any] = field(default_factory=dict)  # JSON: how the deadline was computed


@dataclass(frozen=True, slots=True)
class RoutingDecision:
    playbook: str
    queue: str
    priority: str
    clocks: tuple[ClockSpec, ...]
    steps: tuple[str, ...]
    escalation_chain: tuple[str, ...]


class UnknownCategoryError(ValueError):
    """A category with no playbook."""


class Router(Protocol):
    def route(
        self,
        category: str,
        severity: str,
        jurisdiction: str,
        *,
        opened_at: datetime,
        starts: Mapping[str, datetime] | None = None,
        pauses: Mapping[str, Sequence[PauseInterval]] | None = None,
    ) -> RoutingDecision:
        """Playbook, queue, priority and clocks for a ticket opened at `opened_at`.

        `starts` keeps the start of clocks that already run (by clock key: a re-routed
        ticket's legal clock still runs from receipt); `pauses` are the closed
        waiting-for-customer intervals per clock key, applied where the clock is pausable.
        Raises UnknownCategoryError for a category without a playbook and
        UnknownJurisdictionError (a LookupError) for an unknown jurisdiction."""
        ...

    def render(self, playbook: str, kind: str, language: str, **values: str) -> str:
        """An approved template (acknowledgement, evidence_request, closure, …)."""
        ...

    def evidence_questions(self, playbook: str, language: str) -> tuple[str, ...]: ...

    def escalation_chain(self, playbook: str) -> tuple[str, ...]: ...


def _clock_spec(plan: ClockPlan) -> ClockSpec:
    period = plan.period
    return ClockSpec(
        key=plan.key,
        kind=plan.kind,
        started_at=plan.started_at,
        deadline=plan.deadline,
        warn_at=plan.warn_at,
        pausable=plan.pausable,
        plan={
            "label": plan.label,
            "period": period.base.label() if isinstance(period, LegalPeriod) else period.label(),
            "calendar": plan.business_calendar,
            "source": period.source if isinstance(period, LegalPeriod) else None,
        },
    )


class PlaybookRouter:
    """The Router port backed by the bundled (or given) playbooks and jurisdiction table."""

    def __init__(self, book: PlaybookBook, table: JurisdictionTable) -> None:
        self._book = book
        self._table = table

    @classmethod
    def load(cls) -> PlaybookRouter:
        return cls(load_playbooks(), load_jurisdictions())

    def _category(self, category: str) -> Category:
        try:
            return Category(category)
        except ValueError:
            known = ", ".join(c.value for c in Category)
            raise UnknownCategoryError(
                f"unknown category {category!r}; expected one of {known}"
            ) from None

    def _severity(self, severity: str) -> Severity:
        try:
            return Severity(severity)
        except ValueError:
            known = ", ".join(s.value for s in Severity)
            raise ValueError(f"unknown severity {severity!r}; expected one of {known}") from None

    def route(
        self,
        category: str,
        severity: str,
        jurisdiction: str,
        *,
        opened_at: datetime,
        starts: Mapping[str, datetime] | None = None,
        pauses: Mapping[str, Sequence[PauseInterval]] | None = None,
    ) -> RoutingDecision:
        found = route(
            self._category(category),
            self._severity(severity),
            jurisdiction,
            opened_at=opened_at,
            book=self._book,
            table=self._table,
        )
        starts = starts or {}
        pauses = pauses or {}
        clocks = tuple(
            plan_clock(
                plan.spec,
                starts.get(plan.key, plan.started_at),
                [Pause(start, end) for start, end in pauses.get(plan.key, ())],
            )
            for plan in found.clocks
        )
        return RoutingDecision(
            playbook=found.playbook_id,
            queue=found.queue,
            priority=found.priority,
            clocks=tuple(_clock_spec(plan) for plan in clocks),
            steps=found.steps,
            escalation_chain=found.escalation_chain,
        )

    def render(self, playbook: str, kind: str, language: str, **values: str) -> str:
        return render_template(self._book.by_id(playbook), kind, language, **values)

    def evidence_questions(self, playbook: str, language: str) -> tuple[str, ...]:
        return tuple(q.prompt(language) for q in self._book.by_id(playbook).evidence)

    def escalation_chain(self, playbook: str) -> tuple[str, ...]:
        return self._book.by_id(playbook).escalation_chain
