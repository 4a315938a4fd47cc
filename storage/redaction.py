"""Removing personal data from stored rows while keeping the pseudonymous skeleton.

Shared by erasure (one customer, on request) and retention (idle tickets, on schedule).
What goes: message texts and attachments, chat ids, evidence values and file references,
reply-draft texts and override reasons, outbound texts and recipients, and free-text
fields inside audit payloads. What stays: the customer's pseudonym, ticket categories,
severities, queues, SLA clocks, message ids and timestamps, and every audit event row
(actor, action, time), so reports and the audit trail still add up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Evidence, Message, Outbox, OutboxStatus, ReplyDraft, Ticket, TicketEvent

REDACTED = "[erased]"

# Keys inside audit payloads whose values may hold personal data or free text about the
# customer. Over-inclusive on purpose: the event row itself (who, what, when) survives.
PERSONAL_PAYLOAD_KEYS = frozenset(
    {
        "text",
        "draft",
        "masked_text",
        "value",
        "file_ref",
        "attachments",
        "display_name",
        "name",
        "handle",
        "author",
        "username",
        "chat_id",
        "recipient",
        "note",
        "reason",
        "override_reason",
        "comment",
        "evidence",
        "last_error",
    }
)


@dataclass(frozen=True, slots=True)
class RedactionCounts:
    messages: int = 0
    evidence: int = 0
    drafts: int = 0
    outbox: int = 0
    events: int = 0
    pending_sends_cancelled: int = 0

    def __add__(self, other: RedactionCounts) -> RedactionCounts:
        return RedactionCounts(
            messages=self.messages + other.messages,
            evidence=self.evidence + other.evidence,
            drafts=self.drafts + other.drafts,
            outbox=self.outbox + other.outbox,
            events=self.events + other.events,
            pending_sends_cancelled=self.pending_sends_cancelled + other.pending_sends_cancelled,
        )

    def as_dict(self) -> dict[str, int]:
        return {
            "messages": self.messages,
            "evidence": self.evidence,
            "drafts": self.drafts,
            "outbox": self.outbox,
            "events": self.events,
            "pending_sends_cancelled": self.pending_sends_cancelled,
        }


def scrub_payload(payload: Any) -> Any:
    """A copy of an audit payload with personal values replaced by REDACTED."""
    if isinstance(payload, dict):
        return {
            key: (REDACTED if key in PERSONAL_PAYLOAD_KEYS else scrub_payload(value))
            for key, value in payload.items()
        }
    if isinstance(payload, list):
        return [scrub_payload(item) for item in payload]
    return payload


async def _rowcount(session: AsyncSession, stmt: Any) -> int:
    result = await session.execute(stmt.execution_options(synchronize_session=False))
    return int(getattr(result, "rowcount", 0) or 0)


async def redact_messages(session: AsyncSession, message_filter: Any) -> int:
    """Blank texts, attachments and chat ids of the messages matching `message_filter`."""
    return await _rowcount(
        session,
        update(Message)
        .where(
            message_filter,
            or_(Message.text != REDACTED, Message.chat_id.is_not(None)),
        )
        .values(text=REDACTED, attachments=[], chat_id=None),
    )


async def redact_tickets(
    session: AsyncSession, ticket_ids: Sequence[int], *, cancel_pending_sends: bool
) -> RedactionCounts:
    """Remove personal data attached to these tickets (not their messages' customer row).

    Pending outbound messages are deleted only when `cancel_pending_sends` (erasure: the
    customer can no longer be contacted); retention never touches a pending send.
    """
    if not ticket_ids:
        return RedactionCounts()
    ids = list(ticket_ids)
    await session.execute(
        update(Ticket)
        .where(Ticket.id.in_(ids))
        .values(chat_id=None)
        .execution_options(synchronize_session=False)
    )
    messages = await redact_messages(session, Message.ticket_id.in_(ids))
    evidence = await _rowcount(
        session,
        update(Evidence)
        .where(
            Evidence.ticket_id.in_(ids),
            or_(Evidence.value.is_not(None), Evidence.file_ref.is_not(None)),
        )
        .values(value=None, file_ref=None),
    )
    drafts = await _rowcount(
        session,
        update(ReplyDraft)
        .where(
            ReplyDraft.ticket_id.in_(ids),
            or_(ReplyDraft.text != REDACTED, ReplyDraft.override_reason.is_not(None)),
        )
        .values(text=REDACTED, override_reason=None),
    )
    cancelled = 0
    if cancel_pending_sends:
        cancelled = await _rowcount(
            session,
            delete(Outbox).where(
                Outbox.ticket_id.in_(ids), Outbox.status == OutboxStatus.PENDING.value
            ),
        )
    outbox = await _rowcount(
        session,
        update(Outbox)
        .where(
            Outbox.ticket_id.in_(ids),
            Outbox.status != OutboxStatus.PENDING.value,
            or_(Outbox.text != REDACTED, Outbox.recipient != REDACTED),
        )
        .values(text=REDACTED, recipient=REDACTED, last_error=None),
    )
    events = await scrub_events(session, ids)
    return RedactionCounts(
        messages=messages,
        evidence=evidence,
        drafts=drafts,
        outbox=outbox,
        events=events,
        pending_sends_cancelled=cancelled,
    )


async def scrub_events(session: AsyncSession, ticket_ids: Sequence[int]) -> int:
    """Scrub personal values from the payloads of these tickets' audit events."""
    result = await session.execute(
        select(TicketEvent.id, TicketEvent.payload).where(TicketEvent.ticket_id.in_(ticket_ids))
    )
    changed = 0
    for event_id, payload in result:
        scrubbed = scrub_payload(payload)
        if scrubbed != payload:
            await session.execute(
                update(TicketEvent)
                .where(TicketEvent.id == event_id)
                .values(payload=scrubbed)
                .execution_options(synchronize_session=False)
            )
            changed += 1
    return changed
