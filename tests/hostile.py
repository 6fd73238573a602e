"""Hostile and unlucky input files, built from the seed fixtures.

Shared by the reliability tests and ``benchmarks/bench_hostile.py``, so the files a test
proves one by one are the same files the 1,000-workbook consolidation meets all at once.
"""

from __future__ import annotations

import dataclasses

import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from conftest import fixture_projects
from msoffcrypto.format.ooxml import OOXMLFile

from jixiao.model import Project, Unit
from jixiao.workbook import write_workbook


def with_far_cell(source: Path, target: Path, cell: str = "XFD1048576") -> Path:
    book = openpyxl.load_workbook(source)
    book.worksheets[0][cell] = "误触"
    book.save(target)
    return target


def lying_dimension(source: Path, target: Path) -> Path:
    """A far cell whose sheet declares ``<dimension ref="A1"/>``."""
    far = with_far_cell(source, target.with_name(f"far-of-{target.name}"))
    with zipfile.ZipFile(far) as original, zipfile.ZipFile(target, "w") as out:
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet1"):
                lied = data.replace(b'<dimension ref="A1:XFD1048576"/>', b'<dimension ref="A1"/>')
                assert lied != data, "the sheet no longer declares its far corner"
                data = lied
            out.writestr(item, data, zipfile.ZIP_DEFLATED)
    far.unlink()
    return target


def far_apart_cells(path: Path) -> Path:
    """A sheet as wide as the sheet itself, with no gap to cut at: too large to read."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in range(1, 3000):
        sheet.cell(row=row, column=1 + (row * 5 % 16384), value="x")
    sheet["XFD1048576"] = "y"
    book.save(path)
    return path


def many_part_bomb(path: Path, parts: int = 20, size: int = 15 * 2**20) -> Path:
    """Parts each just under the old 16 MB per-part guard, at a ratio near 1,000."""
    block = b"0" * 2**20
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for number in range(parts):
            with archive.open(f"xl/worksheets/sheet{number + 1}.xml", "w") as part:
                for _ in range(size // len(block)):
                    part.write(block)
    return path


def zip_bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as part:
            block = b"<!-- " + b"0" * (1 << 20) + b" -->"
            for _ in range(600):  # 600 MB of zeros, about 0.6 MB compressed
                part.write(block)
    return path


def entity_expansion(path: Path) -> Path:
    source = write_workbook(path.with_name(f"plain-{path.name}"), fixture_projects("001"), "long")
    with zipfile.ZipFile(source) as plain, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in plain.infolist():
            data = plain.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                laughs = '<!DOCTYPE x [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
                declaration, _, body = data.partition(b"?>") if b"?>" in data else (b"", b"", data)
                data = declaration + (b"?>" if declaration else b"") + laughs.encode() + body
            out.writestr(item, data)
    source.unlink()
    return path


def lying_sizes(source: Path, target: Path) -> Path:
    """The sheet part declares 10 bytes in both headers while holding more."""
    data = bytearray(source.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.find(signature)
        while at != -1:
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at : name_at + len(name)] == name:
                data[at + size_at : at + size_at + 4] = (10).to_bytes(4, "little")
            at = data.find(signature, at + 4)
    target.write_bytes(bytes(data))
    return target


def password_protected(source: Path, target: Path) -> Path:
    with source.open("rb") as plain, target.open("wb") as out:
        OOXMLFile(plain).encrypt("secret", out)
    return target


def big_project() -> Project:
    """A real project's first indicators repeated to ~600, as a very large project has."""
    project = fixture_projects("003")[0]
    template = project.indicators
    items = []
    for number in range(600):
        item = dataclasses.replace(template[number % len(template)])
        item.seq = number + 1
        item.l3 = f"{item.l3}（第{number + 1}项，按季度统计并报送执行情况）"
        items.append(item)
    project.indicators = items
    return project


@dataclass(frozen=True)
class Hostile:
    """A file and what a consolidation of its folder must say of it."""

    path: Path
    status: str  # "failed", or "ok" for a file read with a finding
    code: str  # the finding's code (the file's error text for a failed file)
    projects: int = 0  # projects the file holds when it is read


def _docx_rewritten(target: Path, change) -> Path:  # noqa: ANN001 - bytes -> bytes
    """A Word document with a 4-column table whose document.xml is passed through ``change``."""
    import docx

    document = docx.Document()
    table = document.add_table(rows=1, cols=4)
    for c, text in enumerate(["一级指标", "二级指标", "三级指标", "指标值"]):
        table.cell(0, c).text = text
    base = target.with_suffix(".base")
    document.save(str(base))
    with zipfile.ZipFile(base) as z:
        items = {i.filename: z.read(i.filename) for i in z.infolist()}
    base.unlink()
    items["word/document.xml"] = change(items["word/document.xml"])
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in items.items():
            z.writestr(name, content)
    return target


def docx_huge_span(target: Path) -> Path:
    """A table cell spanning 2,000,000,000 columns: a list that long would be allocated."""
    span = b'<w:tc><w:tcPr><w:gridSpan w:val="2000000000"/></w:tcPr>'
    return _docx_rewritten(target, lambda xml: xml.replace(b"<w:tc>", span, 1))


def docx_malformed(target: Path) -> Path:
    return _docx_rewritten(target, lambda xml: xml.replace(b"</w:body>", b"</w:bodyX>"))


def docx_too_deep(target: Path) -> Path:
    """100 tables nested in one another: past the XML parser's depth limit."""
    inner = "<w:p><w:r><w:t>x</w:t></w:r></w:p>"
    for _ in range(100):
        inner = "<w:tbl><w:tr><w:tc>" + inner + "<w:p/></w:tc></w:tr></w:tbl>"
    return _docx_rewritten(
        target, lambda xml: xml.replace(b"<w:body>", b"<w:body>" + inner.encode(), 1)
    )


def with_huge_merge(source: Path, target: Path) -> Path:
    """An extra sheet of notes merged over A1:XFD1048576: 7 KB that made fill and validate
    --excel allocate a cell object per merged cell."""
    with zipfile.ZipFile(source) as z:
        items = {i.filename: z.read(i.filename) for i in z.infolist()}
    items["xl/worksheets/sheet9.xml"] = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>说明</t>'
        '</is></c></row></sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/>'
        "</mergeCells></worksheet>"
    ).encode()
    items["[Content_Types].xml"] = items["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/worksheets/sheet9.xml" ContentType="application/vnd.openxml'
        b'formats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    )
    items["xl/_rels/workbook.xml.rels"] = items["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/worksheet" Target="worksheets/sheet9.xml"/></Relationships>',
    )
    items["xl/workbook.xml"] = items["xl/workbook.xml"].replace(
        b"</sheets>", '<sheet name="附件" sheetId="99" r:id="rId99"/></sheets>'.encode()
    )
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in items.items():
            z.writestr(name, content)
    return target


def ods_repeated_cells(target: Path, rows: int = 4000) -> Path:
    """800 bytes of .ods whose one row repeats a filled cell over 16,384 columns, N times."""
    cell = (
        '<table:table-cell table:number-columns-repeated="16384" office:value-type="string">'
        "<text:p>x</text:p></table:table-cell>"
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="S">'
        f'<table:table-row table:number-rows-repeated="{rows}">{cell}</table:table-row>'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
    return target


def docx_paragraph_bomb(target: Path) -> Path:
    """60 MB of empty paragraphs in a 126 KB .docx: minutes and gigabytes to parse."""
    filler = b"<w:p/>" * (60 * 2**20 // 6)
    return _docx_rewritten(target, lambda xml: xml.replace(b"<w:body>", b"<w:body>" + filler, 1))


def hostile_folder(folder: Path) -> list[Hostile]:
    """One of each hostile or unlucky file, in ``folder``; skips the FIFO where there are none."""
    folder.mkdir(parents=True, exist_ok=True)
    scratch = folder.parent / f"{folder.name}-scratch"
    scratch.mkdir(exist_ok=True)
    long_001 = write_workbook(scratch / "long-001.xlsx", fixture_projects("001"), "long")
    card_001 = write_workbook(scratch / "card-001.xlsx", fixture_projects("001"), "card")
    files = [
        Hostile(with_far_cell(long_001, folder / "far-cell.xlsx"), "ok", "workbook.stray_cells", 3),
        Hostile(lying_dimension(long_001, folder / "lying-dimension.xlsx"), "ok", "workbook.stray_cells", 3),
        Hostile(far_apart_cells(folder / "far-apart.xlsx"), "failed", "超过可读取"),
        Hostile(many_part_bomb(folder / "many-part-bomb.xlsx"), "failed", "压缩比"),
        Hostile(zip_bomb(folder / "zip-bomb.xlsx"), "failed", "压缩"),
        Hostile(entity_expansion(folder / "dtd.xlsx"), "failed", "DTD"),
        Hostile(lying_sizes(long_001, folder / "lying-sizes.xlsx"), "failed", "已损坏"),
        Hostile(password_protected(card_001, folder / "locked.xlsx"), "failed", "设有打开密码"),
        Hostile(docx_huge_span(folder / "span.docx"), "failed", "跨 2000000000 列"),
        Hostile(docx_malformed(folder / "malformed.docx"), "failed", "已损坏"),
        Hostile(docx_too_deep(folder / "nested.docx"), "failed", "已损坏"),
        Hostile(ods_repeated_cells(folder / "repeated.ods"), "failed", "重复"),
        Hostile(docx_paragraph_bomb(folder / "paragraphs.docx"), "failed", "段落"),
        Hostile(with_huge_merge(long_001, folder / "huge-merge.xlsx"), "ok", "", 3),
    ]
    renamed = {
        "csv.xlsx": "\u9879\u76ee,\u91d1\u989d\n1,2\n".encode(),
        "png.xlsx": b"\x89PNG\r\n\x1a\n" + b"\0" * 64,
        "old-format.xlsx": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504,
        "empty.xlsx": b"",
        "truncated.xlsx": card_001.read_bytes()[:3000],
    }
    for name, content in renamed.items():
        (folder / name).write_bytes(content)
        files.append(Hostile(folder / name, "failed", name))
    headerless = openpyxl.Workbook()
    assert headerless.active is not None
    headerless.active.append(["姓名", "金额"])
    headerless.save(folder / "headerless.xlsx")
    files.append(Hostile(folder / "headerless.xlsx", "failed", "没有可识别的绩效目标表"))
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "fifo.xlsx")
        files.append(Hostile(folder / "fifo.xlsx", "failed", "不是普通文件"))

    big = write_workbook(folder / "600-indicators.xlsx", [big_project()], "long")
    files.append(Hostile(big, "ok", "packed.too_long", 1))
    long_name = fixture_projects("001")
    long_name[0].name = "很长的项目名称" * 15_000  # 105,000 characters
    long_name[0].unit = Unit(code="990001", name="长名称单位")
    files.append(Hostile(write_workbook(folder / "long-name.xlsx", long_name, "long"), "ok", "output.cell_too_long", 3))
    injected = fixture_projects("002")[:2]
    injected[0].name = '=HYPERLINK("http://example.invalid","点我")'
    injected[1].name = "+1-2@科技法庭建设"
    files.append(Hostile(write_workbook(folder / "formulas.xlsx", injected, "wide"), "ok", "", 2))
    for name in ("法院", "检察院"):  # one project name, two departments without unit rows
        project = fixture_projects("001")[0]
        project.unit = Unit()
        files.append(Hostile(write_workbook(folder / f"unitless-{name}.xlsx", [project], "long"), "ok", "", 1))
    (folder / ".~tmp-killed-run.xlsx").write_bytes(b"")  # a killed run's temporary file: not an input
    (folder / "~$dept-0001.xlsx").write_bytes(b"\0" * 165)  # Excel's lock file: not an input
    for leftover in scratch.iterdir():
        leftover.unlink()
    scratch.rmdir()
    return files
