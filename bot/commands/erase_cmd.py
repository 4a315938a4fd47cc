"""`caretriage erase`: erase one customer's personal data, keeping the pseudonymous audit.

The customer is named the way the channel identifies them (Telegram user id or
@username as the adapter stores it, X handle); it is turned into the same keyed
pseudonym the pipeline stores, so the raw handle is never looked up or written anywhere.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import sys
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.clock import SystemClock
from bot.pseudonym import PseudonymKeyError, load_pseudonymizer
from bot.settings import Settings
from storage.database import Database
from storage.erasure import erase_customer
from storage.errors import NotFound, StorageConfigError, StorageError

CHANNELS = ("telegram", "x")
EXIT_NOT_FOUND = 1
EXIT_BAD_INPUT = 2


class CommandInputError(Exception):
    """Bad arguments or configuration; exit code 2 with this message."""


def add_customer_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--channel", choices=CHANNELS, help="channel the customer wrote on")
    parser.add_argument("--customer", metavar="HANDLE", help="the customer's channel handle/id")
    parser.add_argument(
        "--pseudonym", metavar="HEX", help="the stored pseudonym instead of channel + handle"
    )
    parser.add_argument(
        "--actor",
        default=None,
        help="who is acting, for the audit trail (default: cli:<login name>)",
    )


def default_actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (OSError, KeyError):
        return "cli"


def resolve_pseudonym(args: argparse.Namespace, settings: Settings) -> str:
    if args.pseudonym:
        if args.channel or args.customer:
            raise CommandInputError("give either --pseudonym or --channel with --customer")
        value = str(args.pseudonym).strip().lower()
        if len(value) != 64 or any(c not in "0123456789abcdef" for c in value):
            raise CommandInputError("--pseudonym must be 64 hexadecimal characters")
        return value
    if not args.channel or args.customer is None:
        raise CommandInputError("--channel and --customer are both required")
    handle = str(args.customer)
    if not handle.strip().removeprefix("@").strip():
        raise CommandInputError("--customer is empty")
    check_database_exists(settings.database_url)
    try:
        pseudonymizer = load_pseudonymizer(settings)
    except PseudonymKeyError as exc:
        raise CommandInputError(str(exc)) from exc
    return pseudonymizer.pseudonym(args.channel, handle)


def check_database_exists(database_url: str) -> None:
    """A SQLite file that is not there holds nobody; say so instead of creating it."""
    try:
        url = make_url(database_url)
    except ArgumentError as exc:
        raise CommandInputError(f"database_url is not a valid URL: {exc}") from exc
    is_file = url.drivername.startswith("sqlite") and url.database not in (None, "", ":memory:")
    if is_file and not Path(str(url.database)).exists():
        raise CommandInputError(f"database file {url.database} does not exist")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "erase",
        help="erase a customer's personal data (keeps the pseudonymous audit trail)",
    )
    add_customer_arguments(parser)
    parser.add_argument(
        "--dry-run", action="store_true", help="report what would be erased, change nothing"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    try:
        pseudonym = resolve_pseudonym(args, settings)
        database = Database(settings.database_url)
    except (CommandInputError, StorageConfigError) as exc:
        print(f"caretriage erase: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    actor = args.actor or default_actor()

    async def erase() -> dict[str, object]:
        try:
            report = await erase_customer(
                database, pseudonym, actor=actor, now=SystemClock().now(), dry_run=args.dry_run
            )
            return report.as_dict()
        finally:
            await database.dispose()

    try:
        summary = asyncio.run(erase())
    except NotFound as exc:
        print(f"caretriage erase: {exc}; nothing erased", file=sys.stderr)
        return EXIT_NOT_FOUND
    except StorageError as exc:
        print(f"caretriage erase: error: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(summary, indent=2, sort_keys=True))
    return 0
