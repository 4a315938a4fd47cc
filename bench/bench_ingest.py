"""Ingest throughput end to end (persist → classify → route → ticket/clocks → audit) on
SQLite and PostgreSQL, against the classifier alone in the same run.

    .venv/bin/python bench/bench_ingest.py [--messages 1000] [--postgres URL] [--fake]

Messages come from the bundled demo stream, repeated with fresh ids and authors. `--fake`
swaps the real classifier for the tag-reading test double to measure storage alone.
Not part of the test run.
"""

# ruff: noqa: E402 - imports follow the sys.path set-up for running as a script
from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from bench_sla import drop_postgres, postgres_database
from storage_support import TEST_PSEUDONYM_KEY, TaggedClassifier, create_schema, playbook_router

from bot.clock import SystemClock
from bot.inbound import InboundMessage
from bot.ingest_records import parse_lines
from bot.notify import RecordingNotifier
from bot.pipeline import TriagePipeline
from bot.pseudonym import Pseudonymizer
from bot.settings import Settings
from classifiers.pii import mask_pii
from classifiers.result import ComplaintClassifier
from storage.database import Database

STREAM = ROOT / "bot" / "demo" / "stream.jsonl"


def messages(count: int) -> list[InboundMessage]:
    base = parse_lines(STREAM.read_text(encoding="utf-8").splitlines(), str(STREAM))
    return [
        replace(base[i % len(base)], external_id=f"bench-{i}", author=f"user-{i % 300}")
        for i in range(count)
    ]


async def ingest_rate(
    url: str, items: list[InboundMessage], classifier: ComplaintClassifier
) -> float:
    database = Database(url)
    await create_schema(database)
    accounts = {"movil-es": "ES", "movil-br": "BR", "wom-cl": "CL"}
    pipeline = TriagePipeline(
        database,
        classifier,
        playbook_router(),
        Pseudonymizer(TEST_PSEUDONYM_KEY),
        RecordingNotifier(),
        SystemClock(),
        Settings(account_jurisdictions=accounts),
        mask=mask_pii,
    )
    start = time.perf_counter()
    await pipeline.ingest_many(items)
    elapsed = time.perf_counter() - start
    await database.dispose()
    return len(items) / elapsed


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--postgres", help="postgresql+asyncpg:// URL of an admin database")
    parser.add_argument("--fake", action="store_true", help="tag-reading classifier double")
    args = parser.parse_args()
    items = messages(args.messages)
    if args.fake:
        classifier: ComplaintClassifier = TaggedClassifier()
        name = "fake (tags)"
    else:
        from classifiers.model import load_classifier

        classifier = load_classifier()
        name = "embedded (real)"
    classifier.classify([m.text for m in items[:8]])  # warm-up
    start = time.perf_counter()
    for offset in range(0, len(items), 64):
        batch = items[offset : offset + 64]
        classifier.classify([m.text for m in batch], [m.lang for m in batch])
    alone = len(items) / (time.perf_counter() - start)
    rows = [("classifier alone", alone)]
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        rows.append(("end to end, SQLite", await ingest_rate(url, items, classifier)))
    if args.postgres:
        url, db_name = await postgres_database(args.postgres)
        try:
            rows.append(("end to end, PostgreSQL", await ingest_rate(url, items, classifier)))
        finally:
            await drop_postgres(args.postgres, db_name)
    print(f"{len(items):,} messages (demo stream, 7 languages), classifier: {name}\n")
    print("| path | messages/s |")
    print("|---|---:|")
    for label, rate in rows:
        print(f"| {label} | {rate:,.0f} |")


if __name__ == "__main__":
    asyncio.run(main())
