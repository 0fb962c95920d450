import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from semaine.executors.local.result_cache import (
    KEEP_PER_STAGE,
    ResultCache,
    result_key,
    source_digest,
    source_manifest,
)
from semaine.pipeline.gates import Outcome
from semaine.pipeline.stages import LINT, LOAD
from semaine.pipeline.thresholds import FLOOR
from semaine.pipeline.verdict import StageResult, StepRun

RUNS = (StepRun("ruff check", 0, "All checks passed!"), StepRun("ruff format", 0, ""))


def project(root: Path) -> Path:
    (root / "app").mkdir(parents=True)
    (root / "app" / "weeks.py").write_text("WEEK = 1\n", encoding="utf-8")
    (root / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    return root


def reports(root: Path, text: str = "[]") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "ruff.json").write_text(text, encoding="utf-8")
    return root


def passed_result(stage: str = "lint") -> StageResult:
    return StageResult(stage, Outcome.PASS, 2.5)


def digest(root: Path) -> str:
    return source_digest(source_manifest(root))


# ----------------------------------------------------------------- source digest
def test_the_digest_depends_on_content_and_paths_not_on_where_the_project_is(
    tmp_path: Path,
) -> None:
    first = project(tmp_path / "one")
    second = Path(shutil.copytree(first, tmp_path / "two"))
    assert digest(first) == digest(second)

    (second / "app" / "weeks.py").write_text("WEEK = 2\n", encoding="utf-8")
    edited = digest(second)
    assert edited != digest(first)

    (second / "app" / "weeks.py").rename(second / "app" / "days.py")
    assert digest(second) not in {edited, digest(first)}


def test_a_new_file_changes_the_digest(tmp_path: Path) -> None:
    root = project(tmp_path)
    before = digest(root)
    (root / "app" / "new.py").write_text("", encoding="utf-8")
    assert digest(root) != before


@pytest.mark.parametrize(
    "ignored",
    [
        ".git/HEAD",
        ".venv/bin/python",
        "app/.venv/pyvenv.cfg",
        "app/__pycache__/weeks.cpython-311.pyc",
        ".mypy_cache/3.11/cache.db",
        "tests/fixtures/.ruff_cache/x",
        ".pytest_cache/v/lastfailed",
        ".coverage",
        ".coverage.host.1",
        ".testmondata",
        ".testmondata-wal",
        ".semaine_cache/lint/abc/entry.json",
        "reports/summary.json",
        "bench/results/x.json",
        "htmlcov/index.html",
        "ci/sdk/dagger/__init__.py",
    ],
)
def test_what_is_never_source_leaves_the_digest_alone(tmp_path: Path, ignored: str) -> None:
    root = project(tmp_path)
    before = digest(root)
    (root / ignored).parent.mkdir(parents=True, exist_ok=True)
    (root / ignored).write_text("anything", encoding="utf-8")
    assert digest(root) == before


def test_ignoring_is_anchored_like_dagger_s_upload(tmp_path: Path) -> None:
    # `reports` is ignored at the root only; a package of that name is source.
    root = project(tmp_path)
    before = digest(root)
    (root / "app" / "reports").mkdir()
    (root / "app" / "reports" / "__init__.py").write_text("", encoding="utf-8")
    assert digest(root) != before


def test_a_link_counts_by_its_target(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "current.py").symlink_to("app/weeks.py")
    before = digest(root)
    (root / "current.py").unlink()
    (root / "current.py").symlink_to("pyproject.toml")
    assert digest(root) != before


# -------------------------------------------------------------------- stage key
def test_the_key_covers_sources_stage_definition_and_thresholds() -> None:
    sources = {"app/weeks.py": "1"}
    first = result_key(LINT, FLOOR, sources)
    assert first == result_key(LINT, FLOOR, dict(sources))
    assert result_key(LINT, FLOOR, {"app/weeks.py": "2"}) != first
    assert result_key(LINT, FLOOR, {**sources, "app/new.py": "3"}) != first
    stricter = replace(FLOOR, coverage_total_min_percent=95.0)
    assert result_key(LINT, stricter, sources) != first
    assert result_key(replace(LINT, steps=LINT.steps[:1]), FLOOR, sources) != first


# ------------------------------------------------------------------ store/lookup
def test_a_passed_run_comes_back_with_its_reports_and_step_runs(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path / "cache")
    cache.store(LINT, "k1", passed_result(), RUNS, reports(tmp_path / "run1", '["kept"]'))

    again = tmp_path / "run2" / "lint"
    reports(again, "stale")
    (again / "stale-only.txt").write_text("from a previous run", encoding="utf-8")
    cached = cache.lookup(LINT, "k1", again)

    assert cached is not None
    assert cached.runs == RUNS
    assert cached.duration_s == pytest.approx(2.5)
    assert (again / "ruff.json").read_text(encoding="utf-8") == '["kept"]'
    assert not (again / "stale-only.txt").exists()
    assert cached.describe().startswith("cached: same inputs as the run of ")
    assert cache.lookup(LINT, "another key", tmp_path / "run3") is None


@pytest.mark.parametrize("outcome", [Outcome.FAIL, Outcome.INCONCLUSIVE, Outcome.SKIPPED])
def test_only_passes_are_kept(tmp_path: Path, outcome: Outcome) -> None:
    cache = ResultCache(tmp_path / "cache")
    result = StageResult("lint", outcome, 1.0)
    cache.store(LINT, "k", result, RUNS, reports(tmp_path / "run"))
    assert cache.lookup(LINT, "k", tmp_path / "again") is None


def test_a_stage_that_measures_the_machine_is_never_kept(tmp_path: Path) -> None:
    assert not LOAD.cacheable
    cache = ResultCache(tmp_path / "cache")
    cache.store(LOAD, "k", passed_result("load"), (), reports(tmp_path / "run"))
    assert cache.lookup(LOAD, "k", tmp_path / "again") is None


def test_a_damaged_entry_is_a_miss_and_is_removed(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path / "cache")
    cache.store(LINT, "k", passed_result(), RUNS, reports(tmp_path / "run"))
    entry = tmp_path / "cache" / "lint" / "k"
    (entry / "entry.json").write_text("{not json", encoding="utf-8")
    assert cache.lookup(LINT, "k", tmp_path / "again") is None
    assert not entry.exists()


def test_an_entry_is_written_whole_or_not_at_all(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path / "cache")
    cache.store(LINT, "k", passed_result(), RUNS, reports(tmp_path / "run"))
    folder = tmp_path / "cache" / "lint"
    assert [path.name for path in folder.iterdir()] == ["k"]
    document = json.loads((folder / "k" / "entry.json").read_text(encoding="utf-8"))
    assert [run["step"] for run in document["runs"]] == ["ruff check", "ruff format"]


def test_only_the_most_recent_entries_are_kept(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path / "cache")
    keys = [f"k{number}" for number in range(KEEP_PER_STAGE + 2)]
    for name in keys:
        cache.store(LINT, name, passed_result(), RUNS, reports(tmp_path / name))
    kept = {path.name for path in (tmp_path / "cache" / "lint").iterdir()}
    assert len(kept) == KEEP_PER_STAGE
    assert keys[-1] in kept
    assert keys[0] not in kept
