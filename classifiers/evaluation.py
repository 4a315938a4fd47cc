"""Evaluation of predictions against labelled examples: the numbers `caretriage eval` prints.

Macro-F1 averages over every class that occurs in the labels or the predictions (a
class predicted but never true counts as F1 = 0), like scikit-learn's default.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from classifiers.calibration import expected_calibration_error
from classifiers.labelled import LabelledExample
from classifiers.result import Classification
from classifiers.taxonomy import Category, Severity

CATEGORY_ORDER: tuple[str, ...] = tuple(c.value for c in Category)
SEVERITY_ORDER: tuple[str, ...] = tuple(s.value for s in Severity)


def _ratio(num: float, den: float) -> float:
    return num / den if den else 0.0


def per_class_scores(
    truth: Sequence[str], predicted: Sequence[str], classes: Sequence[str]
) -> dict[str, dict[str, float]]:
    scores: dict[str, dict[str, float]] = {}
    for cls in classes:
        tp = sum(1 for t, p in zip(truth, predicted, strict=True) if t == cls and p == cls)
        fp = sum(1 for t, p in zip(truth, predicted, strict=True) if t != cls and p == cls)
        fn = sum(1 for t, p in zip(truth, predicted, strict=True) if t == cls and p != cls)
        precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
        scores[cls] = {
            "precision": precision,
            "recall": recall,
            "f1": _ratio(2 * precision * recall, precision + recall),
            "support": float(tp + fn),
        }
    return scores


def macro_f1(truth: Sequence[str], predicted: Sequence[str]) -> float:
    present = sorted(set(truth) | set(predicted))
    if not present:
        return 0.0
    scores = per_class_scores(truth, predicted, present)
    return float(np.mean([scores[c]["f1"] for c in present]))


def confusion_matrix(
    truth: Sequence[str], predicted: Sequence[str], classes: Sequence[str]
) -> list[list[int]]:
    index = {c: i for i, c in enumerate(classes)}
    matrix = [[0] * len(classes) for _ in classes]
    for t, p in zip(truth, predicted, strict=True):
        matrix[index[t]][index[p]] += 1
    return matrix


def evaluate(
    examples: Sequence[LabelledExample],
    predictions: Sequence[Classification],
    review_threshold: float | None = None,
) -> dict[str, Any]:
    """All metrics as a JSON-ready dict."""
    if len(examples) != len(predictions):
        raise ValueError(f"{len(examples)} examples but {len(predictions)} predictions")
    truth = [e.category.value for e in examples]
    predicted = [p.category.value for p in predictions]
    langs = sorted({e.lang for e in examples})
    probs = np.array(
        [[p.scores.get(c, 0.0) for c in CATEGORY_ORDER] for p in predictions], dtype=np.float32
    ).reshape(len(predictions), len(CATEGORY_ORDER))
    labels = np.array([CATEGORY_ORDER.index(t) for t in truth], dtype=np.int64)
    per_language: dict[str, dict[str, float]] = {}
    for lang in langs:
        idx = [i for i, e in enumerate(examples) if e.lang == lang]
        t = [truth[i] for i in idx]
        p = [predicted[i] for i in idx]
        per_language[lang] = {
            "n": float(len(idx)),
            "macro_f1": macro_f1(t, p),
            "accuracy": _ratio(sum(a == b for a, b in zip(t, p, strict=True)), len(idx)),
            "language_id_accuracy": _ratio(
                sum(1 for i in idx if predictions[i].language == lang), len(idx)
            ),
        }
    sev_truth = [e.severity.value for e in examples]
    sev_pred = [p.severity.value for p in predictions]
    privacy_truth = [t != Category.NOT_PRIVACY.value for t in truth]
    privacy_pred = [p != Category.NOT_PRIVACY.value for p in predicted]
    tp = sum(t and p for t, p in zip(privacy_truth, privacy_pred, strict=True))
    privacy_precision = _ratio(tp, sum(privacy_pred))
    privacy_recall = _ratio(tp, sum(privacy_truth))
    report: dict[str, Any] = {
        "n": len(examples),
        "accuracy": _ratio(sum(a == b for a, b in zip(truth, predicted, strict=True)), len(truth)),
        "macro_f1": macro_f1(truth, predicted),
        "per_class": per_class_scores(truth, predicted, CATEGORY_ORDER),
        "per_language": per_language,
        "confusion": {
            "labels": list(CATEGORY_ORDER),
            "matrix": confusion_matrix(truth, predicted, CATEGORY_ORDER),
        },
        "calibration": {"ece": expected_calibration_error(probs, labels)},
        "severity": {
            "accuracy": _ratio(
                sum(a == b for a, b in zip(sev_truth, sev_pred, strict=True)), len(sev_truth)
            ),
            "macro_f1": macro_f1(sev_truth, sev_pred),
            "per_class": per_class_scores(sev_truth, sev_pred, SEVERITY_ORDER),
        },
        "language_id": {
            "accuracy": _ratio(
                sum(1 for e, p in zip(examples, predictions, strict=True) if e.lang == p.language),
                len(examples),
            )
        },
        "privacy_vs_not": {
            "recall": privacy_recall,
            "precision": privacy_precision,
            "f1": _ratio(
                2 * privacy_precision * privacy_recall, privacy_precision + privacy_recall
            ),
        },
    }
    if review_threshold is not None:
        flagged = [p.needs_review(review_threshold) for p in predictions]
        kept = [i for i, f in enumerate(flagged) if not f]
        report["review"] = {
            "threshold": review_threshold,
            "flagged_fraction": _ratio(sum(flagged), len(flagged)),
            "accuracy_when_not_flagged": _ratio(
                sum(1 for i in kept if truth[i] == predicted[i]), len(kept)
            ),
        }
    return report


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(header[i]), *(len(r[i]) for r in rows)) for i in range(len(header))]
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))
    out = [line, "  ".join("-" * w for w in widths)]
    out.extend("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows)
    return out


def render_report(report: dict[str, Any]) -> str:
    """The human-readable form: summary, then per-class, per-language, confusion tables."""
    f = "{:.3f}".format
    lines = [
        f"examples: {report['n']}",
        f"category macro-F1: {f(report['macro_f1'])}   accuracy: {f(report['accuracy'])}",
        f"calibration ECE (category confidence): {f(report['calibration']['ece'])}",
        f"severity accuracy: {f(report['severity']['accuracy'])}   "
        f"macro-F1: {f(report['severity']['macro_f1'])}",
        f"language id accuracy: {f(report['language_id']['accuracy'])}",
        "privacy vs not_privacy: "
        f"recall {f(report['privacy_vs_not']['recall'])}   "
        f"precision {f(report['privacy_vs_not']['precision'])}",
    ]
    if "review" in report:
        review = report["review"]
        lines.append(
            f"review threshold {review['threshold']}: flagged {f(review['flagged_fraction'])}, "
            f"accuracy of the rest {f(review['accuracy_when_not_flagged'])}"
        )
    lines += ["", "per class:"]
    lines += _table(
        ["category", "precision", "recall", "f1", "support"],
        [
            [c, f(s["precision"]), f(s["recall"]), f(s["f1"]), str(int(s["support"]))]
            for c, s in report["per_class"].items()
        ],
    )
    lines += ["", "per language:"]
    lines += _table(
        ["lang", "n", "macro-F1", "accuracy", "lang-id acc"],
        [
            [
                lang,
                str(int(s["n"])),
                f(s["macro_f1"]),
                f(s["accuracy"]),
                f(s["language_id_accuracy"]),
            ]
            for lang, s in report["per_language"].items()
        ],
    )
    lines += ["", "severity per class:"]
    lines += _table(
        ["severity", "precision", "recall", "f1", "support"],
        [
            [c, f(s["precision"]), f(s["recall"]), f(s["f1"]), str(int(s["support"]))]
            for c, s in report["severity"]["per_class"].items()
        ],
    )
    labels = report["confusion"]["labels"]
    short = [label[:8] for label in labels]
    lines += ["", "confusion (rows: true, columns: predicted):"]
    lines += _table(
        ["true \\ predicted", *short],
        [
            [label, *map(str, row)]
            for label, row in zip(labels, report["confusion"]["matrix"], strict=True)
        ],
    )
    return "\n".join(lines)
