"""Whole workbooks: detect each sheet's layout, read projects, write any layout."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from jixiao import prose
from jixiao.errors import WorkbookError
from jixiao.files.paths import readable
from jixiao.files.read import read_sheets
from jixiao.files.write import write_sheets
from jixiao.grid import CellValue, Grid, position
from jixiao.layouts import long
from jixiao.layouts.base import TotalRow
from jixiao.layouts.headers import COMPARISON_SHEETS, SOURCES_SHEET, SUMMARY_SHEET
from jixiao.layouts.registry import WRITERS, read_grid
from jixiao.model import DepartmentGoal, Finding, Project
from jixiao.options import Layout
from jixiao.output import OVERFLOW_SHEET, OutputSheet


@dataclass
class WorkbookRead:
    path: str
    projects: list[Project] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    sheets: list[tuple[str, str]] = field(default_factory=list)  # (sheet, layout) read
    department: str = ""
    totals: list[TotalRow] = field(default_factory=list)
    department_goals: list[DepartmentGoal] = field(default_factory=list)  # 部门整体
    # sheets holding no table (a 说明, a clerk's notes), when asked for: what a rewrite of the
    # workbook must carry over, as nothing of them is in the projects
    other_sheets: list[Grid] = field(default_factory=list)

    @property
    def indicator_count(self) -> int:
        return sum(len(p.indicators) for p in self.projects)


def read_workbook(path: str | os.PathLike[str], *, keep_other_sheets: bool = False) -> WorkbookRead:
    """The projects of every table in the workbook; ``keep_other_sheets`` keeps the grids of
    sheets without one too (for a rewrite of the whole workbook; a consolidation of a
    thousand files has no use for their 附件 sheets)."""
    sheets = read_sheets(path)
    grids = restore_overflow(sheets.grids)
    for grid in grids:  # ours alone, dropped once read (see Grid.transient)
        grid.transient = True
    result = WorkbookRead(path=readable(path), findings=list(sheets.findings))
    project_sheets = []
    if {g.sheet for g in grids} >= COMPARISON_SHEETS:  # an earlier run's output in the folder
        raise WorkbookError(
            f"{readable(Path(path).name)} 是 jixiao 生成的对比结果（对比、项目对比），"
            "不是绩效目标表，未读取"
        )
    consolidated = any(g.sheet == SOURCES_SHEET for g in grids)
    for grid in grids:
        if consolidated and grid.sheet == SUMMARY_SHEET:
            continue
        header = long.find_project_header(grid)
        if header is not None:
            project_sheets.append((grid, header))
            continue
        found = read_grid(grid)
        if found is None and prose.has_department_section(grid):
            goals, problems = prose.read_department(grid)
            if goals:
                result.department_goals.extend(goals)
                result.findings.extend(problems)
                result.sheets.append((grid.sheet, "department"))
                continue
        if found is None:
            if keep_other_sheets:
                result.other_sheets.append(grid)
            continue
        result.projects.extend(found.projects)
        result.department_goals.extend(found.department_goals)
        result.findings.extend(found.findings)
        result.sheets.append((grid.sheet, found.layout))
        result.department = result.department or found.department
        result.totals.extend(found.totals)
    for grid, header in project_sheets:
        found = long.read_projects(grid, header, result.projects)
        result.findings.extend(found.findings)
        result.sheets.append((grid.sheet, found.layout))
    _join_overflow(result)
    if not result.sheets:
        if sheets.findings:  # the table was in a sheet that could not be read: say why
            raise WorkbookError(f"{readable(Path(path).name)}：{sheets.findings[0].message}")
        name = readable(Path(path).name)
        if not grids:
            names = "、".join(f"“{s}”" for s in sheets.sheet_names)
            raise WorkbookError(f"{name} 是空的：工作表{names}中没有任何内容")
        empty = [f"“{s}”" for s in sheets.sheet_names if s not in {g.sheet for g in grids}]
        note = f"（工作表{'、'.join(empty)}是空的）" if empty else ""
        read = "、".join(f"“{g.sheet}”" for g in grids)
        raise WorkbookError(
            f"{name} 中没有可识别的绩效目标表：工作表{read}都没有"
            "“项目名称（资金使用单位）…绩效指标”、“…三级指标…年度指标值”、“N.…绩效目标表”"
            "或“长期绩效指标…年度绩效指标”"
            f"这样的表头{note}"
        )
    return result


def _join_overflow(result: WorkbookRead) -> None:
    """A wide row whose packed string was too long for its cell says so, and its indicators
    are on 指标明细 as the project's own rows: one project, not two."""
    from jixiao.layouts.wide import OVERFLOW_NOTE

    noted = [p for p in result.projects if p.packed and OVERFLOW_NOTE.match(p.packed)]
    if not noted:
        return
    by_key = {(p.unit.name, p.name): p for p in result.projects if p not in noted}
    for project in noted:
        rows = by_key.get((project.unit.name, project.name))
        if rows is None:
            continue
        project.indicators = rows.indicators
        project.packed = None
        result.projects.remove(rows)


def restore_overflow(grids: list[Grid]) -> list[Grid]:
    """Put text that was too long for its cell back whole, from the overflow sheet we wrote."""
    overflow = next((g for g in grids if g.sheet == OVERFLOW_SHEET), None)
    if overflow is None:
        return grids
    by_name = {g.sheet: g for g in grids}
    for row in range(1, overflow.n_rows):
        sheet, cell = overflow.text(row, 0), overflow.text(row, 1)
        grid = by_name.get(sheet)
        if grid is None or not cell:
            continue
        parts = (overflow.value(row, c) for c in range(3, overflow.n_cols))
        text = "".join(p for p in parts if isinstance(p, str))  # raw: spaces at cuts kept
        r, c = position(cell)
        r, c = r - grid.origin[0], c - grid.origin[1]
        if 0 <= r < grid.n_rows and 0 <= c < len(grid.values[r]):
            grid.values[r][c] = text
    return [g for g in grids if g is not overflow]


def sheet_as_is(grid: Grid, name: str | None = None) -> OutputSheet:
    """A sheet's values at the cells they were in, merges included (formats and formulas
    are not read from a file: what is carried is what a reader sees)."""
    top, left = grid.origin
    rows: list[list[CellValue]] = [[] for _ in range(top)]
    rows += [[None] * left + list(row) for row in grid.values]
    merges = [(r1 + top, c1 + left, r2 + top, c2 + left) for r1, c1, r2, c2 in grid.merged]
    return OutputSheet(name=name or grid.sheet, rows=rows, merges=merges)


def layout_sheets(
    projects: Sequence[Project],
    layout: Layout,
    department: str = "",
    *,
    formulas: bool = False,
    department_goals: Sequence[DepartmentGoal] = (),
) -> list[OutputSheet]:
    """The sheets of a layout, and 部门整体 after them when the department's own goals are
    known (they belong to no project, so only a sheet of their own keeps them)."""
    sheets = WRITERS[layout](projects, department, formulas)
    if department_goals:
        sheets.append(prose.department_sheet([(department, list(department_goals))]))
    return sheets


def write_workbook(
    path: str | os.PathLike[str],
    projects: Sequence[Project],
    layout: Layout,
    *,
    department: str = "",
    protect: tuple[str | os.PathLike[str], ...] = (),
    formulas: bool = False,
) -> Path:
    """Write the projects in one layout; ``formulas``: live totals in the wide layout."""
    return write_sheets(
        path, layout_sheets(projects, layout, department, formulas=formulas), protect=protect
    )
