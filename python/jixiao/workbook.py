"""Whole workbooks: detect each sheet's layout, read projects, write any layout."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from jixiao.errors import WorkbookError
from jixiao.files import read_sheets, write_sheets
from jixiao.grid import Grid
from jixiao.layouts import card, long, wide
from jixiao.layouts.base import SheetRead, TotalRow
from jixiao.layouts.headers import SOURCES_SHEET, SUMMARY_SHEET
from jixiao.model import Finding, Project
from jixiao.output import OutputSheet

Layout = Literal["wide", "long", "card"]
LAYOUTS: tuple[Layout, ...] = ("wide", "long", "card")


@dataclass
class WorkbookRead:
    path: str
    projects: list[Project] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    sheets: list[tuple[str, str]] = field(default_factory=list)  # (sheet, layout) read
    department: str = ""
    totals: list[TotalRow] = field(default_factory=list)

    @property
    def indicator_count(self) -> int:
        return sum(len(p.indicators) for p in self.projects)


def read_grid(grid: Grid) -> SheetRead | None:
    """Read one grid in whatever layout its headers show; ``None`` if it shows none."""
    header = wide.find_header(grid)
    if header is not None:
        return wide.read(grid, header)
    header = long.find_header(grid)
    if header is not None:
        return long.read(grid, header)
    titles = card.find_titles(grid)
    if titles:
        found = card.read(grid, titles)
        if found.projects:
            return found
    return None


def read_workbook(path: str | os.PathLike[str]) -> WorkbookRead:
    sheets = read_sheets(path)
    grids = sheets.grids
    result = WorkbookRead(path=str(path), findings=list(sheets.findings))
    project_sheets = []
    consolidated = any(g.sheet == SOURCES_SHEET for g in grids)
    for grid in grids:
        if consolidated and grid.sheet == SUMMARY_SHEET:
            continue
        header = long.find_project_header(grid)
        if header is not None:
            project_sheets.append((grid, header))
            continue
        found = read_grid(grid)
        if found is None:
            continue
        result.projects.extend(found.projects)
        result.findings.extend(found.findings)
        result.sheets.append((grid.sheet, found.layout))
        result.department = result.department or found.department
        result.totals.extend(found.totals)
    for grid, header in project_sheets:
        found = long.read_projects(grid, header, result.projects)
        result.findings.extend(found.findings)
        result.sheets.append((grid.sheet, found.layout))
    if not result.sheets:
        if sheets.findings:  # the table was in a sheet that could not be read: say why
            raise WorkbookError(f"{Path(path).name}：{sheets.findings[0].message}")
        names = "、".join(g.sheet for g in grids) or "（无）"
        raise WorkbookError(
            f"{Path(path).name} 中没有可识别的绩效目标表：工作表 {names} 都没有"
            "“项目名称（资金使用单位）…绩效指标”、“…三级指标…年度指标值”或“N.…绩效目标表”这样的表头"
        )
    return result


def layout_sheets(
    projects: Sequence[Project], layout: Layout, department: str = "", *, formulas: bool = False
) -> list[OutputSheet]:
    if layout == "wide":
        return [wide.write(projects, department, formulas=formulas)]
    if layout == "long":
        return long.write(projects)
    return [card.write(projects)]


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
    sheets = layout_sheets(projects, layout, department, formulas=formulas)
    return write_sheets(path, sheets, protect=protect)
