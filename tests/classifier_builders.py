"""Builders shared by the classifier tests: labelled examples, corpora, a cheap encoder."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from classifiers.features import ngram_counts, normalize_for_topic
from classifiers.labelled import LabelledExample
from classifiers.taxonomy import Category, Severity


class HashingEncoder:
    """A deterministic stand-in for USE: a fixed random projection of character trigrams.

    Fast enough to train and evaluate heads in tests without loading 30 MB of weights.
    """

    encoder_id = "test-hashing-encoder"
    dim = 32

    def __init__(self) -> None:
        self._projection = (
            np.random.default_rng(7).standard_normal((1 << 10, self.dim)).astype(np.float32)
        )

    def encode(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        counts = ngram_counts([normalize_for_topic(t) for t in texts], (3,), 10)
        vectors = counts.matmul(self._projection)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        result: npt.NDArray[np.float32] = (vectors / norms).astype(np.float32)
        return result


# Short hand-written messages per (language, category): enough signal for a tiny model.
SMALL_CORPUS: dict[tuple[str, Category], list[str]] = {
    ("en", Category.STAFF_MISUSE): [
        "the installer texted me on whatsapp asking me out, he got my number from the order",
        "your call centre guy keeps messaging my wife, he took her number from my account",
        "a shop employee bragged he can see all my data and sent me creepy messages",
    ],
    ("en", Category.DEBT_COLLECTION): [
        "collectors keep calling me about a bill I already paid last month",
        "your debt collection agency called my mother at work about my invoice",
        "a collections firm threatens me every day for a debt that is not mine",
    ],
    ("en", Category.NOT_PRIVACY): [
        "great technician today, fixed my fibre in ten minutes, thanks!",
        "how do I cancel my contract and return the router?",
        "love the new promo with unlimited data, signing up",
    ],
    ("es", Category.STAFF_MISUSE): [
        "el técnico me escribió por whatsapp para quedar, sacó mi número de la orden",
        "un empleado de la tienda me manda mensajes, dice que ve todos mis datos",
        "el operador del call center le escribe a mi hija por instagram",
    ],
    ("es", Category.DEBT_COLLECTION): [
        "los cobradores me llaman todos los días por una factura ya pagada",
        "la agencia de cobros llamó a mi jefe por una deuda que no es mía",
        "me amenazan los de recobro por una deuda que ya cancelé",
    ],
    ("es", Category.NOT_PRIVACY): [
        "el técnico fue súper amable y arregló la fibra, gracias",
        "quiero dar de baja mi contrato, ¿cómo devuelvo el router?",
        "me encanta la nueva promo de datos ilimitados",
    ],
}


def small_examples() -> list[LabelledExample]:
    return [
        LabelledExample(
            text,
            lang,
            category,
            Severity.HIGH if "threat" in text or "amenaz" in text else Severity.MEDIUM,
        )
        for (lang, category), texts in SMALL_CORPUS.items()
        for text in texts
    ]


def write_corpus(
    folder: Path, train: Sequence[LabelledExample], dev: Sequence[LabelledExample]
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in (("all.train.jsonl", train), ("all.dev.jsonl", dev)):
        lines = [
            json.dumps(
                {
                    "text": e.text,
                    "lang": e.lang,
                    "category": e.category.value,
                    "severity": e.severity.value,
                },
                ensure_ascii=False,
            )
            for e in rows
        ]
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder
