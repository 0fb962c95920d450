"""Readers of the tools' report files: one module per tool, each raising ReportError."""

from semaine.pipeline.parsers.errors import ReportError

__all__ = ["ReportError"]
