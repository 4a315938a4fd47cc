"""End to end on Telegram: real python-telegram-bot over real HTTP to the fake Bot API, the
real pipeline, service, guard and playbooks on SQLite (classifier: the tag-reading fake)."""

from __future__ import annotations

from pathlib import Path

from channel_builders import (
    ESCALATION_CHAT,
    OPS_CHAT,
    TOKEN,
    channel_stack,
    eventually,
    row_count,
)
from sqlalchemy import select

from bot.fakes.telegram_server import FakeTelegramServer, FakeUser
from storage.models import Evidence, Message

LUCIA = FakeUser(5001, "Lucía", language_code="es")
COMPLAINT_ES = (
    "[telemarketing_optout/medium] Estoy en la Lista Robinson y me siguen llamando "
    "para ofertas, ya les dije que no."
)


def to_chat(chat_id: int, containing: str = "") -> object:
    return lambda m: m.chat_id == chat_id and containing in m.text


async def test_spanish_complaint_is_acknowledged_carded_and_its_evidence_stored(
    tmp_path: Path,
) -> None:
    async with FakeTelegramServer(TOKEN) as tg, channel_stack(tmp_path, tg) as stack:
        tg.push_message(LUCIA, COMPLAINT_ES)
        ack = await tg.wait_for_sent(to_chat(LUCIA.id, "CT-"), within=8)
        reference = ack.text[ack.text.index("CT-") : ack.text.index("CT-") + 9]
        [opened] = stack.recorded.opened
        assert opened.reference == reference and opened.language == "es"
        expected = stack.desk._router.render(
            opened.playbook, "acknowledgement", "es", reference=reference
        )
        assert ack.text == expected

        card = await tg.wait_for_sent(to_chat(OPS_CHAT, reference), within=5)
        assert "telemarketing_optout" in card.text and "severity medium" in card.text
        assert "language es" in card.text and "SLA:" in card.text and "Steps:" in card.text
        assert card.reply_markup is not None
        buttons = [b["callback_data"] for row in card.reply_markup["inline_keyboard"] for b in row]
        assert f"claim:{opened.ticket_id}" in buttons and f"recat:{opened.ticket_id}" in buttons

        questions = stack.desk._questions(opened.playbook, "es")
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
