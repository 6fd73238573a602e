"""A grid: the 2-D cell values of a sheet region plus where it sits, between I/O and layouts.

File readers and Excel ranges both produce grids; layout readers only ever see grids,
so the same code serves a file on disk, an open workbook and a UDF argument, and every
value can be traced back to its cell.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from jixiao.model import SheetColumns, SourceLocation

CellValue = str | int | float | bool | datetime | date | time | timedelta | None
Merge = tuple[
    int, int, int, int
]  # first row, first col, last row, last col (inclusive, grid-relative)

_AMOUNT_JUNK = re.compile(r"[,，\s　]|万元$")


@lru_cache(maxsize=1 << 14)  # Excel has 16,384 columns
def column_letter(index: int) -> str:
    """0-based column index -> ``A``, ``Z``, ``AA`` …"""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@lru_cache(maxsize=1 << 16)  # readers name the same cells file after file; one string each
def a1(row: int, col: int) -> str:
    """0-based sheet coordinates -> ``A1`` reference."""
    return f"{column_letter(col)}{row + 1}"


@lru_cache(maxsize=1 << 16)
def position(reference: str) -> tuple[int, int]:
    """``A1`` reference -> 0-based sheet coordinates (row, col); the inverse of ``a1``."""
    letters = reference.rstrip("0123456789").lstrip("$").replace("$", "").upper()
    col = 0
    for letter in letters:
        col = col * 26 + ord(letter) - 64
    return int(reference[len(reference.rstrip("0123456789")) :]) - 1, col - 1


_FLOAT_TEXTS: dict[float, str] = {}


def cell_text(value: CellValue) -> str:
    """A cell as clerks read it: numbers without a spurious ``.0``, text trimmed."""
    if value is None:
        return ""
    if value.__class__ is str:  # nearly every cell: first, without isinstance
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        text = _FLOAT_TEXTS.get(value)
        if text is None:  # 序号 and codes repeat down a sheet: each number written once
            text = str(int(value)) if value.is_integer() else repr(value)
            if len(_FLOAT_TEXTS) < 65_536:
                _FLOAT_TEXTS[value] = text
        return text
    if isinstance(value, str):
        return value.strip()
    return str(value)


def parse_amount(value: CellValue) -> Decimal | None:
    """An amount in 万元 from a number or text like ``5,373.54``; ``None`` when empty.

    Raises ``ValueError`` for text that is no number, for the caller to report.
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(str(value))
    if isinstance(value, int | float):
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not isinstance(value, str):
        raise ValueError(str(value))
    text = _AMOUNT_JUNK.sub("", value)
    if not text:
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError(value) from None
    if not math.isfinite(amount):  # "NaN", "Infinity", "1e999": no number a cell can hold
        raise ValueError(value)
    return amount


_GONE: list[CellValue] = []  # a row let go (shared: never appended to)


@dataclass
class Grid:
    values: list[list[CellValue]]
    sheet: str = "Sheet1"
    file: str | None = None
    origin: tuple[int, int] = (0, 0)  # sheet row and column (0-based) of values[0][0]
    merged: list[Merge] = field(default_factory=list)
    # (row, col) -> number format of the cells whose format changes how they read (``0%``):
    # their text is the number as the cell shows it, their value the number
    formats: dict[tuple[int, int], str] = field(default_factory=dict)
    # a grid read_workbook made for itself and drops once read: a reader passing once over
    # its rows may let each go as it reads it (``let_go``), so that a million-row sheet and
    # the projects read from it are never both whole
    transient: bool = field(default=False, compare=False)
    # row_texts, once per row: read once, a grid's values are not changed
    _row_texts: dict[int, list[str]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _merge_starts: dict[tuple[int, int], Merge] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    _merges_by_row: dict[int, list[Merge]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    @property
    def n_rows(self) -> int:
        return len(self.values)

    @property
    def n_cols(self) -> int:
        return max((len(row) for row in self.values), default=0)

    def value(self, row: int, col: int) -> CellValue:
        if 0 <= row < len(self.values) and 0 <= col < len(self.values[row]):
            return self.values[row][col]
        return None

    def text(self, row: int, col: int) -> str:
        if self.formats:  # the row's texts show the formats, once per row
            texts = self.row_texts(row)
            return texts[col] if 0 <= col < len(texts) else ""
        return cell_text(self.value(row, col))

    def row_texts(self, row: int, *, keep: bool = True) -> list[str]:
        """The row as clerks read it; the same list on every call, not to be changed (each
        layout's detector reads the first rows of every sheet: six times over, uncached).
        ``keep=False``: a reader passing once over a long sheet, whose rows kept would be as
        large as the sheet again."""
        texts = self._row_texts.get(row)
        if texts is None:
            if not 0 <= row < len(self.values):
                return []
            # text and empty cells inline (most of a sheet), the others through cell_text
            texts = [
                v.strip() if v.__class__ is str else "" if v is None else cell_text(v)
                for v in self.values[row]
            ]
            if self.formats:
                self._show_formats(row, texts)
            if keep:
                self._row_texts[row] = texts
        return texts

    def _show_formats(self, row: int, texts: list[str]) -> None:
        from jixiao.files.number_formats import render

        values = self.values[row]
        for col in range(len(texts)):
            code = self.formats.get((row, col))
            value = values[col]
            if code is None or isinstance(value, bool | str) or value is None:
                continue
            if isinstance(value, int | float | date | time):
                texts[col] = render(value, code)

    def let_go(self, row: int) -> None:
        """Drop a row already read, where the grid is transient; its texts stay with the
        models that took them."""
        if self.transient:
            self.values[row] = _GONE

    def a1(self, row: int, col: int) -> str:
        return a1(self.origin[0] + row, self.origin[1] + col)

    def location(self, row: int, col: int) -> SourceLocation:
        # positional, a1 called directly: readers make one per cell they read
        return SourceLocation(self.file, self.sheet, a1(self.origin[0] + row, self.origin[1] + col))

    def columns_of(self, columns: Mapping[str, int]) -> SheetColumns:
        """The named columns of a table on this sheet, for its rows' ``RowCells``."""
        first = self.origin[1]
        letters = {name: column_letter(first + col) for name, col in columns.items()}
        return SheetColumns(self.file, self.sheet, letters)

    def row_locations(self, row: int, columns: Mapping[str, int]) -> dict[str, SourceLocation]:
        """Where each named cell of a row is: a row reader's cells in one go (a wide sheet of
        5,000 projects names 40,000 cells)."""
        number = str(self.origin[0] + row + 1)
        file, sheet, first = self.file, self.sheet, self.origin[1]
        return {
            name: SourceLocation(file, sheet, column_letter(first + col) + number)
            for name, col in columns.items()
        }

    def merge_from(self, row: int, col: int) -> Merge | None:
        """The merge whose top-left cell is (row, col): indexed once, so that a reader asking
        of every header cell of a sheet of thousands of forms stays linear."""
        if self._merge_starts is None:
            self._merge_starts = {(m[0], m[1]): m for m in self.merged}
        return self._merge_starts.get((row, col))

    def merges_over(self, row: int) -> list[Merge]:
        """The merges that cover ``row`` (a label merged down beside it), indexed once."""
        if self._merges_by_row is None:
            by_row: dict[int, list[Merge]] = {}
            for merge in self.merged:
                if merge[2] - merge[0] > 1000:  # a whole column merged: not a label's span
                    continue
                for r in range(merge[0], merge[2] + 1):
                    by_row.setdefault(r, []).append(merge)
            self._merges_by_row = by_row
        return self._merges_by_row.get(row, [])

    def filled_row_texts(self, row: int) -> list[str]:
        """The row's texts with each cell a merge covers from above showing the merge's text,
        as a reader of the printed table sees it (a unit name merged down over its projects).
        A copy: row_texts stays as the cells hold."""
        texts = self.row_texts(row)
        merges = [m for m in self.merges_over(row) if m[0] < row] if self.merged else []
        if not merges:
            return texts
        texts = list(texts)
        for top, left, _bottom, _right in merges:
            if left < len(texts) and not texts[left]:
                above = self.row_texts(top)
                texts[left] = above[left] if left < len(above) else ""
        return texts

    def merge_at(self, row: int, col: int) -> Merge | None:
        for merge in self.merged:
            if merge[0] <= row <= merge[2] and merge[1] <= col <= merge[3]:
                return merge
        return None
