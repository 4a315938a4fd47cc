from __future__ import annotations

import xml.etree.ElementTree as ET

from bot.web.charts import bar_chart, percent_bars, stacked_columns

SVG = "{http://www.w3.org/2000/svg}"


def test_bar_chart_is_valid_svg_with_one_bar_per_value() -> None:
    svg = bar_chart({"staff_misuse": 3, "debt_collection": 1}, title="Tickets")
    root = ET.fromstring(svg)
    bars = root.findall(f"{SVG}rect")
    assert len(bars) == 2
    widths = [float(b.attrib["width"]) for b in bars]
    assert widths[0] > widths[1] > 0


def test_labels_are_escaped() -> None:
    svg = bar_chart({"<script>alert(1)</script>": 1}, title="x & y")
    assert "<script>" not in svg
    ET.fromstring(svg)  # still well-formed


def test_stacked_columns_stack_by_series_key() -> None:
    svg = stacked_columns(
        {"2026-11-23": {"es": 2, "pt": 1}, "2026-11-24": {"es": 1}}, title="Volume"
    )
    root = ET.fromstring(svg)
    bars = [r for r in root.findall(f"{SVG}rect") if r.attrib.get("class") == "bar"]
    assert len(bars) == 3


def test_empty_charts_say_so() -> None:
    assert "no data yet" in bar_chart({}, title="t")
    assert "no data yet" in stacked_columns({}, title="t")


def test_percent_bars_use_percent_labels() -> None:
    svg = percent_bars([("care", 50.0), ("privacy_dpo", None)], title="SLA met")
    assert "50%" in svg and "0%" in svg
