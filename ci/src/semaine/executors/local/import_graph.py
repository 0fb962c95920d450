"""Which of the project's own Python files a file imports, directly or through others."""

from __future__ import annotations

import ast
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path


class ImportGraph:
    """The import statements of a set of project files (relative paths with slashes)."""

    def __init__(self, project: Path, files: Iterable[str]) -> None:
        self._project = project
        self._files = {name for name in files if name.endswith(".py")}
        self._modules: dict[str, str] = {}
        self._names: dict[str, str] = {}
        for root in sorted(self._roots(), key=len):
            for name in sorted(self._files):
                module = _module_name(name, root)
                if module is not None:
                    self._modules.setdefault(module, name)
                    # The deepest root names a file as Python imports it.
                    self._names[name] = module
        self._imports: dict[str, frozenset[str]] = {}

    def closure(self, starts: Iterable[str]) -> set[str]:
        """Return the project files `starts` import, transitively, `starts` included."""
        seen: set[str] = set()
        pending = [name for name in starts if name in self._files]
        while pending:
            name = pending.pop()
            if name in seen:
                continue
            seen.add(name)
            pending.extend(self.imports(name) - seen)
        return seen

    def imports(self, name: str) -> frozenset[str]:
        """Return the project files that `name`'s import statements load (packages included)."""
        if name not in self._imports:
            self._imports[name] = frozenset(self._resolve(name))
        return self._imports[name]

    def _resolve(self, name: str) -> set[str]:
        source = (self._project / name).read_bytes()
        try:
            tree = ast.parse(source, filename=name)
        except SyntaxError:
            return set()
        wanted: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                wanted.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = self._absolute(name, node.module, node.level)
                if base is None:
                    continue
                wanted.add(base)
                names = (alias.name for alias in node.names)
                wanted.update(f"{base}.{name}" if base else name for name in names)
        found: set[str] = set()
        for module in wanted:
            parts = module.split(".")
            # Importing a.b.c runs a/__init__.py and a/b/__init__.py first.
            for end in range(1, len(parts) + 1):
                file = self._modules.get(".".join(parts[:end]))
                if file is not None:
                    found.add(file)
        return found

    def _absolute(self, name: str, module: str | None, level: int) -> str | None:
        if level == 0:
            return module
        own = self._names.get(name)
        if own is None:
            return None
        package = own.split(".") if name.endswith("__init__.py") else own.split(".")[:-1]
        if level - 1 > len(package):
            return None
        base = package[: len(package) - (level - 1)]
        return ".".join([*base, module] if module else base)

    def _roots(self) -> set[str]:
        roots = {""}
        for name in self._files:
            folder = PurePosixPath(name).parent
            if f"{folder}/__init__.py" not in self._files:
                continue
            while folder.parent != folder and f"{folder.parent}/__init__.py" in self._files:
                folder = folder.parent
            roots.add("" if str(folder.parent) == "." else str(folder.parent))
        return roots


def _module_name(name: str, root: str) -> str | None:
    path = PurePosixPath(name)
    if root:
        if not name.startswith(f"{root}/"):
            return None
        path = path.relative_to(root)
    parts = list(path.with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    if not parts or not all(part.isidentifier() for part in parts):
        return None
    return ".".join(parts)
