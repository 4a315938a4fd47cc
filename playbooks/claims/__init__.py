"""Claim knowledge base: why each blocked statement is wrong and what to say instead.

Data: ``claims.toml`` next to this module, one table per claim with ``sources`` and one
sub-table per language holding ``reason`` and ``suggestion``. Placeholders ``{dpa}`` and
``{regulator}`` come from the jurisdiction table; ``{period}`` is passed by the caller.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from classifiers.taxonomy import LANGUAGES, Claim
from playbooks.errors import PlaybookDataError
from playbooks.jurisdictions import Jurisdiction

CLAIMS_FILE = Path(__file__).with_name("claims.toml")
FALLBACK_LANGUAGE = "en"


@dataclass(frozen=True, slots=True)
class ClaimText:
    reason: str
    suggestion: str


@dataclass(frozen=True, slots=True)
class ClaimEntry:
    claim: Claim
    sources: tuple[str, ...]
    texts: dict[str, ClaimText]


class _SafeFormat(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class ClaimKnowledgeBase:
    def __init__(self, entries: dict[Claim, ClaimEntry]) -> None:
        self._entries = entries

    def entry(self, claim: Claim) -> ClaimEntry:
        return self._entries[claim]

    def explain(
        self,
        claim: Claim,
        language: str,
        jurisdiction: Jurisdiction | None = None,
        period: str | None = None,
    ) -> ClaimText:
        """Reason and compliant wording in ``language`` (English when not covered)."""
        texts = self._entries[claim].texts
        text = texts.get(language) or texts[FALLBACK_LANGUAGE]
        values = _SafeFormat()
        if jurisdiction is not None:
            values["dpa"] = jurisdiction.dpa
            values["regulator"] = jurisdiction.telecom_regulator
        if period is not None:
            values["period"] = period
        return ClaimText(
            reason=text.reason.format_map(values),
            suggestion=text.suggestion.format_map(values),
        )


def _parse(raw: dict[str, object], path: Path) -> dict[Claim, ClaimEntry]:
    entries: dict[Claim, ClaimEntry] = {}
    for claim in Claim:
        table = raw.get(claim.value)
        if not isinstance(table, dict):
            raise PlaybookDataError(path, claim.value, "claim is missing")
        sources = table.get("sources")
        if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
            raise PlaybookDataError(path, f"{claim.value}.sources", "needs a list of strings")
        texts: dict[str, ClaimText] = {}
        for language in LANGUAGES:
            block = table.get(language)
            if not isinstance(block, dict):
                raise PlaybookDataError(path, f"{claim.value}.{language}", "language is missing")
            reason, suggestion = block.get("reason"), block.get("suggestion")
            if not isinstance(reason, str) or not isinstance(suggestion, str):
                raise PlaybookDataError(
                    path, f"{claim.value}.{language}", "needs string `reason` and `suggestion`"
                )
            texts[language] = ClaimText(reason, suggestion)
        entries[claim] = ClaimEntry(claim, tuple(sources), texts)
    return entries


@lru_cache(maxsize=4)
def load_claims(path: Path = CLAIMS_FILE) -> ClaimKnowledgeBase:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise PlaybookDataError(path, "", f"cannot read claim knowledge base: {exc}") from exc
    return ClaimKnowledgeBase(_parse(raw, path))
