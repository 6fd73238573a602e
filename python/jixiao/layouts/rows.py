"""Indicator rows with attributes: the 一体化 system's export (Inner Mongolia) and Hunan's
tables. One row per indicator; the project's columns (项目名称, 项目单位 ``776001-扎赉特旗
人民检察院``, 项目类别, 预算数, 年度绩效目标) are filled on its first row only; 一级 carries
its weight (``产出指标(50分)``); the value is split over 指标性质, 指标方向, 目标值, 计量单位
and 分值. Amounts in 元 become 万元 in the model, exactly.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from jixiao.grid import CellValue, Grid
from jixiao.layouts.base import (
    MONEY_IN_YUAN,
    UNNAMED_PROJECT,
    WAN,
    WHOLE_UNIT_TARGETS,
    SheetRead,
    amount_value,
    raw_as_named,
    read_amount,
    split_lines,
)
from jixiao.layouts.headers import (
    AMOUNTS_IN_YUAN,
    ROWS_ATTRIBUTES,
    ROWS_COLUMNS,
    ROWS_MORE_COLUMNS,
    ROWS_SHEET,
    WHOLE_UNIT,
    column_keys,
    header_key,
    match_columns,
)
from jixiao.model import Amounts, DepartmentGoal, Indicator, Project, Unit
from jixiao.output import PRINTED_TABLE, OutputSheet
from jixiao.values import parse_value

_KEYS = column_keys({h: f for f, h in ROWS_COLUMNS.items()}, ROWS_MORE_COLUMNS)
# 指标方向 as written <-> the operator of a value
# (等于 writes no operator: 等于 100 % is the 100% the other layouts write)
DIRECTION_OPERATORS = {"大于等于": "≥", "小于等于": "≤", "等于": "", "大于": ">", "小于": "<"}
OPERATOR_DIRECTIONS = {"≥": "大于等于", "≤": "小于等于", "=": "等于", ">": "大于", "<": "小于"}
_WEIGHT = re.compile(r"^(?P<name>.*?)\s*[（(]\s*(?P<score>\d+(?:\.\d+)?)\s*分\s*[)）]\s*$")
_CODED = re.compile(r"^\s*(?P<code>\d+)\s*[-－—]\s*(?P<name>.+?)\s*$")
_LONG_MARKS = {header_key("年度指标值"), header_key("实施周期指标值")}


NAME = "rows"


def find_header(grid: Grid, scan: int = 30) -> int | None:
    for row in range(min(scan, grid.n_rows)):
        texts = grid.row_texts(row)
        if any(header_key(t) in _LONG_MARKS for t in texts):
            continue  # 指标明细 with attribute columns after its 14: the long reader's
        columns = match_columns(texts, _KEYS)
        if not ({"l3", "target"} <= columns.keys() and any(a in columns for a in ROWS_ATTRIBUTES)):
            continue
        columns = header_columns(grid, row)  # the names may be above, in cells over two rows
        if "project_name" in columns or "unit" in columns:  # a project, or a whole unit
            return row
    return None


detect = find_header


def header_columns(grid: Grid, header: int) -> dict[str, int]:
    """Field -> column of the header, which may take two rows: Hunan's tables put 单位名称
    and 资金总额 in cells merged over both rows, above a lower row naming the indicator
    columns and the parts of 资金总额."""
    columns = match_columns(grid.row_texts(header), _KEYS)
    if header == 0:
        return columns
    lower = grid.row_texts(header)
    upper = grid.row_texts(header - 1)
    spanning = [t if col >= len(lower) or not lower[col] else "" for col, t in enumerate(upper)]
    for field, col in match_columns(spanning, _KEYS).items():
        columns.setdefault(field, col)
    return columns


def _in_yuan(grid: Grid, header: int, column: int | None) -> bool:
    texts = [grid.text(r, c) for r in range(header) for c in range(grid.n_cols)]
    if column is not None:
        texts.append(grid.text(header, column))
    return any(AMOUNTS_IN_YUAN.search(t) for t in texts)


def read(grid: Grid, header: int) -> SheetRead:
    result = SheetRead("rows")
    columns = header_columns(grid, header)
    yuan = _in_yuan(grid, header, columns.get("total"))
    if yuan:
        result.findings.append(
            MONEY_IN_YUAN.at(grid.location(header, columns.get("total", 0)), sheet=grid.sheet)
        )
    project: Project | None = None
    key: tuple[str, str] | None = None  # (项目名称, 项目单位) of the project being read
    l1 = l1_score = l2 = ""
    for row in range(header + 1, grid.n_rows):

        def text(field: str, row: int = row) -> str:
            col = columns.get(field)
            return grid.text(row, col) if col is not None else ""

        name = text("project_name") if "project_name" in columns else ""
        if "project_name" not in columns and text("unit"):
            name = WHOLE_UNIT  # one unit's own targets: the unit is the project
        # a flat export repeats 项目名称 and 项目单位 on every row: the same pair goes on
        row_key = (name, text("unit") or (key[1] if key else ""))
        if name and row_key != key:
            project = _project(grid, row, columns, name, yuan, result)
            result.projects.append(project)
            key = row_key
            l1 = l1_score = l2 = ""
        if project is None:
            if not (text("l3") or text("target")):
                continue
            # indicator rows above the first 项目名称: kept, under a project without a name
            project = _project(grid, row, columns, "", yuan, result)
            result.projects.append(project)
            key = ("", text("unit"))
            result.findings.append(
                UNNAMED_PROJECT.at(
                    grid.location(row, columns.get("project_name", 0)),
                    sheet=grid.sheet,
                    row=row + 1,
                )
            )
        if text("l1"):
            l1, l1_score = _weighted(text("l1"))
        if text("l2"):
            l2 = text("l2")
        l3 = text("l3")
        if not l3 and not text("target"):
            continue  # a project row without indicators, or a blank line
        item = Indicator(
            seq=len(project.indicators) + 1,
            l1=l1,
            l1_score=l1_score,
            l2=l2,
            l3=l3,
            nature=text("nature"),
            direction=text("direction"),
            target=text("target"),
            measure_unit=text("measure_unit"),
            score=text("score"),
            explanation=text("explanation"),
            scoring=text("scoring"),
            remark=text("remark"),
            source=grid.location(row, columns["l3"]),
            cells={f: grid.location(row, c) for f, c in columns.items()},
        )
        value = compose_value(item)
        item.period_value = item.annual_value = value
        if "target" in item.cells:  # findings on the value point at 目标值
            item.cells["annual_value"] = item.cells["period_value"] = item.cells["target"]
        project.indicators.append(item)
    if "project_name" not in columns:
        _as_department_goals(result)
    return result


def _as_department_goals(result: SheetRead) -> None:
    """A table with a unit column and no 项目名称 (衡阳's 整体支出绩效目标表) holds the unit's
    own targets: department goals, not a project, so its budget is never added to 合计."""
    for project in [p for p in result.projects if p.name == WHOLE_UNIT]:
        result.projects.remove(project)
        result.department_goals.append(
            DepartmentGoal(
                goal="\n".join(project.goals),
                total=project.amounts.total,
                indicators=project.indicators,
                source=project.source,
            )
        )
        result.department = result.department or project.unit.name
        where, total = project.source, project.amounts.total
        result.findings.append(
            WHOLE_UNIT_TARGETS.at(
                where,
                sheet=where.sheet if where else "",
                unit=project.unit.name or "本单位",
                total=str(total) if total is not None else "（未填）",
            )
        )


def _project(
    grid: Grid,
    row: int,
    columns: dict[str, int],
    name: str,
    yuan: bool,
    result: SheetRead,
) -> Project:
    def text(field: str) -> str:
        col = columns.get(field)
        return grid.text(row, col) if col is not None else ""

    unit_text = text("unit")
    coded = _CODED.match(unit_text)
    unit = Unit(code=coded["code"], name=coded["name"]) if coded else Unit(name=unit_text)
    if not unit.code and text("unit_code"):
        unit = Unit(code=text("unit_code"), name=unit.name)
    total = read_amount(grid, row, columns.get("total"), result.findings)
    if total is not None and yuan:
        total = total / WAN  # exact: Decimal
    project = Project(
        unit=unit,
        name=name,
        category=text("category"),
        amounts=Amounts(total=total),
        goals=split_lines(text("goals")),
        source=grid.location(row, columns.get("project_name", columns.get("unit", 0))),
        cells={f: grid.location(row, c) for f, c in columns.items()},
    )
    return project


def _weighted(text: str) -> tuple[str, str]:
    """``产出指标(50分)`` -> (``产出指标``, ``50``)."""
    match = _WEIGHT.match(text)
    return (match["name"].strip(), match["score"]) if match else (text, "")


def compose_value(item: Indicator) -> str:
    """The value as the other layouts write it: (大于等于, 98, %) -> ``≥98%``; 定性 -> text."""
    target, unit = item.target.strip(), item.measure_unit.strip()
    written = parse_value(target)
    if item.nature.strip() == "定性" or not target or written.number is None:
        return target  # text stays text; a nature that says otherwise is for the checks
    # what the clerk wrote into 目标值 itself (an operator, a unit) is kept, not doubled
    operator = "" if written.op else DIRECTION_OPERATORS.get(item.direction.strip(), "")
    return f"{operator}{target}{'' if written.unit else unit}"


def split_value(item: Indicator) -> tuple[str, str, str, str]:
    """(性质, 方向, 目标值, 计量单位) of an indicator, from its attributes or from its value
    (``≥95%`` -> 正向, 大于等于, 95, %; ``≤12万元`` -> 反向, 小于等于, 12, 万元)."""
    if item.target or item.nature:
        return item.nature, item.direction, item.target, item.measure_unit
    text = item.annual_value or item.period_value
    value = parse_value(text)
    if value.number is not None and not value.qualifier:
        number = text[len(value.op_text or "") : len(text) - len(value.unit)].strip()
        direction = OPERATOR_DIRECTIONS.get(value.op or "", "等于" if value.op is None else "")
        nature = "反向" if value.op in ("≤", "<") else "正向"
        split = Indicator(
            nature=nature, direction=direction, target=number, measure_unit=value.unit
        )
        if compose_value(split) == text:  # only a split that gives the text back exactly
            return nature, direction, number, value.unit
    return ("定性" if text else "", "", text, "")


HEADERS = tuple(ROWS_COLUMNS.values())


def write(projects: Sequence[Project]) -> list[OutputSheet]:
    projects = raw_as_named(projects)  # what could not be read stays visible
    rows: list[list[CellValue]] = [list(HEADERS)]
    for project in projects:
        unit = project.unit
        head: list[CellValue] = [
            project.name,
            f"{unit.code}-{unit.name}" if unit.code else unit.name,
            project.category,
            amount_value(project.amounts.total),
            "\n".join(project.goals),
        ]
        blank: list[CellValue] = [None] * len(head)
        previous_l1 = ""
        items = project.indicators or [Indicator()]
        for number, item in enumerate(items):
            nature, direction, target, measure_unit = split_value(item)
            l1 = item.l1
            if l1 and item.l1_score:
                l1 = f"{item.l1}({item.l1_score}分)"
            rows.append(
                [
                    *(head if number == 0 else blank),
                    l1 if l1 != previous_l1 else None,
                    item.l2,
                    item.l3,
                    nature,
                    direction,
                    target,
                    measure_unit,
                    item.score,
                    item.explanation,
                    item.scoring,
                    item.remark,
                ]
            )
            previous_l1 = l1
    return [
        OutputSheet(
            name=ROWS_SHEET,
            rows=rows,
            column_widths={0: 28, 1: 26, 2: 16, 3: 12, 4: 40, 5: 16, 6: 14, 7: 30, 11: 8, 13: 24},
            header_rows=[0],
            bordered_rows=(0, len(rows) - 1),
            number_format_columns={3: "#,##0.00"},
            freeze="F2",
            autofilter=True,
            **PRINTED_TABLE,
        )
    ]
