"""Consolidate many department workbooks into one, knowing what came from where.

Every input project ends up in the output or in a finding: identical copies of one project
(same 项目编码, else unit + name) are merged with a note, differing copies are kept both
(or the first/last, on request) and reported as a conflict. A file that cannot be read is
reported and skipped. ``consolidate`` gathers; ``write_consolidation`` writes the workbook.
"""

from __future__ import annotations

import hashlib
import os
import sys
import traceback
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from jixiao.errors import WorkbookError
from jixiao.files.guard import READABLE
from jixiao.files.paths import input_files, output_path, readable, same_file
from jixiao.findings import FindingSpec
from jixiao.grid import a1, position
from jixiao.model import DepartmentGoal, Finding, Project, SourceLocation
from jixiao.options import OnConflict
from jixiao.validate import UNREADABLE, validate_workbook
from jixiao.workbook import WorkbookRead, read_workbook

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
KEPT = {
    "keep-both": "两份都已保留，合计只计先读到的一份",
    "first": "保留了先读到的一份",
    "last": "保留了后读到的一份",
}


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
    departments: list[str] = field(default_factory=list)  # one per file read, in order, distinct
    # each file's 部门整体 goals, with its department (or file) name: they belong to no project
    department_goals: list[tuple[str, list[DepartmentGoal]]] = field(default_factory=list)
    # positions in ``projects`` of the second copies kept by keep-both: printed, not summed
    uncounted: set[int] = field(default_factory=set)

    @property
    def department(self) -> str:
        """The 部门名称 of the summary: the one department, or how many were merged."""
        if len(self.departments) <= 1:
            return "".join(self.departments)
        named = "、".join(self.departments[:3]) + ("等" if len(self.departments) > 3 else "")
        return f"{len(self.departments)} 个部门汇总（{named}）"

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
            "errors": self.count("error"),
            "warnings": self.count("warning"),
            "findings": [f.model_dump(mode="json", exclude_defaults=True) for f in self.findings],
        }

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

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


OUTPUT_PROPERTY = "jixiao"  # custom document property marking a consolidated workbook
OUTPUT_MARK = "consolidation"


def consolidation_inputs(
    paths: Sequence[str | os.PathLike[str]],
    output: str | os.PathLike[str],
    skipped: list[Path] | None = None,
    *,
    folder_output: bool = False,
) -> list[Path]:
    """The files to read, once the output is known to overwrite none of them (an output
    folder of tables, ``folder_output``, is checked by its writer).

    An input named as the output is refused before anything is read. The output found
    inside an input folder is left out only when it is an earlier consolidation (its
    document property says so); a department's workbook there is refused like any input.
    Any other earlier consolidation found in a folder is left out too and added to
    ``skipped`` (it would count every department again); named as a file, it is read, so
    that a province can consolidate its cities' consolidations.
    """
    if not folder_output:  # before anything is read
        output_path(output, [p for p in paths if not Path(p).is_dir()])
    named = {_identity_of(p) for p in paths if not Path(p).is_dir()}
    files = []
    for path in input_files(paths):
        # only a regular file is opened to ask: a pipe named like a workbook would block
        if _identity_of(path) not in named and path.is_file() and is_consolidation(path):
            if not same_file(path, output) and skipped is not None:
                skipped.append(path)
            continue
        if same_file(path, output):
            if not is_consolidation(path):
                raise WorkbookError(
                    f"输出文件 {output} 是输入文件夹中的一个工作簿，且不是之前汇总生成的；"
                    "为保护原文件，不会覆盖它，请换一个输出文件名或位置"
                )
            continue  # an earlier run's output: replaced, never read as an input
        files.append(path)
    if not files:
        raise WorkbookError("没有找到可汇总的工作簿（支持 " + "、".join(READABLE) + "）")
    return files


def _identity_of(path: str | os.PathLike[str]) -> str:
    return str(Path(path).resolve())


def is_consolidation(path: Path) -> bool:
    """Whether a workbook was written by ``write_consolidation`` (its custom property)."""
    try:
        with zipfile.ZipFile(path) as archive:
            custom = archive.read("docProps/custom.xml")[:65536]
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    return f'name="{OUTPUT_PROPERTY}"'.encode() in custom and OUTPUT_MARK.encode() in custom


def _key(project: Project, file: str) -> tuple[str, ...]:
    """A project's identity: its 项目编码, else its unit and name, else its file and name.

    Without a unit, two departments' files may well hold projects of the same name
    (办公经费); only a unit or a code can say they are one project.
    """
    code = project.code.strip()
    if code:
        return ("code", code)
    unit = project.unit.name.strip()
    if unit:
        return ("name", unit, project.name.strip())
    return ("file", file, project.name.strip())


def _content(project: Project) -> dict[str, Any]:
    data = project.model_dump(exclude={"source", "cells", "packed"})
    for item in data["indicators"]:
        for key in ("source", "cells"):
            item.pop(key)
    for point in data["spending_plan"]:
        point.pop("source")
    return data


DIFFERENCE_LABELS = {
    "unit": "单位",
    "code": "项目编码",
    "name": "项目名称",
    "amounts": "金额",
    "purpose": "资金用途",
    "goals": "绩效目标",
    "spending_plan": "资金支出计划",
    "indicators": "指标",
}


def _difference(a: dict[str, Any], b: dict[str, Any]) -> str:
    differing = [DIFFERENCE_LABELS.get(k, k) for k in a if a[k] != b.get(k)]
    return "、".join(differing) + "不同"


def _sha256(path: Path) -> str:
    """The file's digest, read in 1 MB pieces: a 3 GB file named .xlsx must not cost 3 GB."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as stream:
            for block in iter(lambda: stream.read(2**20), b""):
                digest.update(block)
    except OSError:
        return ""
    return digest.hexdigest()


def _read(path: Path) -> tuple[WorkbookRead | None, str, str]:
    """(workbook or None, error, sha256); runs in worker processes too."""
    digest = _sha256(path) if path.is_file() else ""
    try:
        return read_workbook(path), "", digest
    except WorkbookError as error:
        return None, str(error), digest
    except Exception as error:  # a defect of ours on one file must not stop the others
        traceback.print_exc(file=sys.stderr)
        return (
            None,
            UNEXPECTED.format(name=readable(path.name), error=f"{type(error).__name__}: {error}"),
            digest,
        )


UNEXPECTED = "{name} 读取时出现意外错误（{error}）；其他文件照常汇总。请把这个文件发给系统管理员"


def _reads(files: Sequence[Path], jobs: int) -> Iterator[tuple[WorkbookRead | None, str, str]]:
    if jobs <= 1 or len(files) < 2:
        yield from map(_read, files)
        return
    try:
        pool = ProcessPoolExecutor(max_workers=jobs)
    except (NotImplementedError, OSError, ImportError):  # Pyodide: no processes, one it is
        yield from map(_read, files)
        return
    with pool:
        yield from pool.map(_read, files, chunksize=8)


def consolidate(
    paths: Iterable[str | os.PathLike[str]],
    *,
    on_conflict: OnConflict = "keep-both",
    jobs: int = 1,
    progress: Callable[[Path], object] | None = None,
    checks: bool = True,
) -> Consolidation:
    """Every project of the workbooks (files or folders), merged; ``checks=False`` skips
    validating each input when only the projects are wanted (comparison)."""
    files = input_files(paths)

    def reads() -> Iterator[tuple[str, WorkbookRead | None, str, str]]:
        for path, (workbook, error, digest) in zip(files, _reads(files, jobs), strict=True):
            if progress is not None:
                progress(path)
            yield readable(path), workbook, error, digest

    return consolidate_reads(reads(), on_conflict=on_conflict, checks=checks)


def consolidate_reads(
    reads: Iterable[tuple[str, WorkbookRead | None, str, str]],
    *,
    on_conflict: OnConflict = "keep-both",
    checks: bool = True,
) -> Consolidation:
    """Merge workbooks already read: (where from, the read or None, why not, SHA-256).

    ``consolidate`` feeds it files; the Excel action 汇总本工作簿 feeds it the sheets of the
    open workbook, each as one department.
    """
    result = Consolidation()
    seen: dict[tuple[str, ...], int] = {}  # key -> index in result.projects
    for path, workbook, error, digest in reads:
        report = FileReport(path=path, status="ok", sha256=digest)
        result.files.append(report)
        if workbook is None:
            report.status, report.error = "failed", error
            result.findings.append(UNREADABLE.at(SourceLocation(file=path), reason=error))
            continue
        report.projects = len(workbook.projects)
        report.indicators = workbook.indicator_count
        department = workbook.department or _single_unit(workbook)
        if department and department not in result.departments:
            result.departments.append(department)
        if workbook.department_goals:
            owner = department or Path(path).stem
            result.department_goals.append((owner, workbook.department_goals))
        if checks:
            result.findings.extend(validate_workbook(workbook))
        for project in workbook.projects:
            _add(result, report, project, digest, on_conflict, seen)
    return result


def _single_unit(workbook: WorkbookRead) -> str:
    """A workbook without a 部门名称 line belongs to its unit when it holds only one."""
    units = {p.unit.name for p in workbook.projects if p.unit.name}
    return units.pop() if len(units) == 1 else ""


def _add(
    result: Consolidation,
    report: FileReport,
    project: Project,
    digest: str,
    on_conflict: OnConflict,
    seen: dict[tuple[str, ...], int],
) -> None:
    origin = Origin(
        file=report.path, sheet=_sheet(project), cells=cell_range(project), sha256=digest
    )
    key = _key(project, report.path)
    _compact(project)
    index = seen.get(key)
    if index is None:
        seen[key] = len(result.projects)
        result.projects.append(project)
        result.origins.append(origin)
        return
    # Contents are compared only when a key comes again, from the projects themselves
    # (compacting drops nothing they compare): a copy of every project's content, kept
    # in case, was as large as the projects.
    content, earlier = _content(project), _content(result.projects[index])
    first = result.origins[index]
    other = f"{Path(first.file).name} {first.sheet}!{first.cells}"
    where = project.source
    if content == earlier:
        report.merged += 1
        first.note = _join(first.note, f"与 {Path(report.path).name} 中的一份相同，已合并")
        result.findings.append(DUPLICATE.at(where, project=project.name, other=other))
        return
    difference = _difference(earlier, content)
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
            "counted": "first" if on_conflict != "last" else "second",
        }
    )
    if on_conflict == "keep-both":
        first.note = _join(first.note, "内容冲突，两份都保留；这一份计入合计")
        origin.note = f"内容冲突，两份都保留；这一份不计入合计（已计入 {other}）"
        result.uncounted.add(len(result.projects))
        result.projects.append(project)
        result.origins.append(origin)
    elif on_conflict == "last":
        report.dropped += 1  # the earlier copy leaves, counted against this file's arrival
        origin.note = f"内容冲突，替换了 {other}"
        result.projects[index], result.origins[index] = project, origin
    else:
        report.dropped += 1
        first.note = _join(first.note, f"内容冲突，未采用 {Path(report.path).name} 中的一份")


_KEPT_CELLS = frozenset(
    ("total", "fiscal", "special_account", "other", "code", "project_code", "goals", "name")
)


def _compact(project: Project) -> None:
    """Drop per-field cell locations once provenance is taken: a location per cell of
    every indicator is most of the memory of a thousand-file consolidation, and the
    findings already carry the cells they name."""
    # the few project cells a comparison links to (总计, 编码, 目标) are kept
    project.cells = {k: v for k, v in project.cells.items() if k in _KEPT_CELLS}
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
    # each distinct cell once: a packed cell is the source of every indicator in it
    cells = [position(c) for c in {p.cell for p in places if p and p.cell and p.sheet == sheet}]
    if not cells:
        return ""
    rows, columns = [r for r, _ in cells], [c for _, c in cells]
    top_left, bottom_right = a1(min(rows), min(columns)), a1(max(rows), max(columns))
    return top_left if top_left == bottom_right else f"{top_left}:{bottom_right}"
