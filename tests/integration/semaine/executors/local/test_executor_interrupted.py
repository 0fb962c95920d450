"""A pipeline stopped while a timing stage holds its app and database: nothing is left running.

Ctrl-C (SIGINT) and a service manager's or CI runner's stop (SIGTERM) end the same way:
every process the run started is stopped, its throwaway PostgreSQL too, and the run ends
in one line and the shell's 130.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.processes import processes

pytestmark = [pytest.mark.slow, pytest.mark.integration]

INTERRUPTED = "semaine pipeline: interrupted; nothing was judged (run it again)\n"


def _session_members(session: int) -> list[str]:
    return [
        f"{process.pid} {' '.join(process.command)}"
        for process in processes()
        if process.session == session and process.state != "Z"
    ]


def _wait_for(text: str, log: Path, process: subprocess.Popen[bytes]) -> None:
    # No deadline of its own: pytest-timeout ([tool.pytest.ini_options]) is the hang guard.
    while text not in log.read_text(encoding="utf-8"):
        assert process.poll() is None, log.read_text(encoding="utf-8")
        time.sleep(0.1)


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_stopped_run_stops_its_app_and_database_and_says_so_in_one_line(
    tiny_project: Path, tmp_path: Path, stop_signal: signal.Signals
) -> None:
    semaine = Path(sys.executable).parent / "semaine"
    stderr = tmp_path / "stderr.log"
    options = ["--only", "load", "--no-cache", "--report-dir", str(tmp_path / "reports")]
    with stderr.open("wb") as sink:
        process = subprocess.Popen(
            [str(semaine), "pipeline", "--project-dir", str(tiny_project), *options],
            stdout=subprocess.DEVNULL,
            stderr=sink,
            start_new_session=True,
            env={**os.environ, "CI": "1"},
        )
    try:
        # Prepared: its database seeded, its app serving, waiting for its turn to measure.
        _wait_for("prepared", stderr, process)
        process.send_signal(stop_signal)
        status = process.wait()
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        left = _session_members(process.pid)
        if left:
            os.killpg(process.pid, signal.SIGKILL)

    assert left == []
    assert status == 130
    output = stderr.read_text(encoding="utf-8")
    assert output.endswith(INTERRUPTED)
    assert "Traceback" not in output
