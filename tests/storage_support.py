"""Database provisioning for storage, ingest, SLA and service tests.

Every test gets its own database: a SQLite file under tmp_path, or a fresh PostgreSQL
database `ct_<random>` (created from template0, dropped afterwards) so that engineers
running the PostgreSQL suite at the same time never see each other's rows.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from sqlalchemy import insert
from sqlalchemy.engine import make_url

from bot.clock import FakeClock
from bot.inbound import ChannelName, InboundMessage
from bot.notify import RecordingNotifier
from bot.pipeline import RetryPolicy, TriagePipeline
from bot.pseudonym import Pseudonymizer
from bot.routing import PlaybookRouter
from bot.settings import Settings
from bot.sla_engine import SlaEngine
from classifiers.result import Classification
from classifiers.taxonomy import Category, Severity
from storage.database import Database
from storage.models import Base, Customer, SlaClock, Ticket

POSTGRES_URL_ENV = "CARETRIAGE_TEST_POSTGRES_URL"
TEST_PSEUDONYM_KEY = b"test-pseudonym-key-0123456789abcdef"

DATABASE_KINDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def _asyncpg_dsn(url: str, database: str) -> str:
    parsed = make_url(url).set(drivername="postgresql", database=database)
    return parsed.render_as_string(hide_password=False)


@asynccontextmanager
async def provision_database(kind: str, tmp_path: Path) -> AsyncIterator[str]:
    """Yield a SQLAlchemy URL for an empty database of `kind` that is removed afterwards."""
    if kind == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'caretriage.db'}"
        return
    base_url = os.environ.get(POSTGRES_URL_ENV)
    if not base_url:
        pytest.skip(f"{POSTGRES_URL_ENV} is not set")
    admin_db = make_url(base_url).database or "postgres"
    name = f"ct_{secrets.token_hex(6)}"
    admin = await asyncpg.connect(_asyncpg_dsn(base_url, admin_db))
    try:
        await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
    finally:
        await admin.close()
    try:
        yield make_url(base_url).set(database=name).render_as_string(hide_password=False)
    finally:
        admin = await asyncpg.connect(_asyncpg_dsn(base_url, admin_db))
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


# --- builders and fakes shared by the ingest, SLA and service tests -------------------

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday morning


class TaggedClassifier:
    """Satisfies ComplaintClassifier: reads `[category/severity]` tags from the text, so a
    test states its classification where the reader sees it."""

    def __init__(self, confidence: float = 0.9) -> None:
        self.confidence = confidence
        self.calls = 0

    def classify(
        self, texts: Sequence[str], langs: Sequence[str | None] | None = None
    ) -> list[Classification]:
        self.calls += 1
        hints = list(langs) if langs is not None else [None] * len(texts)
        found = []
        for text, hint in zip(texts, hints, strict=True):
            tag = re.search(r"\[(\w+)/(\w+)\]", text)
            category, severity = tag.groups() if tag else ("not_privacy", "low")
            found.append(
                Classification(
                    category=Category(category),
                    confidence=self.confidence,
                    language=hint or "en",
                    severity=Severity(severity),
                    scores={category: self.confidence},
                )
            )
        return found


def inbound(
    external_id: str,
    text: str = "[data_rights_request/medium] please delete my data",
    *,
    author: str = "@ana",
    channel: ChannelName = "telegram",
    account: str | None = None,
    lang: str | None = "es",
    sent_at: datetime = START,
) -> InboundMessage:
    return InboundMessage(
        channel=channel,
        external_id=external_id,
        author=author,
        text=text,
        sent_at=sent_at,
        account=account,
        lang=lang,
        chat_id=f"chat-{author}",
    )


def settings_for(**overrides: Any) -> Settings:
    values: dict[str, Any] = {"default_jurisdiction": "EU", "review_threshold": 0.55}
    values.update(overrides)
    return Settings(**values)


async def create_schema(database: Database) -> None:
    async with database.engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)


@lru_cache(maxsize=1)
def playbook_router() -> PlaybookRouter:
    return PlaybookRouter.load()


@dataclass
class Stack:
    database: Database
    clock: FakeClock
    notifier: RecordingNotifier
    classifier: TaggedClassifier
    pipeline: TriagePipeline
    settings: Settings

    def engine(self, worker_id: str, database: Database | None = None) -> SlaEngine:
        return SlaEngine(
            database or self.database,
            playbook_router(),
            self.notifier,
            self.clock,
            worker_id=worker_id,
            batch_size=200,
        )


async def no_sleep(_seconds: float) -> None:
    return None


@asynccontextmanager
async def stack_for(database_url: str, **settings: Any) -> AsyncIterator[Stack]:
    database = Database(database_url)
    await create_schema(database)
    clock = FakeClock(START)
    notifier = RecordingNotifier()
    classifier = TaggedClassifier()
    config = settings_for(**settings)
    pipeline = TriagePipeline(
        database,
        classifier,
        playbook_router(),
        Pseudonymizer(TEST_PSEUDONYM_KEY),
        notifier,
        clock,
        config,
        mask=lambda text: text.replace("@", "[at]"),
        retry=RetryPolicy(delays=(0.0, 0.0), sleep=no_sleep),
    )
    try:
        yield Stack(database, clock, notifier, classifier, pipeline, config)
    finally:
        await database.dispose()


async def seed_open_clocks(
    database: Database,
    count: int,
    *,
    deadline_of: Callable[[int], datetime],
    started_at: datetime = START,
    playbook: str | None = None,
    customer: str = "seed",
) -> list[int]:
    """Insert `count` open tickets with one running resolution clock each (bulk, fast);
    returns the ticket ids. Clock i falls due at `deadline_of(i)`."""
    route = playbook_router().route("data_rights_request", "medium", "EU", opened_at=started_at)
    async with database.transaction() as session:
        owner = Customer(pseudonym=customer, channel="telegram", created_at=started_at)
        session.add(owner)
        await session.flush()
        ticket_rows = [
            {
                "customer_id": owner.id,
                "channel": "telegram",
                "category": "data_rights_request",
                "severity": "medium",
                "priority": "P3",
                "language": "es",
                "jurisdiction": "EU",
                "jurisdiction_overridden": False,
                "playbook": playbook or route.playbook,
                "queue": route.queue,
                "status": "open",
                "confidence": 0.9,
                "needs_review": False,
                "escalation_level": 0,
                "opened_at": started_at,
                "updated_at": started_at,
                "last_customer_message_at": started_at,
            }
            for _ in range(count)
        ]
        ids = list(
            (await session.execute(insert(Ticket).returning(Ticket.id), ticket_rows)).scalars()
        )
        clock_rows = []
        for index, ticket_id in enumerate(ids):
            deadline = deadline_of(index)
            clock_rows.append(
                {
                    "ticket_id": ticket_id,
                    "key": "resolution",
                    "kind": "resolution",
                    "started_at": started_at,
                    "deadline": deadline,
                    "warn_at": started_at + (deadline - started_at) * 0.75,
                    "pausable": False,
                    "state": "running",
                    "paused_seconds": 0.0,
                    "plan": {"label": "resolution"},
                }
            )
        await session.execute(insert(SlaClock), clock_rows)
    return ids
