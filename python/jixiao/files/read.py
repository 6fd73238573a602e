"""Workbook files into grids: every sheet, bounded by the guard before it is read.

python-calamine reads (compiled, several times faster than openpyxl, and .xls and .ods too);
openpyxl reads where calamine cannot be imported (Pyodide without its wheel) and where
formulas are wanted. Word documents are read in ``word``.
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from jixiao.errors import WorkbookError, reason
from jixiao.files.guard import MAX_CELLS, ZIPPED, Extent, check_file, inspect_archive
from jixiao.files.paths import readable
from jixiao.files.word import read_docx
from jixiao.findings import FindingSpec
from jixiao.grid import CellValue, Grid, a1
from jixiao.model import Finding, SourceLocation

SHEET_TOO_LARGE = FindingSpec(
    "workbook.sheet_too_large",
    "error",
    "工作表“{sheet}”有内容的范围达到 {rows:,} 行 × {columns:,} 列（{cells:,} 个单元格有内容），"
    "超过可读取的 {limit:,} 个单元格，该工作表未读取",
    "把表格拆成几个工作表或几个文件后再试",
)
STRAY_CELLS = FindingSpec(
    "workbook.stray_cells",
    "warning",
    "工作表“{sheet}”的 {cells} 等 {count:,} 个单元格远离表格，使范围达到 {rows:,} 行 × "
    "{columns:,} 列；已只读取表格所在的 {kept}，这些单元格未读取",
    "如果这些单元格的内容不需要，在 Excel 中删除它们（或整行、整列）后保存",
)


@dataclass
class SheetsRead:
    """The grids of a workbook, and what was left out of them and why."""

    grids: list[Grid] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    sheet_names: list[str] = field(default_factory=list)  # every sheet, empty ones too


def read_grids(path: str | os.PathLike[str]) -> list[Grid]:
    """Every non-empty sheet of a workbook as a grid."""
    return read_sheets(path).grids


def read_sheets(path: str | os.PathLike[str]) -> SheetsRead:
    """Every non-empty sheet as a grid, each bounded before it is read (see ``guard``).

    python-calamine reads (compiled, fast); where it cannot be imported (Pyodide without its
    wheel) openpyxl reads .xlsx/.xlsm instead, through the same guards.
    """
    path = Path(path)
    check_file(path)
    zipped = path.suffix.lower() in ZIPPED
    if zipped and not _is_zip(path) and not _is_ole(path):
        # not a zip at all (a renamed CSV, picture or disk image): refused here, before a
        # reader loads what may be gigabytes to find that out
        raise WorkbookError(
            f"{readable(path.name)} 已损坏或不是有效的 Excel 文件（文件内容不是工作簿的格式）"
        )
    extents = inspect_archive(path) if zipped and _is_zip(path) else {}
    if path.suffix.lower() == ".docx":
        grids, names = read_docx(path)
        return SheetsRead(grids=grids, sheet_names=names)
    try:
        import python_calamine  # noqa: F401 - only asking whether it is there
    except ImportError:
        return _read_with_openpyxl(path, extents)
    return _read_with_calamine(path, extents)


def _bounded(
    result: SheetsRead, where: SourceLocation, extent: Extent | None
) -> tuple[int, int] | bool | None:
    """What of a sheet to read: True all of it, (rows, columns) its block, None nothing."""
    sheet_name = where.sheet or ""
    if extent is None or extent.fits:
        return True
    if extent.keep is None:
        result.findings.append(
            SHEET_TOO_LARGE.at(
                where,
                sheet=sheet_name,
                rows=extent.rows,
                columns=extent.columns,
                cells=extent.cells,
                limit=MAX_CELLS,
            )
        )
        return None
    kept = f"A1:{a1(extent.keep[0] - 1, extent.keep[1] - 1)}"
    result.findings.append(
        STRAY_CELLS.at(
            where,
            sheet=sheet_name,
            cells="、".join(extent.strays),
            count=extent.stray_count,
            rows=extent.rows,
            columns=extent.columns,
            kept=kept,
        )
    )
    return extent.keep


def _read_with_calamine(path: Path, extents: dict[str, Extent]) -> SheetsRead:
    import python_calamine as calamine

    name = readable(path.name)
    try:
        if readable(path) == str(path):
            workbook = calamine.CalamineWorkbook.from_path(str(path))
        else:  # python-calamine cannot open a name that is not UTF-8: from the open file
            with path.open("rb") as stream:
                workbook = calamine.CalamineWorkbook.from_filelike(stream)
    except calamine.PasswordError:
        raise WorkbookError(LOCKED.format(name=name)) from None
    except (
        calamine.ZipError,
        calamine.XmlError,
        calamine.CalamineError,
        OSError,
        ValueError,
    ) as error:
        raise WorkbookError(f"{name} 已损坏或不是有效的 Excel 文件（{reason(error)}）") from None
    result = SheetsRead(sheet_names=list(workbook.sheet_names))
    try:
        for sheet_name in workbook.sheet_names:
            where = SourceLocation(file=readable(path), sheet=sheet_name)
            bounds = _bounded(result, where, extents.get(sheet_name))
            if bounds is None:
                continue
            merged: list[tuple[int, int, int, int]] = []
            if isinstance(bounds, tuple):
                values = _read_block(path, sheet_name, *bounds)
            else:
                try:
                    sheet = workbook.get_sheet_by_name(sheet_name)
                    if sheet.height * sheet.width > MAX_CELLS:  # .xls/.ods: bounded here
                        result.findings.append(
                            SHEET_TOO_LARGE.at(
                                where,
                                sheet=sheet_name,
                                rows=sheet.height,
                                columns=sheet.width,
                                cells=sheet.height * sheet.width,
                                limit=MAX_CELLS,
                            )
                        )
                        continue
                    # lists of lists already: kept, not copied (a copy doubled a large sheet)
                    values = cast(list[list[CellValue]], sheet.to_python(skip_empty_area=False))
                    merged = [
                        (r0, c0, r1, c1) for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or []
                    ]
                except (calamine.CalamineError, ValueError) as error:
                    raise WorkbookError(
                        f"{name} 的工作表“{sheet_name}”无法读取（{reason(error)}）"
                    ) from None
            if values:
                merged = _within(merged, len(values), max(map(len, values)))
                extent = extents.get(sheet_name)
                result.grids.append(
                    Grid(
                        values=values,
                        sheet=sheet_name,
                        file=readable(path),
                        merged=merged,
                        formats=extent.formats if extent else {},
                    )
                )
    finally:
        workbook.close()
    return result


LOCKED = "{name} 设有打开密码，无法读取；请在 Excel 中取消密码后另存再试"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and .xlsx files with a password


def _read_with_openpyxl(path: Path, extents: dict[str, Extent]) -> SheetsRead:
    name = readable(path.name)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise WorkbookError(
            f"{name}：读取 {path.suffix} 文件需要 python-calamine，此环境中没有；"
            "请在 Excel 中另存为 .xlsx 后再试"
        )
    with path.open("rb") as stream:
        if stream.read(8) == OLE_MAGIC:
            raise WorkbookError(LOCKED.format(name=name))
    try:
        from openpyxl import load_workbook

        book = load_workbook(path, data_only=True)
    except Exception as error:  # any failure to open is reported with the file's name
        raise WorkbookError(f"{name} 已损坏或不是有效的 Excel 文件（{reason(error)}）") from None
    result = SheetsRead(sheet_names=list(book.sheetnames))
    for sheet in book.worksheets:
        where = SourceLocation(file=readable(path), sheet=sheet.title)
        bounds = _bounded(result, where, extents.get(sheet.title))
        if bounds is None:
            continue
        rows, columns = bounds if isinstance(bounds, tuple) else (sheet.max_row, sheet.max_column)
        values = [  # numbers as calamine gives them (floats), so both readers agree
            [float(v) if type(v) is int else v for v in row]
            for row in sheet.iter_rows(max_row=rows, max_col=columns, values_only=True)
        ]
        while values and all(v is None for v in values[-1]):
            values.pop()  # calamine's extent: up to the last cell with a value
        if not values:
            continue
        merged = _within(
            [
                (m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1)
                for m in sheet.merged_cells.ranges
            ],
            len(values),
            max(map(len, values)),
        )
        extent = extents.get(sheet.title)
        result.grids.append(
            Grid(
                values=values,
                sheet=sheet.title,
                file=readable(path),
                merged=merged,
                formats=extent.formats if extent else {},
            )
        )
    book.close()
    return result


def _within(
    merged: list[tuple[int, int, int, int]], rows: int, columns: int
) -> list[tuple[int, int, int, int]]:
    """Merges cut to the cells a sheet holds: a merge over A1:XFD1048576 on a sheet of notes
    says nothing past its text, and rewriting it whole (fill) would allocate every cell."""
    return [
        (r0, c0, min(r1, rows - 1), min(c1, columns - 1))
        for r0, c0, r1, c1 in merged
        if r0 < rows and c0 < columns and (min(r1, rows - 1), min(c1, columns - 1)) != (r0, c0)
    ]


def _is_ole(path: Path) -> bool:
    """An OLE container: an .xls renamed, or an .xlsx with an opening password."""
    try:
        with path.open("rb") as stream:
            return stream.read(8) == OLE_MAGIC
    except OSError:
        return False


def _is_zip(path: Path) -> bool:
    try:
        return zipfile.is_zipfile(path)
    except OSError:
        return False


def _read_block(path: Path, sheet_name: str, rows: int, columns: int) -> list[list[CellValue]]:
    """The top-left ``rows`` × ``columns`` of a sheet, streamed: the strays are never read."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book[sheet_name]
        return [
            list(row) for row in sheet.iter_rows(max_row=rows, max_col=columns, values_only=True)
        ]
    finally:
        book.close()


def read_formulas(path: str | os.PathLike[str]) -> dict[tuple[str, str], str]:
    """(sheet, A1) -> formula text of every formula cell.

    The fast reader sees only cached results, and a formula saved without one (as openpyxl
    and many generators write them) reads as empty; this tells such a cell from a blank.
    """
    formulas: dict[tuple[str, str], str] = {}
    try:
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=False)
    except Exception as error:  # any failure to open is reported with the file's name
        raise WorkbookError(f"{Path(path).name}：{reason(error)}") from None
    try:
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    value = getattr(cell, "value", None)
                    if isinstance(value, str) and value.startswith("=") and cell.data_type == "f":
                        formulas[(sheet.title, cell.coordinate)] = value
    finally:
        book.close()
    return formulas
