"""Wiring of the core: database, routing, pipeline, ticket service and SLA engine.

Channel adapters, the ops console, the dashboard and the CLI all build one `Core` from the
settings and inject what differs (notifier, clock, classifier, guard).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.clock import Clock, SystemClock
from bot.notify import Notifier, RecordingNotifier
from bot.pipeline import TriagePipeline
from bot.pseudonym import Pseudonymizer, load_pseudonymizer
from bot.routing import PlaybookRouter, Router
from bot.settings import Settings
from bot.sla_engine import SlaEngine
from classifiers.result import ComplaintClassifier
from storage.database import Database
from storage.errors import StorageConfigError
from storage.migrate import current_revision, head_revision


class SchemaOutOfDate(StorageConfigError):
    """The database is not migrated to the code's schema."""


async def require_current_schema(database_url: str) -> None:
    current = await current_revision(database_url)
    head = head_revision()
    if current != head:
        raise SchemaOutOfDate(
            f"the database is at revision {current or 'none'}, the code needs {head}: "
            "run `caretriage migrate` first"
        )


@dataclass
class Core:
    settings: Settings
    database: Database
    router: Router
    pseudonymizer: Pseudonymizer
    notifier: Notifier
    clock: Clock

    @classmethod
    def build(
        cls,
        settings: Settings,
        *,
        notifier: Notifier | None = None,
        clock: Clock | None = None,
        router: Router | None = None,
    ) -> Core:
        return cls(
            settings=settings,
            database=Database(settings.database_url),
            router=router or PlaybookRouter.load(),
            pseudonymizer=load_pseudonymizer(settings),
            notifier=notifier or RecordingNotifier(),
            clock=clock or SystemClock(),
        )

    def pipeline(
        self, classifier: ComplaintClassifier, *, mask: Callable[[str], str] | None = None
    ) -> TriagePipeline:
        if mask is None:
            from classifiers.pii import mask_pii

            mask = mask_pii
        return TriagePipeline(
            self.database,
            classifier,
            self.router,
            self.pseudonymizer,
            self.notifier,
            self.clock,
            self.settings,
            mask=mask,
        )

    def sla_engine(self, *, worker_id: str | None = None) -> SlaEngine:
        return SlaEngine(self.database, self.router, self.notifier, self.clock, worker_id=worker_id)

    async def close(self) -> None:
        await self.database.dispose()
