"""One headless Chromium and one seeded app server for the whole browser tier."""

from __future__ import annotations

import datetime as dt
import os
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from app.weeks import DEFAULT_TIME_ZONE
from semaine.probes.chromium import CHROMIUM, chromium_available, launch_options
from tests.e2e.seeding import seed
from tests.paths import ROOT
from tests.served_app import served_app_blocking

if TYPE_CHECKING:
    from collections.abc import Iterator

    from tests.conftest import Templates
    from tests.servers import PostgresServer

WIDE = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


TODAY = dt.datetime.now(ZoneInfo(DEFAULT_TIME_ZONE)).date()


@pytest.fixture(scope="session")
def server(
    postgres: PostgresServer,
    database_templates: Templates,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    """Serve the app (a real process) once for the tier, on a seeded database; yield its URL.

    One server for every module keeps the e2e stage short: the tests add what they need
    with titles of their own and never count what another test may have added.
    """
    name = f"e2e_{os.getpid()}"
    url = postgres.create_database(name, template=database_templates.name_for("head"))
    log_path = tmp_path_factory.mktemp("server") / "server.log"
    try:
        with served_app_blocking(ROOT, url, log_path) as base:
            seed(base, TODAY)
            yield base
    finally:
        postgres.drop_database(name)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Yield Debian's Chromium, driven headless by Playwright, once per module.

    Not once per session: Playwright's sync API keeps an asyncio loop running in the
    thread while it is open, so every later test of the same xdist worker that runs
    asyncio (TestClient, anyio.run) would fail with "Already running asyncio".
    """
    if not chromium_available():
        message = f"{CHROMIUM} is not installed: run scripts/setup (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)  # in CI a missing browser is a broken setup, not a skip
        pytest.skip(message)
    with sync_playwright() as driver:
        chromium = driver.chromium.launch(**launch_options())
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def chromium_page(browser: Browser) -> Iterator[Page]:
    """Yield a fresh page (its own context: no cookies or history shared between tests)."""
    context = browser.new_context(viewport=WIDE)  # type: ignore[arg-type]
    try:
        yield context.new_page()
    finally:
        context.close()
