"""Optional Hugging Face backend (`pip install "caretriage[transformers]"`).

Wraps any encoder model (mean-pooled last hidden state, L2-normalised) or a
sequence-classification model (its logits as the vector) from a local folder or a hub
id. torch and transformers are imported only when this encoder is built, so the
default install never needs them. With HF_HUB_OFFLINE set, or a local folder given,
nothing is fetched: a model missing from the local cache is an EncoderError.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from classifiers.encoders.base import EncoderError

Pooling = Literal["mean", "logits"]
_TRUE = frozenset({"1", "true", "yes", "on"})


def hub_offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in _TRUE


class TransformersEncoder:
    """A SentenceEncoder over a transformers model; `encoder_id` names model and pooling."""

    def __init__(
        self,
        model: str | Path,
        pooling: Pooling = "mean",
        max_length: int = 256,
        batch_size: int = 32,
    ) -> None:
        try:
            import torch
            from transformers import (
                AutoModel,
                AutoModelForSequenceClassification,
                AutoTokenizer,
            )
        except ImportError as exc:
            raise EncoderError(
                'the transformers backend needs `pip install "caretriage[transformers]"`'
            ) from exc
        source = str(model)
        local_only = hub_offline() or Path(source).is_dir()
        loader: Any = AutoModelForSequenceClassification if pooling == "logits" else AutoModel
        try:
            self._tokenizer = AutoTokenizer.from_pretrained(source, local_files_only=local_only)
            self._model = loader.from_pretrained(source, local_files_only=local_only)
        except (OSError, ValueError) as exc:
            raise EncoderError(f"cannot load transformers model {source!r}: {exc}") from exc
        self._model.eval()
        self._torch = torch
        self.pooling: Pooling = pooling
        self.max_length = max_length
        self.batch_size = batch_size
        config = self._model.config
        self.dim = int(config.num_labels if pooling == "logits" else config.hidden_size)
        self.encoder_id = f"transformers:{Path(source).name or source}:{pooling}:{self.dim}"

    def encode(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(texts), self.batch_size):
            batch = list(texts[start : start + self.batch_size])
            out[start : start + len(batch)] = self._encode_batch(batch)
        return out

    def _encode_batch(self, texts: list[str]) -> npt.NDArray[np.float32]:
        torch = self._torch
        inputs = self._tokenizer(
            texts,
            padding=True,
            truncation=True,
            max_length=self.max_length,
            return_tensors="pt",
        )
        with torch.no_grad():
            outputs = self._model(**inputs)
        if self.pooling == "logits":
            vectors: npt.NDArray[np.float32] = outputs.logits.float().numpy()
            return vectors
        mask = inputs["attention_mask"].unsqueeze(-1).float()
        summed = (outputs.last_hidden_state * mask).sum(dim=1)
        mean = summed / mask.sum(dim=1).clamp(min=1.0)
        normed = torch.nn.functional.normalize(mean, dim=1)
        pooled: npt.NDArray[np.float32] = normed.float().numpy()
        return pooled
