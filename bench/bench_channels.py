"""Channel round trips over real HTTP: a customer's Telegram DM → acknowledgement, and an
X mention → public redirect, through the real python-telegram-bot / tweepy clients, the
real pipeline, service, guard and outbox on SQLite, against the local fake servers.

    .venv/bin/python bench/bench_channels.py [--messages 100] [--fake]

Latency is measured from the moment the fake server queues the customer's message to the
moment the bot's reply reaches the fake server (polled every 5 ms), so it includes the
long-poll pick-up, triage, the outbox write and the sender. `--fake` swaps the real
classifier for the tag-reading test double. Not part of the test run.
"""

# ruff: noqa: E402 - imports follow the sys.path set-up for running as a script
from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from channel_builders import TOKEN, channel_stack, real_classifier

from bot.fakes.telegram_server import FakeTelegramServer, FakeUser
from bot.fakes.x_server import FakeXServer, XUser
from classifiers.result import ComplaintClassifier

TEXTS = [
    ("es", "Estoy en la Lista Robinson y me siguen llamando para ofertas, ya les dije que no."),
    ("it", "Un vostro tecnico mi scrive su WhatsApp e mi chiede di uscire."),
    ("pt", "Quero que apaguem todos os meus dados pessoais da vossa base."),
    ("ru", "Коллекторы звонят моей маме, хотя я всё оплатил."),
    ("en", "How did you get my number? I never gave it to you."),
    ("fr", "Je reçois des SMS publicitaires alors que je me suis opposé."),
    ("de", "Ihr Techniker hat meine Daten an einen anderen Anbieter gegeben."),
]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def telegram_round_trips(count: int, classifier: ComplaintClassifier | None) -> list[float]:
    with tempfile.TemporaryDirectory() as folder:
        async with (
            FakeTelegramServer(TOKEN) as tg,
            channel_stack(Path(folder), tg, classifier=classifier),
        ):
            pushed: dict[int, float] = {}
            answered: dict[int, float] = {}
            for n in range(count):
                lang, text = TEXTS[n % len(TEXTS)]
                user = FakeUser(10_000 + n, f"U{n}", language_code=lang)
                pushed[user.id] = time.perf_counter()
                tg.push_message(user, text if classifier else f"[unknown_data_source/low] {text}")
            deadline = time.perf_counter() + 120
            while len(answered) < count and time.perf_counter() < deadline:
                now = time.perf_counter()
                for message in tg.sent:
                    if message.chat_id in pushed and message.chat_id not in answered:
                        answered[message.chat_id] = now
                await asyncio.sleep(0.005)
            return [answered[u] - pushed[u] for u in answered]


async def x_round_trips(count: int, classifier: ComplaintClassifier | None) -> list[float]:
    with tempfile.TemporaryDirectory() as folder:
        async with FakeXServer() as x, channel_stack(Path(folder), x=x, classifier=classifier):
            pushed: dict[str, float] = {}
            answered: dict[str, float] = {}
            for n in range(count):
                lang, text = TEXTS[n % len(TEXTS)]
                author = XUser(str(50_000 + n), f"u{n}", f"U {n}")
                tweet = x.push_mention(author, text if classifier else f"[not_privacy/low] {text}",
                                       lang=lang)  # fmt: skip
                pushed[tweet] = time.perf_counter()
            deadline = time.perf_counter() + 120
            while len(answered) < count and time.perf_counter() < deadline:
                now = time.perf_counter()
                for post in x.posted:
                    if post.in_reply_to in pushed and post.in_reply_to not in answered:
                        answered[post.in_reply_to] = now
                await asyncio.sleep(0.005)
            return [answered[t] - pushed[t] for t in answered]


def row(name: str, count: int, latencies: list[float], wall: float) -> str:
    if not latencies:
        return f"| {name} | {count} | 0 | - | - | - |"
    return (
        f"| {name} | {count} | {len(latencies)} | {len(latencies) / wall:.1f} | "
        f"{statistics.median(latencies) * 1000:.0f} | {percentile(latencies, 0.95) * 1000:.0f} |"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=100)
    parser.add_argument("--fake", action="store_true", help="tag-reading classifier")
    args = parser.parse_args()
    classifier = None if args.fake else real_classifier()
    label = "fake classifier" if args.fake else "real classifier"
    print(f"| path ({label}) | sent | answered | answers/s | p50 ms | p95 ms |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, run in (
        ("Telegram DM → acknowledgement", telegram_round_trips),
        ("X mention → public redirect", x_round_trips),
    ):
        started = time.perf_counter()
        latencies = await run(args.messages, classifier)
        print(row(name, args.messages, latencies, time.perf_counter() - started), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
