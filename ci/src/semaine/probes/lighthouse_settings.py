"""What Lighthouse audits: `[tool.semaine.lighthouse]` of the project's pyproject.toml.

```toml
[tool.semaine.lighthouse]
pages = ["/weeks/{this_week}", "/months/{this_month}"]  # paths; {this_week} = e.g. 2026-W49
presets = ["desktop", "mobile"]
runs = 3          # per page and preset; the median run is judged
wait_ms = 250     # Lighthouse's quiet windows after FCP and load (its default: 1000)
lanes = 2         # Node processes, each with its own Chromium, auditing side by side
full_runs = 1     # runs (the first) that score every category; the others performance alone
```

Every key is optional; the values above are the defaults. `{this_week}` and
`{this_month}` are today's ISO week and month (UTC): the e2e stage seeds the weeks
around today, so the default pages are seeded pages whatever the date.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

PRESETS = ("desktop", "mobile")
DEFAULT_PAGES = ("/weeks/{this_week}", "/months/{this_month}")
TABLE = "[tool.semaine.lighthouse]"
MAX_RUNS = 9
MAX_WAIT_MS = 10_000
MAX_LANES = 4


class SettingsError(ValueError):
    """The `[tool.semaine.lighthouse]` table is malformed; the message says which key and why."""


@dataclass(frozen=True)
class LighthouseSettings:
    """The pages Lighthouse audits, with which presets, and how many runs each."""

    pages: tuple[str, ...] = DEFAULT_PAGES
    presets: tuple[str, ...] = PRESETS
    runs: int = 3
    wait_ms: int = 250
    lanes: int = 2
    """Audits side by side: each lane a Node process with its own Chromium (a page and
    preset's runs stay in one lane). Two finish ~1.5x sooner than one on 2 cores, with
    the same scores; four are no faster (docs/benchmarks.md)."""
    full_runs: int = 1
    """The runs (the first ones) that score every category; the others score performance
    alone. Accessibility, best practices and SEO do not vary from run to run (the DOM,
    the headers and the console are the same each time: docs/pipeline.md), so they are
    taken from the first run, and performance from the median of every run."""


def load_settings(pyproject: Path) -> LighthouseSettings:
    """Read `[tool.semaine.lighthouse]` of `pyproject` (the defaults when absent)."""
    try:
        document = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        message = f"cannot read {TABLE} from {pyproject}: {error}"
        raise SettingsError(message) from error
    return parse_settings(document.get("tool", {}).get("semaine", {}).get("lighthouse", {}))


def parse_settings(table: dict[str, Any]) -> LighthouseSettings:
    """Validate a `[tool.semaine.lighthouse]` table."""
    known = {"pages", "presets", "runs", "full_runs", "wait_ms", "lanes"}
    unknown = sorted(set(table) - known)
    if unknown:
        message = f"{TABLE}: unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        raise SettingsError(message)
    defaults = LighthouseSettings()
    pages = _strings(table, "pages", defaults.pages)
    if not all(page.startswith("/") for page in pages):
        message = f"{TABLE}: pages must be paths starting with /, not {list(pages)}"
        raise SettingsError(message)
    for page in pages:
        try:
            page.format_map(dict.fromkeys(("this_week", "this_month"), ""))
        except (KeyError, ValueError, IndexError) as error:
            message = f"{TABLE}: {page!r} names {error}; only {{this_week}} and {{this_month}}"
            raise SettingsError(message) from None
    presets = _strings(table, "presets", defaults.presets)
    if not set(presets) <= set(PRESETS):
        message = f"{TABLE}: presets must be among {', '.join(PRESETS)}, not {list(presets)}"
        raise SettingsError(message)
    runs = _whole(table, "runs", defaults.runs, 1, MAX_RUNS)
    return LighthouseSettings(
        pages=pages,
        presets=presets,
        runs=runs,
        full_runs=_whole(table, "full_runs", min(defaults.full_runs, runs), 1, runs),
        wait_ms=_whole(table, "wait_ms", defaults.wait_ms, 0, MAX_WAIT_MS),
        lanes=_whole(table, "lanes", defaults.lanes, 1, MAX_LANES),
    )


def _strings(table: dict[str, Any], key: str, default: tuple[str, ...]) -> tuple[str, ...]:
    value = table.get(key, list(default))
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        message = f"{TABLE}: {key} must be a non-empty list of strings, not {value!r}"
        raise SettingsError(message)
    return tuple(value)


def _whole(table: dict[str, Any], key: str, default: int, low: int, high: int) -> int:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        message = f"{TABLE}: {key} must be a whole number from {low} to {high}, not {value!r}"
        raise SettingsError(message)
    return value


def resolved_pages(
    pages: tuple[str, ...], app_url: str, today: dt.date | None = None
) -> list[dict[str, str]]:
    """Return each page's path with today's week and month filled in, its URL and file slug."""
    day = today or dt.datetime.now(tz=dt.UTC).date()
    year, week, _ = day.isocalendar()
    values = {"this_week": f"{year}-W{week:02d}", "this_month": f"{day:%Y-%m}"}
    resolved = []
    for page in pages:
        path = page.format_map(values)
        slug = re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-") or "root"
        resolved.append({"page": path, "url": f"{app_url}{path}", "slug": slug})
    return resolved
