"""Customer pseudonyms: a keyed HMAC-SHA256 of channel + handle; the handle is never stored.

The key comes from CARETRIAGE_PSEUDONYM_KEY. Without it, a SQLite deployment (one process,
one file) generates a random key once and keeps it next to the database file, readable
only by the service user; PostgreSQL deployments are refused because several workers
must share one key and a per-host generated key would split every customer in two.
Losing the key means new messages no longer match old customers; it does not expose them.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.settings import Settings

MIN_KEY_LENGTH = 16
KEY_FILE_SUFFIX = ".pseudonym-key"


class PseudonymKeyError(Exception):
    """No usable pseudonym key; the message says how to provide one."""


def normalise_handle(handle: str) -> str:
    """Handles differ only in case and a leading @ on X; ids are compared as written."""
    return handle.strip().removeprefix("@").casefold()


class Pseudonymizer:
    def __init__(self, key: bytes) -> None:
        if len(key) < MIN_KEY_LENGTH:
            raise PseudonymKeyError(f"the pseudonym key must be at least {MIN_KEY_LENGTH} bytes")
        self._key = key

    def pseudonym(self, channel: str, handle: str) -> str:
        data = f"{channel}\x1f{normalise_handle(handle)}".encode()
        return hmac.new(self._key, data, hashlib.sha256).hexdigest()

    def __repr__(self) -> str:
        return "Pseudonymizer(key=***)"


def key_file_for(database_url: str) -> Path | None:
    """Where a generated key lives for a SQLite file database; None for other databases."""
    url = make_url(database_url)
    if not url.drivername.startswith("sqlite") or not url.database:
        return None
    if url.database == ":memory:":
        return None
    return Path(url.database).with_name(Path(url.database).name + KEY_FILE_SUFFIX)


def _read_or_create_key_file(path: Path) -> bytes:
    try:
        key = path.read_bytes().strip()
    except FileNotFoundError:
        key = secrets.token_hex(32).encode()
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            # Another process created it first: use theirs.
            return _read_or_create_key_file(path)
        with os.fdopen(fd, "wb") as handle:
            handle.write(key + b"\n")
        return key
    except OSError as exc:
        raise PseudonymKeyError(f"cannot read pseudonym key file {path}: {exc}") from exc
    if len(key) < MIN_KEY_LENGTH:
        raise PseudonymKeyError(
            f"pseudonym key file {path} holds fewer than {MIN_KEY_LENGTH} bytes"
        )
    return key


def load_pseudonymizer(settings: Settings) -> Pseudonymizer:
    if settings.pseudonym_key is not None:
        return Pseudonymizer(settings.pseudonym_key.get_secret_value().encode())
    url = make_url(settings.database_url)
    if url.drivername.startswith("sqlite"):
        path = key_file_for(settings.database_url)
        if path is None:
            # An in-memory database disappears with the process, and so may its key.
            return Pseudonymizer(secrets.token_bytes(32))
        return Pseudonymizer(_read_or_create_key_file(path))
    raise PseudonymKeyError(
        "CARETRIAGE_PSEUDONYM_KEY is not set: with a shared database every worker needs "
        "the same secret key (at least 16 characters, e.g. `openssl rand -hex 32`)"
    )
