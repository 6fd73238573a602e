"""Build ``jixiao.xlam`` from text: customUI.xml, the VBA sources and xlwings' VBA runtime.

The same sources and xlwings version give the same bytes: zip entries carry a fixed date,
the compound file has no timestamps, the encrypted PROJECT fields use fixed seeds.
"""

from __future__ import annotations

import os
import re
import uuid
import zipfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import xlwings

from jixiao.addin.cfb import Storage, write_cfb
from jixiao.addin.ovba import (
    VBA_PROJECT_STREAM,
    Module,
    compress,
    dir_stream,
    project_stream,
    projectwm_stream,
)
from jixiao.files.write import atomically

PROJECT = "jixiao"
SOURCES = Path(__file__).resolve().parent  # customUI.xml and vba/, shipped as package data
PROJECT_ID = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, "jixiao.xlam")).upper() + "}"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
RIBBON_NS = "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
<Default Extension="xml" ContentType="application/xml"/>\
<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>\
<Override PartName="/xl/workbook.xml" \
ContentType="application/vnd.ms-excel.addin.macroEnabled.main+xml"/>\
<Override PartName="/xl/worksheets/sheet1.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
<Override PartName="/xl/theme/theme1.xml" \
ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/>\
<Override PartName="/xl/styles.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
</Types>"""
ROOT_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" \
Target="xl/workbook.xml"/>\
<Relationship Id="rId2" Type="{RIBBON_NS}" Target="customUI/customUI.xml"/>\
</Relationships>"""
WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
<workbookPr codeName="ThisWorkbook"/>\
<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"""
WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" \
Target="worksheets/sheet1.xml"/>\
<Relationship Id="rId2" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" \
Target="styles.xml"/>\
<Relationship Id="rId3" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" \
Target="vbaProject.bin"/>\
<Relationship Id="rId4" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme" \
Target="theme/theme1.xml"/>\
</Relationships>"""
SHEET = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
<sheetPr codeName="Sheet1"/><sheetData/></worksheet>"""
_FILL = '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>'
_COLORS = "".join(
    f'<a:{name}><a:srgbClr val="{rgb}"/></a:{name}>'
    for name, rgb in (
        ("dk2", "44546A"), ("lt2", "E7E6E6"), ("accent1", "4472C4"), ("accent2", "ED7D31"),
        ("accent3", "A5A5A5"), ("accent4", "FFC000"), ("accent5", "5B9BD5"),
        ("accent6", "70AD47"), ("hlink", "0563C1"), ("folHlink", "954F72"),
    )
)  # fmt: skip
_LINE = '<a:ln w="6350">' + _FILL + "</a:ln>"
_EFFECT = "<a:effectStyle><a:effectLst/></a:effectStyle>"
_FONT = '<a:latin typeface="Calibri"/><a:ea typeface=""/><a:cs typeface=""/>'
THEME = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="Office">'
    '<a:themeElements><a:clrScheme name="Office">'
    '<a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1>'
    '<a:lt1><a:sysClr val="window" lastClr="FFFFFF"/></a:lt1>'
    f"{_COLORS}</a:clrScheme>"
    f'<a:fontScheme name="Office"><a:majorFont>{_FONT}</a:majorFont>'
    f"<a:minorFont>{_FONT}</a:minorFont></a:fontScheme>"
    f'<a:fmtScheme name="Office"><a:fillStyleLst>{_FILL * 3}</a:fillStyleLst>'
    f"<a:lnStyleLst>{_LINE * 3}</a:lnStyleLst>"
    f"<a:effectStyleLst>{_EFFECT * 3}</a:effectStyleLst>"
    f"<a:bgFillStyleLst>{_FILL * 3}</a:bgFillStyleLst></a:fmtScheme>"
    "</a:themeElements></a:theme>"
)
STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>\
<fills count="2"><fill><patternFill patternType="none"/></fill>\
<fill><patternFill patternType="gray125"/></fill></fills>\
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>\
</styleSheet>"""


@dataclass(frozen=True)
class AddinSources:
    custom_ui: bytes
    modules: tuple[Module, ...]


def xlwings_runtime() -> Module:
    """xlwings' VBA runtime from the installed package, its PROJECT_NAME set to ours."""
    text = (
        resources.files(xlwings).joinpath("xlwings_custom_addin.bas").read_bytes().decode("cp1252")
    )
    text, count = re.subn(
        r'(Public Const PROJECT_NAME As String = )"[^"]*"', rf'\1"{PROJECT}"', text, count=1
    )
    if count != 1:
        raise RuntimeError("xlwings_custom_addin.bas has no PROJECT_NAME constant")
    return Module("xlwings", text)


def read_sources(source: Path = SOURCES, *, self_test: bool = False) -> AddinSources:
    """The modules in project order. The self-test build swaps the xlwings runtime (which
    LibreOffice Basic cannot compile) and the ribbon callbacks for one plain Sub."""
    vba = source / "vba"

    def text(name: str) -> str:
        return (vba / name).read_bytes().decode("ascii")

    modules = [
        Module("ThisWorkbook", text("ThisWorkbook.cls"), "document"),
        Module("Sheet1", text("Sheet1.cls"), "document"),
    ]
    if self_test:
        modules.append(Module("SelfTest", text("SelfTest.bas")))
    else:
        modules += [xlwings_runtime(), Module("JixiaoRibbon", text("JixiaoRibbon.bas"))]
    return AddinSources((source / "customUI.xml").read_bytes(), tuple(modules))


def vba_project(modules: tuple[Module, ...]) -> bytes:
    streams: dict[str, Storage | bytes] = {
        "_VBA_PROJECT": VBA_PROJECT_STREAM,
        "dir": compress(dir_stream(PROJECT, modules)),
    }
    for module in modules:
        streams[module.name] = compress(module.encoded())
    root = Storage(
        "Root Entry",
        {
            "VBA": Storage("VBA", streams),
            "PROJECT": project_stream(PROJECT, PROJECT_ID, modules),
            "PROJECTwm": projectwm_stream(modules),
        },
    )
    return write_cfb(root)


def package(sources: AddinSources) -> dict[str, bytes]:
    return {
        "[Content_Types].xml": CONTENT_TYPES.encode(),
        "_rels/.rels": ROOT_RELS.encode(),
        "xl/workbook.xml": WORKBOOK.encode(),
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS.encode(),
        "xl/worksheets/sheet1.xml": SHEET.encode(),
        "xl/styles.xml": STYLES.encode(),
        "xl/theme/theme1.xml": THEME.encode(),
        "xl/vbaProject.bin": vba_project(sources.modules),
        "customUI/customUI.xml": sources.custom_ui,
    }


def build_addin(
    output: str | os.PathLike[str], *, source: Path = SOURCES, self_test: bool = False
) -> Path:
    parts = package(read_sources(source, self_test=self_test))

    def write(path: str) -> None:
        with zipfile.ZipFile(path, "w") as archive:
            for name, data in parts.items():
                info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, data)

    target = Path(output)
    return atomically(target, write)
