"""A small softmax head (one hidden layer, or none) trained with numpy, deterministically.

Used by the reply guard's clause model: classes are "none" plus one per cue claim, so a
clause gets at most one claim and the probabilities compete (a negated claim does not
have to beat the others, only "none"). Full-batch Adam from a seeded initialisation:
the same data and seed give the same weights on the same machine.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class HeadSettings:
    hidden: int = 64  # 0: plain softmax regression
    l2: float = 1e-3
    learning_rate: float = 0.01
    epochs: int = 300
    seed: int = 13


@dataclass(frozen=True, slots=True)
class ClauseHead:
    """logits = relu(x @ w1 + b1) @ w2 + b2, or x @ w2 + b2 without a hidden layer."""

    w1: FloatArray  # (features, hidden), or (features, 0)
    b1: FloatArray  # (hidden,)
    w2: FloatArray  # (hidden or features, classes)
    b2: FloatArray  # (classes,)

    @property
    def hidden(self) -> int:
        return int(self.w1.shape[1])

    def logits(self, x: FloatArray) -> FloatArray:
        h = np.maximum(x @ self.w1 + self.b1, 0.0) if self.hidden else x
        out: FloatArray = (h @ self.w2 + self.b2).astype(np.float32)
        return out

    def probabilities(self, x: FloatArray) -> FloatArray:
        return softmax(self.logits(x))


def softmax(logits: FloatArray) -> FloatArray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    out: FloatArray = (exp / exp.sum(axis=1, keepdims=True)).astype(np.float32)
    return out


def train_head(
    x: FloatArray,
    y: IntArray,
    classes: int,
    settings: HeadSettings,
    sample_weight: FloatArray | None = None,
) -> ClauseHead:
    """Fit the head on rows ``x`` with integer labels ``y`` (weighted cross-entropy + L2)."""
    rng = np.random.default_rng(settings.seed)
    n, d = x.shape
    xd = x.astype(np.float64)
    weight = (
        np.ones(n, dtype=np.float64)
        if sample_weight is None
        else sample_weight.astype(np.float64)
    )
    weight = weight / weight.sum()
    target = np.zeros((n, classes), dtype=np.float64)
    target[np.arange(n), y] = 1.0
    hidden = settings.hidden
    fan_in = hidden if hidden else d
    params = {
        "w1": rng.normal(0.0, np.sqrt(2.0 / d), (d, hidden)),
        "b1": np.zeros(hidden),
        "w2": rng.normal(0.0, np.sqrt(1.0 / fan_in), (fan_in, classes)),
        "b2": np.zeros(classes),
    }
    moments = {k: (np.zeros_like(v), np.zeros_like(v)) for k, v in params.items()}
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    for step in range(1, settings.epochs + 1):
        if hidden:
            pre = xd @ params["w1"] + params["b1"]
            h = np.maximum(pre, 0.0)
        else:
            h = xd
        logits = h @ params["w2"] + params["b2"]
        logits -= logits.max(axis=1, keepdims=True)
        prob = np.exp(logits)
        prob /= prob.sum(axis=1, keepdims=True)
        delta = (prob - target) * weight[:, None]
        grads = {
            "w2": h.T @ delta + settings.l2 * params["w2"],
            "b2": delta.sum(axis=0),
        }
        if hidden:
            back = (delta @ params["w2"].T) * (pre > 0)
            grads["w1"] = xd.T @ back + settings.l2 * params["w1"]
            grads["b1"] = back.sum(axis=0)
        else:
            grads["w1"] = np.zeros_like(params["w1"])
            grads["b1"] = np.zeros_like(params["b1"])
        for name, grad in grads.items():
            m, v = moments[name]
            m *= beta1
            m += (1 - beta1) * grad
            v *= beta2
            v += (1 - beta2) * grad * grad
            m_hat = m / (1 - beta1**step)
            v_hat = v / (1 - beta2**step)
            params[name] -= settings.learning_rate * m_hat / (np.sqrt(v_hat) + eps)
    return ClauseHead(
        w1=params["w1"].astype(np.float32),
        b1=params["b1"].astype(np.float32),
        w2=params["w2"].astype(np.float32),
        b2=params["b2"].astype(np.float32),
    )
