"""Pure channel logic: retry schedule, evidence interview, phrase language choice."""

from __future__ import annotations

from datetime import timedelta

from channel_builders import T0

from bot.channels.desk import EvidenceQuestion
from bot.channels.errors import ChannelAuthError, ChannelUnavailable, RateLimited, SendRejected
from bot.channels.interview import EvidenceInterview
from bot.channels.phrases import phrase, pick_language
from bot.channels.sender import BACKOFF_CAP_SECONDS, next_attempt_at
from bot.channels.telegram_app import GroupFloodLimit


def test_unavailable_backs_off_exponentially_up_to_a_cap() -> None:
    error = ChannelUnavailable("telegram", "502")
    delays = [(next_attempt_at(error, n, T0) - T0).total_seconds() for n in range(1, 12)]
    assert delays[:4] == [1.0, 2.0, 4.0, 8.0]
    assert delays[-1] == BACKOFF_CAP_SECONDS
    assert delays == sorted(delays)


def test_rate_limited_waits_until_the_reset_never_earlier_than_now() -> None:
    later = T0 + timedelta(seconds=42)
    assert next_attempt_at(RateLimited("x", "429", later), 1, T0) == later
    assert next_attempt_at(RateLimited("x", "429", T0 - timedelta(seconds=5)), 1, T0) == T0


def test_permanent_and_auth_failures_are_kept_and_retried_rarely() -> None:
    rejected = next_attempt_at(SendRejected("telegram", "chat not found"), 1, T0)
    auth = next_attempt_at(ChannelAuthError("x", "401", 401), 1, T0)
    assert rejected - T0 >= timedelta(minutes=30)
    assert auth - T0 >= timedelta(minutes=1)


def test_interview_asks_each_question_once_in_order() -> None:
    questions = (EvidenceQuestion("number", "¿Número?"), EvidenceQuestion("date", "¿Fecha?"))
    interview = EvidenceInterview()
    first = interview.start("telegram:1", 7, "CT-000007", "es", questions)
    assert first == questions[0]
    pending = interview.awaiting("telegram:1")
    assert pending is not None and pending.question.key == "number"
    assert interview.answered("telegram:1") == questions[1]
    assert interview.answered("telegram:1") is None
    assert interview.awaiting("telegram:1") is None


def test_interview_without_questions_waits_for_nothing() -> None:
    interview = EvidenceInterview()
    assert interview.start("x:9", 1, "CT-000001", "en", ()) is None
    assert interview.awaiting("x:9") is None


def test_language_choice_takes_our_languages_only() -> None:
    assert pick_language("pt-BR") == "pt"
    assert pick_language(None, "it") == "it"
    assert pick_language("ja", "zz") == "en"
    assert phrase("evidence_done", "es", reference="CT-000001").startswith("Gracias")
    assert phrase("no_cases", "ja") == phrase("no_cases", "en")


def test_group_flood_limit_defers_instead_of_waiting() -> None:
    limit = GroupFloodLimit(per_period=2, period_seconds=60)
    assert limit.reserve(-100, T0) is None
    assert limit.reserve(-100, T0 + timedelta(seconds=1)) is None
    assert limit.reserve(-100, T0 + timedelta(seconds=2)) == T0 + timedelta(seconds=60)
    assert limit.reserve(-200, T0 + timedelta(seconds=2)) is None  # another group
    assert all(limit.reserve(5001, T0) is None for _ in range(10))  # private chats: no limit
    assert limit.reserve(-100, T0 + timedelta(seconds=60)) is None  # a slot freed up
