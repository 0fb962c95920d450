"""Charts as inline SVG: a figure against its threshold (pygal), and a state strip.

pygal draws a time axis, breaks the line where a value is None (a gap stays a gap)
and writes SVG with no browser code needed; its tooltip scripts are removed, so the
page holds no script at all.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET  # nosec B405 - writes pygal's tree, parses nothing

import pygal
from markupsafe import Markup
from pygal.style import Style

from semaine.dashboard.formatting import DISPLAY_TIMEZONE, local_day, local_time

if TYPE_CHECKING:
    from semaine.dashboard.series import FigureSeries
    from semaine.dashboard.timeline import Bucket

# pygal appends a finder for its map plugins to sys.meta_path, without find_spec: Python
# 3.11 then warns (ImportWarning) at every later import that reaches it. No map is used.
sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, pygal.PluginImportFixer)]

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
ET.register_namespace("", SVG_NAMESPACE)
ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")

MEASURED_COLOUR = "#1a4f8b"
THRESHOLD_COLOUR = "#b3261e"
STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1b1b1b",
    foreground_strong="#1b1b1b",
    foreground_subtle="#595959",
    colors=(MEASURED_COLOUR, THRESHOLD_COLOUR),
    font_family="system-ui, sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=14,
    stroke_width=2,
)


def figure_chart(series: FigureSeries, label: str, unit: str, description: str) -> Markup:
    """Return `series` and its threshold as an inline SVG line chart described by `description`."""
    days = midnights(series.points[0].at, series.points[-1].at) if series.points else []
    chart = pygal.DateTimeLine(
        style=STYLE,
        js=[],
        width=900,
        height=300,
        explicit_size=False,
        show_dots=False,
        allow_interruptions=True,
        disable_xml_declaration=True,
        legend_at_bottom=True,
        show_x_guides=False,
        x_label_rotation=0,
        truncate_label=-1,
        x_labels=days,
        x_value_formatter=local_day,
        y_title=unit,
        include_x_axis=True,
    )
    chart.add(f"{label} measured", [(point.at, point.value) for point in series.points])
    chart.add(
        f"{label} threshold",
        [(point.at, point.value) for point in series.thresholds],
        stroke_style={"dasharray": "8,5", "width": 2},
    )
    return _inline(chart.render_tree(), description)


def midnights(start: datetime, end: datetime) -> list[datetime]:
    """Return each local midnight after `start` up to `end`: the chart's day marks."""
    local = start.astimezone(DISPLAY_TIMEZONE)
    day = local.date() + timedelta(days=1)
    marks = []
    while (mark := datetime.combine(day, time(), DISPLAY_TIMEZONE)) <= end:
        marks.append(mark)
        day += timedelta(days=1)
    return marks


def _inline(root: ET.Element, description: str) -> Markup:
    """Serialise pygal's tree without its scripts and comments, labelled for screen readers."""
    for parent in root.iter():
        for child in list(parent):
            if not isinstance(child.tag, str) or child.tag.endswith("script"):
                parent.remove(child)
    root.set("role", "img")
    root.set("aria-label", description)
    # ElementTree escapes every text and attribute it writes: the markup is safe to inline.
    svg = ET.tostring(root, encoding="unicode")
    return Markup(svg)  # noqa: S704  # nosec B704 - serialised by ElementTree, escaped


@dataclass(frozen=True)
class Bar:
    """One bucket of a state strip, placed and titled for the SVG."""

    x: float
    width: float
    state: str
    title: str


STRIP_WIDTH = 900.0


def strip_bars(found: list[Bucket]) -> list[Bar]:
    """Place buckets side by side across the strip, each titled with its time and states."""
    if not found:
        return []
    width = STRIP_WIDTH / len(found)
    return [
        Bar(index * width, width, bucket.state, _bucket_title(bucket))
        for index, bucket in enumerate(found)
    ]


def _bucket_title(bucket: Bucket) -> str:
    states = ", ".join(
        f"{state} {round(seconds / 60)} min"
        for state, seconds in sorted(bucket.seconds.items(), key=lambda item: -item[1])
    )
    return f"{local_time(bucket.start)} to {local_time(bucket.end)}: {states}"
