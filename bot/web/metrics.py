"""Prometheus exposition, computed from the database at scrape time.

Counting from the tables (not in-process counters) keeps the figures right when several
workers share one database and after restarts.
"""

from __future__ import annotations

from collections.abc import Mapping

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from bot.web.data import MetricsSnapshot


class _SnapshotCollector(Collector):
    def __init__(self, snapshot: MetricsSnapshot, channel_health: Mapping[str, bool]) -> None:
        self._s = snapshot
        self._health = channel_health

    def collect(self):  # type: ignore[no-untyped-def]
        s = self._s
        yield CounterMetricFamily(
            "caretriage_messages_ingested",
            "Messages persisted from all channels",
            value=s.messages_ingested,
        )
        yield GaugeMetricFamily(
            "caretriage_messages_pending",
            "Messages persisted but not yet triaged",
            value=s.messages_pending,
        )
        classified = CounterMetricFamily(
            "caretriage_messages_classified",
            "Messages classified, by category",
            labels=["category"],
        )
        for category, count in sorted(s.classified_by_category.items()):
            classified.add_metric([category], count)
        yield classified
        open_tickets = GaugeMetricFamily(
            "caretriage_tickets_open", "Open tickets by owner queue", labels=["queue"]
        )
        for queue, count in sorted(s.tickets_open_by_queue.items()):
            open_tickets.add_metric([queue], count)
        yield open_tickets
        yield GaugeMetricFamily(
            "caretriage_sla_clocks_due",
            "Live SLA clocks past their deadline",
            value=s.clocks_due,
        )
        yield CounterMetricFamily(
            "caretriage_sla_breaches", "SLA breach events fired", value=s.breaches
        )
        yield CounterMetricFamily(
            "caretriage_drafts_blocked",
            "Agent drafts blocked by the reply guard",
            value=s.drafts_blocked,
        )
        yield CounterMetricFamily(
            "caretriage_drafts_checked",
            "Agent drafts checked by the reply guard",
            value=s.drafts_total,
        )
        health = GaugeMetricFamily(
            "caretriage_channel_healthy",
            "1 when the channel works, 0 when it needs attention",
            labels=["channel"],
        )
        for channel, ok in sorted(self._health.items()):
            health.add_metric([channel], 1.0 if ok else 0.0)
        yield health


def render_metrics(snapshot: MetricsSnapshot, channel_health: Mapping[str, bool]) -> bytes:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_SnapshotCollector(snapshot, channel_health))
    return generate_latest(registry)
