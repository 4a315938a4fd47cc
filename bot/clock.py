"""Clock port: every "now" in the product comes from here so SLA tests are instant and exact."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """Current time, timezone-aware (UTC)."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FakeClock:
    """A clock that only moves when told to."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FakeClock needs a timezone-aware start time")
        self._now = start

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> None:
        self._now += delta

    def set(self, when: datetime) -> None:
        if when.tzinfo is None:
            raise ValueError("FakeClock.set needs a timezone-aware time")
        self._now = when


class ScaledClock:
    """Runs time faster than real time from a fixed origin (the demo's compressed SLA clock)."""

    def __init__(self, origin: datetime, speed: float, base: Clock | None = None) -> None:
        if speed <= 0:
            raise ValueError("ScaledClock speed must be positive")
        self._base = base or SystemClock()
        self._origin = origin
        self._started = self._base.now()
        self._speed = speed

    def now(self) -> datetime:
        elapsed = self._base.now() - self._started
        return self._origin + elapsed * self._speed
