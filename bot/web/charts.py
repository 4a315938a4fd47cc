"""Server-side SVG charts: no JavaScript library and no CDN (the dashboard works offline).

Every label is XML-escaped: category names are ours, but anything derived from customer
input must never become markup.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

PALETTE = (
    "#2563eb",
    "#dc2626",
    "#16a34a",
    "#d97706",
    "#7c3aed",
    "#0891b2",
    "#64748b",
    "#db2777",
)


def _colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def bar_chart(
    values: Mapping[str, float],
    *,
    title: str,
    width: int = 480,
    bar_height: int = 22,
    value_format: str = "{:g}",
) -> str:
    """Horizontal bars, one per key, in the mapping's order."""
    label_width, gap, top = 170, 6, 28
    height = top + max(len(values), 1) * (bar_height + gap) + 8
    peak = max((v for v in values.values()), default=0.0) or 1.0
    usable = width - label_width - 60
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">',
        f'<text x="0" y="16" class="chart-title">{escape(title)}</text>',
    ]
    for i, (label, value) in enumerate(values.items()):
        y = top + i * (bar_height + gap)
        length = max(0.0, value) / peak * usable
        parts.append(
            f'<text x="{label_width - 6}" y="{y + bar_height * 0.7:.1f}" '
            f'text-anchor="end">{escape(label)}</text>'
        )
        parts.append(
            f'<rect class="bar" x="{label_width}" y="{y}" width="{length:.1f}" '
            f'height="{bar_height}" fill="{_colour(i)}"><title>{escape(label)}: '
            f"{escape(value_format.format(value))}</title></rect>"
        )
        parts.append(
            f'<text x="{label_width + length + 4:.1f}" y="{y + bar_height * 0.7:.1f}">'
            f"{escape(value_format.format(value))}</text>"
        )
    if not values:
        parts.append(f'<text x="0" y="{top + 14}" class="empty">no data yet</text>')
    parts.append("</svg>")
    return "".join(parts)


def stacked_columns(
    series: Mapping[str, Mapping[str, float]],
    *,
    title: str,
    width: int = 700,
    height: int = 240,
) -> str:
    """Columns per x key (e.g. day or hour), stacked by series key (e.g. category)."""
    keys = sorted({k for per_x in series.values() for k in per_x})
    xs = list(series)
    left, top, bottom, legend_w = 36, 28, 36, 210
    plot_w = width - left - legend_w
    plot_h = height - top - bottom
    peak = max((sum(per_x.values()) for per_x in series.values()), default=0.0) or 1.0
    col_w = plot_w / max(len(xs), 1)
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">',
        f'<text x="0" y="16" class="chart-title">{escape(title)}</text>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
        'stroke="#94a3b8"/>',
        f'<text x="{left - 4}" y="{top + 10}" text-anchor="end">{peak:g}</text>',
    ]
    for xi, x in enumerate(xs):
        base = float(top + plot_h)
        for ki, key in enumerate(keys):
            value = series[x].get(key, 0.0)
            if value <= 0:
                continue
            h = value / peak * plot_h
            base -= h
            parts.append(
                f'<rect class="bar" x="{left + xi * col_w + 2:.1f}" y="{base:.1f}" '
                f'width="{max(col_w - 4, 1):.1f}" height="{h:.1f}" fill="{_colour(ki)}">'
                f"<title>{escape(x)} · {escape(key)}: {value:g}</title></rect>"
            )
        if len(xs) <= 16 or xi % max(1, len(xs) // 8) == 0:
            parts.append(
                f'<text x="{left + xi * col_w + col_w / 2:.1f}" y="{top + plot_h + 14}" '
                f'text-anchor="middle" class="tick">{escape(x)}</text>'
            )
    for ki, key in enumerate(keys):
        y = top + ki * 16
        parts.append(
            f'<rect x="{left + plot_w + 12}" y="{y}" width="10" height="10" '
            f'fill="{_colour(ki)}"/>'
            f'<text x="{left + plot_w + 26}" y="{y + 9}">{escape(key)}</text>'
        )
    if not xs:
        parts.append(f'<text x="{left}" y="{top + 20}" class="empty">no data yet</text>')
    parts.append("</svg>")
    return "".join(parts)


def percent_bars(rows: Sequence[tuple[str, float | None]], *, title: str, width: int = 480) -> str:
    """Attainment-style bars on a fixed 0–100 % scale; None means no closed clock yet."""
    values = {label: (value if value is not None else 0.0) for label, value in rows}
    return bar_chart(values, title=title, width=width, value_format="{:.0f}%").replace(
        'class="chart"', 'class="chart percent"', 1
    )
