"""The consolidated workbook: 项目汇总, 指标明细, 项目信息, 来源, 校验结果, 统计 (with a chart)."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from jixiao import framework, prose
from jixiao.consolidate import OUTPUT_MARK, OUTPUT_PROPERTY, Consolidation
from jixiao.files.write import write_sheets
from jixiao.grid import CellValue
from jixiao.layouts import long, wide
from jixiao.layouts.base import amount_value
from jixiao.layouts.headers import SOURCES_SHEET, STATISTICS_SHEET, SUMMARY_SHEET
from jixiao.model import Project
from jixiao.output import OVERFLOW_SHEET, PRINTED_TABLE, BarChart, OutputSheet, fit_cells
from jixiao.textwidth import approximate_width
from jixiao.validate import REPORT_SHEET, WIDTHS, report_rows

SOURCE_HEADERS = (
    "单位名称", "项目编码", "项目名称", "文件", "工作表", "单元格范围", "文件 SHA-256", "指标数",
    "备注",
)  # fmt: skip
BUDGET_HEADERS = ("单位名称", "项目数", "总计", "财政拨款", "财政专户拨款", "其他资金")
CLASS_HEADERS = ("一级指标", "二级指标", "指标数")


def write_consolidation(
    result: Consolidation,
    output: str | os.PathLike[str],
    *,
    protect: Sequence[str | os.PathLike[str]] = (),
) -> Path:
    return write_sheets(
        output,
        consolidation_sheets(result),
        protect=protect,
        properties={OUTPUT_PROPERTY: OUTPUT_MARK},
        fast_zip=True,  # the largest file the tool writes; a quarter larger, written sooner
    )


def consolidation_sheets(result: Consolidation) -> list[OutputSheet]:
    """The six sheets (and 超长文本 when text was too long), for a file or an open workbook."""
    summary = dataclasses.replace(
        wide.write(result.projects, result.department, uncounted=result.uncounted),
        name=SUMMARY_SHEET,
    )
    data = fit_cells([summary, *long.write(result.projects), _sources(result)])
    result.findings.extend(f for sheet in data for f in sheet.findings)  # before 校验结果 is made
    overflow = [s for s in data if s.name == OVERFLOW_SHEET]
    data = [s for s in data if s.name != OVERFLOW_SHEET]
    department = (
        [prose.department_sheet(result.department_goals)] if result.department_goals else []
    )
    return [*data, *department, _findings(result), _statistics(result), *overflow]


def _sources(result: Consolidation) -> OutputSheet:
    rows: list[list[CellValue]] = [list(SOURCE_HEADERS)]
    for project, origin in zip(result.projects, result.origins, strict=True):
        rows.append([
            project.unit.name, project.code, project.name, origin.file, origin.sheet,
            origin.cells, origin.sha256, len(project.indicators), origin.note,
        ])  # fmt: skip
    return OutputSheet(
        name=SOURCES_SHEET,
        rows=rows,
        column_widths={0: 22, 1: 22, 2: 30, 3: 40, 4: 16, 5: 12, 6: 20, 7: 8, 8: 40},
        header_rows=[0],
        bordered_rows=(0, len(rows) - 1),
        freeze="A2",
        autofilter=True,
        **PRINTED_TABLE,
    )


def _findings(result: Consolidation) -> OutputSheet:
    rows: list[list[CellValue]] = [list(r) for r in report_rows(result.findings)]
    widths: dict[int, float] = dict(enumerate(WIDTHS))
    names = [str(r[1]) for r in rows[1:]]  # file names are printed whole, never cut
    widths[1] = max(widths[1], min(60, max((approximate_width(n) + 2 for n in names), default=0)))
    return OutputSheet(
        name=REPORT_SHEET,
        rows=rows,
        column_widths=widths,
        header_rows=[0],
        bordered_rows=(0, len(rows) - 1),
        freeze="A2",
        autofilter=True,
        **PRINTED_TABLE,
    )


def _statistics(result: Consolidation) -> OutputSheet:
    """Budget by unit and indicators by 一级/二级, side by side; the budget rows feed the chart."""
    counted = [p for i, p in enumerate(result.projects) if i not in result.uncounted]
    left: list[list[CellValue]] = [list(BUDGET_HEADERS), *_budget_rows(counted)]
    right: list[list[CellValue]] = [list(CLASS_HEADERS), *_class_rows(result.projects)]
    rows: list[list[CellValue]] = []
    for index in range(max(len(left), len(right))):
        a = left[index] if index < len(left) else [None] * len(BUDGET_HEADERS)
        b = right[index] if index < len(right) else [None] * len(CLASS_HEADERS)
        rows.append([*a, None, *b])
    charts, breaks = [], []
    if len(left) > 1:  # below the budget table, on a page of its own when the tables are long
        chart = BarChart("各单位预算（万元）", 0, 2, 0, len(left) - 1, f"A{len(left) + 3}")
        charts.append(chart)
        if len(left) + 2 + chart.height // 20 > CHART_PAGE_ROWS:
            breaks.append(len(left) + 2)
    return OutputSheet(
        name=STATISTICS_SHEET,
        rows=rows,
        column_widths={0: 24, 1: 8, 2: 12, 3: 12, 4: 12, 5: 12, 7: 14, 8: 18},
        header_rows=[0],
        number_format_columns={c: "#,##0.00" for c in range(2, 6)},
        wrap=False,
        charts=charts,
        page_breaks=breaks,
        fit_to_width=True,
        landscape=True,
    )


CHART_PAGE_ROWS = 30  # rows of 20 px that fit on a landscape A4 page at the usual scale


AMOUNT_FIELDS = ("total", "fiscal", "special_account", "other")


def _budget_rows(projects: Sequence[Project]) -> list[list[CellValue]]:
    """Per unit, in order of appearance: project count and sums of the amounts given.

    An amount no project of the unit gives stays blank, as in 项目汇总: blank means not
    given, 0 means given as zero.
    """
    units: dict[str, list[Decimal | None]] = {}
    counts: dict[str, int] = {}
    for project in projects:
        unit = project.unit.name or "（未填单位）"
        sums = units.setdefault(unit, [None] * len(AMOUNT_FIELDS))
        counts[unit] = counts.get(unit, 0) + 1
        for index, name in enumerate(AMOUNT_FIELDS):
            value = getattr(project.amounts, name)
            if value is not None:
                sums[index] = (sums[index] or Decimal(0)) + value
    return [[unit, counts[unit], *map(amount_value, sums)] for unit, sums in units.items()]


def _class_rows(projects: Sequence[Project]) -> list[list[CellValue]]:
    """Indicators per (一级, 二级) under the framework's canonical names, in its order.

    ``社会效益`` and ``社会效益指标`` are one class; names the framework does not know are
    counted as written, after the known ones, in order of appearance.
    """
    counts: dict[tuple[str, str], int] = {}
    order: dict[tuple[str, str], tuple[int, int, int, int]] = {}
    for item in (i for p in projects for i in p.indicators):
        l1, l2, rank = framework.canonical_class(item.l1 or "（未填）", item.l2 or "（未填）")
        counts[(l1, l2)] = counts.get((l1, l2), 0) + 1
        order.setdefault((l1, l2), (*rank, len(order)))
    return [[l1, l2, counts[(l1, l2)]] for l1, l2 in sorted(counts, key=order.__getitem__)]
