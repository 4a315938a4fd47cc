"""`caretriage classify [FILE|-]`: JSON Lines of messages in, one classification per line out.

Input lines: {"id": str|int, "text": str, "lang"?: str|null, "channel"?: str|null};
unknown fields are ignored. Output, same order, one line per input line:
{"id", "category", "confidence", "language", "severity", "scores", "needs_review",
"truncated"}.

No partial garbage: the whole input is read and validated first; if any line is
malformed, every bad line (up to a limit) is reported on stderr with its number, nothing
is written to stdout and the exit code is 2. Once valid, results stream out batch by
batch. Empty texts get a defined result (see classifiers.model.empty_text_result);
texts longer than MAX_TEXT_CHARS are classified on their opening and flagged
"truncated": true.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from bot.settings import Settings
from classifiers.features import MAX_TEXT_CHARS
from classifiers.model import BATCH_SIZE, ClassifierError, load_classifier

EXIT_BAD_INPUT = 2
EXIT_FAILURE = 1
# Reporting every bad line of a million-line file helps nobody; the first ones do.
MAX_REPORTED_ERRORS = 20


@dataclass(frozen=True, slots=True)
class ClassifyRequest:
    id: str | int
    text: str
    lang: str | None


class InputLineError(Exception):
    """One malformed input line; the message starts with its line number."""


def parse_line(number: int, raw: bytes) -> ClassifyRequest:
    where = f"line {number}"
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputLineError(f"{where}: not valid UTF-8 (byte {exc.start})") from exc
    if not decoded.strip():
        raise InputLineError(f"{where}: empty line (expected a JSON object)")
    try:
        obj: Any = json.loads(decoded)
    except json.JSONDecodeError as exc:
        raise InputLineError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})") from exc
    if not isinstance(obj, dict):
        raise InputLineError(f"{where}: expected a JSON object, got {type(obj).__name__}")
    if "id" not in obj:
        raise InputLineError(f"{where}: missing field 'id'")
    message_id = obj["id"]
    if isinstance(message_id, bool) or not isinstance(message_id, str | int):
        raise InputLineError(f"{where}: field 'id' must be a string or an integer")
    if "text" not in obj:
        raise InputLineError(f"{where}: missing field 'text'")
    text = obj["text"]
    if not isinstance(text, str):
        raise InputLineError(f"{where}: field 'text' must be a string, got {type(text).__name__}")
    lang = obj.get("lang")
    if lang is not None and not isinstance(lang, str):
        raise InputLineError(f"{where}: field 'lang' must be a string or null")
    channel = obj.get("channel")
    if channel is not None and not isinstance(channel, str):
        raise InputLineError(f"{where}: field 'channel' must be a string or null")
    return ClassifyRequest(message_id, text, lang)


def parse_input(data: bytes) -> tuple[list[ClassifyRequest], list[str]]:
    """All requests, or the errors of every malformed line."""
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()  # the newline that ends the last line does not start a new one
    requests: list[ClassifyRequest] = []
    errors: list[str] = []
    for number, raw in enumerate(lines, start=1):
        try:
            requests.append(parse_line(number, raw.removesuffix(b"\r")))
        except InputLineError as exc:
            errors.append(str(exc))
    return requests, errors


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "classify", help="classify JSON Lines messages (category, severity, language)"
    )
    parser.add_argument(
        "input", nargs="?", default="-", metavar="FILE|-", help="JSON Lines input (default: stdin)"
    )
    parser.set_defaults(handler=run)


def _read_input(name: str, stdin: BinaryIO) -> bytes:
    return stdin.read() if name == "-" else Path(name).read_bytes()


def run(args: argparse.Namespace, settings: Settings) -> int:
    return classify_stream(args.input, sys.stdin.buffer, sys.stdout, sys.stderr, settings)


def classify_stream(
    name: str, stdin: BinaryIO, stdout: TextIO, stderr: TextIO, settings: Settings
) -> int:
    try:
        data = _read_input(name, stdin)
    except OSError as exc:
        print(f"caretriage classify: error: cannot read {name}: {exc.strerror}", file=stderr)
        return EXIT_BAD_INPUT
    requests, errors = parse_input(data)
    if errors:
        for message in errors[:MAX_REPORTED_ERRORS]:
            print(f"caretriage classify: {name}: {message}", file=stderr)
        if len(errors) > MAX_REPORTED_ERRORS:
            print(
                f"caretriage classify: ... and {len(errors) - MAX_REPORTED_ERRORS} more bad lines",
                file=stderr,
            )
        print("caretriage classify: nothing written: fix the lines above", file=stderr)
        return EXIT_BAD_INPUT
    try:
        classifier = load_classifier()
    except ClassifierError as exc:
        print(f"caretriage classify: failed: {exc}", file=stderr)
        return EXIT_FAILURE
    for start in range(0, len(requests), BATCH_SIZE):
        batch = requests[start : start + BATCH_SIZE]
        results = classifier.classify([r.text for r in batch], [r.lang for r in batch])
        for request, result in zip(batch, results, strict=True):
            record = {
                "id": request.id,
                "category": result.category.value,
                "confidence": round(result.confidence, 6),
                "language": result.language,
                "severity": result.severity.value,
                "scores": result.scores,
                "needs_review": result.needs_review(settings.review_threshold),
                "truncated": len(request.text) > MAX_TEXT_CHARS,
            }
            stdout.write(json.dumps(record) + "\n")
        stdout.flush()
    return 0
