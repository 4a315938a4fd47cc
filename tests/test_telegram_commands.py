"""Customers' commands in their own language: /start, /help, /status, /forget."""

from __future__ import annotations

from pathlib import Path

from channel_builders import TOKEN, channel_stack
from storage_support import playbook_router

from bot.channels.phrases import phrase
from bot.fakes.telegram_server import FakeTelegramServer, FakeUser

JOAO = FakeUser(8001, "João", language_code="pt-BR")
ANNA = FakeUser(8002, "Анна", language_code="ru")


async def test_start_and_help_answer_in_the_customers_language(tmp_path: Path) -> None:
    async with FakeTelegramServer(TOKEN) as tg, channel_stack(tmp_path, tg):
        tg.push_message(JOAO, "/start")
        tg.push_message(ANNA, "/help")
        await tg.wait_for_sent(lambda m: m.chat_id == JOAO.id and m.text == phrase("start", "pt"))
        await tg.wait_for_sent(lambda m: m.chat_id == ANNA.id and m.text == phrase("help", "ru"))


async def test_status_lists_only_the_customers_open_cases(tmp_path: Path) -> None:
    async with FakeTelegramServer(TOKEN) as tg, channel_stack(tmp_path, tg) as stack:
        tg.push_message(ANNA, "/status")
        await tg.wait_for_sent(
            lambda m: m.chat_id == ANNA.id and m.text == phrase("no_cases", "ru")
        )
        tg.push_message(ANNA, "[debt_collection/medium] Коллекторы звонят моей маме")
        await tg.wait_for_sent(lambda m: m.chat_id == ANNA.id and "CT-" in m.text)
        reference = stack.recorded.opened[0].reference
        stack.runtime.conversations.interview.forget(f"telegram:{ANNA.id}")
        tg.push_message(JOAO, "[staff_misuse/high] O técnico me mandou mensagens")
        tg.push_message(ANNA, "/status")
        listing = await tg.wait_for_sent(
            lambda m: m.chat_id == ANNA.id and m.text.startswith(phrase("open_cases", "ru"))
        )
        assert reference in listing.text and listing.text.count("CT-") == 1


async def test_forget_opens_a_data_rights_request_in_the_customers_language(
    tmp_path: Path,
) -> None:
    async with FakeTelegramServer(TOKEN) as tg, channel_stack(tmp_path, tg) as stack:
        tg.push_message(JOAO, "/forget")
        ack = await tg.wait_for_sent(lambda m: m.chat_id == JOAO.id and "CT-" in m.text)
        [opened] = stack.recorded.opened
        detail = await stack.service.get_ticket(opened.ticket_id)
        assert detail.summary.category == "data_rights_request"
        assert detail.messages[0].text == phrase("erasure_request", "pt")
        expected = playbook_router().render(
            detail.summary.playbook, "acknowledgement", "pt", reference=opened.reference
        )
        assert ack.text == expected
