"""Batched ingest: what one batch (one triage transaction) must still get right, and two
pipelines on one database ingesting overlapping batches at the same time."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from storage_support import (
    DATABASE_KINDS,
    TEST_PSEUDONYM_KEY,
    Stack,
    TaggedClassifier,
    inbound,
    no_sleep,
    playbook_router,
    provision_database,
    settings_for,
    stack_for,
)

from bot.notify import RecordingNotifier
from bot.pipeline import IngestResult, RetryPolicy, TriagePipeline
from bot.pseudonym import Pseudonymizer
from storage.database import Database
from storage.models import Message, MessageState, SlaClock, Ticket, TicketEvent
from storage.repositories import Repositories


@pytest.fixture(params=DATABASE_KINDS)
async def stack(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Stack]:
    async with provision_database(request.param, tmp_path) as url, stack_for(url) as built:
        yield built


async def rows(database: Database, model: type[object]) -> int:
    async with database.transaction() as session:
        return int((await session.execute(select(func.count()).select_from(model))).scalar_one())


async def test_one_batch_attaches_a_customers_second_message(stack: Stack) -> None:
    results = await stack.pipeline.ingest_many(
        [
            inbound("m1"),
            inbound("m2", text="[data_rights_request/high] again"),
            inbound("m3", author="@bruno"),
            inbound("m4"),
        ]
    )
    first, second, other, third = results
    assert first.new_ticket and other.new_ticket
    assert not second.new_ticket and not third.new_ticket
    assert first.ticket_id == second.ticket_id == third.ticket_id != other.ticket_id
    assert second.acknowledgement is None and first.acknowledgement is not None
    assert first.reference in first.acknowledgement
    assert await rows(stack.database, Ticket) == 2
    async with stack.database.transaction() as session:
        repos = Repositories(session)
        ticket = await repos.ticket(first.ticket_id)
        clocks = (await repos.clocks_for([ticket.id]))[ticket.id]
        events = await repos.ticket_events(ticket.id)
    assert ticket.severity == "high"
    assert [clock.key for clock in clocks].count("next_response") == 1
    assert [event.action for event in events] == [
        "ticket_opened",
        "message_received",
        "severity_raised",
        "message_received",
        "message_received",
    ]
    assert [n.reference for n in stack.notifier.opened] == [first.reference, other.reference]
    assert [n.reference for n in stack.notifier.updated] == [first.reference, first.reference]
    assert stack.notifier.updated[0].severity == "high"
    assert not any(line.kind == "next_response" for line in stack.notifier.opened[0].clocks)
    assert any(line.kind == "next_response" for line in stack.notifier.updated[0].clocks)


async def test_a_message_twice_in_one_batch_is_stored_and_ticketed_once(stack: Stack) -> None:
    first, again = await stack.pipeline.ingest_many([inbound("m1"), inbound("m1")])
    assert first.new_ticket and not first.duplicate
    assert again.duplicate and not again.new_ticket and again.ticket_id == first.ticket_id
    assert await rows(stack.database, Message) == 1
    assert await rows(stack.database, TicketEvent) == 2  # opened + one message_received


async def test_next_response_clock_restarts_within_one_batch_and_across_batches(
    stack: Stack,
) -> None:
    [first, *_] = await stack.pipeline.ingest_many([inbound("m1"), inbound("m2"), inbound("m3")])
    stack.clock.advance(timedelta(hours=1))
    await stack.pipeline.ingest_many([inbound("m4")])
    async with stack.database.transaction() as session:
        clock = await Repositories(session).clock(first.ticket_id, "next_response")
    count = await rows(stack.database, SlaClock)
    assert clock is not None and clock.started_at == stack.clock.now()
    assert count == len({c.kind for c in stack.notifier.updated[-1].clocks})


def poisoned_pipeline(stack: Stack) -> TriagePipeline:
    """A pipeline whose masking step fails on any text containing "poison"."""

    def mask(text: str) -> str:
        if "poison" in text:
            raise ValueError("mask cannot handle this text")
        return text

    return TriagePipeline(
        stack.database,
        stack.classifier,
        playbook_router(),
        Pseudonymizer(TEST_PSEUDONYM_KEY),
        stack.notifier,
        stack.clock,
        stack.settings,
        mask=mask,
        retry=RetryPolicy(delays=(0.0,), sleep=no_sleep),
    )


async def test_a_message_that_breaks_triage_stays_pending_alone(stack: Stack) -> None:
    pipeline = poisoned_pipeline(stack)
    batch = [inbound("ok-1"), inbound("bad", text="poison"), inbound("ok-2", author="@bruno")]
    with pytest.raises(ValueError, match="mask cannot"):
        await pipeline.ingest_many(batch)
    async with stack.database.transaction() as session:
        states = dict((await session.execute(select(Message.external_id, Message.state))).all())
    assert states == {
        "ok-1": MessageState.TRIAGED.value,
        "bad": MessageState.PENDING.value,
        "ok-2": MessageState.TRIAGED.value,
    }
    assert len(stack.notifier.opened) == 2
    # The next run (here with a mask that copes) triages the one left behind.
    assert await stack.pipeline.process_pending() == 1
    assert await rows(stack.database, Ticket) == 3


async def test_ingest_each_answers_the_rest_of_a_batch_around_a_message_that_breaks(
    stack: Stack,
) -> None:
    pipeline = poisoned_pipeline(stack)
    batch = [inbound("ok-1"), inbound("bad", text="poison"), inbound("ok-2", author="@bruno")]
    first, broken, second = await pipeline.ingest_each(batch)
    # The channels answer each message from its result: the good ones keep theirs (a second
    # ingest would only call them duplicates), the bad one is reported in its place.
    assert isinstance(broken, ValueError)
    for result in (first, second):
        assert isinstance(result, IngestResult)
        assert result.new_ticket and not result.duplicate and result.acknowledgement
    async with stack.database.transaction() as session:
        states = dict((await session.execute(select(Message.external_id, Message.state))).all())
    assert states["bad"] == MessageState.PENDING.value
    assert len(stack.notifier.opened) == 2


async def test_two_pipelines_ingesting_overlapping_batches_duplicate_nothing(
    stack: Stack,
) -> None:
    # 8 customers x 2 categories, each message offered to both workers in a different
    # order, so the workers race for the same messages, customers and tickets.
    messages = [
        inbound(
            f"m{n}",
            text=f"[{'staff_misuse' if n // 8 % 2 else 'debt_collection'}/high] message {n}",
            author=f"@customer{n % 8}",
        )
        for n in range(96)
    ]
    pipelines = []
    databases = [Database(stack.database.url) for _ in range(2)]
    for database in databases:
        pipelines.append(
            TriagePipeline(
                database,
                TaggedClassifier(),
                playbook_router(),
                Pseudonymizer(TEST_PSEUDONYM_KEY),
                RecordingNotifier(),
                stack.clock,
                settings_for(),
                mask=str,
                retry=RetryPolicy(delays=(0.0, 0.05, 0.1, 0.2), sleep=asyncio.sleep),
            )
        )
    try:
        forward, backward = await asyncio.gather(
            pipelines[0].ingest_many(messages, batch_size=16),
            pipelines[1].ingest_many(messages[::-1], batch_size=16),
        )
    finally:
        for database in databases:
            await database.dispose()
    by_id = {r.message_id: r.ticket_id for r in forward}
    assert by_id == {r.message_id: r.ticket_id for r in backward}
    assert sum(r.new_ticket for r in forward + backward) == 16
    assert await rows(stack.database, Message) == 96
    assert await rows(stack.database, Ticket) == 16
    async with stack.database.transaction() as session:
        actions = list((await session.execute(select(TicketEvent.action))).scalars())
        states = set((await session.execute(select(Message.state))).scalars())
    assert actions.count("ticket_opened") == 16
    assert actions.count("message_received") == 96
    assert states == {MessageState.TRIAGED.value}
