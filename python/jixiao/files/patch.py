"""Change some cells of a user's .xlsx/.xlsm and keep everything else of the package.

Re-rendering a workbook loses what no reader reads: pictures (a unit's seal), comments,
column widths, frozen panes, data validation, hidden sheets, charts, macros, defined names.
Here the package is copied part by part, byte for byte, and only the worksheets holding an
edited cell are rewritten, and in them only the edited ``<c>`` elements (a cell keeps its
style). Text is written as an inline string, so ``=…`` typed by a clerk stays text; a formula
is written with its value, and the calculation chain is dropped so that Excel rebuilds it.
"""

from __future__ import annotations

import math
import os
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from xml.sax.saxutils import escape

from jixiao.errors import WorkbookError
from jixiao.files.guard import _sheet_parts, check_file, inspect_archive
from jixiao.files.paths import output_path, readable
from jixiao.files.write import atomically
from jixiao.grid import CellValue, position
from jixiao.output import Formula

Edit = CellValue | Formula
_ROW = re.compile(r'<row\b[^>]*?\br="(\d+)"[^>]*?(?:/>|>.*?</row>)', re.S)
_CELL = re.compile(r'<c\b[^>]*?\br="([A-Z]+)(\d+)"[^>]*?(?:/>|>.*?</c>)', re.S)
_STYLE = re.compile(r'\bs="(\d+)"')
_ESCAPED = re.compile(r"(_x[0-9A-Fa-f]{4}_)")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CALC_CHAIN = "xl/calcChain.xml"
_CHAIN_TYPE = re.compile(rb'<Override[^>]*?PartName="/xl/calcChain.xml"[^>]*/>')
_CHAIN_RELATION = re.compile(rb'<Relationship[^>]*?Target="[^"]*calcChain.xml"[^>]*/>')


def patch_workbook(
    source: str | os.PathLike[str],
    target: str | os.PathLike[str],
    edits: Mapping[tuple[str, str], Edit],
    *,
    protect: tuple[str | os.PathLike[str], ...] = (),
) -> Path:
    """A copy of ``source`` at ``target`` with each (sheet, cell) of ``edits`` set."""
    source = Path(source)
    check_file(source)
    inspect_archive(source)  # the same guards as every read
    out = output_path(target, (source, *protect), suffixes=(source.suffix.lower(),))
    with zipfile.ZipFile(source) as archive:
        parts = dict(_sheet_parts(archive))
    by_part: dict[str, dict[str, Edit]] = {}
    for (sheet, cell), value in edits.items():
        if sheet not in parts:
            raise WorkbookError(f"{readable(source.name)} 中没有工作表“{sheet}”")
        by_part.setdefault(parts[sheet], {})[cell] = value
    formulas = any(isinstance(v, Formula) for v in edits.values())

    def write(temporary: str) -> None:
        with zipfile.ZipFile(source) as archive, zipfile.ZipFile(temporary, "w") as copy:
            for info in archive.infolist():
                data = archive.read(info)
                if info.filename == _CALC_CHAIN and by_part:
                    continue  # Excel rebuilds it; a stale chain makes it "repair" the file
                if info.filename in by_part:
                    data = _patch_sheet(data, by_part[info.filename])
                elif info.filename == "[Content_Types].xml" and by_part:
                    data = _CHAIN_TYPE.sub(b"", data)
                elif info.filename == "xl/_rels/workbook.xml.rels" and by_part:
                    data = _CHAIN_RELATION.sub(b"", data)
                elif info.filename == "xl/workbook.xml" and formulas:
                    data = _full_calculation(data)
                copy.writestr(info, data)  # the part's name, date and compression as they were

    return atomically(out, write)


def _full_calculation(data: bytes) -> bytes:
    """Excel recalculates the whole workbook on opening: written formulas show fresh values."""
    if b"<calcPr" in data:
        if b"fullCalcOnLoad" in data:
            return data
        return data.replace(b"<calcPr", b'<calcPr fullCalcOnLoad="1"', 1)
    return re.sub(rb"(</workbook>)", b'<calcPr fullCalcOnLoad="1"/>\\1', data, count=1)


def _patch_sheet(data: bytes, edits: Mapping[str, Edit]) -> bytes:
    """The sheet XML with each edited cell replaced or inserted in its row, in one pass."""
    text = data.decode("utf-8")
    rows: dict[int, dict[str, Edit]] = {}
    for cell, value in edits.items():
        row, _col = position(cell)
        rows.setdefault(row + 1, {})[cell] = value
    pieces: list[str] = []
    last = 0
    done: set[int] = set()
    for match in _ROW.finditer(text):
        number = int(match[1])
        for missing in sorted(r for r in rows if r < number and r not in done):
            pieces.append(text[last : match.start()])
            pieces.append(_new_row(missing, rows[missing]))
            last = match.start()
            done.add(missing)
        if number in rows:
            pieces.append(text[last : match.start()])
            pieces.append(_patch_row(match[0], number, rows[number]))
            last = match.end()
            done.add(number)
    rest = [r for r in sorted(rows) if r not in done]
    if rest:
        end = text.find("</sheetData>")
        inserted = "".join(_new_row(r, rows[r]) for r in rest)
        if end == -1:  # <sheetData/>
            empty = text.find("<sheetData/>")
            if empty == -1:
                raise WorkbookError("工作表的内容不完整（没有 sheetData），无法修改")
            pieces.append(text[last:empty])
            pieces.append(f"<sheetData>{inserted}</sheetData>")
            last = empty + len("<sheetData/>")
        else:
            pieces.append(text[last:end])
            pieces.append(inserted)
            last = end
    pieces.append(text[last:])
    return "".join(pieces).encode("utf-8")


def _new_row(number: int, edits: Mapping[str, Edit]) -> str:
    cells = "".join(_cell_xml(c, v, None) for c, v in sorted(edits.items(), key=_column))
    return f'<row r="{number}">{cells}</row>'


def _column(item: tuple[str, Edit]) -> int:
    return position(item[0])[1]


def _patch_row(row_xml: str, number: int, edits: Mapping[str, Edit]) -> str:
    if row_xml.endswith("/>"):  # an empty row: open it
        head = row_xml[:-2].rstrip()
        cells = "".join(_cell_xml(c, v, None) for c, v in sorted(edits.items(), key=_column))
        return f"{head}>{cells}</row>"
    open_end = row_xml.index(">") + 1
    head, body, tail = row_xml[:open_end], row_xml[open_end : -len("</row>")], "</row>"
    waiting = sorted(edits.items(), key=_column)
    out: list[str] = []
    last = 0
    for match in _CELL.finditer(body):
        ref = match[1] + match[2]
        col = position(ref)[1]
        while waiting and position(waiting[0][0])[1] < col:  # a new cell before this one
            cell, value = waiting.pop(0)
            out.append(body[last : match.start()])
            out.append(_cell_xml(cell, value, None))
            last = match.start()
        if waiting and waiting[0][0] == ref:
            cell, value = waiting.pop(0)
            style = _STYLE.search(match[0][: match[0].find(">") + 1])
            out.append(body[last : match.start()])
            out.append(_cell_xml(cell, value, style[1] if style else None))
            last = match.end()
    out.append(body[last:])
    out.extend(_cell_xml(c, v, None) for c, v in waiting)
    return head + "".join(out) + tail


def _cell_xml(ref: str, value: Edit, style: str | None) -> str:
    s = f' s="{style}"' if style else ""
    if value is None or value == "":
        return f'<c r="{ref}"{s}/>'
    if isinstance(value, Formula):
        cached = "" if value.value is None else f"<v>{_number(value.value)}</v>"
        return f'<c r="{ref}"{s}><f>{escape(str(value).lstrip("="))}</f>{cached}</c>'
    if isinstance(value, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float) and math.isfinite(value):
        return f'<c r="{ref}"{s}><v>{_number(value)}</v></c>'
    text = _CONTROL.sub("", str(value))
    text = _ESCAPED.sub(r"_x005F\1", text)  # text that looks like Excel's escapes stays text
    return f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>'


def _number(value: float | int) -> str:
    return repr(value) if isinstance(value, float) and not value.is_integer() else str(int(value))
