"""Workbook files: read sheets into grids (python-calamine), write output sheets (openpyxl).

Reading uses python-calamine, which reads a workbook several times faster than
openpyxl and also reads .xls and .ods; writing uses openpyxl, which can write the
merges, borders, dropdowns and print settings the layouts need. Outputs are written
to a temporary file beside the target and moved into place, so a failed run never
leaves a half-written workbook, and a user's input file is never the target.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jixiao.errors import WorkbookError, reason
from jixiao.findings import FindingSpec
from jixiao.grid import CellValue, Grid, a1, cell_text, position
from jixiao.guard import MAX_CELLS, READABLE, ZIPPED, Extent, check_file, inspect_archive
from jixiao.model import Finding, SourceLocation
from jixiao.output import Formula, OutputSheet, fit_cells
from jixiao.textwidth import lines_needed
from jixiao.xlsx_rows import RowWriter

if TYPE_CHECKING:
    import xlsxwriter
    from openpyxl import Workbook
    from xlsxwriter.format import Format
    from xlsxwriter.worksheet import Worksheet

# openpyxl and XlsxWriter are imported by the functions that use them: importing jixiao
# loads neither (openpyxl alone pulls in numpy where it is installed).

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
    extents = inspect_archive(path) if path.suffix.lower() in ZIPPED and _is_zip(path) else {}
    if path.suffix.lower() == ".docx":
        return _read_docx(path)
    try:
        import python_calamine  # noqa: F401 - only asking whether it is there
    except ImportError:
        return _read_with_openpyxl(path, extents)
    return _read_with_calamine(path, extents)


BODY_SHEET = "正文"  # a Word document's paragraphs, one per row


def _read_docx(path: Path) -> SheetsRead:
    """Every table of a Word document as a grid (表1, 表2 …), merged cells as in a sheet: the
    text in the top-left cell, the span in ``merged``, so the same readers take it."""
    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError:
        raise WorkbookError(
            f"{path.name}：读取 Word 文档需要 python-docx，此环境中没有；"
            "请把表格复制到 Excel 中另存为 .xlsx 后再试"
        ) from None
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as error:
        raise WorkbookError(
            f"{path.name} 已损坏或不是有效的 Word 文档（{reason(error)}）"
        ) from None
    result = SheetsRead()
    lines = [p.text.strip() for p in document.paragraphs if p.text.strip()]
    if lines:  # the text around the tables: a 部门整体 section is written there
        result.sheet_names.append(BODY_SHEET)
        result.grids.append(
            Grid(values=[[line] for line in lines], sheet=BODY_SHEET, file=str(path))
        )
    for number, (table, above) in enumerate(_tables_with_text_above(document), start=1):
        name = f"表{number}"
        result.sheet_names.append(name)
        grid = _table_grid(table, str(path), name)
        if grid is not None:
            result.grids.append(_with_title(grid, above))
    return result


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

    name = path.name
    try:
        workbook = calamine.CalamineWorkbook.from_path(str(path))
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
            where = SourceLocation(file=str(path), sheet=sheet_name)
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
                    values = [list(r) for r in sheet.to_python(skip_empty_area=False)]
                    merged = [
                        (r0, c0, r1, c1) for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or []
                    ]
                except (calamine.CalamineError, ValueError) as error:
                    raise WorkbookError(
                        f"{name} 的工作表“{sheet_name}”无法读取（{reason(error)}）"
                    ) from None
            if values:
                extent = extents.get(sheet_name)
                result.grids.append(
                    Grid(
                        values=values,
                        sheet=sheet_name,
                        file=str(path),
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
    name = path.name
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
        where = SourceLocation(file=str(path), sheet=sheet.title)
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
        merged = [
            (m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1)
            for m in sheet.merged_cells.ranges
        ]
        extent = extents.get(sheet.title)
        result.grids.append(
            Grid(
                values=values,
                sheet=sheet.title,
                file=str(path),
                merged=merged,
                formats=extent.formats if extent else {},
            )
        )
    book.close()
    return result


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


def write_sheets(
    path: str | os.PathLike[str],
    sheets: list[OutputSheet],
    *,
    protect: Sequence[str | os.PathLike[str]] = (),
    properties: dict[str, str] | None = None,
    created: dt.datetime | None = None,
    fast_zip: bool = False,
) -> Path:
    """Write the sheets to ``path`` atomically; refuse to overwrite any of ``protect``.

    XlsxWriter builds the file: formats are made once and shared, where openpyxl hashes
    a style object per cell (over 80% of the time of a 10,000-row consolidation), and it
    saves a formula with its result. ``properties`` become custom document properties;
    a fixed ``created`` time makes the bytes reproducible (the only varying part).
    ``fast_zip`` compresses at zlib level 1 instead of 6, for large outputs: a third of the
    time (0.19 s against 0.58 s for 300 departments' 32 MB of XML) for a file 27% larger.
    """
    target = output_path(path, protect)
    fitted = fit_cells(sheets)  # nothing is ever cut at Excel's cell limit
    level = FAST_ZIP_LEVEL if fast_zip else None
    return atomically(
        target,
        lambda temporary: _write_xlsx(temporary, fitted, properties or {}, created, level),
    )


def save_workbook(
    workbook: Workbook,
    path: str | os.PathLike[str],
    *,
    protect: Sequence[str | os.PathLike[str]] = (),
) -> Path:
    """Save an openpyxl workbook (a copy of a user's file) atomically."""
    target = output_path(path, protect)
    return atomically(target, workbook.save)


def save_json(
    data: object, path: str | os.PathLike[str], *, protect: Sequence[str | os.PathLike[str]] = ()
) -> Path:
    """Write JSON (UTF-8, readable Chinese) atomically."""

    def write(temporary: str) -> None:
        with open(temporary, "w", encoding="utf-8") as stream:
            json.dump(data, stream, ensure_ascii=False, indent=2)
            stream.write("\n")

    return atomically(output_path(path, protect, suffixes=(".json",)), write)


def atomically(target: Path, write: Callable[[str], object]) -> Path:
    """Write through a temporary file in the same folder, so a reader never sees half a file.

    The temporary file is hidden (a leading dot), so a folder read while a run is under
    way, or after one was killed, never takes it for an input.
    """
    temporary: str | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            prefix=f".{target.stem}-", suffix=target.suffix, dir=target.parent
        )
        os.close(handle)
        write(temporary)
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes it private; outputs are not
        os.replace(temporary, target)
    except BaseException as error:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError) or type(error).__module__.startswith("xlsxwriter"):
            raise WorkbookError(f"无法写入 {target}：{reason(error)}") from None
        raise
    return target


def input_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Files as given, and the workbooks inside folders (recursively, in name order).

    Each file once, however often or by whatever path it is named; hidden files (a
    leading dot: temporary files, including a killed run's) and Excel's ``~$`` lock
    files are not inputs. A pipe or device named like a workbook is listed, so that the
    reader refuses it by name instead of the folder hiding it.
    """
    found: list[Path] = []
    seen: set[tuple[int, int] | str] = set()
    for path in map(Path, paths):
        if path.is_dir():
            candidates = [
                p
                for p in sorted(path.rglob("*"))
                if p.suffix.lower() in READABLE
                and not p.name.startswith(("~$", "."))
                and not p.is_dir()
            ]
        else:
            candidates = [path]
        for candidate in candidates:
            identity = _identity(candidate)
            if identity not in seen:
                seen.add(identity)
                found.append(candidate)
    return found


def _identity(path: Path) -> tuple[int, int] | str:
    try:
        info = path.stat()
    except OSError:
        return os.path.normcase(path.absolute())
    return (info.st_dev, info.st_ino)


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Whether two paths name one file: by device and inode where both exist (symlinks,
    hard links, ``..``, letter case on case-insensitive disks), else by resolved path."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.normcase(Path(a).resolve()) == os.path.normcase(Path(b).resolve())


def output_path(
    path: str | os.PathLike[str],
    protect: Sequence[str | os.PathLike[str]] = (),
    *,
    suffixes: tuple[str, ...] = (".xlsx", ".xlsm"),
) -> Path:
    """The output target, once it is known to be no input and a place that can be written.

    Commands call this before any work, so a run never ends in a traceback or half a result.
    """
    target = Path(path)
    for original in protect:
        if same_file(target, original):
            raise WorkbookError(
                f"输出文件 {target} 就是输入文件 {original}；为保护原文件，不会覆盖它，"
                "请换一个输出文件名"
            )
    if target.suffix.lower() not in suffixes:
        raise WorkbookError(f"输出文件应为 {'/'.join(suffixes)}：{target.name}")
    if target.is_dir():
        raise WorkbookError(f"无法写入 {target}：这是一个文件夹")
    folder = target.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent  # the nearest folder that exists: the rest will be made in it
    if not folder.is_dir():
        raise WorkbookError(f"无法写入 {target}：{folder} 是文件，不是文件夹")
    if not os.access(folder, os.W_OK | os.X_OK) or (
        target.exists() and not os.access(target, os.W_OK)
    ):
        raise WorkbookError(f"无法写入 {target}：没有写入权限（文件只读或文件夹不可写）")
    return target


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


BORDERED = {"border": 1, "valign": "vcenter"}
HEADER = {
    "bold": True,
    "bg_color": "#DDEBF7",
    "text_wrap": True,
    "align": "center",
    "valign": "vcenter",
}
TITLE = {"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"}


FAST_ZIP_LEVEL = 1


def _write_xlsx(
    path: str,
    sheets: list[OutputSheet],
    properties: dict[str, str],
    created: dt.datetime | None,
    zip_level: int | None = None,
) -> None:
    # Rows stream to disk as they are written (constant memory) unless a merge spans rows,
    # which needs earlier rows kept open; only cards merge vertically.
    flat = all(r0 == r1 for spec in sheets for r0, _, r1, _ in spec.merges)
    options = {"strings_to_numbers": False, "strings_to_formulas": False, "constant_memory": flat}
    import xlsxwriter

    book = xlsxwriter.Workbook(path, options)
    if created is not None:
        book.set_properties({"created": created})
    for name, value in properties.items():
        book.set_custom_property(name, value)
    formats: dict[tuple[tuple[str, object], ...], Format] = {}

    def style(**properties: object) -> Format | None:
        if not properties:
            return None
        key = tuple(sorted(properties.items()))
        if key not in formats:
            formats[key] = book.add_format(dict(key))
        return formats[key]

    try:
        for spec in sheets:
            _write_sheet(book, spec, style)
    finally:
        with _zip_level(zip_level):
            book.close()


@contextmanager
def _zip_level(level: int | None) -> Iterator[None]:
    """XlsxWriter zips at zlib's default level and has no option for another: while it
    closes, the ZipFile it makes (a name of its workbook module) is given ``level``."""
    if level is None:
        yield
        return
    from xlsxwriter import workbook

    library_zip = workbook.ZipFile
    workbook.ZipFile = functools.partial(zipfile.ZipFile, compresslevel=level)
    try:
        yield
    finally:
        workbook.ZipFile = library_zip


RowKind = tuple[bool, bool, bool, bool, str]


def _row_kind(spec: OutputSheet, row: int) -> RowKind:
    """What decides a row's formats: bordered, header, title, number formats, fill colour."""
    bordered = spec.bordered_rows is not None and (
        spec.bordered_rows[0] <= row <= spec.bordered_rows[1]
    )
    numbers = spec.number_format_rows is None or row in spec.number_format_rows
    fill = spec.row_colors.get(row, "")
    return bordered, row in spec.header_rows, row in spec.title_rows, numbers, fill


def _cell_style(spec: OutputSheet, kind: RowKind, col: int) -> dict[str, object]:
    bordered, header, title, numbers, fill = kind
    properties: dict[str, object] = {"bg_color": fill} if fill else {}
    if bordered:
        properties |= BORDERED | {"text_wrap": spec.wrap}
    if header:
        properties |= HEADER
    if title and col == 0:
        properties |= TITLE
    number_format = spec.number_format_columns.get(col)
    if number_format and numbers:
        properties["num_format"] = number_format
    return {k: v for k, v in properties.items() if v is not False}


def _write_sheet(
    book: xlsxwriter.Workbook, spec: OutputSheet, style: Callable[..., Format | None]
) -> None:
    sheet = book.add_worksheet(spec.name)
    width = max((len(r) for r in spec.rows), default=0)
    styled_rows = set(spec.header_rows) | set(spec.title_rows) | set(spec.row_colors)
    if spec.bordered_rows is not None:
        styled_rows |= set(range(spec.bordered_rows[0], spec.bordered_rows[1] + 1))
    merges_by_row: dict[int, list[tuple[int, int, int, int]]] = {}
    for merge in spec.merges:
        merges_by_row.setdefault(merge[0], []).append(merge)
    formats: dict[tuple[RowKind, int], Format | None] = {}

    def format_of(row: int, col: int) -> Format | None:
        key = (_row_kind(spec, row), col)
        if key not in formats:  # a sheet has a handful of kinds of row: look each up once
            formats[key] = style(**_cell_style(spec, key[0], col))
        return formats[key]

    kinds: dict[RowKind, list[Format | None]] = {}
    heights = _row_heights(spec) if spec.wrap else {}
    # whole rows at once where the library allows it; the last row goes through the public
    # API, which writes it at the close, and so numbers formats in the same order
    rows_writer = RowWriter(sheet)
    last_row = len(spec.rows) - 1
    for r, values in enumerate(spec.rows):
        if r in heights:  # before the row's cells: constant-memory mode writes rows as it goes
            sheet.set_row(r, heights[r])
        whole = r < last_row and r not in merges_by_row
        plain = r not in styled_rows and not spec.number_format_columns
        if plain:
            if whole and rows_writer.write(r, values, (), blanks=False):
                continue
            for c, value in enumerate(values):
                _write_cell(sheet, r, c, value, None)
        else:
            kind = _row_kind(spec, r)
            row_formats = kinds.get(kind)
            if row_formats is None:  # a sheet has a handful of kinds of row
                row_formats = kinds[kind] = [format_of(r, c) for c in range(width)]
            if kind[0] and not (kind[1] or kind[2] or kind[4]):  # bordered only: most rows
                if whole and rows_writer.write(r, values, row_formats, blanks=False):
                    continue
                # blanks are left out: their border comes from the sheet's conditional format
                for c, value in enumerate(values):
                    if value.__class__ is str:
                        if value:
                            _write_text(sheet, r, c, value, row_formats[c])
                    elif value is not None:
                        _write_cell(sheet, r, c, value, row_formats[c])
            else:
                padded = [*values, *[None] * (width - len(values))]
                if whole and rows_writer.write(r, padded, row_formats, blanks=True):
                    continue
                for c in range(width):
                    _write_cell(sheet, r, c, padded[c], row_formats[c])
        for r0, c0, r1, c1 in merges_by_row.get(r, ()):
            value = values[c0] if c0 < len(values) else None
            fmt = format_of(r0, c0)
            sheet.merge_range(r0, c0, r1, c1, "", fmt)
            _write_cell(sheet, r0, c0, value, fmt)
    if spec.bordered_rows is not None and width:
        # One rule borders every cell of the table, blank ones included: writing a formatted
        # blank cell per empty cell was a quarter of the cells of a consolidation.
        first, last = spec.bordered_rows
        border = style(border=1)
        sheet.conditional_format(
            first, 0, last, width - 1, {"type": "formula", "criteria": "=TRUE", "format": border}
        )
    for col, col_width in spec.column_widths.items():
        sheet.set_column(col, col, col_width)
    if spec.freeze:
        sheet.freeze_panes(spec.freeze)
    if spec.autofilter and spec.rows:
        sheet.autofilter((spec.header_rows or [0])[0], 0, len(spec.rows) - 1, width - 1)
    _page_setup(sheet, spec, width)
    for validation in spec.validations:
        sheet.data_validation(
            validation.cells,
            {
                "validate": "list",
                "source": f"={validation.formula}",
                "ignore_blank": True,
                "error_title": "绩效目标",
                "error_message": "请从下拉列表中选择",
            },
        )
    for name, reference in spec.defined_names.items():
        book.define_name(name, f"={reference}")
    for chart_spec in spec.charts:
        chart = book.add_chart({"type": "bar"})
        if chart is None:
            continue
        first, last = chart_spec.first_row, chart_spec.last_row
        chart.add_series(
            {
                "name": [spec.name, first, chart_spec.values_column],
                "categories": [
                    spec.name,
                    first + 1,
                    chart_spec.categories_column,
                    last,
                    chart_spec.categories_column,
                ],
                "values": [
                    spec.name,
                    first + 1,
                    chart_spec.values_column,
                    last,
                    chart_spec.values_column,
                ],
            }
        )
        chart.set_title({"name": chart_spec.title})
        chart.set_legend({"none": True})
        chart.set_size({"width": chart_spec.width, "height": chart_spec.height})
        sheet.insert_chart(chart_spec.anchor, chart)
    if spec.hidden:
        sheet.hide()


LINE_HEIGHT = 15.0  # points per line of 11-point text, CJK included
MAX_ROW_HEIGHT = 409.0  # Excel's largest row height


def _row_heights(spec: OutputSheet) -> dict[int, float]:
    """Rows whose wrapped text needs more than one line, and the height that shows it all.

    Excel and LibreOffice keep the default height of a row written with wrapped text, so
    the text overprints the next row on paper; a merged cell is as wide as its columns, and
    a cell merged down over several rows is left to them.
    """
    spans: dict[tuple[int, int], int] = {}
    for r0, c0, r1, c1 in spec.merges:
        spans[(r0, c0)] = c1 if r0 == r1 else -1
        for row in range(r0 + 1, r1 + 1):
            spans[(row, c0)] = -1
    widths = spec.column_widths
    width = max((len(r) for r in spec.rows), default=0)
    fits = [widths.get(c, 8.43) - 1 for c in range(width)]  # twice the characters that fit
    heights = {}
    for r, values in enumerate(spec.rows):
        lines = 1
        for c, value in enumerate(values):
            if value.__class__ is not str or len(value) * 2 < fits[c]:
                continue  # fits on one line whatever its characters
            last = spans.get((r, c), c)
            if last < 0:
                continue
            columns = sum(widths.get(k, 8.43) for k in range(c, last + 1))
            lines = max(lines, lines_needed(value, columns))
        if lines > 1:
            heights[r] = min(MAX_ROW_HEIGHT, LINE_HEIGHT * lines + 3)
    return heights


def _page_setup(sheet: Worksheet, spec: OutputSheet, width: int) -> None:
    """A4; the print area is the data (no blank tails); headers repeat; charts included."""
    sheet.set_paper(9)
    if spec.landscape:
        sheet.set_landscape()
    if spec.fit_to_width:
        sheet.fit_to_pages(1, 0)
    sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    last_row = max(len(spec.rows) - 1, 0)
    last_col = max(width - 1, 0)
    for chart in spec.charts:
        row, col = position(chart.anchor)
        last_row = max(last_row, row + int(chart.height / 20) + 1)
        last_col = max(last_col, col + int(chart.width / 64) + 1)
    sheet.print_area(0, 0, last_row, last_col)
    if spec.repeat_rows is not None:
        sheet.repeat_rows(*spec.repeat_rows)
    if spec.page_breaks:
        sheet.set_h_pagebreaks(spec.page_breaks)  # a break above each of these rows


def _write_cell(sheet: Worksheet, row: int, col: int, value: CellValue, fmt: Format | None) -> None:
    """Numbers as numbers, a Formula as a formula, and any other text as text, always."""
    if value is None or value == "":
        if fmt is not None:
            sheet.write_blank(row, col, None, fmt)
    elif isinstance(value, Formula):
        sheet.write_formula(
            row, col, str(value), fmt, value.value if value.value is not None else ""
        )
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value, fmt)
    elif isinstance(value, (int, float, Decimal)):
        sheet.write_number(row, col, float(value), fmt)
    elif isinstance(value, (dt.datetime, dt.date)):
        sheet.write_datetime(row, col, value, fmt)
    else:
        _write_text(sheet, row, col, str(value), fmt)


def _write_text(sheet: Worksheet, row: int, col: int, text: str, fmt: Format | None) -> None:
    if text.startswith("<r>") and text.endswith("</r>"):
        # XlsxWriter takes such text for rich-text XML and writes it unescaped, and the cell
        # reads back empty; as plain runs (the library wants three) it is kept as it is
        runs = (text[:1], text[1:-1], text[-1:])
        sheet.write_rich_string(row, col, *runs, *([fmt] if fmt else []))
    else:
        sheet.write_string(row, col, text, fmt)
