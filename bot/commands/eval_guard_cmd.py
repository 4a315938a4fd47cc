"""`caretriage eval-guard [FILE] [--json]`: recall and false blocks of the reply guard."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.settings import Settings
from classifiers.guard import ReplyGuard
from classifiers.guard.evaluation import HELD_OUT_FILE, DraftFileError, evaluate, read_drafts

EXIT_BAD_INPUT = 2


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "eval-guard", help="recall / false-block rate of the reply guard per language"
    )
    parser.add_argument(
        "file",
        nargs="?",
        type=Path,
        default=HELD_OUT_FILE,
        help="labelled drafts JSONL (default: the held-out drafts)",
    )
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    try:
        drafts = read_drafts(args.file)
    except DraftFileError as exc:
        print(f"caretriage eval-guard: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    result = evaluate(ReplyGuard.load(), drafts)
    if args.json:
        print(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
        return 0
    print("| lang | forbidden | recall | allowed | false blocks |")
    print("|---|---:|---:|---:|---:|")
    for lang, score in sorted(result.by_language.items()):
        print(
            f"| {lang} | {score.forbidden} | {score.recall:.3f} | {score.allowed} "
            f"| {score.false_block_rate:.3f} |"
        )
    print("\nconfusion (expected → reported: count)")
    for expected, reported in sorted(result.confusion.items()):
        cells = ", ".join(f"{k}: {v}" for k, v in sorted(reported.items()))
        print(f"  {expected} → {cells}")
    if result.misses:
        print("\nerrors")
        for lang, text, got in result.misses:
            print(f"  [{lang}] {text!r} → {got or 'allowed'}")
    return 0
