"""Before Node runs: where the pinned Lighthouse is found, and what is said when it is not."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from semaine.probes import lighthouse
from tests.paths import ROOT

if TYPE_CHECKING:
    from pathlib import Path


def test_the_project_s_lighthouse_is_the_version_package_lock_pins() -> None:
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"]["node_modules/lighthouse"]["version"] == "12.2.3"
    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    assert package["dependencies"]["lighthouse"] == "12.2.3"  # exact: npm ci cannot drift
    assert lighthouse.installed_lighthouse() == ROOT / "node_modules"


def _installed(folder: Path, version: str, pinned: str) -> Path:
    (folder / "node_modules" / "lighthouse").mkdir(parents=True)
    (folder / "node_modules" / "lighthouse" / "package.json").write_text(
        json.dumps({"version": version}), encoding="utf-8"
    )
    lock = {"packages": {"node_modules/lighthouse": {"version": pinned}}}
    (folder / "package-lock.json").write_text(json.dumps(lock), encoding="utf-8")
    script = folder / "ci" / "probe.mjs"
    script.parent.mkdir()
    return script


def test_a_lighthouse_other_than_the_pinned_one_is_refused(tmp_path: Path) -> None:
    script = _installed(tmp_path, "12.8.0", "12.2.3")
    with pytest.raises(lighthouse.LighthouseUnavailableError, match="run npm ci"):
        lighthouse.installed_lighthouse(script)
    again = _installed(tmp_path / "same", "12.2.3", "12.2.3")
    assert lighthouse.installed_lighthouse(again) == tmp_path / "same" / "node_modules"


def test_no_node_modules_above_the_script_says_to_run_setup(tmp_path: Path) -> None:
    script = tmp_path / "probe.mjs"
    with pytest.raises(lighthouse.LighthouseUnavailableError, match="scripts/setup"):
        lighthouse.installed_lighthouse(script)


def test_node_missing_from_path_says_to_run_setup(tmp_path: Path) -> None:
    with pytest.raises(lighthouse.LighthouseUnavailableError, match="node is not on PATH"):
        lighthouse.node_program(str(tmp_path))


def test_a_malformed_table_is_written_to_the_index_not_raised(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text("[tool.semaine.lighthouse]\nruns = 0\n", encoding="utf-8")
    output = tmp_path / "out"
    status = lighthouse.main(
        [
            "--app-url",
            "http://127.0.0.1:9",
            "--output-dir",
            str(output),
            "--pyproject",
            str(pyproject),
        ]
    )
    assert status == 2
    index = json.loads((output / "lighthouse.json").read_text(encoding="utf-8"))
    assert "runs must be a whole number" in index["error"]
    assert index["audits"] == []
