"""Routing: a classified ticket → its playbook, queue, priority and planned SLA clocks.

Pure: the caller passes the opening time, the playbooks and the jurisdiction table. The
jurisdiction code comes from the account's configuration or a per-ticket override.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from classifiers.taxonomy import Category, Severity
from playbooks.book import EvidenceQuestion, Playbook, PlaybookBook
from playbooks.calendar import BusinessCalendar
from playbooks.jurisdictions import Jurisdiction, JurisdictionTable
from playbooks.periods import LegalPeriod
from playbooks.sla import ClockPlan, ClockSpec, Pause, plan_clock, recompute_clocks


@dataclass(frozen=True)
class Route:
    playbook_id: str
    category: Category
    jurisdiction: str
    queue: str
    priority: str
    clocks: tuple[ClockPlan, ...]
    steps: tuple[str, ...]
    evidence: tuple[EvidenceQuestion, ...]
    escalation_chain: tuple[str, ...]
    rights: tuple[str, ...]
    # Legal periods that apply but are not verified (domain-facts ❓): shown, never timed.
    unverified_legal: tuple[tuple[str, LegalPeriod], ...] = ()

    def clock(self, key: str) -> ClockPlan:
        """A clock by key: first_response, next_response, resolution, legal:<kind>."""
        for plan in self.clocks:
            if plan.key == key:
                return plan
        raise KeyError(f"route {self.playbook_id} has no clock {key!r}")


def queue_calendar(playbook: Playbook, jurisdiction: Jurisdiction) -> BusinessCalendar:
    """The queue's opening hours in the jurisdiction's time zone, with its holidays."""
    return BusinessCalendar(
        name=f"{playbook.queue}@{jurisdiction.code}",
        zone=jurisdiction.zone,
        opening_hours=playbook.sla.opening_hours,
        holidays=jurisdiction.holidays,
    )


def legal_period(jurisdiction: Jurisdiction, kind: str, at: datetime) -> LegalPeriod | None:
    """The jurisdiction's period for a legal clock kind in force at `at` (local date)."""
    if kind == "dsar":
        return jurisdiction.dsar_for(at.astimezone(jurisdiction.zone).date())
    if kind == "dsar_acknowledgement":
        return jurisdiction.dsar_acknowledgement
    if kind == "breach_notification":
        return jurisdiction.breach_notification
    if kind == "complaint_response":
        return jurisdiction.complaint_response
    raise ValueError(f"unknown legal clock kind {kind!r}")


def clock_specs(
    playbook: Playbook, jurisdiction: Jurisdiction, opened_at: datetime
) -> tuple[tuple[ClockSpec, ...], tuple[tuple[str, LegalPeriod], ...]]:
    """The clocks a playbook runs in a jurisdiction, plus the unverified legal periods."""
    sla = playbook.sla
    calendar = queue_calendar(playbook, jurisdiction)
    fraction = sla.warning_fraction
    specs = [
        ClockSpec("first_response", sla.first_response, calendar,
                  "first_response" in sla.pausable, "first response", fraction),
        ClockSpec("next_response", sla.next_response, calendar,
                  "next_response" in sla.pausable, "next response", fraction),
    ]  # fmt: skip
    unverified: list[tuple[str, LegalPeriod]] = []
    legal_specs: list[ClockSpec] = []
    for kind in sla.legal_clocks:
        period = legal_period(jurisdiction, kind, opened_at)
        if period is None:
            continue
        if not period.verified:
            unverified.append((kind, period))
            continue
        legal_specs.append(
            ClockSpec("legal", period, calendar, period.pausable,
                      f"{kind.replace('_', ' ')}: {period.label()} ({period.basis})",
                      fraction, legal_kind=kind)
        )  # fmt: skip
    resolution = ClockSpec("resolution", sla.resolution, calendar,
                           "resolution" in sla.pausable, "resolution", fraction)  # fmt: skip
    dsar = next((s for s in legal_specs if s.legal_kind == "dsar"), None)
    if sla.resolution_legal_fraction is not None and dsar is not None:
        resolution = ClockSpec(
            "resolution", dsar.period, calendar, "resolution" in sla.pausable,
            f"resolution: {sla.resolution_legal_fraction:.0%} of the DSAR period",
            fraction, scale=sla.resolution_legal_fraction,
        )  # fmt: skip
    specs.append(resolution)
    specs.extend(legal_specs)
    return tuple(specs), tuple(unverified)


def route(
    category: Category,
    severity: Severity,
    jurisdiction: str,
    *,
    opened_at: datetime,
    book: PlaybookBook,
    table: JurisdictionTable,
    pauses: Mapping[str, Sequence[Pause]] | None = None,
) -> Route:
    """Route a ticket opened at `opened_at` (the receipt of its first message)."""
    if opened_at.tzinfo is None or opened_at.utcoffset() is None:
        raise ValueError("opened_at must be timezone-aware")
    playbook = book[category]
    place = table.get(jurisdiction)
    specs, unverified = clock_specs(playbook, place, opened_at)
    pauses = pauses or {}
    clocks = tuple(plan_clock(spec, opened_at, pauses.get(_key(spec), ())) for spec in specs)
    return Route(
        playbook_id=playbook.id,
        category=category,
        jurisdiction=place.code,
        queue=playbook.queue,
        priority=playbook.priority[severity],
        clocks=clocks,
        steps=playbook.steps,
        evidence=playbook.evidence,
        escalation_chain=playbook.escalation_chain,
        rights=playbook.rights,
        unverified_legal=unverified,
    )


def reroute(
    old: Route,
    category: Category,
    severity: Severity,
    jurisdiction: str,
    *,
    opened_at: datetime,
    book: PlaybookBook,
    table: JurisdictionTable,
    pauses: Mapping[str, Sequence[Pause]] | None = None,
) -> Route:
    """Route again after re-categorisation or a jurisdiction override.

    Clocks keep their original start times (a DSAR legal clock runs from receipt, not from
    the moment the ticket reached the DPO); clocks the new route lacks are dropped.
    """
    fresh = route(category, severity, jurisdiction, opened_at=opened_at, book=book, table=table)
    clocks = recompute_clocks(old.clocks, fresh.clocks, pauses)
    return Route(
        playbook_id=fresh.playbook_id,
        category=fresh.category,
        jurisdiction=fresh.jurisdiction,
        queue=fresh.queue,
        priority=fresh.priority,
        clocks=clocks,
        steps=fresh.steps,
        evidence=fresh.evidence,
        escalation_chain=fresh.escalation_chain,
        rights=fresh.rights,
        unverified_legal=fresh.unverified_legal,
    )


def _key(spec: ClockSpec) -> str:
    return spec.kind if spec.legal_kind is None else f"legal:{spec.legal_kind}"
