"""One poller per bot token / X account across workers: a lease row in the database.

The lease is a `channel_cursors` row (stream "poller-lease") whose `cursor` names the
holder and whose `updated_at` is the last renewal. Taking or renewing it is one conditional
UPDATE (holder is us, or the last renewal is older than the TTL), atomic on SQLite and
PostgreSQL alike; a worker that dies simply stops renewing and another takes over after
the TTL. The account key is a digest of the token, never the token itself.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, update
from sqlalchemy.dialects import postgresql, sqlite

from bot.clock import Clock
from storage.database import Database
from storage.models import ChannelCursor

LEASE_STREAM = "poller-lease"
DEFAULT_TTL_SECONDS = 30.0


def account_key(secret: str) -> str:
    """A stable, non-reversible name for the account behind a token."""
    return "token-" + hashlib.sha256(secret.encode("utf-8")).hexdigest()[:16]


class PollerLease:
    def __init__(
        self,
        database: Database,
        clock: Clock,
        *,
        channel: str,
        account: str,
        holder: str,
        ttl_seconds: float = DEFAULT_TTL_SECONDS,
    ) -> None:
        self._db = database
        self._clock = clock
        self.channel = channel
        self._channel = channel
        self._account = account
        self.holder = holder
        self._ttl = timedelta(seconds=ttl_seconds)

    async def hold(self) -> bool:
        """Take or renew the lease; True while this worker is the poller."""
        now = self._clock.now()
        async with self._db.transaction() as session:
            result = await session.execute(
                update(ChannelCursor)
                .where(
                    and_(
                        ChannelCursor.channel == self._channel,
                        ChannelCursor.account == self._account,
                        ChannelCursor.stream == LEASE_STREAM,
                        or_(
                            ChannelCursor.cursor == self.holder,
                            ChannelCursor.updated_at < now - self._ttl,
                        ),
                    )
                )
                .values(cursor=self.holder, updated_at=now)
                .execution_options(synchronize_session=False)
            )
            if getattr(result, "rowcount", 0) == 1:
                return True
        return await self._create(now)

    async def _create(self, now: datetime) -> bool:
        values = {
            "channel": self._channel,
            "account": self._account,
            "stream": LEASE_STREAM,
            "cursor": self.holder,
            "updated_at": now,
        }
        insert = (
            postgresql.insert(ChannelCursor)
            if self._db.dialect == "postgresql"
            else sqlite.insert(ChannelCursor)
        )
        async with self._db.transaction() as session:
            # Two workers starting together: the unique key lets exactly one insert win.
            result = await session.execute(insert.values(values).on_conflict_do_nothing())
            return getattr(result, "rowcount", 0) == 1

    async def release(self) -> None:
        """Give the lease up at shutdown so another worker takes over at once."""
        async with self._db.transaction() as session:
            await session.execute(
                update(ChannelCursor)
                .where(
                    and_(
                        ChannelCursor.channel == self._channel,
                        ChannelCursor.account == self._account,
                        ChannelCursor.stream == LEASE_STREAM,
                        ChannelCursor.cursor == self.holder,
                    )
                )
                .values(cursor="", updated_at=self._clock.now() - self._ttl * 2)
                .execution_options(synchronize_session=False)
            )
