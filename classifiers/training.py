"""`caretriage train`: corpus → calibrated heads + language model + manifest, deterministically.

Train split only for fitting (weights and temperatures); dev only for the metrics
written to the manifest.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from classifiers.calibration import expected_calibration_error, fit_temperature
from classifiers.encoders import SentenceEncoder
from classifiers.evaluation import CATEGORY_ORDER, SEVERITY_ORDER, evaluate
from classifiers.features import SparseRows, TopicFeatureSpec, clip_text
from classifiers.heads import (
    HeadConfig,
    SoftmaxHead,
    fit_dual,
    head_from_dual,
    joint_gram,
    softmax,
)
from classifiers.labelled import (
    DEV_GLOB,
    TRAIN_GLOB,
    LabelledDataError,
    LabelledExample,
    corpus_sha256,
    read_many,
    split_files,
)
from classifiers.langid import LanguageIdentifier
from classifiers.model import (
    ARTIFACT_FORMAT,
    ClassifierArtifacts,
    EmbeddedClassifier,
    save_artifacts,
)

DEFAULT_SEED = 13


@dataclass(frozen=True, slots=True)
class TrainingConfig:
    seed: int = DEFAULT_SEED
    folds: int = 5  # for the out-of-fold logits the temperatures are fitted on
    features: TopicFeatureSpec = field(default_factory=TopicFeatureSpec)
    category: HeadConfig = field(default_factory=HeadConfig)
    severity: HeadConfig = field(default_factory=HeadConfig)


@dataclass(frozen=True, slots=True)
class EncodedExamples:
    embeddings: npt.NDArray[np.float32]
    ngrams: SparseRows


def encode_examples(
    examples: Sequence[LabelledExample], encoder: SentenceEncoder, spec: TopicFeatureSpec
) -> EncodedExamples:
    texts = [clip_text(e.text) for e in examples]
    return EncodedExamples(encoder.encode(texts), spec.transform(texts))


def stratified_folds(labels: npt.NDArray[np.int64], folds: int, seed: int) -> npt.NDArray[np.int64]:
    """Fold number per example, each class spread evenly over the folds."""
    rng = np.random.default_rng(seed)
    assignment = np.zeros(len(labels), dtype=np.int64)
    offset = 0
    for cls in np.unique(labels):
        members = np.flatnonzero(labels == cls)
        shuffled = members[rng.permutation(len(members))]
        assignment[shuffled] = (np.arange(len(members)) + offset) % folds
        offset += len(members)
    return assignment


@dataclass(frozen=True, slots=True)
class CalibratedHead:
    head: SoftmaxHead
    out_of_fold_logits: npt.NDArray[np.float32]
    out_of_fold_ece_before: float
    out_of_fold_ece_after: float


def fit_calibrated_head(
    classes: tuple[str, ...],
    labels: npt.NDArray[np.int64],
    data: EncodedExamples,
    config: HeadConfig,
    folds: int,
    seed: int,
) -> CalibratedHead:
    """Out-of-fold logits → temperature; then the head on all of train with that temperature.

    The kernel matrix is computed once; each fold trains on a sub-block of it.
    """
    gram = joint_gram(data.embeddings, data.ngrams, config)
    fold_of = stratified_folds(labels, folds, seed)
    oof = np.zeros((len(labels), len(classes)), dtype=np.float32)
    for fold in range(folds):
        held = np.flatnonzero(fold_of == fold)
        kept = np.flatnonzero(fold_of != fold)
        dual, bias = fit_dual(gram[np.ix_(kept, kept)], labels[kept], len(classes), config)
        oof[held] = (gram[np.ix_(held, kept)] @ dual + bias).astype(np.float32)
    temperature = fit_temperature(oof, labels)
    dual, bias = fit_dual(gram, labels, len(classes), config)
    head = head_from_dual(classes, dual, bias, data.embeddings, data.ngrams, config)
    return CalibratedHead(
        head.with_temperature(temperature),
        oof,
        expected_calibration_error(softmax(oof), labels),
        expected_calibration_error(softmax(oof / np.float32(temperature)), labels),
    )


def corpus_counts(examples: Sequence[LabelledExample]) -> dict[str, dict[str, int]]:
    counts: dict[str, Counter[str]] = {}
    for e in examples:
        counts.setdefault(e.lang, Counter())[e.category.value] += 1
    return {lang: dict(sorted(c.items())) for lang, c in sorted(counts.items())}


def train_classifier(
    train: Sequence[LabelledExample],
    dev: Sequence[LabelledExample],
    encoder: SentenceEncoder,
    config: TrainingConfig,
    provenance: dict[str, Any],
) -> ClassifierArtifacts:
    """Fit everything on `train`, measure on `dev`, return artifacts with their manifest."""
    if not train:
        raise LabelledDataError("the training split is empty")
    data = encode_examples(train, encoder, config.features)
    cat_labels = np.array([CATEGORY_ORDER.index(e.category.value) for e in train], dtype=np.int64)
    sev_labels = np.array([SEVERITY_ORDER.index(e.severity.value) for e in train], dtype=np.int64)
    category = fit_calibrated_head(
        CATEGORY_ORDER, cat_labels, data, config.category, config.folds, config.seed
    )
    severity = fit_calibrated_head(
        SEVERITY_ORDER, sev_labels, data, config.severity, config.folds, config.seed + 1000
    )
    language_identifier = LanguageIdentifier.train([e.text for e in train], [e.lang for e in train])
    manifest: dict[str, Any] = {
        "format": ARTIFACT_FORMAT,
        **provenance,
        "seed": config.seed,
        "encoder_id": encoder.encoder_id,
        "features": {"orders": list(config.features.orders), "bits": config.features.bits},
        "heads": {
            name: {
                "classes": list(fitted.head.classes),
                "temperature": fitted.head.temperature,
                "config": asdict(head_config),
                "train_out_of_fold_ece": {
                    "before_scaling": round(fitted.out_of_fold_ece_before, 4),
                    "after_scaling": round(fitted.out_of_fold_ece_after, 4),
                },
            }
            for name, fitted, head_config in (
                ("category", category, config.category),
                ("severity", severity, config.severity),
            )
        },
        "langid": {
            "orders": list(language_identifier.orders),
            "bits": language_identifier.bits,
            "languages": list(language_identifier.languages),
        },
        "train_counts": corpus_counts(train),
        "dev_counts": corpus_counts(dev),
    }
    artifacts = ClassifierArtifacts(
        features=config.features,
        category_head=category.head,
        severity_head=severity.head,
        language_identifier=language_identifier,
        encoder_id=encoder.encoder_id,
        manifest=manifest,
    )
    if dev:
        predictions = EmbeddedClassifier(artifacts, encoder).classify([e.text for e in dev])
        manifest["dev_metrics"] = _rounded(evaluate(dev, predictions))
    return artifacts


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


def train_from_corpus(
    corpus_dir: Path,
    out_dir: Path,
    encoder: SentenceEncoder,
    config: TrainingConfig,
    created_by: str,
) -> dict[str, Any]:
    """Read `*.train.jsonl` / `*.dev.jsonl` under corpus_dir, train, write artifacts."""
    train_files = split_files(corpus_dir, TRAIN_GLOB)
    dev_files = split_files(corpus_dir, DEV_GLOB)
    if not train_files:
        raise LabelledDataError(f"no {TRAIN_GLOB} files in {corpus_dir}")
    provenance = {
        "created_by": created_by,
        "corpus": {
            "sha256": corpus_sha256(train_files + dev_files),
            "train_files": [p.name for p in train_files],
            "dev_files": [p.name for p in dev_files],
        },
    }
    # One BLAS thread: thread count changes float summation order, and the same corpus and
    # seed must give byte-identical artifacts on any machine.
    with threadpool_limits(limits=1, user_api="blas"):
        artifacts = train_classifier(
            read_many(train_files), read_many(dev_files), encoder, config, provenance
        )
    save_artifacts(out_dir, artifacts)
    return artifacts.manifest
