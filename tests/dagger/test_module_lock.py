"""ci/uv.lock, which the Dagger runtime installs the module from, matches ci/pyproject.toml."""

import tomllib
from pathlib import Path
from typing import Any

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
