"""ci/uv.lock, which the Dagger runtime installs the module from, matches ci/pyproject.toml."""

import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement

from tests.paths import ROOT

CI = ROOT / "ci"


def _toml(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _locked_semaine() -> dict[str, Any]:
    packages = _toml(CI / "uv.lock")["package"]
    (semaine,) = [package for package in packages if package["name"] == "semaine"]
    return semaine


def test_the_lock_was_made_from_the_current_dependencies() -> None:
    declared = {
        (req.name, str(req.specifier), tuple(sorted(req.extras)))
        for req in map(Requirement, _toml(CI / "pyproject.toml")["project"]["dependencies"])
    }
    locked = {
        (item["name"], item.get("specifier", ""), tuple(sorted(item.get("extras", ()))))
        for item in _locked_semaine()["metadata"]["requires-dist"]
    }
    assert locked == declared, "ci/pyproject.toml changed: run `sh scripts/lock_ci.sh`"


def test_every_dependency_is_locked_at_a_version_it_allows() -> None:
    versions = {package["name"]: package["version"] for package in _toml(CI / "uv.lock")["package"]}
    for dependency in _toml(CI / "pyproject.toml")["project"]["dependencies"]:
        requirement = Requirement(dependency)
        assert requirement.name in versions, requirement.name
        assert requirement.specifier.contains(versions[requirement.name]), requirement


LOCK_CI = ROOT / "scripts" / "lock_ci.sh"


def _lock_check(root: Path) -> subprocess.CompletedProcess[str]:
    """Run `scripts/lock_ci.sh --check` of a checkout: `uv lock --locked` on ci/ alone."""
    return subprocess.run(
        ["sh", str(root / "scripts" / "lock_ci.sh"), "--check"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


@pytest.mark.slow
def test_the_module_runtime_would_not_relock() -> None:
    # With the runtime's uv (0.10.3 for Dagger v0.21.8) where PyPI is reachable; the
    # script says so on stderr when it falls back to the installed uv.
    done = _lock_check(ROOT)
    assert done.returncode == 0, f"run `sh scripts/lock_ci.sh`:\n{done.stdout}{done.stderr}"


@pytest.mark.slow
def test_the_check_fails_when_ci_pyproject_changed_without_a_new_lock(tmp_path: Path) -> None:
    (tmp_path / "scripts").mkdir()
    shutil.copy(LOCK_CI, tmp_path / "scripts")
    shutil.copytree(CI, tmp_path / "ci", ignore=shutil.ignore_patterns("src"))
    pyproject = tmp_path / "ci" / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    assert '"anyio>=4.6",' in text
    pyproject.write_text(text.replace('"anyio>=4.6",', '"anyio>=4.6.1",'), encoding="utf-8")
    done = _lock_check(tmp_path)
    assert done.returncode != 0
    assert "needs to be updated" in done.stderr, done.stderr
