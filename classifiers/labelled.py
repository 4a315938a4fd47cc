"""Labelled examples (corpus and evaluation files): JSON Lines of text, lang, category, severity."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from classifiers.taxonomy import Category, Severity

TRAIN_GLOB = "*.train.jsonl"
DEV_GLOB = "*.dev.jsonl"


class LabelledDataError(Exception):
    """A labelled file is unreadable or a line is malformed; names the file and line."""


@dataclass(frozen=True, slots=True)
class LabelledExample:
    text: str
    lang: str
    category: Category
    severity: Severity


def _field(obj: dict[str, object], name: str, where: str) -> str:
    value = obj.get(name)
    if not isinstance(value, str):
        raise LabelledDataError(f"{where}: field {name!r} must be a string, got {value!r}")
    return value


def read_labelled(path: Path) -> list[LabelledExample]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise LabelledDataError(f"cannot read {path}: {exc.strerror or exc}") from exc
    examples: list[LabelledExample] = []
    for number, line in enumerate(raw.split(b"\n"), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            obj = json.loads(line.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise LabelledDataError(f"{where}: not valid UTF-8") from exc
        except json.JSONDecodeError as exc:
            raise LabelledDataError(f"{where}: not valid JSON ({exc.msg})") from exc
        if not isinstance(obj, dict):
            raise LabelledDataError(f"{where}: expected a JSON object")
        try:
            category = Category(_field(obj, "category", where))
            severity = Severity(_field(obj, "severity", where))
        except ValueError as exc:
            raise LabelledDataError(f"{where}: {exc}") from exc
        examples.append(
            LabelledExample(
                _field(obj, "text", where), _field(obj, "lang", where), category, severity
            )
        )
    return examples


def read_many(paths: Iterable[Path]) -> list[LabelledExample]:
    examples: list[LabelledExample] = []
    for path in paths:
        examples.extend(read_labelled(path))
    return examples


def split_files(corpus_dir: Path, pattern: str) -> list[Path]:
    return sorted(corpus_dir.glob(pattern))


def corpus_sha256(paths: Iterable[Path]) -> str:
    """Hash of file names and contents, in sorted order: same corpus, same hash."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode("utf-8") + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()
