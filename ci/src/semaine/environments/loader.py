"""Read and validate `.github/environments/<name>.yml`, with errors that name the file and key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from app.errors import ActionableError
from semaine.environments.model import Environment

ENVIRONMENTS_FOLDER = Path(".github") / "environments"


class _UniqueKeyLoader(yaml.SafeLoader):
    """YAML's safe loader, refusing a key given twice in one mapping (YAML keeps the last)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:  # noqa: FBT001, FBT002 - PyYAML's signature
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                context, problem = "while reading a mapping", f"found the key {key!r} twice"
                raise yaml.constructor.ConstructorError(
                    context, node.start_mark, problem, key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


class EnvironmentFileError(ActionableError):
    """An environment file is missing, is not YAML, or breaks the schema."""


class UnknownEnvironmentError(EnvironmentFileError):
    """No file declares the environment asked for."""

    def __init__(self, name: str, path: Path, known: list[str]) -> None:
        self.name = name
        super().__init__(
            f"no environment {name!r}: {path} does not exist (known: {', '.join(known) or 'none'})",
            f"pick a known environment, or create {ENVIRONMENTS_FOLDER}/{name}.yml",
        )


class InvalidEnvironmentFileError(EnvironmentFileError):
    """The file exists but its content is unusable; `problem` says which key and why."""

    def __init__(self, path: Path, problem: str, what_to_do: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path} is invalid: {problem}", what_to_do)


def environment_names(root: Path) -> list[str]:
    """List the environments declared under `root`, sorted (`production`, `staging`, ...)."""
    folder = root / ENVIRONMENTS_FOLDER
    return sorted(path.stem for path in folder.glob("*.yml"))


def load_environment(name: str, root: Path) -> Environment:
    """Load environment `name` from the project at `root`; raise EnvironmentFileError if invalid."""
    path = root / ENVIRONMENTS_FOLDER / f"{name}.yml"
    if not path.is_file():
        raise UnknownEnvironmentError(name, path, environment_names(root))
    raw = _read_yaml(path)
    try:
        return Environment.model_validate({"name": name, **raw})
    except ValidationError as error:
        raise InvalidEnvironmentFileError(
            path, _describe(error), "fix the keys named (docs/deployment.md lists every key)"
        ) from None


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        # _UniqueKeyLoader is a SafeLoader: no arbitrary objects, as with yaml.safe_load.
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)  # noqa: S506  # nosec B506
    except yaml.YAMLError as error:
        raise InvalidEnvironmentFileError(
            path, f"not valid YAML: {' '.join(str(error).split())}", "fix the syntax at that line"
        ) from None
    if not isinstance(raw, dict):
        problem = f"it must hold a mapping of keys (heroku_app, url, ...), not {type(raw).__name__}"
        raise InvalidEnvironmentFileError(path, problem, "start from staging.yml beside it")
    if "name" in raw:
        raise InvalidEnvironmentFileError(
            path, "it sets 'name'", "remove that key: an environment is named by its file"
        )
    return raw


def _describe(error: ValidationError) -> str:
    parts = []
    for problem in error.errors():
        where = ".".join(str(part) for part in problem["loc"])
        if problem["type"] == "extra_forbidden":
            parts.append(f"unknown key {where!r}")
        elif problem["type"] == "missing":
            parts.append(f"missing key {where!r}")
        else:
            parts.append(f"{where}: {problem['msg']}")
    return "; ".join(parts)
