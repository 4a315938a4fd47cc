"""The sentence-encoder port: texts in, one float32 vector per text out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt


class EncoderError(Exception):
    """An encoder could not be loaded or failed to encode; the message says which and why."""


class SentenceEncoder(Protocol):
    encoder_id: str  # names model and version; artifacts trained on one refuse another
    dim: int

    def encode(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """(len(texts), dim) float32, batched internally, same order as the input."""
        ...
