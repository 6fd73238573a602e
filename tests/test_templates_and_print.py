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
