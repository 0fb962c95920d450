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
    # Secrets: Dagger's DefaultPath does not read .gitignore, so a local .env or key file
    # would otherwise be uploaded into every stage's layers.
    "**/.env",
    "**/.env.*",
    "**/.envrc",
    "**/*.pem",
    "**/*.key",
    "**/*.p12",
    "**/*.pfx",
    "**/id_rsa*",
    "**/id_ecdsa*",
    "**/id_ed25519*",
    "**/.netrc",
    "**/.pypirc",
    "**/.npmrc",
    "**/.docker/config.json",
    "**/.aws",
    "**/credentials.json",
)
"""Never source (dockerignore syntax): venvs, VCS data, caches, reports, the SDK, secrets.

Dagger leaves these out of the upload; the local executor leaves them out of the
inputs its stage cache is keyed on.
"""
