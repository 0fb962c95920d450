"""The seeded app the user workflows drive: served once per test process, on its own database.

They run in the test stage with the rest of the suite: they assert behaviour, not speed,
so they need not run alone as the e2e stage's timings and Lighthouse do (docs/testing.md).
The browser is the shared `browser` fixture (`tests/browser.py`), one per module.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest

from app.weeks import DEFAULT_TIME_ZONE
from tests.e2e.seeding import seed
from tests.paths import ROOT
from tests.served_app import served_app_blocking

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser, Page

    from tests.conftest import Templates
    from tests.servers import PostgresServer

WIDE = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

TODAY = dt.datetime.now(ZoneInfo(DEFAULT_TIME_ZONE)).date()


@pytest.fixture(scope="session")
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Yield the URL of the app the tests drive, on a database seeded with a working week.

    Each test adds what it needs with titles of its own and never counts what another
    test may have added.
    """
    postgres: PostgresServer = request.getfixturevalue("postgres")
    templates: Templates = request.getfixturevalue("database_templates")
    name = f"e2e_{os.getpid()}"
    url = postgres.create_database(name, template=templates.name_for("head"))
    log_path = tmp_path_factory.mktemp("server") / "server.log"
    try:
        with served_app_blocking(ROOT, url, log_path) as base:
            seed(base, TODAY)
            yield base
    finally:
        postgres.drop_database(name)


@pytest.fixture
def chromium_page(browser: Browser) -> Iterator[Page]:
    """Yield a fresh page (its own context: no cookies or history shared between tests)."""
    context = browser.new_context(viewport=WIDE)  # type: ignore[arg-type]
    try:
        yield context.new_page()
    finally:
        context.close()
