"""Temperature scaling and expected calibration error.

The temperature is fitted on out-of-fold logits of the TRAINING set (each example
scored by a head that never saw it), never on dev, so dev stays an honest check.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from classifiers.heads import softmax

ECE_BINS = 15
_GRID = np.exp(np.linspace(np.log(0.05), np.log(20.0), 121))


def negative_log_likelihood(
    logits: npt.NDArray[np.float32], labels: npt.NDArray[np.int64], temperature: float
) -> float:
    probs = softmax(logits / np.float32(temperature))
    picked = probs[np.arange(len(labels)), labels].astype(np.float64)
    return float(-np.mean(np.log(np.clip(picked, 1e-12, 1.0))))


def fit_temperature(logits: npt.NDArray[np.float32], labels: npt.NDArray[np.int64]) -> float:
    """The temperature minimising held-out NLL: a log-spaced grid, then golden section."""
    losses = [negative_log_likelihood(logits, labels, float(t)) for t in _GRID]
    best = int(np.argmin(losses))
    low = float(_GRID[max(best - 1, 0)])
    high = float(_GRID[min(best + 1, len(_GRID) - 1)])
    ratio = (np.sqrt(5.0) - 1) / 2
    for _ in range(30):
        a = high - ratio * (high - low)
        b = low + ratio * (high - low)
        if negative_log_likelihood(logits, labels, a) < negative_log_likelihood(logits, labels, b):
            high = b
        else:
            low = a
    return round((low + high) / 2, 6)


def expected_calibration_error(
    probs: npt.NDArray[np.float32], labels: npt.NDArray[np.int64], bins: int = ECE_BINS
) -> float:
    """Confidence-weighted gap between confidence and accuracy over equal-width bins."""
    if len(labels) == 0:
        return 0.0
    confidence = probs.max(axis=1).astype(np.float64)
    correct = (probs.argmax(axis=1) == labels).astype(np.float64)
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1], right=True), 0, bins - 1)
    total = 0.0
    for b in range(bins):
        mask = which == b
        if mask.any():
            total += mask.mean() * abs(confidence[mask].mean() - correct[mask].mean())
    return float(total)
