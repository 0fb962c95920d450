"""The smoke test: /readyz names the new release; the calendar answers a Monday-Sunday week."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from semaine.integrations.errors import IntegrationError
from semaine.integrations.http import Endpoint, ServiceClient, base_url_from_environment
from semaine.integrations.retry import RETRY_POLICY

if TYPE_CHECKING:
    from semaine.delivery.context import DeliveryContext
    from semaine.environments import Environment

URL_SETTING = "SEMAINE_ENVIRONMENT_URL"
"""Points the smoke test at another address than the environment file's url (tests, tunnels)."""
_HTTP_OK = 200
_ONE_ATTEMPT = replace(RETRY_POLICY, attempts=1)  # the smoke test spaces its own attempts


@dataclass(frozen=True)
class SmokeResult:
    """Whether the environment answered as it should, after how many attempts, and why not."""

    passed: bool
    attempts: int
    detail: str


def smoke_url(environment: Environment, override: str | None) -> str:
    """Return where to smoke-test: the override (checked like any base URL), else the file's url."""
    if not override:
        return environment.base_url
    return base_url_from_environment(URL_SETTING, environment.base_url, {URL_SETTING: override})


def smoke_test(environment: Environment, release: str, context: DeliveryContext) -> SmokeResult:
    """Check `release` answers, retrying with backoff as the environment's smoke section says."""
    checks = environment.smoke
    endpoint = Endpoint(
        service=f"the {environment.name} app",
        base_url=smoke_url(environment, context.smoke_url),
        setting=URL_SETTING,
        connect_seconds=checks.request_timeout_seconds,
        read_seconds=checks.request_timeout_seconds,
    )
    problem: str | None = "not tried"
    wait = checks.first_backoff_seconds
    with ServiceClient(
        endpoint, headers={"Accept": "application/json"}, policy=_ONE_ATTEMPT
    ) as http:
        for attempt in range(1, checks.attempts + 1):
            problem = _problem(http, environment, release)
            if problem is None:
                return SmokeResult(passed=True, attempts=attempt, detail="ok")
            context.say(f"  smoke test {attempt}/{checks.attempts}: {problem}")
            if attempt < checks.attempts:
                context.sleep(wait)
                wait *= 2
    return SmokeResult(passed=False, attempts=checks.attempts, detail=problem or "")


def _problem(http: ServiceClient, environment: Environment, release: str) -> str | None:
    """Return what is wrong with the environment now, or None when it passes."""
    checks = environment.smoke
    try:
        ready = http.request("GET", checks.readiness_path).response
        if ready.status_code != _HTTP_OK:
            return f"{checks.readiness_path} answered {ready.status_code}: {_said(ready.text)}"
        running = _field(ready.json(), "release")
        if running != release:
            return f"{checks.readiness_path} reports release {running or 'none'}, not {release}"
        today = datetime.now(UTC).date()
        path = checks.calendar_path.replace("{today}", today.isoformat())
        week = http.request("GET", path).response
        if week.status_code != _HTTP_OK:
            return f"{path} answered {week.status_code}: {_said(week.text)}"
        return _week_problem(path, week.json(), today)
    except IntegrationError as error:
        return error.what_happened
    except ValueError:
        return "an answer was not JSON"


def _week_problem(path: str, body: object, today: date) -> str | None:
    days = body.get("days") if isinstance(body, dict) else None
    try:
        dates = [date.fromisoformat(str(day)) for day in days or []]
    except ValueError:
        return f"{path} answered days that are not dates"
    monday = today - timedelta(days=today.weekday())
    if dates != [monday + timedelta(days=n) for n in range(7)]:
        return f"{path} did not answer the Monday-Sunday week of {today}: {[str(d) for d in dates]}"
    return None


def _field(body: object, name: str) -> str | None:
    value = body.get(name) if isinstance(body, dict) else None
    return value if isinstance(value, str) else None


def _said(text: str) -> str:
    return " ".join(text.split())[:200]
