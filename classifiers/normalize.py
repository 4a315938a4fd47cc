"""Normalise text against evasion while keeping a map back to the original characters.

The reply guard decides on normalised text but must report spans in the ORIGINAL draft,
so every normalised character remembers the original range it came from. Steps, in order:

1. NFKC per character (full-width letters, ligatures, styled math letters);
2. removal of invisible format characters (zero-width, bidi controls, soft hyphen, BOM);
3. case folding and accent stripping (diacritics dropped; й→и and ё→е follow from that);
4. homoglyph folding per word: a word is given the script (Latin or Cyrillic) of most of
   its unambiguous letters and look-alike letters of the other script are mapped into it;
5. leetspeak inside words that mix letters with digits/symbols (r3gul4tor → regulator);
6. odd spacing: runs of single letters split by spaces or dots ("s u e  m e") are joined,
   a wider gap or a different separator marking the word boundary;
7. runs of three or more identical letters collapsed to one, whitespace runs to one space.

``fold_literal`` applies steps 1-3 to a lexicon entry so cues and text meet in one form.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Letters that look the same in Cyrillic and Latin (lower case after case folding).
_CYR_TO_LAT: dict[str, str] = {
    "а": "a",
    "в": "b",
    "е": "e",
    "к": "k",
    "м": "m",
    "н": "h",
    "о": "o",
    "р": "p",
    "с": "c",
    "т": "t",
    "у": "y",
    "х": "x",
    "і": "i",
    "ј": "j",
    "ѕ": "s",
    "ԁ": "d",
    "ԛ": "q",
    "ԝ": "w",
    "ɡ": "g",
}
_LAT_TO_CYR: dict[str, str] = {
    "a": "а",
    "b": "в",
    "e": "е",
    "k": "к",
    "m": "м",
    "h": "н",
    "o": "о",
    "p": "р",
    "c": "с",
    "t": "т",
    "y": "у",
    "x": "х",
}
# Greek look-alikes only ever fold to Latin (none of our languages is written in Greek).
_GREEK_TO_LAT: dict[str, str] = {
    "α": "a",
    "β": "b",
    "ε": "e",
    "ι": "i",
    "κ": "k",
    "ν": "v",
    "ο": "o",
    "ρ": "p",
    "τ": "t",
    "υ": "u",
    "χ": "x",
    "γ": "y",
}
_LEET: dict[str, str] = {
    "0": "o",
    "1": "i",
    "3": "e",
    "4": "a",
    "5": "s",
    "7": "t",
    "8": "b",
    "9": "g",
    "@": "a",
    "$": "s",
    "!": "i",
    "|": "l",
    "€": "e",
}


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """Normalised text plus, per normalised character, the original range it came from."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    original: str

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of the normalised text to a span of the original text."""
        if not self.text:
            return (0, 0)
        start = min(max(start, 0), len(self.text) - 1)
        end = min(max(end, start + 1), len(self.text))
        return (self.starts[start], self.ends[end - 1])


# Work representation: list of (char, original_start, original_end).
_Chars = list[tuple[str, int, int]]


def _is_invisible(char: str) -> bool:
    return unicodedata.category(char) == "Cf"


def _fold_char(char: str) -> str:
    folded = unicodedata.normalize("NFKC", char).casefold()
    stripped = "".join(
        c for c in unicodedata.normalize("NFD", folded) if not unicodedata.combining(c)
    )
    return unicodedata.normalize("NFC", stripped)


def fold_literal(text: str) -> str:
    """NFKC, invisible-character removal, case folding and accent stripping of a literal."""
    return "".join(_fold_char(c) for c in text if not _is_invisible(c))


def _fold_chars(text: str) -> _Chars:
    chars: _Chars = []
    for index, char in enumerate(text):
        if _is_invisible(char):
            continue
        # Combining marks typed separately belong to the previous character's range.
        if unicodedata.combining(char) and chars:
            last, start, _ = chars[-1]
            chars[-1] = (last, start, index + 1)
            continue
        for piece in _fold_char(char):
            chars.append((piece, index, index + 1))
    return chars


def _script(char: str) -> str:
    if "a" <= char <= "z":
        return "latin"
    if "а" <= char <= "я" or char in "ёі":
        return "cyrillic"
    if "α" <= char <= "ω":
        return "greek"
    return "other"


def _word_spans(chars: _Chars, with_symbols: bool) -> list[tuple[int, int]]:
    """Index ranges of maximal runs of letters (and, optionally, leet symbols/digits)."""
    spans: list[tuple[int, int]] = []
    start = -1
    for index, (char, _, _) in enumerate(chars):
        inside = char.isalpha() or (with_symbols and char in _LEET)
        if inside and start < 0:
            start = index
        elif not inside and start >= 0:
            spans.append((start, index))
            start = -1
    if start >= 0:
        spans.append((start, len(chars)))
    return spans


def _document_script(chars: _Chars) -> str:
    latin = sum(1 for c, _, _ in chars if _script(c) == "latin" and c not in _LAT_TO_CYR)
    cyrillic = sum(1 for c, _, _ in chars if _script(c) == "cyrillic" and c not in _CYR_TO_LAT)
    return "cyrillic" if cyrillic > latin else "latin"


def _fold_homoglyphs(chars: _Chars) -> None:
    default = _document_script(chars)
    for start, end in _word_spans(chars, with_symbols=False):
        word = [c for c, _, _ in chars[start:end]]
        scripts = {_script(c) for c in word}
        if len(scripts - {"other"}) <= 1 and "greek" not in scripts:
            continue
        latin = sum(1 for c in word if _script(c) == "latin" and c not in _LAT_TO_CYR)
        cyrillic = sum(1 for c in word if _script(c) == "cyrillic" and c not in _CYR_TO_LAT)
        target = default if latin == cyrillic else ("latin" if latin > cyrillic else "cyrillic")
        for index in range(start, end):
            char, o_start, o_end = chars[index]
            if target == "latin":
                mapped = _CYR_TO_LAT.get(char, _GREEK_TO_LAT.get(char, char))
            else:
                mapped = _LAT_TO_CYR.get(char, _GREEK_TO_LAT.get(char, char))
            chars[index] = (mapped, o_start, o_end)


_UNIT = re.compile(r"\d+(?:h|g|d|k|m|s|x|am|pm|th|st|nd|rd|gb|mb|min|km|eur|rub)")


def _fold_leet(chars: _Chars) -> None:
    for start, end in _word_spans(chars, with_symbols=True):
        word = "".join(c for c, _, _ in chars[start:end])
        letters = sum(1 for c in word if c.isalpha())
        symbols = len(word) - letters
        # Only words that are mostly letters; "24h", "5g", "3pm" style units stay intact.
        if symbols == 0 or letters == 0 or letters < symbols or _UNIT.fullmatch(word):
            continue
        # A leading/trailing "!" or "$" is punctuation/currency, not a letter.
        lo, hi = start, end
        while lo < hi and chars[lo][0] in "!$|@":
            lo += 1
        while hi > lo and chars[hi - 1][0] in "!$|@":
            hi -= 1
        for index in range(lo, hi):
            char, o_start, o_end = chars[index]
            if char in _LEET:
                chars[index] = (_LEET[char], o_start, o_end)


def _join_spaced_letters(chars: _Chars) -> _Chars:
    """Join runs like "s u e  m e" / "s.u.e" into words; the widest gaps separate words."""
    text = "".join(c for c, _, _ in chars)
    pattern = re.compile(r"(?<![\w])(?:\w[ ._\-*·•]{1,3}){2,}\w(?![\w])")
    result: _Chars = []
    cursor = 0
    for match in pattern.finditer(text):
        run = match.group(0)
        tokens = re.split(r"([ ._\-*·•]{1,3})", run)
        letters = tokens[0::2]
        gaps = tokens[1::2]
        if not all(len(t) == 1 and t.isalpha() for t in letters):
            continue
        narrow = min(len(g) for g in gaps)
        result.extend(chars[cursor : match.start()])
        position = match.start()
        for index, letter in enumerate(letters):
            result.append(chars[position])
            position += len(letter)
            if index < len(gaps):
                gap = gaps[index]
                if len(gap) > narrow or gap.strip() != gaps[0].strip():
                    _, g_start, g_end = chars[position]
                    result.append((" ", g_start, g_end))
                position += len(gap)
        cursor = match.end()
    result.extend(chars[cursor:])
    return result


def _collapse_elongations(chars: _Chars) -> _Chars:
    """ "suuuue" → "sue": a run of 3+ identical letters becomes one letter."""
    result: _Chars = []
    index = 0
    while index < len(chars):
        char, o_start, _ = chars[index]
        run_end = index
        while run_end + 1 < len(chars) and chars[run_end + 1][0] == char:
            run_end += 1
        if char.isalpha() and run_end - index >= 2:
            result.append((char, o_start, chars[run_end][2]))
        else:
            result.extend(chars[index : run_end + 1])
        index = run_end + 1
    return result


def _squeeze_spaces(chars: _Chars) -> _Chars:
    result: _Chars = []
    for char, o_start, o_end in chars:
        if char.isspace():
            if not result or result[-1][0] == " ":
                continue
            result.append((" ", o_start, o_end))
        else:
            result.append((char, o_start, o_end))
    if result and result[-1][0] == " ":
        result.pop()
    return result


def normalize(text: str) -> NormalizedText:
    """Normalise ``text`` for claim detection, keeping the offset map to ``text``."""
    chars = _fold_chars(text)
    _fold_homoglyphs(chars)
    _fold_leet(chars)
    chars = _join_spaced_letters(chars)
    chars = _collapse_elongations(chars)
    chars = _squeeze_spaces(chars)
    return NormalizedText(
        text="".join(c for c, _, _ in chars),
        starts=tuple(s for _, s, _ in chars),
        ends=tuple(e for _, _, e in chars),
        original=text,
    )
