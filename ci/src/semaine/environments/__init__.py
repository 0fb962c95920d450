"""Where the service runs: one YAML file per environment under `.github/environments/`."""

from semaine.environments.loader import (
    ENVIRONMENTS_FOLDER,
    EnvironmentFileError,
    environment_names,
    load_environment,
)
from semaine.environments.model import Environment, SmokeChecks
from semaine.environments.monitoring import CheckConditions, MaintenanceWindow, Monitoring

__all__ = [
    "ENVIRONMENTS_FOLDER",
    "CheckConditions",
    "Environment",
    "EnvironmentFileError",
    "MaintenanceWindow",
    "Monitoring",
    "SmokeChecks",
    "environment_names",
    "load_environment",
]
