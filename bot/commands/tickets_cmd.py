"""`caretriage tickets`: list tickets with their messages, owner queue and SLA clocks."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any

from bot.clock import SystemClock
from bot.core import require_current_schema
from bot.notify import RecordingNotifier
from bot.routing import PlaybookRouter
from bot.service import TicketService, TicketSummary
from bot.settings import Settings
from storage.database import Database
from storage.errors import StorageConfigError, StorageError
from storage.models import TicketStatus
from storage.repositories import TicketFilter

TABLE_COLUMNS = (
    "id", "messages", "customer", "channel", "lang", "category", "severity", "playbook",
    "queue", "status", "clocks",
)  # fmt: skip


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("tickets", help="list tickets, their queues and SLA clocks")
    parser.add_argument(
        "--status", action="append", choices=[s.value for s in TicketStatus], default=[]
    )
    parser.add_argument("--queue", action="append", default=[], help="owner queue (repeatable)")
    parser.add_argument("--breached", action="store_true", help="only tickets with a breach")
    parser.add_argument("--format", choices=("table", "jsonl"), default="table")
    parser.set_defaults(handler=run)


def summary_json(summary: TicketSummary) -> dict[str, Any]:
    return {
        "id": summary.reference,
        "ticket_id": summary.id,
        "external_ids": list(summary.external_ids),
        "customer": summary.customer,
        "channel": summary.channel,
        "language": summary.language,
        "category": summary.category,
        "severity": summary.severity,
        "priority": summary.priority,
        "jurisdiction": summary.jurisdiction,
        "playbook": summary.playbook,
        "queue": summary.queue,
        "status": summary.status,
        "assignee": summary.assignee,
        "needs_review": summary.needs_review,
        "clocks": [
            {"clock": c.key, "deadline": c.deadline.isoformat(), "state": c.state}
            for c in summary.clocks
        ],
    }


def table_row(summary: TicketSummary) -> tuple[str, ...]:
    clocks = " ".join(f"{c.key}={c.deadline:%Y-%m-%d %H:%M}Z({c.state})" for c in summary.clocks)
    return (
        summary.reference,
        ",".join(summary.external_ids),
        summary.customer[:12],
        summary.channel,
        summary.language,
        summary.category,
        summary.severity,
        summary.playbook,
        summary.queue,
        summary.status,
        clocks,
    )


def render_table(rows: list[tuple[str, ...]]) -> str:
    widths = [max([len(col), *(len(r[i]) for r in rows)]) for i, col in enumerate(TABLE_COLUMNS)]
    lines = ["  ".join(col.ljust(w) for col, w in zip(TABLE_COLUMNS, widths, strict=True))]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(line.rstrip() for line in lines)


async def _list(settings: Settings, filters: TicketFilter) -> list[TicketSummary]:
    await require_current_schema(settings.database_url)
    database = Database(settings.database_url)
    try:
        service = TicketService(
            database,
            PlaybookRouter.load(),
            RecordingNotifier(),
            SystemClock(),
            settings,
        )
        return await service.list_tickets(filters)
    finally:
        await database.dispose()


def run(args: argparse.Namespace, settings: Settings) -> int:
    filters = TicketFilter(
        statuses=tuple(args.status), queues=tuple(args.queue), breached_only=args.breached
    )
    try:
        summaries = asyncio.run(_list(settings, filters))
    except StorageConfigError as exc:
        print(f"caretriage tickets: error: {exc}", file=sys.stderr)
        return 2
    except StorageError as exc:
        print(f"caretriage tickets: error: {exc}", file=sys.stderr)
        return 1
    if args.format == "jsonl":
        for summary in summaries:
            print(json.dumps(summary_json(summary), ensure_ascii=False))
    else:
        print(render_table([table_row(s) for s in summaries]))
    return 0
