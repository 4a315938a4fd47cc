from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Connection
from storage_support import DATABASE_KINDS, provision_database

from storage.database import create_engine
from storage.migrate import (
    current_revision,
    downgrade_database,
    head_revision,
    upgrade_database,
)
from storage.models import Base

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(params=DATABASE_KINDS)
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    async with provision_database(request.param, tmp_path) as url:
        yield url


def _schema_diff(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


def _table_names(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


async def test_migrated_schema_matches_models(database_url: str) -> None:
    assert await current_revision(database_url) is None
    assert await upgrade_database(database_url) == head_revision()
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            assert await connection.run_sync(_schema_diff) == []
            tables = await connection.run_sync(_table_names)
    finally:
        await engine.dispose()
    assert set(Base.metadata.tables) <= tables


async def test_migrate_is_repeatable_and_downgradable(database_url: str) -> None:
    await upgrade_database(database_url)
    assert await upgrade_database(database_url) == head_revision()
    assert await downgrade_database(database_url, "base") is None
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            assert await connection.run_sync(_table_names) <= {"alembic_version"}
    finally:
        await engine.dispose()


def test_migrate_command_from_another_directory(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    env = {**os.environ, "CARETRIAGE_DATABASE_URL": f"sqlite+aiosqlite:///{db}"}
    env["PYTHONPATH"] = str(REPO_ROOT)
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "migrate"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert f"revision {head_revision()}" in result.stdout
    assert db.exists()


def test_migrate_command_rejects_unsupported_url(tmp_path: Path) -> None:
    env = {**os.environ, "CARETRIAGE_DATABASE_URL": "mysql://localhost/x"}
    env["PYTHONPATH"] = str(REPO_ROOT)
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "migrate"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert "unsupported database_url driver 'mysql'" in result.stderr
