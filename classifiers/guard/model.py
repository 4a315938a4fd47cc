"""The reply guard's trained clause model: sentence embedding + rule evidence → claim.

Each clause (classifiers.guard.clauses) becomes one feature row: the USE embedding of
the normalised clause, then the scope evidence the rules found (negator, belief frame,
following denial, question), then hashed word uni- and bigrams of the clause in which every
word after a negator is marked as negated ("~word"), so "no ~compartimos ~datos" and
"compartimos datos" are different evidence. A small wide-and-deep softmax head
(classifiers.guard.head: embedding and scope through a hidden layer, n-grams linear)
gives P(none) and P(claim) for the eleven cue claims. Deadlines and personal data stay
rule-only.

Artifacts (written by `caretriage train-guard`, committed under
classifiers/artifacts/guard/): ``guard_head.npz`` (weights, no pickle) and
``guard_manifest.json`` (classes, feature layout, thresholds, encoder id, data hashes,
dev metrics). A manifest made for another encoder is refused.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from classifiers.encoders import EncoderError, SentenceEncoder
from classifiers.guard.clauses import CUE_CLAIMS, Clause
from classifiers.guard.head import ClauseHead
from classifiers.guard.lexicon import NEGATOR_PATTERN
from classifiers.npz_io import NpzError, read_npz, write_npz
from classifiers.taxonomy import Claim

FloatArray = npt.NDArray[np.float32]

ARTIFACTS_DIR = Path(__file__).resolve().parent.parent / "artifacts" / "guard"
HEAD_FILE = "guard_head.npz"
MANIFEST_FILE = "guard_manifest.json"
ARTIFACT_FORMAT = 2
WIDE_BUCKETS = 2048  # hashed n-gram columns; collisions are rare at clause length
NONE_CLASS = "none"
CLASSES: tuple[str, ...] = (NONE_CLASS, *(c.value for c in CUE_CLAIMS))
# Which cues matched is deliberately NOT a feature: the lexicon is written against the
# training drafts, so a head that sees its verdicts learns to trust it and adds nothing
# where it misses. The head sees the scope evidence only.
RULE_FEATURES: tuple[str, ...] = ("negator", "frame", "denied", "question")


class GuardModelError(Exception):
    """The clause model's artifacts are missing, malformed or made for another encoder."""


@dataclass(frozen=True, slots=True)
class Thresholds:
    """When a model claim blocks: ``claim`` normally (or the claim's own entry in
    ``per_claim``, chosen on out-of-fold predictions by `caretriage train-guard`), and
    ``protected`` when the rules found a negation, correction frame, denial or question
    around it (or cleared the same cue)."""

    claim: float = 0.5
    protected: float = 0.97
    per_claim: tuple[tuple[str, float], ...] = ()

    def for_claim(self, claim: Claim) -> float:
        return dict(self.per_claim).get(claim.value, self.claim)

    def as_json(self) -> dict[str, Any]:
        return {
            "claim": self.claim,
            "protected": self.protected,
            "per_claim": dict(self.per_claim),
        }


def rule_features(clauses: Sequence[Clause]) -> FloatArray:
    rows = np.zeros((len(clauses), len(RULE_FEATURES)), dtype=np.float32)
    for i, clause in enumerate(clauses):
        rows[i] = (clause.has_negator, clause.has_frame, clause.denied, clause.is_question)
    return rows


_WORD = re.compile(r"\w+")


def _negation_marked_words(text: str) -> list[str]:
    words = _WORD.findall(text.casefold())
    marked: list[str] = []
    negated = False
    for i, word in enumerate(words):
        marked.append(f"~{word}" if negated else word)
        # "don't" / "can't" split into "don" + "t"
        if NEGATOR_PATTERN.fullmatch(word) or (word == "t" and i and words[i - 1].endswith("n")):
            negated = True
    return marked


def ngram_features(clauses: Sequence[Clause]) -> FloatArray:
    """Hashed, negation-marked word uni- and bigrams per clause, L2-normalised."""
    rows = np.zeros((len(clauses), WIDE_BUCKETS), dtype=np.float32)
    for i, clause in enumerate(clauses):
        words = _negation_marked_words(clause.norm_text)
        grams = {*words, *(f"{a} {b}" for a, b in pairwise(words))}
        for gram in grams:
            rows[i, zlib.crc32(gram.encode("utf-8")) % WIDE_BUCKETS] = 1.0
        total = float(np.linalg.norm(rows[i]))
        if total:
            rows[i] /= total
    return rows


def clause_features(clauses: Sequence[Clause], encoder: SentenceEncoder) -> FloatArray:
    """One row per clause: [embedding of the normalised clause | rule evidence | n-grams];
    the last WIDE_BUCKETS columns are the head's linear (wide) part."""
    vectors = encoder.encode([c.norm_text for c in clauses])
    return np.hstack([vectors, rule_features(clauses), ngram_features(clauses)]).astype(
        np.float32
    )


@dataclass(frozen=True, slots=True)
class ClauseModel:
    encoder: SentenceEncoder
    head: ClauseHead
    thresholds: Thresholds
    manifest: dict[str, Any]

    def probabilities(self, clauses: Sequence[Clause]) -> FloatArray:
        """(len(clauses), len(CLASSES)) class probabilities."""
        if not clauses:
            return np.zeros((0, len(CLASSES)), dtype=np.float32)
        return self.head.probabilities(clause_features(clauses, self.encoder))

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        write_npz(
            directory / HEAD_FILE,
            {
                "w1": self.head.w1,
                "b1": self.head.b1,
                "w2": self.head.w2,
                "b2": self.head.b2,
                "w3": self.head.w3,
            },
        )
        text = json.dumps(self.manifest, indent=2, sort_keys=True, ensure_ascii=False)
        (directory / MANIFEST_FILE).write_text(text + "\n", encoding="utf-8")


def build_manifest(
    encoder_id: str,
    thresholds: Thresholds,
    extra: dict[str, Any],
) -> dict[str, Any]:
    return {
        "format": ARTIFACT_FORMAT,
        "encoder_id": encoder_id,
        "classes": list(CLASSES),
        "rule_features": list(RULE_FEATURES),
        "wide_features": {"kind": "hashed negation-marked word 1-2 grams", "buckets": WIDE_BUCKETS},
        "thresholds": thresholds.as_json(),
        **extra,
    }


def load_clause_model(encoder: SentenceEncoder, directory: Path = ARTIFACTS_DIR) -> ClauseModel:
    manifest_path = directory / MANIFEST_FILE
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise GuardModelError(f"cannot read {manifest_path}: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise GuardModelError(f"{manifest_path}: invalid JSON: {exc.msg}") from exc
    if not isinstance(manifest, dict):
        raise GuardModelError(f"{manifest_path}: expected a JSON object")
    if manifest.get("format") != ARTIFACT_FORMAT:
        raise GuardModelError(f"{manifest_path}: unsupported format {manifest.get('format')!r}")
    if manifest.get("encoder_id") != encoder.encoder_id:
        raise GuardModelError(
            f"{manifest_path}: trained with encoder {manifest.get('encoder_id')!r}, "
            f"but the encoder in use is {encoder.encoder_id!r}; run `caretriage train-guard`"
        )
    if manifest.get("classes") != list(CLASSES) or manifest.get("rule_features") != list(
        RULE_FEATURES
    ):
        raise GuardModelError(
            f"{manifest_path}: classes or features differ from this version of the guard; "
            "run `caretriage train-guard`"
        )
    try:
        arrays = read_npz(directory / HEAD_FILE)
        head = ClauseHead(
            w1=arrays["w1"].astype(np.float32),
            b1=arrays["b1"].astype(np.float32),
            w2=arrays["w2"].astype(np.float32),
            b2=arrays["b2"].astype(np.float32),
            w3=arrays["w3"].astype(np.float32),
        )
    except NpzError as exc:
        raise GuardModelError(str(exc)) from exc
    except KeyError as exc:
        raise GuardModelError(f"{directory / HEAD_FILE}: missing array {exc}") from exc
    width = encoder.dim + len(RULE_FEATURES) + WIDE_BUCKETS
    if (
        head.inputs != width
        or head.wide != WIDE_BUCKETS
        or head.w2.shape[1] != len(CLASSES)
        or head.w3.shape[1] != len(CLASSES)
    ):
        raise GuardModelError(
            f"{directory / HEAD_FILE}: weight shapes do not match {width} features "
            f"and {len(CLASSES)} classes"
        )
    raw = manifest.get("thresholds", {})
    try:
        per_claim = raw.get("per_claim", {})
        known = {c for c in CLASSES if c != NONE_CLASS}
        if not isinstance(per_claim, dict) or not set(per_claim) <= known:
            raise ValueError(f"`per_claim` must map claims among {sorted(known)} to numbers")
        thresholds = Thresholds(
            float(raw["claim"]),
            float(raw["protected"]),
            tuple((name, float(value)) for name, value in sorted(per_claim.items())),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise GuardModelError(f"{manifest_path}: bad `thresholds`: {exc}") from exc
    return ClauseModel(encoder, head, thresholds, manifest)


def load_default_model(directory: Path = ARTIFACTS_DIR) -> ClauseModel:
    """The shipped clause model on the embedded encoder."""
    from classifiers.encoders import default_encoder

    try:
        encoder = default_encoder()
    except EncoderError as exc:
        raise GuardModelError(f"the guard's clause model needs its encoder: {exc}") from exc
    return load_clause_model(encoder, directory)


def claim_of(index: int) -> Claim | None:
    name = CLASSES[index]
    return None if name == NONE_CLASS else Claim(name)
