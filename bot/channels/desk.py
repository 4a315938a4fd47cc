"""What the channel adapters need from the core, as ports.

The adapters (Telegram customer chat, X poller, ops console, outbox sender) depend only on
these protocols. `bot/channels/service_desk.py` implements them over the storage
engineer's `TriagePipeline` / `TicketService`; tests may use the same real implementation
on SQLite.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from bot.inbound import InboundMessage
from bot.notify import TicketNotice
from classifiers.verdict import Verdict


@dataclass(frozen=True, slots=True)
class EvidenceQuestion:
    key: str  # stable key the answer is stored under on the ticket
    text: str  # the question, in the customer's language


@dataclass(frozen=True, slots=True)
class Intake:
    """Outcome of ingesting one inbound message."""

    duplicate: bool  # (channel, external_id) was already ingested: nothing was done
    language: str
    category: str
    ticket_id: int | None = None
    reference: str | None = None
    new_ticket: bool = False
    acknowledgement: str | None = None  # private acknowledgement, customer's language
    public_redirect: str | None = None  # short public reply moving to DM (mentions)
    evidence_questions: tuple[EvidenceQuestion, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class CaseSummary:
    reference: str
    category: str
    status: str
    opened_at: datetime


@dataclass(frozen=True, slots=True)
class OutboundMessage:
    id: int
    channel: str
    recipient: str  # Telegram chat id / X user id / X tweet author for public replies
    text: str
    public: bool
    reply_to: str | None  # tweet id a public reply answers
    ticket_id: int | None
    attempts: int


@dataclass(frozen=True, slots=True)
class ReplyOutcome:
    """An agent draft after the reply guard."""

    draft_id: int
    verdict: Verdict
    outbox_id: int | None  # set when the draft was queued for sending


class CustomerDesk(Protocol):
    """Customer-facing intake."""

    async def ingest(self, message: InboundMessage) -> Intake: ...

    async def ingest_ahead(self, messages: Sequence[InboundMessage]) -> None:
        """Ingest a batch in one pipeline pass on behalf of handlers that each go on to call
        `ingest` for their message (the customer conversation does): that call then returns
        the batch's intake without doing the work again. Best effort and never raises: a
        message whose batch failed is simply not held, and its `ingest` call does (or
        fails at) the work on its own, as without the batch."""
        ...

    def forget_ahead(self, messages: Sequence[InboundMessage]) -> None:
        """Drop what `ingest_ahead` held for `messages` and no `ingest` call claimed."""
        ...

    async def request_erasure(self, message: InboundMessage) -> Intake:
        """Persist the message and open (or attach to) a data_rights_request ticket."""
        ...

    async def record_evidence(
        self, ticket_id: int, key: str, value: str | None, file_ref: str | None, actor: str
    ) -> None: ...

    async def open_cases(self, channel: str, author: str) -> list[CaseSummary]: ...


class OutboxPort(Protocol):
    """Every outbound message is persisted here before it is sent."""

    async def enqueue(
        self,
        *,
        channel: str,
        recipient: str,
        text: str,
        ticket_id: int | None = None,
        public: bool = False,
        reply_to: str | None = None,
    ) -> int: ...

    async def claim_due(self, worker: str, limit: int, channel: str) -> list[OutboundMessage]: ...

    async def mark_sent(self, outbox_id: int, external_id: str | None) -> None: ...

    async def mark_failed(self, outbox_id: int, error: str, retry_at: datetime) -> None:
        """The send failed; it stays pending and is tried again at `retry_at`."""
        ...

    async def sent_external_id(self, channel: str, recipient: str, ticket_id: int) -> str | None:
        """External id of the first message sent to `recipient` about the ticket (cards)."""
        ...


class CursorPort(Protocol):
    async def cursor(self, channel: str, account: str, stream: str) -> str | None: ...

    async def set_cursor(self, channel: str, account: str, stream: str, cursor: str) -> None: ...


@dataclass(frozen=True, slots=True)
class LegalDeadline:
    label: str  # e.g. "dsar: 1 month (+2 months) (GDPR art. 12(3))"
    deadline: datetime | None  # None while paused
    state: str  # running | warned | paused | breached | met | cancelled


@dataclass(frozen=True, slots=True)
class JurisdictionChange:
    """A ticket moved to another jurisdiction, with its recomputed legal clocks."""

    reference: str
    previous: str
    jurisdiction: str
    legal: tuple[LegalDeadline, ...]  # live legal clocks first, then cancelled ones


class Refused(Exception):
    """The Telegram user may not do this; the attempt has been audited."""


class OpsDesk(Protocol):
    """What the agents' console does to tickets, on behalf of a Telegram user.

    Every method checks the user's role (agents table, then settings) and raises Refused
    after auditing the attempt when it does not suffice.
    """

    async def queue(self, user_id: int, limit: int) -> list[TicketNotice]: ...

    async def ticket(self, user_id: int, ticket_id: int) -> TicketNotice: ...

    async def claim(self, user_id: int, ticket_id: int) -> TicketNotice: ...

    async def escalate(self, user_id: int, ticket_id: int) -> TicketNotice: ...

    async def resolve(self, user_id: int, ticket_id: int) -> TicketNotice: ...

    async def recategorise(self, user_id: int, ticket_id: int, category: str) -> TicketNotice: ...

    async def submit_reply(self, user_id: int, ticket_id: int, text: str) -> ReplyOutcome:
        """Guard-check a reply; an allowed one is queued for the customer at once."""
        ...

    async def override_reply(self, user_id: int, ticket_id: int, reason: str) -> ReplyOutcome:
        """Send the ticket's latest blocked draft anyway (managers only; audited)."""
        ...

    async def acknowledge_alert(self, user_id: int, ticket_id: int) -> None:
        """A manager acknowledges an escalation-chat alert (managers only; audited)."""
        ...

    async def set_jurisdiction(
        self, user_id: int, ticket_id: int, code: str, reason: str
    ) -> JurisdictionChange:
        """Override the ticket's jurisdiction (the roles the service allows; audited);
        raises playbooks.errors.UnknownJurisdictionError for a code the table lacks."""
        ...
