"""SLA engine: one scheduled job that fires due warnings and breaches from `sla_clocks`.

Deadlines live in the database, never in the scheduler: APScheduler only runs `tick()`
every `sla_tick_seconds` from an in-memory job store (nothing is pickled). Each tick
leases due rows with a conditional `UPDATE … RETURNING` (plus `FOR UPDATE SKIP LOCKED`
on PostgreSQL), marks the event fired only where it has not fired yet, writes the audit
event under a unique dedupe key — all in one transaction — and then tells the notifier.
So several workers, or a worker restarted after downtime, fire each event exactly once;
a crash between the commit and the notification loses that one notification, never the
recorded breach (the ticket shows it and the audit trail holds it).
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.clock import Clock
from bot.notify import Notifier, SlaNotice
from bot.routing import Router
from storage.database import Database
from storage.models import ClockState, SlaClock, Ticket, TicketStatus
from storage.repositories import Repositories

log = logging.getLogger(__name__)

SlaEvent = Literal["warning", "breach"]
SLA_ACTOR = "sla_engine"


def due_event(
    *,
    state: str,
    warn_at: datetime,
    deadline: datetime,
    warning_fired: bool,
    breach_fired: bool,
    now: datetime,
) -> SlaEvent | None:
    """Which event a clock owes at `now`. A clock already past its deadline owes only the
    breach: after downtime a stale warning would be noise."""
    if state not in (ClockState.RUNNING.value, ClockState.WARNED.value):
        return None
    if deadline <= now and not breach_fired:
        return "breach"
    if state == ClockState.RUNNING.value and warn_at <= now and not warning_fired:
        return "warning"
    return None


def escalation_target(chain: tuple[str, ...], level: int) -> str | None:
    """The chain step for a breach at escalation `level` (the last step repeats)."""
    if not chain:
        return None
    return chain[min(level, len(chain) - 1)]


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


@dataclass(frozen=True, slots=True)
class TickReport:
    warnings: int = 0
    breaches: int = 0
    cancelled: int = 0


class SlaEngine:
    def __init__(
        self,
        database: Database,
        router: Router,
        notifier: Notifier,
        clock: Clock,
        *,
        worker_id: str | None = None,
        batch_size: int = 500,
        lease: timedelta = timedelta(seconds=60),
    ) -> None:
        self._db = database
        self._router = router
        self._notifier = notifier
        self._clock = clock
        self.worker_id = worker_id or default_worker_id()
        self._batch_size = batch_size
        self._lease = lease
        self._scheduler: AsyncIOScheduler | None = None
        self._owns_scheduler = False
        self._job_id = f"sla-engine-{self.worker_id}"
        # Held by a scheduled tick; stop() takes it so no tick outlives the engine's database.
        self._ticking = asyncio.Lock()

    async def tick(self) -> TickReport:
        """Fire everything due now, batch by batch, until nothing due is left unclaimed."""
        warnings = breaches = cancelled = 0
        while True:
            now = self._clock.now()
            async with self._db.transaction() as session:
                ids = await Repositories(session).claim_due_clocks(
                    worker=self.worker_id,
                    now=now,
                    lease_until=now + self._lease,
                    limit=self._batch_size,
                )
            if not ids:
                break
            notices, dropped = await self._fire(ids, now)
            cancelled += dropped
            for notice in notices:
                if notice.event == "breach":
                    breaches += 1
                else:
                    warnings += 1
                await self._announce(notice)
            if len(ids) < self._batch_size:
                break
        return TickReport(warnings=warnings, breaches=breaches, cancelled=cancelled)

    async def _fire(self, ids: list[int], now: datetime) -> tuple[list[SlaNotice], int]:
        async with self._db.transaction() as session:
            repos = Repositories(session)
            pairs = await repos.claimed_clocks(ids, self.worker_id)
            by_event: dict[SlaEvent, list[tuple[SlaClock, Ticket]]] = {
                "warning": [],
                "breach": [],
            }
            dropped = 0
            for clock, ticket in pairs:
                if not TicketStatus(ticket.status).is_active:
                    # A clock must not outlive its ticket: cancel instead of firing.
                    clock.state = ClockState.CANCELLED.value
                    clock.stopped_at = now
                    dropped += 1
                    continue
                event = due_event(
                    state=clock.state,
                    warn_at=clock.warn_at,
                    deadline=clock.deadline,
                    warning_fired=clock.warning_fired_at is not None,
                    breach_fired=clock.breach_fired_at is not None,
                    now=now,
                )
                if event is not None:
                    by_event[event].append((clock, ticket))
            await session.flush()
            notices: list[SlaNotice] = []
            events: list[dict[str, Any]] = []
            fired_breaches: list[tuple[SlaClock, Ticket]] = []
            for event, items in by_event.items():
                fired = set(
                    await repos.fire_clocks(
                        [clock.id for clock, _ in items],
                        event=event,
                        worker=self.worker_id,
                        now=now,
                    )
                )
                for clock, ticket in items:
                    if clock.id not in fired:
                        continue
                    if event == "breach":
                        fired_breaches.append((clock, ticket))
                    else:
                        notices.append(self._notice(clock, ticket, "warning", None))
            levels = await repos.escalate_tickets(
                sorted({ticket.id for _, ticket in fired_breaches}), now
            )
            for clock, ticket in fired_breaches:
                chain = self._router.escalation_chain(ticket.playbook)
                target = escalation_target(chain, levels.get(ticket.id, 0))
                notices.append(self._notice(clock, ticket, "breach", target))
            for notice in notices:
                events.append(
                    {
                        "ticket_id": notice.ticket_id,
                        "actor": SLA_ACTOR,
                        "action": f"sla_{notice.event}",
                        "at": now,
                        "payload": {
                            "clock": notice.clock_kind,
                            "due_at": notice.due_at.isoformat(),
                            "escalate_to": notice.escalate_to,
                            "worker": self.worker_id,
                        },
                        "dedupe_key": _dedupe_key(notice),
                    }
                )
            written = await repos.record_events(events)
            await repos.release_clocks(ids, self.worker_id)
            # A dedupe-key conflict means this exact event was recorded already.
            notices = [notice for notice in notices if _dedupe_key(notice) in written]
        return notices, dropped

    def _notice(
        self, clock: SlaClock, ticket: Ticket, event: SlaEvent, escalate_to: str | None
    ) -> SlaNotice:
        return SlaNotice(
            ticket_id=ticket.id,
            reference=ticket.reference,
            clock_kind=clock.key,
            event=event,
            due_at=clock.deadline,
            severity=ticket.severity,
            queue=ticket.queue,
            escalate_to=escalate_to,
        )

    async def _announce(self, notice: SlaNotice) -> None:
        try:
            await self._notifier.sla_event(notice)
        except Exception:
            log.exception(
                "SLA %s for %s (%s) recorded but not delivered",
                notice.event,
                notice.reference,
                notice.clock_kind,
            )

    # scheduling --------------------------------------------------------------

    def start(self, interval_seconds: float, scheduler: AsyncIOScheduler | None = None) -> None:
        """Run `tick()` every `interval_seconds` on an APScheduler AsyncIOScheduler."""
        self._owns_scheduler = scheduler is None
        self._scheduler = scheduler or AsyncIOScheduler(timezone="UTC")
        self._scheduler.add_job(
            self._scheduled_tick,
            "interval",
            seconds=interval_seconds,
            id=self._job_id,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
        )
        if self._owns_scheduler:
            self._scheduler.start()

    async def _scheduled_tick(self) -> None:
        if self._scheduler is None:
            return  # stopped while this run was queued
        try:
            async with self._ticking:
                report = await self.tick()
        except Exception:
            # The next tick retries: deadlines are in the database, nothing is lost.
            log.exception("SLA tick failed")
            return
        if report.warnings or report.breaches:
            log.info("SLA tick: %d warnings, %d breaches", report.warnings, report.breaches)

    async def stop(self) -> None:
        """Stop scheduling and wait for a tick in progress to finish its transaction."""
        if self._scheduler is None:
            return
        if self._owns_scheduler:
            if self._scheduler.running:
                self._scheduler.shutdown(wait=False)
        else:
            self._scheduler.remove_job(self._job_id)
        self._scheduler = None
        async with self._ticking:
            pass


def _dedupe_key(notice: SlaNotice) -> str:
    return (
        f"sla:{notice.ticket_id}:{notice.clock_kind}:{notice.event}:"
        f"{int(notice.due_at.timestamp())}"
    )
