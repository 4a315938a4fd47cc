"""Delay between an SLA deadline and its breach notification, with 100,000 open clocks.

    .venv/bin/python bench/bench_sla.py [--postgres URL] [--clocks 100000] [--due 2000]

Seeds `--clocks` open tickets with one running clock each; `--due` of them fall due
evenly over `--window` seconds of real time, the rest much later. The real SlaEngine runs
on APScheduler every `--tick` seconds; each breach notice records (now - deadline).
Prints a Markdown table per backend. Not part of the test run.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from storage_support import create_schema, playbook_router, seed_open_clocks

from bot.clock import SystemClock
from bot.notify import SlaNotice, TicketNotice
from bot.sla_engine import SlaEngine
from storage.database import Database


class TimingNotifier:
    def __init__(self) -> None:
        self.delays: list[float] = []

    async def ticket_opened(self, notice: TicketNotice) -> None:
        return None

    async def ticket_updated(self, notice: TicketNotice) -> None:
        return None

    async def sla_event(self, notice: SlaNotice) -> None:
        if notice.event == "breach":
            self.delays.append((datetime.now(UTC) - notice.due_at).total_seconds())


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


async def measure(url: str, clocks: int, due: int, window: float, tick: float) -> dict[str, float]:
    database = Database(url)
    await create_schema(database)
    seed_start = time.perf_counter()
    later = datetime.now(UTC) + timedelta(days=30)
    await seed_open_clocks(
        database,
        clocks - due,
        started_at=later - timedelta(days=31),
        deadline_of=lambda i: later + timedelta(seconds=i),
        customer="later",
    )
    # The due clocks are seeded last so their deadlines start after seeding is over.
    begin = datetime.now(UTC) + timedelta(seconds=3)
    step = window / due
    await seed_open_clocks(
        database,
        due,
        started_at=begin - timedelta(hours=1),
        deadline_of=lambda i: begin + timedelta(seconds=i * step),
        customer="due",
    )
    seeded = time.perf_counter() - seed_start
    notifier = TimingNotifier()
    engine = SlaEngine(database, playbook_router(), notifier, SystemClock(), batch_size=500)
    engine.start(interval_seconds=tick)
    # Poll (not an Event): the notifier must stay a plain recorder to time the engine alone.
    deadline = time.monotonic() + window + 5 + 30
    while len(notifier.delays) < due and time.monotonic() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.2)
    await engine.stop()
    await database.dispose()
    delays = notifier.delays
    return {
        "seed_s": seeded,
        "fired": len(delays),
        "p50": percentile(delays, 0.5),
        "p99": percentile(delays, 0.99),
        "max": max(delays),
        "mean": statistics.fmean(delays),
    }


async def postgres_database(base_url: str) -> tuple[str, str]:
    import secrets

    import asyncpg
    from sqlalchemy.engine import make_url

    name = f"ct_bench_{secrets.token_hex(4)}"
    admin = make_url(base_url).set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(admin)
    await connection.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
    await connection.close()
    return make_url(base_url).set(database=name).render_as_string(hide_password=False), name


async def drop_postgres(base_url: str, name: str) -> None:
    import asyncpg
    from sqlalchemy.engine import make_url

    admin = make_url(base_url).set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(admin)
    await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await connection.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clocks", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=2_000)
    parser.add_argument("--window", type=float, default=20.0, help="seconds the due ones span")
    parser.add_argument("--tick", type=float, default=1.0, help="sla_tick_seconds")
    parser.add_argument("--postgres", help="postgresql+asyncpg:// URL of an admin database")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        rows.append(("SQLite", await measure(url, args.clocks, args.due, args.window, args.tick)))
    if args.postgres:
        url, name = await postgres_database(args.postgres)
        try:
            result = await measure(url, args.clocks, args.due, args.window, args.tick)
            rows.append(("PostgreSQL", result))
        finally:
            await drop_postgres(args.postgres, name)
    print(
        f"open clocks: {args.clocks:,}; due during the run: {args.due:,} over "
        f"{args.window:.0f} s; tick every {args.tick:g} s\n"
    )
    print("| backend | breaches fired | p50 delay (s) | p99 delay (s) | max (s) | seeding (s) |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, r in rows:
        print(
            f"| {name} | {int(r['fired']):,} | {r['p50']:.2f} | {r['p99']:.2f} | "
            f"{r['max']:.2f} | {r['seed_s']:.1f} |"
        )


if __name__ == "__main__":
    asyncio.run(main())
