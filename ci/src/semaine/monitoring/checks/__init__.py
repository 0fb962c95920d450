"""The monitor's checks, in the order a run measures them (see docs/operations.md to add one)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from semaine.monitoring.checks.api import ApiCheck
from semaine.monitoring.checks.calendar import CalendarCheck
from semaine.monitoring.checks.database import DatabaseCheck
from semaine.monitoring.checks.endpoint import EndpointCheck
from semaine.monitoring.checks.tls import CertificateCheck

if TYPE_CHECKING:
    from semaine.environments import Monitoring
    from semaine.monitoring.checks.base import Check


def checks_of(monitoring: Monitoring) -> list[Check]:
    """Return every check an environment's monitoring section declares, health first."""
    endpoints: list[Check] = [
        EndpointCheck(name, conditions) for name, conditions in monitoring.checks.items()
    ]
    return [
        *endpoints,
        ApiCheck(monitoring.api),
        CalendarCheck(monitoring.calendar),
        DatabaseCheck(monitoring.database),
        CertificateCheck(monitoring.tls),
    ]
