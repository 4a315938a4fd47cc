"""Evidence interviews expire after the configured idle time and are bounded in number;
an answer that comes after expiry is ingested like any new message."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from channel_builders import T0, TOKEN, channel_stack, eventually, row_count
from sqlalchemy import select

from bot.channels.desk import EvidenceQuestion
from bot.channels.interview import DEFAULT_IDLE, EvidenceInterview, interview_for
from bot.clock import FakeClock
from bot.fakes.telegram_server import FakeTelegramServer, FakeUser
from bot.settings import Settings, SettingsError, load_settings
from storage.models import Evidence, Message

QUESTIONS = (EvidenceQuestion("number", "¿Número?"), EvidenceQuestion("date", "¿Fecha?"))
LUCIA = FakeUser(5001, "Lucía", language_code="es")


def test_an_unanswered_question_expires_after_the_idle_time() -> None:
    clock = FakeClock(T0)
    interview = EvidenceInterview(clock, idle=timedelta(minutes=30))
    interview.start("telegram:1", 7, "CT-000007", "es", QUESTIONS)
    clock.advance(timedelta(minutes=29))
    assert interview.awaiting("telegram:1") is not None
    # Answering restarts the idle time for the next question.
    assert interview.answered("telegram:1") == QUESTIONS[1]
    clock.advance(timedelta(minutes=29))
    assert interview.awaiting("telegram:1") is not None
    clock.advance(timedelta(minutes=1))
    assert interview.awaiting("telegram:1") is None
    assert len(interview) == 0


def test_expired_interviews_are_dropped_even_if_never_looked_up() -> None:
    clock = FakeClock(T0)
    interview = EvidenceInterview(clock, idle=timedelta(hours=1))
    for n in range(1000):
        interview.start(f"x:{n}", n, f"CT-{n:06d}", "en", QUESTIONS)
    clock.advance(timedelta(hours=2))
    interview.start("x:new", 5000, "CT-005000", "en", QUESTIONS)
    assert len(interview) == 1


def test_the_number_kept_is_bounded_oldest_first() -> None:
    clock = FakeClock(T0)
    interview = EvidenceInterview(clock, max_chats=3)
    for n in range(5):
        interview.start(f"telegram:{n}", n, f"CT-{n:06d}", "es", QUESTIONS)
        clock.advance(timedelta(seconds=1))
    assert len(interview) == 3
    assert interview.awaiting("telegram:0") is None and interview.awaiting("telegram:1") is None
    assert interview.awaiting("telegram:4") is not None


def test_idle_time_comes_from_the_settings() -> None:
    assert Settings().interview_idle_minutes * 60 == DEFAULT_IDLE.total_seconds()
    settings = load_settings(environ={"CARETRIAGE_INTERVIEW_IDLE_MINUTES": "90"})
    clock = FakeClock(T0)
    interview = interview_for(settings, clock)
    interview.start("telegram:1", 7, "CT-000007", "es", QUESTIONS)
    clock.advance(timedelta(minutes=89))
    assert interview.awaiting("telegram:1") is not None
    clock.advance(timedelta(minutes=1))
    assert interview.awaiting("telegram:1") is None
    with pytest.raises(SettingsError, match="interview_idle_minutes"):
        load_settings(environ={"CARETRIAGE_INTERVIEW_IDLE_MINUTES": "0"})


async def test_an_answer_after_expiry_is_ingested_as_a_new_message(tmp_path: Path) -> None:
    clock = FakeClock(T0)
    async with FakeTelegramServer(TOKEN) as tg, channel_stack(tmp_path, tg) as stack:
        # The interview's clock is the test's; everything else runs on the system clock.
        stack.runtime.conversations.interview = EvidenceInterview(clock, idle=timedelta(hours=1))
        tg.push_message(LUCIA, "[telemarketing_optout/medium] Me llaman cada día para ofertas")
        await tg.wait_for_sent(lambda m: m.chat_id == LUCIA.id and "CT-" in m.text)
        assert stack.runtime.conversations.interview.awaiting(f"telegram:{LUCIA.id}")

        clock.advance(timedelta(hours=1))
        tg.push_message(LUCIA, "[telemarketing_optout/medium] Hoy me han vuelto a llamar")

        async def ingested() -> bool:
            return await row_count(stack.database, Message) == 2

        await eventually(ingested)
        async with stack.database.transaction() as session:
            texts = (await session.execute(select(Message.text))).scalars().all()
            evidence = (await session.execute(select(Evidence.value))).scalars().all()
        assert any("vuelto a llamar" in (t or "") for t in texts)
        assert not any("vuelto a llamar" in (v or "") for v in evidence)


async def test_the_channel_runtime_uses_the_configured_idle_time(tmp_path: Path) -> None:
    async with (
        FakeTelegramServer(TOKEN) as tg,
        channel_stack(tmp_path, tg, start=False, interview_idle_minutes=90) as stack,
    ):
        assert stack.runtime.conversations.interview.idle == timedelta(minutes=90)
