"""The page-timing probe's JSON report (written by `semaine.probes.page_timing`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from semaine.pipeline.parsers.errors import read_json, shape_error

if TYPE_CHECKING:
    from pathlib import Path


@dataclass(frozen=True)
class Navigation:
    """One navigation of the week page and how long it took."""

    action: str
    url: str
    duration_ms: float
    """From the click (or goto) to the load event of the new page."""
    ok: bool
    """Whether the page loaded with status 200 and showed a week."""


@dataclass(frozen=True)
class PageTimings:
    """The first load of the week page and the navigations that followed."""

    page_load_ms: float
    navigations: tuple[Navigation, ...]
    errors: tuple[str, ...]


def parse_page_timing(path: Path) -> PageTimings:
    """Return the timings of the probe's JSON report at `path`."""
    document = read_json(path)
    try:
        return PageTimings(
            page_load_ms=float(document["page_load_ms"]),
            navigations=tuple(
                Navigation(
                    action=str(item["action"]),
                    url=str(item["url"]),
                    duration_ms=float(item["duration_ms"]),
                    ok=bool(item["ok"]),
                )
                for item in document["navigations"]
            ),
            errors=tuple(str(error) for error in document.get("errors", [])),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise shape_error(path, f"page_load_ms and navigations ({error})") from error
