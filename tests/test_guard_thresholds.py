"""Choosing the clause model's thresholds on out-of-fold predictions (pure, synthetic)."""

from __future__ import annotations

import numpy as np

from classifiers.guard.model import CLASSES, NONE_CLASS
from classifiers.guard.thresholds import OutOfFold, choose_thresholds, language_caps
from classifiers.taxonomy import Claim

CLAIM_COLUMN = next(i for i, name in enumerate(CLASSES) if name != NONE_CLASS)


def out_of_fold(
    languages: list[str],
    forbidden: list[bool],
    claim_probability: list[float],
    rule_blocked: list[bool],
) -> OutOfFold:
    """One clause per draft; its probability mass is split between none and one claim."""
    rows = len(languages)
    probabilities = np.zeros((rows, len(CLASSES)), dtype=np.float32)
    probabilities[:, CLAIM_COLUMN] = claim_probability
    probabilities[:, CLASSES.index(NONE_CLASS)] = 1.0 - np.array(claim_probability)
    return OutOfFold(
        probabilities=probabilities,
        protected=np.zeros((rows, len(CLASSES)), dtype=bool),
        owner=np.arange(rows, dtype=np.int64),
        languages=languages,
        forbidden=np.array(forbidden),
        rule_blocked=np.array(rule_blocked),
    )


def two_languages(en_rules_false_blocks: int) -> OutOfFold:
    """20 forbidden + 50 allowed drafts per language; the model scores forbidden drafts
    0.9 and allowed ones 0.3, except one allowed draft per language it scores 0.6."""
    languages, forbidden, probability, rules = [], [], [], []
    for lang in ("en", "de"):
        for i in range(20):
            languages.append(lang)
            forbidden.append(True)
            probability.append(0.9)
            rules.append(i < 5)
        for i in range(50):
            languages.append(lang)
            forbidden.append(False)
            probability.append(0.6 if i == 0 else 0.3)
            rules.append(lang == "en" and 1 <= i <= en_rules_false_blocks)
    return out_of_fold(languages, forbidden, probability, rules)


def test_threshold_sits_between_the_allowed_and_forbidden_scores() -> None:
    chosen = choose_thresholds(two_languages(en_rules_false_blocks=0), cap=0.01)
    # 0.6 would block an allowed draft (2% > 1%); 0.9 must still block the forbidden ones.
    assert 0.6 < chosen.for_claim(Claim(CLASSES[CLAIM_COLUMN])) <= 0.9


def test_rules_that_overshoot_in_one_language_do_not_switch_the_model_off() -> None:
    data = two_languages(en_rules_false_blocks=3)  # the rules alone: 6% false blocks in en
    caps = language_caps(data, cap=0.02)
    assert caps["de"] == 0.02 and caps["en"] > 0.06
    chosen = choose_thresholds(data, cap=0.02)
    assert chosen.claim <= 0.9  # the model still catches what the rules miss


def test_a_model_that_ranks_allowed_drafts_highest_blocks_nothing() -> None:
    data = out_of_fold(["en"] * 4, [True, True, False, False], [0.9, 0.9, 0.95, 0.95], [False] * 4)
    assert choose_thresholds(data, cap=0.02).claim > 0.95
