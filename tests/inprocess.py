"""Call a command's `main(argv)` in this process, as a fresh process would run it.

Starting Python (interpreter, imports, coverage) costs most of a CLI test's time: tests
that are not about the process itself call `main` and read what it wrote instead.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import logging
import sys
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping, Sequence


@dataclasses.dataclass(frozen=True)
class Completed:
    """What the tests read of a subprocess.CompletedProcess."""

    returncode: int
    stdout: str
    stderr: str


def run_main(
    main: Callable[[Sequence[str]], int],
    argv: Sequence[str],
    environ: Mapping[str, str | None] | None = None,
) -> Completed:
    """Call main(argv) with `environ` set (None: unset) for the call; capture its output."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with (
        pytest.MonkeyPatch.context() as patch,
        contextlib.redirect_stdout(stdout),
        contextlib.redirect_stderr(stderr),
        _fresh_logging(),
    ):
        for name, value in (environ or {}).items():
            if value is None:
                patch.delenv(name, raising=False)
            else:
                patch.setenv(name, value)
        returncode = _exit_status(main, argv)
    return Completed(returncode, stdout.getvalue(), stderr.getvalue())


def _exit_status(main: Callable[[Sequence[str]], int], argv: Sequence[str]) -> int:
    try:
        return main(list(argv))
    except SystemExit as exit_:  # argparse: --help, usage errors
        code = exit_.code
    # What the interpreter does with the code of an uncaught SystemExit.
    if code is None or isinstance(code, int):
        return code or 0
    sys.stderr.write(f"{code}\n")
    return 1


@contextlib.contextmanager
def _fresh_logging() -> Iterator[None]:
    # A new process starts with a bare root logger at WARNING, so that main's
    # logging.basicConfig writes records to (the captured) sys.stderr and the
    # last-resort handler prints warnings there. Pytest's handlers on the root would
    # turn basicConfig into a no-op and swallow what the process would have shown.
    # Whatever main configures is undone, so that the next call starts bare too.
    root = logging.getLogger()
    handlers = root.handlers[:]
    levels = {logger: logger.level for logger in _loggers()}
    root.handlers.clear()
    root.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for handler in root.handlers:
            handler.close()
        root.handlers[:] = handlers
        for logger, level in levels.items():
            if logger.level != level:
                logger.setLevel(level)


def _loggers() -> list[logging.Logger]:
    named = logging.Logger.manager.loggerDict.values()
    return [logging.getLogger(), *(item for item in named if isinstance(item, logging.Logger))]
