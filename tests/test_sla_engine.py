from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from storage_support import (
    DATABASE_KINDS,
    START,
    Stack,
    inbound,
    provision_database,
    seed_open_clocks,
    stack_for,
)

from bot.sla_engine import due_event, escalation_target
from storage.database import Database
from storage.models import SlaClock, TicketEvent
from storage.repositories import Repositories


@pytest.fixture(params=DATABASE_KINDS)
async def stack(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Stack]:
    async with provision_database(request.param, tmp_path) as url, stack_for(url) as built:
        yield built


async def sla_events(stack: Stack) -> list[TicketEvent]:
    async with stack.database.transaction() as session:
        result = await session.execute(
            select(TicketEvent).where(TicketEvent.action.in_(("sla_warning", "sla_breach")))
        )
        return list(result.scalars())


def test_due_event_decides_warning_then_breach() -> None:
    deadline = START + timedelta(hours=4)
    warn_at = START + timedelta(hours=3)

    def at(hours: float, state: str = "running", warned: bool = False) -> str | None:
        return due_event(
            state=state,
            warn_at=warn_at,
            deadline=deadline,
            warning_fired=warned,
            breach_fired=False,
            now=START + timedelta(hours=hours),
        )

    assert at(1) is None
    assert at(3) == "warning"
    assert at(3.5, "warned", warned=True) is None
    assert at(4, "warned", warned=True) == "breach"
    assert at(9) == "breach"  # overdue after downtime: only the breach
    assert at(9, "paused") is None and at(9, "met") is None


def test_escalation_target_walks_the_chain() -> None:
    chain = ("privacy_dpo", "escalation_manager", "legal_regulatory")
    assert [escalation_target(chain, level) for level in range(4)] == [
        "privacy_dpo",
        "escalation_manager",
        "legal_regulatory",
        "legal_regulatory",
    ]
    assert escalation_target((), 0) is None


async def test_warning_then_breach_fire_once_and_escalate(stack: Stack) -> None:
    result = await stack.pipeline.ingest(inbound("m1", text="[staff_misuse/high] threats"))
    async with stack.database.transaction() as session:
        clock = await Repositories(session).clock(result.ticket_id, "first_response")
    assert clock is not None
    engine = stack.engine("w1")
    stack.clock.set(clock.warn_at)
    assert (await engine.tick()).warnings >= 1
    assert (await engine.tick()).warnings == 0
    stack.clock.set(clock.deadline)
    report = await engine.tick()
    assert report.breaches == 1
    assert (await engine.tick()).breaches == 0
    [breach] = [n for n in stack.notifier.sla if n.event == "breach"]
    assert breach.clock_kind == "first_response" and breach.reference == result.reference
    assert breach.escalate_to is not None
    events = await sla_events(stack)
    assert Counter(e.action for e in events)["sla_breach"] == 1


@pytest.mark.slow
async def test_restart_with_10000_open_clocks_fires_overdue_ones_once(stack: Stack) -> None:
    # Half the clocks fell due while no worker ran; the other half are due tomorrow.
    now = START + timedelta(hours=10)
    await seed_open_clocks(
        stack.database,
        10_000,
        deadline_of=lambda i: (
            now - timedelta(minutes=i % 500 + 1) if i % 2 == 0 else now + timedelta(days=1)
        ),
    )
    stack.clock.set(now)
    first_worker = stack.engine("after-restart")
    report = await first_worker.tick()
    assert report.breaches == 5_000 and report.warnings == 0
    assert (await first_worker.tick()).breaches == 0
    assert (await stack.engine("another-restart").tick()).breaches == 0
    async with stack.database.transaction() as session:
        states = dict(
            (
                await session.execute(select(SlaClock.state, func.count()).group_by(SlaClock.state))
            ).all()
        )
    assert states == {"breached": 5_000, "running": 5_000}
    assert len(stack.notifier.sla) == 5_000
    assert len({n.ticket_id for n in stack.notifier.sla}) == 5_000
    assert len(await sla_events(stack)) == 5_000


async def test_two_workers_on_two_engines_never_fire_a_clock_twice(stack: Stack) -> None:
    now = START + timedelta(hours=1)
    await seed_open_clocks(stack.database, 1_500, deadline_of=lambda i: now - timedelta(seconds=i))
    stack.clock.set(now)
    other_database = Database(stack.database.url)
    try:
        workers = [stack.engine("w1"), stack.engine("w2", other_database)]
        reports = await asyncio.gather(*(worker.tick() for worker in workers))
    finally:
        await other_database.dispose()
    assert sum(r.breaches for r in reports) == 1_500
    fired = Counter(n.ticket_id for n in stack.notifier.sla)
    assert len(fired) == 1_500 and set(fired.values()) == {1}
    assert len(await sla_events(stack)) == 1_500


async def test_clock_of_a_closed_ticket_is_cancelled_not_fired(stack: Stack) -> None:
    [ticket_id] = await seed_open_clocks(
        stack.database, 1, deadline_of=lambda _: START + timedelta(minutes=5)
    )
    async with stack.database.transaction() as session:
        ticket = await Repositories(session).ticket(ticket_id)
        ticket.status = "closed"
    stack.clock.set(START + timedelta(hours=1))
    report = await stack.engine("w1").tick()
    assert (report.breaches, report.cancelled) == (0, 1)
    assert stack.notifier.sla == []


async def test_duplicate_event_is_not_recorded_twice(stack: Stack) -> None:
    [ticket_id] = await seed_open_clocks(stack.database, 1, deadline_of=lambda _: START)
    async with stack.database.transaction() as session:
        repos = Repositories(session)
        first = await repos.record_event(
            ticket_id=ticket_id, actor="t", action="sla_breach", at=START, dedupe_key="k1"
        )
    async with stack.database.transaction() as session:
        repos = Repositories(session)
        second = await repos.record_event(
            ticket_id=ticket_id, actor="t", action="sla_breach", at=START, dedupe_key="k1"
        )
    assert (first, second) == (True, False)


async def test_scheduler_runs_the_tick(stack: Stack) -> None:
    await seed_open_clocks(stack.database, 3, deadline_of=lambda _: START)
    engine = stack.engine("scheduled")
    engine.start(interval_seconds=0.05)
    try:
        for _ in range(200):
            if len(stack.notifier.sla) == 3:
                break
            await asyncio.sleep(0.05)
    finally:
        await engine.stop()
    assert len(stack.notifier.sla) == 3
