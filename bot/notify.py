"""Notifier port: how the core tells people about tickets and SLA events.

The Telegram ops group / escalation chat implement it in `bot/channels`; tests and the
demo use `RecordingNotifier`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol

SlaEventKind = Literal["warning", "breach"]


@dataclass(frozen=True, slots=True)
class ClockLine:
    kind: str  # first_response | next_response | resolution | legal
    due_at: datetime | None  # None while paused
    state: str  # running | paused | met | warned | breached | cancelled


@dataclass(frozen=True, slots=True)
class TicketNotice:
    ticket_id: int
    reference: str  # the case reference customers see, e.g. "CT-000042"
    category: str
    severity: str
    priority: str
    language: str
    customer: str  # pseudonym, never the raw handle
    channel: str
    masked_text: str  # personal data masked
    queue: str
    playbook: str
    confidence: float
    needs_review: bool
    status: str
    clocks: tuple[ClockLine, ...] = field(default_factory=tuple)
    steps: tuple[str, ...] = field(default_factory=tuple)
    assignee: str | None = None
    jurisdiction: str = ""  # whose legal clocks apply, e.g. "CL"


@dataclass(frozen=True, slots=True)
class SlaNotice:
    ticket_id: int
    reference: str
    clock_kind: str
    event: SlaEventKind
    due_at: datetime
    severity: str
    queue: str
    escalate_to: str | None  # next role/queue of the playbook's escalation chain


class Notifier(Protocol):
    async def ticket_opened(self, notice: TicketNotice) -> None: ...

    async def ticket_updated(self, notice: TicketNotice) -> None: ...

    async def sla_event(self, notice: SlaNotice) -> None: ...


class RecordingNotifier:
    """Keeps every notification in memory (tests, `demo --once`)."""

    def __init__(self) -> None:
        self.opened: list[TicketNotice] = []
        self.updated: list[TicketNotice] = []
        self.sla: list[SlaNotice] = []

    async def ticket_opened(self, notice: TicketNotice) -> None:
        self.opened.append(notice)

    async def ticket_updated(self, notice: TicketNotice) -> None:
        self.updated.append(notice)

    async def sla_event(self, notice: SlaNotice) -> None:
        self.sla.append(notice)
