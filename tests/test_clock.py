from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import FakeClock, ScaledClock


def test_fake_clock_moves_only_when_told() -> None:
    start = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    clock = FakeClock(start)
    assert clock.now() == start
    clock.advance(timedelta(minutes=5))
    assert clock.now() == start + timedelta(minutes=5)


def test_fake_clock_rejects_naive_times() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        FakeClock(datetime(2026, 1, 5))


def test_scaled_clock_runs_faster_than_its_base() -> None:
    base = FakeClock(datetime(2026, 1, 1, tzinfo=UTC))
    origin = datetime(2026, 3, 1, tzinfo=UTC)
    clock = ScaledClock(origin, speed=60.0, base=base)
    base.advance(timedelta(seconds=10))
    assert clock.now() == origin + timedelta(minutes=10)
