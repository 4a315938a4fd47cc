"""The reply guard's trained clause model: training, artifacts, and what it adds."""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from classifiers.guard import ReplyGuard
from classifiers.guard.clauses import split_clauses
from classifiers.guard.combine import model_hits
from classifiers.guard.evaluation import DEV_FILE, TRAIN_FILE, TRAIN_FILES, read_drafts
from classifiers.guard.head import HeadSettings
from classifiers.guard.model import (
    CLASSES,
    HEAD_FILE,
    GuardModelError,
    Thresholds,
    load_clause_model,
)
from classifiers.guard.training import train_guard_model
from classifiers.taxonomy import LANGUAGES, Claim
from playbooks.book import TEMPLATE_KINDS, load_playbooks, render_template


class HashingEncoder:
    """A fast, deterministic stand-in for USE: hashed word unigrams, L2-normalised."""

    dim = 64

    def __init__(self, encoder_id: str = "test-hashing-64") -> None:
        self.encoder_id = encoder_id

    def encode(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.split():
                out[row, zlib.crc32(word.encode()) % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-6)


SMALL = HeadSettings(hidden=8, epochs=40)


def small_slice(tmp_path: Path) -> Path:
    lines = TRAIN_FILE.read_text(encoding="utf-8").splitlines()
    sliced = tmp_path / "slice.jsonl"
    sliced.write_text("\n".join(lines[::12]) + "\n", encoding="utf-8")
    return sliced


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_training_is_deterministic(tmp_path: Path) -> None:
    data = small_slice(tmp_path)
    first, second = tmp_path / "a", tmp_path / "b"
    train_guard_model([data], data, HashingEncoder(), SMALL, folds=2).save(first)
    train_guard_model([data], data, HashingEncoder(), SMALL, folds=2).save(second)
    assert digest(first / HEAD_FILE) == digest(second / HEAD_FILE)
    manifest = (first / "guard_manifest.json").read_text(encoding="utf-8")
    assert manifest == (second / "guard_manifest.json").read_text(encoding="utf-8")
    assert digest(data) in manifest  # the manifest names the data it was trained on


def test_artifacts_round_trip_without_pickle(tmp_path: Path) -> None:
    data = small_slice(tmp_path)
    encoder = HashingEncoder()
    trained = train_guard_model([data], data, encoder, SMALL, folds=2)
    trained.save(tmp_path / "art")
    with np.load(tmp_path / "art" / HEAD_FILE, allow_pickle=False) as raw:
        assert sorted(raw.files) == ["b1", "b2", "w1", "w2", "w3"]
    loaded = load_clause_model(encoder, tmp_path / "art")
    assert loaded.thresholds == trained.thresholds
    assert {name for name, _ in loaded.thresholds.per_claim} == set(CLASSES) - {"none"}
    clauses = split_clauses("We keep your data forever. Thanks for writing!")
    np.testing.assert_array_equal(trained.probabilities(clauses), loaded.probabilities(clauses))
    assert loaded.probabilities(clauses).shape == (2, len(CLASSES))


def test_artifacts_for_another_encoder_are_refused(tmp_path: Path) -> None:
    data = small_slice(tmp_path)
    model = train_guard_model([data], data, HashingEncoder("encoder-a"), SMALL, folds=2)
    model.save(tmp_path / "art")
    with pytest.raises(GuardModelError, match="encoder-a"):
        load_clause_model(HashingEncoder("encoder-b"), tmp_path / "art")


def test_missing_artifacts_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(GuardModelError, match=r"guard_manifest\.json"):
        load_clause_model(HashingEncoder(), tmp_path)


def test_per_claim_thresholds_override_the_global_one() -> None:
    clauses = split_clauses("Your data stays with us for good.")
    row = np.zeros((1, len(CLASSES)), dtype=np.float32)
    row[0, CLASSES.index("retain_forever")] = 0.3
    lenient = Thresholds(0.7, 0.97, (("retain_forever", 0.25),))
    assert [h.claim for h in model_hits(clauses, row, lenient)] == [Claim.RETAIN_FOREVER]
    assert model_hits(clauses, row, Thresholds(0.7, 0.97)) == []


def test_combiner_needs_high_confidence_where_the_rules_saw_a_negation() -> None:
    negated = split_clauses("The regulator never gives us customer data.")
    assert negated[0].cue_claims(cleared=True) == {Claim.REGULATOR_GAVE_DATA}
    row = np.zeros((1, len(CLASSES)), dtype=np.float32)
    row[0, CLASSES.index("regulator_gave_data")] = 0.9
    thresholds = Thresholds(claim=0.5, protected=0.97)
    assert model_hits(negated, row, thresholds) == []
    assert [h.claim for h in model_hits(negated, row, thresholds, respect_rules=False)] == [
        Claim.REGULATOR_GAVE_DATA
    ]
    row[0, CLASSES.index("regulator_gave_data")] = 0.99
    assert [h.claim for h in model_hits(negated, row, thresholds)] == [Claim.REGULATOR_GAVE_DATA]


@pytest.fixture(scope="module")
def shipped() -> tuple[ReplyGuard, ReplyGuard]:
    today = lambda: date(2026, 3, 1)  # noqa: E731
    return ReplyGuard.load(today, mode="combined"), ReplyGuard.load(today, mode="rules")


@pytest.mark.parametrize(
    ("lang", "text", "claim"),
    [
        ("en", "The telecom watchdog passed your number on to us.", "regulator_gave_data"),
        ("de", "Jeder Kollege hier kann jede Kundenakte lesen.", "unlimited_staff_access"),
        (
            "es",
            "Todos nosotros podemos mirar las fichas de los clientes.",
            "unlimited_staff_access",
        ),
    ],
)
def test_shipped_model_blocks_a_paraphrase_the_lexicon_misses(
    shipped: tuple[ReplyGuard, ReplyGuard], lang: str, text: str, claim: str
) -> None:
    combined, rules = shipped
    assert rules.check(text, lang).allowed  # no cue for this wording
    violations = combined.check(text, lang).violations
    assert [v.claim.value for v in violations] == [claim]
    # the span is the clause that fired, in the original text
    assert text[violations[0].start : violations[0].end] == text


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "The telecoms watchdog never handed over your file to us."),
        ("en", "We did not receive your phone list from the telecom regulator."),
        ("de", "Nicht jeder hier kann die Akte jedes Kunden aufrufen."),
        ("fr", "Le régulateur ne nous a jamais transmis votre fichier."),
        ("pt", "A Anatel não entregou sua ficha pra nossa equipe."),
    ],
)
def test_shipped_model_allows_the_negated_paraphrase(
    shipped: tuple[ReplyGuard, ReplyGuard], lang: str, text: str
) -> None:
    assert shipped[0].check(text, lang).allowed


def test_model_span_points_into_the_original_text_of_an_evasive_draft(
    shipped: tuple[ReplyGuard, ReplyGuard],
) -> None:
    text = "Hi! The national tele\u200bcoms wаtchdog handed over your file to us."
    violation = shipped[0].check(text, "en").violations[0]
    assert violation.claim is Claim.REGULATOR_GAVE_DATA
    assert text[violation.start : violation.end].startswith("The national tele\u200bcoms")


def test_shipped_artifacts_match_the_training_drafts() -> None:
    import json

    from classifiers.guard.model import ARTIFACTS_DIR, MANIFEST_FILE

    manifest = json.loads((ARTIFACTS_DIR / MANIFEST_FILE).read_text(encoding="utf-8"))
    assert manifest["train_files"] == {path.name: digest(path) for path in TRAIN_FILES}
    assert manifest["dev_sha256"] == digest(DEV_FILE)
    assert sum(len(read_drafts(path)) for path in TRAIN_FILES) == manifest["train_drafts"]


def test_every_approved_template_passes_the_shipped_guard() -> None:
    """Our own playbook wording must never be blocked: agents send it as is, and the X
    public redirect is dropped when the guard blocks it."""
    guard = ReplyGuard.load()
    book = load_playbooks()
    blocked = []
    for category, playbook in book.items():
        for kind in TEMPLATE_KINDS:
            for lang in LANGUAGES:
                questions = "\n".join(f"- {q.prompt(lang)}" for q in playbook.evidence)
                text = render_template(
                    playbook, kind, lang, reference="CT-000042", questions=questions
                )
                verdict = guard.check(text, lang=lang, public=kind == "public_redirect")
                if not verdict.allowed:
                    claims = [v.claim.value for v in verdict.violations]
                    blocked.append((category.value, kind, lang, claims))
    assert blocked == []
