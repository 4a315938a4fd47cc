"""`caretriage eval FILE... [--json]`: score the classifier on labelled JSON Lines.

Input lines are corpus-shaped: {"text", "lang", "category", "severity"}. Language hints
are NOT passed to the classifier, so language identification is measured too.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.settings import Settings
from classifiers.evaluation import evaluate, render_report
from classifiers.labelled import LabelledDataError, read_many
from classifiers.model import ClassifierError, load_classifier


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "eval", help="evaluate the complaint classifier on labelled JSON Lines files"
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON")
    parser.add_argument(
        "--artifacts", type=Path, default=None, metavar="DIR", help="artifacts to evaluate"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    try:
        examples = read_many(args.files)
    except LabelledDataError as exc:
        print(f"caretriage eval: error: {exc}", file=sys.stderr)
        return 2
    if not examples:
        print("caretriage eval: error: no labelled examples in the input", file=sys.stderr)
        return 2
    try:
        classifier = load_classifier(args.artifacts)
    except ClassifierError as exc:
        print(f"caretriage eval: failed: {exc}", file=sys.stderr)
        return 1
    predictions = classifier.classify([e.text for e in examples])
    report = evaluate(examples, predictions, review_threshold=settings.review_threshold)
    if args.json:
        print(json.dumps(report, indent=2, sort_keys=True))
    else:
        print(render_report(report))
    return 0
