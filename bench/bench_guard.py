"""Reply-guard latency: drafts/second and p50/p95 of one check, against baselines.

Shipped mode: "combined" (the default of ReplyGuard.load). The load average is printed
because the numbers move with other work on the machine; compare rows of one run only.

Rows, in the same run on the same drafts (the dev drafts, test.jsonl): the shipped guard
(rules + clause model, mode "combined"), the model path alone, the rules alone, a naive
regex-only guard (cue patterns on lower-cased text, no normalisation, no negation scope)
and one raw USE encoder call.

    .venv/bin/python bench/bench_guard.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

from classifiers.guard import ReplyGuard
from classifiers.guard.evaluation import DEV_FILE, read_drafts
from classifiers.guard.lexicon import CUES


def measure(
    fn: Callable[[str], object], texts: list[str], repeat: int
) -> tuple[float, float, float]:
    latencies: list[float] = []
    for _ in range(repeat):
        for text in texts:
            start = time.perf_counter()
            fn(text)
            latencies.append((time.perf_counter() - start) * 1000)
    latencies.sort()
    p50 = statistics.median(latencies)
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    rate = 1000 * len(latencies) / sum(latencies)
    return rate, p50, p95


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    drafts = read_drafts(DEV_FILE)
    texts = [d.text for d in drafts]
    guard = ReplyGuard.load(mode="combined")
    model_only = ReplyGuard.load(mode="model")
    rules_only = ReplyGuard.load(mode="rules")
    guard.check(texts[0], "en")

    def naive(text: str) -> object:
        lowered = text.lower()
        return [c.claim for c in CUES if c.pattern.search(lowered)]

    rows: list[tuple[str, Callable[[str], object]]] = [
        ("ReplyGuard.check, rules + model (shipped)", lambda t: guard.check(t, "en")),
        ("ReplyGuard.check, model path only", lambda t: model_only.check(t, "en")),
        ("ReplyGuard.check, rules only", lambda t: rules_only.check(t, "en")),
        ("naive regex-only guard (baseline)", naive),
    ]
    try:
        from classifiers.encoders import default_encoder

        encoder = default_encoder()
        rows.append(("raw USE encoder call (1 draft)", lambda t: encoder.encode([t])))
    except Exception as exc:  # the encoder is optional for this benchmark
        print(f"(encoder baseline skipped: {exc})")
    load1, load5, _ = os.getloadavg()
    print(f"{len(texts)} drafts x {args.repeat} repeats; load average {load1:.2f} / {load5:.2f}\n")
    print("| what | drafts/s | p50 ms | p95 ms |")
    print("|---|---:|---:|---:|")
    for name, fn in rows:
        rate, p50, p95 = measure(fn, texts, args.repeat)
        print(f"| {name} | {rate:.0f} | {p50:.2f} | {p95:.2f} |")


if __name__ == "__main__":
    main()
