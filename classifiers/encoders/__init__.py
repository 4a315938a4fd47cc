"""Sentence encoders: the port, the embedded default, and the optional transformers backend."""

from classifiers.encoders.base import EncoderError, SentenceEncoder
from classifiers.encoders.use import UseEncoder, default_encoder

__all__ = ["EncoderError", "SentenceEncoder", "UseEncoder", "default_encoder"]
