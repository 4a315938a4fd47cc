"""Builders for channel tests: outbound rows, clocks, and the apps pointed at the fakes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from bot.channels.desk import OutboundMessage
from bot.channels.telegram_app import TelegramApplication, build_application
from bot.channels.x_client import XClient, XCredentials
from bot.fakes.telegram_server import FakeTelegramServer
from bot.fakes.x_server import FakeXServer

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
