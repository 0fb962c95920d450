"""bandit's JSON report (`bandit -f json -o`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from semaine.pipeline.parsers.errors import read_json, shape_error

if TYPE_CHECKING:
    from pathlib import Path

SEVERITY_ORDER = ("undefined", "low", "medium", "high")


@dataclass(frozen=True)
class BanditFinding:
    """One bandit issue."""

    test_id: str
    severity: str
    confidence: str
    filename: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.filename}:{self.line} {self.test_id} {self.text} ({self.severity})"

    def at_least(self, severity: str) -> bool:
        """Tell whether this finding's severity is `severity` or above."""
        return SEVERITY_ORDER.index(self.severity) >= SEVERITY_ORDER.index(severity.lower())


@dataclass(frozen=True)
class BanditReport:
    """The findings of a bandit run and the files it could not scan."""

    findings: tuple[BanditFinding, ...]
    errors: tuple[str, ...]


def parse_bandit_json(path: Path) -> BanditReport:
    """Return the findings and scan errors of bandit's JSON report at `path`."""
    document = read_json(path)
    if not isinstance(document, dict) or not isinstance(document.get("results"), list):
        raise shape_error(path, "an object with a 'results' list")
    try:
        findings = tuple(
            BanditFinding(
                test_id=str(item["test_id"]),
                severity=_severity(str(item["issue_severity"])),
                confidence=str(item["issue_confidence"]).lower(),
                filename=str(item["filename"]),
                line=int(item["line_number"]),
                text=str(item["issue_text"]),
            )
            for item in document["results"]
        )
        errors = tuple(
            f"{item['filename']}: {item['reason']}" for item in document.get("errors", [])
        )
    except (KeyError, TypeError) as error:
        raise shape_error(path, f"bandit results ({error})") from error
    return BanditReport(findings=findings, errors=errors)


def _severity(text: str) -> str:
    severity = text.lower()
    return severity if severity in SEVERITY_ORDER else "undefined"
