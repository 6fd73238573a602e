"""The 东莞 card: 实施周期 and 当年度 halves side by side (东莞展览馆, 2022)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl

from jixiao.workbook import read_workbook

# The published rows, cell for cell as far as the excerpt goes (merged cells left blank).
DONGGUAN = [
    ["东莞市财政项目支出绩效目标表"],
    ["( 2022 年度)"],
    ["预算单位:东莞展览馆"],
    ["项目 名称", "物业管理费支出", None, None, "本年度申请市财政预算资金(万元)", "282.92"],
    ["总体目标", "实施周期总目标(2022年--2024年)", None, None, "年度目标"],
    [None, "保障展馆物业管理正常运行（2022-2024）", None, None, "保障展馆2022年物业管理正常运行"],
    ["绩效指标", "一级 指标", "二级 指标", "三级 指标", "实施周期指标值", "二级 指标", "三级 指标", "当年度指标值"],
    [None, "产出指标", "数量指标", "物管服务面积", "建筑面积2.6万平方米,展示面积1万平方米", "数量指标", "物管服务面积",
     "建筑面积2.6万平方米,展示面积1万平方米"],
    [None, None, "质量指标", "物业管理保障工作合格率", "100%", "质量指标", "物业管理保障工作合格率", "100%"],
    [None, None, None, "物业管理各项任务完成达标率", "100%", None, "物业管理各项任务完成达标率", "100%"],
    [None, None, None, "维修施工验收合格率", "100%", None, "维修施工验收合格率", "≥98%"],
]  # fmt: skip


def published(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_both_halves_are_read_and_paired(tmp_path: Path) -> None:
    read = read_workbook(published(tmp_path / "dongguan.xlsx", DONGGUAN))
    assert read.sheets == [("Sheet", "halves")]
    (project,) = read.projects
    assert (project.name, project.unit.name) == ("物业管理费支出", "东莞展览馆")
    assert project.amounts.total == Decimal("282.92")
    assert project.goals == ["保障展馆2022年物业管理正常运行"]
    assert project.purpose == "保障展馆物业管理正常运行（2022-2024）"
    items = project.indicators
    assert [(i.l1, i.l2, i.l3) for i in items] == [
        ("产出指标", "数量指标", "物管服务面积"),
        ("产出指标", "质量指标", "物业管理保障工作合格率"),
        ("产出指标", "质量指标", "物业管理各项任务完成达标率"),
        ("产出指标", "质量指标", "维修施工验收合格率"),
    ]
    assert [(i.period_value, i.annual_value) for i in items] == [
        ("建筑面积2.6万平方米,展示面积1万平方米", "建筑面积2.6万平方米,展示面积1万平方米"),
        ("100%", "100%"), ("100%", "100%"), ("100%", "≥98%"),
    ]
    assert [f.code for f in read.findings] == []


def test_halves_that_do_not_pair_are_kept_and_reported(tmp_path: Path) -> None:
    rows = [list(r) for r in DONGGUAN]
    rows[9][6] = "物业管理任务达标率"  # the 当年度 half names another indicator
    read = read_workbook(published(tmp_path / "dongguan.xlsx", rows))
    (finding,) = [f for f in read.findings if f.code == "layout.unpaired_halves"]
    assert finding.location is not None and finding.location.cell == "G10"
    assert len(read.projects[0].indicators) == 4
