"""`caretriage train`: rebuild the classifier artifacts from the corpus, deterministically."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.settings import Settings
from classifiers.encoders import EncoderError, default_encoder
from classifiers.labelled import LabelledDataError
from classifiers.langid import DEFAULT_ARTIFACTS_DIR
from classifiers.training import DEFAULT_SEED, TrainingConfig, train_from_corpus

DEFAULT_CORPUS_DIR = Path(__file__).resolve().parents[2] / "classifiers" / "data" / "corpus"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "train", help="train the complaint classifier from the corpus and write its artifacts"
    )
    parser.add_argument(
        "--corpus",
        type=Path,
        default=DEFAULT_CORPUS_DIR,
        metavar="DIR",
        help="folder with *.train.jsonl and *.dev.jsonl (default: the bundled corpus)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_ARTIFACTS_DIR,
        metavar="DIR",
        help="where to write manifest.json, heads.npz, langid.npz (default: shipped artifacts)",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="fold-assignment seed")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli import package_version

    if not args.corpus.is_dir():
        print(f"caretriage train: error: corpus folder {args.corpus} not found", file=sys.stderr)
        return 2
    try:
        manifest = train_from_corpus(
            args.corpus,
            args.out,
            default_encoder(),
            TrainingConfig(seed=args.seed),
            created_by=f"caretriage {package_version()}",
        )
    except LabelledDataError as exc:
        print(f"caretriage train: error: {exc}", file=sys.stderr)
        return 2
    except (EncoderError, OSError) as exc:
        print(f"caretriage train: failed: {exc}", file=sys.stderr)
        return 1
    metrics = manifest.get("dev_metrics")
    summary = (
        f"dev macro-F1 {metrics['macro_f1']:.3f}, ECE {metrics['calibration']['ece']:.3f}, "
        f"language id {metrics['language_id']['accuracy']:.3f}"
        if metrics
        else "no dev split found"
    )
    print(f"wrote classifier artifacts to {args.out} ({summary})")
    return 0
