"""长期绩效指标 + 年度绩效指标 forms (佳县's 财政支出项目绩效目标申报表, 宁乡's 项目绩效目标表).

The published forms are blank templates; here each project of seed 003 (the one seed with
both 实施周期 and 年度 values) is filled into one, as a clerk would, all forms on one sheet.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import SEED_COUNTS, fixture_projects, load_fixture
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.model import Indicator, Project
from jixiao.workbook import read_workbook, write_workbook

BLOCK_HEADER = ["一级指标", "二级指标", "指标内容", "指标值", "备注"]


def _block(
    sheet: Worksheet, label: str, items: list[dict[str, Any]], value: str, own_row: bool = False
) -> None:
    """A block: the label merged down the left column (or on a row of its own above the
    block, ``own_row``), one row per indicator, 一级 merged."""
    if own_row:
        sheet.append([label])
    first = sheet.max_row + 1
    sheet.append([None if own_row else label, *BLOCK_HEADER])
    previous = None
    for item in items:
        l1 = item["l1"] if item["l1"] != previous else None
        sheet.append([None, l1, item["l2"], item["l3"], item[value], None])
        previous = item["l1"]
    sheet.merge_cells(start_row=first, end_row=sheet.max_row, start_column=1, end_column=1)


LABELS = {"佳县": ("长期绩效指标", "年度绩效指标"), "广西": ("项目总体绩效目标衡量指标", "项目年度绩效目标衡量指标"),
          "宁乡": ("长期绩效指标", "年度绩效指标")}  # fmt: skip
OWN_ROW = {"宁乡"}  # the block's label on a row of its own above its header


def _form(
    sheet: Worksheet, project: dict[str, Any], annual_items: list[dict[str, Any]], region: str = "佳县"
) -> None:
    top = sheet.max_row + 1 if sheet.max_row > 1 else 1
    rows = [
        ["财政支出项目绩效目标申报表"],
        ["（2025年度）"],
        ["项目名称", project["name"]],
        ["主管部门", "广州市中级人民法院", None, "项目实施单位", project["unit"]["name"]],
        ["项目资金（万元）", "中期资金总额", project["amounts"]["total"], "年度资金总额", project["amounts"]["total"]],
        ["总体目标", "中长期目标", None, "年度目标"],
        [None, "\n".join(project["goals"]), None, "\n".join(project["goals"])],
    ]  # fmt: skip
    for row in rows:
        sheet.append(row)
    sheet.merge_cells(start_row=top, end_row=top, start_column=1, end_column=6)
    sheet.merge_cells(start_row=top + 2, end_row=top + 2, start_column=2, end_column=6)
    long_label, annual_label = LABELS[region]
    own_row = region in OWN_ROW
    _block(sheet, long_label, project["indicators"], "period_value", own_row)
    _block(sheet, annual_label, annual_items, "annual_value", own_row)


def forms(path: Path, drop_annual: int | None = None, region: str = "佳县") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for number, project in enumerate(load_fixture("seed_003.json")["projects"]):
        items = project["indicators"]
        annual = [i for n, i in enumerate(items) if not (number == 0 and n == drop_annual)]
        _form(sheet, project, annual, region)
    book.save(path)
    return path


@pytest.mark.parametrize("region", LABELS)
def test_every_project_of_a_seed_is_read_from_its_long_term_and_annual_blocks(region: str, tmp_path: Path) -> None:
    """佳县 labels its blocks 长期/年度绩效指标 beside them, 宁乡 above them, 广西's export
    项目总体/年度绩效目标衡量指标."""
    expected = load_fixture("seed_003.json")["projects"]
    read = read_workbook(forms(tmp_path / "forms.xlsx", region=region))
    assert read.sheets == [("Sheet", "terms")]
    assert len(read.projects) == len(expected) == SEED_COUNTS["003"]
    assert read.findings == []
    for project, want in zip(read.projects, expected, strict=True):
        assert (project.name, project.unit.name) == (want["name"], want["unit"]["name"])
        assert project.amounts.total == Decimal(want["amounts"]["total"])
        assert project.goals == want["goals"]
        fields = ("l1", "l2", "l3", "period_value", "annual_value")
        assert [{f: getattr(i, f) for f in fields} for i in project.indicators] == [
            {f: i[f] for f in fields} for i in want["indicators"]
        ]
    assert sum(len(p.indicators) for p in read.projects) == 71


def test_an_indicator_of_one_block_only_is_kept_and_reported(tmp_path: Path) -> None:
    read = read_workbook(forms(tmp_path / "forms.xlsx", drop_annual=1))
    first = read.projects[0]
    expected = load_fixture("seed_003.json")["projects"][0]["indicators"]
    assert len(first.indicators) == len(expected)  # nothing lost
    dropped = first.indicators[-1]  # the long-term block's own indicator comes last
    assert (dropped.l3, dropped.period_value, dropped.annual_value) == (
        expected[1]["l3"], expected[1]["period_value"], "")  # fmt: skip
    (finding,) = read.findings
    assert finding.code == "layout.one_term_only" and finding.severity == "info"
    assert finding.location is not None and finding.location.cell == "D10"  # its 指标内容 in 长期
    assert expected[1]["l3"] in finding.message and "长期绩效指标" in finding.message


def test_forms_convert_to_long_with_both_values(tmp_path: Path) -> None:
    read = read_workbook(forms(tmp_path / "forms.xlsx"))
    again = read_workbook(write_workbook(tmp_path / "long.xlsx", read.projects, "long"))
    assert [(i.period_value, i.annual_value) for p in again.projects for i in p.indicators] == [
        (i.period_value, i.annual_value) for p in read.projects for i in p.indicators
    ]


def test_the_templates_own_class_names_are_known(tmp_path: Path) -> None:
    """佳县 lists 环境效益指标 and 服务对象满意度指标, 宁乡 社会公众或服务对象满意度指标: names
    of the standard classes, not wrong ones."""
    from jixiao.validate import validate_files

    project = load_fixture("seed_003.json")["projects"][0]
    variants = ["环境效益指标", "社会公众或服务对象满意度指标", "服务对象满意度指标"]
    parents = ["效益指标", "满意度指标", "满意度指标"]
    items = [dict(project["indicators"][0], l1=l1, l2=l2, l3=f"指标{n}", period_value="≥90%", annual_value="≥90%")
             for n, (l1, l2) in enumerate(zip(parents, variants, strict=True))]  # fmt: skip
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    _form(sheet, dict(project, indicators=items), items)
    book.save(tmp_path / "form.xlsx")
    codes = [f.code for f in validate_files([tmp_path / "form.xlsx"]).findings]
    assert [i.l2 for i in read_workbook(tmp_path / "form.xlsx").projects[0].indicators] == variants
    assert not [c for c in codes if c.startswith("class.")], codes


def _terms_book(tmp_path: Path, projects: list[Project], annual_first: bool = False) -> Path:
    source = write_workbook(tmp_path / "terms.xlsx", projects, "terms")
    if not annual_first:
        return source
    book = openpyxl.load_workbook(source)
    sheet = book.active
    assert sheet is not None
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    out: list[list[object]] = []
    i = 0
    while i < len(rows):  # in each form, move the 年度 block above the 长期 one
        if rows[i][0] == "长期绩效指标":
            j = next(k for k in range(i, len(rows)) if rows[k][0] == "年度绩效指标")
            end = next((k for k in range(j + 1, len(rows)) if rows[k][0] == "项目名称" or
                        (rows[k][0] and "申报表" in str(rows[k][0]))), len(rows))  # fmt: skip
            out += rows[j:end] + rows[i:j]
            i = end
        else:
            out.append(rows[i])
            i += 1
    fresh = openpyxl.Workbook()
    assert fresh.active is not None
    for row in out:
        fresh.active.append(row)
    fresh.save(tmp_path / "annual-first.xlsx")
    return tmp_path / "annual-first.xlsx"


def test_one_indicator_named_twice_in_a_block_keeps_both_pairs(tmp_path: Path) -> None:
    project = Project(name="办公经费")
    project.indicators = [
        Indicator(seq=1, l1="产出指标", l2="数量指标", l3="培训人次", period_value="≥100人次", annual_value="≥50人次"),
        Indicator(seq=2, l1="产出指标", l2="数量指标", l3="培训人次", period_value="≥200人次", annual_value="≥80人次"),
    ]  # fmt: skip
    read = read_workbook(_terms_book(tmp_path, [project]))
    assert [(i.period_value, i.annual_value) for i in read.projects[0].indicators] == [
        ("≥100人次", "≥50人次"), ("≥200人次", "≥80人次")
    ]  # fmt: skip
    assert not read.findings


def test_the_annual_block_above_the_long_term_one_is_read_too(tmp_path: Path) -> None:
    projects = fixture_projects("003")[:3]
    read = read_workbook(_terms_book(tmp_path, projects, annual_first=True))
    assert [p.name for p in read.projects] == [p.name for p in projects]
    for got, want in zip(read.projects, projects, strict=True):
        assert sorted((i.l3, i.period_value, i.annual_value) for i in got.indicators) == sorted(
            (i.l3, i.period_value, i.annual_value) for i in want.indicators
        )
