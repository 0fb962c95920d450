"""The rendered page: its sections and figures, escaped hostile text, no script, accessible."""

from __future__ import annotations

import re
import sys
from datetime import timedelta
from html.parser import HTMLParser
from typing import TYPE_CHECKING

import pytest

from semaine.dashboard.gates import PipelineSummary
from semaine.dashboard.inputs import History, Inputs
from semaine.dashboard.page import render_site
from tests.dashboard_histories import (
    MONDAY,
    api_check,
    every,
    opened,
    pipeline_summary,
    record,
    resolved,
    run,
)

if TYPE_CHECKING:
    from pathlib import Path

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'
START = MONDAY + timedelta(hours=7)
NOW = START + timedelta(hours=4)
ISSUE = "https://github.com/acme/semaine/issues/12"


class Elements(HTMLParser):
    """Every start tag of a page, with its attributes, and the text of every element."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def named(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def parsed(page: str) -> Elements:
    elements = Elements()
    elements.feed(page)
    return elements


def words(page: str) -> str:
    """Return the page's text, one space between words."""
    return " ".join(" ".join(parsed(page).text).split())


def history() -> History:
    times = every(START, NOW, timedelta(minutes=15))
    runs = [run(at, api=api_check(p95_ms=100 + index)) for index, at in enumerate(times)]
    down_at = times[4]
    runs[4] = run(down_at, "down", detail=HOSTILE, incidents=[opened("healthz", down_at, ISSUE)])
    runs[6] = run(times[6], incidents=[resolved("healthz", down_at, times[6], ISSUE)])
    runs[8] = run(times[8], "down", incidents=[opened("api", times[8], "javascript:alert(1)")])
    del runs[10:12]  # two dropped runs: a gap
    return History("production", runs)


@pytest.fixture
def page(tmp_path: Path) -> str:
    deliveries = [
        record("deploy", START, 95.0),
        record("rollback", START + timedelta(hours=1), 700.0, reason=HOSTILE),
    ]
    summary = pipeline_summary(tmp_path / "summary.json", detail=HOSTILE)
    pipeline = PipelineSummary.model_validate_json(summary.read_text())
    return render_site(Inputs([history()], deliveries, 0, pipeline), NOW)


def test_hostile_text_is_shown_as_text_never_run(page: str) -> None:
    assert "<script" not in page
    assert "onerror=alert" not in page.replace("onerror=alert(1)&gt;", "")
    assert page.count("&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") == 3
    elements = parsed(page)
    assert elements.named("script") == []
    assert elements.named("img") == []
    assert HOSTILE in "".join(elements.text)


def test_only_web_addresses_become_issue_links(page: str) -> None:
    hrefs = [attrs["href"] for attrs in parsed(page).named("a")]
    assert ISSUE in hrefs
    assert not [href for href in hrefs if href and "javascript" in href.lower()]
    assert "javascript:alert(1)" in page  # shown as text, so the team still sees it


def test_the_states_and_figures_are_shown(page: str) -> None:
    text = words(page)
    assert "production: up Latest run 2026-11-23 11:45 CET (15 min ago, took 3.0 s)" in text
    assert "Checks now" in text
    assert "p95 115 ms (threshold 500 ms)" in text
    assert "Incidents of production in the last 30 days, ongoing first" in text
    assert "ongoing" in text
    assert "healthz down 2026-11-23 09:00 CET 2026-11-23 09:30 CET 30 min" in text
    assert "100.0 % meets against 98.0 % (1 of 1 deploys and promotions succeeded" in text
    assert "longest 11 min 40 s misses against 10 min" in text
    assert "test (1 min 1 s) coverage fail 85 % >= 90 %" in text
    assert "build (0.0 s) skipped needs an engine" in text


def test_uptime_leaves_the_gap_out_and_counts_the_downtime(page: str) -> None:
    text = words(page)
    # 4 h of history: 10:30 and 10:45 dropped (10:15 vouches until 10:37:30, then a gap
    # until 11:00), 30 min down (two runs): 187.5 min up of 217.5 min observed.
    row = re.search(r"every check (\S+ %) (\w+) coverage (\S+ %), down (30 min)", text)
    assert row is not None
    assert row.groups() == ("86.207 %", "misses", "15.1 %", "30 min")
    assert re.search(r"api 100.000 % meets coverage 15.1 %", text)


def test_the_charts_are_inline_svg_with_text_alternatives(page: str) -> None:
    elements = parsed(page)
    charts = [
        attrs for attrs in elements.named("svg") if "pygal-chart" in (attrs.get("class") or "")
    ]
    assert len(charts) == 2
    labels = [attrs["aria-label"] or "" for attrs in charts]
    assert labels[0].startswith("p95 of the api check over the last 7 days")
    assert labels[1].startswith("error rate of the api check over the last 7 days")
    assert all(attrs["role"] == "img" for attrs in charts)
    assert not any(type(finder).__name__ == "PluginImportFixer" for finder in sys.meta_path)


def test_the_page_is_structured_for_assistive_technology(page: str) -> None:
    elements = parsed(page)
    assert elements.named("html") == [{"lang": "en"}]
    assert len(elements.named("h1")) == 1
    assert len(elements.named("table")) == len(elements.named("caption")) == 5
    assert all(attrs.get("scope") for attrs in elements.named("th"))
    strip = [a for a in elements.named("svg") if "hour by hour" in (a.get("aria-label") or "")]
    assert len(strip) == 1


def test_a_stopped_monitor_is_said_and_missing_sections_explain_themselves() -> None:
    later = NOW + timedelta(hours=6)
    page = render_site(Inputs([history()]), later)
    text = words(page)
    assert "No run since 2026-11-23 11:45 CET: the next was due by 2026-11-23 12:07 CET" in text
    assert "No deployment records were given ( --deployments )." in text
    assert "No pipeline summary was given ( --pipeline-summary )." in text


@pytest.mark.parametrize("days", [8, 40])
def test_a_history_that_stopped_long_ago_still_renders_and_says_so(days: int) -> None:
    page = render_site(Inputs([history()]), NOW + timedelta(days=days))
    text = words(page)
    assert "No run since 2026-11-23 11:45 CET" in text
    assert "every check no data no data" in text
    assert "gap 168" in text  # the whole strip
    charts = [a for a in parsed(page).named("svg") if "pygal-chart" in (a.get("class") or "")]
    assert len(charts) == (2 if days < 30 else 0)


def test_checks_the_latest_run_skipped_are_listed_with_why() -> None:
    latest = history().runs[-1].model_copy(update={"skipped": {"tls": "http:// URL: <none>"}})
    page = render_site(Inputs([History("production", [*history().runs[:-1], latest])]), NOW)
    assert "tls skipped http:// URL: <none>" in words(page)
    assert "http:// URL: &lt;none&gt;" in page


def test_a_page_made_before_the_first_run_never_says_a_negative_time_ago() -> None:
    page = render_site(Inputs([history()]), START - timedelta(minutes=30))
    text = words(page)
    assert "Latest run 2026-11-23 08:00 CET (30 min after this page's time, took 3.0 s)" in text
    assert " ago" not in text.replace("long ago", "")


def test_no_deploy_in_the_window_is_said_once_not_as_a_rate() -> None:
    only_a_rollback = [record("rollback", START + timedelta(hours=1), 120.0)]
    text = words(render_site(Inputs([history()], only_a_rollback, 0, None), NOW))
    assert "no data no deploy or promotion in the last 30 days" in text
    assert "no data no data" not in text
