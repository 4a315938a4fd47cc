"""What the complaint classifier returns, and the port the pipeline calls it through."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from classifiers.taxonomy import Category, Severity


@dataclass(frozen=True, slots=True)
class Classification:
    category: Category
    confidence: float  # calibrated probability of `category`
    language: str  # ISO 639-1, or "und" when undetermined
    severity: Severity
    scores: dict[str, float] = field(default_factory=dict)  # category -> probability

    def needs_review(self, threshold: float) -> bool:
        """Below the threshold a human confirms the routing instead of trusting it."""
        return self.confidence < threshold


class ComplaintClassifier(Protocol):
    """Port for classification; the embedded model and test fakes both satisfy it."""

    def classify(
        self, texts: Sequence[str], langs: Sequence[str | None] | None = None
    ) -> list[Classification]:
        """Classify a batch, same order as the input. `langs` are optional hints."""
        ...
