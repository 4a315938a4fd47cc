"""Choosing the clause model's decision thresholds on out-of-fold predictions (pure).

The shipped guard must keep false blocks at or under a cap in EVERY language (agents stop
reading a guard that blocks correct replies), and within that cap catch as many forbidden
drafts as it can. Given out-of-fold clause probabilities, this module simulates the
combined decision (rules OR model) per draft and picks thresholds: first one global
threshold, then one per claim by coordinate search, each time the value with the best
mean recall whose false-block rate stays under each language's cap (the global cap, or
a little above what the rules alone block where they already exceed it; ties go to the
higher, safer threshold).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from classifiers.guard.model import CLASSES, NONE_CLASS, Thresholds

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

FALSE_BLOCK_CAP = 0.02
MODEL_ALLOWANCE = 0.01  # extra false blocks the model may add where the rules overshoot
PROTECTED_THRESHOLD = 0.97
_GRID = tuple(round(0.2 + 0.02 * i, 2) for i in range(40))  # 0.20 … 0.98
_SEARCH_ROUNDS = 2


@dataclass(frozen=True, slots=True)
class OutOfFold:
    """What the simulation needs, per clause row and per draft."""

    probabilities: FloatArray  # (clauses, classes) out-of-fold
    protected: BoolArray  # (clauses, classes): the rules found a negation/frame for it
    owner: IntArray  # (clauses,) draft index
    languages: Sequence[str]  # per draft
    forbidden: BoolArray  # per draft
    rule_blocked: BoolArray  # per draft: the rules alone block it


@dataclass(frozen=True, slots=True)
class LanguageRates:
    recall: float
    false_block_rate: float


def model_blocked(data: OutOfFold, thresholds: Thresholds) -> BoolArray:
    """Per draft: whether any clause's best claim clears its threshold (as combine does)."""
    per_claim = np.array(
        [
            thresholds.protected if name == NONE_CLASS else dict(thresholds.per_claim).get(
                name, thresholds.claim
            )
            for name in CLASSES
        ]
    )
    rows = np.arange(len(data.owner))
    best = data.probabilities[:, 1:].argmax(axis=1) + 1
    chosen = data.probabilities[rows, best]
    needed = np.where(data.protected[rows, best], thresholds.protected, per_claim[best])
    blocked = np.zeros(len(data.languages), dtype=bool)
    np.logical_or.at(blocked, data.owner, chosen >= needed)
    return blocked


def rates(data: OutOfFold, blocked: BoolArray) -> dict[str, LanguageRates]:
    out: dict[str, LanguageRates] = {}
    languages = np.array(data.languages)
    for lang in sorted(set(data.languages)):
        mine = languages == lang
        forbidden, allowed = mine & data.forbidden, mine & ~data.forbidden
        out[lang] = LanguageRates(
            float(blocked[forbidden].mean()) if forbidden.any() else 1.0,
            float(blocked[allowed].mean()) if allowed.any() else 0.0,
        )
    return out


def language_caps(data: OutOfFold, cap: float) -> dict[str, float]:
    """Per language, the false-block rate the combined guard may reach: the cap, or, where
    the rules alone already exceed it, what the rules block plus MODEL_ALLOWANCE. Without
    this, one language whose rules overshoot would switch the model off everywhere."""
    rules_alone = rates(data, data.rule_blocked)
    return {
        lang: max(cap, r.false_block_rate + MODEL_ALLOWANCE) for lang, r in rules_alone.items()
    }


def _score(
    data: OutOfFold, thresholds: Thresholds, caps: dict[str, float]
) -> float | None:
    """Mean recall over languages of rules OR model; None when a language breaks its cap."""
    per_language = rates(data, data.rule_blocked | model_blocked(data, thresholds))
    if any(r.false_block_rate > caps[lang] for lang, r in per_language.items()):
        return None
    return float(np.mean([r.recall for r in per_language.values()]))


def choose_thresholds(
    data: OutOfFold,
    cap: float = FALSE_BLOCK_CAP,
    protected: float = PROTECTED_THRESHOLD,
) -> Thresholds:
    """Global, then per-claim thresholds that keep every language's false blocks under its
    cap (`language_caps`).

    When no threshold meets the cap the model is switched off in effect (threshold 1.01),
    so the combined guard falls back to the rules.
    """
    never = Thresholds(1.01, protected)
    caps = language_caps(data, cap)
    best: tuple[float, Thresholds] | None = None
    for value in _GRID:
        candidate = Thresholds(value, protected)
        score = _score(data, candidate, caps)
        if score is not None and (best is None or score > best[0]):
            best = (score, candidate)
    if best is None:
        return never
    global_value = best[1].claim
    per_claim = {name: global_value for name in CLASSES if name != NONE_CLASS}
    for _ in range(_SEARCH_ROUNDS):
        for name in per_claim:
            options: list[tuple[float, float]] = []
            for value in _GRID:
                trial = dict(per_claim, **{name: value})
                score = _score(
                    data, Thresholds(global_value, protected, tuple(trial.items())), caps
                )
                if score is not None:
                    options.append((score, value))
            if options:
                per_claim[name] = max(options)[1]
    return Thresholds(global_value, protected, tuple(sorted(per_claim.items())))
