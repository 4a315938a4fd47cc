"""A small softmax head (one hidden layer, or none) trained with numpy, deterministically.

Used by the reply guard's clause model: classes are "none" plus one per cue claim, so a
clause gets at most one claim and the probabilities compete (a negated claim does not
have to beat the others, only "none"). The last ``wide`` input columns (sparse word
n-grams) skip the hidden layer and add their own linear logits: a wide-and-deep head, so
exact wording the encoder blurs still counts without a hidden layer over thousands of
columns. Full-batch Adam from a seeded initialisation: the same data and seed give the
same weights on the same machine.
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
    wide: int = 0  # trailing input columns fed straight to the logits (linear part)
    l2: float = 1e-3
    learning_rate: float = 0.01
    epochs: int = 300
    seed: int = 13


@dataclass(frozen=True, slots=True)
class ClauseHead:
    """logits = relu(deep @ w1 + b1) @ w2 + b2 + wide @ w3 (deep @ w2 + … without a hidden
    layer), where ``x = [deep | wide]`` and wide has ``w3.shape[0]`` columns."""

    w1: FloatArray  # (deep, hidden), or (deep, 0)
    b1: FloatArray  # (hidden,)
    w2: FloatArray  # (hidden or deep, classes)
    b2: FloatArray  # (classes,)
    w3: FloatArray  # (wide, classes); (0, classes) for a plain head

    @property
    def hidden(self) -> int:
        return int(self.w1.shape[1])

    @property
    def wide(self) -> int:
        return int(self.w3.shape[0])

    @property
    def inputs(self) -> int:
        deep = self.w1.shape[0] if self.hidden else self.w2.shape[0]
        return int(deep) + self.wide

    def logits(self, x: FloatArray) -> FloatArray:
        split = x.shape[1] - self.wide
        deep, wide = x[:, :split], x[:, split:]
        h = np.maximum(deep @ self.w1 + self.b1, 0.0) if self.hidden else deep
        out: FloatArray = (h @ self.w2 + self.b2 + wide @ self.w3).astype(np.float32)
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
    n, total = x.shape
    d = total - settings.wide
    xd = x[:, :d].astype(np.float64)
    xw = x[:, d:].astype(np.float64)
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
        "w3": np.zeros((settings.wide, classes)),
    }
    moments = {k: (np.zeros_like(v), np.zeros_like(v)) for k, v in params.items()}
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    for step in range(1, settings.epochs + 1):
        if hidden:
            pre = xd @ params["w1"] + params["b1"]
            h = np.maximum(pre, 0.0)
        else:
            h = xd
        logits = h @ params["w2"] + params["b2"] + xw @ params["w3"]
        logits -= logits.max(axis=1, keepdims=True)
        prob = np.exp(logits)
        prob /= prob.sum(axis=1, keepdims=True)
        delta = (prob - target) * weight[:, None]
        grads = {
            "w2": h.T @ delta + settings.l2 * params["w2"],
            "b2": delta.sum(axis=0),
            "w3": xw.T @ delta + settings.l2 * params["w3"],
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
        w3=params["w3"].astype(np.float32),
    )
