"""Erasure of one customer's personal data (the right to erasure, on request).

Everything that identifies or describes the person goes: message texts, attachments,
chat ids, the display name, evidence values, drafts, outbound texts and recipients, and
free text inside audit payloads. Pending sends are cancelled, and so are the clocks only an
answer to the customer can meet (first and next response): nobody can answer a customer
whose contact details are gone.

Erasing the customer's data does not lift the operator's own legal obligations, though
(notifying a personal-data breach to the authority, answering a complaint or a data-rights
request in time): live legal clocks keep running, and an active ticket holding one stays
open, pseudonymous, with its resolution target, until an agent resolves it. Other active
tickets are closed and their clocks cancelled. The pseudonymous audit trail stays, with an
`erased` event on every ticket and one customer-level event, so the organisation can still
prove what it did.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select, update

from storage.database import Database
from storage.errors import NotFound
from storage.models import ClockState, Message, SlaClock, TicketStatus
from storage.redaction import RedactionCounts, redact_messages, redact_tickets
from storage.repositories import LIVE_CLOCK_STATES, Repositories

ERASED_ACTION = "erased"
LEGAL_CLOCK_KIND = "legal"
# Met only by a reply reaching the customer, which erasure makes impossible.
CUSTOMER_REPLY_CLOCKS = ("first_response", "next_response")


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
    # Active tickets left open because a legal clock still runs on them, and those clocks.
    open_ticket_ids: tuple[int, ...] = ()
    running_legal_clocks: int = 0

    def as_dict(self) -> dict[str, object]:
        return {
            "customer": self.pseudonym,
            "dry_run": self.dry_run,
            "at": self.at.isoformat(),
            "tickets": list(self.ticket_ids),
            "closed_tickets": list(self.closed_ticket_ids),
            "open_tickets": list(self.open_ticket_ids),
            "cancelled_clocks": self.cancelled_clocks,
            "running_legal_clocks": self.running_legal_clocks,
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
            live = (
                await session.execute(
                    select(SlaClock.id, SlaClock.ticket_id, SlaClock.kind).where(
                        SlaClock.ticket_id.in_(ticket_ids),
                        SlaClock.state.in_(LIVE_CLOCK_STATES),
                    )
                )
            ).all()
            legal = [clock_id for clock_id, _, kind in live if kind == LEGAL_CLOCK_KIND]
            bound = {ticket_id for _, ticket_id, kind in live if kind == LEGAL_CLOCK_KIND}
            closed: list[int] = []
            kept_open: list[int] = []
            for ticket in tickets:
                if not TicketStatus(ticket.status).is_active:
                    continue
                if ticket.id in bound:
                    kept_open.append(ticket.id)
                    continue
                ticket.status = TicketStatus.CLOSED.value
                ticket.closed_at = now
                ticket.updated_at = now
                closed.append(ticket.id)
            await session.flush()
            # Cancelled: every clock of a closed ticket, and on every ticket the clocks that
            # wait for an answer to the customer. Legal clocks are never cancelled here.
            cancel = [
                clock_id
                for clock_id, ticket_id, kind in live
                if kind != LEGAL_CLOCK_KIND
                and (ticket_id not in kept_open or kind in CUSTOMER_REPLY_CLOCKS)
            ]
            cancelled = 0
            if cancel:
                result = await session.execute(
                    update(SlaClock)
                    .where(SlaClock.id.in_(cancel), SlaClock.state.in_(LIVE_CLOCK_STATES))
                    .values(
                        state=ClockState.CANCELLED.value,
                        stopped_at=now,
                        paused_at=None,
                        claimed_by=None,
                        claim_until=None,
                    )
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
                open_ticket_ids=tuple(sorted(kept_open)),
                running_legal_clocks=len(legal),
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
                        "kept_open_for_legal_clocks": ticket_id in kept_open,
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
