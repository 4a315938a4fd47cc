"""How the clause model's probabilities become violations, next to the rules (pure).

The rules stay authoritative about negation: a model claim in a clause where the rules
saw a negator (for a positive claim), a belief / correction frame, a following denial, a
question, or a cue of the same claim that they cleared is only kept when the model is
highly confident (``Thresholds.protected``). Elsewhere ``Thresholds.claim`` applies.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from classifiers.guard.clauses import POSITIVE_CLAIMS, Clause
from classifiers.guard.model import CLASSES, NONE_CLASS, Thresholds
from classifiers.taxonomy import Claim

GuardMode = Literal["rules", "model", "combined"]
GUARD_MODES: tuple[GuardMode, ...] = ("rules", "model", "combined")


@dataclass(frozen=True, slots=True)
class ModelHit:
    claim: Claim
    clause: Clause
    probability: float


def protected(clause: Clause, claim: Claim) -> bool:
    """Whether the rules found evidence that this clause denies or reports the claim.

    A bare negator somewhere in the clause is not enough ("your provider will never fix
    it, switch to us" is still the claim); it counts through the cue it governs, or when
    it leads the clause of a positive claim ("Nobody here can open any file they like").
    """
    return (
        claim in clause.cue_claims(cleared=True)
        or (claim in POSITIVE_CLAIMS and clause.leading_negator)
        or clause.has_frame
        or clause.denied
        or clause.is_question
    )


def model_hits(
    clauses: Sequence[Clause],
    probabilities: npt.NDArray[np.float32],
    thresholds: Thresholds,
    respect_rules: bool = True,
) -> list[ModelHit]:
    """The best claim per clause when it clears its threshold; one hit per claim (first)."""
    hits: dict[Claim, ModelHit] = {}
    for clause, row in zip(clauses, probabilities, strict=True):
        best = max(
            (i for i, name in enumerate(CLASSES) if name != NONE_CLASS),
            key=lambda i: float(row[i]),
        )
        claim = Claim(CLASSES[best])
        probability = float(row[best])
        needed = (
            thresholds.protected
            if respect_rules and protected(clause, claim)
            else thresholds.for_claim(claim)
        )
        if probability >= needed and claim not in hits:
            hits[claim] = ModelHit(claim, clause, probability)
    return list(hits.values())
