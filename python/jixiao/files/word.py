"""Word documents into grids: each table as a sheet with its merged cells, the text as
a 正文 sheet, and a card's title printed as a paragraph put back above its table."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jixiao.errors import WorkbookError, reason
from jixiao.files.guard import MAX_CELLS
from jixiao.files.paths import readable
from jixiao.grid import CellValue, Grid, cell_text

# a paragraph that is a label and its value: a short label, a colon, the value
_LABEL_LINE = re.compile(r"^[^：:，。；;]{2,12}[：:]\s*\S")
MAX_COLUMNS = 16_384  # Excel's; a Word table is read as a sheet
BODY_SHEET = "正文"  # a Word document's paragraphs, one per row


def read_docx(path: Path) -> tuple[list[Grid], list[str]]:
    """Every table of a Word document as a grid (表1, 表2 …), merged cells as in a sheet: the
    text in the top-left cell, the span in ``merged``, so the same readers take it; and the
    names of the sheets so made."""
    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError:
        raise WorkbookError(
            f"{readable(path.name)}：读取 Word 文档需要 python-docx，此环境中没有；"
            "请把表格复制到 Excel 中另存为 .xlsx 后再试"
        ) from None
    from lxml.etree import XMLSyntaxError  # python-docx parses with lxml

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError, XMLSyntaxError) as error:
        raise WorkbookError(
            f"{readable(path.name)} 已损坏或不是有效的 Word 文档（{reason(error)}）"
        ) from None
    grids: list[Grid] = []
    names: list[str] = []
    lines = [p.text.strip() for p in document.paragraphs if p.text.strip()]
    if lines:  # the text around the tables: a 部门整体 section is written there
        names.append(BODY_SHEET)
        grids.append(Grid(values=[[line] for line in lines], sheet=BODY_SHEET, file=readable(path)))
    for number, (table, above) in enumerate(_tables_with_text_above(document), start=1):
        name = f"表{number}"
        names.append(name)
        grid = _table_grid(table, readable(path), name)
        if grid is not None:
            grids.append(_with_title(grid, above))
    return grids, names


def _tables_with_text_above(document: Any) -> Iterator[tuple[Any, list[str]]]:
    """Each table with the paragraphs between it and the previous table, in document order:
    a card published in Word often has its ``N.…绩效目标表`` title and unit line as text."""
    from docx.table import Table

    above: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = "".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")).strip()
            if text:
                above.append(text)
        elif tag == "tbl":
            yield Table(child, document), above
            above = []


def _with_title(grid: Grid, above: list[str]) -> Grid:
    """The table with its title put back on top when the title was a paragraph above it and
    the table has none of its own (the lines from the title down come with it)."""
    from jixiao.layouts.card import TITLE

    first = next((cell_text(v) for row in grid.values[:2] for v in row if cell_text(v)), "")
    if TITLE.match(first):
        return grid
    start = next((i for i in range(len(above) - 1, -1, -1) if TITLE.match(above[i])), None)
    if start is None or len(above) - start > 4:
        # no card title: the label lines right above the table (项目名称：…, 实施单位：…,
        # 单位：万元), which a form printed in Word often keeps outside its table
        start = len(above)
        while start > 0 and len(above) - start < 6 and _LABEL_LINE.match(above[start - 1]):
            start -= 1
        if start == len(above):
            return grid
    lines = above[start:]
    width = max(len(row) for row in grid.values)
    rows: list[list[CellValue]] = [[line] + [None] * (width - 1) for line in lines]
    shift = len(lines)
    merged = [(r0 + shift, c0, r1 + shift, c1) for r0, c0, r1, c1 in grid.merged]
    return Grid(values=rows + grid.values, sheet=grid.sheet, file=grid.file, merged=merged)


def _table_grid(table: Any, file: str, sheet: str) -> Grid | None:
    """Walk the table's XML once: ``gridSpan`` widens a cell, ``vMerge`` continues the one
    above (python-docx's ``row.cells`` recomputes the whole grid per row: quadratic)."""
    from docx.table import _Cell

    cells: dict[tuple[int, int], str] = {}
    merges: dict[tuple[int, int], list[int]] = {}  # top-left -> [last row, last column]
    open_down: dict[int, tuple[int, int]] = {}  # column -> top-left of a vertical merge
    width = 0
    for r, tr in enumerate(table._tbl.tr_lst):
        c = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            if not 1 <= span <= MAX_COLUMNS - c:  # a hostile w:gridSpan: refused, not allocated
                raise WorkbookError(
                    f"{Path(file).name} 的{sheet}中有单元格跨 {span} 列，"
                    f"不是有效的 Word 表格（最多 {MAX_COLUMNS:,} 列），已拒绝读取"
                )
            merge = tc.vMerge
            if merge == "continue" and c in open_down:
                top = open_down[c]
                merges[top][0] = r
            else:
                cells[(r, c)] = _Cell(tc, table).text.strip()
                if span > 1 or merge == "restart":
                    merges[(r, c)] = [r, c + span - 1]
                if merge == "restart":
                    open_down[c] = (r, c)
                else:
                    open_down.pop(c, None)
            c += span
        width = max(width, c)
        if r * width > MAX_CELLS:
            return None
    rows = len(table._tbl.tr_lst)
    values: list[list[CellValue]] = [[None] * width for _ in range(rows)]
    for (r, c), text in cells.items():
        values[r][c] = text or None
    if not any(v is not None for row in values for v in row):
        return None
    merged = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in merges.items() if (r1, c1) != (r0, c0)]
    return Grid(values=values, sheet=sheet, file=file, merged=merged)
