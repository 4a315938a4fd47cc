"""Repositories: the queries the application needs, each run inside a caller's transaction.

A `Repositories` is built on one `AsyncSession` from `Database.transaction()`; the caller
decides where the transaction starts and ends (unit of work). Inserts that must be
idempotent use the backend's `INSERT … ON CONFLICT DO NOTHING`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Table, and_, bindparam, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.errors import InvalidState, NotFound
from storage.models import (
    Agent,
    Base,
    ChannelCursor,
    ClockState,
    Customer,
    Evidence,
    Message,
    MessageState,
    Outbox,
    OutboxStatus,
    ReplyDraft,
    SlaClock,
    Ticket,
    TicketEvent,
    TicketStatus,
)

LIVE_CLOCK_STATES = (ClockState.RUNNING.value, ClockState.WARNED.value, ClockState.PAUSED.value)
TICKING_CLOCK_STATES = (ClockState.RUNNING.value, ClockState.WARNED.value)
ACTIVE_TICKET_STATUSES = (TicketStatus.OPEN.value, TicketStatus.WAITING_CUSTOMER.value)
# Rows per multi-row statement: far below SQLite's 32,766 and asyncpg's 32,767 bound
# parameters even for the widest table (messages, 14 columns).
ROWS_PER_STATEMENT = 500

_Item = TypeVar("_Item")


def _chunks(items: Sequence[_Item], size: int = ROWS_PER_STATEMENT) -> Iterator[Sequence[_Item]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _insert(session: AsyncSession, model: type[Base]) -> postgresql.Insert | sqlite.Insert:
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(model)
    return sqlite.insert(model)


def _table(model: type[Base]) -> Table:
    table = model.__table__
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not mapped to a table")
    return table


def _table_insert(session: AsyncSession, model: type[Base]) -> postgresql.Insert | sqlite.Insert:
    """A Core INSERT on the model's table. Executed with a list of parameter dicts it is
    compiled once (cached) and sent as multi-row VALUES pages ("insertmanyvalues"), which
    SQLAlchemy sizes to each driver's bound-parameter limit."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(_table(model))
    return sqlite.insert(_table(model))


def column_values(row: Base) -> dict[str, Any]:
    """Every column but the generated primary key, from an ORM object (unset ones None),
    for multi-row Core inserts."""
    return {
        column.key: getattr(row, column.key)
        for column in row.__table__.columns
        if not (column.primary_key and column.autoincrement)
    }


@dataclass(frozen=True, slots=True)
class TicketFilter:
    statuses: tuple[str, ...] = ()
    queues: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    assignee: str | None = None
    breached_only: bool = False
    needs_review: bool | None = None
    limit: int | None = None


class Repositories:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @property
    def dialect(self) -> str:
        return self.session.get_bind().dialect.name

    # customers -------------------------------------------------------------

    async def customer_for(self, pseudonym: str, channel: str, now: datetime) -> Customer:
        stmt = (
            _insert(self.session, Customer)
            .values(pseudonym=pseudonym, channel=channel, created_at=now)
            .on_conflict_do_nothing(index_elements=["pseudonym"])
        )
        await self.session.execute(stmt)
        customer = await self.customer_by_pseudonym(pseudonym)
        if customer is None:
            raise NotFound(f"customer {pseudonym} vanished while being created")
        return customer

    async def customer_by_pseudonym(self, pseudonym: str) -> Customer | None:
        result = await self.session.execute(select(Customer).where(Customer.pseudonym == pseudonym))
        return result.scalar_one_or_none()

    async def customers_for(self, channels: Mapping[str, str], now: datetime) -> dict[str, int]:
        """Create missing customers (pseudonym -> channel) in one multi-row insert; returns
        pseudonym -> id. Rows go in sorted order so concurrent workers inserting overlapping
        sets wait on each other instead of deadlocking on the unique index."""
        pseudonyms = sorted(channels)
        if not pseudonyms:
            return {}
        connection = await self.session.connection()
        await connection.execute(
            _table_insert(self.session, Customer).on_conflict_do_nothing(
                index_elements=["pseudonym"]
            ),
            [{"pseudonym": p, "channel": channels[p], "created_at": now} for p in pseudonyms],
        )
        found: dict[str, int] = {}
        for chunk in _chunks(pseudonyms):
            result = await self.session.execute(
                select(Customer.pseudonym, Customer.id).where(Customer.pseudonym.in_(chunk))
            )
            found.update({pseudonym: customer_id for pseudonym, customer_id in result})
        missing = set(pseudonyms) - found.keys()
        if missing:
            raise NotFound(f"{len(missing)} customer(s) vanished while being created")
        return found

    async def lock_customer(self, customer_id: int) -> None:
        """Row-lock the customer on PostgreSQL; SQLite transactions are already serial."""
        if self.dialect == "postgresql":
            await self.session.execute(
                select(Customer.id).where(Customer.id == customer_id).with_for_update()
            )

    # messages --------------------------------------------------------------

    async def insert_message(self, values: dict[str, Any]) -> tuple[Message, bool]:
        """Insert unless (channel, external_id) exists; returns the row and whether it is new."""
        stmt = (
            _insert(self.session, Message)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["channel", "external_id"])
            .returning(Message.id)
        )
        new_id = (await self.session.execute(stmt)).scalar_one_or_none()
        message = await self.message_by_external_id(values["channel"], values["external_id"])
        if message is None:
            raise NotFound(f"message {values['channel']}/{values['external_id']} vanished")
        return message, new_id is not None

    async def insert_messages(self, rows: Sequence[dict[str, Any]]) -> dict[tuple[str, str], int]:
        """Insert the rows whose (channel, external_id) is new, in multi-row statements;
        returns (channel, external_id) -> id of the rows this call created."""
        if not rows:
            return {}
        table = _table(Message)
        stmt = (
            _table_insert(self.session, Message)
            .on_conflict_do_nothing(index_elements=["channel", "external_id"])
            .returning(table.c.channel, table.c.external_id, table.c.id)
        )
        ordered = sorted(rows, key=lambda row: (row["channel"], row["external_id"]))
        connection = await self.session.connection()
        result = await connection.execute(stmt, ordered)
        return {(channel, external_id): message_id for channel, external_id, message_id in result}

    async def message_ids_by_external_id(
        self, keys: Iterable[tuple[str, str]]
    ) -> dict[tuple[str, str], int]:
        by_channel: dict[str, list[str]] = {}
        for channel, external_id in sorted(set(keys)):
            by_channel.setdefault(channel, []).append(external_id)
        found: dict[tuple[str, str], int] = {}
        for channel, external_ids in by_channel.items():
            for chunk in _chunks(external_ids):
                result = await self.session.execute(
                    select(Message.external_id, Message.id).where(
                        Message.channel == channel, Message.external_id.in_(chunk)
                    )
                )
                found.update({(channel, ext): message_id for ext, message_id in result})
        return found

    async def messages_by_id(self, message_ids: Iterable[int]) -> dict[int, Message]:
        ids = sorted(set(message_ids))
        found: dict[int, Message] = {}
        for chunk in _chunks(ids):
            result = await self.session.execute(select(Message).where(Message.id.in_(chunk)))
            found.update({message.id: message for message in result.scalars()})
        return found

    async def mark_messages_triaged(self, rows: Sequence[dict[str, Any]]) -> None:
        """Move pending messages to triaged in one executemany. Each row holds `message_id`,
        `ticket_id`, `language`, `category`, `severity`, `confidence`, `scores`,
        `triaged_at`. The caller holds the customers' locks, so no other worker races it."""
        if not rows:
            return
        table = _table(Message)
        stmt = (
            update(table)
            .where(
                table.c.id == bindparam("b_message_id"),
                table.c.state == MessageState.PENDING.value,
            )
            .values(
                state=MessageState.TRIAGED.value,
                ticket_id=bindparam("b_ticket_id"),
                language=bindparam("b_language"),
                category=bindparam("b_category"),
                severity=bindparam("b_severity"),
                confidence=bindparam("b_confidence"),
                scores=bindparam("b_scores"),
                triaged_at=bindparam("b_triaged_at"),
            )
        )
        connection = await self.session.connection()
        await connection.execute(stmt, [{f"b_{k}": v for k, v in row.items()} for row in rows])

    async def message_by_external_id(self, channel: str, external_id: str) -> Message | None:
        result = await self.session.execute(
            select(Message).where(Message.channel == channel, Message.external_id == external_id)
        )
        return result.scalar_one_or_none()

    async def message(self, message_id: int) -> Message:
        message = await self.session.get(Message, message_id)
        if message is None:
            raise NotFound(f"message {message_id} does not exist")
        return message

    async def pending_message_ids(self, limit: int) -> list[int]:
        result = await self.session.execute(
            select(Message.id)
            .where(Message.state == MessageState.PENDING.value)
            .order_by(Message.received_at, Message.id)
            .limit(limit)
        )
        return list(result.scalars())

    async def mark_message_triaged(self, message_id: int, values: dict[str, Any]) -> bool:
        """Move a pending message to triaged; False if another worker already did."""
        stmt = (
            update(Message)
            .where(Message.id == message_id, Message.state == MessageState.PENDING.value)
            .values(state=MessageState.TRIAGED.value, **values)
            .returning(Message.id)
            .execution_options(synchronize_session=False)
        )
        return (await self.session.execute(stmt)).scalar_one_or_none() is not None

    async def count_triage_attempt(self, message_id: int) -> None:
        await self.session.execute(
            update(Message)
            .where(Message.id == message_id)
            .values(triage_attempts=Message.triage_attempts + 1)
            .execution_options(synchronize_session=False)
        )

    async def ticket_messages(self, ticket_id: int) -> list[Message]:
        result = await self.session.execute(
            select(Message).where(Message.ticket_id == ticket_id).order_by(Message.sent_at)
        )
        return list(result.scalars())

    async def external_ids_by_ticket(self, ticket_ids: Sequence[int]) -> dict[int, list[str]]:
        found: dict[int, list[str]] = {ticket_id: [] for ticket_id in ticket_ids}
        if not ticket_ids:
            return found
        result = await self.session.execute(
            select(Message.ticket_id, Message.external_id)
            .where(Message.ticket_id.in_(ticket_ids))
            .order_by(Message.sent_at, Message.id)
        )
        for ticket_id, external_id in result:
            if ticket_id is not None:
                found[ticket_id].append(external_id)
        return found

    # tickets ---------------------------------------------------------------

    async def ticket(self, ticket_id: int, *, for_update: bool = False) -> Ticket:
        stmt = select(Ticket).where(Ticket.id == ticket_id)
        if for_update and self.dialect == "postgresql":
            stmt = stmt.with_for_update()
        ticket = (await self.session.execute(stmt)).scalar_one_or_none()
        if ticket is None:
            raise NotFound(f"ticket {ticket_id} does not exist")
        return ticket

    async def attachable_ticket(
        self, customer_id: int, category: str, since: datetime
    ) -> Ticket | None:
        """The customer's newest active ticket of this category with a message since `since`."""
        stmt = (
            select(Ticket)
            .where(
                Ticket.customer_id == customer_id,
                Ticket.category == category,
                Ticket.status.in_(ACTIVE_TICKET_STATUSES),
                Ticket.last_customer_message_at >= since,
            )
            .order_by(Ticket.last_customer_message_at.desc(), Ticket.id.desc())
            .limit(1)
        )
        if self.dialect == "postgresql":
            stmt = stmt.with_for_update()
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def attachable_tickets(
        self, customer_ids: Iterable[int], categories: Iterable[str], since: datetime
    ) -> list[Ticket]:
        """Every active ticket of these customers and categories with a customer message
        since `since`, locked on PostgreSQL in id order (the caller picks the newest per
        customer and category, as `attachable_ticket` does for one)."""
        ids = sorted(set(customer_ids))
        if not ids:
            return []
        found: list[Ticket] = []
        for chunk in _chunks(ids):
            stmt = (
                select(Ticket)
                .where(
                    Ticket.customer_id.in_(chunk),
                    Ticket.category.in_(sorted(set(categories))),
                    Ticket.status.in_(ACTIVE_TICKET_STATUSES),
                    Ticket.last_customer_message_at >= since,
                )
                .order_by(Ticket.id)
            )
            if self.dialect == "postgresql":
                stmt = stmt.with_for_update()
            found.extend((await self.session.execute(stmt)).scalars())
        return found

    async def tickets_by_id(self, ticket_ids: Iterable[int]) -> dict[int, Ticket]:
        ids = sorted(set(ticket_ids))
        found: dict[int, Ticket] = {}
        for chunk in _chunks(ids):
            result = await self.session.execute(select(Ticket).where(Ticket.id.in_(chunk)))
            found.update({ticket.id: ticket for ticket in result.scalars()})
        return found

    async def insert_tickets(self, tickets: Sequence[Ticket]) -> None:
        """Insert new (transient) tickets in multi-row statements and set their ids.

        The tickets must be distinct by (customer, category), as the tickets one triage
        batch opens are: SQLite does not promise RETURNING rows in VALUES order, so each
        id is matched back by that pair. The objects stay outside the session."""
        by_key = {(ticket.customer_id, ticket.category): ticket for ticket in tickets}
        if len(by_key) != len(tickets):
            raise ValueError("new tickets must be distinct by customer and category")
        if not tickets:
            return
        table = _table(Ticket)
        stmt = _table_insert(self.session, Ticket).returning(
            table.c.customer_id, table.c.category, table.c.id
        )
        connection = await self.session.connection()
        result = await connection.execute(stmt, [column_values(ticket) for ticket in tickets])
        for customer_id, category, ticket_id in result:
            by_key[(customer_id, category)].id = ticket_id

    async def insert_clocks(self, clocks: Sequence[SlaClock]) -> None:
        """Insert new (transient) clocks of active tickets in multi-row statements; the
        objects stay outside the session (nothing reads their ids back)."""
        if clocks:
            connection = await self.session.connection()
            await connection.execute(
                _table_insert(self.session, SlaClock), [column_values(c) for c in clocks]
            )

    async def add_ticket(self, ticket: Ticket) -> Ticket:
        self.session.add(ticket)
        await self.session.flush()
        return ticket

    async def customer_tickets(self, customer_id: int, *, active_only: bool) -> list[Ticket]:
        stmt = select(Ticket).where(Ticket.customer_id == customer_id)
        if active_only:
            stmt = stmt.where(Ticket.status.in_(ACTIVE_TICKET_STATUSES))
        result = await self.session.execute(stmt.order_by(Ticket.opened_at.desc()))
        return list(result.scalars())

    async def find_tickets(self, filters: TicketFilter) -> list[Ticket]:
        stmt = select(Ticket)
        if filters.statuses:
            stmt = stmt.where(Ticket.status.in_(filters.statuses))
        if filters.queues:
            stmt = stmt.where(Ticket.queue.in_(filters.queues))
        if filters.categories:
            stmt = stmt.where(Ticket.category.in_(filters.categories))
        if filters.languages:
            stmt = stmt.where(Ticket.language.in_(filters.languages))
        if filters.assignee is not None:
            stmt = stmt.where(Ticket.assignee == filters.assignee)
        if filters.needs_review is not None:
            stmt = stmt.where(Ticket.needs_review == filters.needs_review)
        if filters.breached_only:
            breached = select(SlaClock.ticket_id).where(SlaClock.state == ClockState.BREACHED.value)
            stmt = stmt.where(Ticket.id.in_(breached))
        stmt = stmt.order_by(Ticket.id)
        if filters.limit is not None:
            stmt = stmt.limit(filters.limit)
        return list((await self.session.execute(stmt)).scalars())

    async def customers_by_id(
        self, customer_ids: Iterable[int], *, lock: bool = False
    ) -> dict[int, Customer]:
        """The customers by id. `lock` row-locks them on PostgreSQL in id order (so two
        workers locking overlapping sets cannot deadlock); SQLite transactions are already
        serial (BEGIN IMMEDIATE)."""
        ids = sorted(set(customer_ids))
        found: dict[int, Customer] = {}
        for chunk in _chunks(ids):
            stmt = select(Customer).where(Customer.id.in_(chunk)).order_by(Customer.id)
            if lock and self.dialect == "postgresql":
                stmt = stmt.with_for_update()
            result = await self.session.execute(stmt)
            found.update({customer.id: customer for customer in result.scalars()})
        return found

    # clocks ----------------------------------------------------------------

    async def add_clock(self, ticket: Ticket, clock: SlaClock) -> SlaClock:
        if not TicketStatus(ticket.status).is_active:
            raise InvalidState(
                f"ticket {ticket.reference} is {ticket.status}: no SLA clock can be started on it"
            )
        clock.ticket_id = ticket.id
        self.session.add(clock)
        await self.session.flush()
        return clock

    async def clocks_for(self, ticket_ids: Sequence[int]) -> dict[int, list[SlaClock]]:
        found: dict[int, list[SlaClock]] = {ticket_id: [] for ticket_id in ticket_ids}
        if not ticket_ids:
            return found
        result = await self.session.execute(
            select(SlaClock).where(SlaClock.ticket_id.in_(ticket_ids)).order_by(SlaClock.id)
        )
        for clock in result.scalars():
            found[clock.ticket_id].append(clock)
        return found

    async def clock(self, ticket_id: int, key: str) -> SlaClock | None:
        result = await self.session.execute(
            select(SlaClock).where(SlaClock.ticket_id == ticket_id, SlaClock.key == key)
        )
        return result.scalar_one_or_none()

    async def claim_due_clocks(
        self, *, worker: str, now: datetime, lease_until: datetime, limit: int
    ) -> list[int]:
        """Atomically lease clocks whose warning or deadline is due; returns their ids.

        One conditional `UPDATE … RETURNING`: the lease is re-checked in the UPDATE's own
        WHERE, so of two workers racing for a row exactly one gets it. On PostgreSQL the
        candidate subquery also takes `FOR UPDATE SKIP LOCKED` so workers spread over
        different rows instead of queueing; SQLite serialises writers (BEGIN IMMEDIATE)
        and never relies on SKIP LOCKED.
        """
        due = or_(
            and_(SlaClock.state == ClockState.RUNNING.value, SlaClock.warn_at <= now),
            and_(SlaClock.state.in_(TICKING_CLOCK_STATES), SlaClock.deadline <= now),
        )
        free = or_(SlaClock.claim_until.is_(None), SlaClock.claim_until < now)
        candidates = select(SlaClock.id).where(due, free).order_by(SlaClock.deadline).limit(limit)
        if self.dialect == "postgresql":
            candidates = candidates.with_for_update(skip_locked=True)
        stmt = (
            update(SlaClock)
            .where(SlaClock.id.in_(candidates.scalar_subquery()), due, free)
            .values(claimed_by=worker, claim_until=lease_until)
            .returning(SlaClock.id)
            .execution_options(synchronize_session=False)
        )
        return list((await self.session.execute(stmt)).scalars())

    async def claimed_clocks(
        self, ids: Sequence[int], worker: str
    ) -> list[tuple[SlaClock, Ticket]]:
        if not ids:
            return []
        result = await self.session.execute(
            select(SlaClock, Ticket)
            .join(Ticket, Ticket.id == SlaClock.ticket_id)
            .where(SlaClock.id.in_(ids), SlaClock.claimed_by == worker)
            .order_by(SlaClock.deadline)
        )
        return [(clock, ticket) for clock, ticket in result]

    async def fire_clocks(
        self, ids: Sequence[int], *, event: str, worker: str, now: datetime
    ) -> list[int]:
        """Mark a warning or breach as fired, only for rows this worker holds and that have
        not fired it yet; returns the ids that really changed (the ones to announce)."""
        if not ids:
            return []
        held = and_(SlaClock.id.in_(ids), SlaClock.claimed_by == worker)
        if event == "breach":
            stmt = (
                update(SlaClock)
                .where(
                    held,
                    SlaClock.state.in_(TICKING_CLOCK_STATES),
                    SlaClock.breach_fired_at.is_(None),
                    SlaClock.deadline <= now,
                )
                .values(state=ClockState.BREACHED.value, breach_fired_at=now)
            )
        elif event == "warning":
            stmt = (
                update(SlaClock)
                .where(
                    held,
                    SlaClock.state == ClockState.RUNNING.value,
                    SlaClock.warning_fired_at.is_(None),
                    SlaClock.warn_at <= now,
                )
                .values(state=ClockState.WARNED.value, warning_fired_at=now)
            )
        else:
            raise ValueError(f"unknown SLA event {event!r}")
        stmt = stmt.returning(SlaClock.id).execution_options(synchronize_session=False)
        return list((await self.session.execute(stmt)).scalars())

    async def release_clocks(self, ids: Sequence[int], worker: str) -> None:
        if not ids:
            return
        await self.session.execute(
            update(SlaClock)
            .where(SlaClock.id.in_(ids), SlaClock.claimed_by == worker)
            .values(claimed_by=None, claim_until=None)
            .execution_options(synchronize_session=False)
        )

    async def escalate_tickets(self, ticket_ids: Sequence[int], now: datetime) -> dict[int, int]:
        """Move each ticket one step up its escalation chain; returns the level it was at."""
        if not ticket_ids:
            return {}
        result = await self.session.execute(
            update(Ticket)
            .where(Ticket.id.in_(ticket_ids))
            .values(escalation_level=Ticket.escalation_level + 1, updated_at=now)
            .returning(Ticket.id, Ticket.escalation_level)
            .execution_options(synchronize_session=False)
        )
        return {ticket_id: level - 1 for ticket_id, level in result}

    async def count_clocks(self, states: Sequence[str] = ()) -> int:
        stmt = select(func.count()).select_from(SlaClock)
        if states:
            stmt = stmt.where(SlaClock.state.in_(states))
        return int((await self.session.execute(stmt)).scalar_one())

    # events ----------------------------------------------------------------

    async def record_event(
        self,
        *,
        ticket_id: int | None,
        actor: str,
        action: str,
        at: datetime,
        payload: dict[str, Any] | None = None,
        dedupe_key: str | None = None,
    ) -> bool:
        """Append an audit event; False (nothing written) if `dedupe_key` was seen before."""
        values = {
            "ticket_id": ticket_id,
            "actor": actor,
            "action": action,
            "at": at,
            "payload": payload or {},
            "dedupe_key": dedupe_key,
        }
        stmt = _insert(self.session, TicketEvent).values(**values)
        if dedupe_key is not None:
            stmt = stmt.on_conflict_do_nothing(index_elements=["dedupe_key"])
        result = await self.session.execute(stmt.returning(TicketEvent.id))
        return result.scalar_one_or_none() is not None

    async def append_events(self, rows: Sequence[dict[str, Any]]) -> None:
        """Append audit events without dedupe keys in multi-row inserts, in row order
        (ids, and so the audit order of events with the same time, follow the list)."""
        if rows:
            connection = await self.session.connection()
            await connection.execute(_table_insert(self.session, TicketEvent), list(rows))

    async def record_events(self, rows: Sequence[dict[str, Any]]) -> set[str]:
        """Append many deduplicated events; returns the dedupe keys actually written."""
        if not rows:
            return set()
        stmt = (
            _insert(self.session, TicketEvent)
            .values(list(rows))
            .on_conflict_do_nothing(index_elements=["dedupe_key"])
            .returning(TicketEvent.dedupe_key)
        )
        return {key for key in (await self.session.execute(stmt)).scalars() if key is not None}

    async def ticket_events(self, ticket_id: int) -> list[TicketEvent]:
        result = await self.session.execute(
            select(TicketEvent)
            .where(TicketEvent.ticket_id == ticket_id)
            .order_by(TicketEvent.at, TicketEvent.id)
        )
        return list(result.scalars())

    # drafts, outbox, evidence ----------------------------------------------

    async def add(self, row: Base) -> None:
        self.session.add(row)
        await self.session.flush()

    async def draft(self, draft_id: int) -> ReplyDraft:
        draft = await self.session.get(ReplyDraft, draft_id)
        if draft is None:
            raise NotFound(f"reply draft {draft_id} does not exist")
        return draft

    async def ticket_drafts(self, ticket_id: int) -> list[ReplyDraft]:
        result = await self.session.execute(
            select(ReplyDraft).where(ReplyDraft.ticket_id == ticket_id).order_by(ReplyDraft.id)
        )
        return list(result.scalars())

    async def outbox_item(self, outbox_id: int) -> Outbox:
        item = await self.session.get(Outbox, outbox_id)
        if item is None:
            raise NotFound(f"outbox message {outbox_id} does not exist")
        return item

    async def claim_due_outbox(
        self, *, worker: str, now: datetime, lease_until: datetime, limit: int, channel: str | None
    ) -> list[int]:
        """Lease pending outbound messages whose next attempt is due (same scheme as clocks)."""
        due = and_(
            Outbox.status == OutboxStatus.PENDING.value,
            Outbox.next_attempt_at <= now,
            or_(Outbox.claim_until.is_(None), Outbox.claim_until < now),
        )
        if channel is not None:
            due = and_(due, Outbox.channel == channel)
        candidates = select(Outbox.id).where(due).order_by(Outbox.next_attempt_at).limit(limit)
        if self.dialect == "postgresql":
            candidates = candidates.with_for_update(skip_locked=True)
        stmt = (
            update(Outbox)
            .where(Outbox.id.in_(candidates.scalar_subquery()), due)
            .values(claimed_by=worker, claim_until=lease_until)
            .returning(Outbox.id)
            .execution_options(synchronize_session=False)
        )
        return list((await self.session.execute(stmt)).scalars())

    async def outbox_items(self, ids: Sequence[int]) -> list[Outbox]:
        if not ids:
            return []
        result = await self.session.execute(
            select(Outbox).where(Outbox.id.in_(ids)).order_by(Outbox.next_attempt_at, Outbox.id)
        )
        return list(result.scalars())

    async def ticket_evidence(self, ticket_id: int) -> list[Evidence]:
        result = await self.session.execute(
            select(Evidence).where(Evidence.ticket_id == ticket_id).order_by(Evidence.key)
        )
        return list(result.scalars())

    async def evidence_item(self, ticket_id: int, key: str) -> Evidence | None:
        result = await self.session.execute(
            select(Evidence).where(Evidence.ticket_id == ticket_id, Evidence.key == key)
        )
        return result.scalar_one_or_none()

    # cursors, agents -------------------------------------------------------

    async def cursor(self, channel: str, account: str, stream: str) -> str | None:
        result = await self.session.execute(
            select(ChannelCursor.cursor).where(
                ChannelCursor.channel == channel,
                ChannelCursor.account == account,
                ChannelCursor.stream == stream,
            )
        )
        return result.scalar_one_or_none()

    async def set_cursor(
        self, channel: str, account: str, stream: str, cursor: str, now: datetime
    ) -> None:
        stmt = _insert(self.session, ChannelCursor).values(
            channel=channel, account=account, stream=stream, cursor=cursor, updated_at=now
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=["channel", "account", "stream"],
            set_={"cursor": cursor, "updated_at": now},
        )
        await self.session.execute(stmt)

    async def agent(self, telegram_user_id: int) -> Agent | None:
        result = await self.session.execute(
            select(Agent).where(Agent.telegram_user_id == telegram_user_id)
        )
        return result.scalar_one_or_none()

    async def upsert_agent(
        self, telegram_user_id: int, role: str, display_name: str | None, active: bool
    ) -> None:
        values = {
            "telegram_user_id": telegram_user_id,
            "role": role,
            "display_name": display_name,
            "active": active,
        }
        stmt = _insert(self.session, Agent).values(**values)
        stmt = stmt.on_conflict_do_update(
            index_elements=["telegram_user_id"],
            set_={"role": role, "display_name": display_name, "active": active},
        )
        await self.session.execute(stmt)
