"""app.db.driver is the one place that catches, tests or describes a psycopg error.

Checked on the syntax tree of every module of app/: outside the driver, no `except`,
`isinstance`, `issubclass` or `contextlib.suppress` names a psycopg (or psycopg_pool,
or SQLAlchemy-wrapped DBAPI) error class, no code reads a psycopg error's `diag`, and
no `str(error)...splitlines()` builds a description of its own. The API may still
register a handler for psycopg.Error (a table entry, not a test of the error): it
hands the error to the driver.
"""

from __future__ import annotations

import ast
import textwrap
from typing import TYPE_CHECKING

import pytest

from tests.paths import ROOT

if TYPE_CHECKING:
    from pathlib import Path

DRIVER = ROOT / "app" / "db" / "driver.py"
_DRIVER_PACKAGES = ("psycopg", "psycopg_pool")
# SQLAlchemy's wrappers of DBAPI errors (sqlalchemy.exc), each holding the psycopg one.
_WRAPPED = frozenset(
    {
        "DBAPIError",
        "DatabaseError",
        "DataError",
        "IntegrityError",
        "InterfaceError",
        "InternalError",
        "NotSupportedError",
        "OperationalError",
        "ProgrammingError",
    }
)
_TESTS = frozenset({"isinstance", "issubclass", "suppress"})


def _driver_names(tree: ast.Module) -> set[str]:
    """Names bound to psycopg things in a module, and module constants built from them."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(
                alias.asname or alias.name.split(".")[0]
                for alias in node.names
                if alias.name.split(".")[0] in _DRIVER_PACKAGES
            )
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in (
            _DRIVER_PACKAGES
        ):
            names.update(alias.asname or alias.name for alias in node.names)
    for node in tree.body:  # e.g. _TRANSIENT = (errors.LockNotAvailable, ...)
        if isinstance(node, ast.Assign):
            value, targets = node.value, node.targets
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            value, targets = node.value, [node.target]
        else:
            continue
        if any(_names_driver(part, names) for part in ast.walk(value)):
            names.update(target.id for target in targets if isinstance(target, ast.Name))
    return names


def _names_driver(node: ast.AST, names: set[str]) -> bool:
    if isinstance(node, ast.Name):
        return node.id in names
    # sa.exc.IntegrityError / sqlalchemy.exc.OperationalError
    return (
        isinstance(node, ast.Attribute)
        and node.attr in _WRAPPED
        and isinstance(node.value, ast.Attribute)
        and node.value.attr == "exc"
    )


def _offences(source: str, where: str) -> list[str]:
    tree = ast.parse(source)
    names = _driver_names(tree)
    found: list[str] = []

    def mentions_driver(node: ast.AST | None) -> bool:
        return node is not None and any(_names_driver(part, names) for part in ast.walk(node))

    for node in ast.walk(tree):
        line = f"{where}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.ExceptHandler) and mentions_driver(node.type):
            found.append(f"{line}: except {ast.unparse(node.type or node)}")
        elif isinstance(node, ast.Call):
            func = node.func
            called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if called in _TESTS and any(mentions_driver(arg) for arg in node.args):
                found.append(f"{line}: {ast.unparse(node)}")
            elif called == "splitlines" and any(
                isinstance(part, ast.Call)
                and isinstance(part.func, ast.Name)
                and part.func.id == "str"
                for part in ast.walk(func)
            ):
                found.append(f"{line}: a description of its own, {ast.unparse(node)}")
        elif isinstance(node, ast.Attribute) and node.attr == "diag":
            found.append(f"{line}: reads {ast.unparse(node)}")
    return found


def _app_modules() -> list[Path]:
    return sorted(path for path in (ROOT / "app").rglob("*.py") if path != DRIVER)


def test_only_the_driver_catches_tests_or_describes_psycopg_errors() -> None:
    offences = [
        offence
        for path in _app_modules()
        for offence in _offences(path.read_text("utf-8"), str(path.relative_to(ROOT)))
    ]
    assert offences == []


def test_the_driver_is_where_they_are() -> None:
    assert _offences(DRIVER.read_text("utf-8"), "app/db/driver.py") != []


@pytest.mark.parametrize(
    "source",
    [
        # What app/ held before app.db.driver: each of these is found.
        """
        import psycopg
        try:
            pass
        except psycopg.OperationalError as error:
            pass
        """,
        """
        import psycopg
        try:
            pass
        except (psycopg.Error, ValueError):
            pass
        """,
        """
        from psycopg import errors
        _TRANSIENT = (errors.LockNotAvailable, errors.DeadlockDetected)
        try:
            pass
        except _TRANSIENT:
            pass
        """,
        """
        import contextlib, psycopg
        with contextlib.suppress(psycopg.Error):
            pass
        """,
        """
        import psycopg
        def problem(error):
            return isinstance(error, psycopg.errors.IntegrityError | psycopg.errors.DataError)
        """,
        """
        from psycopg_pool import PoolTimeout
        try:
            pass
        except PoolTimeout:
            pass
        """,
        """
        import sqlalchemy as sa
        try:
            pass
        except sa.exc.IntegrityError:
            pass
        """,
        """
        def describe(error):
            return next(iter(str(error).strip().splitlines()), "")
        """,
        """
        def constraint(error):
            return error.diag.constraint_name
        """,
    ],
)
def test_the_check_finds_each_way_of_handling_a_driver_error(source: str) -> None:
    assert len(_offences(textwrap.dedent(source), "example.py")) == 1


def test_the_check_leaves_the_app_s_own_errors_and_other_text_alone() -> None:
    source = """
    import psycopg
    from app.db.errors import DriverError
    HANDLERS = ((psycopg.Error, print),)
    try:
        pass
    except DriverError as error:
        tail = result.stderr.strip().splitlines()
    """
    assert _offences(textwrap.dedent(source), "example.py") == []
