import io

import pytest
from rich.console import Console
from rich.text import Text

from semaine.executors.local.progress import Progress, live_wanted
from semaine.pipeline.gates import Outcome, failed, passed
from semaine.pipeline.stages import BUILD, E2E, LINT, TYPECHECK
from semaine.pipeline.verdict import StageResult

STAGES = (LINT, TYPECHECK, BUILD)
LINT_FAILED = StageResult(
    "lint", Outcome.FAIL, 1.25, (failed("ruff check", "8 findings"), passed("ruff format"))
)
TYPECHECK_PASSED = StageResult("typecheck", Outcome.PASS, 4.0, (passed("mypy"),))
BUILD_SKIPPED = StageResult("build", Outcome.SKIPPED, 0.0, reason="needs a container engine")


class Clock:
    """A clock the test moves: no test depends on wall time."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def run(progress: Progress, clock: Clock) -> None:
    """Play the same run: lint starts, typecheck starts, both end, build is skipped."""
    with progress:
        clock.now += 1.0
        progress.started("lint")
        clock.now += 0.5
        progress.started("typecheck")
        progress.tick()
        clock.now += 0.75
        progress.finished(LINT_FAILED)
        clock.now += 3.25
        progress.finished(TYPECHECK_PASSED)
        progress.finished(BUILD_SKIPPED)


def test_plain_lines_one_per_change_without_escape_codes() -> None:
    clock = Clock()
    stream = io.StringIO()
    run(Progress(STAGES, Console(file=stream), live=False, clock=clock), clock)
    assert stream.getvalue().splitlines() == [
        "[   1.0 s] lint       running         0.0 s  ruff check and ruff format --check",
        "[   1.5 s] typecheck  running         0.0 s  mypy --strict on app and semaine",
        "[   2.2 s] lint       fail            1.2 s  ruff check: fail",
        "[   5.5 s] typecheck  pass            4.0 s  1 gate passed",
        "[   5.5 s] build      skipped         0.0 s  needs a container engine",
    ]


def test_a_live_table_on_a_terminal_shows_what_the_plain_lines_show() -> None:
    clock = Clock()
    stream = io.StringIO()
    console = Console(file=stream, force_terminal=True, width=120)
    run(Progress(STAGES, console, live=True, clock=clock), clock)
    output = stream.getvalue()
    assert "\x1b[" in output  # drawn in place with escape codes, in colour
    frames = Text.from_ansi(output).plain
    last = frames[frames.rindex("pipeline: 3 of 3 stages done, 5.5 s") :]
    rows = [" ".join(line.replace("│", " ").split()) for line in last.splitlines()]
    assert "lint fail 1.2 s ruff check: fail" in rows
    assert "typecheck pass 4.0 s 1 gate passed" in rows
    assert "build skipped 0.0 s needs a container engine" in rows
    # An earlier frame, redrawn while lint ran: its elapsed time, the stage's description.
    assert "pipeline: 0 of 3 stages done, 1.5 s" in frames
    assert "lint running 0.5 s ruff check and ruff format --check" in [
        " ".join(line.replace("│", " ").split()) for line in frames.splitlines()
    ]


def test_the_table_is_the_rows() -> None:
    clock = Clock()
    progress = Progress(STAGES, Console(file=io.StringIO()), live=True, clock=clock)
    progress.finished(LINT_FAILED)
    assert progress.row("lint") == ("lint", "fail", "1.2 s", "ruff check: fail")
    assert progress.row("typecheck") == (
        "typecheck",
        "waiting",
        "",
        "mypy --strict on app and semaine",
    )
    assert progress.table().row_count == len(STAGES)


@pytest.mark.parametrize(
    ("stream", "environ", "live"),
    [
        (Terminal(), {}, True),
        (Terminal(), {"TERM": "xterm-256color"}, True),
        (io.StringIO(), {}, False),
        (Terminal(), {"CI": "true"}, False),
        (Terminal(), {"NO_COLOR": "1"}, False),
        (Terminal(), {"TERM": "dumb"}, False),
    ],
)
def test_live_only_on_a_terminal_outside_ci_with_colours(
    stream: io.StringIO, environ: dict[str, str], *, live: bool
) -> None:
    assert live_wanted(stream, environ) is live
    assert Progress.for_stream(STAGES, stream, environ).live is live


def test_plain_mode_writes_no_escape_code_even_on_a_terminal() -> None:
    stream = Terminal()
    progress = Progress.for_stream(STAGES, stream, {"CI": "true"})
    with progress:
        progress.finished(BUILD_SKIPPED)
    assert "\x1b" not in stream.getvalue()
    assert "build" in stream.getvalue()


def test_a_timing_stage_says_when_it_waits_to_measure_alone_then_measures() -> None:
    clock = Clock()
    stream = io.StringIO()
    progress = Progress((E2E,), Console(file=stream), live=False, clock=clock)
    with progress:
        progress.started("e2e")
        clock.now += 2.0
        progress.prepared("e2e")
        clock.now += 30.0
        progress.measuring("e2e")
    assert stream.getvalue().splitlines()[1:] == [
        "[   2.0 s] e2e  prepared        2.0 s  waits to measure alone, once the others are done",
        "[  32.0 s] e2e  measuring       2.0 s  measures alone",
    ]
    assert "0 of 1 stages done" in str(progress.table().title)


def test_a_timing_stage_elapsed_time_leaves_out_its_wait_as_its_duration_does() -> None:
    clock = Clock()
    progress = Progress((E2E,), Console(file=io.StringIO()), live=True, clock=clock)
    progress.started("e2e")
    clock.now += 2.0
    progress.prepared("e2e")
    clock.now += 30.0
    assert progress.row("e2e")[2] == "2.0 s"
    progress.measuring("e2e")
    clock.now += 5.0
    assert progress.row("e2e")[2] == "7.0 s"
    progress.finished(StageResult("e2e", Outcome.PASS, 7.0, (passed("page timing"),)))
    assert progress.row("e2e")[2] == "7.0 s"
