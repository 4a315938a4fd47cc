"""The agents' ops group and the escalation chat, end to end over the fake Bot API."""

from __future__ import annotations

from pathlib import Path

from channel_builders import (
    AGENT,
    ESCALATION_CHAT,
    MANAGER,
    OPS_CHAT,
    STRANGER,
    TOKEN,
    ChannelStack,
    channel_stack,
    eventually,
)
from sqlalchemy import select
from storage_support import inbound

from bot.channels.ops_console import render_jurisdiction_change
from bot.fakes.telegram_server import FakeTelegramServer, FakeUser, SentMessage
from bot.notify import SlaNotice
from storage.models import TicketEvent

CUSTOMER = FakeUser(5002, "Pablo", language_code="es")
COMPLAINT = "[unknown_data_source/medium] Me llegan SMS de una empresa a la que nunca di mi número"
BLOCKED_REPLY = "La AEPD nos dio sus datos personales, por eso le escribimos."
CLEAN_REPLY = "Hemos registrado su caso y dejaremos de enviarle mensajes comerciales."


def in_ops(containing: str) -> object:
    return lambda m: m.chat_id == OPS_CHAT and containing in m.text


async def opened_case(tg: FakeTelegramServer, stack: ChannelStack) -> tuple[str, SentMessage]:
    tg.push_message(CUSTOMER, COMPLAINT)
    await tg.wait_for_sent(lambda m: m.chat_id == CUSTOMER.id and "CT-" in m.text, within=8)
    reference = stack.recorded.opened[0].reference
    card = await tg.wait_for_sent(in_ops(reference), within=5)
    return reference, card


def agent_says(tg: FakeTelegramServer, user: FakeUser, text: str) -> None:
    tg.push_message(user, text, chat_id=OPS_CHAT, chat_type="supergroup")


async def events(stack: ChannelStack, action: str) -> list[TicketEvent]:
    async with stack.database.transaction() as session:
        rows = await session.execute(select(TicketEvent).where(TicketEvent.action == action))
        return list(rows.scalars())


async def test_blocked_reply_never_reaches_the_customer_a_clean_one_does(tmp_path: Path) -> None:
    async with FakeTelegramServer(TOKEN) as tg, channel_stack(tmp_path, tg) as stack:
        reference, _ = await opened_case(tg, stack)
        agent_says(tg, AGENT, f"/reply {reference} {BLOCKED_REPLY}")
        verdict = await tg.wait_for_sent(in_ops("BLOCKED"), within=5)
        assert "regulator_gave_data" in verdict.text and "Compliant wording:" in verdict.text

        agent_says(tg, AGENT, f"/reply {reference} {CLEAN_REPLY}")
        await tg.wait_for_sent(lambda m: m.chat_id == CUSTOMER.id and m.text == CLEAN_REPLY)
        assert not any(BLOCKED_REPLY in m.text for m in tg.messages_to(CUSTOMER.id))

        ticket_id = stack.recorded.opened[0].ticket_id

        async def first_response_met() -> bool:
            detail = await stack.service.get_ticket(ticket_id)
            return any(
                c.kind == "first_response" and c.state == "met" for c in detail.summary.clocks
            )

        await eventually(first_response_met)


async def test_only_managers_override_and_the_override_is_sent(tmp_path: Path) -> None:
    async with FakeTelegramServer(TOKEN) as tg, channel_stack(tmp_path, tg) as stack:
        reference, _ = await opened_case(tg, stack)
        agent_says(tg, AGENT, f"/reply {reference} {BLOCKED_REPLY}")
        await tg.wait_for_sent(in_ops("BLOCKED"), within=5)
        agent_says(tg, AGENT, f"/override {reference} the customer asked for the exact quote")
        await tg.wait_for_sent(in_ops("Refused"), within=5)
        assert not any(BLOCKED_REPLY in m.text for m in tg.messages_to(CUSTOMER.id))
        agent_says(tg, MANAGER, f"/override {reference} legal reviewed the wording")
        await tg.wait_for_sent(lambda m: m.chat_id == CUSTOMER.id and m.text == BLOCKED_REPLY)
        [override] = await events(stack, "draft_overridden")
        assert override.actor == f"tg:{MANAGER.id}"


async def test_unauthorised_user_cannot_claim_or_reply_and_is_audited(tmp_path: Path) -> None:
    async with FakeTelegramServer(TOKEN) as tg, channel_stack(tmp_path, tg) as stack:
        reference, card = await opened_case(tg, stack)
        ticket_id = stack.recorded.opened[0].ticket_id
        tg.push_callback(STRANGER, card, f"claim:{ticket_id}")
        agent_says(tg, STRANGER, f"/reply {reference} {CLEAN_REPLY}")
        await tg.wait_for_sent(in_ops("Refused"), within=5)

        async def refused_twice() -> bool:
            return len(await events(stack, "refused")) == 2

        await eventually(refused_twice)
        assert any("Refused" in a.get("text", "") for a in tg.callback_answers)
        detail = await stack.service.get_ticket(ticket_id)
        assert detail.summary.assignee is None
        assert not any(CLEAN_REPLY in m.text for m in tg.messages_to(CUSTOMER.id))
        assert {e.actor for e in await events(stack, "refused")} == {f"tg:{STRANGER.id}"}
        attempted = sorted(e.payload["attempted"] for e in await events(stack, "refused"))
        assert attempted == ["claim", "reply to a customer"]


async def test_buttons_update_the_card_in_place(tmp_path: Path) -> None:
    async with FakeTelegramServer(TOKEN) as tg, channel_stack(tmp_path, tg) as stack:
        reference, card = await opened_case(tg, stack)
        ticket_id = stack.recorded.opened[0].ticket_id
        tg.push_callback(AGENT, card, f"claim:{ticket_id}")

        async def claimed_on_card() -> bool:
            return any(f"tg:{AGENT.id}" in edit for edit in card.edits)

        await eventually(claimed_on_card)
        tg.push_callback(AGENT, card, f"recat:{ticket_id}")

        async def picker_shown() -> bool:
            rows = (card.reply_markup or {}).get("inline_keyboard", [])
            return any(b["callback_data"].startswith("setcat:") for row in rows for b in row)

        await eventually(picker_shown)
        tg.push_callback(AGENT, card, f"setcat:{ticket_id}:data_rights_request")

        async def recategorised() -> bool:
            return bool(card.edits) and card.edits[-1].count("data_rights_request") >= 1

        await eventually(recategorised)
        detail = await stack.service.get_ticket(ticket_id)
        assert detail.summary.category == "data_rights_request"
        assert len([m for m in tg.messages_to(OPS_CHAT) if m.text.startswith(reference)]) == 1


async def test_queue_and_ticket_commands(tmp_path: Path) -> None:
    async with FakeTelegramServer(TOKEN) as tg, channel_stack(tmp_path, tg) as stack:
        reference, _ = await opened_case(tg, stack)
        agent_says(tg, AGENT, "/queue")
        listing = await tg.wait_for_sent(in_ops("most urgent first"), within=5)
        assert reference in listing.text
        agent_says(tg, AGENT, f"/ticket {reference.lower()}")

        async def two_cards() -> bool:
            return len([m for m in tg.messages_to(OPS_CHAT) if m.text.startswith(reference)]) == 2

        await eventually(two_cards)


async def test_sla_breach_reaches_the_escalation_chat_and_a_manager_acknowledges(
    tmp_path: Path,
) -> None:
    async with FakeTelegramServer(TOKEN) as tg, channel_stack(tmp_path, tg) as stack:
        reference, _ = await opened_case(tg, stack)
        opened = stack.recorded.opened[0]
        await stack.hub.sla_event(
            SlaNotice(
                ticket_id=opened.ticket_id,
                reference=reference,
                clock_kind="first_response",
                event="breach",
                due_at=opened.clocks[0].due_at or stack.runtime.clock.now(),
                severity="medium",
                queue=opened.queue,
                escalate_to="care_lead",
            )
        )
        alert = await tg.wait_for_sent(
            lambda m: m.chat_id == ESCALATION_CHAT and "SLA BREACH" in m.text, within=5
        )
        tg.push_callback(AGENT, alert, f"ack:{opened.ticket_id}")  # agents may not
        tg.push_callback(MANAGER, alert, f"ack:{opened.ticket_id}")

        async def acknowledged() -> bool:
            return any("Acknowledged by" in e for e in alert.edits)

        await eventually(acknowledged)
        [ack] = await events(stack, "alert_acknowledged")
        assert ack.actor == f"tg:{MANAGER.id}"
        assert any(e.actor == f"tg:{AGENT.id}" for e in await events(stack, "refused"))


async def card_posted(stack: ChannelStack, ticket_id: int) -> None:
    """Wait until the card's Telegram message id is stored: updates edit that message."""

    async def stored() -> bool:
        return await stack.desk.sent_external_id("telegram", str(OPS_CHAT), ticket_id) is not None

    await eventually(stored)


async def test_a_manager_moves_a_ticket_to_another_jurisdiction(tmp_path: Path) -> None:
    async with FakeTelegramServer(TOKEN) as tg, channel_stack(tmp_path, tg) as stack:
        reference, card = await opened_case(tg, stack)
        ticket_id = stack.recorded.opened[0].ticket_id
        await card_posted(stack, ticket_id)
        agent_says(tg, MANAGER, f"/jurisdiction {reference.lower()} cl customer lives in Santiago")
        answer = await tg.wait_for_sent(in_ops(f"Jurisdiction of {reference}: ES → CL"), within=5)

        detail = await stack.service.get_ticket(ticket_id)
        assert detail.summary.jurisdiction == "CL"
        [dsar] = [c for c in detail.summary.clocks if c.key == "legal:dsar"]
        due = dsar.deadline.strftime("%Y-%m-%d %H:%M UTC")
        assert dsar.label.startswith("dsar:")  # the Chilean period in force today
        assert f"• {dsar.label}: {due} (running)" in answer.text

        assert "jurisdiction ES" in card.text

        async def card_shows_new_deadline() -> bool:
            return bool(card.edits) and f"legal: {due}" in card.edits[-1]

        await eventually(card_shows_new_deadline)
        assert "jurisdiction CL" in card.edits[-1]
        assert len([m for m in tg.messages_to(OPS_CHAT) if m.text.startswith(reference)]) == 1
        [rerouted] = await events(stack, "rerouted")
        assert rerouted.actor == f"tg:{MANAGER.id}"
        assert rerouted.payload["reason"] == "customer lives in Santiago"
        assert rerouted.payload["before"]["jurisdiction"] == "ES"


async def test_jurisdiction_command_refuses_agents_and_explains_bad_input(
    tmp_path: Path,
) -> None:
    async with FakeTelegramServer(TOKEN) as tg, channel_stack(tmp_path, tg) as stack:
        reference, _ = await opened_case(tg, stack)
        ticket_id = stack.recorded.opened[0].ticket_id
        agent_says(tg, AGENT, f"/jurisdiction {reference} CL the customer is in Chile")
        await tg.wait_for_sent(in_ops("Refused"), within=5)
        agent_says(tg, STRANGER, f"/jurisdiction {reference} CL trust me")

        async def refused_twice() -> bool:
            return len(await events(stack, "refused")) == 2

        await eventually(refused_twice)
        refusals = await events(stack, "refused")
        assert {e.actor for e in refusals} == {f"tg:{AGENT.id}", f"tg:{STRANGER.id}"}
        assert {e.payload["needs"] for e in refusals} == {"manager"}

        agent_says(tg, MANAGER, f"/jurisdiction {reference} XX typo")
        unknown = await tg.wait_for_sent(in_ops("Unknown jurisdiction XX"), within=5)
        assert "Known codes: EU, IT, ES" in unknown.text and "CL" in unknown.text
        agent_says(tg, MANAGER, f"/jurisdiction {reference} CL")
        await tg.wait_for_sent(in_ops("Usage: /jurisdiction CT-000042 CL reason"), within=5)
        agent_says(tg, MANAGER, "/jurisdiction CT-999999 CL no such case")
        await tg.wait_for_sent(in_ops("No ticket CT-999999"), within=5)

        detail = await stack.service.get_ticket(ticket_id)
        assert detail.summary.jurisdiction == "ES"
        assert not await events(stack, "rerouted")


async def test_the_answer_names_legal_clocks_the_new_jurisdiction_drops(tmp_path: Path) -> None:
    async with channel_stack(tmp_path, start=False) as stack:
        result = await stack.pipeline.ingest(inbound("m1", "[staff_misuse/high] he texts me"))
        change = await stack.desk.set_jurisdiction(
            MANAGER.id, result.ticket_id, "CL", "customer is in Chile"
        )
        assert (change.previous, change.jurisdiction) == ("ES", "CL")
        [dropped] = change.legal  # Chile's table has no breach-notification period
        assert dropped.label.startswith("breach notification") and dropped.state == "cancelled"
        assert "breach notification: 72 hours" in render_jurisdiction_change(change)
        assert "no longer applies" in render_jurisdiction_change(change)
