"""The static import graph of a project's own Python files."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from semaine.executors.local.import_graph import ImportGraph

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path


def graph(root: Path, files: Mapping[str, str]) -> ImportGraph:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return ImportGraph(root, files)


PACKAGE = {
    "pkg/__init__.py": "",
    "pkg/a.py": "import pkg.b\n",
    "pkg/b.py": "from pkg.c import helper\n",
    "pkg/c.py": "def helper() -> None: ...\n",
    "pkg/unrelated.py": "",
}


def test_a_file_imports_what_it_names_directly_and_transitively(tmp_path: Path) -> None:
    imports = graph(tmp_path, PACKAGE)
    assert imports.imports("pkg/a.py") == {"pkg/__init__.py", "pkg/b.py"}
    assert imports.closure(["pkg/a.py"]) == {
        "pkg/a.py",
        "pkg/__init__.py",
        "pkg/b.py",
        "pkg/c.py",
    }


def test_from_a_package_import_a_module_loads_the_module(tmp_path: Path) -> None:
    files = {**PACKAGE, "main.py": "from pkg import c\n"}
    assert graph(tmp_path, files).imports("main.py") == {"pkg/__init__.py", "pkg/c.py"}


def test_importing_a_submodule_loads_every_parent_package(tmp_path: Path) -> None:
    files = {
        "pkg/__init__.py": "",
        "pkg/sub/__init__.py": "",
        "pkg/sub/deep.py": "",
        "main.py": "import pkg.sub.deep\n",
    }
    assert graph(tmp_path, files).imports("main.py") == {
        "pkg/__init__.py",
        "pkg/sub/__init__.py",
        "pkg/sub/deep.py",
    }


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ("from . import sibling", {"pkg/sub/__init__.py", "pkg/sub/sibling.py"}),
        ("from .sibling import name", {"pkg/sub/__init__.py", "pkg/sub/sibling.py"}),
        ("from .. import top", {"pkg/top.py"}),
        ("from ..top import name", {"pkg/top.py"}),
        ("from ..other.leaf import name", {"pkg/other/__init__.py", "pkg/other/leaf.py"}),
    ],
)
def test_relative_imports_resolve_from_the_importing_module(
    tmp_path: Path, statement: str, expected: set[str]
) -> None:
    # The parent packages of what is imported come with it (pkg/__init__.py each time).
    files = {
        "pkg/__init__.py": "",
        "pkg/top.py": "",
        "pkg/other/__init__.py": "",
        "pkg/other/leaf.py": "",
        "pkg/sub/__init__.py": "",
        "pkg/sub/sibling.py": "",
        "pkg/sub/module.py": f"{statement}\n",
    }
    assert graph(tmp_path, files).imports("pkg/sub/module.py") == {"pkg/__init__.py", *expected}


def test_a_relative_import_in_a_package_init_is_relative_to_that_package(
    tmp_path: Path,
) -> None:
    files = {
        "pkg/__init__.py": "from .inner import name\n",
        "pkg/sub/__init__.py": "from . import leaf\n",
        "pkg/sub/leaf.py": "",
        "pkg/inner.py": "",
    }
    imports = graph(tmp_path, files)
    assert imports.imports("pkg/__init__.py") == {"pkg/__init__.py", "pkg/inner.py"}
    assert imports.imports("pkg/sub/__init__.py") == {
        "pkg/__init__.py",
        "pkg/sub/__init__.py",
        "pkg/sub/leaf.py",
    }


def test_packages_under_a_source_root_are_named_as_python_imports_them(tmp_path: Path) -> None:
    files = {
        "ci/src/tool/__init__.py": "",
        "ci/src/tool/cli.py": "from tool.core import run\n",
        "ci/src/tool/core.py": "from . import settings\n",
        "ci/src/tool/settings.py": "",
        "tests/test_tool.py": "from tool.cli import main\n",
    }
    assert graph(tmp_path, files).closure(["tests/test_tool.py"]) == {
        "tests/test_tool.py",
        "ci/src/tool/__init__.py",
        "ci/src/tool/cli.py",
        "ci/src/tool/core.py",
        "ci/src/tool/settings.py",
    }


def test_third_party_and_standard_library_imports_are_not_project_files(
    tmp_path: Path,
) -> None:
    files = {
        "pkg/__init__.py": "",
        "pkg/json.py": "",  # pkg.json, not the standard library's json
        "pkg/a.py": "import os\nimport json as j\nfrom pytest import raises\nimport numpy.linalg\n",
    }
    assert graph(tmp_path, files).imports("pkg/a.py") == frozenset()


def test_an_import_inside_a_function_counts(tmp_path: Path) -> None:
    # Deferred imports load the module when the function runs: still a dependency.
    files = {**PACKAGE, "lazy.py": "def load() -> None:\n    from pkg import c\n"}
    assert "pkg/c.py" in graph(tmp_path, files).imports("lazy.py")


def test_a_file_with_a_syntax_error_imports_nothing(tmp_path: Path) -> None:
    files = {**PACKAGE, "broken.py": "import pkg.a\ndef broken(:\n"}
    imports = graph(tmp_path, files)
    assert imports.imports("broken.py") == frozenset()
    assert imports.closure(["broken.py"]) == {"broken.py"}


def test_the_closure_holds_its_starts_and_survives_import_cycles(tmp_path: Path) -> None:
    files = {"pkg/__init__.py": "", "pkg/a.py": "from pkg import b\n", "pkg/b.py": "import pkg.a\n"}
    assert graph(tmp_path, files).closure(["pkg/a.py"]) == {
        "pkg/a.py",
        "pkg/b.py",
        "pkg/__init__.py",
    }


def test_starts_that_are_not_project_python_files_are_left_out(tmp_path: Path) -> None:
    files = {**PACKAGE, "README.md": "import pkg.a\n"}
    imports = graph(tmp_path, files)
    assert imports.closure(["README.md", "missing.py"]) == set()
    assert imports.closure(["pkg/c.py", "README.md"]) == {"pkg/c.py"}


@pytest.mark.parametrize(
    ("name", "statement"),
    [
        ("pkg/a.py", "from ... import c"),  # above the top-level package
        ("script.py", "from . import c"),  # not in a package
        ("my-tools/run.py", "from . import c"),  # a folder no module name can have
    ],
)
def test_a_relative_import_python_would_refuse_names_nothing(
    tmp_path: Path, name: str, statement: str
) -> None:
    files = {**PACKAGE, name: f"{statement}\n"}
    assert graph(tmp_path, files).imports(name) == frozenset()
