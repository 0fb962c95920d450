"""The eight stages of Semaine's pipeline, defined once for both executors."""

from __future__ import annotations

from typing import TYPE_CHECKING

from semaine.pipeline import evaluations, quick
from semaine.pipeline.lighthouse import FOLDER as LIGHTHOUSE_FOLDER
from semaine.pipeline.stage import Need, Placeholder, Stage, Step

if TYPE_CHECKING:
    from collections.abc import Collection

REPORT = Placeholder.REPORT_DIR.value
DATABASE_URL = Placeholder.DATABASE_URL.value
POSTGRES_URL = Placeholder.POSTGRES_URL.value
SCRATCH_DATABASE_URL = Placeholder.SCRATCH_DATABASE_URL.value
APP_URL = Placeholder.APP_URL.value

LOAD_ENTRIES = 5000
"""Entries seeded before the load: ~48 per week over the weeks the load reads."""
LOAD_FIRST_WEEK, LOAD_LAST_WEEK = "2025-W01", "2026-W52"
REHEARSAL_ROWS = 10_000
E2E_ENTRIES = 600
"""Entries seeded before the pages are timed and audited: ~4 a day, as a person keeps them."""
E2E_WEEKS_AROUND_TODAY = 10
"""The weeks seeded either side of today's: the week and month pages of any date nearby."""

# A tool that found problems exits 1 and still writes its report: the report is judged.
FINDINGS_EXIT_CODES = frozenset({0, 1})

LINT = Stage(
    name="lint",
    description="ruff check and ruff format --check",
    steps=(
        Step(
            name="ruff check",
            argv=("ruff", "check", "--output-format", "json", "-o", f"{REPORT}/ruff.json", "."),
            allowed_exit_codes=FINDINGS_EXIT_CODES,
            output_in_reports=True,
        ),
        Step(
            name="ruff format --check",
            argv=("ruff", "format", "--check", "--output-format", "json", "."),
            allowed_exit_codes=FINDINGS_EXIT_CODES,
            stdout_to="ruff-format.json",
            output_in_reports=True,
        ),
    ),
    evaluate=evaluations.lint,
    reports=("ruff.json", "ruff-format.json"),
    cacheable=True,
)

TYPECHECK = Stage(
    name="typecheck",
    description="mypy --strict on app and semaine",
    steps=(
        Step(
            name="mypy",
            argv=("mypy", "--junit-xml", f"{REPORT}/mypy.xml"),
            allowed_exit_codes=FINDINGS_EXIT_CODES,
            stdout_to="mypy.txt",
        ),
    ),
    evaluate=evaluations.typecheck,
    reports=("mypy.xml", "mypy.txt"),
    cpu_heavy=True,
    cacheable=True,
)

SECURITY = Stage(
    name="security",
    description="bandit on the code; pip-audit on the locked dependencies",
    steps=(
        Step(
            name="bandit",
            argv=(
                "bandit",
                "-c",
                "pyproject.toml",
                "-r",
                "app",
                "ci/src",
                "-f",
                "json",
                "-o",
                f"{REPORT}/bandit.json",
                "-q",
            ),
            allowed_exit_codes=FINDINGS_EXIT_CODES,
            # Its stderr warns about each word of prose after a `# nosec B...` comment
            # ("Test in comment: ... is not a test name or id"): kept in bandit.log.
            stderr_to="bandit.log",
            output_in_reports=True,
        ),
        Step(
            name="uv export",
            argv=(
                "uv",
                "export",
                "--frozen",
                "--all-packages",
                "--all-groups",
                "--no-hashes",
                "--no-emit-workspace",
                "--no-header",
                "-q",
                "-o",
                f"{REPORT}/requirements.txt",
            ),
            output_in_reports=True,
        ),
        Step(
            name="pip-audit",
            argv=(
                "pip-audit",
                "--requirement",
                f"{REPORT}/requirements.txt",
                "--no-deps",
                "--disable-pip",
                "--progress-spinner",
                "off",
                "--timeout",
                "10",
                "--format",
                "json",
                "--output",
                f"{REPORT}/pip-audit.json",
            ),
            allowed_exit_codes=FINDINGS_EXIT_CODES,
            stderr_to="pip-audit.log",
            output_in_reports=True,
        ),
    ),
    evaluate=evaluations.security,
    reports=("bandit.json", "bandit.log", "requirements.txt", "pip-audit.json", "pip-audit.log"),
)

_PYTEST = (
    "pytest",
    "-n",
    "auto",
    "-m",
    "not dagger_engine",
    "-p",
    "no:cacheprovider",
    f"--junitxml={REPORT}/junit.xml",
)
_TEST_ENV = {"SEMAINE_TEST_POSTGRES_URL": POSTGRES_URL}

TEST = Stage(
    name="test",
    description=(
        "every test tier but dagger_engine (the browser workflows too), in parallel, with coverage"
    ),
    steps=(
        Step(
            name="pytest",
            argv=(
                *_PYTEST,
                "--cov",
                "--cov-report=",
                f"--cov-report=json:{REPORT}/coverage.json",
                f"--cov-report=html:{REPORT}/coverage-html",
            ),
            env={**_TEST_ENV, "COVERAGE_FILE": f"{REPORT}/.coverage"},
            allowed_exit_codes=FINDINGS_EXIT_CODES,
            stdout_to="pytest.txt",
        ),
    ),
    evaluate=evaluations.test,
    # Its tests start Chromium (the user workflows of tests/e2e; the executor tests run the
    # tiny project's e2e stage), Node (Lighthouse) and pg_dump/pg_restore (the dump).
    needs=frozenset({Need.POSTGRES, Need.BROWSER, Need.PG_CLIENT, Need.NODE, Need.REGISTRY}),
    reports=("junit.xml", "coverage.json", "coverage-html", "pytest.txt"),
    cpu_heavy=True,
    cacheable=True,
)
"""The test gate: one whole run of the suite, its results and its coverage."""

QUICK_TEST = Stage(
    name="test",
    description=(
        "only the tests affected by the changes since the last quick run "
        "(pytest --testmon), without coverage: not the test gate"
    ),
    steps=(
        Step(
            name="pytest --testmon",
            # testmon turns its selection off when -m is given, unless forced. No --cov:
            # testmon refuses pytest-cov's branch coverage, and a quick run judges none.
            # The browser workflows stay for the pipeline: seconds each, on every edit.
            argv=(*_PYTEST, "--ignore=tests/e2e", "--testmon", "--testmon-forceselect"),
            env=_TEST_ENV,
            allowed_exit_codes=FINDINGS_EXIT_CODES,
            stdout_to="pytest.txt",
        ),
    ),
    evaluate=quick.test,
    needs=frozenset({Need.POSTGRES}),
    reports=("junit.xml", "pytest.txt"),
    cpu_heavy=True,
)
"""`--quick`'s test stage (`semaine.pipeline.quick`). Never cached: what it runs depends
on testmon's `.testmondata` as well as on the sources."""

_DATABASE = {"DATABASE_URL": DATABASE_URL}

MIGRATIONS = Stage(
    name="migrations",
    description="upgrade, schema check, downgrade, upgrade, then the 10k-row rehearsal",
    steps=(
        Step(
            name="upgrade head",
            argv=("python", "-m", "app", "db", "upgrade", "head"),
            env=_DATABASE,
            stop_on_failure=True,
            gate="upgrade head",
        ),
        Step(
            name="schema check",
            argv=("python", "-m", "app", "db", "check"),
            env=_DATABASE,
            gate="schema matches declared",
        ),
        Step(
            name="downgrade base",
            argv=("python", "-m", "app", "db", "downgrade", "base"),
            env=_DATABASE,
            stop_on_failure=True,
            gate="downgrade base",
        ),
        Step(
            name="upgrade head again",
            argv=("python", "-m", "app", "db", "upgrade", "head"),
            env=_DATABASE,
            stop_on_failure=True,
            gate="upgrade head again",
        ),
        Step(
            name="rehearse",
            measures=True,
            argv=(
                "semaine",
                "rehearse",
                "--database-url",
                SCRATCH_DATABASE_URL,
                "--rows",
                str(REHEARSAL_ROWS),
                "--report-json",
                f"{REPORT}/rehearsal.json",
            ),
            allowed_exit_codes=FINDINGS_EXIT_CODES,
            stdout_to="rehearsal.log",
        ),
    ),
    evaluate=evaluations.migrations,
    needs=frozenset({Need.POSTGRES}),
    reports=("rehearsal.json", "rehearsal.log"),
)

LOAD = Stage(
    name="load",
    # Users, spawn rate and run time are the project's own: `[tool.locust]` of its
    # pyproject.toml, which locust reads from the working directory.
    description="seed entries, then locust headless against the app served with its PostgreSQL",
    steps=(
        Step(
            name="seed",
            argv=(
                "python",
                "-m",
                "app",
                "db",
                "seed",
                "--entries",
                str(LOAD_ENTRIES),
                "--first-week",
                LOAD_FIRST_WEEK,
                "--last-week",
                LOAD_LAST_WEEK,
            ),
            env=_DATABASE,
            stop_on_failure=True,
            gate="seed entries",
        ),
        Step(
            name="locust",
            measures=True,
            argv=(
                "locust",
                "-f",
                "tests/load/locustfile.py",
                "--headless",
                "--host",
                APP_URL,
                # Its final figures, written when it stops (`--csv` misses the last second).
                "--json-file",
                f"{REPORT}/locust",
                "--html",
                f"{REPORT}/locust.html",
                "--only-summary",
                "--loglevel",
                "WARNING",
            ),
            env={
                "APP_URL": APP_URL,
                "SEMAINE_LOAD_FIRST_WEEK": LOAD_FIRST_WEEK,
                "SEMAINE_LOAD_LAST_WEEK": LOAD_LAST_WEEK,
            },
            allowed_exit_codes=FINDINGS_EXIT_CODES,
            stderr_to="locust.log",
        ),
    ),
    evaluate=evaluations.load,
    needs=frozenset({Need.POSTGRES, Need.APP}),
    reports=("locust.json", "locust.html", "locust.log"),
    cpu_heavy=True,
)

# What measures time, alone: the user workflows (tests/e2e) assert behaviour, not speed, so
# they run with the rest of the suite in the test stage, beside the other untimed stages.
E2E = Stage(
    name="e2e",
    description=(
        "the pages in headless Chromium on a seeded database: page and navigation"
        " timings, then Lighthouse"
    ),
    steps=(
        Step(
            name="seed",
            argv=(
                "python",
                "-m",
                "app",
                "db",
                "seed",
                "--entries",
                str(E2E_ENTRIES),
                "--weeks-around-today",
                str(E2E_WEEKS_AROUND_TODAY),
            ),
            env=_DATABASE,
            stop_on_failure=True,
            gate="seed entries",
        ),
        Step(
            name="page timing",
            measures=True,
            argv=(
                "python",
                "-m",
                "semaine.probes.page_timing",
                "--app-url",
                APP_URL,
                "--output",
                f"{REPORT}/page-timing.json",
                "--screenshots",
                f"{REPORT}/screenshots",
            ),
            allowed_exit_codes=FINDINGS_EXIT_CODES,
            stderr_to="page-timing.log",
        ),
        Step(
            name="lighthouse",
            measures=True,
            # The pages, presets and runs: `[tool.semaine.lighthouse]` of the project's
            # pyproject.toml (semaine.probes.lighthouse_settings).
            argv=(
                "python",
                "-m",
                "semaine.probes.lighthouse",
                "--app-url",
                APP_URL,
                "--output-dir",
                f"{REPORT}/{LIGHTHOUSE_FOLDER}",
            ),
            # 1: some page was not audited; 2: Lighthouse could not run. The index says why.
            allowed_exit_codes=frozenset({0, 1, 2}),
            stderr_to="lighthouse.log",
            output_in_reports=True,
        ),
    ),
    evaluate=evaluations.e2e,
    # Node is not required: without it the Lighthouse gates are inconclusive, the others judged.
    needs=frozenset({Need.POSTGRES, Need.APP, Need.BROWSER, Need.NODE}),
    reports=(
        "page-timing.json",
        "screenshots",
        "page-timing.log",
        LIGHTHOUSE_FOLDER,
        "lighthouse.log",
    ),
    cpu_heavy=True,
)

BUILD_STEP = Step(name="image build", argv=(), gate="image builds")
"""The image build: its command is the engine's own (no argv); its exit status is the gate."""

BUILD = Stage(
    name="build",
    description="the container image (needs a container engine)",
    steps=(BUILD_STEP,),
    evaluate=evaluations.build,
    needs=frozenset({Need.ENGINE}),
    cpu_heavy=True,
)

STAGES: tuple[Stage, ...] = (LINT, TYPECHECK, SECURITY, TEST, MIGRATIONS, LOAD, E2E, BUILD)
"""Every stage, in the order reports show them."""

BY_NAME = {stage.name: stage for stage in STAGES}

QUICK_STAGES: tuple[Stage, ...] = (LINT, TYPECHECK, QUICK_TEST)
"""`semaine pipeline --quick`: lint, typecheck and the affected tests (`semaine.pipeline.quick`)."""


class StageSelectionError(ValueError):
    """A choice of stages that cannot run; the message says how to choose."""


class UnknownStageError(StageSelectionError):
    """Stage names that are not in STAGES; the message lists the valid ones."""


class EmptySelectionError(StageSelectionError):
    """A choice of stages that leaves none to run (`--only=`, or `--skip` of every one)."""


def stage_names(text: str) -> tuple[str, ...]:
    """Parse `a,b` into stage names; unknown names raise UnknownStageError."""
    names = tuple(name.strip() for name in text.split(",") if name.strip())
    unknown = [name for name in names if name not in BY_NAME]
    if unknown:
        valid = ", ".join(stage.name for stage in STAGES)
        message = f"unknown stage(s): {', '.join(unknown)}; valid stages: {valid}"
        raise UnknownStageError(message)
    return names


class NotQuickError(StageSelectionError):
    """Stages asked for with --quick that a quick run does not have; the message lists its own."""


def select(
    only: Collection[str] | None, skip: Collection[str], *, quick: bool = False
) -> tuple[Stage, ...]:
    """Return the stages named in `only` (every stage when None) minus `skip`, in order.

    An `only` that names no stage (`--only=`) is refused, never read as "every stage",
    and so is a choice that leaves no stage to run: both raise EmptySelectionError.
    An empty `skip` leaves nothing out. With `quick`, the stages come from QUICK_STAGES:
    naming any other stage in `only` raises NotQuickError.
    """
    stages = QUICK_STAGES if quick else STAGES
    if only is not None and not only:
        valid = ", ".join(stage.name for stage in stages)
        message = (
            f"--only names no stage: name at least one of {valid}, "
            "or leave --only out to run every stage"
        )
        raise EmptySelectionError(message)
    names = [stage.name for stage in stages]
    outside = [name for name in only or () if name not in names]
    if quick and outside:
        message = f"--quick runs {', '.join(names)} only, not {', '.join(outside)}"
        raise NotQuickError(message)
    chosen = tuple(
        stage for stage in stages if (only is None or stage.name in only) and stage.name not in skip
    )
    if not chosen:
        message = "--only and --skip leave no stage to run: skip fewer stages"
        raise EmptySelectionError(message)
    return chosen
