"""`semaine pipeline` and one verb per stage, run by the local executor."""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path

import anyio

from app.cli_arguments import whole_number
from semaine.executors.local.executor import (
    EXECUTOR_NAME,
    ExecutorSettings,
    LocalExecutor,
    default_parallelism,
)
from semaine.executors.local.report_folder import ReportFolderError
from semaine.executors.local.result_cache import CACHE_DIR, ResultCache
from semaine.exit_status import ExitStatus
from semaine.pipeline.quick import NOTE as QUICK_NOTE
from semaine.pipeline.report import gate_table, write_summaries
from semaine.pipeline.stage import Need, Stage
from semaine.pipeline.stages import (
    STAGES,
    TEST,
    StageSelectionError,
    UnknownStageError,
    select,
    stage_names,
)
from semaine.pipeline.thresholds import ThresholdsError, load_thresholds
from semaine.pipeline.verdict import run_verdict

EXIT_STATUSES = """\
exit status:
  0  every gate passed (stages this executor cannot run, like build, are shown as skipped),
     or some gates were inconclusive and --accept-inconclusive gave the reason
  1  at least one gate failed
  2  usage error: an unknown stage, an --only that names no stage, --only and --skip
     leaving none, a stage --quick does not run, an invalid thresholds table, a report
     folder holding a path that no semaine run wrote
  3  nothing failed, but at least one gate was inconclusive (e.g. the vulnerability
     service was unreachable, too few load samples)

with --quick, the same statuses judge lint, typecheck and the affected tests only: 0 says
those passed, never that the pipeline would (coverage is not judged, shown as skipped)

reports: DIR/summary.json, DIR/summary.md, and each stage's raw reports in DIR/<stage>/.
A run first removes what the run before it wrote in DIR (listed in DIR/.semaine-reports.json)
and nothing else: DIR holds one run's reports.
"""

# One paragraph a line: each is wrapped to the help's width.
PIPELINE = (
    "Run the pipeline's stages ({stages}) as local processes, without a container engine: "
    "at once where they can, with a throwaway PostgreSQL and the app served as stages need "
    "them. Each gate is judged from the tools' reports: pass, fail, or inconclusive when "
    "the check could not be made.\n"
    "Progress goes to stderr (a live table on a terminal; plain lines in logs, in CI or with "
    "NO_COLOR); the gate table and the findings of failed gates go to stdout.\n"
    "Gates and thresholds: [tool.semaine.gates] of pyproject.toml, docs/pipeline.md."
)
STAGE = (
    "Run the {name} stage as local processes: {description}.\n"
    "Needs: {needs}.\n"
    "Reports: DIR/{name}/ ({reports}), DIR/summary.json and DIR/summary.md.\n"
    "The same as `semaine pipeline --only {name}`; gates and thresholds: docs/pipeline.md."
)
HELP_WIDTH = 88

_NEEDS = {
    Need.POSTGRES: "a throwaway PostgreSQL (the run starts it)",
    Need.APP: "the app, served on a loopback port",
    Need.BROWSER: "Chromium (/usr/bin/chromium)",
    Need.ENGINE: "a container engine: skipped here, run `dagger call pipeline`",
}


def register(verbs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `pipeline` and one verb per stage."""
    pipeline = verbs.add_parser(
        "pipeline",
        help="run the CI pipeline's stages as local processes",
        description=_wrapped(PIPELINE.format(stages=", ".join(stage.name for stage in STAGES))),
        epilog=EXIT_STATUSES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    pipeline.add_argument(
        "--only",
        type=stage_list,
        default=None,
        metavar="STAGES",
        help="comma-separated stages to run (default: every stage; an empty list is an error)",
    )
    pipeline.add_argument(
        "--skip",
        type=stage_list,
        default=(),
        metavar="STAGES",
        help="comma-separated stages to leave out (default: none)",
    )
    _add_quick_option(pipeline, "lint, typecheck and ")
    _add_common_options(pipeline)
    pipeline.set_defaults(run=run_pipeline)
    for stage in STAGES:
        verb = verbs.add_parser(
            stage.name,
            help=f"run the {stage.name} stage: {stage.description}",
            description=_stage_description(stage),
            epilog=EXIT_STATUSES,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        if stage is TEST:
            _add_quick_option(verb, "")
        _add_common_options(verb)
        verb.set_defaults(run=run_pipeline, only=(stage.name,), skip=(), quick=False)


def _add_quick_option(parser: argparse.ArgumentParser, runs: str) -> None:
    parser.add_argument(
        "--quick",
        action="store_true",
        help=(
            f"the inner loop: {runs}only the tests affected by your changes since the last "
            "--quick run (pytest --testmon; the first runs them all), without coverage. "
            "Not the pipeline's verdict, docs/pipeline.md (default: off)"
        ),
    )


def _stage_description(stage: Stage) -> str:
    needs = [text for need, text in _NEEDS.items() if need in stage.needs]
    description = STAGE.format(
        name=stage.name,
        description=stage.description,
        needs="; ".join(needs) or "the project's own tools only",
        reports=", ".join(stage.reports) or "none",
    )
    return _wrapped(description)


def _wrapped(text: str) -> str:
    lines = text.splitlines()
    return "\n".join(textwrap.fill(line, HELP_WIDTH, break_on_hyphens=False) for line in lines)


def _add_common_options(parser: argparse.ArgumentParser) -> None:
    """Add the options `pipeline` and every stage verb share (one definition for all)."""
    parallel, cpu_heavy = default_parallelism()
    heavy = ", ".join(stage.name for stage in STAGES if stage.cpu_heavy and not stage.timed)
    timed = ", ".join(stage.name for stage in STAGES if stage.timed)
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
        help=(
            "exit 0 despite inconclusive gates, for this reason, recorded in the summaries "
            "(default: none: an inconclusive gate makes the exit status 3)"
        ),
    )
    parser.add_argument(
        "--project-dir", type=Path, default=Path(), help="the project to check (default: .)"
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help=(
            "run every stage, even lint, typecheck or test when an earlier run passed them "
            f"on the same inputs (default: off: such a pass, kept in PROJECT/{CACHE_DIR}/, "
            "is judged again instead of running the stage)"
        ),
    )
    parser.add_argument(
        "--max-parallel",
        type=whole_number,
        default=parallel,
        help=f"stages run at once (default: {parallel}; 1 runs them one after another)",
    )
    parser.add_argument(
        "--max-cpu-heavy",
        type=whole_number,
        default=cpu_heavy,
        help=(
            f"CPU-heavy stages ({heavy}) run at once (default: {cpu_heavy}); the timing"
            f" stages ({timed}) prepare beside them, then measure alone after them,"
            " whatever this says"
        ),
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


def run_pipeline(arguments: argparse.Namespace) -> int:
    """Run the selected stages, write the reports, print the gate table, return the status."""
    project_dir: Path = arguments.project_dir.resolve()
    try:
        thresholds = load_thresholds(project_dir / "pyproject.toml")
    except ThresholdsError as error:
        sys.stderr.write(f"semaine: {error}\n")
        return ExitStatus.REFUSED
    try:
        selected = select(arguments.only, arguments.skip, quick=arguments.quick)
    except StageSelectionError as error:
        sys.stderr.write(f"semaine: {error}\n")
        return ExitStatus.REFUSED
    settings = ExecutorSettings(
        project_dir=project_dir,
        report_dir=arguments.report_dir,
        thresholds=thresholds,
        max_parallel=arguments.max_parallel,
        max_cpu_heavy=arguments.max_cpu_heavy,
        result_cache=None if arguments.no_cache else ResultCache(project_dir / CACHE_DIR),
    )
    if arguments.quick:
        sys.stderr.write(f"semaine: {QUICK_NOTE}\n")
    try:
        results = anyio.run(LocalExecutor(settings).run, selected)
    except ReportFolderError as error:
        sys.stderr.write(f"semaine: {error}\n")
        return ExitStatus.REFUSED
    verdict = run_verdict(results, arguments.accept_inconclusive, quick=arguments.quick)
    json_path, _ = write_summaries(arguments.report_dir, results, verdict, executor=EXECUTOR_NAME)
    sys.stdout.write(gate_table(results, verdict))
    sys.stderr.write(f"reports: {json_path.parent}/\n")
    return int(verdict.exit_status)
