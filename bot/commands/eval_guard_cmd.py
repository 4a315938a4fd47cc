"""`caretriage eval-guard [FILE] [--json] [--mode]`: recall and false blocks of the guard.

Default file: the independent held-out drafts (classifiers/data/guard/heldout.jsonl) when
present, else the dev drafts (test.jsonl).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.settings import Settings
from classifiers.guard import ReplyGuard
from classifiers.guard.combine import GUARD_MODES
from classifiers.guard.evaluation import DraftFileError, default_eval_file, evaluate, read_drafts
from classifiers.guard.model import GuardModelError

EXIT_BAD_INPUT = 2
EXIT_FAILURE = 1


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "eval-guard", help="recall / false-block rate of the reply guard per language"
    )
    parser.add_argument(
        "file",
        nargs="?",
        type=Path,
        default=None,
        help="labelled drafts JSONL (default: heldout.jsonl if present, else test.jsonl)",
    )
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument(
        "--mode",
        choices=GUARD_MODES,
        default="combined",
        help="claim detectors: rules, model or combined (default)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    path: Path = args.file if args.file is not None else default_eval_file()
    try:
        drafts = read_drafts(path)
    except DraftFileError as exc:
        print(f"caretriage eval-guard: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        guard = ReplyGuard.load(mode=args.mode)
    except GuardModelError as exc:
        print(f"caretriage eval-guard: error: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    result = evaluate(guard, drafts)
    if args.json:
        report = {"file": str(path), "mode": args.mode, **result.as_json()}
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    print(f"file: {path}  mode: {args.mode}\n")
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
