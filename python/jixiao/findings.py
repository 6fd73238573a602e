"""Declaring findings: each concern lists its codes once, with severity and Chinese text.

A ``FindingSpec`` is the stable contract of one kind of problem (its code never
changes once published); ``spec.at(location, **details)`` makes the ``Finding``,
formatting the message and hint templates with the details.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from jixiao.model import Finding, Severity, SourceLocation


@dataclass(frozen=True, slots=True)
class FindingSpec:
    code: str
    severity: Severity
    message: str  # str.format template over the details
    hint: str = ""

    def at(self, location: SourceLocation | None, **details: Any) -> Finding:
        return Finding(
            code=self.code,
            severity=self.severity,
            message=self.message.format(**details),
            hint=self.hint.format(**details),
            location=location,
            details=details,
        )


def has_error(findings: Iterable[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)
