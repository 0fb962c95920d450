"""Shared by the benchmarks: timed commands, the one-line edit, the machine's calibration."""

from __future__ import annotations

import subprocess
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

CALIBRATION_LOOPS = 3_000_000


def calibrate() -> float:
    """Return the seconds a fixed pure-Python loop takes now: this machine's speed, this moment.

    Figures of different runs compare through it (a figure divided by it), since machines
    and runs differ up to 2x in speed.
    """
    started = time.perf_counter()
    total = 0
    for number in range(CALIBRATION_LOOPS):
        total += number * number % 7
    elapsed = time.perf_counter() - started
    if total < 0:  # never: keeps the loop from being optimised away by a future Python
        raise AssertionError
    return round(elapsed, 3)


def timed(argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, int, str]:
    """Run `argv`; return its wall time, exit status and the end of its output."""
    started = time.perf_counter()
    completed = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    return elapsed, completed.returncode, (completed.stdout + completed.stderr)[-2000:]


def edit_docstring(path: Path, function: str) -> bytes:
    """Mark the one-line docstring of `function` in `path`; return the original bytes."""
    original = path.read_bytes()
    lines = original.decode().splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith(f"def {function}("))
    docstring = next(i for i in range(start, len(lines)) if lines[i].lstrip().startswith('"""'))
    # A new mark each time, so that the stage cache never holds the edited sources.
    mark = f' (edit {time.time_ns() % 10_000:04d})."""'
    lines[docstring] = lines[docstring].replace('."""', mark, 1)
    path.write_text("".join(lines), encoding="utf-8")
    return original
