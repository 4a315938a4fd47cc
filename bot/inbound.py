"""The normalised inbound message every channel adapter produces."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

ChannelName = Literal["telegram", "x"]
MessageKind = Literal["dm", "mention", "edit"]


@dataclass(frozen=True, slots=True)
class InboundMessage:
    channel: ChannelName
    external_id: str  # unique per channel; the idempotency key with `channel`
    author: str  # channel handle or user id (pseudonymised before storage)
    text: str
    sent_at: datetime  # timezone-aware
    account: str | None = None  # the operator account it reached (jurisdiction comes from it)
    lang: str | None = None  # hint from the channel, if any
    reply_to: str | None = None  # external id of the message it answers
    kind: MessageKind = "dm"
    chat_id: str | None = None  # where to answer privately (Telegram chat id, X DM conversation)
    attachments: tuple[str, ...] = field(default_factory=tuple)  # evidence references
