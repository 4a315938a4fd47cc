"""Durations and legal periods: the values SLA clocks are built from.

A Duration is an internal target or a plain amount of time; a LegalPeriod is a statutory
maximum with its extension and the source it comes from (reference/domain-facts.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

# Units a statute uses. "months" follows the calendar-date method (31 Jan + 1 month = end
# of February), as the ICO and the EDPB read "one month".
LEGAL_UNITS: Final[frozenset[str]] = frozenset({"calendar_days", "working_days", "months", "hours"})
# Internal targets may also be set in minutes or in business hours of a queue's calendar.
DURATION_UNITS: Final[frozenset[str]] = LEGAL_UNITS | {"minutes", "business_hours"}

_UNIT_LABELS: Final[dict[str, tuple[str, str]]] = {
    "calendar_days": ("calendar day", "calendar days"),
    "working_days": ("working day", "working days"),
    "months": ("month", "months"),
    "hours": ("hour", "hours"),
    "minutes": ("minute", "minutes"),
    "business_hours": ("business hour", "business hours"),
}


@dataclass(frozen=True)
class Duration:
    amount: int
    unit: str

    def __post_init__(self) -> None:
        if self.unit not in DURATION_UNITS:
            raise ValueError(
                f"unknown duration unit {self.unit!r}; expected one of {sorted(DURATION_UNITS)}"
            )
        if self.amount < 0:
            raise ValueError(f"duration amount must be >= 0, got {self.amount}")

    def label(self) -> str:
        singular, plural = _UNIT_LABELS[self.unit]
        return f"{self.amount} {singular if self.amount == 1 else plural}"


@dataclass(frozen=True)
class LegalPeriod:
    """A statutory period. `verified` is False for items domain-facts marks ❓."""

    amount: int
    unit: str
    extension_amount: int | None
    extension_unit: str | None
    source: str
    verified: bool
    basis: str = ""
    note: str = ""
    # True only where the law lets the clock stop while waiting for the customer (e.g. the
    # ICO: the SAR clock runs from receipt of ID when ID is genuinely needed).
    pausable: bool = False

    def __post_init__(self) -> None:
        if self.unit not in LEGAL_UNITS:
            raise ValueError(
                f"unknown legal unit {self.unit!r}; expected one of {sorted(LEGAL_UNITS)}"
            )
        if self.amount < 0:
            raise ValueError(f"legal period amount must be >= 0, got {self.amount}")
        if (self.extension_amount is None) != (self.extension_unit is None):
            raise ValueError("extension_amount and extension_unit must be given together")
        if self.extension_unit is not None and self.extension_unit not in LEGAL_UNITS:
            raise ValueError(
                f"unknown extension unit {self.extension_unit!r}; "
                f"expected one of {sorted(LEGAL_UNITS)}"
            )
        if self.extension_amount is not None and self.extension_amount <= 0:
            raise ValueError(f"extension amount must be > 0, got {self.extension_amount}")

    @property
    def base(self) -> Duration:
        return Duration(self.amount, self.unit)

    @property
    def extension(self) -> Duration | None:
        if self.extension_amount is None or self.extension_unit is None:
            return None
        return Duration(self.extension_amount, self.extension_unit)

    def label(self) -> str:
        text = self.base.label()
        extension = self.extension
        if extension is not None:
            text += f" (+{extension.label()})"
        if not self.verified:
            text += " [unverified]"
        return text
