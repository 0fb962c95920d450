"""The headless Chromium of every browser test: one fixture, one way to launch it.

Loaded as a plugin by tests/conftest.py: the service's pages (tests/e2e) and the status
page (tests/integration/semaine/dashboard) drive the same fixture, launched once per
module and only when a test asks for it. Not once per session: Playwright's sync API
keeps an event loop running in the main thread while its browser is open, and every
later test of that process that runs asyncio (anyio.run) would fail with "Already
running asyncio in this thread" (the test stage mixes both on each xdist worker).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pytest

from semaine.probes.chromium import CHROMIUM, chromium_available, launch_options

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Yield Debian's Chromium, driven headless by Playwright, once per module."""
    if not chromium_available():
        message = f"{CHROMIUM} is not installed: run scripts/setup (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)  # in CI a missing browser is a broken setup, not a skip
        pytest.skip(message)
    # Imported here: most sessions start no browser and need not load Playwright.
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    with sync_playwright() as driver:
        chromium = driver.chromium.launch(**launch_options())
        try:
            yield chromium
        finally:
            chromium.close()
