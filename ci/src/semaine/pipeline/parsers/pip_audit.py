"""pip-audit's JSON report (`pip-audit -f json -o`) and its log when it could not run."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from semaine.pipeline.parsers.errors import read_json, shape_error

if TYPE_CHECKING:
    from pathlib import Path


@dataclass(frozen=True)
class Vulnerability:
    """A known vulnerability of one locked dependency."""

    package: str
    version: str
    vulnerability_id: str
    fix_versions: tuple[str, ...]

    def __str__(self) -> str:
        fixed = f" (fixed in {', '.join(self.fix_versions)})" if self.fix_versions else ""
        return f"{self.package} {self.version}: {self.vulnerability_id}{fixed}"


@dataclass(frozen=True)
class SkippedDependency:
    """A locked dependency pip-audit could not audit, and why."""

    name: str
    version: str
    reason: str
    """pip-audit's reason without the dependency it names (the same for many)."""

    def __str__(self) -> str:
        return f"{self.name} {self.version}".rstrip()


@dataclass(frozen=True)
class AuditReport:
    """Which dependencies were audited, which were vulnerable, which could not be audited."""

    audited: int
    vulnerabilities: tuple[Vulnerability, ...]
    skipped: tuple[SkippedDependency, ...]


# pip-audit ends a skip reason with the dependency: "...could not be audited: idna (3.7)".
_NAMED_AT_THE_END = re.compile(r"^(?P<reason>.+): (?P<name>[^\s:]+) \((?P<version>[^()]*)\)$")


def parse_pip_audit_json(path: Path) -> AuditReport:
    """Return the audit of pip-audit's JSON report at `path`."""
    document = read_json(path)
    if not isinstance(document, dict) or not isinstance(document.get("dependencies"), list):
        raise shape_error(path, "an object with a 'dependencies' list")
    vulnerabilities: list[Vulnerability] = []
    skipped: list[SkippedDependency] = []
    audited = 0
    try:
        for dependency in document["dependencies"]:
            if "skip_reason" in dependency:
                skipped.append(_skipped(dependency))
                continue
            audited += 1
            vulnerabilities.extend(
                Vulnerability(
                    package=str(dependency["name"]),
                    version=str(dependency["version"]),
                    vulnerability_id=str(vulnerability["id"]),
                    fix_versions=tuple(str(v) for v in vulnerability.get("fix_versions", [])),
                )
                for vulnerability in dependency.get("vulns", [])
            )
    except (KeyError, TypeError) as error:
        raise shape_error(path, f"pip-audit dependencies ({error})") from error
    return AuditReport(audited, tuple(vulnerabilities), tuple(skipped))


def _skipped(dependency: dict[str, object]) -> SkippedDependency:
    name, reason = str(dependency["name"]), str(dependency["skip_reason"])
    version = str(dependency.get("version", ""))
    named = _NAMED_AT_THE_END.match(reason)
    if named is not None and named["name"].lower() == name.lower():
        reason, version = named["reason"], version or named["version"]
    return SkippedDependency(name, version, reason)


_UNREACHABLE = re.compile(
    r"(ConnectionError|NameResolutionError|Max retries exceeded|Failed to resolve"
    r"|Connection refused|timed out|Temporary failure in name resolution|ServiceError)",
)


def service_unreachable(log: str) -> str | None:
    """Return the line of pip-audit's log saying its service was unreachable, if any."""
    lines = [line for line in log.splitlines() if _UNREACHABLE.search(line)]
    return lines[-1].strip() if lines else None
