"""The channel ports implemented over the core: TriagePipeline + TicketService.

Adapters only see `CustomerDesk`, `OutboxPort`, `CursorPort` and `OpsDesk`; this module
maps them onto the storage engineer's services, plus three small queries the services do
not offer (the retry time of a failed send, a card's message id, an alert acknowledgement).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime

from sqlalchemy import case, select, update

from bot.channels.desk import (
    CaseSummary,
    EvidenceQuestion,
    Intake,
    JurisdictionChange,
    LegalDeadline,
    OutboundMessage,
    Refused,
    ReplyOutcome,
)
from bot.channels.phrases import phrase, pick_language
from bot.clock import Clock
from bot.inbound import InboundMessage
from bot.notify import ClockLine, TicketNotice
from bot.pipeline import IngestResult, TriagePipeline
from bot.routing import Router
from bot.service import (
    JURISDICTION_ROLE,
    Actor,
    ClockInfo,
    NotAuthorised,
    Role,
    TicketDetail,
    TicketService,
    TicketSummary,
)
from classifiers.taxonomy import Category, Claim
from classifiers.verdict import Verdict, Violation
from playbooks.book import PlaybookBook
from storage.database import Database
from storage.errors import InvalidState, NotFound
from storage.models import Outbox, OutboxStatus
from storage.repositories import Repositories

log = logging.getLogger("caretriage.channels.desk")

ERASURE = Category.DATA_RIGHTS_REQUEST.value
LEGAL = "legal"
CANCELLED = "cancelled"


def verdict_from_json(data: dict[str, object]) -> Verdict:
    """The stored verdict of a draft, back as a Verdict."""
    raw = data.get("violations")
    violations = tuple(
        Violation(
            claim=Claim(str(v["claim"])),
            start=int(v["start"]),
            end=int(v["end"]),
            reason=str(v["reason"]),
            suggestion=str(v["suggestion"]),
        )
        for v in (raw if isinstance(raw, list) else [])
    )
    return Verdict(violations=violations, language=str(data.get("language", "und")))


def notice_from(summary: TicketSummary, masked_text: str, steps: tuple[str, ...]) -> TicketNotice:
    return TicketNotice(
        ticket_id=summary.id,
        reference=summary.reference,
        category=summary.category,
        severity=summary.severity,
        priority=summary.priority,
        language=summary.language,
        customer=summary.customer,
        channel=summary.channel,
        masked_text=masked_text,
        queue=summary.queue,
        playbook=summary.playbook,
        confidence=summary.confidence,
        needs_review=summary.needs_review,
        status=summary.status,
        clocks=tuple(
            ClockLine(c.kind, None if c.state == "paused" else c.deadline, c.state)
            for c in summary.clocks
        ),
        steps=steps,
        assignee=summary.assignee,
        jurisdiction=summary.jurisdiction,
    )


class ServiceDesk:
    """CustomerDesk + OutboxPort + CursorPort + OpsDesk over the core services."""

    def __init__(
        self,
        pipeline: TriagePipeline,
        service: TicketService,
        database: Database,
        router: Router,
        book: PlaybookBook,
        clock: Clock,
        *,
        mask: Callable[[str], str],
    ) -> None:
        self._pipeline = pipeline
        self._service = service
        self._db = database
        self._router = router
        self._book = book
        self._clock = clock
        self._mask = mask
        # Intakes ingested ahead in a batch, waiting for their message's `ingest` call;
        # keyed by (channel, external id), which is what makes ingest idempotent too.
        self._held: dict[tuple[str, str], Intake] = {}

    # -- customers -------------------------------------------------------------------------

    def evidence_questions(self, playbook: str, language: str) -> tuple[EvidenceQuestion, ...]:
        return tuple(
            EvidenceQuestion(q.key, q.prompt(language)) for q in self._book.by_id(playbook).evidence
        )

    def _intake(self, result: IngestResult, kind: str) -> Intake:
        language = pick_language(result.language)
        # A message stored earlier but triaged only now (after a crash or an outage) comes
        # back flagged duplicate yet with its acknowledgement: it has not been answered.
        fresh = not result.duplicate or result.acknowledgement is not None
        return Intake(
            duplicate=not fresh,
            language=language,
            category=result.category,
            ticket_id=result.ticket_id,
            reference=result.reference,
            new_ticket=result.new_ticket and fresh,
            acknowledgement=result.acknowledgement,
            public_redirect=(
                self._router.render(result.playbook, "public_redirect", language)
                if kind == "mention"
                else None
            ),
            evidence_questions=(
                self.evidence_questions(result.playbook, language)
                if result.new_ticket and kind != "mention"
                else ()
            ),
        )

    async def ingest(self, message: InboundMessage) -> Intake:
        held = self._held.pop((message.channel, message.external_id), None)
        if held is not None:
            return held
        return await self._answer(await self._pipeline.ingest(message), message)

    async def _ingest_many(self, messages: Sequence[InboundMessage]) -> list[Intake | Exception]:
        """One pipeline pass; per message, in order, its intake or the exception its triage
        raised (it stays pending; the others are unaffected)."""
        outcomes = await self._pipeline.ingest_each(messages)
        intakes: list[Intake | Exception] = []
        for message, outcome in zip(messages, outcomes, strict=True):
            if isinstance(outcome, Exception):
                intakes.append(outcome)
            else:
                intakes.append(await self._answer(outcome, message))
        return intakes

    async def ingest_ahead(self, messages: Sequence[InboundMessage]) -> None:
        if not messages:
            return
        try:
            intakes = await self._ingest_many(messages)
        except Exception as exc:
            # The database away, the classifier failing on the batch...: each message's own
            # ingest call tries again (and fails, if it must, for that message alone).
            log.warning(
                "ingesting a batch of %d messages failed (%s); ingesting them one by one",
                len(messages),
                type(exc).__name__,
            )
            return
        for message, intake in zip(messages, intakes, strict=True):
            if not isinstance(intake, Exception):
                self._held[(message.channel, message.external_id)] = intake

    def forget_ahead(self, messages: Sequence[InboundMessage]) -> None:
        for message in messages:
            self._held.pop((message.channel, message.external_id), None)

    async def _answer(self, result: IngestResult, message: InboundMessage) -> Intake:
        if result.duplicate and await self._unanswered_opening(result, message):
            # Stored and triaged, then the process died before the acknowledgement was
            # queued: answer it now, exactly as the first time.
            result = replace(
                result,
                duplicate=False,
                new_ticket=True,
                acknowledgement=self._router.render(
                    result.playbook,
                    "acknowledgement",
                    pick_language(result.language),
                    reference=result.reference,
                ),
            )
        return self._intake(result, message.kind)

    async def _unanswered_opening(self, result: IngestResult, message: InboundMessage) -> bool:
        """True when `message` opened its ticket and nothing was ever queued to the customer."""
        async with self._db.transaction() as session:
            repos = Repositories(session)
            messages = await repos.ticket_messages(result.ticket_id)
            if not messages or messages[0].external_id != message.external_id:
                return False
            queued = await session.execute(
                select(Outbox.id)
                .where(
                    Outbox.ticket_id == result.ticket_id,
                    Outbox.channel == message.channel,
                    Outbox.recipient == (message.chat_id or message.author),
                )
                .limit(1)
            )
            return queued.scalar_one_or_none() is None

    async def request_erasure(self, message: InboundMessage) -> Intake:
        """/forget: stored as the customer's erasure request, in their words' language."""
        language = pick_language(message.lang)
        result = await self._pipeline.ingest(
            replace(message, text=phrase("erasure_request", language))
        )
        if result.duplicate or not result.new_ticket or result.category == ERASURE:
            return self._intake(result, message.kind)
        summary = await self._service.recategorise(
            result.ticket_id, ERASURE, Actor.system(), reason="customer sent /forget"
        )
        return replace(
            self._intake(replace(result, category=ERASURE, playbook=summary.playbook), "dm"),
            acknowledgement=self._router.render(
                summary.playbook, "acknowledgement", language, reference=result.reference
            ),
        )

    async def record_evidence(
        self, ticket_id: int, key: str, value: str | None, file_ref: str | None, actor: str
    ) -> None:
        if value is None and file_ref is None:
            return
        await self._service.record_evidence(ticket_id, key, value, None, file_ref=file_ref)

    async def open_cases(self, channel: str, author: str) -> list[CaseSummary]:
        tickets = await self._service.customer_open_tickets(channel, author)
        return [CaseSummary(t.reference, t.category, t.status, t.opened_at) for t in tickets]

    # -- outbox ----------------------------------------------------------------------------

    async def enqueue(
        self,
        *,
        channel: str,
        recipient: str,
        text: str,
        ticket_id: int | None = None,
        public: bool = False,
        reply_to: str | None = None,
    ) -> int:
        return await self._service.enqueue_outbound(
            channel, recipient, text, ticket=ticket_id, public=public, reply_to=reply_to
        )

    async def claim_due(self, worker: str, limit: int, channel: str) -> list[OutboundMessage]:
        items = await self._service.claim_due_outbound(worker, limit=limit, channel=channel)
        return [
            OutboundMessage(
                i.id, i.channel, i.recipient, i.text, i.public, i.reply_to, i.ticket_id, i.attempts
            )
            for i in items
        ]

    async def mark_sent(self, outbox_id: int, external_id: str | None) -> None:
        await self._service.mark_sent(outbox_id, external_id)

    async def mark_failed(self, outbox_id: int, error: str, retry_at: datetime) -> None:
        """Recorded by the service (attempts, error, audit); the retry time is the channel's:
        a 429's reset time, or the sender's backoff for 5xx and timeouts."""
        await self._service.mark_failed(outbox_id, error)
        async with self._db.transaction() as session:
            await session.execute(
                update(Outbox)
                .where(Outbox.id == outbox_id, Outbox.status == OutboxStatus.PENDING.value)
                .values(next_attempt_at=retry_at)
                .execution_options(synchronize_session=False)
            )

    async def defer(self, plan: Sequence[tuple[int, datetime]], reason: str) -> None:
        """Planned waits for a recipient's flood limit: each pending row gets its own
        not-before time in one statement; not a failure, so no attempt and no audit."""
        if not plan:
            return
        slots = dict(plan)
        async with self._db.transaction() as session:
            await session.execute(
                update(Outbox)
                .where(Outbox.id.in_(slots), Outbox.status == OutboxStatus.PENDING.value)
                .values(
                    next_attempt_at=case(slots, value=Outbox.id),
                    last_error=reason[:1000],
                    claimed_by=None,
                    claim_until=None,
                )
                .execution_options(synchronize_session=False)
            )

    async def sent_external_id(self, channel: str, recipient: str, ticket_id: int) -> str | None:
        async with self._db.transaction() as session:
            result = await session.execute(
                select(Outbox.external_id)
                .where(
                    Outbox.channel == channel,
                    Outbox.recipient == recipient,
                    Outbox.ticket_id == ticket_id,
                    Outbox.status == OutboxStatus.SENT.value,
                    Outbox.text.startswith("CT-"),
                )
                .order_by(Outbox.id)
                .limit(1)
            )
            return result.scalar_one_or_none()

    # -- cursors ---------------------------------------------------------------------------

    async def cursor(self, channel: str, account: str, stream: str) -> str | None:
        return await self._service.get_cursor(channel, account, stream)

    async def set_cursor(self, channel: str, account: str, stream: str, cursor: str) -> None:
        await self._service.set_cursor(channel, account, stream, cursor)

    # -- agents' console -------------------------------------------------------------------

    async def _actor(
        self, user_id: int, action: str, ticket_id: int | None, *, need: Role = "agent"
    ) -> Actor:
        actor = await self._service.actor_for_telegram(user_id)
        if actor is None:
            await self._audit_stranger(user_id, action, ticket_id, need=need)
            raise Refused(f"telegram user {user_id} is not a configured agent or manager")
        try:
            return await self._service.authorise(actor, action, ticket_id, need=need)
        except NotAuthorised as exc:
            raise Refused(str(exc)) from exc

    async def _audit_stranger(
        self, user_id: int, action: str, ticket_id: int | None, *, need: Role
    ) -> None:
        """The service audits an unknown actor as "unknown"; we know which Telegram user
        tried, and that is what the audit trail must show."""
        async with self._db.transaction() as session:
            repos = Repositories(session)
            if ticket_id is not None:
                try:
                    await repos.ticket(ticket_id)
                except NotFound:
                    ticket_id = None
            await repos.record_event(
                ticket_id=ticket_id,
                actor=f"tg:{user_id}",
                action="refused",
                at=self._clock.now(),
                payload={"attempted": action, "needs": need, "role": None},
            )

    async def _card(self, ticket_id: int) -> TicketNotice:
        detail: TicketDetail = await self._service.get_ticket(ticket_id)
        first = detail.messages[0].text if detail.messages else ""
        return notice_from(detail.summary, self._mask(first), detail.steps)

    async def card(self, ticket_id: int) -> TicketNotice:
        """The full ticket card (the notifier's card source)."""
        return await self._card(ticket_id)

    async def queue(self, user_id: int, limit: int) -> list[TicketNotice]:
        await self._actor(user_id, "view the queue", None)
        summaries = (await self._service.list_queue())[:limit]
        return [notice_from(s, "", ()) for s in summaries]

    async def ticket(self, user_id: int, ticket_id: int) -> TicketNotice:
        await self._actor(user_id, "view a ticket", ticket_id)
        return await self._card(ticket_id)

    async def claim(self, user_id: int, ticket_id: int) -> TicketNotice:
        await self._service.claim(ticket_id, await self._actor(user_id, "claim", ticket_id))
        return await self._card(ticket_id)

    async def escalate(self, user_id: int, ticket_id: int) -> TicketNotice:
        await self._service.escalate(ticket_id, await self._actor(user_id, "escalate", ticket_id))
        return await self._card(ticket_id)

    async def resolve(self, user_id: int, ticket_id: int) -> TicketNotice:
        await self._service.resolve(ticket_id, await self._actor(user_id, "resolve", ticket_id))
        return await self._card(ticket_id)

    async def recategorise(self, user_id: int, ticket_id: int, category: str) -> TicketNotice:
        actor = await self._actor(user_id, "re-categorise", ticket_id)
        await self._service.recategorise(ticket_id, category, actor, reason="ops console")
        return await self._card(ticket_id)

    async def submit_reply(self, user_id: int, ticket_id: int, text: str) -> ReplyOutcome:
        actor = await self._actor(user_id, "reply to a customer", ticket_id)
        draft = await self._service.submit_draft(ticket_id, text, actor)
        verdict = verdict_from_json(draft.verdict)
        outbox_id = await self._service.send_draft(draft.id, actor) if draft.allowed else None
        return ReplyOutcome(draft.id, verdict, outbox_id)

    async def override_reply(self, user_id: int, ticket_id: int, reason: str) -> ReplyOutcome:
        actor = await self._actor(user_id, "override the reply guard", ticket_id, need="manager")
        detail = await self._service.get_ticket(ticket_id)
        blocked = [d for d in detail.drafts if d.status == "blocked"]
        if not blocked:
            raise InvalidState(f"{detail.summary.reference} has no blocked reply to override")
        draft = await self._service.override_draft(blocked[-1].id, reason, actor)
        outbox_id = await self._service.send_draft(draft.id, actor)
        return ReplyOutcome(draft.id, verdict_from_json(draft.verdict), outbox_id)

    async def acknowledge_alert(self, user_id: int, ticket_id: int) -> None:
        actor = await self._actor(user_id, "acknowledge an alert", ticket_id, need="manager")
        async with self._db.transaction() as session:
            await Repositories(session).record_event(
                ticket_id=ticket_id,
                actor=actor.id,
                action="alert_acknowledged",
                at=self._clock.now(),
                payload={"via": "telegram"},
            )

    async def set_jurisdiction(
        self, user_id: int, ticket_id: int, code: str, reason: str
    ) -> JurisdictionChange:
        actor = await self._actor(
            user_id, "change the jurisdiction", ticket_id, need=JURISDICTION_ROLE
        )
        before = (await self._service.get_ticket(ticket_id)).summary
        after = await self._service.set_jurisdiction(ticket_id, code, actor, reason=reason)
        return JurisdictionChange(
            reference=after.reference,
            previous=before.jurisdiction,
            jurisdiction=after.jurisdiction,
            legal=legal_deadlines(before, after),
        )


def legal_deadlines(before: TicketSummary, after: TicketSummary) -> tuple[LegalDeadline, ...]:
    """The legal clocks after a reroute: live ones by deadline, then the ones this reroute
    cancelled (clocks cancelled by an earlier reroute are old news and left out)."""

    def line(clock: ClockInfo) -> LegalDeadline:
        deadline = None if clock.state == "paused" else clock.deadline
        return LegalDeadline(clock.label, deadline, clock.state)

    was_live = {c.key for c in before.clocks if c.kind == LEGAL and c.state != CANCELLED}
    legal = [c for c in after.clocks if c.kind == LEGAL]
    live = sorted((c for c in legal if c.state != CANCELLED), key=lambda c: c.deadline)
    dropped = [c for c in legal if c.state == CANCELLED and c.key in was_live]
    return tuple(line(c) for c in (*live, *dropped))
