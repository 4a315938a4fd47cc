"""A customer's private conversation, the same on every channel (Telegram chat, X DMs).

A message either answers the evidence question we are waiting on (stored on the ticket),
or is ingested: persisted, triaged, acknowledged in the customer's language with the case
reference, and followed by the playbook's evidence questions one at a time. Every reply is
written to the outbox before it is sent.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from bot.channels.desk import CustomerDesk, Intake, OutboxPort
from bot.channels.interview import EvidenceInterview
from bot.channels.phrases import phrase
from bot.inbound import InboundMessage

log = logging.getLogger("caretriage.channels.conversation")


def customer_actor(channel: str) -> str:
    return f"customer:{channel}"


def _conversation(channel: str, recipient: str) -> str:
    return f"{channel}:{recipient}"


class PrivateConversations:
    def __init__(
        self,
        desk: CustomerDesk,
        outbox: OutboxPort,
        *,
        kick_sender: Callable[[], None],
        interview: EvidenceInterview | None = None,
    ) -> None:
        self.desk = desk
        self._outbox = outbox
        self._kick = kick_sender
        # not `or`: an interview with no pending chat has len() 0 and is falsy
        self.interview = interview if interview is not None else EvidenceInterview()

    def takes_as_answer(self, inbound: InboundMessage, recipient: str) -> bool:
        """Whether `receive` would record this message as the answer to the evidence
        question waiting in its conversation instead of ingesting it (edits never are)."""
        return (
            inbound.kind != "edit"
            and self.interview.awaiting(_conversation(inbound.channel, recipient)) is not None
        )

    async def receive(self, inbound: InboundMessage, recipient: str) -> Intake | None:
        """Handle one private message; `recipient` is where replies go on its channel.

        Returns the intake when the message was ingested, None when it answered a question.
        """
        conversation = _conversation(inbound.channel, recipient)
        file_ref = inbound.attachments[0] if inbound.attachments else None
        pending = self.interview.awaiting(conversation)
        if pending is not None and inbound.kind != "edit":
            await self.desk.record_evidence(
                pending.ticket_id,
                pending.question.key,
                inbound.text or None,
                file_ref,
                customer_actor(inbound.channel),
            )
            following = self.interview.answered(conversation)
            reply = (
                following.text
                if following is not None
                else phrase("evidence_done", pending.language, reference=pending.reference)
            )
            await self.send(inbound.channel, recipient, reply, pending.ticket_id)
            return None
        intake = await self.desk.ingest(inbound)
        if intake.duplicate:
            log.info("%s message %s already ingested", inbound.channel, inbound.external_id)
            return intake
        if file_ref is not None and intake.ticket_id is not None:
            await self.desk.record_evidence(
                intake.ticket_id,
                f"file:{inbound.external_id}",
                inbound.text or None,
                file_ref,
                customer_actor(inbound.channel),
            )
        await self.acknowledge(inbound.channel, recipient, intake)
        return intake

    async def acknowledge(self, channel: str, recipient: str, intake: Intake) -> None:
        """Acknowledge a fresh intake and start asking its evidence questions."""
        if intake.duplicate:
            return
        if intake.acknowledgement:
            await self.send(channel, recipient, intake.acknowledgement, intake.ticket_id)
        if intake.new_ticket and intake.ticket_id is not None and intake.reference:
            first = self.interview.start(
                _conversation(channel, recipient),
                intake.ticket_id,
                intake.reference,
                intake.language,
                intake.evidence_questions,
            )
            if first is not None:
                await self.send(channel, recipient, first.text, intake.ticket_id)

    async def send(
        self,
        channel: str,
        recipient: str,
        text: str,
        ticket_id: int | None,
        *,
        public: bool = False,
        reply_to: str | None = None,
    ) -> int:
        outbox_id = await self._outbox.enqueue(
            channel=channel,
            recipient=recipient,
            text=text,
            ticket_id=ticket_id,
            public=public,
            reply_to=reply_to,
        )
        self._kick()
        return outbox_id
