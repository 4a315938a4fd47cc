"""Evaluate the reply guard on labelled drafts: recall, false blocks, confusion by claim.

Draft files are JSON Lines: {"text", "lang", "claims": [...], "jurisdiction"?, "public"?}.
A forbidden draft (non-empty ``claims``) counts as caught when the guard blocks it; the
confusion table says which claims were reported for each expected claim.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from classifiers.guard.guard import ReplyGuard
from classifiers.taxonomy import LANGUAGES, Claim

DRAFTS_DIR = Path(__file__).resolve().parent.parent / "data" / "guard"
TRAIN_FILE = DRAFTS_DIR / "train.jsonl"
# Every train*.jsonl: the first set, then hand-written look-alikes and paraphrases
# (train2), then per-language sets (train3_<lang>); sorted so training is reproducible.
TRAIN_FILES = tuple(sorted(DRAFTS_DIR.glob("train*.jsonl")))
DEV_FILE = DRAFTS_DIR / "test.jsonl"  # written with the rules; the dev split, never trained on
HELD_OUT_FILE = DRAFTS_DIR / "heldout.jsonl"  # independent, written by someone else


def default_eval_file() -> Path:
    """The independent held-out drafts when present, else the dev drafts."""
    return HELD_OUT_FILE if HELD_OUT_FILE.exists() else DEV_FILE


class DraftFileError(ValueError):
    """A labelled-draft file is malformed; the message names the file, line and field."""


@dataclass(frozen=True, slots=True)
class LabelledDraft:
    text: str
    lang: str
    claims: tuple[Claim, ...]
    jurisdiction: str | None = None
    public: bool = False


def read_drafts(path: Path) -> list[LabelledDraft]:
    drafts: list[LabelledDraft] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DraftFileError(f"{path}: cannot read: {exc}") from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DraftFileError(f"{where}: invalid JSON: {exc.msg}") from exc
        if not isinstance(raw, dict):
            raise DraftFileError(f"{where}: expected a JSON object")
        text, lang, claims = raw.get("text"), raw.get("lang"), raw.get("claims")
        if not isinstance(text, str) or not isinstance(lang, str):
            raise DraftFileError(f"{where}: `text` and `lang` must be strings")
        if lang not in LANGUAGES:
            raise DraftFileError(f"{where}: `lang` {lang!r} is not one of {LANGUAGES}")
        if not isinstance(claims, list):
            raise DraftFileError(f"{where}: `claims` must be a list")
        try:
            parsed = tuple(Claim(c) for c in claims)
        except ValueError as exc:
            raise DraftFileError(f"{where}: unknown claim in `claims`: {exc}") from exc
        jurisdiction = raw.get("jurisdiction")
        if jurisdiction is not None and not isinstance(jurisdiction, str):
            raise DraftFileError(f"{where}: `jurisdiction` must be a string")
        public = raw.get("public", False)
        if not isinstance(public, bool):
            raise DraftFileError(f"{where}: `public` must be true or false")
        drafts.append(LabelledDraft(text, lang, parsed, jurisdiction, public))
    return drafts


@dataclass
class LanguageScore:
    forbidden: int = 0
    caught: int = 0
    allowed: int = 0
    false_blocks: int = 0

    @property
    def recall(self) -> float:
        return self.caught / self.forbidden if self.forbidden else 1.0

    @property
    def false_block_rate(self) -> float:
        return self.false_blocks / self.allowed if self.allowed else 0.0


@dataclass
class GuardEvaluation:
    by_language: dict[str, LanguageScore] = field(default_factory=dict)
    confusion: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    misses: list[tuple[str, str, list[str]]] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {
            "by_language": {
                lang: {
                    "forbidden": s.forbidden,
                    "recall": round(s.recall, 4),
                    "allowed": s.allowed,
                    "false_block_rate": round(s.false_block_rate, 4),
                }
                for lang, s in sorted(self.by_language.items())
            },
            "confusion": {k: dict(v) for k, v in sorted(self.confusion.items())},
            "errors": [{"lang": lang, "text": text, "got": got} for lang, text, got in self.misses],
        }


def evaluate(guard: ReplyGuard, drafts: Iterable[LabelledDraft]) -> GuardEvaluation:
    result = GuardEvaluation()
    for draft in drafts:
        verdict = guard.check(draft.text, draft.lang, draft.jurisdiction, draft.public)
        got = sorted({v.claim.value for v in verdict.violations})
        score = result.by_language.setdefault(draft.lang, LanguageScore())
        expected = sorted({c.value for c in draft.claims})
        for claim in expected or ["(allowed)"]:
            for reported in got or ["(allowed)"]:
                result.confusion[claim][reported] += 1
        if expected:
            score.forbidden += 1
            if not verdict.allowed:
                score.caught += 1
            else:
                result.misses.append((draft.lang, draft.text, got))
        else:
            score.allowed += 1
            if not verdict.allowed:
                score.false_blocks += 1
                result.misses.append((draft.lang, draft.text, got))
    return result
