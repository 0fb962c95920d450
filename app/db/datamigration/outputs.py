"""The files a verb will write, checked before it touches the database.

A run that migrated every row and then cannot write its report would exit as if it had
failed; so both front doors refuse a path that cannot be written before any database work.
"""

from __future__ import annotations

import os
from pathlib import Path

from app.db.datamigration.errors import DataMigrationError


class OutputPathError(DataMigrationError):
    """A path the verb would write cannot be written; nothing was changed."""

    def __init__(self, flag: str, path: Path, reason: str) -> None:
        self.flag = flag
        self.path = path
        self.reason = reason
        super().__init__(f"{flag} {path} {reason}", f"choose another {flag}")


def check_folder(flag: str, folder: Path) -> None:
    """Create `folder` if it is missing; raise OutputPathError unless it is a writable folder."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputPathError(flag, folder, "is a file, not a folder") from None
    except OSError as error:
        raise OutputPathError(flag, folder, f"cannot be created: {_why(error)}") from None
    _require_writable_folder(flag, folder, folder)


def check_file(flag: str, path: Path) -> None:
    """Raise OutputPathError unless `path` can be written: not a folder, in a writable folder."""
    if path.is_dir():
        raise OutputPathError(flag, path, "is a folder: name a file in it")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputPathError(flag, path, f"is in {path.parent}, a file, not a folder") from None
    except OSError as error:
        raise OutputPathError(flag, path, f"cannot be created: {_why(error)}") from None
    _require_writable_folder(flag, path, path.parent)


def _require_writable_folder(flag: str, path: Path, folder: Path) -> None:
    where = "" if folder == path else f"is in {folder}, which "
    if not folder.is_dir():
        raise OutputPathError(flag, path, f"{where}is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputPathError(flag, path, f"{where}is not writable")


def _why(error: OSError) -> str:
    if isinstance(error, NotADirectoryError) and error.filename is not None:
        blocker = next((p for p in Path(error.filename).parents if p.exists()), None)
        if blocker is not None and not blocker.is_dir():
            return f"{blocker} is a file, not a folder"
    return error.strerror or type(error).__name__
