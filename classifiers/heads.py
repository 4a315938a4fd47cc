"""Softmax heads over [sentence embedding | hashed n-grams], trained with numpy.

One head is `logits = embedding @ W_dense + ngrams @ W_sparse + b`: L2-regularised
softmax regression on the joint feature vector, fitted exactly in its dual form (see
`fit_dual`), so the same corpus gives the same weights. Probabilities are
temperature-scaled; the temperature is fitted on out-of-fold predictions of the
training set (see calibration.py and training.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from classifiers.features import SparseRows

FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class HeadConfig:
    """A linear softmax head over [embedding_scale * embedding | ngram_scale * n-grams].

    A scale of 0 drops that feature block; the scales also set how strongly each block
    is regularised relative to the other (one L2 strength for the joint vector).
    """

    embedding_scale: float = 1.0
    ngram_scale: float = 1.0
    l2: float = 1e-4
    iterations: int = 300


@dataclass(frozen=True, slots=True)
class SoftmaxHead:
    classes: tuple[str, ...]
    dense_w: FloatArray  # (embedding dim, k), or (0, k) without the embedding block
    sparse_w: FloatArray  # (n_buckets, k), or (0, k) without the n-gram block
    bias: FloatArray  # (k,)
    temperature: float = 1.0

    def logits(self, embeddings: FloatArray, ngrams: SparseRows) -> FloatArray:
        out = np.broadcast_to(self.bias, (embeddings.shape[0], self.bias.shape[0])).copy()
        if self.dense_w.shape[0]:
            out += embeddings @ self.dense_w
        if self.sparse_w.shape[0]:
            out += ngrams.matmul(self.sparse_w)
        return out

    def probabilities(self, embeddings: FloatArray, ngrams: SparseRows) -> FloatArray:
        return softmax(self.logits(embeddings, ngrams) / np.float32(self.temperature))

    def with_temperature(self, temperature: float) -> SoftmaxHead:
        return SoftmaxHead(self.classes, self.dense_w, self.sparse_w, self.bias, temperature)


def softmax(logits: FloatArray) -> FloatArray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    probs: FloatArray = (exp / exp.sum(axis=1, keepdims=True)).astype(np.float32)
    return probs


# Columns occurring in more rows than this go through a dense GEMM in `sparse_gram`;
# the rarer ones through explicit row pairs, whose count grows with the square of it.
_DENSE_COLUMN_MIN_ROWS = 64


def sparse_gram(rows: SparseRows) -> npt.NDArray[np.float64]:
    """rows @ rows.T as a dense (n, n) matrix, exact, without densifying all columns."""
    n = rows.n_rows
    row_ids = rows.row_ids
    doc_freq = np.bincount(rows.indices, minlength=rows.n_cols)
    frequent = doc_freq[rows.indices] > _DENSE_COLUMN_MIN_ROWS
    column_slot = np.full(rows.n_cols, -1, dtype=np.int64)
    frequent_cols = np.flatnonzero(doc_freq > _DENSE_COLUMN_MIN_ROWS)
    column_slot[frequent_cols] = np.arange(len(frequent_cols))
    dense = np.zeros((n, len(frequent_cols)), dtype=np.float32)
    dense[row_ids[frequent], column_slot[rows.indices[frequent]]] = rows.values[frequent]
    gram = (dense @ dense.T).astype(np.float64)
    del dense
    rare = ~frequent
    order = np.argsort(rows.indices[rare], kind="stable")
    cols = rows.indices[rare][order]
    who = row_ids[rare][order]
    val = rows.values[rare][order].astype(np.float64)
    if len(cols):
        boundaries = np.flatnonzero(np.diff(cols)) + 1
        group_start = np.concatenate(([0], boundaries))
        group_size = np.diff(np.concatenate((group_start, [len(cols)])))
        entry_group_start = np.repeat(group_start, group_size)
        entry_group_size = np.repeat(group_size, group_size)
        left = np.repeat(np.arange(len(cols), dtype=np.int64), entry_group_size)
        block_start = np.repeat(np.cumsum(entry_group_size) - entry_group_size, entry_group_size)
        right = entry_group_start[left] + (np.arange(len(left), dtype=np.int64) - block_start)
        gram += np.bincount(
            who[left] * n + who[right], weights=val[left] * val[right], minlength=n * n
        ).reshape(n, n)
    return gram


def joint_gram(embeddings: FloatArray, ngrams: SparseRows, config: HeadConfig) -> FloatArray:
    """Linear kernel of the scaled joint feature vector (float32: the solver is memory-bound)."""
    gram = np.zeros((embeddings.shape[0], embeddings.shape[0]), dtype=np.float64)
    if config.embedding_scale:
        e = embeddings.astype(np.float64)
        gram += config.embedding_scale**2 * (e @ e.T)
    if config.ngram_scale:
        gram += config.ngram_scale**2 * sparse_gram(ngrams)
    return gram.astype(np.float32)


def _top_eigenvalue(gram: FloatArray, rounds: int = 50) -> float:
    """Largest eigenvalue of a PSD matrix by power iteration, padded by 10% to stay safe."""
    vector = np.ones(gram.shape[0], dtype=np.float32) / np.float32(np.sqrt(max(gram.shape[0], 1)))
    value = 0.0
    for _ in range(rounds):
        image = gram @ vector
        value = float(np.linalg.norm(image))
        if value == 0.0:
            return 0.0
        vector = image / value
    return 1.1 * value


def fit_dual(
    gram: FloatArray, labels: npt.NDArray[np.int64], k: int, config: HeadConfig
) -> tuple[FloatArray, FloatArray]:
    """Nesterov-accelerated gradient descent on L2-regularised softmax regression.

    Run in the dual parametrisation W = features.T @ A: every primal gradient step,
    W -= lr * (features.T @ G + l2 * W), keeps W in the span of the training rows, so it
    is exactly A -= lr * (G + l2 * A), and each step costs one (n, n) @ (n, k) product
    instead of a pass over a million sparse n-gram entries. Starts from zero, so the
    result depends only on the data (deterministic).
    """
    n = gram.shape[0]
    targets = np.zeros((n, k), dtype=np.float32)
    targets[np.arange(n), labels] = 1.0
    # Step 1/L: the softmax cross-entropy Hessian in the logits is at most 1/2.
    top_eigenvalue = _top_eigenvalue(gram)
    step = 1.0 / (0.5 * (top_eigenvalue + n) / n + config.l2)
    dual = np.zeros((n, k), dtype=np.float32)
    bias = np.zeros(k, dtype=np.float32)
    step32 = np.float32(step)
    l2 = np.float32(config.l2)
    look_dual, look_bias = dual.copy(), bias.copy()
    for iteration in range(1, config.iterations + 1):
        logits = gram @ look_dual + look_bias
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        probs /= probs.sum(axis=1, keepdims=True)
        residual = (probs - targets) / np.float32(n)
        new_dual = look_dual - step32 * (residual + l2 * look_dual)
        new_bias = look_bias - step32 * residual.sum(axis=0)
        momentum = np.float32((iteration - 1) / (iteration + 2))
        look_dual = new_dual + momentum * (new_dual - dual)
        look_bias = new_bias + momentum * (new_bias - bias)
        dual, bias = new_dual, new_bias
    return dual, bias


def head_from_dual(
    classes: tuple[str, ...],
    dual: FloatArray,
    bias: FloatArray,
    embeddings: FloatArray,
    ngrams: SparseRows,
    config: HeadConfig,
) -> SoftmaxHead:
    """Primal weights W = features.T @ A, split back into the embedding and n-gram blocks."""
    k = dual.shape[1]
    a32 = dual.astype(np.float32)
    dense_w = (
        (np.float32(config.embedding_scale**2) * (embeddings.T @ a32)).astype(np.float32)
        if config.embedding_scale
        else np.zeros((0, k), dtype=np.float32)
    )
    sparse_w = (
        (np.float32(config.ngram_scale**2) * ngrams.rmatmul(a32)).astype(np.float32)
        if config.ngram_scale
        else np.zeros((0, k), dtype=np.float32)
    )
    return SoftmaxHead(classes, dense_w, sparse_w, bias.astype(np.float32))


def fit_head(
    classes: tuple[str, ...],
    labels: npt.NDArray[np.int64],
    embeddings: FloatArray,
    ngrams: SparseRows,
    config: HeadConfig,
) -> SoftmaxHead:
    """Train one head; deterministic for a given input."""
    gram = joint_gram(embeddings, ngrams, config)
    dual, bias = fit_dual(gram, labels, len(classes), config)
    return head_from_dual(classes, dual, bias, embeddings, ngrams, config)
