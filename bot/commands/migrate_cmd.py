"""`caretriage migrate`: bring the database schema up to date (SQLite or PostgreSQL)."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.settings import Settings
from storage.errors import StorageConfigError, StorageError
from storage.migrate import upgrade_database


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "migrate", help="apply the database migrations (settings.database_url)"
    )
    parser.add_argument("--revision", default="head", help="target revision (default: head)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    try:
        revision = asyncio.run(upgrade_database(settings.database_url, args.revision))
    except StorageConfigError as exc:
        print(f"caretriage migrate: error: {exc}", file=sys.stderr)
        return 2
    except StorageError as exc:
        print(f"caretriage migrate: error: {exc}", file=sys.stderr)
        return 1
    print(f"database at revision {revision}")
    return 0
