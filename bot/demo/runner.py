"""The demo: the real product against local fake Telegram and X servers.

The bundled stream is replayed by playing the customers on the fakes, so every message goes
through the real adapters (python-telegram-bot long polling, tweepy mention and DM
polling), the real classifier, playbooks, SLA engine, reply guard and dashboard. Time runs
`speed` times faster than the wall clock, for the replay pacing and the SLA clocks alike, so
warnings and a breach happen within a minute.

The operator runs one Telegram bot and one X account per country brand (accounts.toml), and
each stream line is played on the bot or X account of the brand it names, so its ticket gets
that brand's jurisdiction the way a deployment's would: from the account the adapter
reports. The care desk itself (ops group, escalation chat) is one more bot and X account.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from sqlalchemy import func, select

from bot.application import Wiring, build_wiring, running
from bot.channels.desk import OutboundMessage
from bot.channels.runtime import ChannelRuntime, NotifierHub, RuntimeOptions
from bot.channels.service_desk import ServiceDesk
from bot.clock import ScaledClock
from bot.demo.brands import Brand, account_jurisdictions, load_brands
from bot.demo.stream import DemoDraft, load_drafts, load_stream
from bot.fakes.telegram_server import FakeTelegramServer, FakeUser
from bot.fakes.x_server import FIRST_ID, FakeXServer, XUser
from bot.inbound import InboundMessage
from bot.settings import Settings
from classifiers.pii import mask_pii
from storage.migrate import upgrade_database
from storage.models import Message, Outbox, ReplyDraft, SlaClock, Ticket, ticket_reference

log = logging.getLogger("caretriage.demo")

DEMO_TOKEN = "123456:demo-token-not-a-secret"
OPS_CHAT = -100_100
ESCALATION_CHAT = -100_200
AGENTS = {"agent-ana": 9001, "agent-ben": 9002}
MANAGER = 9100
X_IDS_PER_BRAND = 10**15
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
    jurisdictions: Counter[str] = field(default_factory=Counter)

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
            "tickets by jurisdiction    : "
            + ", ".join(f"{code} {n}" for code, n in sorted(self.jurisdictions.items())),
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


class _ClientGoneFilter(logging.Filter):
    """Drops the fake servers' report of a request the client abandoned.

    Stopping a channel cancels its pending long poll; when that happens while a fake is
    still reading the request, aiohttp logs the lost connection with a traceback. With a
    bot per brand that is likely at every shutdown, and it is no fault of the product.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        return not isinstance(error, ConnectionResetError)


class _ReceivingDesk(ServiceDesk):
    """The desk a brand's channels use here: they take customers' messages but send nothing.

    Outbox rows do not say which bot or X account must send them, so with several accounts
    any sender could claim a brand's reply (on real Telegram a bot cannot write first to a
    customer of another bot). Until they do, the demo sends everything through the desk's
    accounts, whose fakes accept any recipient.
    """

    async def claim_due(self, worker: str, limit: int, channel: str) -> list[OutboundMessage]:
        return []


@dataclass
class _BrandChannels:
    """The fake Telegram bot and X account of one brand (None where the stream has none)."""

    brand: Brand
    telegram: FakeTelegramServer | None
    x: FakeXServer | None


class DemoRunner:
    def __init__(
        self,
        settings: Settings,
        data_dir: Path,
        *,
        speed: float,
        stream: list[InboundMessage] | None = None,
        drafts: list[DemoDraft] | None = None,
        brands: dict[str, Brand] | None = None,
    ) -> None:
        if speed <= 0:
            raise ValueError("--speed must be positive")
        self.base_settings = settings
        self.data_dir = data_dir
        self.speed = speed
        self.stream = stream if stream is not None else load_stream()
        self.drafts = drafts if drafts is not None else load_drafts()
        self.clock = ScaledClock(datetime.now(UTC), speed)
        # The care desk's own bot and X account: the ops group and escalation chat live
        # here, every outbound message goes out here, and a stream line naming no known
        # brand is played here (default jurisdiction).
        self.telegram = FakeTelegramServer(DEMO_TOKEN, clock=self.clock)
        self.x = FakeXServer(clock=self.clock)
        self.brands = brands if brands is not None else load_brands()
        self.brand_channels = self._brand_fakes()

    def _brand_fakes(self) -> dict[str, _BrandChannels]:
        """A fake bot and X account for each brand the stream reaches on that channel."""
        used = {(m.account, m.channel) for m in self.stream}
        fakes: dict[str, _BrandChannels] = {}
        for number, brand in enumerate(self.brands.values(), start=1):
            telegram = x = None
            if (brand.label, "telegram") in used:
                bot_id = 700_000_100 + number
                telegram = FakeTelegramServer(
                    f"{bot_id}:demo-token-{brand.label}-not-a-secret",
                    bot_id=bot_id,
                    bot_username=brand.telegram_bot,
                    clock=self.clock,
                )
            if (brand.label, "x") in used:
                x = FakeXServer(
                    account=XUser(brand.x_account_id, brand.x_handle, brand.x_handle),
                    bearer_token=f"demo-bearer-{brand.label}",
                    consumer_key=f"demo-key-{brand.label}",
                    clock=self.clock,
                    # Real tweet and DM ids are unique across X, and the pipeline takes them
                    # as the idempotency key: each brand's fake gets its own range.
                    first_id=FIRST_ID + number * X_IDS_PER_BRAND,
                )
            if telegram is not None or x is not None:
                fakes[brand.label] = _BrandChannels(brand, telegram, x)
        return fakes

    def _fakes(self) -> list[FakeTelegramServer | FakeXServer]:
        servers: list[FakeTelegramServer | FakeXServer] = [self.telegram, self.x]
        for channels in self.brand_channels.values():
            servers += [s for s in (channels.telegram, channels.x) if s is not None]
        return servers

    def settings_for(self, dashboard_port: int) -> Settings:
        database_url = f"sqlite+aiosqlite:///{self.data_dir / 'caretriage-demo.db'}"
        jurisdictions = {
            **account_jurisdictions(self.brands),
            **self.base_settings.account_jurisdictions,
        }
        return self.base_settings.model_copy(
            update={
                "database_url": database_url,
                "account_jurisdictions": jurisdictions,
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

    @staticmethod
    def brand_settings(desk: Settings, channels: _BrandChannels) -> Settings:
        """The desk's settings with the brand's own bot token and X credentials."""
        telegram, x = channels.telegram, channels.x
        return desk.model_copy(
            update={
                "telegram_bot_token": SecretStr(telegram.token) if telegram else None,
                "telegram_base_url": telegram.base_url if telegram else None,
                "x_bearer_token": SecretStr(x.bearer_token) if x else None,
                "x_api_key": SecretStr(x.consumer_key) if x else None,
                "x_access_token": desk.x_access_token if x else None,
                "x_account_id": x.account.id if x else None,
                "x_base_url": x.base_url if x else None,
            }
        )

    @contextlib.asynccontextmanager
    async def _brand_runtimes(
        self, wiring: Wiring, options: RuntimeOptions
    ) -> AsyncIterator[list[ChannelRuntime]]:
        """Each brand's channels, receiving into the same pipeline and database.

        Their notifier hub is their own: ticket cards and SLA alerts go to the ops group
        once, from the desk's bot, not once per brand bot.
        """
        core = wiring.core
        desk = _ReceivingDesk(
            wiring.pipeline,
            wiring.service,
            core.database,
            core.router,
            wiring.book,
            wiring.clock,
            mask=mask_pii,
        )
        runtimes: list[ChannelRuntime] = []
        async with contextlib.AsyncExitStack() as stack:
            for channels in self.brand_channels.values():
                runtime = ChannelRuntime(
                    self.brand_settings(wiring.settings, channels),
                    desk,
                    NotifierHub(),
                    core.database,
                    wiring.guard,
                    wiring.clock,
                    options,
                )
                # Registered before start, so a brand that fails half-way is still closed.
                stack.push_async_callback(runtime.stop)
                await runtime.start()
                runtimes.append(runtime)
            yield runtimes

    async def run(self, *, once: bool, dashboard_port: int, on_url: Any = print) -> DemoSummary:
        started: list[FakeTelegramServer | FakeXServer] = []
        quiet = _ClientGoneFilter()
        fake_server_log = logging.getLogger("aiohttp.server")
        fake_server_log.addFilter(quiet)
        try:
            for server in self._fakes():
                await server.start()
                started.append(server)
            settings = self.settings_for(dashboard_port)
            await upgrade_database(settings.database_url)
            options = RuntimeOptions(poll_timeout=1.0, lease_retry=0.5, sender_idle=0.2)
            wiring = build_wiring(settings, clock=self.clock, options=options)
            async with (
                running(wiring, demo=True) as url,
                self._brand_runtimes(wiring, options),
            ):
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
            for server in reversed(started):
                await server.stop()
            fake_server_log.removeFilter(quiet)

    async def _replay(self) -> None:
        loop = asyncio.get_running_loop()
        started = loop.time()
        first = self.stream[0].sent_at
        for message in self.stream:
            due = (message.sent_at - first).total_seconds() / self.speed
            await asyncio.sleep(max(0.0, due - (loop.time() - started)))
            # The customer writes to the brand the stream line names.
            brand = self.brand_channels.get(message.account or "")
            if message.channel == "telegram":
                telegram = (brand.telegram if brand else None) or self.telegram
                telegram.push_message(_telegram_user(message.author, message.lang), message.text)
                continue
            x = (brand.x if brand else None) or self.x
            if message.kind == "mention":
                text = message.text
                if f"@{x.account.username}" not in text:
                    text = f"@{x.account.username} {text}"
                x.push_mention(_x_user(message.author), text, lang=message.lang)
            else:
                x.push_dm(_x_user(message.author), message.text)

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
            by_jurisdiction = await session.execute(
                select(Ticket.jurisdiction, func.count(Ticket.id)).group_by(Ticket.jurisdiction)
            )
            jurisdictions = Counter({str(code): int(n) for code, n in by_jurisdiction})
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
            jurisdictions=jurisdictions,
        )
