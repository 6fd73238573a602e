"""Validate workbooks: read them, run the checks, and report data first (JSON), text second."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jixiao import framework
from jixiao.bulk import paused_gc
from jixiao.checks import run_checks
from jixiao.errors import WorkbookError
from jixiao.files.paths import readable
from jixiao.findings import FindingSpec
from jixiao.model import Finding, SourceLocation
from jixiao.workbook import WorkbookRead, read_workbook

UNREADABLE = FindingSpec(
    "workbook.unreadable", "error", "{reason}", "检查文件是否完整、未加密，并含有绩效目标表"
)
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}
SUMMARY_LINE = (
    "共 {files} 个文件、{projects} 个项目、{indicators} 条指标："
    "{errors} 个错误，{warnings} 个警告，{info} 个提示"
)
ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass
class Validation:
    findings: list[Finding] = field(default_factory=list)
    workbooks: list[WorkbookRead] = field(default_factory=list)
    files: int = 0

    @property
    def has_errors(self) -> bool:
        return any(f.severity == "error" for f in self.findings)

    def to_json(self) -> dict[str, Any]:
        counts = Counter(f.severity for f in self.findings)
        return {
            "findings": [finding_json(f) for f in self.findings],
            "summary": {
                "files": self.files,
                "projects": sum(len(w.projects) for w in self.workbooks),
                "indicators": sum(w.indicator_count for w in self.workbooks),
                "errors": counts["error"],
                "warnings": counts["warning"],
                "info": counts["info"],
                "by_code": dict(sorted(Counter(f.code for f in self.findings).items())),
            },
        }


def finding_json(finding: Finding) -> dict[str, Any]:
    where = finding.location or SourceLocation()
    return {
        "code": finding.code,
        "severity": finding.severity,
        "file": where.file,
        "sheet": where.sheet,
        "cell": where.cell,
        "message": finding.message,
        "hint": finding.hint,
    }


def profile_for(workbook: WorkbookRead, name: str | None) -> framework.Profile:
    if name:
        return framework.profile(name)
    items = [i for p in workbook.projects for i in p.indicators]
    items += [i for g in workbook.department_goals for i in g.indicators]
    return framework.detect_profile((i.l1 for i in items), (i.l2 for i in items))


def validate_workbook(workbook: WorkbookRead, profile: str | None = None) -> list[Finding]:
    with paused_gc():  # tens of thousands of findings on a large workbook, none cyclic
        findings = list(workbook.findings) + run_checks(workbook, profile_for(workbook, profile))
        return sorted(findings, key=_order)


def validate_files(
    paths: Iterable[str | os.PathLike[str]], profile: str | None = None
) -> Validation:
    result = Validation()
    for path in paths:
        result.files += 1
        try:
            workbook = read_workbook(path)
        except WorkbookError as error:
            where = SourceLocation(file=readable(path))
            result.findings.append(UNREADABLE.at(where, reason=str(error)))
            continue
        result.workbooks.append(workbook)
        result.findings.extend(validate_workbook(workbook, profile))
    return result


def _order(finding: Finding) -> tuple[int, str, str, int, int]:
    where = finding.location or SourceLocation()
    cell = where.cell or ""
    letters = cell.rstrip("0123456789")
    row = int(cell[len(letters) :] or 0)
    return (ORDER[finding.severity], where.file or "", where.sheet or "", row, where.offset or 0)


def finding_line(finding: Finding) -> str:
    """One finding for a terminal: severity, file sheet!cell, message (hint) [code]."""
    where = finding.location or SourceLocation()
    place = Path(where.file).name if where.file else ""
    if where.sheet:
        place += f" {where.sheet}!{where.cell}" if where.cell else f" {where.sheet}"
    hint = f"（{finding.hint}）" if finding.hint else ""
    label = SEVERITY_LABELS[finding.severity]
    return f"{label} {place}：{finding.message}{hint} [{finding.code}]"


def render_text(validation: Validation) -> str:
    """The report for a terminal: one line per finding, then a summary line."""
    lines = [finding_line(finding) for finding in validation.findings]
    summary = validation.to_json()["summary"]
    lines.append(SUMMARY_LINE.format(**summary))
    return "\n".join(lines)


REPORT_SHEET = "校验结果"
REPORT_HEADERS = ("严重程度", "文件", "工作表", "单元格", "问题", "处理建议", "代码")
WIDTHS = (8, 18, 14, 8, 60, 40, 20)


def _file_names(files: list[str]) -> dict[str, str]:
    """Each file as the report names it: its name, or where two files share a name (two
    departments' 绩效目标表.xlsx in their own folders) its path below their common folder."""
    distinct = set(files)
    names = Counter(Path(f).name for f in distinct)
    clashing = [f for f in distinct if names[Path(f).name] > 1]
    try:
        common = os.path.commonpath(clashing) if len(clashing) > 1 else ""
    except ValueError:  # absolute and relative paths mixed, or several drives
        common = ""
    return {
        f: (os.path.relpath(f, common) if common else f) if f in clashing else Path(f).name
        for f in distinct
    }


def report_rows(findings: list[Finding]) -> list[list[str]]:
    """The 校验结果 table as values, shared by the file report and the Excel add-in."""
    rows = [list(REPORT_HEADERS)]
    shown = _file_names([f.location.file for f in findings if f.location and f.location.file])
    for finding in findings:
        where = finding.location or SourceLocation()
        rows.append(
            [
                SEVERITY_LABELS[finding.severity],
                shown.get(where.file, "") if where.file else "",
                where.sheet or "",
                where.cell or "",
                finding.message,
                finding.hint,
                finding.code,
            ]
        )
    return rows
