"""Retention per category: policy maths, the purge job, and the CLI commands."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from storage_support import DATABASE_KINDS, TEST_PSEUDONYM_KEY, provision_database
from support.seed import create_schema, seed_case

from bot.cli import main
from bot.pseudonym import Pseudonymizer
from bot.settings import SettingsError, load_settings
from storage.database import Database
from storage.export import export_customer
from storage.models import Customer, TicketEvent, TicketStatus
from storage.redaction import REDACTED
from storage.retention import PURGED_ACTION, RetentionJob, apply_retention
from storage.retention_policy import (
    DEFAULT_RETENTION_DAYS,
    RetentionConfigError,
    RetentionPolicy,
)

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
POLICY = RetentionPolicy()


@pytest.fixture(params=DATABASE_KINDS)
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    async with provision_database(request.param, tmp_path) as url:
        db = Database(url)
        await create_schema(db)
        try:
            yield db
        finally:
            await db.dispose()


def pseudonym(n: int) -> str:
    return f"{n:064x}"


def test_defaults_cover_every_category_and_keep_complaints_longer_than_chatter() -> None:
    from classifiers.taxonomy import Category

    assert set(DEFAULT_RETENTION_DAYS) == {c.value for c in Category}
    chatter = DEFAULT_RETENTION_DAYS["not_privacy"]
    assert all(
        days > chatter for cat, days in DEFAULT_RETENTION_DAYS.items() if cat != "not_privacy"
    )
    assert DEFAULT_RETENTION_DAYS["staff_misuse"] >= 5 * 365


def test_overrides_apply_over_defaults_and_bad_entries_are_named() -> None:
    policy = RetentionPolicy.from_overrides({"not_privacy": 7})
    assert policy.days["not_privacy"] == 7
    assert policy.days["staff_misuse"] == DEFAULT_RETENTION_DAYS["staff_misuse"]
    with pytest.raises(RetentionConfigError, match="'chatter'"):
        RetentionPolicy.from_overrides({"chatter": 7})
    with pytest.raises(RetentionConfigError, match="not_privacy"):
        RetentionPolicy.from_overrides({"not_privacy": 0})


def test_retention_days_setting_reads_toml_and_environment(tmp_path: Path) -> None:
    config = tmp_path / "caretriage.toml"
    config.write_text("[retention_days]\nnot_privacy = 14\n")
    assert load_settings(config, environ={}).retention_days == {"not_privacy": 14}
    env = {"CARETRIAGE_RETENTION_DAYS": '{"debt_collection": 400}'}
    assert load_settings(None, environ=env).retention_days == {"debt_collection": 400}
    config.write_text("[retention_days]\nnot_privacy = -1\n")
    with pytest.raises(SettingsError, match="retention_days"):
        load_settings(config, environ={})


async def test_only_tickets_past_their_category_period_are_purged(database: Database) -> None:
    old_chatter = await seed_case(
        database,
        pseudonym=pseudonym(1),
        at=NOW - timedelta(days=31),
        category="not_privacy",
        status=TicketStatus.OPEN,
    )
    young_chatter = await seed_case(
        database,
        pseudonym=pseudonym(2),
        at=NOW - timedelta(days=20),
        category="not_privacy",
        status=TicketStatus.CLOSED,
    )
    old_staff = await seed_case(
        database,
        pseudonym=pseudonym(3),
        at=NOW - timedelta(days=400),
        category="staff_misuse",
        status=TicketStatus.CLOSED,
    )
    expired_dsar = await seed_case(
        database,
        pseudonym=pseudonym(4),
        at=NOW - timedelta(days=400),
        category="data_rights_request",
        status=TicketStatus.CLOSED,
    )
    open_dsar = await seed_case(
        database,
        pseudonym=pseudonym(5),
        at=NOW - timedelta(days=400),
        category="data_rights_request",
        status=TicketStatus.OPEN,
    )

    preview = await apply_retention(database, POLICY, NOW, apply=False)
    assert preview.tickets_by_category == {"data_rights_request": 1, "not_privacy": 1}
    report = await apply_retention(database, POLICY, NOW, apply=True)
    assert report.tickets_by_category == preview.tickets_by_category
    assert report.counts.messages == 4

    async def texts(case_pseudonym: str) -> set[str]:
        export = await export_customer(database, case_pseudonym, actor="t", now=NOW, record=False)
        return {m["text"] for m in export["messages"]}

    assert await texts(old_chatter.pseudonym) == {REDACTED}
    assert await texts(expired_dsar.pseudonym) == {REDACTED}
    for kept in (young_chatter, old_staff, open_dsar):
        assert REDACTED not in await texts(kept.pseudonym)
    async with database.transaction() as session:
        purged = (
            (
                await session.execute(
                    select(TicketEvent.ticket_id).where(TicketEvent.action == PURGED_ACTION)
                )
            )
            .scalars()
            .all()
        )
    assert sorted(purged) == sorted([old_chatter.ticket_id, expired_dsar.ticket_id])

    again = await apply_retention(database, POLICY, NOW, apply=True)
    assert again.tickets == 0


async def test_display_names_are_dropped_once_no_ticket_is_active(database: Database) -> None:
    await seed_case(database, pseudonym=pseudonym(1), at=NOW, status=TicketStatus.CLOSED)
    await seed_case(database, pseudonym=pseudonym(2), at=NOW, status=TicketStatus.OPEN)
    report = await apply_retention(database, POLICY, NOW, apply=True)
    assert report.display_names_removed == 1
    async with database.transaction() as session:
        names = dict(
            (await session.execute(select(Customer.pseudonym, Customer.display_name))).all()
        )
    assert names == {pseudonym(1): None, pseudonym(2): "María Pérez"}


async def test_a_pending_send_keeps_its_ticket_out_of_the_purge(database: Database) -> None:
    case = await seed_case(
        database,
        pseudonym=pseudonym(1),
        at=NOW - timedelta(days=60),
        category="not_privacy",
        status=TicketStatus.CLOSED,
        pending_send=True,
    )
    report = await apply_retention(database, POLICY, NOW, apply=True)
    assert report.tickets == 0
    export = await export_customer(database, case.pseudonym, actor="t", now=NOW, record=False)
    assert export["tickets"][0]["outbox"][0]["status"] == "pending"


async def test_scheduled_job_runs_until_stopped(database: Database) -> None:
    await seed_case(
        database,
        pseudonym=pseudonym(1),
        at=NOW - timedelta(days=60),
        category="not_privacy",
        status=TicketStatus.CLOSED,
    )
    job = RetentionJob(database, POLICY, lambda: NOW, interval_seconds=0.01)
    stop = asyncio.Event()
    runner = asyncio.create_task(job.run_forever(stop))
    for _ in range(200):
        await asyncio.sleep(0.01)
        async with database.transaction() as session:
            done = (
                await session.execute(
                    select(TicketEvent.id).where(TicketEvent.action == PURGED_ACTION)
                )
            ).first()
        if done:
            break
    stop.set()
    await asyncio.wait_for(runner, timeout=5)
    assert done is not None


# --- the CLI -----------------------------------------------------------------------------


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'ct.db'}"
    for key in list(os.environ):
        if key.startswith("CARETRIAGE_") and not key.startswith("CARETRIAGE_TEST_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("CARETRIAGE_DATABASE_URL", url)
    monkeypatch.setenv("CARETRIAGE_PSEUDONYM_KEY", TEST_PSEUDONYM_KEY.decode())
    return url


def _seed_handle(url: str, channel: str, handle: str, **kwargs: object) -> str:
    value = Pseudonymizer(TEST_PSEUDONYM_KEY).pseudonym(channel, handle)

    async def go() -> None:
        db = Database(url)
        try:
            await create_schema(db)
            await seed_case(db, pseudonym=value, at=NOW, channel=channel, **kwargs)  # type: ignore[arg-type]
        finally:
            await db.dispose()

    asyncio.run(go())
    return value


def test_cli_export_then_erase_by_handle(
    cli_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    value = _seed_handle(cli_env, "x", "@Maria_P")
    out = tmp_path / "export.json"
    assert main(["export", "--channel", "x", "--customer", "maria_p", "-o", str(out)]) == 0
    assert out.stat().st_mode & 0o077 == 0
    exported = json.loads(out.read_text())
    assert exported["customer"]["pseudonym"] == value
    assert "maria_p" not in out.read_text().lower()  # the raw handle is never stored

    assert main(["erase", "--channel", "x", "--customer", "@MARIA_P", "--dry-run"]) == 0
    assert json.loads(capsys.readouterr().out)["dry_run"] is True
    assert main(["erase", "--channel", "x", "--customer", "@maria_p", "--actor", "dpo"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["redacted"]["messages"] == 2
    assert main(["export", "--pseudonym", value]) == 0
    after = json.loads(capsys.readouterr().out)
    assert {m["text"] for m in after["messages"]} == {REDACTED}


def test_cli_reports_unknown_customers_and_bad_arguments(
    cli_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _seed_handle(cli_env, "telegram", "12345")
    assert main(["erase", "--channel", "telegram", "--customer", "999"]) == 1
    assert "nothing erased" in capsys.readouterr().err
    assert main(["export", "--channel", "telegram"]) == 2
    assert "--customer" in capsys.readouterr().err
    assert main(["erase", "--pseudonym", "xyz"]) == 2
    assert "64 hexadecimal" in capsys.readouterr().err


def test_cli_refuses_a_missing_database_file(
    cli_env: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    missing = tmp_path / "nope.db"
    monkeypatch.setenv("CARETRIAGE_DATABASE_URL", f"sqlite+aiosqlite:///{missing}")
    assert main(["erase", "--channel", "x", "--customer", "a"]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert not missing.exists()


def test_cli_retention_dry_run_then_apply(
    cli_env: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _seed_handle(cli_env, "telegram", "1", category="not_privacy", status=TicketStatus.CLOSED)
    # Seeded at NOW (2025); the real clock is later, so a 1-day period has run out.
    monkeypatch.setenv("CARETRIAGE_RETENTION_DAYS", '{"not_privacy": 1}')
    assert main(["retention"]) == 0
    preview = json.loads(capsys.readouterr().out)
    assert (preview["applied"], preview["tickets"]) == (False, 1)
    assert preview["retention_days"]["not_privacy"] == 1
    assert main(["retention", "--apply"]) == 0
    assert json.loads(capsys.readouterr().out)["tickets"] == 1
    assert main(["retention", "--apply"]) == 0
    assert json.loads(capsys.readouterr().out)["tickets"] == 0
    monkeypatch.setenv("CARETRIAGE_RETENTION_DAYS", '{"gossip": 1}')
    assert main(["retention"]) == 2
    assert "gossip" in capsys.readouterr().err
