"""The project's source: what an executor sees of the project directory."""

from __future__ import annotations

SOURCE_IGNORE = (
    ".git",
    ".venv",
    "**/.venv",
    "**/__pycache__",
    "**/*.pyc",
    "**/.mypy_cache",
    "**/.ruff_cache",
    "**/.pytest_cache",
    "**/.hypothesis",
    ".coverage",
    ".coverage.*",
    # pytest-testmon's data (SQLite, with its -wal and -shm files): `semaine pipeline --quick`.
    ".testmondata*",
    "**/.semaine_cache",
    "htmlcov",
    "reports",
    "bench/results",
    "**/node_modules",
    "ci/sdk",
    "dist",
    "build",
    "**/*.egg-info",
)
"""Never source (dockerignore syntax): virtualenvs, VCS data, caches, reports, generated SDK.

Dagger leaves these out of the upload; the local executor leaves them out of the
inputs its stage cache is keyed on.
"""
