"""Deployment success rate against 98 % and rollback times against 10 minutes."""

from __future__ import annotations

from datetime import timedelta

from semaine.dashboard.deliveries import in_window, rollback_times, success_rate
from tests.dashboard_histories import MONDAY, record


def day(number: int) -> timedelta:
    return timedelta(days=number)


def test_success_rate_counts_attempted_deploys_and_promotions() -> None:
    records = [record("deploy", MONDAY + day(n), 90.0) for n in range(48)]
    records += [
        record("promote", MONDAY, 60.0, "rolled-back"),  # failed, then rolled back
        record("deploy", MONDAY, 10.0, "refused"),  # changed nothing: left out
        record("rollback", MONDAY, 120.0),  # not a release
    ]
    rate = success_rate(records)
    assert (rate.succeeded, rate.attempted) == (48, 49)
    assert rate.percent is not None
    assert round(rate.percent, 2) == 97.96
    assert rate.meets() is False
    assert success_rate(records[:48]).meets() is True


def test_no_deploy_has_no_rate() -> None:
    rate = success_rate([record("rollback", MONDAY, 30.0)])
    assert rate.percent is None
    assert rate.meets() is None


def test_rollback_times_against_ten_minutes() -> None:
    records = [
        record("rollback", MONDAY, 540.0),
        record("rollback", MONDAY, 600.0),  # the limit is "less than 10 min"
        record("rollback", MONDAY, 30.0, "failed"),  # fast but did not restore
        record("rollback", MONDAY, 5.0, "refused"),  # nothing was attempted
        record("deploy", MONDAY, 900.0),
    ]
    found = rollback_times(records)
    assert [(r.seconds, r.within_limit) for r in found] == [
        (540.0, True),
        (600.0, False),
        (30.0, False),
    ]


def test_the_window_keeps_recent_records_latest_first() -> None:
    records = [record("deploy", MONDAY + day(n), 60.0) for n in range(5)]
    chosen = in_window(records, MONDAY + day(1), MONDAY + day(3))
    assert [r.started_at for r in chosen] == [MONDAY + day(n) for n in (3, 2, 1)]
