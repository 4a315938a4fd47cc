"""Long-polling Telegram with the offset persisted once a batch of updates is handled.

PTB's own Updater confirms a batch to Telegram as soon as it is fetched, so a crash would
lose the updates still queued in memory. Here the offset only moves (in the database, and
so at Telegram on the next getUpdates) after every update of the batch was handled, and
handlers are idempotent on (channel, external id): a restart at any point neither loses
nor duplicates a message (a batch cut short comes back whole, and what it had already
stored is recognised). An update whose handling failed because the database was away is
retried until it succeeds rather than skipped. A malformed update is skipped with a logged
reason and confirmed like any other (telegram_updates.py), so it cannot stall the poll.

Customers' messages of a batch are ingested in one pipeline pass before the updates are
handled one by one, in order: a batch of one per message would spend most of the time in
per-message transactions. Only the first update of each chat is ingested ahead, because a
later one may be the answer to an evidence question the first one starts.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from telegram import Update

from bot.channels.desk import CursorPort, CustomerDesk
from bot.channels.errors import (
    ChannelAuthError,
    ChannelError,
    RateLimited,
    telegram_errors,
)
from bot.channels.health import ChannelHealth
from bot.channels.stopping import StopSignal
from bot.channels.telegram_app import TelegramApplication
from bot.channels.telegram_customer import CustomerMessageHandler
from bot.channels.telegram_updates import Outcome, UpdateDispatcher
from bot.clock import Clock
from bot.inbound import InboundMessage
from storage.errors import StorageUnavailable

log = logging.getLogger("caretriage.channels.telegram")

CURSOR_STREAM = "updates"
ALLOWED_UPDATES = ("message", "edited_message", "callback_query")
MAX_BACKOFF_SECONDS = 30.0
MAX_RATE_LIMIT_WAIT_SECONDS = 300.0

LeaseCheck = Callable[[], Awaitable[bool]]


class TelegramPoller:
    def __init__(
        self,
        app: TelegramApplication,
        cursors: CursorPort,
        clock: Clock,
        health: ChannelHealth,
        *,
        account: str,
        poll_timeout: float = 30.0,
        holds_lease: LeaseCheck | None = None,
        lease_retry_seconds: float = 5.0,
        backoff_base: float = 0.5,
    ) -> None:
        self._app = app
        self._cursors = cursors
        self._clock = clock
        self._health = health
        self._account = account
        self._poll_timeout = poll_timeout
        self._holds_lease = holds_lease
        self._lease_retry = lease_retry_seconds
        self._backoff_base = backoff_base
        self._dispatcher = UpdateDispatcher(app)
        self.handled = 0

    async def run_forever(self, stop: StopSignal) -> None:
        """Poll until `stop` is set; an update being handled is always finished first."""
        stored = await self._cursors.cursor("telegram", self._account, CURSOR_STREAM)
        offset = int(stored) if stored else 0
        failures = 0
        while not stop.is_set:
            try:
                held = self._holds_lease is None or await self._holds_lease()
            except StorageUnavailable:
                log.warning("database unavailable for the Telegram poller lease; retrying")
                held = False
            if not held:
                await stop.sleep(self._lease_retry)
                continue
            try:
                updates = await stop.unless_stopped(self._fetch(offset))
            except RateLimited as exc:
                await stop.sleep(self._seconds_until(exc.retry_at))
                continue
            except ChannelAuthError as exc:
                await self._health.mark_unhealthy(exc)
                return
            except ChannelError as exc:
                failures += 1
                delay = min(self._backoff_base * 2 ** min(failures, 8), MAX_BACKOFF_SECONDS)
                log.info("getUpdates failed (%s); retrying in %.1fs", exc, delay)
                await stop.sleep(delay)
                continue
            if updates is None:  # stopped during the long poll
                return
            failures = 0
            self._health.mark_healthy("telegram")
            handled_through, finished = await self._handle_batch(updates, stop)
            if handled_through is not None:
                try:
                    await self._cursors.set_cursor(
                        "telegram", self._account, CURSOR_STREAM, str(handled_through + 1)
                    )
                except StorageUnavailable:
                    # Fetch again from the last confirmed offset: the updates just handled
                    # come back and are recognised as already ingested.
                    log.warning("database unavailable confirming updates up to %d", handled_through)
                    await stop.sleep(self._lease_retry)
                    continue
                offset = handled_through + 1
            if not finished or stop.is_set:
                return

    async def _handle_batch(
        self, updates: tuple[Update, ...], stop: StopSignal
    ) -> tuple[int | None, bool]:
        """Handle the updates in order, their customers' messages ingested ahead in one
        batch; returns (id of the last update handled, False when stopped while the
        database was away). Stopping otherwise ends the batch after the update in hand."""
        ahead = self._ingest_ahead(updates)
        for desk, messages in ahead:
            await desk.ingest_ahead(messages)
        handled_through: int | None = None
        try:
            for update in updates:
                if not await self._handle(update, stop):
                    return handled_through, False
                handled_through = update.update_id
                if stop.is_set:
                    break
        finally:
            for desk, messages in ahead:
                desk.forget_ahead(messages)
        return handled_through, True

    def _ingest_ahead(
        self, updates: tuple[Update, ...]
    ) -> list[tuple[CustomerDesk, list[InboundMessage]]]:
        """The customers' messages of the batch that can be ingested before their updates
        are handled, grouped by desk (in practice there is one; the grouping does not rely
        on it)."""
        seen_chats: set[int] = set()
        by_desk: dict[int, tuple[CustomerDesk, list[InboundMessage]]] = {}
        for update in updates:
            chat = update.effective_chat
            if chat is None:
                continue
            first = chat.id not in seen_chats
            seen_chats.add(chat.id)
            if not first:
                continue
            for handler in self._dispatcher.chosen(update):
                if isinstance(handler, CustomerMessageHandler):
                    inbound = handler.chat.ingested_ahead(update)
                    if inbound is not None:
                        desk = handler.chat.desk
                        by_desk.setdefault(id(desk), (desk, []))[1].append(inbound)
        return list(by_desk.values())

    async def _fetch(self, offset: int) -> tuple[Update, ...]:
        async with telegram_errors(self._clock):
            return await self._app.bot.get_updates(
                offset=offset or None,
                timeout=int(self._poll_timeout),
                allowed_updates=list(ALLOWED_UPDATES),
            )

    async def _handle(self, update: Update, stop: StopSignal) -> bool:
        """Handle one update; False when stopped while the database was away (the update is
        then left unconfirmed and handled again after the restart). Any other outcome,
        failure included, confirms it (see telegram_updates.py)."""
        attempt = 0
        while True:
            outcome = await self._dispatcher.dispatch(update)
            if outcome is not Outcome.STORAGE_UNAVAILABLE:
                if outcome is Outcome.HANDLED:
                    self.handled += 1
                return True
            attempt += 1
            delay = min(self._backoff_base * 2**attempt, MAX_BACKOFF_SECONDS)
            log.warning(
                "database unavailable handling update %d; retry in %.1fs", update.update_id, delay
            )
            if await stop.sleep(delay):
                return False

    def _seconds_until(self, when: datetime) -> float:
        seconds = (when - self._clock.now()).total_seconds()
        return min(max(seconds, 0.0), MAX_RATE_LIMIT_WAIT_SECONDS)
