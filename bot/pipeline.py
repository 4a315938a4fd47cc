"""Ingest pipeline: persist → classify → jurisdiction → attach or open a ticket → notify.

The message is written before anything else (idempotent on channel + external_id), so a
crash or a database outage after that point leaves it `pending`; `process_pending()`
picks it up at the next start. Storage calls are retried with backoff first.

Work is done a batch at a time, in three short transactions: persist (multi-row inserts
of customers and messages), load, and triage. Triage decides every message of the batch
in order in memory (so two messages of one customer in one batch attach correctly), then
writes new tickets, clocks, audit events and message states in a handful of bulk
statements, and notifies only after the commit. On PostgreSQL the batch first locks its
customers in id order and re-reads its messages, so workers with overlapping batches
serialise per customer and never triage a message twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import partial
from typing import Any, TypeVar

from bot.clock import Clock
from bot.inbound import InboundMessage
from bot.notify import Notifier, TicketNotice
from bot.pseudonym import Pseudonymizer
from bot.routing import Router, RoutingDecision
from bot.settings import Settings
from bot.ticket_ops import (
    SYSTEM_ACTOR,
    clock_from_spec,
    draft_notice,
    restart_loaded_clock,
    resume_clocks_silently,
    resumed_payload,
)
from classifiers.result import Classification, ComplaintClassifier
from classifiers.taxonomy import Severity
from storage.database import Database
from storage.errors import NotFound, StorageUnavailable
from storage.models import Message, MessageState, SlaClock, Ticket, TicketStatus
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


@dataclass(frozen=True, slots=True)
class _Prepared:
    """A batch loaded and classified, ready for its triage transaction."""

    ids: list[int]
    customers: dict[int, int]  # message id → customer id, for the pending ones
    classified: dict[int, Classification]  # message id → classification, pending ones


@dataclass(slots=True)
class _Planned:
    """One pending message decided in memory; finished once new tickets have ids."""

    message: Message
    classification: Classification
    ticket: Ticket
    new_ticket: bool
    language: str
    notice: TicketNotice  # ticket_id and reference filled in after the insert
    evidence_questions: tuple[str, ...]


class _Batch:
    """The working set of one triage transaction."""

    def __init__(self, repos: Repositories, now: datetime, router: Router) -> None:
        self.repos = repos
        self.now = now
        self._router = router
        self._routes: dict[tuple[str, str, str, datetime], RoutingDecision] = {}
        self.attachable: dict[tuple[int, str], Ticket] = {}  # (customer, category) → ticket
        self.clocks: dict[Ticket, dict[str, SlaClock]] = {}  # by key, in id order
        self.new_tickets: list[Ticket] = []
        self.new_clocks: list[tuple[Ticket, SlaClock]] = []
        self.events: list[tuple[Ticket, str, dict[str, Any]]] = []

    def route(
        self, category: str, severity: str, jurisdiction: str, opened_at: datetime
    ) -> RoutingDecision:
        key = (category, severity, jurisdiction, opened_at)
        decision = self._routes.get(key)
        if decision is None:
            decision = self._router.route(category, severity, jurisdiction, opened_at=opened_at)
            self._routes[key] = decision
        return decision

    def add_clock(self, ticket: Ticket, clock: SlaClock) -> None:
        self.clocks[ticket][clock.key] = clock
        self.new_clocks.append((ticket, clock))

    def record(self, ticket: Ticket, action: str, payload: dict[str, Any]) -> None:
        self.events.append((ticket, action, payload))


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
        """Ingest in order, a batch at a time. Raises StorageUnavailable when the database
        stays away (messages already persisted remain pending).

        Pipelined: while batch N is triaged in the database, batch N+1 is already stored
        and being classified in a worker thread. Database work itself stays sequential and
        in order, so attach decisions see every earlier batch."""
        results: list[IngestResult] = []
        for outcome in await self._ingest(messages, batch_size=batch_size, isolate=False):
            assert isinstance(outcome, IngestResult)  # isolate=False raises failures
            results.append(outcome)
        return results

    async def ingest_each(
        self, messages: Sequence[InboundMessage], *, batch_size: int = 64
    ) -> list[IngestResult | Exception]:
        """`ingest_many` for callers that must answer every message of a batch: a message
        whose triage failed (a bug or data the code cannot handle) comes back as its
        exception, stays pending like in `ingest_many`, and the others keep their results
        (which they could not get again: a second ingest reports them as duplicates).
        Failures of a whole batch (storage away, the classifier raising) still raise."""
        return await self._ingest(messages, batch_size=batch_size, isolate=True)

    async def _ingest(
        self, messages: Sequence[InboundMessage], *, batch_size: int, isolate: bool
    ) -> list[IngestResult | Exception]:
        results: list[IngestResult | Exception] = []
        ahead: tuple[list[tuple[int, bool]], asyncio.Task[_Prepared]] | None = None
        try:
            for start in range(0, len(messages), batch_size):
                batch = messages[start : start + batch_size]
                persisted = await self._retry.run(
                    partial(self._persist, batch), "persisting messages"
                )
                ids = list(dict.fromkeys(message_id for message_id, _ in persisted))
                loaded = await self._retry.run(partial(self._load, ids), "loading messages")
                following = (persisted, asyncio.create_task(self._classify(ids, loaded)))
                if ahead is not None:
                    results.extend(await self._finish_batch(*ahead, isolate=isolate))
                ahead = following
            if ahead is not None:
                done, ahead = ahead, None
                results.extend(await self._finish_batch(*done, isolate=isolate))
        finally:
            if ahead is not None:  # an earlier batch failed: let the classification end
                ahead[1].cancel()
                await asyncio.gather(ahead[1], return_exceptions=True)
        return results

    async def _finish_batch(
        self,
        persisted: list[tuple[int, bool]],
        prepared: asyncio.Task[_Prepared],
        *,
        isolate: bool,
    ) -> list[IngestResult | Exception]:
        ready = await prepared
        decided = await self._decide(ready, isolate=isolate)
        triaged = dict(zip(ready.ids, decided, strict=True))
        results: list[IngestResult | Exception] = []
        seen: set[int] = set()
        for message_id, created in persisted:
            result = triaged[message_id]
            if isinstance(result, Exception):
                pass
            elif message_id in seen:  # the same message twice in one batch
                result = _as_duplicate(result)
            elif not created:
                result = replace(result, duplicate=True)
            seen.add(message_id)
            results.append(result)
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
        pseudonyms = [self._pseudonymizer.pseudonym(m.channel, m.author) for m in batch]
        keys = [(m.channel, storable(m.external_id)) for m in batch]
        async with self._db.transaction() as session:
            repos = Repositories(session)
            customers = await repos.customers_for(
                {pseudonym: m.channel for pseudonym, m in zip(pseudonyms, batch, strict=True)},
                now,
            )
            rows: dict[tuple[str, str], dict[str, Any]] = {}
            for inbound, pseudonym, key in zip(batch, pseudonyms, keys, strict=True):
                rows.setdefault(
                    key,
                    {
                        "channel": inbound.channel,
                        "external_id": key[1],
                        "account": storable_or_none(inbound.account),
                        "customer_id": customers[pseudonym],
                        "kind": inbound.kind,
                        "chat_id": storable_or_none(inbound.chat_id),
                        "reply_to": storable_or_none(inbound.reply_to),
                        "text": storable(inbound.text),
                        "lang_hint": storable_or_none(inbound.lang),
                        "attachments": list(inbound.attachments),
                        "sent_at": inbound.sent_at,
                        "received_at": now,
                        "state": MessageState.PENDING.value,
                    },
                )
            created = await repos.insert_messages(list(rows.values()))
            stored = dict(created)
            if len(stored) < len(rows):
                stored.update(await repos.message_ids_by_external_id(rows.keys() - created.keys()))
        missing = [key for key in rows if key not in stored]
        if missing:
            raise NotFound(f"message {missing[0][0]}/{missing[0][1]} vanished")
        ids: list[tuple[int, bool]] = []
        for key in keys:
            ids.append((stored[key], key in created))
            created.pop(key, None)  # a second copy in the batch is not new
        return ids

    async def _load(self, ids: Sequence[int]) -> list[Message]:
        async with self._db.transaction() as session:
            found = await Repositories(session).messages_by_id(ids)
        for message_id in ids:
            if message_id not in found:
                raise NotFound(f"message {message_id} does not exist")
        return [found[message_id] for message_id in ids]

    async def _triage_ids(self, ids: Sequence[int]) -> None:
        """Triage distinct message ids (classifying the pending ones)."""
        messages = await self._retry.run(partial(self._load, ids), "loading messages")
        await self._decide(await self._classify(ids, messages), isolate=False)

    async def _classify(self, ids: Sequence[int], messages: Sequence[Message]) -> _Prepared:
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
        customers = {m.id: m.customer_id for m in pending}
        return _Prepared(list(ids), customers, classified)

    async def _decide(
        self, prepared: _Prepared, *, isolate: bool
    ) -> list[IngestResult | Exception]:
        """Triage a classified batch in one transaction (one by one if that fails), then
        notify; results in the batch's order. A message whose triage failed is re-raised
        (after the others are done), or with `isolate` returned in its place."""
        ids, customers, classified = prepared.ids, prepared.customers, prepared.classified
        try:
            outcomes = await self._triage_in_one(ids, customers, classified)
        except StorageUnavailable:
            raise
        except Exception as exc:
            if len(ids) == 1:
                if isolate:
                    log.exception("triaging message %s failed; it stays pending", ids[0])
                    return [exc]
                raise
            # Something in one message broke the batch: triage them one at a time so only
            # the culprit stays pending (for the next process_pending).
            log.exception("triaging a batch of %d messages failed; retrying singly", len(ids))
            outcomes = None
        if outcomes is None:
            singly = await self._triage_singly(ids, customers, classified)
            failure = next((r for r in singly if isinstance(r, Exception)), None)
            if failure is not None and not isolate:
                raise failure
            return singly
        for outcome in outcomes:
            await self._notify(outcome)
        return [outcome.result for outcome in outcomes]

    async def _triage_in_one(
        self,
        ids: Sequence[int],
        customers: Mapping[int, int],
        classified: Mapping[int, Classification],
    ) -> list[_Outcome]:
        return await self._retry.run(
            partial(self._triage, ids, customers, classified), f"triaging {len(ids)} messages"
        )

    async def _triage_singly(
        self,
        ids: Sequence[int],
        customers: Mapping[int, int],
        classified: Mapping[int, Classification],
    ) -> list[IngestResult | Exception]:
        """Each id triaged on its own; a failure is returned in the message's place."""
        results: list[IngestResult | Exception] = []
        outcomes: list[_Outcome] = []
        for message_id in ids:
            try:
                done = await self._triage_in_one([message_id], customers, classified)
            except StorageUnavailable:
                raise
            except Exception as exc:
                log.exception("triaging message %s failed; it stays pending", message_id)
                results.append(exc)
                continue
            outcomes.extend(done)
            results.extend(outcome.result for outcome in done)
        for outcome in outcomes:
            await self._notify(outcome)
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

    async def _triage(
        self,
        ids: Sequence[int],
        customers: Mapping[int, int],
        classified: Mapping[int, Classification],
    ) -> list[_Outcome]:
        """One transaction for the batch: decide every message in order, then write."""
        async with self._db.transaction() as session:
            repos = Repositories(session)
            now = self._clock.now()
            # Lock first (PostgreSQL), read after: a message another worker triaged while
            # we classified is seen as triaged here, and its tickets as attachable.
            owners = await repos.customers_by_id(
                {customers[i] for i in ids if i in classified}, lock=True
            )
            messages = await repos.messages_by_id(ids)
            for message_id in ids:
                if message_id not in messages:
                    raise NotFound(f"message {message_id} does not exist")
            to_triage = [
                messages[i]
                for i in ids
                if messages[i].state == MessageState.PENDING.value and i in classified
            ]
            batch = _Batch(repos, now, self._router)
            await self._load_attachable(batch, to_triage, classified)
            planned = {
                message.id: await self._plan(
                    batch,
                    message,
                    classified[message.id],
                    owners[message.customer_id].pseudonym,
                )
                for message in to_triage
            }
            await self._write(batch, list(planned.values()))
            known = await repos.tickets_by_id(
                ticket_id
                for i in ids
                if i not in planned and (ticket_id := messages[i].ticket_id) is not None
            )
            return [
                self._finish(planned[i])
                if i in planned
                else _Outcome(_existing(messages[i], known), None)
                for i in ids
            ]

    async def _load_attachable(
        self,
        batch: _Batch,
        messages: Sequence[Message],
        classified: Mapping[int, Classification],
    ) -> None:
        if not messages:
            return
        window_start = batch.now - timedelta(hours=self._settings.attach_window_hours)
        candidates = await batch.repos.attachable_tickets(
            {m.customer_id for m in messages},
            {classified[m.id].category.value for m in messages},
            window_start,
        )
        for ticket in candidates:  # keep the newest per customer and category
            key = (ticket.customer_id, ticket.category)
            current = batch.attachable.get(key)
            newer = current is None or (
                (ticket.last_customer_message_at, ticket.id)
                > (current.last_customer_message_at, current.id)
            )
            if newer:
                batch.attachable[key] = ticket
        chosen = list(batch.attachable.values())
        clocks = await batch.repos.clocks_for([ticket.id for ticket in chosen])
        for ticket in chosen:
            batch.clocks[ticket] = {clock.key: clock for clock in clocks[ticket.id]}

    async def _plan(
        self, batch: _Batch, message: Message, classification: Classification, customer: str
    ) -> _Planned:
        language = self._language(classification, message)
        key = (message.customer_id, classification.category.value)
        ticket = batch.attachable.get(key)
        new_ticket = ticket is None
        if ticket is None:
            ticket = self._open(batch, message, classification, language)
            batch.attachable[key] = ticket
        else:
            await self._attach(batch, ticket, message, classification)
        batch.record(
            ticket,
            "message_received",
            {
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
        decision = batch.route(
            ticket.category, ticket.severity, ticket.jurisdiction, ticket.opened_at
        )
        notice = draft_notice(
            ticket,
            customer,
            list(batch.clocks[ticket].values()),
            masked_text=self._mask(message.text),
            steps=decision.steps,
            ticket_id=None if new_ticket else ticket.id,
        )
        return _Planned(
            message=message,
            classification=classification,
            ticket=ticket,
            new_ticket=new_ticket,
            language=language,
            notice=notice,
            evidence_questions=self._router.evidence_questions(ticket.playbook, language)
            if new_ticket
            else (),
        )

    async def _write(self, batch: _Batch, planned: Sequence[_Planned]) -> None:
        """Insert the new tickets (ids come back), then clocks, events and message states."""
        repos = batch.repos
        await repos.insert_tickets(batch.new_tickets)
        for ticket, clock in batch.new_clocks:
            clock.ticket_id = ticket.id
        await repos.insert_clocks([clock for _, clock in batch.new_clocks])
        await repos.append_events(
            [
                {
                    "ticket_id": ticket.id,
                    "actor": SYSTEM_ACTOR,
                    "action": action,
                    "at": batch.now,
                    "payload": payload,
                    "dedupe_key": None,
                }
                for ticket, action, payload in batch.events
            ]
        )
        await repos.mark_messages_triaged(
            [
                {
                    "message_id": plan.message.id,
                    "ticket_id": plan.ticket.id,
                    "language": plan.language,
                    "category": plan.classification.category.value,
                    "severity": plan.classification.severity.value,
                    "confidence": plan.classification.confidence,
                    "scores": dict(plan.classification.scores),
                    "triaged_at": batch.now,
                }
                for plan in planned
            ]
        )

    def _finish(self, plan: _Planned) -> _Outcome:
        ticket = plan.ticket
        classification = plan.classification
        acknowledgement = None
        if plan.new_ticket:
            acknowledgement = self._router.render(
                ticket.playbook, "acknowledgement", plan.language, reference=ticket.reference
            )
        result = IngestResult(
            message_id=plan.message.id,
            ticket_id=ticket.id,
            reference=ticket.reference,
            new_ticket=plan.new_ticket,
            duplicate=False,
            category=classification.category.value,
            severity=classification.severity.value,
            language=plan.language,
            confidence=classification.confidence,
            needs_review=classification.needs_review(self._settings.review_threshold),
            jurisdiction=ticket.jurisdiction,
            playbook=ticket.playbook,
            queue=ticket.queue,
            acknowledgement=acknowledgement,
            evidence_questions=plan.evidence_questions,
        )
        notice = replace(plan.notice, ticket_id=ticket.id, reference=ticket.reference)
        return _Outcome(result, notice)

    def _language(self, classification: Classification, message: Message) -> str:
        if classification.language != "und":
            return classification.language
        return message.lang_hint or "und"

    def _open(
        self,
        batch: _Batch,
        message: Message,
        classification: Classification,
        language: str,
    ) -> Ticket:
        now = batch.now
        jurisdiction = self._settings.jurisdiction_for(message.account)
        category = classification.category.value
        severity = classification.severity.value
        decision = batch.route(category, severity, jurisdiction, now)
        ticket = Ticket(
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
        batch.new_tickets.append(ticket)
        batch.clocks[ticket] = {}
        for spec in decision.clocks:
            # The first customer message is covered by the first-response clock; the
            # next-response clock starts with the customer's next message.
            if spec.kind != NEXT_RESPONSE:
                batch.add_clock(ticket, clock_from_spec(spec))
        batch.record(
            ticket,
            "ticket_opened",
            {
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
        batch: _Batch,
        ticket: Ticket,
        message: Message,
        classification: Classification,
    ) -> None:
        now = batch.now
        ticket.last_customer_message_at = now
        ticket.updated_at = now
        if message.chat_id and not ticket.chat_id:
            ticket.chat_id = message.chat_id
        severity = classification.severity.value
        if SEVERITY_RANK[severity] > SEVERITY_RANK.get(ticket.severity, 0):
            decision = batch.route(ticket.category, severity, ticket.jurisdiction, ticket.opened_at)
            batch.record(
                ticket,
                "severity_raised",
                {"from": ticket.severity, "to": severity, "priority": decision.priority},
            )
            ticket.severity = severity
            ticket.priority = decision.priority
        if ticket.status == TicketStatus.WAITING_CUSTOMER.value:
            # The customer answered: the wait is over and paused clocks run again. Only a
            # ticket already stored can be waiting, so it has an id for the replan query.
            ticket.status = TicketStatus.OPEN.value
            resumed = await resume_clocks_silently(batch.repos, self._router, ticket, now)
            if resumed:
                batch.record(ticket, "clocks_resumed", resumed_payload(resumed))
        decision = batch.route(ticket.category, ticket.severity, ticket.jurisdiction, now)
        for spec in decision.clocks:
            if spec.kind == NEXT_RESPONSE:
                existing = batch.clocks[ticket].get(spec.key)
                clock = restart_loaded_clock(existing, ticket, spec)
                if existing is None:
                    batch.add_clock(ticket, clock)


def _existing(message: Message, tickets: Mapping[int, Ticket]) -> IngestResult:
    """The result of a message triaged before (by an earlier run or another worker)."""
    if message.ticket_id is None:
        raise StorageUnavailable(f"message {message.id} has no ticket yet; retry later")
    ticket = tickets.get(message.ticket_id)
    if ticket is None:
        raise NotFound(f"ticket {message.ticket_id} does not exist")
    return IngestResult(
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


def _as_duplicate(result: IngestResult) -> IngestResult:
    """A second copy of a message within one batch: the first copy's ticket, nothing new."""
    return replace(
        result, duplicate=True, new_ticket=False, acknowledgement=None, evidence_questions=()
    )
