"""What a layout writer produces: cell values plus the presentation clerks expect.

Writers describe sheets; ``files`` (XlsxWriter) and the Excel front end (xlwings) put
them on paper, so both give the same sheet.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jixiao.grid import CellValue, Merge


class Formula(str):
    """A cell formula the tool writes on purpose (``=SUM(B4:B9)``); any other text is text.

    ``value`` is the result saved with it, so readers that do not calculate (calamine,
    pandas) see the number before Excel or LibreOffice ever opens the file.
    """

    value: float | None

    def __new__(cls, text: str, value: float | None = None) -> Formula:
        formula = super().__new__(cls, text)
        formula.value = value
        return formula


@dataclass(frozen=True)
class BarChart:
    """A bar chart of one column against the category column, over rows ``first..last``."""

    title: str
    categories_column: int
    values_column: int
    first_row: int  # 0-based, the header row (the series name)
    last_row: int
    anchor: str  # top-left cell, e.g. "J2"


@dataclass(frozen=True)
class ListValidation:
    """A dropdown; ``formula`` has no leading "=": ``一级指标列表``, ``INDIRECT($G2)``."""

    cells: str  # e.g. "G2:G1000"
    formula: str


@dataclass
class OutputSheet:
    name: str
    rows: list[list[CellValue]]
    merges: list[Merge] = field(default_factory=list)
    column_widths: dict[int, float] = field(default_factory=dict)
    header_rows: list[int] = field(default_factory=list)  # bold, shaded
    title_rows: list[int] = field(default_factory=list)  # large, bold, centred
    bordered_rows: tuple[int, int] | None = None  # first, last row with thin borders
    wrap: bool = True
    number_format_columns: dict[int, str] = field(default_factory=dict)
    number_format_rows: set[int] | None = None  # rows the column formats apply to (None: all)
    freeze: str | None = None  # e.g. "A2"
    autofilter: bool = False
    fit_to_width: bool = False
    landscape: bool = False
    page_breaks: list[int] = field(default_factory=list)  # a printed page ends after these rows
    validations: list[ListValidation] = field(default_factory=list)
    defined_names: dict[str, str] = field(default_factory=dict)  # name -> "Sheet!$A$1:$A$3"
    hidden: bool = False
    charts: list[BarChart] = field(default_factory=list)
