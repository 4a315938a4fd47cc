from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from classifiers.encoders import EncoderError, default_encoder


def test_default_encoder_is_shared_and_batched() -> None:
    encoder = default_encoder()
    assert default_encoder() is encoder
    texts = ["hola, ¿quién te dio mi número?", "кто дал мой номер", ""]
    vectors = encoder.encode(texts)
    assert encoder.dim == 512
    assert vectors.shape == (3, 512)
    assert vectors.dtype == np.float32
    assert np.linalg.norm(vectors[:2], axis=1) == pytest.approx([1.0, 1.0], abs=1e-4)
    # Batching must not mix sentences: a text encodes the same alone and in company.
    assert encoder.encode([texts[1]])[0] == pytest.approx(vectors[1], abs=1e-5)
    assert encoder.encode([]).shape == (0, 512)
    # Multilingual: the same question in two languages is closer than an unrelated text.
    unrelated = encoder.encode(["the weather is lovely at the beach"])[0]
    assert float(vectors[0] @ vectors[1]) > float(vectors[0] @ unrelated)


def _tiny_bert(folder: Path, num_labels: int | None = None) -> Path:
    transformers = pytest.importorskip("transformers")
    pytest.importorskip("torch")
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "hola", "datos", "my", "data", "##s"]
    (folder / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    tokenizer = transformers.BertTokenizerFast(vocab_file=str(folder / "vocab.txt"))
    config = transformers.BertConfig(
        vocab_size=len(vocab),
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=24,
        max_position_embeddings=64,
        num_labels=num_labels or 2,
    )
    transformers.set_seed(0)
    model = (
        transformers.BertForSequenceClassification(config)
        if num_labels
        else transformers.BertModel(config)
    )
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


@pytest.mark.slow  # importing torch alone takes seconds
def test_transformers_mean_pooling_from_a_local_folder(tmp_path: Path) -> None:
    folder = _tiny_bert(tmp_path)
    from classifiers.encoders.transformers_backend import TransformersEncoder

    encoder = TransformersEncoder(folder, batch_size=2)
    texts = ["hola datos", "my data", "hola", "datos datos datos my data"]
    vectors = encoder.encode(texts)
    assert vectors.shape == (4, 16)
    assert vectors.dtype == np.float32
    assert np.linalg.norm(vectors, axis=1) == pytest.approx([1.0] * 4, abs=1e-5)
    # Padding in a batch must not change a text's vector.
    assert encoder.encode(["hola"])[0] == pytest.approx(vectors[2], abs=1e-5)
    assert encoder.encoder_id == f"transformers:{folder.name}:mean:16"


@pytest.mark.slow  # importing torch alone takes seconds
def test_transformers_sequence_classification_logits(tmp_path: Path) -> None:
    folder = _tiny_bert(tmp_path, num_labels=3)
    from classifiers.encoders.transformers_backend import TransformersEncoder

    encoder = TransformersEncoder(folder, pooling="logits")
    assert encoder.dim == 3
    assert encoder.encode(["hola", "my data"]).shape == (2, 3)


@pytest.mark.slow  # importing torch alone takes seconds
def test_transformers_offline_mode_never_downloads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("transformers")
    pytest.importorskip("torch")
    from classifiers.encoders.transformers_backend import TransformersEncoder

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "empty-cache"))
    with pytest.raises(EncoderError, match="cannot load transformers model"):
        TransformersEncoder("caretriage-test/no-such-model")
