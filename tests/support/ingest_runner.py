"""A small ingest process for the crash test: `python ingest_runner.py DB_FILE COUNT`.

Ingests COUNT deterministic messages (both channels) in batches of 10 through the real
TriagePipeline on a SQLite file, printing `done N` after each batch, so the test can
SIGKILL it mid-burst and run it again to finish (recovering pending messages first).
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from storage_support import (
    TEST_PSEUDONYM_KEY,
    TaggedClassifier,
    create_schema,
    inbound,
    playbook_router,
    settings_for,
)

from bot.clock import SystemClock
from bot.inbound import InboundMessage
from bot.notify import RecordingNotifier
from bot.pipeline import TriagePipeline
from bot.pseudonym import Pseudonymizer
from storage.database import Database

CATEGORIES = ("staff_misuse/high", "debt_collection/medium", "not_privacy/low")


def burst(count: int) -> list[InboundMessage]:
    return [
        inbound(
            f"burst-{n}",
            text=f"[{CATEGORIES[n % 3]}] message {n}",
            author=f"@customer{n % 17}",
            channel="telegram" if n % 2 else "x",
        )
        for n in range(count)
    ]


async def main(db_file: str, count: int) -> None:
    database = Database(f"sqlite+aiosqlite:///{db_file}")
    await create_schema(database)
    pipeline = TriagePipeline(
        database,
        TaggedClassifier(),
        playbook_router(),
        Pseudonymizer(TEST_PSEUDONYM_KEY),
        RecordingNotifier(),
        SystemClock(),
        settings_for(),
        mask=lambda text: text,
    )
    recovered = await pipeline.process_pending()
    print(f"recovered {recovered}", flush=True)
    messages = burst(count)
    for start in range(0, count, 10):
        await pipeline.ingest_many(messages[start : start + 10], batch_size=10)
        print(f"done {min(start + 10, count)}", flush=True)
    await database.dispose()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2])))
