"""校验's marks on a clerk's sheet: an overlay that never replaces what the clerk formatted.

Excel cannot undo what a macro did, so colouring the problem cells directly would destroy a
clerk's own fills for good. Instead each checked sheet gets a hidden mirror sheet holding,
one row below each problem cell's own position, the severity of its worst finding, and three
conditional formats on the checked sheet that colour a cell when its mirror cell names a
severity. Row 1 of the mirror names the sheet it marks. Clearing the mirror (清除标记, or a
new 校验) removes every mark at once and leaves the clerk's fills, fonts and rules as they were.
The rules are added once, when the mirror is made, so repeated checks do not pile them up.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import xlwings as xw

from jixiao.excel.bridge import blocks, excel_value, unique_name
from jixiao.grid import a1

MARK_SHEET = "校验标记"
MARKS_HEADER = "校验标记（由“校验”写入，“清除标记”清空；请勿编辑）："
MARK_COLORS = {"错误": "#FFC7CE", "警告": "#FFEB9C", "提示": "#DDEBF7"}
MAX_MARK_CELLS = 100_000  # one write per this many cells of the mirror


def _quoted(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def mark_sheets(book: xw.Book) -> dict[str, xw.Sheet]:
    """The mirror sheet of each checked sheet, by the name of the sheet it marks."""
    found: dict[str, xw.Sheet] = {}
    for sheet in book.sheets:
        if not sheet.name.startswith(MARK_SHEET):
            continue
        header = sheet.range("A1").value
        if isinstance(header, str) and header.startswith(MARKS_HEADER):
            found[header[len(MARKS_HEADER) :]] = sheet
    return found


def _new_mirror(book: xw.Book, target: xw.Sheet, rows: int, cols: int) -> xw.Sheet:
    mirror = book.sheets.add(unique_name(book, MARK_SHEET), after=book.sheets[-1])
    mirror.range("A1").value = MARKS_HEADER + target.name
    mirror.visible = False
    # The top-left cell of the rule's range reads the mirror one row down; Excel shifts the
    # relative reference for every other cell. Errors first, and they stop the others.
    area = target.range((1, 1), (rows, cols))
    for label, color in MARK_COLORS.items():
        rule = f'={_quoted(mirror.name)}!A2="{label}"'
        area.conditional_formats.add_custom(rule, fill_color=color, stop_if_true=True)
    return mirror


def mark_cells(book: xw.Book, target: xw.Sheet, labels: Mapping[tuple[int, int], str]) -> None:
    """Show ``labels`` (0-based (row, col) -> 错误/警告/提示) over ``target``'s own formats;
    marks of an earlier check of the same sheet are cleared first."""
    extent = target.used_range
    rows = max([extent.last_cell.row] + [r + 1 for r, _ in labels])
    cols = max([extent.last_cell.column] + [c + 1 for _, c in labels])
    mirror = mark_sheets(book).get(target.name)
    if mirror is None:
        if not labels:
            return
        mirror = _new_mirror(book, target, rows, cols)
    else:
        _clear(mirror)
    for first, last, left, right in blocks(labels, MAX_MARK_CELLS):
        matrix: list[list[Any]] = [
            [excel_value(labels.get((r, c))) for c in range(left, right + 1)]
            for r in range(first, last + 1)
        ]
        mirror.range(f"{a1(first + 1, left)}:{a1(last + 1, right)}").value = matrix


def _clear(mirror: xw.Sheet) -> None:
    used = mirror.used_range
    if used.last_cell.row > 1:
        mirror.range((2, 1), (used.last_cell.row, max(1, used.last_cell.column))).clear_contents()


def clear_marks(book: xw.Book) -> int:
    """Empty every mirror sheet: the number of sheets whose marks were removed."""
    mirrors = mark_sheets(book)
    for mirror in mirrors.values():
        _clear(mirror)
    return len(mirrors)
