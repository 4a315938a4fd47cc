"""Export of everything stored about one customer (the right of access / portability).

The export is plain JSON built from the rows themselves, table by table, so a column
added later is exported without anyone remembering to add it here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from storage.database import Database
from storage.errors import NotFound
from storage.models import (
    Base,
    Evidence,
    Message,
    Outbox,
    ReplyDraft,
    SlaClock,
    TicketEvent,
)
from storage.repositories import Repositories

EXPORT_FORMAT = "caretriage-customer-export/1"
EXPORTED_ACTION = "data_exported"


def row_dict(row: Base) -> dict[str, Any]:
    """Every column of an ORM row, JSON-ready (datetimes as ISO 8601 UTC)."""
    values: dict[str, Any] = {}
    for column in row.__table__.columns:
        value = getattr(row, column.key)
        values[column.key] = value.isoformat() if isinstance(value, datetime) else value
    return values


async def export_customer(
    database: Database, pseudonym: str, *, actor: str, now: datetime, record: bool = True
) -> dict[str, Any]:
    """All stored data about the customer; raises NotFound if there is none.

    The export itself is audited (`data_exported`, customer-level) unless `record` is
    False, since handing out a person's data is an act the organisation must account for.
    """
    async with database.transaction() as session:
        repos = Repositories(session)
        customer = await repos.customer_by_pseudonym(pseudonym)
        if customer is None:
            raise NotFound(f"no customer with pseudonym {pseudonym} is stored")
        tickets = await repos.customer_tickets(customer.id, active_only=False)
        ticket_ids = sorted(t.id for t in tickets)

        async def rows(model: type[Base], *where: Any) -> list[dict[str, Any]]:
            table = model.__table__
            stmt = select(model).where(*where).order_by(table.c.id)
            return [row_dict(row) for row in (await session.execute(stmt)).scalars()]

        exported_tickets = []
        for ticket in sorted(tickets, key=lambda t: t.id):
            exported_tickets.append(
                {
                    **row_dict(ticket),
                    "reference": ticket.reference,
                    "sla_clocks": await rows(SlaClock, SlaClock.ticket_id == ticket.id),
                    "evidence": await rows(Evidence, Evidence.ticket_id == ticket.id),
                    "reply_drafts": await rows(ReplyDraft, ReplyDraft.ticket_id == ticket.id),
                    "outbox": await rows(Outbox, Outbox.ticket_id == ticket.id),
                    "events": await rows(TicketEvent, TicketEvent.ticket_id == ticket.id),
                }
            )
        export = {
            "format": EXPORT_FORMAT,
            "generated_at": now.isoformat(),
            "customer": row_dict(customer),
            "messages": await rows(Message, Message.customer_id == customer.id),
            "tickets": exported_tickets,
        }
        if record:
            await repos.record_event(
                ticket_id=None,
                actor=actor,
                action=EXPORTED_ACTION,
                at=now,
                payload={"customer": pseudonym, "tickets": ticket_ids},
            )
        return export
