"""The retention job: purge personal data of tickets idle past their category's period.

Run on a schedule by `caretriage run` (`RetentionJob.run_forever`) and by hand with
`caretriage retention --dry-run|--apply`. Each batch is one transaction; the job is
idempotent (a purged ticket has nothing left to purge, so it is not selected again) and
safe with several workers (two purging the same ticket write the same blanks).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, and_, exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.database import Database
from storage.errors import StorageUnavailable
from storage.models import (
    Customer,
    Evidence,
    Message,
    Outbox,
    OutboxStatus,
    ReplyDraft,
    Ticket,
)
from storage.redaction import REDACTED, RedactionCounts, redact_tickets
from storage.repositories import ACTIVE_TICKET_STATUSES, Repositories
from storage.retention_policy import RetentionPolicy

log = logging.getLogger(__name__)

PURGED_ACTION = "retention_purged"
RETENTION_ACTOR = "system:retention"
DEFAULT_BATCH = 200


@dataclass(slots=True)
class RetentionReport:
    at: datetime
    applied: bool
    tickets_by_category: dict[str, int] = field(default_factory=dict)
    counts: RedactionCounts = field(default_factory=RedactionCounts)
    display_names_removed: int = 0

    @property
    def tickets(self) -> int:
        return sum(self.tickets_by_category.values())

    def as_dict(self) -> dict[str, object]:
        return {
            "at": self.at.isoformat(),
            "applied": self.applied,
            "tickets": self.tickets,
            "tickets_by_category": dict(sorted(self.tickets_by_category.items())),
            "redacted": self.counts.as_dict(),
            "display_names_removed": self.display_names_removed,
        }


def _has_personal_data() -> ColumnElement[bool]:
    """SQL condition: the ticket still holds something retention would remove."""
    return or_(
        Ticket.chat_id.is_not(None),
        exists().where(
            Message.ticket_id == Ticket.id,
            or_(Message.text != REDACTED, Message.chat_id.is_not(None)),
        ),
        exists().where(
            Evidence.ticket_id == Ticket.id,
            or_(Evidence.value.is_not(None), Evidence.file_ref.is_not(None)),
        ),
        exists().where(
            ReplyDraft.ticket_id == Ticket.id,
            or_(ReplyDraft.text != REDACTED, ReplyDraft.override_reason.is_not(None)),
        ),
        exists().where(
            Outbox.ticket_id == Ticket.id,
            Outbox.status != OutboxStatus.PENDING.value,
            or_(Outbox.text != REDACTED, Outbox.recipient != REDACTED),
        ),
    )


def _idle_since(cutoff: datetime) -> ColumnElement[bool]:
    return and_(
        Ticket.updated_at < cutoff,
        Ticket.last_customer_message_at < cutoff,
        or_(Ticket.closed_at.is_(None), Ticket.closed_at < cutoff),
        or_(Ticket.resolved_at.is_(None), Ticket.resolved_at < cutoff),
    )


async def due_ticket_ids(
    session: AsyncSession, policy: RetentionPolicy, now: datetime, limit: int
) -> dict[str, list[int]]:
    """Tickets whose retention has run out and that still hold personal data, by category.

    A ticket with a pending outbound message is left alone: an unsent reply is visible
    work, never silently dropped.
    """
    due: dict[str, list[int]] = {}
    for category in sorted(policy.days):
        conditions: list[ColumnElement[bool]] = [
            Ticket.category == category,
            _idle_since(policy.cutoff(category, now)),
            _has_personal_data(),
            ~exists().where(
                Outbox.ticket_id == Ticket.id, Outbox.status == OutboxStatus.PENDING.value
            ),
        ]
        if not policy.purges_open_tickets(category):
            conditions.append(Ticket.status.not_in(ACTIVE_TICKET_STATUSES))
        stmt = select(Ticket.id).where(*conditions).order_by(Ticket.id).limit(limit)
        ids = list((await session.execute(stmt)).scalars())
        if ids:
            due[category] = ids
    return due


async def _remove_idle_display_names(session: AsyncSession) -> int:
    """Display names are kept only while the customer has an active ticket."""
    active = exists().where(
        Ticket.customer_id == Customer.id, Ticket.status.in_(ACTIVE_TICKET_STATUSES)
    )
    result = await session.execute(
        update(Customer)
        .where(Customer.display_name.is_not(None), ~active)
        .values(display_name=None)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def apply_retention(
    database: Database,
    policy: RetentionPolicy,
    now: datetime,
    *,
    apply: bool,
    batch_size: int = DEFAULT_BATCH,
) -> RetentionReport:
    """Purge (or, with apply=False, only count) everything due at `now`."""
    report = RetentionReport(at=now, applied=apply)
    if not apply:
        async with database.transaction() as session:
            due = await due_ticket_ids(session, policy, now, limit=1_000_000)
            report.tickets_by_category = {k: len(v) for k, v in due.items()}
            active = exists().where(
                Ticket.customer_id == Customer.id, Ticket.status.in_(ACTIVE_TICKET_STATUSES)
            )
            named = await session.execute(
                select(Customer.id).where(Customer.display_name.is_not(None), ~active)
            )
            report.display_names_removed = len(list(named.scalars()))
        return report
    while True:
        async with database.transaction() as session:
            due = await due_ticket_ids(session, policy, now, limit=batch_size)
            if not due:
                report.display_names_removed += await _remove_idle_display_names(session)
                break
            repos = Repositories(session)
            for category, ids in due.items():
                report.counts += await redact_tickets(session, ids, cancel_pending_sends=False)
                report.tickets_by_category[category] = report.tickets_by_category.get(
                    category, 0
                ) + len(ids)
                for ticket_id in ids:
                    await repos.record_event(
                        ticket_id=ticket_id,
                        actor=RETENTION_ACTOR,
                        action=PURGED_ACTION,
                        at=now,
                        payload={"category": category, "retention_days": policy.days[category]},
                    )
    return report


class RetentionJob:
    """The scheduled form: one pass every `interval_seconds` until `stop` is set.

    A database outage skips that pass (logged) instead of ending the loop; the next pass
    picks up everything still due.
    """

    def __init__(
        self,
        database: Database,
        policy: RetentionPolicy,
        now: Callable[[], datetime],
        *,
        interval_seconds: float = 3600.0,
    ) -> None:
        self._database = database
        self._policy = policy
        self._now = now
        self.interval_seconds = interval_seconds

    async def run_once(self) -> RetentionReport:
        report = await apply_retention(self._database, self._policy, self._now(), apply=True)
        if report.tickets or report.display_names_removed:
            log.info(
                "retention purged %d tickets, %d display names",
                report.tickets,
                report.display_names_removed,
            )
        return report

    async def run_forever(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self.run_once()
            except StorageUnavailable as exc:
                log.warning("retention pass skipped: %s", exc)
            try:
                await asyncio.wait_for(stop.wait(), timeout=self.interval_seconds)
            except TimeoutError:
                continue
