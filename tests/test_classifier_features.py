from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from classifiers.features import (
    MAX_TEXT_CHARS,
    SparseRows,
    TopicFeatureSpec,
    clip_text,
    hash_char_ngrams,
    ngram_counts,
    normalize_for_language,
    normalize_for_topic,
)
from classifiers.heads import sparse_gram
from classifiers.npz_io import read_npz, write_npz


def dense(rows: SparseRows) -> np.ndarray:
    out = np.zeros((rows.n_rows, rows.n_cols), dtype=np.float64)
    np.add.at(out, (rows.row_ids, rows.indices), rows.values)
    return out


def test_topic_normalisation_strips_accents_noise_and_invisible_characters() -> None:
    text = "¡Ojo! @Movistar_ES me llamó al 600123456 https://t.co/x \u200bAQUÍ Ёлка"
    assert normalize_for_topic(text) == "¡ojo! @user me llamo al 0 url aqui елка"


def test_language_normalisation_keeps_accents() -> None:
    assert normalize_for_language("Ça  été @x 123") == "ça été"


def test_clip_text_caps_length_and_replaces_lone_surrogates() -> None:
    assert len(clip_text("a" * (MAX_TEXT_CHARS + 50))) == MAX_TEXT_CHARS
    assert clip_text("x\ud800y") == "x\ufffdy"


def test_ngrams_never_cross_from_one_text_into_the_next() -> None:
    docs, _ = hash_char_ngrams(["ab", "cd"], (2,), 12)
    # " ab " and " cd " have three bigrams each, nothing spanning the boundary.
    assert np.bincount(docs).tolist() == [3, 3]


def test_hashing_is_deterministic_and_independent_of_batch_company() -> None:
    alone = ngram_counts(["hola mundo"], (2, 3), 14)
    together = ngram_counts(["otra cosa", "hola mundo"], (2, 3), 14).take(np.array([1]))
    assert alone.indices.tolist() == together.indices.tolist()
    assert alone.values.tolist() == together.values.tolist()


def test_rows_are_unit_length_and_empty_text_still_has_a_row() -> None:
    rows = TopicFeatureSpec().transform(["", "the installer texted me", "x"])
    norms = np.sqrt(np.bincount(rows.row_ids, weights=rows.values**2, minlength=3))
    assert norms == pytest.approx([1.0, 1.0, 1.0], abs=1e-5)


def test_sparse_products_match_dense_algebra() -> None:
    texts = ["the collector called", "el cobrador llamó", "", "коллектор звонит", "the the the"]
    rows = TopicFeatureSpec(orders=(1, 2, 3), bits=9).transform(texts)
    x = dense(rows)
    rng = np.random.default_rng(0)
    w = rng.standard_normal((rows.n_cols, 3)).astype(np.float32)
    g = rng.standard_normal((rows.n_rows, 3)).astype(np.float32)
    assert rows.matmul(w) == pytest.approx(x @ w, abs=1e-4)
    assert rows.rmatmul(g) == pytest.approx(x.T @ g, abs=1e-4)
    assert sparse_gram(rows) == pytest.approx(x @ x.T, abs=1e-5)
    picked = rows.take(np.array([3, 0]))
    assert dense(picked) == pytest.approx(x[[3, 0]])


def test_npz_files_are_byte_reproducible(tmp_path: Path) -> None:
    arrays = {"b": np.arange(5, dtype=np.float32), "a": np.array(["es", "ru"])}
    first, second = tmp_path / "1.npz", tmp_path / "2.npz"
    write_npz(first, arrays)
    write_npz(second, arrays)
    assert first.read_bytes() == second.read_bytes()
    loaded = read_npz(first)
    assert loaded["a"].tolist() == ["es", "ru"]
