"""Text every backend can store.

PostgreSQL `text`/`varchar` cannot hold U+0000 (asyncpg fails the whole INSERT with
"invalid byte sequence for encoding UTF8: 0x00"), and a JSON-escaped NUL is easy to send
through any channel. Replacing it with U+FFFD keeps the message (and the rest of its
batch) instead of losing it, identically on SQLite and PostgreSQL.
"""

from __future__ import annotations

NUL = "\x00"
REPLACEMENT = "\ufffd"


def storable(value: str) -> str:
    return value.replace(NUL, REPLACEMENT) if NUL in value else value


def storable_or_none(value: str | None) -> str | None:
    return None if value is None else storable(value)
