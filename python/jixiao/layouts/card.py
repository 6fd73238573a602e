"""Cards (Tianjin, Tangshan): one block per project, as the published tables print them.

Labels are found by text, values are the cell right of their label, so cards written by
hand in Excel (no merges, spare spaces like ``其中：财政    资金``) read like ours.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from jixiao.framework import SIMPLIFIED
from jixiao.grid import CellValue, Grid
from jixiao.layouts.base import (
    MONEY_IN_YUAN,
    WAN,
    SheetRead,
    amount_value,
    in_yuan,
    raw_as_named,
    read_amount,
    split_lines,
)
from jixiao.layouts.headers import (
    CARD_COLUMNS,
    CARD_LABELS,
    column_keys,
    header_key,
    match_columns,
)
from jixiao.model import Amounts, Indicator, PlanPoint, Project, Unit
from jixiao.output import OutputSheet

SHEET = "绩效目标表"
WIDTH = 7  # columns A:G, enough for the amounts row, the widest of a card
# Possessive: a cell of 32,767 digits must not be re-split at every digit (quadratic).
# The number is a card's, not a year's: ``2022年…绩效目标表`` is a title of another table.
TITLE = re.compile(r"\s*+(?P<number>\d++)(?![年度])\s*+[.、．]?+\s*+(?P<name>.*?)绩效目标表\s*+\Z")
_UNIT = re.compile(r"(?P<code>\d*+)\s*+(?P<name>.*)$")
_LABEL_KEYS = {header_key(v): k for k, v in CARD_LABELS.items()}
_INDICATOR_KEYS = column_keys(CARD_COLUMNS)


def find_titles(grid: Grid) -> list[int]:
    rows = []
    for row in range(grid.n_rows):
        first = next((t for t in grid.row_texts(row) if t), "")
        if TITLE.match(first.translate(SIMPLIFIED)):  # 績效目標表 from a Traditional mirror too
            rows.append(row)
    return rows


NAME = "card"


def detect(grid: Grid) -> list[int] | None:
    """The card titles, when at least one of them heads a card (项目名称 and 一级指标)."""
    titles = find_titles(grid)
    if not titles:
        return None
    ends = [*titles[1:], grid.n_rows]
    if any(
        _card_parts(grid, start, end)[1] is not None
        for start, end in zip(titles, ends, strict=True)
    ):
        return titles
    return None


def _card_parts(grid: Grid, start: int, end: int) -> tuple[dict[str, tuple[int, int]], int | None]:
    """The labels of a card (key -> cell) and its indicator header row."""
    labels: dict[str, tuple[int, int]] = {}
    header_row = None
    for row in range(start + 1, end):
        for col, text in enumerate(grid.row_texts(row)):
            if not text:
                continue
            word = header_key(text)
            key = _LABEL_KEYS.get(word)
            if key and key not in labels:
                labels[key] = (row, col)
            if word == "一级指标" and header_row is None:
                header_row = row
    return labels, header_row if "name" in labels else None


def read(grid: Grid, titles: list[int]) -> SheetRead:
    result = SheetRead("card")
    for start, end in zip(titles, [*titles[1:], grid.n_rows], strict=True):
        project = _read_card(grid, start, end, result)
        if project is not None:
            result.projects.append(project)
    return result


def _read_card(grid: Grid, start: int, end: int, result: SheetRead) -> Project | None:
    labels, header_row = _card_parts(grid, start, end)
    if header_row is None:
        return None

    def right_of(key: str) -> str:
        if key not in labels:
            return ""
        row, col = labels[key]
        return grid.text(row, col + 1)

    unit_line = next((t for t in grid.row_texts(start + 1) if t), "")
    unit_match = _UNIT.match(unit_line)
    unit = Unit(code=unit_match["code"], name=unit_match["name"].strip()) if unit_match else Unit()

    yuan = in_yuan(grid, start, header_row)  # the card's 单位：元 line
    if yuan is not None:
        result.findings.append(MONEY_IN_YUAN.at(grid.location(*yuan), sheet=grid.sheet))

    def amount(key: str) -> Decimal | None:
        if key not in labels:
            return None
        row, col = labels[key]
        value = read_amount(grid, row, col + 1, result.findings)
        return value / WAN if value is not None and yuan is not None else value

    purpose = ""
    if "total" in labels:
        row = labels["total"][0] + 1
        purpose = next((t for t in grid.row_texts(row)[1:] if t), "")
    plan: list[PlanPoint] = []
    if "plan" in labels:
        row, col = labels["plan"]
        heads, shares = grid.row_texts(row), grid.row_texts(row + 1)
        for c in range(col + 1, len(heads)):
            if heads[c]:
                plan.append(
                    PlanPoint(
                        label=heads[c],
                        value=shares[c] if c < len(shares) else "",
                        source=grid.location(row + 1, c),
                    )
                )
    columns = match_columns(grid.row_texts(header_row), _INDICATOR_KEYS)
    indicators: list[Indicator] = []
    l1 = ""
    for row in range(header_row + 1, end):
        texts = grid.row_texts(row)
        width = len(texts)
        values = {f: texts[c] if c < width else "" for f, c in columns.items()}
        if not any(values.values()):
            continue
        l1 = values.get("l1") or l1  # 一级 is merged down, or left blank, over its rows
        values["l1"] = l1
        values.setdefault("period_value", values.get("annual_value", ""))
        indicators.append(
            Indicator(
                seq=len(indicators) + 1,
                **values,
                source=grid.location(row, columns.get("l3", 0)),
                cells={f: grid.location(row, c) for f, c in columns.items()},
            )
        )
    title = next(t for t in grid.row_texts(start) if t)
    return (
        Project(
            unit=unit,
            code=right_of("code"),
            name=right_of("name"),
            amounts=Amounts(total=amount("total"), fiscal=amount("fiscal"), other=amount("other")),
            purpose=purpose,
            goals=split_lines(right_of("goals")),
            spending_plan=plan,
            indicators=indicators,
            source=grid.location(start, 0),
            cells={k: grid.location(r, c + 1) for k, (r, c) in labels.items()}
            | {"title": grid.location(start, 0)},
        )
        if title
        else None
    )


def write(projects: Sequence[Project]) -> OutputSheet:
    """Cards one under another on one sheet, merged and bordered like the published tables."""
    projects = raw_as_named(projects)  # what could not be read stays visible
    rows: list[list[CellValue]] = []
    merges: list[tuple[int, int, int, int]] = []
    titles: list[int] = []
    headers: list[int] = []
    amount_rows: set[int] = set()
    blank: list[CellValue] = [None] * WIDTH

    def add(cells: list[CellValue], *spans: tuple[int, int]) -> int:
        row = len(rows)
        rows.append(cells + [None] * (WIDTH - len(cells)))
        merges.extend((row, a, row, b) for a, b in spans)
        return row

    for number, project in enumerate(projects, start=1):
        titles.append(add([f"{number}.{project.name}绩效目标表"], (0, WIDTH - 1)))
        add(
            [f"{project.unit.code}{project.unit.name}", None, None, None, None, "单位：万元"],
            (0, 4),
            (5, 6),
        )
        if project.code:
            add(["项目编码", project.code, None, None, "项目名称", project.name], (1, 3), (5, 6))
        else:
            add(["项目名称", project.name], (1, 6))
        amounts = project.amounts
        first = add(
            [
                "预算规模及资金用途",
                "预算数",
                amount_value(amounts.total),
                "其中：财政资金",
                amount_value(amounts.fiscal),
                "其他资金",
                amount_value(amounts.other),
            ]
        )
        add([None, project.purpose], (1, 6))
        merges.append((first, 0, first + 1, 0))
        amount_rows.add(first)
        if project.spending_plan:
            plan_row = add(["资金支出计划（%）", *(p.label for p in project.spending_plan)])
            add([None, *(p.value for p in project.spending_plan)])
            merges.append((plan_row, 0, plan_row + 1, 0))
        add(["绩效目标", "\n".join(project.goals)], (1, 6))
        fields = ["l1", "l2", "l3", "description"]
        two_values = any(
            i.period_value and i.period_value != i.annual_value for i in project.indicators
        )
        fields += ["period_value", "annual_value"] if two_values else ["annual_value"]
        if any(i.basis for i in project.indicators):
            fields.append("basis")
        names = {
            "period_value": "实施周期指标值",
            "annual_value": "年度指标值" if two_values else "指标值",
        }
        labels = {v: k for k, v in CARD_COLUMNS.items() if k != "年度指标值"} | names
        spans = _spans(len(fields))
        headers.append(add(_spread([labels[f] for f in fields], spans), *_merges(spans)))
        run_start = len(rows)
        for index, item in enumerate(project.indicators):
            row = add(_spread([getattr(item, f) for f in fields], spans), *_merges(spans))
            rows[row][0] = (
                item.l1 if index == 0 or item.l1 != project.indicators[index - 1].l1 else None
            )
            if index and item.l1 != project.indicators[index - 1].l1:
                if row - 1 > run_start:
                    merges.append((run_start, 0, row - 1, 0))
                run_start = row
        if len(rows) - 1 > run_start:
            merges.append((run_start, 0, len(rows) - 1, 0))
        rows.append(list(blank))
    return OutputSheet(
        name=SHEET,
        rows=rows,
        merges=merges,
        column_widths={0: 16, 1: 20, 2: 24, 3: 24, 4: 14, 5: 14, 6: 16},
        title_rows=titles,
        page_breaks=titles[1:],  # each card starts a printed page
        number_format_columns={2: "#,##0.00", 4: "#,##0.00", 6: "#,##0.00"},
        number_format_rows=amount_rows,
        header_rows=headers,
        bordered_rows=(0, len(rows) - 1),
        fit_to_width=True,
    )


def _spans(count: int) -> list[tuple[int, int]]:
    """Spread ``count`` fields over the columns; 描述 and the last field take the spare ones."""
    widths = [1] * count
    spare = WIDTH - count
    widths[3] += (spare + 1) // 2
    widths[-1] += spare // 2
    spans, col = [], 0
    for width in widths:
        spans.append((col, col + width - 1))
        col += width
    return spans


def _spread(values: list[CellValue], spans: list[tuple[int, int]]) -> list[CellValue]:
    cells: list[CellValue] = [None] * WIDTH
    for value, (start, _) in zip(values, spans, strict=True):
        cells[start] = value
    return cells


def _merges(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    return [span for span in spans if span[1] > span[0]]
