"""End to end on Telegram: real python-telegram-bot over real HTTP to the fake Bot API, the
real pipeline, service, guard and playbooks on SQLite (classifier: the tag-reading fake)."""

from __future__ import annotations

import socket
from pathlib import Path

import aiohttp
import pytest
from channel_builders import (
    ESCALATION_CHAT,
    OPS_CHAT,
    TOKEN,
    channel_stack,
    eventually,
    fast_options,
    real_classifier,
    row_count,
    shared_guard,
)
from sqlalchemy import select
from storage_support import playbook_router

from bot.channels.errors import ChannelAuthError
from bot.channels.runtime import ChannelRuntime, NotifierHub
from bot.clock import SystemClock
from bot.fakes.faults import Fault
from bot.fakes.telegram_server import FakeTelegramServer, FakeUser
from storage.models import Evidence, Message, Outbox, TicketEvent

LUCIA = FakeUser(5001, "Lucía", language_code="es")
COMPLAINT_ES = (
    "[telemarketing_optout/medium] Estoy en la Lista Robinson y me siguen llamando "
    "para ofertas, ya les dije que no."
)
# Read by the real classifier: no tags.
REAL_COMPLAINT_ES = (
    "Estoy en la Lista Robinson y me siguen llamando para ofertas todos los días, "
    "ya les dije que no."
)


def to_chat(chat_id: int, containing: str = "") -> object:
    return lambda m: m.chat_id == chat_id and containing in m.text


async def test_spanish_complaint_is_acknowledged_carded_and_its_evidence_stored(
    tmp_path: Path,
) -> None:
    async with (
        FakeTelegramServer(TOKEN) as tg,
        channel_stack(tmp_path, tg, classifier=real_classifier()) as stack,
    ):
        tg.push_message(LUCIA, REAL_COMPLAINT_ES)
        ack = await tg.wait_for_sent(to_chat(LUCIA.id, "CT-"), within=8)
        reference = ack.text[ack.text.index("CT-") : ack.text.index("CT-") + 9]
        [opened] = stack.recorded.opened
        assert opened.reference == reference and opened.language == "es"
        expected = playbook_router().render(
            opened.playbook, "acknowledgement", "es", reference=reference
        )
        assert ack.text == expected

        card = await tg.wait_for_sent(to_chat(OPS_CHAT, reference), within=5)
        assert "telemarketing_optout" in card.text and "severity medium" in card.text
        assert "language es" in card.text and "SLA:" in card.text and "Steps:" in card.text
        assert card.reply_markup is not None
        buttons = [b["callback_data"] for row in card.reply_markup["inline_keyboard"] for b in row]
        assert f"claim:{opened.ticket_id}" in buttons and f"recat:{opened.ticket_id}" in buttons

        questions = stack.desk.evidence_questions(opened.playbook, "es")
        assert questions, "the telemarketing playbook asks for evidence"
        answers = ["+34 911 222 333", "ayer a las 21:40", "12 llamadas", "sí, en 2024"]
        assert len(questions) == len(answers)
        for question, answer in zip(questions, answers, strict=True):
            await tg.wait_for_sent(lambda m, q=question: m.chat_id == LUCIA.id and m.text == q.text)
            tg.push_message(LUCIA, answer)
        await tg.wait_for_sent(to_chat(LUCIA.id, "Gracias"), within=5)

        detail = await stack.service.get_ticket(opened.ticket_id)
        for question, answer in zip(questions, answers, strict=True):
            assert detail.evidence[question.key] == answer


async def test_photo_is_kept_as_evidence_and_edits_are_ingested_once(tmp_path: Path) -> None:
    async with FakeTelegramServer(TOKEN) as tg, channel_stack(tmp_path, tg) as stack:
        first = tg.push_message(LUCIA, "[staff_misuse/high] Un técnico me escribe por WhatsApp")
        await tg.wait_for_sent(to_chat(LUCIA.id, "CT-"), within=8)
        await tg.wait_for_sent(to_chat(ESCALATION_CHAT, "HIGH SEVERITY"), within=5)
        ticket_id = stack.recorded.opened[0].ticket_id
        # The photo arrives while the first evidence question is pending: it answers it.
        tg.push_message(LUCIA, photo_file_id="AgACAgQAAxkBAAIBphoto", caption="captura")
        edited = tg.push_edit(first, "[staff_misuse/high] Un técnico me escribe y me amenaza")
        tg.push_raw_update({"edited_message": edited})  # the same edit delivered twice

        async def edit_ingested() -> bool:
            return await row_count(stack.database, Message) == 2 and tg.pending_updates == 0

        await eventually(edit_ingested)
        async with stack.database.transaction() as session:
            refs = (await session.execute(select(Evidence.file_ref))).scalars().all()
            kinds = (await session.execute(select(Message.kind))).scalars().all()
        assert "AgACAgQAAxkBAAIBphoto" in refs
        assert sorted(kinds) == ["dm", "edit"]
        assert {n.ticket_id for n in stack.recorded.opened} == {ticket_id}


async def test_restart_in_the_middle_of_polling_neither_loses_nor_duplicates(
    tmp_path: Path,
) -> None:
    async with FakeTelegramServer(TOKEN) as tg, channel_stack(tmp_path, tg) as stack:
        customers = [FakeUser(6000 + n, f"C{n}", language_code="es") for n in range(6)]
        for customer in customers[:3]:
            tg.push_message(customer, f"[data_rights_request/low] Quiero mis datos {customer.id}")
        await tg.wait_for_sent(lambda m: m.chat_id == customers[0].id and "CT-" in m.text)
        await stack.restart()  # a worker restart while updates are still queued
        for customer in customers[3:]:
            tg.push_message(customer, f"[data_rights_request/low] Quiero mis datos {customer.id}")

        async def all_acknowledged() -> bool:
            return all(
                any("CT-" in m.text for m in tg.messages_to(c.id)) for c in customers
            ) and await _idle(tg)

        try:
            await eventually(all_acknowledged, within=10)
        except TimeoutError:
            raise AssertionError(
                [(c.id, [m.text[:20] for m in tg.messages_to(c.id)]) for c in customers],
                tg.pending_updates,
                tg.requests[-5:],
            ) from None
        assert await row_count(stack.database, Message) == 6
        for customer in customers:
            acks = [m for m in tg.messages_to(customer.id) if "CT-" in m.text]
            assert len(acks) == 1, f"customer {customer.id} got {len(acks)} acknowledgements"


async def _idle(tg: FakeTelegramServer) -> bool:
    return tg.pending_updates == 0


async def test_redelivered_update_is_not_ingested_twice(tmp_path: Path) -> None:
    async with FakeTelegramServer(TOKEN) as tg, channel_stack(tmp_path, tg) as stack:
        message = tg.push_message(LUCIA, COMPLAINT_ES)
        await tg.wait_for_sent(to_chat(LUCIA.id, "CT-"), within=8)
        stack.runtime.conversations.interview.forget(f"telegram:{LUCIA.id}")
        tg.push_raw_update({"message": message})  # Telegram delivering it again
        tg.push_message(LUCIA, "[telemarketing_optout/medium] Y hoy otra vez")

        async def both_seen() -> bool:
            return await row_count(stack.database, Message) == 2 and tg.pending_updates == 0

        await eventually(both_seen)
        assert len([m for m in tg.messages_to(LUCIA.id) if "CT-" in m.text]) == 1


async def test_rate_limit_and_server_error_storms_are_survived(tmp_path: Path) -> None:
    async with FakeTelegramServer(TOKEN) as tg, channel_stack(tmp_path, tg) as stack:
        tg.faults.add(Fault("server_error", "getUpdates", status=502), times=3)
        tg.faults.add(Fault("malformed", "getUpdates"))
        tg.faults.add(Fault("rate_limit", "sendMessage", retry_after=1), times=2)
        tg.faults.add(Fault("server_error", "sendMessage", status=500), times=3)
        tg.faults.add(Fault("truncated", "sendMessage"))
        tg.push_message(LUCIA, COMPLAINT_ES)
        ack = await tg.wait_for_sent(to_chat(LUCIA.id, "CT-"), within=15)
        await tg.wait_for_sent(to_chat(OPS_CHAT, ack.text[ack.text.index("CT-") :][:9]))
        assert tg.faults.injected == 10
        async with stack.database.transaction() as session:
            failures = (
                (
                    await session.execute(
                        select(TicketEvent).where(TicketEvent.action == "send_failed")
                    )
                )
                .scalars()
                .all()
            )
        assert failures, "failed sends are recorded, not dropped"
        assert len([m for m in tg.messages_to(LUCIA.id) if "CT-" in m.text]) == 1


async def test_a_send_that_keeps_failing_stays_pending_and_visible(tmp_path: Path) -> None:
    async with FakeTelegramServer(TOKEN) as tg, channel_stack(tmp_path, tg) as stack:
        tg.faults.add(Fault("server_error", "sendMessage", status=503), times=1000)
        tg.push_message(LUCIA, COMPLAINT_ES)

        async def retried() -> bool:
            async with stack.database.transaction() as session:
                rows = (await session.execute(select(Outbox))).scalars().all()
            return (
                bool(rows)
                and all(r.status == "pending" for r in rows)
                and any(r.attempts >= 3 and r.last_error for r in rows)
            )

        await eventually(retried, within=10)
        assert not tg.sent


async def test_webhook_mode_checks_the_secret_token(tmp_path: Path) -> None:
    port = free_port()
    async with (
        FakeTelegramServer(TOKEN) as tg,
        channel_stack(
            tmp_path,
            tg,
            telegram_mode="webhook",
            telegram_webhook_url=f"http://127.0.0.1:{port}/telegram",
            telegram_webhook_listen="127.0.0.1",
            telegram_webhook_port=port,
            telegram_webhook_secret="s3cret-token-value",
        ),
    ):
        assert tg.webhook_url == f"http://127.0.0.1:{port}/telegram"
        tg.push_message(LUCIA, COMPLAINT_ES)
        await tg.wait_for_sent(to_chat(LUCIA.id, "CT-"), within=8)

        async def answered() -> bool:
            # The webhook answers once the update was handled, which may be after the
            # acknowledgement went out.
            return tg.webhook_responses == [200]

        await eventually(answered)
        update = {"update_id": 999, "message": {"message_id": 1, "date": 1, "chat": {"id": 1}}}
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as http:
            for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
                async with http.post(tg.webhook_url, json=update, headers=headers) as resp:
                    assert resp.status == 403


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_a_refused_bot_token_stops_start_up_with_an_auth_error(tmp_path: Path) -> None:
    async with FakeTelegramServer(TOKEN) as tg:
        with pytest.raises(ChannelAuthError) as refused:
            async with channel_stack(tmp_path, tg, telegram_bot_token="999:not-the-token"):
                pass
        assert "not-the-token" not in str(refused.value)


async def test_two_workers_on_one_database_poll_once_and_answer_once(tmp_path: Path) -> None:
    async with FakeTelegramServer(TOKEN) as tg, channel_stack(tmp_path, tg) as stack:
        second = ChannelRuntime(
            stack.settings,
            stack.desk,
            NotifierHub(),
            stack.database,
            shared_guard(),
            SystemClock(),
            fast_options("worker-2"),
        )
        await second.start()
        try:
            customers = [FakeUser(9000 + n, f"W{n}", language_code="es") for n in range(5)]
            for customer in customers:
                tg.push_message(customer, f"[data_rights_request/low] Mis datos {customer.id}")

            async def all_answered() -> bool:
                return all(
                    any("CT-" in m.text for m in tg.messages_to(c.id)) for c in customers
                ) and await _idle(tg)

            await eventually(all_answered, within=10)
            handled = [
                r.telegram_poller.handled for r in (stack.runtime, second) if r.telegram_poller
            ]
            assert sorted(handled)[0] == 0 and sum(handled) == len(customers)
            for customer in customers:
                assert len([m for m in tg.messages_to(customer.id) if "CT-" in m.text]) == 1
        finally:
            await second.stop()
