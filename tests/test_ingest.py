from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from storage_support import (
    DATABASE_KINDS,
    START,
    TEST_PSEUDONYM_KEY,
    Stack,
    inbound,
    no_sleep,
    playbook_router,
    provision_database,
    stack_for,
)

from bot.pipeline import RetryPolicy, TriagePipeline
from bot.pseudonym import Pseudonymizer
from classifiers.taxonomy import Category
from storage.database import Database
from storage.errors import StorageUnavailable
from storage.models import Message, MessageState, SlaClock, Ticket, TicketEvent
from storage.repositories import Repositories


@pytest.fixture(params=DATABASE_KINDS)
async def stack(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Stack]:
    async with (
        provision_database(request.param, tmp_path) as url,
        stack_for(url, account_jurisdictions={"movil-br": "BR", "movil-ru": "RU"}) as built,
    ):
        yield built


async def count(stack: Stack, model: type[object]) -> int:
    async with stack.database.transaction() as session:
        return int((await session.execute(select(func.count()).select_from(model))).scalar_one())


async def test_new_ticket_is_routed_acknowledged_and_notified(stack: Stack) -> None:
    result = await stack.pipeline.ingest(inbound("m1", author="@Ana"))
    assert result.new_ticket and not result.duplicate
    assert result.reference == f"CT-{result.ticket_id:06d}"
    assert (result.category, result.severity, result.language) == (
        "data_rights_request",
        "medium",
        "es",
    )
    assert result.acknowledgement is not None and result.reference in result.acknowledgement
    assert result.evidence_questions
    assert result.jurisdiction == "EU"
    assert not result.needs_review
    [notice] = stack.notifier.opened
    assert notice.reference == result.reference
    assert "@" not in notice.masked_text and "Ana" not in notice.customer
    assert {line.kind for line in notice.clocks} >= {"first_response", "resolution"}


async def test_ingest_is_idempotent(stack: Stack) -> None:
    first = await stack.pipeline.ingest(inbound("m1"))
    again = await stack.pipeline.ingest(inbound("m1", text="[staff_misuse/high] edited"))
    assert again.duplicate and not again.new_ticket
    assert again.ticket_id == first.ticket_id and again.category == first.category
    assert again.acknowledgement is None
    assert await count(stack, Message) == 1
    assert await count(stack, Ticket) == 1
    assert len(stack.notifier.opened) == 1 and not stack.notifier.updated


async def test_same_customer_same_category_attaches_within_the_window(stack: Stack) -> None:
    first = await stack.pipeline.ingest(inbound("m1"))
    stack.clock.advance(timedelta(hours=2))
    second = await stack.pipeline.ingest(inbound("m2", text="[data_rights_request/high] again"))
    assert second.ticket_id == first.ticket_id and not second.new_ticket
    assert second.acknowledgement is None
    other_category = await stack.pipeline.ingest(inbound("m3", text="[staff_misuse/high] x"))
    other_customer = await stack.pipeline.ingest(inbound("m4", author="@bruno"))
    assert other_category.new_ticket and other_customer.new_ticket
    assert len({first.ticket_id, other_category.ticket_id, other_customer.ticket_id}) == 3
    async with stack.database.transaction() as session:
        ticket = await Repositories(session).ticket(first.ticket_id)
        clocks = (await Repositories(session).clocks_for([ticket.id]))[ticket.id]
    assert ticket.severity == "high"  # raised by the second message
    assert "next_response" in {clock.kind for clock in clocks}
    [update] = stack.notifier.updated
    assert update.ticket_id == first.ticket_id


async def test_outside_the_window_opens_a_new_ticket(stack: Stack) -> None:
    first = await stack.pipeline.ingest(inbound("m1"))
    stack.clock.advance(timedelta(hours=stack.settings.attach_window_hours + 1))
    later = await stack.pipeline.ingest(inbound("m2"))
    assert later.new_ticket and later.ticket_id != first.ticket_id


async def test_next_response_clock_restarts_on_each_customer_message(stack: Stack) -> None:
    first = await stack.pipeline.ingest(inbound("m1"))
    deadlines = []
    for number in (2, 3):
        stack.clock.advance(timedelta(hours=1))
        await stack.pipeline.ingest(inbound(f"m{number}"))
        async with stack.database.transaction() as session:
            clock = await Repositories(session).clock(first.ticket_id, "next_response")
        assert clock is not None and clock.started_at == stack.clock.now()
        deadlines.append(clock.deadline)
    assert deadlines[1] > deadlines[0]


@pytest.mark.parametrize("category", list(Category))
async def test_every_category_routes_to_its_playbook(stack: Stack, category: Category) -> None:
    result = await stack.pipeline.ingest(inbound("m1", text=f"[{category.value}/medium] text"))
    expected = playbook_router().route(category.value, "medium", "EU", opened_at=START)
    assert (result.playbook, result.queue) == (expected.playbook, expected.queue)
    assert result.category == category.value


async def test_jurisdiction_comes_from_the_account(stack: Stack) -> None:
    result = await stack.pipeline.ingest(inbound("m1", account="movil-br"))
    assert result.jurisdiction == "BR"
    async with stack.database.transaction() as session:
        clocks = (await Repositories(session).clocks_for([result.ticket_id]))[result.ticket_id]
    legal = [clock for clock in clocks if clock.kind == "legal"]
    assert legal, "a DSAR opens a legal clock"
    assert all(clock.plan["label"] for clock in legal)


async def test_low_confidence_needs_review(stack: Stack) -> None:
    stack.classifier.confidence = 0.3
    result = await stack.pipeline.ingest(inbound("m1"))
    assert result.needs_review
    assert stack.notifier.opened[0].needs_review


async def test_audit_records_opening_and_messages(stack: Stack) -> None:
    result = await stack.pipeline.ingest(inbound("m1"))
    await stack.pipeline.ingest(inbound("m2"))
    async with stack.database.transaction() as session:
        events = await Repositories(session).ticket_events(result.ticket_id)
    assert [event.action for event in events] == [
        "ticket_opened",
        "message_received",
        "message_received",
    ]
    assert events[0].payload["playbook"] == result.playbook


class FailingTriageDatabase(Database):
    """Lets the first `ok` transactions through, then fails like a dropped connection."""

    def __init__(self, url: str, ok: int) -> None:
        super().__init__(url)
        self.remaining = ok

    def transaction(self):  # type: ignore[no-untyped-def]
        if self.remaining <= 0:
            raise StorageUnavailable("connection reset by peer")
        self.remaining -= 1
        return super().transaction()


async def test_message_survives_a_database_outage_mid_ingest(stack: Stack) -> None:
    # Persisting and loading succeed; every triage attempt then finds the database gone.
    flaky = FailingTriageDatabase(stack.database.url, ok=2)
    pipeline = TriagePipeline(
        flaky,
        stack.classifier,
        playbook_router(),
        Pseudonymizer(TEST_PSEUDONYM_KEY),
        stack.notifier,
        stack.clock,
        stack.settings,
        mask=str,
        retry=RetryPolicy(delays=(0.0, 0.0), sleep=no_sleep),
    )
    with pytest.raises(StorageUnavailable):
        await pipeline.ingest(inbound("m1"))
    await flaky.dispose()
    async with stack.database.transaction() as session:
        [message] = (await session.execute(select(Message))).scalars().all()
    assert message.state == MessageState.PENDING.value and message.ticket_id is None
    assert await count(stack, Ticket) == 0

    # After a restart the pending message is triaged once.
    assert await stack.pipeline.process_pending() == 1
    assert await stack.pipeline.process_pending() == 0
    assert await count(stack, Ticket) == 1
    again = await stack.pipeline.ingest(inbound("m1"))
    assert again.duplicate and await count(stack, Message) == 1


async def test_a_transient_outage_is_retried(stack: Stack) -> None:
    class OnceFailing(Database):
        failed = False

        def transaction(self):  # type: ignore[no-untyped-def]
            if not OnceFailing.failed:
                OnceFailing.failed = True
                raise StorageUnavailable("server closed the connection unexpectedly")
            return super().transaction()

    flaky = OnceFailing(stack.database.url)
    pipeline = TriagePipeline(
        flaky,
        stack.classifier,
        playbook_router(),
        Pseudonymizer(TEST_PSEUDONYM_KEY),
        stack.notifier,
        stack.clock,
        stack.settings,
        mask=str,
        retry=RetryPolicy(delays=(0.0,), sleep=no_sleep),
    )
    try:
        result = await pipeline.ingest(inbound("m1"))
    finally:
        await flaky.dispose()
    assert result.new_ticket and await count(stack, TicketEvent) == 2


async def test_clocks_are_stored_for_a_new_ticket(stack: Stack) -> None:
    result = await stack.pipeline.ingest(inbound("m1", account="movil-ru"))
    async with stack.database.transaction() as session:
        clocks = (await session.execute(select(SlaClock))).scalars().all()
    assert {clock.ticket_id for clock in clocks} == {result.ticket_id}
    assert all(clock.deadline > START and clock.warn_at < clock.deadline for clock in clocks)
