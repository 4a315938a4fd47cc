"""`caretriage check-reply [FILE|-]`: run the reply guard over JSON Lines drafts.

Input lines: {"id", "text"} plus optional "lang", "jurisdiction", "public". Output, one
line per input in the same order: {"id", "allowed", "violations": [{"claim", "start",
"end", "reason", "suggestion"}]}. The whole input is validated before anything is
written, so a malformed line (reported with its number) leaves no partial output.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from typing import TextIO

from bot.settings import Settings
from classifiers.guard import ReplyGuard
from classifiers.guard.model import GuardModelError

EXIT_BAD_INPUT = 2


class DraftLineError(ValueError):
    """One input line is malformed; the message names the line and the field."""


@dataclass(frozen=True, slots=True)
class DraftRequest:
    id: object
    text: str
    lang: str | None
    jurisdiction: str | None
    public: bool


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("check-reply", help="check agent drafts with the reply guard")
    parser.add_argument("file", nargs="?", default="-", help="JSON Lines file, or - for stdin")
    parser.set_defaults(handler=run)


def parse_line(line: str, number: int) -> DraftRequest:
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as exc:
        raise DraftLineError(f"line {number}: invalid JSON: {exc.msg}") from exc
    if not isinstance(raw, dict):
        raise DraftLineError(f"line {number}: expected a JSON object")
    if "id" not in raw:
        raise DraftLineError(f"line {number}: missing field `id`")
    if isinstance(raw["id"], (dict, list)) or raw["id"] is None:
        raise DraftLineError(f"line {number}: `id` must be a string or a number")
    text = raw.get("text")
    if not isinstance(text, str):
        raise DraftLineError(f"line {number}: `text` must be a string")
    lang, jurisdiction = raw.get("lang"), raw.get("jurisdiction")
    if lang is not None and not isinstance(lang, str):
        raise DraftLineError(f"line {number}: `lang` must be a string")
    if jurisdiction is not None and not isinstance(jurisdiction, str):
        raise DraftLineError(f"line {number}: `jurisdiction` must be a string")
    public = raw.get("public", False)
    if not isinstance(public, bool):
        raise DraftLineError(f"line {number}: `public` must be true or false")
    return DraftRequest(raw["id"], text, lang, jurisdiction, public)


def read_requests(stream: TextIO, known_jurisdictions: frozenset[str]) -> list[DraftRequest]:
    requests = []
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            raise DraftLineError(f"line {number}: empty line")
        request = parse_line(line, number)
        if request.jurisdiction is not None and request.jurisdiction not in known_jurisdictions:
            raise DraftLineError(
                f"line {number}: unknown `jurisdiction` {request.jurisdiction!r}; "
                f"expected one of {sorted(known_jurisdictions)}"
            )
        requests.append(request)
    return requests


def run(args: argparse.Namespace, settings: Settings) -> int:
    try:
        guard = ReplyGuard.load()
    except GuardModelError as exc:
        print(f"caretriage check-reply: error: {exc}", file=sys.stderr)
        return 1
    try:
        if args.file == "-":
            requests = read_requests(sys.stdin, guard.jurisdiction_codes)
        else:
            with open(args.file, encoding="utf-8") as stream:
                requests = read_requests(stream, guard.jurisdiction_codes)
    except OSError as exc:
        print(f"caretriage check-reply: error: cannot read {args.file}: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except UnicodeDecodeError as exc:
        print(f"caretriage check-reply: error: {args.file} is not UTF-8: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except DraftLineError as exc:
        print(f"caretriage check-reply: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    for request in requests:
        verdict = guard.check(request.text, request.lang, request.jurisdiction, request.public)
        out = {
            "id": request.id,
            "allowed": verdict.allowed,
            "violations": [
                {
                    "claim": v.claim.value,
                    "start": v.start,
                    "end": v.end,
                    "reason": v.reason,
                    "suggestion": v.suggestion,
                }
                for v in verdict.violations
            ],
        }
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
    return 0
