"""Builders that write a realistic customer case straight into the database.

Privacy tests need every kind of personal data the schema can hold (texts, chat ids,
evidence, drafts, outbound messages, audit payloads) without running the classifier.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import text

from storage.database import Database
from storage.models import (
    Base,
    ClockState,
    DraftStatus,
    Evidence,
    MessageState,
    Outbox,
    OutboxStatus,
    ReplyDraft,
    SlaClock,
    Ticket,
    TicketEvent,
    TicketStatus,
)
from storage.repositories import Repositories

PERSONAL_MARKERS = ("María Pérez", "+34 600 111 222", "maria@example.org", "chat-777")


@dataclass(frozen=True, slots=True)
class SeededCase:
    customer_id: int
    ticket_id: int
    message_ids: tuple[int, ...]
    pseudonym: str


async def create_schema(database: Database) -> None:
    async with database.engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)


async def seed_case(
    database: Database,
    *,
    pseudonym: str,
    at: datetime,
    channel: str = "telegram",
    category: str = "staff_misuse",
    status: TicketStatus = TicketStatus.OPEN,
    display_name: str | None = "María Pérez",
    pending_send: bool = False,
    external_prefix: str | None = None,
) -> SeededCase:
    """One customer (created if new) with one ticket holding every kind of personal data."""
    prefix = external_prefix or f"{pseudonym[:8]}-{category}-{at.timestamp():.0f}"
    async with database.transaction() as session:
        repos = Repositories(session)
        customer = await repos.customer_for(pseudonym, channel, at)
        customer.display_name = display_name
        closed = None if status.is_active else at + timedelta(hours=2)
        ticket = await repos.add_ticket(
            Ticket(
                customer_id=customer.id,
                channel=channel,
                account="movistar_es",
                chat_id="chat-777",
                category=category,
                severity="high",
                priority="P1",
                language="es",
                jurisdiction="ES",
                jurisdiction_overridden=False,
                playbook=category,
                queue="privacy",
                status=status.value,
                confidence=0.9,
                needs_review=False,
                escalation_level=0,
                opened_at=at,
                updated_at=closed or at,
                last_customer_message_at=at,
                first_response_at=None,
                resolved_at=closed,
                closed_at=closed,
            )
        )
        message_ids = []
        for index, body in enumerate(
            (
                "El técnico me escribió por WhatsApp al +34 600 111 222",
                "Soy María Pérez, mi correo es maria@example.org",
            )
        ):
            message, _ = await repos.insert_message(
                {
                    "channel": channel,
                    "external_id": f"{prefix}-{index}",
                    "account": "movistar_es",
                    "customer_id": customer.id,
                    "kind": "dm",
                    "chat_id": "chat-777",
                    "reply_to": None,
                    "text": body,
                    "lang_hint": "es",
                    "attachments": ["screenshot-of-+34 600 111 222.png"],
                    "sent_at": at,
                    "received_at": at,
                    "state": MessageState.TRIAGED.value,
                    "ticket_id": ticket.id,
                    "category": category,
                }
            )
            message_ids.append(message.id)
        await repos.add(
            Evidence(
                ticket_id=ticket.id,
                key="employee_phone",
                value="+34 600 111 222",
                file_ref="evidence/chat-777/screenshot.png",
                recorded_by="agent:ana",
                recorded_at=at,
            )
        )
        outbox = Outbox(
            ticket_id=ticket.id,
            channel=channel,
            recipient="chat-777",
            text="Hola María Pérez, su caso es CT-000001",
            public=False,
            status=(OutboxStatus.PENDING if pending_send else OutboxStatus.SENT).value,
            attempts=1,
            next_attempt_at=at,
            last_error=None,
            created_at=at,
            sent_at=None if pending_send else at,
        )
        await repos.add(outbox)
        await repos.add(
            ReplyDraft(
                ticket_id=ticket.id,
                author="agent:ana",
                text="Hola María Pérez, hemos bloqueado al empleado.",
                public=False,
                language="es",
                verdict={"allowed": True, "violations": []},
                allowed=True,
                status=DraftStatus.SENT.value,
                override_reason="cliente María Pérez lo pidió",
                overridden_by="manager:bo",
                outbox_id=outbox.id,
                created_at=at,
                updated_at=at,
            )
        )
        await repos.add(
            SlaClock(
                ticket_id=ticket.id,
                kind="first_response",
                key="first_response",
                started_at=at,
                deadline=at + timedelta(hours=1),
                warn_at=at + timedelta(minutes=45),
                state=(ClockState.RUNNING if status.is_active else ClockState.MET).value,
                plan={},
            )
        )
        session.add(
            TicketEvent(
                ticket_id=ticket.id,
                actor="agent:ana",
                action="evidence_recorded",
                payload={"key": "employee_phone", "value": "+34 600 111 222"},
                at=at,
            )
        )
        session.add(
            TicketEvent(
                ticket_id=ticket.id,
                actor="system",
                action="ticket_opened",
                payload={"category": category, "severity": "high"},
                at=at,
            )
        )
        return SeededCase(customer.id, ticket.id, tuple(message_ids), pseudonym)


async def database_dump(database: Database) -> str:
    """Every value in every table as one string, to search for leftover personal data."""
    parts: list[str] = []
    async with database.transaction() as session:
        for table in Base.metadata.sorted_tables:
            rows = await session.execute(text(f"SELECT * FROM {table.name}"))
            parts.extend(repr(tuple(row)) for row in rows)
    return "\n".join(parts)
