"""Storage errors: driver and SQLAlchemy errors are translated into these in one place."""

from __future__ import annotations


class StorageError(Exception):
    """Base class for storage failures."""


class StorageConfigError(StorageError):
    """The database URL or migration set-up is wrong; the message says how."""


class StorageUnavailable(StorageError):
    """The database could not be reached or went away; retrying later may succeed."""


class NotFound(StorageError):
    """A row the caller named does not exist."""


class InvalidState(StorageError):
    """The operation does not fit the row's current state (e.g. a clock on a closed ticket)."""
