"""Parse the JSON Lines records of `caretriage ingest` (also the replay/demo stream format).

One object per line: `channel` (telegram|x), `external_id`, `author`, `text`, `sent_at`
(ISO 8601 with a time zone; a trailing Z is UTC), optional `account`, `lang`, `reply_to`,
`kind` (dm|mention|edit), `chat_id`. Other fields are ignored. Every line is checked
before anything is written; the errors name the line number and the field.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from bot.inbound import ChannelName, InboundMessage, MessageKind

CHANNELS: tuple[ChannelName, ...] = ("telegram", "x")
KINDS: tuple[MessageKind, ...] = ("dm", "mention", "edit")
MAX_ID_LENGTH = 100


@dataclass(frozen=True, slots=True)
class RecordError:
    line: int
    problem: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.problem}"


class IngestInputError(ValueError):
    def __init__(self, source: str, errors: list[RecordError]) -> None:
        self.source = source
        self.errors = errors
        super().__init__("\n".join(f"{source}: {error}" for error in errors))


def _required_text(record: dict[str, Any], name: str, *, limit: int | None = None) -> str:
    value = record.get(name)
    if isinstance(value, int) and not isinstance(value, bool) and name == "external_id":
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"field {name!r} must be a non-empty string")
    if limit is not None and len(value) > limit:
        raise ValueError(f"field {name!r} is longer than {limit} characters")
    return value


def _optional_text(record: dict[str, Any], name: str) -> str | None:
    value = record.get(name)
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise ValueError(f"field {name!r} must be a string")
    if len(value) > MAX_ID_LENGTH:
        raise ValueError(f"field {name!r} is longer than {MAX_ID_LENGTH} characters")
    return value or None


def _sent_at(record: dict[str, Any]) -> datetime:
    raw = _required_text(record, "sent_at")
    try:
        value = datetime.fromisoformat(raw.strip())
    except ValueError:
        raise ValueError(f"field 'sent_at' is not an ISO 8601 date-time: {raw!r}") from None
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"field 'sent_at' needs a time zone (e.g. Z or +01:00): {raw!r}")
    return value


def parse_record(record: object) -> InboundMessage:
    if not isinstance(record, dict):
        raise ValueError("expected a JSON object")
    channel = _required_text(record, "channel")
    if channel not in CHANNELS:
        raise ValueError(f"field 'channel' must be one of {', '.join(CHANNELS)}, got {channel!r}")
    kind = record.get("kind", "dm")
    if kind not in KINDS:
        raise ValueError(f"field 'kind' must be one of {', '.join(KINDS)}, got {kind!r}")
    return InboundMessage(
        channel=channel,
        external_id=_required_text(record, "external_id", limit=MAX_ID_LENGTH),
        author=_required_text(record, "author", limit=MAX_ID_LENGTH),
        text=_required_text(record, "text"),
        sent_at=_sent_at(record),
        account=_optional_text(record, "account"),
        lang=_optional_text(record, "lang"),
        reply_to=_optional_text(record, "reply_to"),
        kind=cast(MessageKind, kind),
        chat_id=_optional_text(record, "chat_id"),
    )


def _has_lone_surrogate(line: str, record: object) -> bool:
    """`\\ud800` escapes decode to strings no database can store as UTF-8."""
    if "\\u" not in line:
        return False
    try:
        json.dumps(record, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def parse_lines(lines: Iterable[str], source: str) -> list[InboundMessage]:
    """All records, or IngestInputError listing every bad line (blank lines are skipped)."""
    messages: list[InboundMessage] = []
    errors: list[RecordError] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(RecordError(number, f"invalid JSON: {exc.msg}"))
            continue
        except ValueError as exc:  # e.g. an integer literal past Python's digit limit
            errors.append(RecordError(number, f"invalid JSON: {exc}"))
            continue
        if _has_lone_surrogate(line, record):
            errors.append(RecordError(number, "invalid Unicode: a lone surrogate escape"))
            continue
        try:
            messages.append(parse_record(record))
        except ValueError as exc:
            errors.append(RecordError(number, str(exc)))
    if errors:
        raise IngestInputError(source, errors)
    return messages
