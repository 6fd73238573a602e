"""The tolerant reader on the arrangements the real corpus does not hold but units send:
operators and directions in words, marks of two terms in the headers, tables without
一级/二级, amounts written as text, several forms on a sheet, and sheets that are no table."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.grid import Grid
from jixiao.layouts import tables
from jixiao.layouts.registry import read_grid


def grid(rows: list[list[object]], merged: list[tuple[int, int, int, int]] | None = None) -> Grid:
    return Grid(values=rows, sheet="表", file="t.xlsx", merged=merged or [])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("operator", "value", "unit", "expected"),
    [
        ("≥", "95", "%", "≥95%"),
        ("大于等于", "95", "%", "≥95%"),
        ("等于", "100", "%", "=100%"),
        ("小于等于", "30", "万元", "≤30万元"),
        ("", "28.8万元", "%", "28.8万元"),  # the value says its unit: kept as written
        ("≥", "≥90%", "%", "≥90%"),  # and its operator: not doubled
        ("≥", "有效提升", "", "有效提升"),  # words take no operator
        ("=", "44,561", "44,561", "=44,561"),  # a number in the unit column is no unit
        ("", "", "%", ""),
    ],
)
def test_an_operator_and_unit_in_their_own_columns_compose_with_the_number(
    operator: str, value: str, unit: str, expected: str
) -> None:
    assert tables.compose(tables._operator(operator), value, unit) == expected


def test_a_sheet_of_notes_mentioning_indicators_is_not_a_table() -> None:
    notes = grid(
        [
            ["填报说明"],
            ["一、三级指标应细化、量化，指标值应可衡量。"],
            ["二、一级指标、二级指标按财政部规定填写，指标值不得为空。"],
            ["三级指标", None],
            ["说明：本表由各单位填报。"],
        ]
    )
    assert tables.detect(notes) is None
    assert read_grid(notes) is None


def test_a_table_without_classes_keeps_them_empty_and_says_so_once() -> None:
    sheet = grid(
        [
            ["项目名称", "社区养老服务补助"],
            ["指标", "指标权重", "计量单位", "指标性质", "指标值"],
            ["服务老人人次", 30, "人次", "≥", 1200],
            ["服务满意度", 20, "%", "≥", 90],
            ["资金支出及时率", 50, "%", "=", 100],
        ]
    )
    read = read_grid(sheet)
    assert read is not None and read.layout == "table"
    (project,) = read.projects
    assert project.name == "社区养老服务补助"
    assert [(i.l1, i.l2, i.l3, i.annual_value, i.score) for i in project.indicators] == [
        ("", "", "服务老人人次", "≥1200人次", "30"),
        ("", "", "服务满意度", "≥90%", "20"),
        ("", "", "资金支出及时率", "=100%", "50"),
    ]
    assert [f.code for f in read.findings] == ["layout.no_classes"]


def test_long_and_annual_marks_in_the_headers_make_two_terms() -> None:
    sheet = grid(
        [
            ["项目全称", "农村饮水安全巩固提升"],
            ["一级指标", "二级指标", "三级指标(长期)", "指标值(长期)", "三级指标(年度)", "指标值(年度)"],
            ["产出指标", "数量指标", "新建供水工程", "≥12处", "新建供水工程", "≥4处"],
            [None, "质量指标", "水质达标率", "≥95%", "水质达标率", "≥95%"],
        ]
    )
    read = read_grid(sheet)
    assert read is not None
    (project,) = read.projects
    assert project.name == "农村饮水安全巩固提升"
    assert [(i.l2, i.l3, i.period_value, i.annual_value) for i in project.indicators] == [
        ("数量指标", "新建供水工程", "≥12处", "≥4处"),
        ("质量指标", "水质达标率", "≥95%", "≥95%"),
    ]


@pytest.mark.parametrize(
    ("written", "amount", "codes"),
    [
        ("250万", Decimal(250), ["layout.amount_unit"]),
        ("854万（含上年结转）", Decimal(854), ["layout.amount_unit"]),
        ("10000万元", Decimal(10000), []),
        ("5000元", Decimal("0.5"), ["layout.amount_unit"]),
        (153.5184, Decimal("153.5184"), []),
    ],
)
def test_amounts_written_as_text_with_their_unit(written: object, amount: Decimal, codes: list[str]) -> None:
    sheet = grid(
        [
            ["项目支出名称", "道路养护"],
            ["当年预算", written],
            ["一级指标", "二级指标", "三级指标", "指标值"],
            ["产出指标", "数量指标", "养护里程", "≥20公里"],
        ]
    )
    read = read_grid(sheet)
    assert read is not None
    assert read.projects[0].amounts.total == amount
    assert [f.code for f in read.findings] == codes


def test_several_forms_on_one_sheet_each_with_its_own_project() -> None:
    rows: list[list[object]] = []
    for number in (1, 2, 3):
        rows += [
            [f"项目支出绩效目标申报表（{number}）"],
            ["项目名称", f"项目{number}", "实施单位", f"单位{number}"],
            ["年度资金总额", number * 10],
            ["年度目标", f"目标{number}"],
            ["一级指标", "二级指标", "三级指标", "指标值"],
            ["产出指标", "数量指标", f"指标{number}a", f"{number}个"],
            [None, None, f"指标{number}b", f"{number}次"],
            ["经办人及联系电话：", None, "上报时间："],
            [None],
        ]
    read = read_grid(grid(rows))
    assert read is not None
    assert [(p.name, p.unit.name, p.amounts.total, p.goals) for p in read.projects] == [
        (f"项目{n}", f"单位{n}", Decimal(n * 10), [f"目标{n}"]) for n in (1, 2, 3)
    ]
    assert [[i.l3 for i in p.indicators] for p in read.projects] == [
        [f"指标{n}a", f"指标{n}b"] for n in (1, 2, 3)
    ]


def test_a_unit_merged_down_over_its_projects_reaches_each_of_them() -> None:
    sheet = grid(
        [
            ["预算部门", "项目名称", "一级指标", "二级指标", "三级指标", "指标值"],
            ["某区教育局", "校舍维修", "产出指标", "数量指标", "维修校舍", "3所"],
            [None, None, None, "质量指标", "验收合格率", "100%"],
            [None, "营养餐", "产出指标", "数量指标", "受益学生", "≥5000人"],
            ["某区卫健局", "疫苗接种", "产出指标", "数量指标", "接种人次", "≥2万人次"],
        ],
        merged=[(1, 0, 3, 0), (1, 1, 2, 1)],
    )
    read = read_grid(sheet)
    assert read is not None
    assert [(p.unit.name, p.name, len(p.indicators)) for p in read.projects] == [
        ("某区教育局", "校舍维修", 2),
        ("某区教育局", "营养餐", 1),
        ("某区卫健局", "疫苗接种", 1),
    ]
    assert read.projects[0].indicators[1].l2 == "质量指标"


def test_a_unit_named_by_the_value_header_or_a_bare_unit_column() -> None:
    sheet = grid(
        [
            ["项目名称", "乡村道路养护"],
            ["一级指标", "二级指标", "三级指标", "指标值", "单位", "目标值（%）"],
            ["产出指标", "数量指标", "养护里程", 20, "公里", None],
            [None, "质量指标", "养护合格率", None, None, 95],
        ]
    )
    read = read_grid(sheet)
    assert read is not None
    items = read.projects[0].indicators
    assert [(i.l3, i.annual_value, i.measure_unit) for i in items] == [
        ("养护里程", "20公里", "公里"),
        ("养护合格率", "95%", "%"),  # a second value column, read where the first is empty
    ]


def test_a_value_header_naming_its_unit_applies_to_bare_numbers() -> None:
    sheet = grid(
        [
            ["项目名称", "就业补助"],
            ["一级指标", "二级指标", "三级指标", "指标值（%）"],
            ["产出指标", "质量指标", "补贴发放准确率", 100],
            [None, None, "资料归档率", "≥98%"],
        ]
    )
    read = read_grid(sheet)
    assert read is not None
    assert [i.annual_value for i in read.projects[0].indicators] == ["100%", "≥98%"]


def test_a_generic_title_names_no_project() -> None:
    sheet = grid(
        [
            ["项目支出绩效目标表（2022年度）"],
            ["一级指标", "二级指标", "三级指标", "指标值"],
            ["产出指标", "数量指标", "培训人次", "≥100人次"],
        ]
    )
    read = read_grid(sheet)
    assert read is not None
    assert read.projects[0].name == ""
    assert [f.code for f in read.findings] == ["layout.unnamed_project"]
