"""The commands the docs show: fenced shell blocks, `$ ` lines and inline code spans.

A fenced block tagged `bash`, `sh`, `shell` or `console` holds commands: every line of it
(after backslash continuations are joined, comments and blank lines dropped; in `console`
blocks only the `$ ` lines) is a command, checked strictly. Elsewhere (other fences,
inline code) a command is recognised by its program (`CLI_START`) and checked as a
synopsis: `[optional]` parts, `a|b` alternatives, `...` and UPPERCASE placeholders allowed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

SHELL_LANGUAGES = frozenset({"bash", "sh", "shell", "console"})
PROMPT = "$ "
CONTINUATION = "\\"
FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})\s*(?P<language>[\w+-]*)")
CLI_PREFIXES: tuple[tuple[str, ...], ...] = (
    ("uv", "run", "semaine"),
    ("uv", "run", "python"),
    ("uv", "run", "pytest"),
    ("python", "-m", "app"),
    ("semaine",),
    ("dagger", "call"),
    ("pytest",),
)
"""The words a command starts with, inside a synopsis or an inline code span."""
CLI_START = re.compile(
    r"(?:^|(?<=\s))(?:" + "|".join(re.escape(" ".join(p)) for p in CLI_PREFIXES) + r")\s"
)
CONTINUED_SYNOPSIS = re.compile(r"^\s+\[")
INLINE_CODE = re.compile(r"(?<!`)(`+)(?!`)(?P<code>.+?)(?<!`)\1(?!`)", re.DOTALL)


@dataclass(frozen=True)
class DocCommand:
    """One command shown in a document, where it is and how strictly to check it."""

    path: str
    line: int
    text: str
    strict: bool
    """True in a shell block: a real command line; False: a synopsis or an inline mention."""

    @property
    def where(self) -> str:
        """Say where the command is shown: `docs/x.md:12`."""
        return f"{self.path}:{self.line}"

    def __str__(self) -> str:
        return f"{self.where}: {self.text}"


def commands_in(path: Path, name: str) -> list[DocCommand]:
    """Return every command of the markdown file at `path` (shown as `name`)."""
    found: list[DocCommand] = []
    for block in _split(path.read_text(encoding="utf-8").splitlines()):
        if block.language in SHELL_LANGUAGES:
            found += _shell_commands(name, block)
        elif block.language is not None:
            found += _synopses(name, block.lines)
    for line, code in inline_code(path):
        start = CLI_START.search(code + " ")
        if start is not None:
            found.append(DocCommand(name, line, code[start.start() :].strip(), strict=False))
    return sorted(found, key=lambda command: command.line)


def inline_code(path: Path) -> list[tuple[int, str]]:
    """Return (line, text) of every inline code span of the prose, whitespace collapsed."""
    prose = [
        line
        for block in _split(path.read_text(encoding="utf-8").splitlines())
        if block.language is None
        for line in block.lines
    ]
    return [
        (first_line + text.count("\n", 0, match.start("code")), " ".join(match["code"].split()))
        for first_line, text in _paragraphs(prose)
        for match in INLINE_CODE.finditer(text)
    ]


@dataclass(frozen=True)
class _Block:
    language: str | None
    """None for prose; "" for an untagged fence."""
    lines: list[tuple[int, str]]


def _split(lines: list[str]) -> Iterator[_Block]:
    """Yield the prose and the fenced blocks of a document, with their line numbers."""
    current: list[tuple[int, str]] = []
    fence: re.Match[str] | None = None
    for number, line in enumerate(lines, start=1):
        match = FENCE.match(line)
        if fence is None and match:
            yield _Block(None, current)
            fence, current = match, []
        elif fence is not None and match and match["fence"].startswith(fence["fence"]):
            yield _Block(fence["language"].lower(), current)
            fence, current = None, []
        else:
            indent = len(fence["indent"]) if fence else 0
            current.append((number, line[indent:] if line[:indent].isspace() else line))
    yield _Block(None if fence is None else fence["language"].lower(), current)


def _shell_commands(name: str, block: _Block) -> Iterator[DocCommand]:
    """Yield the command lines of a shell block, continuations joined."""
    console = block.language == "console"
    pending: tuple[int, str] | None = None
    for number, raw in block.lines:
        line = raw.rstrip()
        if pending is None and line.startswith(PROMPT):
            line = line[len(PROMPT) :]
        elif pending is None and (console or not line.strip() or line.lstrip().startswith("#")):
            continue
        first, text = pending if pending is not None else (number, "")
        text = f"{text} {line.strip()}".strip()
        if text.endswith(CONTINUATION):
            pending = (first, text.removesuffix(CONTINUATION).rstrip())
            continue
        pending = None
        yield DocCommand(name, first, text, strict=True)
    if pending is not None:
        yield DocCommand(name, pending[0], pending[1], strict=True)


def _synopses(name: str, lines: list[tuple[int, str]]) -> Iterator[DocCommand]:
    """Yield the lines of a non-shell block that start with a known program."""
    current: DocCommand | None = None
    continued = False
    for number, line in lines:
        if current is not None and (continued or CONTINUED_SYNOPSIS.match(line)):
            text = f"{current.text.removesuffix(CONTINUATION).rstrip()} {line.strip()}"
            current = DocCommand(name, current.line, text, strict=False)
            continued = line.rstrip().endswith(CONTINUATION)
            continue
        if current is not None:
            yield current
        start = CLI_START.match(line.removeprefix(PROMPT) + " ")
        current = DocCommand(name, number, line.strip(), strict=False) if start else None
        continued = bool(start) and line.rstrip().endswith(CONTINUATION)
    if current is not None:
        yield current


def _paragraphs(prose: list[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    """Yield (first line number, text) of each run of non-blank prose lines."""
    start, texts = 0, []
    for number, line in [*prose, (0, "")]:
        if line.strip():
            start = start or number
            texts.append(line)
            continue
        if texts:
            yield start, "\n".join(texts)
        start, texts = 0, []
