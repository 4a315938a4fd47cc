"""The fake Telegram Bot API and X API v2 servers behave like the real ones where the
adapters depend on it (offsets, since_id, auth, fault injection)."""

from __future__ import annotations

import time
from typing import Any

import aiohttp
from channel_builders import TOKEN

from bot.fakes.faults import Fault
from bot.fakes.telegram_server import FakeTelegramServer, FakeUser
from bot.fakes.x_server import FakeXServer, XUser

USER = FakeUser(1, "Ana", language_code="es")
AUTHOR = XUser("77", "ana", "Ana")


async def call(http: aiohttp.ClientSession, url: str, **payload: Any) -> tuple[int, Any]:
    async with http.post(url, json=payload) as resp:
        return resp.status, await resp.json(content_type=None)


async def test_telegram_offset_confirms_updates_and_wrong_token_is_401() -> None:
    async with FakeTelegramServer(TOKEN) as tg, aiohttp.ClientSession() as http:
        tg.push_message(USER, "uno")
        tg.push_message(USER, "dos")
        status, body = await call(http, f"{tg.base_url}{TOKEN}/getUpdates")
        ids = [u["update_id"] for u in body["result"]]
        assert status == 200 and len(ids) == 2
        _, again = await call(http, f"{tg.base_url}{TOKEN}/getUpdates", offset=ids[1])
        assert [u["update_id"] for u in again["result"]] == [ids[1]]
        _, after = await call(http, f"{tg.base_url}{TOKEN}/getUpdates", offset=ids[1] + 1)
        assert after["result"] == [] and tg.pending_updates == 0
        status, _ = await call(http, f"{tg.base_url}wrong-token/getMe")
        assert status == 401


async def test_telegram_faults_hit_only_matching_methods_in_order() -> None:
    async with FakeTelegramServer(TOKEN) as tg, aiohttp.ClientSession() as http:
        tg.faults.add(Fault("rate_limit", "sendMessage", retry_after=3))
        status, body = await call(http, f"{tg.base_url}{TOKEN}/getMe")
        assert status == 200
        status, body = await call(http, f"{tg.base_url}{TOKEN}/sendMessage", chat_id=1, text="x")
        assert status == 429 and body["parameters"]["retry_after"] == 3
        status, _ = await call(http, f"{tg.base_url}{TOKEN}/sendMessage", chat_id=1, text="x")
        assert status == 200 and tg.faults.injected == 1
        status, _ = await call(
            http, f"{tg.base_url}{TOKEN}/editMessageText", chat_id=1, message_id=999, text="y"
        )
        assert status == 400


async def test_x_since_id_returns_only_newer_mentions_newest_first() -> None:
    async with FakeXServer() as x, aiohttp.ClientSession() as http:
        first = x.push_mention(AUTHOR, "uno")
        second = x.push_mention(AUTHOR, "dos")
        third = x.push_mention(AUTHOR, "tres")
        headers = {"Authorization": f"Bearer {x.bearer_token}"}
        url = f"{x.base_url}/2/users/{x.account.id}/mentions"
        async with http.get(url, params={"since_id": first}, headers=headers) as resp:
            body = await resp.json()
        assert [t["id"] for t in body["data"]] == [third, second]
        assert body["meta"]["newest_id"] == third
        async with http.get(url, params={"since_id": third}, headers=headers) as resp:
            assert (await resp.json())["meta"]["result_count"] == 0


async def test_x_refuses_without_credentials_and_rate_limit_carries_the_reset() -> None:
    async with FakeXServer() as x, aiohttp.ClientSession() as http:
        async with http.get(f"{x.base_url}/2/users/me") as resp:
            assert resp.status == 401
        x.faults.add(Fault("rate_limit", "/2/dm_events", retry_after=40))
        headers = {"Authorization": f"Bearer {x.bearer_token}"}
        async with http.get(f"{x.base_url}/2/dm_events", headers=headers) as resp:
            assert resp.status == 429
            reset = int(resp.headers["x-rate-limit-reset"])
        assert 35 <= reset - time.time() <= 41
