"""The machine's processes as /proc shows them, for tests that check nothing was left running."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator


@dataclass(frozen=True)
class Process:
    """One live process: its id, parent, session, state letter and command line."""

    pid: int
    parent: int
    session: int
    state: str
    command: tuple[str, ...]


def processes() -> Iterator[Process]:
    """Yield every process still there when read (zombies included, with state "Z")."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text(encoding="utf-8")
            command = (entry / "cmdline").read_bytes().decode("utf-8", errors="replace")
        except OSError:
            continue  # it ended while we looked
        # The fields after the command name, which is in parentheses and may hold spaces.
        state, parent, _group, session = stat.rsplit(")", 1)[1].split()[:4]
        yield Process(int(entry.name), int(parent), int(session), state, tuple(command.split("\0")))
