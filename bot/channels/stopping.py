"""Cooperative stop for the channel loops.

Cancelling a task in the middle of a database transaction can leave an aiosqlite
connection holding SQLite's write lock until it is garbage-collected, so the loops are
never cancelled mid-work: they check this signal between steps, sleep on it, and only the
network wait itself (a long poll) is abandoned when it fires.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


class StopSignal:
    def __init__(self) -> None:
        self._event = asyncio.Event()

    def set(self) -> None:
        self._event.set()

    @property
    def is_set(self) -> bool:
        return self._event.is_set()

    async def sleep(self, seconds: float) -> bool:
        """Sleep up to `seconds`; True when the stop signal ended the sleep."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._event.wait(), max(seconds, 0.0))
        return self._event.is_set()

    async def unless_stopped(self, work: Coroutine[Any, Any, T]) -> T | None:
        """Run `work` (network only: it is cancelled if the stop signal fires first)."""
        task = asyncio.ensure_future(work)
        stopped = asyncio.ensure_future(self._event.wait())
        try:
            await asyncio.wait({task, stopped}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopped.cancel()
        if task.done():
            return task.result()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
        return None
