"""Time the week pages in headless Chromium: first load, then next/previous/today navigations.

Run as `python -m semaine.probes.page_timing --app-url URL --output FILE.json`.
Exit status: 0 when every navigation loaded a week page, 1 otherwise (the JSON says why).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from semaine.probes.chromium import launch_options

if TYPE_CHECKING:
    from collections.abc import Sequence

    from playwright.sync_api import Page

SELECTORS = {
    "next": "a[rel=next]",
    "previous": "a[rel=prev]",
    "today": "a:has-text('Today')",
}
ROUTE = ("next", "next", "previous", "today", "previous", "previous", "next", "today")
TIMEOUT_MS = 15_000

# Navigation Timing level 2 of the current document, in ms from its navigation start.
_TIMING_SCRIPT = """() => {
  const [entry] = performance.getEntriesByType('navigation');
  return entry ? entry.toJSON() : null;
}"""


@dataclass
class Report:
    """What the probe writes: the first page load and each navigation."""

    app_url: str
    page_load_ms: float = 0.0
    first_load: dict[str, Any] = field(default_factory=dict)
    navigations: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def probe(app_url: str, screenshots: Path, route: Sequence[str] = ROUTE) -> Report:
    """Load the week page of `app_url`, follow `route`, and return every timing."""
    from playwright.sync_api import Error, sync_playwright  # noqa: PLC0415 - slow import, only here

    report = Report(app_url=app_url)
    screenshots.mkdir(parents=True, exist_ok=True)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(**launch_options())
            try:
                page = browser.new_page()
                page.set_default_timeout(TIMEOUT_MS)
                response = page.goto(f"{app_url}/", wait_until="load")
                timing = _timing(page)
                report.first_load = {
                    "url": page.url,
                    "status": response.status if response else None,
                    **timing,
                }
                report.page_load_ms = float(timing.get("duration", 0.0))
                _shoot(page, screenshots / "00-first-load.jpg")
                if response is None or not response.ok:
                    report.errors.append(
                        f"GET {app_url}/ answered {response.status if response else 'nothing'}"
                    )
                    return report
                shot = {page.url}
                for index, action in enumerate(route, start=1):
                    report.navigations.append(_navigate(page, action, index, screenshots, shot))
            finally:
                browser.close()
    except Error as error:
        report.errors.append(f"browser error: {error.message.splitlines()[0]}")
    return report


def _navigate(
    page: Page, action: str, index: int, screenshots: Path, shot: set[str]
) -> dict[str, Any]:
    """Follow one link and time it; screenshot the page the first time it is reached."""
    from playwright.sync_api import Error  # noqa: PLC0415 - see probe()

    try:
        with page.expect_navigation(wait_until="load") as navigation:
            page.click(SELECTORS[action])
        response = navigation.value
    except Error as error:
        return {
            "action": action,
            "url": page.url,
            "duration_ms": 0.0,
            "ok": False,
            "error": error.message.splitlines()[0],
        }
    timing = _timing(page)
    # After the timing is read: never part of what is measured. A page seen again is
    # not shot again (a full-page PNG costs 0.1-0.3 s).
    if page.url not in shot:
        shot.add(page.url)
        _shoot(page, screenshots / f"{index:02d}-{action}.jpg")
    ok = response is not None and response.ok and "/weeks/" in page.url
    return {
        "action": action,
        "url": page.url,
        "status": response.status if response else None,
        "duration_ms": float(timing.get("duration", 0.0)),
        "ok": ok,
        "timing": timing,
    }


def _shoot(page: Page, path: Path) -> None:
    # JPEG: a third of a full-page PNG's time (~0.07 s against ~0.2 s), in a timed stage.
    page.screenshot(path=str(path), full_page=True, type="jpeg", quality=80)


def _timing(page: Page) -> dict[str, Any]:
    timing = page.evaluate(_TIMING_SCRIPT)
    return timing if isinstance(timing, dict) else {}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the probe and write its JSON report; return 0 when every navigation succeeded."""
    parser = argparse.ArgumentParser(
        prog="python -m semaine.probes.page_timing", description=__doc__
    )
    parser.add_argument("--app-url", required=True, help="base URL of the running app")
    parser.add_argument("--output", type=Path, required=True, help="JSON report to write")
    parser.add_argument("--screenshots", type=Path, required=True, help="folder for screenshots")
    arguments = parser.parse_args(argv)
    report = probe(arguments.app_url.rstrip("/"), arguments.screenshots)
    arguments.output.parent.mkdir(parents=True, exist_ok=True)
    arguments.output.write_text(json.dumps(asdict(report), indent=2) + "\n", encoding="utf-8")
    broken = report.errors or not all(item["ok"] for item in report.navigations)
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
