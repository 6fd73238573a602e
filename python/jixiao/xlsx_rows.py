"""Whole rows of text and numbers written straight into XlsxWriter's constant-memory stream.

XlsxWriter's per-cell API costs about 10 µs a cell (argument checks, a cell record, an XML
element built from a list of attributes, three regular expressions); a consolidation writes
hundreds of thousands of cells, and that was most of its time. ``RowWriter`` writes the same
XML for a whole row in one string. It uses XlsxWriter's internals (the row stream, the
pending row, the sheet's dimensions), so it is only used with the versions it was checked
against byte for byte (``CHECKED_VERSIONS``, tests/test_xlsx_rows.py); with any other
version, and for any row holding something other than text and numbers, the rows go
through the public API as before.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xlsxwriter.format import Format
    from xlsxwriter.worksheet import Worksheet

CHECKED_VERSIONS = frozenset({"3.3.1"})

# What makes the library change a string on its way to XML: XML's special characters,
# control characters, Excel's own "_xHHHH_" escapes and the two non-characters. A row whose
# text has none of them is written as it is; otherwise each cell takes the library's escapes.
_NEEDS_ESCAPING = re.compile(r"[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_")
_LONGEST_PLAIN = 32_767 // 2  # longer text may need the library's UTF-16 check and cut
_COLUMN_NAMES: list[str] = []


class RowWriter:
    """Writes rows as XlsxWriter's constant-memory mode would, a row at a time.

    The library writes a row when the first cell of a later row arrives, and the sheet's
    last row when the file is closed; a caller hands the last row to the public API so that
    formats are numbered in the same order (tests compare the files byte for byte).
    """

    def __init__(self, sheet: Worksheet) -> None:
        import xlsxwriter
        from xlsxwriter.utility import xl_col_to_name

        self.sheet = sheet
        # off (every write refused) with other versions, and where rows are kept till the end
        self.enabled = xlsxwriter.__version__ in CHECKED_VERSIONS and bool(sheet.constant_memory)
        self._column_name = xl_col_to_name
        self._numbered: dict[int, str] = {}  # id(format) -> ' s="N"', once numbered
        self._style_lists: dict[int, list[str | None]] = {}  # id(formats) -> per column
        self._keep: list[Sequence[Format | None]] = []

    def write(
        self, row: int, values: Sequence[Any], formats: Sequence[Format | None], *, blanks: bool
    ) -> bool:
        """Write ``values`` (text, numbers, ``None``) as row ``row``; ``False`` when the row
        needs the public API. ``formats`` has one entry per column (or none); ``blanks``
        writes empty cells that have a format, as ``write_blank`` does."""
        sheet = self.sheet
        texts = [v for v in values if v.__class__ is str]
        if (
            not self.enabled
            or sheet.col_info  # column formats would apply to unformatted cells
            or row >= sheet.xls_rowmax
            or len(values) > sheet.xls_colmax
            or row < sheet.previous_row  # already written: the library ignores such writes
            or (row == sheet.previous_row and sheet.table)  # cells of this row already given
            or max(map(len, texts), default=0) > _LONGEST_PLAIN  # the library's UTF-16 cut
        ):
            return False
        if row > sheet.previous_row:  # the library's pending row goes first, as it would
            sheet._write_single_row(row)
        careful = _NEEDS_ESCAPING.search("\n".join(texts)) is not None
        cells = self._cells(row, values, formats, blanks, careful)
        if cells is None:
            return False  # the library takes the row from here, as if it had been given it
        xml, first, last = cells
        info = sheet.row_info.get(row)
        if first is not None:
            start = self._row_start(row, info)
            if start is None:
                sheet._write_row(row, None, info)
                start = ""
            sheet.fh.write(start + xml + "</row>")
            self._grow(row, first, last)
        elif info is not None:
            sheet._write_empty_row(row, None, info)
        sheet.previous_row = row + 1  # nothing pending: the next row starts afresh
        return True

    def _cells(
        self,
        row: int,
        values: Sequence[Any],
        formats: Sequence[Format | None],
        blanks: bool,
        careful: bool,
    ) -> tuple[str, int | None, int] | None:
        """The row's cell elements and its first and last written column, or ``None`` when a
        value needs the public API (a formula, a date, a boolean, a non-finite number, text
        the library would take for rich text)."""
        number = str(row + 1)
        names = self._names(len(values))
        styles = self._row_styles(formats)
        parts: list[str] = []
        append = parts.append
        first = None
        last = 0
        for col, value in enumerate(values):
            cls = value.__class__
            if cls is str and value:
                if careful:
                    text, space = self._text(value)
                    if text is None:
                        return None
                else:
                    text, space = value, value.strip() != value
                text = f'<t xml:space="preserve">{text}' if space else f"<t>{text}"
                style = styles[col] if col < len(styles) else ""
                if style is None:
                    style = self._style(formats, col)
                append(f'<c r="{names[col]}{number}"{style} t="inlineStr"><is>{text}</t></is></c>')
            elif cls is float or cls is int or cls is Decimal:
                amount = float(value)
                if not math.isfinite(amount):
                    return None
                style = styles[col] if col < len(styles) else ""
                if style is None:
                    style = self._style(formats, col)
                append(f'<c r="{names[col]}{number}"{style}><v>{amount:.16G}</v></c>')
            elif value is None or cls is str:
                if not blanks or col >= len(styles) or formats[col] is None:
                    continue
                style = styles[col]
                if style is None:
                    style = self._style(formats, col)
                append(f'<c r="{names[col]}{number}"{style}/>')
            else:
                return None
            if first is None:
                first = col
            last = col
        return "".join(parts), first, last

    def _row_styles(self, formats: Sequence[Format | None]) -> list[str | None]:
        """Each column's ``s`` attribute for this list of formats (rows of a kind share one
        list); ``None`` until the format is first written, when the library numbers it."""
        styles = self._style_lists.get(id(formats))
        if styles is None or len(styles) != len(formats):
            styles = self._style_lists[id(formats)] = [
                "" if f is None else self._numbered.get(id(f)) for f in formats
            ]
            self._keep.append(formats)  # ids stay unique while the list is alive
        return styles

    def _style(self, formats: Sequence[Format | None], col: int) -> str:
        fmt = formats[col]
        assert fmt is not None
        style = self._numbered.get(id(fmt))
        if style is None:
            style = self._numbered[id(fmt)] = f' s="{fmt._get_xf_index()}"'
        self._style_lists[id(formats)][col] = style
        return style

    def _text(self, value: str) -> tuple[str | None, bool]:
        """Text escaped by the library's own steps, in its order; ``None`` for rich text."""
        text = self.sheet._escape_control_characters(value)
        if text.startswith("<r>") and text.endswith("</r>"):
            return None, False
        space = text[:1].isspace() or text[-1:].isspace()
        return self.sheet._escape_data(text), space

    def _row_start(self, row: int, info: Any) -> str | None:
        """The ``<row>`` tag of a plain row or one of set height, as ``_write_row`` writes
        it; ``None`` for anything else (hidden, outlined, formatted rows), left to it."""
        sheet = self.sheet
        if sheet.excel_version == 2010 or sheet.default_row_height != sheet.original_row_height:
            return None
        if info is None:
            return f'<row r="{row + 1}">'
        if info.row_format or info.hidden or info.level or info.collapsed:
            return None
        if info.height == sheet.original_row_height:
            return f'<row r="{row + 1}">'
        return f'<row r="{row + 1}" ht="{info.height * 0.75:.16g}" customHeight="1">'

    def _names(self, width: int) -> list[str]:
        while len(_COLUMN_NAMES) < width:
            _COLUMN_NAMES.append(self._column_name(len(_COLUMN_NAMES)))
        return _COLUMN_NAMES

    def _grow(self, row: int, first: int, last: int) -> None:
        """The sheet's dimensions, as the library keeps them for each cell it is given."""
        sheet = self.sheet
        if sheet.dim_rowmin is None or row < sheet.dim_rowmin:
            sheet.dim_rowmin = row
        if sheet.dim_rowmax is None or row > sheet.dim_rowmax:
            sheet.dim_rowmax = row
        if sheet.dim_colmin is None or first < sheet.dim_colmin:
            sheet.dim_colmin = first
        if sheet.dim_colmax is None or last > sheet.dim_colmax:
            sheet.dim_colmax = last
