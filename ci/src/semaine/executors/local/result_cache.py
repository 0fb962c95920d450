"""Stage results kept by their inputs, so unchanged work is not redone (as Dagger does).

A cacheable stage (one whose outcome depends on its inputs alone: lint, typecheck,
test) that passed is stored with its raw reports under a key covering everything
it reads: the project's source files (path and content, `SOURCE_IGNORE` left out),
the stage's definition, the thresholds, semaine's version and the Python version.
A later run with the same key copies the reports back and judges them again, as the
Dagger engine returns a cached operation instead of running it. Failures, inconclusive
results and stages that measure the machine (security's vulnerability service, the
rehearsal's, load's and e2e's timings) are never cached.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pathspec

from semaine.pipeline.gates import Outcome
from semaine.pipeline.sources import SOURCE_IGNORE
from semaine.pipeline.verdict import StepRun

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

    from semaine.pipeline.stage import Stage
    from semaine.pipeline.thresholds import Thresholds
    from semaine.pipeline.verdict import StageResult

CACHE_DIR = ".semaine_cache"
"""Where the cache lives, inside the project (git-ignored, never source)."""
FORMAT = 2
"""Bumped when what an entry holds changes: older entries are then never hit."""
KEEP_PER_STAGE = 4
"""Entries kept per stage: switching between a few branches still hits."""
_ENTRY = "entry.json"
_REPORTS = "reports"


@dataclass(frozen=True)
class CachedRun:
    """A passed run of a stage, as stored: its step runs and when and how long it ran."""

    runs: tuple[StepRun, ...]
    created: str
    """UTC time the run finished, ISO 8601."""
    duration_s: float

    def describe(self) -> str:
        """Say where the result comes from, for reports and progress."""
        return f"cached: same inputs as the run of {self.created} ({self.duration_s:.1f} s)"


def source_manifest(project_dir: Path, also_ignored: Sequence[str] = ()) -> dict[str, str]:
    """Return {relative path: SHA-256 of its bytes} for every source file of `project_dir`.

    `also_ignored`: more root-anchored patterns, e.g. a report folder inside the project.
    A symbolic link is its target's path, not the content it points to.
    """
    ignored = _ignore_spec(also_ignored)
    manifest = {}
    for relative in _source_files(project_dir, ignored):
        path = project_dir / relative
        if path.is_symlink():
            manifest[relative] = "link " + str(path.readlink())
            continue
        with path.open("rb") as source:
            manifest[relative] = hashlib.file_digest(source, "sha256").hexdigest()
    return manifest


def source_digest(manifest: Mapping[str, str]) -> str:
    """Return one SHA-256 over a source manifest: every path and its digest."""
    digest = hashlib.sha256()
    for relative, content in sorted(manifest.items()):
        digest.update(f"{relative}\0{content}\n".encode())
    return digest.hexdigest()


def result_key(stage: Stage, thresholds: Thresholds, sources: Mapping[str, str]) -> str:
    """Return the key of `stage`'s result on these sources (a `source_manifest`)."""
    parts = (
        f"format {FORMAT}",
        f"semaine {metadata.version('semaine')}",
        f"python {sys.version}",
        f"stage {stage.name} {stage.steps!r}",
        f"thresholds {thresholds!r}",
        f"sources {source_digest(sources)}",
    )
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


class ResultCache:
    """The passed results of cacheable stages, by key, under `root`."""

    def __init__(self, root: Path) -> None:
        self._root = root

    def lookup(self, stage: Stage, key: str, report: Path) -> CachedRun | None:
        """Copy a stored result's reports into `report` and return its runs, or None."""
        entry = self._root / stage.name / key
        try:
            cached = _cached_run(_read_json(entry / _ENTRY))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            shutil.rmtree(entry, ignore_errors=True)
            return None
        shutil.rmtree(report, ignore_errors=True)
        try:
            shutil.copytree(entry / _REPORTS, report)
            os.utime(entry)
        except OSError:
            shutil.rmtree(report, ignore_errors=True)
            return None
        return cached

    def store(
        self,
        stage: Stage,
        key: str,
        result: StageResult,
        runs: Sequence[StepRun],
        report: Path,
    ) -> None:
        """Keep a passed result of a cacheable stage with a copy of its reports."""
        if not stage.cacheable or result.outcome is not Outcome.PASS:
            return
        folder = self._root / stage.name
        folder.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{key[:12]}-", dir=folder))
        try:
            shutil.copytree(report, staging / _REPORTS)
            created = dt.datetime.now(tz=dt.UTC).isoformat(timespec="seconds")
            document = {
                "runs": [_run_document(run) for run in runs],
                "created": created,
                "duration_s": round(result.duration_s, 3),
            }
            (staging / _ENTRY).write_text(json.dumps(document, indent=2), encoding="utf-8")
            # A rename is atomic: a concurrent or killed run never sees half an entry.
            shutil.rmtree(folder / key, ignore_errors=True)
            staging.rename(folder / key)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        self._prune(folder)

    def _prune(self, folder: Path) -> None:
        entries = [path for path in folder.iterdir() if not path.name.startswith(".")]
        entries.sort(key=_modified, reverse=True)
        for stale in entries[KEEP_PER_STAGE:]:
            shutil.rmtree(stale, ignore_errors=True)


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _read_json(path: Path) -> dict[str, Any]:
    document = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(document, dict):
        message = f"{path}: not a JSON object"
        raise TypeError(message)
    return document


def _cached_run(document: dict[str, Any]) -> CachedRun:
    runs = tuple(
        StepRun(step=str(run["step"]), exit_code=run["exit_code"], output_tail=run["output_tail"])
        for run in document["runs"]
    )
    return CachedRun(runs, str(document["created"]), float(document["duration_s"]))


def _run_document(run: StepRun) -> dict[str, Any]:
    return {"step": run.step, "exit_code": run.exit_code, "output_tail": run.output_tail}


def _ignore_spec(also_ignored: Sequence[str] = ()) -> pathspec.GitIgnoreSpec:
    # dockerignore patterns are anchored at the root unless they start with `**/`.
    patterns = (*SOURCE_IGNORE, *also_ignored)
    lines = [pattern if pattern.startswith("**/") else f"/{pattern}" for pattern in patterns]
    return pathspec.GitIgnoreSpec.from_lines(lines)


def _source_files(project_dir: Path, ignored: pathspec.GitIgnoreSpec) -> Iterator[str]:
    for folder, subfolders, files in os.walk(project_dir):
        relative_folder = Path(folder).relative_to(project_dir).as_posix()
        prefix = "" if relative_folder == "." else f"{relative_folder}/"
        kept = [name for name in subfolders if not ignored.match_file(f"{prefix}{name}/")]
        # os.walk does not descend into linked folders: the link itself is the source.
        linked = [name for name in kept if Path(folder, name).is_symlink()]
        subfolders[:] = sorted(set(kept) - set(linked))
        for name in sorted([*files, *linked]):
            relative = f"{prefix}{name}"
            if not ignored.match_file(relative):
                yield relative
