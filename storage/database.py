"""Async engine factory and the unit of work (one explicit transaction per `transaction()`).

SQLite (aiosqlite) is the embedded default: WAL journal, foreign keys on, a busy timeout,
and every transaction starts with `BEGIN IMMEDIATE` so that two writers queue on the
busy timeout instead of failing when one upgrades a read lock. PostgreSQL (asyncpg) is
the production backend several workers share.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import ConnectionPoolEntry

from storage.errors import StorageConfigError, StorageUnavailable

SQLITE_BUSY_TIMEOUT_MS = 30_000


def create_engine(database_url: str, **kwargs: Any) -> AsyncEngine:
    """An async engine for `sqlite+aiosqlite://` or `postgresql+asyncpg://` URLs."""
    try:
        url = make_url(database_url)
    except ArgumentError as exc:
        raise StorageConfigError(f"database_url is not a valid URL: {exc}") from exc
    if url.drivername == "sqlite+aiosqlite":
        engine = create_async_engine(url, **kwargs)
        _configure_sqlite(engine)
        return engine
    if url.drivername == "postgresql+asyncpg":
        kwargs.setdefault("pool_pre_ping", True)
        return create_async_engine(url, **kwargs)
    raise StorageConfigError(
        f"unsupported database_url driver {url.drivername!r}: "
        "use sqlite+aiosqlite:///FILE or postgresql+asyncpg://USER@HOST/DB"
    )


def _configure_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        # Take transaction control away from the sqlite3 module; we emit BEGIN ourselves.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def is_connection_error(exc: BaseException) -> bool:
    """True for errors where the database went away or is busy, so a retry may succeed."""
    if isinstance(exc, (OperationalError, InterfaceError)):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, (ConnectionError, OSError))


class Database:
    """Owns the engine; hands out sessions inside explicit transactions."""

    def __init__(self, database_url: str, **engine_kwargs: Any) -> None:
        self.url = database_url
        self.engine = create_engine(database_url, **engine_kwargs)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """One unit of work: commits on success, rolls back on any error.

        Connection-level failures surface as StorageUnavailable (chained), so callers
        can retry without knowing the driver.
        """
        try:
            async with self.sessions() as session, session.begin():
                yield session
        except (DBAPIError, ConnectionError, OSError) as exc:
            if is_connection_error(exc):
                raise StorageUnavailable(f"database unavailable: {exc}") from exc
            raise

    async def dispose(self) -> None:
        await self.engine.dispose()
