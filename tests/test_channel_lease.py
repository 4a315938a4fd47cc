"""One poller per token: the lease row, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest
from channel_builders import T0
from storage_support import DATABASE_KINDS, create_schema, provision_database

from bot.channels.lease import PollerLease, account_key
from bot.clock import FakeClock
from storage.database import Database


def lease(database: Database, clock: FakeClock, holder: str) -> PollerLease:
    return PollerLease(
        database, clock, channel="telegram", account=account_key("123:abc"), holder=holder,
        ttl_seconds=30,
    )  # fmt: skip


@pytest.mark.parametrize("kind", DATABASE_KINDS)
async def test_only_one_worker_holds_the_lease_until_it_lapses(kind: str, tmp_path: Path) -> None:
    async with provision_database(kind, tmp_path) as url:
        database = Database(url)
        await create_schema(database)
        clock = FakeClock(T0)
        first, second = lease(database, clock, "w1"), lease(database, clock, "w2")
        try:
            assert await first.hold()
            assert not await second.hold()
            clock.advance(timedelta(seconds=20))
            assert await first.hold()  # renewal
            clock.advance(timedelta(seconds=20))
            assert not await second.hold()  # renewed 20 s ago: still w1's
            clock.advance(timedelta(seconds=31))
            assert await second.hold()  # w1 stopped renewing: taken over
            assert not await first.hold()
            await second.release()
            assert await first.hold()  # a released lease is free at once
        finally:
            await database.dispose()


@pytest.mark.parametrize("kind", DATABASE_KINDS)
async def test_workers_racing_for_a_new_lease_get_exactly_one(kind: str, tmp_path: Path) -> None:
    async with provision_database(kind, tmp_path) as url:
        database = Database(url)
        await create_schema(database)
        clock = FakeClock(T0)
        try:
            results = await asyncio.gather(
                *(lease(database, clock, f"w{n}").hold() for n in range(5))
            )
            assert sorted(results) == [False, False, False, False, True]
        finally:
            await database.dispose()


def test_the_account_key_never_contains_the_token() -> None:
    key = account_key("123456:SECRET-token")
    assert "SECRET" not in key and "123456" not in key
    assert key == account_key("123456:SECRET-token")
