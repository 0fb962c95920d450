"""The data-migration rehearsal's JSON report (`semaine rehearse --report-json`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from semaine.pipeline.parsers.errors import read_json, shape_error

if TYPE_CHECKING:
    from pathlib import Path

# The rehearsal's report is another module's output: accept the spellings it may use.
_ROWS_KEYS = ("rows", "rows_migrated", "row_count")
_SECONDS_KEYS = (
    "migration_seconds",
    "duration_seconds",
    "seconds",
    "elapsed_seconds",
    "duration_s",
)


@dataclass(frozen=True)
class Rehearsal:
    """How many rows the rehearsal migrated, how long it took, whether it verified them."""

    rows: int
    seconds: float
    ok: bool
    detail: str


def parse_rehearsal(path: Path) -> Rehearsal:
    """Return the figures of the rehearsal's JSON report at `path`."""
    document = read_json(path)
    if not isinstance(document, dict):
        raise shape_error(path, "a JSON object")
    rows = _first(document, _ROWS_KEYS)
    seconds = _first(document, _SECONDS_KEYS)
    if rows is None or seconds is None:
        keys = f"one of {', '.join(_ROWS_KEYS)} and one of {', '.join(_SECONDS_KEYS)}"
        raise shape_error(path, keys)
    try:
        return Rehearsal(
            rows=int(rows),
            seconds=float(seconds),
            ok=bool(document.get("passed", document.get("ok", True))),
            detail=_failed_checks(document),
        )
    except (TypeError, ValueError) as error:
        raise shape_error(path, f"numeric rows and duration ({error})") from error


def _first(document: dict[str, Any], keys: tuple[str, ...]) -> Any:  # noqa: ANN401 - raw JSON
    return next((document[key] for key in keys if key in document), None)


def _failed_checks(document: dict[str, Any]) -> str:
    checks = document.get("checks")
    if not isinstance(checks, dict):
        return str(document.get("detail", ""))
    failed = [name for name, passed in checks.items() if not passed]
    return f"checks failed: {', '.join(failed)}" if failed else ""
