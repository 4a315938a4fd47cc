"""TicketService: the API the ops console, channel adapters and dashboard call.

Every method runs in its own transaction and records what it did in the append-only
audit trail; every action by a person goes through `authorise`, which records refusals
too. Tickets are named by id (int) or reference ("CT-000042").
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal, Protocol

from sqlalchemy import select

from bot.clock import Clock
from bot.notify import Notifier
from bot.pseudonym import Pseudonymizer
from bot.routing import Router
from bot.settings import Settings
from bot.ticket_ops import (
    PAUSES,
    SYSTEM_ACTOR,
    TicketView,
    build_notice,
    clock_from_spec,
    pause_clocks,
    replan,
    restart_loaded_clock,
    resume_clocks,
    shift_for_recompute,
    stop_clocks,
)
from classifiers.taxonomy import Category
from classifiers.verdict import Verdict
from storage.database import Database
from storage.errors import InvalidState, NotFound
from storage.models import (
    ClockState,
    DraftStatus,
    Evidence,
    Outbox,
    OutboxStatus,
    ReplyDraft,
    SlaClock,
    Ticket,
    TicketStatus,
    parse_reference,
)
from storage.repositories import Repositories, TicketFilter

log = logging.getLogger(__name__)

Role = Literal["agent", "manager", "system"]
ROLE_RANK: dict[str, int] = {"agent": 1, "manager": 2, "system": 3}
OUTBOX_BACKOFF = (30.0, 120.0, 600.0, 1800.0, 3600.0)  # seconds; the last one repeats
OUTBOX_LEASE = timedelta(minutes=2)
NEXT_RESPONSE = "next_response"
FIRST_RESPONSE = "first_response"
# Moving a ticket to another jurisdiction moves its statutory deadlines: a manager's call.
JURISDICTION_ROLE: Role = "manager"


class ServiceError(Exception):
    """Base class for refusals the caller should show to the person acting."""


class NotAuthorised(ServiceError):
    pass


class DraftBlocked(ServiceError):
    pass


def permits(actor: Actor | None, need: Role) -> bool:
    """Whether `actor`'s role suffices for an action needing `need` (no audit: for UIs
    deciding what to show; acting still goes through `TicketService.authorise`)."""
    return actor is not None and ROLE_RANK[actor.role] >= ROLE_RANK[need]


class ReplyChecker(Protocol):
    """The reply guard port (classifiers.guard.ReplyGuard satisfies it)."""

    def check(
        self,
        text: str,
        lang: str | None = None,
        jurisdiction: str | None = None,
        public: bool = False,
    ) -> Verdict: ...


@dataclass(frozen=True, slots=True)
class Actor:
    id: str  # "tg:<user id>", "web:<name>", or "system"
    role: Role

    @classmethod
    def system(cls) -> Actor:
        return cls(SYSTEM_ACTOR, "system")


@dataclass(frozen=True, slots=True)
class ClockInfo:
    key: str
    kind: str
    state: str
    started_at: datetime
    deadline: datetime
    warn_at: datetime
    label: str


@dataclass(frozen=True, slots=True)
class TicketSummary:
    id: int
    reference: str
    external_ids: tuple[str, ...]
    customer: str  # pseudonym
    channel: str
    language: str
    category: str
    severity: str
    priority: str
    jurisdiction: str
    playbook: str
    queue: str
    status: str
    assignee: str | None
    confidence: float
    needs_review: bool
    opened_at: datetime
    clocks: tuple[ClockInfo, ...]

    @property
    def next_deadline(self) -> datetime | None:
        live = [c.deadline for c in self.clocks if c.state in ("running", "warned")]
        return min(live) if live else None

    @property
    def breached(self) -> bool:
        return any(c.state == ClockState.BREACHED.value for c in self.clocks)


@dataclass(frozen=True, slots=True)
class MessageInfo:
    id: int
    channel: str
    external_id: str
    text: str
    sent_at: datetime
    language: str | None
    category: str | None


@dataclass(frozen=True, slots=True)
class EventInfo:
    at: datetime
    actor: str
    action: str
    payload: dict[str, Any]


@dataclass(frozen=True, slots=True)
class DraftInfo:
    id: int
    ticket_id: int
    author: str
    text: str
    public: bool
    allowed: bool
    status: str
    verdict: dict[str, Any]
    override_reason: str | None
    overridden_by: str | None


@dataclass(frozen=True, slots=True)
class TicketDetail:
    summary: TicketSummary
    messages: tuple[MessageInfo, ...]
    events: tuple[EventInfo, ...]
    drafts: tuple[DraftInfo, ...]
    evidence: dict[str, str | None]
    steps: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OutboundItem:
    id: int
    ticket_id: int | None
    channel: str
    recipient: str
    text: str
    public: bool
    reply_to: str | None
    attempts: int


@dataclass(frozen=True, slots=True)
class Stats:
    by_category: dict[str, int]
    by_language: dict[str, int]
    by_day: dict[str, int]  # ISO date (UTC) -> tickets opened
    sla_attainment_by_queue: dict[str, float]  # met / (met + breached)
    sla_attainment_by_playbook: dict[str, float]
    breaches: int
    blocked_drafts_by_claim: dict[str, int]
    open_tickets: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def verdict_json(verdict: Verdict) -> dict[str, Any]:
    return {
        "allowed": verdict.allowed,
        "language": verdict.language,
        "violations": [
            {
                "claim": v.claim.value,
                "start": v.start,
                "end": v.end,
                "reason": v.reason,
                "suggestion": v.suggestion,
            }
            for v in verdict.violations
        ],
    }


def outbox_backoff(attempts: int) -> timedelta:
    """Delay before retry number `attempts` (1-based) of a failed send."""
    return timedelta(seconds=OUTBOX_BACKOFF[min(attempts, len(OUTBOX_BACKOFF)) - 1])


def _clock_info(clock: SlaClock) -> ClockInfo:
    return ClockInfo(
        key=clock.key,
        kind=clock.kind,
        state=clock.state,
        started_at=clock.started_at,
        deadline=clock.deadline,
        warn_at=clock.warn_at,
        label=str(clock.plan.get("label", clock.kind)),
    )


def _urgency(summary: TicketSummary) -> tuple[int, datetime | str, str, int]:
    """Breached first, then the nearest live deadline, then priority (P1 first)."""
    deadline = summary.next_deadline
    if summary.breached:
        return (0, deadline or summary.opened_at, summary.priority, summary.id)
    if deadline is not None:
        return (1, deadline, summary.priority, summary.id)
    return (2, summary.opened_at, summary.priority, summary.id)


class TicketService:
    def __init__(
        self,
        database: Database,
        router: Router,
        notifier: Notifier,
        clock: Clock,
        settings: Settings,
        *,
        pseudonymizer: Pseudonymizer | None = None,
        guard: ReplyChecker | None = None,
    ) -> None:
        self._db = database
        self._router = router
        self._notifier = notifier
        self._clock = clock
        self._settings = settings
        self._pseudonymizer = pseudonymizer
        self._guard = guard

    # identity and authorisation ---------------------------------------------

    async def actor_for_telegram(self, user_id: int) -> Actor | None:
        """Role of a Telegram user: the agents table first, then the settings lists."""
        async with self._db.transaction() as session:
            agent = await Repositories(session).agent(user_id)
        if agent is not None:
            if not agent.active:
                return None
            return Actor(f"tg:{user_id}", "manager" if agent.role == "manager" else "agent")
        if user_id in self._settings.telegram_managers:
            return Actor(f"tg:{user_id}", "manager")
        if user_id in self._settings.telegram_agents:
            return Actor(f"tg:{user_id}", "agent")
        return None

    async def set_agent(
        self, user_id: int, role: Role, display_name: str | None = None, *, active: bool = True
    ) -> None:
        if role not in ("agent", "manager"):
            raise ValueError(f"role must be agent or manager, got {role!r}")
        async with self._db.transaction() as session:
            await Repositories(session).upsert_agent(user_id, role, display_name, active)

    async def authorise(
        self, actor: Actor | None, action: str, ticket: int | str | None, *, need: Role = "agent"
    ) -> Actor:
        """Return the actor if its role suffices, else audit the refusal and raise."""
        if actor is not None and permits(actor, need):
            return actor
        ticket_id = await self._resolve_id(ticket) if ticket is not None else None
        async with self._db.transaction() as session:
            await Repositories(session).record_event(
                ticket_id=ticket_id,
                actor=actor.id if actor else "unknown",
                action="refused",
                at=self._clock.now(),
                payload={"attempted": action, "needs": need, "role": actor.role if actor else None},
            )
        who = actor.id if actor else "an unknown user"
        raise NotAuthorised(f"{who} may not {action}: it needs the {need} role")

    async def _resolve_id(self, ticket: int | str) -> int:
        if isinstance(ticket, int):
            return ticket
        parsed = parse_reference(ticket)
        if parsed is None:
            raise NotFound(f"{ticket!r} is not a ticket reference (expected e.g. CT-000042)")
        return parsed

    # reading ------------------------------------------------------------------

    async def _summaries(
        self, repos: Repositories, tickets: Sequence[Ticket]
    ) -> list[TicketSummary]:
        ids = [t.id for t in tickets]
        clocks = await repos.clocks_for(ids)
        external = await repos.external_ids_by_ticket(ids)
        customers = await repos.customers_by_id(t.customer_id for t in tickets)
        return [
            TicketSummary(
                id=t.id,
                reference=t.reference,
                external_ids=tuple(external[t.id]),
                customer=customers[t.customer_id].pseudonym,
                channel=t.channel,
                language=t.language,
                category=t.category,
                severity=t.severity,
                priority=t.priority,
                jurisdiction=t.jurisdiction,
                playbook=t.playbook,
                queue=t.queue,
                status=t.status,
                assignee=t.assignee,
                confidence=t.confidence,
                needs_review=t.needs_review,
                opened_at=t.opened_at,
                clocks=tuple(_clock_info(c) for c in clocks[t.id]),
            )
            for t in tickets
        ]

    async def list_tickets(self, filters: TicketFilter | None = None) -> list[TicketSummary]:
        """Tickets in id order (the `caretriage tickets` listing)."""
        async with self._db.transaction() as session:
            repos = Repositories(session)
            return await self._summaries(repos, await repos.find_tickets(filters or TicketFilter()))

    async def list_queue(self, filters: TicketFilter | None = None) -> list[TicketSummary]:
        """Active tickets (unless filters say otherwise) sorted by SLA urgency."""
        filters = filters or TicketFilter(statuses=("open", "waiting_customer"))
        return sorted(await self.list_tickets(filters), key=_urgency)

    async def get_ticket(self, ticket: int | str) -> TicketDetail:
        ticket_id = await self._resolve_id(ticket)
        async with self._db.transaction() as session:
            repos = Repositories(session)
            row = await repos.ticket(ticket_id)
            [summary] = await self._summaries(repos, [row])
            messages = await repos.ticket_messages(ticket_id)
            events = await repos.ticket_events(ticket_id)
            drafts = await repos.ticket_drafts(ticket_id)
            evidence = await repos.ticket_evidence(ticket_id)
        decision = self._router.route(
            row.category, row.severity, row.jurisdiction, opened_at=row.opened_at
        )
        return TicketDetail(
            summary=summary,
            messages=tuple(
                MessageInfo(
                    m.id, m.channel, m.external_id, m.text, m.sent_at, m.language, m.category
                )
                for m in messages
            ),
            events=tuple(EventInfo(e.at, e.actor, e.action, dict(e.payload)) for e in events),
            drafts=tuple(self._draft_info(d) for d in drafts),
            evidence={e.key: e.value if e.value is not None else e.file_ref for e in evidence},
            steps=decision.steps,
        )

    async def customer_open_tickets(self, channel: str, author: str) -> list[TicketSummary]:
        """The customer's active tickets (e.g. to answer "what is the status of my case")."""
        if self._pseudonymizer is None:
            raise ServiceError("no pseudonym key is configured: customers cannot be looked up")
        pseudonym = self._pseudonymizer.pseudonym(channel, author)
        async with self._db.transaction() as session:
            repos = Repositories(session)
            customer = await repos.customer_by_pseudonym(pseudonym)
            if customer is None:
                return []
            tickets = await repos.customer_tickets(customer.id, active_only=True)
            return await self._summaries(repos, tickets)

    # ticket actions -----------------------------------------------------------

    async def _event(
        self, repos: Repositories, ticket: Ticket, actor: Actor, action: str, **payload: Any
    ) -> None:
        now = self._clock.now()
        ticket.updated_at = now
        await repos.record_event(
            ticket_id=ticket.id, actor=actor.id, action=action, at=now, payload=payload
        )

    async def _updated(self, ticket_id: int) -> None:
        async with self._db.transaction() as session:
            repos = Repositories(session)
            ticket = await repos.ticket(ticket_id)
            view = await TicketView.load(repos, ticket)
        try:
            await self._notifier.ticket_updated(build_notice(view, masked_text="", steps=()))
        except Exception:
            log.exception("notifying about an update of %s failed", ticket.reference)

    async def claim(self, ticket: int | str, actor: Actor | None) -> TicketSummary:
        who = await self.authorise(actor, "claim a ticket", ticket)
        ticket_id = await self._resolve_id(ticket)
        async with self._db.transaction() as session:
            repos = Repositories(session)
            row = await repos.ticket(ticket_id, for_update=True)
            self._require_active(row)
            previous = row.assignee
            row.assignee = who.id
            await self._event(repos, row, who, "claimed", previous=previous)
            [summary] = await self._summaries(repos, [row])
        await self._updated(ticket_id)
        return summary

    async def escalate(
        self, ticket: int | str, actor: Actor | None, reason: str = ""
    ) -> str | None:
        """Move the ticket one step up its playbook's escalation chain; returns the target."""
        who = await self.authorise(actor, "escalate a ticket", ticket)
        ticket_id = await self._resolve_id(ticket)
        async with self._db.transaction() as session:
            repos = Repositories(session)
            row = await repos.ticket(ticket_id, for_update=True)
            self._require_active(row)
            chain = self._router.escalation_chain(row.playbook)
            target = chain[min(row.escalation_level, len(chain) - 1)] if chain else None
            row.escalation_level += 1
            await self._event(repos, row, who, "escalated", to=target, reason=reason)
        await self._updated(ticket_id)
        return target

    async def resolve(self, ticket: int | str, actor: Actor | None, note: str = "") -> None:
        await self._finish(ticket, actor, TicketStatus.RESOLVED, note)

    async def close(self, ticket: int | str, actor: Actor | None, note: str = "") -> None:
        await self._finish(ticket, actor, TicketStatus.CLOSED, note)

    async def _finish(
        self, ticket: int | str, actor: Actor | None, status: TicketStatus, note: str
    ) -> None:
        who = await self.authorise(actor, f"mark a ticket {status.value}", ticket)
        ticket_id = await self._resolve_id(ticket)
        async with self._db.transaction() as session:
            repos = Repositories(session)
            row = await repos.ticket(ticket_id, for_update=True)
            if row.status == TicketStatus.CLOSED.value:
                raise InvalidState(f"ticket {row.reference} is already closed")
            now = self._clock.now()
            stopped = await stop_clocks(repos, row, None, now, state=ClockState.MET)
            row.status = status.value
            if status is TicketStatus.RESOLVED:
                row.resolved_at = now
            else:
                row.closed_at = now
            await self._event(repos, row, who, status.value, note=note, clocks_met=stopped)
            if not await repos.customer_tickets(row.customer_id, active_only=True):
                # Data minimisation: the display name is only kept while a case is open.
                customers = await repos.customers_by_id([row.customer_id])
                customers[row.customer_id].display_name = None
        await self._updated(ticket_id)

    async def recategorise(
        self, ticket: int | str, category: str, actor: Actor | None, *, reason: str = ""
    ) -> TicketSummary:
        """Change the category; playbook, queue, priority and clocks are recomputed (clocks
        keep their start and pauses; clocks the new playbook lacks are cancelled)."""
        try:
            Category(category)
        except ValueError:
            known = ", ".join(c.value for c in Category)
            raise ValueError(f"unknown category {category!r}; expected one of {known}") from None
        who = await self.authorise(actor, "re-categorise a ticket", ticket)
        return await self._reroute(ticket, who, category=category, reason=reason)

    async def set_jurisdiction(
        self, ticket: int | str, jurisdiction: str, actor: Actor | None, *, reason: str
    ) -> TicketSummary:
        """Override the ticket's jurisdiction (managers; a reason is required for the audit
        trail). Legal clocks are recomputed from the original receipt; clocks the new
        jurisdiction lacks are cancelled, and ones it adds back are restarted. A code the
        table lacks raises playbooks' UnknownJurisdictionError (while routing, inside the
        transaction: nothing is changed)."""
        # Authorise before checking the input, so every attempt by a role that may not do
        # this is audited, however incomplete.
        who = await self.authorise(
            actor, "change a ticket's jurisdiction", ticket, need=JURISDICTION_ROLE
        )
        if not reason.strip():
            raise ValueError("a jurisdiction change needs a reason")
        return await self._reroute(ticket, who, jurisdiction=jurisdiction, reason=reason)

    async def _reroute(
        self,
        ticket: int | str,
        who: Actor,
        *,
        category: str | None = None,
        jurisdiction: str | None = None,
        reason: str,
    ) -> TicketSummary:
        ticket_id = await self._resolve_id(ticket)
        async with self._db.transaction() as session:
            repos = Repositories(session)
            row = await repos.ticket(ticket_id, for_update=True)
            self._require_active(row)
            before = {
                "category": row.category,
                "jurisdiction": row.jurisdiction,
                "playbook": row.playbook,
                "queue": row.queue,
            }
            if category is not None:
                row.category = category
                row.needs_review = False
            if jurisdiction is not None:
                row.jurisdiction = jurisdiction
                row.jurisdiction_overridden = True
            decision, clocks = await replan(repos, self._router, row)
            now = self._clock.now()
            row.playbook, row.queue, row.priority = (
                decision.playbook,
                decision.queue,
                decision.priority,
            )
            existing = {clock.key: clock for clock in clocks}
            for spec in decision.clocks:
                clock = existing.pop(spec.key, None)
                if (
                    clock is not None
                    and clock.state == ClockState.CANCELLED.value
                    and spec.kind != NEXT_RESPONSE
                ):
                    # Cancelled by an earlier reroute (e.g. EU -> CL -> EU): the duty applies
                    # again, counted from the original start, so the clock runs again.
                    pauses = clock.plan.get(PAUSES, [])
                    restart_loaded_clock(clock, row, spec)
                    clock.plan = {**clock.plan, PAUSES: pauses}
                elif clock is not None:
                    shift_for_recompute(clock, spec, now)
                elif spec.kind != NEXT_RESPONSE:
                    await repos.add_clock(row, clock_from_spec(spec))
            cancelled = [key for key, clock in existing.items() if ClockState(clock.state).is_live]
            await stop_clocks(repos, row, tuple(cancelled), now, state=ClockState.CANCELLED)
            after = {
                "category": row.category,
                "jurisdiction": row.jurisdiction,
                "playbook": row.playbook,
                "queue": row.queue,
            }
            await session.flush()
            refreshed = (await repos.clocks_for([row.id]))[row.id]
            await self._event(
                repos,
                row,
                who,
                "rerouted",
                before=before,
                after=after,
                reason=reason,
                cancelled=cancelled,
                clocks={c.key: c.deadline.isoformat() for c in refreshed if c.state != "cancelled"},
            )
            [summary] = await self._summaries(repos, [row])
        await self._updated(ticket_id)
        return summary

    async def record_evidence(
        self,
        ticket: int | str,
        key: str,
        value: str | None,
        actor: Actor | None,
        *,
        file_ref: str | None = None,
    ) -> None:
        """Store (or replace) one piece of evidence; `actor` None means the customer's DM."""
        if not key.strip():
            raise ValueError("evidence key must not be empty")
        if value is None and file_ref is None:
            raise ValueError("evidence needs a value or a file reference")
        who = actor or Actor("customer", "agent")
        ticket_id = await self._resolve_id(ticket)
        async with self._db.transaction() as session:
            repos = Repositories(session)
            row = await repos.ticket(ticket_id)
            now = self._clock.now()
            item = await repos.evidence_item(ticket_id, key)
            if item is None:
                await repos.add(
                    Evidence(
                        ticket_id=ticket_id,
                        key=key,
                        value=value,
                        file_ref=file_ref,
                        recorded_by=who.id,
                        recorded_at=now,
                    )
                )
            else:
                item.value, item.file_ref = value, file_ref
                item.recorded_by, item.recorded_at = who.id, now
            await self._event(
                repos, row, who, "evidence_recorded", key=key, file=file_ref is not None
            )

    async def wait_for_customer(
        self, ticket: int | str, actor: Actor | None, reason: str = ""
    ) -> list[str]:
        """Waiting for the customer (e.g. an ID check): pausable clocks stop ticking."""
        who = await self.authorise(actor, "pause a ticket", ticket)
        ticket_id = await self._resolve_id(ticket)
        async with self._db.transaction() as session:
            repos = Repositories(session)
            row = await repos.ticket(ticket_id, for_update=True)
            if row.status != TicketStatus.OPEN.value:
                raise InvalidState(f"ticket {row.reference} is {row.status}, not open")
            paused = await pause_clocks(repos, row, self._clock.now())
            row.status = TicketStatus.WAITING_CUSTOMER.value
            await self._event(repos, row, who, "waiting_customer", reason=reason, paused=paused)
        await self._updated(ticket_id)
        return paused

    async def resume(self, ticket: int | str, actor: Actor | None) -> list[str]:
        who = await self.authorise(actor, "resume a ticket", ticket)
        ticket_id = await self._resolve_id(ticket)
        async with self._db.transaction() as session:
            repos = Repositories(session)
            row = await repos.ticket(ticket_id, for_update=True)
            if row.status != TicketStatus.WAITING_CUSTOMER.value:
                raise InvalidState(f"ticket {row.reference} is {row.status}, not waiting")
            row.status = TicketStatus.OPEN.value
            resumed = await resume_clocks(repos, self._router, row, self._clock.now(), actor=who.id)
            await self._event(repos, row, who, "resumed", clocks=resumed)
        await self._updated(ticket_id)
        return resumed

    @staticmethod
    def _require_active(row: Ticket) -> None:
        if not TicketStatus(row.status).is_active:
            raise InvalidState(f"ticket {row.reference} is {row.status}")

    # drafts and replies ---------------------------------------------------------

    @staticmethod
    def _draft_info(draft: ReplyDraft) -> DraftInfo:
        return DraftInfo(
            id=draft.id,
            ticket_id=draft.ticket_id,
            author=draft.author,
            text=draft.text,
            public=draft.public,
            allowed=draft.allowed,
            status=draft.status,
            verdict=dict(draft.verdict),
            override_reason=draft.override_reason,
            overridden_by=draft.overridden_by,
        )

    async def submit_draft(
        self, ticket: int | str, text: str, actor: Actor | None, *, public: bool = False
    ) -> DraftInfo:
        """Check a reply with the guard and store it with its verdict (blocked or pending)."""
        who = await self.authorise(actor, "draft a reply", ticket)
        if self._guard is None:
            raise ServiceError("no reply guard is configured: drafts cannot be checked")
        if not text.strip():
            raise ValueError("a reply draft must not be empty")
        ticket_id = await self._resolve_id(ticket)
        async with self._db.transaction() as session:
            row = await Repositories(session).ticket(ticket_id)
            language, jurisdiction = row.language, row.jurisdiction
        verdict = self._guard.check(
            text,
            lang=None if language == "und" else language,
            jurisdiction=jurisdiction,
            public=public,
        )
        async with self._db.transaction() as session:
            repos = Repositories(session)
            row = await repos.ticket(ticket_id)
            now = self._clock.now()
            draft = ReplyDraft(
                ticket_id=ticket_id,
                author=who.id,
                text=text,
                public=public,
                language=verdict.language,
                verdict=verdict_json(verdict),
                allowed=verdict.allowed,
                status=(DraftStatus.PENDING if verdict.allowed else DraftStatus.BLOCKED).value,
                created_at=now,
                updated_at=now,
            )
            await repos.add(draft)
            await self._event(
                repos,
                row,
                who,
                "draft_checked" if verdict.allowed else "draft_blocked",
                draft_id=draft.id,
                public=public,
                claims=sorted({v.claim.value for v in verdict.violations}),
            )
            return self._draft_info(draft)

    async def override_draft(self, draft_id: int, reason: str, actor: Actor | None) -> DraftInfo:
        """A manager releases a blocked draft, with a reason (audited)."""
        if not reason.strip():
            raise ValueError("an override needs a reason")
        async with self._db.transaction() as session:
            ticket_id = (await Repositories(session).draft(draft_id)).ticket_id
        who = await self.authorise(actor, "override a blocked draft", ticket_id, need="manager")
        async with self._db.transaction() as session:
            repos = Repositories(session)
            draft = await repos.draft(draft_id)
            if draft.status != DraftStatus.BLOCKED.value:
                raise InvalidState(f"draft {draft_id} is {draft.status}, not blocked")
            draft.status = DraftStatus.PENDING.value
            draft.override_reason = reason
            draft.overridden_by = who.id
            draft.updated_at = self._clock.now()
            row = await repos.ticket(draft.ticket_id)
            claims = sorted({v["claim"] for v in draft.verdict.get("violations", [])})
            await self._event(
                repos, row, who, "draft_overridden", draft_id=draft_id, reason=reason, claims=claims
            )
            return self._draft_info(draft)

    async def send_draft(self, draft_id: int, actor: Actor | None) -> int:
        """Queue an allowed (or overridden) draft for sending; returns the outbox id."""
        async with self._db.transaction() as session:
            ticket_id = (await Repositories(session).draft(draft_id)).ticket_id
        who = await self.authorise(actor, "send a reply", ticket_id)
        async with self._db.transaction() as session:
            repos = Repositories(session)
            draft = await repos.draft(draft_id)
            if draft.status == DraftStatus.BLOCKED.value:
                raise DraftBlocked(
                    f"draft {draft_id} was blocked by the reply guard; "
                    "rewrite it or ask a manager to override"
                )
            if draft.status != DraftStatus.PENDING.value or draft.outbox_id is not None:
                raise InvalidState(f"draft {draft_id} is {draft.status} and already queued")
            row = await repos.ticket(draft.ticket_id)
            reply_to = await self._last_customer_message(repos, row.id) if draft.public else None
            recipient = row.chat_id or ""
            if not recipient and not draft.public:
                raise InvalidState(f"ticket {row.reference} has no private chat to reply in")
            item = self._outbox_row(
                row.id, row.channel, recipient, draft.text, draft.public, reply_to
            )
            await repos.add(item)
            draft.outbox_id = item.id
            draft.updated_at = self._clock.now()
            await self._event(repos, row, who, "reply_queued", draft_id=draft_id, outbox_id=item.id)
            return item.id

    async def _last_customer_message(self, repos: Repositories, ticket_id: int) -> str | None:
        messages = await repos.ticket_messages(ticket_id)
        return messages[-1].external_id if messages else None

    def _outbox_row(
        self,
        ticket_id: int | None,
        channel: str,
        recipient: str,
        text: str,
        public: bool,
        reply_to: str | None,
    ) -> Outbox:
        now = self._clock.now()
        return Outbox(
            ticket_id=ticket_id,
            channel=channel,
            recipient=recipient,
            text=text,
            public=public,
            reply_to=reply_to,
            status=OutboxStatus.PENDING.value,
            attempts=0,
            next_attempt_at=now,
            created_at=now,
        )

    async def enqueue_outbound(
        self,
        channel: str,
        recipient: str,
        text: str,
        *,
        ticket: int | str | None = None,
        public: bool = False,
        reply_to: str | None = None,
    ) -> int:
        """Queue a system message (acknowledgement, evidence request); returns its id."""
        ticket_id = await self._resolve_id(ticket) if ticket is not None else None
        async with self._db.transaction() as session:
            item = self._outbox_row(ticket_id, channel, recipient, text, public, reply_to)
            await Repositories(session).add(item)
            return item.id

    async def claim_due_outbound(
        self, worker: str, *, limit: int = 20, channel: str | None = None
    ) -> list[OutboundItem]:
        """Lease due pending messages for sending (safe with several workers)."""
        now = self._clock.now()
        async with self._db.transaction() as session:
            repos = Repositories(session)
            ids = await repos.claim_due_outbox(
                worker=worker, now=now, lease_until=now + OUTBOX_LEASE, limit=limit, channel=channel
            )
            items = await repos.outbox_items(ids)
        return [
            OutboundItem(
                i.id, i.ticket_id, i.channel, i.recipient, i.text, i.public, i.reply_to, i.attempts
            )
            for i in items
        ]

    async def mark_sent(self, outbox_id: int, external_id: str | None = None) -> None:
        """The channel accepted the message: a reply stops the response clocks."""
        async with self._db.transaction() as session:
            repos = Repositories(session)
            item = await repos.outbox_item(outbox_id)
            if item.status == OutboxStatus.SENT.value:
                return
            now = self._clock.now()
            item.status = OutboxStatus.SENT.value
            item.sent_at = now
            item.external_id = external_id
            item.claimed_by = item.claim_until = None
            item.attempts += 1
            if item.ticket_id is None:
                return
            row = await repos.ticket(item.ticket_id)
            drafts = [d for d in await repos.ticket_drafts(row.id) if d.outbox_id == item.id]
            for draft in drafts:
                draft.status = DraftStatus.SENT.value
                draft.updated_at = now
            met: list[str] = []
            if drafts and TicketStatus(row.status).is_active:
                # An agent's reply answers the customer: first and next response are met.
                met = await stop_clocks(
                    repos, row, (FIRST_RESPONSE, NEXT_RESPONSE), now, state=ClockState.MET
                )
                if row.first_response_at is None:
                    row.first_response_at = now
            await repos.record_event(
                ticket_id=row.id,
                actor=SYSTEM_ACTOR,
                action="reply_sent",
                at=now,
                payload={"outbox_id": item.id, "external_id": external_id, "clocks_met": met},
            )

    async def mark_failed(self, outbox_id: int, error: str) -> datetime:
        """The send failed: the message stays pending and is retried later (returned)."""
        async with self._db.transaction() as session:
            repos = Repositories(session)
            item = await repos.outbox_item(outbox_id)
            if item.status == OutboxStatus.SENT.value:
                raise InvalidState(f"outbox message {outbox_id} was already sent")
            item.attempts += 1
            item.last_error = error[:1000]
            item.next_attempt_at = self._clock.now() + outbox_backoff(item.attempts)
            item.claimed_by = item.claim_until = None
            if item.ticket_id is not None:
                await repos.record_event(
                    ticket_id=item.ticket_id,
                    actor=SYSTEM_ACTOR,
                    action="send_failed",
                    at=self._clock.now(),
                    payload={"outbox_id": item.id, "attempts": item.attempts, "error": error[:200]},
                )
            return item.next_attempt_at

    # channel cursors ---------------------------------------------------------------

    async def get_cursor(self, channel: str, account: str, stream: str) -> str | None:
        async with self._db.transaction() as session:
            return await Repositories(session).cursor(channel, account, stream)

    async def set_cursor(self, channel: str, account: str, stream: str, cursor: str) -> None:
        async with self._db.transaction() as session:
            await Repositories(session).set_cursor(
                channel, account, stream, cursor, self._clock.now()
            )

    # dashboards ----------------------------------------------------------------------

    async def stats(self, since: datetime, until: datetime | None = None) -> Stats:
        """Volumes of tickets opened in [since, until), SLA attainment of the clocks that
        finished (met or breached) on those tickets, and blocked drafts by claim."""
        until = until or self._clock.now()
        async with self._db.transaction() as session:
            tickets = (
                await session.execute(
                    select(
                        Ticket.id,
                        Ticket.category,
                        Ticket.language,
                        Ticket.opened_at,
                        Ticket.queue,
                        Ticket.playbook,
                        Ticket.status,
                    ).where(Ticket.opened_at >= since, Ticket.opened_at < until)
                )
            ).all()
            ids = [t.id for t in tickets]
            clocks = (
                (
                    await session.execute(
                        select(SlaClock.ticket_id, SlaClock.state).where(
                            SlaClock.ticket_id.in_(ids)
                        )
                    )
                ).all()
                if ids
                else []
            )
            blocked = (
                (
                    await session.execute(
                        select(ReplyDraft.verdict).where(
                            ReplyDraft.allowed.is_(False),
                            ReplyDraft.created_at >= since,
                            ReplyDraft.created_at < until,
                        )
                    )
                )
                .scalars()
                .all()
            )
        place = {t.id: (t.queue, t.playbook) for t in tickets}
        met: dict[str, Counter[str]] = {"queue": Counter(), "playbook": Counter()}
        done: dict[str, Counter[str]] = {"queue": Counter(), "playbook": Counter()}
        breaches = 0
        for ticket_id, state in clocks:
            if state not in (ClockState.MET.value, ClockState.BREACHED.value):
                continue
            queue, playbook = place[ticket_id]
            done["queue"][queue] += 1
            done["playbook"][playbook] += 1
            if state == ClockState.MET.value:
                met["queue"][queue] += 1
                met["playbook"][playbook] += 1
            else:
                breaches += 1
        claims: Counter[str] = Counter()
        for verdict in blocked:
            for claim in {v["claim"] for v in verdict.get("violations", [])}:
                claims[claim] += 1
        by_day: defaultdict[str, int] = defaultdict(int)
        for t in tickets:
            by_day[t.opened_at.date().isoformat()] += 1
        return Stats(
            by_category=dict(Counter(t.category for t in tickets)),
            by_language=dict(Counter(t.language for t in tickets)),
            by_day=dict(sorted(by_day.items())),
            sla_attainment_by_queue={k: met["queue"][k] / n for k, n in done["queue"].items()},
            sla_attainment_by_playbook={
                k: met["playbook"][k] / n for k, n in done["playbook"].items()
            },
            breaches=breaches,
            blocked_drafts_by_claim=dict(claims),
            open_tickets=sum(1 for t in tickets if TicketStatus(t.status).is_active),
        )
