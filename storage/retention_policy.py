"""How long stored personal data is kept, per message category (pure values, no I/O).

A ticket's personal data (message texts, attachments, chat ids, evidence values, drafts,
outbound texts) is purged once the ticket has been idle for its category's retention
period; the pseudonymous skeleton (category, clocks, audit events) stays for reporting.

Default periods, from /work/shared/reference/domain-facts.md:

* `not_privacy` (chatter, look-alikes) — 30 days. It has no case purpose, and 152-FZ
  requires destroying personal data within 30 days once the purpose is achieved (§2 RU,
  "в срок, не превышающий тридцати дней"); GDPR controllers must state a period
  (art. 14(2)(a), row F26) and the shortest sourced one is the safe default.
* `data_rights_request`, `unknown_data_source`, `telemarketing_optout`,
  `debt_collection` — 365 days. The case file must survive the longest complaint
  escalation path the fact sheet lists: in Spain the customer has 3 months to take an
  unanswered complaint to the OAUT, which has 6 months to resolve it (§2 ES), and the
  Garante route opens after one to three months (§2 IT); a year covers both with margin.
* `staff_misuse`, `wholesale_data_misuse` — 1,827 days (5 years). Both are potential
  personal-data breaches (playbooks 5.A and 5.E), and the ANPD requires keeping the
  incident register for 5 years (Res. CD/ANPD 15/2024, §2 BR); 5.A also requires
  preserving evidence for HR, police and regulator proceedings.

These are defaults, not legal advice: `retention_days` in the settings overrides any of
them per deployment (e.g. after the DPO sets jurisdiction-specific periods).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import MappingProxyType

CATEGORIES = (
    "staff_misuse",
    "unknown_data_source",
    "debt_collection",
    "telemarketing_optout",
    "wholesale_data_misuse",
    "data_rights_request",
    "not_privacy",
)

FIVE_YEARS_DAYS = 5 * 365 + 2  # two leap days in any five-year span at most

DEFAULT_RETENTION_DAYS: Mapping[str, int] = MappingProxyType(
    {
        "not_privacy": 30,
        "data_rights_request": 365,
        "unknown_data_source": 365,
        "telemarketing_optout": 365,
        "debt_collection": 365,
        "staff_misuse": FIVE_YEARS_DAYS,
        "wholesale_data_misuse": FIVE_YEARS_DAYS,
    }
)

# Chatter is not a case: its texts are purged once idle even if nobody closed the ticket.
# Every other category is purged only after the ticket is resolved or closed.
CHATTER_CATEGORIES = frozenset({"not_privacy"})


class RetentionConfigError(ValueError):
    """The configured retention periods are unusable; the message names the entry."""


@dataclass(frozen=True, slots=True)
class RetentionPolicy:
    days: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_RETENTION_DAYS))

    @classmethod
    def from_overrides(cls, overrides: Mapping[str, int]) -> RetentionPolicy:
        """The defaults with `overrides` (category -> days) applied; unknown categories and
        non-positive periods are refused rather than silently ignored."""
        days = dict(DEFAULT_RETENTION_DAYS)
        for category, value in overrides.items():
            if category not in DEFAULT_RETENTION_DAYS:
                raise RetentionConfigError(
                    f"retention_days: unknown category {category!r} "
                    f"(expected one of {', '.join(CATEGORIES)})"
                )
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise RetentionConfigError(
                    f"retention_days.{category}: expected a whole number of days >= 1, "
                    f"got {value!r}"
                )
            days[category] = value
        return cls(MappingProxyType(days))

    def cutoff(self, category: str, now: datetime) -> datetime:
        """Tickets of `category` idle since before this instant are due for purging."""
        return now - timedelta(days=self.days[category])

    def purges_open_tickets(self, category: str) -> bool:
        return category in CHATTER_CATEGORIES
