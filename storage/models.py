"""SQLAlchemy 2 typed ORM models: the product's whole persistent state.

Personal data policy (see README "Privacy of stored data"): customers are stored only as
a keyed pseudonym of channel + handle; the raw handle is never written. Message text is
kept because agents must read the complaint; notifications carry a masked copy.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from storage.types import UtcDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# BIGINT on PostgreSQL, but INTEGER on SQLite so that the primary key is the rowid alias
# and autoincrements.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UtcDateTime(),
        dict[str, Any]: JSON(),
    }


class MessageState(StrEnum):
    PENDING = "pending"  # persisted, not yet triaged (picked up again after a restart)
    TRIAGED = "triaged"


class TicketStatus(StrEnum):
    OPEN = "open"
    WAITING_CUSTOMER = "waiting_customer"
    RESOLVED = "resolved"
    CLOSED = "closed"

    @property
    def is_active(self) -> bool:
        return self in (TicketStatus.OPEN, TicketStatus.WAITING_CUSTOMER)


class ClockState(StrEnum):
    RUNNING = "running"
    PAUSED = "paused"
    WARNED = "warned"  # still running, the warning has fired
    MET = "met"
    BREACHED = "breached"
    CANCELLED = "cancelled"

    @property
    def is_live(self) -> bool:
        return self in (ClockState.RUNNING, ClockState.WARNED, ClockState.PAUSED)


class DraftStatus(StrEnum):
    PENDING = "pending"  # allowed (or overridden), not yet sent
    BLOCKED = "blocked"
    SENT = "sent"
    FAILED = "failed"


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"


class AgentRole(StrEnum):
    AGENT = "agent"
    MANAGER = "manager"


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    pseudonym: Mapped[str] = mapped_column(String(64), unique=True)
    channel: Mapped[str] = mapped_column(String(16))
    # Only while a ticket is open and an agent needs it to address the customer.
    display_name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]


class Ticket(Base):
    __tablename__ = "tickets"
    __table_args__ = (
        Index("ix_tickets_customer_category_status", "customer_id", "category", "status"),
        Index("ix_tickets_status_queue", "status", "queue"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="RESTRICT"))
    channel: Mapped[str] = mapped_column(String(16))
    account: Mapped[str | None] = mapped_column(String(100))
    chat_id: Mapped[str | None] = mapped_column(String(100))  # where private replies go
    category: Mapped[str] = mapped_column(String(40))
    severity: Mapped[str] = mapped_column(String(10))
    priority: Mapped[str] = mapped_column(String(10))
    language: Mapped[str] = mapped_column(String(8))
    jurisdiction: Mapped[str] = mapped_column(String(16))
    jurisdiction_overridden: Mapped[bool] = mapped_column(Boolean, default=False)
    playbook: Mapped[str] = mapped_column(String(60))
    queue: Mapped[str] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(20), default=TicketStatus.OPEN.value)
    assignee: Mapped[str | None] = mapped_column(String(100))
    confidence: Mapped[float] = mapped_column(Float)
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False)
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)
    opened_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    last_customer_message_at: Mapped[datetime]
    first_response_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]

    customer: Mapped[Customer] = relationship(lazy="raise")

    @property
    def reference(self) -> str:
        return ticket_reference(self.id)


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("channel", "external_id"),
        Index("ix_messages_state_received_at", "state", "received_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(100))
    account: Mapped[str | None] = mapped_column(String(100))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="RESTRICT"))
    kind: Mapped[str] = mapped_column(String(10))
    chat_id: Mapped[str | None] = mapped_column(String(100))
    reply_to: Mapped[str | None] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    lang_hint: Mapped[str | None] = mapped_column(String(8))
    attachments: Mapped[list[str]] = mapped_column(JSON, default=list)
    sent_at: Mapped[datetime]
    received_at: Mapped[datetime]
    state: Mapped[str] = mapped_column(String(10), default=MessageState.PENDING.value)
    triage_attempts: Mapped[int] = mapped_column(Integer, default=0)
    ticket_id: Mapped[int | None] = mapped_column(
        ForeignKey("tickets.id", ondelete="SET NULL"), index=True
    )
    language: Mapped[str | None] = mapped_column(String(8))
    category: Mapped[str | None] = mapped_column(String(40))
    severity: Mapped[str | None] = mapped_column(String(10))
    confidence: Mapped[float | None] = mapped_column(Float)
    scores: Mapped[dict[str, Any] | None]
    triaged_at: Mapped[datetime | None]


class TicketEvent(Base):
    """Append-only audit trail; nothing updates or deletes these rows."""

    __tablename__ = "ticket_events"
    __table_args__ = (Index("ix_ticket_events_ticket_id_at", "ticket_id", "at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id", ondelete="RESTRICT"))
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    at: Mapped[datetime]
    # Set for events that must happen at most once (an SLA warning/breach of one clock).
    dedupe_key: Mapped[str | None] = mapped_column(String(120), unique=True)


class SlaClock(Base):
    __tablename__ = "sla_clocks"
    __table_args__ = (
        UniqueConstraint("ticket_id", "key"),
        Index("ix_sla_clocks_state_deadline", "state", "deadline"),
        Index("ix_sla_clocks_state_warn_at", "state", "warn_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))  # first_response|next_response|resolution|legal
    # Identity within the ticket: the kind, or "legal:<what>" (a ticket may run several).
    key: Mapped[str] = mapped_column(String(60))
    started_at: Mapped[datetime]
    deadline: Mapped[datetime]
    warn_at: Mapped[datetime]
    pausable: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(String(10), default=ClockState.RUNNING.value)
    paused_at: Mapped[datetime | None]
    paused_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    # How the deadline was set: label, period, calendar, and the closed pauses so far.
    plan: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    claimed_by: Mapped[str | None] = mapped_column(String(80))
    claim_until: Mapped[datetime | None]
    warning_fired_at: Mapped[datetime | None]
    breach_fired_at: Mapped[datetime | None]
    stopped_at: Mapped[datetime | None]


class ReplyDraft(Base):
    __tablename__ = "reply_drafts"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    author: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    language: Mapped[str] = mapped_column(String(8))
    verdict: Mapped[dict[str, Any]] = mapped_column(JSON)
    allowed: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(10))
    override_reason: Mapped[str | None] = mapped_column(Text)
    overridden_by: Mapped[str | None] = mapped_column(String(100))
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Outbox(Base):
    """Outbound messages; a failed send stays pending with a later next_attempt_at."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status_next_attempt_at", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id", ondelete="SET NULL"))
    channel: Mapped[str] = mapped_column(String(16))
    recipient: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    reply_to: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(10), default=OutboxStatus.PENDING.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    last_error: Mapped[str | None] = mapped_column(Text)
    claimed_by: Mapped[str | None] = mapped_column(String(80))
    claim_until: Mapped[datetime | None]
    external_id: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class Evidence(Base):
    __tablename__ = "evidence"
    __table_args__ = (UniqueConstraint("ticket_id", "key"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(80))
    value: Mapped[str | None] = mapped_column(Text)
    file_ref: Mapped[str | None] = mapped_column(String(300))
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime]


class ChannelCursor(Base):
    __tablename__ = "channel_cursors"
    __table_args__ = (UniqueConstraint("channel", "account", "stream"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    account: Mapped[str] = mapped_column(String(100))
    stream: Mapped[str] = mapped_column(String(40))
    cursor: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime]


class Agent(Base):
    __tablename__ = "agents"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    telegram_user_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    role: Mapped[str] = mapped_column(String(10))
    display_name: Mapped[str | None] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


REFERENCE_PREFIX = "CT-"


def ticket_reference(ticket_id: int) -> str:
    """The case reference customers see: CT-000042."""
    return f"{REFERENCE_PREFIX}{ticket_id:06d}"


def parse_reference(text: str) -> int | None:
    """Ticket id from "CT-000042", "ct-42" or "42"; None when it is neither."""
    value = text.strip().upper()
    if value.startswith(REFERENCE_PREFIX):
        value = value[len(REFERENCE_PREFIX) :]
    if not value.isdigit() or not value.isascii():
        return None
    number = int(value)
    return number if number > 0 else None
