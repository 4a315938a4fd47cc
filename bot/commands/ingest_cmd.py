"""`caretriage ingest [FILE|-]`: triage JSON Lines messages into tickets (idempotent)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections import Counter
from pathlib import Path

from bot.core import Core, require_current_schema
from bot.inbound import InboundMessage
from bot.ingest_records import IngestInputError, parse_lines
from bot.pseudonym import PseudonymKeyError
from bot.settings import Settings
from classifiers.model import ClassifierError, load_classifier
from storage.errors import StorageConfigError, StorageError, StorageUnavailable

EXIT_FAILURE = 1
EXIT_BAD_INPUT = 2


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "ingest", help="triage JSON Lines messages into tickets (same file twice: no change)"
    )
    parser.add_argument("file", nargs="?", default="-", help="JSON Lines file, or - for stdin")
    parser.set_defaults(handler=run)


def _read(source: str) -> list[str]:
    if source == "-":
        return sys.stdin.read().splitlines()
    return Path(source).read_text(encoding="utf-8").splitlines()


async def _ingest(settings: Settings, messages: list[InboundMessage]) -> Counter[str]:
    await require_current_schema(settings.database_url)
    classifier = load_classifier()
    core = Core.build(settings)
    try:
        pipeline = core.pipeline(classifier)
        recovered = await pipeline.process_pending()
        results = await pipeline.ingest_many(messages)
    finally:
        await core.close()
    counts: Counter[str] = Counter(recovered=recovered)
    for result in results:
        if result.duplicate and not result.new_ticket:
            counts["duplicates"] += 1
        elif result.new_ticket:
            counts["new_tickets"] += 1
        else:
            counts["attached"] += 1
        counts["needs_review"] += int(result.needs_review and not result.duplicate)
    return counts


def run(args: argparse.Namespace, settings: Settings) -> int:
    name = "<stdin>" if args.file == "-" else args.file
    try:
        messages = parse_lines(_read(args.file), name)
    except OSError as exc:
        print(f"caretriage ingest: error: cannot read {name}: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except UnicodeDecodeError as exc:
        print(f"caretriage ingest: error: {name} is not UTF-8: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except IngestInputError as exc:
        for error in exc.errors:
            print(f"caretriage ingest: {name}: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        counts = asyncio.run(_ingest(settings, messages))
    except (PseudonymKeyError, StorageConfigError) as exc:
        print(f"caretriage ingest: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except StorageUnavailable as exc:
        print(
            f"caretriage ingest: error: {exc}; messages already stored stay pending "
            "and are triaged by the next run",
            file=sys.stderr,
        )
        return EXIT_FAILURE
    except (StorageError, ClassifierError) as exc:
        print(f"caretriage ingest: error: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    print(
        f"ingested {len(messages)} messages: {counts['new_tickets']} new tickets, "
        f"{counts['attached']} attached to open tickets, {counts['duplicates']} duplicates, "
        f"{counts['needs_review']} need review"
        + (f"; {counts['recovered']} pending from an earlier run" if counts["recovered"] else "")
    )
    return 0
