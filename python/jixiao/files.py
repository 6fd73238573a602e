"""Workbook files: read sheets into grids (python-calamine), write output sheets (openpyxl).

Reading uses python-calamine, which reads a workbook several times faster than
openpyxl and also reads .xls and .ods; writing uses openpyxl, which can write the
merges, borders, dropdowns and print settings the layouts need. Outputs are written
to a temporary file beside the target and moved into place, so a failed run never
leaves a half-written workbook, and a user's input file is never the target.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from pathlib import Path

import python_calamine as calamine
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.pagebreak import Break

from jixiao.grid import CellValue, Grid, a1
from jixiao.output import Formula, OutputSheet

READABLE = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
MAX_CELLS = 5_000_000  # a sheet larger than this is refused rather than read into memory
# Zip-based workbooks are inspected before any part is inflated: memory stays bounded
# whatever a hostile or broken file claims.
MAX_UNPACKED = 512 * 1024 * 1024  # all parts together
MAX_RATIO = 200  # a part inflating more than this (and past 16 MB) is a zip bomb
ZIPPED = (".xlsx", ".xlsm", ".xlsb", ".ods")


class WorkbookError(Exception):
    """A workbook that cannot be read or written; the message is Chinese and names the file."""


def read_grids(path: str | os.PathLike[str]) -> list[Grid]:
    """Every non-empty sheet of a workbook as a grid."""
    path = Path(path)
    name = path.name
    if not path.exists():
        raise WorkbookError(f"找不到文件 {path}")
    if path.suffix.lower() not in READABLE:
        raise WorkbookError(f"{name} 不是 Excel 工作簿（支持 {'、'.join(READABLE)}）")
    if path.suffix.lower() in ZIPPED and zipfile.is_zipfile(path):
        guard_archive(path)
    try:
        workbook = calamine.CalamineWorkbook.from_path(str(path))
    except calamine.PasswordError:
        raise WorkbookError(
            f"{name} 设有打开密码，无法读取；请在 Excel 中取消密码后另存再试"
        ) from None
    except (
        calamine.ZipError,
        calamine.XmlError,
        calamine.CalamineError,
        OSError,
        ValueError,
    ) as error:
        raise WorkbookError(f"{name} 已损坏或不是有效的 Excel 文件（{_reason(error)}）") from None
    grids = []
    try:
        for sheet_name in workbook.sheet_names:
            try:
                sheet = workbook.get_sheet_by_name(sheet_name)
                if sheet.height * sheet.width > MAX_CELLS:
                    raise WorkbookError(
                        f"{name} 的工作表“{sheet_name}”有 {sheet.height:,} 行 × "
                        f"{sheet.width:,} 列，超过可处理的 {MAX_CELLS:,} 个单元格"
                    )
                values: list[list[CellValue]] = [
                    list(r) for r in sheet.to_python(skip_empty_area=False)
                ]
                merged = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or []]
            except (calamine.CalamineError, ValueError) as error:
                raise WorkbookError(
                    f"{name} 的工作表“{sheet_name}”无法读取（{_reason(error)}）"
                ) from None
            if values:
                grids.append(Grid(values=values, sheet=sheet_name, file=str(path), merged=merged))
    finally:
        workbook.close()
    return grids


def guard_archive(path: Path) -> None:
    """Refuse zip bombs and XML with DTDs (entity expansion) before reading a workbook."""
    name = path.name
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            unpacked = sum(m.file_size for m in members)
            if unpacked > MAX_UNPACKED:
                raise WorkbookError(
                    f"{name} 解压后有 {unpacked / 2**20:,.0f} MB，超过可处理的 "
                    f"{MAX_UNPACKED / 2**20:,.0f} MB，已拒绝读取（可能是恶意文件）"
                )
            for member in members:
                ratio = member.file_size / max(member.compress_size, 1)
                if member.file_size > 16 * 2**20 and ratio > MAX_RATIO:
                    raise WorkbookError(
                        f"{name} 中的 {member.filename} 压缩比为 {ratio:,.0f} 倍，"
                        "疑似压缩炸弹，已拒绝读取"
                    )
                if member.filename.endswith((".xml", ".rels")):
                    with archive.open(member) as part:
                        head = part.read(4096)
                    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                        raise WorkbookError(
                            f"{name} 中的 {member.filename} 含有 DTD/实体声明，"
                            "Excel 不会生成这样的文件，已拒绝读取（可能是恶意文件）"
                        )
    except (zipfile.BadZipFile, OSError) as error:
        raise WorkbookError(f"{name} 已损坏或不是有效的 Excel 文件（{_reason(error)}）") from None


def read_formulas(path: str | os.PathLike[str]) -> dict[tuple[str, str], str]:
    """(sheet, A1) -> formula text of every formula cell.

    The fast reader sees only cached results, and a formula saved without one (as openpyxl
    and many generators write them) reads as empty; this tells such a cell from a blank.
    """
    formulas: dict[tuple[str, str], str] = {}
    try:
        book = load_workbook(path, read_only=True, data_only=False)
    except Exception as error:  # any failure to open is reported with the file's name
        raise WorkbookError(f"{Path(path).name}：{_reason(error)}") from None
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


def _reason(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text if len(text) < 120 else text[:120] + "…"


THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def write_sheets(
    path: str | os.PathLike[str],
    sheets: list[OutputSheet],
    *,
    protect: tuple[str | os.PathLike[str], ...] = (),
) -> Path:
    """Write the sheets to ``path`` atomically; refuse to overwrite any of ``protect``."""
    target = _output_path(path, protect)
    return save_workbook(build_workbook(sheets), target, protect=protect)


def save_workbook(
    workbook: Workbook,
    path: str | os.PathLike[str],
    *,
    protect: tuple[str | os.PathLike[str], ...] = (),
) -> Path:
    """Save through a temporary file in the same folder, so a reader never sees half a file."""
    target = _output_path(path, protect)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.stem}-", suffix=target.suffix, dir=target.parent
    )
    os.close(handle)
    try:
        workbook.save(temporary)
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes it private; outputs are not
        os.replace(temporary, target)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise WorkbookError(f"无法写入 {target}：{error.strerror or error}") from None
    return target


def save_json(
    data: object, path: str | os.PathLike[str], *, protect: tuple[str | os.PathLike[str], ...] = ()
) -> Path:
    """Write JSON (UTF-8, readable Chinese) atomically."""
    target = Path(path)
    for original in protect:
        if target.resolve() == Path(original).resolve():
            raise WorkbookError(f"输出文件不能与输入文件相同：{target.name}")
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.stem}-", suffix=".json", dir=target.parent
    )
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(data, stream, ensure_ascii=False, indent=2)
            stream.write("\n")
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, target)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise WorkbookError(f"无法写入 {target}：{error.strerror or error}") from None
    return target


def _output_path(path: str | os.PathLike[str], protect: tuple[str | os.PathLike[str], ...]) -> Path:
    target = Path(path)
    for original in protect:
        if target.resolve() == Path(original).resolve():
            raise WorkbookError(f"输出文件不能与输入文件相同：{target.name}")
    if target.suffix.lower() not in (".xlsx", ".xlsm"):
        raise WorkbookError(f"输出文件应为 .xlsx：{target.name}")
    return target


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def build_workbook(sheets: list[OutputSheet]) -> Workbook:
    workbook = Workbook()
    workbook.calculation.fullCalcOnLoad = True  # formulas are written without cached values
    workbook.remove(workbook.active)
    for spec in sheets:
        _add_sheet(workbook, spec)
    return workbook


def _add_sheet(workbook: Workbook, spec: OutputSheet) -> None:
    sheet = workbook.create_sheet(spec.name)
    wrap = Alignment(wrap_text=spec.wrap, vertical="center")
    for row in spec.rows:
        sheet.append(row)
    for row in sheet.iter_rows():
        for cell in row:
            # text from inputs never becomes a formula; only an explicit Formula does
            if cell.data_type == "f" and not isinstance(
                spec.rows[cell.row - 1][cell.column - 1], Formula
            ):
                cell.data_type = "s"
    for r0, c0, r1, c1 in spec.merges:
        sheet.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
    width = max((len(r) for r in spec.rows), default=0)
    if spec.bordered_rows is not None:
        first, last = spec.bordered_rows
        for row in sheet.iter_rows(min_row=first + 1, max_row=last + 1, max_col=width):
            for cell in row:
                cell.border = BORDER
                cell.alignment = wrap
    for index in spec.header_rows:
        for cell in sheet[index + 1][:width]:
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    for index in spec.title_rows:
        cell = sheet.cell(row=index + 1, column=1)
        cell.font = Font(bold=True, size=14)
        cell.alignment = Alignment(horizontal="center", vertical="center")
    for col, fmt in spec.number_format_columns.items():
        rows = spec.number_format_rows
        for row_index, row in enumerate(sheet.iter_rows(min_col=col + 1, max_col=col + 1)):
            if rows is None or row_index in rows:
                row[0].number_format = fmt
    for col, col_width in spec.column_widths.items():
        sheet.column_dimensions[a1(0, col)[:-1]].width = col_width
    if spec.freeze:
        sheet.freeze_panes = spec.freeze
    if spec.autofilter and spec.rows:
        sheet.auto_filter.ref = (
            f"A{(spec.header_rows or [0])[0] + 1}:{a1(len(spec.rows) - 1, width - 1)}"
        )
    if spec.fit_to_width:
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.print_area = f"A1:{a1(len(spec.rows) - 1, width - 1)}"
    for break_after in spec.page_breaks:
        sheet.row_breaks.append(Break(id=break_after))
    if spec.landscape:
        sheet.page_setup.orientation = "landscape"
    for validation in spec.validations:
        rule = DataValidation(type="list", formula1=validation.formula, allow_blank=True)
        rule.error = "请从下拉列表中选择"
        rule.errorTitle = "绩效目标"
        sheet.add_data_validation(rule)
        rule.add(validation.cells)
    for name, reference in spec.defined_names.items():
        workbook.defined_names[name] = DefinedName(name, attr_text=reference)
    if spec.hidden:
        sheet.sheet_state = "hidden"
