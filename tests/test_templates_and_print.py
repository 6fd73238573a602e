"""Templates regenerate to the committed files; card sheets print one card per page."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import openpyxl
from conftest import ROOT, fixture_projects, poppler, soffice

from jixiao.templates import NAMES, build_templates
from jixiao.workbook import write_workbook



def contents(path: Path) -> dict[str, Any]:
    book = openpyxl.load_workbook(path)
    found: dict[str, Any] = {"names": {n: d.attr_text for n, d in book.defined_names.items()}}
    for sheet in book.worksheets:
        found[sheet.title] = {
            "state": sheet.sheet_state,
            "values": [list(r) for r in sheet.iter_rows(values_only=True)],
            "merges": sorted(str(m) for m in sheet.merged_cells.ranges),
            "validations": sorted((str(v.sqref), v.formula1) for v in sheet.data_validations.dataValidation),
            "freeze": sheet.freeze_panes,
            "widths": {k: v.width for k, v in sheet.column_dimensions.items() if v.width},
        }
    return found


def test_committed_templates_are_what_the_code_builds(tmp_path: Path) -> None:
    made = build_templates(tmp_path)
    assert sorted(p.name for p in made) == sorted(NAMES.values())
    for path in made:
        assert contents(path) == contents(ROOT / "xlsx_templates" / path.name), path.name
        assert path.read_bytes() == (ROOT / "xlsx_templates" / path.name).read_bytes(), path.name


def test_long_template_has_dependent_dropdowns(tmp_path: Path) -> None:
    (path,) = [p for p in build_templates(tmp_path) if p.name == NAMES["long"]]
    book = openpyxl.load_workbook(path)
    sheet = book["指标明细"]
    rules = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert rules == {"G2:G1000": "一级指标列表", "I2:I1000": "INDIRECT($G2)"}
    lists = book["指标体系"]
    assert lists.sheet_state == "hidden"
    names = book.defined_names
    target = names["产出指标"].attr_text
    cells = lists[target.split("!")[1].replace("$", "")]
    assert [c[0].value for c in cells] == ["数量指标", "质量指标", "时效指标", "成本指标"]
    assert sheet.freeze_panes == "E2"
    assert [c.value for c in sheet[1]][:4] == ["单位编码", "单位名称", "项目编码", "项目名称"]


def test_rows_template_offers_the_attribute_lists_and_reads_once_filled(tmp_path: Path) -> None:
    from jixiao.workbook import read_workbook

    (path,) = [p for p in build_templates(tmp_path) if p.name == NAMES["rows"]]
    book = openpyxl.load_workbook(path)
    sheet = book["绩效指标"]
    rules = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert rules["I2:I1000"] == '"正向,反向,定性"' and rules["F2:F1000"] == "一级指标列表"
    sheet.append([])  # a clerk fills the first row
    for column, value in enumerate(["办案业务经费", "201001-示例人民法院", None, 42, "保障办案", "产出指标(50分)",
                                    "数量指标", "结案数", "正向", "大于等于", "1000", "件", "20"], start=1):  # fmt: skip
        sheet.cell(row=2, column=column, value=value)
    book.save(tmp_path / "filled.xlsx")
    (project,) = read_workbook(tmp_path / "filled.xlsx").projects
    assert project.indicators[0].annual_value == "≥1000件" and project.unit.code == "201001"


def test_card_template_rows_each_have_a_dropdown_pair(tmp_path: Path) -> None:
    (path,) = [p for p in build_templates(tmp_path, "2021") if p.name == NAMES["card"]]
    sheet = openpyxl.load_workbook(path)["绩效目标表"]
    values = [r[0] for r in sheet.iter_rows(values_only=True)]
    first = values.index("一级指标") + 2  # 1-based row of the first indicator row
    rules = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    last = first + 10 - 1  # 2021: 产出 3 + 成本 3 + 效益 3 + 满意度 1 standard 二级 rows
    assert rules == {f"A{first}:A{last}": "一级指标列表", f"B{first}:B{last}": f"INDIRECT($A{first})"}
    assert values.count("成本指标") == 3  # 2021: 成本指标 is a 一级 with three 二级


def test_card_sheet_prints_one_card_per_page(tmp_path: Path) -> None:
    office = soffice()
    poppler()
    projects = fixture_projects("000")
    path = write_workbook(tmp_path / "cards.xlsx", projects, "card")
    subprocess.run([office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=180)  # fmt: skip
    pdf = tmp_path / "cards.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages == len(projects) == 20
    for number, project in enumerate(projects, start=1):
        text = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), "-layout", str(pdf), "-"],
                              check=True, capture_output=True, text=True).stdout  # fmt: skip
        assert f"{number}.{project.name}绩效目标表" in text.replace(" ", "")


def pdf_pages(office: str, workbook: Path, folder: Path) -> list[str]:
    """Every printed page of a workbook (LibreOffice, as set up in the file), as text."""
    subprocess.run([office, "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(workbook)],
                   check=True, capture_output=True, timeout=240)  # fmt: skip
    pdf = folder / f"{workbook.stem}.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    count = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    return [
        subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), "-layout", str(pdf), "-"],
                       check=True, capture_output=True, text=True).stdout  # fmt: skip
        for n in range(1, count + 1)
    ]


SHEET_MARKS = {  # words only a sheet's header row has, in the order the sheets print
    "项目汇总": "项目名称（资金使用单位）",
    "指标明细": "指标值确定依据",
    "项目信息": "资金支出计划",
    "来源": "SHA-256",
    "校验结果": "处理建议",
    "统计": "项目数",
}


def test_the_consolidation_prints_as_a_consolidator_reads_it(tmp_path: Path) -> None:
    from jixiao.cli import main

    office = soffice()
    poppler()
    out = tmp_path / "汇总.xlsx"
    assert main(["consolidate", str(ROOT / "samples" / "departments"), "-o", str(out)]) == 0
    book = openpyxl.load_workbook(out)
    for sheet in book.worksheets:  # A4 landscape, as wide as the page, header on every page
        setup = sheet.page_setup
        assert (setup.paperSize, setup.orientation) == (9, "landscape"), sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth in (None, 1)  # 1 is the default
        assert setup.fitToHeight == 0  # as many pages down as the rows need
        assert sheet.print_area, sheet.title
        if sheet.title != "统计":
            assert sheet.print_title_rows, sheet.title
    summary = book["项目汇总"]
    packed_rows = [r for r in range(6, summary.max_row + 1) if len(str(summary.cell(r, 7).value or "")) > 200]
    assert packed_rows and all((summary.row_dimensions[r].height or 0) >= 45 for r in packed_rows)  # before: default height

    pages = pdf_pages(office, out, tmp_path)
    sheets = []
    for number, text in enumerate(pages, start=1):
        marks = [name for name, mark in SHEET_MARKS.items() if mark in text]
        assert marks, f"page {number} has no header row: {text[:300]}"  # no blank or headless page
        sheets.append(marks[0])
        body = [line for line in text.splitlines() if line.strip()]
        assert len(body) > 3, f"page {number} ({marks[0]}) is empty below its header"
    assert sheets == sorted(sheets, key=list(SHEET_MARKS).index)  # each sheet's pages together
    counts = {name: sheets.count(name) for name in SHEET_MARKS}
    assert counts["项目汇总"] >= 5 and counts["指标明细"] >= 5  # not squeezed onto one page
    assert counts["统计"] == 1  # both tables and the whole chart on one page
    statistics = pages[sheets.index("统计")]
    assert "各单位预算（万元）" in statistics
    for page, name in zip(pages, sheets, strict=True):
        if name == "指标明细":  # every column on every page: 14 headers, not 3 per page
            assert all(h in page.replace(" ", "") for h in ("单位名称", "三级指标", "年度指标值", "指标值确定依据"))
    report = "".join(p for p, n in zip(pages, sheets, strict=True) if n == "校验结果")
    for name in ("guangzhou-internet-court-003.xlsx", "tianjin-heping-procuratorate-002.xlsx", "tangshan-004.xlsx"):
        assert name in report  # file names printed whole


def test_totals_and_unit_subtotals_stand_apart_on_paper(tmp_path: Path) -> None:
    """合计 and each unit's row are bold; project rows are not (they looked alike printed)."""
    sheet = openpyxl.load_workbook(write_workbook(tmp_path / "w.xlsx", fixture_projects("000"), "wide")).active
    assert sheet is not None
    names = {r: sheet.cell(r, 1).value for r in range(4, sheet.max_row + 1)}
    bold = {r for r in names if sheet.cell(r, 1).font.b and sheet.cell(r, 2).font.b}
    units = {p.unit.name for p in fixture_projects("000")}
    assert {names[r] for r in bold} == {"合计", *units} and len(bold) == 1 + len(units)
