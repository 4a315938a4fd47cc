"""The embedded complaint classifier: encoder + n-grams → calibrated category and severity.

Artifacts (written by `caretriage train`, committed under classifiers/artifacts/):
`manifest.json` (feature spec, classes, temperatures, encoder id, corpus hash, dev
metrics), `heads.npz` (head weights) and `langid.npz` (language model). No pickle.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from classifiers.encoders import EncoderError, SentenceEncoder, default_encoder
from classifiers.features import SparseRows, TopicFeatureSpec, clip_text
from classifiers.heads import SoftmaxHead, softmax
from classifiers.langid import (
    DEFAULT_ARTIFACTS_DIR,
    LANGID_FILE,
    UNDETERMINED,
    LanguageIdentifier,
    LanguageModelError,
)
from classifiers.npz_io import NpzError, read_npz, write_npz
from classifiers.result import Classification
from classifiers.taxonomy import LANGUAGES, Category, Severity

MANIFEST_FILE = "manifest.json"
HEADS_FILE = "heads.npz"
ARTIFACT_FORMAT = 1
# Encoding is batched; this many texts per encoder call keeps memory flat on big inputs.
BATCH_SIZE = 256


class ClassifierError(Exception):
    """The classifier's artifacts are missing, malformed or made for another encoder."""


@dataclass(frozen=True, slots=True)
class ClassifierArtifacts:
    features: TopicFeatureSpec
    category_head: SoftmaxHead
    severity_head: SoftmaxHead
    language_identifier: LanguageIdentifier
    encoder_id: str
    manifest: dict[str, Any]


def empty_text_result() -> Classification:
    """What an empty (or whitespace-only) message gets: no evidence, so a human looks.

    Uniform scores keep `confidence` (1/7) below any sensible review threshold, and the
    category is `not_privacy` so nothing is routed to a privacy queue on no evidence.
    """
    share = round(1.0 / len(Category), 6)
    return Classification(
        category=Category.NOT_PRIVACY,
        confidence=share,
        language=UNDETERMINED,
        severity=Severity.LOW,
        scores={c.value: share for c in Category},
    )


class EmbeddedClassifier:
    """Satisfies classifiers.result.ComplaintClassifier."""

    def __init__(self, artifacts: ClassifierArtifacts, encoder: SentenceEncoder) -> None:
        if encoder.encoder_id != artifacts.encoder_id:
            raise ClassifierError(
                f"artifacts were trained with encoder {artifacts.encoder_id!r}, "
                f"but the classifier was given {encoder.encoder_id!r}; retrain with "
                "`caretriage train`"
            )
        self.artifacts = artifacts
        self.encoder = encoder
        # Both heads read the same features: one stacked head gathers the n-gram weights
        # once per batch instead of twice.
        self._stacked = stack_heads(artifacts.category_head, artifacts.severity_head)
        self._n_categories = len(artifacts.category_head.classes)

    def probabilities(
        self, texts: Sequence[str]
    ) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
        """Calibrated (category, severity) probabilities for non-empty texts."""
        clipped = [clip_text(t) for t in texts]
        embeddings = self.encoder.encode(clipped)
        ngrams: SparseRows = self.artifacts.features.transform(clipped)
        logits = self._stacked.logits(embeddings, ngrams)
        k = self._n_categories
        return (
            softmax(logits[:, :k] / np.float32(self.artifacts.category_head.temperature)),
            softmax(logits[:, k:] / np.float32(self.artifacts.severity_head.temperature)),
        )

    def classify(
        self, texts: Sequence[str], langs: Sequence[str | None] | None = None
    ) -> list[Classification]:
        if langs is not None and len(langs) != len(texts):
            raise ValueError(f"got {len(texts)} texts but {len(langs)} language hints")
        results: list[Classification | None] = [None] * len(texts)
        todo = [i for i, t in enumerate(texts) if t.strip()]
        for start in range(0, len(todo), BATCH_SIZE):
            batch = todo[start : start + BATCH_SIZE]
            self._classify_batch(texts, langs, batch, results)
        return [r if r is not None else empty_text_result() for r in results]

    def _classify_batch(
        self,
        texts: Sequence[str],
        langs: Sequence[str | None] | None,
        batch: list[int],
        results: list[Classification | None],
    ) -> None:
        batch_texts = [texts[i] for i in batch]
        category_probs, severity_probs = self.probabilities(batch_texts)
        detected = self.artifacts.language_identifier.detect(batch_texts)
        categories = self.artifacts.category_head.classes
        severities = self.artifacts.severity_head.classes
        for row, i in enumerate(batch):
            hint = langs[i] if langs is not None else None
            language = hint if hint in LANGUAGES else detected[row]
            cat_row = category_probs[row]
            best = int(np.argmax(cat_row))
            results[i] = Classification(
                category=Category(categories[best]),
                confidence=float(cat_row[best]),
                language=language if language is not None else UNDETERMINED,
                severity=Severity(severities[int(np.argmax(severity_probs[row]))]),
                scores={c: round(float(p), 6) for c, p in zip(categories, cat_row, strict=True)},
            )


def stack_heads(first: SoftmaxHead, second: SoftmaxHead) -> SoftmaxHead:
    """One head whose logits are [first's | second's] (temperatures not applied).

    A head without a feature block (0 rows) contributes zero weights for it.
    """

    def side_by_side(a: npt.NDArray[np.float32], b: npt.NDArray[np.float32]) -> Any:
        rows = max(a.shape[0], b.shape[0])
        padded = [
            w if w.shape[0] == rows else np.zeros((rows, w.shape[1]), np.float32) for w in (a, b)
        ]
        return np.ascontiguousarray(np.hstack(padded))

    return SoftmaxHead(
        first.classes + second.classes,
        side_by_side(first.dense_w, second.dense_w),
        side_by_side(first.sparse_w, second.sparse_w),
        np.concatenate([first.bias, second.bias]),
    )


def _head_from(
    arrays: dict[str, npt.NDArray[Any]], prefix: str, meta: dict[str, Any]
) -> SoftmaxHead:
    return SoftmaxHead(
        classes=tuple(str(c) for c in meta["classes"]),
        dense_w=arrays[f"{prefix}.dense_w"].astype(np.float32),
        sparse_w=arrays[f"{prefix}.sparse_w"].astype(np.float32),
        bias=arrays[f"{prefix}.bias"].astype(np.float32),
        temperature=float(meta["temperature"]),
    )


def head_arrays(prefix: str, head: SoftmaxHead) -> dict[str, npt.NDArray[np.float32]]:
    return {
        f"{prefix}.dense_w": head.dense_w,
        f"{prefix}.sparse_w": head.sparse_w,
        f"{prefix}.bias": head.bias,
    }


def save_artifacts(out_dir: Path, artifacts: ClassifierArtifacts) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    write_npz(
        out_dir / HEADS_FILE,
        {
            **head_arrays("category", artifacts.category_head),
            **head_arrays("severity", artifacts.severity_head),
        },
    )
    artifacts.language_identifier.save(out_dir / LANGID_FILE)
    text = json.dumps(artifacts.manifest, indent=2, sort_keys=True, ensure_ascii=False)
    (out_dir / MANIFEST_FILE).write_text(text + "\n", encoding="utf-8")


def read_artifacts(artifacts_dir: Path) -> ClassifierArtifacts:
    manifest_path = artifacts_dir / MANIFEST_FILE
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ClassifierError(
            f"cannot read classifier manifest {manifest_path}: {exc}; "
            "run `caretriage train` to build the artifacts"
        ) from exc
    try:
        if manifest["format"] != ARTIFACT_FORMAT:
            raise ClassifierError(
                f"{manifest_path}: artifact format {manifest['format']} is not supported "
                f"(expected {ARTIFACT_FORMAT}); retrain with `caretriage train`"
            )
        arrays = read_npz(artifacts_dir / HEADS_FILE)
        features = TopicFeatureSpec(
            orders=tuple(manifest["features"]["orders"]), bits=int(manifest["features"]["bits"])
        )
        return ClassifierArtifacts(
            features=features,
            category_head=_head_from(arrays, "category", manifest["heads"]["category"]),
            severity_head=_head_from(arrays, "severity", manifest["heads"]["severity"]),
            language_identifier=LanguageIdentifier.load(artifacts_dir / LANGID_FILE),
            encoder_id=str(manifest["encoder_id"]),
            manifest=manifest,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ClassifierError(f"{artifacts_dir}: malformed classifier artifacts ({exc!r})") from exc
    except (NpzError, LanguageModelError) as exc:
        raise ClassifierError(str(exc)) from exc


# (artifacts dir, id of the encoder or 0) -> (that encoder, kept alive so its id stays
# unique, and the classifier). Loading is cached because tests and the pipeline call
# load_classifier() repeatedly; artifacts do not change while a process runs.
_LOADED: dict[tuple[Path, int], tuple[SentenceEncoder | None, EmbeddedClassifier]] = {}
_LOCK = threading.Lock()


def load_classifier(
    artifacts_dir: Path | None = None, encoder: SentenceEncoder | None = None
) -> EmbeddedClassifier:
    """The trained classifier; cached per (artifacts dir, encoder instance).

    Without arguments: the shipped artifacts and the shared embedded USE encoder.
    """
    directory = (artifacts_dir or DEFAULT_ARTIFACTS_DIR).resolve()
    key = (directory, 0 if encoder is None else id(encoder))
    with _LOCK:
        if key not in _LOADED:
            artifacts = read_artifacts(directory)
            try:
                chosen = encoder if encoder is not None else default_encoder()
            except EncoderError as exc:
                raise ClassifierError(f"cannot load the sentence encoder: {exc}") from exc
            _LOADED[key] = (encoder, EmbeddedClassifier(artifacts, chosen))
        return _LOADED[key][1]
