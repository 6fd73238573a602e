"""Whole sheets between an xlwings Book and the library: a handful of calls per action.

Excel work is bulk: a sheet is read with one ``used_range`` read and written with one
``value`` assignment plus a fixed number of format calls, whatever its size.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import sys
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import xlwings as xw

from jixiao.bulk import paused_gc
from jixiao.errors import WorkbookError
from jixiao.grid import CellValue, Grid, a1
from jixiao.output import Formula, OutputSheet

TITLE = "绩效目标"
FORMULA_STARTS = ("=", "+", "-", "@")
MAX_COLOR_CELLS = 10_000  # xlwings' limit per set_colors call


class ActionError(Exception):
    """A problem to show the clerk in a message box, in Chinese, without a traceback."""


def caller(book: xw.Book | None) -> xw.Book:
    return book if book is not None else xw.Book.caller()


def read_sheet(sheet: xw.Sheet) -> Grid:
    """The used range of a sheet as a grid, in one read."""
    used = sheet.used_range
    values = used.options(ndim=2).value or [[]]
    rows = [[None if v == "" else v for v in row] for row in values]
    origin = (used.row - 1, used.column - 1)
    return Grid(values=rows, sheet=sheet.name, file=sheet.book.name, origin=origin)


def unique_name(book: xw.Book, wanted: str) -> str:
    """``wanted``, or ``wanted (2)``… so that no existing sheet is ever replaced."""
    names = {s.name for s in book.sheets}
    if wanted not in names:
        return wanted
    number = 2
    while f"{wanted} ({number})" in names:
        number += 1
    return f"{wanted} ({number})"


def excel_value(value: CellValue) -> Any:
    """A cell value as Excel should receive it: text never becomes a formula, nothing is
    ``None`` (an empty cell is ``""`` to every engine), a date is ISO text."""
    if value is None:
        return ""
    if isinstance(value, Formula):
        return str(value)
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _excel_row(row: list[CellValue], width: int) -> list[Any]:
    """excel_value over a row, padded to ``width``; plain text and numbers, nearly every
    cell, pass without a call (half a million cells in a large 指标明细)."""
    formula_first = _FORMULA_FIRST
    out = [
        v
        if (v.__class__ is str and v[:1] not in formula_first) or v.__class__ in _NUMBERS
        else ""
        if v is None
        else excel_value(v)
        for v in row
    ]
    if len(out) < width:
        out.extend([""] * (width - len(out)))
    return out


_FORMULA_FIRST = frozenset(FORMULA_STARTS)
_NUMBERS = (int, float)


def _plain_rows(rows: list[list[CellValue]], width: int) -> list[list[CellValue]] | None:
    """The rows as they are (a new outer list) when every cell is already what the engine
    sends, else ``None``. Judged on each column's distinct values, not cell by cell: a
    指标明细 of 37,000 rows and 14 columns holds ~5,000 (0.15 s -> 0.04 s)."""
    if any(len(row) != width for row in rows):
        return None
    try:
        columns = [set(column) for column in zip(*rows, strict=True)]
    except TypeError:  # a value that cannot be hashed: let excel_value look at it
        return None
    formula_first = _FORMULA_FIRST
    for values in columns:
        for v in values:
            if not ((v.__class__ is str and v[:1] not in formula_first) or v.__class__ in _NUMBERS):
                return None
    return list(rows)


def write_output(book: xw.Book, spec: OutputSheet, name: str | None = None) -> xw.Sheet:
    """A new sheet (after the last) holding ``spec``: values in one write, then fixed formats."""
    sheet = book.sheets.add(unique_name(book, name or spec.name), after=book.sheets[-1])
    width = max((len(r) for r in spec.rows), default=0)
    if width:
        # Already what the engine sends (excel_value): raw_value skips xlwings' per-cell
        # conversion, which was most of the time of writing a large sheet.
        rows = _plain_rows(spec.rows, width)
        if rows is None:
            rows = [_excel_row(row, width) for row in spec.rows]
        sheet.range((1, 1), (len(rows), width)).raw_value = rows
    for row in spec.header_rows[:1]:  # the header of a table; cards repeat theirs per card
        sheet.range((row + 1, 1), (row + 1, width)).font.bold = True
    for col, col_width in spec.column_widths.items():
        sheet.range((1, col + 1)).column_width = col_width
    if spec.row_colors:  # whole rows, in as few calls as the colour matrix allows
        colors = {(r, c): color for r, color in spec.row_colors.items() for c in range(width)}
        color_cells(sheet, colors)
    return sheet


def blocks(cells: Mapping[tuple[int, int], Any], most: int) -> Iterator[tuple[int, int, int, int]]:
    """The rectangle around ``cells`` in bands of whole rows of at most ``most`` cells, as
    (first row, last row, left column, right column): one call per band, not per cell."""
    if not cells:
        return
    top = min(r for r, _ in cells)
    bottom = max(r for r, _ in cells)
    left = min(c for _, c in cells)
    right = max(c for _, c in cells)
    step = max(1, most // (right - left + 1))
    for first in range(top, bottom + 1, step):
        yield first, min(bottom, first + step - 1), left, right


def color_cells(sheet: xw.Sheet, colors: dict[tuple[int, int], str]) -> None:
    """Fill the given (row, col) cells (0-based, sheet coordinates) in bulk, others unchanged."""
    for first, last, left, right in blocks(colors, MAX_COLOR_CELLS):
        matrix: list[list[Any]] = [
            [colors.get((r, c), ...) for c in range(left, right + 1)]
            for r in range(first, last + 1)
        ]
        sheet.range(f"{a1(first, left)}:{a1(last, right)}").set_colors(matrix)


def status(book: xw.Book, text: str | None) -> None:
    """Excel's status bar, where the engine has one (the remote engine does not)."""
    with contextlib.suppress(NotImplementedError, AttributeError):
        book.app.status_bar = text if text is not None else False


def alert(book: xw.Book, message: str) -> None:
    book.app.alert(message, TITLE)


def action(function: Callable[..., str]) -> Callable[..., str | None]:
    """A ribbon action: progress in the status bar, the outcome or any failure in a message box.

    The wrapped function takes the Book first and returns the Chinese summary to show.
    """

    @functools.wraps(function)
    def run(book: xw.Book | None = None, **options: Any) -> str | None:
        book = caller(book)
        status(book, f"{TITLE}：正在处理……")
        try:
            with paused_gc():  # once per action: tens of thousands of acyclic records
                message = function(book, **options)
        except (ActionError, WorkbookError) as error:
            alert(book, str(error))
            return None
        except Exception as error:  # a clerk gets a message, the log gets the traceback
            traceback.print_exc(file=sys.stderr)
            alert(book, f"处理时出现意外错误：{error}。请把这条信息发给系统管理员。")
            return None
        finally:
            status(book, None)
        alert(book, message)
        return message

    return run


def active_grid(book: xw.Book) -> Grid:
    sheet = book.sheets.active
    grid = read_sheet(sheet)
    if not any(any(v is not None for v in row) for row in grid.values):
        raise ActionError(f"工作表“{sheet.name}”是空的：请先打开填有绩效目标表的工作表")
    return grid


def sheets_named(book: xw.Book, names: Sequence[str]) -> list[xw.Sheet]:
    return [s for s in book.sheets if s.name in names]
