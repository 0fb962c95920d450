"""The charts: pygal's SVG without its scripts, labelled; the strip's bars and day marks."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree as ET

from semaine.dashboard.charts import STRIP_WIDTH, figure_chart, midnights, strip_bars
from semaine.dashboard.series import FigureSeries, Point
from semaine.dashboard.timeline import Bucket

START = datetime(2026, 11, 23, 7, tzinfo=UTC)
SVG = "{http://www.w3.org/2000/svg}"


def series() -> FigureSeries:
    points = [Point(START + timedelta(minutes=15 * n), 100.0 + n) for n in range(8)]
    points.insert(4, Point(START + timedelta(minutes=52), None))
    limits = [Point(point.at, 500.0) for point in points if point.value is not None]
    return FigureSeries("api", "p95_ms", points, limits)


def test_the_chart_is_svg_without_script_labelled_for_screen_readers() -> None:
    label = 'p95 <b>"quoted"</b> & more'
    svg = figure_chart(series(), "p95", "ms", label)
    root = ET.fromstring(str(svg))  # noqa: S314 - our own output, parsed to check it
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label") == label
    assert list(root.iter(f"{SVG}script")) == []
    assert "<script" not in svg
    lines = [path for path in root.iter(f"{SVG}path") if "nofill" in (path.get("class") or "")]
    assert len(lines) == 3, "the measured line in two parts (the gap), then the threshold"
    assert not any(type(finder).__name__ == "PluginImportFixer" for finder in sys.meta_path)


def test_day_marks_are_paris_midnights() -> None:
    marks = midnights(
        datetime(2026, 11, 23, 12, tzinfo=UTC), datetime(2026, 11, 25, 23, tzinfo=UTC)
    )
    assert marks == [
        datetime(2026, 11, 23, 23, tzinfo=UTC),  # midnight starting Tuesday 24, in Paris
        datetime(2026, 11, 24, 23, tzinfo=UTC),
        datetime(2026, 11, 25, 23, tzinfo=UTC),  # the end itself is a mark
    ]


def test_strip_bars_fill_the_width_each_titled() -> None:
    hour = timedelta(hours=1)
    buckets = [
        Bucket(START, START + hour, "up", {"up": 3600.0}),
        Bucket(START + hour, START + 2 * hour, "down", {"up": 600.0, "down": 3000.0}),
    ]
    bars = strip_bars(buckets)
    assert [(bar.x, bar.width, bar.state) for bar in bars] == [
        (0.0, STRIP_WIDTH / 2, "up"),
        (STRIP_WIDTH / 2, STRIP_WIDTH / 2, "down"),
    ]
    assert bars[1].title == "Mon 23 Nov 09:00 to Mon 23 Nov 10:00: down 50 min, up 10 min"
    assert strip_bars([]) == []
