from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from classifiers.taxonomy import Category, Severity
from playbooks.book import PlaybookBook, load_playbooks
from playbooks.errors import UnknownJurisdictionError
from playbooks.jurisdictions import JurisdictionTable, load_jurisdictions
from playbooks.routing import Route, reroute, route
from playbooks.sla import Pause

BOOK: PlaybookBook = load_playbooks()
TABLE: JurisdictionTable = load_jurisdictions()

EXPECTED_QUEUES = {
    Category.STAFF_MISUSE: "security_hr",
    Category.UNKNOWN_DATA_SOURCE: "privacy_dpo",
    Category.DEBT_COLLECTION: "collections_vendor",
    Category.TELEMARKETING_OPTOUT: "privacy_dpo",
    Category.WHOLESALE_DATA_MISUSE: "wholesale_compliance",
    Category.DATA_RIGHTS_REQUEST: "privacy_dpo",
    Category.NOT_PRIVACY: "care",
}


def routed(
    category: Category,
    jurisdiction: str,
    opened_at: datetime,
    severity: Severity = Severity.MEDIUM,
) -> Route:
    return route(category, severity, jurisdiction, opened_at=opened_at, book=BOOK, table=TABLE)


def end_of_day(zone: str, day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59, 999999), tzinfo=ZoneInfo(zone)).astimezone(UTC)


@pytest.mark.parametrize("category", list(Category))
def test_every_category_routes_to_its_playbook(category: Category) -> None:
    result = routed(category, "IT", datetime(2026, 3, 2, 10, tzinfo=UTC))
    assert result.playbook_id == f"{category.value}.v1"
    assert result.queue == EXPECTED_QUEUES[category]
    assert result.category is category
    assert {"first_response", "next_response", "resolution"} <= {c.key for c in result.clocks}
    assert result.steps and result.escalation_chain[0] == "care"
    assert all(c.deadline > c.warn_at > c.started_at for c in result.clocks)


def test_staff_misuse_high_is_p1_and_runs_the_breach_clock() -> None:
    opened = datetime(2026, 3, 2, 10, tzinfo=UTC)
    result = routed(Category.STAFF_MISUSE, "IT", opened, Severity.HIGH)
    assert result.priority == "P1"
    assert result.clock("first_response").deadline == datetime(2026, 3, 2, 11, tzinfo=UTC)
    assert result.clock("legal:breach_notification").deadline == datetime(
        2026, 3, 5, 10, tzinfo=UTC
    )
    evidence_keys = {q.key for q in result.evidence}
    assert {"staff_identity", "screenshots"} <= evidence_keys
    assert routed(Category.NOT_PRIVACY, "IT", opened, Severity.LOW).priority == "P4"


@pytest.mark.parametrize(
    ("jurisdiction", "opened_local", "due_local"),
    [
        ("IT", datetime(2026, 1, 31, 18), date(2026, 2, 28)),  # GDPR 1 month at month end
        ("ES", datetime(2026, 3, 31, 9), date(2026, 4, 30)),
        ("UK", datetime(2026, 5, 3, 9), date(2026, 6, 3)),
        ("BR", datetime(2026, 4, 10, 9), date(2026, 4, 25)),  # LGPD 15 calendar days
        ("US_CA", datetime(2026, 2, 1, 9), date(2026, 3, 18)),  # CCPA 45 days
        ("CL", datetime(2026, 11, 27, 9), date(2026, 12, 1)),  # Ley 19.628: 2 working days
        ("CL", datetime(2026, 12, 1, 9), date(2026, 12, 31)),  # Ley 21.719: 30 calendar days
        # 152-FZ 10 working days from Fri 30 Oct 2026: weekend + 4 Nov holiday skipped.
        ("RU", datetime(2026, 10, 30, 9), date(2026, 11, 16)),
    ],
)
def test_dsar_legal_clock_per_jurisdiction(
    jurisdiction: str, opened_local: datetime, due_local: date
) -> None:
    zone = TABLE.get(jurisdiction).timezone
    opened = opened_local.replace(tzinfo=ZoneInfo(zone))
    result = routed(Category.DATA_RIGHTS_REQUEST, jurisdiction, opened)
    legal = result.clock("legal:dsar")
    assert legal.deadline == end_of_day(zone, due_local)
    assert legal.started_at == opened
    # Internal resolution target is 60 % of the statutory budget.
    resolution = result.clock("resolution")
    assert opened < resolution.deadline < legal.deadline


def test_chile_switch_is_decided_by_the_local_receipt_date() -> None:
    # 03:30 UTC on 1 Dec is still 30 Nov in Santiago (UTC-3): the old law applies.
    result = routed(Category.DATA_RIGHTS_REQUEST, "CL", datetime(2026, 12, 1, 2, 30, tzinfo=UTC))
    assert result.clock("legal:dsar").period.unit == "working_days"


def test_ccpa_adds_the_acknowledgement_clock() -> None:
    result = routed(Category.DATA_RIGHTS_REQUEST, "US_CA", datetime(2026, 2, 2, 17, tzinfo=UTC))
    assert result.clock("legal:dsar_acknowledgement").deadline == end_of_day(
        "America/Los_Angeles",
        date(2026, 2, 17),  # 10 working days, Presidents' Day skipped
    )
    with pytest.raises(KeyError):
        routed(Category.DATA_RIGHTS_REQUEST, "IT", datetime(2026, 2, 2, tzinfo=UTC)).clock(
            "legal:dsar_acknowledgement"
        )


def test_unverified_periods_are_reported_not_timed() -> None:
    result = routed(Category.DEBT_COLLECTION, "IT", datetime(2026, 2, 2, tzinfo=UTC))
    assert [kind for kind, _ in result.unverified_legal] == ["complaint_response"]
    assert all(not c.key.startswith("legal") for c in result.clocks)
    chile = routed(Category.DEBT_COLLECTION, "CL", datetime(2026, 2, 2, 12, tzinfo=UTC))
    assert chile.clock("legal:complaint_response").period.amount == 5


def test_unknown_jurisdiction_is_an_error() -> None:
    with pytest.raises(UnknownJurisdictionError, match="'XX'"):
        routed(Category.NOT_PRIVACY, "XX", datetime(2026, 2, 2, tzinfo=UTC))


def test_pausable_resolution_clock_is_extended_but_first_response_is_not() -> None:
    opened = datetime(2026, 3, 2, 8, tzinfo=UTC)  # Monday 09:00 Rome
    waiting = [Pause(datetime(2026, 3, 3, 8, tzinfo=UTC), datetime(2026, 3, 5, 8, tzinfo=UTC))]
    plain = routed(Category.TELEMARKETING_OPTOUT, "IT", opened)
    paused = route(
        Category.TELEMARKETING_OPTOUT, Severity.MEDIUM, "IT", opened_at=opened, book=BOOK,
        table=TABLE, pauses={"resolution": waiting, "first_response": waiting},
    )  # fmt: skip
    assert paused.clock("first_response").deadline == plain.clock("first_response").deadline
    assert paused.clock("resolution").deadline == end_of_day("Europe/Rome", date(2026, 3, 11))
    assert plain.clock("resolution").deadline == end_of_day("Europe/Rome", date(2026, 3, 9))


def test_recategorisation_keeps_the_original_receipt_time() -> None:
    received = datetime(2026, 1, 31, 17, tzinfo=UTC)
    first = routed(Category.NOT_PRIVACY, "ES", received)
    # Three days later an agent re-categorises the ticket as a data-rights request.
    moved = reroute(
        first, Category.DATA_RIGHTS_REQUEST, Severity.MEDIUM, "ES",
        opened_at=received, book=BOOK, table=TABLE,
    )  # fmt: skip
    assert moved.playbook_id == "data_rights_request.v1"
    assert moved.queue == "privacy_dpo"
    legal = moved.clock("legal:dsar")
    assert legal.started_at == received
    assert legal.deadline == end_of_day("Europe/Madrid", date(2026, 2, 28))
    assert moved.clock("first_response").started_at == received


def test_recompute_keeps_a_restarted_next_response_clock() -> None:
    received = datetime(2026, 3, 2, 8, tzinfo=UTC)
    first = routed(Category.NOT_PRIVACY, "IT", received)
    restarted_at = datetime(2026, 3, 3, 12, tzinfo=UTC)
    clocks = tuple(
        c if c.key != "next_response" else type(c)(c.spec, restarted_at, c.deadline, c.warn_at)
        for c in first.clocks
    )
    before = Route(**{**first.__dict__, "clocks": clocks})
    moved = reroute(
        before, Category.STAFF_MISUSE, Severity.HIGH, "IT",
        opened_at=received, book=BOOK, table=TABLE,
    )  # fmt: skip
    assert moved.clock("next_response").started_at == restarted_at
    assert moved.clock("next_response").deadline == datetime(2026, 3, 3, 16, tzinfo=UTC)
    assert moved.priority == "P1"
    assert moved.clock("legal:breach_notification").started_at == received


def test_jurisdiction_override_changes_the_legal_clock() -> None:
    received = datetime(2026, 4, 10, 12, tzinfo=UTC)
    italian = routed(Category.DATA_RIGHTS_REQUEST, "IT", received)
    brazilian = reroute(
        italian, Category.DATA_RIGHTS_REQUEST, Severity.MEDIUM, "BR",
        opened_at=received, book=BOOK, table=TABLE,
    )  # fmt: skip
    assert brazilian.jurisdiction == "BR"
    assert brazilian.clock("legal:dsar").deadline == end_of_day(
        "America/Sao_Paulo", date(2026, 4, 25)
    )
