"""Builders for channel tests: outbound rows, clocks, and the apps pointed at the fakes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from storage_support import TEST_PSEUDONYM_KEY, TaggedClassifier, create_schema, playbook_router

from bot.channels.desk import OutboundMessage
from bot.channels.runtime import ChannelRuntime, NotifierHub, RuntimeOptions
from bot.channels.service_desk import ServiceDesk
from bot.channels.telegram_app import TelegramApplication, build_application
from bot.channels.x_client import XClient, XCredentials
from bot.clock import SystemClock
from bot.fakes.telegram_server import FakeTelegramServer, FakeUser
from bot.fakes.x_server import FakeXServer
from bot.notify import RecordingNotifier
from bot.pipeline import TriagePipeline
from bot.pseudonym import Pseudonymizer
from bot.service import TicketService
from bot.settings import Settings
from classifiers.guard.guard import ReplyGuard
from classifiers.model import load_classifier
from classifiers.pii import mask_pii
from classifiers.result import ComplaintClassifier
from playbooks.book import PlaybookBook, load_playbooks
from storage.database import Database

TOKEN = "123456:TEST-token"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def outbound(
    *,
    id: int = 1,
    channel: str = "telegram",
    recipient: str = "5001",
    text: str = "Hola",
    public: bool = False,
    reply_to: str | None = None,
    ticket_id: int | None = None,
    attempts: int = 0,
) -> OutboundMessage:
    return OutboundMessage(
        id=id,
        channel=channel,
        recipient=recipient,
        text=text,
        public=public,
        reply_to=reply_to,
        ticket_id=ticket_id,
        attempts=attempts,
    )


@asynccontextmanager
async def telegram_app(
    server: FakeTelegramServer, *, read_timeout: float = 2.0
) -> AsyncIterator[TelegramApplication]:
    app = build_application(
        server.token, base_url=server.base_url, poll_timeout=1.0, read_timeout=read_timeout
    )
    await app.initialize()
    try:
        yield app
    finally:
        await app.shutdown()


def x_credentials(server: FakeXServer, *, bearer: bool = True) -> XCredentials:
    return XCredentials(
        bearer_token=server.bearer_token if bearer else None,
        api_key=server.consumer_key,
        api_secret="fake-secret",
        access_token="fake-access",
        access_secret="fake-access-secret",
    )


@asynccontextmanager
async def x_client(server: FakeXServer, *, limit_s: float = 2.0) -> AsyncIterator[XClient]:
    async with XClient(
        x_credentials(server), base_url=server.base_url, timeout_seconds=limit_s
    ) as c:
        yield c


# --- the whole product on SQLite, pointed at the fake servers ------------------------------

OPS_CHAT = -1001
ESCALATION_CHAT = -1002
AGENT = FakeUser(11, "Agent Ana", username="ana_care")
MANAGER = FakeUser(12, "Manager Marta", username="marta_lead")
STRANGER = FakeUser(99, "Mallory")


@lru_cache(maxsize=1)
def shared_guard() -> ReplyGuard:
    return ReplyGuard.load()


@lru_cache(maxsize=1)
def real_classifier() -> ComplaintClassifier:
    """The shipped classifier, loaded once per test session."""
    return load_classifier()


@lru_cache(maxsize=1)
def shared_book() -> PlaybookBook:
    return load_playbooks()


@dataclass
class ChannelStack:
    settings: Settings
    database: Database
    hub: NotifierHub
    recorded: RecordingNotifier
    pipeline: TriagePipeline
    service: TicketService
    desk: ServiceDesk
    runtime: ChannelRuntime

    async def restart(self) -> ChannelRuntime:
        """Stop the channels and start fresh ones on the same database (a worker restart)."""
        await self.runtime.stop()
        self.runtime = ChannelRuntime(
            self.settings,
            self.desk,
            self.hub,
            self.database,
            shared_guard(),
            SystemClock(),
            fast_options("worker-2"),
        )
        await self.runtime.start()
        return self.runtime


def fast_options(worker: str = "worker-1") -> RuntimeOptions:
    return RuntimeOptions(
        poll_timeout=1.0,
        lease_ttl=5.0,
        lease_retry=0.1,
        sender_idle=0.05,
        x_timeout=2.0,
        telegram_read_timeout=2.0,
        backoff_base=0.05,
        worker=worker,
    )


def stack_settings(
    database_url: str,
    telegram: FakeTelegramServer | None = None,
    x: FakeXServer | None = None,
    **overrides: Any,
) -> Settings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "default_jurisdiction": "ES",
        "telegram_ops_chat_id": OPS_CHAT,
        "telegram_escalation_chat_id": ESCALATION_CHAT,
        "telegram_agents": [AGENT.id],
        "telegram_managers": [MANAGER.id],
        "x_poll_interval_seconds": 0.2,
    }
    if telegram is not None:
        values["telegram_bot_token"] = telegram.token
        values["telegram_base_url"] = telegram.base_url
    if x is not None:
        creds = x_credentials(x)
        values.update(
            x_bearer_token=creds.bearer_token,
            x_api_key=creds.api_key,
            x_api_secret=creds.api_secret,
            x_access_token=creds.access_token,
            x_access_secret=creds.access_secret,
            x_base_url=x.base_url,
        )
    values.update(overrides)
    return Settings(**values)


@asynccontextmanager
async def channel_stack(
    tmp_path: Path,
    telegram: FakeTelegramServer | None = None,
    x: FakeXServer | None = None,
    *,
    start: bool = True,
    classifier: ComplaintClassifier | None = None,
    **overrides: Any,
) -> AsyncIterator[ChannelStack]:
    """Real pipeline, service, guard, playbooks and channels on a fresh SQLite file; the
    classifier is the tag-reading fake (`[category/severity]` in the text) unless given."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'channels.db'}"
    settings = stack_settings(url, telegram, x, **overrides)
    database = Database(url)
    await create_schema(database)
    clock = SystemClock()
    recorded = RecordingNotifier()
    hub = NotifierHub(recorded)
    router = playbook_router()
    pseudonymizer = Pseudonymizer(TEST_PSEUDONYM_KEY)
    pipeline = TriagePipeline(
        database,
        classifier or TaggedClassifier(),
        router,
        pseudonymizer,
        hub,
        clock,
        settings,
        mask=mask_pii,
    )
    service = TicketService(
        database, router, hub, clock, settings, pseudonymizer=pseudonymizer, guard=shared_guard()
    )
    desk = ServiceDesk(pipeline, service, database, router, shared_book(), clock, mask=mask_pii)
    runtime = ChannelRuntime(settings, desk, hub, database, shared_guard(), clock, fast_options())
    stack = ChannelStack(settings, database, hub, recorded, pipeline, service, desk, runtime)
    try:
        if start:
            await runtime.start()
        yield stack
    finally:
        await stack.runtime.stop()
        await database.dispose()


async def eventually(check: Callable[[], Awaitable[bool]], within: float = 5.0) -> None:
    """Wait until `check()` is true; fails the test with a TimeoutError otherwise."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not await check():
        if loop.time() > deadline:
            raise TimeoutError("the condition did not become true")
        await asyncio.sleep(0.05)


async def row_count(database: Database, model: type[Any]) -> int:
    async with database.transaction() as session:
        return int((await session.execute(select(func.count()).select_from(model))).scalar_one())
