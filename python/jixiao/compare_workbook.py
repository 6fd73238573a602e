"""The comparison as a workbook: 对比 (one row per change, old and new side by side, linked
to their cells), 项目对比 (money and target movement per project) and 审核提示 (findings)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from jixiao.compare import DIRECTIONS, KINDS, STRONGER, WEAKER, Change, Comparison
from jixiao.files.write import write_sheets
from jixiao.grid import CellValue
from jixiao.model import SourceLocation
from jixiao.output import PRINTED_TABLE, Formula, OutputSheet
from jixiao.validate import WIDTHS, report_rows

RED, GREEN = "#FFC7CE", "#C6EFCE"
CHANGE_HEADERS = (
    "单位", "项目", "变化", "一级指标", "二级指标", "三级指标", "内容", "旧值", "新值", "方向",
    "变化量", "变化率", "旧位置", "新位置",
)  # fmt: skip
PROJECT_HEADERS = (
    "单位", "旧项目名称", "新项目名称", "匹配方式", "旧总计", "新总计", "增减", "增减率",
    "降低或放宽", "提高或收紧", "新增指标", "删除指标", "其他变化",
)  # fmt: skip
FINDINGS_SHEET = "审核提示"
CHANGES_SHEET = "对比"
PROJECTS_SHEET = "项目对比"


def write_comparison(
    comparison: Comparison,
    output: str | os.PathLike[str],
    *,
    protect: Sequence[str | os.PathLike[str]] = (),
) -> Path:
    folder = Path(output).resolve().parent
    return write_sheets(output, comparison_sheets(comparison, folder), protect=protect)


def comparison_sheets(comparison: Comparison, folder: Path | None = None) -> list[OutputSheet]:
    """The three sheets; ``folder``: where the output goes, so that links to the compared
    files are relative to it and still work when the folders are e-mailed or moved together."""
    return [_changes(comparison, folder), _projects(comparison), _findings(comparison)]


def _color(change: Change) -> str:
    if change.kind in ("indicator_removed", "project_removed") or change.direction in WEAKER:
        return RED
    if change.direction in STRONGER:
        return GREEN
    return ""


# Excel allows a string of at most 255 characters in a formula
FORMULA_STRING = 255


def _link(where: SourceLocation | None, folder: Path | None = None) -> CellValue:
    """A link to the cell in its file, by a path relative to the output's ``folder`` (an
    absolute file:/// address breaks once the folders are moved or e-mailed); plain text
    where the link would pass what a formula's string may hold."""
    if where is None or not where.cell:
        return None
    label = f"{where.sheet}!{where.cell}" if where.sheet else where.cell
    if not where.file or not where.sheet:
        return label
    sheet = where.sheet.replace("'", "''")
    path = Path(where.file)
    text = f"{path.name} {label}"
    if not path.exists():
        return text
    try:
        address = os.path.relpath(path.resolve(), folder) if folder else str(path.resolve())
    except ValueError:  # another drive: only an absolute path reaches it
        address = str(path.resolve())
    target = f"{address}#'{sheet}'!{where.cell}".replace('"', "%22")
    if len(target) > FORMULA_STRING or len(text) > FORMULA_STRING:
        return text
    return Formula(f'=HYPERLINK("{target}","{text.replace(chr(34), chr(34) * 2)}")')


def _changes(comparison: Comparison, folder: Path | None = None) -> OutputSheet:
    rows: list[list[CellValue]] = [list(CHANGE_HEADERS)]
    colors: dict[int, str] = {}
    for change in comparison.changes:
        percent = f"{change.percent:+.1%}" if change.percent is not None else None
        rows.append([
            change.unit, change.project, KINDS[change.kind], change.l1, change.l2,
            change.indicator, change.field, change.old, change.new,
            DIRECTIONS.get(change.direction, ""),
            float(change.delta) if change.delta is not None else None, percent,
            _link(change.old_where, folder), _link(change.new_where, folder),
        ])  # fmt: skip
        color = _color(change)
        if color:
            colors[len(rows) - 1] = color
    if len(rows) == 1:
        rows.append(["两个版本没有差别", *[None] * (len(CHANGE_HEADERS) - 1)])
    return OutputSheet(
        name=CHANGES_SHEET,
        rows=rows,
        column_widths=dict(enumerate((18, 28, 12, 10, 14, 24, 14, 24, 24, 8, 10, 8, 24, 24))),
        header_rows=[0],
        bordered_rows=(0, len(rows) - 1),
        number_format_columns={10: "#,##0.00"},
        freeze="C2",
        autofilter=True,
        row_colors=colors,
        **PRINTED_TABLE,
    )


def _projects(comparison: Comparison) -> OutputSheet:
    rows: list[list[CellValue]] = [list(PROJECT_HEADERS)]
    colors: dict[int, str] = {}
    for match in comparison.matches:
        old_total = match.old.amounts.total if match.old else None
        new_total = match.new.amounts.total if match.new else None
        delta = (new_total or 0) - (old_total or 0) if (old_total or new_total) else None
        percent = f"{delta / old_total:+.1%}" if delta is not None and old_total else None
        counts = {"weaker": 0, "stronger": 0, "added": 0, "removed": 0, "other": 0}
        for change in match.changes:
            if change.kind == "indicator_added":
                counts["added"] += 1
            elif change.kind == "indicator_removed":
                counts["removed"] += 1
            elif change.direction in WEAKER:
                counts["weaker"] += 1
            elif change.direction in STRONGER:
                counts["stronger"] += 1
            else:
                counts["other"] += 1
        rule = match.rule or ("新增项目" if match.old is None else "删除项目")
        rows.append([
            match.unit,
            match.old.name if match.old else None,
            match.new.name if match.new else None,
            rule, float(old_total) if old_total is not None else None,
            float(new_total) if new_total is not None else None,
            float(delta) if delta is not None else None, percent, *counts.values(),
        ])  # fmt: skip
        if counts["weaker"] or counts["removed"] or match.new is None:
            colors[len(rows) - 1] = RED
    rows.append([f"未变化的项目：{comparison.unchanged} 个", *[None] * (len(PROJECT_HEADERS) - 1)])
    return OutputSheet(
        name=PROJECTS_SHEET,
        rows=rows,
        column_widths={0: 18, 1: 28, 2: 28, 3: 18, 4: 12, 5: 12, 6: 12, 7: 8},
        header_rows=[0],
        bordered_rows=(0, len(rows) - 2),
        number_format_columns={4: "#,##0.00", 5: "#,##0.00", 6: "#,##0.00"},
        freeze="B2",
        autofilter=True,
        row_colors=colors,
        **PRINTED_TABLE,
    )


def _findings(comparison: Comparison) -> OutputSheet:
    rows: list[list[CellValue]] = [list(r) for r in report_rows(comparison.findings)]
    return OutputSheet(
        name=FINDINGS_SHEET,
        rows=rows,
        column_widths=dict(enumerate(WIDTHS)),
        header_rows=[0],
        bordered_rows=(0, len(rows) - 1),
        freeze="A2",
        **PRINTED_TABLE,
    )
