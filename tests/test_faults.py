"""Faults: the process killed mid-burst, PostgreSQL restarted mid-run. Nothing is lost.

Every test is bounded (timeouts on every wait) and runs in a few seconds.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from storage_support import (
    TEST_PSEUDONYM_KEY,
    TaggedClassifier,
    create_schema,
    inbound,
    no_sleep,
    playbook_router,
    settings_for,
)
from support import pg_cluster

from bot.clock import SystemClock
from bot.notify import RecordingNotifier
from bot.pipeline import RetryPolicy, TriagePipeline
from bot.pseudonym import Pseudonymizer
from storage.database import Database
from storage.models import Message, SlaClock, Ticket

RUNNER = Path(__file__).resolve().parent / "support" / "ingest_runner.py"
REPO = Path(__file__).resolve().parent.parent
BURST = 80


async def assert_each_message_once_with_clocks(database: Database, expected: set[str]) -> None:
    async with database.transaction() as session:
        rows = (await session.execute(select(Message.external_id, Message.state,
                                             Message.ticket_id))).all()  # fmt: skip
        tickets = set((await session.execute(select(Ticket.id))).scalars())
        clocked = set(
            (await session.execute(select(SlaClock.ticket_id).distinct())).scalars()
        )
    external_ids = [row[0] for row in rows]
    assert len(external_ids) == len(set(external_ids)) == len(expected)  # exactly once
    assert set(external_ids) == expected
    assert {row[1] for row in rows} == {"triaged"}
    assert {row[2] for row in rows} <= tickets and None not in {row[2] for row in rows}
    assert tickets == clocked  # every ticket has its clocks


def _run_until(process: subprocess.Popen[str], wanted: int, limit_s: float) -> int:
    """Read `done N` lines until N >= wanted; returns N."""
    assert process.stdout is not None
    deadline = time.monotonic() + limit_s
    done = 0
    while done < wanted and time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        if line.startswith("done "):
            done = int(line.split()[1])
    return done


@pytest.mark.slow  # two interpreter start-ups (about 3 s each on the shared 2-core box)
def test_sigkill_in_the_middle_of_a_burst_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    db_file = tmp_path / "crash.db"
    command = [sys.executable, str(RUNNER), str(db_file), str(BURST)]
    first = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        reached = _run_until(first, 20, limit_s=60)
        os.kill(first.pid, signal.SIGKILL)
    finally:
        first.wait(timeout=10)
        assert first.stdout is not None
        first.stdout.close()
    assert first.returncode == -signal.SIGKILL
    assert 0 < reached < BURST, "the kill must land mid-burst"

    second = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert second.returncode == 0, second.stderr
    assert f"done {BURST}" in second.stdout

    async def check() -> None:
        database = Database(f"sqlite+aiosqlite:///{db_file}")
        try:
            await assert_each_message_once_with_clocks(
                database, {f"burst-{n}" for n in range(BURST)}
            )
        finally:
            await database.dispose()

    asyncio.run(check())


@pytest.mark.skipif(not pg_cluster.available(), reason="PostgreSQL server binaries absent")
async def test_postgres_restart_mid_run_reconnects_and_loses_nothing() -> None:
    with pg_cluster.throwaway_postgres() as cluster:
        database = Database(cluster.url)
        await create_schema(database)
        slept: list[float] = []

        async def sleep_and_restart(seconds: float) -> None:
            slept.append(seconds)
            if len(slept) == 2:  # the database stayed away through two retries: bring it back
                await asyncio.to_thread(cluster.start)
            await no_sleep(seconds)

        pipeline = TriagePipeline(
            database,
            TaggedClassifier(),
            playbook_router(),
            Pseudonymizer(TEST_PSEUDONYM_KEY),
            RecordingNotifier(),
            SystemClock(),
            settings_for(),
            mask=lambda text: text,
            retry=RetryPolicy(delays=(0.1, 0.2, 0.4, 0.8, 1.6), sleep=sleep_and_restart),
        )
        first = [inbound(f"pg-{n}", text=f"[staff_misuse/high] {n}") for n in range(20)]
        second = [inbound(f"pg-{n}", text=f"[debt_collection/high] {n}") for n in range(20, 40)]
        try:
            await pipeline.ingest_many(first)
            await asyncio.to_thread(cluster.stop, "fast")  # pooled connections now dead
            results = await asyncio.wait_for(pipeline.ingest_many(second), timeout=60)
            assert len(results) == 20 and len(slept) >= 2
            assert await pipeline.process_pending() == 0
            await assert_each_message_once_with_clocks(
                database, {f"pg-{n}" for n in range(40)}
            )
            async with database.transaction() as session:
                count = (
                    await session.execute(select(func.count()).select_from(Ticket))
                ).scalar_one()
            assert count >= 2
        finally:
            await database.dispose()
