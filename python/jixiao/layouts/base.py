"""What every layout reader returns: projects, findings, and the sheet totals it saw."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.findings import FindingSpec
from jixiao.grid import CellValue, Grid, parse_amount
from jixiao.model import Finding, Project, SourceLocation

BAD_AMOUNT = FindingSpec(
    "workbook.amount",
    "error",
    "金额“{text}”不是数字",
    "填写数字（单位：万元），如 5373.54；不要写文字或单位",
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


def read_amount(grid: Grid, row: int, col: int | None, findings: list[Finding]) -> Decimal | None:
    if col is None:
        return None
    value: CellValue = grid.value(row, col)
    try:
        return parse_amount(value)
    except ValueError:
        findings.append(BAD_AMOUNT.at(grid.location(row, col), text=str(value)))
        return None


def amount_value(amount: Decimal | None) -> float | None:
    """An amount as a number cell (Excel has no decimal type)."""
    return None if amount is None else float(amount)


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
