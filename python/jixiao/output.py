"""What a layout writer produces: cell values plus the presentation clerks expect.

Writers describe sheets; ``files`` (XlsxWriter) and the Excel front end (xlwings) put
them on paper, so both give the same sheet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jixiao.findings import FindingSpec
from jixiao.grid import CellValue, Merge, a1
from jixiao.model import Finding, SourceLocation


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
    width: int = 640  # pixels

    @property
    def height(self) -> int:
        """Pixels: room for every bar, at most what fits on one printed landscape page."""
        return min(620, max(300, 22 * (self.last_row - self.first_row)))


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
    total_rows: list[int] = field(default_factory=list)  # 合计, unit subtotals: bold
    input_cells: set[tuple[int, int]] = field(default_factory=set)  # to fill: shaded, unlocked
    protect: bool = False  # only the input cells can be edited (no password: a guide, not a lock)
    bordered_rows: tuple[int, int] | None = None  # first, last row with thin borders
    wrap: bool = True
    number_format_columns: dict[int, str] = field(default_factory=dict)
    number_format_rows: set[int] | None = None  # rows the column formats apply to (None: all)
    freeze: str | None = None  # e.g. "A2"
    autofilter: bool = False
    fit_to_width: bool = False  # printed: scaled to the page's width, as many pages down as needed
    landscape: bool = False
    repeat_rows: tuple[int, int] | None = None  # printed at the top of every page (first, last)
    row_colors: dict[int, str] = field(default_factory=dict)  # row -> fill, e.g. "#FFC7CE"
    page_breaks: list[int] = field(default_factory=list)  # a printed page ends after these rows
    validations: list[ListValidation] = field(default_factory=list)
    defined_names: dict[str, str] = field(default_factory=dict)  # name -> "Sheet!$A$1:$A$3"
    hidden: bool = False
    charts: list[BarChart] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # what could not be written as given


# How every table the tool writes prints: A4 landscape, as wide as the page, its header row
# on every page (OutputSheet keywords).
PRINTED_TABLE: dict[str, Any] = {"fit_to_width": True, "landscape": True, "repeat_rows": (0, 0)}

EXCEL_ROWS = 1_048_576  # rows of one worksheet
EXCEL_CELL_LIMIT = 32_767  # characters Excel keeps in one cell; writers cut the rest silently
OVERFLOW_SHEET = "超长文本"
_PART = 32_000

CELL_TOO_LONG = FindingSpec(
    "output.cell_too_long",
    "warning",
    "{sheet}!{cell} 的文字有 {length:,} 个字符，超过 Excel 单元格上限 {limit:,}；"
    "单元格中只写入了前 {kept:,} 个字符，全文分段写在“{overflow}”工作表第 {row} 行",
    "精简这段文字；需要全文时，把“{overflow}”工作表该行各段依次连接",
)


def fit_cells(sheets: list[OutputSheet]) -> list[OutputSheet]:
    """Move text longer than a cell can hold, whole, to an overflow sheet; nothing is cut.

    The cell keeps as much as fits and says where the rest is; each such cell gets a
    finding on its sheet. Returns the sheets with the overflow sheet added when needed.
    """
    existing = next((s for s in sheets if s.name == OVERFLOW_SHEET), None)
    header: list[CellValue] = ["工作表", "单元格", "字符数", "全文（按顺序分段）"]
    overflow = existing.rows if existing else [header]
    for spec in sheets:
        if spec is existing:
            continue
        for r, values in enumerate(spec.rows):
            for c, value in enumerate(values):
                if not isinstance(value, str) or len(value) <= EXCEL_CELL_LIMIT:
                    continue
                row = len(overflow) + 1
                note = f"…（全文 {len(value):,} 个字符，见“{OVERFLOW_SHEET}”工作表第 {row} 行）"
                kept = _PART - len(note)
                values[c] = value[:kept] + note
                parts = [value[i : i + _PART] for i in range(0, len(value), _PART)]
                overflow.append([spec.name, a1(r, c), len(value), *parts])
                spec.findings.append(
                    CELL_TOO_LONG.at(
                        SourceLocation(sheet=spec.name, cell=a1(r, c)),
                        sheet=spec.name,
                        cell=a1(r, c),
                        length=len(value),
                        limit=EXCEL_CELL_LIMIT,
                        kept=kept,
                        overflow=OVERFLOW_SHEET,
                        row=row,
                    )
                )
    if existing is not None or len(overflow) == 1:
        return sheets
    widths: dict[int, float] = {0: 16, 1: 10, 2: 10}
    widths |= {c: 60 for c in range(3, max(map(len, overflow)))}
    sheet = OutputSheet(
        name=OVERFLOW_SHEET, rows=overflow, header_rows=[0], column_widths=widths, wrap=False
    )
    return [*sheets, sheet]
