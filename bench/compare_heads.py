"""Compare classifier head variants on the dev split (not a test): prints a markdown table.

Every variant is trained on the train split only, with the same encoder embeddings, and
scored on dev: category macro-F1 overall and the worst language, severity macro-F1.

    .venv/bin/python bench/compare_heads.py [--corpus DIR]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from classifiers.encoders import default_encoder
from classifiers.evaluation import CATEGORY_ORDER, SEVERITY_ORDER, macro_f1
from classifiers.features import TopicFeatureSpec
from classifiers.heads import HeadConfig, fit_head
from classifiers.labelled import DEV_GLOB, TRAIN_GLOB, read_many, split_files
from classifiers.training import EncodedExamples, encode_examples

ROOT = Path(__file__).resolve().parents[1]

VARIANTS: list[tuple[str, TopicFeatureSpec, HeadConfig]] = [
    ("USE embedding only, linear", TopicFeatureSpec(), HeadConfig(ngram_scale=0.0)),
    ("char 2-5-grams only, linear", TopicFeatureSpec(), HeadConfig(embedding_scale=0.0)),
    ("joint (emb 1.0, ngram 1.0) [default]", TopicFeatureSpec(), HeadConfig()),
    ("joint (emb 1.5, ngram 1.0)", TopicFeatureSpec(), HeadConfig(embedding_scale=1.5)),
    ("joint (emb 0.7, ngram 1.0)", TopicFeatureSpec(), HeadConfig(embedding_scale=0.7)),
    ("joint, l2 1e-3", TopicFeatureSpec(), HeadConfig(l2=1e-3)),
    ("joint, l2 1e-5", TopicFeatureSpec(), HeadConfig(l2=1e-5)),
    ("joint, char 1-4-grams", TopicFeatureSpec(orders=(1, 2, 3, 4)), HeadConfig()),
    ("joint, 2^15 buckets", TopicFeatureSpec(bits=15), HeadConfig()),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=ROOT / "classifiers/data/corpus")
    args = parser.parse_args()
    train = read_many(split_files(args.corpus, TRAIN_GLOB))
    dev = read_many(split_files(args.corpus, DEV_GLOB))
    encoder = default_encoder()
    cat_labels = np.array([CATEGORY_ORDER.index(e.category.value) for e in train])
    sev_labels = np.array([SEVERITY_ORDER.index(e.severity.value) for e in train])
    dev_cat = [e.category.value for e in dev]
    dev_sev = [e.severity.value for e in dev]
    langs = sorted({e.lang for e in dev})
    print(f"train {len(train)}, dev {len(dev)}, encoder {encoder.encoder_id}\n")
    print("| variant | dev macro-F1 | worst language | severity macro-F1 | fit s |")
    print("|---|---|---|---|---|")
    cache: dict[TopicFeatureSpec, tuple[EncodedExamples, EncodedExamples]] = {}
    for name, spec, config in VARIANTS:
        if spec not in cache:
            cache[spec] = (
                encode_examples(train, encoder, spec),
                encode_examples(dev, encoder, spec),
            )
        tr, dv = cache[spec]
        started = time.perf_counter()
        cat_head = fit_head(CATEGORY_ORDER, cat_labels, tr.embeddings, tr.ngrams, config)
        sev_head = fit_head(SEVERITY_ORDER, sev_labels, tr.embeddings, tr.ngrams, config)
        seconds = time.perf_counter() - started
        cat_pred = [
            CATEGORY_ORDER[i] for i in cat_head.logits(dv.embeddings, dv.ngrams).argmax(axis=1)
        ]
        sev_pred = [
            SEVERITY_ORDER[i] for i in sev_head.logits(dv.embeddings, dv.ngrams).argmax(axis=1)
        ]
        per_lang = {
            lang: macro_f1(
                [t for t, e in zip(dev_cat, dev, strict=True) if e.lang == lang],
                [p for p, e in zip(cat_pred, dev, strict=True) if e.lang == lang],
            )
            for lang in langs
        }
        worst = min(per_lang, key=lambda lang: per_lang[lang])
        print(
            f"| {name} | {macro_f1(dev_cat, cat_pred):.3f} | {worst} {per_lang[worst]:.3f} "
            f"| {macro_f1(dev_sev, sev_pred):.3f} | {seconds:.1f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
