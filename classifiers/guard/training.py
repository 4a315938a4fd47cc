"""Train the reply guard's clause model from labelled drafts (deterministic).

Labels are per draft, the model is per clause. A forbidden draft of one clause labels
that clause; in a longer draft the clause where the rules opened a cue of the claim is
the first guess (else all its clauses), then one round of multiple-instance relabelling
keeps only the clause the first model scores highest and leaves the draft's other
clauses out of training. Every clause of an allowed draft is a "none" example, so the
negated / corrected / quoted twins of each claim teach the head where the claim stops.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from classifiers.encoders import SentenceEncoder
from classifiers.guard.clauses import CUE_CLAIMS, Clause, split_clauses
from classifiers.guard.combine import protected
from classifiers.guard.evaluation import LabelledDraft, evaluate, read_drafts
from classifiers.guard.guard import ReplyGuard
from classifiers.guard.head import ClauseHead, HeadSettings, train_head
from classifiers.guard.model import (
    CLASSES,
    NONE_CLASS,
    WIDE_BUCKETS,
    ClauseModel,
    Thresholds,
    build_manifest,
    clause_features,
)
from classifiers.guard.thresholds import (
    FALSE_BLOCK_CAP,
    OutOfFold,
    choose_thresholds,
    model_blocked,
    rates,
)
from classifiers.taxonomy import Claim
from playbooks.claims import load_claims
from playbooks.jurisdictions import load_jurisdictions

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class EncodedDrafts:
    drafts: list[LabelledDraft]
    clauses: list[list[Clause]]
    features: FloatArray  # one row per clause, drafts in order
    owner: IntArray  # draft index of each row


def encode_drafts(drafts: Sequence[LabelledDraft], encoder: SentenceEncoder) -> EncodedDrafts:
    clauses = [split_clauses(d.text) for d in drafts]
    flat = [c for per_draft in clauses for c in per_draft]
    owner = np.array([i for i, per in enumerate(clauses) for _ in per], dtype=np.int64)
    return EncodedDrafts(list(drafts), clauses, clause_features(flat, encoder), owner)


def clause_labels(
    data: EncodedDrafts, probabilities: FloatArray | None = None
) -> tuple[IntArray, FloatArray]:
    """Class index and training weight per clause (weight 0: left out of training)."""
    labels = np.zeros(len(data.owner), dtype=np.int64)
    weights = np.ones(len(data.owner), dtype=np.float32)
    row = 0
    for draft, clauses in zip(data.drafts, data.clauses, strict=True):
        rows = list(range(row, row + len(clauses)))
        row += len(clauses)
        cue_claims = [c for c in draft.claims if c in CUE_CLAIMS]
        if not cue_claims or not rows:
            continue
        claim = cue_claims[0]
        index = CLASSES.index(claim.value)
        if probabilities is not None:
            chosen = [max(rows, key=lambda r: float(probabilities[r, index]))]
        else:
            opened = [r for r, c in zip(rows, clauses, strict=True) if claim in c.cue_claims(False)]
            chosen = opened[:1] or rows
        for r in rows:
            if r in chosen:
                labels[r] = index
            else:
                weights[r] = 0.0
    return labels, weights


def fit_head(data: EncodedDrafts, settings: HeadSettings) -> ClauseHead:
    labels, weights = clause_labels(data)
    first = train_head(data.features, labels, len(CLASSES), settings, weights)
    labels, weights = clause_labels(data, first.probabilities(data.features))
    return train_head(data.features, labels, len(CLASSES), settings, weights)


def subset(data: EncodedDrafts, keep: Sequence[int]) -> EncodedDrafts:
    keep_set = set(keep)
    rows = np.array([d in keep_set for d in data.owner], dtype=bool)
    remap = {old: new for new, old in enumerate(sorted(keep_set))}
    return EncodedDrafts(
        [data.drafts[i] for i in sorted(keep_set)],
        [data.clauses[i] for i in sorted(keep_set)],
        data.features[rows],
        np.array([remap[int(d)] for d in data.owner[rows]], dtype=np.int64),
    )


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def compare_modes(
    model: ClauseModel, drafts: Sequence[LabelledDraft]
) -> dict[str, dict[str, dict[str, float]]]:
    """Per mode and language: recall of forbidden drafts and false-block rate."""
    claims, jurisdictions = load_claims(), load_jurisdictions()
    report: dict[str, dict[str, dict[str, float]]] = {}
    for mode in ("rules", "model", "combined"):
        guard = ReplyGuard(claims, jurisdictions, model=model, mode=mode)
        result = evaluate(guard, drafts)
        report[mode] = {
            lang: {
                "recall": round(s.recall, 4),
                "false_block_rate": round(s.false_block_rate, 4),
            }
            for lang, s in sorted(result.by_language.items())
        }
    return report


def out_of_fold(
    data: EncodedDrafts, settings: HeadSettings, folds: int
) -> OutOfFold:
    """k-fold (by draft, seeded) clause probabilities plus the rule evidence per draft."""
    order = np.random.default_rng(settings.seed).permutation(len(data.drafts)) % folds
    probabilities = np.zeros((len(data.owner), len(CLASSES)), dtype=np.float32)
    for fold in range(folds):
        train_idx = [i for i in range(len(data.drafts)) if order[i] != fold]
        head = fit_head(subset(data, train_idx), settings)
        rows = order[data.owner] == fold
        probabilities[rows] = head.probabilities(data.features[rows])
    flat = [c for per_draft in data.clauses for c in per_draft]
    shielded = np.array(
        [[protected(c, Claim(name)) if name != NONE_CLASS else False for name in CLASSES]
         for c in flat],
        dtype=bool,
    ).reshape(len(flat), len(CLASSES))
    rules = ReplyGuard(load_claims(), load_jurisdictions(), mode="rules")
    rule_blocked = np.array(
        [not rules.check(d.text, d.lang, d.jurisdiction, d.public).allowed for d in data.drafts],
        dtype=bool,
    )
    return OutOfFold(
        probabilities,
        shielded,
        data.owner,
        [d.lang for d in data.drafts],
        np.array([bool(d.claims) for d in data.drafts], dtype=bool),
        rule_blocked,
    )


def cv_report(oof: OutOfFold, thresholds: Thresholds) -> dict[str, dict[str, dict[str, float]]]:
    """Per mode and language, recall and false-block rate of the out-of-fold decisions."""
    model = model_blocked(oof, thresholds)
    decisions = {"rules": oof.rule_blocked, "model": model, "combined": oof.rule_blocked | model}
    return {
        mode: {
            lang: {"recall": round(r.recall, 4), "false_block_rate": round(r.false_block_rate, 4)}
            for lang, r in rates(oof, blocked).items()
        }
        for mode, blocked in decisions.items()
    }


def read_training_drafts(files: Sequence[Path]) -> list[LabelledDraft]:
    return [draft for path in files for draft in read_drafts(path)]


def train_guard_model(
    train_files: Sequence[Path],
    dev_file: Path,
    encoder: SentenceEncoder,
    settings: HeadSettings | None = None,
    folds: int = 5,
    cap: float = FALSE_BLOCK_CAP,
) -> ClauseModel:
    """Train on ``train_files``; thresholds come from ``folds``-fold out-of-fold predictions
    (the false-block cap per language); the manifest records hashes, CV and dev figures."""
    if folds < 2:
        raise ValueError("choosing thresholds needs at least 2 folds")
    settings = replace(settings or HeadSettings(), wide=WIDE_BUCKETS)
    data = encode_drafts(read_training_drafts(train_files), encoder)
    oof = out_of_fold(data, settings, folds)
    thresholds = choose_thresholds(oof, cap)
    head = fit_head(data, settings)
    extra: dict[str, Any] = {
        "train_files": {path.name: file_sha256(path) for path in train_files},
        "train_drafts": len(data.drafts),
        "train_clauses": len(data.owner),
        "dev_file": dev_file.name,
        "dev_sha256": file_sha256(dev_file),
        "head": asdict(settings),
        "clause_input": "normalised clause text (classifiers.normalize)",
        "false_block_cap": cap,
        "cv_folds": folds,
        "cv_metrics": cv_report(oof, thresholds),
    }
    model = ClauseModel(encoder, head, thresholds, {})
    extra["dev_metrics"] = compare_modes(model, read_drafts(dev_file))
    manifest = build_manifest(encoder.encoder_id, thresholds, extra)
    return ClauseModel(encoder, head, thresholds, manifest)
