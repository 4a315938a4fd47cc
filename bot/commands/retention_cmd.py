"""`caretriage retention`: purge personal data past its retention period (or preview it)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys

from bot.clock import SystemClock
from bot.settings import Settings
from storage.database import Database
from storage.errors import StorageConfigError, StorageError
from storage.retention import RetentionReport, apply_retention
from storage.retention_policy import RetentionConfigError, RetentionPolicy


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "retention", help="purge personal data whose retention period has run out"
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--apply", action="store_true", help="purge now")
    mode.add_argument("--dry-run", action="store_true", help="only count what is due (the default)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    try:
        policy = RetentionPolicy.from_overrides(settings.retention_days)
        database = Database(settings.database_url)
    except (RetentionConfigError, StorageConfigError) as exc:
        print(f"caretriage retention: error: {exc}", file=sys.stderr)
        return 2

    async def purge() -> RetentionReport:
        try:
            return await apply_retention(
                database, policy, SystemClock().now(), apply=bool(args.apply)
            )
        finally:
            await database.dispose()

    try:
        report = asyncio.run(purge())
    except StorageError as exc:
        print(f"caretriage retention: error: {exc}", file=sys.stderr)
        return 1
    summary = report.as_dict()
    summary["retention_days"] = dict(sorted(policy.days.items()))
    print(json.dumps(summary, indent=2, sort_keys=True))
    return 0
