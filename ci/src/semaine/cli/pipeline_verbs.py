"""`semaine pipeline` and one verb per stage, run by the local executor."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import anyio

from semaine.executors.local.executor import (
    EXECUTOR_NAME,
    ExecutorSettings,
    LocalExecutor,
    default_parallelism,
)
from semaine.executors.local.report_folder import ReportFolderError
from semaine.executors.local.result_cache import CACHE_DIR, ResultCache
from semaine.pipeline.report import gate_table, write_summaries
from semaine.pipeline.stages import (
    STAGES,
    StageSelectionError,
    UnknownStageError,
    select,
    stage_names,
)
from semaine.pipeline.thresholds import ThresholdsError, load_thresholds
from semaine.pipeline.verdict import run_verdict

USAGE_ERROR = 2

EXIT_STATUSES = """\
exit status:
  0  every gate passed (stages this executor cannot run, like build, are shown as skipped),
     or some gates were inconclusive and --accept-inconclusive gave the reason
  1  at least one gate failed
  2  usage error (unknown stage, invalid thresholds table)
  3  nothing failed, but at least one gate was inconclusive (e.g. the vulnerability
     service was unreachable, too few load samples)

reports: DIR/summary.json, DIR/summary.md, and each stage's raw reports in DIR/<stage>/
"""


def register(verbs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `pipeline` and one verb per stage."""
    stage_names = ", ".join(stage.name for stage in STAGES)
    pipeline = verbs.add_parser(
        "pipeline",
        help="run the CI pipeline's stages as local processes",
        description=f"Run the pipeline's stages ({stage_names}) as local processes.",
        epilog=EXIT_STATUSES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    pipeline.add_argument(
        "--only",
        type=stage_list,
        default=None,
        metavar="STAGES",
        help="comma-separated stages to run",
    )
    pipeline.add_argument(
        "--skip",
        type=stage_list,
        default=(),
        metavar="STAGES",
        help="comma-separated stages to leave out",
    )
    _add_common_options(pipeline)
    pipeline.set_defaults(run=run_pipeline)
    for stage in STAGES:
        verb = verbs.add_parser(
            stage.name,
            help=f"run the {stage.name} stage: {stage.description}",
            description=f"Run the {stage.name} stage: {stage.description}.",
            epilog=EXIT_STATUSES,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        _add_common_options(verb)
        verb.set_defaults(run=run_pipeline, only=(stage.name,), skip=())


def _add_common_options(parser: argparse.ArgumentParser) -> None:
    parallel, cpu_heavy = default_parallelism()
    parser.add_argument(
        "--report-dir",
        type=Path,
        default=Path("reports"),
        help="where reports go (default: reports/)",
    )
    parser.add_argument(
        "--accept-inconclusive",
        type=_reason,
        metavar="REASON",
        help="exit 0 despite inconclusive gates; the reason is recorded in the reports",
    )
    parser.add_argument(
        "--project-dir", type=Path, default=Path(), help="the project to check (default: .)"
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help=(
            "run every stage, even lint, typecheck or test when an earlier run passed them "
            f"on the same inputs (kept in PROJECT/{CACHE_DIR}/)"
        ),
    )
    parser.add_argument(
        "--max-parallel",
        type=_positive,
        default=parallel,
        help=f"stages run at once (default: {parallel}; 1 runs them one after another)",
    )
    parser.add_argument(
        "--max-cpu-heavy",
        type=_positive,
        default=cpu_heavy,
        help=f"CPU-heavy stages (typecheck, test, load, e2e) run at once (default: {cpu_heavy})",
    )


def stage_list(text: str) -> tuple[str, ...]:
    """Parse `a,b` into stage names; unknown names are a usage error listing the valid ones."""
    try:
        return stage_names(text)
    except UnknownStageError as error:
        raise argparse.ArgumentTypeError(str(error)) from error


def _reason(text: str) -> str:
    if not text.strip():
        message = "give the reason why inconclusive gates are acceptable"
        raise argparse.ArgumentTypeError(message)
    return text.strip()


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        message = f"expected a whole number >= 1, not {text!r}"
        raise argparse.ArgumentTypeError(message)
    return value


def run_pipeline(arguments: argparse.Namespace) -> int:
    """Run the selected stages, write the reports, print the gate table, return the status."""
    project_dir: Path = arguments.project_dir.resolve()
    try:
        thresholds = load_thresholds(project_dir / "pyproject.toml")
    except ThresholdsError as error:
        sys.stderr.write(f"semaine: {error}\n")
        return USAGE_ERROR
    try:
        selected = select(arguments.only, arguments.skip)
    except StageSelectionError as error:
        sys.stderr.write(f"semaine: {error}\n")
        return USAGE_ERROR
    settings = ExecutorSettings(
        project_dir=project_dir,
        report_dir=arguments.report_dir,
        thresholds=thresholds,
        max_parallel=arguments.max_parallel,
        max_cpu_heavy=arguments.max_cpu_heavy,
        result_cache=None if arguments.no_cache else ResultCache(project_dir / CACHE_DIR),
    )
    try:
        results = anyio.run(LocalExecutor(settings).run, selected)
    except ReportFolderError as error:
        sys.stderr.write(f"semaine: {error}\n")
        return USAGE_ERROR
    verdict = run_verdict(results, arguments.accept_inconclusive)
    json_path, _ = write_summaries(arguments.report_dir, results, verdict, executor=EXECUTOR_NAME)
    sys.stdout.write(gate_table(results, verdict))
    sys.stderr.write(f"reports: {json_path.parent}/\n")
    return int(verdict.exit_status)
