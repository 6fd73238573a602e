"""The 自评表 of each project (national layout, 财预〔2020〕10号) and the 自评明细 sheet, written
from the targets and read back once filled.

A form holds the project's heading, its 项目资金 block (年初预算数 carried from the targets;
全年预算数 and 全年执行数 to fill; 执行率 and its 得分 as live formulas), 年度总体目标 (预期
目标 carried, 实际完成情况 to fill), the indicators with their annual targets and weights
(实际完成值, 得分 and 偏差原因 to fill) and 总分, a live sum. 自评明细 holds the same, one row
per indicator, for entering actuals in bulk. Cells to fill are shaded and the only ones
unlocked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from jixiao.grid import CellValue, Grid, a1
from jixiao.layouts.base import amount_value
from jixiao.model import Indicator, Project, SourceLocation
from jixiao.output import Formula, OutputSheet
from jixiao.selfeval.rules import EXECUTION_WEIGHT, indicator_weights

FORM_SHEET = "自评表"
DETAIL_SHEET = "自评明细"
TITLE = "项目支出绩效自评表"
WIDTH = 9
INDICATOR_HEADERS = (
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "分值",
    "得分",
    "偏差原因分析及改进措施",
)
FUND_HEADERS = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
FUND_ROWS = ("年度资金总额", "其中：本年财政拨款", "上年结转资金", "其他资金")
DETAIL_HEADERS = (
    "单位名称",
    "项目名称",
    "年初预算数",
    "全年预算数",
    "全年执行数",
    *INDICATOR_HEADERS,
)
TOTAL_LABEL = "总分"


@dataclass
class Evaluation:
    """One project's 自评: the targets (``project``) with what the year brought."""

    project: Project
    department: str = ""
    year: str = ""
    budget: Decimal | None = None  # 全年预算数
    spent: Decimal | None = None  # 全年执行数
    achieved: str = ""  # 实际完成情况
    execution_given: Decimal | None = None  # the 得分 printed for 预算执行率
    total_given: Decimal | None = None  # the 总分 printed
    cells: dict[str, SourceLocation] = field(default_factory=dict)  # budget, spent, total …

    @property
    def start_budget(self) -> Decimal | None:
        return self.project.amounts.total


def weights_of(project: Project) -> list[Decimal]:
    items = project.indicators
    return indicator_weights([i.l1 for i in items], [i.score for i in items])


def has_own_weights(project: Project) -> bool:
    """Whether the form prints every indicator's 分值 (else the rule's weights are assumed)."""
    items = project.indicators
    return bool(items) and all(_decimal(i.score) is not None for i in items)


def _number(value: Decimal | None) -> CellValue:
    return amount_value(value) if value is not None else None


def form_sheet(evaluations: Sequence[Evaluation]) -> OutputSheet:
    rows: list[list[CellValue]] = []
    merges: list[tuple[int, int, int, int]] = []
    inputs: set[tuple[int, int]] = set()
    titles: list[int] = []
    headers: list[int] = []
    totals: list[int] = []
    for evaluation in evaluations:
        project = evaluation.project
        top = len(rows)

        def add(*cells: CellValue) -> int:
            rows.append([*cells, *[None] * (WIDTH - len(cells))])
            return len(rows) - 1

        titles.append(add(TITLE))
        merges.append((top, 0, top, WIDTH - 1))
        year = add(f"（{evaluation.year}年度）" if evaluation.year else "（    年度）")
        merges.append((year, 0, year, WIDTH - 1))
        name = add("项目名称", project.name)
        merges.append((name, 1, name, WIDTH - 1))
        unit = project.unit.name
        owner = add("主管部门", evaluation.department or unit, None, None, "实施单位", unit)
        merges += [(owner, 1, owner, 3), (owner, 5, owner, WIDTH - 1)]
        funds = add("项目资金\n（万元）", None, None, *FUND_HEADERS)
        headers.append(funds)
        amounts = project.amounts
        starts = (amounts.total, amounts.fiscal, None, amounts.other)
        for label, start in zip(FUND_ROWS, starts, strict=True):
            row = add(None, label, None, _number(start))
            merges.append((row, 1, row, 2))
            inputs.update({(row, 4), (row, 5)})
        total_row = funds + 1
        e, f = a1(total_row, 4), a1(total_row, 5)
        rows[total_row][6] = float(EXECUTION_WEIGHT)
        rows[total_row][7] = Formula(f'=IF(N({e})>0,{f}/{e},"")')
        rows[total_row][8] = Formula(
            f'=IF(N({e})>0,ROUND(MIN({EXECUTION_WEIGHT},{f}/{e}*10),2),"")'
        )
        merges.append((funds, 0, funds + len(FUND_ROWS), 0))
        goal_head = add("年度总体目标", "预期目标", None, None, None, "实际完成情况")
        merges += [(goal_head, 1, goal_head, 4), (goal_head, 5, goal_head, WIDTH - 1)]
        goals = add(None, "\n".join(project.goals), None, None, None, evaluation.achieved or None)
        merges += [(goals, 1, goals, 4), (goals, 5, goals, WIDTH - 1), (goal_head, 0, goals, 0)]
        inputs.add((goals, 5))
        head = add("绩效指标", *INDICATOR_HEADERS)
        headers.append(head)
        weights = weights_of(project)
        previous = ("", "")
        for item, weight in zip(project.indicators, weights, strict=True):
            l1 = item.l1 if item.l1 != previous[0] else None
            l2 = item.l2 if (item.l1, item.l2) != previous else None
            previous = (item.l1, item.l2)
            row = add(None, l1, l2, *_indicator_cells(item, weight))
            inputs.update({(row, 5), (row, 7), (row, 8)})
        last = len(rows) - 1
        merges.append((head, 0, max(head, last), 0))
        scored = [a1(r, 7) for r in range(head + 1, last + 1)]
        total_cells = ",".join([a1(total_row, 8), *scored])
        total = add(
            TOTAL_LABEL,
            None,
            None,
            None,
            None,
            None,
            float(EXECUTION_WEIGHT + sum(weights, Decimal(0))),
            Formula(f"=SUM({total_cells})"),
        )
        merges.append((total, 0, total, 5))
        totals.append(total)
        add()
    return OutputSheet(
        name=FORM_SHEET,
        rows=rows,
        merges=merges,
        column_widths={0: 10, 1: 14, 2: 14, 3: 30, 4: 16, 5: 16, 6: 8, 7: 8, 8: 30},
        title_rows=titles,
        header_rows=headers,
        total_rows=totals,
        bordered_rows=(0, len(rows) - 1) if rows else None,
        number_format_columns={6: "0.00", 7: "0.00"},
        input_cells=inputs,
        protect=True,
        page_breaks=titles[1:],  # each form starts a printed page
        fit_to_width=True,
    )


def detail_sheet(evaluations: Sequence[Evaluation]) -> OutputSheet:
    rows: list[list[CellValue]] = [list(DETAIL_HEADERS)]
    inputs: set[tuple[int, int]] = set()
    for evaluation in evaluations:
        project = evaluation.project
        for index, (item, weight) in enumerate(
            zip(project.indicators, weights_of(project), strict=True)
        ):
            rows.append(
                [
                    project.unit.name,
                    project.name,
                    _number(project.amounts.total),
                    _number(evaluation.budget) if index == 0 else None,
                    _number(evaluation.spent) if index == 0 else None,
                    item.l1,
                    item.l2,
                    *_indicator_cells(item, weight),
                ]
            )
            row = len(rows) - 1
            inputs.update({(row, 9), (row, 11), (row, 12)})
            if index == 0:
                inputs.update({(row, 3), (row, 4)})
    return OutputSheet(
        name=DETAIL_SHEET,
        rows=rows,
        column_widths={
            0: 20,
            1: 28,
            2: 10,
            3: 10,
            4: 10,
            5: 12,
            6: 14,
            7: 30,
            8: 16,
            9: 16,
            10: 8,
            11: 8,
            12: 30,
        },
        header_rows=[0],
        bordered_rows=(0, len(rows) - 1),
        freeze="C2",
        input_cells=inputs,
        protect=True,
    )


def _indicator_cells(item: Indicator, weight: Decimal) -> list[CellValue]:
    """三级, 年度指标值, 实际完成值, 分值, 得分, 偏差原因: as both sheets write them."""
    awarded = _decimal(item.awarded)
    return [
        item.l3,
        item.annual_value or item.target,
        item.actual or None,
        float(weight),
        float(awarded) if awarded is not None else None,
        item.deviation or None,
    ]


def _decimal(text: object) -> Decimal | None:
    if text in (None, ""):
        return None
    try:
        return Decimal(str(text).strip())
    except InvalidOperation:
        return None


# ---- reading a filled 自评表 back ----------------------------------------------------------


FUND_WORDS = (  # the 项目资金 columns under their spellings (national; Sichuan's 一体化 form)
    ("start", ("年初预算",)),
    ("budget", ("全年预算", "调整后预算")),
    ("spent", ("全年执行", "执行数")),
    ("rate", ("执行率",)),
    ("awarded", ("得分",)),
)
FUND_TOTAL_LABELS = ("年度资金总额", "总额", "资金总额")


def fund_blocks(grid: Grid) -> list[tuple[int, dict[str, tuple[Decimal | None, SourceLocation]]]]:
    """Each 项目资金 block of a sheet: (its row, 年初/全年预算数, 全年执行数 and the printed
    执行率 得分 of its total row, with their cells)."""
    found = []
    width = grid.n_cols  # computed from the rows each time it is asked: asked once here
    for row in range(grid.n_rows):
        texts = [grid.text(row, c) for c in range(width)]
        if not any("执行数" in t for t in texts):
            continue
        columns: dict[str, int] = {}
        for col, text in enumerate(texts):
            for key, words in FUND_WORDS:
                if key not in columns and any(word in text for word in words):
                    columns[key] = col
                    break
        for below in range(row + 1, min(grid.n_rows, row + 3)):
            labels = [grid.text(below, c).rstrip(":：") for c in range(min(3, width))]
            if any(label in FUND_TOTAL_LABELS for label in labels):
                values = {
                    key: (_amount(grid.value(below, col)), grid.location(below, col))
                    for key, col in columns.items()
                }
                found.append((row, values))
                break
    return found


def _amount(value: object) -> Decimal | None:
    if isinstance(value, bool) or value is None or value == "":
        return None
    if isinstance(value, int | float):
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    text = str(value).strip().replace(",", "").removesuffix("万元")
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def total_rows(grid: Grid) -> list[int]:
    """The rows of a sheet that print a 总分 (or a 合计 of the scores)."""
    found = []
    for row in range(grid.n_rows):
        first = (grid.text(row, 0) or grid.text(row, 1)).replace(" ", "")
        if first in (TOTAL_LABEL, "合计", "总计", "自评总分", "总得分"):
            found.append(row)
    return found


def indicator_row(item: Indicator) -> int:
    """The 0-based row an indicator was read from (its source cell), else -1."""
    from jixiao.grid import position

    where = item.source
    return position(where.cell)[0] if where is not None and where.cell else -1
