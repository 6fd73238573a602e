"""Every real published table of ``tests/fixtures/real`` read as its hand-written expected
JSON says: every project (name, unit, amount in 万元, goal) and every indicator (一级, 二级,
三级, both values with their operator, unit, weight), and nothing more."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest
from real_tables import FOLDER, TABLES, as_expected, expected, normal, project_as_expected, read

from jixiao.validate import validate_files
from jixiao.workbook import read_workbook

# Where jixiao and the expected file disagree, and why jixiao is kept as it is: the expected
# value is not in the table (the publisher's name is on the web page, not in the sheet), or
# jixiao keeps what the table prints where the transcriber shortened it.
DISAGREEMENTS = {
    ("ningjin-2019-eval-indicators", "name"): (
        "高中助学金项目",
        "宁晋县高中助学金项目",  # the title says 2019年度宁晋县高中助学金项目绩效评价指标表
    ),
    ("ningjin-2019-eval-indicators", "unit"): ("宁晋县教育局", None),  # printed nowhere in it
}


def test_the_corpus_is_all_here() -> None:
    assert len(TABLES) == 17
    assert all((FOLDER / f"{name}.xlsx").exists() for name in TABLES)


@pytest.mark.parametrize("name", TABLES)
def test_real_table_reads_as_published(name: str) -> None:
    want = expected(name)
    got = read(name)
    assert [p.name for p in got.projects] and len(got.projects) == len(want["projects"]) or (
        not want["projects"] and not got.projects
    )
    for wanted, project in zip(want["projects"], got.projects, strict=True):
        seen = project_as_expected(project)
        for field in ("name", "unit", "amount_wan", "goal"):
            value = wanted[field]
            if field == "amount_wan" and value is not None:
                value = Decimal(str(value))
            if (name, field) in DISAGREEMENTS:
                value_expected, value_kept = DISAGREEMENTS[(name, field)]
                assert value == value_expected  # the disagreement is still the one described
                value = value_kept
            assert seen[field] == value, (name, field)
        assert [as_expected(i) for i in project.indicators] == [
            normal(i) for i in wanted["indicators"]
        ]
    department = [i for goal in got.department_goals for i in goal.indicators]
    assert [as_expected(i) for i in department] == [normal(i) for i in want["department_goals"]]


def test_every_indicator_of_the_corpus_is_read() -> None:
    wanted = sum(
        len(p["indicators"]) for n in TABLES for p in expected(n)["projects"]
    ) + sum(len(expected(n)["department_goals"]) for n in TABLES)
    read_count = sum(
        read(n).indicator_count + sum(len(g.indicators) for g in read(n).department_goals)
        for n in TABLES
    )
    assert wanted == read_count == 135


@pytest.mark.parametrize("name", TABLES)
def test_validate_reads_every_real_table(name: str) -> None:
    report = validate_files([FOLDER / f"{name}.xlsx"])
    codes = {f.code for f in report.findings}
    assert "workbook.unreadable" not in codes
    assert report.workbooks and report.workbooks[0].sheets


# Rows slipped into a real table that are not indicators: footers, notes, sign-off lines,
# a class printed with nothing under it. None of them may become an indicator.
NOT_INDICATORS = [
    ["经办人及联系电话：张三 138********"],
    ["上报时间：2023年3月1日"],
    ["审核意见（盖章）"],
    ["注：本表金额单位为万元。"],
    ["填表人：", None, "联系电话："],
]


@pytest.mark.parametrize("name", TABLES)
def test_footers_and_notes_below_a_real_table_add_nothing(name: str, tmp_path) -> None:
    book = openpyxl.load_workbook(FOLDER / f"{name}.xlsx")
    sheet = next(ws for ws in book.worksheets if ws.title != "附件1")
    before = read_workbook(FOLDER / f"{name}.xlsx")
    last = sheet.max_row
    for offset, cells in enumerate(NOT_INDICATORS, start=2):
        for col, value in enumerate(cells, start=1):
            sheet.cell(last + offset, col).value = value
    path = tmp_path / f"{name}.xlsx"
    book.save(path)
    after = read_workbook(path)
    assert after.indicator_count == before.indicator_count
    assert [i.l3 for p in after.projects for i in p.indicators] == [
        i.l3 for p in before.projects for i in p.indicators
    ]
    assert sum(len(g.indicators) for g in after.department_goals) == sum(
        len(g.indicators) for g in before.department_goals
    )
