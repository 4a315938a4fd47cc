"""Throughput and latency of the complaint classifier (not a test): prints a markdown table.

    .venv/bin/python bench/bench_classify.py [--messages 10000] [--batch 256]

Messages are the corpus texts (train + dev, all seven languages) cycled to the requested
count. In one process it measures: model load time (USE weights + artifacts), raw encoder
throughput, the classifier's throughput (encoder + n-grams + heads + language id), the
whole `caretriage classify` path (JSON parse and validation, classify, JSON out), the
latency of one message at a time, and peak RSS.
"""

# ruff: noqa: E402 - imports follow the sys.path set-up for running as a script
from __future__ import annotations

import argparse
import io
import json
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np

from bot.commands.classify_cmd import classify_stream
from bot.settings import Settings
from classifiers.encoders import default_encoder
from classifiers.labelled import read_many
from classifiers.model import BATCH_SIZE, load_classifier

CORPUS = ROOT / "classifiers" / "data" / "corpus"


def corpus_texts(count: int) -> list[str]:
    texts = [e.text for e in read_many(sorted(CORPUS.glob("*.jsonl")))]
    return [texts[i % len(texts)] for i in range(count)]


def timed_batches(
    fn: Callable[[list[str]], object], texts: list[str], batch: int
) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) to run fn over texts in batches."""
    wall, cpu = time.perf_counter(), time.process_time()
    for start in range(0, len(texts), batch):
        fn(texts[start : start + batch])
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=BATCH_SIZE)
    parser.add_argument("--single", type=int, default=300, help="messages for the latency run")
    args = parser.parse_args()
    texts = corpus_texts(args.messages)

    started = time.perf_counter()
    encoder = default_encoder()
    encoder_load = time.perf_counter() - started
    started = time.perf_counter()
    classifier = load_classifier()
    artifacts_load = time.perf_counter() - started

    encoder_s, encoder_cpu = timed_batches(encoder.encode, texts, args.batch)
    classify_s, classify_cpu = timed_batches(classifier.classify, texts, args.batch)

    payload = "".join(
        json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n" for i, t in enumerate(texts)
    ).encode("utf-8")
    sink = io.StringIO()
    wall, cpu = time.perf_counter(), time.process_time()
    code = classify_stream("-", io.BytesIO(payload), sink, io.StringIO(), Settings())
    cli_s, cli_cpu = time.perf_counter() - wall, time.process_time() - cpu
    assert code == 0 and sink.getvalue().count("\n") == len(texts)

    latencies = []
    for text in texts[: args.single]:
        t0 = time.perf_counter()
        classifier.classify([text])
        latencies.append((time.perf_counter() - t0) * 1000)
    p50, p95 = np.percentile(latencies, [50, 95])
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    n = len(texts)
    print(f"{n} messages, batch {args.batch}, encoder {encoder.encoder_id}")
    print("wall-clock rates depend on what else the machine runs; CPU-time rates do less\n")
    print("| measure | wall clock | CPU time |")
    print("|---|---|---|")
    print(f"| model load: USE encoder | {encoder_load:.2f} s | |")
    print(f"| model load: classifier artifacts | {artifacts_load:.2f} s | |")
    rows = [
        ("raw encoder (USE m3) throughput", encoder_s, encoder_cpu),
        ("classifier.classify throughput", classify_s, classify_cpu),
        ("`caretriage classify` path (parse + classify + JSON)", cli_s, cli_cpu),
    ]
    for name, wall_s, cpu_s in rows:
        print(f"| {name} | {n / wall_s:,.0f} msg/s | {n / cpu_s:,.0f} msg/s |")
    for name, wall_s, cpu_s in rows[1:]:
        print(
            f"| {name.split(' throughput')[0]} overhead vs encoder | "
            f"{100 * (wall_s - encoder_s) / encoder_s:.1f} % | "
            f"{100 * (cpu_s - encoder_cpu) / encoder_cpu:.1f} % |"
        )
    print(f"| latency, one message: p50 | {p50:.1f} ms | |")
    print(f"| latency, one message: p95 | {p95:.1f} ms | |")
    print(f"| peak RSS | {peak_mb:.0f} MB | |")


if __name__ == "__main__":
    main()
