"""`caretriage export`: everything stored about one customer, as JSON.

The same data rights the product helps agents honour apply to its own database. The
file holds personal data, so it is created readable by the owner only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any

from bot.clock import SystemClock
from bot.commands.erase_cmd import (
    EXIT_BAD_INPUT,
    EXIT_NOT_FOUND,
    CommandInputError,
    add_customer_arguments,
    default_actor,
    resolve_pseudonym,
)
from bot.settings import Settings
from storage.database import Database
from storage.errors import NotFound, StorageConfigError, StorageError
from storage.export import export_customer


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "export", help="export everything stored about a customer as JSON"
    )
    add_customer_arguments(parser)
    parser.add_argument(
        "--output", "-o", type=Path, metavar="FILE", help="write here (mode 0600), not stdout"
    )
    parser.set_defaults(handler=run)


def write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)


def run(args: argparse.Namespace, settings: Settings) -> int:
    try:
        pseudonym = resolve_pseudonym(args, settings)
        database = Database(settings.database_url)
    except (CommandInputError, StorageConfigError) as exc:
        print(f"caretriage export: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    actor = args.actor or default_actor()

    async def export() -> dict[str, Any]:
        try:
            return await export_customer(database, pseudonym, actor=actor, now=SystemClock().now())
        finally:
            await database.dispose()

    try:
        data = asyncio.run(export())
    except NotFound as exc:
        print(f"caretriage export: {exc}", file=sys.stderr)
        return EXIT_NOT_FOUND
    except StorageError as exc:
        print(f"caretriage export: error: {exc}", file=sys.stderr)
        return 1
    text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if args.output is None:
        sys.stdout.write(text)
        return 0
    try:
        write_private(args.output, text)
    except OSError as exc:
        print(f"caretriage export: error: cannot write {args.output}: {exc}", file=sys.stderr)
        return 1
    print(f"exported customer {pseudonym} to {args.output}", file=sys.stderr)
    return 0
