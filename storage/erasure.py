"""Erasure of one customer's personal data (the right to erasure, on request).

Everything that identifies or describes the person goes: message texts, attachments,
chat ids, the display name, evidence values, drafts, outbound texts and recipients, and
free text inside audit payloads. Their active tickets are closed and live SLA clocks
cancelled (nobody can answer a customer whose contact details are gone), pending sends
are cancelled. The pseudonymous audit trail stays, with an `erased` event on every
ticket and one customer-level event, so the organisation can still prove what it did.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import update

from storage.database import Database
from storage.errors import NotFound
from storage.models import ClockState, Message, SlaClock, TicketStatus
from storage.redaction import RedactionCounts, redact_messages, redact_tickets
from storage.repositories import LIVE_CLOCK_STATES, Repositories

ERASED_ACTION = "erased"


@dataclass(frozen=True, slots=True)
class ErasureReport:
    pseudonym: str
    ticket_ids: tuple[int, ...]
    closed_ticket_ids: tuple[int, ...]
    cancelled_clocks: int
    counts: RedactionCounts
    display_name_removed: bool
    dry_run: bool
    at: datetime
    ticketless_messages: int = 0
    events: tuple[str, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, object]:
        return {
            "customer": self.pseudonym,
            "dry_run": self.dry_run,
            "at": self.at.isoformat(),
            "tickets": list(self.ticket_ids),
            "closed_tickets": list(self.closed_ticket_ids),
            "cancelled_clocks": self.cancelled_clocks,
            "display_name_removed": self.display_name_removed,
            "redacted": {
                **self.counts.as_dict(),
                "messages": self.counts.messages + self.ticketless_messages,
            },
        }


class _RollBack(Exception):
    def __init__(self, report: ErasureReport) -> None:
        super().__init__("dry run")
        self.report = report


async def erase_customer(
    database: Database, pseudonym: str, *, actor: str, now: datetime, dry_run: bool = False
) -> ErasureReport:
    """Erase the customer with this pseudonym; raises NotFound if there is none.

    One transaction: either everything is erased and audited, or nothing changes. A dry
    run does the same work and rolls it back, so its report is exactly what would happen.
    """
    try:
        async with database.transaction() as session:
            repos = Repositories(session)
            customer = await repos.customer_by_pseudonym(pseudonym)
            if customer is None:
                raise NotFound(f"no customer with pseudonym {pseudonym} is stored")
            tickets = await repos.customer_tickets(customer.id, active_only=False)
            ticket_ids = tuple(sorted(t.id for t in tickets))
            closed: list[int] = []
            for ticket in tickets:
                if TicketStatus(ticket.status).is_active:
                    ticket.status = TicketStatus.CLOSED.value
                    ticket.closed_at = now
                    ticket.updated_at = now
                    closed.append(ticket.id)
            await session.flush()
            cancelled = 0
            if ticket_ids:
                result = await session.execute(
                    update(SlaClock)
                    .where(
                        SlaClock.ticket_id.in_(ticket_ids),
                        SlaClock.state.in_(LIVE_CLOCK_STATES),
                    )
                    .values(state=ClockState.CANCELLED.value, stopped_at=now)
                    .execution_options(synchronize_session=False)
                )
                cancelled = int(getattr(result, "rowcount", 0) or 0)
            counts = await redact_tickets(session, ticket_ids, cancel_pending_sends=True)
            ticketless = await redact_messages(
                session, (Message.customer_id == customer.id) & Message.ticket_id.is_(None)
            )
            had_name = customer.display_name is not None
            customer.display_name = None
            report = ErasureReport(
                pseudonym=pseudonym,
                ticket_ids=ticket_ids,
                closed_ticket_ids=tuple(sorted(closed)),
                cancelled_clocks=cancelled,
                counts=counts,
                display_name_removed=had_name,
                dry_run=dry_run,
                at=now,
                ticketless_messages=ticketless,
            )
            summary = report.as_dict()
            for ticket_id in ticket_ids:
                await repos.record_event(
                    ticket_id=ticket_id,
                    actor=actor,
                    action=ERASED_ACTION,
                    at=now,
                    payload={
                        "customer": pseudonym,
                        "closed_by_erasure": ticket_id in closed,
                    },
                )
            await repos.record_event(
                ticket_id=None, actor=actor, action=ERASED_ACTION, at=now, payload=summary
            )
            if dry_run:
                raise _RollBack(report)
            return report
    except _RollBack as rollback:
        return rollback.report
