"""Channel intake in batches: a getUpdates answer / an X page is ingested in one pipeline
pass and its cursor saved once, with each message still answered on its own. Real
python-telegram-bot and tweepy over real HTTP to the fakes, the real pipeline on SQLite;
the pipeline's batch call and the cursor writes are counted by wrapping the real ones."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from channel_builders import TOKEN, channel_stack, eventually, row_count
from sqlalchemy import select

from bot.fakes.telegram_server import FakeTelegramServer, FakeUser
from bot.fakes.x_server import FakeXServer, XUser
from bot.inbound import InboundMessage
from bot.pipeline import IngestResult
from storage.models import Evidence, Message

COMPLAINT_ES = (
    "[telemarketing_optout/medium] Estoy en la Lista Robinson y me siguen llamando "
    "para ofertas, ya les dije que no."
)
DM_ES = "[debt_collection/medium] Pagué la factura y los cobradores siguen llamando a mi madre"
MENTION_ES = "@caretriage_care [telemarketing_optout/medium] Me llaman cada día, basta ya"


class Counted:
    """Records the batch sizes of the pipeline's batch call and the cursors written."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, stack: object) -> None:
        self.batches: list[int] = []
        self.cursors: list[tuple[str, str]] = []
        pipeline = stack.pipeline  # type: ignore[attr-defined]
        desk = stack.desk  # type: ignore[attr-defined]
        ingest_each = pipeline.ingest_each
        set_cursor = desk.set_cursor

        async def counting_ingest(
            messages: Sequence[InboundMessage], **kwargs: int
        ) -> list[IngestResult | Exception]:
            self.batches.append(len(messages))
            return list(await ingest_each(messages, **kwargs))

        async def counting_cursor(channel: str, account: str, stream: str, cursor: str) -> None:
            self.cursors.append((stream, cursor))
            await set_cursor(channel, account, stream, cursor)

        monkeypatch.setattr(pipeline, "ingest_each", counting_ingest)
        monkeypatch.setattr(desk, "set_cursor", counting_cursor)


async def test_a_getupdates_batch_is_ingested_in_one_call_and_confirmed_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    customers = [FakeUser(7001 + n, f"Cliente {n}", language_code="es") for n in range(4)]
    async with (
        FakeTelegramServer(TOKEN) as tg,
        channel_stack(tmp_path, tg, start=False) as stack,
    ):
        counted = Counted(monkeypatch, stack)
        # All queued before the poller starts, so its first getUpdates returns them together;
        # the first customer's second message answers the evidence question their first
        # one starts, and an edit of another customer's message is ingested after it.
        first = [tg.push_message(customer, COMPLAINT_ES) for customer in customers]
        tg.push_message(customers[0], "+34 911 222 333")
        tg.push_edit(first[1], COMPLAINT_ES + " Otra vez hoy.")
        await stack.runtime.start()

        async def answered() -> bool:
            acks = all(
                any("CT-" in m.text for m in tg.messages_to(customer.id)) for customer in customers
            )
            # The first question, then the next one once the answer was recorded.
            questions = [m for m in tg.messages_to(customers[0].id) if "CT-" not in m.text]
            return acks and len(questions) == 2 and await row_count(stack.database, Evidence) == 1

        await eventually(answered, within=10)
        # The four first messages in one pipeline call; the edit (a second update of its
        # chat) after them on its own; the answer is recorded, not ingested.
        assert counted.batches == [4]
        assert await row_count(stack.database, Message) == 5
        async with stack.database.transaction() as session:
            [value] = (await session.execute(select(Evidence.value))).scalars().all()
        assert value == "+34 911 222 333"
        # The offset is saved once, past the whole batch, after its last update is handled
        # (which can be a moment after the replies above went out), and the next getUpdates
        # confirms the batch to the server.
        async def offset_saved_and_confirmed() -> bool:
            return bool(counted.cursors) and tg.pending_updates == 0

        await eventually(offset_saved_and_confirmed)
        assert [stream for stream, _ in counted.cursors] == ["updates"]
        assert tg.pending_updates == 0


async def test_x_pages_are_ingested_in_one_call_each_and_confirmed_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mentioners = [XUser(str(401 + n), f"user{n}", f"User {n}") for n in range(3)]
    writers = [XUser(str(501 + n), f"writer{n}", f"Writer {n}") for n in range(2)]
    async with (
        FakeXServer() as x,
        channel_stack(tmp_path, x=x, start=False) as stack,
    ):
        counted = Counted(monkeypatch, stack)
        for user in mentioners:
            x.push_mention(user, MENTION_ES, lang="es")
        for user in writers:
            x.push_dm(user, DM_ES)
        x.push_dm(writers[0], "Fue el 3 de marzo")  # answers the first evidence question
        await stack.runtime.start()

        async def answered() -> bool:
            redirects = len(x.posted) == len(mentioners)
            acks = all(
                any("CT-" in dm.text for dm in x.sent_dms if dm.participant_id == user.id)
                for user in writers
            )
            return redirects and acks and await row_count(stack.database, Evidence) == 1

        await eventually(answered, within=10)
        assert counted.batches == [3, 2]  # the mentions page, then the DM page
        assert await row_count(stack.database, Message) == 5

        async def both_cursors_saved() -> bool:  # each once its page is handled
            return len(counted.cursors) >= 2

        await eventually(both_cursors_saved)
        assert sorted(stream for stream, _ in counted.cursors) == ["dm_events", "mentions"]
