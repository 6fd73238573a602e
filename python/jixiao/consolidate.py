"""Consolidate many department workbooks into one, knowing what came from where.

Every input project ends up in the output or in a finding: identical copies of one project
(same 项目编码, else unit + name) are merged with a note, differing copies are kept both
(or the first/last, on request) and reported as a conflict. A file that cannot be read is
reported and skipped. ``consolidate`` gathers; ``write_consolidation`` writes the workbook.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from openpyxl.utils.cell import coordinate_to_tuple, get_column_letter

from jixiao.files import READABLE, WorkbookError
from jixiao.findings import FindingSpec
from jixiao.model import Finding, Project, SourceLocation
from jixiao.validate import UNREADABLE, validate_workbook
from jixiao.workbook import WorkbookRead, read_workbook

OnConflict = Literal["keep-both", "first", "last"]
ON_CONFLICT: tuple[OnConflict, ...] = ("keep-both", "first", "last")

DUPLICATE = FindingSpec(
    "consolidate.duplicate",
    "info",
    "项目“{project}”在 {other} 中有完全相同的一份，已合并为一个",
    "无需处理；如不应重复报送，请通知报送单位",
)
CONFLICT = FindingSpec(
    "consolidate.conflict",
    "warning",
    "项目“{project}”与 {other} 中的同一项目内容不同（{difference}）；{kept}",
    "与报送单位核对，以正确的一份为准后重新汇总",
)
KEPT = {"keep-both": "两份都已保留", "first": "保留了先读到的一份", "last": "保留了后读到的一份"}


@dataclass
class Origin:
    """Where one output project came from."""

    file: str
    sheet: str
    cells: str  # A1 range the project occupies
    sha256: str
    note: str = ""


@dataclass
class FileReport:
    path: str
    status: Literal["ok", "failed"]
    error: str = ""
    projects: int = 0
    indicators: int = 0
    merged: int = 0  # identical copies of a project already read
    dropped: int = 0  # differing copies left out by --on-conflict first/last
    sha256: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "status": self.status,
            "error": self.error or None,
            "projects": self.projects,
            "indicators": self.indicators,
            "merged": self.merged,
            "dropped": self.dropped,
        }


@dataclass
class Consolidation:
    projects: list[Project] = field(default_factory=list)
    origins: list[Origin] = field(default_factory=list)  # one per output project
    files: list[FileReport] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    department: str = ""

    @property
    def indicator_count(self) -> int:
        return sum(len(p.indicators) for p in self.projects)

    def to_json(self) -> dict[str, Any]:
        return {
            "files": [f.to_json() for f in self.files],
            "projects": len(self.projects),
            "indicators": self.indicator_count,
            "conflicts": self.conflicts,
            "reconciliation": self.reconcile(),
        }

    def reconcile(self) -> dict[str, int | bool]:
        """Projects read = projects written + merged copies + dropped copies."""
        read = sum(f.projects for f in self.files)
        merged = sum(f.merged for f in self.files)
        dropped = sum(f.dropped for f in self.files)
        return {
            "read": read,
            "written": len(self.projects),
            "merged": merged,
            "dropped": dropped,
            "balanced": read == len(self.projects) + merged + dropped,
        }


def input_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Files as given, and the workbooks inside folders (recursively, in name order)."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file() and p.suffix.lower() in READABLE and not p.name.startswith("~$")
            )
        else:
            found.append(path)
    return found


def _key(project: Project) -> tuple[str, ...]:
    code = project.code.strip()
    return ("code", code) if code else ("name", project.unit.name.strip(), project.name.strip())


def _content(project: Project) -> dict[str, Any]:
    data = project.model_dump(exclude={"source", "cells", "packed"})
    for item in data["indicators"]:
        for key in ("source", "cells"):
            item.pop(key)
    for point in data["spending_plan"]:
        point.pop("source")
    return data


def _difference(a: dict[str, Any], b: dict[str, Any]) -> str:
    labels = {"amounts": "金额", "indicators": "指标", "goals": "绩效目标", "purpose": "资金用途"}
    differing = [labels.get(k, k) for k in a if a[k] != b.get(k)]
    return "、".join(differing) + "不同"


def _read(path: Path) -> tuple[WorkbookRead | None, str, str]:
    """(workbook or None, error, sha256); runs in worker processes too."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
    try:
        return read_workbook(path), "", digest
    except WorkbookError as error:
        return None, str(error), digest


def _reads(files: Sequence[Path], jobs: int) -> Iterator[tuple[WorkbookRead | None, str, str]]:
    if jobs <= 1 or len(files) < 2:
        yield from map(_read, files)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(_read, files, chunksize=8)


def consolidate(
    paths: Iterable[str | os.PathLike[str]],
    *,
    on_conflict: OnConflict = "keep-both",
    jobs: int = 1,
    progress: Callable[[Path], object] | None = None,
) -> Consolidation:
    files = input_files(paths)
    result = Consolidation()
    seen: dict[tuple[str, ...], int] = {}  # key -> index in result.projects
    contents: list[dict[str, Any]] = []
    for path, (workbook, error, digest) in zip(files, _reads(files, jobs), strict=True):
        if progress is not None:
            progress(path)
        report = FileReport(path=str(path), status="ok", sha256=digest)
        result.files.append(report)
        if workbook is None:
            report.status, report.error = "failed", error
            result.findings.append(UNREADABLE.at(SourceLocation(file=str(path)), reason=error))
            continue
        report.projects = len(workbook.projects)
        report.indicators = workbook.indicator_count
        result.department = result.department or workbook.department
        result.findings.extend(validate_workbook(workbook))
        for project in workbook.projects:
            _add(result, report, project, digest, on_conflict, seen, contents)
    return result


def _add(
    result: Consolidation,
    report: FileReport,
    project: Project,
    digest: str,
    on_conflict: OnConflict,
    seen: dict[tuple[str, ...], int],
    contents: list[dict[str, Any]],
) -> None:
    origin = Origin(
        file=report.path, sheet=_sheet(project), cells=cell_range(project), sha256=digest
    )
    key, content = _key(project), _content(project)
    _compact(project)
    index = seen.get(key)
    if index is None:
        seen[key] = len(result.projects)
        result.projects.append(project)
        result.origins.append(origin)
        contents.append(content)
        return
    first = result.origins[index]
    other = f"{Path(first.file).name} {first.sheet}!{first.cells}"
    where = project.source
    if content == contents[index]:
        report.merged += 1
        first.note = _join(first.note, f"与 {Path(report.path).name} 中的一份相同，已合并")
        result.findings.append(DUPLICATE.at(where, project=project.name, other=other))
        return
    difference = _difference(contents[index], content)
    result.findings.append(
        CONFLICT.at(
            where,
            project=project.name,
            other=other,
            difference=difference,
            kept=KEPT[on_conflict],
        )
    )
    result.conflicts.append(
        {
            "project": project.name,
            "code": project.code or None,
            "unit": project.unit.name,
            "first": {"file": first.file, "sheet": first.sheet, "cells": first.cells},
            "second": {"file": origin.file, "sheet": origin.sheet, "cells": origin.cells},
            "difference": difference,
            "kept": on_conflict,
        }
    )
    if on_conflict == "keep-both":
        first.note = _join(first.note, "内容冲突，两份都保留")
        origin.note = "内容冲突，两份都保留"
        result.projects.append(project)
        result.origins.append(origin)
        contents.append(content)
    elif on_conflict == "last":
        report.dropped += 1  # the earlier copy leaves, counted against this file's arrival
        origin.note = f"内容冲突，替换了 {other}"
        result.projects[index], result.origins[index], contents[index] = project, origin, content
    else:
        report.dropped += 1
        first.note = _join(first.note, f"内容冲突，未采用 {Path(report.path).name} 中的一份")


def _compact(project: Project) -> None:
    """Drop per-field cell locations once provenance is taken: a location per cell of
    every indicator is most of the memory of a thousand-file consolidation, and the
    findings already carry the cells they name."""
    project.cells = {}
    for item in project.indicators:
        item.cells = {}
    for point in project.spending_plan:
        point.source = None


def _join(note: str, more: str) -> str:
    return f"{note}；{more}" if note else more


def _sheet(project: Project) -> str:
    return (project.source.sheet if project.source else None) or ""


def cell_range(project: Project) -> str:
    """The A1 range spanned by the cells a project was read from, on its first sheet."""
    sheet = _sheet(project)
    places = [project.source, *project.cells.values()]
    for item in project.indicators:
        places.append(item.source)
        places.extend(item.cells.values())
    cells = [coordinate_to_tuple(p.cell) for p in places if p and p.cell and p.sheet == sheet]
    if not cells:
        return ""
    rows, columns = [r for r, _ in cells], [c for _, c in cells]
    top_left = f"{get_column_letter(min(columns))}{min(rows)}"
    bottom_right = f"{get_column_letter(max(columns))}{max(rows)}"
    return top_left if top_left == bottom_right else f"{top_left}:{bottom_right}"
