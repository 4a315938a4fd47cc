"""Database provisioning for storage, ingest, SLA and service tests.

Every test gets its own database: a SQLite file under tmp_path, or a fresh PostgreSQL
database `ct_<random>` (created from template0, dropped afterwards) so that engineers
running the PostgreSQL suite at the same time never see each other's rows.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import make_url

POSTGRES_URL_ENV = "CARETRIAGE_TEST_POSTGRES_URL"
TEST_PSEUDONYM_KEY = b"test-pseudonym-key-0123456789abcdef"

DATABASE_KINDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def _asyncpg_dsn(url: str, database: str) -> str:
    parsed = make_url(url).set(drivername="postgresql", database=database)
    return parsed.render_as_string(hide_password=False)


@asynccontextmanager
async def provision_database(kind: str, tmp_path: Path) -> AsyncIterator[str]:
    """Yield a SQLAlchemy URL for an empty database of `kind` that is removed afterwards."""
    if kind == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'caretriage.db'}"
        return
    base_url = os.environ.get(POSTGRES_URL_ENV)
    if not base_url:
        pytest.skip(f"{POSTGRES_URL_ENV} is not set")
    admin_db = make_url(base_url).database or "postgres"
    name = f"ct_{secrets.token_hex(6)}"
    admin = await asyncpg.connect(_asyncpg_dsn(base_url, admin_db))
    try:
        await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
    finally:
        await admin.close()
    try:
        yield make_url(base_url).set(database=name).render_as_string(hide_password=False)
    finally:
        admin = await asyncpg.connect(_asyncpg_dsn(base_url, admin_db))
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()
