"""Wiring: the configured channels, the outbox sender and the ops console in one process.

`ChannelRuntime` is what `caretriage run` (and the demo) start: from Settings and the core
objects it builds the Telegram application (customers + ops group + escalation chat,
polling or webhook), the X poller, the outbox sender, and registers the Telegram notifier
with the core's notifier hub. Each poller holds a lease row so that several workers against
one database never poll the same token twice; the outbox and the SLA clocks are shared
work the database hands out.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, Protocol

from bot.channels.conversation import PrivateConversations
from bot.channels.desk import CursorPort, CustomerDesk, OpsDesk, OutboxPort
from bot.channels.errors import ChannelError, telegram_errors
from bot.channels.health import ChannelHealth
from bot.channels.interview import interview_for
from bot.channels.lease import PollerLease, account_key
from bot.channels.ops_console import OpsChats, TelegramOpsConsole, TelegramOpsNotifier
from bot.channels.sender import ChannelSender, OutboxSender
from bot.channels.stopping import StopSignal
from bot.channels.telegram_app import TelegramApplication, TelegramSender, build_application
from bot.channels.telegram_customer import TelegramCustomerChat
from bot.channels.telegram_poller import ALLOWED_UPDATES, TelegramPoller
from bot.channels.telegram_webhook import TelegramWebhook
from bot.channels.x_channel import PublicReplyChecker, XChannel, XSender
from bot.channels.x_client import XClient, XCredentials
from bot.clock import Clock
from bot.notify import Notifier, SlaNotice, TicketNotice
from bot.settings import Settings
from storage.database import Database

log = logging.getLogger("caretriage.channels.runtime")

STOP_GRACE_SECONDS = 10.0


class ChannelConfigError(ValueError):
    """The channel settings cannot work together; the message names the setting."""


def worker_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


class NotifierHub:
    """The Notifier the core is built with; channel notifiers join it once they exist."""

    def __init__(self, *targets: Notifier) -> None:
        self._targets: list[Notifier] = list(targets)

    def add(self, target: Notifier) -> None:
        self._targets.append(target)

    def remove(self, target: Notifier) -> None:
        if target in self._targets:
            self._targets.remove(target)

    async def _each(self, call: Callable[[Notifier], Awaitable[None]]) -> None:
        for target in self._targets:
            try:
                await call(target)
            except Exception:
                # One broken notifier must not silence the others; the ticket is stored.
                log.exception("notifier %s failed", type(target).__name__)

    async def ticket_opened(self, notice: TicketNotice) -> None:
        await self._each(lambda t: t.ticket_opened(notice))

    async def ticket_updated(self, notice: TicketNotice) -> None:
        await self._each(lambda t: t.ticket_updated(notice))

    async def sla_event(self, notice: SlaNotice) -> None:
        await self._each(lambda t: t.sla_event(notice))


class ChannelDesk(CustomerDesk, OutboxPort, CursorPort, OpsDesk, Protocol):
    """Everything the channels need from the core (ServiceDesk implements it)."""

    async def card(self, ticket_id: int) -> TicketNotice: ...


@dataclass
class RuntimeOptions:
    poll_timeout: float = 30.0  # Telegram long-poll seconds
    lease_ttl: float = 30.0
    lease_retry: float = 5.0
    sender_idle: float = 0.5
    x_timeout: float = 15.0
    telegram_read_timeout: float = 10.0
    backoff_base: float = 1.0  # first retry delay after a 5xx/timeout; doubles each time
    worker: str = field(default_factory=worker_id)


def check_channel_settings(settings: Settings) -> list[str]:
    """Names of the channels the settings configure; raises ChannelConfigError if unusable."""
    channels = []
    if settings.has_telegram():
        if settings.telegram_mode == "webhook":
            if not settings.telegram_webhook_url:
                raise ChannelConfigError(
                    "telegram_mode=webhook needs CARETRIAGE_TELEGRAM_WEBHOOK_URL "
                    "(the public HTTPS URL Telegram posts updates to)"
                )
            if settings.telegram_webhook_secret is None:
                raise ChannelConfigError(
                    "telegram_mode=webhook needs CARETRIAGE_TELEGRAM_WEBHOOK_SECRET: without it "
                    "anyone who finds the URL could post fake updates"
                )
        channels.append("telegram")
    if settings.has_x():
        channels.append("x")
    return channels


class ChannelRuntime:
    def __init__(
        self,
        settings: Settings,
        desk: ChannelDesk,
        hub: NotifierHub,
        database: Database,
        guard: PublicReplyChecker,
        clock: Clock,
        options: RuntimeOptions | None = None,
    ) -> None:
        self.settings = settings
        self.desk = desk
        self.hub = hub
        self.database = database
        self.guard = guard
        self.clock = clock
        self.options = options or RuntimeOptions()
        self.health = ChannelHealth(clock)
        self.wake = asyncio.Event()
        self.stopping = StopSignal()
        self.conversations = PrivateConversations(
            desk, desk, kick_sender=self.wake.set, interview=interview_for(settings, clock)
        )
        self.senders: dict[str, ChannelSender] = {}
        self.telegram_app: TelegramApplication | None = None
        self.telegram_poller: TelegramPoller | None = None
        self.telegram_webhook: TelegramWebhook | None = None
        self.x_channel: XChannel | None = None
        self.sender: OutboxSender | None = None
        self.leases: list[PollerLease] = []
        self._x_client: XClient | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._webhook = False
        self._notifier: TelegramOpsNotifier | None = None

    # -- building --------------------------------------------------------------------------

    async def _build_telegram(self) -> None:
        settings = self.settings
        assert settings.telegram_bot_token is not None
        token = settings.telegram_bot_token.get_secret_value()
        app = build_application(
            token,
            base_url=settings.telegram_base_url,
            poll_timeout=self.options.poll_timeout,
            read_timeout=self.options.telegram_read_timeout,
        )
        try:
            async with telegram_errors(self.clock):
                await app.initialize()  # getMe: a wrong token fails here, loudly
        except ChannelError:
            # The HTTP client that made the getMe call is open; an uninitialised
            # Application's shutdown() would not close it.
            await app.bot.request.shutdown()
            raise
        account = app.bot.username or account_key(token)
        chats = OpsChats(settings.telegram_ops_chat_id, settings.telegram_escalation_chat_id)
        sender = TelegramSender(app.bot, self.clock, chats.markup_for)
        notifier = TelegramOpsNotifier(chats, self.desk, sender, kick_sender=self.wake.set)
        notifier.card_source = self.desk.card
        self.hub.add(notifier)
        self._notifier = notifier
        self.health.set_alert_sink(notifier.alert)
        console = TelegramOpsConsole(
            chats, self.desk, self.desk, self.clock, kick_sender=self.wake.set
        )
        console.register(app)
        TelegramCustomerChat(self.conversations, account=account).register(app)
        self.senders["telegram"] = sender
        self.telegram_app = app
        if settings.telegram_mode == "webhook":
            self._webhook = True
            return
        lease = PollerLease(
            self.database,
            self.clock,
            channel="telegram",
            account=account_key(token),
            holder=self.options.worker,
            ttl_seconds=self.options.lease_ttl,
        )
        self.leases.append(lease)
        self.telegram_poller = TelegramPoller(
            app,
            self.desk,
            self.clock,
            self.health,
            account=account,
            poll_timeout=self.options.poll_timeout,
            holds_lease=lease.hold,
            lease_retry_seconds=self.options.lease_retry,
            backoff_base=self.options.backoff_base,
        )

    def _build_x(self) -> None:
        settings = self.settings

        def secret(value: Any) -> str | None:
            return value.get_secret_value() if value is not None else None

        credentials = XCredentials(
            bearer_token=secret(settings.x_bearer_token),
            api_key=secret(settings.x_api_key),
            api_secret=secret(settings.x_api_secret),
            access_token=secret(settings.x_access_token),
            access_secret=secret(settings.x_access_secret),
        )
        client = XClient(
            credentials, base_url=settings.x_base_url, timeout_seconds=self.options.x_timeout
        )
        self._x_client = client
        self.x_channel = XChannel(
            client,
            self.conversations,
            self.desk,
            self.guard,
            self.clock,
            self.health,
            account_id=settings.x_account_id,
            poll_interval=settings.x_poll_interval_seconds,
        )
        self.senders["x"] = XSender(client, self.clock)
        key = credentials.bearer_token or credentials.access_token or "x"
        self.leases.append(
            PollerLease(
                self.database,
                self.clock,
                channel="x",
                account=account_key(key),
                holder=self.options.worker,
                ttl_seconds=self.options.lease_ttl,
            )
        )

    # -- running ---------------------------------------------------------------------------

    async def start(self) -> None:
        channels = check_channel_settings(self.settings)
        if "telegram" in channels:
            await self._build_telegram()
        if "x" in channels:
            self._build_x()
            assert self._x_client is not None
            await self._x_client.__aenter__()
        self.sender = OutboxSender(
            self.desk,
            self.senders,
            self.clock,
            self.health,
            worker=self.options.worker,
            idle_seconds=self.options.sender_idle,
            wake=self.wake,
            backoff_base=self.options.backoff_base,
        )
        self._spawn(self.sender.run_forever(self.stopping), "outbox sender")
        if self.telegram_poller is not None:
            self._spawn(self.telegram_poller.run_forever(self.stopping), "telegram poller")
        if self._webhook:
            await self._start_webhook()
        if self.x_channel is not None:
            x_lease = next(lease for lease in self.leases if lease.channel == "x")
            self._spawn(self.x_channel.run_forever(self.stopping, x_lease.hold), "x poller")

    async def _start_webhook(self) -> None:
        app = self.telegram_app
        settings = self.settings
        assert app is not None
        assert settings.telegram_webhook_secret is not None
        assert settings.telegram_webhook_url is not None
        self.telegram_webhook = TelegramWebhook(
            app, self.clock, secret_token=settings.telegram_webhook_secret.get_secret_value()
        )
        await self.telegram_webhook.start(
            listen=settings.telegram_webhook_listen,
            port=settings.telegram_webhook_port,
            public_url=settings.telegram_webhook_url,
            allowed_updates=ALLOWED_UPDATES,
        )

    def _spawn(self, work: Coroutine[Any, Any, None], name: str) -> None:
        task = asyncio.create_task(work, name=name)
        task.add_done_callback(_log_crash)
        self._tasks.append(task)

    async def stop(self) -> None:
        """Stop the loops cooperatively (each finishes the item in hand), then close."""
        if self._notifier is not None:
            self.hub.remove(self._notifier)
            self._notifier = None
        self.stopping.set()
        self.wake.set()
        if self._tasks:
            _, late = await asyncio.wait(self._tasks, timeout=STOP_GRACE_SECONDS)
            for task in late:
                name = task.get_name()
                log.warning("%s did not stop within %.0fs; cancelling", name, STOP_GRACE_SECONDS)
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._tasks.clear()
        await self._close_clients()

    async def _close_clients(self) -> None:
        if self.telegram_webhook is not None:
            await self.telegram_webhook.stop()
        app = self.telegram_app
        if app is not None:
            if app.updater is not None and app.updater.running:
                await app.updater.stop()
            if app.running:
                await app.stop()
            with contextlib.suppress(ChannelError):
                async with telegram_errors(self.clock):
                    await app.shutdown()
        if self._x_client is not None:
            await self._x_client.__aexit__(None, None, None)
        for lease in self.leases:
            await lease.release()


def _log_crash(task: asyncio.Task[None]) -> None:
    if task.cancelled():
        return
    error = task.exception()
    if error is not None:
        log.error("%s stopped: %r", task.get_name(), error, exc_info=error)
