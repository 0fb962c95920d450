"""Dagger container builders: every base image and in-container path is named here, once.

Builders return lazy `Container`s (nothing runs until a value is asked for); reusable
steps are callables for `Container.with_()`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import dagger
from dagger import dag

PLATFORM = dagger.Platform("linux/amd64")
"""What every image is built for, whatever the engine's host: Heroku runs linux/amd64."""
PYTHON_IMAGE = "python:3.11-slim-trixie"
"""Base of every Python container: the stages' and the production image.

Debian trixie, named: its postgresql-client (17) can dump the PostgreSQL 16 server, where
bookworm's (15) could not. Pinned by tag, not by digest: no digest of this tag could be
verified from here (see docs/dagger.md, "Pinning the base image").
"""
UV_IMAGE = "ghcr.io/astral-sh/uv:0.13.9"
"""Where the `uv` binary comes from (the version that wrote uv.lock)."""
POSTGRES_MAJOR = 16
"""Heroku Postgres' default major version: the pipeline tests against the same."""
POSTGRES_IMAGE = f"postgres:{POSTGRES_MAJOR}"

RUN_VARIABLE = "SEMAINE_INVOCATION"
"""Set to a value new on every run where a chain must run every time (`with_run`)."""

SOURCE_PATH = "/src"
VENV_PATH = "/opt/venv"
UV_CACHE_PATH = "/root/.cache/uv"
UV_CACHE_KEY = "semaine-uv"
REPORTS_PATH = "/reports"
APP_PORT = 8000
APP_USER = "semaine"

SERVE_COMMAND = ("python", "-m", "app", "serve")
"""The web process: honours `PORT` (Heroku sets it), binds 0.0.0.0."""
RELEASE_COMMAND = ("python", "-m", "app", "db", "release")
"""Heroku's release phase: applies the schema revisions this image needs, then exits."""

LOCK_FILES = ("pyproject.toml", "uv.lock", "ci/pyproject.toml", "README.md")
"""What `uv sync --no-install-workspace` needs: the workspace's metadata, not its code."""

NODE_LOCK_FILES = ("package.json", "package-lock.json")
"""What `npm ci` installs the pinned Lighthouse from."""
NODE_PACKAGES = ("nodejs", "npm")
NPM_PATH = "/opt/npm"
NPM_CACHE_PATH = "/root/.npm"
NPM_CACHE_KEY = "semaine-npm"

APT_INSTALL = (
    "apt-get update -qq"
    ' && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"'
    " && rm -rf /var/lib/apt/lists/*"
)
"""The one system-package layer: `sh -c APT_INSTALL apt-get PACKAGE...`."""

Step = Callable[[dagger.Container], dagger.Container]


def with_uv(container: dagger.Container) -> dagger.Container:
    """Add the pinned `uv`, its cache volume and a project venv outside the source tree."""
    return (
        container.with_file("/usr/local/bin/uv", image(UV_IMAGE).file("/uv"))
        .with_mounted_cache(UV_CACHE_PATH, dag.cache_volume(UV_CACHE_KEY))
        .with_env_variable("UV_LINK_MODE", "copy")
        .with_env_variable("UV_PYTHON_DOWNLOADS", "never")
        .with_env_variable("UV_PROJECT_ENVIRONMENT", VENV_PATH)
        # Installed modules compiled once, in the cached layer, not by every process.
        .with_env_variable("UV_COMPILE_BYTECODE", "1")
        .with_env_variable("PATH", f"{VENV_PATH}/bin:$PATH", expand=True)
    )


def with_locked_dependencies(source: dagger.Directory, *sync_flags: str) -> Step:
    """Install uv.lock's dependencies first (cached layer), then the project itself."""

    def step(container: dagger.Container) -> dagger.Container:
        metadata = dag.directory()
        for path in LOCK_FILES:
            metadata = metadata.with_file(path, source.file(path))
        sync = ["uv", "sync", "--frozen", *sync_flags]
        return (
            container.with_workdir(SOURCE_PATH)
            .with_directory(SOURCE_PATH, metadata)
            .with_exec([*sync, "--no-install-workspace"])
            .with_directory(SOURCE_PATH, source)
            .with_exec(sync)
        )

    return step


def image(address: str) -> dagger.Container:
    """Return the container of an image, for PLATFORM."""
    return dag.container(platform=PLATFORM).from_(address)


def python_base() -> dagger.Container:
    """Return the Python base image with unbuffered output and no bytecode litter."""
    return (
        image(PYTHON_IMAGE)
        .with_env_variable("PYTHONUNBUFFERED", "1")
        .with_env_variable("PYTHONDONTWRITEBYTECODE", "1")
    )


def with_run(run_id: str | None) -> Step:
    """Mark a container with the run (None: leave it cacheable).

    The engine reuses a withExec whose inputs it has seen, whatever the function's cache
    policy: a value new on every run, set before the commands that must run every time,
    defeats that for them and for nothing before them.
    """

    def step(container: dagger.Container) -> dagger.Container:
        return container if run_id is None else container.with_env_variable(RUN_VARIABLE, run_id)

    return step


def with_system_packages(packages: Sequence[str]) -> Step:
    """Install Debian packages in one layer (none: no layer)."""

    def step(container: dagger.Container) -> dagger.Container:
        if not packages:
            return container
        return container.with_exec(["sh", "-c", APT_INSTALL, "apt-get", *packages])

    return step


def toolchain(source: dagger.Directory, packages: Sequence[str] = ()) -> dagger.Container:
    """Return the stages' container: `packages`, then uv, the locked dependencies, the source.

    In that order, so that an edit of the source rebuilds only the last layers, and a
    change of uv.lock never reinstalls the system packages.
    """
    return (
        python_base()
        .with_(with_system_packages(packages))
        .with_(with_uv)
        .with_(with_locked_dependencies(source, "--all-packages"))
        .with_exec(["mkdir", "-p", REPORTS_PATH])
    )


def node_modules(source: dagger.Directory) -> dagger.Directory:
    """Return `node_modules` as `npm ci` installs it from package-lock.json, npm's cache kept.

    Built apart from the stage container from the two npm files alone: an edit of the
    source never reinstalls it, and the stage copies the folder in.
    """
    manifest = dag.directory()
    for path in NODE_LOCK_FILES:
        manifest = manifest.with_file(path, source.file(path))
    return (
        python_base()
        .with_(with_system_packages(NODE_PACKAGES))
        .with_mounted_cache(NPM_CACHE_PATH, dag.cache_volume(NPM_CACHE_KEY))
        .with_directory(NPM_PATH, manifest)
        .with_workdir(NPM_PATH)
        .with_exec(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .directory(f"{NPM_PATH}/node_modules")
    )


def with_node_modules(source: dagger.Directory) -> Step:
    """Put the pinned Lighthouse where Node finds it from the source: /src/node_modules."""

    def step(container: dagger.Container) -> dagger.Container:
        return container.with_directory(f"{SOURCE_PATH}/node_modules", node_modules(source))

    return step


def production_image(source: dagger.Directory) -> dagger.Container:
    """Return the web image: locked runtime dependencies only, non-root, serving on $PORT."""
    venv = (
        python_base()
        .with_(with_uv)
        .with_(with_locked_dependencies(source, "--no-dev", "--no-editable"))
        .directory(VENV_PATH)
    )
    return (
        python_base()
        .with_exec(["useradd", "--create-home", "--uid", "1000", APP_USER])
        .with_directory(VENV_PATH, venv)
        .with_env_variable("PATH", f"{VENV_PATH}/bin:$PATH", expand=True)
        .with_env_variable("PORT", str(APP_PORT))
        .with_label("org.opencontainers.image.title", "semaine")
        .with_label("io.semaine.release-command", " ".join(RELEASE_COMMAND))
        .with_user(APP_USER)
        .with_workdir(f"/home/{APP_USER}")
        .with_exposed_port(APP_PORT)
        .with_default_args(list(SERVE_COMMAND))
    )


def release_image(source: dagger.Directory) -> dagger.Container:
    """Return Heroku's `release` process image: the web image running the release phase."""
    return production_image(source).with_default_args(list(RELEASE_COMMAND))
