"""A PostgreSQL installation copied once, world-readable, into a directory named by its content.

The copy (bin/, the lib/ and share/ beside it, which PostgreSQL finds relative to its
bin/, and the libraries its ELF files load through `$ORIGIN` run paths) is staged
privately and renamed into place, so that concurrent copiers (xdist workers) end with
one whole copy; one left partial (a temporary-file cleaner) is completed, and one that
another user could have written is refused.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import secrets
import shutil
import stat
from pathlib import Path

from semaine.executors.local.postgres_error import PostgresError

_INSTALL_COPY_PREFIX = "semaine-postgres-"
# Besides bin/, what PostgreSQL loads from its installation (libraries, catalogs, zones).
_INSTALL_SIBLINGS = ("lib", "share")
_DIGEST_CHARS = 16
_ELF_MAGIC = b"\x7fELF"
# In an ELF file's RPATH/RUNPATH (a NUL-terminated, ':'-separated list of directories).
_ORIGIN = re.compile(rb"\$\{?ORIGIN\}?")
_WRITABLE_BY_OTHERS = stat.S_IWGRP | stat.S_IWOTH


def copy_installation(bindir: Path, base: Path) -> Path:
    """Copy `bindir`'s installation into `base` once, world-readable; return the copy's bin."""
    root, files = _installation_files(bindir)
    entry = base / f"{_INSTALL_COPY_PREFIX}{_digest(files)}"
    if not _holds(entry, files):
        staging = _fresh_directory(base, entry.name)
        try:
            for relative, (source, _size) in files.items():
                target = staging / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)
                target.chmod(0o755 if source.stat().st_mode & 0o111 else 0o644)
            for folder in (staging, *(path for path in staging.rglob("*") if path.is_dir())):
                folder.chmod(0o755)
            _put_in_place(staging, entry, files)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return entry / bindir.relative_to(root)


def _installation_files(bindir: Path) -> tuple[Path, dict[str, tuple[Path, int]]]:
    """Return the installation's root and its files: relative path to source and size."""
    install_root = bindir.parent
    parts = [bindir] + [
        install_root / name
        for name in _INSTALL_SIBLINGS
        if (install_root / name).is_dir() and install_root / name != bindir
    ]
    sources = [source for part in parts for source in _files_under(part)]
    # A wheel repaired by auditwheel loads libraries from beside the package
    # (`$ORIGIN/../../../pgserver.libs`): the copy keeps them where the binaries look.
    libraries = [
        folder
        for folder in _origin_run_paths(sources)
        if not any(folder.is_relative_to(part) for part in parts)
        and not install_root.is_relative_to(folder)
    ]
    sources += [source for folder in libraries for source in _files_under(folder)]
    root = Path(os.path.commonpath([install_root, *libraries]))
    files = {
        source.relative_to(root).as_posix(): (source, source.stat().st_size) for source in sources
    }
    return root, dict(sorted(files.items()))


def _files_under(folder: Path) -> list[Path]:
    # Symlinks are followed: what they point to may be in the private directory too.
    return [
        Path(directory, name)
        for directory, _subdirectories, names in os.walk(folder, followlinks=True)
        for name in names
        if Path(directory, name).is_file()
    ]


def _origin_run_paths(sources: list[Path]) -> set[Path]:
    """Return the existing directories that ELF files name in `$ORIGIN` run paths."""
    folders: set[Path] = set()
    for source in sources:
        with source.open("rb") as stream:
            if stream.read(len(_ELF_MAGIC)) != _ELF_MAGIC:
                continue
            content = stream.read()
        for match in _ORIGIN.finditer(content):
            start = content.rfind(b"\0", 0, match.start()) + 1
            end = content.find(b"\0", match.end())
            for entry in content[start : end if end >= 0 else None].split(b":"):
                if _ORIGIN.search(entry):
                    text = _ORIGIN.sub(str(source.parent).encode(), entry).decode(errors="replace")
                    folder = Path(os.path.normpath(text))
                    if folder.is_dir():
                        folders.add(folder)
    return folders


def _digest(files: dict[str, tuple[Path, int]]) -> str:
    digest = hashlib.sha256()
    for relative, (source, _size) in files.items():
        digest.update(relative.encode() + b"\0")
        with source.open("rb") as stream:
            digest.update(hashlib.file_digest(stream, "sha256").digest())
    return digest.hexdigest()[:_DIGEST_CHARS]


def _holds(entry: Path, files: dict[str, tuple[Path, int]]) -> bool:
    """Return True if `entry` is a whole copy of `files`, False if it is absent or partial."""
    try:
        info = entry.lstat()
    except FileNotFoundError:
        return False
    # Anyone may create names in /var/tmp: run nothing that another user could have put.
    if (
        not stat.S_ISDIR(info.st_mode)
        or info.st_uid != os.geteuid()
        or info.st_mode & _WRITABLE_BY_OTHERS
    ):
        msg = (
            f"{entry} is not a directory of uid {os.geteuid()} closed to others' writes, "
            f"so the PostgreSQL in it cannot be trusted: remove it (rm -rf {entry})"
        )
        raise PostgresError(msg)
    # A temporary-file cleaner (systemd-tmpfiles) may have removed old files from it.
    return all(
        (entry / relative).is_file() and (entry / relative).stat().st_size == size
        for relative, (_source, size) in files.items()
    )


def _put_in_place(staging: Path, entry: Path, files: dict[str, tuple[Path, int]]) -> None:
    if _renamed(staging, entry) or _holds(entry, files):
        return
    # What is there is partial: set it aside (a rename onto an empty directory) for ours.
    aside = _fresh_directory(entry.parent, entry.name)
    try:
        with contextlib.suppress(FileNotFoundError):
            entry.rename(aside)
        if not _renamed(staging, entry) and not _holds(entry, files):
            msg = f"{entry} changed while PostgreSQL was copied into it: start again"
            raise PostgresError(msg)
    finally:
        shutil.rmtree(aside, ignore_errors=True)


def _renamed(source: Path, target: Path) -> bool:
    """Rename `source` to `target`; return False if `target` exists (another's copy)."""
    # A rename is atomic: a racing process (an xdist worker) sees no copy or a whole one.
    try:
        source.rename(target)
    except OSError as error:
        if error.errno in {errno.EEXIST, errno.ENOTEMPTY}:
            return False
        raise
    return True


def _fresh_directory(base: Path, name: str) -> Path:
    # Not tempfile.mkdtemp: callers of ThrowawayPostgres may watch that for the data dir.
    folder = base / f".{name}.{secrets.token_hex(8)}"
    folder.mkdir(mode=0o700)
    return folder
