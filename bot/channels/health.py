"""Channel health: an account refused by its API is marked unhealthy, loudly, once.

Other helpdesks fail silently when X revokes an app or a plan lapses; here the first
ChannelAuthError logs an ERROR naming the channel and the status and sends an alert to the
escalation chat (through the outbox, unless Telegram itself is the failing channel).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from bot.channels.errors import ChannelAuthError
from bot.clock import Clock

log = logging.getLogger("caretriage.channels.health")

AlertSink = Callable[[str, str], Awaitable[None]]  # (failing channel, alert text)


@dataclass(frozen=True, slots=True)
class ChannelStatus:
    channel: str
    healthy: bool
    reason: str | None
    since: datetime


class ChannelHealth:
    def __init__(self, clock: Clock, alert: AlertSink | None = None) -> None:
        self._clock = clock
        self._alert = alert
        self._status: dict[str, ChannelStatus] = {}

    def set_alert_sink(self, alert: AlertSink) -> None:
        self._alert = alert

    def healthy(self, channel: str) -> bool:
        status = self._status.get(channel)
        return status is None or status.healthy

    def statuses(self) -> list[ChannelStatus]:
        return sorted(self._status.values(), key=lambda s: s.channel)

    def mark_healthy(self, channel: str) -> None:
        current = self._status.get(channel)
        if current is None or not current.healthy:
            if current is not None:
                log.warning("channel %s is healthy again", channel)
            self._status[channel] = ChannelStatus(channel, True, None, self._clock.now())

    async def mark_unhealthy(self, error: ChannelAuthError) -> None:
        channel = error.channel
        if not self.healthy(channel):
            return
        status = f" (HTTP {error.status})" if error.status else ""
        text = (
            f"ALERT: channel {channel} is UNHEALTHY{status}: the account's credentials or "
            f"API plan were refused ({error.detail}). Nothing is received or sent on "
            f"{channel} until the credentials are fixed and the service restarted."
        )
        self._status[channel] = ChannelStatus(channel, False, error.detail, self._clock.now())
        log.error("%s", text)
        if self._alert is not None:
            await self._alert(channel, text)
