"""Apply the packaged Alembic migrations programmatically (no alembic.ini, any cwd)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from storage.database import create_engine, is_connection_error
from storage.errors import StorageError, StorageUnavailable

VERSION_TABLE = "alembic_version"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(database_url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if database_url is not None:
        # ConfigParser interpolation would eat a literal "%" in a password.
        config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise StorageError(f"no migrations found in {MIGRATIONS_DIR}")
    return head


def _upgrade(connection: Connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


def _downgrade(connection: Connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.downgrade(config, revision)


def _current(connection: Connection) -> str | None:
    # Read alembic_version directly: MigrationContext would log at INFO on every check.
    if not inspect(connection).has_table(VERSION_TABLE):
        return None
    versions = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars()
    return next(iter(versions), None)


async def upgrade_database(database_url: str, revision: str = "head") -> str | None:
    """Migrate the database up to `revision`; returns the revision it is at afterwards."""
    return await _migrate(database_url, _upgrade, revision)


async def downgrade_database(database_url: str, revision: str) -> str | None:
    """Migrate the database down to `revision` ("base" drops everything)."""
    return await _migrate(database_url, _downgrade, revision)


async def _migrate(
    database_url: str, step: Callable[[Connection, str], None], revision: str
) -> str | None:
    engine = create_engine(database_url, poolclass=NullPool)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(step, revision)
        async with engine.connect() as connection:
            return await connection.run_sync(_current)
    except DBAPIError as exc:
        if is_connection_error(exc):
            raise StorageUnavailable(f"cannot migrate the database: {exc.orig}") from exc
        raise StorageError(f"migration failed: {exc.orig}") from exc
    except OSError as exc:
        raise StorageUnavailable(f"cannot reach the database: {exc}") from exc
    finally:
        await engine.dispose()


async def current_revision(database_url: str) -> str | None:
    engine = create_engine(database_url, poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(_current)
    except (DBAPIError, OSError) as exc:
        raise StorageUnavailable(f"cannot reach the database: {exc}") from exc
    finally:
        await engine.dispose()
