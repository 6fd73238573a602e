"""Indicator rows with attributes: 扎赉特旗人民检察院's 项目绩效目标表 (the 一体化 export)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
from conftest import fixture_projects

from jixiao.layouts import rows
from jixiao.model import Indicator
from jixiao.workbook import read_workbook, write_workbook

HEADER = ["项目名称", "项目单位", "项目类别", "预算数", "年度绩效目标", "一级指标", "二级指标", "三级指标",
          "指标性质", "指标方向", "目标值", "计量单位", "分值"]  # fmt: skip
# The published table's first project, cell for cell (blank where the table is blank).
ZHALAITE = [
    ["业务装备经费", "776001-扎赉特旗人民检察院", "32-专项资金项目", "1,030,700.00", "保障检察业务装备配置",
     "满意度指标(10分)", "服务对象满意度", "使用人员满意度", "正向", "大于等于", "98", "%", "10"],
    [None, None, None, None, None, "效益指标(30分)", "可持续影响", "推动人民检察院业务装备建设的标准化规范化配置", "定性", None, "长期", None, "15"],
    [None, None, None, None, None, None, "社会效益", "提升工作效率定性", "定性", None, "有效提升", None, "15"],
    [None, None, None, None, None, "产出指标(50分)", "成本指标", "车辆购置成本", "反向", "小于等于", "12", "万元", "5"],
    [None, None, None, None, None, None, "质量指标", "政府采购率", "正向", "大于等于", "30", "%", "7.5"],
    [None, None, None, None, None, None, "成本指标", "办公设备购置成本", "反向", "小于等于", "90", "万元", "5"],
    [None, None, None, None, None, None, "数量指标", "车辆采购数量", "反向", "小于等于", "1", None, "7.5"],
    [None, None, None, None, None, None, "质量指标", "设备验收合格率", "正向", "等于", "100", "%", "7.5"],
    [None, None, None, None, None, None, "时效指标", "采购计划完成时间", "定性", None, "11月底之前", None, "5"],
    [None, None, None, None, None, None, "时效指标", "设备验收及时率", "正向", "大于等于", "98", "%", "5"],
    [None, None, None, None, None, None, "数量指标", "办公设备采购数量", "正向", "大于等于", "10", None, "7.5"],
]  # fmt: skip


def published(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["表11 项目绩效目标表"])
    sheet.append(["单位:元"])
    sheet.append(HEADER)
    for row in ZHALAITE:
        sheet.append(row)
    book.save(path)
    return path


def test_the_published_rows_are_read_with_every_attribute(tmp_path: Path) -> None:
    read = read_workbook(published(tmp_path / "zhalaite.xlsx"))
    assert read.sheets == [("Sheet", "rows")]
    (project,) = read.projects
    assert (project.unit.code, project.unit.name, project.category) == ("776001", "扎赉特旗人民检察院", "32-专项资金项目")
    assert project.amounts.total == Decimal("103.07")  # 1,030,700.00 元, exactly
    assert [f.code for f in read.findings] == ["layout.money_in_yuan"]
    items = project.indicators
    assert len(items) == len(ZHALAITE) == 11
    assert [(i.l1, i.l1_score) for i in items][:4] == [("满意度指标", "10"), ("效益指标", "30"), ("效益指标", "30"), ("产出指标", "50")]
    values = [i.annual_value for i in items]
    assert values == ["≥98%", "长期", "有效提升", "≤12万元", "≥30%", "≤90万元", "≤1", "100%", "11月底之前", "≥98%", "≥10"]
    assert all(i.period_value == i.annual_value for i in items)
    for item, row in zip(items, ZHALAITE, strict=True):
        assert (item.l2, item.l3, item.nature, item.direction, item.target, item.measure_unit, item.score) == (
            row[6], row[7], row[8], row[9] or "", row[10], row[11] or "", row[12])
    assert sum(Decimal(i.score) for i in items) == 90  # 10 + 30 + 50: the rest is 预算执行率


def test_rows_write_back_every_attribute(tmp_path: Path) -> None:
    first = read_workbook(published(tmp_path / "zhalaite.xlsx"))
    again = read_workbook(write_workbook(tmp_path / "rows.xlsx", first.projects, "rows"))
    strip = {"source", "cells"}
    assert [p.model_dump(exclude=strip | {"indicators"}) for p in again.projects] == [
        p.model_dump(exclude=strip | {"indicators"}) for p in first.projects
    ]
    assert [i.model_dump(exclude=strip) for i in again.projects[0].indicators] == [
        i.model_dump(exclude=strip) for i in first.projects[0].indicators
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


# 衡阳市社会福利院, 2025 整体支出绩效目标表 (Hunan): no 项目名称, the unit's own targets; 成本指标
# as a 一级 listed first; 指标值类型 left blank; values like 0%, =100%, bare numbers.
HENGYANG_HEADER = ["单位编码", "单位名称", "资金总额", "整体绩效目标", "一级指标", "二级指标", "三级指标",
                   "指标值类型", "指标值", "计量单位", "指标解释", "评(扣)分标准", "备注"]  # fmt: skip
HENGYANG = [
    ["058003", "衡阳市社会福利院", "1,752.48", "[整体绩效目标]", "成本指标", "经济成本指标", "成本节约率", None, "0%", None,
     "资金支出严格按预算执行", "成本节约率0%以上计20分,低于0%,每降低1%扣1分,扣完为止", "20"],
    [None, None, None, None, None, "社会成本指标", None, None, None, None, None, None, None],
    [None, None, None, None, None, "生态环境成本指标", None, None, None, None, None, None, None],
    [None, None, None, None, "产出指标", "数量指标", "开展开放日活动次数", None, "1", None,
     "通过开放日活动,扩大社会影响力", "开放日活动次数1次以上计3分,未开展不计分", "3"],
    [None, None, None, None, None, None, "开展全院安全排查次数", None, "6", None, "开展安全排查,保障院内安全",
     "安全排查次数6次以上计3分,少于6次不计分", "3"],
    [None, None, None, None, None, None, "全院设施设备维修维护覆盖率", None, "90%", None,
     "全院设施设备应维尽维、应修尽修", "维修维护覆盖率90%计3分,每少5%扣1分,扣完为止", "3"],
    [None, None, None, None, None, None, "编外人员数量", None, "153", None, "严格控制全院编外人员数量",
     "编外人数小于或等于155名计3分,超过不计分", "3"],
    [None, None, None, None, None, None, "全院服务对象护理覆盖率", None, "=100%", None,
     "保障院内孤儿、特困人员等服务对象的日常照料、医疗康复等护理服务全覆盖", "护理覆盖率100%计3分,低于100%不计分", "3"],
]  # fmt: skip


def hengyang(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HENGYANG_HEADER)
    for row in HENGYANG:
        sheet.append(row)
    for cells in sheet.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # =100% is text in the published table, not a formula
    book.save(path)
    return path


def test_a_hunan_whole_unit_table_is_read_with_its_explanations(tmp_path: Path) -> None:
    read = read_workbook(hengyang(tmp_path / "hengyang.xlsx"))
    assert read.sheets == [("Sheet", "rows")]
    (project,) = read.projects
    assert (project.name, project.unit.code, project.unit.name) == ("部门整体", "058003", "衡阳市社会福利院")
    items = project.indicators
    assert [i.l3 for i in items] == [r[6] for r in HENGYANG if r[6]]  # 6 indicators, empty 二级 skipped
    assert [(i.l1, i.l2) for i in items][:2] == [("成本指标", "经济成本指标"), ("产出指标", "数量指标")]
    assert [i.annual_value for i in items] == ["0%", "1", "6", "90%", "153", "=100%"]
    rows_with_items = [r for r in HENGYANG if r[6]]
    assert [i.explanation for i in items] == [r[10] for r in rows_with_items]
    assert [i.scoring for i in items] == [r[11] for r in rows_with_items]
    assert [i.remark for i in items] == [r[12] for r in rows_with_items]


def test_indicator_rows_through_long_keep_every_attribute(tmp_path: Path) -> None:
    first = read_workbook(published(tmp_path / "zhalaite.xlsx"))
    long_path = write_workbook(tmp_path / "long.xlsx", first.projects, "long")
    header = [c.value for c in openpyxl.load_workbook(long_path)["指标明细"][1]]
    assert header[14:] == ["指标性质", "指标方向", "目标值", "计量单位", "分值", "一级指标分值"]  # only those given
    through = read_workbook(write_workbook(tmp_path / "rows.xlsx", read_workbook(long_path).projects, "rows"))
    strip = {"source": True, "cells": True, "indicators": {"__all__": {"source", "cells"}}}
    assert [p.model_dump(exclude=strip) for p in through.projects] == [p.model_dump(exclude=strip) for p in first.projects]
