"""Library and wire errors become the channel error tree (real clients, real HTTP to fakes)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from channel_builders import TOKEN, outbound, telegram_app, x_client

from bot.channels.errors import (
    ChannelAuthError,
    ChannelError,
    ChannelUnavailable,
    RateLimited,
    SendRejected,
)
from bot.channels.telegram_app import TelegramSender
from bot.channels.x_channel import XSender
from bot.clock import SystemClock
from bot.fakes.faults import Fault
from bot.fakes.telegram_server import FakeTelegramServer
from bot.fakes.x_server import FakeXServer


async def _telegram_send_error(fault: Fault, *, read_timeout: float = 2.0) -> ChannelError:
    async with (
        FakeTelegramServer(TOKEN) as server,
        telegram_app(server, read_timeout=read_timeout) as app,
    ):
        server.faults.add(fault)
        sender = TelegramSender(app.bot, SystemClock(), lambda m: None)
        with pytest.raises(ChannelError) as caught:
            await sender.send(outbound())
        assert caught.value.__cause__ is not None  # chained to the library error
        return caught.value


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        (Fault("server_error", "sendMessage", status=502), ChannelUnavailable),
        (Fault("server_error", "sendMessage", status=500), ChannelUnavailable),
        (Fault("malformed", "sendMessage"), ChannelUnavailable),
        (Fault("truncated", "sendMessage"), ChannelUnavailable),
        (Fault("auth", "sendMessage", status=401), ChannelAuthError),
        (Fault("auth", "sendMessage", status=403), SendRejected),
    ],
)
async def test_telegram_failures_map_onto_the_tree(fault: Fault, expected: type) -> None:
    error = await _telegram_send_error(fault)
    assert type(error) is expected
    assert error.channel == "telegram"


async def test_telegram_timeout_is_unavailable() -> None:
    error = await _telegram_send_error(Fault("timeout", "sendMessage", delay=1.5), read_timeout=0.3)
    assert isinstance(error, ChannelUnavailable)


async def test_telegram_flood_control_carries_when_to_retry() -> None:
    clock = SystemClock()
    before = clock.now()
    error = await _telegram_send_error(Fault("rate_limit", "sendMessage", retry_after=7))
    assert isinstance(error, RateLimited)
    assert before + timedelta(seconds=7) <= error.retry_at <= clock.now() + timedelta(seconds=7)


async def test_telegram_bad_request_is_a_permanent_rejection() -> None:
    async with FakeTelegramServer(TOKEN) as server, telegram_app(server) as app:
        sender = TelegramSender(app.bot, SystemClock(), lambda m: None)
        with pytest.raises(SendRejected):
            await sender.edit("5001", "999", "nothing to edit", None)


async def _x_send_error(fault: Fault, *, limit_s: float = 2.0) -> ChannelError:
    async with FakeXServer() as server, x_client(server, limit_s=limit_s) as client:
        server.faults.add(fault)
        with pytest.raises(ChannelError) as caught:
            await XSender(client, SystemClock()).send(outbound(channel="x", recipient="42"))
        assert caught.value.__cause__ is not None
        return caught.value


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        (Fault("server_error", "dm_conversations", status=503), ChannelUnavailable),
        (Fault("malformed", "dm_conversations"), ChannelUnavailable),
        (Fault("truncated", "dm_conversations"), ChannelUnavailable),
        (Fault("auth", "dm_conversations", status=401), ChannelAuthError),
        (Fault("auth", "dm_conversations", status=402), ChannelAuthError),
        (Fault("auth", "dm_conversations", status=403), ChannelAuthError),
        (Fault("server_error", "dm_conversations", status=400), SendRejected),
    ],
)
async def test_x_failures_map_onto_the_tree(fault: Fault, expected: type) -> None:
    error = await _x_send_error(fault)
    assert type(error) is expected
    assert error.channel == "x"


async def test_x_timeout_is_unavailable() -> None:
    error = await _x_send_error(Fault("timeout", "dm_conversations", delay=1.5), limit_s=0.3)
    assert isinstance(error, ChannelUnavailable)


async def test_x_rate_limit_uses_the_reset_header() -> None:
    error = await _x_send_error(Fault("rate_limit", "dm_conversations", retry_after=30))
    assert isinstance(error, RateLimited)
    remaining = (error.retry_at - SystemClock().now()).total_seconds()
    assert 25 <= remaining <= 31


async def test_x_auth_error_names_the_status() -> None:
    error = await _x_send_error(Fault("auth", "dm_conversations", status=402))
    assert isinstance(error, ChannelAuthError)
    assert error.status == 402
    assert "402" in str(error)
