"""`caretriage run`: the configured channels, the SLA loop and the dashboard in one process.

Exit codes: 0 after a clean stop (SIGINT/SIGTERM), 1 when a service failed at run time,
2 for bad configuration (no channel, webhook without secret, schema not migrated, a token
the channel refuses, dashboard without credentials).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys

from bot.application import build_wiring, running
from bot.channels.errors import ChannelAuthError, ChannelError
from bot.channels.runtime import ChannelConfigError, check_channel_settings
from bot.pseudonym import PseudonymKeyError
from bot.settings import Settings
from bot.web.app import DashboardConfigError
from classifiers.model import ClassifierError
from storage.errors import StorageConfigError, StorageError

log = logging.getLogger("caretriage.run")

NO_CHANNEL = (
    "no channel is configured: set TELEGRAM_BOT_TOKEN for Telegram and/or X_BEARER_TOKEN "
    "(or X_API_KEY, X_API_SECRET, X_ACCESS_TOKEN, X_ACCESS_SECRET) for X"
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "run",
        help="run the configured Telegram/X channels, the SLA loop and the dashboard",
    )
    parser.add_argument(
        "--no-dashboard",
        action="store_true",
        help="do not serve the dashboard from this worker (e.g. extra workers)",
    )
    parser.set_defaults(handler=run)


def _fail(message: str, code: int) -> int:
    print(f"caretriage run: error: {message}", file=sys.stderr)
    return code


def run(args: argparse.Namespace, settings: Settings) -> int:
    try:
        channels = check_channel_settings(settings)
    except ChannelConfigError as exc:
        return _fail(str(exc), 2)
    if not channels:
        return _fail(NO_CHANNEL, 2)
    try:
        return asyncio.run(serve(settings, channels, dashboard=not args.no_dashboard))
    except (StorageConfigError, PseudonymKeyError, DashboardConfigError, ClassifierError) as exc:
        return _fail(str(exc), 2)
    except ChannelAuthError as exc:
        return _fail(f"{exc.channel} refused the credentials: {exc.detail}", 2)
    except (ChannelError, StorageError) as exc:
        return _fail(str(exc), 1)


async def serve(settings: Settings, channels: list[str], *, dashboard: bool) -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signum, stop.set)
    wiring = build_wiring(settings)
    async with running(wiring, dashboard=dashboard) as url:
        described = ", ".join(
            f"telegram ({settings.telegram_mode})" if c == "telegram" else c for c in channels
        )
        print(f"caretriage run: channels: {described}", file=sys.stderr, flush=True)
        if url is not None:
            print(f"caretriage run: dashboard at {url}", file=sys.stderr, flush=True)
        await stop.wait()
    print("caretriage run: stopped", file=sys.stderr, flush=True)
    return 0
