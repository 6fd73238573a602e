"""What every layout reader returns: projects, findings, and the sheet totals it saw."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from jixiao.findings import FindingSpec
from jixiao.grid import CellValue, Grid, parse_amount
from jixiao.layouts.headers import AMOUNTS_IN_YUAN
from jixiao.model import DepartmentGoal, Finding, Project, SourceLocation
from jixiao.output import OutputSheet

BAD_AMOUNT = FindingSpec(
    "workbook.amount",
    "error",
    "金额“{text}”不是数字",
    "填写数字（单位：万元），如 5373.54；不要写文字或单位",
)


MONEY_IN_YUAN = FindingSpec(
    "layout.money_in_yuan",
    "info",
    "工作表“{sheet}”的金额单位是元，已换算为万元（除以 10,000）",
)
WAN = Decimal(10_000)


def in_yuan(grid: Grid, first: int, last: int) -> tuple[int, int] | None:
    """The cell, among rows ``first``..``last`` - 1, that says the amounts are in 元
    (``单位：元``, ``金额单位：元``, ``预算数（元）``); None where none does."""
    for row in range(max(first, 0), min(last, grid.n_rows)):
        for col, text in enumerate(grid.row_texts(row)):
            if text and AMOUNTS_IN_YUAN.search(text):
                return row, col
    return None


UNNAMED_PROJECT = FindingSpec(
    "layout.unnamed_project",
    "warning",
    "工作表“{sheet}”第 {row} 行起的指标没有项目名称，已作为未命名项目读取（未丢弃）",
    "在项目名称一栏填写项目名称",
)

WHOLE_UNIT_TARGETS = FindingSpec(
    "layout.whole_unit",
    "info",
    "工作表“{sheet}”的表格没有项目名称，按“{unit}”的单位整体（部门整体）绩效目标读取，"
    "预算数 {total} 万元不计入项目合计",
    "如果这是一个项目的绩效目标表，请加上“项目名称”一栏",
)


@dataclass
class TotalRow:
    """A 合计 or unit subtotal row as written in a wide sheet."""

    label: str  # 合计, or the unit's name
    is_grand_total: bool
    amounts: dict[str, Decimal | None]
    cells: dict[str, SourceLocation]  # field -> cell of each amount (and "label")


@dataclass
class SheetRead:
    layout: str
    projects: list[Project] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    department: str = ""
    totals: list[TotalRow] = field(default_factory=list)  # as written (wide layout)
    department_goals: list[DepartmentGoal] = field(default_factory=list)  # 部门整体 tables


def read_amount(grid: Grid, row: int, col: int | None, findings: list[Finding]) -> Decimal | None:
    if col is None:
        return None
    value: CellValue = grid.value(row, col)
    try:
        return parse_amount(value)
    except ValueError:
        findings.append(BAD_AMOUNT.at(grid.location(row, col), text=str(value)))
        return None


def raw_as_named(projects: Sequence[Project]) -> Sequence[Project]:
    """The projects with each indicator that could not be read (``详见附件`` in a packed cell,
    kept verbatim as ``raw``) named by its text, so that layouts without a packed cell show
    it in the 三级 column instead of an empty row that reads back as nothing."""
    if not any(i.raw and not i.l3 for p in projects for i in p.indicators):
        return projects
    return [
        p.model_copy(
            update={
                "indicators": [
                    dataclasses.replace(i, l3=i.raw) if i.raw and not i.l3 else i
                    for i in p.indicators
                ]
            }
        )
        if any(i.raw and not i.l3 for i in p.indicators)
        else p
        for p in projects
    ]


def amount_value(amount: Decimal | None) -> float | str | None:
    """An amount as a number cell (Excel has no decimal type); one past a double's range
    (a sum of 1e308s) as its exact text, since no number cell can hold it."""
    if amount is None:
        return None
    number = float(amount)
    return number if math.isfinite(number) else f"{amount:E}"


def split_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def text_right_of(grid: Grid, row: int, col: int) -> tuple[str, int | None]:
    """The first non-empty cell right of (row, col), and its column: a form's value beside
    its label, wherever merged cells put it."""
    texts = grid.row_texts(row)
    for c in range(col + 1, len(texts)):
        if texts[c]:
            return texts[c], c
    return "", None


@dataclass
class FormSheet:
    """A sheet of printed forms, one block of rows per project, built row by row: the rows,
    their merges, which rows are titles and headers, and where each form starts."""

    width: int
    rows: list[list[CellValue]] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    titles: list[int] = field(default_factory=list)
    headers: list[int] = field(default_factory=list)

    def add(self, cells: list[CellValue], *spans: tuple[int, int]) -> int:
        """A row of ``cells`` (padded to the width), each span (first, last column) merged."""
        row = len(self.rows)
        self.rows.append(cells + [None] * (self.width - len(cells)))
        self.merges.extend((row, a, row, b) for a, b in spans)
        return row

    def merge_down(self, first: int, last: int, col: int) -> None:
        if last > first:
            self.merges.append((first, col, last, col))

    def sheet(self, name: str, amount_rows: set[int], **layout: Any) -> OutputSheet:
        """The forms as a sheet: titles large, headers shaded, every form on its own page,
        bordered throughout, as wide as the page; ``layout``: widths and number formats."""
        return OutputSheet(
            name=name,
            rows=self.rows,
            merges=self.merges,
            title_rows=self.titles,
            header_rows=self.headers,
            page_breaks=self.titles[1:],
            number_format_rows=amount_rows,
            bordered_rows=(0, max(len(self.rows) - 1, 0)),
            fit_to_width=True,
            **layout,
        )

    def indicator_block(
        self, header: list[CellValue], rows: list[list[CellValue]], l1: list[str]
    ) -> None:
        """A block's header (its label in column A merged down the block) and its rows, with
        ``l1`` written down column B in merged runs."""
        first = self.add(header)
        self.headers.append(first)
        for row in rows:
            self.add(row)
        self.runs(1, first + 1, l1)
        self.merge_down(first, first + len(rows), 0)

    def runs(self, column: int, first: int, values: list[str]) -> None:
        """Write ``values`` down a column from ``first``, each run of equal values once and
        merged, as printed forms show 一级 over its rows."""
        start = 0
        for i in range(1, len(values) + 1):
            if i == len(values) or values[i] != values[start]:
                self.rows[first + start][column] = values[start] or None
                self.merge_down(first + start, first + i - 1, column)
                start = i
