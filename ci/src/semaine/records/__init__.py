"""What deliveries and monitor runs leave behind: one model each, read by the dashboard."""

from semaine.records.deployment import (
    DeploymentRecord,
    StepTiming,
    read_deployment_records,
    write_deployment_record,
)
from semaine.records.history import (
    CheckResult,
    IncidentEvent,
    MonitorRun,
    append_monitor_run,
    read_monitor_runs,
)

__all__ = [
    "CheckResult",
    "DeploymentRecord",
    "IncidentEvent",
    "MonitorRun",
    "StepTiming",
    "append_monitor_run",
    "read_deployment_records",
    "read_monitor_runs",
    "write_deployment_record",
]
