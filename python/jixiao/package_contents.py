"""What a workbook holds besides cells: pictures, shapes, charts, pivot tables, controls…

A copy made through openpyxl (``validate --excel``) keeps cells, styles, merges, data
validation, charts and (with Pillow) pictures, but not every drawing object or part of the
package: text boxes and shapes, for one. Counting both
packages says what a clerk will not find in the copy, so that it is said, never silent.
"""

from __future__ import annotations

import zipfile
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree

_DRAWING = "{http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing}"
_ANCHORS = {f"{_DRAWING}{a}" for a in ("twoCellAnchor", "oneCellAnchor", "absoluteAnchor")}
# what an anchor of a drawing part places (a group counts once, whatever it holds)
OBJECT_LABELS = {
    f"{_DRAWING}pic": "图片",
    f"{_DRAWING}sp": "形状或文本框",
    f"{_DRAWING}cxnSp": "连接线",
    f"{_DRAWING}grpSp": "组合图形",
    f"{_DRAWING}graphicFrame": "图表或 SmartArt",
}
# parts of the package that each are one object
PART_LABELS = {
    "xl/pivotTables/": "数据透视表",
    "xl/slicers/": "切片器",
    "xl/timelines/": "日程表",
    "xl/ctrlProps/": "表单控件",
    "xl/activeX/": "ActiveX 控件",
    "xl/embeddings/": "嵌入对象",
    "xl/externalLinks/": "外部链接",
    "xl/threadedComments/": "新版批注",
    "xl/vbaProject.bin": "宏（VBA 工程）",
}
# objects written inside a worksheet's XML as extensions (x14), which openpyxl drops
SHEET_MARKS = {
    "下拉列表（引用其他工作表的数据验证）": (b"<x14:dataValidation ", b"<x14:dataValidation>"),
    "迷你图组": (b"<x14:sparklineGroup ", b"<x14:sparklineGroup>"),
    "新版条件格式": (b"<x14:conditionalFormatting ", b"<x14:conditionalFormatting>"),
}
UNITS = {"图片": "张"}  # 个 for the others


def inventory(path: str | Path) -> Counter[str]:
    """The objects of each kind in an .xlsx/.xlsm package, by Chinese label; empty when the
    file is no such package (callers have run the archive guards on it before)."""
    counts: Counter[str] = Counter()
    try:
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if "/_rels/" in name or name.endswith("/"):
                    continue
                if name.startswith("xl/drawings/") and name.endswith(".xml"):
                    counts.update(_drawing_objects(archive.read(name)))
                elif name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    with archive.open(name) as part:  # in pieces: a sheet may be large
                        for chunk in iter(lambda: part.read(2**22), b""):
                            for label, marks in SHEET_MARKS.items():
                                found = sum(chunk.count(m) for m in marks)
                                if found:
                                    counts[label] += found
                else:
                    counts.update(label for p, label in PART_LABELS.items() if name.startswith(p))
    except (zipfile.BadZipFile, OSError, ElementTree.ParseError):
        return Counter()
    return counts


def _drawing_objects(xml: bytes) -> list[str]:
    """What each anchor of a drawing part places (a group counts once)."""
    return [
        OBJECT_LABELS[element.tag]
        for anchor in ElementTree.fromstring(xml)
        if anchor.tag in _ANCHORS
        for element in anchor
        if element.tag in OBJECT_LABELS
    ]


def missing(before: Counter[str], after: Counter[str]) -> dict[str, int]:
    """How many objects of each kind ``after`` lacks against ``before``."""
    return {label: count - after[label] for label, count in before.items() if count > after[label]}


def describe(counts: dict[str, int]) -> str:
    """``1 张图片、2 个形状或文本框``."""
    return "、".join(f"{count} {UNITS.get(label, '个')}{label}" for label, count in counts.items())
