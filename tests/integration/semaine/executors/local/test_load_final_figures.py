"""The load stage judges locust's final figures, not a snapshot taken before it stopped.

locust rewrites `--csv`'s `_stats.csv` once a second while it runs and not after its
last requests: the gate once judged 1,799 requests where locust's own final report
said 1,921. Here the real stage runs (real PostgreSQL, the tiny app, real locust) and
its judged figures are compared with locust's HTML report, written when the run ended.
"""

import json
import re
from pathlib import Path
from typing import Any

import pytest

from semaine.cli import main

pytestmark = [pytest.mark.slow, pytest.mark.integration]

_AGGREGATED = re.compile(r'\{[^{}]*"name": "Aggregated"[^{}]*\}')
_DETAIL = re.compile(r"^(\d+) requests, (\d+) failed")


def locust_final_report(html: Path) -> dict[str, Any]:
    """Return the Aggregated line of locust's HTML report (its figures at the end)."""
    found = _AGGREGATED.search(html.read_text(encoding="utf-8"))
    assert found, f"no Aggregated statistics in {html}"
    aggregated: dict[str, Any] = json.loads(found.group(0))
    return aggregated


def test_the_judged_request_count_is_locusts_final_total(
    tiny_project: Path, tmp_path: Path
) -> None:
    reports = tmp_path / "reports"
    options = ["--project-dir", str(tiny_project), "--report-dir", str(reports)]
    assert main(["load", *options]) == 0
    summary = json.loads((reports / "summary.json").read_text(encoding="utf-8"))
    gates = {gate["gate"]: gate for gate in summary["stages"][0]["gates"]}
    judged = _DETAIL.match(gates["API p95"]["detail"])
    assert judged, gates["API p95"]
    final = locust_final_report(reports / "load" / "locust.html")
    assert int(judged.group(1)) == final["num_requests"]
    assert int(judged.group(2)) == final["num_failures"]
    assert gates["API p95"]["measured"] == final["response_time_percentile_0.95"]
