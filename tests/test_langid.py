from __future__ import annotations

from pathlib import Path

import pytest

from classifiers.labelled import read_many, split_files
from classifiers.langid import LanguageIdentifier, detect_language, load_language_identifier

CORPUS_DIR = Path(__file__).resolve().parents[1] / "classifiers" / "data" / "corpus"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("¿por qué me llaman?", "es"),
        ("não autorizei isso", "pt"),
        ("perché mi chiamate?", "it"),
        ("кто дал мой номер", "ru"),
        ("who gave you my number", "en"),
        ("pourquoi vous m'appelez", "fr"),
        ("warum ruft ihr mich an", "de"),
        ("@vodafone_es basta ya!!!", "es"),
        ("STOP calling me", "en"),
        ("Хватит звонить!!! @mts", "ru"),
    ],
)
def test_short_texts(text: str, expected: str) -> None:
    assert detect_language(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "12345 !!!", "🙃🙃🙃", "https://t.co/abc @x"])
def test_texts_without_letters_are_undetermined(text: str) -> None:
    assert detect_language(text) == "und"


def test_accuracy_on_the_dev_split() -> None:
    dev = read_many(split_files(CORPUS_DIR, "*.dev.jsonl"))
    if not dev:
        pytest.skip("no dev split in the corpus")
    detected = load_language_identifier().detect([e.text for e in dev])
    accuracy = sum(d == e.lang for d, e in zip(detected, dev, strict=True)) / len(dev)
    assert accuracy >= 0.97


def test_train_save_load_round_trip(tmp_path: Path) -> None:
    texts = ["the cat sat on the mat", "el gato está en la alfombra", "der Hund ist müde"]
    model = LanguageIdentifier.train(texts, ["en", "es", "de"], bits=12)
    path = tmp_path / "langid.npz"
    model.save(path)
    loaded = LanguageIdentifier.load(path)
    assert loaded.languages == ("de", "en", "es")
    assert loaded.detect(["the mat", "la alfombra", "müde Hund"]) == ["en", "es", "de"]
