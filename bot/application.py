"""Everything `caretriage run` and `caretriage demo` start, wired once.

One process runs: the pending-message recovery, the configured channels (Telegram, X, the
outbox sender, the ops console), the SLA job, the retention job and the dashboard. Each
part is started only when its settings are present; several processes against one
PostgreSQL share the work through the database (leases, claimed rows).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field

from bot.channels.runtime import ChannelRuntime, NotifierHub, RuntimeOptions
from bot.channels.service_desk import ServiceDesk
from bot.clock import Clock, SystemClock
from bot.core import Core, require_current_schema
from bot.notify import Notifier
from bot.pipeline import TriagePipeline
from bot.service import TicketService
from bot.settings import Settings
from bot.sla_engine import SlaEngine
from bot.web.app import create_app
from bot.web.data import DashboardData
from bot.web.server import serve_dashboard
from classifiers.guard import ReplyGuard
from classifiers.model import load_classifier
from classifiers.pii import mask_pii
from classifiers.result import ComplaintClassifier
from playbooks.book import PlaybookBook, load_playbooks
from storage.retention import RetentionJob
from storage.retention_policy import RetentionPolicy

log = logging.getLogger("caretriage.app")

RETENTION_INTERVAL_SECONDS = 3600.0


@dataclass
class Wiring:
    """The core objects, built from settings; tests and the demo reach into them."""

    settings: Settings
    clock: Clock
    core: Core
    hub: NotifierHub
    book: PlaybookBook
    pipeline: TriagePipeline
    service: TicketService
    desk: ServiceDesk
    runtime: ChannelRuntime
    sla: SlaEngine
    guard: ReplyGuard
    extra_notifiers: list[Notifier] = field(default_factory=list)

    def channel_health(self) -> Mapping[str, bool]:
        return {s.channel: s.healthy for s in self.runtime.health.statuses()}

    def dashboard_data(self) -> DashboardData:
        book = self.book

        def steps_for(playbook: str, language: str) -> tuple[str, ...]:
            try:
                return book.by_id(playbook).steps
            except KeyError:
                return ()

        return DashboardData(self.core.database, self.clock, mask=mask_pii, steps_for=steps_for)


def build_wiring(
    settings: Settings,
    *,
    clock: Clock | None = None,
    classifier: ComplaintClassifier | None = None,
    guard: ReplyGuard | None = None,
    options: RuntimeOptions | None = None,
    notifiers: tuple[Notifier, ...] = (),
) -> Wiring:
    clock = clock or SystemClock()
    hub = NotifierHub(*notifiers)
    core = Core.build(settings, notifier=hub, clock=clock)
    guard = guard or ReplyGuard.load()
    pipeline = core.pipeline(classifier or load_classifier(), mask=mask_pii)
    service = TicketService(
        core.database,
        core.router,
        hub,
        clock,
        settings,
        pseudonymizer=core.pseudonymizer,
        guard=guard,
    )
    book = load_playbooks()
    desk = ServiceDesk(pipeline, service, core.database, core.router, book, clock, mask=mask_pii)
    runtime = ChannelRuntime(settings, desk, hub, core.database, guard, clock, options)
    return Wiring(
        settings=settings,
        clock=clock,
        core=core,
        hub=hub,
        book=book,
        pipeline=pipeline,
        service=service,
        desk=desk,
        runtime=runtime,
        sla=core.sla_engine(),
        guard=guard,
    )


@contextlib.asynccontextmanager
async def running(
    wiring: Wiring,
    *,
    channels: bool = True,
    dashboard: bool = True,
    demo: bool = False,
) -> AsyncIterator[str | None]:
    """Start every configured part; yields the dashboard URL (None without a dashboard)."""
    settings = wiring.settings
    await require_current_schema(settings.database_url)
    recovered = await wiring.pipeline.process_pending()
    if recovered:
        log.info("triaged %d messages left pending by an earlier run", recovered)
    stop = asyncio.Event()
    tasks: list[asyncio.Task[None]] = []
    try:
        if channels:
            await wiring.runtime.start()
        wiring.sla.start(settings.sla_tick_seconds)
        policy = RetentionPolicy.from_overrides(settings.retention_days)
        retention = RetentionJob(
            wiring.core.database,
            policy,
            wiring.clock.now,
            interval_seconds=RETENTION_INTERVAL_SECONDS,
        )
        tasks.append(asyncio.create_task(retention.run_forever(stop), name="retention"))
        if dashboard:
            app = create_app(
                wiring.dashboard_data(),
                wiring.clock,
                host=settings.dashboard_host,
                demo=demo,
                token=_secret(settings.dashboard_token),
                users_spec=_secret(settings.dashboard_users),
                session_secret=(
                    settings.dashboard_secret.get_secret_value().encode()
                    if settings.dashboard_secret is not None
                    else None
                ),
                channel_health=wiring.channel_health,
                actions=wiring.service,
            )
            async with serve_dashboard(
                app, settings.dashboard_host, settings.dashboard_port
            ) as url:
                yield url
        else:
            yield None
    finally:
        stop.set()
        await wiring.sla.stop()
        for task in tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if channels:
            await wiring.runtime.stop()
        await wiring.core.close()


def _secret(value: object) -> str | None:
    getter = getattr(value, "get_secret_value", None)
    return str(getter()) if getter is not None else None
