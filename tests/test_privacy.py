"""Erasure and export of one customer's data, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from storage_support import DATABASE_KINDS, provision_database
from support.seed import PERSONAL_MARKERS, create_schema, database_dump, seed_case

from storage.database import Database
from storage.erasure import ERASED_ACTION, erase_customer
from storage.errors import NotFound
from storage.export import EXPORT_FORMAT, EXPORTED_ACTION, export_customer
from storage.models import ClockState, Customer, Outbox, SlaClock, Ticket, TicketEvent
from storage.redaction import REDACTED, scrub_payload
from storage.repositories import Repositories

NOW = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)
MARIA = "a" * 64
OTHER = "b" * 64


@pytest.fixture(params=DATABASE_KINDS)
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    async with provision_database(request.param, tmp_path) as url:
        db = Database(url)
        await create_schema(db)
        try:
            yield db
        finally:
            await db.dispose()


async def test_erasure_removes_every_personal_value_but_keeps_the_audit_trail(
    database: Database,
) -> None:
    case = await seed_case(database, pseudonym=MARIA, at=NOW, pending_send=True)
    await seed_case(database, pseudonym=OTHER, at=NOW, external_prefix="other")

    report = await erase_customer(database, MARIA, actor="dpo:eva", now=NOW + timedelta(days=1))

    assert report.ticket_ids == (case.ticket_id,)
    assert report.closed_ticket_ids == (case.ticket_id,)
    assert report.cancelled_clocks == 1
    assert report.counts.pending_sends_cancelled == 1
    assert report.display_name_removed
    export = await export_customer(database, MARIA, actor="dpo:eva", now=NOW, record=False)
    dumped = json.dumps(export, ensure_ascii=False)
    for marker in PERSONAL_MARKERS:
        assert marker not in dumped
    assert {m["text"] for m in export["messages"]} == {REDACTED}
    assert export["customer"]["display_name"] is None
    ticket = export["tickets"][0]
    assert ticket["status"] == "closed"
    assert ticket["chat_id"] is None
    assert ticket["evidence"][0]["value"] is None
    assert ticket["evidence"][0]["key"] == "employee_phone"
    assert ticket["outbox"] == []
    actions = [event["action"] for event in ticket["events"]]
    assert actions == ["evidence_recorded", "ticket_opened", ERASED_ACTION]
    assert ticket["events"][0]["payload"] == {"key": "employee_phone", "value": REDACTED}
    # The other customer's data is untouched.
    other = await export_customer(database, OTHER, actor="dpo:eva", now=NOW, record=False)
    assert "+34 600 111 222" in json.dumps(other)
    async with database.transaction() as session:
        clock = (
            await session.execute(select(SlaClock).where(SlaClock.ticket_id == case.ticket_id))
        ).scalar_one()
        assert clock.state == ClockState.CANCELLED.value
        customer_event = (
            await session.execute(
                select(TicketEvent).where(
                    TicketEvent.ticket_id.is_(None), TicketEvent.action == ERASED_ACTION
                )
            )
        ).scalar_one()
        assert customer_event.actor == "dpo:eva"
        assert customer_event.payload["customer"] == MARIA


async def test_erased_customer_leaves_no_personal_value_anywhere_in_the_database(
    database: Database,
) -> None:
    await seed_case(database, pseudonym=MARIA, at=NOW)
    await erase_customer(database, MARIA, actor="dpo:eva", now=NOW)
    dump = await database_dump(database)
    for marker in PERSONAL_MARKERS:
        assert marker not in dump
    assert MARIA in dump  # the pseudonymous skeleton is still there


async def test_erasure_is_idempotent_and_a_dry_run_changes_nothing(database: Database) -> None:
    await seed_case(database, pseudonym=MARIA, at=NOW)
    before = await database_dump(database)
    preview = await erase_customer(database, MARIA, actor="dpo:eva", now=NOW, dry_run=True)
    assert preview.dry_run
    assert preview.counts.messages == 2
    assert await database_dump(database) == before

    first = await erase_customer(database, MARIA, actor="dpo:eva", now=NOW)
    second = await erase_customer(database, MARIA, actor="dpo:eva", now=NOW)
    assert first.counts.messages == 2
    assert second.counts.messages == 0
    assert second.closed_ticket_ids == ()


async def test_unknown_customer_is_reported_not_created(database: Database) -> None:
    with pytest.raises(NotFound):
        await erase_customer(database, MARIA, actor="dpo:eva", now=NOW)
    with pytest.raises(NotFound):
        await export_customer(database, MARIA, actor="dpo:eva", now=NOW)
    async with database.transaction() as session:
        assert (await session.execute(select(Customer))).first() is None


async def test_export_holds_everything_stored_and_is_audited(database: Database) -> None:
    case = await seed_case(database, pseudonym=MARIA, at=NOW)
    await seed_case(database, pseudonym=OTHER, at=NOW, external_prefix="other")

    export = await export_customer(database, MARIA, actor="dpo:eva", now=NOW)

    assert export["format"] == EXPORT_FORMAT
    assert export["customer"]["pseudonym"] == MARIA
    assert export["customer"]["display_name"] == "María Pérez"
    assert [m["id"] for m in export["messages"]] == list(case.message_ids)
    assert export["messages"][0]["sent_at"] == NOW.isoformat()
    (ticket,) = export["tickets"]
    assert ticket["reference"] == f"CT-{case.ticket_id:06d}"
    assert ticket["evidence"][0]["value"] == "+34 600 111 222"
    assert ticket["reply_drafts"][0]["text"].startswith("Hola María")
    assert ticket["outbox"][0]["recipient"] == "chat-777"
    assert [c["kind"] for c in ticket["sla_clocks"]] == ["first_response"]
    json.dumps(export)  # plain JSON all the way down
    async with database.transaction() as session:
        events = (
            (
                await session.execute(
                    select(TicketEvent).where(TicketEvent.action == EXPORTED_ACTION)
                )
            )
            .scalars()
            .all()
        )
    assert [(e.actor, e.payload["tickets"]) for e in events] == [("dpo:eva", [case.ticket_id])]


async def test_erasure_rolls_back_entirely_when_it_fails(database: Database) -> None:
    await seed_case(database, pseudonym=MARIA, at=NOW)
    before = await database_dump(database)

    async def explode(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk full")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("storage.erasure.redact_messages", explode)
        with pytest.raises(RuntimeError):
            await erase_customer(database, MARIA, actor="dpo:eva", now=NOW)
    assert await database_dump(database) == before


def test_scrub_payload_reaches_nested_values() -> None:
    payload = {"a": [{"text": "hi María"}], "value": 3, "keep": {"category": "x"}}
    assert scrub_payload(payload) == {
        "a": [{"text": REDACTED}],
        "value": REDACTED,
        "keep": {"category": "x"},
    }


async def test_pending_send_of_another_customer_is_not_cancelled(database: Database) -> None:
    await seed_case(database, pseudonym=MARIA, at=NOW)
    await seed_case(database, pseudonym=OTHER, at=NOW, pending_send=True, external_prefix="o")
    await erase_customer(database, MARIA, actor="dpo:eva", now=NOW)
    async with database.transaction() as session:
        pending = (await session.execute(select(Outbox).where(Outbox.status == "pending"))).all()
        open_tickets = (await session.execute(select(Ticket).where(Ticket.status == "open"))).all()
    assert len(pending) == 1
    assert len(open_tickets) == 1


async def test_erasure_keeps_the_legal_clocks_of_an_open_ticket_running(
    database: Database,
) -> None:
    """A staff-misuse ticket runs the breach-notification clock: the operator owes the
    authority a notification whether or not the customer's data is erased."""
    case = await seed_case(database, pseudonym=MARIA, at=NOW, pending_send=True)
    async with database.transaction() as session:
        for kind, key, hours in (
            ("legal", "legal:breach_notification", 72),
            ("resolution", "resolution", 120),
        ):
            session.add(
                SlaClock(
                    ticket_id=case.ticket_id,
                    kind=kind,
                    key=key,
                    started_at=NOW,
                    deadline=NOW + timedelta(hours=hours),
                    warn_at=NOW + timedelta(hours=hours * 0.75),
                    state=ClockState.RUNNING.value,
                    plan={},
                )
            )

    report = await erase_customer(database, MARIA, actor="dpo:eva", now=NOW + timedelta(hours=1))

    assert report.closed_ticket_ids == ()
    assert report.open_ticket_ids == (case.ticket_id,)
    assert report.running_legal_clocks == 1
    assert report.cancelled_clocks == 1  # first response: nobody left to answer
    assert report.counts.pending_sends_cancelled == 1
    assert report.as_dict()["open_tickets"] == [case.ticket_id]
    async with database.transaction() as session:
        ticket = await session.get(Ticket, case.ticket_id)
        assert ticket is not None
        assert ticket.status == "open"
        assert ticket.closed_at is None
        assert ticket.chat_id is None
        states = dict(
            (
                await session.execute(
                    select(SlaClock.key, SlaClock.state).where(SlaClock.ticket_id == case.ticket_id)
                )
            ).all()
        )
        event = (
            await session.execute(
                select(TicketEvent).where(
                    TicketEvent.ticket_id == case.ticket_id, TicketEvent.action == ERASED_ACTION
                )
            )
        ).scalar_one()
    assert states == {
        "first_response": ClockState.CANCELLED.value,
        "resolution": ClockState.RUNNING.value,
        "legal:breach_notification": ClockState.RUNNING.value,
    }
    assert event.payload["kept_open_for_legal_clocks"] is True
    # The personal data is gone all the same; the ticket is only its pseudonymous skeleton.
    dump = await database_dump(database)
    for marker in PERSONAL_MARKERS:
        assert marker not in dump
    # The SLA engine still finds the legal deadline when it falls due.
    async with database.transaction() as session:
        due = await Repositories(session).claim_due_clocks(
            worker="test",
            now=NOW + timedelta(hours=73),
            lease_until=NOW + timedelta(hours=74),
            limit=10,
        )
        keys = (await session.execute(select(SlaClock.key).where(SlaClock.id.in_(due)))).all()
    assert sorted(key for (key,) in keys) == ["legal:breach_notification"]

    # Erasing again changes nothing about the obligation.
    again = await erase_customer(database, MARIA, actor="dpo:eva", now=NOW + timedelta(hours=2))
    assert again.open_ticket_ids == (case.ticket_id,)
    assert again.cancelled_clocks == 0
