"""Classify each command the docs show, and check it with something real.

| command | checked by |
| --- | --- |
- `[uv run] semaine ...`, `[uv run] python -m app ...`: the program's own argparse parser;
- `dagger call ...`, `dagger check`, `dagger functions`: the module's registration and the
  engine's schema (dagger_checks.py);
- `[uv run] pytest ...`: pytest's own parser, the paths and declared markers
  (pytest_parse.py);
- `uv run python SCRIPT.py ...`: the script exists and compiles; its `add_argument` calls
  define each flag shown (read, never run: `--help` could start a script's work);
- `uv run TOOL ...` (ruff, mypy, ...): `TOOL [SUBCOMMAND] --help` lists every flag shown;
- `scripts/x`, `bash FILE`, `sh FILE`: a file of the repository (executable when run
  directly) that `bash -n` (or `sh -n`) accepts;
- `export NAME=VALUE`, `NAME=VALUE cmd`: shell syntax, read by shlex;
- anything else: `ALLOWED_UNRUN`, with the reason it cannot run here, or it fails (KINDS).

Nothing that changes state runs: commands are parsed, and `--help` of the project's two
programs and of the venv's tools is the most that runs.
"""

from __future__ import annotations

import ast
import functools
import json
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tests.docs import argparse_checks, dagger_checks
from tests.docs.argparse_checks import APP, SEMAINE, Program
from tests.docs.markdown_commands import CLI_PREFIXES
from tests.paths import ROOT

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from tests.docs.markdown_commands import DocCommand

ALLOWED_UNRUN: dict[str, str] = {
    "curl -fsSL https://dl.dagger.io/dagger/install.sh"
    " | DAGGER_VERSION=0.21.8 BIN_DIR=$HOME/.local/bin sh": (
        "downloads and runs Dagger's installer: the tests have no network (the version it"
        " pins is compared with dagger.json's engineVersion by a test)"
    ),
    "dagger version": "needs the Dagger CLI, which the tests do not install (only CI does)",
}
"""Commands shown in the docs that no test can run here, each with the reason."""

NOT_COMMANDS: dict[str, str] = {
    "semaine migrate: COMPLETED": "the status line a migrate report starts with",
    "python -m app data dry-run: DRY_RUN": "the status line a dry-run report starts with",
}
"""Inline code that starts like a command but is not one, each with what it is."""

HOW_TO_CLASSIFY = (
    "show it as `uv run semaine ...`, `uv run python -m app ...`, `uv run pytest ...`,"
    " `uv run python SCRIPT.py`, `uv run TOOL` (a tool of the venv), `dagger call ...`,"
    " or a script of the repository (`scripts/NAME`, `bash FILE`); or, if it cannot run"
    " here, add it to ALLOWED_UNRUN in tests/docs/command_checks.py with the reason"
)
OPERATORS = frozenset({"&&", "||", ";", "|", "&"})
REDIRECTIONS = frozenset({">", ">>", "<", "2>", "2>>", "&>"})
ASSIGNMENT = re.compile(r"^[A-Za-z_]\w*=")
VENV_BIN = Path(sys.executable).parent


def problems(command: DocCommand) -> list[str]:
    """Return what is wrong with one doc command (nothing: it checks out)."""
    key = without_comment(command.text)
    if key in ALLOWED_UNRUN or (not command.strict and key in NOT_COMMANDS):
        return []
    found: list[str] = []
    for argv in argvs(command):
        found += argv_problems(argv, strict=command.strict)
    return [f"{command.where}: `{command.text}`: {problem}" for problem in found]


def argvs(command: DocCommand) -> list[list[str]]:
    """Return the simple commands of a doc command, environment assignments dropped."""
    if command.strict:
        segments = _split(_strict_words(command.text))
    else:
        segments = [_from_cli_start(s) for s in _split(_synopsis_words(command.text))]
    return [words for words in (_without_assignments(s) for s in segments) if words]


def without_comment(text: str) -> str:
    """Return a command line without its trailing `# comment` (quotes respected)."""
    quote = ""
    for index, char in enumerate(text):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and (index == 0 or text[index - 1].isspace()):
            return text[:index].strip()
    return text.strip()


def _strict_words(text: str) -> list[str]:
    lexer = shlex.shlex(text, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    return list(lexer)


def _synopsis_words(text: str) -> list[str]:
    try:
        words = shlex.split(text, comments=True)
    except ValueError:
        words = text.split()
    # `[--dry-run]` is the flag; a quoted empty value (`--only ""`) stays a word.
    return [w.strip("[]") for w in words if not w or w.strip("[]")]


def _split(words: list[str]) -> list[list[str]]:
    segments: list[list[str]] = [[]]
    skip_next = False
    for word in words:
        if skip_next:
            skip_next = False
        elif word in OPERATORS:
            segments.append([])
        elif word in REDIRECTIONS:
            skip_next = True
        else:
            segments[-1].append(word)
    return segments


def _from_cli_start(words: list[str]) -> list[str]:
    """Return a synopsis from its program on (`heroku run python -m app ...`); else []."""
    for index in range(len(words)):
        for prefix in CLI_PREFIXES:
            if tuple(words[index : index + len(prefix)]) == prefix:
                return words[index:]
    return []


def _without_assignments(words: list[str]) -> list[str]:
    index = 0
    while index < len(words) and ASSIGNMENT.match(words[index]):
        index += 1
    if words[:1] == ["export"] and all(ASSIGNMENT.match(w) for w in words[1:]):
        return []  # `export NAME=VALUE`: shell syntax, shlex read it
    return words[index:] if index < len(words) else []


@dataclass(frozen=True)
class Kind:
    """A kind of command: how to recognise it (after `uv run`) and how to check it."""

    name: str
    matches: Callable[[list[str], bool], bool]
    """Given the words and whether `uv run` ran them."""
    check: Callable[[list[str], bool], list[str]]
    """Given the words and whether to check strictly."""


KINDS = (
    Kind(
        "semaine",
        lambda w, _uv: w[0] == "semaine",
        lambda w, strict: _cli_problems(SEMAINE, w[1:], strict=strict),
    ),
    Kind(
        "python -m app",
        lambda w, _uv: w[:3] == ["python", "-m", "app"],
        lambda w, strict: _cli_problems(APP, w[3:], strict=strict),
    ),
    Kind(
        "python script",
        lambda w, _uv: w[0] == "python" and w[1:2] != [] and w[1].endswith(".py"),
        lambda w, _strict: script_problems(w[1], w[2:]),
    ),
    Kind("pytest", lambda w, _uv: w[0] == "pytest", lambda w, _strict: pytest_problems(w[1:])),
    Kind(
        "dagger",
        lambda w, _uv: w[0] == "dagger",
        lambda w, strict: _dagger_problems(w[1:], strict=strict),
    ),
    Kind(
        "a tool of the venv",
        lambda w, uv: uv and (VENV_BIN / w[0]).is_file(),
        lambda w, _strict: tool_problems(w[0], w[1:]),
    ),
    Kind(
        "a script run by a shell",
        lambda w, _uv: w[0] in {"bash", "sh"} and len(w) > 1,
        lambda w, _strict: shell_script_problems(w[1], interpreter=w[0]),
    ),
    Kind(
        "a script run directly",
        lambda w, _uv: "/" in w[0],
        lambda w, _strict: shell_script_problems(w[0], interpreter=None),
    ),
)


def argv_problems(argv: Sequence[str], *, strict: bool) -> list[str]:
    """Classify one simple command and check it."""
    via_uv = list(argv[:2]) == ["uv", "run"]
    words = list(argv[2:] if via_uv else argv)
    kind = next((k for k in KINDS if words and k.matches(words, via_uv)), None)
    if kind is not None:
        return kind.check(words, strict)
    if not strict:
        return []  # a synopsis of a program we do not check (`heroku run ...`)
    return [f"cannot classify `{shlex.join(argv)}`: {HOW_TO_CLASSIFY}"]


def _cli_problems(program: Program, words: list[str], *, strict: bool) -> list[str]:
    if not words and not strict:
        return []  # a mention of the program itself
    if strict:
        return argparse_checks.parse_problems(program, words)
    return argparse_checks.synopsis_problems(program, words)


def _dagger_problems(words: list[str], *, strict: bool) -> list[str]:
    verb, rest = (words[0], words[1:]) if words else ("", [])
    if verb == "call":
        return [] if not rest and not strict else dagger_checks.call_problems(rest, strict=strict)
    if verb == "check":
        return dagger_checks.check_problems(rest)
    if verb == "functions" and not rest:
        registered = dagger_checks.registration().functions
        return [] if registered else ["the module registers no function"]
    return [f"cannot classify `dagger {shlex.join(words)}`: {HOW_TO_CLASSIFY}"]


def script_problems(script: str, words: Sequence[str]) -> list[str]:
    """Check `python SCRIPT WORDS`: it exists, compiles, and defines each flag shown."""
    path = ROOT / script
    if not path.is_file():
        return [f"{script} does not exist"]
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    except SyntaxError as error:
        return [f"{script} does not compile: {error}"]
    flags = [w.split("=", 1)[0] for w in words if w.startswith("-")]
    if not flags:
        return []
    # Read, never run: a script's main may do its work before (or without) parsing
    # arguments, so `--help` could start it. Its flags are its add_argument calls.
    defined = _argparse_flags(tree)
    if not defined:
        return [f"{script} is shown with flags {flags} but parses none (no add_argument)"]
    return [
        f"{script} has no flag {flag} (its add_argument calls: {', '.join(sorted(defined))})"
        for flag in flags
        if flag not in defined and flag not in {"-h", "--help"}
    ]


def _argparse_flags(tree: ast.AST) -> set[str]:
    """Return the option strings of every `add_argument(...)` call in a module."""
    return {
        arg.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "add_argument"
        for arg in node.args
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value[:1] == "-"
    }


def tool_problems(tool: str, words: Sequence[str]) -> list[str]:
    """Check `uv run TOOL [SUBCOMMAND] ...`: `--help` of the tool lists every flag shown."""
    subcommands = []
    for word in words:
        if word.startswith("-") or (ROOT / word).exists():
            break
        subcommands.append(word)
    flags = [w.split("=", 1)[0] for w in words if w.startswith("-")]
    return _flags_in_help(
        " ".join([tool, *subcommands]), (str(VENV_BIN / tool), *subcommands), flags
    )


def _flags_in_help(name: str, command: Sequence[str], flags: Iterable[str]) -> list[str]:
    status, text = run_help(tuple(command))
    if status != 0:
        return [f"`{name} --help` exited {status}: {text[-300:]}"]
    return [
        f"`{name}` has no flag {flag} (its --help does not list it)"
        for flag in flags
        if not re.search(rf"(?<![\w-]){re.escape(flag)}(?![\w-])", text)
    ]


@functools.cache
def run_help(command: tuple[str, ...]) -> tuple[int, str]:
    """Run `COMMAND --help` in the repository; return its exit status and output."""
    done = subprocess.run(
        [*command, "--help"], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    return done.returncode, done.stdout + done.stderr


def shell_script_problems(script: str, *, interpreter: str | None) -> list[str]:
    """Check a script of the repository: it exists, runs directly if shown so, parses."""
    path = (ROOT / script).resolve()
    if not path.is_relative_to(ROOT) or not path.is_file():
        return [f"{script} is not a file of the repository: {HOW_TO_CLASSIFY}"]
    if interpreter is None and not path.stat().st_mode & 0o111:
        return [f"{script} is shown run directly but is not executable (chmod +x)"]
    shell = interpreter or _shebang_shell(path)
    if shell is None:
        return [f"{script} has no bash or sh shebang: {HOW_TO_CLASSIFY}"]
    done = subprocess.run([shell, "-n", str(path)], capture_output=True, text=True, check=False)
    return [f"`{shell} -n {script}` refuses it: {done.stderr.strip()}"] if done.returncode else []


def _shebang_shell(path: Path) -> str | None:
    first = path.read_text(encoding="utf-8").partition("\n")[0]
    match = re.match(r"#!\s*\S*?(?:env\s+)?\b(bash|sh)\b", first)
    return match[1] if match else None


_PYTEST_VERDICTS: dict[tuple[str, ...], dict[str, Any]] = {}


def prefetch_pytest(argvs: Iterable[Sequence[str]]) -> None:
    """Parse these pytest command lines in one pytest process (see pytest_parse.py)."""
    pending = list(dict.fromkeys(tuple(a) for a in argvs if tuple(a) not in _PYTEST_VERDICTS))
    if not pending:
        return
    done = subprocess.run(
        [sys.executable, "-m", "tests.docs.pytest_parse"],
        cwd=ROOT,
        input=json.dumps(pending),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, f"tests/docs/pytest_parse.py failed:\n{done.stderr}"
    _PYTEST_VERDICTS.update(zip(pending, json.loads(done.stdout), strict=True))


def pytest_problems(words: Sequence[str]) -> list[str]:
    """Check `pytest WORDS` with pytest's own parser, the paths it names and the markers."""
    prefetch_pytest([words])
    verdict = _PYTEST_VERDICTS[tuple(words)]
    found = [f"pytest refuses it: {verdict['error']}"] if verdict["status"] else []
    found += [f"pytest would not find {path}" for path in verdict["missing"]]
    found += [
        f"-m names {name!r}, which pyproject.toml's markers do not declare"
        for name in verdict["undeclared_markers"]
    ]
    return found


def verb_paths(commands: Iterable[DocCommand]) -> set[tuple[Program, tuple[str, ...]]]:
    """Return every (program, verbs) the commands use: `(APP, ("db", "upgrade"))`."""
    found = set()
    for command in commands:
        for argv in argvs(command):
            words = argv[2:] if argv[:2] == ["uv", "run"] else argv
            if words[:1] == ["semaine"]:
                found.add((SEMAINE, argparse_checks.verb_path(SEMAINE, words[1:])))
            elif words[:3] == ["python", "-m", "app"]:
                found.add((APP, argparse_checks.verb_path(APP, words[3:])))
    return found


def pytest_argvs(commands: Iterable[DocCommand]) -> list[list[str]]:
    """Return the arguments of every pytest command among `commands`."""
    found = []
    for command in commands:
        for argv in argvs(command):
            words = argv[2:] if argv[:2] == ["uv", "run"] else argv
            if words[:1] == ["pytest"]:
                found.append(words[1:])
    return found
