"""The demo: the real product against local fake Telegram and X servers.

The bundled stream is replayed by playing the customers on the fakes, so every message goes
through the real adapters (python-telegram-bot long polling, tweepy mention and DM
polling), the real classifier, playbooks, SLA engine, reply guard and dashboard. Time runs
`speed` times faster than the wall clock, for the replay pacing and the SLA clocks alike, so
warnings and a breach happen within a minute.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from sqlalchemy import func, select

from bot.application import Wiring, build_wiring, running
from bot.channels.runtime import RuntimeOptions
from bot.clock import ScaledClock
from bot.demo.stream import DemoDraft, load_drafts, load_stream
from bot.fakes.telegram_server import FakeTelegramServer, FakeUser
from bot.fakes.x_server import FakeXServer, XUser
from bot.inbound import InboundMessage
from bot.settings import Settings
from storage.migrate import upgrade_database
from storage.models import Message, Outbox, ReplyDraft, SlaClock, Ticket, ticket_reference

log = logging.getLogger("caretriage.demo")

DEMO_TOKEN = "123456:demo-token-not-a-secret"
OPS_CHAT = -100_100
ESCALATION_CHAT = -100_200
AGENTS = {"agent-ana": 9001, "agent-ben": 9002}
MANAGER = 9100
SETTLE_TIMEOUT = 120.0  # real seconds to wait for ingestion and a breach in --once


@dataclass
class DemoSummary:
    messages_in: int
    messages_stored: int
    tickets: Counter[tuple[str, str]] = field(default_factory=Counter)
    drafts_blocked: int = 0
    drafts_sent: int = 0
    warnings: int = 0
    breaches: int = 0
    acknowledgements: int = 0
    public_replies: int = 0
    outbox_sent: int = 0
    outbox_pending: int = 0

    def table(self) -> str:
        languages = sorted({lang for _, lang in self.tickets})
        categories = sorted({cat for cat, _ in self.tickets})
        head = ["category".ljust(24)] + [lang.rjust(4) for lang in languages] + ["total".rjust(6)]
        lines = [" ".join(head)]
        for category in categories:
            counts = [self.tickets[(category, lang)] for lang in languages]
            lines.append(
                " ".join(
                    [category.ljust(24)]
                    + [str(c).rjust(4) for c in counts]
                    + [str(sum(counts)).rjust(6)]
                )
            )
        totals = [sum(self.tickets[(c, lang)] for c in categories) for lang in languages]
        lines.append(
            " ".join(
                ["total".ljust(24)]
                + [str(t).rjust(4) for t in totals]
                + [str(sum(totals)).rjust(6)]
            )
        )
        lines += [
            "",
            f"messages replayed / stored : {self.messages_in} / {self.messages_stored}",
            f"acknowledgements sent      : {self.acknowledgements} private, "
            f"{self.public_replies} public redirects",
            f"agent drafts               : {self.drafts_blocked} blocked by the reply guard, "
            f"{self.drafts_sent} sent",
            f"SLA events                 : {self.warnings} warnings, {self.breaches} breaches",
            f"outbound messages          : {self.outbox_sent} sent, {self.outbox_pending} still "
            "queued (Telegram limits a group to 20 messages a minute)",
        ]
        return "\n".join(lines)


async def _until(check: Callable[[], Awaitable[bool]], within: float) -> bool:
    """Poll `check` until it holds or `within` real seconds pass; says which happened."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while True:
        if await check():
            return True
        if loop.time() > deadline:
            return False
        await asyncio.sleep(0.2)


def _x_user(handle: str) -> XUser:
    name = handle.lstrip("@")
    number = int(hashlib.sha256(name.encode()).hexdigest()[:12], 16)
    return XUser(id=str(10_000_000 + number), username=name, name=name.replace("_", " "))


def _telegram_user(author: str, lang: str | None) -> FakeUser:
    user_id = int(author.removeprefix("tg:"))
    return FakeUser(user_id, f"Customer{user_id}", language_code=lang)


class DemoRunner:
    def __init__(
        self,
        settings: Settings,
        data_dir: Path,
        *,
        speed: float,
        stream: list[InboundMessage] | None = None,
        drafts: list[DemoDraft] | None = None,
    ) -> None:
        if speed <= 0:
            raise ValueError("--speed must be positive")
        self.base_settings = settings
        self.data_dir = data_dir
        self.speed = speed
        self.stream = stream if stream is not None else load_stream()
        self.drafts = drafts if drafts is not None else load_drafts()
        self.clock = ScaledClock(datetime.now(UTC), speed)
        self.telegram = FakeTelegramServer(DEMO_TOKEN, clock=self.clock)
        self.x = FakeXServer(clock=self.clock)

    def settings_for(self, dashboard_port: int) -> Settings:
        database_url = f"sqlite+aiosqlite:///{self.data_dir / 'caretriage-demo.db'}"
        return self.base_settings.model_copy(
            update={
                "database_url": database_url,
                "telegram_bot_token": SecretStr(DEMO_TOKEN),
                "telegram_base_url": self.telegram.base_url,
                "telegram_ops_chat_id": OPS_CHAT,
                "telegram_escalation_chat_id": ESCALATION_CHAT,
                "telegram_agents": sorted(AGENTS.values()),
                "telegram_managers": [MANAGER],
                "telegram_mode": "polling",
                "x_bearer_token": SecretStr(self.x.bearer_token),
                "x_api_key": SecretStr(self.x.consumer_key),
                "x_api_secret": SecretStr("demo-secret"),
                "x_access_token": SecretStr("demo-access"),
                "x_access_secret": SecretStr("demo-access-secret"),
                "x_account_id": self.x.account.id,
                "x_base_url": self.x.base_url,
                "x_poll_interval_seconds": 1.0,
                "sla_tick_seconds": 0.5,
                "dashboard_host": "127.0.0.1",
                "dashboard_port": dashboard_port,
            }
        )

    async def run(self, *, once: bool, dashboard_port: int, on_url: Any = print) -> DemoSummary:
        await self.telegram.start()
        await self.x.start()
        try:
            settings = self.settings_for(dashboard_port)
            await upgrade_database(settings.database_url)
            options = RuntimeOptions(poll_timeout=1.0, lease_retry=0.5, sender_idle=0.2)
            wiring = build_wiring(settings, clock=self.clock, options=options)
            async with running(wiring, demo=True) as url:
                on_url(url)
                await self._replay()
                await self._wait_ingested(wiring)
                await self._send_drafts(wiring)
                if once:
                    await self._wait_for_breach(wiring)
                    return await self.summary(wiring)
                await asyncio.Event().wait()  # serve until interrupted
                raise AssertionError("unreachable")
        finally:
            await self.x.stop()
            await self.telegram.stop()

    async def _replay(self) -> None:
        loop = asyncio.get_running_loop()
        started = loop.time()
        first = self.stream[0].sent_at
        for message in self.stream:
            due = (message.sent_at - first).total_seconds() / self.speed
            await asyncio.sleep(max(0.0, due - (loop.time() - started)))
            if message.channel == "telegram":
                self.telegram.push_message(
                    _telegram_user(message.author, message.lang), message.text
                )
            elif message.kind == "mention":
                text = message.text
                if f"@{self.x.account.username}" not in text:
                    text = f"@{self.x.account.username} {text}"
                self.x.push_mention(_x_user(message.author), text, lang=message.lang)
            else:
                self.x.push_dm(_x_user(message.author), message.text)

    async def _count(self, wiring: Wiring, query: Any) -> int:
        async with wiring.core.database.transaction() as session:
            return int((await session.execute(query)).scalar_one())

    async def _wait_ingested(self, wiring: Wiring) -> None:
        query = select(func.count(Message.id)).where(Message.state == "triaged")
        expected = len(self.stream)

        async def all_triaged() -> bool:
            return await self._count(wiring, query) >= expected

        if not await _until(all_triaged, SETTLE_TIMEOUT):
            log.warning("not every demo message was triaged in time")

    async def _ticket_for(self, wiring: Wiring, stream_id: str) -> int | None:
        original = next((m for m in self.stream if m.external_id == stream_id), None)
        if original is None:
            return None
        async with wiring.core.database.transaction() as session:
            ticket_id = await session.scalar(
                select(Message.ticket_id).where(Message.text.contains(original.text[:60]))
            )
        return int(ticket_id) if ticket_id is not None else None

    async def _send_drafts(self, wiring: Wiring) -> None:
        """Agents answer from the ops group with /reply, as they would in Telegram."""
        for draft in self.drafts:
            ticket_id = await self._ticket_for(wiring, draft.reply_to)
            if ticket_id is None:
                log.warning("demo draft for %s has no ticket", draft.reply_to)
                continue
            agent = FakeUser(AGENTS.get(draft.agent, min(AGENTS.values())), draft.agent)
            self.telegram.push_message(
                agent,
                f"/reply {ticket_reference(ticket_id)} {draft.text}",
                chat_id=OPS_CHAT,
                chat_type="supergroup",
            )

        async def drafts_checked() -> bool:
            drafts = await self._count(wiring, select(func.count(ReplyDraft.id)))
            return drafts >= len(self.drafts)

        await _until(drafts_checked, 20.0)

    async def _wait_for_breach(self, wiring: Wiring) -> None:
        query = select(func.count(SlaClock.id)).where(SlaClock.breach_fired_at.is_not(None))

        async def breached() -> bool:
            return await self._count(wiring, query) > 0

        await _until(breached, SETTLE_TIMEOUT)

    async def summary(self, wiring: Wiring) -> DemoSummary:
        db = wiring.core.database
        async with db.transaction() as session:
            stored = await session.scalar(select(func.count(Message.id))) or 0
            rows = (await session.execute(select(Ticket.category, Ticket.language))).all()
            blocked = await session.scalar(
                select(func.count(ReplyDraft.id)).where(ReplyDraft.allowed.is_(False))
            )
            sent = await session.scalar(
                select(func.count(ReplyDraft.id)).where(ReplyDraft.status == "sent")
            )
            warnings = await session.scalar(
                select(func.count(SlaClock.id)).where(SlaClock.warning_fired_at.is_not(None))
            )
            breaches = await session.scalar(
                select(func.count(SlaClock.id)).where(SlaClock.breach_fired_at.is_not(None))
            )
            by_status = await session.execute(
                select(Outbox.status, func.count(Outbox.id)).group_by(Outbox.status)
            )
            outbox = {str(status): int(count) for status, count in by_status}
        customer_chats = {m.chat_id for m in self.telegram.sent if m.chat_id > 0}
        return DemoSummary(
            messages_in=len(self.stream),
            messages_stored=int(stored),
            tickets=Counter((str(c), str(lang)) for c, lang in rows),
            drafts_blocked=int(blocked or 0),
            drafts_sent=int(sent or 0),
            warnings=int(warnings or 0),
            breaches=int(breaches or 0),
            acknowledgements=len(customer_chats) + len({d.participant_id for d in self.x.sent_dms}),
            public_replies=len(self.x.posted),
            outbox_sent=int(outbox.get("sent", 0)),
            outbox_pending=int(outbox.get("pending", 0)),
        )
