import re
import sys
from pathlib import Path

import anyio
import pytest

from semaine.executors.local.environment import command_environment
from semaine.executors.local.steps import OUTPUT_LOG, run_step, run_steps
from semaine.pipeline.gates import GateResult
from semaine.pipeline.stage import Placeholder, Stage, Step
from semaine.pipeline.thresholds import Thresholds
from semaine.pipeline.verdict import StepRun


def _no_gates(_reports: Path, _thresholds: Thresholds) -> tuple[GateResult, ...]:
    return ()


def python(code: str, *, stdout_to: str | None = None, stop_on_failure: bool = False) -> Step:
    return Step(
        name=code, argv=("python", "-c", code), stdout_to=stdout_to, stop_on_failure=stop_on_failure
    )


def test_a_step_writes_its_stdout_report_and_output_log(tmp_path: Path) -> None:
    step = python(
        "import sys; print('report'); print('noise', file=sys.stderr); sys.exit(3)",
        stdout_to="out.txt",
    )
    run = anyio.run(lambda: run_step(step, tmp_path, tmp_path, timeout_s=60))
    assert run.exit_code == 3
    assert (tmp_path / "out.txt").read_text(encoding="utf-8") == "report\n"
    assert "noise" in run.output_tail
    assert re.search(
        r"\[exit 3 after \d+\.\d s\]", (tmp_path / OUTPUT_LOG).read_text(encoding="utf-8")
    )


def test_a_missing_tool_is_reported_not_raised(tmp_path: Path) -> None:
    step = Step(name="ghost", argv=("no-such-tool-anywhere",))
    run = anyio.run(lambda: run_step(step, tmp_path, tmp_path, timeout_s=60))
    assert run == StepRun("ghost", None, "no-such-tool-anywhere: command not found on PATH")


def test_a_stopping_failure_ends_the_stage_and_placeholders_are_rendered(tmp_path: Path) -> None:
    stage = Stage(
        "s",
        "d",
        (
            Step(
                name="echo",
                argv=("python", "-c", "import sys; print(sys.argv[1])", "{report_dir}"),
                stdout_to="a.txt",
            ),
            python("raise SystemExit(1)", stop_on_failure=True),
            python("print('never')"),
        ),
        _no_gates,
    )
    runs = anyio.run(lambda: run_steps(stage, {Placeholder.REPORT_DIR: "/r"}, tmp_path, tmp_path))
    assert [run.exit_code for run in runs] == [0, 1]
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "/r\n"


def test_the_environment_puts_the_project_and_its_tools_first(tmp_path: Path) -> None:
    environment = command_environment(tmp_path, {"DATABASE_URL": "postgresql://x"})
    assert environment["PYTHONPATH"].split(":")[0] == str(tmp_path)
    assert environment["PATH"].split(":")[0] == str(Path(sys.executable).parent)
    assert environment["DATABASE_URL"] == "postgresql://x"


@pytest.mark.parametrize("with_venv", [True, False])
def test_a_project_venv_wins(tmp_path: Path, *, with_venv: bool) -> None:
    if with_venv:
        (tmp_path / ".venv" / "bin").mkdir(parents=True)
        (tmp_path / ".venv" / "bin" / "python").touch()
    tools = command_environment(tmp_path)["PATH"].split(":")[0]
    assert (tools == str(tmp_path / ".venv" / "bin")) is with_venv
