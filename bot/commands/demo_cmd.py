"""`caretriage demo`: the whole product on a bundled stream, no credentials needed."""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
from pathlib import Path

from bot.demo.runner import DemoRunner
from bot.settings import Settings

DEFAULT_SPEED = 120.0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="run the real pipeline on a bundled multilingual stream through local fake "
        "Telegram and X servers, with the dashboard",
    )
    parser.add_argument(
        "--once",
        action="store_true",
        help="replay, wait for the SLA engine's first breach, print a summary and exit",
    )
    parser.add_argument(
        "--speed",
        type=float,
        default=DEFAULT_SPEED,
        help=f"how much faster than real time the stream and SLA clocks run "
        f"(default {DEFAULT_SPEED:g}: a 1-hour first-response target breaches in 30 s)",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        help="keep the demo's SQLite database here (default: a temporary folder, removed on exit)",
    )
    parser.add_argument(
        "--port", type=int, default=8080, help="dashboard port on 127.0.0.1 (0: any free port)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.speed <= 0:
        print("caretriage demo: error: --speed must be positive", file=sys.stderr)
        return 2
    if not 0 <= args.port <= 65535:
        print("caretriage demo: error: --port must be between 0 and 65535", file=sys.stderr)
        return 2
    temporary = args.data_dir is None
    data_dir = Path(tempfile.mkdtemp(prefix="caretriage-demo-")) if temporary else args.data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    runner = DemoRunner(settings, data_dir, speed=args.speed)

    def announce(url: str | None) -> None:
        print(f"caretriage demo: dashboard at {url}", flush=True)
        print(
            f"caretriage demo: replaying {len(runner.stream)} messages "
            f"({args.speed:g}x real time); data in {data_dir}",
            flush=True,
        )

    try:
        summary = asyncio.run(runner.run(once=args.once, dashboard_port=args.port, on_url=announce))
    except KeyboardInterrupt:
        return 0
    finally:
        if temporary:
            shutil.rmtree(data_dir, ignore_errors=True)
    print(summary.table())
    complete = summary.messages_stored >= summary.messages_in and summary.breaches > 0
    return 0 if complete else 1
