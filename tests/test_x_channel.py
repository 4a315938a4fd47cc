"""End to end on X: real tweepy AsyncClient over real HTTP to the fake X API v2, the real
pipeline, service, guard and playbooks on SQLite (classifier: the tag-reading fake)."""

from __future__ import annotations

from pathlib import Path

from channel_builders import (
    ESCALATION_CHAT,
    TOKEN,
    channel_stack,
    eventually,
    real_classifier,
    row_count,
    shared_guard,
)
from storage_support import playbook_router

from bot.fakes.faults import Fault
from bot.fakes.telegram_server import FakeTelegramServer
from bot.fakes.x_server import FakeXServer, XUser
from storage.models import Message

GIULIA = XUser("301", "giulia_r", "Giulia Rossi")
CARLOS = XUser("302", "carlos_m", "Carlos Martín")
MENTION_IT = (
    "@caretriage_care [staff_misuse/high] Un vostro tecnico mi scrive su WhatsApp al "
    "+39 333 123 4567 e mi minaccia. Sono Giulia Rossi, via Roma 12."
)
# Read by the real classifier: no tags.
REAL_MENTION_IT = (
    "@caretriage_care Un vostro tecnico mi scrive su WhatsApp al +39 333 123 4567 e mi "
    "minaccia. Sono Giulia Rossi, via Roma 12."
)
DM_ES = "[debt_collection/medium] Pagué la factura y los cobradores siguen llamando a mi madre"


async def test_italian_mention_gets_a_public_redirect_without_personal_data(
    tmp_path: Path,
) -> None:
    async with (
        FakeXServer() as x,
        channel_stack(tmp_path, x=x, classifier=real_classifier()) as stack,
    ):
        tweet_id = x.push_mention(GIULIA, REAL_MENTION_IT, lang="it")

        async def replied() -> bool:
            return bool(x.posted)

        await eventually(replied)
        [reply] = x.posted
        assert reply.in_reply_to == tweet_id
        opened = stack.recorded.opened[0]
        assert (opened.category, opened.language) == ("staff_misuse", "it")
        assert reply.text == playbook_router().render(opened.playbook, "public_redirect", "it")
        for personal in ("333", "Giulia", "Rossi", "Roma", "CT-"):
            assert personal not in reply.text
        assert shared_guard().check(reply.text, lang="it", public=True).allowed
        assert not x.sent_dms  # the case continues when the customer writes by DM


async def test_spanish_dm_is_acknowledged_by_dm_and_evidence_is_stored(tmp_path: Path) -> None:
    async with FakeXServer() as x, channel_stack(tmp_path, x=x) as stack:
        x.push_dm(CARLOS, DM_ES)

        async def asked() -> bool:
            return len(x.sent_dms) >= 2

        await eventually(asked)
        ack, question = x.sent_dms[:2]
        opened = stack.recorded.opened[0]
        assert ack.participant_id == CARLOS.id and opened.reference in ack.text
        assert opened.language == "es" or opened.language == "en"
        x.push_dm(CARLOS, "Tengo el justificante de pago del 3 de marzo")

        async def answered() -> bool:
            detail = await stack.service.get_ticket(opened.ticket_id)
            return bool(detail.evidence)

        await eventually(answered)
        assert question.participant_id == CARLOS.id


async def test_restart_neither_loses_nor_duplicates_mentions_or_dms(tmp_path: Path) -> None:
    async with FakeXServer() as x, channel_stack(tmp_path, x=x) as stack:
        authors = [XUser(str(400 + n), f"user{n}", f"User {n}") for n in range(4)]
        x.push_mention(authors[0], "[unknown_data_source/low] ¿De dónde sacaron mi número?")
        x.push_dm(authors[1], "[unknown_data_source/low] Me llegan SMS sin haber dado mi número")

        async def first_round() -> bool:
            return len(x.posted) == 1 and len(x.sent_dms) >= 1

        await eventually(first_round)
        await stack.restart()
        x.push_mention(authors[2], "[unknown_data_source/low] Nunca les di mi correo")
        x.push_dm(authors[3], "[unknown_data_source/low] ¿Quién les dio mis datos?")

        async def second_round() -> bool:
            acked = {d.participant_id for d in x.sent_dms if "CT-" in d.text}
            return len(x.posted) == 2 and acked == {authors[1].id, authors[3].id}

        await eventually(second_round)
        assert await row_count(stack.database, Message) == 4
        assert sorted(p.in_reply_to or "" for p in x.posted) == sorted(m["id"] for m in x.mentions)
        assert len([d for d in x.sent_dms if "CT-" in d.text]) == 2


async def test_rate_limit_pauses_polling_until_the_reset(tmp_path: Path) -> None:
    async with FakeXServer() as x, channel_stack(tmp_path, x=x) as stack:
        x.faults.add(Fault("rate_limit", "/mentions", retry_after=2))
        x.push_mention(GIULIA, MENTION_IT, lang="it")
        channel = stack.runtime.x_channel
        assert channel is not None

        async def paused_and_skipping() -> bool:
            return channel.paused_until is not None and channel.skipped_polls >= 2

        await eventually(paused_and_skipping)
        mention_calls = len([r for r in x.requests if "/mentions" in r])
        assert mention_calls == 1  # skipped polls make no request at all

        async def replied() -> bool:
            return bool(x.posted)

        await eventually(replied, within=8)
        assert len(x.posted) == 1


async def test_server_error_storm_is_survived(tmp_path: Path) -> None:
    async with FakeXServer() as x, channel_stack(tmp_path, x=x):
        x.faults.add(Fault("server_error", "/mentions", status=503), times=3)
        x.faults.add(Fault("malformed", "/mentions"))
        x.faults.add(Fault("truncated", "/dm_events"))
        x.faults.add(Fault("server_error", "/tweets", status=500), times=2)
        x.faults.add(Fault("rate_limit", "/tweets", retry_after=1))
        x.push_mention(GIULIA, MENTION_IT, lang="it")

        async def replied() -> bool:
            return bool(x.posted)

        await eventually(replied, within=10)
        assert len(x.posted) == 1 and x.faults.injected == 8


async def test_auth_failure_marks_x_unhealthy_and_alerts_the_escalation_chat(
    tmp_path: Path,
) -> None:
    async with (
        FakeXServer() as x,
        FakeTelegramServer(TOKEN) as tg,
        channel_stack(tmp_path, tg, x) as stack,
    ):
        x.faults.add(Fault("auth", "/mentions", status=402), times=100)
        alert = await tg.wait_for_sent(
            lambda m: m.chat_id == ESCALATION_CHAT and "UNHEALTHY" in m.text, within=8
        )
        assert "HTTP 402" in alert.text and "x" in alert.text
        [status] = [s for s in stack.runtime.health.statuses() if s.channel == "x"]
        assert not status.healthy
        channel = stack.runtime.x_channel
        assert channel is not None
        polls = channel.polls
        assert await channel.poll_once() == 0 and channel.polls == polls  # polling stopped
        assert len([m for m in tg.messages_to(ESCALATION_CHAT) if "UNHEALTHY" in m.text]) == 1
