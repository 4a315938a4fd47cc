"""Text normalisation and hashed character n-gram features, vectorised over a batch.

Character n-grams carry what a frozen sentence encoder blurs: brand names, slang,
misspellings and the exact words of a category ("коллектор", "cobrador", "DPO").
Hashing keeps the feature space fixed-size, so the trained weights are one small dense
matrix and the whole batch is hashed with a handful of numpy operations instead of a
Python loop per n-gram. The hash is our own (FNV-style over code points), never
Python's salted `hash()`, so features are identical across processes and machines.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

# Texts are cut to this many characters before any model sees them: a 50 KB rant is
# classified on its opening, which is where people state the complaint, and the cost of
# one message stays bounded.
MAX_TEXT_CHARS = 4000

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_HANDLE = re.compile(r"@\w+")
_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")
# Control and zero-width/format characters carry no meaning (and are used to dodge filters).
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\ufeff\ufe00-\ufe0f]"
)
_COMBINING_MARKS = re.compile("[\u0300-\u036f]")

_FNV_PRIME = np.uint64(1099511628211)
_MIX_1 = np.uint64(0xFF51AFD7ED558CCD)
_MIX_2 = np.uint64(0xC4CEB9FE1A85EC53)
_ORDER_SALT = 0x9E3779B97F4A7C15
_UINT64_MASK = (1 << 64) - 1


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def clip_text(text: str) -> str:
    """The part of a text the models see: the first MAX_TEXT_CHARS characters, with lone
    surrogates (possible in JSON "\\udxxx" escapes, not encodable) replaced by U+FFFD."""
    return _LONE_SURROGATE.sub("\ufffd", text[:MAX_TEXT_CHARS])


def _drop_invisible(text: str) -> str:
    return _INVISIBLE.sub("", text)


def normalize_for_language(text: str) -> str:
    """Lower-cased, NFKC, URLs/handles/digits removed, accents kept (they identify languages)."""
    text = unicodedata.normalize("NFKC", clip_text(text))
    text = _drop_invisible(text)
    text = _URL.sub(" ", text)
    text = _HANDLE.sub(" ", text)
    text = _DIGITS.sub(" ", text)
    return _SPACE.sub(" ", text).strip().lower()


def normalize_for_topic(text: str) -> str:
    """Lower-cased, accents stripped (customers often drop them), placeholders for noise."""
    text = unicodedata.normalize("NFKC", clip_text(text))
    text = _drop_invisible(text)
    text = _URL.sub(" url ", text)
    text = _HANDLE.sub(" @user ", text)
    text = _DIGITS.sub("0", text)
    stripped = _COMBINING_MARKS.sub("", unicodedata.normalize("NFD", text.lower()))
    # "й" and "ё" lose their diacritic above too; that merge is harmless for topics.
    return _SPACE.sub(" ", stripped).strip()


@dataclass(frozen=True, slots=True)
class SparseRows:
    """A batch of sparse feature rows in CSR form (rows sorted, columns unique per row)."""

    n_rows: int
    n_cols: int
    indptr: npt.NDArray[np.int64]
    indices: npt.NDArray[np.int64]
    values: npt.NDArray[np.float32]

    @property
    def row_ids(self) -> npt.NDArray[np.int64]:
        return np.repeat(np.arange(self.n_rows, dtype=np.int64), np.diff(self.indptr))

    def take(self, rows: npt.NDArray[np.int64]) -> SparseRows:
        """The given rows, in the given order."""
        starts, ends = self.indptr[rows], self.indptr[rows + 1]
        lengths = ends - starts
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        positions = np.repeat(starts - indptr[:-1], lengths) + np.arange(
            int(indptr[-1]), dtype=np.int64
        )
        return SparseRows(
            len(rows), self.n_cols, indptr, self.indices[positions], self.values[positions]
        )

    def matmul(self, weights: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """self @ weights for a dense (n_cols, k) matrix, without densifying self."""
        out = np.zeros((self.n_rows, weights.shape[1]), dtype=np.float32)
        if self.indices.size == 0:
            return out
        contrib = weights[self.indices]
        contrib *= self.values[:, None]
        # reduceat sums each row's slice; an empty row would wrongly get its
        # neighbour's first entry, so only non-empty rows are reduced.
        nonempty = np.flatnonzero(np.diff(self.indptr) > 0)
        out[nonempty] = np.add.reduceat(contrib, self.indptr[nonempty], axis=0)
        return out

    def rmatmul(self, grads: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """self.T @ grads for a dense (n_rows, k) matrix."""
        per_entry = grads[self.row_ids] * self.values[:, None]
        out = np.empty((self.n_cols, grads.shape[1]), dtype=np.float32)
        for col in range(grads.shape[1]):
            out[:, col] = np.bincount(
                self.indices, weights=per_entry[:, col], minlength=self.n_cols
            )
        return out


def hash_char_ngrams(
    docs: Sequence[str], orders: Sequence[int], bits: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """(doc index, bucket) of every character n-gram of every doc, padded with spaces.

    Windows that would cross from one doc into the next are discarded.
    """
    if not docs:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    padded = [" " + doc.replace("\x00", " ") + " " for doc in docs]
    joined = "\x00".join(padded)
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    lengths = np.fromiter((len(p) + 1 for p in padded), dtype=np.int64, count=len(padded))
    doc_of_pos = np.repeat(np.arange(len(padded), dtype=np.int64), lengths)[: len(codes)]
    sep_count = np.zeros(len(codes) + 1, dtype=np.int64)
    np.cumsum(codes == 0, out=sep_count[1:])
    doc_parts: list[npt.NDArray[np.int64]] = []
    bucket_parts: list[npt.NDArray[np.int64]] = []
    shift = np.uint64(64 - bits)
    for order in orders:
        width = len(codes) - order + 1
        if width <= 0:
            continue
        h = np.full(width, np.uint64((order * _ORDER_SALT) & _UINT64_MASK), dtype=np.uint64)
        for k in range(order):
            h *= _FNV_PRIME
            h ^= codes[k : k + width]
        h ^= h >> np.uint64(33)
        h *= _MIX_1
        h ^= h >> np.uint64(29)
        h *= _MIX_2
        h ^= h >> np.uint64(32)
        valid = sep_count[order : order + width] == sep_count[:width]
        doc_parts.append(doc_of_pos[:width][valid])
        bucket_parts.append((h[valid] >> shift).astype(np.int64))
    if not doc_parts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    return np.concatenate(doc_parts), np.concatenate(bucket_parts)


def ngram_counts(docs: Sequence[str], orders: Sequence[int], bits: int) -> SparseRows:
    """Raw n-gram counts per doc as sparse rows."""
    doc_ids, buckets = hash_char_ngrams(docs, orders, bits)
    n_cols = 1 << bits
    keys, counts = np.unique(doc_ids * n_cols + buckets, return_counts=True)
    rows = keys // n_cols
    indptr = np.searchsorted(rows, np.arange(len(docs) + 1, dtype=np.int64)).astype(np.int64)
    return SparseRows(
        len(docs), n_cols, indptr, (keys % n_cols).astype(np.int64), counts.astype(np.float32)
    )


def tf_l2(rows: SparseRows) -> SparseRows:
    """Sublinear term frequency (1 + log count), each row scaled to unit length."""
    values = (1.0 + np.log(rows.values)).astype(np.float32)
    norms = np.sqrt(np.bincount(rows.row_ids, weights=values * values, minlength=rows.n_rows))
    norms[norms == 0] = 1.0
    values /= norms[rows.row_ids].astype(np.float32)
    return SparseRows(rows.n_rows, rows.n_cols, rows.indptr, rows.indices, values)


@dataclass(frozen=True, slots=True)
class TopicFeatureSpec:
    """How topic n-gram features are built; saved with the heads that were trained on them."""

    orders: tuple[int, ...] = (2, 3, 4, 5)
    bits: int = 16

    def transform(self, texts: Sequence[str]) -> SparseRows:
        return tf_l2(ngram_counts([normalize_for_topic(t) for t in texts], self.orders, self.bits))
