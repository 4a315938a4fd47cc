"""`caretriage train-guard`: rebuild the reply guard's clause model artifacts.

Reads the training drafts (classifiers/data/guard/train*.jsonl), picks the
decision thresholds on 5-fold out-of-fold predictions (false blocks <= 2% per language),
trains the clause head on the embedded encoder with a fixed seed, compares rules / model /
combined on the dev drafts (test.jsonl), and writes guard_head.npz + guard_manifest.json.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.settings import Settings
from classifiers.encoders import EncoderError, default_encoder
from classifiers.guard.evaluation import DEV_FILE, TRAIN_FILES, DraftFileError
from classifiers.guard.model import ARTIFACTS_DIR, HEAD_FILE, MANIFEST_FILE
from classifiers.guard.training import train_guard_model

EXIT_BAD_INPUT = 2
EXIT_FAILURE = 1


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "train-guard", help="train the reply guard's clause model (deterministic)"
    )
    parser.add_argument(
        "--train",
        type=Path,
        nargs="+",
        default=list(TRAIN_FILES),
        help="training drafts JSONL files (default: every train*.jsonl)",
    )
    parser.add_argument("--dev", type=Path, default=DEV_FILE, help="dev drafts JSONL")
    parser.add_argument("--out", type=Path, default=ARTIFACTS_DIR, help="artifact folder")
    parser.add_argument(
        "--folds",
        type=int,
        default=5,
        help="folds for the out-of-fold thresholds and the CV table (at least 2)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.folds < 2:
        print("caretriage train-guard: error: --folds must be at least 2", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        encoder = default_encoder()
    except EncoderError as exc:
        print(f"caretriage train-guard: error: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    try:
        model = train_guard_model(args.train, args.dev, encoder, folds=args.folds)
    except DraftFileError as exc:
        print(f"caretriage train-guard: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    model.save(args.out)
    print(f"wrote {args.out / HEAD_FILE} and {args.out / MANIFEST_FILE}")
    print("thresholds:", json.dumps(model.manifest["thresholds"]))
    print("cv:", json.dumps(model.manifest["cv_metrics"], indent=2))
    print("dev:", json.dumps(model.manifest["dev_metrics"], indent=2))
    return 0
