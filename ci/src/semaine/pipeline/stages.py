"""The eight stages of Semaine's pipeline, defined once for both executors."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from semaine.pipeline import evaluations
from semaine.pipeline.stage import Need, Placeholder, Stage, Step

if TYPE_CHECKING:
    from collections.abc import Collection, Sequence

REPORT = Placeholder.REPORT_DIR.value
DATABASE_URL = Placeholder.DATABASE_URL.value
POSTGRES_URL = Placeholder.POSTGRES_URL.value
SCRATCH_DATABASE_URL = Placeholder.SCRATCH_DATABASE_URL.value
APP_URL = Placeholder.APP_URL.value

LOAD_ENTRIES = 5000
"""Entries seeded before the load: ~48 per week over the weeks the load reads."""
LOAD_FIRST_WEEK, LOAD_LAST_WEEK = "2025-W01", "2026-W52"
REHEARSAL_ROWS = 10_000
E2E_TESTS = "tests/e2e"
TEST_IMPACT = "test-impact.json"
"""What each test file depends on, written by the test stage (semaine.probes.test_impact)."""

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
        ),
        Step(
            name="ruff format --check",
            argv=("ruff", "format", "--check", "--output-format", "json", "."),
            allowed_exit_codes=FINDINGS_EXIT_CODES,
            stdout_to="ruff-format.json",
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
        ),
    ),
    evaluate=evaluations.security,
    reports=("bandit.json", "requirements.txt", "pip-audit.json", "pip-audit.log"),
)

_PYTEST = Step(
    name="pytest",
    argv=(
        "pytest",
        "-n",
        "auto",
        "-m",
        "not dagger_engine",
        # The e2e stage runs tests/e2e against the served app: not twice per run.
        f"--ignore={E2E_TESTS}",
        "-p",
        "no:cacheprovider",
        # Coverage labelled by test file: what a later change can affect (docs/pipeline.md).
        "-p",
        "semaine.probes.test_contexts",
        f"--test-map={REPORT}/test-map.json",
        f"--junitxml={REPORT}/junit.xml",
        "--cov",
        "--cov-report=",
        f"--cov-report=json:{REPORT}/coverage.json",
        f"--cov-report=html:{REPORT}/coverage-html",
    ),
    env={"SEMAINE_TEST_POSTGRES_URL": POSTGRES_URL, "COVERAGE_FILE": f"{REPORT}/.coverage"},
    allowed_exit_codes=FINDINGS_EXIT_CODES,
    stdout_to="pytest.txt",
)
_IMPACT = ("python", "-m", "semaine.probes.test_impact")


def narrowed_test(test_files: Sequence[str], selection_file: str) -> Stage:
    """Return the test stage on `test_files` only, completed from the earlier whole run.

    `selection_file` names that run's reports and what changed since
    (`semaine.probes.test_impact.Selection`); its last step merges both and writes the
    reports a whole run writes.
    """
    reports_written_by_merge = ("--cov-report=json:", "--cov-report=html:")
    argv = tuple(a for a in _PYTEST.argv if not a.startswith(reports_written_by_merge))
    pytest = replace(_PYTEST, argv=(*argv, *test_files))
    merge = Step(
        name="merge with the earlier run",
        argv=(*_IMPACT, "merge", "--report", REPORT, "--selection", selection_file),
    )
    return replace(TEST, steps=(pytest, merge) if test_files else (merge,), narrowed=None)


TEST = Stage(
    name="test",
    description="every test tier but dagger_engine and e2e, in parallel, with coverage",
    steps=(
        _PYTEST,
        Step(name="test impact map", argv=(*_IMPACT, "map", "--report", REPORT)),
    ),
    evaluate=evaluations.test,
    # Its tests start Chromium (the executor tests run the tiny project's e2e stage) and
    # pg_dump/pg_restore (the data migration's dump before any write).
    needs=frozenset({Need.POSTGRES, Need.BROWSER, Need.PG_CLIENT}),
    reports=(
        "junit.xml",
        "coverage.json",
        "coverage-html",
        "pytest.txt",
        "test-map.json",
        TEST_IMPACT,
    ),
    cpu_heavy=True,
    cacheable=True,
    narrowed=narrowed_test,
)

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
    timed=True,
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
            argv=(
                "locust",
                "-f",
                "tests/load/locustfile.py",
                "--headless",
                "--host",
                APP_URL,
                "--csv",
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
    reports=("locust_stats.csv", "locust_failures.csv", "locust.html", "locust.log"),
    cpu_heavy=True,
    timed=True,
)

E2E = Stage(
    name="e2e",
    description="the week pages in headless Chromium: browser tests, page and navigation timings",
    steps=(
        Step(
            name="browser tests",
            argv=(
                "pytest",
                E2E_TESTS,
                "-p",
                "no:cacheprovider",
                f"--junitxml={REPORT}/junit.xml",
            ),
            env={"SEMAINE_TEST_POSTGRES_URL": POSTGRES_URL},
            allowed_exit_codes=FINDINGS_EXIT_CODES,
            stdout_to="pytest.txt",
        ),
        Step(
            name="page timing",
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
    ),
    evaluate=evaluations.e2e,
    needs=frozenset({Need.POSTGRES, Need.APP, Need.BROWSER}),
    reports=("junit.xml", "pytest.txt", "page-timing.json", "screenshots", "page-timing.log"),
    cpu_heavy=True,
    timed=True,
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


class UnknownStageError(ValueError):
    """Stage names that are not in STAGES; the message lists the valid ones."""


def stage_names(text: str) -> tuple[str, ...]:
    """Parse `a,b` into stage names; unknown names raise UnknownStageError."""
    names = tuple(name.strip() for name in text.split(",") if name.strip())
    unknown = [name for name in names if name not in BY_NAME]
    if unknown:
        valid = ", ".join(stage.name for stage in STAGES)
        message = f"unknown stage(s): {', '.join(unknown)}; valid stages: {valid}"
        raise UnknownStageError(message)
    return names


def select(only: Collection[str], skip: Collection[str]) -> tuple[Stage, ...]:
    """Return the stages named in `only` (all when empty) minus those in `skip`, in order."""
    return tuple(
        stage for stage in STAGES if (not only or stage.name in only) and stage.name not in skip
    )
