"""Language identification: multinomial naive Bayes over hashed character n-grams.

Trained by `caretriage train` from the corpus (the corpus `lang` field is the label) and
saved as `langid.npz`. Naive Bayes over 1–4-grams is robust on three-word DMs because
every character n-gram votes, and accents/letters specific to one language ("ñ", "ã",
"ß", "è") become decisive n-grams by themselves. Script is checked first: Cyrillic
text is Russian among our languages, and a text without letters has no language.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

from classifiers.features import ngram_counts, normalize_for_language
from classifiers.npz_io import NpzError, read_npz, write_npz

UNDETERMINED = "und"
LANGID_FILE = "langid.npz"
DEFAULT_ARTIFACTS_DIR = Path(__file__).resolve().parent / "artifacts"

_LETTER = re.compile(r"[^\W\d_]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# Texts with fewer letters than this say nothing reliable about their language.
_MIN_LETTERS = 2
_SMOOTHING = 0.1


class LanguageModelError(Exception):
    """The language-id artifact is missing or malformed."""


@dataclass(frozen=True, slots=True)
class LanguageIdentifier:
    languages: tuple[str, ...]
    orders: tuple[int, ...]
    bits: int
    log_probs: npt.NDArray[np.float32]  # (2**bits, n_languages)

    @classmethod
    def train(
        cls,
        texts: Sequence[str],
        langs: Sequence[str],
        orders: tuple[int, ...] = (1, 2, 3, 4),
        bits: int = 15,
    ) -> LanguageIdentifier:
        languages = tuple(sorted(set(langs)))
        index = {lang: i for i, lang in enumerate(languages)}
        counts = ngram_counts([normalize_for_language(t) for t in texts], orders, bits)
        label_of_row = np.array([index[lang] for lang in langs], dtype=np.int64)
        table = np.zeros((1 << bits, len(languages)), dtype=np.float64)
        np.add.at(table, (counts.indices, label_of_row[counts.row_ids]), counts.values)
        table += _SMOOTHING
        log_probs = np.log(table / table.sum(axis=0, keepdims=True)).astype(np.float32)
        return cls(languages, orders, bits, log_probs)

    def scores(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Log-likelihood of each text under each language, (n, n_languages)."""
        return self._scores_normalized([normalize_for_language(t) for t in texts])

    def _scores_normalized(self, normalized: list[str]) -> npt.NDArray[np.float32]:
        return ngram_counts(normalized, self.orders, self.bits).matmul(self.log_probs)

    def detect(self, texts: Sequence[str]) -> list[str]:
        """ISO 639-1 code per text, or "und" when the text gives no clue."""
        if not texts:
            return []
        normalized = [normalize_for_language(t) for t in texts]
        best = np.argmax(self._scores_normalized(normalized), axis=1)
        results: list[str] = []
        for text, choice in zip(normalized, best, strict=True):
            letters = _LETTER.findall(text)
            if len(letters) < _MIN_LETTERS:
                results.append(UNDETERMINED)
            elif "ru" in self.languages and sum(
                1 for ch in letters if _CYRILLIC.match(ch)
            ) * 2 > len(letters):
                results.append("ru")
            else:
                results.append(self.languages[int(choice)])
        return results

    def save(self, path: Path) -> None:
        write_npz(
            path,
            {
                "languages": np.array(self.languages),
                "orders": np.array(self.orders, dtype=np.int64),
                "bits": np.array(self.bits, dtype=np.int64),
                "log_probs": self.log_probs,
            },
        )

    @classmethod
    def load(cls, path: Path) -> LanguageIdentifier:
        try:
            data = read_npz(path)
            return cls(
                tuple(str(x) for x in data["languages"]),
                tuple(int(x) for x in data["orders"]),
                int(data["bits"]),
                data["log_probs"].astype(np.float32),
            )
        except (NpzError, KeyError, ValueError) as exc:
            raise LanguageModelError(f"cannot load language model {path}: {exc}") from exc


@lru_cache(maxsize=4)
def load_language_identifier(artifacts_dir: Path = DEFAULT_ARTIFACTS_DIR) -> LanguageIdentifier:
    return LanguageIdentifier.load(artifacts_dir / LANGID_FILE)


def detect_language(text: str) -> str:
    """Language of one text with the shipped model: ISO 639-1 code, or "und"."""
    return load_language_identifier().detect([text])[0]
