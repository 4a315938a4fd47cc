from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from storage_support import (
    DATABASE_KINDS,
    START,
    TEST_PSEUDONYM_KEY,
    Stack,
    inbound,
    playbook_router,
    provision_database,
    stack_for,
)

from bot.pseudonym import Pseudonymizer
from bot.service import (
    Actor,
    DraftBlocked,
    NotAuthorised,
    TicketService,
    outbox_backoff,
)
from bot.ticket_ops import clock_from_spec
from classifiers.taxonomy import Claim
from classifiers.verdict import Verdict, Violation
from playbooks.errors import UnknownJurisdictionError
from storage.errors import InvalidState
from storage.repositories import Repositories

AGENT = Actor("tg:1", "agent")
MANAGER = Actor("tg:2", "manager")
FALSE_CLAIM = "the regulator gave us your data"


class KeywordGuard:
    """Satisfies the ReplyChecker port: blocks one known false claim."""

    def check(
        self,
        text: str,
        lang: str | None = None,
        jurisdiction: str | None = None,
        public: bool = False,
    ) -> Verdict:
        start = text.find(FALSE_CLAIM)
        if start < 0:
            return Verdict((), lang or "en")
        violation = Violation(
            Claim.REGULATOR_GAVE_DATA, start, start + len(FALSE_CLAIM), "false", "say the truth"
        )
        return Verdict((violation,), lang or "en")


@dataclass
class Env:
    stack: Stack
    service: TicketService


@pytest.fixture(params=DATABASE_KINDS)
async def env(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Env]:
    async with provision_database(request.param, tmp_path) as url, stack_for(url) as stack:
        service = TicketService(
            stack.database,
            playbook_router(),
            stack.notifier,
            stack.clock,
            stack.settings,
            pseudonymizer=Pseudonymizer(TEST_PSEUDONYM_KEY),
            guard=KeywordGuard(),
        )
        yield Env(stack, service)


async def test_queue_is_sorted_by_sla_urgency(env: Env) -> None:
    slow = await env.stack.pipeline.ingest(inbound("m1", "[not_privacy/low] hi", author="@a"))
    urgent = await env.stack.pipeline.ingest(inbound("m2", "[staff_misuse/high] x", author="@b"))
    queue = await env.service.list_queue()
    assert queue[0].id == urgent.ticket_id
    assert {t.id for t in queue} == {slow.ticket_id, urgent.ticket_id}
    detail = await env.service.get_ticket(urgent.reference)
    assert detail.summary.external_ids == ("m2",) and detail.steps
    assert [e.action for e in detail.events][:1] == ["ticket_opened"]
    mine = await env.service.customer_open_tickets("telegram", "@B")
    assert [t.id for t in mine] == [urgent.ticket_id]


async def test_unauthorised_actions_are_refused_and_audited(env: Env) -> None:
    result = await env.stack.pipeline.ingest(inbound("m1"))
    with pytest.raises(NotAuthorised):
        await env.service.claim(result.ticket_id, None)
    draft = await env.service.submit_draft(result.ticket_id, f"Hi, {FALSE_CLAIM}.", AGENT)
    with pytest.raises(NotAuthorised):
        await env.service.override_draft(draft.id, "customer insisted", AGENT)
    detail = await env.service.get_ticket(result.ticket_id)
    refusals = [e for e in detail.events if e.action == "refused"]
    assert [r.payload["attempted"] for r in refusals] == [
        "claim a ticket",
        "override a blocked draft",
    ]


async def test_blocked_draft_cannot_be_sent_until_a_manager_overrides(env: Env) -> None:
    result = await env.stack.pipeline.ingest(inbound("m1"))
    draft = await env.service.submit_draft(result.ticket_id, f"Hi, {FALSE_CLAIM}.", AGENT)
    assert not draft.allowed and draft.status == "blocked"
    assert draft.verdict["violations"][0]["claim"] == "regulator_gave_data"
    with pytest.raises(DraftBlocked):
        await env.service.send_draft(draft.id, AGENT)
    overridden = await env.service.override_draft(draft.id, "quoted from the customer", MANAGER)
    assert overridden.status == "pending" and overridden.overridden_by == MANAGER.id
    assert await env.service.send_draft(overridden.id, AGENT) > 0
    stats = await env.service.stats(START - timedelta(days=1), START + timedelta(days=1))
    assert stats.blocked_drafts_by_claim == {"regulator_gave_data": 1}


async def test_sent_reply_stops_the_first_response_clock_and_failures_retry(env: Env) -> None:
    result = await env.stack.pipeline.ingest(inbound("m1"))
    draft = await env.service.submit_draft(result.ticket_id, "We are on it.", AGENT)
    outbox_id = await env.service.send_draft(draft.id, AGENT)
    [item] = await env.service.claim_due_outbound("sender-1")
    assert item.id == outbox_id and item.recipient == "chat-@ana"
    assert await env.service.claim_due_outbound("sender-2") == []  # leased
    retry_at = await env.service.mark_failed(outbox_id, "HTTP 502")
    assert retry_at == env.stack.clock.now() + outbox_backoff(1)
    assert await env.service.claim_due_outbound("sender-1") == []  # not due yet
    env.stack.clock.set(retry_at)
    [again] = await env.service.claim_due_outbound("sender-2")
    assert again.attempts == 1
    await env.service.mark_sent(outbox_id, "tg-msg-9")
    detail = await env.service.get_ticket(result.ticket_id)
    first = next(c for c in detail.summary.clocks if c.key == "first_response")
    assert first.state == "met"
    assert detail.drafts[0].status == "sent"


async def test_pause_and_resume_push_pausable_deadlines(env: Env) -> None:
    result = await env.stack.pipeline.ingest(inbound("m1", account=None))
    before = {c.key: c for c in (await env.service.get_ticket(result.ticket_id)).summary.clocks}
    paused = await env.service.wait_for_customer(result.ticket_id, AGENT, "ID check")
    env.stack.clock.advance(timedelta(days=3))
    resumed = await env.service.resume(result.ticket_id, AGENT)
    assert resumed == paused
    after = {c.key: c for c in (await env.service.get_ticket(result.ticket_id)).summary.clocks}
    for key in paused:
        assert after[key].deadline > before[key].deadline
        assert after[key].state == "running"
    for key in set(before) - set(paused):
        assert after[key].deadline == before[key].deadline
    with pytest.raises(InvalidState):
        await env.service.resume(result.ticket_id, AGENT)


async def test_recategorisation_recomputes_clocks_and_is_audited(env: Env) -> None:
    result = await env.stack.pipeline.ingest(inbound("m1", "[not_privacy/medium] hola"))
    summary = await env.service.recategorise(
        result.ticket_id, "data_rights_request", AGENT, reason="asks for erasure"
    )
    expected = playbook_router().route("data_rights_request", "medium", "EU", opened_at=START)
    assert (summary.playbook, summary.queue) == (expected.playbook, expected.queue)
    live = {c.key: c for c in summary.clocks if c.state != "cancelled"}
    for spec in expected.clocks:
        if spec.kind != "next_response":
            assert live[spec.key].deadline == spec.deadline  # computed from the opening time
    detail = await env.service.get_ticket(result.ticket_id)
    [event] = [e for e in detail.events if e.action == "rerouted"]
    assert event.payload["before"]["category"] == "not_privacy"
    with pytest.raises(ValueError, match="unknown category 'spam'"):
        await env.service.recategorise(result.ticket_id, "spam", AGENT)


async def test_jurisdiction_override_changes_the_legal_clock(env: Env) -> None:
    result = await env.stack.pipeline.ingest(inbound("m1"))
    eu = {
        c.key: c.deadline for c in (await env.service.get_ticket(result.ticket_id)).summary.clocks
    }
    with pytest.raises(NotAuthorised):  # moving statutory deadlines is a manager's call
        await env.service.set_jurisdiction(result.ticket_id, "BR", AGENT, reason="lives in SP")
    with pytest.raises(ValueError, match="needs a reason"):
        await env.service.set_jurisdiction(result.ticket_id, "BR", MANAGER, reason=" ")
    with pytest.raises(UnknownJurisdictionError, match="known codes: EU"):
        await env.service.set_jurisdiction(result.ticket_id, "XX", MANAGER, reason="typo")
    summary = await env.service.set_jurisdiction(
        result.ticket_id, "BR", MANAGER, reason="lives in São Paulo"
    )
    br = {c.key: c.deadline for c in summary.clocks if c.state != "cancelled"}
    assert summary.jurisdiction == "BR"
    assert br["legal:dsar"] < eu["legal:dsar"]  # LGPD 15 days < GDPR one month
    detail = await env.service.get_ticket(result.ticket_id)
    [refused] = [e for e in detail.events if e.action == "refused"]
    assert refused.actor == AGENT.id and refused.payload["needs"] == "manager"
    [rerouted] = [e for e in detail.events if e.action == "rerouted"]
    assert rerouted.payload["reason"] == "lives in São Paulo"


async def test_a_legal_clock_cancelled_by_a_jurisdiction_change_comes_back_with_it(
    env: Env,
) -> None:
    result = await env.stack.pipeline.ingest(inbound("m1", "[staff_misuse/high] he texts me"))
    eu = await env.service.get_ticket(result.ticket_id)
    [breach] = [c for c in eu.summary.clocks if c.key == "legal:breach_notification"]
    chile = await env.service.set_jurisdiction(result.ticket_id, "CL", MANAGER, reason="a")
    assert {c.key: c.state for c in chile.clocks}["legal:breach_notification"] == "cancelled"
    back = await env.service.set_jurisdiction(result.ticket_id, "EU", MANAGER, reason="b")
    [again] = [c for c in back.clocks if c.key == "legal:breach_notification"]
    assert again.state == "running" and again.deadline == breach.deadline


async def test_resolved_ticket_refuses_new_clocks_and_actions(env: Env) -> None:
    result = await env.stack.pipeline.ingest(inbound("m1"))
    await env.service.record_evidence(result.ticket_id, "contract_number", "[masked]", AGENT)
    await env.service.resolve(result.ticket_id, AGENT, "data erased")
    detail = await env.service.get_ticket(result.ticket_id)
    assert detail.summary.status == "resolved" and detail.evidence == {
        "contract_number": "[masked]"
    }
    assert {c.state for c in detail.summary.clocks} <= {"met"}
    with pytest.raises(InvalidState):
        await env.service.claim(result.ticket_id, AGENT)
    async with env.stack.database.transaction() as session:
        repos = Repositories(session)
        ticket = await repos.ticket(result.ticket_id)
        spec = playbook_router().route("data_rights_request", "medium", "EU", opened_at=START)
        with pytest.raises(InvalidState, match="no SLA clock"):
            await repos.add_clock(ticket, clock_from_spec(spec.clocks[0]))


async def test_cursors_round_trip(env: Env) -> None:
    assert await env.service.get_cursor("x", "movil-es", "mentions") is None
    await env.service.set_cursor("x", "movil-es", "mentions", "100")
    await env.service.set_cursor("x", "movil-es", "mentions", "200")
    assert await env.service.get_cursor("x", "movil-es", "mentions") == "200"
