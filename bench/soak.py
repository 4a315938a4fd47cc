"""Bounded soak: a steady stream of messages from both channels through the real pipeline.

    .venv/bin/python bench/soak.py --minutes 10 --rate 50            # the full soak
    .venv/bin/python bench/soak.py --minutes 1 --rate 50             # a quick one
    .venv/bin/python bench/soak.py --database-url postgresql+asyncpg://postgres@127.0.0.1/soak

Messages (Telegram and X, alternating, 40 customers, all seven categories) are offered at
`--rate` per second (open loop, polled every 100 ms: whatever has arrived goes in one
call, so a slow call makes the next batch bigger) to the real TriagePipeline (persist ->
classify -> route -> ticket + SLA clocks -> audit -> notify) on a fresh SQLite file (or the given
database, which must be empty). The classifier is a deterministic keyword stand-in by
default so the figures measure the bot, not the model; `--model` uses the trained one.
Prints throughput, p50/p95/max ingest-to-ticket latency, RSS growth, and checks that
messages offered = messages stored = messages routed to a ticket, exactly.
Not part of the test run.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select

from bot.clock import SystemClock
from bot.inbound import InboundMessage
from bot.notify import RecordingNotifier
from bot.pipeline import TriagePipeline
from bot.pseudonym import Pseudonymizer
from bot.routing import PlaybookRouter
from bot.settings import Settings
from classifiers.pii import mask_pii
from classifiers.result import Classification, ComplaintClassifier
from classifiers.taxonomy import Category, Severity
from storage.database import Database
from storage.models import Base, Message, SlaClock, Ticket

TEXTS = [
    ("staff_misuse", "high", "es", "El técnico usó mi número para escribirme por WhatsApp"),
    ("debt_collection", "high", "ru", "Коллекторы звонят моей маме, хотя я всё оплатил"),
    ("telemarketing_optout", "medium", "it", "Sono nel registro delle opposizioni e chiamate"),
    ("unknown_data_source", "medium", "pt", "Como vocês conseguiram meu número?"),
    ("wholesale_data_misuse", "medium", "it", "Dopo il guasto TIM mi ha chiamato per passare"),
    ("data_rights_request", "medium", "en", "Please send me all the data you hold on me"),
    ("not_privacy", "low", "en", "Great service from the technician today, thanks!"),
]


class KeywordClassifier:
    """Deterministic stand-in: the category is the one the generator wrote the text for."""

    def __init__(self) -> None:
        self._by_text = {text: (cat, sev, lang) for cat, sev, lang, text in TEXTS}

    def classify(
        self, texts: Sequence[str], langs: Sequence[str | None] | None = None
    ) -> list[Classification]:
        found = []
        for text in texts:
            category, severity, language = self._by_text[text.split(" #", 1)[0]]
            found.append(
                Classification(
                    Category(category), 0.9, language, Severity(severity), {category: 0.9}
                )
            )
        return found


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def message(n: int) -> InboundMessage:
    _category, _severity, language, text = TEXTS[n % len(TEXTS)]
    channel = "telegram" if n % 2 else "x"
    return InboundMessage(
        channel=channel,
        external_id=f"soak-{n}",
        author=f"customer-{n % 40}",
        text=f"{text} #{n}",
        sent_at=datetime.now(UTC),
        lang=language,
        chat_id=f"chat-{n % 40}",
        kind="dm",
    )


async def soak(args: argparse.Namespace) -> int:
    workdir = Path(tempfile.mkdtemp(prefix="ct-soak-"))
    url = args.database_url or f"sqlite+aiosqlite:///{workdir / 'soak.db'}"
    database = Database(url)
    async with database.engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
    classifier: ComplaintClassifier = KeywordClassifier()
    if args.model:
        from classifiers.model import load_classifier

        classifier = load_classifier()
    notifier = RecordingNotifier()
    pipeline = TriagePipeline(
        database, classifier, PlaybookRouter.load(),
        Pseudonymizer(b"soak-pseudonym-key-0123456789abcdef"), notifier, SystemClock(),
        Settings(), mask=mask_pii,
    )  # fmt: skip
    total = int(args.rate * args.minutes * 60)
    tick = 0.1
    latencies: list[float] = []
    routed_ids: set[int] = set()
    offered = 0
    rss_start = rss_kib()
    rss_samples = [rss_start]
    started = time.monotonic()
    while offered < total:
        tick_start = time.monotonic()
        # Open loop: everything that has "arrived" by now (at --rate since the start) is
        # offered in one call, as a channel poll hands over whatever queued up; a slow
        # call therefore makes the next batch bigger instead of slowing the arrivals.
        due = min(total, int((tick_start - started) * args.rate) + 1)
        batch = [message(offered + i) for i in range(max(0, due - offered))]
        if batch:
            results = await pipeline.ingest_many(batch)
            done = time.monotonic()
            latencies.extend(
                done - (started + (offered + i) / args.rate) for i in range(len(results))
            )
            routed_ids.update(r.message_id for r in results if r.ticket_id)
            offered += len(batch)
        if offered % max(1, int(args.rate * 10)) < len(batch):
            rss_samples.append(rss_kib())
        await asyncio.sleep(max(0.0, tick - (time.monotonic() - tick_start)))
    elapsed = time.monotonic() - started
    rss_samples.append(rss_kib())
    async with database.transaction() as session:
        stored = (await session.execute(select(func.count()).select_from(Message))).scalar_one()
        triaged = (
            await session.execute(
                select(func.count()).select_from(Message).where(Message.ticket_id.is_not(None))
            )
        ).scalar_one()
        tickets = (await session.execute(select(func.count()).select_from(Ticket))).scalar_one()
        unclocked = (
            await session.execute(
                select(func.count()).select_from(Ticket).where(
                    ~Ticket.id.in_(select(SlaClock.ticket_id))
                )
            )
        ).scalar_one()
    await database.dispose()
    latencies.sort()
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    ok = offered == stored == triaged == len(routed_ids) and unclocked == 0
    rows = [
        ("duration", f"{elapsed:.1f} s"),
        ("target rate", f"{args.rate:.0f} msg/s"),
        ("throughput", f"{offered / elapsed:.1f} msg/s"),
        ("messages offered / stored / routed", f"{offered} / {stored} / {triaged}"),
        ("tickets (all with SLA clocks)", f"{tickets} ({unclocked} without clocks)"),
        ("ingest-to-ticket latency p50", f"{statistics.median(latencies) * 1000:.0f} ms"),
        ("ingest-to-ticket latency p95", f"{p95 * 1000:.0f} ms"),
        ("ingest-to-ticket latency max", f"{latencies[-1] * 1000:.0f} ms"),
        (
            "RSS start / end / peak",
            f"{rss_start // 1024} / {rss_samples[-1] // 1024} / {max(rss_samples) // 1024} MiB",
        ),
        ("RSS growth after the first minute",
         f"{(rss_samples[-1] - rss_samples[min(6, len(rss_samples) - 1)]) // 1024} MiB"),
        ("messages lost", str(offered - triaged)),
        ("counts match exactly", "yes" if ok else "NO"),
    ]
    print("| measure | value |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description="bounded soak of the triage pipeline")
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--rate", type=float, default=50.0, help="messages per second")
    parser.add_argument(
        "--database-url", default=None, help="an EMPTY database (default: temp SQLite)"
    )
    parser.add_argument("--model", action="store_true", help="use the trained classifier")
    return asyncio.run(soak(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
