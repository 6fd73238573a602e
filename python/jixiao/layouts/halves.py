"""The 东莞 card: 实施周期 and 当年度 halves side by side.

``东莞市财政项目支出绩效目标表`` blocks: 预算单位, 项目名称 with 本年度申请市财政预算资金（万元）,
总体目标 split into 实施周期总目标 and 年度目标, then the indicator table in two halves,
``一级指标 | 二级指标 | 三级指标 | 实施周期指标值 | 二级指标 | 三级指标 | 当年度指标值``. Each
indicator keeps both values, paired by 二级 + 三级; a row whose halves do not pair is kept
(each value where it is) and reported.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from jixiao.findings import FindingSpec
from jixiao.framework import SIMPLIFIED
from jixiao.grid import CellValue, Grid
from jixiao.layouts.base import (
    FormSheet,
    SheetRead,
    amount_value,
    raw_as_named,
    read_amount,
    split_lines,
    text_right_of,
)
from jixiao.layouts.headers import (
    HALVES_ANNUAL_VALUE,
    HALVES_LABELS,
    HALVES_PERIOD_VALUE,
    header_key,
)
from jixiao.model import Amounts, Indicator, Project, Unit
from jixiao.output import OutputSheet

UNPAIRED = FindingSpec(
    "layout.unpaired_halves",
    "warning",
    "项目“{project}”第 {row} 行：实施周期一侧为“{left}”，当年度一侧为“{right}”，两侧指标不一致",
    "两侧应是同一个二级、三级指标；请核对后分别填写",
)
_UNIT = re.compile(r"预算单位\s*[：:]\s*(?P<name>.+)")
_BLOCK_END = ("绩效目标表", HALVES_LABELS["unit"], HALVES_LABELS["name"])


NAME = "halves"


def detect(grid: Grid, scan: int = 40) -> list[int] | None:
    """The halves' headers, when the first is in the first ``scan`` rows (a card's header
    is), so that sheets of other layouts are not read through."""
    rows = range(min(scan, grid.n_rows))
    if not any(HALVES_ANNUAL_VALUE in header_key(t) for r in rows for t in grid.row_texts(r)):
        return None
    return find_headers(grid) or None


def find_headers(grid: Grid) -> list[int]:
    """Rows of the two-half indicator header (实施周期指标值 … 当年度指标值)."""
    rows = range(grid.n_rows)
    return [r for r in rows if _columns([header_key(t) for t in grid.row_texts(r)]) is not None]


@dataclass
class _Columns:
    l1: int | None
    period: int
    annual: int
    left: tuple[int, int]  # 二级, 三级 of the 实施周期 half
    right: tuple[int, int]  # 二级, 三级 of the 当年度 half


def _columns(keys: list[str]) -> _Columns | None:
    """The columns of a two-half header: ``… 二级 三级 实施周期指标值 二级 三级 当年度指标值``,
    or ``None`` when the row is not one (the words there, but not in that order)."""
    if HALVES_PERIOD_VALUE not in keys or HALVES_ANNUAL_VALUE not in keys:
        return None
    period, annual = keys.index(HALVES_PERIOD_VALUE), keys.index(HALVES_ANNUAL_VALUE)

    def pair(first: int, last: int) -> tuple[int, int] | None:
        found = [c for c in range(first, last) if keys[c] in ("二级指标", "三级指标")][-2:]
        if len(found) == 2 and [keys[c] for c in found] == ["二级指标", "三级指标"]:
            return found[0], found[1]
        return None

    left, right = pair(0, period), pair(period + 1, annual)
    if period > annual or left is None or right is None:
        return None
    l1 = keys.index("一级指标") if "一级指标" in keys[:period] else None
    return _Columns(l1, period, annual, left, right)


def _find(grid: Grid, first: int, last: int, word: str) -> tuple[int, int] | None:
    for row in range(first, last):
        for col, text in enumerate(grid.row_texts(row)):
            key = header_key(text)
            if word in key or key == header_key(word):
                return row, col
    return None


def read(grid: Grid, headers: list[int]) -> SheetRead:
    result = SheetRead("halves")
    previous_end = 0
    for number, header in enumerate(headers):
        end = headers[number + 1] if number + 1 < len(headers) else grid.n_rows
        project = _project(grid, previous_end, header, result)
        body_end = _indicators(grid, header, end, project, result)
        result.projects.append(project)
        previous_end = body_end
    return result


def _project(grid: Grid, first: int, header: int, result: SheetRead) -> Project:
    project = Project()
    unit = _find(grid, first, header, HALVES_LABELS["unit"])
    if unit is not None:
        written = grid.text(*unit)
        match = _UNIT.search(written.translate(SIMPLIFIED))  # 預算單位： too; same length
        if match:
            project.unit = Unit(name=written[match.start("name") : match.end("name")].strip())
    name = _find(grid, first, header, HALVES_LABELS["name"])
    if name is not None:
        text, col = text_right_of(grid, *name)
        project.name = text
        project.source = grid.location(name[0], col if col is not None else name[1])
    money = _find(grid, first, header, HALVES_LABELS["total"])
    if money is not None:
        _, col = text_right_of(grid, *money)
        total = read_amount(grid, money[0], col, result.findings)
        project.amounts = Amounts(total=total, fiscal=total)
        if col is not None:
            project.cells["total"] = grid.location(money[0], col)
    goals = _find(grid, first, header, HALVES_LABELS["period_goal"])
    if goals is not None:
        annual = _find(grid, goals[0], goals[0] + 1, HALVES_LABELS["annual_goal"])
        row = goals[0] + 1
        period_text = grid.text(row, goals[1]) if row < header else ""
        annual_text = grid.text(row, annual[1]) if annual and row < header else ""
        project.goals = split_lines(annual_text) or split_lines(period_text)
        project.purpose = period_text  # the 实施周期 goal has no other place in the model
    return project


def _indicators(grid: Grid, header: int, end: int, project: Project, result: SheetRead) -> int:
    columns = _columns([header_key(t) for t in grid.row_texts(header)])
    assert columns is not None  # find_headers kept only such rows
    l1_col, period_col, annual_col = columns.l1, columns.period, columns.annual
    left, right = columns.left, columns.right
    l1 = left_l2 = right_l2 = ""
    row = header + 1
    while row < end:
        texts = grid.row_texts(row)
        first_col = next((c for c, t in enumerate(texts) if t), None)
        first = texts[first_col] if first_col is not None else ""
        # the next block's title or labels end this one; a 三级 or a value that happens to
        # hold those words (预算单位满意度 on a row whose 一级/二级 are merged down) does not
        named = first_col in (left[1], right[1], period_col, annual_col)
        key = header_key(first)  # in Simplified: a copy from a Traditional-script mirror too
        if not named and any(word in key for word in _BLOCK_END):
            break
        if l1_col is not None and grid.text(row, l1_col):
            l1 = grid.text(row, l1_col)
        left_l2 = grid.text(row, left[0]) or left_l2
        right_l2 = grid.text(row, right[0]) or right_l2
        left_l3, right_l3 = grid.text(row, left[1]), grid.text(row, right[1])
        period, annual = grid.text(row, period_col), grid.text(row, annual_col)
        row += 1
        if not (left_l3 or right_l3 or period or annual):
            continue
        if (left_l2, left_l3) != (right_l2, right_l3) and left_l3 and right_l3:
            result.findings.append(
                UNPAIRED.at(
                    grid.location(row - 1, right[1]),
                    project=project.name,
                    row=row,
                    left=f"{left_l2}/{left_l3}",
                    right=f"{right_l2}/{right_l3}",
                )
            )
        project.indicators.append(
            Indicator(
                seq=len(project.indicators) + 1,
                l1=l1,
                l2=left_l2 or right_l2,
                l3=left_l3 or right_l3,
                period_value=period,
                annual_value=annual,
                source=grid.location(row - 1, left[1]),
                cells={
                    "l3": grid.location(row - 1, left[1]),
                    "period_value": grid.location(row - 1, period_col),
                    "annual_value": grid.location(row - 1, annual_col),
                },
            )
        )
    return row


SHEET = "项目支出绩效目标表"
_HALF = ("二级指标", "三级指标")
_HEADER = ("绩效指标", "一级指标", *_HALF, HALVES_PERIOD_VALUE, *_HALF, HALVES_ANNUAL_VALUE)
WIDTH = 8  # 绩效指标 | 一级 | 二级 | 三级 | 实施周期指标值 | 二级 | 三级 | 当年度指标值


def write(projects: Sequence[Project]) -> list[OutputSheet]:
    """One form per project as 东莞 prints it: 实施周期 and 当年度 halves side by side; the
    实施周期总目标 is the project's ``purpose``, as the reader takes it."""
    projects = raw_as_named(projects)  # what could not be read stays visible
    form = FormSheet(WIDTH)
    amount_rows = set()
    for project in projects:
        form.titles.append(form.add([SHEET], (0, WIDTH - 1)))
        form.add([f"{HALVES_LABELS['unit']}：{project.unit.name}"], (0, WIDTH - 1))
        money = f"本年度{HALVES_LABELS['total']}（万元）"
        amount = amount_value(project.amounts.total)
        amount_rows.add(
            form.add(["项目名称", project.name, None, None, money, None, amount], (1, 3), (4, 5))
        )
        goals = form.add(
            ["总体目标", HALVES_LABELS["period_goal"], None, None, HALVES_LABELS["annual_goal"]],
            (1, 3),
            (4, WIDTH - 1),
        )
        form.add([None, project.purpose, None, None, "\n".join(project.goals)], (1, 3), (4, 7))
        form.merge_down(goals, goals + 1, 0)
        items = project.indicators
        rows: list[list[CellValue]] = [
            [None, None, i.l2, i.l3, i.period_value, i.l2, i.l3, i.annual_value] for i in items
        ]
        form.indicator_block(list(_HEADER), rows, [i.l1 for i in items])
        form.add([])
    return [
        form.sheet(
            SHEET,
            amount_rows,
            column_widths={0: 10, 1: 12, 2: 14, 3: 24, 4: 18, 5: 14, 6: 24, 7: 18},
            number_format_columns={6: "#,##0.00"},
            landscape=True,
        )
    ]
