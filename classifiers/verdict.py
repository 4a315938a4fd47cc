"""What the reply guard returns for one draft."""

from __future__ import annotations

from dataclasses import dataclass, field

from classifiers.taxonomy import Claim


@dataclass(frozen=True, slots=True)
class Violation:
    claim: Claim
    start: int  # character offsets into the ORIGINAL draft text
    end: int
    reason: str  # why it is false or forbidden, in the draft's language
    suggestion: str  # compliant wording, in the draft's language


@dataclass(frozen=True, slots=True)
class Verdict:
    violations: tuple[Violation, ...] = field(default_factory=tuple)
    language: str = "und"

    @property
    def allowed(self) -> bool:
        return not self.violations
