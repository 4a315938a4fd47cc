"""The outbox sender: sends persisted outbound messages, retrying with backoff.

Every outbound message was written to the outbox before this task sees it. A send that
fails stays pending with its error and a later `next_attempt_at`, so nothing is dropped:
5xx/timeouts back off exponentially, 429s wait until the channel's reset time, permanent
refusals are retried rarely (an agent sees them as failed in the meantime), and an
auth failure marks the channel unhealthy.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Protocol

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


class ChannelSender(Protocol):
    async def send(self, message: OutboundMessage) -> str | None:
        """Deliver one message; returns the channel's id for it. Raises ChannelError."""
        ...


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
        for channel in self._senders:
            items = await self._outbox.claim_due(self._worker, self._batch, channel)
            by_recipient: dict[str, list[OutboundMessage]] = defaultdict(list)
            for item in items:
                by_recipient[item.recipient].append(item)
            await asyncio.gather(*(self._deliver_in_order(q) for q in by_recipient.values()))
            tried += len(items)
        return tried

    async def _deliver_in_order(self, queue: list[OutboundMessage]) -> None:
        for position, item in enumerate(queue):
            retry_at = await self._deliver(item)
            if retry_at is not None:
                # Keep the recipient's order: what follows waits for the failed one.
                for held in queue[position + 1 :]:
                    await self._outbox.mark_failed(
                        held.id, f"held behind message {item.id} to the same recipient", retry_at
                    )
                return

    async def _deliver(self, item: OutboundMessage) -> datetime | None:
        """Send one message; returns when to retry it if it failed."""
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
            await self._outbox.mark_failed(item.id, str(exc), retry_at)
            return retry_at
        self._health.mark_healthy(item.channel)
        await self._outbox.mark_sent(item.id, external_id)
        return None
