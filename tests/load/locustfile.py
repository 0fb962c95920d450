"""Load profile of Semaine: random weeks' entries (and optionally week pages).

Shared by `bench/api_load.py` and the pipeline's load stage. Everything is set by
environment variables, so one file serves every run:

- SEMAINE_LOAD_FIRST_WEEK, SEMAINE_LOAD_LAST_WEEK: the weeks drawn from, uniformly
  (default 2025-W01..2026-W52, the span `bench/api_load.py` loads).
- SEMAINE_LOAD_RPS: the total target rate in requests per second (default 200), shared
  by the users (`-u`): each runs at a constant throughput of SEMAINE_LOAD_RPS / users.
  Prefer few users: with ~190 KB answers, 20 users of one locust process measured
  p50 ~19 ms where the server alone answers in ~3 ms; 5 users, p50 2-5 ms
  (see docs/api.md, "Benchmarks").
- SEMAINE_LOAD_PAGE_WEIGHT: relative weight of the HTML week page against the API
  endpoint (weight 1); default 0 (API only).
"""

from __future__ import annotations

import os
import random
from typing import TYPE_CHECKING

from locust import constant_throughput, task
from locust.contrib.fasthttp import FastHttpUser

from app.weeks import Week

if TYPE_CHECKING:
    from locust.env import Environment


def _weeks() -> list[str]:
    first = Week.parse(os.environ.get("SEMAINE_LOAD_FIRST_WEEK", "2025-W01"))
    last = Week.parse(os.environ.get("SEMAINE_LOAD_LAST_WEEK", "2026-W52"))
    labels = [first.label]
    week = first
    while week < last:
        week = week.next()
        labels.append(week.label)
    return labels


WEEKS = _weeks()
PAGE_WEIGHT = int(os.environ.get("SEMAINE_LOAD_PAGE_WEIGHT", "0"))
TOTAL_RPS = float(os.environ.get("SEMAINE_LOAD_RPS", "200"))


class WeekReader(FastHttpUser):
    """Someone looking at random weeks."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        options = environment.parsed_options
        users = max(1, int(getattr(options, "num_users", None) or 1))
        self._pace = constant_throughput(TOTAL_RPS / users)

    def wait_time(self) -> float:
        """Pace this user at its share of the total target rate."""
        return float(self._pace(self))

    @task
    def week_entries(self) -> None:
        """Read a random week's entries through the API."""
        week = random.choice(WEEKS)  # noqa: S311 - a load spread, not security
        self.client.get(f"/api/v1/weeks/{week}/entries", name="/api/v1/weeks/[week]/entries")

    @task(PAGE_WEIGHT)
    def week_page(self) -> None:
        """Open a random week's page."""
        week = random.choice(WEEKS)  # noqa: S311 - a load spread, not security
        self.client.get(f"/weeks/{week}", name="/weeks/[week]")
