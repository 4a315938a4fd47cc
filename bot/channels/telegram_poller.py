"""Long-polling Telegram with the offset persisted after each update is handled.

PTB's own Updater confirms a batch to Telegram as soon as it is fetched, so a crash would
lose the updates still queued in memory. Here the offset only moves (in the database, and
so at Telegram on the next getUpdates) after an update's handlers finished, and handlers
are idempotent on (channel, external id): a restart at any point neither loses nor
duplicates a message. An update whose handling failed because the database was away is
retried until it succeeds rather than skipped. A malformed update is skipped with a logged
reason and confirmed like any other (telegram_updates.py), so it cannot stall the poll.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from telegram import Update

from bot.channels.desk import CursorPort
from bot.channels.errors import (
    ChannelAuthError,
    ChannelError,
    RateLimited,
    telegram_errors,
)
from bot.channels.health import ChannelHealth
from bot.channels.stopping import StopSignal
from bot.channels.telegram_app import TelegramApplication
from bot.channels.telegram_updates import Outcome, UpdateDispatcher
from bot.clock import Clock
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
            for update in updates:
                if not await self._handle(update, stop):
                    return
                try:
                    await self._cursors.set_cursor(
                        "telegram", self._account, CURSOR_STREAM, str(update.update_id + 1)
                    )
                except StorageUnavailable:
                    # Fetch again from the last confirmed offset: the update just handled
                    # comes back and is recognised as already ingested.
                    log.warning("database unavailable confirming update %d", update.update_id)
                    await stop.sleep(self._lease_retry)
                    break
                offset = update.update_id + 1
                if stop.is_set:
                    return

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
