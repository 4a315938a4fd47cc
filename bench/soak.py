"""Bounded soak: a steady stream of customer messages on both channels, through the bot.

    .venv/bin/python bench/soak.py --minutes 10 --rate 50            # the full soak
    .venv/bin/python bench/soak.py --minutes 1 --rate 50             # a quick one
    .venv/bin/python bench/soak.py --minutes 1 --rate 50 --direct    # pipeline only
    .venv/bin/python bench/soak.py --direct --database-url postgresql+asyncpg://.../soak

By default (channel mode) every message goes the whole intake path over real HTTP: it is
queued in the fake Telegram Bot API (a private message) or the fake X API v2 (a mention or
a DM), and the bot's real Telegram poller (python-telegram-bot) and X poller (tweepy) fetch
it, persist it, classify it, route it to a ticket with SLA clocks, audit it and answer it
through the outbox, exactly as `caretriage run` does (the same ChannelRuntime, built by
tests/channel_builders.py, on a fresh SQLite file). Each message comes from a new customer,
so every one is ingested as a new complaint (a customer's second private message would be
taken as the answer to an evidence question instead). Half go to Telegram, a quarter to X
mentions, a quarter to X DMs. Customers' replies (acknowledgement and first evidence
question, or the public redirect) go through the outbox to the fakes as in production;
Telegram lets a bot send about 30 messages a second, so at high rates they queue there.
Ticket cards for the agents' ops group are off unless `--ops-cards`: one new ticket per
message would be far more cards than a Telegram group accepts (20 a minute).

`--direct` offers the same load straight to `TriagePipeline.ingest_many` instead (40
returning customers, no HTTP, no replies), on SQLite or an empty database given by
`--database-url`.

Load is open loop: message n "arrives" at start + n/rate whether or not the bot keeps up,
and its latency is measured from that moment to the moment its ticket is stored (channel
mode: when the desk's ingest call returns with the ticket). The classifier is a keyword
stand-in by default so the figures measure the bot, not the model; `--model` uses the
trained one. Prints throughput, p50/p95/max offered-to-ticket latency, RSS (the whole
process, fake servers included in channel mode), CPU time, and checks that messages
offered = stored = routed to a ticket, with no duplicates. `--profile FILE` writes a
cProfile of the event-loop thread. Not part of the test run.
"""

# ruff: noqa: E402 - imports follow the sys.path set-up for running as a script
from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from channel_builders import TOKEN, channel_stack, real_classifier
from sqlalchemy import func, select

from bot.channels.desk import Intake
from bot.channels.runtime import RuntimeOptions
from bot.clock import SystemClock
from bot.fakes.telegram_server import FakeTelegramServer, FakeUser
from bot.fakes.x_server import FakeXServer, XUser
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
from storage.models import Base, Message, Outbox, SlaClock, Ticket

TEXTS = [
    ("staff_misuse", "high", "es", "El técnico usó mi número para escribirme por WhatsApp"),
    ("debt_collection", "high", "ru", "Коллекторы звонят моей маме, хотя я всё оплатил"),
    ("telemarketing_optout", "medium", "it", "Sono nel registro delle opposizioni e chiamate"),
    ("unknown_data_source", "medium", "pt", "Como vocês conseguiram meu número?"),
    ("wholesale_data_misuse", "medium", "it", "Dopo il guasto TIM mi ha chiamato per passare"),
    ("data_rights_request", "medium", "en", "Please send me all the data you hold on me"),
    ("not_privacy", "low", "en", "Great service from the technician today, thanks!"),
]
X_ACCOUNT = "caretriage_care"  # the fake X server's account, addressed by mentions
TICK_SECONDS = 0.1
RSS_EVERY_SECONDS = 10.0
FAKE_HISTORY_KEPT = 1000


class KeywordClassifier:
    """Deterministic stand-in: the category is the one the generator wrote the text for."""

    def __init__(self) -> None:
        self._by_text = {text: (cat, sev, lang) for cat, sev, lang, text in TEXTS}

    def classify(
        self, texts: Sequence[str], langs: Sequence[str | None] | None = None
    ) -> list[Classification]:
        found = []
        for text in texts:
            words = text.split(" #", 1)[0].removeprefix(f"@{X_ACCOUNT} ")
            category, severity, language = self._by_text[words]
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


def cpu_since(start: dict[str, float]) -> dict[str, float]:
    now = cpu_seconds()
    return {kind: now[kind] - start[kind] for kind in now}


def cpu_seconds() -> dict[str, float]:
    """CPU seconds of the event-loop thread (call it from there) and of all other threads
    (aiosqlite's connection threads, the classifier's worker thread) since the start."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    loop = time.thread_time()
    return {"event loop": loop, "other threads": usage.ru_utime + usage.ru_stime - loop}


@dataclass
class Figures:
    mode: str
    rate: float
    offered: int
    stored: int
    routed: int
    duplicates: int
    tickets: int
    unclocked: int
    elapsed: float  # first arrival to last ticket
    latencies: list[float]
    rss: list[int]
    cpu: dict[str, float]
    max_backlog: int
    extra: list[tuple[str, str]] = field(default_factory=list)
    ids_match: bool = True
    load: tuple[float, float] = (0.0, 0.0)


def direct_message(n: int) -> InboundMessage:
    _category, _severity, language, text = TEXTS[n % len(TEXTS)]
    return InboundMessage(
        channel="telegram" if n % 2 else "x",
        external_id=f"soak-{n}",
        author=f"customer-{n % 40}",
        text=f"{text} #{n}",
        sent_at=datetime.now(UTC),
        lang=language,
        chat_id=f"chat-{n % 40}",
        kind="dm",
    )


async def counts(database: Database) -> tuple[int, int, int, int, set[str]]:
    async with database.transaction() as session:
        stored = (await session.execute(select(func.count()).select_from(Message))).scalar_one()
        routed = (
            await session.execute(
                select(func.count()).select_from(Message).where(Message.ticket_id.is_not(None))
            )
        ).scalar_one()
        tickets = (await session.execute(select(func.count()).select_from(Ticket))).scalar_one()
        unclocked = (
            await session.execute(
                select(func.count())
                .select_from(Ticket)
                .where(~Ticket.id.in_(select(SlaClock.ticket_id)))
            )
        ).scalar_one()
        ids = set((await session.execute(select(Message.external_id))).scalars())
    return stored, routed, tickets, unclocked, ids


async def offer_open_loop(
    total: int,
    rate: float,
    offer: Callable[[int], Awaitable[None]],
    backlog: Callable[[], int],
    rss: list[int],
    housekeeping: Callable[[], None] = lambda: None,
) -> int:
    """Offer message n at start + n/rate (whatever has arrived goes in one go, every tick);
    returns the largest backlog seen. A slow bot never makes the arrivals later."""
    started = time.monotonic()
    offered = 0
    next_rss = started + RSS_EVERY_SECONDS
    max_backlog = 0
    while offered < total:
        tick_start = time.monotonic()
        due = min(total, int((tick_start - started) * rate) + 1)
        for n in range(offered, due):
            await offer(n)
        offered = max(offered, due)
        max_backlog = max(max_backlog, backlog())
        if tick_start >= next_rss:
            housekeeping()
            rss.append(rss_kib())
            next_rss += RSS_EVERY_SECONDS
        await asyncio.sleep(max(0.0, TICK_SECONDS - (time.monotonic() - tick_start)))
    return max_backlog


# --- direct: straight into the pipeline ---------------------------------------------------


async def soak_direct(args: argparse.Namespace, classifier: ComplaintClassifier) -> Figures:
    workdir = Path(tempfile.mkdtemp(prefix="ct-soak-"))
    url = args.database_url or f"sqlite+aiosqlite:///{workdir / 'soak.db'}"
    database = Database(url)
    async with database.engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
    pipeline = TriagePipeline(
        database, classifier, PlaybookRouter.load(),
        Pseudonymizer(b"soak-pseudonym-key-0123456789abcdef"), RecordingNotifier(),
        SystemClock(), Settings(), mask=mask_pii,
    )  # fmt: skip
    total = int(args.rate * args.minutes * 60)
    latencies: list[float] = []
    routed_ids: set[int] = set()
    duplicates = 0
    offered = 0
    max_backlog = 0
    rss = [rss_kib()]
    next_rss = time.monotonic() + RSS_EVERY_SECONDS
    cpu_start, load_start = cpu_seconds(), os.getloadavg()[0]
    started = time.monotonic()
    while offered < total:
        tick_start = time.monotonic()
        # Open loop: everything that has "arrived" by now goes in one call, as a channel
        # poll hands over whatever queued up; a slow call makes the next batch bigger.
        due = min(total, int((tick_start - started) * args.rate) + 1)
        batch = list(range(offered, due))
        max_backlog = max(max_backlog, len(batch))
        if batch:
            results = await pipeline.ingest_many([direct_message(n) for n in batch])
            done = time.monotonic()
            latencies.extend(done - (started + n / args.rate) for n in batch)
            routed_ids.update(r.message_id for r in results if r.ticket_id)
            duplicates += sum(r.duplicate for r in results)
            offered = due
        if tick_start >= next_rss:
            rss.append(rss_kib())
            next_rss += RSS_EVERY_SECONDS
        await asyncio.sleep(max(0.0, TICK_SECONDS - (time.monotonic() - tick_start)))
    elapsed = time.monotonic() - started
    rss.append(rss_kib())
    cpu = cpu_since(cpu_start)
    stored, routed, tickets, unclocked, ids = await counts(database)
    await database.dispose()
    return Figures(
        "direct (pipeline)", args.rate, total, stored, routed, duplicates, tickets, unclocked,
        elapsed, latencies, rss, cpu, max_backlog,
        ids_match=ids == {f"soak-{n}" for n in range(total)} and len(routed_ids) == total,
        load=(load_start, os.getloadavg()[0]),
    )  # fmt: skip


# --- through the channel adapters ---------------------------------------------------------


async def soak_channels(args: argparse.Namespace, classifier: ComplaintClassifier) -> Figures:
    total = int(args.rate * args.minutes * 60)
    offered_at: dict[str, float] = {}
    done_at: dict[str, float] = {}
    duplicates = 0
    rss = [rss_kib()]
    started = 0.0
    all_done = asyncio.Event()
    # No ops group by default: every soak message opens a ticket, and a Telegram group takes
    # 20 cards a minute, so cards would only pile up in the outbox (see --ops-cards).
    cards: dict[str, Any] = {}
    if not args.ops_cards:
        cards = {"telegram_ops_chat_id": None, "telegram_escalation_chat_id": None}
    with tempfile.TemporaryDirectory(prefix="ct-soak-") as folder:
        async with (
            FakeTelegramServer(TOKEN) as tg,
            FakeXServer() as x,
            channel_stack(
                Path(folder), tg, x, start=False, classifier=classifier, **cards
            ) as stack,
        ):
            # Production timings (long polls, sender idle wait, back-off), not the test
            # stack's fast ones; only X is polled every 0.2 s (the test setting) instead of
            # the default 60 s, so that X latency measures the bot rather than the wait.
            stack.runtime.options = RuntimeOptions(worker="soak")
            await stack.runtime.start()
            # The test stack keeps every notice in memory; a soak must not count that.
            stack.hub.remove(stack.recorded)
            ingest = stack.desk.ingest

            async def timed_ingest(message: InboundMessage) -> Intake:
                # The one instrument: when the desk returns, the message has its ticket.
                nonlocal duplicates
                intake: Intake = await ingest(message)
                if intake.duplicate or message.external_id in done_at:
                    duplicates += 1
                else:
                    done_at[message.external_id] = time.monotonic()
                    if len(done_at) == total:
                        all_done.set()
                return intake

            stack.desk.ingest = timed_ingest

            async def offer(n: int) -> None:
                _category, _severity, language, base = TEXTS[n % len(TEXTS)]
                text = f"{base} #{n}"
                arrival = started + n / args.rate
                if n % 2:
                    user = FakeUser(10_000_000 + n, f"Customer {n}", language_code=language)
                    message = tg.push_message(user, text)
                    key = f"{message['chat']['id']}:{message['message_id']}"
                elif n % 4 == 0:
                    author = XUser(str(50_000_000 + n), f"customer{n}", f"Customer {n}")
                    key = "tweet:" + x.push_mention(author, f"@{X_ACCOUNT} {text}",
                                                    lang=language)  # fmt: skip
                else:
                    sender = XUser(str(50_000_000 + n), f"customer{n}", f"Customer {n}")
                    key = "dm:" + x.push_dm(sender, text)
                offered_at[key] = arrival

            def forget_history() -> None:
                # The fakes keep everything they were sent and every item ever queued; the
                # RSS figure is the bot's, so history nobody reads any more is dropped.
                for kept in (tg.sent, tg.requests, x.posted, x.sent_dms, x.requests):
                    del kept[:-FAKE_HISTORY_KEPT]
                x.mentions[:] = [m for m in x.mentions if f"tweet:{m['id']}" not in done_at]
                x.dm_events[:] = [e for e in x.dm_events if f"dm:{e['id']}" not in done_at]
                x.users = {x.account.id: x.account}  # authors of pending mentions: unused

            profiler = cProfile.Profile() if args.profile else None
            if profiler is not None:
                profiler.enable()
            cpu_start, load_start = cpu_seconds(), os.getloadavg()[0]
            rss[:] = [rss_kib()]  # the bot is up: its models are loaded, its pools open
            started = time.monotonic()
            max_backlog = await offer_open_loop(
                total,
                args.rate,
                offer,
                lambda: len(offered_at) - len(done_at),
                rss,
                forget_history,
            )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(all_done.wait(), args.drain_limit)
            if profiler is not None:
                profiler.disable()
                profiler.dump_stats(args.profile)
            elapsed = (max(done_at.values()) if done_at else time.monotonic()) - started
            rss.append(rss_kib())
            cpu, load_end = cpu_since(cpu_start), os.getloadavg()[0]
            stored, routed, tickets, unclocked, ids = await counts(stack.database)
            async with stack.database.transaction() as session:
                outbox = dict(
                    (
                        await session.execute(
                            select(Outbox.status, func.count()).group_by(Outbox.status)
                        )
                    ).all()
                )
            extra = [
                ("replies and cards sent / pending at the end",
                 f"{outbox.get('sent', 0)} / {outbox.get('pending', 0)}"),
                ("Telegram updates / X mentions / X DMs offered",
                 f"{total // 2} / {(total + 3) // 4} / {(total + 1) // 4}"),
            ]  # fmt: skip
            if len(done_at) < total:
                extra.append(("not ticketed within the drain limit", str(total - len(done_at))))
    latencies = [done_at[k] - offered_at[k] for k in done_at]
    return Figures(
        "through both channels", args.rate, total, stored, routed, duplicates, tickets,
        unclocked, elapsed, latencies, rss, cpu, max_backlog, extra,
        ids_match=ids == set(offered_at) == set(done_at), load=(load_start, load_end),
    )  # fmt: skip


# --- report -------------------------------------------------------------------------------


def percentile(ordered: list[float], fraction: float) -> float:
    return ordered[int(fraction * (len(ordered) - 1))]


def report(f: Figures) -> bool:
    ordered = sorted(f.latencies) or [float("nan")]
    ok = (
        f.offered == f.stored == f.routed
        and f.duplicates == 0
        and f.unclocked == 0
        and f.ids_match
        and len(f.latencies) == f.offered
    )
    after_first_minute = f.rss[min(6, len(f.rss) - 1)]
    cpu_total = sum(f.cpu.values())
    rows = [
        ("mode", f.mode),
        ("target rate", f"{f.rate:g} msg/s"),
        ("duration (first arrival to last ticket)", f"{f.elapsed:.1f} s"),
        ("throughput", f"{len(f.latencies) / f.elapsed:.1f} msg/s"),
        ("messages offered / stored / routed / duplicates",
         f"{f.offered} / {f.stored} / {f.routed} / {f.duplicates}"),
        ("tickets (all with SLA clocks)", f"{f.tickets} ({f.unclocked} without clocks)"),
        ("offered-to-ticket latency p50", f"{statistics.median(ordered) * 1000:.0f} ms"),
        ("offered-to-ticket latency p95", f"{percentile(ordered, 0.95) * 1000:.0f} ms"),
        ("offered-to-ticket latency max", f"{ordered[-1] * 1000:.0f} ms"),
        ("largest backlog (offered, not yet ticketed)", str(f.max_backlog)),
        ("RSS start / end / peak",
         f"{f.rss[0] // 1024} / {f.rss[-1] // 1024} / {max(f.rss) // 1024} MiB"),
        ("RSS growth after the first minute", f"{(f.rss[-1] - after_first_minute) // 1024} MiB"),
        ("CPU seconds in the run: event loop / other threads (cores busy)",
         f"{f.cpu['event loop']:.0f} / {f.cpu['other threads']:.0f} "
         f"({cpu_total / f.elapsed:.2f})"),
        ("host load average at start / end (2 shared cores)",
         f"{f.load[0]:.1f} / {f.load[1]:.1f}"),
        *f.extra,
        ("messages lost", str(f.offered - f.routed)),
        ("counts match exactly", "yes" if ok else "NO"),
    ]  # fmt: skip
    print("| measure | value |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |", flush=True)
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--rate", type=float, default=50.0, help="messages per second")
    parser.add_argument(
        "--direct", action="store_true", help="feed the pipeline directly (no channels)"
    )
    parser.add_argument(
        "--database-url", default=None, help="--direct only: an EMPTY database (default: SQLite)"
    )
    parser.add_argument(
        "--drain-limit", type=float, default=120.0,
        help="seconds to wait after the last arrival for the backlog to be ticketed",
    )  # fmt: skip
    parser.add_argument("--model", action="store_true", help="use the trained classifier")
    parser.add_argument(
        "--ops-cards", action="store_true",
        help="channel mode: also post every ticket's card to an ops group and escalation chat",
    )  # fmt: skip
    parser.add_argument("--profile", default=None, help="channel mode: cProfile output file")
    args = parser.parse_args()
    if args.database_url and not args.direct:
        parser.error("--database-url goes with --direct (channel mode uses its own SQLite)")
    classifier: ComplaintClassifier = real_classifier() if args.model else KeywordClassifier()
    run = soak_direct if args.direct else soak_channels
    return 0 if report(asyncio.run(run(args, classifier))) else 1


if __name__ == "__main__":
    sys.exit(main())
