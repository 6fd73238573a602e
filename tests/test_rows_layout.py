"""Indicator rows with attributes: 扎赉特旗人民检察院's 项目绩效目标表 (the 一体化 export)."""

from __future__ import annotations

import dataclasses

from decimal import Decimal
from pathlib import Path

import openpyxl
from conftest import fixture_projects
from regions import hengyang_book, region, zhalaite_book

from jixiao.layouts import rows
from jixiao.model import Indicator
from jixiao.workbook import read_workbook, write_workbook

def without(item: Indicator, fields: set[str]) -> dict[str, object]:
    return {k: v for k, v in dataclasses.asdict(item).items() if k not in fields}


def published(path: Path) -> Path:
    return zhalaite_book(path)


def test_the_published_rows_are_read_with_every_attribute(tmp_path: Path) -> None:
    fixture = region("zhalaite")
    (expected,) = fixture["projects"]
    read = read_workbook(published(tmp_path / "zhalaite.xlsx"))
    assert read.sheets == [("Sheet", "rows")]
    (project,) = read.projects
    assert (project.name, project.unit.code, project.unit.name, project.category) == (
        expected["name"], expected["unit"]["code"], expected["unit"]["name"], expected["category"])
    assert project.amounts.total == Decimal(expected["total"]) == Decimal("103.07")  # 1,030,700.00 元, exactly
    assert project.goals == [expected["goals"]]
    assert [f.code for f in read.findings] == ["layout.money_in_yuan"]
    items = project.indicators
    assert len(items) == len(expected["indicators"]) == 11  # the excerpt's rows (its table goes on)
    fields = ("l1", "l1_score", "l2", "l3", "nature", "direction", "target", "measure_unit", "score")
    for item, want in zip(items, expected["indicators"], strict=True):
        assert {f: getattr(item, f) for f in fields} == {f: want[f] for f in fields}
    assert [i.annual_value for i in items] == ["≥98%", "长期", "有效提升", "≤12万元", "≥30%", "≤90万元", "≤1", "100%", "11月底之前", "≥98%", "≥10"]
    assert all(i.period_value == i.annual_value for i in items)
    assert sum(Decimal(i.score) for i in items) == 90  # 10 + 30 + 50: the rest is 预算执行率


def test_rows_write_back_every_attribute(tmp_path: Path) -> None:
    first = read_workbook(published(tmp_path / "zhalaite.xlsx"))
    again = read_workbook(write_workbook(tmp_path / "rows.xlsx", first.projects, "rows"))
    strip = {"source", "cells"}
    assert [p.model_dump(exclude=strip | {"indicators"}) for p in again.projects] == [
        p.model_dump(exclude=strip | {"indicators"}) for p in first.projects
    ]
    assert [without(i, strip) for i in again.projects[0].indicators] == [
        without(i, strip) for i in first.projects[0].indicators
    ]
    sheet = openpyxl.load_workbook(tmp_path / "rows.xlsx")["绩效指标"]
    assert [c.value for c in sheet[1]][:5] == ["项目名称", "项目单位", "项目类别", "预算数（万元）", "年度绩效目标"]
    assert sheet["F2"].value == "满意度指标(10分)" and sheet["B2"].value == "776001-扎赉特旗人民检察院"


def test_values_split_into_attributes_and_back_exactly() -> None:
    cases = {"≥95%": ("正向", "大于等于", "95", "%"), "≤12万元": ("反向", "小于等于", "12", "万元"),
             "100%": ("正向", "等于", "100", "%"), "维持": ("定性", "", "维持", ""),
             "不低于99%为优": ("定性", "", "不低于99%为优", "")}  # fmt: skip
    for text, split in cases.items():
        item = Indicator(annual_value=text)
        assert rows.split_value(item) == split, text
        nature, direction, target, unit = split
        assert rows.compose_value(Indicator(nature=nature, direction=direction, target=target, measure_unit=unit)) == text


def test_a_seed_goes_to_rows_and_back_to_wide(tmp_path: Path) -> None:
    projects = fixture_projects("003")
    through = read_workbook(write_workbook(tmp_path / "rows.xlsx", projects, "rows")).projects
    assert [i.annual_value for p in through for i in p.indicators] == [i.annual_value for p in projects for i in p.indicators]
    assert sum(len(p.indicators) for p in through) == 71


def mutated(tmp_path: Path, row: int, changes: dict[int, str]) -> Path:
    """The published table with some cells of one indicator row changed (0-based columns)."""
    path = published(tmp_path / "z.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book.active
    assert sheet is not None
    for column, value in changes.items():
        sheet.cell(row=4 + row, column=column + 1, value=value)
    book.save(path)
    return path


def test_validation_knows_the_attributes(tmp_path: Path) -> None:
    from jixiao.validate import validate_files

    cases = [  # (row, changed cells, code, cell of the finding)
        (0, {10: "≥98", 9: "小于等于"}, "attribute.direction", "J4"),
        (0, {8: "反向"}, "attribute.reverse_satisfaction", "I4"),
        (4, {12: "9"}, "attribute.weights", "A4"),
        (3, {10: "28.8万元", 11: "%"}, "attribute.unit", "L7"),
        (1, {8: "正向"}, "attribute.quantitative_text", "K5"),
    ]
    clean = {f.code for f in validate_files([published(tmp_path / "clean.xlsx")]).findings}
    for number, (row, changes, code, cell) in enumerate(cases):
        folder = tmp_path / str(number)
        folder.mkdir()
        findings = [f for f in validate_files([mutated(folder, row, changes)]).findings if f.code == code]
        assert code not in clean and len(findings) == 1, (code, findings)
        (finding,) = findings
        assert finding.location is not None and finding.location.cell == cell, (code, finding.location)
        assert finding.message and not finding.message.isascii()


def test_a_hunan_whole_unit_table_is_read_with_its_explanations(tmp_path: Path) -> None:
    """衡阳市社会福利院 2025: two header rows in Traditional characters, no 项目名称 (the unit's
    own targets: 部门整体 goals, never a project added into 合计), 成本指标 as a 一级 listed
    first, two 二级 without indicators."""
    (expected,) = region("hengyang")["projects"]
    read = read_workbook(hengyang_book(tmp_path / "hengyang.xlsx"))
    assert read.sheets == [("Sheet", "rows")]
    assert read.projects == [] and read.department == expected["unit"]["name"]
    (goal,) = read.department_goals
    assert goal.total == Decimal(expected["total"])
    assert goal.goal == expected["goals"]
    (note,) = [f for f in read.findings if f.code == "layout.whole_unit"]
    assert expected["unit"]["name"] in note.message and "不计入项目合计" in note.message
    items = goal.indicators
    assert len(items) == len(expected["indicators"]) == 6  # the 二级 without indicators add none
    fields = ("l1", "l2", "l3", "target", "explanation", "scoring", "remark")
    for item, want in zip(items, expected["indicators"], strict=True):
        assert {f: getattr(item, f) for f in fields} == {f: want[f] for f in fields}
    assert [i.annual_value for i in items] == ["0%", "1", "6", "90%", "153", "=100%"]


def test_indicator_rows_through_long_keep_every_attribute(tmp_path: Path) -> None:
    first = read_workbook(published(tmp_path / "zhalaite.xlsx"))
    long_path = write_workbook(tmp_path / "long.xlsx", first.projects, "long")
    header = [c.value for c in openpyxl.load_workbook(long_path)["指标明细"][1]]
    assert header[14:] == ["指标性质", "指标方向", "目标值", "计量单位", "分值", "一级指标分值"]  # only those given
    through = read_workbook(write_workbook(tmp_path / "rows.xlsx", read_workbook(long_path).projects, "rows"))
    strip = {"source": True, "cells": True, "indicators": {"__all__": {"source", "cells"}}}
    assert [p.model_dump(exclude=strip) for p in through.projects] == [p.model_dump(exclude=strip) for p in first.projects]


def test_a_traditional_script_table_is_checked_against_its_own_framework(tmp_path: Path) -> None:
    """衡阳's 成本指標 as a 一级 is the 2021 framework's, in Traditional characters: the classes
    are known and the profile is found from them, so no class is called wrong."""
    from jixiao.validate import profile_for, validate_files
    from jixiao.workbook import read_workbook

    path = hengyang_book(tmp_path / "hengyang.xlsx")
    assert profile_for(read_workbook(path), None).name == "2021"
    codes = [f.code for f in validate_files([path]).findings]
    assert not [c for c in codes if c.startswith("class.")], codes
    assert "coverage.output" not in codes  # 產出指標 is 产出指标


def _two_projects(tmp_path: Path) -> Path:
    projects = fixture_projects("003")[:2]
    return write_workbook(tmp_path / "rows.xlsx", projects, "rows")


def test_a_flat_export_repeating_name_and_unit_on_every_row_is_one_project_each(
    tmp_path: Path,
) -> None:
    """项目名称/项目单位 filled down every indicator row (a flat export, or cells unmerged and
    filled) must not make a project of each row."""
    source = _two_projects(tmp_path)
    book = openpyxl.load_workbook(source)
    sheet = book.active
    assert sheet is not None
    last = None
    for r in range(2, sheet.max_row + 1):
        if sheet.cell(r, 1).value:
            last = (sheet.cell(r, 1).value, sheet.cell(r, 2).value)
        elif last:
            sheet.cell(r, 1).value, sheet.cell(r, 2).value = last
    book.save(tmp_path / "filled.xlsx")
    before = read_workbook(source)
    after = read_workbook(tmp_path / "filled.xlsx")
    assert [(p.name, len(p.indicators)) for p in after.projects] == [
        (p.name, len(p.indicators)) for p in before.projects
    ]


def test_indicator_rows_above_the_first_project_name_are_kept_and_reported(
    tmp_path: Path,
) -> None:
    source = _two_projects(tmp_path)
    book = openpyxl.load_workbook(source)
    sheet = book.active
    assert sheet is not None
    sheet["A2"] = None  # the first project's name left blank
    book.save(tmp_path / "blank.xlsx")
    before = read_workbook(source)
    after = read_workbook(tmp_path / "blank.xlsx")
    assert after.indicator_count == before.indicator_count
    assert [p.name for p in after.projects] == ["", before.projects[1].name]
    (finding,) = [f for f in after.findings if f.code == "layout.unnamed_project"]
    assert finding.location is not None and finding.location.cell == "A2"


def test_a_whole_unit_table_is_consolidated_as_department_goals_outside_the_total(tmp_path: Path) -> None:
    """A unit's own targets beside a department's projects: its budget is the unit's whole
    budget, so adding it to 合计 counted the projects twice. It goes to 部门整体, amount and
    indicators, and reads back the same from the consolidation and from unpack."""
    from jixiao.cli import main

    hengyang = hengyang_book(tmp_path / "hengyang.xlsx")
    projects = write_workbook(tmp_path / "projects.xlsx", fixture_projects("003"), "wide")
    out = tmp_path / "sum.xlsx"
    assert main(["consolidate", str(hengyang), str(projects), "-o", str(out)]) in (0, 1)
    book = openpyxl.load_workbook(out)
    summary = list(book["项目汇总"].iter_rows(values_only=True))
    projects_total = sum(p.amounts.total or 0 for p in fixture_projects("003"))
    assert summary[3][0] == "合计" and Decimal(str(summary[3][1])) == projects_total  # the unit's budget not added
    assert not any(r[0] == "部门整体" for r in summary)
    assert "衡陽市社會福利院" in summary[1][0]  # named as a department of the consolidation
    first = read_workbook(hengyang)
    (goal,) = first.department_goals
    again = read_workbook(out)
    (back,) = [g for g in again.department_goals]
    assert back.total == goal.total == Decimal(region("hengyang")["projects"][0]["total"])
    fields = ("l1", "l2", "l3", "annual_value", "explanation")
    assert [[getattr(i, f) for f in fields] for i in back.indicators] == [[getattr(i, f) for f in fields] for i in goal.indicators]
    assert main(["unpack", str(hengyang), "-o", str(tmp_path / "long.xlsx")]) in (0, 1)
    (unpacked,) = read_workbook(tmp_path / "long.xlsx").department_goals
    assert unpacked.total == goal.total
