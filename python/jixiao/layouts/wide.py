"""Wide rows (Guangzhou): one row per project, every indicator packed into one cell."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from decimal import Decimal

from jixiao import packed
from jixiao.bulk import paused_gc
from jixiao.grid import CellValue, Grid
from jixiao.layouts.base import (
    MONEY_IN_YUAN,
    WAN,
    SheetRead,
    TotalRow,
    amount_value,
    in_yuan,
    read_amount,
    split_lines,
)
from jixiao.layouts.headers import (
    LONG_SHEET,
    PROJECT_SHEET,
    WIDE_HEADERS,
    WIDE_SHEET,
    WIDE_TOTAL_ROW,
    header_key,
    match_columns,
)
from jixiao.model import Amounts, Finding, Project, Unit
from jixiao.output import EXCEL_CELL_LIMIT, Formula, OutputSheet

TITLE = "项目支出绩效目标表（含转移支付项目）"
FIELDS = ("name", "total", "fiscal", "special_account", "other", "goals", "indicators")
AMOUNT_FIELDS = ("total", "fiscal", "special_account", "other")
_KEYS = {header_key(h): f for h, f in zip(WIDE_HEADERS, FIELDS, strict=True)}
# A common variant adds the unit and the project code as columns of each project row
_KEYS |= {
    header_key(h): f
    for h, f in (
        ("单位名称", "unit_name"),
        ("预算单位", "unit_name"),
        ("单位编码", "unit_code"),
        ("预算单位编码", "unit_code"),
        ("项目编码", "code"),
        ("项目代码", "code"),
    )
}
_DEPARTMENT = re.compile(r"部门名称[：:]\s*(\S+)")


NAME = "wide"


def find_header(grid: Grid, scan: int = 30) -> int | None:
    for row in range(min(scan, grid.n_rows)):
        keys = {header_key(t) for t in grid.row_texts(row)}
        if "绩效指标" in keys and "总计" in keys and any(k.startswith("项目名称") for k in keys):
            return row
    return None


detect = find_header


def read(grid: Grid, header: int) -> SheetRead:
    result = SheetRead("wide")
    texts = grid.row_texts(header)
    # 项目名称 comes with or without （资金使用单位）
    names = {header_key(t): "name" for t in texts if header_key(t).startswith("项目名称")}
    columns = match_columns(texts, _KEYS | names)
    for row in range(header):
        match = _DEPARTMENT.search(" ".join(grid.row_texts(row)))
        if match:
            result.department = match.group(1)
    yuan = in_yuan(grid, 0, header + 1)  # 单位：元 on the 部门名称 line, or （元） in a header
    if yuan is not None:
        result.findings.append(MONEY_IN_YUAN.at(grid.location(*yuan), sheet=grid.sheet))
    unit = Unit()
    with paused_gc():
        for row in range(header + 1, grid.n_rows):
            name = grid.text(row, columns["name"])
            if not name:
                continue
            amounts = {
                f: read_amount(grid, row, columns.get(f), result.findings) for f in AMOUNT_FIELDS
            }
            if yuan is not None:  # exact: Decimal
                amounts = {f: None if a is None else a / WAN for f, a in amounts.items()}
            goals = grid.text(row, columns["goals"]) if "goals" in columns else ""
            text = grid.text(row, columns["indicators"])
            if name == WIDE_TOTAL_ROW or (not goals and not text):
                if name != WIDE_TOTAL_ROW:
                    unit = Unit(name=name)
                cells = {f: grid.location(row, c) for f, c in columns.items() if f in AMOUNT_FIELDS}
                cells["label"] = grid.location(row, columns["name"])
                result.totals.append(TotalRow(name, name == WIDE_TOTAL_ROW, amounts, cells))
                continue
            cells = grid.row_locations(row, columns)
            cell = cells["indicators"]
            row_unit = unit
            if "unit_name" in columns or "unit_code" in columns:  # the row names its unit
                unit_name = grid.text(row, columns["unit_name"]) if "unit_name" in columns else ""
                unit_code = grid.text(row, columns["unit_code"]) if "unit_code" in columns else ""
                if unit_name or unit_code:
                    row_unit = Unit(code=unit_code, name=unit_name or unit.name)
            # a cell saying its indicators are on 指标明细 (too long for one cell) holds none
            # itself; read_workbook joins them from that sheet
            parsed = packed.parse("" if OVERFLOW_NOTE.match(text) else text, location=cell)
            result.findings.extend(parsed.findings)
            result.projects.append(
                Project(
                    unit=row_unit,
                    code=grid.text(row, columns["code"]) if "code" in columns else "",
                    name=name,
                    amounts=Amounts(**amounts),
                    goals=split_lines(goals),
                    indicators=[item.to_indicator(cell) for item in parsed.indicators],
                    source=cells["name"],
                    packed=text,
                    cells=cells,
                )
            )
    return result


def _subtotal(rows: list[list[CellValue]], at: int, last: int) -> None:
    """Make row ``at`` (1-based) the live subtotal of the rows below it up to ``last``."""
    for column in range(1, 1 + len(AMOUNT_FIELDS)):
        if rows[at - 1][column] is not None:
            letter = "BCDE"[column - 1]
            written = rows[at - 1][column]
            value = float(written) if isinstance(written, (int, float)) else None
            rows[at - 1][column] = Formula(f"=SUBTOTAL(9,{letter}{at + 1}:{letter}{last})", value)


def _sum(projects: Sequence[Project], field: str) -> Decimal | None:
    values = [getattr(p.amounts, field) for p in projects]
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


UNCOUNTED_MARK = "（内容冲突的另一份，不计入合计）"


def write(
    projects: Sequence[Project],
    department: str = "",
    *,
    formulas: bool = False,
    uncounted: Collection[int] = (),
) -> OutputSheet:
    """The Guangzhou table: title, department line, headers, 合计, then units and projects.

    With ``formulas`` the totals are live: a project's 总计 is ``=SUM`` of its sources (when
    it has any), a unit row and 合计 are ``=SUBTOTAL(9, …)``, which skips the subtotals
    nested in its range, so they stay right while clerks edit. Projects at the positions in
    ``uncounted`` (a second, differing copy kept by a consolidation) are printed, marked, and
    left out of 合计 and their unit's row.
    """
    units: dict[Unit, list[Project]] = {}
    findings: list[Finding] = []
    skipped = {id(projects[i]) for i in uncounted}
    for project in projects:
        units.setdefault(project.unit, []).append(project)
    counted = [p for p in projects if id(p) not in skipped]
    if not department and len(units) == 1:
        department = next(iter(units)).name
    width = len(WIDE_HEADERS)
    rows: list[list[CellValue]] = [
        [TITLE] + [None] * (width - 1),
        [f"部门名称：{department}", None, None, None, None, "单位：万元", None],
        list(WIDE_HEADERS),
        [WIDE_TOTAL_ROW, *(amount_value(_sum(counted, f)) for f in AMOUNT_FIELDS), None, None],
    ]
    grand_total = len(rows)  # 1-based Excel row of 合计
    total_rows = [grand_total - 1]  # printed bold, so 合计 and subtotals stand apart on paper
    for unit, members in units.items():
        label = unit.name or "（未填单位）"
        members_counted = [p for p in members if id(p) not in skipped]
        rows.append(
            [label, *(amount_value(_sum(members_counted, f)) for f in AMOUNT_FIELDS), None, None]
        )
        unit_row = len(rows)
        total_rows.append(unit_row - 1)
        for project in members:
            amounts: list[CellValue] = [
                amount_value(getattr(project.amounts, f)) for f in AMOUNT_FIELDS
            ]
            if formulas and any(v is not None for v in amounts[1:]):
                sources = sum(float(v) for v in amounts[1:] if isinstance(v, (int, float)))
                amounts[0] = Formula(f"=SUM(C{len(rows) + 1}:E{len(rows) + 1})", round(sources, 2))
            goals = "\n".join(project.goals)
            name = project.name + (UNCOUNTED_MARK if id(project) in skipped else "")
            rows.append([name, *amounts, goals, _packed_cell(project, findings)])
        if formulas and not skipped:  # a live SUBTOTAL would count the marked copies
            _subtotal(rows, unit_row, len(rows))
    if formulas and not skipped:
        _subtotal(rows, grand_total, len(rows))
    return OutputSheet(
        name=WIDE_SHEET,
        rows=rows,
        merges=[(0, 0, 0, width - 1)],
        column_widths={0: 28, 1: 11, 2: 11, 3: 11, 4: 11, 5: 40, 6: 80},
        title_rows=[0],
        header_rows=[2],
        total_rows=total_rows,
        bordered_rows=(2, len(rows) - 1),
        number_format_columns={c: "#,##0.00" for c in range(1, 5)},
        freeze="B4",
        fit_to_width=True,
        landscape=True,
        repeat_rows=(0, 2),
        findings=findings,
    )


def _packed_cell(project: Project, findings: list[Finding]) -> str:
    """The packed string, or, past Excel's cell limit, where the indicators are instead."""
    try:
        return packed.render(project.indicators)
    except packed.RenderError:
        length = len(packed.render(project.indicators, limit=None))
    count = len(project.indicators)
    findings.append(
        packed.TOO_LONG.at(
            project.source,
            project=project.name,
            count=count,
            length=length,
            limit=EXCEL_CELL_LIMIT,
            sheet=LONG_SHEET,
        )
    )
    return (
        f"（{count} 条指标合并后有 {length:,} 个字符，超过 Excel 单元格上限，"
        f"未写入本单元格；全部指标见“{LONG_SHEET}”工作表）"
    )


# the note _packed_cell writes in place of a packed string past the cell limit
OVERFLOW_NOTE = re.compile(
    rf"^（\d+ 条指标合并后有 [\d,]+ 个字符，.*全部指标见“{LONG_SHEET}”工作表）$"
)


def overflowing(sheet: OutputSheet) -> set[str]:
    """Names of the projects whose packed string did not fit (their rows go to 指标明细)."""
    return {str(f.details["project"]) for f in sheet.findings if f.code == packed.TOO_LONG.code}


def write_sheets(
    projects: Sequence[Project], department: str = "", formulas: bool = False
) -> list[OutputSheet]:
    """The wide sheet, and beside it the indicators that no wide cell can hold, one per row."""
    from jixiao.layouts import long

    sheet = write(projects, department, formulas=formulas)
    too_long = overflowing(sheet)
    if not too_long:
        return [sheet]
    beside = long.write([p for p in projects if p.name in too_long])
    return [sheet, *(s for s in beside if s.name != PROJECT_SHEET)]
