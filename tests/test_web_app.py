from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from storage_support import (
    DATABASE_KINDS,
    Stack,
    inbound,
    playbook_router,
    provision_database,
    stack_for,
)

from bot.service import TicketService
from bot.web.app import DashboardConfigError, create_app
from bot.web.auth import hash_password
from bot.web.data import DashboardData
from bot.web.server import serve_dashboard
from storage.models import ReplyDraft, TicketEvent

TOKEN = "dashboard-test-token-123"
HTML_ATTACK = "<script>alert('x')</script>"


@pytest.fixture(params=DATABASE_KINDS)
async def stack(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Stack]:
    async with provision_database(request.param, tmp_path) as url, stack_for(url) as built:
        yield built


async def seed(stack: Stack) -> None:
    await stack.pipeline.ingest(
        inbound("m1", "[staff_misuse/high] the technician texts me at night", author="@ana")
    )
    await stack.pipeline.ingest(
        inbound(
            "m2", f"[debt_collection/medium] collectors call {HTML_ATTACK}", author="@bo", lang="pt"
        )
    )
    await stack.pipeline.ingest(inbound("m3", "[not_privacy/low] internet is slow", author="@cy"))
    stack.clock.advance(timedelta(hours=2))
    await stack.engine("w1").tick()
    async with stack.database.transaction() as session:
        session.add(
            ReplyDraft(
                ticket_id=1,
                author="agent-ana",
                text="The regulator gave us your data.",
                public=False,
                language="en",
                allowed=False,
                status="blocked",
                verdict={
                    "violations": [
                        {
                            "claim": "regulator_gave_data",
                            "reason": "false",
                            "suggestion": "say the truth",
                        }
                    ]
                },
                created_at=stack.clock.now(),
                updated_at=stack.clock.now(),
            )
        )


def data_for(stack: Stack) -> DashboardData:
    return DashboardData(stack.database, stack.clock, mask=lambda t: t.replace("@", "[at]"))


async def test_queue_api_needs_auth_and_sorts_by_urgency(stack: Stack) -> None:
    await seed(stack)
    app = create_app(data_for(stack), stack.clock, host="127.0.0.1", token=TOKEN)
    async with (
        serve_dashboard(app, "127.0.0.1", 0) as base,
        httpx.AsyncClient(base_url=base, timeout=10) as client,
    ):
        assert (await client.get("/api/tickets")).status_code == 401
        page = await client.get("/", follow_redirects=False)
        assert page.status_code == 303 and page.headers["location"] == "/login"
        auth = {"Authorization": f"Bearer {TOKEN}"}
        rows = (await client.get("/api/tickets", headers=auth)).json()
        assert rows[0]["category"] == "staff_misuse"  # 1 h first response: breached
        assert rows[0]["breached"] is True
        deadlines = [r["next_deadline"] for r in rows[1:] if r["next_deadline"]]
        assert deadlines == sorted(deadlines)
        only = (await client.get("/api/tickets?category=debt_collection", headers=auth)).json()
        assert [r["category"] for r in only] == ["debt_collection"]
        breached = (await client.get("/api/tickets?breached=yes", headers=auth)).json()
        assert {r["category"] for r in breached} == {"staff_misuse"}


async def test_pages_escape_customer_text_and_show_reports(stack: Stack) -> None:
    await seed(stack)
    app = create_app(data_for(stack), stack.clock, host="127.0.0.1", token=TOKEN)
    async with (
        serve_dashboard(app, "127.0.0.1", 0) as base,
        httpx.AsyncClient(
            base_url=base, timeout=10, headers={"Authorization": f"Bearer {TOKEN}"}
        ) as client,
    ):
        queue = await client.get("/")
        assert queue.status_code == 200 and "CT-000001" in queue.text
        ticket = await client.get("/tickets/2")
        assert HTML_ATTACK not in ticket.text
        assert "&lt;script&gt;" in ticket.text
        reports = await client.get("/reports")
        assert reports.status_code == 200
        assert reports.text.count("<svg") >= 4
        assert "regulator_gave_data" in reports.text
        assert (await client.get("/tickets/999")).status_code == 404
        api = (await client.get("/api/reports")).json()
        assert api["blocked_by_claim"] == {"regulator_gave_data": 1}
        assert any(b["clock"] == "first_response" for b in api["breaches"])


async def test_metrics_and_health_are_open_and_count_from_the_database(stack: Stack) -> None:
    await seed(stack)
    app = create_app(
        data_for(stack),
        stack.clock,
        host="127.0.0.1",
        token=TOKEN,
        channel_health=lambda: {"telegram": True, "x": False},
    )
    async with (
        serve_dashboard(app, "127.0.0.1", 0) as base,
        httpx.AsyncClient(base_url=base, timeout=10) as client,
    ):
        metrics = (await client.get("/metrics")).text
        assert "caretriage_messages_ingested_total 3.0" in metrics
        assert 'caretriage_channel_healthy{channel="x"} 0.0' in metrics
        assert "caretriage_drafts_blocked_total 1.0" in metrics
        health = (await client.get("/healthz")).json()
        assert health == {"status": "ok", "channels": {"telegram": True, "x": False}}
        spec = (await client.get("/openapi.json")).json()
        assert "/api/tickets" in spec["paths"]


async def test_login_roles_decide_who_sees_contacts(stack: Stack) -> None:
    await seed(stack)
    pw = hash_password("pw-manager", salt=b"0123456789abcdef")
    pw2 = hash_password("pw-agent", salt=b"0123456789abcdef")
    app = create_app(
        data_for(stack),
        stack.clock,
        host="127.0.0.1",
        users_spec=f"mia:manager:{pw},aldo:agent:{pw2}",
    )
    async with serve_dashboard(app, "127.0.0.1", 0) as base:
        async with httpx.AsyncClient(base_url=base, timeout=10) as client:
            bad = await client.post("/login", data={"username": "mia", "password": "nope"})
            assert bad.status_code == 401
            ok = await client.post("/login", data={"username": "mia", "password": "pw-manager"})
            assert ok.status_code == 303
            detail = (await client.get("/api/tickets/1")).json()
            assert detail["contact"] == "chat-@ana"
        async with httpx.AsyncClient(base_url=base, timeout=10) as client:
            await client.post("/login", data={"username": "aldo", "password": "pw-agent"})
            detail = (await client.get("/api/tickets/1")).json()
            assert detail["contact"] is None
            assert "chat-@ana" not in (await client.get("/tickets/1")).text


async def test_dashboard_refuses_to_start_open_outside_demo_on_loopback(stack: Stack) -> None:
    data = data_for(stack)
    with pytest.raises(DashboardConfigError, match="CARETRIAGE_DASHBOARD_TOKEN"):
        create_app(data, stack.clock, host="127.0.0.1")
    with pytest.raises(DashboardConfigError):
        create_app(data, stack.clock, host="0.0.0.0", demo=True)
    create_app(data, stack.clock, host="127.0.0.1", demo=True)


def acting_app(stack: Stack, users: str) -> tuple[TicketService, FastAPI]:
    """A dashboard whose buttons act through a real TicketService; every user's password
    is "pw"; `users` is "name:role,…"."""
    service = TicketService(
        stack.database, playbook_router(), stack.notifier, stack.clock, stack.settings
    )
    pw = hash_password("pw", salt=b"0123456789abcdef")
    spec = ",".join(f"{entry}:{pw}" for entry in users.split(","))
    app = create_app(
        data_for(stack), stack.clock, host="127.0.0.1", actions=service, users_spec=spec
    )
    return service, app


async def test_ticket_actions_need_csrf_and_a_role_that_may_act(stack: Stack) -> None:
    await seed(stack)
    _, app = acting_app(stack, "mia:manager,vic:viewer")
    async with serve_dashboard(app, "127.0.0.1", 0) as base:
        async with httpx.AsyncClient(base_url=base, timeout=10) as client:
            await client.post("/login", data={"username": "mia", "password": "pw"})
            page = (await client.get("/tickets/1")).text
            token = re.search(r'name="csrf" value="([^"]+)"', page)
            assert token is not None
            forged = await client.post("/tickets/1/claim", data={"csrf": "forged"})
            assert forged.status_code == 403
            done = await client.post("/tickets/1/claim", data={"csrf": token.group(1)})
            assert done.status_code == 303
            assert (await client.get("/api/tickets/1")).json()["assignee"] == "web:mia"
        async with httpx.AsyncClient(base_url=base, timeout=10) as client:
            await client.post("/login", data={"username": "vic", "password": "pw"})
            page = (await client.get("/tickets/2")).text
            token = re.search(r'name="csrf" value="([^"]+)"', page)
            assert token is not None
            refused = await client.post("/tickets/2/resolve", data={"csrf": token.group(1)})
            assert refused.status_code == 403
    async with stack.database.transaction() as session:
        refusals = (
            (
                await session.execute(
                    select(TicketEvent).where(
                        TicketEvent.action == "refused", TicketEvent.ticket_id == 2
                    )
                )
            )
            .scalars()
            .all()
        )
    assert len(refusals) == 1 and refusals[0].actor == "unknown"


async def refusals_on(stack: Stack, ticket_id: int) -> list[TicketEvent]:
    async with stack.database.transaction() as session:
        rows = await session.execute(
            select(TicketEvent).where(
                TicketEvent.action == "refused", TicketEvent.ticket_id == ticket_id
            )
        )
        return list(rows.scalars())


def csrf_of(page: str) -> str:
    token = re.search(r'name="csrf" value="([^"]+)"', page)
    assert token is not None
    return token.group(1)


async def test_managers_change_the_jurisdiction_with_a_reason(stack: Stack) -> None:
    await seed(stack)
    service, app = acting_app(stack, "mia:manager,aldo:agent,vic:viewer")
    before = await service.get_ticket(2)  # debt_collection: the EU sets no complaint period
    assert not [c for c in before.summary.clocks if c.kind == "legal"]
    async with serve_dashboard(app, "127.0.0.1", 0) as base:
        async with httpx.AsyncClient(base_url=base, timeout=10) as client:
            await client.post("/login", data={"username": "mia", "password": "pw"})
            page = (await client.get("/tickets/2")).text
            assert 'id="jurisdiction-form"' in page and '<option value="BR"' in page
            token = csrf_of(page)
            form = {"csrf": token, "jurisdiction": "BR", "reason": "customer lives in Recife"}
            forged = await client.post("/tickets/2/jurisdiction", data={**form, "csrf": "x"})
            assert forged.status_code == 403
            no_reason = await client.post("/tickets/2/jurisdiction", data={**form, "reason": ""})
            assert no_reason.status_code == 400 and "reason" in no_reason.text
            unknown = await client.post(
                "/tickets/2/jurisdiction", data={**form, "jurisdiction": "XX"}
            )
            assert unknown.status_code == 400 and "known codes: EU" in unknown.text
            done = await client.post("/tickets/2/jurisdiction", data=form)
            assert done.status_code == 303
            assert done.headers["location"] == "/tickets/2?notice=jurisdiction+BR"
            shown = await client.get(done.headers["location"])
            assert "Done: jurisdiction BR." in shown.text
            assert (await client.get("/api/tickets/2")).json()["jurisdiction"] == "BR"
        for name in ("aldo", "vic"):
            async with httpx.AsyncClient(base_url=base, timeout=10) as client:
                await client.post("/login", data={"username": name, "password": "pw"})
                page = (await client.get("/tickets/3")).text
                assert 'id="jurisdiction-form"' not in page
                refused = await client.post(
                    "/tickets/3/jurisdiction",
                    data={"csrf": csrf_of(page), "jurisdiction": "BR", "reason": "try"},
                )
                assert refused.status_code == 403
    after = await service.get_ticket(2)
    [br_clock] = [c for c in after.summary.clocks if c.kind == "legal"]
    assert br_clock.key == "legal:complaint_response" and br_clock.state == "running"
    [rerouted] = [e for e in after.events if e.action == "rerouted"]
    assert rerouted.actor == "web:mia"
    assert rerouted.payload["reason"] == "customer lives in Recife"
    assert (
        rerouted.payload["before"]["jurisdiction"],
        rerouted.payload["after"]["jurisdiction"],
    ) == ("EU", "BR")
    assert (await service.get_ticket(3)).summary.jurisdiction == "EU"
    assert sorted(e.actor for e in await refusals_on(stack, 3)) == ["unknown", "web:aldo"]
