"""Fill on damaged seed workbooks restores the seeds; a second run changes nothing."""

from __future__ import annotations

import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import SEED_COUNTS, SEED_NAMES, comparable, fixture_projects, load_fixture, published_workbook, soffice

from jixiao.cli import main
from jixiao.fill import fill_workbook
from jixiao.model import Project
from jixiao.workbook import read_workbook, write_workbook


def damage(projects: list[Project]) -> dict[str, int]:
    """What a hurried clerk leaves: codes stripped, values half filled and mistyped, totals blank."""
    counts = {"codes": 0, "annual": 0, "punctuation": 0, "totals": 0, "numbering": 0}
    for project in projects:
        if project.amounts.fiscal is not None or project.amounts.other is not None:
            project.amounts.total = None
            counts["totals"] += 1
        for index, item in enumerate(project.indicators):
            if item.l1_code or item.l2_code:
                item.l1_code = item.l2_code = ""
                counts["codes"] += 1
            item.seq = 100 - index
            counts["numbering"] += 1
            if index % 3 == 0 and item.annual_value:
                item.annual_value = ""
                counts["annual"] += 1
            elif index % 3 == 1 and item.period_value:
                item.period_value = ""
                counts["annual"] += 1
            elif ("≥" in item.annual_value or "%" in item.annual_value) and item.annual_value == item.period_value:
                item.annual_value = item.annual_value.replace("≥", ">=").replace("%", "％")
                item.period_value = f" {item.period_value.replace('≤', '<=')} "
                counts["punctuation"] += 1
    return counts


@pytest.mark.parametrize("seed", SEED_NAMES)
def test_fill_restores_a_damaged_long_workbook(seed: str, tmp_path: Path) -> None:
    damaged = fixture_projects(seed)
    counts = damage(damaged)
    assert counts["annual"] and counts["punctuation"] and counts["totals"]
    source = write_workbook(tmp_path / "damaged.xlsx", damaged, "long")
    result = fill_workbook(source, tmp_path / "filled.xlsx")
    restored = read_workbook(result.output or "")
    assert len(restored.projects) == SEED_COUNTS[seed]
    view = "long" if seed == "003" else "card"  # only 003 has codes in its document
    assert [comparable(p, view) for p in restored.projects] == [
        comparable(p, view) for p in fixture_projects(seed)
    ]
    by_step: dict[str, int] = {}
    for change in result.changes:
        by_step[change.step] = by_step.get(change.step, 0) + 1
    assert by_step.get("annual", 0) == counts["annual"]
    assert by_step.get("totals", 0) == counts["totals"]
    assert by_step.get("codes", 0) == 2 * counts["codes"] + (
        0 if seed == "003" else 2 * sum(len(p.indicators) for p in damaged)
    )
    again = fill_workbook(result.output or "", tmp_path / "again.xlsx")
    assert again.changes == []


def recalculated(path: Path, folder: Path) -> Path:
    office = soffice()
    folder.mkdir()
    subprocess.run([office, "--headless", "--calc", "--convert-to", "xlsx", "--outdir", str(folder), str(path)],
                   check=True, capture_output=True, timeout=180)  # fmt: skip
    return folder / path.name


def test_wide_totals_become_live_formulas_that_evaluate_to_the_seed(tmp_path: Path) -> None:
    source = published_workbook(tmp_path / "003.xlsx", "003")
    book = openpyxl.load_workbook(source)
    sheet = book.active
    assert sheet is not None
    damaged_packed = 0
    for row in sheet.iter_rows(min_row=4):
        row[1].value = None  # every 总计 blank: 合计, the unit and the projects
        text = row[6].value if len(row) > 6 else None
        if isinstance(text, str) and row[0].row % 2 == 0:
            row[6].value = text.replace("：", ":", 3).replace("；", ";", 2).replace("≥", ">=")
            damaged_packed += 1
    book.save(source)
    result = fill_workbook(source, tmp_path / "filled.xlsx")
    packed_changes = [c for c in result.changes if c.what == "绩效指标"]
    assert len(packed_changes) == damaged_packed > 5
    out = openpyxl.load_workbook(result.output or "")[sheet.title]  # the clerk's own sheet
    assert out["B4"].value == "=SUBTOTAL(9,B5:B22)" and out["B6"].value == "=SUM(C6:E6)"

    evaluated = read_workbook(recalculated(result.output or tmp_path, tmp_path / "calc"))
    seed = load_fixture("seed_003.json")["projects"]
    assert [p.packed for p in evaluated.projects] == [p["packed"] for p in seed]
    assert [p.amounts.total for p in evaluated.projects] == [Decimal(p["amounts"]["total"]) for p in seed]
    grand, unit = (t.amounts["total"] for t in evaluated.totals)
    # the published 合计 reads 5,373.54: a rounding defect of the seed (see the validation tests);
    # the live formula gives the true sum of the 17 projects
    assert grand == unit == sum(Decimal(p["amounts"]["total"]) for p in seed) == Decimal("5373.55")


def test_blank_budget_in_cards_is_filled_from_its_sources(tmp_path: Path) -> None:
    source = published_workbook(tmp_path / "001.xlsx", "001")
    book = openpyxl.load_workbook(source)
    sheet = book.active
    assert sheet is not None
    blanked = 0
    for row in sheet.iter_rows():
        if row[0].value == "预算规模及资金用途":
            row[2].value = None
            blanked += 1
    book.save(source)
    result = fill_workbook(source, tmp_path / "filled.xlsx")
    assert [c.what for c in result.changes] == ["总计"] * blanked == ["总计"] * 3
    restored = read_workbook(result.output or "")
    assert [comparable(p, "card") for p in restored.projects] == [
        comparable(p, "card") for p in fixture_projects("001")
    ]


def test_typed_values_are_never_replaced_silently(tmp_path: Path) -> None:
    projects = fixture_projects("003")[:2]
    item = projects[0].indicators[0]
    item.period_value, item.annual_value = "≥90%", "≥95%"  # both typed, different: left alone
    projects[1].amounts.total = Decimal("999.00")  # typed, disagrees with its source
    source = write_workbook(tmp_path / "typed.xlsx", projects, "long")
    result = fill_workbook(source, tmp_path / "out.xlsx", steps=["annual", "totals"])
    (change,) = result.changes
    assert (change.what, change.before, change.after) == ("总计", "999.00", "631.00")
    assert change.location is not None and change.location.sheet == "项目信息"
    again = read_workbook(tmp_path / "out.xlsx").projects[0].indicators[0]
    assert (again.period_value, again.annual_value) == ("≥90%", "≥95%")


def test_skeleton_rows_for_a_project_without_indicators(tmp_path: Path) -> None:
    projects = fixture_projects("003")[:2]
    projects[1].indicators = []
    source = write_workbook(tmp_path / "new.xlsx", projects, "long")
    result = fill_workbook(source, tmp_path / "out.xlsx", steps=["skeleton", "numbering"], profile="2020")
    added = [c.after for c in result.changes if c.step == "skeleton"]
    assert added == ["产出指标 / 数量指标", "产出指标 / 质量指标", "产出指标 / 时效指标",
                     "产出指标 / 成本指标", "效益指标 / 社会效益指标", "满意度指标 / 服务对象满意度指标"]
    out = read_workbook(result.output or "")
    assert [(i.seq, i.l2, i.l3, i.annual_value) for i in out.projects[1].indicators][:2] == [
        (1, "数量指标", "", ""), (2, "质量指标", "", "")]


def test_fill_cli_prints_changes_and_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    damaged = fixture_projects("001")
    damage(damaged)
    source = write_workbook(tmp_path / "in.xlsx", damaged, "long")
    before = source.read_bytes()
    assert main(["fill", str(source), "-o", str(source)]) == 1
    assert "为保护原文件，不会覆盖它" in capsys.readouterr().err
    assert main(["fill", str(source), "-o", str(tmp_path / "out.xlsx"), "--only", "annual"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1].startswith(f"已写入 {tmp_path / 'out.xlsx'}：") and len(lines) > 3
    assert all(line.startswith("指标值  指标明细!M") or line.startswith("指标值  指标明细!L")
               for line in lines[:-1])
    assert source.read_bytes() == before
    with pytest.raises(SystemExit) as exit_info:
        main(["fill", str(source), "-o", str(tmp_path / "x.xlsx"), "--only", "bogus"])
    assert exit_info.value.code == 2
    assert "未知的步骤：bogus" in capsys.readouterr().err


def test_sheets_without_a_table_come_along_at_their_cells(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A clerk's 说明 sheet (text from B2, a merged heading) and a 附件 sheet with numbers
    beside seed 003: fill's output is the whole workbook, not the table alone."""
    source = published_workbook(tmp_path / "003.xlsx", "003")
    book = openpyxl.load_workbook(source)
    notes = book.create_sheet("说明")
    notes["B2"] = "填表说明"
    notes.merge_cells("B2:D2")
    notes["B3"] = "金额单位：万元；绩效指标按“序号-一级指标：二级指标：三级指标”填写"
    annex = book.create_sheet("附件")
    annex.append(["项目", "2025年预算"])
    annex.append(["机构运行辅助经费", 1234.5])
    book.save(source)
    out = tmp_path / "filled.xlsx"
    assert main(["fill", str(source), "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "原工作簿的其余内容原样保留" in printed  # edited in place: the whole package is kept
    filled = openpyxl.load_workbook(out)
    assert filled.sheetnames == [book.sheetnames[0], "说明", "附件"]
    assert (filled["说明"]["B2"].value, filled["说明"]["B3"].value) == ("填表说明", notes["B3"].value)
    assert [str(r) for r in filled["说明"].merged_cells.ranges] == ["B2:D2"]
    assert [list(r) for r in filled["附件"].iter_rows(values_only=True)] == [["项目", "2025年预算"], ["机构运行辅助经费", 1234.5]]
    again = read_workbook(out)  # the table still reads as before, the notes do not get in its way
    assert [comparable(p) for p in again.projects] == [comparable(p) for p in read_workbook(source).projects]


def test_a_conversion_names_the_sheets_it_leaves_behind(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = published_workbook(tmp_path / "003.xlsx", "003")
    book = openpyxl.load_workbook(source)
    book.create_sheet("说明")["A1"] = "填表说明"
    book.save(source)
    assert main(["unpack", str(source), "-o", str(tmp_path / "long.xlsx")]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "工作表“说明”没有绩效目标表，未转换（仍在原文件中）"
    assert main(["unpack", str(published_workbook(tmp_path / "plain.xlsx", "003")), "-o", str(tmp_path / "b.xlsx")]) == 0
    assert "未转换" not in capsys.readouterr().out


def test_fill_edits_the_clerks_own_workbook_and_keeps_every_other_part(tmp_path: Path) -> None:
    """A clerk's .xlsm with a seal picture, a comment, a footer row, frozen panes, data
    validation, a hidden sheet, a chart and a VBA project: after fill every part of the
    package but the table's sheet is byte for byte as it was, and in that sheet only the cells
    fill reports changed are different."""
    import io
    import zipfile

    import python_calamine
    import xlsxwriter
    from PIL import Image

    from jixiao.cli import main as cli

    assert cli(["addin", "build", "-o", str(tmp_path / "jx.xlam")]) == 0
    vba = tmp_path / "vba.bin"
    vba.write_bytes(zipfile.ZipFile(tmp_path / "jx.xlam").read("xl/vbaProject.bin"))
    seal = io.BytesIO()
    Image.new("RGB", (60, 60), (200, 0, 0)).save(seal, format="PNG")
    wide = write_workbook(tmp_path / "wide.xlsx", fixture_projects("003"), "wide")
    rows = python_calamine.CalamineWorkbook.from_path(str(wide)).get_sheet_by_name(
        "项目支出绩效目标表"
    ).to_python()
    source = tmp_path / "clerk.xlsm"
    book = xlsxwriter.Workbook(str(source))
    sheet = book.add_worksheet("本单位绩效目标")
    damaged = 0
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if c == 1 and r >= 3:
                continue  # 总计 left for fill, as clerks do
            if isinstance(value, str) and c == 6 and r % 2 == 0 and value.startswith("1-"):
                value = value.replace("：", ":", 2).replace("≥", ">=")
                damaged += 1
            if value != "":
                sheet.write(r, c, value)
    footer = len(rows) + 1
    sheet.write(footer, 0, "填表人：张三    联系电话：138********")
    sheet.write_comment(3, 0, "合计请核对")
    sheet.freeze_panes(3, 1)
    sheet.data_validation(3, 5, len(rows), 5, {"validate": "length", "criteria": "<=", "value": 500})
    sheet.insert_image(footer + 2, 1, "seal.png", {"image_data": seal})
    notes = book.add_worksheet("内部")
    notes.write_column(0, 0, [1, 2, 3])
    notes.hide()
    chart = book.add_chart({"type": "column"})
    chart.add_series({"values": "=内部!$A$1:$A$3"})
    sheet.insert_chart(footer + 2, 4, chart)
    book.add_vba_project(str(vba))
    book.close()

    result = fill_workbook(source, tmp_path / "filled.xlsm")
    assert result.in_place and damaged > 3
    before, after = zipfile.ZipFile(source), zipfile.ZipFile(result.output or "")
    changed_parts = {
        n for n in before.namelist() if n not in after.namelist() or before.read(n) != after.read(n)
    }
    assert changed_parts <= {"xl/worksheets/sheet1.xml", "xl/workbook.xml", "[Content_Types].xml",
                             "xl/_rels/workbook.xml.rels", "xl/calcChain.xml"}, changed_parts  # fmt: skip
    for part in ("xl/vbaProject.bin", "xl/media/image1.png", "xl/comments1.xml",
                 "xl/charts/chart1.xml", "xl/worksheets/sheet2.xml"):  # fmt: skip
        assert before.read(part) == after.read(part)
    old = openpyxl.load_workbook(source, keep_vba=True)["本单位绩效目标"]
    new = openpyxl.load_workbook(result.output or "", keep_vba=True)
    table = new["本单位绩效目标"]
    reported = {c.location.cell for c in result.changes if c.location is not None}
    different = {
        cell.coordinate
        for row in table.iter_rows(max_row=max(old.max_row, table.max_row), max_col=7)
        for cell in row
        if cell.value != old[cell.coordinate].value
    }
    assert different == reported  # only the cells fill names changed
    assert table.freeze_panes == "B4" and table.data_validations.dataValidation
    assert new["内部"].sheet_state == "hidden"
    assert table.cell(footer + 1, 1).value == "填表人：张三    联系电话：138********"
    again = read_workbook(result.output or "")
    assert [comparable(p) for p in again.projects] == [comparable(p) for p in fixture_projects("003")]


def test_a_typed_total_that_fill_replaces_is_a_finding(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A clerk's 总计 that disagrees with its sources is replaced: said as a warning naming the
    cell, not only as a line among the changes."""
    projects = fixture_projects("003")[:2]
    projects[1].amounts.total = Decimal("999.00")
    source = write_workbook(tmp_path / "in.xlsx", projects, "long")
    assert main(["fill", str(source), "-o", str(tmp_path / "out.xlsx"), "--only", "totals"]) == 0
    err = capsys.readouterr().err
    assert "总计“999.00”与各来源之和不符，已改为" in err and "项目信息" in err
