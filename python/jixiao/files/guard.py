"""What a file must pass before any reader touches it.

The readers (python-calamine, openpyxl) trust what a workbook says of itself: the size of
a zip part, the extent of a sheet. One value in XFD1048576 makes python-calamine allocate
the whole 1,048,576 × 16,384 rectangle and abort the process; thirty parts just under a
per-part limit inflate for minutes. So every input goes through here first, on the one
reading path every command uses: a regular file, an archive within a budget over all its
parts, no DTDs, and every worksheet's real extent known before it is materialised.
"""

from __future__ import annotations

import functools
import re
import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO
from xml.etree import ElementTree

from jixiao.errors import WorkbookError, reason
from jixiao.files import number_formats
from jixiao.grid import a1

READABLE = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods", ".docx")
ZIPPED = (".xlsx", ".xlsm", ".xlsb", ".ods", ".docx")

# A sheet is read as a dense grid; past this many cells (Excel's row limit × 16 columns,
# enough for a full 指标明细) it is refused rather than read into memory.
MAX_CELLS = 1_048_576 * 16
# Inflated bytes are budgeted over the whole archive, not per part: a real workbook at
# Excel's row limit inflates to ~800 MB at a ratio near 10, a bomb to the same size at
# hundreds or thousands.
MAX_UNPACKED = 4 * 2**30
MAX_RATIO = 100  # inflated / compressed over all parts, once past SMALL
SMALL = 64 * 2**20  # below this inflated size any ratio is harmless
# Cells this far beyond the rest of a sheet are strays (a key pressed in XFD1048576),
# not part of the table: the table is read without them and they are reported.
ROW_GAP = 1_000
COLUMN_GAP = 100

_CHUNK = 4 * 2**20
_ROW_TAG = re.compile(rb'<row r="([0-9]{1,7})"')
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@functools.lru_cache(maxsize=32)
def _columns_past(column: int) -> re.Pattern[bytes]:
    """Cell references whose column lies past ``column`` (1-based): two or three letters,
    or one letter after it. Once the first piece has shown a sheet's last one-letter column,
    later pieces are searched only for cells past it, which are rare."""
    past = _LETTERS[column:]
    one = f"|[{past[0]}-Z]" if past else ""
    return re.compile(rf'<c r="([A-Z]{{2,3}}{one})[0-9]'.encode())


_FAR_CELL = re.compile(rb'<c r="[A-Z]{1,3}([0-9]{7,})"')
_TAG = re.compile(rb"<(row|c)(?=[\s/>])([^>]*)>")
_REF = re.compile(rb'\sr="([A-Z]{0,3})([0-9]{0,7})"')
# a number cell with a style: r, then s within the same tag (text cells have t="s"/"str")
_STYLED_CELL = re.compile(
    rb'<c r="([A-Z]{1,3})([0-9]{1,7})"(?:\s+t="n")?\s+s="([0-9]+)"'
    rb'(?![^>]*\st="(?:s|str|inlineStr|b|e)")'
)
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


@dataclass
class Extent:
    """What a worksheet really holds: its corners (1-based), real cells, and the plan."""

    rows: int
    columns: int
    cells: int
    keep: tuple[int, int] | None = None  # (rows, columns) to read when strays are left out
    strays: list[str] = field(default_factory=list)  # A1 of the first cells left out
    stray_count: int = 0
    # (row, column), 0-based -> number format code, for cells whose format changes how their
    # number reads (``0%``, ``#,##0``): python-calamine gives the number alone
    formats: dict[tuple[int, int], str] = field(default_factory=dict)
    merged_cells: int = 0  # cells its merged ranges cover: openpyxl makes an object of each

    @property
    def fits(self) -> bool:
        return self.rows * self.columns <= MAX_CELLS


def _name(path: Path) -> str:
    from jixiao.files.paths import readable  # paths imports nothing of guard: no cycle

    return readable(path.name)


def check_file(path: Path) -> None:
    """A regular file with a workbook's suffix: never a FIFO, device or folder (they hang)."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise WorkbookError(f"找不到文件 {path}") from None
    except OSError as error:
        raise WorkbookError(f"无法读取 {path}：{reason(error)}") from None
    if not stat.S_ISREG(mode):
        raise WorkbookError(f"{_name(path)} 不是普通文件（可能是文件夹、管道或设备），已跳过")
    if path.suffix.lower() not in READABLE:
        raise WorkbookError(
            f"{_name(path)} 不是 Excel 工作簿或 Word 文档（支持 {'、'.join(READABLE)}）"
        )


def inspect_archive(path: Path) -> dict[str, Extent]:
    """Refuse bombs and DTDs; the real extent of every worksheet of an .xlsx/.xlsm by name."""
    name = _name(path)
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            _check_budget(name, members)
            for member in members:
                if member.filename.endswith((".xml", ".rels")):
                    # the whole part, not its head: a DTD after a long comment is a DTD.
                    # Worksheets are searched in the pass that measures them (_extent).
                    whole = not member.filename.startswith("xl/worksheets/")
                    with archive.open(member) as part:
                        for chunk in _chunks(part) if whole else (part.read(4096),):
                            _refuse_dtd(name, member.filename, chunk)
            suffix = path.suffix.lower()
            if suffix == ".ods":
                _check_ods(name, archive)
            if suffix == ".docx":
                _check_docx(name, archive)
            if suffix not in (".xlsx", ".xlsm"):
                return {}
            styles = _shown_styles(archive)
            return {
                sheet: _extent(archive, part, styles, name) for sheet, part in _sheet_parts(archive)
            }
    except (zipfile.BadZipFile, OSError, EOFError, ElementTree.ParseError) as error:
        raise WorkbookError(f"{name} 已损坏或不是有效的 Excel 文件（{reason(error)}）") from None


# A Word document of more paragraphs than this is no 绩效目标表 (a 10-million-paragraph
# document.xml is 126 KB zipped and took minutes and gigabytes to parse).
MAX_PARAGRAPHS = 500_000
_ODS_ROWS = re.compile(rb'<table:table-row\b[^>]*?table:number-rows-repeated="([0-9]{1,10})"')
_ODS_FILLED_CELLS = re.compile(
    rb'<table:table-cell\b(?=[^>]*?office:value-type)[^>]*?table:number-columns-repeated="([0-9]{1,10})"'
)


def _check_ods(name: str, archive: zipfile.ZipFile) -> None:
    """An .ods states repeated rows and cells as counts, which python-calamine makes into a
    dense grid before anyone can ask its size (800 bytes -> 8 GB): refuse a sheet whose
    largest repeats of filled cells and of rows would pass the cell budget."""
    if "content.xml" not in archive.namelist():
        return
    rows = columns = 1
    with archive.open("content.xml") as stream:
        for chunk in _chunks(stream):
            rows = max(rows, *(int(n) for n in _ODS_ROWS.findall(chunk)), 1)
            columns = max(columns, *(int(n) for n in _ODS_FILLED_CELLS.findall(chunk)), 1)
    if rows * columns > MAX_CELLS:
        raise WorkbookError(
            f"{name} 中有单元格被重复 {columns:,} 列、{rows:,} 行，"
            f"超过可读取的 {MAX_CELLS:,} 个单元格，已拒绝读取（请在表格软件中删除多余的行列后另存）"
        )


def _check_docx(name: str, archive: zipfile.ZipFile) -> None:
    if "word/document.xml" not in archive.namelist():
        return
    paragraphs = 0
    with archive.open("word/document.xml") as stream:
        for chunk in _chunks(stream):
            paragraphs += chunk.count(b"<w:p>") + chunk.count(b"<w:p ") + chunk.count(b"<w:p/>")
            if paragraphs > MAX_PARAGRAPHS:
                raise WorkbookError(
                    f"{name} 有超过 {MAX_PARAGRAPHS:,} 个段落，不像是绩效目标表，已拒绝读取"
                    "（可能是恶意文件）"
                )


def _refuse_dtd(name: str, part: str, chunk: bytes) -> None:
    if b"<!DOCTYPE" in chunk or b"<!ENTITY" in chunk:
        raise WorkbookError(
            f"{name} 中的 {part} 含有 DTD/实体声明，"
            "Excel 不会生成这样的文件，已拒绝读取（可能是恶意文件）"
        )


def _check_budget(name: str, members: list[zipfile.ZipInfo]) -> None:
    unpacked = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members)
    if unpacked > MAX_UNPACKED:
        raise WorkbookError(
            f"{name} 解压后有 {unpacked / 2**20:,.0f} MB，超过可处理的 "
            f"{MAX_UNPACKED / 2**20:,.0f} MB，已拒绝读取（可能是恶意文件）"
        )
    ratio = unpacked / max(packed, 1)
    if unpacked > SMALL and ratio > MAX_RATIO:
        raise WorkbookError(
            f"{name} 压缩比为 {ratio:,.0f} 倍（解压后 {unpacked / 2**20:,.0f} MB），"
            "真实的工作簿不会这样，疑似压缩炸弹，已拒绝读取"
        )


def _sheet_parts(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, part path) of every worksheet, from workbook.xml and its relationships."""
    names = set(archive.namelist())
    if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
        return []
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {
        rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{{{_RELS}}}Relationship")
    }
    parts = []
    for sheet in book.iter(f"{{{_MAIN}}}sheet"):
        target = targets.get(sheet.get(f"{{{_OFFICE_RELS}}}id"), "")
        part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl", target))
        if part in names:
            parts.append((sheet.get("name", ""), part))
    return parts


def _shown_styles(archive: zipfile.ZipFile) -> dict[bytes, str]:
    """Style index (as written in ``<c s="…">``) -> format code, for the formats that change
    how a number reads; empty for most workbooks, which then cost nothing more."""
    if "xl/styles.xml" not in archive.namelist():
        return {}
    root = ElementTree.fromstring(archive.read("xl/styles.xml"))
    codes = dict(number_formats.BUILTIN)
    for fmt in root.iter(f"{{{_MAIN}}}numFmt"):
        try:
            codes[int(fmt.get("numFmtId", ""))] = fmt.get("formatCode", "")
        except ValueError:
            continue
    cell_xfs = root.find(f"{{{_MAIN}}}cellXfs")
    styles: dict[bytes, str] = {}
    for index, xf in enumerate(cell_xfs if cell_xfs is not None else ()):
        try:
            code = codes.get(int(xf.get("numFmtId", "0")), "")
        except ValueError:
            continue
        if code and number_formats.shown(code):
            styles[str(index).encode()] = code
    return styles


def _formatted_cells(
    chunk: bytes, styles: dict[bytes, str], needles: tuple[bytes, ...]
) -> dict[tuple[int, int], str]:
    """The cells of a chunk styled with one of ``styles``; a chunk without any of their
    ``s="N"`` attributes (most of a large sheet) costs one substring search each."""
    found: dict[tuple[int, int], str] = {}
    if not any(needle in chunk for needle in needles):
        return found
    for letters, number, style in _STYLED_CELL.findall(chunk):
        code = styles.get(style)
        if code is not None:
            found[(int(number) - 1, _column_number(letters) - 1)] = code
    return found


def _extent(
    archive: zipfile.ZipFile, part: str, styles: dict[bytes, str] | None = None, name: str = ""
) -> Extent:
    """A cheap pass bounds the sheet; only a sheet past the budget is scanned cell by cell.

    Excel and every common writer put ``r`` first in each ``<row>`` and ``<c>`` tag, so
    counting those tags, the row numbers and the columns (each piece searched only for
    cells past the last column seen) bounds the rectangle python-calamine will allocate, at
    a sixth of its reading time. (Taking every sheet as at least 26 columns wide sent any
    sheet taller than the budget over 26 to the cell-by-cell scan: 24 s of a million rows.)
    """
    rows = columns = cells = tagged_cells = row_tags = tagged_rows = 0
    formats: dict[tuple[int, int], str] = {}
    merged = 0
    needles = tuple(b' s="' + style + b'"' for style in styles or ())
    with archive.open(part) as stream:
        for chunk in _chunks(stream):
            _refuse_dtd(name, part, chunk)
            if b"<mergeCell " in chunk:
                merged += sum(_merge_area(ref) for ref in _MERGE_REF.findall(chunk))
            if needles:
                formats.update(_formatted_cells(chunk, styles or {}, needles))
            cells += chunk.count(b"<c ") + chunk.count(b"<c>")
            tagged_cells += chunk.count(b'<c r="')
            row_tags += chunk.count(b"<row ") + chunk.count(b"<row>")
            found_rows = _ROW_TAG.findall(chunk)
            tagged_rows += len(found_rows)
            rows = max(rows, max(map(int, found_rows), default=0))
            past = _columns_past(columns).findall(chunk)
            columns = max(columns, max(map(_column_number, past), default=0))
            rows = max(rows, max(map(int, _FAR_CELL.findall(chunk)), default=0))
    regular = tagged_cells == cells and tagged_rows == row_tags
    extent = Extent(rows=rows, columns=columns, cells=cells, formats=formats, merged_cells=merged)
    if regular and extent.fits:
        return extent
    scanned = _scan(archive, part)
    scanned.formats, scanned.merged_cells = formats, merged
    return scanned


_MERGE_REF = re.compile(
    rb'<mergeCell ref="\$?([A-Z]{1,3})\$?([0-9]{1,7}):\$?([A-Z]{1,3})\$?([0-9]{1,7})"'
)


def _merge_area(ref: tuple[bytes, bytes, bytes, bytes]) -> int:
    first_col, first_row, last_col, last_row = ref
    rows = abs(int(last_row) - int(first_row)) + 1
    return rows * (abs(_column_number(last_col) - _column_number(first_col)) + 1)


def _scan(archive: zipfile.ZipFile, part: str) -> Extent:
    """Every cell's position, as a reader places it (implicit ones follow the previous)."""
    row_numbers: set[int] = set()
    column_numbers: set[int] = set()
    cells = 0
    for row, column in _positions(archive, part):
        cells += 1
        row_numbers.add(row)
        column_numbers.add(column)
    if not cells:
        return Extent(rows=0, columns=0, cells=0)
    extent = Extent(rows=max(row_numbers), columns=max(column_numbers), cells=cells)
    if extent.fits:
        return extent
    keep_rows = _before_gap(sorted(row_numbers), ROW_GAP)
    keep_columns = _before_gap(sorted(column_numbers), COLUMN_GAP)
    if keep_rows * keep_columns > MAX_CELLS:
        return extent  # the table itself is too large: refused
    extent.keep = (keep_rows, keep_columns)
    for row, column in _positions(archive, part):
        if row > keep_rows or column > keep_columns:
            extent.stray_count += 1
            if len(extent.strays) < 5:
                extent.strays.append(a1(row - 1, column - 1))
    return extent


def _positions(archive: zipfile.ZipFile, part: str) -> Iterator[tuple[int, int]]:
    """Every cell's (row, column), 1-based; a tag without ``r`` follows the previous one."""
    row = column = 0
    with archive.open(part) as stream:
        for chunk in _chunks(stream):
            for tag, attributes in _TAG.findall(chunk):
                ref = _REF.search(attributes)
                if tag == b"row":
                    row = int(ref[2]) if ref and ref[2] else row + 1
                    column = 0
                    continue
                if ref and ref[1]:
                    column = _column_number(ref[1])
                    row = int(ref[2]) if ref[2] else row
                else:
                    column += 1
                yield row, column


def _chunks(stream: IO[bytes]) -> Iterator[bytes]:
    """The part in pieces that never split a tag: each ends before its last ``<``."""
    carry = b""
    while True:
        block = stream.read(_CHUNK)
        if not block:
            if carry:
                yield carry
            return
        data = carry + block
        cut = data.rfind(b"<")
        if cut <= 0:
            carry = data
            continue
        carry = data[cut:]
        yield data[:cut]


def _before_gap(numbers: list[int], gap: int) -> int:
    """The last number before the first jump larger than ``gap`` (numbers sorted, 1-based)."""
    last = 0
    for number in numbers:
        if number - last > gap and last:
            break
        last = number
    return last


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number
