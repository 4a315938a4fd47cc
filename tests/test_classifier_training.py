from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from classifier_builders import HashingEncoder, small_examples, write_corpus

from classifiers.calibration import expected_calibration_error, fit_temperature
from classifiers.encoders import SentenceEncoder
from classifiers.features import TopicFeatureSpec
from classifiers.heads import HeadConfig, fit_head, softmax
from classifiers.labelled import LabelledDataError, read_labelled
from classifiers.model import (
    ClassifierError,
    EmbeddedClassifier,
    load_classifier,
    read_artifacts,
    save_artifacts,
)
from classifiers.taxonomy import Category
from classifiers.training import TrainingConfig, stratified_folds, train_classifier

FAST = TrainingConfig(
    folds=3,
    features=TopicFeatureSpec(orders=(2, 3, 4), bits=12),
    category=HeadConfig(iterations=150),
    severity=HeadConfig(iterations=150),
)


def synthetic_logits(temperature: float, n: int = 4000) -> tuple[np.ndarray, np.ndarray]:
    """Labels drawn from softmax(z / temperature): the true temperature is known."""
    rng = np.random.default_rng(3)
    logits = (rng.standard_normal((n, 4)) * 3).astype(np.float32)
    probs = softmax(logits / np.float32(temperature))
    labels = np.array([rng.choice(4, p=p / p.sum()) for p in probs.astype(np.float64)])
    return logits, labels


def test_fit_temperature_recovers_the_temperature_that_generated_the_labels() -> None:
    logits, labels = synthetic_logits(2.5)
    assert fit_temperature(logits, labels) == pytest.approx(2.5, rel=0.1)


def test_temperature_scaling_lowers_expected_calibration_error() -> None:
    logits, labels = synthetic_logits(3.0)
    before = expected_calibration_error(softmax(logits), labels)
    after = expected_calibration_error(softmax(logits / np.float32(3.0)), labels)
    assert before > 0.1
    assert after < 0.03


def test_ece_is_zero_for_perfect_confident_predictions() -> None:
    probs = np.eye(3, dtype=np.float32)[[0, 1, 2, 1]]
    assert expected_calibration_error(probs, np.array([0, 1, 2, 1])) == pytest.approx(0.0)


def test_folds_are_stratified_and_seeded() -> None:
    labels = np.array([0] * 9 + [1] * 6)
    folds = stratified_folds(labels, 3, seed=1)
    assert [int(np.sum((folds == f) & (labels == 0))) for f in range(3)] == [3, 3, 3]
    assert folds.tolist() == stratified_folds(labels, 3, seed=1).tolist()
    assert folds.tolist() != stratified_folds(labels, 3, seed=2).tolist()


def test_head_learns_training_data_from_ngrams_and_embeddings() -> None:
    examples = small_examples()
    encoder = HashingEncoder()
    texts = [e.text for e in examples]
    classes = tuple(c.value for c in Category)
    labels = np.array([classes.index(e.category.value) for e in examples])
    spec = TopicFeatureSpec(orders=(2, 3, 4), bits=12)
    head = fit_head(classes, labels, encoder.encode(texts), spec.transform(texts), HeadConfig())
    predicted = head.probabilities(encoder.encode(texts), spec.transform(texts)).argmax(axis=1)
    assert (predicted == labels).mean() == 1.0


def test_training_is_deterministic_and_artifacts_round_trip(tmp_path: Path) -> None:
    examples = small_examples()
    encoder = HashingEncoder()
    first = train_classifier(examples, examples[:6], encoder, FAST, {"created_by": "test"})
    second = train_classifier(examples, examples[:6], encoder, FAST, {"created_by": "test"})
    save_artifacts(tmp_path / "a", first)
    save_artifacts(tmp_path / "b", second)
    for name in ("manifest.json", "heads.npz", "langid.npz"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    loaded = EmbeddedClassifier(read_artifacts(tmp_path / "a"), encoder)
    direct = EmbeddedClassifier(first, encoder)
    texts = ["los cobradores me llaman", "the technician was great"]
    assert loaded.classify(texts) == direct.classify(texts)
    manifest = first.manifest
    assert manifest["encoder_id"] == encoder.encoder_id
    assert manifest["heads"]["category"]["temperature"] > 0
    assert manifest["dev_metrics"]["n"] == 6


def test_artifacts_refuse_a_different_encoder(tmp_path: Path) -> None:
    examples = small_examples()
    artifacts = train_classifier(examples, [], HashingEncoder(), FAST, {"created_by": "test"})
    save_artifacts(tmp_path, artifacts)

    class OtherEncoder(HashingEncoder):
        encoder_id = "some-other-model"

    other: SentenceEncoder = OtherEncoder()
    with pytest.raises(ClassifierError, match="trained with encoder"):
        load_classifier(tmp_path, other)


def test_missing_artifacts_give_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ClassifierError, match="caretriage train"):
        load_classifier(tmp_path, HashingEncoder())


def test_corpus_errors_name_file_and_line(tmp_path: Path) -> None:
    folder = write_corpus(tmp_path, small_examples()[:2], [])
    path = folder / "all.train.jsonl"
    path.write_text(
        path.read_text(encoding="utf-8") + '{"text": "x", "lang": "en", "category": "spam"}\n',
        encoding="utf-8",
    )
    with pytest.raises(LabelledDataError, match=r"all\.train\.jsonl:3: .*spam"):
        read_labelled(path)


def test_stacked_heads_give_the_same_probabilities_as_each_head_alone() -> None:
    examples = small_examples()
    encoder = HashingEncoder()
    config = TrainingConfig(
        folds=2,
        features=FAST.features,
        category=HeadConfig(iterations=50),
        severity=HeadConfig(iterations=50, embedding_scale=0.0),
    )
    artifacts = train_classifier(examples, [], encoder, config, {"created_by": "test"})
    texts = ["los cobradores me llaman", "great technician"]
    category, severity = EmbeddedClassifier(artifacts, encoder).probabilities(texts)
    embeddings, ngrams = encoder.encode(texts), FAST.features.transform(texts)
    assert category == pytest.approx(artifacts.category_head.probabilities(embeddings, ngrams))
    assert severity == pytest.approx(artifacts.severity_head.probabilities(embeddings, ngrams))
