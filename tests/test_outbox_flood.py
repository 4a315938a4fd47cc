"""The outbox sender under the ops group's flood limit: a backlog of ticket cards is
spread over future slots instead of being re-deferred every time a slot frees.

Real python-telegram-bot against the fake Bot API; the outbox is an in-memory stand-in for
the port (it counts what the sender asks of it). Time is the injected clock, moved to the
next due row whenever nothing is due; nothing here depends on wall time.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from channel_builders import OPS_CHAT, T0, TOKEN, shared_book, telegram_app
from sqlalchemy import func, select
from storage_support import (
    DATABASE_KINDS,
    inbound,
    playbook_router,
    provision_database,
    stack_for,
)
from telegram import Bot

from bot.channels.desk import OutboundMessage
from bot.channels.health import ChannelHealth
from bot.channels.sender import DeferringOutbox, OutboxSender
from bot.channels.service_desk import ServiceDesk
from bot.channels.telegram_app import TelegramSender
from bot.clock import FakeClock
from bot.fakes.faults import Fault
from bot.fakes.telegram_server import FakeTelegramServer
from bot.service import TicketService
from classifiers.pii import mask_pii
from storage.models import Outbox, OutboxStatus, TicketEvent

CUSTOMER = 5001


@dataclass
class _Row:
    id: int
    recipient: str
    text: str
    next_at: datetime
    status: str = "pending"
    claimed: bool = False
    attempts: int = 0
    last_error: str | None = None


class MemoryOutbox:
    """Enough of OutboxPort for the sender: due order, leases, retry times."""

    def __init__(self, clock: FakeClock) -> None:
        self._clock = clock
        self.rows: dict[int, _Row] = {}
        self.failed: Counter[int] = Counter()
        self.sent_order: list[int] = []

    async def enqueue(
        self,
        *,
        channel: str,
        recipient: str,
        text: str,
        ticket_id: int | None = None,
        public: bool = False,
        reply_to: str | None = None,
    ) -> int:
        row = _Row(len(self.rows) + 1, recipient, text, self._clock.now())
        self.rows[row.id] = row
        return row.id

    async def claim_due(self, worker: str, limit: int, channel: str) -> list[OutboundMessage]:
        now = self._clock.now()
        due = sorted(
            (r for r in self.rows.values() if self._due(r, now)),
            key=lambda r: (r.next_at, r.id),
        )[:limit]
        for row in due:
            row.claimed = True
        return [
            OutboundMessage(r.id, channel, r.recipient, r.text, False, None, None, r.attempts)
            for r in due
        ]

    async def mark_sent(self, outbox_id: int, external_id: str | None) -> None:
        row = self.rows[outbox_id]
        row.status, row.claimed = "sent", False
        self.sent_order.append(outbox_id)

    async def mark_failed(self, outbox_id: int, error: str, retry_at: datetime) -> None:
        row = self.rows[outbox_id]
        row.attempts += 1
        row.last_error, row.next_at, row.claimed = error, retry_at, False
        self.failed[outbox_id] += 1

    async def sent_external_id(self, channel: str, recipient: str, ticket_id: int) -> str | None:
        return None

    @staticmethod
    def _due(row: _Row, now: datetime) -> bool:
        return row.status == "pending" and not row.claimed and row.next_at <= now

    def pending(self) -> list[_Row]:
        return [r for r in self.rows.values() if r.status == "pending"]


class DeferringMemoryOutbox(MemoryOutbox):
    def __init__(self, clock: FakeClock) -> None:
        super().__init__(clock)
        self.deferred: Counter[int] = Counter()
        self.defer_calls = 0

    async def defer(self, plan: Sequence[tuple[int, datetime]], reason: str) -> None:
        self.defer_calls += 1
        for outbox_id, not_before in plan:
            row = self.rows[outbox_id]
            if row.status == "pending":
                row.next_at, row.claimed, row.last_error = not_before, False, reason
                self.deferred[outbox_id] += 1


async def _drain(sender: OutboxSender, outbox: MemoryOutbox, clock: FakeClock) -> int:
    """Run the sender until nothing is pending, jumping the clock to the next due row;
    returns how many passes it took."""
    passes = 0
    while outbox.pending():
        passes += 1
        assert passes < 2000, "the backlog does not drain"
        if await sender.run_once() == 0:
            clock.set(min(r.next_at for r in outbox.pending()))
    return passes


def _sender(bot: Bot, outbox: MemoryOutbox, clock: FakeClock) -> OutboxSender:
    telegram = TelegramSender(bot, clock, lambda m: None)
    return OutboxSender(outbox, {"telegram": telegram}, clock, ChannelHealth(clock), worker="w1")


def _card(n: int) -> str:
    return f"CT-{n:06d} card"


async def test_sixty_cards_are_each_deferred_at_most_once_and_sent_in_order() -> None:
    clock = FakeClock(T0)
    outbox = DeferringMemoryOutbox(clock)
    assert isinstance(outbox, DeferringOutbox)
    async with FakeTelegramServer(TOKEN, clock=clock) as tg, telegram_app(tg) as app:
        sender = _sender(app.bot, outbox, clock)
        for n in range(60):
            await outbox.enqueue(channel="telegram", recipient=str(OPS_CHAT), text=_card(n))
        ack = await outbox.enqueue(channel="telegram", recipient=str(CUSTOMER), text="Hola")
        passes = await _drain(sender, outbox, clock)

        assert [m.text for m in tg.messages_to(OPS_CHAT)] == [_card(n) for n in range(60)]
        assert [m.text for m in tg.messages_to(CUSTOMER)] == ["Hola"]
        assert max(outbox.deferred.values()) == 1
        assert len(outbox.deferred) == 40  # the first 20 fit the first minute
        assert ack not in outbox.deferred
        assert not outbox.failed, "a planned deferral is not a failed attempt"
        # One deferral call per recipient and claimed batch, never one per card.
        assert outbox.defer_calls <= 3
        assert passes < 120


async def test_cards_queued_while_a_backlog_waits_go_after_it() -> None:
    clock = FakeClock(T0)
    outbox = DeferringMemoryOutbox(clock)
    async with FakeTelegramServer(TOKEN, clock=clock) as tg, telegram_app(tg) as app:
        sender = _sender(app.bot, outbox, clock)
        for n in range(30):
            await outbox.enqueue(channel="telegram", recipient=str(OPS_CHAT), text=_card(n))
        while await sender.run_once():
            pass
        assert len(tg.messages_to(OPS_CHAT)) == 20
        # Later, while cards 20-29 wait for their slots, more tickets arrive; one slot
        # has freed by then, but it belongs to the oldest waiting card.
        clock.advance(timedelta(seconds=61))
        for n in range(30, 45):
            await outbox.enqueue(channel="telegram", recipient=str(OPS_CHAT), text=_card(n))
        await _drain(sender, outbox, clock)

        assert [m.text for m in tg.messages_to(OPS_CHAT)] == [_card(n) for n in range(45)]
        assert max(outbox.deferred.values()) == 1
        assert not outbox.failed


async def test_without_planned_deferrals_each_card_is_recorded_once() -> None:
    clock = FakeClock(T0)
    outbox = MemoryOutbox(clock)
    async with FakeTelegramServer(TOKEN, clock=clock) as tg, telegram_app(tg) as app:
        sender = _sender(app.bot, outbox, clock)
        for n in range(60):
            await outbox.enqueue(channel="telegram", recipient=str(OPS_CHAT), text=_card(n))
        await _drain(sender, outbox, clock)

        assert [m.text for m in tg.messages_to(OPS_CHAT)] == [_card(n) for n in range(60)]
        assert max(outbox.failed.values()) == 1
        assert len(outbox.failed) == 40


async def test_a_card_that_keeps_failing_stays_pending_and_visible() -> None:
    clock = FakeClock(T0)
    outbox = DeferringMemoryOutbox(clock)
    async with FakeTelegramServer(TOKEN, clock=clock) as tg, telegram_app(tg) as app:
        sender = _sender(app.bot, outbox, clock)
        tg.faults.add(Fault("server_error", "sendMessage", status=503), times=50)
        for n in range(3):
            await outbox.enqueue(channel="telegram", recipient=str(OPS_CHAT), text=_card(n))
        for _ in range(5):
            await sender.run_once()
            clock.set(min(r.next_at for r in outbox.pending()))
        assert not tg.sent
        [first, *_] = rows = outbox.pending()
        assert len(rows) == 3
        assert first.attempts >= 3 and first.last_error


class CountingServiceDesk(ServiceDesk):
    """The real ServiceDesk, counting its planned-deferral calls."""

    defer_calls = 0

    async def defer(self, plan: Sequence[tuple[int, datetime]], reason: str) -> None:
        if plan:
            self.defer_calls += 1
        await super().defer(plan, reason)


@pytest.mark.parametrize("kind", DATABASE_KINDS)
async def test_a_card_backlog_on_the_real_outbox_is_sent_in_order_without_failures(
    kind: str, tmp_path: Path
) -> None:
    async with (
        provision_database(kind, tmp_path) as url,
        stack_for(url) as stack,
        FakeTelegramServer(TOKEN, clock=stack.clock) as tg,
        telegram_app(tg) as app,
    ):
        clock = stack.clock
        service = TicketService(
            stack.database, playbook_router(), stack.notifier, clock, stack.settings
        )
        desk = CountingServiceDesk(
            stack.pipeline,
            service,
            stack.database,
            playbook_router(),
            shared_book(),
            clock,
            mask=mask_pii,
        )
        ticket = await stack.pipeline.ingest(inbound("m1"))
        for n in range(60):
            await desk.enqueue(
                channel="telegram",
                recipient=str(OPS_CHAT),
                text=_card(n),
                ticket_id=ticket.ticket_id,
            )
        telegram = TelegramSender(app.bot, clock, lambda m: None)
        sender = OutboxSender(
            desk, {"telegram": telegram}, clock, ChannelHealth(clock), worker="w1"
        )
        for _ in range(500):
            if await sender.run_once() > 0:
                continue
            async with stack.database.transaction() as session:
                due = (
                    await session.execute(
                        select(func.min(Outbox.next_attempt_at)).where(
                            Outbox.status == OutboxStatus.PENDING.value
                        )
                    )
                ).scalar_one()
            if due is None:
                break
            clock.set(max(due, clock.now()))

        assert [m.text for m in tg.messages_to(OPS_CHAT)] == [_card(n) for n in range(60)]
        async with stack.database.transaction() as session:
            actions = (
                (
                    await session.execute(
                        select(TicketEvent.action).where(TicketEvent.ticket_id == ticket.ticket_id)
                    )
                )
                .scalars()
                .all()
            )
            attempts = (await session.execute(select(Outbox.attempts))).scalars().all()
        assert "send_failed" not in actions
        assert set(attempts) == {1}  # each card tried once: the send that went out
        assert desk.defer_calls <= 3
