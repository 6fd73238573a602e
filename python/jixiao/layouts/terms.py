"""Long-term and annual blocks: 长期绩效指标 above 年度绩效指标 (Shaanxi's 佳县, Hunan's 宁乡
申报表, and forms like them).

A form per project: 项目名称, 主管部门 / 实施单位, 项目资金 with 年度资金总额, 总体目标 in
中长期目标 and 年度目标, then two indicator blocks, each ``一级指标 | 二级指标 | 指标内容 |
指标值 | 备注`` under its label (the label in a cell merged down the block's left, or on a
row of its own). The two blocks are paired by 二级 + 指标内容: the long-term value is the
实施周期指标值, the annual one the 年度指标值. An indicator of one block only keeps its one
value and is reported, so that nothing is paired by guess.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from jixiao.findings import FindingSpec
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
from jixiao.layouts.headers import TERM_COLUMNS, TERM_LABELS, header_key, match_columns
from jixiao.model import Amounts, Indicator, Project, SourceLocation, Unit
from jixiao.output import OutputSheet

ONE_BLOCK_ONLY = FindingSpec(
    "layout.one_term_only",
    "info",
    "项目“{project}”的指标“{name}”只在{block}中，另一块中没有同名指标",
    "长期指标与年度指标按二级指标和指标内容配对；若是同一指标，请两处写成一样",
)
_TITLE = re.compile(r"申报表|目标表|^\s*[（(]\s*\d{4}\s*年度?\s*[)）]\s*$")
LONG_TERM, ANNUAL = "long_term", "annual"
_BLOCK_NAMES = {LONG_TERM: "长期绩效指标", ANNUAL: "年度绩效指标"}
_KEYS = {header_key(h): f for h, f in TERM_COLUMNS.items()}
_LABEL_KEYS = {header_key(h): f for h, f in TERM_LABELS.items()}


@dataclass
class Block:
    term: str  # LONG_TERM or ANNUAL
    header: int  # row of 一级指标 … 指标值
    columns: dict[str, int]


NAME = "terms"


def detect(grid: Grid, scan: int = 40) -> list[Block] | None:
    """The blocks, when a 长期绩效指标 label is in the first ``scan`` rows (where a form's
    first block is), so that sheets of other layouts are not read through."""
    for row in range(min(scan, grid.n_rows)):
        texts = grid.row_texts(row)
        if any(
            "指标" in header_key(t) and _LABEL_KEYS.get(header_key(t)) == LONG_TERM for t in texts
        ):
            return find_blocks(grid) or None
    return None


def find_blocks(grid: Grid) -> list[Block]:
    """Indicator headers, each under (or beside) a 长期/年度绩效指标 label."""
    blocks: list[Block] = []
    term = ""
    for row in range(grid.n_rows):
        texts = grid.row_texts(row)
        for text in texts:
            label = _LABEL_KEYS.get(header_key(text))
            if label in (LONG_TERM, ANNUAL):
                term = label
        columns = match_columns(texts, _KEYS)
        if term and {"l1", "l3", "value"} <= columns.keys():
            blocks.append(Block(term, row, columns))
            term = ""
    if not any(b.term == LONG_TERM for b in blocks):
        return []
    return blocks


def read(grid: Grid, blocks: list[Block]) -> SheetRead:
    result = SheetRead("terms")
    start = 0
    for number, block in enumerate(blocks):
        if block.term != LONG_TERM:
            continue
        following = next((b for b in blocks[number + 1 :] if b.term == LONG_TERM), None)
        end = following.header if following else grid.n_rows
        form_end = _form_start(grid, start, end) if following else grid.n_rows
        after = blocks[number + 1] if number + 1 < len(blocks) else None
        before = blocks[number - 1] if number > 0 else None
        annual: Block | None = None
        annual_first = False
        if after is not None and after.term == ANNUAL and after.header < form_end:
            annual = after
        elif before is not None and before.term == ANNUAL and before.header >= start:
            annual, annual_first = before, True  # the 年度 block printed above the 长期 one
        first_header = min(block.header, annual.header) if annual else block.header
        project = _project(grid, start, first_header, result)
        if annual_first and annual is not None:
            long_items = _block_rows(grid, block, form_end)
            annual_items = _block_rows(grid, annual, block.header)
        else:
            long_items = _block_rows(grid, block, annual.header if annual else form_end)
            annual_items = _block_rows(grid, annual, form_end) if annual else []
        project.indicators = _paired(project, long_items, annual_items, result)
        result.projects.append(project)
        start = form_end
    return result


def _form_start(grid: Grid, first: int, last: int) -> int:
    """Where the next form begins: its 项目名称 row (or its title above it)."""
    for row in range(last - 1, first, -1):
        if any(_LABEL_KEYS.get(header_key(t)) == "name" for t in grid.row_texts(row)):
            title = row - 1
            while title > first and _is_title(grid.row_texts(title)):
                title -= 1
            return title + 1
    return last


def _is_title(texts: list[str]) -> bool:
    """A form's title row: one text, its name (…申报表, …目标表) or its year (（2025年度）)."""
    filled = [t for t in texts if t]
    return len(filled) == 1 and bool(_TITLE.search(filled[0]))


def _project(grid: Grid, first: int, last: int, result: SheetRead) -> Project:
    found: dict[str, tuple[int, int]] = {}
    for row in range(first, last):
        for col, text in enumerate(grid.row_texts(row)):
            label = _LABEL_KEYS.get(header_key(text))
            if label and label not in found:
                found[label] = (row, col)
    project = Project()
    cells: dict[str, SourceLocation] = {}
    for field in ("name", "unit", "department"):
        if field in found:
            text, value_col = text_right_of(grid, *found[field])
            if value_col is not None:
                cells[field] = grid.location(found[field][0], value_col)
            if field == "name":
                project.name = text
            elif text and (field == "unit" or not project.unit.name):
                project.unit = Unit(name=text)
    if "total" in found:
        row, col = found["total"]
        _, value_col = text_right_of(grid, row, col)
        project.amounts = Amounts(total=read_amount(grid, row, value_col, result.findings))
        if value_col is not None:
            cells["total"] = grid.location(row, value_col)
    if "annual_goal" in found:
        row, col = found["annual_goal"]
        project.goals = split_lines(grid.text(row + 1, col))
    if "long_goal" in found:
        row, col = found["long_goal"]
        project.purpose = grid.text(row + 1, col)  # the long-term goal's place, as for 东莞
    project.source = cells.get("name")
    project.cells = cells
    return project


@dataclass
class _Row:
    indicator: Indicator
    value: str
    value_cell: SourceLocation


def _block_rows(grid: Grid, block: Block, end: int) -> list[_Row]:
    rows: list[_Row] = []
    l1 = l2 = ""
    columns = block.columns
    for row in range(block.header + 1, end):
        texts = {f: grid.text(row, c) for f, c in columns.items()}
        if any(_LABEL_KEYS.get(header_key(t)) for t in grid.row_texts(row)):
            break  # the next block's label, or the next form
        l1 = texts.get("l1") or l1
        l2 = texts.get("l2") or l2
        if not (texts.get("l3") or texts.get("value")):
            continue
        item = Indicator(
            l1=l1,
            l2=l2,
            l3=texts.get("l3", ""),
            remark=texts.get("remark", ""),
            source=grid.location(row, columns["l3"]),
            cells={f: grid.location(row, c) for f, c in columns.items() if f != "value"},
        )
        rows.append(_Row(item, texts.get("value", ""), grid.location(row, columns["value"])))
    return rows


def _paired(
    project: Project, long_items: list[_Row], annual_items: list[_Row], result: SheetRead
) -> list[Indicator]:
    """The annual block's indicators with their long-term values, then those of the
    long-term block that the annual one does not name."""
    # the k-th annual row of a name pairs with the k-th long-term row of that name: a block
    # may name one indicator twice (two 培训人次 rows with different targets)
    by_name: dict[tuple[str, str], list[_Row]] = {}
    for long_row in long_items:
        by_name.setdefault((long_row.indicator.l2, long_row.indicator.l3), []).append(long_row)
    indicators: list[Indicator] = []
    used: set[int] = set()  # id() of the long-term rows paired
    for row in annual_items:
        item = row.indicator
        waiting = by_name.get((item.l2, item.l3))
        paired = waiting.pop(0) if waiting else None
        item.annual_value = row.value
        item.cells["annual_value"] = row.value_cell
        if paired is not None:
            used.add(id(paired))
            item.period_value = paired.value
            item.cells["period_value"] = paired.value_cell
        else:
            _report(result, project, item, ANNUAL)
        indicators.append(item)
    for row in long_items:
        item = row.indicator
        if id(row) in used:
            continue
        item.period_value = row.value
        item.cells["period_value"] = row.value_cell
        if annual_items:
            _report(result, project, item, LONG_TERM)
        indicators.append(item)
    for seq, item in enumerate(indicators, start=1):
        item.seq = seq
    return indicators


def _report(result: SheetRead, project: Project, item: Indicator, term: str) -> None:
    assert item.source is not None
    result.findings.append(
        ONE_BLOCK_ONLY.at(item.source, project=project.name, name=item.l3, block=_BLOCK_NAMES[term])
    )


SHEET = "项目绩效目标申报表"
WIDTH = 6  # label | 一级指标 | 二级指标 | 指标内容 | 指标值 | 备注
_BLOCK_HEADER = ("一级指标", "二级指标", "指标内容", "指标值", "备注")


def write(projects: Sequence[Project], department: str = "") -> list[OutputSheet]:
    """One 申报表 per project: the 长期 block holds the 实施周期指标值, the 年度 block the
    年度指标值, as the reader pairs them; 中长期目标 is the project's ``purpose``."""
    projects = raw_as_named(projects)  # what could not be read stays visible
    form = FormSheet(WIDTH)
    amount_rows = set()
    for project in projects:
        form.titles.append(form.add([SHEET], (0, WIDTH - 1)))
        form.add(["项目名称", project.name], (1, WIDTH - 1))
        unit = project.unit.name
        form.add(["主管部门", department or unit, None, "项目实施单位", unit], (1, 2), (4, 5))
        amount = amount_value(project.amounts.total)
        amount_rows.add(
            form.add(["项目资金（万元）", "中期资金总额", None, "年度资金总额", amount])
        )
        goals = form.add(["总体目标", "中长期目标", None, "年度目标"], (1, 2), (3, WIDTH - 1))
        form.add([None, project.purpose, None, "\n".join(project.goals)], (1, 2), (3, WIDTH - 1))
        form.merge_down(goals, goals + 1, 0)
        items = project.indicators
        for label, value in (("长期绩效指标", "period_value"), ("年度绩效指标", "annual_value")):
            rows: list[list[CellValue]] = [
                [None, None, i.l2, i.l3, getattr(i, value), i.remark] for i in items
            ]
            form.indicator_block([label, *_BLOCK_HEADER], rows, [i.l1 for i in items])
        form.add([])
    return [
        form.sheet(
            SHEET,
            amount_rows,
            column_widths={0: 16, 1: 14, 2: 16, 3: 30, 4: 18, 5: 16},
            number_format_columns={2: "#,##0.00", 4: "#,##0.00"},
        )
    ]
