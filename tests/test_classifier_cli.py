"""The `classify`, `eval` and `train` command-line contracts (DESIGN.md), in process."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from classifier_builders import small_examples, write_corpus

from bot.cli import main
from classifiers.evaluation import evaluate
from classifiers.features import MAX_TEXT_CHARS
from classifiers.labelled import read_many, split_files
from classifiers.model import load_classifier

CORPUS_DIR = Path(__file__).resolve().parents[1] / "classifiers" / "data" / "corpus"
OUTPUT_FIELDS = {"id", "category", "confidence", "language", "severity", "scores"}


def message(message_id: object, text: object, **extra: object) -> bytes:
    return json.dumps({"id": message_id, "text": text, **extra}).encode("utf-8")


def run_classify(
    tmp_path: Path, lines: list[bytes], capsys: pytest.CaptureFixture[str]
) -> tuple[int, list[dict[str, object]], str]:
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    code = main(["classify", str(path)])
    captured = capsys.readouterr()
    rows = [json.loads(line) for line in captured.out.splitlines()]
    return code, rows, captured.err


def test_classify_writes_one_line_per_input_in_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        message("es-1", "los cobradores llaman a mi madre por una deuda que ya pagué"),
        message(2, "thanks for fixing my internet so quickly, great technician"),
        message("ru-3", "Прошу удалить все мои персональные данные из вашей базы"),
        message(
            "de-4", "Ihr Techniker schreibt mir privat auf WhatsApp, woher hat er meine Nummer?"
        ),
        message("hint-5", "ciao", lang="it", channel="telegram", extra={"ignored": True}),
    ]
    code, rows, err = run_classify(tmp_path, lines, capsys)
    assert code == 0, err
    assert [r["id"] for r in rows] == ["es-1", 2, "ru-3", "de-4", "hint-5"]
    for row in rows:
        assert row.keys() >= OUTPUT_FIELDS
        scores = row["scores"]
        assert isinstance(scores, dict)
        assert sum(scores.values()) == pytest.approx(1.0, abs=1e-3)
        assert row["confidence"] == pytest.approx(max(scores.values()), abs=1e-6)
    assert [r["language"] for r in rows] == ["es", "en", "ru", "de", "it"]
    assert rows[0]["category"] == "debt_collection"
    assert rows[1]["category"] == "not_privacy"
    assert rows[2]["category"] == "data_rights_request"


def test_classify_reads_standard_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = message(1, "stop calling me, I am on the do-not-call list!!") + b"\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert main(["classify", "-"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["id"] for r in rows] == [1]


@pytest.mark.parametrize(
    ("bad_line", "expected"),
    [
        (b'{"text": "no id here"}', "missing field 'id'"),
        (message(1, 42), "field 'text' must be a string"),
        (message(None, "x"), "field 'id' must be a string or an integer"),
        (message(True, "x"), "field 'id' must be a string or an integer"),
        (message(1, "x", lang=7), "field 'lang' must be a string or null"),
        (message(1, "x", channel=["x"]), "field 'channel' must be a string or null"),
        (b'{"id": 1, "text": "unterminated', "not valid JSON"),
        (b"[1, 2, 3]", "expected a JSON object, got list"),
        (b'{"id": 1, "text": "caf\xe9"}', "not valid UTF-8"),
        (bytes(range(0, 256, 7)), "not valid"),
        (b"", "empty line"),
    ],
)
def test_malformed_line_exits_2_with_its_number_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bad_line: bytes, expected: str
) -> None:
    lines = [message(1, "hello"), bad_line, message(3, "bye")]
    code, rows, err = run_classify(tmp_path, lines, capsys)
    assert code == 2
    assert rows == []
    assert f"line 2: {expected}" in err
    assert "Traceback" not in err


def test_every_bad_line_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = [b"{", message(2, "fine"), b'{"id": 3}']
    code, _, err = run_classify(tmp_path, lines, capsys)
    assert code == 2
    assert "line 1:" in err and "line 3: missing field 'text'" in err


def test_empty_text_gets_the_defined_needs_review_result(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, rows, _ = run_classify(tmp_path, [message("e", ""), message("w", "  \n\t ")], capsys)
    assert code == 0
    for row in rows:
        assert row["category"] == "not_privacy"
        assert row["language"] == "und"
        assert row["severity"] == "low"
        assert row["confidence"] == pytest.approx(1 / 7, abs=1e-5)
        assert row["needs_review"] is True


def test_huge_and_junk_texts_are_classified_not_crashed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    huge = "Los cobradores me llaman a todas horas por una deuda pagada. " * 900  # ~55 KB
    junk = "".join(chr(c) for c in range(1, 0x2FF, 3)) + "\ud800 \u200b\u200b 🙃🙃"
    code, rows, err = run_classify(
        tmp_path, [message("huge", huge), message("junk", junk), message("emoji", "🙃")], capsys
    )
    assert code == 0, err
    assert len(huge) > MAX_TEXT_CHARS
    assert rows[0]["truncated"] is True
    assert rows[0]["category"] == "debt_collection"
    assert rows[1]["truncated"] is False
    assert rows[2]["language"] == "und"


def test_missing_input_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["classify", str(tmp_path / "absent.jsonl")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_train_then_eval_on_a_small_corpus(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = write_corpus(tmp_path / "corpus", small_examples(), small_examples()[::3])
    for out in ("a", "b"):
        assert main(["train", "--corpus", str(corpus), "--out", str(tmp_path / out)]) == 0
    assert "wrote classifier artifacts" in capsys.readouterr().out
    for name in ("manifest.json", "heads.npz", "langid.npz"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    manifest = json.loads((tmp_path / "a" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["corpus"]["train_files"] == ["all.train.jsonl"]
    assert len(manifest["corpus"]["sha256"]) == 64
    assert manifest["encoder_id"].startswith("use-multilingual-v3")

    dev = str(corpus / "all.dev.jsonl")
    assert main(["eval", dev, "--artifacts", str(tmp_path / "a"), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["n"] == len(small_examples()[::3])
    assert {"macro_f1", "per_class", "per_language", "confusion", "calibration"} <= report.keys()
    assert {"severity", "language_id", "privacy_vs_not"} <= report.keys()
    assert main(["eval", dev, "--artifacts", str(tmp_path / "a")]) == 0
    human = capsys.readouterr().out
    assert "category macro-F1" in human and "confusion (rows: true" in human


def test_eval_rejects_a_malformed_labelled_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "x", "lang": "en", "category": "not_privacy"}\n', encoding="utf-8")
    assert main(["eval", str(path)]) == 2
    assert "bad.jsonl:1: field 'severity'" in capsys.readouterr().err


def test_train_rejects_a_missing_corpus(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", "--corpus", str(tmp_path / "nope"), "--out", str(tmp_path)]) == 2
    assert "not found" in capsys.readouterr().err


@pytest.mark.slow  # encodes the whole dev split
def test_shipped_model_meets_the_dev_targets() -> None:
    dev = read_many(split_files(CORPUS_DIR, "*.dev.jsonl"))
    if not dev:
        pytest.skip("no dev split in the corpus")
    report = evaluate(dev, load_classifier().classify([e.text for e in dev]))
    assert report["macro_f1"] >= 0.88
    assert report["language_id"]["accuracy"] >= 0.97
    assert report["privacy_vs_not"]["recall"] >= 0.95
