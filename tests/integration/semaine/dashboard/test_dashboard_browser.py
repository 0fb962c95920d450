"""The status page in Debian's headless Chromium: it renders, quietly, legibly, without script.

The browser is the shared `browser` fixture (`tests/browser.py`); each page gets its own
context, closed after its test.
A screenshot is written under the test's tmp dir and, when SEMAINE_ARTIFACTS names a
folder, there too (CI uploads it).
"""

from __future__ import annotations

import os
import shutil
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Browser, expect

from semaine import cli
from semaine.exit_status import ExitStatus
from tests.dashboard_histories import (
    MONDAY,
    api_check,
    every,
    opened,
    pipeline_summary,
    record,
    resolved,
    run,
    write_history,
    write_records,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import BrowserContext, ConsoleMessage, Page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
HOSTILE = "<script>window.hostile = 1; alert('x')</script>"
NOW = MONDAY + timedelta(days=7, hours=12)
ISSUE = "https://github.com/acme/semaine/issues/31"
CONTRAST_MINIMUM = 4.5
"""WCAG 2 AA for normal text."""

# The contrast of each element's text with the background it is drawn on (its own, or
# the first ancestor's that is not transparent), as WCAG 2 computes it.
CONTRAST = """(selector) => {
  const rgb = (text) => text.match(/[\\d.]+/g).map(Number);
  const luminance = ([r, g, b]) => {
    const channel = (v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const background = (element) => {
    for (let node = element; node; node = node.parentElement) {
      const colour = rgb(getComputedStyle(node).backgroundColor);
      if (colour.length < 4 || colour[3] > 0) return colour.slice(0, 3);
    }
    return [255, 255, 255];
  };
  return [...document.querySelectorAll(selector)].map((element) => {
    const a = luminance(rgb(getComputedStyle(element).color));
    const b = luminance(background(element));
    return [element.textContent.trim(), (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)];
  });
}"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Render a week of production with a gap, an incident, deliveries and a pipeline run."""
    root = tmp_path_factory.mktemp("dashboard")
    times = every(NOW - timedelta(days=7), NOW, timedelta(minutes=15))
    down = times[300]
    runs = [run(at, api=api_check(p95_ms=90 + index % 40)) for index, at in enumerate(times)]
    runs[300] = run(down, "down", detail=HOSTILE, incidents=[opened("healthz", down, ISSUE)])
    runs[301] = run(times[301], "down")
    runs[302] = run(times[302], incidents=[resolved("healthz", down, times[302], ISSUE)])
    runs[400] = run(times[400], api=api_check(p95_ms=720))
    del runs[500:524]  # six hours without a run
    history = write_history(root / "state", runs)
    deliveries = write_records(
        root / "reports",
        [
            record("deploy", NOW - timedelta(days=3), 140.0),
            record("promote", NOW - timedelta(days=2), 95.0),
            record("rollback", NOW - timedelta(days=1), 250.0, reason=HOSTILE),
        ],
    )
    summary = pipeline_summary(root / "summary.json")
    output = root / "site"
    status = cli.main(
        [
            "dashboard",
            "--history", str(history),
            "--deployments", str(deliveries),
            "--pipeline-summary", str(summary),
            "--output", str(output),
            "--now", NOW.isoformat(),
        ]
    )  # fmt: skip
    assert status == ExitStatus.DONE
    return output


@pytest.fixture
def contexts() -> Iterator[list[BrowserContext]]:
    """Collect the browser contexts a test opens; close them after it."""
    opened: list[BrowserContext] = []
    yield opened
    for context in opened:
        context.close()


def open_page(
    browser: Browser, site: Path, contexts: list[BrowserContext], *, javascript: bool = True
) -> tuple[Page, list[str]]:
    """Open the page; return it and every console message, page error and failed request."""
    context = browser.new_context(java_script_enabled=javascript)
    contexts.append(context)
    page = context.new_page()
    problems: list[str] = []

    def console(message: ConsoleMessage) -> None:
        if message.type in {"error", "warning"}:
            problems.append(f"console {message.type}: {message.text}")

    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("requestfailed", lambda request: problems.append(f"request failed: {request.url}"))
    page.on("dialog", lambda dialog: problems.append(f"dialog: {dialog.message}"))
    page.goto((site / "index.html").as_uri())
    page.wait_for_load_state("load")
    return page, problems


def keep_screenshot(page: Page, tmp_path: Path) -> Path:
    """Screenshot the whole page into tmp_path and, if SEMAINE_ARTIFACTS is set, there too."""
    shot = tmp_path / "dashboard.png"
    page.screenshot(path=str(shot), full_page=True)
    artifacts = os.environ.get("SEMAINE_ARTIFACTS")
    if artifacts:
        Path(artifacts).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, Path(artifacts) / shot.name)
    return shot


def test_the_page_renders_its_states_and_figures_quietly(
    browser: Browser, site: Path, contexts: list[BrowserContext], tmp_path: Path
) -> None:
    page, problems = open_page(browser, site, contexts)
    expect(page.get_by_role("heading", level=1)).to_have_text("Semaine status")
    expect(page.get_by_role("heading", level=2, name="production: up")).to_be_visible()
    checks = page.get_by_role("table", name="Each check in the latest run of production")
    expect(checks.get_by_role("row", name="healthz")).to_contain_text("up")
    expect(checks.get_by_role("row", name="api")).to_contain_text("(threshold 500 ms)")
    uptime = page.get_by_role("table", name="Uptime of production against 99.9 %")
    expect(uptime.get_by_role("row", name="every check")).to_contain_text("misses")
    expect(uptime.get_by_role("row", name="every check")).to_contain_text("down 30 min")
    incidents = page.get_by_role("table", name="Incidents of production in the last 30 days")
    expect(incidents.get_by_role("link")).to_have_attribute("href", ISSUE)
    expect(incidents).to_contain_text("30 min")
    expect(page.get_by_text("3 of 3 deploys", exact=False)).to_have_count(0)
    expect(page.get_by_text("2 of 2 deploys and promotions succeeded")).to_be_visible()
    charts = page.locator("svg.pygal-chart")
    expect(charts).to_have_count(2)
    box = charts.first.bounding_box()
    assert box is not None
    assert box["width"] > 600
    assert box["height"] > 150
    expect(
        page.get_by_role("img", name="p95 of the api check over the last 7 days")
    ).to_be_visible()

    assert problems == []
    shot = keep_screenshot(page, tmp_path)
    data = shot.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    assert len(data) > 10_000


def test_hostile_text_is_shown_not_run(
    browser: Browser, site: Path, contexts: list[BrowserContext]
) -> None:
    page, problems = open_page(browser, site, contexts)
    expect(page.get_by_text(HOSTILE).first).to_be_visible()
    assert page.evaluate("() => window.hostile") is None
    assert page.locator("script").count() == 0
    assert problems == []


def test_the_page_needs_no_javascript(
    browser: Browser, site: Path, contexts: list[BrowserContext]
) -> None:
    page, problems = open_page(browser, site, contexts, javascript=False)
    expect(page.get_by_role("heading", level=2, name="production: up")).to_be_visible()
    expect(page.locator("svg.pygal-chart path.nofill").first).to_be_visible()
    expect(page.get_by_role("table")).to_have_count(5)
    assert problems == []


def test_text_and_badges_are_legible(
    browser: Browser, site: Path, contexts: list[BrowserContext]
) -> None:
    page, _ = open_page(browser, site, contexts)
    selector = "p, td, th, caption, figcaption, .state, .verdict, .outcome, .coverage, a"
    measured = page.evaluate(CONTRAST, selector)
    assert len(measured) > 50
    faint = [(text[:40], round(ratio, 2)) for text, ratio in measured if ratio < CONTRAST_MINIMUM]
    assert faint == []
