"""Clock and ticket operations shared by the pipeline, the ticket service and the SLA engine.

Each function works inside the caller's transaction (a `Repositories`); none commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.notify import ClockLine, TicketNotice
from bot.routing import ClockSpec, PauseInterval, Router, RoutingDecision
from storage.errors import InvalidState
from storage.models import ClockState, SlaClock, Ticket, TicketStatus, ticket_reference
from storage.repositories import Repositories

SYSTEM_ACTOR = "system"
PAUSES = "pauses"  # key in SlaClock.plan: closed pauses as [[start ISO, end ISO], ...]


def stored_pauses(clock: SlaClock) -> list[PauseInterval]:
    return [
        (datetime.fromisoformat(start), datetime.fromisoformat(end))
        for start, end in clock.plan.get(PAUSES, [])
    ]


async def replan(
    repos: Repositories, router: Router, ticket: Ticket
) -> tuple[RoutingDecision, list[SlaClock]]:
    """Route the ticket again keeping each clock's start and its closed pauses."""
    clocks = (await repos.clocks_for([ticket.id]))[ticket.id]
    decision = router.route(
        ticket.category,
        ticket.severity,
        ticket.jurisdiction,
        opened_at=ticket.opened_at,
        starts={clock.key: clock.started_at for clock in clocks},
        pauses={clock.key: stored_pauses(clock) for clock in clocks},
    )
    return decision, clocks


def clock_from_spec(spec: ClockSpec) -> SlaClock:
    return SlaClock(
        key=spec.key,
        kind=spec.kind,
        started_at=spec.started_at,
        deadline=spec.deadline,
        warn_at=spec.warn_at,
        pausable=spec.pausable,
        state=ClockState.RUNNING.value,
        paused_seconds=0.0,
        plan=dict(spec.plan),
    )


def _reset(clock: SlaClock, spec: ClockSpec) -> None:
    clock.started_at = spec.started_at
    clock.deadline = spec.deadline
    clock.warn_at = spec.warn_at
    clock.pausable = spec.pausable
    clock.plan = dict(spec.plan)
    clock.state = ClockState.RUNNING.value
    clock.paused_at = None
    clock.paused_seconds = 0.0
    clock.claimed_by = None
    clock.claim_until = None
    clock.warning_fired_at = None
    clock.breach_fired_at = None
    clock.stopped_at = None


async def restart_clock(repos: Repositories, ticket: Ticket, spec: ClockSpec) -> SlaClock:
    """Start the clock of this kind afresh (a new row, or the existing row reset)."""
    existing = await repos.clock(ticket.id, spec.key)
    if existing is None:
        return await repos.add_clock(ticket, clock_from_spec(spec))
    restart_loaded_clock(existing, ticket, spec)
    return existing


def restart_loaded_clock(existing: SlaClock | None, ticket: Ticket, spec: ClockSpec) -> SlaClock:
    """`restart_clock` over a clock the caller already loaded (or knows is absent): resets
    it in place, or returns a new clock the caller inserts together with others."""
    if not TicketStatus(ticket.status).is_active:
        raise InvalidState(
            f"ticket {ticket.reference} is {ticket.status}: no SLA clock can be restarted on it"
        )
    if existing is None:
        return clock_from_spec(spec)
    _reset(existing, spec)
    return existing


def shift_for_recompute(clock: SlaClock, spec: ClockSpec, now: datetime) -> bool:
    """Apply a recomputed deadline to a live clock, keeping its start and pauses.

    Returns True when something changed. A clock whose new deadline has already passed
    stays due (the SLA engine fires its breach); one moved later is re-armed.
    """
    if not ClockState(clock.state).is_live:
        return False
    changed = clock.deadline != spec.deadline or clock.warn_at != spec.warn_at
    clock.deadline = spec.deadline
    clock.warn_at = spec.warn_at
    clock.pausable = spec.pausable
    clock.plan = {**spec.plan, PAUSES: clock.plan.get(PAUSES, [])}
    if clock.state == ClockState.WARNED.value and spec.warn_at > now:
        clock.state = ClockState.RUNNING.value
        clock.warning_fired_at = None
    clock.claimed_by = None
    clock.claim_until = None
    return changed


async def pause_clocks(repos: Repositories, ticket: Ticket, now: datetime) -> list[str]:
    """Pause the ticket's pausable running clocks; returns the kinds paused."""
    paused: list[str] = []
    for clock in (await repos.clocks_for([ticket.id]))[ticket.id]:
        ticking = clock.state in (ClockState.RUNNING.value, ClockState.WARNED.value)
        if clock.pausable and ticking and clock.breach_fired_at is None:
            clock.state = ClockState.PAUSED.value
            clock.paused_at = now
            clock.claimed_by = None
            clock.claim_until = None
            paused.append(clock.key)
    return paused


async def resume_clocks(
    repos: Repositories, router: Router, ticket: Ticket, now: datetime, *, actor: str
) -> list[str]:
    """Resume paused clocks; the playbook's SLA maths pushes their deadlines back.

    The pause becomes a closed interval in the clock's plan, so a later recomputation
    (re-categorisation) still honours it. Returns the keys of the clocks resumed."""
    resumed = await resume_clocks_silently(repos, router, ticket, now)
    if not resumed:
        return []
    await repos.record_event(
        ticket_id=ticket.id,
        actor=actor,
        action="clocks_resumed",
        at=now,
        payload=resumed_payload(resumed),
    )
    return [clock.key for clock in resumed]


def resumed_payload(resumed: list[SlaClock]) -> dict[str, object]:
    return {"clocks": {clock.key: clock.deadline.isoformat() for clock in resumed}}


async def resume_clocks_silently(
    repos: Repositories, router: Router, ticket: Ticket, now: datetime
) -> list[SlaClock]:
    """`resume_clocks` without its audit event, for callers that write events in bulk
    (they record `clocks_resumed` with `resumed_payload`). Returns the clocks resumed."""
    resumed: list[SlaClock] = []
    for clock in (await repos.clocks_for([ticket.id]))[ticket.id]:
        if clock.state != ClockState.PAUSED.value or clock.paused_at is None:
            continue
        pauses = [*clock.plan.get(PAUSES, []), [clock.paused_at.isoformat(), now.isoformat()]]
        clock.plan = {**clock.plan, PAUSES: pauses}
        clock.paused_seconds += (now - clock.paused_at).total_seconds()
        clock.paused_at = None
        clock.state = (
            ClockState.WARNED.value
            if clock.warning_fired_at is not None
            else ClockState.RUNNING.value
        )
        resumed.append(clock)
    if not resumed:
        return []
    decision, _ = await replan(repos, router, ticket)
    specs = {spec.key: spec for spec in decision.clocks}
    for clock in resumed:
        spec = specs.get(clock.key)
        if spec is None:
            continue
        clock.deadline = spec.deadline
        clock.warn_at = spec.warn_at
        if clock.warning_fired_at is not None and spec.warn_at > now:
            clock.state = ClockState.RUNNING.value
            clock.warning_fired_at = None
    return resumed


async def stop_clocks(
    repos: Repositories,
    ticket: Ticket,
    kinds: tuple[str, ...] | None,
    now: datetime,
    *,
    state: ClockState,
) -> list[str]:
    """Stop live clocks (all, or the given kinds) as met or cancelled."""
    stopped: list[str] = []
    for clock in (await repos.clocks_for([ticket.id]))[ticket.id]:
        if kinds is not None and clock.kind not in kinds and clock.key not in kinds:
            continue
        if ClockState(clock.state).is_live:
            clock.state = state.value
            clock.stopped_at = now
            clock.paused_at = None
            clock.claimed_by = None
            clock.claim_until = None
            stopped.append(clock.key)
    return stopped


def clock_lines(clocks: list[SlaClock]) -> tuple[ClockLine, ...]:
    return tuple(
        ClockLine(
            kind=clock.kind,
            due_at=None if clock.state == ClockState.PAUSED.value else clock.deadline,
            state=clock.state,
        )
        for clock in clocks
    )


@dataclass(frozen=True, slots=True)
class TicketView:
    ticket: Ticket
    customer: str  # pseudonym
    clocks: tuple[SlaClock, ...]

    @classmethod
    async def load(cls, repos: Repositories, ticket: Ticket) -> TicketView:
        customers = await repos.customers_by_id([ticket.customer_id])
        clocks = (await repos.clocks_for([ticket.id]))[ticket.id]
        return cls(ticket, customers[ticket.customer_id].pseudonym, tuple(clocks))


def build_notice(view: TicketView, *, masked_text: str, steps: tuple[str, ...]) -> TicketNotice:
    return draft_notice(
        view.ticket,
        view.customer,
        list(view.clocks),
        masked_text=masked_text,
        steps=steps,
        ticket_id=view.ticket.id,
    )


def draft_notice(
    ticket: Ticket,
    customer: str,
    clocks: list[SlaClock],
    *,
    masked_text: str,
    steps: tuple[str, ...],
    ticket_id: int | None,
) -> TicketNotice:
    """The notice as the ticket and clocks stand now (values copied). A ticket not yet
    inserted has no id: pass None and `dataclasses.replace` in `ticket_id` and `reference`
    once it has one."""
    return TicketNotice(
        ticket_id=ticket_id or 0,
        reference=ticket_reference(ticket_id) if ticket_id is not None else "",
        category=ticket.category,
        severity=ticket.severity,
        priority=ticket.priority,
        language=ticket.language,
        customer=customer,
        channel=ticket.channel,
        masked_text=masked_text,
        queue=ticket.queue,
        playbook=ticket.playbook,
        confidence=ticket.confidence,
        needs_review=ticket.needs_review,
        status=ticket.status,
        clocks=clock_lines(clocks),
        steps=steps,
        assignee=ticket.assignee,
        jurisdiction=ticket.jurisdiction,
    )
