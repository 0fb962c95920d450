"""The one headless Chromium of a test session, shared by every browser test.

Loaded as a plugin by tests/conftest.py: the service's pages (tests/e2e) and the status
page (tests/integration/semaine/dashboard) drive the same browser, launched once per
session (per xdist worker) and only when a test asks for it.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pytest

from semaine.probes.chromium import CHROMIUM, chromium_available, launch_options

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Yield Debian's Chromium, driven headless by Playwright, once per session."""
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
