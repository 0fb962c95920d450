import io

from semaine.executors.local.progress import Progress
from semaine.pipeline.gates import Outcome
from semaine.pipeline.verdict import StageResult


def test_plain_lines_when_not_a_terminal() -> None:
    stream = io.StringIO()
    progress = Progress(["lint", "typecheck"], stream, redraw=False)
    progress.started("lint")
    progress.finished(StageResult("lint", Outcome.FAIL, 1.25))
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].split()[-4:-2] == ["lint", "running"]
    assert lines[1].split()[-3:] == ["fail", "1.2", "s"]
    assert "\x1b" not in stream.getvalue()


def test_redraw_in_place_on_a_terminal() -> None:
    stream = io.StringIO()
    progress = Progress(["lint", "typecheck"], stream, redraw=True)
    progress.started("lint")
    progress.tick()
    output = stream.getvalue()
    assert "\x1b[2F" in output  # back up over the two stage lines before redrawing
    assert "typecheck  waiting" in output
