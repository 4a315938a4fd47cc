"""The dashboard application: pages, JSON API, /metrics, /healthz.

Access: every page and API call needs a signed-in user (configured users) or the bearer
token, except /healthz and /metrics (no personal data). Demo mode on a loopback address is
the one exception: the person at the keyboard owns the machine and the data is fake.
"""

from __future__ import annotations

import ipaddress
import secrets
from collections.abc import Callable, Mapping
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from bot.clock import Clock
from bot.service import (
    JURISDICTION_ROLE,
    Actor,
    NotAuthorised,
    ServiceError,
    TicketService,
    permits,
)
from bot.web.auth import DashboardUser, SessionSigner, parse_users, verify_password
from bot.web.charts import bar_chart, percent_bars, stacked_columns
from bot.web.data import DashboardData, QueueFilters, attainment_rows
from bot.web.metrics import render_metrics
from playbooks.errors import UnknownJurisdictionError
from playbooks.jurisdictions import load_jurisdictions
from storage.errors import InvalidState, NotFound

HERE = Path(__file__).parent
SESSION_COOKIE = "ct_session"
FILTER_FIELDS = (
    ("queue", "queue"),
    ("category", "category"),
    ("language", "language"),
    ("severity", "severity"),
    ("status", "status"),
)


class DashboardConfigError(ValueError):
    """The dashboard cannot start as configured; the message says what to set."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class NotSignedIn(Exception):
    pass


def current_user(request: Request) -> DashboardUser:
    authenticate: Callable[[Request], DashboardUser] = request.app.state.authenticate
    return authenticate(request)


# Module level: FastAPI resolves these annotations from the module's globals.
User = Annotated[DashboardUser, Depends(current_user)]
FilterParam = Annotated[str | None, Query(max_length=60)]


def create_app(
    data: DashboardData,
    clock: Clock,
    *,
    host: str,
    demo: bool = False,
    token: str | None = None,
    users_spec: str | None = None,
    session_secret: bytes | None = None,
    channel_health: Callable[[], Mapping[str, bool]] | None = None,
    actions: TicketService | None = None,
) -> FastAPI:
    users = parse_users(users_spec) if users_spec else {}
    open_access = demo and is_loopback(host)
    if not open_access and not users and not token:
        raise DashboardConfigError(
            "the dashboard needs CARETRIAGE_DASHBOARD_TOKEN or CARETRIAGE_DASHBOARD_USERS "
            "(only `caretriage demo` on a loopback address runs without a login)"
        )
    signer = SessionSigner(session_secret or secrets.token_bytes(32), clock)
    health = channel_health or (lambda: {})
    open_session = secrets.token_urlsafe(16)  # CSRF binding when demo mode has no cookie
    # (code, name) pairs for the jurisdiction picker; the service re-checks the code when
    # routing, so this list only shapes the form.
    table = load_jurisdictions() if actions is not None else None
    jurisdictions = [(code, table[code].name) for code in table] if table is not None else []

    def csrf_for(request: Request) -> str:
        return signer.csrf_token(request.cookies.get(SESSION_COOKIE) or open_session)

    templates = Jinja2Templates(directory=str(HERE / "templates"))

    app = FastAPI(
        title="caretriage dashboard API",
        version="1",
        description="Read API behind the caretriage dashboard. Authenticate with "
        "`Authorization: Bearer <CARETRIAGE_DASHBOARD_TOKEN>` or a session cookie.",
        docs_url=None,
        redoc_url=None,
    )
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    def authenticate(request: Request) -> DashboardUser:
        if open_access:
            return DashboardUser("demo", "manager")
        auth = request.headers.get("authorization", "")
        if (
            token
            and auth.startswith("Bearer ")
            and secrets.compare_digest(auth.removeprefix("Bearer ").encode(), token.encode())
        ):
            return DashboardUser("token", "manager")
        cookie = request.cookies.get(SESSION_COOKIE)
        user = signer.verify(cookie) if cookie else None
        if user is None:
            raise NotSignedIn()
        return user

    app.state.authenticate = authenticate

    @app.exception_handler(NotSignedIn)
    async def _not_signed_in(request: Request, exc: NotSignedIn) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": "authentication required"}, status_code=401)
        return RedirectResponse("/login", status_code=303)

    def page(request: Request, name: str, user: DashboardUser | None, **context: Any) -> Response:
        return templates.TemplateResponse(
            request,
            name,
            {
                "user": user,
                "can_logout": not open_access and user is not None,
                "csrf": csrf_for(request),
                **context,
            },
        )

    # -- sign-in -----------------------------------------------------------------------------

    @app.get("/login", response_class=HTMLResponse, include_in_schema=False)
    async def login_form(request: Request) -> Response:
        return page(request, "login.html", None, error=None)

    @app.post("/login", include_in_schema=False)
    async def login(
        request: Request,
        username: Annotated[str, Form(max_length=100)] = "",
        password: Annotated[str, Form(max_length=500)] = "",
    ) -> Response:
        user: DashboardUser | None = None
        known = users.get(username)
        if known is not None and verify_password(password, known.password_hash):
            user = known
        elif (
            token
            and username in ("", "token")
            and secrets.compare_digest(password.encode(), token.encode())
        ):
            user = DashboardUser("token", "manager")
        if user is None:
            response = page(request, "login.html", None, error="Wrong user or password.")
            response.status_code = 401
            return response
        response = RedirectResponse("/", status_code=303)
        response.set_cookie(
            SESSION_COOKIE,
            signer.issue(user),
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
        )
        return response

    @app.get("/logout", include_in_schema=False)
    async def logout() -> Response:
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE)
        return response

    # -- pages -------------------------------------------------------------------------------

    def queue_filters(
        queue: str | None,
        category: str | None,
        language: str | None,
        severity: str | None,
        status: str | None,
        breached: str | None,
    ) -> QueueFilters:
        return QueueFilters(
            queue=queue or None,
            category=category or None,
            language=language or None,
            severity=severity or None,
            status=status or None,
            breached=breached == "yes",
        )

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def queue_page(
        request: Request,
        user: User,
        queue: FilterParam = None,
        category: FilterParam = None,
        language: FilterParam = None,
        severity: FilterParam = None,
        status: FilterParam = None,
        breached: FilterParam = None,
    ) -> Response:
        filters = queue_filters(queue, category, language, severity, status, breached)
        rows = await data.queue(filters)
        options = await data.filter_options()
        chosen = {k: v for k, v in asdict(filters).items() if isinstance(v, str)}
        if filters.breached:
            chosen["breached"] = "yes"
        return page(
            request,
            "queue.html",
            user,
            nav="queue",
            rows=rows,
            filters=chosen,
            filter_fields=[(n, label, options.get(n, [])) for n, label in FILTER_FIELDS],
            clock_offset_ms=_clock_offset_ms(clock),
        )

    @app.get("/tickets/{ticket_id}", response_class=HTMLResponse, include_in_schema=False)
    async def ticket_page(request: Request, ticket_id: int, user: User) -> Response:
        detail = await data.ticket(ticket_id, with_contact=user.sees_contacts)
        if detail is None:
            raise HTTPException(404, "no such ticket")
        return page(
            request,
            "ticket.html",
            user,
            nav="queue",
            t=detail,
            clock_offset_ms=_clock_offset_ms(clock),
            can_act=actions is not None,
            can_set_jurisdiction=actions is not None
            and permits(_actor_for(user), JURISDICTION_ROLE),
            jurisdictions=jurisdictions,
            notice=request.query_params.get("notice"),
        )

    # Registered before the generic action route, which would otherwise match this path.
    @app.post("/tickets/{ticket_id}/jurisdiction", include_in_schema=False)
    async def ticket_jurisdiction(
        request: Request,
        ticket_id: int,
        user: User,
        csrf: Annotated[str, Form(max_length=200)] = "",
        jurisdiction: Annotated[str, Form(max_length=20)] = "",
        reason: Annotated[str, Form(max_length=500)] = "",
    ) -> Response:
        """Override the ticket's jurisdiction; its legal clocks are recomputed."""
        if not signer.check_csrf(request.cookies.get(SESSION_COOKIE) or open_session, csrf):
            raise HTTPException(403, "missing or wrong CSRF token; reload the page")
        if actions is None:
            raise HTTPException(404, "no such action")
        code = jurisdiction.strip().upper()
        try:
            # The service checks the role before the form, so a refused attempt is
            # audited even when the form was incomplete.
            await actions.set_jurisdiction(ticket_id, code, _actor_for(user), reason=reason.strip())
        except NotAuthorised as exc:
            raise HTTPException(403, str(exc)) from exc
        except NotFound as exc:
            raise HTTPException(404, "no such ticket") from exc
        except (ValueError, UnknownJurisdictionError) as exc:  # no reason, or an unknown code
            raise HTTPException(400, str(exc)) from exc
        except (ServiceError, InvalidState) as exc:
            raise HTTPException(409, str(exc)) from exc
        return RedirectResponse(f"/tickets/{ticket_id}?notice=jurisdiction+{code}", status_code=303)

    @app.post("/tickets/{ticket_id}/{action}", include_in_schema=False)
    async def ticket_action(
        request: Request,
        ticket_id: int,
        action: str,
        user: User,
        csrf: Annotated[str, Form(max_length=200)] = "",
    ) -> Response:
        """Claim, escalate or resolve from the ticket page (cookie sessions need the token)."""
        if not signer.check_csrf(request.cookies.get(SESSION_COOKIE) or open_session, csrf):
            raise HTTPException(403, "missing or wrong CSRF token; reload the page")
        if actions is None or action not in ("claim", "escalate", "resolve"):
            raise HTTPException(404, "no such action")
        actor = _actor_for(user)
        try:
            if action == "claim":
                await actions.claim(ticket_id, actor)
            elif action == "escalate":
                await actions.escalate(ticket_id, actor, reason="from the dashboard")
            else:
                await actions.resolve(ticket_id, actor, note="from the dashboard")
        except NotAuthorised as exc:
            raise HTTPException(403, str(exc)) from exc
        except ServiceError as exc:
            raise HTTPException(409, str(exc)) from exc
        return RedirectResponse(f"/tickets/{ticket_id}?notice={action}", status_code=303)

    @app.get("/reports", response_class=HTMLResponse, include_in_schema=False)
    async def reports_page(request: Request, user: User) -> Response:
        reports = await data.reports()
        charts = {
            "volume": stacked_columns(reports.volume_by_day, title="Tickets per day by category"),
            "by_language": bar_chart(reports.by_language, title="Tickets by language"),
            "sla_by_queue": percent_bars(
                attainment_rows(reports.attainment_by_queue, "first_response"),
                title="First response met, by queue",
            ),
            "sla_by_playbook": percent_bars(
                attainment_rows(reports.attainment_by_playbook, "resolution"),
                title="Resolution met, by playbook",
            ),
            "blocked_by_claim": bar_chart(
                reports.blocked_by_claim, title="Blocked drafts by claim"
            ),
        }
        attainment = list(reports.attainment_by_queue) + list(reports.attainment_by_playbook)
        return page(
            request,
            "reports.html",
            user,
            nav="reports",
            charts=charts,
            attainment=attainment,
            breaches=reports.breaches,
        )

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    async def api_docs(request: Request) -> Response:
        spec = app.openapi()
        rows = "".join(
            f"<tr><td><code>{method.upper()}</code></td><td><code>{path}</code></td>"
            f"<td>{op.get('summary', '')}</td></tr>"
            for path, ops in spec["paths"].items()
            for method, op in ops.items()
        )
        return HTMLResponse(
            "<!doctype html><title>caretriage API</title>"
            '<link rel="stylesheet" href="/static/app.css"><main><h1>caretriage API</h1>'
            '<p>Machine-readable spec: <a href="/openapi.json">/openapi.json</a></p>'
            f"<table><tr><th>Method</th><th>Path</th><th>What</th></tr>{rows}</table></main>"
        )

    # -- JSON API ----------------------------------------------------------------------------

    @app.get("/api/tickets", summary="Tickets by SLA urgency, with the same filters as the page")
    async def api_tickets(
        user: User,
        queue: FilterParam = None,
        category: FilterParam = None,
        language: FilterParam = None,
        severity: FilterParam = None,
        status: FilterParam = None,
        breached: FilterParam = None,
    ) -> list[dict[str, Any]]:
        rows = await data.queue(
            queue_filters(queue, category, language, severity, status, breached)
        )
        return [asdict(r) for r in rows]

    @app.get("/api/tickets/{ticket_id}", summary="One ticket with clocks, messages, drafts")
    async def api_ticket(ticket_id: int, user: User) -> dict[str, Any]:
        detail = await data.ticket(ticket_id, with_contact=user.sees_contacts)
        if detail is None:
            raise HTTPException(404, "no such ticket")
        return asdict(detail)

    @app.get("/api/reports", summary="Volume, SLA attainment, breaches, blocked drafts")
    async def api_reports(user: User) -> dict[str, Any]:
        reports = await data.reports()
        body = asdict(reports)
        body["attainment_by_queue"] = [
            {**asdict(a), "percent": a.percent} for a in reports.attainment_by_queue
        ]
        body["attainment_by_playbook"] = [
            {**asdict(a), "percent": a.percent} for a in reports.attainment_by_playbook
        ]
        return body

    # -- operations --------------------------------------------------------------------------

    @app.get("/healthz", summary="Liveness and database reachability")
    async def healthz() -> Response:
        try:
            await data.healthy()
        except Exception as exc:  # any failure means "not healthy"; the reason is shown
            return JSONResponse(
                {"status": "unhealthy", "database": type(exc).__name__}, status_code=503
            )
        return JSONResponse({"status": "ok", "channels": dict(health())})

    @app.get("/metrics", summary="Prometheus metrics")
    async def metrics() -> Response:
        snapshot = await data.metrics()
        return Response(
            render_metrics(snapshot, health()),
            media_type="text/plain; version=0.0.4; charset=utf-8",
        )

    return app


def _actor_for(user: DashboardUser) -> Actor | None:
    """Dashboard roles onto service roles; a viewer may look but not act (refusal audited)."""
    if user.role == "manager":
        return Actor(f"web:{user.name}", "manager")
    if user.role in ("agent", "dpo"):
        return Actor(f"web:{user.name}", "agent")
    return None


def _clock_offset_ms(clock: Clock) -> int:
    """How far the product clock is ahead of wall time (the demo compresses time)."""
    return int((clock.now() - datetime.now(UTC)).total_seconds() * 1000)
