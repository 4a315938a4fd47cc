"""Ingest pipeline: persist → classify → jurisdiction → attach or open a ticket → notify.

The message is written before anything else (idempotent on channel + external_id), so a
crash or a database outage after that point leaves it `pending`; `process_pending()`
picks it up at the next start. Storage calls are retried with backoff first.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import partial
from typing import TypeVar

from bot.clock import Clock
from bot.inbound import InboundMessage
from bot.notify import Notifier, TicketNotice
from bot.pseudonym import Pseudonymizer
from bot.routing import Router
from bot.settings import Settings
from bot.ticket_ops import (
    SYSTEM_ACTOR,
    TicketView,
    build_notice,
    clock_from_spec,
    restart_clock,
    resume_clocks,
)
from classifiers.result import Classification, ComplaintClassifier
from classifiers.taxonomy import Severity
from storage.database import Database
from storage.errors import StorageUnavailable
from storage.models import Message, MessageState, Ticket, TicketStatus
from storage.repositories import Repositories
from storage.sanitize import storable, storable_or_none

log = logging.getLogger(__name__)

T = TypeVar("T")

NEXT_RESPONSE = "next_response"
SEVERITY_RANK = {Severity.LOW.value: 0, Severity.MEDIUM.value: 1, Severity.HIGH.value: 2}


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Backoff between attempts at one storage step; the last failure is raised."""

    delays: tuple[float, ...] = (0.1, 0.5, 2.0)
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep

    async def run(self, step: Callable[[], Awaitable[T]], what: str) -> T:
        for delay in self.delays:
            try:
                return await step()
            except StorageUnavailable as exc:
                log.warning("%s failed (%s); retrying in %.1fs", what, exc, delay)
                await self.sleep(delay)
        return await step()


@dataclass(frozen=True, slots=True)
class IngestResult:
    message_id: int
    ticket_id: int
    reference: str
    new_ticket: bool
    duplicate: bool
    category: str
    severity: str
    language: str
    confidence: float
    needs_review: bool
    jurisdiction: str
    playbook: str
    queue: str
    acknowledgement: str | None  # only for a new ticket, in the customer's language
    evidence_questions: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class _Outcome:
    result: IngestResult
    notice: TicketNotice | None


class TriagePipeline:
    def __init__(
        self,
        database: Database,
        classifier: ComplaintClassifier,
        router: Router,
        pseudonymizer: Pseudonymizer,
        notifier: Notifier,
        clock: Clock,
        settings: Settings,
        *,
        mask: Callable[[str], str],
        retry: RetryPolicy | None = None,
    ) -> None:
        self._db = database
        self._classifier = classifier
        self._router = router
        self._pseudonymizer = pseudonymizer
        self._notifier = notifier
        self._clock = clock
        self._settings = settings
        self._mask = mask
        self._retry = retry or RetryPolicy()
        self._classify_lock = asyncio.Lock()

    async def ingest(self, message: InboundMessage) -> IngestResult:
        return (await self.ingest_many([message]))[0]

    async def ingest_many(
        self, messages: Sequence[InboundMessage], *, batch_size: int = 64
    ) -> list[IngestResult]:
        """Ingest in order; classification is batched. Raises StorageUnavailable when the
        database stays away (messages already persisted remain pending)."""
        results: list[IngestResult] = []
        for start in range(0, len(messages), batch_size):
            batch = messages[start : start + batch_size]
            persisted = await self._retry.run(partial(self._persist, batch), "persisting messages")
            triaged = await self._triage_ids([message_id for message_id, _ in persisted])
            results.extend(
                result if created else replace(result, duplicate=True)
                for (_, created), result in zip(persisted, triaged, strict=True)
            )
        return results

    async def process_pending(self, *, limit: int = 10_000, batch_size: int = 64) -> int:
        """Triage messages persisted but never triaged (after a crash or an outage)."""
        done = 0
        while done < limit:
            ids = await self._retry.run(
                partial(self._pending_ids, min(batch_size, limit - done)), "reading pending"
            )
            if not ids:
                break
            await self._triage_ids(ids)
            done += len(ids)
        return done

    async def _pending_ids(self, limit: int) -> list[int]:
        async with self._db.transaction() as session:
            return await Repositories(session).pending_message_ids(limit)

    async def _persist(self, batch: Sequence[InboundMessage]) -> list[tuple[int, bool]]:
        """Store the batch; returns (message id, newly stored) per message, same order."""
        now = self._clock.now()
        ids: list[tuple[int, bool]] = []
        async with self._db.transaction() as session:
            repos = Repositories(session)
            for inbound in batch:
                pseudonym = self._pseudonymizer.pseudonym(inbound.channel, inbound.author)
                customer = await repos.customer_for(pseudonym, inbound.channel, now)
                message, created = await repos.insert_message(
                    {
                        "channel": inbound.channel,
                        "external_id": storable(inbound.external_id),
                        "account": storable_or_none(inbound.account),
                        "customer_id": customer.id,
                        "kind": inbound.kind,
                        "chat_id": storable_or_none(inbound.chat_id),
                        "reply_to": storable_or_none(inbound.reply_to),
                        "text": storable(inbound.text),
                        "lang_hint": storable_or_none(inbound.lang),
                        "attachments": list(inbound.attachments),
                        "sent_at": inbound.sent_at,
                        "received_at": now,
                        "state": MessageState.PENDING.value,
                    }
                )
                ids.append((message.id, created))
        return ids

    async def _load(self, ids: Sequence[int]) -> list[Message]:
        async with self._db.transaction() as session:
            repos = Repositories(session)
            return [await repos.message(message_id) for message_id in ids]

    async def _triage_ids(self, ids: Sequence[int]) -> list[IngestResult]:
        messages = await self._retry.run(partial(self._load, ids), "loading messages")
        pending = [m for m in messages if m.state == MessageState.PENDING.value]
        classified: dict[int, Classification] = {}
        if pending:
            async with self._classify_lock:
                found = await asyncio.to_thread(
                    self._classifier.classify,
                    [m.text for m in pending],
                    [m.lang_hint for m in pending],
                )
            classified = {m.id: c for m, c in zip(pending, found, strict=True)}
        results: list[IngestResult] = []
        for message in messages:
            classification = classified.get(message.id)
            outcome = await self._retry.run(
                partial(self._triage_one, message.id, classification),
                f"triaging message {message.id}",
            )
            if outcome.notice is not None:
                await self._notify(outcome)
            results.append(outcome.result)
        return results

    async def _notify(self, outcome: _Outcome) -> None:
        notice = outcome.notice
        if notice is None:
            return
        try:
            if outcome.result.new_ticket:
                await self._notifier.ticket_opened(notice)
            else:
                await self._notifier.ticket_updated(notice)
        except Exception:
            # The ticket is stored and visible in the queue; a notifier outage must not
            # turn a stored message into a failed ingest.
            log.exception("notifying about ticket %s failed", outcome.result.reference)

    async def _triage_one(self, message_id: int, classification: Classification | None) -> _Outcome:
        async with self._db.transaction() as session:
            repos = Repositories(session)
            message = await repos.message(message_id)
            if message.state != MessageState.PENDING.value or classification is None:
                return await self._existing(repos, message)
            # Serialise triage per customer so two workers cannot open twin tickets.
            await repos.lock_customer(message.customer_id)
            now = self._clock.now()
            language = self._language(classification, message)
            needs_review = classification.needs_review(self._settings.review_threshold)
            window_start = now - timedelta(hours=self._settings.attach_window_hours)
            ticket = await repos.attachable_ticket(
                message.customer_id, classification.category.value, window_start
            )
            values = {
                "language": language,
                "category": classification.category.value,
                "severity": classification.severity.value,
                "confidence": classification.confidence,
                "scores": dict(classification.scores),
                "triaged_at": now,
            }
            if ticket is None:
                ticket = await self._open(repos, message, classification, language, now)
                new_ticket = True
            else:
                await self._attach(repos, ticket, message, classification, now)
                new_ticket = False
            if not await repos.mark_message_triaged(message.id, {**values, "ticket_id": ticket.id}):
                # Another worker triaged it between our read and this write: undo ours.
                raise _AlreadyTriaged(message.id)
            await repos.record_event(
                ticket_id=ticket.id,
                actor=SYSTEM_ACTOR,
                action="message_received",
                at=now,
                payload={
                    "message_id": message.id,
                    "channel": message.channel,
                    "external_id": message.external_id,
                    "category": classification.category.value,
                    "severity": classification.severity.value,
                    "confidence": round(classification.confidence, 4),
                    "language": language,
                    "attached": not new_ticket,
                },
            )
            view = await TicketView.load(repos, ticket)
            decision = self._router.route(
                ticket.category, ticket.severity, ticket.jurisdiction, opened_at=ticket.opened_at
            )
            acknowledgement = None
            if new_ticket:
                acknowledgement = self._router.render(
                    ticket.playbook, "acknowledgement", language, reference=ticket.reference
                )
            result = IngestResult(
                message_id=message.id,
                ticket_id=ticket.id,
                reference=ticket.reference,
                new_ticket=new_ticket,
                duplicate=False,
                category=classification.category.value,
                severity=classification.severity.value,
                language=language,
                confidence=classification.confidence,
                needs_review=needs_review,
                jurisdiction=ticket.jurisdiction,
                playbook=ticket.playbook,
                queue=ticket.queue,
                acknowledgement=acknowledgement,
                evidence_questions=self._router.evidence_questions(ticket.playbook, language)
                if new_ticket
                else (),
            )
            notice = build_notice(view, masked_text=self._mask(message.text), steps=decision.steps)
            return _Outcome(result, notice)

    def _language(self, classification: Classification, message: Message) -> str:
        if classification.language != "und":
            return classification.language
        return message.lang_hint or "und"

    async def _open(
        self,
        repos: Repositories,
        message: Message,
        classification: Classification,
        language: str,
        now: datetime,
    ) -> Ticket:
        jurisdiction = self._settings.jurisdiction_for(message.account)
        category = classification.category.value
        severity = classification.severity.value
        decision = self._router.route(category, severity, jurisdiction, opened_at=now)
        ticket = await repos.add_ticket(
            Ticket(
                customer_id=message.customer_id,
                channel=message.channel,
                account=message.account,
                chat_id=message.chat_id,
                category=category,
                severity=severity,
                priority=decision.priority,
                language=language,
                jurisdiction=jurisdiction,
                jurisdiction_overridden=False,
                playbook=decision.playbook,
                queue=decision.queue,
                status=TicketStatus.OPEN.value,
                confidence=classification.confidence,
                needs_review=classification.needs_review(self._settings.review_threshold),
                escalation_level=0,
                opened_at=now,
                updated_at=now,
                last_customer_message_at=now,
            )
        )
        for spec in decision.clocks:
            # The first customer message is covered by the first-response clock; the
            # next-response clock starts with the customer's next message.
            if spec.kind != NEXT_RESPONSE:
                await repos.add_clock(ticket, clock_from_spec(spec))
        await repos.record_event(
            ticket_id=ticket.id,
            actor=SYSTEM_ACTOR,
            action="ticket_opened",
            at=now,
            payload={
                "category": category,
                "severity": severity,
                "priority": decision.priority,
                "jurisdiction": jurisdiction,
                "playbook": decision.playbook,
                "queue": decision.queue,
                "clocks": {
                    spec.kind: spec.deadline.isoformat()
                    for spec in decision.clocks
                    if spec.kind != NEXT_RESPONSE
                },
            },
        )
        return ticket

    async def _attach(
        self,
        repos: Repositories,
        ticket: Ticket,
        message: Message,
        classification: Classification,
        now: datetime,
    ) -> None:
        ticket.last_customer_message_at = now
        ticket.updated_at = now
        if message.chat_id and not ticket.chat_id:
            ticket.chat_id = message.chat_id
        severity = classification.severity.value
        if SEVERITY_RANK[severity] > SEVERITY_RANK.get(ticket.severity, 0):
            decision = self._router.route(
                ticket.category, severity, ticket.jurisdiction, opened_at=ticket.opened_at
            )
            await repos.record_event(
                ticket_id=ticket.id,
                actor=SYSTEM_ACTOR,
                action="severity_raised",
                at=now,
                payload={"from": ticket.severity, "to": severity, "priority": decision.priority},
            )
            ticket.severity = severity
            ticket.priority = decision.priority
        if ticket.status == TicketStatus.WAITING_CUSTOMER.value:
            # The customer answered: the wait is over and paused clocks run again.
            ticket.status = TicketStatus.OPEN.value
            await resume_clocks(repos, self._router, ticket, now, actor=SYSTEM_ACTOR)
        decision = self._router.route(
            ticket.category, ticket.severity, ticket.jurisdiction, opened_at=now
        )
        for spec in decision.clocks:
            if spec.kind == NEXT_RESPONSE:
                await restart_clock(repos, ticket, spec)

    async def _existing(self, repos: Repositories, message: Message) -> _Outcome:
        if message.ticket_id is None:
            raise StorageUnavailable(f"message {message.id} has no ticket yet; retry later")
        ticket = await repos.ticket(message.ticket_id)
        result = IngestResult(
            message_id=message.id,
            ticket_id=ticket.id,
            reference=ticket.reference,
            new_ticket=False,
            duplicate=True,
            category=message.category or ticket.category,
            severity=message.severity or ticket.severity,
            language=message.language or ticket.language,
            confidence=message.confidence if message.confidence is not None else 0.0,
            needs_review=ticket.needs_review,
            jurisdiction=ticket.jurisdiction,
            playbook=ticket.playbook,
            queue=ticket.queue,
            acknowledgement=None,
        )
        return _Outcome(result, None)


class _AlreadyTriaged(StorageUnavailable):
    """Raised inside the triage transaction to roll it back; the retry then reads the
    other worker's result as a duplicate."""

    def __init__(self, message_id: int) -> None:
        super().__init__(f"message {message_id} was triaged by another worker")
