"""A run owns its report folder: it clears what the run before it wrote there, nothing else.

A run records the paths it writes (its stages' folders, the summaries) in MANIFEST
before writing them. The next run in the same folder removes exactly those, so the folder
holds one run's reports (an upload of it never mixes two runs), and files a person put
there stay. A path the run would write that no recorded run wrote (`--report-dir .` in a
project with a `test/` folder) is never deleted: the run refuses to start.
"""

from __future__ import annotations

import json
import shutil
from typing import TYPE_CHECKING

from app.errors import ActionableError

if TYPE_CHECKING:
    from collections.abc import Collection
    from pathlib import Path

MANIFEST = ".semaine-reports.json"
"""The paths the last run wrote in its report folder, relative to it."""


class ReportFolderError(ActionableError):
    """The report folder holds a path this run would write that no earlier run wrote."""


def claim(report_dir: Path, paths: Collection[str]) -> None:
    """Make `report_dir` this run's: clear the earlier run's paths, record `paths` as ours.

    `paths` are names directly inside `report_dir`. Raises ReportFolderError, having
    changed nothing, when one of them exists and the earlier run did not write it, or
    when `report_dir` is not a folder that can be made and written (a plain file).
    """
    try:
        _claim(report_dir, paths)
    except OSError as error:
        why = error.strerror or type(error).__name__
        where = f" ({error.filename})" if error.filename else ""
        message = f"report folder {report_dir} cannot be used: {why}{where}"
        raise ReportFolderError(message, "choose another --report-dir") from None


def _claim(report_dir: Path, paths: Collection[str]) -> None:
    if report_dir.exists() and not report_dir.is_dir():
        message = f"report folder {report_dir} is a file, not a folder"
        raise ReportFolderError(message, "choose another --report-dir")
    earlier = recorded(report_dir)
    foreign = sorted(name for name in paths if name not in earlier and _exists(report_dir / name))
    if foreign:
        listed = ", ".join(str(report_dir / name) for name in foreign)
        message = (
            f"{listed} was not written by a semaine run and would be replaced by this run's reports"
        )
        raise ReportFolderError(message, "move it away or choose another --report-dir")
    for name in earlier:
        _remove(report_dir / name)
    report_dir.mkdir(parents=True, exist_ok=True)
    document = {"written_by": "semaine", "paths": sorted(paths)}
    (report_dir / MANIFEST).write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")


def recorded(report_dir: Path) -> frozenset[str]:
    """Return the paths the earlier run recorded in `report_dir` (none when unreadable)."""
    try:
        document = json.loads((report_dir / MANIFEST).read_text(encoding="utf-8"))
        paths = document["paths"]
    except (OSError, ValueError, TypeError, KeyError):
        return frozenset()
    if not isinstance(paths, list):
        return frozenset()
    # Only plain names inside the folder: a manifest never reaches outside it.
    return frozenset(
        path
        for path in paths
        if isinstance(path, str) and path not in {"", ".", "..", MANIFEST} and "/" not in path
    )


def _exists(path: Path) -> bool:
    return path.is_symlink() or path.exists()


def _remove(path: Path) -> None:
    # A link is removed, never followed: what it points to was not written here.
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)
