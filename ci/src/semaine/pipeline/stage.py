"""Stage definitions: data that both executors (local and Dagger) run the same way."""

from __future__ import annotations

import enum
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from semaine.pipeline.gates import GateResult
    from semaine.pipeline.thresholds import Thresholds


class Need(enum.Enum):
    """A service or system program a stage needs besides the project's source and tools."""

    POSTGRES = "postgres"
    APP = "app"
    ENGINE = "engine"
    BROWSER = "browser"
    """Chromium at /usr/bin/chromium (Playwright drives it headless)."""
    PG_CLIENT = "pg-client"
    """PostgreSQL's client programs, of a major version >= the server's (16), and openssl
    (to make a server certificate, for the tests of TLS connections)."""
    NODE = "node"
    """Node.js and npm, for Lighthouse (`npm ci` from package-lock.json installs it)."""
    REGISTRY = "registry"
    """Debian's docker-registry (a real container registry), for the tests of image reads
    and copies (tests/registry_server.py)."""


@dataclass(frozen=True)
class Program:
    """A system program a stage's steps or tests start, and the Debian package with it."""

    name: str
    """Its name on PATH."""
    debian_package: str
    required: bool = True
    """False: the stage runs without it, and the step that uses it says so in its report
    (Lighthouse without Node: its gates are inconclusive, the stage's others still judged)."""


PROGRAMS: Mapping[Need, tuple[Program, ...]] = {
    Need.BROWSER: (Program("chromium", "chromium"),),
    Need.PG_CLIENT: (
        Program("pg_dump", "postgresql-client"),
        Program("pg_restore", "postgresql-client"),
        Program("openssl", "openssl"),
    ),
    Need.REGISTRY: (Program("docker-registry", "docker-registry"),),
    Need.NODE: (
        Program("node", "nodejs", required=False),
        Program("npm", "npm", required=False),
    ),
}
"""The system programs behind each need: executors install (Dagger) or look for (local) them."""


def programs(needs: Collection[Need]) -> tuple[Program, ...]:
    """Return the system programs that `needs` call for, in a stable order."""
    return tuple(program for need in Need if need in needs for program in PROGRAMS.get(need, ()))


def debian_packages(needs: Collection[Need]) -> tuple[str, ...]:
    """Return the Debian packages that install the programs `needs` call for, sorted."""
    return tuple(sorted({program.debian_package for program in programs(needs)}))


class Placeholder(enum.StrEnum):
    """Tokens that executors replace in a step's argv and env before running it."""

    REPORT_DIR = "{report_dir}"
    """Absolute path of the stage's report folder (created by the executor)."""
    DATABASE_URL = "{database_url}"
    """URL of a fresh database of the stage's own (needs POSTGRES); the app serves it (APP)."""
    POSTGRES_URL = "{postgres_url}"
    """Admin URL of the PostgreSQL server, for tools that create databases (needs POSTGRES)."""
    SCRATCH_DATABASE_URL = "{scratch_database_url}"
    """URL of a second fresh, empty database of the stage's own (needs POSTGRES)."""
    APP_URL = "{app_url}"
    """Base URL of the app served for this stage, no trailing slash (needs APP)."""


def substitute(text: str, values: Mapping[Placeholder, str]) -> str:
    """Replace every placeholder of `values` found in `text`."""
    for placeholder, value in values.items():
        text = text.replace(placeholder.value, value)
    return text


@dataclass(frozen=True)
class Step:
    """One command of a stage.

    `argv[0]` is a tool name (`ruff`, `python`, `uv`, ...); each executor decides how
    to run it (the venv's binary locally, `uv run --frozen` in a container).
    A step whose exit status is in `allowed_exit_codes` is judged by the reports it
    writes; any other status is a failure of the stage, shown with the output tail.
    When `gate` is set, the step's exit status is itself a gate (0 passes).
    """

    name: str
    argv: tuple[str, ...]
    env: Mapping[str, str] = field(default_factory=dict)
    allowed_exit_codes: frozenset[int] = frozenset({0})
    stop_on_failure: bool = False
    stdout_to: str | None = None
    """Report file (relative to the report folder) receiving the step's stdout."""
    stderr_to: str | None = None
    """Report file (relative to the report folder) receiving the step's stderr."""
    gate: str | None = None
    measures: bool = False
    """Its reports measure time: from this step on, the stage runs alone (its earlier steps
    prepare beside the other stages; semaine.executors.scheduling)."""
    output_in_reports: bool = False
    """Whatever the step prints that matters is in its reports (the rest is chatter).

    Its output is then left out of the stage's output tail, unless it ended with a status
    it does not expect; `output.log` keeps it whole either way.
    """

    def rendered(self, values: Mapping[Placeholder, str]) -> Step:
        """Return this step with the placeholders of argv and env replaced."""
        return replace(
            self,
            argv=tuple(substitute(argument, values) for argument in self.argv),
            env={name: substitute(value, values) for name, value in self.env.items()},
        )

    def accepts(self, exit_code: int) -> bool:
        """Tell whether `exit_code` is an expected status of this step."""
        return exit_code in self.allowed_exit_codes

    def shows_output(self, exit_code: int | None) -> bool:
        """Tell whether the step's output belongs in its stage's output tail."""
        return not self.output_in_reports or exit_code is None or not self.accepts(exit_code)


Evaluate = Callable[[Path, "Thresholds"], tuple["GateResult", ...]]
"""Turn a stage's report folder into gate results, under the given thresholds."""


@dataclass(frozen=True)
class Stage:
    """A pipeline stage: its steps, what it needs, its reports and how they are judged."""

    name: str
    description: str
    steps: tuple[Step, ...]
    evaluate: Evaluate
    needs: frozenset[Need] = frozenset()
    reports: tuple[str, ...] = ()
    """Report paths relative to the stage's report folder (files or folders)."""
    cpu_heavy: bool = False
    """Whether the stage keeps a core busy (executors bound how many run at once)."""
    cacheable: bool = False
    """Whether a pass depends on the inputs alone, so the same inputs may reuse it.

    Not so for a stage that asks a service whose answers change (a vulnerability
    database) or measures the machine (timings): those run every time.
    """

    @property
    def measuring_from(self) -> int | None:
        """Return the index of the first step that measures time (None: no step does)."""
        return next((index for index, step in enumerate(self.steps) if step.measures), None)

    @property
    def timed(self) -> bool:
        """Tell whether a step measures time: the stage measures alone, after every other."""
        return self.measuring_from is not None
