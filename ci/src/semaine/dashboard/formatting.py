"""How the page writes times, durations and figures (also its jinja2 filters)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from semaine.dashboard.schedule import SCHEDULE_TIMEZONE

if TYPE_CHECKING:
    from datetime import datetime, timedelta

UNITS = {"ms": "ms", "seconds": "s", "s": "s", "percent": "%", "pct": "%", "days": "days"}
"""A figure's unit, from the last word of its name (`p95_ms`, `error_rate_percent`)."""
DISPLAY_TIMEZONE = SCHEDULE_TIMEZONE
"""The page shows times where the team and the schedule are: Europe/Paris."""


def local_time(moment: datetime) -> str:
    """Return `moment` as `Mon 30 Nov 14:05` in the display timezone."""
    return moment.astimezone(DISPLAY_TIMEZONE).strftime("%a %d %b %H:%M")


def local_day(moment: datetime) -> str:
    """Return the day of `moment` as `Mon 30 Nov` in the display timezone."""
    return moment.astimezone(DISPLAY_TIMEZONE).strftime("%a %d %b")


def local_timestamp(moment: datetime) -> str:
    """Return `moment` as `2026-11-30 14:05 CET` in the display timezone."""
    return moment.astimezone(DISPLAY_TIMEZONE).strftime("%Y-%m-%d %H:%M %Z")


def duration(value: timedelta | float) -> str:
    """Return a duration for people: `45 s`, `12 min 5 s`, `3 h 20 min`, `2 d 4 h`."""
    exact = value if isinstance(value, int | float) else value.total_seconds()
    if exact < 10:  # noqa: PLR2004 - short steps keep their tenths
        return f"{exact:.1f} s"
    seconds = round(exact)
    if seconds < 60:  # noqa: PLR2004 - a minute
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:  # noqa: PLR2004 - an hour
        return f"{minutes} min {seconds} s" if seconds else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:  # noqa: PLR2004 - a day
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


def percent(value: float | None, digits: int = 2) -> str:
    """Return a percentage, `99.95 %`, or `no data`; never rounds up to 100 % unless it is."""
    if value is None:
        return "no data"
    text = f"{value:.{digits}f}"
    if value < 100 and float(text) >= 100:  # noqa: PLR2004 - 99.996 must not read as 100.00
        text = f"{100 - 10**-digits:.{digits}f}"
    return f"{text} %"


def figure(value: float | None, unit: str = "") -> str:
    """Return a measured figure with its unit, `412 ms`, `0.05 %`; `-` when there is none."""
    if value is None:
        return "-"
    text = f"{value:.0f}" if abs(value) >= 100 else f"{value:.3g}"  # noqa: PLR2004
    return f"{text} {unit}" if unit else text


def safe_link(url: str | None) -> str | None:
    """Return `url` when it is a web address a page may link to (never `javascript:`)."""
    if url and url.lower().startswith(("https://", "http://")):
        return url
    return None


def figure_label(name: str) -> tuple[str, str]:
    """Return a figure's name for people and its unit: `p95_ms` -> ("p95", "ms")."""
    words = name.split("_")
    unit = UNITS.get(words[-1], "") if len(words) > 1 else ""
    return " ".join(words[:-1] if unit else words), unit


def named_figure(name: str, value: float, threshold: float | None = None) -> str:
    """Return `p95 412 ms (threshold 500 ms)` from a figure's name, value and threshold."""
    label, unit = figure_label(name)
    limit = "" if threshold is None else f" (threshold {figure(threshold, unit)})"
    return f"{label} {figure(value, unit)}{limit}"
