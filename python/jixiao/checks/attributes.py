"""The attributes indicator-row tables carry (指标性质, 指标方向, 计量单位, 分值), checked
against each other and against the value, and the table's money unit."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

from jixiao.checks import Context, at, check, project_at
from jixiao.findings import FindingSpec
from jixiao.model import Finding, Indicator, Project
from jixiao.values import parse_value

OPERATOR_WORDS: dict[str, tuple[str | None, ...]] = {
    "大于等于": ("≥",),
    "小于等于": ("≤",),
    "等于": ("=", None),
    "大于": (">",),
    "小于": ("<",),
}

DIRECTION_CONTRADICTS = FindingSpec(
    "attribute.direction",
    "error",
    "三级指标“{name}”的指标方向“{direction}”与指标值“{value}”的比较符不一致",
    "指标方向与目标值应一致：大于等于写 ≥，小于等于写 ≤",
)
REVERSE_SATISFACTION = FindingSpec(
    "attribute.reverse_satisfaction",
    "warning",
    "满意度指标“{name}”标为反向（越低越好）",
    "满意度一般为正向指标（大于等于），请核对指标性质",
)
# What a project's indicators may score in all: 100, or 90 where 预算执行率 takes the other
# 10 — the national self-evaluation rule (财预〔2021〕101号: 预算执行率 10 分, 绩效指标 90 分)
# that Sichuan's 一体化 forms use for targets too (``绩效指标(90分)``, ``预算执行率权重``).
INDICATOR_TOTALS = (Decimal(100), Decimal(90))
WEIGHTS = FindingSpec(
    "attribute.weights",
    "warning",
    "项目“{project}”各指标分值合计 {total}，{expected}",
    "调整分值，使合计为 100（或与一级指标的分值一致）",
)
UNIT_CONTRADICTS = FindingSpec(
    "attribute.unit",
    "error",
    "三级指标“{name}”的计量单位“{unit}”与指标值“{value}”的单位不一致",
    "计量单位与指标值中的单位应相同",
)
QUANTITATIVE_TEXT = FindingSpec(
    "attribute.quantitative_text",
    "error",
    "三级指标“{name}”标为{nature}，但目标值“{value}”不是数字",
    "定量指标的目标值写数字（单位写在计量单位列），或把指标性质改为定性",
)
MONEY_UNIT = FindingSpec(
    "attribute.money_unit",
    "warning",
    "项目“{project}”预算 {total} 万元，超过 10 亿元，"
    "可能把以元为单位的金额填进了万元列（按元计为 {yuan} 万元）",
    "检查金额单位：以元填写的金额换算为万元要除以 10,000，或在表头注明“单位：元”",
)


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", "").strip())
    except InvalidOperation:
        return None


@check(DIRECTION_CONTRADICTS, REVERSE_SATISFACTION, UNIT_CONTRADICTS, QUANTITATIVE_TEXT)
def attributes(project: Project, ctx: Context) -> Iterator[Finding]:
    for item in project.indicators:
        nature, direction = item.nature.strip(), item.direction.strip()
        value = parse_value(item.annual_value)
        if (
            direction in OPERATOR_WORDS
            and value.number is not None
            and value.op not in OPERATOR_WORDS[direction]
        ):
            yield DIRECTION_CONTRADICTS.at(
                at(item, "direction"), name=item.l3, direction=direction, value=item.annual_value
            )
        if nature == "反向" and ("满意度" in item.l1 or "满意度" in item.l2):
            yield REVERSE_SATISFACTION.at(at(item, "nature"), name=item.l3)
        written_unit = item.measure_unit.strip()
        if written_unit and value.unit and written_unit != value.unit:
            yield UNIT_CONTRADICTS.at(
                at(item, "measure_unit"), name=item.l3, unit=written_unit, value=item.annual_value
            )
        quantitative = nature in ("正向", "反向", "定量")
        if quantitative and item.target and value.number is None and _number(item.target) is None:
            yield QUANTITATIVE_TEXT.at(
                at(item, "target"), name=item.l3, nature=nature, value=item.target
            )


def _score(text: str) -> Decimal | None:
    return _number(text) if text.strip() else None


@check(WEIGHTS)
def weights(project: Project, ctx: Context) -> Iterator[Finding]:
    scores = [_score(i.score) for i in project.indicators]
    if not project.indicators or any(s is None for s in scores):
        return
    total = sum(s for s in scores if s is not None)
    by_l1: dict[str, Decimal] = {}
    declared: dict[str, Decimal] = {}
    for item, score in zip(project.indicators, scores, strict=True):
        by_l1[item.l1] = by_l1.get(item.l1, Decimal(0)) + (score or 0)
        weight = _score(item.l1_score)
        if weight is not None:
            declared[item.l1] = weight
    off = [
        f"{l1}合计 {by_l1[l1]:f} 分、标注 {w:f} 分"
        for l1, w in declared.items()
        if by_l1.get(l1) != w
    ]
    where = project_at(project, "project_name")
    if off:
        expected = "与一级指标标注的分值不一致：" + "；".join(off)
        yield WEIGHTS.at(where, project=project.name, total=f"{total:f}", expected=expected)
    elif not declared and total not in INDICATOR_TOTALS:
        yield WEIGHTS.at(where, project=project.name, total=f"{total:f}", expected="不是 100")


def _is_cost(item: Indicator) -> bool:
    return "成本" in item.l2 or "成本" in item.l1


PLAUSIBLE_PROJECT = Decimal(100_000)  # 万元: 10 亿元, beyond any one project of these units


@check(MONEY_UNIT)
def money_units(project: Project, ctx: Context) -> Iterator[Finding]:
    """A budget in 元 typed into a 万元 column reads 10,000 times too large: 1,030,700 万元
    for what is 103.07 万元. (Costs over the budget are ``budget.cost_*``'s.)"""
    total = project.amounts.total
    if total is None or total <= PLAUSIBLE_PROJECT:
        return
    yield MONEY_UNIT.at(
        project_at(project, "total"),
        project=project.name,
        total=f"{total:,.2f}",
        yuan=f"{total / 10_000:,.2f}",
    )
