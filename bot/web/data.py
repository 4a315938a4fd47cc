"""The dashboard's read model: queries shaped for pages, the JSON API and /metrics.

Writes go through the ticket service; the dashboard only reads, so it queries the tables
directly and shapes rows for display. Message text is masked here, at the edge, because
the stored text is the evidence and is kept verbatim.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from bot.clock import Clock
from storage.database import Database
from storage.models import (
    ClockState,
    Customer,
    Evidence,
    Message,
    ReplyDraft,
    SlaClock,
    Ticket,
    TicketEvent,
    TicketStatus,
    ticket_reference,
)

LIVE_CLOCK_STATES = (ClockState.RUNNING.value, ClockState.WARNED.value)
ACTIVE_STATUSES = (TicketStatus.OPEN.value, TicketStatus.WAITING_CUSTOMER.value)
QUEUE_LIMIT = 500


@dataclass(frozen=True, slots=True)
class QueueFilters:
    queue: str | None = None
    category: str | None = None
    language: str | None = None
    severity: str | None = None
    status: str | None = None  # None: active tickets only
    breached: bool = False


@dataclass(frozen=True, slots=True)
class QueueRow:
    id: int
    reference: str
    category: str
    severity: str
    priority: str
    language: str
    queue: str
    status: str
    assignee: str | None
    channel: str
    customer: str  # short pseudonym
    opened_at: datetime
    next_deadline: datetime | None
    next_clock: str | None
    breached: bool
    warned: bool
    needs_review: bool
    confidence: float


@dataclass(frozen=True, slots=True)
class ClockRow:
    kind: str
    started_at: datetime
    deadline: datetime | None
    state: str


@dataclass(frozen=True, slots=True)
class MessageRow:
    external_id: str
    sent_at: datetime
    text: str
    category: str | None
    confidence: float | None


@dataclass(frozen=True, slots=True)
class EventRow:
    at: datetime
    actor: str
    action: str
    details: str


@dataclass(frozen=True, slots=True)
class ViolationRow:
    claim: str
    reason: str
    suggestion: str


@dataclass(frozen=True, slots=True)
class DraftRow:
    author: str
    text: str
    allowed: bool
    status: str
    violations: tuple[ViolationRow, ...]
    override_reason: str | None
    overridden_by: str | None


@dataclass(frozen=True, slots=True)
class EvidenceRow:
    key: str
    value: str
    at: datetime


@dataclass(frozen=True, slots=True)
class TicketDetail:
    id: int
    reference: str
    category: str
    severity: str
    priority: str
    language: str
    jurisdiction: str
    queue: str
    playbook: str
    status: str
    assignee: str | None
    channel: str
    customer: str
    contact: str | None  # only filled for roles that may see it
    confidence: float
    needs_review: bool
    opened_at: datetime
    clocks: tuple[ClockRow, ...]
    messages: tuple[MessageRow, ...]
    events: tuple[EventRow, ...]
    drafts: tuple[DraftRow, ...]
    evidence: tuple[EvidenceRow, ...]
    steps: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Attainment:
    group: str
    clock: str
    met: int
    breached: int

    @property
    def percent(self) -> float | None:
        total = self.met + self.breached
        return None if total == 0 else 100.0 * self.met / total


@dataclass(frozen=True, slots=True)
class BreachRow:
    ticket_id: int
    reference: str
    clock: str
    deadline: datetime
    queue: str
    severity: str


@dataclass(frozen=True, slots=True)
class Reports:
    volume_by_day: dict[str, dict[str, float]]  # day -> category -> tickets
    by_language: dict[str, float]
    by_category: dict[str, float]
    attainment_by_queue: tuple[Attainment, ...]
    attainment_by_playbook: tuple[Attainment, ...]
    breaches: tuple[BreachRow, ...]
    blocked_by_claim: dict[str, float]


@dataclass(frozen=True, slots=True)
class MetricsSnapshot:
    messages_ingested: int
    messages_pending: int
    classified_by_category: dict[str, int]
    tickets_open_by_queue: dict[str, int]
    clocks_due: int
    breaches: int
    drafts_blocked: int
    drafts_total: int
    extra: dict[str, Any] = field(default_factory=dict)


def short_pseudonym(pseudonym: str) -> str:
    return f"cust-{pseudonym[:10]}"


def _claims(verdict: object) -> list[dict[str, Any]]:
    if isinstance(verdict, dict):
        violations = verdict.get("violations")
        if isinstance(violations, list):
            return [v for v in violations if isinstance(v, dict)]
    return []


class DashboardData:
    def __init__(
        self,
        database: Database,
        clock: Clock,
        *,
        mask: Callable[[str], str],
        steps_for: Callable[[str, str], tuple[str, ...]] | None = None,
    ) -> None:
        self._db = database
        self._clock = clock
        self._mask = mask
        self._steps_for = steps_for

    async def healthy(self) -> bool:
        async with self._db.transaction() as session:
            await session.execute(select(1))
        return True

    async def filter_options(self) -> dict[str, list[str]]:
        async with self._db.transaction() as session:
            options: dict[str, list[str]] = {}
            for name, column in (
                ("queue", Ticket.queue),
                ("category", Ticket.category),
                ("language", Ticket.language),
                ("severity", Ticket.severity),
                ("status", Ticket.status),
            ):
                rows = await session.execute(select(column).distinct().order_by(column))
                options[name] = [str(v) for v in rows.scalars()]
        return options

    async def queue(self, filters: QueueFilters) -> list[QueueRow]:
        now = self._clock.now()
        query = select(Ticket, Customer.pseudonym).join(Customer, Customer.id == Ticket.customer_id)
        if filters.status:
            query = query.where(Ticket.status == filters.status)
        else:
            query = query.where(Ticket.status.in_(ACTIVE_STATUSES))
        for column, value in (
            (Ticket.queue, filters.queue),
            (Ticket.category, filters.category),
            (Ticket.language, filters.language),
            (Ticket.severity, filters.severity),
        ):
            if value:
                query = query.where(column == value)
        async with self._db.transaction() as session:
            tickets = (await session.execute(query.limit(QUEUE_LIMIT * 4))).all()
            ids = [t.id for t, _ in tickets]
            clocks: dict[int, list[SlaClock]] = defaultdict(list)
            if ids:
                rows = await session.execute(select(SlaClock).where(SlaClock.ticket_id.in_(ids)))
                for clock in rows.scalars():
                    clocks[clock.ticket_id].append(clock)
        result: list[QueueRow] = []
        for ticket, pseudonym in tickets:
            live = [c for c in clocks[ticket.id] if c.state in LIVE_CLOCK_STATES]
            nearest = min(live, key=lambda c: c.deadline, default=None)
            breached = any(c.breach_fired_at is not None for c in clocks[ticket.id]) or any(
                c.deadline <= now for c in live
            )
            if filters.breached and not breached:
                continue
            result.append(
                QueueRow(
                    id=ticket.id,
                    reference=ticket_reference(ticket.id),
                    category=ticket.category,
                    severity=ticket.severity,
                    priority=ticket.priority,
                    language=ticket.language,
                    queue=ticket.queue,
                    status=ticket.status,
                    assignee=ticket.assignee,
                    channel=ticket.channel,
                    customer=short_pseudonym(pseudonym),
                    opened_at=ticket.opened_at,
                    next_deadline=nearest.deadline if nearest else None,
                    next_clock=nearest.kind if nearest else None,
                    breached=breached,
                    warned=any(c.warning_fired_at is not None for c in live),
                    needs_review=ticket.needs_review,
                    confidence=ticket.confidence,
                )
            )
        far_future = datetime.max.replace(tzinfo=now.tzinfo)
        # A breached ticket is the most urgent whatever its next live clock says.
        result.sort(key=lambda r: (not r.breached, r.next_deadline or far_future, r.priority, r.id))
        return result[:QUEUE_LIMIT]

    async def ticket(self, ticket_id: int, *, with_contact: bool) -> TicketDetail | None:
        async with self._db.transaction() as session:
            row = (
                await session.execute(
                    select(Ticket, Customer.pseudonym)
                    .join(Customer, Customer.id == Ticket.customer_id)
                    .where(Ticket.id == ticket_id)
                )
            ).first()
            if row is None:
                return None
            ticket, pseudonym = row
            clocks = (
                (
                    await session.execute(
                        select(SlaClock)
                        .where(SlaClock.ticket_id == ticket_id)
                        .order_by(SlaClock.id)
                    )
                )
                .scalars()
                .all()
            )
            messages = (
                (
                    await session.execute(
                        select(Message)
                        .where(Message.ticket_id == ticket_id)
                        .order_by(Message.sent_at)
                    )
                )
                .scalars()
                .all()
            )
            events = (
                (
                    await session.execute(
                        select(TicketEvent)
                        .where(TicketEvent.ticket_id == ticket_id)
                        .order_by(TicketEvent.at, TicketEvent.id)
                    )
                )
                .scalars()
                .all()
            )
            drafts = (
                (
                    await session.execute(
                        select(ReplyDraft)
                        .where(ReplyDraft.ticket_id == ticket_id)
                        .order_by(ReplyDraft.created_at)
                    )
                )
                .scalars()
                .all()
            )
            evidence = (
                (
                    await session.execute(
                        select(Evidence)
                        .where(Evidence.ticket_id == ticket_id)
                        .order_by(Evidence.recorded_at)
                    )
                )
                .scalars()
                .all()
            )
        steps = self._steps_for(ticket.playbook, ticket.language) if self._steps_for else ()
        return TicketDetail(
            id=ticket.id,
            reference=ticket_reference(ticket.id),
            category=ticket.category,
            severity=ticket.severity,
            priority=ticket.priority,
            language=ticket.language,
            jurisdiction=ticket.jurisdiction,
            queue=ticket.queue,
            playbook=ticket.playbook,
            status=ticket.status,
            assignee=ticket.assignee,
            channel=ticket.channel,
            customer=short_pseudonym(pseudonym),
            contact=(ticket.chat_id or "") if with_contact else None,
            confidence=ticket.confidence,
            needs_review=ticket.needs_review,
            opened_at=ticket.opened_at,
            clocks=tuple(
                ClockRow(
                    c.kind,
                    c.started_at,
                    None if c.state == ClockState.PAUSED.value else c.deadline,
                    c.state,
                )
                for c in clocks
            ),
            messages=tuple(
                MessageRow(m.external_id, m.sent_at, self._mask(m.text), m.category, m.confidence)
                for m in messages
            ),
            events=tuple(
                EventRow(e.at, e.actor, e.action, self._event_details(e.payload)) for e in events
            ),
            drafts=tuple(self._draft_row(d) for d in drafts),
            evidence=tuple(
                EvidenceRow(e.key, self._mask(e.value or e.file_ref or ""), e.recorded_at)
                for e in evidence
            ),
            steps=steps,
        )

    def _event_details(self, payload: dict[str, Any]) -> str:
        parts = [f"{k}={v}" for k, v in sorted(payload.items()) if not isinstance(v, dict | list)]
        return self._mask(", ".join(parts))[:300]

    def _draft_row(self, draft: ReplyDraft) -> DraftRow:
        return DraftRow(
            author=draft.author,
            text=draft.text,
            allowed=draft.allowed,
            status=draft.status,
            violations=tuple(
                ViolationRow(
                    str(v.get("claim", "")), str(v.get("reason", "")), str(v.get("suggestion", ""))
                )
                for v in _claims(draft.verdict)
            ),
            override_reason=draft.override_reason,
            overridden_by=draft.overridden_by,
        )

    async def reports(self) -> Reports:
        async with self._db.transaction() as session:
            tickets = (
                await session.execute(
                    select(Ticket.id, Ticket.opened_at, Ticket.category, Ticket.language)
                )
            ).all()
            clock_rows = (
                await session.execute(
                    select(SlaClock, Ticket.queue, Ticket.playbook, Ticket.severity).join(
                        Ticket, Ticket.id == SlaClock.ticket_id
                    )
                )
            ).all()
            verdicts = (
                (
                    await session.execute(
                        select(ReplyDraft.verdict).where(ReplyDraft.allowed.is_(False))
                    )
                )
                .scalars()
                .all()
            )
        volume: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        by_language: Counter[str] = Counter()
        by_category: Counter[str] = Counter()
        for _id, opened_at, category, language in tickets:
            volume[opened_at.strftime("%Y-%m-%d")][category] += 1
            by_language[language] += 1
            by_category[category] += 1
        by_queue: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
        by_playbook: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
        breaches: list[BreachRow] = []
        for clock, queue, playbook, severity in clock_rows:
            if clock.kind not in ("first_response", "resolution"):
                if clock.breach_fired_at is not None:
                    breaches.append(self._breach(clock, queue, severity))
                continue
            if clock.breach_fired_at is not None or clock.state == ClockState.BREACHED.value:
                outcome = 1
                breaches.append(self._breach(clock, queue, severity))
            elif clock.state == ClockState.MET.value:
                outcome = 0
            else:
                continue
            by_queue[(queue, clock.kind)][outcome] += 1
            by_playbook[(playbook, clock.kind)][outcome] += 1
        blocked: Counter[str] = Counter()
        for verdict in verdicts:
            for violation in _claims(verdict):
                blocked[str(violation.get("claim", "unknown"))] += 1
        return Reports(
            volume_by_day={day: dict(v) for day, v in sorted(volume.items())},
            by_language=dict(by_language.most_common()),
            by_category=dict(by_category.most_common()),
            attainment_by_queue=_attainment(by_queue),
            attainment_by_playbook=_attainment(by_playbook),
            breaches=tuple(sorted(breaches, key=lambda b: b.deadline, reverse=True)),
            blocked_by_claim=dict(blocked.most_common()),
        )

    @staticmethod
    def _breach(clock: SlaClock, queue: str, severity: str) -> BreachRow:
        return BreachRow(
            clock.ticket_id,
            ticket_reference(clock.ticket_id),
            clock.kind,
            clock.deadline,
            queue,
            severity,
        )

    async def metrics(self) -> MetricsSnapshot:
        now = self._clock.now()
        async with self._db.transaction() as session:
            ingested = await session.scalar(select(func.count(Message.id))) or 0
            pending = (
                await session.scalar(
                    select(func.count(Message.id)).where(Message.state == "pending")
                )
                or 0
            )
            classified = (
                await session.execute(
                    select(Message.category, func.count(Message.id))
                    .where(Message.category.is_not(None))
                    .group_by(Message.category)
                )
            ).all()
            open_by_queue = (
                await session.execute(
                    select(Ticket.queue, func.count(Ticket.id))
                    .where(Ticket.status.in_(ACTIVE_STATUSES))
                    .group_by(Ticket.queue)
                )
            ).all()
            due = (
                await session.scalar(
                    select(func.count(SlaClock.id)).where(
                        SlaClock.state.in_(LIVE_CLOCK_STATES), SlaClock.deadline <= now
                    )
                )
                or 0
            )
            breaches = (
                await session.scalar(
                    select(func.count(SlaClock.id)).where(SlaClock.breach_fired_at.is_not(None))
                )
                or 0
            )
            blocked = (
                await session.scalar(
                    select(func.count(ReplyDraft.id)).where(ReplyDraft.allowed.is_(False))
                )
                or 0
            )
            drafts = await session.scalar(select(func.count(ReplyDraft.id))) or 0
        return MetricsSnapshot(
            messages_ingested=int(ingested),
            messages_pending=int(pending),
            classified_by_category={str(c): int(n) for c, n in classified},
            tickets_open_by_queue={str(q): int(n) for q, n in open_by_queue},
            clocks_due=int(due),
            breaches=int(breaches),
            drafts_blocked=int(blocked),
            drafts_total=int(drafts),
        )


def _attainment(groups: dict[tuple[str, str], list[int]]) -> tuple[Attainment, ...]:
    return tuple(
        Attainment(group, clock, met, breached)
        for (group, clock), (met, breached) in sorted(groups.items())
    )


def attainment_rows(rows: Sequence[Attainment], clock: str) -> list[tuple[str, float | None]]:
    return [(a.group, a.percent) for a in rows if a.clock == clock]
