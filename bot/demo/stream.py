"""The bundled demo stream and agents' drafts, read with the same parser as `ingest`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from bot.inbound import InboundMessage
from bot.ingest_records import parse_lines

DEMO_DIR = Path(str(resources.files("bot.demo")))


@dataclass(frozen=True, slots=True)
class DemoDraft:
    reply_to: str  # the stream external_id whose ticket the agent answers
    agent: str
    text: str


def load_stream(path: Path | None = None) -> list[InboundMessage]:
    path = path or DEMO_DIR / "stream.jsonl"
    return parse_lines(path.read_text(encoding="utf-8").splitlines(), str(path))


def load_drafts(path: Path | None = None) -> list[DemoDraft]:
    path = path or DEMO_DIR / "drafts.jsonl"
    drafts = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            raw = json.loads(line)
            drafts.append(DemoDraft(str(raw["reply_to"]), str(raw["agent"]), str(raw["text"])))
    return drafts
