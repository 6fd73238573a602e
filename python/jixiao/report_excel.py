"""The validation report as Excel: a 校验结果 sheet with links to each cell, cells highlighted.

With one input the output is a copy of that workbook (the input is never touched) with
the problem cells coloured and commented and 校验结果 in front; with several it is a
workbook holding only 校验结果, each link opening the file at the cell. What the copy could
not carry over (text boxes, shapes: openpyxl drops them) is counted and said.
"""

from __future__ import annotations

import os
import re
import zipfile
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from jixiao.errors import WorkbookError
from jixiao.files.guard import MAX_CELLS, check_file, inspect_archive
from jixiao.files.write import save_workbook
from jixiao.model import Finding, SourceLocation
from jixiao.package_contents import inventory, missing
from jixiao.validate import REPORT_SHEET, SEVERITY_LABELS, WIDTHS, report_rows

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

# openpyxl is imported where a report is written: importing jixiao does not load it.
COLORS = {"error": "FFC7CE", "warning": "FFEB9C", "info": "DDEBF7"}


def link_target(where: SourceLocation) -> str:
    return f"'{where.sheet}'!{where.cell}" if where.sheet and where.cell else ""


@dataclass
class ExcelReport:
    path: Path
    copy_of: Path | None = None  # the input the workbook is a copy of, if it is one
    not_kept: dict[str, int] = field(default_factory=dict)  # objects of the input it lacks


def write_excel_report(
    findings: list[Finding],
    inputs: Sequence[str | os.PathLike[str]],
    output: str | os.PathLike[str],
) -> ExcelReport:
    import openpyxl
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.hyperlink import Hyperlink

    copy = _copy_of(inputs[0]) if len(inputs) == 1 else None
    if copy is not None:
        book = copy
        _keep_escapes(book)
        _highlight(book, findings)
    else:
        book = openpyxl.Workbook()
        book.remove(book.worksheets[0])
    if REPORT_SHEET in book.sheetnames:
        book.remove(book[REPORT_SHEET])
    sheet = book.create_sheet(REPORT_SHEET, 0)
    book.active = 0
    for row_number, row in enumerate(report_rows(findings), start=1):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column, value=value)
            cell.data_type = "s"  # a file name or message starting with "=" stays text
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for row_number, finding in enumerate(findings, start=2):
        where = finding.location or SourceLocation()
        sheet.cell(row=row_number, column=1).fill = PatternFill(
            "solid", fgColor=COLORS[finding.severity]
        )
        target = link_target(where)
        if not target:
            continue
        cell = sheet.cell(row=row_number, column=4)
        if copy is not None:
            cell.hyperlink = Hyperlink(ref=cell.coordinate, location=target)
        else:
            cell.hyperlink = f"{Path(where.file or '').resolve().as_uri()}#{target}"
        cell.font = Font(color="0563C1", underline="single")
    written = save_workbook(book, output, protect=tuple(inputs))
    if copy is None:
        return ExcelReport(written)
    source = Path(inputs[0])
    return ExcelReport(written, source, missing(inventory(source), inventory(written)))


def _copy_of(path: str | os.PathLike[str]) -> Workbook | None:
    """The input opened for a copy, or ``None`` when it cannot be kept (.xls, .ods) or the
    guards that protect the readers refuse it (bombs, DTDs, FIFOs, oversized sheets)."""
    source = Path(path)
    try:
        check_file(source)
        extents = inspect_archive(source)
    except WorkbookError:
        return None
    if not extents or not all(e.fits and e.merged_cells <= MAX_CELLS for e in extents.values()):
        # not an .xlsx/.xlsm, or a sheet openpyxl would have to load whole (or a merge over
        # A1:XFD1048576, of which it makes an object per cell)
        return None
    import warnings
    from xml.etree.ElementTree import ParseError

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with warnings.catch_warnings():  # what openpyxl drops is named in Chinese instead
            warnings.simplefilter("ignore", UserWarning)
            return openpyxl.load_workbook(source, keep_vba=source.suffix.lower() == ".xlsm")
    except (InvalidFileException, OSError, KeyError, ValueError, zipfile.BadZipFile, ParseError):
        return None  # malformed XML among them: the copy is not made, the report is


_LOOKS_ESCAPED = re.compile(r"_(x[0-9A-Fa-f]{4}_)")


def _keep_escapes(book: Workbook) -> None:
    """Text that reads like Excel's escapes (``_x0041_项目``) was unescaped once on loading;
    openpyxl writes it back as it is, which every reader then takes for ``A项目``: escape it
    again (``_x005F_x0041_``) so that the copy shows what the original shows."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str) and "_x" in value and _LOOKS_ESCAPED.search(value):
                    cell.value = _LOOKS_ESCAPED.sub(r"_x005F_\1", value)


def _highlight(book: Workbook, findings: list[Finding]) -> None:
    from openpyxl.cell.cell import MergedCell
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    notes: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for finding in findings:
        where = finding.location or SourceLocation()
        if where.sheet and where.sheet in book.sheetnames and where.cell:
            notes[(where.sheet, where.cell)].append(finding)
    for (sheet_name, coordinate), found in notes.items():
        cell = book[sheet_name][coordinate]
        if isinstance(cell, MergedCell):
            continue
        worst = min(found, key=lambda f: ("error", "warning", "info").index(f.severity))
        cell.fill = PatternFill("solid", fgColor=COLORS[worst.severity])
        text = "\n".join(f"{SEVERITY_LABELS[f.severity]}：{f.message}（{f.hint}）" for f in found)
        author = "jixiao"
        if cell.comment is not None:  # the clerk's own note stays, above the findings
            text, author = f"{cell.comment.text}\n——\n{text}", cell.comment.author or author
        cell.comment = Comment(text, author, width=360, height=120)
