"""The outbox sender: sends persisted outbound messages, retrying with backoff.

Every outbound message was written to the outbox before this task sees it. A send that
fails stays pending with its error and a later `next_attempt_at`, so nothing is dropped:
5xx/timeouts back off exponentially, 429s wait until the channel's reset time, permanent
refusals are retried rarely (an agent sees them as failed in the meantime), and an
auth failure marks the channel unhealthy.

A flood limit (Telegram: about 20 messages a minute into one group) is not a failure but a
schedule. When a recipient hits it, its waiting messages are each given their own later
slot, one per `flood_spacing`, in enqueue order; a message enqueued while that backlog
waits is slotted after it. Each one is then claimed only when its slot comes, so a freed
slot costs one send, not a pass over the whole backlog. The slots are written in one call
per recipient and batch when the outbox can (`DeferringOutbox`: no attempt counted, no
failure audit); otherwise each is recorded as a failed attempt, once per message.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol, runtime_checkable

from bot.channels.desk import OutboundMessage, OutboxPort
from bot.channels.errors import (
    ChannelAuthError,
    ChannelError,
    ChannelUnavailable,
    RateLimited,
    SendRejected,
)
from bot.channels.health import ChannelHealth
from bot.channels.stopping import StopSignal
from bot.clock import Clock

log = logging.getLogger("caretriage.channels.sender")

BACKOFF_BASE_SECONDS = 1.0
BACKOFF_CAP_SECONDS = 300.0
REJECTED_RETRY_SECONDS = 3600.0
UNHEALTHY_RETRY_SECONDS = 300.0
# Telegram's group limit is about 20 a minute. Slots a little wider than 3 s (19 a minute)
# leave ~3 s of slack per 20 sends, so a card sent a moment after its slot (the sender
# was busy) does not find the window still full 20 cards later and get deferred again.
FLOOD_SPACING_SECONDS = 60.0 / 19
# A slot this far in the past whose message we never saw again was sent or removed
# elsewhere (another worker, an erasure): stop holding later messages behind it.
STALE_SLOT = timedelta(minutes=10)


class ChannelSender(Protocol):
    async def send(self, message: OutboundMessage) -> str | None:
        """Deliver one message; returns the channel's id for it. Raises ChannelError."""
        ...


@runtime_checkable
class DeferringOutbox(Protocol):
    """An outbox that can reschedule pending sends without counting them as failures."""

    async def defer(self, plan: Sequence[tuple[int, datetime]], reason: str) -> None:
        """Give each (outbox id, not-before time) its time and release our claim on it, in
        one statement; only pending rows change, attempts are not counted and no failure
        is audited (`reason` is kept as the row's last error, so a waiting send stays
        visible)."""
        ...


@dataclass
class _Lane:
    """One recipient's flood-limit schedule: slots handed out to messages not yet sent."""

    tail: datetime
    planned: dict[int, datetime] = field(default_factory=dict)

    def assign(self, outbox_id: int, at_least: datetime, spacing: timedelta) -> datetime:
        slot = max(at_least, self.tail + spacing)
        self.tail = max(self.tail, slot)
        self.planned[outbox_id] = slot
        return slot

    def waiting_before(self, outbox_id: int, now: datetime) -> bool:
        """Is a message enqueued before this one still waiting for its slot?"""
        return any(
            earlier < outbox_id and slot > now - STALE_SLOT
            for earlier, slot in self.planned.items()
        )


def next_attempt_at(
    error: ChannelError, attempts: int, now: datetime, base_seconds: float = BACKOFF_BASE_SECONDS
) -> datetime:
    """When to try a failed send again (`attempts` includes the one that just failed)."""
    if isinstance(error, RateLimited):
        return max(error.retry_at, now)
    if isinstance(error, SendRejected):
        return now + timedelta(seconds=REJECTED_RETRY_SECONDS)
    if isinstance(error, ChannelAuthError):
        return now + timedelta(seconds=UNHEALTHY_RETRY_SECONDS)
    delay = min(base_seconds * 2 ** max(attempts - 1, 0), BACKOFF_CAP_SECONDS)
    return now + timedelta(seconds=delay)


class OutboxSender:
    def __init__(
        self,
        outbox: OutboxPort,
        senders: Mapping[str, ChannelSender],
        clock: Clock,
        health: ChannelHealth,
        *,
        worker: str,
        idle_seconds: float = 0.5,
        batch: int = 20,
        wake: asyncio.Event | None = None,
        backoff_base: float = BACKOFF_BASE_SECONDS,
        flood_spacing: float = FLOOD_SPACING_SECONDS,
    ) -> None:
        self._outbox = outbox
        self._senders = dict(senders)
        self._clock = clock
        self._health = health
        self._worker = worker
        self._idle = idle_seconds
        self._batch = batch
        self._wake = wake or asyncio.Event()
        self._backoff_base = backoff_base
        self._spacing = timedelta(seconds=flood_spacing)
        # Only recipients with a flood backlog have a lane; it goes when the backlog does.
        self._lanes: dict[tuple[str, str], _Lane] = {}

    def kick(self) -> None:
        """Something was enqueued: look at the outbox now instead of after the idle wait."""
        self._wake.set()

    async def run_forever(self, stop: StopSignal) -> None:
        """Send until `stop` is set; a batch in progress is always finished first."""
        while not stop.is_set:
            sent = await self.run_once()
            if sent == 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self._idle)
                self._wake.clear()

    async def run_once(self) -> int:
        """Claim due messages for our channels and try each once; returns how many were tried.

        Recipients are served concurrently, each one's messages in order: a chat held back
        by a flood limit (Telegram allows a group 20 messages a minute, so a burst of
        ticket cards waits) must not hold back every customer's acknowledgement.
        """
        tried = 0
        stale = self._clock.now() - STALE_SLOT
        for key in [k for k, lane in self._lanes.items() if lane.tail <= stale]:
            del self._lanes[key]  # its messages went out elsewhere (or were erased)
        for channel in self._senders:
            items = await self._outbox.claim_due(self._worker, self._batch, channel)
            by_recipient: dict[str, list[OutboundMessage]] = defaultdict(list)
            for item in items:
                by_recipient[item.recipient].append(item)
            await asyncio.gather(*(self._deliver_in_order(q) for q in by_recipient.values()))
            tried += len(items)
        return tried

    async def _deliver_in_order(self, queue: list[OutboundMessage]) -> None:
        # Outbox ids follow enqueue order; claims come in due order, which can differ.
        queue = sorted(queue, key=lambda m: m.id)
        key = (queue[0].channel, queue[0].recipient)
        plan: list[tuple[int, datetime]] = []
        try:
            for position, item in enumerate(queue):
                now = self._clock.now()
                lane = self._lanes.get(key)
                if lane is not None and lane.waiting_before(item.id, now):
                    # Sending now would overtake an earlier message still waiting its slot.
                    plan.append((item.id, lane.assign(item.id, now, self._spacing)))
                    continue
                error, retry_at = await self._deliver(item)
                if error is None:
                    self._release_slot(key, item.id)
                    continue
                if isinstance(error, RateLimited):
                    plan.extend(self._schedule(key, item, retry_at, queue[position + 1 :]))
                    return
                self._release_slot(key, item.id)
                await self._outbox.mark_failed(item.id, str(error), retry_at)
                # Keep the recipient's order: what follows waits for the failed one.
                for held in queue[position + 1 :]:
                    await self._outbox.mark_failed(
                        held.id, f"held behind message {item.id} to the same recipient", retry_at
                    )
                return
        finally:
            if plan:
                await self._defer(plan)

    def _schedule(
        self,
        key: tuple[str, str],
        item: OutboundMessage,
        free_at: datetime,
        following: list[OutboundMessage],
    ) -> list[tuple[int, datetime]]:
        """Slots for a message that hit the flood limit and for the ones queued behind it."""
        lane = self._lanes.get(key)
        if lane is None:
            lane = self._lanes[key] = _Lane(tail=free_at - self._spacing)
        if item.id in lane.planned:
            # Slotted already, but the limit was still full (an earlier send went out late):
            # move it to the free time, and later slots only as far as order needs.
            slot = max(free_at, lane.planned[item.id])
            lane.planned[item.id] = slot
            lane.tail = max(lane.tail, slot)
        else:
            slot = lane.assign(item.id, free_at, self._spacing)
        plan = [(item.id, slot)]
        previous = slot
        for later_id in sorted(i for i in lane.planned if i > item.id):
            if lane.planned[later_id] > previous:
                break
            previous = lane.planned[later_id] = previous + self._spacing
            lane.tail = max(lane.tail, previous)
            plan.append((later_id, previous))
        moved = {outbox_id for outbox_id, _ in plan}
        plan.extend(
            (held.id, lane.assign(held.id, free_at, self._spacing))
            for held in following
            if held.id not in moved
        )
        return plan

    def _release_slot(self, key: tuple[str, str], outbox_id: int) -> None:
        """The message left the plan: sent, or failed for another reason (then retried by
        backoff, not by the plan). Stale slots go with it."""
        lane = self._lanes.get(key)
        if lane is None:
            return
        lane.planned.pop(outbox_id, None)
        stale = self._clock.now() - STALE_SLOT
        for old in [i for i, slot in lane.planned.items() if slot <= stale]:
            del lane.planned[old]
        if not lane.planned:
            del self._lanes[key]

    async def _defer(self, plan: list[tuple[int, datetime]]) -> None:
        reason = "waiting for a slot under the recipient's flood limit"
        if isinstance(self._outbox, DeferringOutbox):
            await self._outbox.defer(plan, reason)
            return
        # An outbox without planned deferrals records each as a failed attempt: one entry
        # per message, since its slot is not given again unless it is sent late.
        for outbox_id, slot in plan:
            await self._outbox.mark_failed(outbox_id, reason, slot)

    async def _deliver(self, item: OutboundMessage) -> tuple[ChannelError | None, datetime]:
        """Send one message; on failure returns the error and when to retry it."""
        sender = self._senders[item.channel]  # claimed per channel we have a sender for
        try:
            external_id = await sender.send(item)
        except ChannelError as exc:
            if isinstance(exc, ChannelAuthError):
                await self._health.mark_unhealthy(exc)
            retry_at = next_attempt_at(
                exc, item.attempts + 1, self._clock.now(), self._backoff_base
            )
            level = (
                logging.INFO
                if isinstance(exc, ChannelUnavailable | RateLimited)
                else (logging.WARNING)
            )
            log.log(
                level,
                "send %d on %s failed (%s); retry at %s",
                item.id,
                item.channel,
                exc,
                retry_at.isoformat(),
            )
            return exc, retry_at
        self._health.mark_healthy(item.channel)
        await self._outbox.mark_sent(item.id, external_id)
        return None, self._clock.now()
