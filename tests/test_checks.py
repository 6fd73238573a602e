"""Each check on a workbook with its defect injected: code, severity and cell; silence when clean.

The clean project is the shape of a typical court IT project in the ``2020`` profile. Each
case writes it in a layout, injects one defect (in the model before writing, or in the
written cell itself), reads the file back and validates it. The expected cell is found by
looking for the injected text in the written file, so a finding pointing elsewhere fails.
"""

from __future__ import annotations

import dataclasses

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from jixiao.checks import specs
from jixiao.model import Amounts, Indicator, PlanPoint, Project, Unit
from jixiao.validate import validate_files
from jixiao.workbook import write_workbook

ROWS = (
    ("产出指标", "数量指标", "运维设备数量", "≥200台"),
    ("产出指标", "质量指标", "系统正常运行率", "≥98%"),
    ("产出指标", "时效指标", "故障响应及时率", "≥95%"),
    ("产出指标", "成本指标", "运维服务成本", "≤80万元"),
    ("效益指标", "社会效益指标", "审判执行工作保障水平", "有效提升"),
    ("满意度指标", "服务对象满意度指标", "干警满意度", "≥90%"),
)
CODES = {"产出指标": "1", "效益指标": "2", "满意度指标": "3"}
L2_CODES = {"数量指标": "11", "质量指标": "12", "时效指标": "13", "成本指标": "14",
            "社会效益指标": "22", "服务对象满意度指标": "31"}


def clean_project(name: str = "信息化运维项目", total: str = "100.00") -> Project:
    return Project(
        unit=Unit(code="201001", name="示例人民法院"),
        code="44000021T000000000001",
        name=name,
        amounts=Amounts(total=Decimal(total), fiscal=Decimal(total)),
        purpose="保障信息系统运行",
        goals=["保障全院信息系统稳定运行"],
        spending_plan=[PlanPoint(label=f"{m}月底", value=f"{v}%")
                       for m, v in ((3, 25), (6, 50), (9, 75), (12, 100))],
        indicators=[
            Indicator(seq=n, l1_code=CODES[l1], l1=l1, l2_code=L2_CODES[l2], l2=l2, l3=l3,
                      description=l3, period_value=value, annual_value=value)
            for n, (l1, l2, l3, value) in enumerate(ROWS, start=1)
        ],
    )


def item(project: Project, name: str) -> Indicator:
    return next(i for i in project.indicators if i.l3 == name)


def set_value(name: str, value: str, period: str | None = None) -> Callable[[Project], str]:
    def mutate(project: Project) -> str:
        target = item(project, name)
        target.annual_value = value
        target.period_value = value if period is None else period
        return value
    return mutate


def drop(l1: str) -> Callable[[Project], str]:
    def mutate(project: Project) -> str:
        project.indicators = [i for i in project.indicators if i.l1 != l1]
        return project.name
    return mutate


def set_field(name: str, field: str, text: str) -> Callable[[Project], str]:
    def mutate(project: Project) -> str:
        setattr(item(project, name), field, text)
        return text
    return mutate


def attributes(name: str, marker: str, **fields: str) -> Callable[[Project], str]:
    """Set an indicator's attributes (as an indicator-row table holds them); the finding
    names the cell holding ``marker`` (the project's name cell when it is empty)."""
    def mutate(project: Project) -> str:
        target = item(project, name)
        for field, text in fields.items():
            setattr(target, field, text)
        return marker or project.name
    return mutate


def scores(each: str) -> Callable[[Project], str]:
    def mutate(project: Project) -> str:
        for indicator in project.indicators:
            indicator.score = each  # 6 x 14 = 84: neither 100 nor 90 (+ 10 for 预算执行率)
        return project.name
    return mutate


def budget_in_yuan(project: Project) -> str:
    project.amounts.total = Decimal("1000000.00")  # 100 万元 typed in 元 into a 万元 column
    return "1000000.00"


def duplicate(project: Project) -> str:
    item(project, "系统正常运行率").l3 = "运维设备数量"
    return "运维设备数量"


def second_cost(project: Project) -> str:
    extra = dataclasses.replace(item(project, "运维服务成本"), l3="设备维修成本", seq=7)
    extra.annual_value = extra.period_value = "≤30万元"
    project.indicators.append(extra)
    return "100.00"


def plan_falls(project: Project) -> str:
    project.spending_plan[2].value = "40%"
    return "40%"


def plan_ends_short(project: Project) -> str:
    project.spending_plan[3].value = "90%"
    return "90%"


def plan_not_percent(project: Project) -> str:
    project.spending_plan[1].value = "过半"
    return "过半"


def fiscal_short(project: Project, delta: str) -> str:
    project.amounts.fiscal = Decimal(project.amounts.total or 0) - Decimal(delta)
    return str(project.amounts.total)


@dataclass(frozen=True)
class Case:
    code: str
    severity: str
    layout: str
    mutate: Callable[[Project], str]  # returns the text of the cell the finding must name


CASES = [
    Case("class.unknown_l1", "error", "long", set_field("运维设备数量", "l1", "投入指标")),
    Case("class.wrong_l2", "error", "long", set_field("干警满意度", "l2", "数量指标")),
    Case("class.code", "warning", "long", set_field("运维设备数量", "l2_code", "12")),
    Case("coverage.output", "error", "long", drop("产出指标")),
    Case("coverage.benefit", "error", "long", drop("效益指标")),
    Case("coverage.satisfaction", "warning", "long", drop("满意度指标")),
    Case("name.duplicate", "warning", "long", duplicate),
    Case("name.empty", "error", "long", set_field("运维设备数量", "l3", "")),
    Case("name.too_long", "warning", "long", set_field("运维设备数量", "l3", "运维" * 51)),
    Case("value.empty", "error", "long", set_value("运维设备数量", "")),
    Case("value.too_long", "warning", "long", set_value("审判执行工作保障水平", "有效" * 101)),
    Case("value.unit", "warning", "long", set_value("运维设备数量", "≥200")),
    Case("value.over_100", "error", "long", set_value("干警满意度", "≥105%")),
    Case("value.at_least_100", "warning", "long", set_value("系统正常运行率", "≥100%")),
    Case("value.direction", "warning", "long", set_value("运维服务成本", "≥80万元")),
    Case("value.direction", "warning", "long", set_value("干警满意度", "≤90%")),
    Case("period.mismatch", "warning", "long", set_value("运维设备数量", "≥200台", "≥200套")),
    Case("period.annual_over", "error", "long", set_value("运维设备数量", "≥300台", "≥200台")),
    Case("budget.cost_over", "error", "long", set_value("运维服务成本", "≤120万元")),
    Case("budget.cost_sum", "warning", "card", second_cost),
    Case("plan.order", "error", "card", plan_falls),
    Case("plan.end", "error", "card", plan_ends_short),
    Case("plan.value", "error", "card", plan_not_percent),
    Case("amount.sum", "error", "card", lambda p: fiscal_short(p, "1")),
    Case("amount.rounding", "warning", "card", lambda p: fiscal_short(p, "0.01")),
    # indicator rows with attributes (the 一体化 export): what the attributes say
    Case("attribute.direction", "error", "rows", attributes("运维设备数量", "小于等于", nature="反向", direction="小于等于", target="≥200", measure_unit="台")),
    Case("attribute.reverse_satisfaction", "warning", "rows", attributes("干警满意度", "反向", nature="反向", direction="大于等于", target="90", measure_unit="%")),
    Case("attribute.weights", "warning", "rows", scores("14")),
    Case("attribute.unit", "error", "rows", attributes("运维服务成本", "%", nature="反向", direction="小于等于", target="80万元", measure_unit="%")),
    Case("attribute.quantitative_text", "error", "rows", attributes("审判执行工作保障水平", "有效提升", nature="正向", target="有效提升")),
    Case("attribute.money_unit", "warning", "rows", budget_in_yuan),
]


def write(tmp_path: Path, layout: str, projects: list[Project]) -> Path:
    return write_workbook(tmp_path / f"{layout}.xlsx", projects, layout)  # type: ignore[arg-type]


def cells_holding(path: Path, text: str) -> set[tuple[str, str]]:
    book = openpyxl.load_workbook(path)
    found = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, (int, float, Decimal)):
                    value = f"{value:.2f}"
                if value is not None and str(value) == text:
                    found.add((sheet.title, cell.coordinate))
    return found


def findings_of(path: Path) -> list[dict[str, str]]:
    return validate_files([path], profile="2020").to_json()["findings"]


@pytest.mark.parametrize("layout", ["long", "card", "wide", "rows"])
def test_the_clean_project_is_silent(layout: str, tmp_path: Path) -> None:
    projects = [clean_project(), clean_project("办案业务经费", "158.50")]
    assert findings_of(write(tmp_path, layout, projects)) == []


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.code}-{c.layout}")
def test_an_injected_defect_is_found_at_its_cell(case: Case, tmp_path: Path) -> None:
    broken = clean_project()
    marker = case.mutate(broken)
    path = write(tmp_path, case.layout, [clean_project("办案业务经费", "158.50"), broken])
    findings = findings_of(path)
    assert [(f["code"], f["severity"]) for f in findings] == [(case.code, case.severity)]
    (finding,) = findings
    expected = cells_holding(path, marker) if marker else set()
    assert (finding["sheet"], finding["cell"]) in expected or (
        not marker and finding["cell"] is not None
    ), (finding, expected)
    assert finding["message"] and finding["hint"]


def test_every_check_code_has_an_injection_case() -> None:
    assert {c.code for c in CASES} == set(specs())


def edit_cell(path: Path, find: str, column: int, value: object) -> str:
    """Overwrite ``column`` (1-based) on the row whose first cell is ``find``; returns its A1."""
    book = openpyxl.load_workbook(path)
    sheet = book.active
    assert sheet is not None
    row = next(r for r in sheet.iter_rows() if r[0].value == find)
    cell = sheet.cell(row=row[0].row, column=column)
    cell.value = value
    book.save(path)
    return cell.coordinate


@pytest.mark.parametrize(
    ("label", "written", "code", "severity"),
    [
        ("示例人民法院", "258.40", "amount.sum", "error"),  # unit subtotal off by 0.10
        ("示例人民法院", "258.49", "amount.rounding", "warning"),  # off by 0.01: 尾差
        ("合计", "259.50", "amount.sum", "error"),
        ("合计", "258.51", "amount.rounding", "warning"),
    ],
)
def test_subtotal_and_grand_total_differences(
    label: str, written: str, code: str, severity: str, tmp_path: Path
) -> None:
    path = write(tmp_path, "wide", [clean_project(), clean_project("办案业务经费", "158.50")])
    cell = edit_cell(path, label, 2, written)
    found = {(f["code"], f["severity"], f["cell"]) for f in findings_of(path)}
    if label == "合计":
        assert found == {(code, severity, cell)}
    else:  # 合计 is the sum of the units, so it now disagrees with the edited subtotal too
        grand_total = f"B{int(cell[1:]) - 1}"
        assert found == {(code, severity, cell), (code, severity, grand_total)}


def test_codec_findings_name_the_packed_cell(tmp_path: Path) -> None:
    path = write(tmp_path, "wide", [clean_project()])
    cell = edit_cell(path, "信息化运维项目", 7, "1-产出指标：11-数量指标：运维设备数量；年度指标值：≥200台。")
    findings = findings_of(path)
    assert findings and all(f["cell"] == cell for f in findings)
    assert any(f["code"].startswith("packed.") and f["severity"] == "error" for f in findings)


def test_the_period_value_is_checked_where_it_differs_from_the_annual_one(tmp_path: Path) -> None:
    """实施周期指标值：≥120% passed unseen: only the 年度 value was checked."""
    from jixiao.validate import validate_files

    project = clean_project()
    item = project.indicators[0]
    item.l3, item.annual_value, item.period_value = "验收合格率", "≥95%", "≥120%"
    path = write(tmp_path, "long", [project])
    findings = [f for f in validate_files([path]).findings if f.code == "value.over_100"]
    assert [f.details.get("value") or f.message for f in findings] and len(findings) == 1
    assert findings[0].location is not None and "≥120%" in findings[0].message
